"""The Dask task of a report or briefings run: execute one notebook, return its files.

:func:`run_task` runs on a Dask worker (a long-lived process: papermill and nbconvert
are imported once, by :class:`WarmUp`). It writes the notebook into a temporary folder
of its own, executes it there with papermill in a fresh kernel, forked from the
worker's warm zygote on Linux (:mod:`analysis.forkkernel`: no imports or data loading
per notebook), the kernel's temporary files and sockets in that folder too, runs every
exporter of
:data:`analysis.exporters.EXPORTERS`, and returns the executed notebook and every output
file as bytes, so the client needs no filesystem shared with the workers. The folder is
removed however the run ends.

On an embedded cluster (no ``--scheduler``) each worker process also watches the runner
that started it (:class:`WarmUp` with ``watch_parent``): when the runner dies, even by
SIGKILL, the worker kills its kernels and exits.

>>> sorted(files_of(Path("/nonexistent")))
[]
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

START_TOPIC = "dnr-task-start"  # event each task logs when it starts (seen by the client)
_RUN_LOCK = threading.Lock()  # os.environ is patched for the kernel: one run at a time


def _kernel_config(socket_dir: Path | None) -> Any:
    """traitlets config: kernels forked from the worker's zygote where possible
    (:mod:`analysis.forkkernel`), talking over IPC sockets in ``socket_dir``."""
    from traitlets.config import Config

    from .forkkernel import can_fork

    cfg = Config()
    if can_fork():  # kernels forked from this worker's warm zygote (analysis.forkkernel)
        cfg.NotebookClient.kernel_manager_class = "analysis.forkkernel.ForkKernelManager"
    if socket_dir is not None:
        # a private socket folder per notebook: two kernels must never share IPC paths
        cfg.KernelManager.transport = "ipc"
        cfg.KernelManager.ip = str(socket_dir / "k")
    return cfg


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Execute per ``spec`` (input, output, parameters, cwd, timeout, show_code,
    export_dir, site); return the result record (status, error, exports, duration)."""
    import papermill as pm

    from .exporters import ExportOptions, export_all

    started = time.monotonic()
    out = Path(spec["output"])
    result: dict[str, Any] = {"status": "ok", "error": None}
    socket_dir = None if sys.platform == "win32" else Path(tempfile.mkdtemp(prefix="k-"))
    try:
        pm.execute_notebook(
            spec["input"], str(out), parameters=spec["parameters"], kernel_name="python3",
            cwd=spec["cwd"], execution_timeout=spec.get("timeout"), progress_bar=False,
            log_output=False, request_save_on_cell_execute=False,
            config=_kernel_config(socket_dir),
        )
    except pm.PapermillExecutionError as exc:
        result = {"status": "failed", "error": {"cell": exc.exec_count, "ename": exc.ename,
                                                "evalue": str(exc.evalue)[:2000]}}
    except Exception as exc:  # noqa: BLE001 - a dead kernel, a timeout, a bad notebook
        name = type(exc).__name__
        if "Timeout" in name:
            name = "CellTimeoutError"
        result = {"status": "failed", "error": {"cell": None, "ename": name,
                                                "evalue": str(exc)[:2000]}}
    finally:
        if socket_dir is not None:
            shutil.rmtree(socket_dir, ignore_errors=True)
    if out.exists():
        options = ExportOptions(stem=out.stem, show_code=bool(spec.get("show_code")),
                                site=spec.get("site"))
        try:
            result.update(export_all(out, Path(spec.get("export_dir") or out.parent), options))
        except Exception as exc:  # noqa: BLE001 - an unreadable executed notebook
            result.setdefault("export_error", str(exc)[:500])
    result["duration_s"] = round(time.monotonic() - started, 2)
    return result


def files_of(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` (hidden temporary files excepted), by path
    relative to it, with its bytes."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def run_task(spec: dict[str, Any]) -> dict[str, Any]:
    """Dask task: execute the notebook of ``spec`` in a temporary folder on this worker.

    ``spec``: ``stem``, ``notebook`` (the .ipynb bytes), ``cwd`` (used when it exists
    here, else the temporary folder), ``parameters`` (``output_dir`` is set here),
    ``timeout``, ``show_code``, ``site`` (the page's place in the report site), ``key``.
    Returns ``{"result": record, "files": {relative
    path: bytes}}``: ``<stem>.ipynb``, the exports (``<stem>.html``) and what the
    notebook wrote into ``<stem>/``. Never raises for a failing notebook.

    Example: ``client.submit(run_task, spec, retries=1)``.
    """
    _log_start(spec.get("key", spec["stem"]))
    with _RUN_LOCK:
        tmp = Path(tempfile.mkdtemp(prefix="dnr-task-"))
        saved = {k: os.environ.get(k) for k in ("TMPDIR", "TEMP", "TMP", "JUPYTER_RUNTIME_DIR")}
        try:
            out = tmp / "out"
            (out / spec["stem"]).mkdir(parents=True)
            kernel_tmp = tmp / "t"
            (kernel_tmp / "runtime").mkdir(parents=True)
            # the kernel inherits these: its temporary files land in this task's folder
            os.environ.update(TMPDIR=str(kernel_tmp), TEMP=str(kernel_tmp),
                              TMP=str(kernel_tmp),
                              JUPYTER_RUNTIME_DIR=str(kernel_tmp / "runtime"))
            source = tmp / f"{spec['stem']}.input.ipynb"
            source.write_bytes(spec["notebook"])
            cwd = spec.get("cwd")
            params = {**spec["parameters"], "output_dir": str(out / spec["stem"])}
            result = run({"input": str(source), "output": str(out / f"{spec['stem']}.ipynb"),
                          "parameters": params, "export_dir": str(out),
                          "cwd": cwd if cwd and Path(cwd).is_dir() else str(tmp),
                          "timeout": spec.get("timeout"), "show_code": spec.get("show_code"),
                          "site": spec.get("site")})
            result["worker"] = _worker_name()
            return {"result": result, "files": files_of(out)}
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            shutil.rmtree(tmp, ignore_errors=True)


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


def _log_start(key: str) -> None:
    """Tell the client (a Dask event) that ``key`` started here: a second start means the
    first worker was lost and the task was retried."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return
    worker.log_event(START_TOPIC, {"key": key, "worker": worker.address, "pid": os.getpid()})


# --- worker processes -------------------------------------------------------------------
def _children() -> list[int]:
    """The pids of this process's children (Linux /proc; [] elsewhere)."""
    pids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{os.getpid()}/task"):
            with open(f"/proc/{os.getpid()}/task/{task}/children", encoding="ascii") as fh:
                pids += [int(p) for p in fh.read().split()]
    except OSError:
        pass
    return pids


def kill_kernels() -> int:
    """SIGKILL every kernel started by this worker process (and its process group),
    forked ones included; returns how many. Used by the client to stop the running
    notebooks at once."""
    from .forkkernel import ZYGOTE

    killed = ZYGOTE.kill_kernels()
    for pid in _children():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if b"ipykernel" not in fh.read():
                    continue
        except OSError:
            continue
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass
        killed += 1
    return killed


def watch_parent(parent: int, poll_s: float = 0.5) -> None:
    """Kill this process's kernels and exit when ``parent`` (the runner) is gone."""
    if parent <= 1:
        return

    def loop() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        kill_kernels()
        os._exit(1)

    threading.Thread(target=loop, name="watch-runner", daemon=True).start()


try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - dask is a dependency
    WorkerPlugin = object  # type: ignore[misc,assignment]


class WarmUp(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Worker plugin: import papermill and nbconvert once per worker process and start
    its kernel zygote (:mod:`analysis.forkkernel`); with ``watch_parent`` (an embedded
    cluster), stop with the runner (:func:`watch_parent`)."""

    name = "dnr-warm-up"

    def __init__(self, watch_parent: bool = False) -> None:
        self.watch = watch_parent

    def setup(self, worker: Any) -> None:
        import nbconvert  # noqa: F401
        import papermill  # noqa: F401

        from .forkkernel import ZYGOTE, can_fork

        if self.watch:  # an embedded cluster: the worker's stderr is the runner's terminal
            _quiet_stderr()
            if sys.platform.startswith("linux"):
                watch_parent(os.getppid())
        if can_fork():  # imports and loads the data while the first tasks are sent
            ZYGOTE.start()


def _quiet_stderr() -> None:
    """Send this worker's stderr (and so its kernels' log lines, e.g. ``[IPKernelApp]
    ERROR | KeyboardInterrupt caught in kernel`` at shutdown) to a file in its temporary
    folder (the run's, removed when the run ends): failures reach the run through the
    task results, not through stderr."""
    try:
        fd = os.open(os.path.join(tempfile.gettempdir(), f"worker-{os.getpid()}.log"),
                     os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
    except OSError:
        pass
