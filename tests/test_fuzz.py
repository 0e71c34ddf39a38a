"""Property-based fuzzing (hypothesis) of every reader of user input.

Whatever the input, each reader must return a valid typed result or raise the project's
own error type, with file, row and column where they apply -- never another exception,
a hang, or a silently wrong frame:

- every loader of a bundled table (``analysis.data.load_*``; the fuzzed file replaces the
  table in a temporary data folder), and ``validate_all`` over a copy of ``data/`` with one
  table fuzzed (checks across tables must report problems, not crash): frame or
  :class:`analysis.errors.DataError`;
- :func:`analysis.votes_io.load_votes`: UN Digital Library CSV bytes, and unvotes folders
  with one of their three files fuzzed or missing: frame or DataError;
- ``validate_file`` and ``python -m analysis validate PATH`` (in-process, through
  :func:`analysis.cli.main`): problems and exit code 0 or 1, never a traceback;
- :func:`analysis.nbparams.parse_parameters` (specs, or ValueError for a cell that is
  not valid Python) and :func:`~analysis.nbparams.check_values` (messages, never an
  exception);
- :func:`analysis.report_config.coerce_cli_value` and :func:`~analysis.report_config.parse_config`:
  a value, or :class:`analysis.report_config.UsageError`.

Inputs are raw random bytes, and near-valid CSVs: a real header and real rows with cells,
header names and bytes mutated (wrong types, huge numbers, unicode, quotes, embedded
newlines, BOMs, CP932 text, NULs, an enormous field), written in UTF-8, UTF-8 with BOM,
CP932, UTF-16 or Latin-1.

Every call runs under a time guard (``FUZZ_SECONDS``, default 10 s per call; SIGALRM
where available, and the elapsed time is checked in any case) so that a hang fails the
test instead of blocking the run.

How many examples: 30 per property by default, so the normal run stays fast (well under
a minute). For a long run set ``FUZZ_EXAMPLES``::

    FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/test_fuzz.py -q

Failing examples are stored in ``.hypothesis/`` (git-ignored) and replayed first on the
next run; hypothesis prints the smallest failing input.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import cli, nbparams, votes_io
from analysis import data as d
from analysis.errors import DataError, Problem, display_path
from analysis.report_config import (
    NAME_RE,
    RunSpec,
    UsageError,
    coerce_cli_value,
    parse_config,
    shown,
)
from analysis.tables import TABLES
from analysis.validate import validate_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
GUARD_SECONDS = float(os.environ.get("FUZZ_SECONDS", "10"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much,
                           HealthCheck.large_base_example],
)


# --- the time guard ------------------------------------------------------------------------


class Hang(BaseException):  # noqa: N818 - BaseException: no `except Exception` may swallow it
    """A call that ran longer than the time guard allows."""


@contextlib.contextmanager
def time_guard(what: str, seconds: float = GUARD_SECONDS) -> Iterator[None]:
    """Fail when the body runs longer than ``seconds`` (interrupting it where possible)."""
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is \
        threading.main_thread()
    old: Any = None
    if use_alarm:
        def on_alarm(signum: int, frame: object) -> None:
            raise Hang(f"{what}: still running after {seconds:g} s")

        old = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    elapsed = time.monotonic() - start
    assert elapsed < seconds, f"{what}: took {elapsed:.1f} s (limit {seconds:g} s)"


def outcome(what: str, fn: Callable[..., Any], *args: Any,
            errors: tuple[type[BaseException], ...] = (DataError,), **kwargs: Any
            ) -> tuple[Any, BaseException | None]:
    """``(result, None)`` or ``(None, error)`` for one of ``errors``; anything else fails."""
    with time_guard(what):
        try:
            return fn(*args, **kwargs), None
        except errors as exc:
            return None, exc


def check_problem(p: Problem, files: set[str]) -> None:
    assert isinstance(p, Problem)
    assert p.file in files, (p.file, files)
    assert p.row is None or (isinstance(p.row, int) and p.row >= 1), p
    assert p.column is None or isinstance(p.column, str), p
    assert isinstance(p.expected, str) and p.expected, p
    assert isinstance(p.found, str), p
    line = str(p)
    assert "\n" not in line and "\r" not in line, repr(line)  # one line per problem
    assert len(line) < 2000, line[:300]


def check_data_error(exc: DataError, files: set[str]) -> None:
    """A DataError as the command line prints it: file, row, column, one line each."""
    assert exc.problems
    for p in exc.problems:
        check_problem(p, files)
    first = exc.problems[0]
    assert (exc.file, exc.row, exc.column) == (first.file, first.row, first.column)
    assert str(exc).split("\n") == [str(p) for p in exc.problems]


# --- input generators -----------------------------------------------------------------------

NASTY = [
    "", " ", "  padded  ", "-1", "-3", "0", "-0", "1", "170.5", "1e5", "1e300", "-1e300",
    "9" * 25, "99999999999999999999", "9007199254740993", "NaN", "nan", "inf", "-inf",
    "1,000", "TRUE", "false", "yes", "no", "Y", "N", "A", "X", "NV", "Yes", "Q", "abstain",
    "absent", "NA", "ZZZ", "GER", "SUN", "JPN", "XX", "US", "CS", "ES-10", "ES-", "ES-x",
    "ES 10", "S-10", "79", "0.0", "A/RES/ES-10/24", "A/RES/1653(XVI)", "61/74", "A/61/PV.67",
    "2024-12-02", "2024/12/02", "2024-12-02 10:30", "1945-10-24", "1946-01-01",
    "2099-12-01", "2024-02-30", "2024-13-45", "0001-01-01", "9999-12-31", "1990", "2006-06",
    "<script>alert(1)</script>", "**bold**", "[link](javascript:x)", '"', '""', "'",
    'say "hi", then go', "a,b", "a;b", "a\nb", "a\r\nb", "\r", "\n", "\t", "\ufeff",
    "\ufeffBOM", "\x00", "a\x00b", "\x1a", "\u2028", "\u202e", "😀", "e\u0301",
    "核兵器廃絶決議（日本提出）", "①㈱髙～", "ｱｲｳ", "Ünïcödé", "ß", "I", "ı",
    "=cmd|'/C calc'!A0", "%s%s%n", "{0}", "\\", "x" * 100_001,
]
NASTY_VOTES = NASTY + ["Y", "N", "A", "X", "NV", "y", " n ", "Yes", "VOTE"]


def text_values(nasty: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(nasty),
        st.text(max_size=12),
        st.integers(-(10**25), 10**25).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.text(alphabet="0123456789-/.:ESTes ", max_size=12),
    )


def read_rows(path: Path, encoding: str = "utf-8-sig") -> tuple[list[str], list[list[str]]]:
    text = path.read_bytes().decode(encoding)
    records = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    return records[0], records[1:]


ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "cp932", "utf-16", "latin-1"]


def encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@st.composite
def near_valid_csv(draw: st.DrawFn, header: list[str], rows: list[list[str]],
                   nasty: list[str]) -> bytes:
    """A real header and real rows, a few cells/names/bytes mutated, in some encoding."""
    n = draw(st.integers(1, min(4, len(rows))))
    start = draw(st.integers(0, len(rows) - n))
    head = list(header)
    body = [list(r) for r in rows[start:start + n]]
    values = text_values(nasty)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["cell"] * 6 + ["header", "drop_column", "duplicate_row",
                                                    "extra_field", "blank_row", "swap"]))
        i = draw(st.integers(0, len(body) - 1))
        j = draw(st.integers(0, len(head) - 1)) if head else 0
        if kind == "cell" and j < len(body[i]):
            body[i][j] = draw(values)
        elif kind == "header" and head:
            head[j] = draw(st.one_of(values, st.sampled_from(head)))
        elif kind == "drop_column" and len(head) > 1:
            head.pop(j)
            for r in body:
                if j < len(r):
                    r.pop(j)
        elif kind == "duplicate_row":
            body.append(list(body[i]))
        elif kind == "extra_field":
            body[i].append(draw(values))
        elif kind == "blank_row":
            body.insert(i, [])
        elif kind == "swap" and len(body[i]) > 1:
            k = draw(st.integers(0, len(body[i]) - 1))
            body[i][j], body[i][k] = body[i][k], body[i][j]
    style = draw(st.sampled_from(["minimal", "minimal", "all", "raw"]))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    if style == "raw":  # no quoting at all: commas, quotes and newlines in cells break rows
        text = newline.join(",".join(r) for r in [head, *body]) + newline
    else:
        out = io.StringIO(newline="")
        quoting = csv.QUOTE_ALL if style == "all" else csv.QUOTE_MINIMAL
        csv.writer(out, quoting=quoting, lineterminator=newline).writerows([head, *body])
        text = out.getvalue()
    raw = encode(text, draw(st.sampled_from(ENCODINGS)))
    mutation = draw(st.sampled_from(["none"] * 6 + ["truncate", "nul", "bytes", "bom",
                                                    "cp932_bytes", "drop_newline"]))
    at = draw(st.integers(0, len(raw)))
    if mutation == "truncate":
        raw = raw[:at]
    elif mutation == "nul":
        raw = raw[:at] + b"\x00" + raw[at:]
    elif mutation == "bytes":
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    elif mutation == "bom":
        raw = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + raw
    elif mutation == "cp932_bytes":
        raw = raw[:at] + "核兵器".encode("cp932") + raw[at:]
    elif mutation == "drop_newline":
        raw = raw.rstrip(b"\r\n")
    return raw


def payloads(header: list[str], rows: list[list[str]], nasty: list[str]
             ) -> st.SearchStrategy[bytes]:
    """Raw bytes, the real header followed by raw bytes, or a near-valid CSV."""
    head = (",".join(header) + "\n").encode()
    return st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=400).map(lambda b: head + b),
        near_valid_csv(header, rows, nasty),
        near_valid_csv(header, rows, nasty),
        near_valid_csv(header, rows, nasty),
    )


# --- bundled tables --------------------------------------------------------------------------

TABLE_ROWS = {name: read_rows(ROOT / "data" / spec.path) for name, spec in TABLES.items()}
LOADERS: dict[str, Callable[..., pd.DataFrame]] = d.LOADERS
TODAY = pd.Timestamp.today().normalize()
FIRST_DATE = pd.Timestamp("1946-01-01")


def table_payloads(name: str) -> st.SearchStrategy[bytes]:
    header, rows = TABLE_ROWS[name]
    return payloads(header, rows, NASTY)


def check_typed_table(name: str, frame: pd.DataFrame, raw: pd.DataFrame | None) -> None:
    """A loaded table obeys its spec; ``raw`` (strings by spreadsheet row) when indexed so."""
    spec = TABLES[name]
    assert len(frame) > 0
    for c in spec.columns:
        s = frame[c.name]
        if c.kind == "int":
            assert str(s.dtype) == "Int64", (c.name, s.dtype)
        elif c.kind == "float":
            assert str(s.dtype) == "Float64", (c.name, s.dtype)
            vals = s.dropna().astype(float)
            assert vals.map(math.isfinite).all(), (c.name, vals.tolist())
        elif c.kind == "bool":
            assert str(s.dtype) == "boolean", (c.name, s.dtype)
        elif c.kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(s), (c.name, s.dtype)
        present = s.dropna()
        if c.required:
            assert s.notna().all(), (c.name, "empty required cell")
        texts = present.astype(str)
        if c.allowed is not None:
            assert texts.isin(c.allowed).all(), (c.name, sorted(set(texts) - set(c.allowed)))
        if c.pattern is not None:
            bad = texts[~texts.map(lambda v, p=c.pattern: re.search(p, v) is not None)]
            assert bad.empty, (c.name, bad.tolist())
        if c.kind in ("int", "float"):
            if c.minimum is not None:
                assert (present >= c.minimum).all(), (c.name, present.tolist())
            if c.maximum is not None:
                assert (present <= c.maximum).all(), (c.name, present.tolist())
        if c.kind in ("str", "partial_date") and not isinstance(s.dtype, pd.CategoricalDtype):
            assert present.map(lambda v: isinstance(v, str) and v == v.strip() and v).all()
    if spec.key:
        assert not frame.duplicated(spec.key).any(), "duplicate key"
    if name == "resolutions":
        dates = frame["date"].dropna()
        assert ((dates >= FIRST_DATE) & (dates <= TODAY)).all(), dates.tolist()
    if raw is not None:  # numbers are exactly the numbers written in the cells
        for c in spec.columns:
            if c.kind not in ("int", "float"):
                continue
            for row, value in frame[c.name].dropna().items():
                cell = raw.at[row, c.name].replace(",", "") if c.kind == "float" \
                    else raw.at[row, c.name]
                try:
                    written = Decimal(cell)
                except InvalidOperation:
                    pytest.fail(f"{name}:{row}:{c.name}: {cell!r} loaded as {value!r}")
                same_number = float(written) == float(value) if c.kind == "float" \
                    else written == int(value)
                assert same_number, (name, row, c.name, cell, value)


@pytest.mark.slow  # 30 loads of each bundled table: about 15 s in all
@pytest.mark.parametrize("name", list(TABLES))
@FUZZ
@given(payload=st.data())
def test_bundled_table_loaders(name: str, payload: st.DataObject, tmp_path: Path) -> None:
    blob = payload.draw(table_payloads(name), label="file bytes")
    target = tmp_path / "data" / TABLES[name].path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(blob)
    files = {display_path(target)}
    loaders = [LOADERS[name]] + ([d.load_participants] if name == "meetings" else [])
    for loader in loaders:
        frame, err = outcome(f"{loader.__name__}", loader, data=tmp_path / "data")
        if err is not None:
            check_data_error(err, files)
            continue
        if loader is not d.load_participants:
            check_typed_table(name, frame, None)
    # the table by spreadsheet row: numbers must be the numbers in the cells
    frame, err = outcome("load_table", d.load_table, name, tmp_path / "data")
    if err is None:
        from analysis.csvio import read_csv_text

        check_typed_table(name, frame, read_csv_text(target))
    else:
        check_data_error(err, files)


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzzdata") / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


@pytest.mark.slow  # each example validates every bundled table: about 1 s
@FUZZ
@given(payload=st.data())
def test_validate_all_with_one_fuzzed_table(data_copy: Path, payload: st.DataObject) -> None:
    name = payload.draw(st.sampled_from(list(TABLES)), label="table")
    target = data_copy / TABLES[name].path
    original = target.read_bytes()
    target.write_bytes(payload.draw(table_payloads(name), label="file bytes"))
    try:
        problems, _ = outcome("validate_all", d.validate_all, data_copy, errors=())
        files = {display_path(data_copy / spec.path) for spec in TABLES.values()}
        for p in problems:
            check_problem(p, files)
        assert problems == sorted(set(problems), key=lambda p: (p.file, p.row or 0,
                                                                p.column or "", p.expected,
                                                                p.found))
        lines = run_cli("validate", "--quiet", "--data-dir", str(data_copy))
        assert lines == (1 if problems else 0, [str(p) for p in problems])
    finally:
        target.write_bytes(original)


def run_cli(*argv: str) -> tuple[int, list[str]]:
    """``python -m analysis ARGS`` in-process: exit code and stdout lines (no traceback)."""
    out, err = io.StringIO(), io.StringIO()
    with time_guard("python -m analysis " + " ".join(argv[:2])), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    assert "Traceback" not in err.getvalue() + out.getvalue()
    assert code in (0, 1), (code, err.getvalue())
    return code, out.getvalue().split("\n")[:-1]  # one line per problem, "\n"-terminated


# --- UN voting data -------------------------------------------------------------------------

UNDL_2026 = read_rows(FIXTURES / "undl" / "undl_2026.csv")
UNDL_2024 = read_rows(FIXTURES / "undl" / "undl_2024_layout.csv")
UNDL_NV = read_rows(FIXTURES / "undl" / "undl_nv_layout.csv")
UNVOTES = {name: read_rows(FIXTURES / "unvotes" / name) for name in votes_io.UNVOTES_FILES}
SESSION = re.compile(r"(?:\d+|ES-\d+|S-\d+)")
UNDL_CODES = {"Y", "N", "A", "X", "NV", ""}
COUNT_COLUMNS = {"yes": ("total_yes", "yes"), "no": ("total_no", "no"),
                 "abstain": ("total_abstentions", "abstentions")}


def undl_payloads() -> st.SearchStrategy[bytes]:
    return st.one_of(payloads(*UNDL_2026, NASTY_VOTES), payloads(*UNDL_2024, NASTY_VOTES),
                     near_valid_csv(*UNDL_NV, NASTY_VOTES))


def check_votes_frame(df: pd.DataFrame) -> None:
    """The tidy frame of :func:`analysis.votes_io.load_votes`, as documented."""
    assert list(df.columns) == votes_io.COLUMNS
    assert len(df) > 0 and isinstance(df.index, pd.RangeIndex) and df.index.start == 0
    for col in ("vote_id", "session", "resolution", "title", "country_name", "issues"):
        assert pd.api.types.is_string_dtype(df[col]), col
        assert not df[col].isna().any(), col
    assert (df["vote_id"].str.strip() != "").all()
    assert df["session"].map(lambda s: SESSION.fullmatch(s) is not None).all(), \
        sorted(set(df["session"]))
    assert isinstance(df["vote"].dtype, pd.CategoricalDtype)
    assert list(df["vote"].cat.categories) == votes_io.VOTE_CATEGORIES
    assert df["vote"].notna().all()
    assert isinstance(df["country"].dtype, pd.CategoricalDtype)
    assert df["country"].notna().all()
    assert set(df["country"].astype(str)) <= votes_io._iso3_codes()
    assert df["date"].dtype == "datetime64[ns]" and df["date"].notna().all()
    assert ((df["date"] >= FIRST_DATE) & (df["date"] <= TODAY)).all(), df["date"].tolist()
    assert df["year"].dtype == "int64" and (df["year"] == df["date"].dt.year).all()
    assert df["whole_resolution"].dtype == bool
    assert not df.duplicated(["vote_id", "country"]).any()
    assert df["title"].str.len().max() <= 100_000


def raw_records(blob: bytes) -> tuple[list[str], list[list[str]]] | None:
    """Header (normalised) and non-blank records as Python's csv module reads them."""
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = blob.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None
    records = [r for r in records if any(f.strip() for f in r)]
    if not records:
        return None
    header = [votes_io.UNDL_ALIASES.get(votes_io._norm_header(h), votes_io._norm_header(h))
              for h in records[0]]
    return header, records[1:]


def check_undl_against_source(df: pd.DataFrame, blob: bytes) -> None:
    """A UNDL file that loaded: one row per record, codes and counts as the rules say."""
    parsed = raw_records(blob)
    if parsed is None:
        return
    header, body = parsed
    assert len(df) == len(body), (len(df), len(body))
    col = {h: i for i, h in enumerate(header)}
    assert {r[col["ms_vote"]].strip().upper() for r in body} <= UNDL_CODES
    counted = [next(n for n in names if n in col) for names in COUNT_COLUMNS.values()
               if any(n in col for n in names)]
    totals: dict[str, float] = {}
    for r in body:
        cells = [r[col[c]].strip() for c in counted]
        assert all(re.fullmatch(r"\d+(?:\.0+)?", v) for v in cells if v), cells
        totals[r[col["undl_id"]].strip()] = sum(float(v) for v in cells if v)
    votes = df.drop_duplicates("vote_id")
    members = d.members_on(votes["date"], d.load_membership())
    for vid, m in zip(votes["vote_id"], members, strict=True):
        if not pd.isna(m):
            assert totals[vid] <= m, (vid, totals[vid], m)


@FUZZ
@given(blob=undl_payloads())
@example(blob=b"undl_id,ms_code,ms_name,ms_vote,date,resolution,title\n,\n")
def test_load_votes_undl(blob: bytes, tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_bytes(blob)
    frame, err = outcome("load_votes", votes_io.load_votes, path, cache=False)
    if err is not None:
        check_data_error(err, {display_path(path)})
        return
    check_votes_frame(frame)
    check_undl_against_source(frame, blob)
    # the Parquet cache gives back the same frame
    cache = tmp_path / "cache"
    for _ in range(2):
        again, _ = outcome("load_votes (cache)", votes_io.load_votes, path, cache=cache,
                           errors=())
        pd.testing.assert_frame_equal(again, frame)


@FUZZ
@given(payload=st.data())
def test_load_votes_unvotes(payload: st.DataObject, tmp_path: Path) -> None:
    folder = tmp_path / "unvotes"
    folder.mkdir(exist_ok=True)
    for name in votes_io.UNVOTES_FILES:
        shutil.copyfile(FIXTURES / "unvotes" / name, folder / name)
    name = payload.draw(st.sampled_from(votes_io.UNVOTES_FILES), label="file")
    action = payload.draw(st.sampled_from(["fuzz"] * 5 + ["delete"]), label="action")
    if action == "delete":
        (folder / name).unlink()
    else:
        (folder / name).write_bytes(payload.draw(payloads(*UNVOTES[name], NASTY_VOTES),
                                                 label="file bytes"))
    target = payload.draw(st.sampled_from([folder, folder / "un_votes.csv"]), label="path")
    frame, err = outcome("load_votes", votes_io.load_votes, target, cache=False)
    files = {display_path(folder / n) for n in votes_io.UNVOTES_FILES}
    if err is not None:
        check_data_error(err, files)
        return
    assert action == "fuzz"
    check_votes_frame(frame)
    assert "non_voting" not in set(frame["vote"])


@FUZZ
@given(payload=st.data())
def test_validate_file_and_cli(payload: st.DataObject, tmp_path: Path) -> None:
    kind = payload.draw(st.sampled_from(["table", "undl"]), label="kind")
    if kind == "table":
        table = payload.draw(st.sampled_from(list(TABLES)), label="table")
        path = tmp_path / Path(TABLES[table].path).name
        path.write_bytes(payload.draw(table_payloads(table), label="file bytes"))
    else:
        path = tmp_path / "votes.csv"
        path.write_bytes(payload.draw(undl_payloads(), label="file bytes"))
    problems, _ = outcome("validate_file", validate_file, path, errors=())
    for p in problems:
        check_problem(p, {display_path(path)})
    code, lines = run_cli("validate", "--quiet", str(path))
    assert (code, lines) == (1 if problems else 0, [str(p) for p in problems])


# --- notebook parameters --------------------------------------------------------------------

NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda n: n not in {"if", "in", "is", "or", "as", "def", "del", "for", "and", "not",
                        "try", "else", "elif", "from", "with", "pass", "while", "async",
                        "await", "class", "raise", "break", "yield", "lambda", "import",
                        "return", "assert", "except", "global", "finally", "continue",
                        "nonlocal", "match", "case", "type", "_"})
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=15))
LITERALS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)
CHOICE = st.text(alphabet=st.characters(blacklist_characters=",;#\r\n\x0b\x0c\x1c\x1d\x1e"
                                        "\x85\u2028\u2029",
                                        blacklist_categories=("Cs", "Zs", "Cc")),
                 min_size=1, max_size=6)


def _literal_ok(value: Any) -> bool:
    """True when ``repr(value)`` reads back with ast.literal_eval (no nan/inf inside)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(map(_literal_ok, value))
    if isinstance(value, dict):
        return all(map(_literal_ok, value.values()))
    return True


TYPE_WORDS = {"int", "float", "str", "bool", "list", "dict", "None"}


@st.composite
def parameter_cells(draw: st.DrawFn) -> tuple[str, dict[str, dict[str, Any]]]:
    """Source of a parameters cell and what each parameter should parse to."""
    lines, want = [], {}
    for _ in range(draw(st.integers(1, 5))):
        name = draw(NAMES)
        value = draw(LITERALS)
        rule = draw(st.sampled_from(["none", "one_of", "range", "not_before", "text"]))
        comment, expect = "", {"choices": None, "low": None, "high": None, "not_below": None}
        if rule == "one_of":
            choices = draw(st.lists(CHOICE, min_size=1, max_size=3))
            comment = "one of: " + ", ".join(choices)
            expect["choices"] = tuple(choices)
        elif rule == "range":
            low = draw(st.one_of(st.none(), st.integers(-5000, 5000)))
            high = draw(st.one_of(st.none(), st.integers(-5000, 5000)))
            comment = f"range: {'' if low is None else low}..{'' if high is None else high}"
            expect["low"], expect["high"] = low, high
        elif rule == "not_before":
            other = draw(NAMES)
            comment = f"not before {other}"
            expect["not_below"] = other
        elif rule == "text":
            comment = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                                          blacklist_characters="\r\n\x0b\x0c"
                                                          "\x1c\x1d\x1e\x85\u2028\u2029"),
                                   max_size=20)).strip()
            parts = [c.strip() for c in comment.split(";")]
            if any(re.match(r"(each )?one of:|range:", c) or "not before" in c
                   or (c and all(w.strip() in TYPE_WORDS for w in c.split(" or ")))
                   for c in parts):
                comment, rule = "", "none"
        annotation = draw(st.sampled_from(["", ": int | None", ": list[str] | None",
                                           ": str", ": float"]))
        line = f"{name}{annotation} = {value!r}"
        if comment:
            line += f"  # {comment}"
        lines.append(line)
        if rule == "text":
            expect = {"choices": None, "low": None, "high": None, "not_below": None}
        want[name] = {"default": value if _literal_ok(value) else None, **expect,
                      "help": comment if rule == "text" else ""}
    return "\n".join(lines) + "\n", want


def same(a: Any, b: Any) -> bool:
    """Equality that treats nan as equal to nan, recursively."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@FUZZ
@given(cell=parameter_cells())
@example(cell=('lang = "a # one of: q"  # one of: en, ja\n',
               {"lang": {"default": "a # one of: q", "choices": ("en", "ja"), "low": None,
                         "high": None, "not_below": None, "help": ""}}))
@example(cell=("x = '\u2028'\ny = 2  # range: 1..5\n",
               {"x": {"default": "\u2028", "choices": None, "low": None, "high": None,
                      "not_below": None, "help": ""},
                "y": {"default": 2, "choices": None, "low": 1, "high": 5, "not_below": None,
                      "help": ""}}))
def test_parse_parameters_reads_what_was_written(cell: tuple[str, dict]) -> None:
    source, want = cell
    specs, _ = outcome("parse_parameters", nbparams.parse_parameters, source, errors=())
    assert set(specs) == set(want)
    for name, w in want.items():
        spec = specs[name]
        assert same(spec.default, w["default"]), (name, spec.default, w["default"])
        assert spec.help == w["help"], (name, spec.help, w["help"])
        assert spec.choices == w["choices"], (name, spec.choices)
        assert (spec.low, spec.high) == (w["low"], w["high"]), (name, spec.low, spec.high)
        assert spec.not_below == w["not_below"]


@FUZZ
@given(source=st.one_of(
    st.text(max_size=200),
    parameter_cells().flatmap(lambda c: st.tuples(st.just(c[0]), st.integers(0, len(c[0])),
                                                  st.text(max_size=5)))
    .map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:]),
))
@example(source="x = (")
@example(source="x = {[]: 1}")
@example(source="x = 1  # range: 1.2.3..5")
@example(source="x = 1\x00")
@example(source="(" * 300 + ")" * 300)
def test_parse_parameters_any_text(source: str) -> None:
    specs, err = outcome("parse_parameters", nbparams.parse_parameters, source,
                         errors=(ValueError,))
    if err is not None:
        assert "parameters" in str(err), str(err)
        return
    assert all(isinstance(s, nbparams.ParamSpec) for s in specs.values())


@FUZZ
@given(cell=parameter_cells(), values=st.dictionaries(NAMES, LITERALS, max_size=4))
@example(cell=("y = 2  # range: 1..5\n", {}), values={"y": float("nan")})
@example(cell=("y = 2\n", {}), values={"y": 10**5000})
def test_check_values_never_raises(cell: tuple[str, dict], values: dict[str, Any]) -> None:
    specs = nbparams.parse_parameters(cell[0])
    problems, _ = outcome("check_values", nbparams.check_values, values, specs, "00_x.ipynb",
                          errors=())
    assert isinstance(problems, list) and all(isinstance(p, str) for p in problems)
    assert all(p.startswith("00_x.ipynb: ") and len(p) < 2000 for p in problems)
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            assert any(f"unknown parameter {name} " in p for p in problems)
            continue
        mentioned = any(f"parameter {name}:" in p for p in problems)
        if isinstance(value, int | float) and not isinstance(value, bool) and \
                nbparams._type_ok(value, spec.types):
            inside = (spec.low is None or value >= spec.low) and \
                (spec.high is None or value <= spec.high)
            if not inside:  # nan is never inside a declared range
                assert mentioned, (name, value, spec)
        if not nbparams._type_ok(value, spec.types):
            assert mentioned, (name, value, spec.types)


# --- report runner values -------------------------------------------------------------------


@FUZZ
@given(text=st.one_of(
    st.text(max_size=40),
    st.sampled_from(["3", "-0", "2.5", "1e3", "nan", "inf", "True", "False", "None", "true",
                     "ja", "[USA, CHN]", "{a: 1}", "[1, 2", "{a: [}", "[*x]", "[&a 1, *a]",
                     "[!!python/object:os.system x]", "[!!binary x]", "[" * 10 + "]" * 10]),
    st.lists(st.sampled_from(["[", "]", "{", "}", ",", ":", " ", "a", "1", "'", '"', "-",
                              "!", "&", "*", "?", "#", "\n"]), max_size=30).map("".join),
))
def test_coerce_cli_value(text: str) -> None:
    value, err = outcome("coerce_cli_value", coerce_cli_value, text, errors=(UsageError,))
    if err is not None:  # the message quotes the value, cut short when long
        assert text.startswith(("[", "{")) and shown(text) in str(err)
        return
    if text in ("True", "False", "None"):
        assert value == {"True": True, "False": False, "None": None}[text]
    elif isinstance(value, bool) or value is None:
        assert text.startswith(("[", "{"))
    elif isinstance(value, int):
        assert int(text) == value
    elif isinstance(value, float):
        assert same(float(text), value)
    elif isinstance(value, str):
        assert value == text
    else:
        assert text.startswith(("[", "{")) and isinstance(value, list | dict)


def test_coerce_cli_value_empty_text_stays_text() -> None:
    assert coerce_cli_value("") == ""


@pytest.mark.parametrize("text", ["[\x07]", "{\x00}"])
def test_coerce_cli_value_control_characters(text: str) -> None:
    with pytest.raises(UsageError):
        coerce_cli_value(text)


def test_coerce_cli_value_deep_nesting() -> None:
    with pytest.raises(UsageError):
        coerce_cli_value("[" * 5000)


KEYS = st.sampled_from(["runs", "defaults", "parameters", "notebooks", "notebook_parameters",
                        "en", "ja", "01", "lang", "x y", "../up", ""])
YAMLISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 120), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(KEYS, st.integers(0, 3)), inner,
                                            max_size=3)),
    max_leaves=8)
PARAMS = st.dictionaries(st.one_of(KEYS, st.text(max_size=6)), YAMLISH, max_size=3)
RUN_BODY = st.one_of(
    st.none(), YAMLISH,
    st.fixed_dictionaries({}, optional={
        "parameters": st.one_of(st.none(), PARAMS),
        "notebooks": st.one_of(st.none(), st.lists(st.one_of(st.integers(0, 120),
                                                             st.text(max_size=6)),
                                                   max_size=3)),
        "notebook_parameters": st.one_of(st.none(), st.dictionaries(
            st.one_of(st.integers(0, 120), st.text(max_size=6)),
            st.one_of(st.none(), PARAMS), max_size=2)),
        "other": YAMLISH,
    }),
)
CONFIGS = st.one_of(
    YAMLISH,
    st.fixed_dictionaries({"runs": st.one_of(YAMLISH, st.dictionaries(
        st.one_of(KEYS, st.text(max_size=70), st.integers(-3, 3)), RUN_BODY, max_size=3))},
        optional={"defaults": st.one_of(YAMLISH, PARAMS)}),
)


@FUZZ
@given(config=CONFIGS)
@example(config={"runs": {"en": {"parameters": {"lang": "en"}}}})
def test_parse_config(config: Any) -> None:
    runs, err = outcome("parse_config", parse_config, config, "cfg.yml", errors=(UsageError,))
    if err is not None:
        assert str(err).startswith("cfg.yml: ")
        return
    assert runs and all(isinstance(r, RunSpec) for r in runs)
    for r in runs:
        assert NAME_RE.match(r.name)
        assert isinstance(r.parameters, dict)
        assert r.notebooks is None or all(isinstance(n, str) for n in r.notebooks)
        assert all(isinstance(k, str) and isinstance(v, dict)
                   for k, v in r.notebook_parameters.items())


@pytest.mark.parametrize("body", [
    {"parameters": [1, 2]},
    {"notebooks": 5},
    {"notebooks": "01"},
    {"notebook_parameters": [1]},
    {"notebook_parameters": {"01": [1]}},
    {"notebook_parameters": {"01": 5}},
    {0: None},
], ids=["parameters-list", "notebooks-int", "notebooks-str", "nbparams-list",
        "nbparams-value-list", "nbparams-value-int", "int-key"])
def test_parse_config_checks_the_shape_of_a_run(body: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        parse_config({"runs": {"en": body}}, "cfg.yml")


# --- regressions: inputs the fuzzer found, kept as fixed examples ----------------------------

VC_HEADER = "resolution_id,source_id,source,source_kind,yes,no,abstain,non_voting,source_url,note\n"
IND_HEADER = ("indicator_id,cycle_id,objective_no,name_ja,name_en,indicator_type,"
              "reference_period,target_value,actual_value,actual_text,unit,linked_dataset,"
              "linked_years,source_kind,source,source_url,notes\n")


@pytest.mark.parametrize(("table", "blob", "expected"), [
    # a file of empty fields only: IndexError in csvio
    ("families", b",\n", ["{file}: expected a header line and data rows, found only empty "
                          "fields"]),
    ("families", b'""\n', ["{file}: expected a header line and data rows, found only empty "
                           "fields"]),
    # an integer beyond int64: TypeError in the Int64 cast
    ("vote_counts", (VC_HEADER + "a_1,s,U,un_official,1655e66,,,,,\n").encode(),
     ["{file}:2:yes: expected an integer, found '1655e66'"]),
    # integers beyond 2**53 loaded as a different number (9.000111655e18 -> ...512)
    ("vote_counts", (VC_HEADER + "a_1,s,U,un_official,9.000111655e18,9007199254740993,170.0,"
                     ",,\n").encode(),
     ["{file}:2:no: expected an integer, found '9007199254740993'",
      "{file}:2:yes: expected an integer, found '9.000111655e18'"]),
    ("vocabulary", "wording_ja,scale,level,level_label_en,reason,source_url\n目標達成,s,"
     "9.223372036854776e+18,x,r,\n".encode(),
     ["{file}:2:level: expected an integer, found '9.223372036854776e+18'"]),
    # inf and nan loaded as numbers
    ("indicators", (IND_HEADER + "I1,H14,,n,,t,,inf,nan,,,,,k,s,,\n").encode(),
     ["{file}:2:actual_value: expected a number, found 'nan'",
      "{file}:2:target_value: expected a number, found 'inf'"]),
    # an enormous column name copied whole into the message
    ("objectives", b"cycle_id,objective_no," + b"x" * 100_001 + b"\na,b," + b"y" * 100_001
     + b"\n", ["{file}:2: expected a field under 100000 characters, found 100001 characters "
               "in xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (100001 characters)"]),
])
def test_table_regressions(table: str, blob: bytes, expected: list[str], tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    target = Path("data") / TABLES[table].path
    target.parent.mkdir(parents=True)
    target.write_bytes(blob)
    _, err = outcome(table, d.load_table, table, "data")
    assert err is not None
    assert str(err).split("\n") == [e.format(file=target.as_posix()) for e in expected]


@pytest.mark.parametrize(("table", "mutate", "expected"), [
    # a repeated resolution_id: ValueError (length mismatch) in the vote_counts merge
    ("resolutions", lambda s: s + s.splitlines()[-1] + "\n", [
        "data/unga/resolutions.csv:{n}:resolution_id: expected a unique (resolution_id), "
        "found a duplicate of another row: {last}",
        "data/unga/resolutions.csv:{m}:resolution_id: expected a unique (resolution_id), "
        "found a duplicate of another row: {last}"]),
    # two 'compiled' rows for one resolution: ambiguous truth value in the cross check
    ("vote_counts", lambda s: s + next(x for x in s.splitlines() if ",compiled," in x) + "\n", [
        "data/unga/vote_counts.csv:{first}:resolution_id: expected a unique (resolution_id, "
        "source_id), found a duplicate of another row: {compiled}, compiled",
        "data/unga/vote_counts.csv:{m}:resolution_id: expected a unique (resolution_id, "
        "source_id), found a duplicate of another row: {compiled}, compiled"]),
    # a linked_dataset without ':': IndexError in the cross check
    ("indicators", lambda s: s.replace("unga:japan_nuclear", "japan_nuclear", 1), [
        "data/evaluations/indicators.csv:2:linked_dataset: expected text matching "
        "^unga:[a-z][a-z0-9_]*$, found 'japan_nuclear'",
        "data/evaluations/indicators.csv:2:linked_dataset: expected unga:<family> with a family "
        "in unga/families.csv, found 'japan_nuclear'"]),
], ids=["duplicate-resolution", "duplicate-compiled", "linked-dataset-without-colon"])
def test_validate_all_regressions(table: str, mutate: Callable[[str], str],
                                  expected: list[str], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    target = Path("data") / TABLES[table].path
    text = target.read_text(encoding="utf-8")
    target.write_text(mutate(text), encoding="utf-8")
    n = len(text.splitlines())  # the appended row is row n + 1
    problems, _ = outcome("validate_all", d.validate_all, "data", errors=())
    lines = [str(p) for p in problems]
    rows = text.splitlines()
    last = rows[-1].split(",")[0]
    first = next((i for i, r in enumerate(rows) if ",compiled," in r), 0)
    compiled = rows[first].split(",")[0]
    assert lines == [e.format(n=n, m=n + 1, last=last, compiled=compiled, first=first + 1)
                     for e in expected]


@pytest.mark.parametrize(("blob", "expected"), [
    # a header with a quoted line break: pyarrow's skip_rows counted lines, not records
    (b'undl_id,ms_code,ms_name,ms_vote,date,session,resolution,title,"agenda\ntitle"\n'
     b"4068101,JPN,JAPAN,Y,2024-12-02,79,A/RES/79/51,t,a\n", None),
])
def test_votes_regressions(blob: bytes, expected: str | None, tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_bytes(blob)
    frame, err = outcome("load_votes", votes_io.load_votes, path, cache=False)
    if expected is None:
        assert err is None, str(err)
        check_votes_frame(frame)
    else:
        assert err is not None and str(err) == expected
