"""Download the UN Digital Library "General Assembly Voting Data" CSV (record 4060887).

``python -m analysis fetch undl [--url URL] [--dest DIR] [--min-bytes N] [--max-bytes N]
[--timeout S] [--deadline S] [--quiet]``

Default address
---------------
:data:`DEFAULT_URL` is
``https://digitallibrary.un.org/record/4060887/files/2026_02_06_ga_voting.csv``, the
file attached to the record https://digitallibrary.un.org/record/4060887 in its
February 2026 release. The address was not checked against the live site (no network
access when this was written); it was taken from public code that downloads the file,
found with a code search of GitHub repositories: the same address appears as the
download constant of several independent projects (a Python importer of the UNDL
voting data, ``GA_URL``; a TypeScript server, ``UN_CSV_URL``; a Java service,
``UNVOTES_CSV_URL``; an R script, with ``?download=1``), and this project's own fixture
notes cite a pipeline reading ``2026_02_06_ga_voting.csv``. The Library **renames the
file at every release** (earlier names seen in public code: ``2024_09_12_ga_resolutions
_voting.csv``, ``2025_7_23_ga_voting.csv``, ``2025_9_19_ga_voting.csv``), so when the
default answers 404, open the record page, copy the address of the current ``.csv``
attachment and pass it with ``--url``.

What the command does
---------------------
1. Streams the file with :mod:`urllib` in 1 MiB chunks to a temporary file in the
   destination folder, with a tqdm progress bar on stderr (off with ``--quiet`` or when
   stderr is not a terminal). Each read waits at most ``--timeout`` seconds (default
   :data:`DEFAULT_TIMEOUT`) and the whole download must end within ``--deadline``
   seconds (default :data:`DEFAULT_DEADLINE`, an hour), so a server that sends one byte a
   second is cut off too; a body larger than ``--max-bytes`` (default
   :data:`DEFAULT_MAX_BYTES`, 2 GiB, the largest voting file the loader reads) is refused,
   as soon as ``Content-Length`` announces it or the bytes received pass it.
2. Checks it: every byte announced by ``Content-Length`` arrived; the size is at least
   ``--min-bytes`` (default :data:`DEFAULT_MIN_BYTES`, 10 MB: the real file is a few
   hundred MB -- about 900,000 rows in 2024 -- while an error page or a truncated
   download is far smaller); the header is the UNDL layout
   (:func:`analysis.votes_io.detect_format` and the loader's required columns); the
   first :data:`SAMPLE_ROWS` rows load with :func:`analysis.votes_io.load_votes` (a
   quick answer for an error page); and then the **whole file** loads with
   :func:`~analysis.votes_io.load_votes` (every row parses, every value is valid, the
   totals are numbers within the UN membership) and every row of a vote carries the same
   totals (:func:`check_totals`).
3. Moves it into place with :func:`os.replace` (atomic on one file system) under the
   name the URL ends with (``2026_02_06_ga_voting.csv`` by default). The file is
   created with the default mode (``0o666`` less the umask), never a wider one.
4. Prints the path and the size.

Any failure -- HTTP error (the message names the URL and the status), connection
error, truncated response, the deadline or the size limit passed, Ctrl-C or SIGTERM, a
file that is not the UNDL layout, is too small, or has a bad row anywhere -- removes the
temporary file and leaves an earlier download of the same name untouched. Default
destination: ``platformdirs.user_cache_dir("disarmament-notebooks")`` (on Linux
``~/.cache/disarmament-notebooks``). Exit codes: 0 ok, 1 download or validation failure,
2 usage error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).

>>> file_name_for(DEFAULT_URL)
'2026_02_06_ga_voting.csv'
>>> file_name_for("https://digitallibrary.un.org/record/4060887?ln=en")
'ga_voting.csv'
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import math
import os
import re
import secrets
import signal
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import platformdirs
from tqdm import tqdm

from .errors import DataError

# pandas-based modules (votes_io, csvio) are imported where needed: the CLI stays quick.

RECORD_URL = "https://digitallibrary.un.org/record/4060887"
DEFAULT_URL = RECORD_URL + "/files/2026_02_06_ga_voting.csv"
DEFAULT_MIN_BYTES = 10_000_000
DEFAULT_TIMEOUT = 60.0
DEFAULT_DEADLINE = 3600.0  # seconds for the whole download
DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024  # = analysis.votes_io.MAX_VOTES_BYTES
MAX_SECONDS = 7 * 24 * 3600.0  # the largest --timeout / --deadline accepted
CHUNK_BYTES = 1024 * 1024
SAMPLE_ROWS = 500
SAMPLE_BYTES = 4 * 1024 * 1024
FALLBACK_NAME = "ga_voting.csv"
APP_NAME = "disarmament-notebooks"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143

Progress = Callable[[int, int | None], None]


class FetchError(Exception):
    """A download that failed or a downloaded file that is not what was expected."""


class Terminated(KeyboardInterrupt):  # noqa: N818 - the name says what happened
    """SIGTERM during ``fetch``: handled like Ctrl-C (the partial file is removed)."""


def default_dest() -> Path:
    """The default download folder: the suite's per-user cache folder."""
    return Path(platformdirs.user_cache_dir(APP_NAME))


def file_name_for(url: str) -> str:
    """The file name a download from ``url`` is saved under (the URL's last part)."""
    name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    if not name.lower().endswith(".csv") or name.startswith("."):
        return FALLBACK_NAME
    return name


def fetch_undl(
    url: str = DEFAULT_URL,
    dest: str | Path | None = None,
    *,
    min_bytes: int = DEFAULT_MIN_BYTES,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
    chunk_bytes: int = CHUNK_BYTES,
    on_progress: Progress | None = None,
) -> Path:
    """Download, check and move the UNDL voting CSV into ``dest``; return its path.

    ``on_progress(received, total)`` is called after every chunk (``total`` is None
    without a Content-Length). ``timeout`` bounds each read, ``deadline`` the whole
    download (seconds), ``max_bytes`` its size. Raises :class:`FetchError`;
    KeyboardInterrupt passes through. In every failure the temporary file is removed and
    an earlier file of the same name is left as it was.
    """
    ends = time.monotonic() + deadline
    folder = Path(dest) if dest is not None else default_dest()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name_for(url)
    tmp, fd = _temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as out:
            received = _stream(url, out, progress=progress, timeout=timeout,
                               chunk_bytes=chunk_bytes, on_progress=on_progress,
                               label=target.name, ends=ends, deadline=deadline,
                               max_bytes=max_bytes)
            out.flush()
            os.fsync(out.fileno())
        if received < min_bytes:
            raise FetchError(f"{url}: received {received:,} bytes, fewer than the "
                             f"{min_bytes:,} expected of the full voting data (--min-bytes); "
                             "not saved")
        check_undl_file(tmp, url)
        check_whole_file(tmp, url)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _temp_beside(target: Path) -> tuple[Path, int]:
    """A new exclusive temporary file beside ``target``, mode 0o666 less the umask
    (:func:`tempfile.mkstemp` would force 0o600 on the saved file)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
        try:
            return tmp, os.open(tmp, flags, 0o666)
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue


def _left(ends: float, deadline: float, url: str, received: int) -> float:
    """Seconds left before the overall deadline; FetchError once it has passed."""
    left = ends - time.monotonic()
    if left <= 0:
        raise FetchError(f"{url}: not finished within the deadline of {deadline:g} s "
                         f"(--deadline) after {received:,} bytes; nothing saved")
    return left


def _set_timeout(response: Any, seconds: float) -> None:
    """Make the next socket read of ``response`` wait at most ``seconds``."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        try:
            sock.settimeout(max(seconds, 0.01))
        except OSError:  # pragma: no cover - a closed socket: the read says so
            pass


def _read_chunk(response: Any, size: int, url: str, timeout: float, ends: float,
                deadline: float, received: int) -> bytes:
    """Up to ``size`` bytes of the body, gathered from reads that each return what
    arrived (``read1``) so that the deadline is checked between them: a server sending
    one byte a second cannot keep one read going for ever."""
    buf = bytearray()
    while len(buf) < size:
        _set_timeout(response, min(timeout, _left(ends, deadline, url, received + len(buf))))
        part = response.read1(size - len(buf))
        if not part:
            break
        buf += part
    return bytes(buf)


def _stream(url: str, out: BinaryIO, *, progress: bool, timeout: float, chunk_bytes: int,
            on_progress: Progress | None, label: str, ends: float | None = None,
            deadline: float = DEFAULT_DEADLINE, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """Copy the response body of ``url`` to ``out``; return the number of bytes."""
    if ends is None:
        ends = time.monotonic() + deadline
    request = urllib.request.Request(url, headers={
        "User-Agent": "disarmament-notebooks (python urllib; analysis fetch)",
        "Accept-Encoding": "identity",
    })
    try:
        response = urllib.request.urlopen(request, timeout=min(timeout,
                                                               _left(ends, deadline, url, 0)))
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"{url}: cannot connect ({exc.reason})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"{url}: cannot connect ({_describe(exc)})") from None
    with response:
        total = _content_length(response.headers.get("Content-Length"))
        if total is not None and total > max_bytes:
            raise FetchError(f"{url}: the server announces {total:,} bytes, more than the "
                             f"{max_bytes:,} accepted (--max-bytes); nothing saved")
        received = 0
        bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label,
                   disable=not progress, file=sys.stderr, leave=False)
        try:
            while True:
                try:
                    chunk = _read_chunk(response, chunk_bytes, url, timeout, ends, deadline,
                                        received)
                except (OSError, http.client.HTTPException) as exc:
                    if time.monotonic() >= ends:  # the last read ran into the deadline
                        _left(ends, deadline, url, received)
                    raise FetchError(f"{url}: connection lost after {received:,} bytes "
                                     f"({_describe(exc)}); nothing saved") from None
                if not chunk:
                    break
                if received + len(chunk) > max_bytes:
                    raise FetchError(f"{url}: more than {max_bytes:,} bytes (--max-bytes); "
                                     "nothing saved")
                out.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
                if on_progress is not None:
                    on_progress(received, total)
        finally:
            bar.close()
    if total is not None and received < total:
        raise FetchError(f"{url}: truncated response: received {received:,} of {total:,} "
                         "bytes announced (Content-Length); nothing saved")
    return received


def check_undl_file(path: Path, url: str = "", *, sample_rows: int = SAMPLE_ROWS) -> int:
    """Check that ``path`` is a UNDL voting CSV; return the number of sample rows loaded.

    The header must have the loader's required columns and the first ``sample_rows``
    rows must load with :func:`analysis.votes_io.load_votes`. Raises FetchError.
    """
    from . import votes_io

    what = url or str(path)
    expected = "a UNDL voting CSV header (" + ", ".join(votes_io.UNDL_REQUIRED) + ", ...)"
    try:
        fmt = votes_io.detect_format(path)
        header = [votes_io.UNDL_ALIASES.get(h, h) for h in votes_io._read_header(path)]
    except DataError as exc:
        if exc.row != 1:  # empty or undecodable: the loader's own words say it best
            raise FetchError(f"{what}: the file is not the UNDL voting CSV layout: expected "
                             f"{exc.expected}, found {exc.found}") from None
        fmt, header = "", []
    missing = [c for c in votes_io.UNDL_REQUIRED if c not in header]
    if fmt != "undl" or missing:
        raise FetchError(f"{what}: the file is not the UNDL voting CSV layout: expected "
                         f"{expected}, found {_first_line(path)!r}")
    records = _head_records(path, sample_rows)
    if len(records) < 2:
        raise FetchError(f"{what}: no complete data row in the first "
                         f"{SAMPLE_BYTES // (1024 * 1024)} MiB")
    from .votes_io import load_votes

    with tempfile.TemporaryDirectory(prefix="undl-check-") as tmpdir:
        sample = Path(tmpdir) / "sample.csv"
        with open(sample, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(records)
        try:
            load_votes(sample, cache=False)
        except DataError as exc:
            p = exc.problems[0]
            place = f"row {p.row}" if p.row is not None else "the first rows"
            if p.column:
                place += f", column {p.column}"
            raise FetchError(f"{what}: the first rows do not load as UNDL voting data "
                             f"({place}: expected {p.expected}, found {p.found})") from None
    return len(records) - 1


def check_whole_file(path: Path, url: str = "") -> int:
    """Check the whole downloaded file: every row loads with
    :func:`analysis.votes_io.load_votes` (values, dates, codes, totals within the UN
    membership, one row per vote and state) and the totals agree (:func:`check_totals`).
    Returns the number of votes of member states; raises FetchError naming the row."""
    from .votes_io import load_votes

    what = url or str(path)
    try:
        frame = load_votes(path, cache=False)
    except DataError as exc:
        p = exc.problems[0]
        place = f"row {p.row}" if p.row is not None else "the file"
        if p.column:
            place += f", column {p.column}"
        more = f" and {len(exc.problems) - 1} more problem(s)" if len(exc.problems) > 1 else ""
        raise FetchError(f"{what}: the file does not load as UNDL voting data ({place}: "
                         f"expected {p.expected}, found {p.found}{more}); not saved") from None
    check_totals(path, what)
    return len(frame)


def check_totals(path: Path, what: str = "") -> None:
    """The UNDL totals (total_yes, ...) repeat on every row of a vote: they must be the
    same on all of them. Raises FetchError naming the first vote whose rows disagree."""
    import pandas as pd

    from . import votes_io

    header = [votes_io.UNDL_ALIASES.get(h, h) for h in votes_io._read_header(path)]
    names = [n for names in votes_io.UNDL_COUNTS.values() for n in names if n in header]
    if not names:
        return
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                            usecols=lambda c: votes_io.UNDL_ALIASES.get(
                                votes_io._norm_header(c), votes_io._norm_header(c))
                            in ["undl_id", *names])
    except (ValueError, UnicodeDecodeError, OSError):  # not UTF-8: load_votes checked it
        frame = None
    if frame is None or frame.empty:
        return
    frame.columns = [votes_io.UNDL_ALIASES.get(votes_io._norm_header(c),
                                               votes_io._norm_header(c)) for c in frame.columns]
    frame = frame.apply(lambda s: s.str.strip())
    distinct = frame.drop_duplicates()
    repeated = distinct["undl_id"].duplicated(keep=False)
    if repeated.any():
        vote = distinct.loc[repeated, "undl_id"].iloc[0]
        rows = frame.index[frame["undl_id"] == vote] + 2
        raise FetchError(f"{what or path}: the totals of vote {vote} differ between its rows "
                         f"(rows {rows[0]} to {rows[-1]}); the file is damaged; not saved")


def _first_line(path: Path, limit: int = 100) -> str:
    with open(path, "rb") as fh:
        line = fh.readline(limit + 1)
    text = line.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
    return text[:limit] + ("..." if len(text) > limit else "")


def _head_records(path: Path, sample_rows: int) -> list[list[str]]:
    """The header and up to ``sample_rows`` complete records from the start of ``path``."""
    from .csvio import decode_bytes

    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
        more = bool(fh.read(1))
    if more:
        head = head[: head.rfind(b"\n") + 1]
    try:
        text, _ = decode_bytes(head, path)
    except DataError as exc:
        raise FetchError(f"{path}: expected {exc.expected}, found {exc.found}") from None
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for record in reader:
            if any(field.strip() for field in record):
                records.append(record)
            if len(records) > sample_rows + 1:
                break
    except csv.Error:
        more = True  # a record cut by the sample's end
    if more and len(records) > 1:
        records.pop()  # the last record read may be cut short
    return records[: sample_rows + 1]


def _content_length(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def human_size(n: int) -> str:
    """``1536`` -> ``'1.5 KiB'``.

    >>> human_size(0), human_size(1536), human_size(372_000_000)
    ('0 B', '1.5 KiB', '354.8 MiB')
    """
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


# --- command line -------------------------------------------------------------------------


def _http_url(value: str) -> str:
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"expected an http(s):// address, found {value!r}")
    return value


def _byte_count(value: str) -> int:
    try:
        n = int(value.replace("_", ""))
    except ValueError:
        n = -1
    if n < 0:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise argparse.ArgumentTypeError(f"expected a number of bytes >= 0, found {shown!r}")
    return n


def _seconds(value: str) -> float:
    try:
        t = float(value)
    except ValueError:
        t = math.nan
    if not 0 < t <= MAX_SECONDS:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0 and at most "
                                         f"{MAX_SECONDS:g}, found {shown!r}")
    return t


def register(sub: Any) -> None:
    """Add the ``fetch`` sub-command to the CLI."""
    p = sub.add_parser(
        "fetch", help="download the UN General Assembly voting data (UN Digital Library)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Download the UN Digital Library \"General Assembly Voting Data\" CSV\n"
            f"(record {RECORD_URL}), check it and save it.\n\n"
            f"Default address: {DEFAULT_URL}\n"
            "(the file of the February 2026 release, as cited by several public projects\n"
            "that download it -- not checked against the live site). The Library renames\n"
            "the file at each release: if the default answers 404, copy the address of the\n"
            "current .csv attachment from the record page and pass it with --url.\n\n"
            "The file is streamed to a temporary file in DEST, checked (complete, at least\n"
            "--min-bytes, UNDL header, first rows load) and moved into place atomically;\n"
            "on any failure nothing is written and an earlier file is left untouched."),
        epilog="Exit codes: 0 ok, 1 download or validation failure, 2 usage error, "
               "130 interrupted.")
    p.add_argument("dataset", choices=["undl"],
                   help="data set: undl = UN Digital Library GA voting data (record 4060887)")
    p.add_argument("--url", type=_http_url, default=DEFAULT_URL,
                   help="address of the CSV file (default: the 2026-02-06 release, see above)")
    p.add_argument("--dest", type=Path, default=None, metavar="DIR",
                   help=f"folder to save into (default: {default_dest()})")
    p.add_argument("--min-bytes", type=_byte_count, default=DEFAULT_MIN_BYTES, metavar="N",
                   help=f"smallest plausible file size (default: {DEFAULT_MIN_BYTES:,}; the "
                        "real file is a few hundred MB)")
    p.add_argument("--max-bytes", type=_byte_count, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"largest file accepted (default: {DEFAULT_MAX_BYTES:,})")
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"network timeout per read (default: {DEFAULT_TIMEOUT:g})")
    p.add_argument("--deadline", type=_seconds, default=DEFAULT_DEADLINE, metavar="SECONDS",
                   help=f"time allowed for the whole download (default: {DEFAULT_DEADLINE:g})")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar or messages, only the saved path")
    p.set_defaults(func=_cmd)


def _on_sigterm() -> Any:
    """Turn SIGTERM into :class:`Terminated` while downloading (so the partial file is
    removed as on Ctrl-C); return the previous handler (None when it cannot be set)."""
    def handler(signum: int, frame: Any) -> None:
        raise Terminated

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        return None


def _cmd(args: argparse.Namespace) -> int:
    dest = args.dest if args.dest is not None else default_dest()
    try:
        not_folder = dest.exists() and not dest.is_dir()
    except OSError as exc:  # a path longer than the system allows, say
        print(f"error: --dest {str(dest)[:200]}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    if not_folder:
        print(f"error: --dest {dest} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        print(f"downloading {args.url}\n         to {dest}", file=sys.stderr, flush=True)
    old = _on_sigterm()
    try:
        path = fetch_undl(args.url, dest, min_bytes=args.min_bytes, max_bytes=args.max_bytes,
                          timeout=args.timeout, deadline=args.deadline,
                          progress=not args.quiet and sys.stderr.isatty())
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"error: cannot write into {dest}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    except Terminated:
        print(f"terminated: download of {args.url} cancelled; nothing saved", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print(f"interrupted: download of {args.url} cancelled; nothing saved", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)
    size = path.stat().st_size
    print(f"{path} ({human_size(size)}, {size:,} bytes)")
    return EXIT_OK
