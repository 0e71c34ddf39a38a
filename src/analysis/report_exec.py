"""Execution of a run on Dask distributed: the cluster, progress, signals, temp files.

Each notebook run is one Dask task (:func:`analysis.worker.run_task`): it executes the
notebook in a fresh kernel on a worker and returns the executed notebook and every
output file as bytes; the client writes them into the run folder. With no scheduler
address an embedded ``LocalCluster`` is started (``jobs`` worker processes, one thread
each, no dashboard); with ``tcp://HOST:PORT`` the run uses that cluster, whose workers
need only the package installed (no shared filesystem).

SIGINT/SIGTERM cancel the outstanding tasks, kill the running kernels and end the run as
interrupted. A worker lost mid-run costs only its task: the scheduler runs it again on
another worker (once, on the embedded cluster); ``run.json`` records the retry. The
embedded cluster's files go into one temporary folder, removed when the run ends however
it ends.

>>> check_address("tcp://127.0.0.1:8786")
'tcp://127.0.0.1:8786'
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from .exporters import EXPORTERS
from .report_config import UsageError, shown
from .report_plan import Job

ADDRESS_RE = re.compile(r"^(tcp|tls)://[A-Za-z0-9_.\-\[\]:]+:\d{1,5}$")
CONNECT_TIMEOUT_S = 15
START_TIMEOUT_S = 180  # the embedded cluster's workers must be up by then
RETRIES = 1  # a task whose worker is lost runs once more, elsewhere
DASK_LOGGERS = ("distributed", "dask", "tornado", "bokeh")


class ClusterError(Exception):
    """The cluster could not be started or reached (a one-line reason)."""


def check_address(value: str) -> str:
    """``--scheduler``: a Dask scheduler address ``tcp://HOST:PORT`` (or ``tls://``).

    Raises UsageError for anything else.
    """
    if not isinstance(value, str) or not ADDRESS_RE.match(value):
        raise UsageError(f"--scheduler: expected an address like tcp://HOST:PORT, found "
                         f"{shown(value, 80)}")
    return value


class Progress:
    """Progress lines on stderr: starts, and completed/total with rate and ETA (silent with
    ``quiet``)."""

    def __init__(self, quiet: bool, total: int = 0) -> None:
        self.quiet = quiet
        self.total = total
        self.completed = 0
        self.lock = threading.Lock()
        self.began = time.monotonic()
        self.started: dict[str, float] = {}

    def say(self, text: str) -> None:
        if not self.quiet:
            with self.lock:
                print(text, file=sys.stderr, flush=True)

    def start(self, label: str, where: str = "") -> None:
        self.started.setdefault(label, time.monotonic())
        self.say(f"  started  {label}" + (f" on {where}" if where else ""))

    def tick(self) -> None:
        now = time.monotonic()
        running = ", ".join(f"{k} {now - t:.0f}s" for k, t in sorted(self.started.items()))
        if running:
            self.say(f"  running  {running}")

    def done(self, label: str, status: str, seconds: float) -> None:
        self.started.pop(label, None)
        self.completed += 1
        elapsed = max(time.monotonic() - self.began, 1e-9)
        rate = self.completed / elapsed
        left = max(self.total - self.completed, 0)
        eta = f", ETA {_clock(left / rate)}" if left else ""
        self.say(f"  [{self.completed}/{self.total}] {status:<8} {label} ({seconds:.1f}s); "
                 f"{rate * 60:.1f}/min{eta}")


def _clock(seconds: float) -> str:
    """``75`` -> ``1m15s``."""
    s = int(round(seconds))
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


def quiet_dask() -> None:
    """Dask's own log lines stay out of normal output (errors still show)."""
    for name in DASK_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


class DaskRunner:
    """A Dask client on an embedded LocalCluster or on the scheduler at ``address``.

    Example::

        with DaskRunner(jobs=2) as runner:  # or DaskRunner(2).start() ... .wait()
            results, signum = execute_all(jobs, 600, False, Progress(False), runner)

    Raises ClusterError (on enter) when the cluster cannot be started or reached.
    """

    def __init__(self, jobs: int | None = None, address: str | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.address = address
        self.tmp: Path | None = None
        self.cluster: Any = None
        self.client: Any = None
        self.starts: dict[str, list[dict[str, Any]]] = {}
        self._thread: threading.Thread | None = None
        self._error: ClusterError | None = None
        self._starts_lock = threading.Lock()  # starts is filled by the client's thread

    def start(self) -> DaskRunner:
        """Start the cluster (or connect) in a background thread; :meth:`wait` joins it."""
        self._thread = threading.Thread(target=self._start, name="dask-start", daemon=True)
        self._thread.start()
        return self

    def _start(self) -> None:
        try:
            self.__enter__()
        except ClusterError as exc:
            self._error = exc
        except Exception as exc:  # noqa: BLE001 - reported as one line by wait()
            self._error = ClusterError(f"cannot start the Dask cluster: {exc!r}"[:300])

    def wait(self) -> DaskRunner:
        """Wait until the cluster is up. Raises ClusterError if it could not be used."""
        if self._thread is not None:
            self._thread.join(START_TIMEOUT_S + CONNECT_TIMEOUT_S)
            if self._thread.is_alive():
                raise ClusterError(f"the Dask cluster did not start within "
                                   f"{START_TIMEOUT_S + CONNECT_TIMEOUT_S} s")
            self._thread = None
        if self._error is not None:
            raise self._error
        if self.client is None:
            raise ClusterError("the Dask cluster was closed")
        return self

    def __enter__(self) -> DaskRunner:
        quiet_dask()
        import dask
        from distributed import Client

        from .worker import START_TOPIC, WarmUp

        try:
            if self.address:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT_S)
            else:
                self.tmp = Path(tempfile.mkdtemp(prefix="dnr-"))
                self.cluster = self._local_cluster(dask)
                self.client = Client(self.cluster, timeout=CONNECT_TIMEOUT_S)
            self.client.register_plugin(WarmUp(watch_parent=self.address is None))
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            where = self.address or "an embedded cluster"
            raise ClusterError(f"cannot use the Dask cluster ({shown(where, 80)}): "
                               f"{str(exc).splitlines()[0][:200] if str(exc) else exc!r}"
                               ) from None
        self.client.subscribe_topic(START_TOPIC, self._on_start)
        return self

    def _local_cluster(self, dask: Any) -> Any:
        from distributed import LocalCluster

        assert self.tmp is not None
        runtime = self.tmp / "runtime"
        runtime.mkdir()
        env = {"TMPDIR": str(self.tmp), "TEMP": str(self.tmp), "TMP": str(self.tmp),
               "JUPYTER_RUNTIME_DIR": str(runtime)}
        with dask.config.set({"distributed.scheduler.allowed-failures": RETRIES,
                              "temporary-directory": str(self.tmp)}):
            return LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                                # no dashboard; the scheduler's small HTTP server (health
                                # checks) on a free port of localhost, not 8787
                                dashboard_address=None,
                                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                silence_logs=logging.ERROR,
                                memory_limit=0, local_directory=str(self.tmp / "dask"),
                                env=env, host="127.0.0.1", scheduler_port=0)

    def _on_start(self, event: Any) -> None:
        _, msg = event
        if isinstance(msg, dict) and "key" in msg:
            with self._starts_lock:
                self.starts.setdefault(str(msg["key"]), []).append(msg)

    def starts_of(self) -> dict[str, list[dict[str, Any]]]:
        """A snapshot of the start events seen so far, by task key."""
        with self._starts_lock:
            return {k: list(v) for k, v in self.starts.items()}

    def stop_kernels(self) -> None:
        """Kill the kernels of the running notebooks on every worker."""
        from .worker import kill_kernels

        try:
            self.client.run(kill_kernels, wait=True, on_error="ignore")
        except Exception:  # noqa: BLE001 - best effort while stopping
            pass

    def close(self) -> None:
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            # still starting: let it finish (bounded), then close what it started
            thread.join(START_TIMEOUT_S)
            self._thread = None
        for thing in (self.client, self.cluster):
            if thing is not None:
                try:
                    thing.close(timeout=20) if thing is self.cluster else thing.close()
                except Exception:  # noqa: BLE001 - best effort while tearing down
                    pass
        self.client = self.cluster = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __exit__(self, *exc: Any) -> None:
        self.close()


def task_spec(job: Job, timeout: float | None, show_code: bool, key: str) -> dict[str, Any]:
    """What :func:`analysis.worker.run_task` gets for ``job``: the notebook's bytes too."""
    return {"stem": job.stem, "notebook": job.notebook.read_bytes(),
            "cwd": str(job.notebook.parent), "parameters": job.parameters,
            "timeout": timeout, "show_code": show_code, "site": job.site, "key": key}


def execute_all(job_list: list[Job], timeout: float | None, show_code: bool,
                progress: Progress, runner: DaskRunner
                ) -> tuple[list[dict[str, Any]], int | None]:
    """Run every job as a Dask task; return the results (in job order) and the signal
    that interrupted the run (None if none did).

    SIGINT and SIGTERM are caught while the jobs run: outstanding tasks are cancelled,
    running kernels killed, and the jobs not finished are recorded as interrupted.
    """
    from .worker import run_task

    stop = threading.Event()
    signum_box: list[int] = []

    def _on_signal(signum: int, _frame: Any) -> None:
        signum_box.append(signum)
        stop.set()

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    progress.total = len(job_list)
    results: dict[int, dict[str, Any]] = {}
    try:
        tag = uuid.uuid4().hex[:8]
        keys = [f"nb-{tag}-{i}-{job.label}" for i, job in enumerate(job_list)]
        futures = {}
        for i, (job, key) in enumerate(zip(job_list, keys, strict=True)):
            if stop.is_set():
                break
            job.out_dir.mkdir(parents=True, exist_ok=True)
            futures[i] = runner.client.submit(run_task, task_spec(job, timeout, show_code, key),
                                              key=key, retries=RETRIES, pure=False)
        seen: dict[str, int] = {}
        index = {key: i for i, key in enumerate(keys)}
        last_tick = time.monotonic()
        pending = dict(futures)
        while pending and not stop.is_set():
            snapshot = runner.starts_of()
            for key, starts in snapshot.items():
                if key in index and len(starts) > seen.get(key, 0):
                    seen[key] = len(starts)
                    label = job_list[index[key]].label
                    if len(starts) > 1:
                        progress.say(f"  retry    {label}: worker {starts[-2]['worker']} "
                                     "was lost while running it")
                    progress.start(label, starts[-1]["worker"])
            for i, fut in list(pending.items()):
                if fut.done():
                    del pending[i]
                    results[i] = _collect(job_list[i], fut,
                                          runner.starts_of().get(keys[i], []), progress)
            if time.monotonic() - last_tick > 15:
                progress.tick()
                last_tick = time.monotonic()
            time.sleep(0.1)
        if stop.is_set():
            runner.client.cancel(list(pending.values()), force=True)
            runner.stop_kernels()
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    out = []
    for i, job in enumerate(job_list):
        if i not in results:
            results[i] = _finish(job, {"status": "interrupted", "error": None}, 0.0, progress)
        out.append(results[i])
    return out, (signum_box[0] if signum_box else None)


def _collect(job: Job, fut: Any, starts: list[dict[str, Any]],
             progress: Progress) -> dict[str, Any]:
    """The record of a finished task; its files written into the run folder."""
    began = progress.started.get(job.label)
    if fut.status == "finished":
        try:
            payload = fut.result()
            result = payload["result"]
            write_files(job.out_dir.parent, payload["files"])
        except (ValueError, KeyError, TypeError) as exc:  # a malformed task result
            result = {"status": "failed", "error": {"cell": None, "ename": type(exc).__name__,
                                                    "evalue": str(exc)[:2000]}}
    elif fut.status == "cancelled":
        result = {"status": "interrupted", "error": None}
    else:
        exc = fut.exception()
        name = type(exc).__name__
        ename = "WorkerLost" if name == "KilledWorker" else name
        result = {"status": "failed", "error": {"cell": None, "ename": ename,
                                                "evalue": str(exc)[:2000]}}
    if len(starts) > 1:
        lost = ", ".join(s["worker"] for s in starts[:-1])
        result["retried"] = (f"ran {len(starts)} times: worker(s) {lost} lost while running "
                             "it")
    seconds = result.get("duration_s") or (time.monotonic() - began if began else 0.0)
    return _finish(job, result, seconds, progress)


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write the files a task returned under ``folder`` (each atomically).

    Raises ValueError for a path that would leave ``folder``.
    """
    for rel, data in files.items():
        parts = Path(rel).parts
        if not parts or Path(rel).is_absolute() or ".." in parts:
            raise ValueError(f"a task returned an unsafe path {shown(rel, 80)}")
        dest = folder.joinpath(*parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(dest)


def _finish(job: Job, result: dict[str, Any], seconds: float,
            progress: Progress) -> dict[str, Any]:
    run_folder = job.out_dir.parent
    output = run_folder / f"{job.stem}.ipynb"
    exports = result.pop("exports", None) or {}
    result["duration_s"] = round(seconds, 2)
    result.update(run=job.run, notebook=job.stem, parameters=job.parameters,
                  ipynb=f"{job.run}/{job.stem}.ipynb" if output.exists() else None,
                  files=sorted(p.name for p in job.out_dir.iterdir()) if job.out_dir.exists()
                  else [])
    for name in EXPORTERS:  # one link per output format, None where it was not written
        file = exports.get(name)
        result[name] = f"{job.run}/{file}" if file and (run_folder / file).exists() else None
    if result["status"] != "interrupted" or seconds:
        progress.done(job.label, result["status"], result["duration_s"])
    return result
