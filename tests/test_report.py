"""Integration tests of the report runner with tiny notebooks of the test suite's own.

Every test that runs the report starts worker processes and kernels: marked slow. Tests
that need a notebook to be busy do not sleep: the notebook writes ``<started_dir>/<stem>``
when it starts, then blocks until ``release_file`` exists (or a deadline passes), and the
test waits for the started file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest

from analysis import cli, report, report_publish
from analysis.report_config import UsageError, coerce_cli_value, load_config

slow = pytest.mark.slow

PARAMS = '''lang = "en"  # one of: en, ja
start_year: int | None = None  # range: 1946..2100
end_year: int | None = None  # not before start_year
title = "Votes"
should_fail = False
sleep_s = 0.0
items = ["USA", "CHN"]
kill_kernel = False
load_data = False
started_dir = ""
release_file = ""
output_dir = "output"
'''

BODY = '''import json, time, pathlib
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
out = pathlib.Path(output_dir); out.mkdir(parents=True, exist_ok=True)
if started_dir:
    import os
    (pathlib.Path(started_dir) / "{stem}").write_text(f"{os.getpid()} {os.getppid()}")
if release_file:
    deadline = time.monotonic() + 240
    while not pathlib.Path(release_file).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
time.sleep(sleep_s)
if kill_kernel:
    import os, signal
    os.kill(os.getpid(), signal.SIGKILL)
if load_data:
    from analysis import data
    data.load_families()
if should_fail:
    raise RuntimeError("deliberate failure")
df = pd.DataFrame({"title": [title], "lang": [lang], "n": [len(items)]})
display(df)
fig, ax = plt.subplots(figsize=(2, 2)); ax.plot([1, 2], [1, 3]); fig.savefig(out / "fig.png")
(out / "{stem}.json").write_text(json.dumps({"lang": lang, "title": title, "items": items}))
'''


def _notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    p = nbformat.v4.new_code_cell(PARAMS)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# test"), p,
                nbformat.v4.new_code_cell(BODY.replace("{stem}", path.stem))]
    nbformat.write(nb, str(path))


@pytest.fixture()
def suite(tmp_path: Path) -> dict[str, Path]:
    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    for name in ("01_alpha", "02_beta"):
        _notebook(nb_dir / f"{name}.ipynb")
    cfg = tmp_path / "reports.yml"
    cfg.write_text("runs:\n  en:\n    parameters: {lang: en}\n", encoding="utf-8")
    return {"nbs": nb_dir, "cfg": cfg, "out": tmp_path / "reports"}


def _run(suite: dict[str, Path], *extra: str, env: dict | None = None,
         wait: bool = True) -> subprocess.CompletedProcess | subprocess.Popen:
    cmd = [sys.executable, "-m", "analysis", "report", "--config", str(suite["cfg"]),
           "--notebooks", str(suite["nbs"]), "--out", str(suite["out"]), "--jobs", "2",
           *extra]
    if not wait:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)


def _cli(suite: dict[str, Path], *extra: str, out: Path | None = None) -> int:
    """The report command in this process, for the checks made before any worker starts."""
    return cli.main(["report", "--config", str(suite["cfg"]), "--notebooks", str(suite["nbs"]),
                     "--out", str(out or suite["out"]), "--jobs", "2", *extra])


@pytest.fixture()
def fresh_tmpdir() -> Iterator[Path]:
    """An empty folder to serve as TMPDIR of a report run (short: kernel sockets live there)."""
    folder = Path(tempfile.mkdtemp(prefix="dnt-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    """Return as soon as ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _record(out: Path, run_id: str | None = None) -> dict:
    runs = sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink())
    folder = out / run_id if run_id else runs[-1]
    return json.loads((folder / "run.json").read_text(encoding="utf-8"))


@slow
def test_success_publishes_latest_with_all_outputs(suite):
    res = _run(suite, "-p", "title", "<script>alert(1)</script>")
    assert res.returncode == 0, res.stderr
    latest = suite["out"] / "latest"
    assert latest.is_symlink()
    rec = json.loads((latest / "run.json").read_text(encoding="utf-8"))
    assert rec["status"] == "ok"
    assert [n["notebook"] for n in rec["notebooks"]] == ["01_alpha", "02_beta"]
    assert all(n["duration_s"] > 0 for n in rec["notebooks"])
    assert "pandas" in rec["versions"] and rec["data_checksums"]
    for stem in ("01_alpha", "02_beta"):
        assert (latest / "en" / f"{stem}.ipynb").exists()
        html = (latest / "en" / f"{stem}.html").read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        data = json.loads((latest / "en" / stem / f"{stem}.json").read_text())
        assert data["title"] == "<script>alert(1)</script>"
        assert (latest / "en" / stem / "fig.png").exists()
    # the run opens on its front page; parameters are shown (escaped) in the run log
    assert 'href="en/index.html"' in (latest / "index.html").read_text(encoding="utf-8")
    front = (latest / "en" / "index.html").read_text(encoding="utf-8")
    assert 'src="01_alpha/fig.png"' in front and 'href="02_beta.html"' in front
    log = (latest / "en" / "log.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in log and "<script>alert" not in log
    # code is hidden by default
    assert "deliberate failure" not in (latest / "en" / "01_alpha.html").read_text()


@slow
def test_show_code_keeps_code(suite):
    res = _run(suite, "--only", "01", "--show-code")
    assert res.returncode == 0, res.stderr
    assert "deliberate failure" in (suite["out"] / "latest" / "en" / "01_alpha.html").read_text()


@slow
def test_failing_cell_keeps_latest_and_error_notebook(suite):
    assert _run(suite).returncode == 0
    good = os.readlink(suite["out"] / "latest")
    res = _run(suite, "-p", "should_fail", "True", "--only", "02")
    assert res.returncode == 1
    assert "left unchanged" in res.stderr and "deliberate failure" in res.stderr
    assert os.readlink(suite["out"] / "latest") == good
    rec = _record(suite["out"])
    assert rec["status"] == "failed"
    failed = rec["notebooks"][0]
    assert failed["error"]["ename"] == "RuntimeError"
    run_dir = suite["out"] / rec["run_id"]
    kept = nbformat.read(str(run_dir / "en" / "02_beta.ipynb"), as_version=4)
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in kept.cells)
    assert 'href="02_beta.html"' in (run_dir / "en" / "index.html").read_text()


@pytest.mark.parametrize(("args", "needle"), [
    (["-p", "colour", "red"], "unknown parameter colour"),
    (["-p", "lang", "fr"], "parameter lang: expected one of en, ja, found 'fr'"),
    (["-p", "start_year", "soon"], "parameter start_year: expected int or None, found str"),
    (["-p", "start_year", "2010", "-p", "end_year", "2000"],
     "parameter end_year: expected a value >= start_year (2010), found 2000"),
    (["-p", "output_dir", "/tmp/x"], "parameter output_dir is set by the runner"),
    (["--only", "07"], "--only: no notebook '07'"),
])
def test_bad_parameters_stop_before_any_kernel(suite, args, needle, capsys):
    assert _cli(suite, *args) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert not suite["out"].exists() or not any(suite["out"].iterdir())


def test_bad_yaml_value_is_a_usage_error(suite, capsys):
    assert _cli(suite, "-p", "items", "[USA, CHN") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: -p value '[USA, CHN': not valid YAML") and "Traceback" not in err


@slow
def test_timeout_fails_the_run(suite):
    res = _run(suite, "-p", "sleep_s", "20", "--timeout", "2", "--only", "01")
    assert res.returncode == 1
    rec = _record(suite["out"])
    assert rec["status"] == "failed"
    assert "Timeout" in rec["notebooks"][0]["error"]["ename"]
    assert not (suite["out"] / "latest").exists()


@slow
def test_sigterm_interrupts_and_publishes_nothing(suite, tmp_path, fresh_tmpdir):
    assert _run(suite, "--only", "01").returncode == 0
    good = os.readlink(suite["out"] / "latest")
    started = tmp_path / "started"
    started.mkdir()
    # both notebooks block (no release file is ever written) until the run is stopped
    proc = _run(suite, "-p", "started_dir", str(started), "-p", "release_file",
                str(tmp_path / "never"), wait=False,
                env={**os.environ, "TMPDIR": str(fresh_tmpdir)})
    wait_for(lambda: {p.name for p in started.iterdir()} == {"01_alpha", "02_beta"},
             "both kernels to be busy")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=90)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert os.readlink(suite["out"] / "latest") == good
    rec = _record(suite["out"])
    assert rec["status"] == "interrupted"
    assert not list(fresh_tmpdir.iterdir())  # no temporary folder left by the stopped run


@slow
def test_second_concurrent_run_is_locked_out(suite, tmp_path):
    started, release = tmp_path / "started", tmp_path / "release"
    started.mkdir()
    first = _run(suite, "-p", "started_dir", str(started), "-p", "release_file", str(release),
                 "--only", "01", wait=False)
    # the notebook runs only while the first run holds the lock, and waits for the release
    wait_for(lambda: (started / "01_alpha").exists(), "the first run's notebook to start")
    second = _run(suite, "--only", "01")
    release.write_text("go")
    first.communicate(timeout=120)
    assert second.returncode == 3
    assert "another report run is writing" in second.stderr
    assert first.returncode == 0


@slow
def test_runs_leave_no_temporary_files(suite, tmp_path, fresh_tmpdir):
    """Kernel socket folders and every temporary file of workers and kernels are removed
    when a run ends, after success and after failure (interruption: the SIGTERM test)."""
    env = {**os.environ, "TMPDIR": str(fresh_tmpdir)}
    assert _run(suite, env=env).returncode == 0
    assert not list(fresh_tmpdir.iterdir())
    res = _run(suite, "-p", "should_fail", "True", env=env)
    assert res.returncode == 1, res.stderr
    assert not list(fresh_tmpdir.iterdir())
    assert not list(suite["out"].glob("*/*/.*.tmp")) and not list(suite["out"].glob("*/.*.tmp"))


@slow
def test_keep_prunes_old_runs_but_never_latest(suite):
    for _ in range(3):
        assert _run(suite, "--only", "01").returncode == 0
    latest = os.readlink(suite["out"] / "latest")
    assert _run(suite, "--only", "02", "-p", "should_fail", "True", "--keep", "1").returncode == 1
    remaining = sorted(p.name for p in suite["out"].iterdir()
                       if p.is_dir() and not p.is_symlink())
    # the newest (failed) run is kept by --keep 1, and latest's target survives too
    assert latest in remaining and len(remaining) == 2


def test_read_only_reports_folder(suite, tmp_path, capsys):
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    assert _cli(suite, out=ro / "reports") == 1
    assert "cannot write" in capsys.readouterr().err


def test_coerce_and_config_errors(tmp_path):
    assert coerce_cli_value("[a, b]") == ["a", "b"]
    bad = tmp_path / "bad.yml"
    bad.write_text("runs:\n  '../x': {}\n")
    with pytest.raises(UsageError, match="run name"):
        load_config(bad)
    with pytest.raises(UsageError, match="no such file"):
        load_config(tmp_path / "missing.yml")


@slow
def test_kernel_killed_mid_run(suite):
    assert _run(suite, "--only", "01").returncode == 0
    good = os.readlink(suite["out"] / "latest")
    res = _run(suite, "--only", "02", "-p", "kill_kernel", "True")
    assert res.returncode == 1, res.stderr
    assert "DeadKernelError" in res.stderr
    assert os.readlink(suite["out"] / "latest") == good
    assert (suite["out"] / "latest" / "index.html").exists()
    assert _record(suite["out"])["status"] == "failed"


@slow
def test_data_file_deleted_between_validation_and_execution(suite, tmp_path):
    from analysis.data import data_dir

    data_copy = tmp_path / "data"
    shutil.copytree(data_dir(), data_copy)
    env = {**os.environ, "DISARMAMENT_DATA_DIR": str(data_copy)}
    started, release = tmp_path / "started", tmp_path / "release"
    started.mkdir()
    cmd = [sys.executable, "-m", "analysis", "report", "--config", str(suite["cfg"]),
           "--notebooks", str(suite["nbs"]), "--out", str(suite["out"]), "--only", "01",
           "-p", "load_data", "True", "-p", "started_dir", str(started),
           "-p", "release_file", str(release)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    # validation done, the notebook is running and waits before it loads the data
    wait_for(lambda: (started / "01_alpha").exists(), "the notebook to start")
    (data_copy / "unga" / "families.csv").unlink()
    release.write_text("go")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "families.csv" in err and "no such file" in err
    assert not (suite["out"] / "latest").exists()


def test_invalid_data_stops_before_any_kernel(suite, tmp_path, monkeypatch, capsys):
    from analysis.data import data_dir

    data_copy = tmp_path / "data"
    shutil.copytree(data_dir(), data_copy)
    (data_copy / "unga" / "families.csv").write_text("family\n", encoding="utf-8")
    monkeypatch.setenv("DISARMAMENT_DATA_DIR", str(data_copy))
    assert _cli(suite) == 1
    err = capsys.readouterr().err
    assert "the report was not started" in err
    assert "families.csv: expected at least one data row, found a header only" in err
    assert not any(suite["out"].glob("*/run.json"))


@slow
def test_disk_full_while_publishing_leaves_latest(suite, monkeypatch, capsys):
    assert _run(suite, "--only", "01").returncode == 0
    good = os.readlink(suite["out"] / "latest")

    def full(*_a, **_k):
        raise OSError(28, "No space left on device", str(suite["out"] / "x" / "index.html"))

    monkeypatch.setattr(report_publish, "write_index", full)
    code = report.run_report(config=suite["cfg"], out=suite["out"], only=["01"],
                             notebook_dir=suite["nbs"], quiet=True)
    assert code == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "nothing was published" in err
    assert os.readlink(suite["out"] / "latest") == good


def test_output_path_is_a_file(suite, tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    assert _cli(suite, out=blocker / "reports") == 1
    assert "cannot write to the reports folder" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["../escape", "/abs", "a/b", ".hidden", "x" * 80])
def test_run_names_that_would_escape_are_refused(tmp_path, name):
    cfg = tmp_path / "r.yml"
    cfg.write_text(f"runs:\n  {json.dumps(name)}: {{}}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="run name"):
        load_config(cfg)


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has exited (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


@slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_sigkill_of_the_runner_stops_workers_and_kernels(suite, tmp_path):
    """Killed by SIGKILL, the runner can clean nothing up: its worker sees it gone and stops
    (its kernel with it) within seconds; the orphaned run folder, still ``running``, is
    marked failed by the next run and pruned like any other."""
    started = tmp_path / "started"
    started.mkdir()
    proc = _run(suite, "--only", "01", "-p", "started_dir", str(started), "-p", "release_file",
                str(tmp_path / "never"), wait=False)
    marker = started / "01_alpha"
    wait_for(lambda: marker.exists() and marker.read_text().strip(), "the notebook to start")
    kernel, worker = map(int, marker.read_text().split())
    orphan = _record(suite["out"])
    assert orphan["status"] == "running" and orphan["pid"] == proc.pid
    proc.kill()
    proc.communicate(timeout=60)
    wait_for(lambda: _gone(worker) and _gone(kernel), "the worker and kernel to stop",
             timeout=60)
    # the next run, holding the lock, marks the orphan failed and can prune it
    res = _run(suite, "--only", "01", "--keep", "1")
    assert res.returncode == 0, res.stderr
    assert f"run {orphan['run_id']} was left unfinished" in res.stderr
    assert not (suite["out"] / orphan["run_id"]).exists()


@slow
def test_orphaned_run_is_marked_failed(suite):
    """A run folder left ``running`` (its runner gone) is recorded as failed by the next
    run; a folder left without run.json is marked too."""
    assert _run(suite, "--only", "01").returncode == 0
    rec = _record(suite["out"])
    orphan = suite["out"] / "20000101T000000Z-dead"
    orphan.mkdir()
    (orphan / "run.json").write_text(json.dumps({**rec, "run_id": orphan.name,
                                                 "status": "running"}), encoding="utf-8")
    bare = suite["out"] / "20000101T000001Z-beef"
    bare.mkdir()
    assert _run(suite, "--only", "01").returncode == 0
    for folder in (orphan, bare):
        marked = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        assert marked["status"] == "failed" and "runner stopped" in marked["error"]


def test_prune_counts_incomplete_and_orphaned_runs(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    names = [f"2026010{i}T000000Z-000{i}" for i in range(1, 5)]
    for i, name in enumerate(names):
        (out / name).mkdir()
        if i != 1:  # the second run never got a run.json
            status = "running" if i == 0 else "ok"
            (out / name / "run.json").write_text(json.dumps({"run_id": name,
                                                             "status": status}))
    (out / "notes").mkdir()  # not a run folder: never touched
    report_publish.switch_latest(out, names[2])
    removed = report_publish.prune(out, 1, current=names[3])
    assert removed == [names[0], names[1]]
    assert sorted(p.name for p in out.iterdir()) == sorted([names[2], names[3], "notes",
                                                             "latest"])


def test_a_run_of_no_notebook_is_refused(suite, tmp_path, capsys):
    cfg = tmp_path / "empty.yml"
    cfg.write_text("runs:\n  en:\n    notebooks: []\n", encoding="utf-8")
    code = cli.main(["report", "--config", str(cfg), "--notebooks", str(suite["nbs"]),
                     "--out", str(suite["out"])])
    assert code == 2
    assert "no notebook selected" in capsys.readouterr().err
    assert not suite["out"].exists() or not any(suite["out"].iterdir())


@slow
def test_pruning_failure_after_latest_moved_is_reported_as_such(suite, monkeypatch, capsys):
    assert _run(suite, "--only", "01").returncode == 0

    real = shutil.rmtree

    def broken(path, *args, **kwargs):  # only the pruning of a run folder fails
        if Path(path).parent == suite["out"]:
            raise OSError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(report_publish.shutil, "rmtree", broken)
    code = report.run_report(config=suite["cfg"], out=suite["out"], only=["01"],
                             notebook_dir=suite["nbs"], quiet=True, keep=1)
    err = capsys.readouterr().err
    latest = os.readlink(suite["out"] / "latest")
    assert code == 1
    assert "pruning old runs (--keep 1) failed: Permission denied" in err
    assert f"run {latest} was published" in err and "nothing was published" not in err
    assert _record(suite["out"], latest)["status"] == "ok"


@slow
def test_a_failure_while_writing_marks_the_run_failed(suite, monkeypatch, capsys):
    assert _run(suite, "--only", "01").returncode == 0
    good = os.readlink(suite["out"] / "latest")

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_publish, "write_index", full)
    assert report.run_report(config=suite["cfg"], out=suite["out"], only=["01"],
                             notebook_dir=suite["nbs"], quiet=True) == 1
    assert f"still points at {good}" in capsys.readouterr().err
    newest = report_publish.run_folders(suite["out"])[-1]
    assert newest != good
    assert _record(suite["out"], newest)["status"] == "failed"


def test_run_ids_sort_in_the_order_runs_started() -> None:
    """Pruning (--keep) and the newest-run lookups sort run folders by name: ids made a
    millisecond apart, even within one second, must sort in the order they were made."""
    ids = []
    for _ in range(40):
        ids.append(report_publish.new_run_id())
        time.sleep(0.002)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(report_publish.RUN_ID_RE.match(i) for i in ids)
