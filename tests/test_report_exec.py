"""Unit tests of the Dask runner's pieces that need no cluster (addresses, files returned
by tasks, progress lines, the task's file collection)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report_config import UsageError
from analysis.report_exec import Progress, check_address, write_files
from analysis.worker import files_of


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "tls://sched.example.org:1",
                                     "tcp://[::1]:8786"])
def test_good_addresses(address: str) -> None:
    assert check_address(address) == address


@pytest.mark.parametrize("address", ["127.0.0.1:8786", "tcp://h", "inproc://x", "tcp://h:1 ",
                                     "tcp://h:1/x", ""])
def test_bad_addresses(address: str) -> None:
    with pytest.raises(UsageError, match="tcp://HOST:PORT"):
        check_address(address)


def test_files_come_back_where_they_were(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "JPN").mkdir(parents=True)
    (src / "JPN.html").write_text("<p>x</p>")
    (src / "JPN" / "fig.png").write_bytes(b"\x89PNG")
    (src / ".JPN.html.tmp").write_text("partial")  # a temporary file is not sent
    files = files_of(src)
    assert sorted(files) == ["JPN.html", "JPN/fig.png"]
    write_files(tmp_path / "dest", files)
    assert (tmp_path / "dest" / "JPN" / "fig.png").read_bytes() == b"\x89PNG"
    assert not list((tmp_path / "dest").rglob(".*"))


@pytest.mark.parametrize("bad", ["../x", "/etc/x", "a/../../x"])
def test_a_task_cannot_write_outside_the_run(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="unsafe path"):
        write_files(tmp_path, {bad: b"x"})
    assert not list(tmp_path.iterdir())


def test_progress_counts_with_rate_and_eta(capsys: pytest.CaptureFixture[str]) -> None:
    p = Progress(quiet=False, total=3)
    p.start("en/JPN", "tcp://127.0.0.1:1")
    p.done("en/JPN", "ok", 1.0)
    p.done("en/USA", "failed", 2.0)
    p.done("en/FRA", "ok", 2.0)
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "  started  en/JPN on tcp://127.0.0.1:1"
    assert err[1].startswith("  [1/3] ok       en/JPN (1.0s); ") and "/min, ETA " in err[1]
    assert err[3].startswith("  [3/3] ok") and "ETA" not in err[3]
    Progress(quiet=True, total=1).done("x", "ok", 1.0)
    assert capsys.readouterr().err == ""
