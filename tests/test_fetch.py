"""Tests for analysis.fetch: the UNDL download command, against a server on 127.0.0.1 only."""

from __future__ import annotations

import os
import socket
import threading
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
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
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
