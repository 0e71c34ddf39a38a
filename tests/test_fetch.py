"""Tests for analysis.fetch: the UNDL download command, against a server on 127.0.0.1 only."""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from analysis import fetch
from analysis.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
UNDL = (FIXTURES / "undl" / "undl_2026.csv").read_bytes()
BAD_VOTES = (FIXTURES / "bad_votes" / "unknown_vote.csv").read_bytes()
HTML = (b"<!DOCTYPE html>\n<html><head><title>UN Digital Library</title></head>\n"
        + b"<body>" + b"<p>General Assembly Voting Data</p>\n" * 500 + b"</body></html>\n")
NAME = "ga_voting.csv"  # every route ends with it, so all downloads target one file
PREVIOUS = b"an earlier good download\n"
STOP = threading.Event()  # set when the module's tests end: a dripping route stops


def _big_undl(copies: int = 60) -> tuple[list[str], list[list[str]]]:
    """The fixture's rows repeated under new record numbers: 2,400 valid rows."""
    records = list(csv.reader(io.StringIO(UNDL.decode("utf-8-sig"), newline="")))
    header, rows = records[0], [r for r in records[1:] if r]
    out = [[str(int(r[0]) + k * 10_000_000), *r[1:]] for k in range(copies) for r in rows]
    return header, out


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    return buf.getvalue().encode("utf-8")


_HEADER, _ROWS = _big_undl()
BIG = _csv_bytes(_HEADER, _ROWS)
# row 2,001 of the spreadsheet (header = row 1) has a vote code that does not exist
_LATE = [list(r) for r in _ROWS]
_LATE[1999][_HEADER.index("ms_vote")] = "Q"
BAD_LATE = _csv_bytes(_HEADER, _LATE)
# one row of a vote carries other totals than the vote's other rows
_TOTALS = [list(r) for r in _ROWS]
_i = next(i for i, r in enumerate(_TOTALS) if i > 2000 and r[_HEADER.index("total_yes")])
_TOTALS[_i][_HEADER.index("total_yes")] = str(int(_TOTALS[_i][_HEADER.index("total_yes")]) - 1)
BAD_TOTALS = _csv_bytes(_HEADER, _TOTALS)


class _Handler(BaseHTTPRequestHandler):
    """Routes: /<case>/ga_voting.csv."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        case = self.path.strip("/").split("/")[0]
        if case == "ok":
            self._send(UNDL)
        elif case == "no-length":  # body ends when the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            self.wfile.write(UNDL)
        elif case == "truncated":  # announces more than it sends, then closes
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(UNDL) + 5000))
            self.end_headers()
            self.wfile.write(UNDL[: len(UNDL) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif case == "html":
            self._send(HTML, "text/html; charset=utf-8")
        elif case == "bad-rows":
            self._send(BAD_VOTES)
        elif case == "big":
            self._send(BIG)
        elif case == "bad-late":
            self._send(BAD_LATE)
        elif case == "bad-totals":
            self._send(BAD_TOTALS)
        elif case == "huge":  # announces far more than anyone accepts, sends a little
            self.send_response(200)
            self.send_header("Content-Length", str(10**12))
            self.end_headers()
            self.wfile.write(UNDL)
        elif case == "drip":  # one byte at a time, for ever (until the tests end)
            self.send_response(200)
            self.send_header("Content-Length", str(len(UNDL)))
            self.end_headers()
            try:
                for i in range(len(UNDL)):
                    self.wfile.write(UNDL[i:i + 1])
                    self.wfile.flush()
                    if STOP.wait(0.2):  # the pace of the drip, not a wait for an event
                        return
            except OSError:  # the client hung up
                return
        else:
            self.send_error(404, "Not Found")

    def _send(self, body: bytes, ctype: str = "text/csv") -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure urllib talks to 127.0.0.1 directly, whatever the environment says."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    STOP.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        STOP.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """A destination folder holding an earlier good download of the same name."""
    folder = tmp_path / "dest"
    folder.mkdir()
    (folder / NAME).write_bytes(PREVIOUS)
    return folder


def url(server: str, case: str) -> str:
    return f"{server}/{case}/{NAME}"


def run(*args: str) -> int:
    return main(["fetch", "undl", *args])


def assert_untouched(folder: Path) -> None:
    """Only the earlier file is there, unchanged: no partial or temporary file."""
    assert sorted(p.name for p in folder.iterdir()) == [NAME]
    assert (folder / NAME).read_bytes() == PREVIOUS


# --- success ------------------------------------------------------------------------------


def test_download_saves_the_file_and_prints_path_and_size(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new" / "folder"  # created as needed
    old_umask = os.umask(0o027)
    try:
        rc = run("--url", url(server, "ok"), "--dest", str(folder), "--min-bytes", "1000")
    finally:
        os.umask(old_umask)
    out, err = capsys.readouterr()
    assert rc == 0, err
    saved = folder / NAME
    assert saved.read_bytes() == UNDL
    assert sorted(p.name for p in folder.iterdir()) == [NAME]
    assert str(saved) in out and f"{len(UNDL):,} bytes" in out
    assert url(server, "ok") in err  # the progress message names the address
    if os.name == "posix":
        assert saved.stat().st_mode & 0o777 == 0o640  # 0o666 less the umask, no wider


def test_download_replaces_an_earlier_file(server: str, dest: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--url", url(server, "ok"), "--dest", str(dest), "--min-bytes", "1000",
               "--quiet") == 0
    out, err = capsys.readouterr()
    assert (dest / NAME).read_bytes() == UNDL
    assert err == "" and out.strip().startswith(str(dest / NAME))


def test_download_without_content_length(server: str, tmp_path: Path) -> None:
    path = fetch.fetch_undl(url(server, "no-length"), tmp_path, min_bytes=1000)
    assert path.read_bytes() == UNDL


def test_default_destination_is_the_user_cache_folder(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cache = tmp_path / "user-cache"
    seen: list[str] = []

    def fake_cache_dir(appname: str) -> str:
        seen.append(appname)
        return str(cache)

    monkeypatch.setattr(fetch.platformdirs, "user_cache_dir", fake_cache_dir)
    assert run("--url", url(server, "ok"), "--min-bytes", "1000", "-q") == 0
    assert seen and set(seen) == {"disarmament-notebooks"}
    assert (cache / NAME).read_bytes() == UNDL
    assert str(cache / NAME) in capsys.readouterr().out


# --- failures: nothing half-written, the earlier file untouched -----------------------------


def test_truncated_response(server: str, dest: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = run("--url", url(server, "truncated"), "--dest", str(dest), "--min-bytes", "0")
    err = capsys.readouterr().err
    assert rc == 1
    assert "truncated" in err and f"{len(UNDL) + 5000:,}" in err
    assert_untouched(dest)


def test_http_404_names_url_and_status(server: str, dest: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    address = url(server, "missing")
    rc = run("--url", address, "--dest", str(dest), "--min-bytes", "0")
    err = capsys.readouterr().err
    assert rc == 1
    assert address in err and "404" in err
    assert_untouched(dest)


def test_html_page_is_rejected(server: str, dest: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    rc = run("--url", url(server, "html"), "--dest", str(dest), "--min-bytes", "0")
    err = capsys.readouterr().err
    assert rc == 1
    assert "not the UNDL voting CSV layout" in err and "<!DOCTYPE html>" in err
    assert_untouched(dest)


def test_bad_first_rows_are_rejected(server: str, dest: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    rc = run("--url", url(server, "bad-rows"), "--dest", str(dest), "--min-bytes", "0")
    err = capsys.readouterr().err
    assert rc == 1
    assert "do not load" in err and "ms_vote" in err
    assert_untouched(dest)


def test_file_smaller_than_min_bytes_is_rejected(server: str, dest: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    rc = run("--url", url(server, "ok"), "--dest", str(dest))  # default: 10 MB
    err = capsys.readouterr().err
    assert rc == 1
    assert "--min-bytes" in err and f"{len(UNDL):,} bytes" in err
    assert_untouched(dest)


def test_connection_refused(dest: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:  # a port on 127.0.0.1 nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rc = run("--url", f"http://127.0.0.1:{port}/ok/{NAME}", "--dest", str(dest),
             "--timeout", "5")
    err = capsys.readouterr().err
    assert rc == 1 and "cannot connect" in err and str(port) in err
    assert_untouched(dest)


def test_interrupt_from_progress_callback(server: str, dest: Path) -> None:
    """Ctrl-C in the middle of the body: the temporary file goes, the old file stays."""
    chunks: list[int] = []

    def interrupt(received: int, total: int | None) -> None:
        chunks.append(received)
        assert total == len(UNDL)
        if len(chunks) == 3:
            assert any(p.name.endswith(".part") for p in dest.iterdir())  # being written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch.fetch_undl(url(server, "ok"), dest, min_bytes=0, chunk_bytes=1024,
                         on_progress=interrupt)
    assert chunks == [1024, 2048, 3072]
    assert_untouched(dest)


def test_interrupt_on_the_command_line(server: str, dest: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    class InterruptingBar:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def update(self, n: int) -> None:
            raise KeyboardInterrupt

        def close(self) -> None:
            pass

    monkeypatch.setattr(fetch, "tqdm", InterruptingBar)
    rc = run("--url", url(server, "ok"), "--dest", str(dest), "--min-bytes", "0")
    err = capsys.readouterr().err
    assert rc == 130 and "interrupted" in err and "nothing saved" in err
    assert_untouched(dest)


# --- usage errors -------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["--url", "ftp://example.org/x.csv"],
    ["--url", "not a url"],
    ["--min-bytes", "-1"],
    ["--min-bytes", "ten"],
    ["--timeout", "0"],
])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        run(*args, "--dest", str(tmp_path))
    assert exc.value.code == 2
    assert list(tmp_path.iterdir()) == []


def test_unknown_dataset_exits_2() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["fetch", "unvotes"])
    assert exc.value.code == 2


def test_dest_that_is_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "file"
    afile.write_text("x")
    assert run("--dest", str(afile)) == 2
    assert "not a folder" in capsys.readouterr().err


def test_help_names_the_default_address(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["fetch", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert fetch.DEFAULT_URL in out and "--min-bytes" in out


def test_default_url_is_a_record_4060887_csv() -> None:
    assert fetch.DEFAULT_URL.startswith("https://digitallibrary.un.org/record/4060887/files/")
    assert fetch.file_name_for(fetch.DEFAULT_URL).endswith("_ga_voting.csv")


@pytest.mark.parametrize("address, name", [
    ("https://h/record/1/files/2026_02_06_ga_voting.csv?ln=en", "2026_02_06_ga_voting.csv"),
    ("https://h/files/a%20b.csv", "a_b.csv"),
    ("https://h/record/4060887", "ga_voting.csv"),
    ("https://h/files/.csv", "ga_voting.csv"),
    ("https://h/", "ga_voting.csv"),
])
def test_file_name_for(address: str, name: str) -> None:
    assert fetch.file_name_for(address) == name


def test_check_undl_file_accepts_the_fixtures() -> None:
    for name in ("undl_2026.csv", "undl_nv_layout.csv", "undl_2024_layout.csv",
                 "undl_cp932.csv"):
        assert fetch.check_undl_file(FIXTURES / "undl" / name) > 0


# --- round 2: the whole file is checked; deadline, size limit, SIGTERM --------------------


def test_a_file_broken_at_row_2001_is_not_saved(server: str, dest: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--url", url(server, "big"), "--dest", str(tmp_path / "ok"), "--min-bytes", "0",
               "-q") == 0  # the same file, unbroken, is saved
    assert (tmp_path / "ok" / NAME).read_bytes() == BIG
    rc = run("--url", url(server, "bad-late"), "--dest", str(dest), "--min-bytes", "0")
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "row 2001, column ms_vote" in err and "found Q)" in err and "not saved" in err
    assert_untouched(dest)


def test_totals_that_disagree_within_a_vote_are_not_saved(
        server: str, dest: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = run("--url", url(server, "bad-totals"), "--dest", str(dest), "--min-bytes", "0")
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "the totals of vote" in err and "differ between its rows" in err
    assert_untouched(dest)


def test_a_dripping_server_is_cut_off_by_the_deadline(
        server: str, dest: Path, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    rc = run("--url", url(server, "drip"), "--dest", str(dest), "--min-bytes", "0",
             "--deadline", "1.5", "--timeout", "60")
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "deadline of 1.5 s" in err and "nothing saved" in err
    assert time.monotonic() - started < 30  # far below the per-read timeout's reach
    assert_untouched(dest)


def test_a_body_over_max_bytes_is_refused(server: str, dest: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    rc = run("--url", url(server, "huge"), "--dest", str(dest), "--min-bytes", "0")
    err = capsys.readouterr().err
    assert rc == 1 and "more than the" in err and "--max-bytes" in err
    assert_untouched(dest)
    rc = run("--url", url(server, "no-length"), "--dest", str(dest), "--min-bytes", "0",
             "--max-bytes", "1000")
    err = capsys.readouterr().err
    assert rc == 1 and "more than 1,000 bytes (--max-bytes)" in err
    assert_untouched(dest)


def test_default_max_bytes_is_the_loaders_limit() -> None:
    from analysis.votes_io import MAX_VOTES_BYTES

    assert fetch.DEFAULT_MAX_BYTES == MAX_VOTES_BYTES


@pytest.mark.parametrize("args", [["--timeout", "nan"], ["--timeout", "inf"],
                                  ["--deadline", "0"], ["--deadline", "1e309"],
                                  ["--max-bytes", "x" * 5000]])
def test_more_usage_errors_exit_2(args: list[str], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run(*args, "--dest", str(tmp_path))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err) < 2000


@pytest.mark.slow
def test_sigterm_removes_the_partial_file(server: str, dest: Path) -> None:
    """SIGTERM in the middle of a download: the partial file goes, as on Ctrl-C."""
    env = {**os.environ, "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "fetch", "undl", "--url",
                             url(server, "drip"), "--dest", str(dest), "--min-bytes", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".part") for p in dest.iterdir()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the download never started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "terminated" in err and "nothing saved" in err and "Traceback" not in err
    assert_untouched(dest)
