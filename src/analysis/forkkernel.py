"""Kernels forked from a warm process: a notebook run does not pay for its imports.

A briefing executed in a fresh kernel spends most of its time before its first line of
analysis: starting Python and ipykernel, importing pandas, matplotlib, seaborn and this
package, reading and checking the bundled data. The runners of ``report`` and
``briefings`` (:mod:`analysis.worker`) make that cost once per worker process instead of
once per notebook: each worker keeps a **zygote**, a single-threaded Python process that
imported those libraries (:data:`PRELOAD`) and loaded the bundled tables
(:func:`preload`), and forks it for every kernel.

The forked process is an ordinary ipykernel (``IPKernelApp`` on the connection file that
jupyter_client wrote), in a session and process group of its own, with the environment
and working directory the kernel manager asked for and a fresh temporary folder. The
notebook's namespace is empty as in any new kernel: only the module cache is warm, and
the data caches of :mod:`analysis.bundle` and :mod:`analysis.data`, which are keyed on
each file's size and modification time, so a file changed since the zygote loaded it is
read again. Outputs are the same as with a normally started kernel (the tests compare
them).

Use it through nbclient's configuration (papermill passes ``config`` on)::

    cfg.NotebookClient.kernel_manager_class = "analysis.forkkernel.ForkKernelManager"

Anything unusual falls back to jupyter_client's normal launch, with a warning on the
logger ``analysis.forkkernel``: a kernelspec that is not ipykernel's, a platform other
than Linux (``fork`` after importing macOS frameworks is unsafe), a zygote that failed to
start or died. :data:`ENV_SWITCH` (``DNR_FORK_KERNELS=0``) turns forking off.

The zygote ends when its worker does (end of file on its control pipe) and takes its
kernels with it (SIGKILL to each kernel's process group).

>>> can_fork() == sys.platform.startswith("linux")
True
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

log = logging.getLogger(__name__)

#: set to 0 to start every kernel the usual way
ENV_SWITCH = "DNR_FORK_KERNELS"
#: seconds the first kernel waits for the zygote to finish its imports
READY_TIMEOUT_S = 180.0
#: modules the zygote imports: what the notebooks and ipykernel import on start
PRELOAD: tuple[str, ...] = (
    "numpy", "pandas", "pyarrow", "pyarrow.parquet", "matplotlib", "matplotlib.pyplot",
    "seaborn", "networkx", "jinja2", "IPython", "IPython.display", "ipykernel.kernelapp",
    "ipykernel.ipkernel", "analysis.briefing", "analysis.briefing_plots",
    "analysis.bundle", "analysis.coincidence", "analysis.evaluation_plots",
    "analysis.evaluations", "analysis.labels", "analysis.nbparams", "analysis.network",
    "analysis.network_plots", "analysis.outputs", "analysis.overview",
    "analysis.overview_plots", "analysis.present", "analysis.style",
    "analysis.textdiff", "analysis.unga", "analysis.unga_plots",
)
_INLINE = "module://matplotlib_inline.backend_inline"  # the backend ipykernel sets


def can_fork() -> bool:
    """Whether kernels may be forked here: Linux, and not switched off by
    ``DNR_FORK_KERNELS=0``."""
    return sys.platform.startswith("linux") and os.environ.get(ENV_SWITCH, "1") != "0"


def preload(modules: Sequence[str] = PRELOAD) -> list[str]:
    """Import ``modules`` and load the bundled tables and votes into the process caches;
    return the modules that could not be imported (a kernel imports those itself).

    Creates no thread, figure or event loop: the process must stay safe to fork.

    >>> preload(["json", "no_such_module_here"])
    ['no_such_module_here']
    """
    missing = []
    os.environ.setdefault("MPLBACKEND", _INLINE)  # as ipykernel does, before matplotlib
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if "analysis.bundle" in modules and "analysis.bundle" not in missing:
        from .bundle import load_bundle
        from .data import LOADERS
        from .errors import DataError

        bundle = load_bundle()
        try:
            for name in LOADERS:
                bundle.table(name)
            _ = bundle.votes, bundle.participants
        except (DataError, OSError) as exc:  # the kernels load and report it themselves
            print(f"zygote: the bundle was not preloaded: {exc}", file=sys.stderr)
    return missing


# --- the zygote process ---------------------------------------------------------------
def _send(out: Any, message: dict[str, Any]) -> None:
    out.write(json.dumps(message).encode() + b"\n")
    out.flush()


def serve() -> int:
    """The zygote's main loop (``python -m analysis.forkkernel``): preload, say so, then
    fork one kernel per request line ``{"argv", "env", "cwd"}`` read on stdin, answering
    ``{"pid": N}``; at end of input kill the kernels and return 0."""
    control = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed while importing goes to stderr, not the pipe
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system
    started = time.perf_counter()
    missing = preload()
    _send(control, {"ready": True, "seconds": round(time.perf_counter() - started, 2),
                    "missing": missing, "threads": threading.active_count()})
    kernels: list[int] = []
    for line in sys.stdin.buffer:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            control.close()
            _run_kernel(request)  # never returns
        kernels.append(pid)
        _send(control, {"pid": pid})
    for pid in kernels:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass  # ended already
    return 0


def _run_kernel(request: dict[str, Any]) -> None:
    """In the forked child: become the kernel of ``request`` and exit with its status."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        env = dict(request["env"])
        env["JPY_PARENT_PID"] = str(os.getppid())  # ipykernel exits when the zygote does
        os.environ.clear()
        os.environ.update(env)
        import tempfile

        tempfile.tempdir = None  # the task's TMPDIR, not the zygote's
        if env.get("MPLBACKEND", _INLINE) != _INLINE and "matplotlib" in sys.modules:
            sys.modules["matplotlib"].rcParams["backend"] = env["MPLBACKEND"]
        os.chdir(request["cwd"])
        sys.argv = [sys.executable, "-m", "ipykernel_launcher", *request["argv"]]
        from ipykernel import kernelapp

        # the trait's default was read from the zygote's environment at import time
        parent = f"--IPKernelApp.parent_handle={os.getppid()}"
        kernelapp.launch_new_instance(argv=[*request["argv"], parent])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - reported on stderr, the kernel dies
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


# --- the worker's side ----------------------------------------------------------------
class ZygoteError(RuntimeError):
    """The zygote could not start a kernel (the caller launches one the usual way)."""


class Zygote:
    """The worker's handle on its zygote process: started on first use (or by
    :meth:`start`), restarted when it died.

    >>> z = Zygote()
    >>> z.alive()
    False
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._ready = False
        self._lock = threading.Lock()
        self.info: dict[str, Any] = {}
        self.kernels: list[int] = []  # pids of the kernels forked for this process

    def alive(self) -> bool:
        """Whether the zygote process is running."""
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start the zygote (it imports in the background) unless it runs already."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        if self.alive():
            return
        self.close()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "analysis.forkkernel"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE)
        self._buffer, self._ready = b"", False

    def spawn(self, argv: Sequence[str], env: dict[str, str], cwd: str) -> int:
        """Fork a kernel running ipykernel with ``argv`` (``-f CONNECTION_FILE``);
        return its pid. Raises :class:`ZygoteError` if the zygote cannot."""
        with self._lock:
            for attempt in (1, 2):  # a zygote that died since its last kernel: once more
                try:
                    self._start()
                    assert self._proc is not None and self._proc.stdin is not None
                    if not self._ready:
                        self.info = self._read(READY_TIMEOUT_S)
                        self._ready = True
                    _send(self._proc.stdin, {"argv": list(argv), "env": env, "cwd": cwd})
                    pid = int(self._read(30.0)["pid"])
                    self.kernels = [*self.kernels[-63:], pid]
                    return pid
                except (OSError, ValueError, KeyError, TimeoutError, AssertionError) as exc:
                    self.close()
                    if attempt == 2 or isinstance(exc, TimeoutError):
                        raise ZygoteError(f"the kernel zygote failed: {exc}") from exc
            raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, timeout: float) -> dict[str, Any]:
        """The next JSON line from the zygote, waiting at most ``timeout`` seconds."""
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError(f"no answer within {timeout:g} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise OSError(f"the zygote ended (exit {self._proc.wait()})")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def kill_kernels(self) -> int:
        """SIGKILL the process group of every kernel forked for this process that still
        runs; returns how many."""
        killed = 0
        for pid in self.kernels:
            try:
                os.killpg(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass  # ended already
        self.kernels = []
        return killed

    def close(self) -> None:
        """Stop the zygote (its kernels are killed with it)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


ZYGOTE = Zygote()  # one per worker process


class ForkedKernel:
    """The part of :class:`subprocess.Popen` that jupyter_client uses, for a kernel
    forked by the zygote (not a child of this process: ``poll`` watches it through a
    pidfd where Linux has one, else by signal 0)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._pidfd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._pidfd = None

    def poll(self) -> int | None:
        """None while the kernel runs; its end is seen, not its exit status (-1)."""
        if self.returncode is None:
            if self._pidfd is not None:
                ended = bool(select.select([self._pidfd], [], [], 0)[0])
            else:
                try:
                    os.kill(self.pid, 0)
                    ended = False
                except ProcessLookupError:
                    ended = True
                except PermissionError:  # pragma: no cover - the pid went to another user
                    ended = True
            if ended:
                self.returncode = -1
                self._close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return int(self.returncode or 0)

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _close(self) -> None:
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None


class ForkProvisioner(LocalProvisioner):  # type: ignore[misc]
    """LocalProvisioner whose ipykernel kernels are forked from :data:`ZYGOTE`."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        argv = _ipykernel_argv(cmd)
        if argv is None or not can_fork():
            return await super().launch_kernel(cmd, **kwargs)
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid = ZYGOTE.spawn(argv, env, cwd)
        except ZygoteError as exc:
            log.warning("%s; starting the kernel the usual way", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


def _ipykernel_argv(cmd: Sequence[str]) -> list[str] | None:
    """The arguments after ``-m ipykernel_launcher`` (or ``-m ipykernel``) of a kernel
    command run by this Python; None for any other command.

    >>> _ipykernel_argv([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    ['-f', 'k.json']
    >>> _ipykernel_argv(["/usr/bin/R", "--slave"]) is None
    True
    """
    if len(cmd) < 3 or cmd[1] != "-m" or cmd[2] not in ("ipykernel_launcher", "ipykernel"):
        return None
    same = cmd[0] in ("python", "python3", sys.executable) or \
        os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
    return list(cmd[3:]) if same else None


class ForkKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """AsyncKernelManager whose kernels come from the zygote (:class:`ForkProvisioner`)."""

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        if self.provisioner is None:
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id,
                                               kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    sys.exit(serve())
