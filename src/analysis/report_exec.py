"""Execution of a report run: worker processes, progress, timeouts, signals, temp files.

Each notebook runs in a fresh kernel started by a long-lived worker process
(``python -m analysis.worker --serve``, one per parallel job), so a crashed or hung
kernel never takes the runner down. SIGINT/SIGTERM stop every worker (their kernels are
shut down) and the run ends as interrupted. Everything the workers and kernels write to
the temporary folder goes into one folder per run, removed when the run ends however it
ends (success, failure, interruption).
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .exporters import EXPORTERS
from .report_plan import Job


class Progress:
    """Per-notebook progress lines with elapsed time (silent with ``quiet``)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.lock = threading.Lock()
        self.started: dict[str, float] = {}

    def say(self, text: str) -> None:
        if not self.quiet:
            with self.lock:
                print(text, file=sys.stderr, flush=True)

    def start(self, label: str) -> None:
        self.started[label] = time.monotonic()
        self.say(f"  started  {label}")

    def tick(self) -> None:
        now = time.monotonic()
        running = ", ".join(f"{k} {now - t:.0f}s" for k, t in sorted(self.started.items()))
        if running:
            self.say(f"  running  {running}")

    def done(self, label: str, status: str, seconds: float) -> None:
        self.started.pop(label, None)
        self.say(f"  {status:<8} {label} ({seconds:.1f}s)")


class WorkerProcess:
    """A long-lived ``python -m analysis.worker --serve`` process (one per parallel job).

    Each notebook still runs in a fresh kernel; the worker only saves the Python start-up
    and the papermill/nbconvert imports after the first notebook. A worker that dies is
    replaced for the next notebook.
    """

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.stderr: collections.deque[str] = collections.deque(maxlen=60)

    def ensure(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "analysis.worker", "--serve"], start_new_session=True,
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                text=True, encoding="utf-8", errors="replace", env=self.env)
            proc, sink = self.proc, self.stderr
            threading.Thread(target=lambda: sink.extend(proc.stderr), daemon=True).start()
        return self.proc

    def submit(self, spec_file: Path) -> subprocess.Popen:
        proc = self.ensure()
        self.stderr.clear()
        assert proc.stdin is not None
        proc.stdin.write(f"{spec_file}\n")
        proc.stdin.flush()
        return proc

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                terminate(self.proc)


class WorkerPool:
    """One :class:`WorkerProcess` per executor thread, all with the same environment."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = env
        self.local = threading.local()
        self.lock = threading.Lock()
        self.all: list[WorkerProcess] = []

    def get(self) -> WorkerProcess:
        worker = getattr(self.local, "worker", None)
        if worker is None:
            worker = self.local.worker = WorkerProcess(self.env)
            with self.lock:
                self.all.append(worker)
        return worker

    def close(self) -> None:
        for worker in self.all:
            worker.close()


def worker_env(tmp: Path) -> dict[str, str]:
    """The workers' environment: temporary files and kernel connection files in ``tmp``."""
    runtime = tmp / "runtime"
    runtime.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp),
            "JUPYTER_RUNTIME_DIR": str(runtime)}


def execute_all(job_list: list[Job], jobs: int | None, timeout: float | None,
                show_code: bool, progress: Progress) -> tuple[list[dict[str, Any]], int | None]:
    """Run every job, ``jobs`` at a time; return the results and the signal that
    interrupted the run (None if none did).

    SIGINT and SIGTERM are caught while the jobs run: the running notebooks are stopped,
    the waiting ones are recorded as interrupted.
    """
    stop = threading.Event()
    signum_box: list[int] = []

    def _on_signal(signum: int, _frame: Any) -> None:
        signum_box.append(signum)
        stop.set()

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    tmp = Path(tempfile.mkdtemp(prefix="dnr-"))
    workers = WorkerPool(worker_env(tmp))
    try:
        with cf.ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            futures = [pool.submit(execute_job, j, timeout, show_code, stop, progress, workers)
                       for j in job_list]
            last_tick = time.monotonic()
            pending = set(futures)
            while pending:
                done, pending = cf.wait(pending, timeout=0.5)
                if time.monotonic() - last_tick > 15:
                    progress.tick()
                    last_tick = time.monotonic()
            results = [f.result() for f in futures]
    finally:
        workers.close()
        shutil.rmtree(tmp, ignore_errors=True)
        for s, h in old.items():
            signal.signal(s, h)
    return results, (signum_box[0] if signum_box else None)


def execute_job(job: Job, timeout: float | None, show_code: bool, stop: threading.Event,
                progress: Progress, pool: WorkerPool) -> dict[str, Any]:
    """Run one notebook in a worker of ``pool``; return its record for ``run.json``."""
    job.out_dir.mkdir(parents=True, exist_ok=True)
    run_folder = job.out_dir.parent
    output = run_folder / f"{job.stem}.ipynb"
    spec = {"input": str(job.notebook), "output": str(output), "export_dir": str(run_folder),
            "parameters": job.parameters, "cwd": str(job.notebook.parent),
            "timeout": timeout, "show_code": show_code, "site": job.site,
            "result": str(run_folder / f".{job.stem}.result.json")}
    spec_file = run_folder / f".{job.stem}.spec.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    result_file = Path(spec["result"])
    if stop.is_set():
        spec_file.unlink(missing_ok=True)
        return _finish(job, output, {"status": "interrupted", "error": None}, 0.0, progress)
    progress.start(job.label)
    started = time.monotonic()
    worker = pool.get()
    proc = worker.submit(spec_file)
    while not result_file.exists() and proc.poll() is None:
        if stop.is_set():
            terminate(proc)
            break
        time.sleep(0.2)
    if not result_file.exists():
        time.sleep(0.3)  # a result written just before the worker exited
    if result_file.exists():
        result = json.loads(result_file.read_text(encoding="utf-8"))
    elif stop.is_set():
        result = {"status": "interrupted", "error": None}
    else:
        tail = "".join(worker.stderr)[-1500:]
        result = {"status": "failed", "error": {"cell": None, "ename": "WorkerCrashed",
                                                "evalue": tail or f"exit {proc.returncode}"}}
    for f in (spec_file, result_file):
        f.unlink(missing_ok=True)
    return _finish(job, output, result, time.monotonic() - started, progress)


def _finish(job: Job, output: Path, result: dict[str, Any], seconds: float,
            progress: Progress) -> dict[str, Any]:
    run_folder = output.parent
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


def terminate(proc: subprocess.Popen) -> None:
    """Stop a worker: SIGTERM (its kernel is shut down), then SIGKILL its group."""
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
