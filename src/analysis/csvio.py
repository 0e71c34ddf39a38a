"""Reading CSV files that users edit in Excel: UTF-8, UTF-8 with BOM, or CP932.

Anything else (UTF-16, NUL bytes, ragged rows, an unterminated quote, a missing
column) raises :class:`analysis.errors.DataError` naming the file, row and column.

Every file a user names is opened here, by :func:`open_user_file`: it must be a regular
file (a folder, a FIFO, a device such as ``/dev/zero``, a socket or a symbolic link loop
is refused at once with a one-line DataError, never read), and reads are capped
(:data:`MAX_TABLE_BYTES` for a bundled table, :func:`read_head` reads at most
:data:`MAX_HEADER_BYTES` to find a header line). A file is decoded in one encoding
throughout: a UTF-8 file with one line saved in CP932 (or the reverse) is refused at the
first line that does not decode as the rest (:func:`decode_bytes`), never turned into
mojibake.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_bytes("a,b\\n1,東京\\n".encode("cp932"))
>>> read_csv_text(p, required=["a", "b"]).loc[2, "b"]  # index = spreadsheet row
'東京'
"""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .errors import DataError, Problem, display_path, short

ENCODINGS = ("utf-8-sig", "cp932")
ACCEPTED = "UTF-8, UTF-8 with BOM or CP932 (Shift-JIS) text"
MAX_FIELD = 100_000  # characters; a larger field is almost certainly a broken file
MAX_TABLE_BYTES = 64 * 1024 * 1024  # a bundled table (the largest is under 5 MB)
MAX_HEADER_BYTES = 1024 * 1024  # a header line longer than this is not a CSV header


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _os_error(name: str, exc: OSError | ValueError, what: str = "a readable file") -> DataError:
    """A one-line DataError for a path that cannot be opened or examined."""
    if isinstance(exc, ValueError):  # e.g. an embedded NUL character
        return DataError(name, None, None, what, f"an invalid path ({exc})")
    code = exc.errno
    if code == errno.ENOENT:
        return DataError(name, None, None, "an existing file", "no such file")
    if code == errno.ELOOP:
        return DataError(name, None, None, what, "a symbolic link loop")
    if code == errno.ENAMETOOLONG:
        return DataError(name, None, None, what, "a path longer than the system allows")
    if code == errno.ENOTDIR:
        return DataError(name, None, None, "an existing file",
                         "no such file (a part of the path is not a folder)")
    if code == errno.EISDIR:
        return DataError(name, None, None, "a file", "a directory")
    return DataError(name, None, None, what, exc.strerror or str(exc))


def check_path(path: str | Path, *, folder_ok: bool = False) -> os.stat_result:
    """``os.stat`` of a user's path, or a one-line DataError when it is missing, a symbolic
    link loop, or not a regular file (a folder is accepted with ``folder_ok``).

    >>> check_path("/dev/null")
    Traceback (most recent call last):
    ...
    analysis.errors.DataError: /dev/null: expected a regular file, found a device
    """
    name = display_path(path)
    try:
        st = os.stat(path)
    except (OSError, ValueError) as exc:
        raise _os_error(name, exc) from None
    kind = _kind(st.st_mode)
    if kind is not None and not (folder_ok and stat.S_ISDIR(st.st_mode)):
        expected = "a regular file or a folder" if folder_ok else "a regular file"
        raise DataError(name, None, None, expected, kind)
    return st


def open_user_file(path: str | Path, limit: int | None = None) -> io.BufferedReader:
    """Open a user's file for reading: only a regular file, never blocking.

    The file is opened without blocking (a FIFO with no writer cannot hang the caller),
    then examined: anything but a regular file raises a one-line DataError, and so does a
    file larger than ``limit`` bytes (when given).
    """
    name = display_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as exc:
        raise _os_error(name, exc) from None
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise DataError(name, None, None, "a regular file", kind)
        if limit is not None and st.st_size > limit:
            raise too_large(name, st.st_size, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def too_large(name: str, size: int, limit: int) -> DataError:
    """The DataError of a file over a size limit."""
    return DataError(name, None, None, f"a file of at most {_mib(limit)}",
                     f"{size:,} bytes or more")


def _mib(n: int) -> str:
    return f"{n // (1024 * 1024):,} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def read_bytes(path: str | Path, limit: int = MAX_TABLE_BYTES) -> bytes:
    """The bytes of a user's regular file of at most ``limit`` bytes (see
    :func:`open_user_file`); a file that grows past the limit while read is refused too."""
    with open_user_file(path, limit) as fh:
        try:
            raw = fh.read(limit + 1)
        except OSError as exc:
            raise _os_error(display_path(path), exc) from None
    if len(raw) > limit:
        raise too_large(display_path(path), len(raw), limit)
    return raw


def read_head(path: str | Path, limit: int = MAX_HEADER_BYTES) -> bytes:
    """The first line of a user's file (without its line end), read in chunks of at most
    ``limit`` bytes in all: a file with no line end in its first ``limit`` bytes is refused,
    never read whole.
    """
    name = display_path(path)
    with open_user_file(path) as fh:
        try:
            head = fh.read(limit + 1)
        except OSError as exc:
            raise _os_error(name, exc) from None
    cut = head.find(b"\n")
    if cut >= 0:
        return head[:cut]
    if len(head) > limit:
        raise DataError(name, 1, None, f"a header line of at most {_mib(limit)}",
                        f"no line end in the first {_mib(limit)}")
    return head


def decode_bytes(raw: bytes, path: str | Path) -> tuple[str, str]:
    """Decode ``raw`` as UTF-8 (with or without BOM) or CP932; return (text, encoding).

    Raises DataError for UTF-16/UTF-32, NUL bytes and undecodable bytes.

    >>> decode_bytes("x".encode("utf-8-sig"), "f.csv")
    ('x', 'utf-8-sig')
    """
    name = display_path(path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(name, None, None, ACCEPTED, "UTF-16 text (byte-order mark)")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        what = "UTF-16 text without byte-order mark" if raw[1:2] == b"\x00" or raw[:1] == b"\x00" \
            else "a NUL byte"
        raise DataError(name, line, None, ACCEPTED, f"{what} (byte {nul})")
    errors: list[str] = []
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        errors.append(f"utf-8-sig: byte {exc.start}")
    mixed = _mixed_line(raw)
    if mixed is not None:
        line, byte, majority = mixed
        if majority == "CP932":
            found = "a line of UTF-8 text among lines that are not UTF-8 (CP932?)"
        else:
            bad = raw[byte:].split(b"\n", 1)[0]
            try:
                bad.decode("cp932")
            except UnicodeDecodeError:
                found = "a line that is neither UTF-8 nor CP932 among lines of UTF-8 text"
            else:
                found = "a line in CP932 (Shift-JIS) among lines of UTF-8 text"
        raise DataError(name, line, None, f"{ACCEPTED} in one encoding throughout",
                        f"{found} (byte {byte})")
    try:
        return raw.decode("cp932"), "cp932"
    except UnicodeDecodeError as exc:
        errors.append(f"cp932: byte {exc.start}")
    raise DataError(name, None, None, ACCEPTED, "undecodable bytes (" + "; ".join(errors) + ")")


def _mixed_line(raw: bytes) -> tuple[int, int, str] | None:
    """``(line, byte, majority)`` when ``raw`` (not valid UTF-8 as a whole) holds lines of
    non-ASCII UTF-8 text as well as lines that are not UTF-8: the first line that does not
    decode as most of the non-ASCII lines do, its first byte, and the encoding of those
    lines. None when no line is non-ASCII UTF-8 (a plain CP932 file, or neither).

    >>> _mixed_line("a\\nCÔTE\\nCÔTE\\n".encode() + "東京\\n".encode("cp932"))
    (4, 14, 'UTF-8')
    """
    utf8: list[tuple[int, int]] = []  # (line, byte) of non-ASCII lines valid as UTF-8
    other: list[tuple[int, int]] = []  # ... and of lines that are not UTF-8
    start = 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.isascii():
            try:
                line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                other.append((number, start))
            else:
                utf8.append((number, start))
        start += len(line) + 1
    if not utf8 or not other:
        return None
    if len(utf8) >= len(other):
        return (*other[0], "UTF-8")
    return (*utf8[0], "CP932")


def read_text(path: str | Path, limit: int = MAX_TABLE_BYTES) -> tuple[str, str]:
    """Read a user's file (a regular file of at most ``limit`` bytes, see
    :func:`read_bytes`) and decode it with :func:`decode_bytes`."""
    return decode_bytes(read_bytes(path, limit), path)


def parse_csv_records(text: str, path: str | Path) -> tuple[list[str], list[list[str]]]:
    """Split decoded text into header and records, checking the shape of every record.

    Collects every ragged row before raising, so a user sees them all at once.
    """
    name = display_path(path)
    if not text.strip():
        raise DataError(name, None, None, "a header line and data rows", "an empty file")
    csv.field_size_limit(max(MAX_FIELD * 10, 131072))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for rec in reader:
            records.append(rec)
    except csv.Error as exc:
        row = len(records) + 1  # records holds the header: this is the failing record's row
        msg = str(exc)
        found = "an unterminated quoted field (file truncated?)" if "EOF" in msg or "end of data" \
            in msg else msg
        raise DataError(name, row, None, "well-formed CSV", found) from None
    # drop trailing blank lines
    while records and not any(f.strip() for f in records[-1]):
        records.pop()
    if not records:  # e.g. ',\n' or '""': fields, but every one of them empty
        raise DataError(name, None, None, "a header line and data rows", "only empty fields")
    header = [h.strip() for h in records[0]]
    body = records[1:]
    problems = []
    width = len(header)
    for i, rec in enumerate(body, start=2):
        if not any(f.strip() for f in rec):
            continue
        if len(rec) != width:
            problems.append((i, f"{width} fields as in the header", f"{len(rec)} fields"))
        for j, field in enumerate(rec):
            if len(field) > MAX_FIELD:
                col = short(header[j], 40) if j < width else f"#{j + 1}"
                problems.append((i, f"a field under {MAX_FIELD} characters",
                                 f"{len(field)} characters in {col}"))
    if problems:
        raise DataError.from_problems(Problem(name, r, None, e, f) for r, e, f in problems)
    return header, [r for r in body if any(f.strip() for f in r)]


def delimiter_hint(fields: Sequence[str]) -> str:
    """A hint when a header read as one column holds another delimiter, else ''.

    >>> delimiter_hint(["a;b;c"])
    " (one column: is the delimiter ';' instead of ','?)"
    """
    if len(fields) == 1:
        for delim in (";", "\t", "|"):
            if delim in fields[0]:
                return f" (one column: is the delimiter {delim!r} instead of ','?)"
    return ""


def check_header(name: str, header: Sequence[str], required: Sequence[str],
                 raw: Sequence[str]) -> None:
    """Raise DataError for repeated column names or a missing required column.

    ``raw`` is the header as written (for the delimiter hint).
    """
    dupes = sorted(h for h, n in Counter(header).items() if n > 1)  # linear: huge headers
    if dupes:
        raise DataError(name, 1, short(dupes[0], 40), "unique column names",
                        f"{dupes[0]!r} repeated")
    missing = [c for c in required if c not in header]
    if missing:
        found = short(", ".join(header), 120) + delimiter_hint(raw)
        # built as a Problem so that DataError does not cut the delimiter hint off again
        raise DataError(name, problems=[Problem(name, 1, missing[0],
                                                "columns " + ", ".join(required), found)])


def read_csv_text(
    path: str | Path,
    required: Sequence[str] = (),
    *,
    text: str | None = None,
) -> pd.DataFrame:
    """Read a CSV into a DataFrame of stripped strings ('' for empty cells).

    The index is the spreadsheet row number (header = 1, first data row = 2), which is
    what every later message uses. ``required`` columns must all be present.
    """
    name = display_path(path)
    if text is None:
        text, _ = read_text(path)
    header, body = parse_csv_records(text, path)
    if not body:
        raise DataError(name, None, None, "at least one data row", "a header only")
    check_header(name, header, required, header)
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.apply(lambda s: s.str.strip())
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame
