"""Execute one notebook with papermill and export it (run in a subprocess).

The report runner starts one worker process per notebook, so a crashed or hung
kernel never takes the runner down, and Ctrl-C/SIGTERM can stop every kernel by
terminating the workers' process groups.

Usage (internal): ``python -m analysis.worker SPEC.json`` for one notebook, or
``python -m analysis.worker --serve`` reading spec-file paths from stdin (the report
runner keeps one such worker per parallel job). A spec holds input, output, parameters,
cwd, timeout, show_code and the path of the result file the worker writes. After the run,
every format of :data:`analysis.exporters.EXPORTERS` is written beside the output.

A worker watches the runner that started it (:func:`watch_parent`): when the runner dies,
even by SIGKILL, which it cannot catch, the worker stops as on SIGTERM (its kernel is
shut down; each kernel also watches its worker) and, if that takes longer than a few
seconds, kills its children and exits.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any


def _kernel_config(socket_dir: Path | None) -> Any:
    """traitlets config: kernels talk over IPC sockets in ``socket_dir`` where possible."""
    from traitlets.config import Config

    cfg = Config()
    if socket_dir is not None:
        # a private socket folder per notebook: two kernels must never share IPC paths
        cfg.KernelManager.transport = "ipc"
        cfg.KernelManager.ip = str(socket_dir / "k")
    return cfg


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Execute per ``spec``; return the result record (status, error, duration)."""
    import papermill as pm

    from .exporters import ExportOptions, export_all

    started = time.monotonic()
    out = Path(spec["output"])
    result: dict[str, Any] = {"status": "ok", "error": None}
    # the kernel's sockets live in a folder of their own, removed however the run ends
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
        if spec.get("debug"):
            traceback.print_exc()
    finally:
        if socket_dir is not None:
            shutil.rmtree(socket_dir, ignore_errors=True)
    if out.exists():
        # every registered output format (analysis.exporters.EXPORTERS)
        options = ExportOptions(stem=out.stem, show_code=bool(spec.get("show_code")),
                                site=spec.get("site"))
        try:
            result.update(export_all(out, Path(spec.get("export_dir") or out.parent), options))
        except Exception as exc:  # noqa: BLE001 - an unreadable executed notebook
            result.setdefault("export_error", str(exc)[:500])
    result["duration_s"] = round(time.monotonic() - started, 2)
    return result


def _write_result(spec: dict[str, Any], result: dict[str, Any]) -> None:
    path = Path(spec["result"])
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    tmp.replace(path)


def serve() -> int:
    """Execute spec files named one per line on stdin until stdin closes.

    A long-lived worker saves the Python start-up and the papermill/nbconvert imports
    for every notebook after the first; each notebook still gets a fresh kernel.
    """
    import nbconvert  # noqa: F401  (warm the imports while the runner plans)
    import papermill  # noqa: F401

    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        try:
            result = run(spec)
        except KeyboardInterrupt:
            _write_result(spec, {"status": "interrupted", "error": None})
            return 1
        _write_result(spec, result)
        print("done", flush=True)
    return 0


PARENT_POLL_S = 0.5
PARENT_GRACE_S = 5.0


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


def _kill_children() -> None:
    """SIGKILL every child and its process group (a kernel leads a session of its own)."""
    for pid in _children():
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass


def watch_parent(poll_s: float = PARENT_POLL_S, grace_s: float = PARENT_GRACE_S) -> None:
    """Stop this worker when the process that started it is gone (its parent changes).

    First as on SIGTERM (the running notebook is interrupted, its kernel shut down), then,
    after ``grace_s`` seconds, by killing the children and exiting at once.
    """
    parent = os.getppid()
    if parent <= 1:  # started by init: nothing to watch
        return

    def loop() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        except OSError:  # pragma: no cover
            pass
        time.sleep(grace_s)
        _kill_children()
        os._exit(1)

    threading.Thread(target=loop, name="watch-parent", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the worker process: ``--serve`` or one spec file."""
    argv = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    watch_parent()
    if argv[:1] == ["--serve"]:
        try:
            return serve()
        except KeyboardInterrupt:
            return 1
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    try:
        result = run(spec)
    except KeyboardInterrupt:
        result = {"status": "interrupted", "error": None}
    _write_result(spec, result)
    return 0 if result["status"] == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
