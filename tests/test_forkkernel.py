"""Kernels forked from a warm zygote (analysis.forkkernel): the same outputs as a kernel
started the usual way, the kernel's own environment, working folder and temporary
folder, a kernel that dies with its zygote, and the fallback when forking is off or the
zygote is gone. Also the in-process table cache the zygote hands to its kernels."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import data, forkkernel, votes_cache
from analysis.forkkernel import ForkedKernel, Zygote, _ipykernel_argv, can_fork

ROOT = Path(__file__).resolve().parents[1]
BRIEFING = ROOT / "notebooks" / "04_country_briefing.ipynb"
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


# --- fast ---------------------------------------------------------------------------------
def test_only_ipykernel_commands_of_this_python_are_forked() -> None:
    py = sys.executable
    assert _ipykernel_argv([py, "-m", "ipykernel_launcher", "-f", "c.json"]) == ["-f", "c.json"]
    assert _ipykernel_argv(["python3", "-m", "ipykernel", "-f", "c.json"]) == ["-f", "c.json"]
    assert _ipykernel_argv(["/opt/other/python", "-m", "ipykernel_launcher", "-f", "c"]) is None
    assert _ipykernel_argv([py, "-m", "irkernel", "-f", "c.json"]) is None
    assert _ipykernel_argv(["R", "--slave"]) is None


def test_forking_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(forkkernel.ENV_SWITCH, "0")
    assert not can_fork()
    monkeypatch.setenv(forkkernel.ENV_SWITCH, "1")
    assert can_fork() == sys.platform.startswith("linux")


def test_preload_reports_what_it_could_not_import() -> None:
    assert forkkernel.preload(["json", "analysis.labels", "no_such_module_xyz"]) == [
        "no_such_module_xyz"]


def test_preload_survives_bad_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A zygote whose bundle does not load still serves: each kernel then loads the data
    and reports the problem in its notebook, as it would without a zygote."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    (folder / "unga" / "families.csv").write_text("family\n", encoding="utf-8")
    monkeypatch.setenv(data.ENV_VAR, str(folder))
    assert forkkernel.preload(["analysis.bundle"]) == []
    err = capsys.readouterr().err
    assert "zygote: the bundle was not preloaded" in err and "families.csv" in err


def test_table_cache_keeps_a_checked_table_until_its_file_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    monkeypatch.setattr(votes_cache, "RACY_NS", 0)  # the copies count as settled
    first = data.load_table("families", folder)
    calls = []
    real = data._read_typed
    monkeypatch.setattr(data, "_read_typed", lambda *a: calls.append(a) or real(*a))
    again = data.load_table("families", folder)
    assert calls == [] and again.equals(first) and again is not first
    again.loc[again.index[0], "family"] = "changed here"  # a caller's change stays its own
    assert data.load_table("families", folder).equals(first)
    file = folder / "unga" / "families.csv"
    file.write_text(file.read_text(encoding="utf-8").replace("\n", "\n", 1), encoding="utf-8")
    os.utime(file, ns=(time.time_ns(), time.time_ns()))
    data.load_table("families", folder)
    assert len(calls) == 1  # a touched file is read and checked again


def test_table_cache_never_keeps_a_file_changed_in_the_last_seconds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)  # just written: within RACY_NS
    calls = []
    real = data._read_typed
    monkeypatch.setattr(data, "_read_typed", lambda *a: calls.append(a) or real(*a))
    data.load_table("families", folder)
    data.load_table("families", folder)
    assert len(calls) == 2


def test_file_identity_is_none_for_missing_or_fresh_files(tmp_path: Path) -> None:
    fresh = tmp_path / "x.csv"
    fresh.write_text("a\n", encoding="utf-8")
    assert votes_cache.file_identity([fresh]) is None
    assert votes_cache.file_identity([tmp_path / "missing.csv"]) is None
    settled = votes_cache.file_identity([ROOT / "pyproject.toml"])
    if settled is not None:  # a checkout older than two seconds
        assert len(settled) == 1 and settled[0][2] == (ROOT / "pyproject.toml").stat().st_size


# --- slow: real kernels ---------------------------------------------------------------------
PROBE = [
    "import sys\nwarm = sorted(m for m in ('pandas', 'matplotlib.pyplot', 'analysis.briefing')"
    " if m in sys.modules)\nprint(warm)",
    "import os, tempfile\nprint(os.environ.get('DNR_PROBE'), os.getcwd(), tempfile.gettempdir())",
    "import os\nprint(os.getppid(), os.getpid(), os.getpgid(0) == os.getpid())",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1))\nax.plot([1, 3, 2]);",
    "import pandas as pd\npd.DataFrame({'a': [1, 2]})",
]


def _notebook(path: Path, cells: list[str]) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def _execute(src: Path, out: Path, cwd: Path, fork: bool, timeout: int | None = None,
             parameters: dict | None = None) -> dict:
    import papermill as pm
    from traitlets.config import Config

    cfg = Config()
    if fork:
        cfg.NotebookClient.kernel_manager_class = "analysis.forkkernel.ForkKernelManager"
    pm.execute_notebook(str(src), str(out), cwd=str(cwd), kernel_name="python3",
                        progress_bar=False, log_output=False, config=cfg,
                        execution_timeout=timeout, parameters=parameters or {})
    return json.loads(out.read_text(encoding="utf-8"))


def _texts(nb: dict) -> list[str]:
    return ["".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
            if o.get("output_type") == "stream"]


def _outputs(nb: dict) -> list[list[dict]]:
    return [[{k: v for k, v in o.items() if k != "execution_count"} for o in c["outputs"]]
            for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.fixture
def zygote(monkeypatch: pytest.MonkeyPatch) -> Zygote:
    """This process's zygote, forking switched on; its kernels killed afterwards."""
    monkeypatch.setenv(forkkernel.ENV_SWITCH, "1")
    z = forkkernel.ZYGOTE
    yield z
    z.kill_kernels()


@pytest.mark.slow
@LINUX
def test_forked_kernel_is_warm_and_has_its_own_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zygote: Zygote) -> None:
    monkeypatch.setenv("DNR_PROBE", "set-after-the-zygote-started")
    zygote.start()
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    work = tmp_path / "cwd"
    work.mkdir()
    nb = _execute(_notebook(tmp_path / "p.ipynb", PROBE), tmp_path / "o.ipynb", work, True)
    warm, env, pids = _texts(nb)[:3]
    assert warm.strip() == "['analysis.briefing', 'matplotlib.pyplot', 'pandas']"
    assert env.split() == ["set-after-the-zygote-started", str(work), str(tmp_path)]
    ppid, pid, leader = pids.split()
    assert int(ppid) == zygote._proc.pid and int(pid) != zygote._proc.pid
    assert leader == "True"  # its own process group: the kernel manager signals it
    plain = _execute(tmp_path / "p.ipynb", tmp_path / "q.ipynb", work, False)
    assert _texts(plain)[0].strip() == "[]"  # a kernel started the usual way imports
    assert int(_texts(plain)[2].split()[0]) == os.getpid()
    assert _outputs(nb)[3:] == _outputs(plain)[3:]  # the same figure, the same table


@pytest.mark.slow
@LINUX
def test_briefing_in_a_forked_kernel_equals_a_usual_kernel(tmp_path: Path,
                                                           zygote: Zygote) -> None:
    """The real notebook 04 on the bundled data, Egypt in Japanese: identical outputs."""
    runs = {}
    for fork in (True, False):
        out = tmp_path / ("fork" if fork else "plain")
        nb = _execute(BRIEFING, tmp_path / f"{out.name}.ipynb", BRIEFING.parent, fork,
                      parameters={"country": "EGY", "lang": "ja", "output_dir": str(out)})
        text = json.dumps(_outputs(nb), sort_keys=True, ensure_ascii=False).replace(
            str(out), "OUT")
        runs[fork] = (text, sorted(p.name for p in out.iterdir()))
    assert runs[True] == runs[False]
    assert "エジプト" in runs[True][0]


@pytest.mark.slow
@LINUX
def test_timeout_kills_the_forked_kernel(tmp_path: Path, zygote: Zygote) -> None:
    import papermill as pm

    src = _notebook(tmp_path / "s.ipynb",
                    ["import os\nprint(os.getpid(), flush=True)", "import time\ntime.sleep(120)"])
    started = time.monotonic()
    with pytest.raises(Exception) as err:  # nbclient's CellTimeoutError, through papermill
        _execute(src, tmp_path / "o.ipynb", tmp_path, True, timeout=3)
    assert "Timeout" in type(err.value).__name__ or isinstance(err.value, pm.PapermillException)
    assert time.monotonic() - started < 60
    pid = int(_texts(json.loads((tmp_path / "o.ipynb").read_text()))[0])
    deadline = time.monotonic() + 15
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists()


@pytest.mark.slow
@LINUX
def test_kernels_end_with_their_zygote(tmp_path: Path) -> None:
    from jupyter_client.connect import write_connection_file

    z = Zygote()
    try:
        cf, _ = write_connection_file(str(tmp_path / "k.json"))
        pid = z.spawn(["-f", cf], dict(os.environ), str(tmp_path))
        kernel = ForkedKernel(pid)
        assert kernel.poll() is None
        z.close()
        deadline = time.monotonic() + 15
        while kernel.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert kernel.poll() == -1
    finally:
        z.close()


@pytest.mark.slow
@LINUX
def test_a_dead_zygote_is_restarted_and_forking_off_starts_kernels_as_usual(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zygote: Zygote) -> None:
    src = _notebook(tmp_path / "p.ipynb", ["import os\nprint(os.getppid())"])
    zygote.start()
    first = zygote._proc.pid
    os.kill(first, signal.SIGKILL)
    nb = _execute(src, tmp_path / "a.ipynb", tmp_path, True)
    assert int(_texts(nb)[0]) == zygote._proc.pid != first
    monkeypatch.setenv(forkkernel.ENV_SWITCH, "0")
    nb = _execute(src, tmp_path / "b.ipynb", tmp_path, True)
    assert int(_texts(nb)[0]) == os.getpid()


@pytest.mark.slow
@LINUX
def test_forked_kernel_polls_like_popen() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        kernel = ForkedKernel(proc.pid)
        assert kernel.poll() is None
        kernel.kill()
        proc.wait(timeout=10)  # reaped by its parent, as the zygote's children are
        assert kernel.wait(timeout=10) == -1 and kernel.poll() == -1
    finally:
        proc.kill()
        proc.wait()
