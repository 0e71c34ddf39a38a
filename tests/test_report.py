"""Integration tests of the report runner with tiny notebooks of the test suite's own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from analysis import report

PARAMS = '''lang = "en"  # one of: en, ja
start_year: int | None = None  # range: 1946..2100
end_year: int | None = None  # not before start_year
title = "Votes"
should_fail = False
sleep_s = 0.0
items = ["USA", "CHN"]
kill_kernel = False
load_data = False
output_dir = "output"
'''

BODY = '''import json, time, pathlib
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
out = pathlib.Path(output_dir); out.mkdir(parents=True, exist_ok=True)
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
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def _record(out: Path, run_id: str | None = None) -> dict:
    runs = sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink())
    folder = out / run_id if run_id else runs[-1]
    return json.loads((folder / "run.json").read_text(encoding="utf-8"))


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
    index = (latest / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in index and "<script>alert" not in index
    assert 'src="en/01_alpha/fig.png"' in index
    # code is hidden by default
    assert "deliberate failure" not in (latest / "en" / "01_alpha.html").read_text()


def test_show_code_keeps_code(suite):
    res = _run(suite, "--only", "01", "--show-code")
    assert res.returncode == 0, res.stderr
    assert "deliberate failure" in (suite["out"] / "latest" / "en" / "01_alpha.html").read_text()


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
    assert 'href="en/02_beta.html"' in (run_dir / "index.html").read_text()


@pytest.mark.parametrize(("args", "needle"), [
    (["-p", "colour", "red"], "unknown parameter colour"),
    (["-p", "lang", "fr"], "parameter lang: expected one of en, ja, found 'fr'"),
    (["-p", "start_year", "soon"], "parameter start_year: expected int or None, found str"),
    (["-p", "start_year", "2010", "-p", "end_year", "2000"],
     "parameter end_year: expected a value >= start_year (2010), found 2000"),
    (["-p", "output_dir", "/tmp/x"], "parameter output_dir is set by the runner"),
    (["--only", "07"], "--only: no notebook '07'"),
])
def test_bad_parameters_stop_before_any_kernel(suite, args, needle):
    res = _run(suite, *args)
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr
    assert not suite["out"].exists() or not any(suite["out"].iterdir())


def test_timeout_fails_the_run(suite):
    res = _run(suite, "-p", "sleep_s", "20", "--timeout", "2", "--only", "01")
    assert res.returncode == 1
    rec = _record(suite["out"])
    assert rec["status"] == "failed"
    assert "Timeout" in rec["notebooks"][0]["error"]["ename"]
    assert not (suite["out"] / "latest").exists()


def test_sigterm_interrupts_and_publishes_nothing(suite):
    assert _run(suite, "--only", "01").returncode == 0
    good = os.readlink(suite["out"] / "latest")
    proc = _run(suite, "-p", "sleep_s", "60", wait=False)
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until the kernels are busy
        runs = [p for p in suite["out"].iterdir() if p.is_dir() and p.name != good
                and not p.is_symlink()]
        if runs and any(runs[0].glob("en/.*.spec.json")):
            break
        time.sleep(0.3)
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=90)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert os.readlink(suite["out"] / "latest") == good
    rec = _record(suite["out"])
    assert rec["status"] == "interrupted"


def test_second_concurrent_run_is_locked_out(suite):
    first = _run(suite, "-p", "sleep_s", "8", "--only", "01", wait=False)
    deadline = time.time() + 30
    while not (suite["out"] / ".lock").exists() and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    second = _run(suite, "--only", "01")
    first.communicate(timeout=120)
    assert second.returncode == 3
    assert "another report run is writing" in second.stderr
    assert first.returncode == 0


def test_keep_prunes_old_runs_but_never_latest(suite):
    for _ in range(3):
        assert _run(suite, "--only", "01").returncode == 0
    latest = os.readlink(suite["out"] / "latest")
    assert _run(suite, "--only", "02", "-p", "should_fail", "True", "--keep", "1").returncode == 1
    remaining = sorted(p.name for p in suite["out"].iterdir()
                       if p.is_dir() and not p.is_symlink())
    # the newest (failed) run is kept by --keep 1, and latest's target survives too
    assert latest in remaining and len(remaining) == 2


def test_read_only_reports_folder(suite, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    res = subprocess.run([sys.executable, "-m", "analysis", "report", "--config",
                          str(suite["cfg"]), "--notebooks", str(suite["nbs"]), "--out",
                          str(ro / "reports")], capture_output=True, text=True)
    assert res.returncode == 1 and "cannot write" in res.stderr


def test_coerce_and_config_errors(tmp_path):
    assert report.coerce_cli_value("[a, b]") == ["a", "b"]
    bad = tmp_path / "bad.yml"
    bad.write_text("runs:\n  '../x': {}\n")
    with pytest.raises(report.UsageError, match="run name"):
        report.load_config(bad)
    with pytest.raises(report.UsageError, match="no such file"):
        report.load_config(tmp_path / "missing.yml")


def test_kernel_killed_mid_run(suite):
    assert _run(suite, "--only", "01").returncode == 0
    good = os.readlink(suite["out"] / "latest")
    res = _run(suite, "--only", "02", "-p", "kill_kernel", "True")
    assert res.returncode == 1, res.stderr
    assert "DeadKernelError" in res.stderr
    assert os.readlink(suite["out"] / "latest") == good
    assert (suite["out"] / "latest" / "index.html").exists()
    assert _record(suite["out"])["status"] == "failed"


def test_data_file_deleted_between_validation_and_execution(suite, tmp_path):
    import shutil

    from analysis.data import data_dir

    data_copy = tmp_path / "data"
    shutil.copytree(data_dir(), data_copy)
    env = {**os.environ, "DISARMAMENT_DATA_DIR": str(data_copy)}
    cmd = [sys.executable, "-m", "analysis", "report", "--config", str(suite["cfg"]),
           "--notebooks", str(suite["nbs"]), "--out", str(suite["out"]), "--only", "01",
           "-p", "load_data", "True", "-p", "sleep_s", "6"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 60
    while time.time() < deadline:  # validation done, the notebook is running
        if suite["out"].exists() and any(suite["out"].glob("*/en/.*.spec.json")):
            break
        time.sleep(0.2)
    (data_copy / "unga" / "families.csv").unlink()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "families.csv" in err and "no such file" in err
    assert not (suite["out"] / "latest").exists()


def test_invalid_data_stops_before_any_kernel(suite, tmp_path):
    import shutil

    from analysis.data import data_dir

    data_copy = tmp_path / "data"
    shutil.copytree(data_dir(), data_copy)
    (data_copy / "unga" / "families.csv").write_text("family\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "analysis", "report", "--config",
                          str(suite["cfg"]), "--notebooks", str(suite["nbs"]), "--out",
                          str(suite["out"])], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "DISARMAMENT_DATA_DIR": str(data_copy)})
    assert res.returncode == 1
    assert "the report was not started" in res.stderr
    assert "families.csv: expected at least one data row, found a header only" in res.stderr
    assert not any(suite["out"].glob("*/run.json"))


def test_disk_full_while_publishing_leaves_latest(suite, monkeypatch, capsys):
    assert _run(suite, "--only", "01").returncode == 0
    good = os.readlink(suite["out"] / "latest")

    def full(*_a, **_k):
        raise OSError(28, "No space left on device", str(suite["out"] / "x" / "index.html"))

    monkeypatch.setattr(report, "write_index", full)
    code = report.run_report(config=suite["cfg"], out=suite["out"], only=["01"],
                             notebook_dir=suite["nbs"], quiet=True)
    assert code == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "nothing was published" in err
    assert os.readlink(suite["out"] / "latest") == good


def test_output_path_is_a_file(suite, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    res = subprocess.run([sys.executable, "-m", "analysis", "report", "--config",
                          str(suite["cfg"]), "--notebooks", str(suite["nbs"]), "--out",
                          str(blocker / "reports")], capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and "cannot write to the reports folder" in res.stderr


@pytest.mark.parametrize("name", ["../escape", "/abs", "a/b", ".hidden", "x" * 80])
def test_run_names_that_would_escape_are_refused(tmp_path, name):
    cfg = tmp_path / "r.yml"
    cfg.write_text(f"runs:\n  {json.dumps(name)}: {{}}\n", encoding="utf-8")
    with pytest.raises(report.UsageError, match="run name"):
        report.load_config(cfg)
