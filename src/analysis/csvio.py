"""Reading CSV files that users edit in Excel: UTF-8, UTF-8 with BOM, or CP932.

Anything else (UTF-16, NUL bytes, ragged rows, an unterminated quote, a missing
column) raises :class:`analysis.errors.DataError` naming the file, row and column.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_bytes("a,b\\n1,東京\\n".encode("cp932"))
>>> read_csv_text(p, required=["a", "b"]).loc[2, "b"]  # index = spreadsheet row
'東京'
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .errors import DataError, Problem, display_path, short

ENCODINGS = ("utf-8-sig", "cp932")
ACCEPTED = "UTF-8, UTF-8 with BOM or CP932 (Shift-JIS) text"
MAX_FIELD = 100_000  # characters; a larger field is almost certainly a broken file


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
    for enc in ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError as exc:
            errors.append(f"{enc}: byte {exc.start}")
    raise DataError(name, None, None, ACCEPTED, "undecodable bytes (" + "; ".join(errors) + ")")


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a file and decode it with :func:`decode_bytes`."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise DataError(display_path(p), None, None, "an existing file", "no such file") from None
    except IsADirectoryError:
        raise DataError(display_path(p), None, None, "a file", "a directory") from None
    except OSError as exc:
        raise DataError(display_path(p), None, None, "a readable file", exc.strerror or str(exc)) \
            from None
    return decode_bytes(raw, p)


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
