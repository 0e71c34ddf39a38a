"""``report`` and ``briefings`` on a real Dask cluster started from the ``dask`` command
line on 127.0.0.1 (``dask scheduler`` + ``dask worker --nworkers 2 --nthreads 1``): the
outputs equal those of a local run, and a worker killed mid-run costs only its task.

Every test here starts processes and kernels: marked slow. The cluster is always torn
down (process groups killed) and every wait is bounded.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "briefing" / "04_country_briefing.ipynb"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group, then SIGKILL it after 15 s."""
    if proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 15)):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=wait)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue


def _workers(address: str) -> int:
    from distributed import Client

    with Client(address, timeout=10) as client:
        return len(client.scheduler_info()["workers"])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A scheduler and 2 single-threaded worker processes on 127.0.0.1; its address."""
    work = tmp_path_factory.mktemp("cluster")
    sched_file = work / "scheduler.json"
    log = (work / "scheduler.log").open("w")
    procs = [subprocess.Popen(
        [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(sched_file)],
        cwd=work, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)]
    try:
        wait_for(lambda: sched_file.exists() and sched_file.stat().st_size > 0,
                 "the scheduler to start", 60)
        address = json.loads(sched_file.read_text())["address"]
        wlog = (work / "worker.log").open("w")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", address, "--nworkers", "2", "--nthreads",
             "1", "--no-dashboard", "--memory-limit", "0", "--local-directory",
             str(work / "w")], cwd=work, env=ENV, stdout=wlog, stderr=subprocess.STDOUT,
            start_new_session=True))
        wait_for(lambda: _workers(address) == 2, "2 workers", 90)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _cmd(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=timeout)


def _tree(folder: Path) -> dict[str, object]:
    """Relative path -> parsed JSON (for .json files other than run.json) or None."""
    out: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name not in ("run.json",):
            rel = p.relative_to(folder).as_posix()
            out[rel] = json.loads(p.read_text()) if p.suffix == ".json" else None
    return out


@pytest.fixture()
def suite(tmp_path: Path) -> dict[str, Path]:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    shutil.copy(FIXTURE, nbs / "01_brief.ipynb")
    shutil.copy(FIXTURE, nbs / "02_other.ipynb")
    cfg = tmp_path / "reports.yml"
    cfg.write_text("runs:\n  en:\n    parameters: {lang: en}\n", encoding="utf-8")
    return {"nbs": nbs, "cfg": cfg}


def test_report_on_the_cluster_equals_a_local_run(cluster, suite, tmp_path):
    trees = []
    for label, extra in (("local", ["--jobs", "1"]), ("cluster", ["--scheduler", cluster])):
        out = tmp_path / label
        res = _cmd("report", "--config", str(suite["cfg"]), "--notebooks", str(suite["nbs"]),
                   "--out", str(out), "--only", "01", *extra)
        assert res.returncode == 0, res.stderr
        assert "Traceback" not in res.stderr
        trees.append(_tree(out / "latest"))
    assert trees[0] == trees[1]
    assert trees[0]["en/01_brief/briefing.json"]["country"] == "JPN"
    assert {"en/01_brief.html", "en/01_brief.ipynb", "en/01_brief/votes.png",
            "index.html"} <= set(trees[0])


def test_briefings_on_the_cluster_equal_a_local_run(cluster, tmp_path):
    trees = []
    for label, extra in (("local", ["--jobs", "2"]), ("cluster", ["--scheduler", cluster])):
        out = tmp_path / label
        res = _cmd("briefings", "JPN", "fra", "--lang", "en,ja", "--notebook", str(FIXTURE),
                   "--out", str(out), "-p", "start_year", "2000", *extra)
        assert res.returncode == 0, res.stderr
        assert "[4/4]" in res.stderr and "Traceback" not in res.stderr
        tree = _tree(out / "briefings" / "latest")
        # the index pages name the run; everything else is the same
        for lang in ("en", "ja"):
            page = (out / "briefings" / "latest" / lang / "index.html").read_text()
            assert 'href="JPN.html"' in page and "日本" in page
        trees.append(tree)
    assert trees[0] == trees[1]
    assert trees[0]["ja/FRA/briefing.json"] == {
        "country": "FRA", "name": "France", "lang": "ja", "start_year": 2000,
        "end_year": None, "coincidence_index": "state_dept"}


def test_worker_killed_mid_run_costs_only_its_task(cluster, tmp_path):
    started, release = tmp_path / "started", tmp_path / "release"
    started.mkdir()
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "briefings", "JPN", "USA", "FRA", "--lang", "en",
         "--notebook",
         str(FIXTURE), "--out", str(out), "--scheduler", cluster, "-p", "started_dir",
         str(started), "-p", "release_file", str(release)],
        cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kernels: list[int] = []
    try:
        wait_for(lambda: len([p for p in started.iterdir() if p.read_text().strip()]) >= 2,
                 "two briefings to start", 180)
        victim_file = sorted(started.iterdir())[0]
        kernel, worker = map(int, victim_file.read_text().split())
        kernels.append(kernel)
        victim_file.unlink()
        os.kill(worker, signal.SIGKILL)  # the worker process; its nanny starts another
        release.write_text("go")
        _, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in kernels:  # the killed worker's orphaned kernel
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "retry" in err
    # the lost worker's kernel (forked by its zygote) ended with it
    wait_for(lambda: not Path(f"/proc/{kernels[0]}").exists(), "the lost kernel to end", 30)
    rec = json.loads((out / "briefings" / "latest" / "run.json").read_text())
    assert rec["status"] == "ok"
    retried = {n["notebook"]: n.get("retried") for n in rec["notebooks"]}
    victim = victim_file.name
    assert retried[victim] and "lost" in retried[victim]
    assert [c for c, r in retried.items() if r] == [victim]
    assert (out / "briefings" / "latest" / "en" / f"{victim}.html").exists()


def test_unreachable_scheduler_is_one_line_and_nothing_runs(tmp_path):
    from analysis.report_exec import CONNECT_TIMEOUT_S

    res = _cmd("briefings", "JPN", "--notebook", str(FIXTURE), "--out", str(tmp_path / "o"),
               "--scheduler", "tcp://127.0.0.1:9", timeout=CONNECT_TIMEOUT_S + 120)
    assert res.returncode == 1
    assert "error: cannot use the Dask cluster" in res.stderr and "nothing ran" in res.stderr
    assert "Traceback" not in res.stderr
    assert not list((tmp_path / "o" / "briefings").glob("2*"))
