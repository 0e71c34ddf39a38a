"""Per-country UN General Assembly votes: one loader for two published formats.

:func:`load_votes` reads either format and returns one tidy frame, one row per
member state per vote, with the columns listed in :data:`COLUMNS`:

``vote_id`` (str), ``session`` (str, ``"61"`` or ``"ES-10"``), ``date`` (datetime64[ns]),
``resolution`` (normalised symbol, ``""`` when absent), ``title`` (str), ``country``
(ISO 3166 alpha-3, categorical), ``country_name`` (str), ``vote`` (categorical:
yes / no / abstain / non_voting), ``whole_resolution`` (bool, False for paragraph and
amendment votes), ``issues`` (labels joined with ``"; "``, ``""`` when none), ``year`` (int).
Rows are sorted by date, vote id (numerically when numeric) and country; the index is a
RangeIndex. ``df.attrs["source_format"]`` is ``"undl"`` or ``"unvotes"`` and
``df.attrs["source_path"]`` the path given.

Format 1: UN Digital Library "General Assembly Voting Data" (record 4060887)
--------------------------------------------------------------------------
One CSV, one row per member state per resolution. What was found about its layouts
(public copies of the Library's own description files, ``*_md.md``, found in GitHub
repositories, e.g. Gunelmaas/SNA_team16 ``2024_09_12_ga_resolutions_voting_md.md``):

- Version 1, 2024-09-12 (``2024_09_12_ga_resolutions_voting.csv``): the data dictionary
  lists undl_id, ms_codes, ms_names, ms_votes (Y, N, A, **NV** for non-voting),
  resolutions, title, modality, draft, committee_report, meeting, agenda_titles, subjects,
  date, yes, no, abstentions, non-voting, total-voting, undl_link -- **no session and no
  vote_note column**. Public code reading that very file uses the singular names
  ms_code, ms_name, ms_vote, resolution, modality, so the dictionary's plurals are
  accepted as aliases of the singular names.
- Version 3, 2025-07-23 (data dictionary "Version 3 (July 2025); older versions: Version 2
  (March 2025)") and the 2026 files: undl_id, ms_code, ms_name, ms_vote (Y, N, A, **X** for
  non-voting), date, session, resolution, draft, committee_report, meeting, title,
  agenda_title, subjects, vote_note, total_yes, total_no, total_abstentions,
  total_non_voting, total_ms, undl_link. The March 2025 dictionary itself was not found;
  it is assumed to be one of these two layouts.

What this reader therefore does:

- Headers are compared after stripping, lower-casing and turning spaces/hyphens into
  ``_``; the plural names above are aliases. Required: undl_id, ms_code, ms_name, ms_vote,
  date, resolution, title. Optional: session (derived from the symbol when missing or
  empty: ``A/RES/61/74`` -> ``61``, ``A/RES/ES-10/24`` -> ``ES-10``,
  ``A/RES/1653(XVI)`` -> ``16``), subjects, vote_note; the totals (total_yes, total_no,
  total_abstentions, total_non_voting, total_ms, or the 2024 names yes, no, abstentions,
  non-voting, total-voting) are checked but not returned; other columns are ignored.
- ms_vote (case-insensitive): Y -> yes, N -> no, A -> abstain, X or NV -> non_voting,
  and an **empty cell -> non_voting** (the Library's research guide, "Voting Data in the
  UN Digital Library", lists "Blank = Non-participating"). Anything else is an error.
  X (2025-2026 dictionaries) and NV (2024) may be mixed in one file, e.g. one merged from
  two releases: both are accepted.
- session: a number from 1, or ``ES-10`` / ``S-10`` for emergency and special sessions
  (``ES 10``, ``es-10``, ``61.0`` are normalised); anything else (``ES-``, ``ES-x``) is an
  error.
- date: ``YYYY-MM-DD`` (or with ``/``, optionally with a time), from 1946-01-01 (the
  first General Assembly session) to today; earlier and future dates are errors.
- totals: non-negative integers (``170`` or ``170.0``) or empty; yes + no + abstain must
  not exceed the UN membership on the vote's date (``data/unga/membership.csv``, which
  starts in 1990). A bad total is reported once per vote, at its first row.
- ms_code must be an ISO 3166 alpha-3 code, current or historic per pycountry
  (SUN, DDR, YUG, CSK, YMD, ...). One alias is applied: ``GER`` -> ``DEU``, because a
  public pipeline reading ``2026_02_06_ga_voting.csv`` remaps GER rows to DEU.
- subjects are ``|``-separated in the source; they become ``issues`` joined with ``"; "``.
- Paragraph and amendment votes: the Library's description files say votes on
  individual paragraphs and drafts not adopted are *not included*. Should such a row
  appear anyway, the rule used is: ``whole_resolution`` is False when ``vote_note``
  *starts* with a paragraph/amendment designation ("Separate recorded vote on operative
  paragraph 4", "Paragraph 3", "Amendment ..."); titles are not used, since titles
  such as "Amendment to Article 61 of the Charter" name whole resolutions. Without a
  vote_note column every row is a whole-resolution vote.
- Titles are kept as published, including the catalogue suffix
  " : resolution / adopted by the General Assembly".
- Left out by this format: no issue coding other than the Library's subject terms;
  no paragraph or amendment votes; only resolutions adopted by recorded vote.

Format 2: the ``unvotes`` tidy tables (R package unvotes, as CSV)
-----------------------------------------------------------------
A folder with ``un_votes.csv`` (rcid, country, country_code ISO2, vote yes/no/abstain),
``un_roll_calls.csv`` (rcid, session, importantvote, date, unres, amend, para, short,
descr) and ``un_roll_call_issues.csv`` (rcid, short_name, issue). ISO2 codes become
alpha-3 with pycountry, historic codes included (SU -> SUN, DD -> DDR, YU -> YUG,
YD -> YMD; CS -> CSK, or SCG when the country name mentions Serbia). ``title`` is
``short``, or ``descr`` when short is empty; ``whole_resolution`` is False when amend or
para is 1. Left out by this format: members absent from a vote have **no row**, so
``non_voting`` never appears; no UNDL record ids, subjects or vote notes; issues exist
only for the six Voeten issue codes. Issue rows whose rcid has no roll call are ignored.
Sessions and dates are checked by the rules of format 1.

Bad input raises :class:`analysis.errors.DataError` naming file, row (header = 1),
column and expectation; up to :data:`MAX_PROBLEMS` problems are listed, then a summary.
In either format a field longer than :data:`analysis.csvio.MAX_FIELD` (100,000) characters
is an error, as in the bundled tables: it means a broken file (a stray quote).
Rows are numbered as CSV records (a quoted multi-line cell is one row; wholly empty
lines are not counted, as in :mod:`analysis.csvio`).

Speed: a UNDL file that is plainly valid UTF-8 takes a fast path. It is memory-mapped,
checked for NUL bytes and UTF-8 validity without building a Python string, and only the
columns used here are parsed by ``pyarrow.csv``, straight into dictionary-encoded
columns (distinct values and a code per row); every rule above then runs once per
distinct value, the sort order is computed on integer codes, and the text columns are
built by pyarrow from the distinct values. At the first problem of any kind (not UTF-8,
a bad header, a parse error, a blank row, a bad value, a duplicate) the fast path gives
up and the checked path parses the file again: decoded with
:func:`analysis.csvio.read_text` (CP932 is transcoded to UTF-8), parsed as string
columns and validated with vectorised masks, so that every problem is reported with its
row. Both paths give identical frames (``tests/test_bench.py`` checks this on a
synthetic record). :func:`load_votes` wraps the parsing step (:func:`_parse_votes`) in
the Parquet cache of :mod:`analysis.votes_cache` (argument ``cache``).

>>> fixtures = Path(__file__).parents[2] / "tests" / "fixtures"
>>> df = load_votes(fixtures / "undl" / "undl_2026.csv")
>>> df.loc[df["session"] == "ES-10", "resolution"].iat[0]
'A/RES/ES-10/24'
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pycountry

from .csvio import (
    MAX_FIELD,
    check_header,
    check_path,
    decode_bytes,
    delimiter_hint,
    open_user_file,
    parse_csv_records,
    read_head,
    read_text,
)
from .errors import DataError, Problem, display_path, short

#: the largest voting file read (the UN Digital Library's file is a few hundred MB)
MAX_VOTES_BYTES = 2 * 1024 * 1024 * 1024

COLUMNS = [
    "vote_id", "session", "date", "resolution", "title", "country", "country_name",
    "vote", "whole_resolution", "issues", "year",
]
VOTE_CATEGORIES = ["yes", "no", "abstain", "non_voting"]
MAX_PROBLEMS = 20

UNDL_REQUIRED = ["undl_id", "ms_code", "ms_name", "ms_vote", "date", "resolution", "title"]
UNDL_ALIASES = {
    "ms_codes": "ms_code", "ms_names": "ms_name", "ms_votes": "ms_vote",
    "resolutions": "resolution", "agenda_titles": "agenda_title",
}
UNDL_VOTES = {"Y": "yes", "N": "no", "A": "abstain", "X": "non_voting", "NV": "non_voting",
              "": "non_voting"}
UNDL_VOTES_EXPECTED = "one of Y, N, A, X, NV (or an empty cell for non-voting)"
UNDL_CODE_ALIASES = {"GER": "DEU"}
DATE_EXPECTED = "a date such as 2024-12-02"
DATE_FIRST_EXPECTED = "a date on or after 1946-01-01 (the first General Assembly session)"
DATE_FUTURE_EXPECTED = "a date not in the future"
SESSION_EXPECTED = "a session number such as 79, or ES-10 for an emergency special session"
COUNT_EXPECTED = "a non-negative integer (or an empty cell)"
# UNDL totals: the 2026 names first, then the September 2024 (Version 1) names
UNDL_COUNTS = {
    "yes": ("total_yes", "yes"), "no": ("total_no", "no"),
    "abstain": ("total_abstentions", "abstentions"),
    "non_voting": ("total_non_voting", "non_voting"),
    "members": ("total_ms",), "voting": ("total_voting",),
}

UNVOTES_FILES = ("un_votes.csv", "un_roll_calls.csv", "un_roll_call_issues.csv")
UNVOTES_REQUIRED = {
    "un_votes.csv": ["rcid", "country", "country_code", "vote"],
    "un_roll_calls.csv": ["rcid", "session", "date", "unres", "amend", "para"],
    "un_roll_call_issues.csv": ["rcid", "issue"],
}
UNVOTES_VOTES = {"yes": "yes", "no": "no", "abstain": "abstain"}
FLAG_VALUES = {"": False, "NA": False, "0": False, "1": True, "FALSE": False, "TRUE": True,
               "0.0": False, "1.0": True}

_PART_VOTE = re.compile(
    r"^\s*(?:separate\s+)?(?:recorded\s+)?(?:vote\s+on\s+)?(?:the\s+)?"
    r"(?:(?:operative|preambular)\s+)?(?:paragraphs?\b|paras?\.|amendments?\b)",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"(?i)^(?:a/res/|res/|r/)")
_BARE = re.compile(r"(?i)^(?:(?:(?:es|s)-)?\d+/\d+|\d+\((?:(?:es|s)-)?[ivxlc]+\))")
_SESSION_IN_SYMBOL = re.compile(
    r"^A/RES/(?:(?P<num>(?:ES-|S-)?\d+)/|\d+\((?P<pre>ES-|S-)?(?P<roman>[IVXLC]+)\))"
)
_DATE_TEXT = r"\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_FIRST_DATE = pd.Timestamp("1946-01-01")  # first General Assembly session: January 1946
_SESSION = re.compile(r"(?:(?:ES|S)-)?[1-9]\d*")
_COUNT_TEXT = r"\d+(?:\.0+)?"
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


# --- public helpers -------------------------------------------------------------------


def normalise_symbol(s: str) -> str:
    """Normalise a General Assembly resolution symbol to ``A/RES/...`` form.

    Whitespace is collapsed (and dropped around ``/`` and before ``(``); ``R/`` and
    ``RES/`` prefixes and bare ``61/74`` forms get the ``A/RES/`` prefix; anything not
    recognisable as a resolution symbol is returned collapsed but otherwise unchanged.

    >>> normalise_symbol("R/61/74")
    'A/RES/61/74'
    >>> normalise_symbol("61/74")
    'A/RES/61/74'
    >>> normalise_symbol("  A/RES/ES-10/19 ")
    'A/RES/ES-10/19'
    >>> normalise_symbol("a / res / 78/ 40")
    'A/RES/78/40'
    >>> normalise_symbol("1653 (xvi)")
    'A/RES/1653(XVI)'
    >>> normalise_symbol("es-11/1")
    'A/RES/ES-11/1'
    >>> normalise_symbol("")
    ''
    """
    text = " ".join(str(s).split())
    if not text:
        return ""
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"\s+\(", "(", text)
    prefix = _PREFIX.match(text)
    if prefix:
        rest = text[prefix.end():]
    elif _BARE.match(text):
        rest = text
    else:
        return text
    rest = re.sub(r"(?i)^(e?s)-", lambda m: m.group(1).upper() + "-", rest)
    rest = re.sub(r"(?i)\(((?:e?s-)?[ivxlc]+)\)", lambda m: "(" + m.group(1).upper() + ")", rest)
    return "A/RES/" + rest


def session_from_symbol(symbol: str) -> str:
    """The session a normalised resolution symbol belongs to, or ``""``.

    >>> session_from_symbol("A/RES/61/74"), session_from_symbol("A/RES/ES-10/24")
    ('61', 'ES-10')
    >>> session_from_symbol("A/RES/1653(XVI)"), session_from_symbol("A/RES/1001(ES-I)")
    ('16', 'ES-1')
    >>> session_from_symbol("A/61/PV.67")
    ''
    """
    m = _SESSION_IN_SYMBOL.match(symbol)
    if not m:
        return ""
    if m["num"]:
        return m["num"]
    return (m["pre"] or "") + str(_roman_to_int(m["roman"]))


def detect_format(path: str | Path) -> str:
    """``"unvotes"`` for an unvotes folder (or one of its files), ``"undl"`` for a UNDL CSV.

    A directory, or a file named un_votes.csv / un_roll_calls.csv / un_roll_call_issues.csv,
    is the unvotes format; any other file is read up to its header line and is UNDL when it
    has an ``ms_vote`` column. Raises DataError otherwise.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> detect_format(folder)
    'unvotes'
    >>> _ = (folder / "votes.csv").write_text("undl_id,MS_Vote\\n1,Y\\n")
    >>> detect_format(folder / "votes.csv")
    'undl'
    """
    p = Path(path)
    name = display_path(p)
    if stat.S_ISDIR(check_path(p, folder_ok=True).st_mode):
        return "unvotes"
    if p.name.lower() in UNVOTES_FILES:
        return "unvotes"
    first = _raw_header(p)
    header = [UNDL_ALIASES.get(h, h) for h in map(_norm_header, first)]
    if "ms_vote" in header:
        return "undl"
    expected = ("a UNDL voting CSV (with an ms_vote column) or an unvotes folder (un_votes.csv, "
                "un_roll_calls.csv, un_roll_call_issues.csv)")
    # shortened as DataError shortens a found value, then the hint (which must stay whole)
    found = short(short("columns " + ", ".join(header), 120)) + delimiter_hint(first)
    raise DataError(name, problems=[Problem(name, 1, None, expected, found)])


def load_votes(path: str | Path, *, cache: bool | str | Path = True) -> pd.DataFrame:
    """Load UNGA per-country votes from a UNDL CSV or an unvotes folder (see module doc).

    ``cache``: True (default) keeps a Parquet copy of sources of 5 MiB or more in the
    per-user cache folder; a folder path caches there whatever the size; False reads the
    source only. See :mod:`analysis.votes_cache` for the key and the safeguards.

    >>> fixtures = Path(__file__).parents[2] / "tests" / "fixtures"
    >>> df = load_votes(fixtures / "unvotes" / "un_votes.csv")
    >>> df.attrs["source_format"], df.loc[0, "country"], df.loc[0, "vote"]
    ('unvotes', 'AUS', 'yes')
    """
    p = Path(path)
    fmt = detect_format(p)
    if cache is False:
        frame = _parse_votes(p, fmt)
    else:
        from .votes_cache import cached_parse

        frame = cached_parse(p, fmt, _parse_votes, cache)
    frame = apply_continuity(frame, fmt)
    frame.attrs["source_format"] = fmt
    frame.attrs["source_path"] = str(p)
    return frame


def continuity_table() -> pd.DataFrame:
    """The bundled continuity table (``data/unga/continuity.csv``): how a state's code in
    a voting dataset maps to the project's one code per state.

    >>> t = continuity_table()
    >>> t.loc[t["source_name"] == "Federal Republic of Germany", "country"].item()
    'DEU'
    """
    from .data import data_dir, load_table

    file = data_dir() / "unga" / "continuity.csv"
    try:
        st = file.stat()
        key: tuple | None = (str(file), st.st_mtime_ns, st.st_size, st.st_ctime_ns)
    except OSError:
        key = None  # load_table reports the missing file
    if key is not None and key in _CONTINUITY:
        return _CONTINUITY[key].copy()  # read and checked once per process and version
    table = load_table("continuity")
    for col in ("source_code", "source_name"):
        table[col] = table[col].astype("object").fillna("").astype(str)
    table = table.reset_index(drop=True)
    if key is not None:
        _CONTINUITY.clear()
        _CONTINUITY[key] = table.copy()
    return table


_CONTINUITY: dict[tuple, pd.DataFrame] = {}


def apply_continuity(frame: pd.DataFrame, layout: str,
                     table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Give every state one code across layouts and renames (see :func:`continuity_table`).

    A row of the table with a ``source_code`` re-codes the votes cast under that code
    (for unvotes the ISO2 code as published, e.g. ``YU``) between ``date_from`` and
    ``date_to``; a row with only ``source_name`` codes the votes whose code is empty in
    the source (unvotes: Federal Republic of Germany, Yemen Arab Republic, Zanzibar).
    The rows apply in the table's order, each to the codes the earlier ones left. The
    work is done on the categorical's integer codes, not on a string per vote.

    >>> f = pd.DataFrame({"country": pd.Categorical(["YUG", "YUG", ""]),
    ...                   "country_name": ["Yugoslavia", "Yugoslavia", "Yemen Arab Republic"],
    ...                   "date": pd.to_datetime(["1990-12-04", "2005-12-08", "1980-12-12"])})
    >>> apply_continuity(f, "unvotes")["country"].tolist()
    ['YUG', 'SRB', 'YEM']
    """
    table = continuity_table() if table is None else table
    rows = table[table["layout"] == layout]
    if rows.empty or frame.empty:
        return frame
    codes, cats = _country_codes(frame["country"])
    index = {c: i for i, c in enumerate(cats)}

    def code_of(value: str) -> int:
        if value not in index:
            index[value] = len(cats)
            cats.append(value)
        return index[value]

    dates = frame["date"].to_numpy()
    blank = index.get("")
    # names matter only where the code is empty: casefold those few, not every row
    blank_rows = np.flatnonzero(codes == blank) if blank is not None else np.array([], int)
    names = np.array([str(n).strip().casefold()
                      for n in frame["country_name"].take(blank_rows)], dtype=object)
    iso2 = _iso2_to_iso3()
    for r in rows.itertuples(index=False):  # a dozen table rows, not data rows
        if r.source_code:
            key = iso2.get(r.source_code, r.source_code) if layout == "unvotes" else r.source_code
            if key not in index:
                continue
            at = np.flatnonzero(codes == index[key])
        else:
            if blank is None or not len(blank_rows):
                continue
            at = blank_rows[(codes[blank_rows] == blank)
                            & (names == r.source_name.strip().casefold())]
        keep = np.ones(len(at), dtype=bool)
        if pd.notna(r.date_from):
            keep &= dates[at] >= np.datetime64(r.date_from)
        if pd.notna(r.date_to):
            keep &= dates[at] <= np.datetime64(r.date_to)
        codes[at[keep]] = code_of(r.country)
    # the categories as pandas.Categorical(strings) would have them: used ones, sorted
    used = np.flatnonzero(np.bincount(codes, minlength=len(cats)))
    labels = np.array(cats, dtype=object)[used]
    order = np.argsort(labels.astype(str), kind="stable")
    remap = np.full(len(cats), -1, dtype=np.int32)
    remap[used[order]] = np.arange(len(used), dtype=np.int32)
    country = pd.Categorical.from_codes(remap[codes], pd.Index(labels[order], dtype="str"))
    return frame.assign(country=country)  # copy-on-write: the input frame is unchanged


def _country_codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """The codes of ``column`` as a writable int array and the list of str they index
    (a categorical keeps its codes; anything else is factorised; a missing value is
    read as the text ``"nan"``, as ``astype(str)`` reads it)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        if not len(codes) or codes.min() >= 0:
            return codes.astype(np.int64), [str(c) for c in column.cat.categories]
    codes, uniques = pd.factorize(column.astype("object").astype(str).to_numpy())
    return codes.astype(np.int64), [str(u) for u in uniques]


# --- parsing --------------------------------------------------------------------------


def _parse_votes(path: Path, fmt: str) -> pd.DataFrame:
    """Parse ``path`` in format ``fmt`` into the tidy frame (no attrs)."""
    if fmt == "undl":
        return _parse_undl(path)
    folder = path if path.is_dir() else path.parent
    return _parse_unvotes(folder)


def _parse_undl(path: Path) -> pd.DataFrame:
    """The fast path for a clean UTF-8 file; anything unusual goes the checked way."""
    frame = _parse_undl_fast(path)
    return frame if frame is not None else _parse_undl_checked(path)


# --- the fast path: distinct values and codes ---------------------------------------------


class _Dict(NamedTuple):
    """A column as its distinct values (object array of str) and a code per row."""

    codes: np.ndarray
    values: np.ndarray

    def map(self, func: Callable[[str], object], dtype: type | str = object) -> _Dict:
        return _Dict(self.codes, np.array([func(v) for v in self.values], dtype=dtype))

    def canonical(self) -> _Dict:
        """Merge equal values (e.g. after stripping): one value per code, first-seen order."""
        remap, uniq = pd.factorize(self.values)
        return _Dict(remap[self.codes].astype(np.int32), np.asarray(uniq, dtype=object))

    def rows(self) -> np.ndarray:
        return self.values[self.codes]


_CSV_THREADS = True  # pyarrow's reader on every core
_UNDL_WANTED = ["undl_id", "ms_code", "ms_name", "ms_vote", "date", "session", "resolution",
                "title", "subjects", "vote_note",
                *(name for names in UNDL_COUNTS.values() for name in names)]


def _read_undl_fast(path: Path) -> dict[str, _Dict] | None:
    """The UNDL columns this reader uses, dictionary-encoded by pyarrow straight from the
    file's bytes; None when the file is not plainly valid (not UTF-8, a NUL byte, a bad
    header, a parse error, a blank row, no data), so the checked path reports it."""
    try:
        with open_user_file(path, MAX_VOTES_BYTES) as fh:
            raw = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, DataError):  # unreadable, special, too large, or empty
        return None  # (which mmap refuses): the checked path says which
    try:
        return _read_undl_mapped(raw)
    finally:
        try:
            raw.close()
        except BufferError:  # pragma: no cover - a buffer still exported; GC closes it
            pass


def _read_undl_mapped(raw: mmap.mmap) -> dict[str, _Dict] | None:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw.find(b"\x00") >= 0 \
            or not _valid_utf8(raw):
        return None
    head = raw[: 1 << 20]
    cut = head.rfind(b"\n") if len(raw) > len(head) else len(head)
    if cut < 0:
        return None
    try:
        first = next(csv.reader(io.StringIO(head[:cut].decode("utf-8-sig"), newline="")), [])
    except (csv.Error, UnicodeDecodeError):
        return None
    header = [UNDL_ALIASES.get(_norm_header(h), _norm_header(h)) for h in first]
    if len(set(header)) != len(header) or any(c not in header for c in UNDL_REQUIRED):
        return None
    generated = [f"c{i}" for i in range(len(header))]
    use = {generated[header.index(c)]: c for c in _UNDL_WANTED if c in header}
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(raw)),
            read_options=pacsv.ReadOptions(column_names=generated, skip_rows=1,
                                           use_threads=_CSV_THREADS),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: text for c in generated}, include_columns=list(use),
                strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=False,
            ),
        )
    except pa.ArrowException:
        return None
    if table.num_rows == 0:
        return None
    table = table.unify_dictionaries()
    columns: dict[str, _Dict] = {}
    blank = np.ones(table.num_rows, dtype=bool)
    for gen, name in use.items():
        arr = table.column(gen).combine_chunks()
        col = _Dict(arr.indices.to_numpy(), arr.dictionary.to_numpy(zero_copy_only=False)
                    .astype(object))
        blank &= col.map(lambda v: not v.strip(), bool).rows()
        columns[name] = col
    if blank.any():  # the checked path decides, looking at every column
        return None
    return columns


def _valid_utf8(raw: bytes | mmap.mmap) -> bool:
    """Whether ``raw`` is valid UTF-8 (checked by pyarrow, without making a str)."""
    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64))
    blob = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(raw)])
    try:
        blob.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _parse_undl_fast(path: Path) -> pd.DataFrame | None:
    """Parse a clean UNDL file by distinct values; None at the first problem of any kind
    (the checked path then reports every problem with its row)."""
    cols = _read_undl_fast(path)
    if cols is None:
        return None
    vote_id = cols["undl_id"].map(str.strip).canonical()
    code = cols["ms_code"].map(lambda v: UNDL_CODE_ALIASES.get(v.strip().upper(),
                                                              v.strip().upper())).canonical()
    vote = cols["ms_vote"].map(lambda v: UNDL_VOTES.get(v.strip().upper()))
    if (vote_id.values == "").any() or not set(code.values) <= _iso3_codes() \
            or any(v is None for v in vote.values):
        return None
    dates = _dates_of(pd.Series(cols["date"].values, dtype=object).str.strip())
    if np.isnat(dates).any():
        return None
    resolution = cols["resolution"].map(normalise_symbol)
    if "session" in cols:
        session = cols["session"].map(_normalise_session)
        empty = (session.values == "")[session.codes]
        if empty.any():
            derived = resolution.map(session_from_symbol)
            n = len(session.values)
            session = _Dict(np.where(empty, resolution.codes + n, session.codes).astype(np.int32),
                            np.concatenate([session.values, derived.values]))
    else:
        session = resolution.map(session_from_symbol)
    used = np.bincount(session.codes, minlength=len(session.values)) > 0
    if not all(_SESSION.fullmatch(s) for s in session.values[used]):
        return None
    if any(len(v) > MAX_FIELD for col in cols.values() for v in col.values):
        return None
    if not _counts_ok(cols, vote_id, dates):
        return None
    if "vote_note" in cols:
        whole = cols["vote_note"].map(lambda n: not _PART_VOTE.match(n), bool).rows()
    else:
        whole = np.ones(len(vote_id.codes), dtype=bool)
    if "subjects" in cols:
        issues = cols["subjects"].map(lambda s: _join_labels(s.split("|")))
    else:
        issues = _Dict(np.zeros(len(vote_id.codes), dtype=np.int32), np.array([""], dtype=object))

    # one row per vote and state; then the order of _finish: date, id (numeric first), state
    n_codes = len(code.values)
    key = vote_id.codes.astype(np.int64) * n_codes + code.codes
    if pd.Series(key).duplicated().any():
        return None
    ids = pd.DataFrame({"num": pd.to_numeric(pd.Series(vote_id.values, dtype=object),
                                             errors="coerce"),
                        "text": pd.Series(vote_id.values, dtype="str")})
    id_rank = _rank(ids.sort_values(["num", "text"], kind="stable").index.to_numpy())
    code_order = np.argsort(code.values.astype(str), kind="stable")
    code_rank = _rank(code_order)
    day_rank = np.unique(dates, return_inverse=True)[1].reshape(-1)  # equal dates tie
    order = _order(day_rank[cols["date"].codes], id_rank[vote_id.codes], code_rank[code.codes])

    def arrange(a: np.ndarray) -> np.ndarray:
        return a if order is None else a[order]

    def text(col: _Dict, strip: bool = False) -> pa.Array:
        values = col.values if not strip else np.array([v.strip() for v in col.values],
                                                        dtype=object)
        return pa.array(values, pa.large_string()).take(pa.array(arrange(col.codes)))

    date_rows = arrange(cols["date"].codes)
    years = pd.DatetimeIndex(dates).year.to_numpy().astype(np.int64)
    vote_codes = np.array([VOTE_CATEGORIES.index(v) for v in vote.values], dtype=np.int8)
    texts = {"vote_id": (vote_id, False), "session": (session, False),
             "resolution": (resolution, False), "title": (cols["title"], True),
             "country_name": (cols["ms_name"], True), "issues": (issues, False)}
    # pyarrow's take releases the GIL: the columns are built on every core at once
    with ThreadPoolExecutor(max_workers=min(len(texts), os.cpu_count() or 1)) as pool:
        built = dict(zip(texts, pool.map(lambda a: text(*a), texts.values()), strict=True))
    frame = pa.table(built).to_pandas()
    frame["date"] = dates.astype("datetime64[ns]")[date_rows]
    frame["country"] = pd.Categorical.from_codes(
        code_rank[arrange(code.codes)].astype(np.int32),
        pd.Index(code.values[code_order].astype(str), dtype="str"))
    frame["vote"] = pd.Categorical.from_codes(vote_codes[arrange(vote.codes)],
                                              categories=VOTE_CATEGORIES)
    frame["whole_resolution"] = arrange(whole)
    frame["year"] = years[date_rows]
    return frame[COLUMNS]


def _counts_ok(cols: dict[str, _Dict], vote_id: _Dict, dates: np.ndarray) -> bool:
    """Whether the totals of the fast path's columns pass :func:`_check_counts`
    (``dates``: one per distinct value of the date column)."""
    present = {key: next((n for n in names if n in cols), None)
               for key, names in UNDL_COUNTS.items()}
    for name in filter(None, present.values()):
        text = cols[name].map(str.strip)
        if not all(v == "" or re.fullmatch(_COUNT_TEXT, v) for v in text.values):
            return False
    parts = [present[k] for k in ("yes", "no", "abstain") if present[k]]
    if not parts:
        return True
    # the totals repeat on every member state's row: check each (vote, date, totals) once
    codes = [vote_id.codes, cols["date"].codes, *(cols[n].codes for n in parts)]
    key = _combine(codes)
    if key is None:  # pragma: no cover - beyond any UN record
        key = pd.DataFrame({f"k{i}": c for i, c in enumerate(codes)})
    take = np.flatnonzero(~key.duplicated().to_numpy())
    counts = pd.DataFrame({n: cols[n].map(str.strip).values[cols[n].codes[take]]
                           for n in parts}, dtype=object)
    over = _over_membership(counts, parts, vote_id.values[vote_id.codes[take]],
                            dates[cols["date"].codes[take]])
    return bool(np.isnan(over).all())


def _combine(keys: Sequence[np.ndarray]) -> pd.Series | None:
    """Non-negative integer ``keys`` packed into one int64 per row, ordered as the keys
    (first key first); None when they need more than 62 bits."""
    bits = [max(int(k.max()) if len(k) else 0, 1).bit_length() for k in keys]
    if sum(bits) > 62:
        return None
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for k, b in zip(keys, bits, strict=True):
        combined = (combined << b) | k.astype(np.int64)
    return pd.Series(combined)


def _order(*keys: np.ndarray) -> np.ndarray | None:
    """The permutation sorting rows by the integer ``keys`` (first key first; the keys
    together are unique), or None when the rows are in that order already."""
    packed = _combine(keys)
    if packed is None:  # pragma: no cover - beyond any UN record
        return np.lexsort(keys[::-1])
    combined = packed.to_numpy()
    n = len(combined)
    if not (combined[1:] <= combined[:-1]).any():
        return None
    # usually runs of rows (one per vote, in state order) only need to be put in order:
    # a run ends where the key falls or where all but the last key change
    last = max(int(keys[-1].max()), 1).bit_length()
    prefix = combined >> last
    breaks = np.flatnonzero((combined[1:] <= combined[:-1]) | (prefix[1:] != prefix[:-1])) + 1
    starts, ends = np.r_[0, breaks], np.r_[breaks, n]
    if len(starts) <= n // 16:
        by = np.argsort(combined[starts], kind="stable")
        starts, ends = starts[by], ends[by]
        if (combined[ends[:-1] - 1] < combined[starts[1:]]).all():
            lengths = ends - starts
            shift = starts - np.r_[0, np.cumsum(lengths)[:-1]]
            return np.arange(n) + np.repeat(shift, lengths)
    return np.argsort(combined)


def _rank(order: np.ndarray) -> np.ndarray:
    """The position of each item in ``order`` (the inverse permutation)."""
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


# --- the checked path -------------------------------------------------------------------


def _parse_undl_checked(path: Path) -> pd.DataFrame:
    name = display_path(path)
    raw = _read_csv(path, UNDL_REQUIRED, aliases=UNDL_ALIASES)
    rows = raw.index.to_numpy() + 2
    problems = _Problems(name)

    vote_id = raw["undl_id"].str.strip()
    problems.add(rows, vote_id.eq("").to_numpy(), "undl_id",
                 "a UN Digital Library record number", "an empty cell")

    code = raw["ms_code"].str.strip().str.upper()
    code = code.replace(UNDL_CODE_ALIASES) if code.isin(UNDL_CODE_ALIASES).any() else code
    bad_code = ~code.isin(_iso3_codes()).to_numpy()
    problems.add(rows, bad_code, "ms_code", "an ISO 3166 alpha-3 code (current or historic)",
                 _or_empty(raw["ms_code"]))

    vote_raw = raw["ms_vote"].str.strip().str.upper()
    vote = vote_raw.map(UNDL_VOTES)
    problems.add(rows, vote.isna().to_numpy(), "ms_vote", UNDL_VOTES_EXPECTED, raw["ms_vote"])

    date = _parse_dates(raw["date"], rows, "date", problems)
    _check_counts(raw, rows, vote_id, date, problems)

    resolution = pd.Series(_map_unique(raw["resolution"], normalise_symbol), index=raw.index)
    if "session" in raw.columns:
        session = pd.Series(_map_unique(raw["session"], _normalise_session), index=raw.index)
        problems.add(rows, session.ne("").to_numpy() & ~_valid_session(session), "session",
                     SESSION_EXPECTED, raw["session"])
    else:
        session = pd.Series("", index=raw.index, dtype="str")
    empty_session = session.eq("").to_numpy()
    if empty_session.any():
        derived = pd.Series(_map_unique(resolution[empty_session], session_from_symbol))
        session[empty_session] = derived.where(_valid_session(derived), "").to_numpy()
        still = session.eq("").to_numpy()
        if "session" in raw.columns:
            problems.add(rows, still, "session",
                         "a session, or a resolution symbol such as A/RES/79/51 to take it from",
                         "an empty cell")
        else:
            problems.add(rows, still, "resolution",
                         "a symbol such as A/RES/79/51 (there is no session column)",
                         _or_empty(raw["resolution"]))

    if "vote_note" in raw.columns:
        whole = ~_map_unique(raw["vote_note"], lambda n: bool(_PART_VOTE.match(n)), dtype=bool)
    else:
        whole = np.ones(len(raw), dtype=bool)
    if "subjects" in raw.columns:
        issues = _map_unique(raw["subjects"], lambda s: _join_labels(s.split("|")))
    else:
        issues = pd.array([""] * len(raw), dtype="str")

    problems.add_duplicates(rows, [vote_id, code], "ms_code", "one row per undl_id and ms_code")
    problems.raise_if_any()

    return _finish({
        "vote_id": vote_id.array,
        "session": session.array,
        "date": date,
        "resolution": resolution.array,
        "title": raw["title"].str.strip().array,
        "country": code.array,
        "country_name": raw["ms_name"].str.strip().array,
        "vote": vote.array,
        "whole_resolution": whole,
        "issues": issues,
    })


def _parse_unvotes(folder: Path) -> pd.DataFrame:
    for fname in UNVOTES_FILES:
        f = folder / fname
        try:
            check_path(f)
        except DataError as exc:
            if exc.found != "no such file":
                raise
            raise DataError(
                display_path(f), None, None,
                "an existing file (an unvotes folder holds " + ", ".join(UNVOTES_FILES) + ")",
                "no such file",
            ) from None
    votes_path, calls_path, issues_path = (folder / f for f in UNVOTES_FILES)

    calls = _read_csv(calls_path, UNVOTES_REQUIRED["un_roll_calls.csv"])
    calls_name = display_path(calls_path)
    crow = calls.index.to_numpy() + 2
    problems = _Problems(calls_name)
    rcid = _clean_rcid(calls["rcid"])
    problems.add(crow, rcid.eq("").to_numpy(), "rcid", "a roll-call id", "an empty cell")
    problems.add_duplicates(crow, [rcid], "rcid", "one row per rcid")
    call_date = _parse_dates(calls["date"], crow, "date", problems)
    session = pd.Series(_map_unique(calls["session"], _normalise_session), index=calls.index)
    problems.add(crow, session.eq("").to_numpy(), "session", "a session number",
                 "an empty cell")
    problems.add(crow, session.ne("").to_numpy() & ~_valid_session(session), "session",
                 SESSION_EXPECTED, calls["session"])
    flags = {}
    for col in ("amend", "para"):
        value = calls[col].str.strip().str.upper().map(FLAG_VALUES)
        problems.add(crow, value.isna().to_numpy(), col, "0, 1 or empty", calls[col])
        flags[col] = value.fillna(False).to_numpy(dtype=bool)
    problems.raise_if_any()

    short_title, descr = _text(calls, "short"), _text(calls, "descr")
    title = short_title.where(short_title.ne(""), descr)

    issues_raw = _read_csv(issues_path, UNVOTES_REQUIRED["un_roll_call_issues.csv"],
                           allow_header_only=True)
    issue_table = pd.DataFrame({"rcid": _clean_rcid(issues_raw["rcid"]),
                                "issue": issues_raw["issue"].str.strip()})
    issue_table = issue_table[~issue_table["issue"].isin(["", "NA"])].drop_duplicates()
    joined = issue_table.groupby("rcid", sort=False)["issue"].agg("; ".join)

    calls_frame = pd.DataFrame({
        "session": session.to_numpy(dtype=object),
        "date": call_date,
        "resolution": _map_unique(_text(calls, "unres"), normalise_symbol),
        "title": title.to_numpy(dtype=object),
        "whole_resolution": ~(flags["amend"] | flags["para"]),
        "issues": joined.reindex(rcid.to_numpy()).fillna("").to_numpy(dtype=object),
    }, index=pd.Index(rcid.to_numpy(), name="rcid"))

    votes = _read_csv(votes_path, UNVOTES_REQUIRED["un_votes.csv"])
    vrow = votes.index.to_numpy() + 2
    problems = _Problems(display_path(votes_path))
    vote_rcid = _clean_rcid(votes["rcid"])
    position = calls_frame.index.get_indexer(vote_rcid)
    problems.add(vrow, position < 0, "rcid", "an rcid listed in un_roll_calls.csv",
                 _or_empty(votes["rcid"]))
    vote = _map_values(votes["vote"], lambda v: UNVOTES_VOTES.get(v.strip().lower()))
    problems.add(vrow, vote.isna().to_numpy(), "vote", "one of yes, no, abstain", votes["vote"])
    country_name = votes["country"].str.strip()
    iso2 = votes["country_code"].str.strip().str.upper()
    code = _map_values(iso2, _iso2_to_iso3().get)
    serbia = iso2.eq("CS") & country_name.str.contains("serbia", case=False, regex=False)
    code = code.where(~serbia, "SCG")
    # an empty code is a state without a current alpha-2 code (unvotes: Federal Republic
    # of Germany, Yemen Arab Republic, Zanzibar); apply_continuity codes it by name
    named = set(continuity_table().query("layout == 'unvotes' and source_code == ''")
                ["source_name"].str.casefold())
    empty_ok = iso2.eq("") & country_name.str.casefold().isin(named)
    code = code.where(~empty_ok, "")
    problems.add(vrow, code.isna().to_numpy(), "country_code",
                 "an ISO 3166 alpha-2 code (current or historic), or an empty code with a "
                 "state named in data/unga/continuity.csv", _or_empty(votes["country_code"]))
    problems.add_duplicates(vrow, [vote_rcid, code.fillna("") + "|" + country_name.where(
                                code.eq(""), "")], "country_code",
                            "one row per rcid and country")
    problems.raise_if_any()

    return _finish_by_call(calls_frame, position, code.to_numpy(dtype=object), country_name,
                           vote.to_numpy(dtype=object))


_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # the "str" dtype of the result


def _arrow_str(values: pa.Array | pa.ChunkedArray) -> pd.Series:
    """A ``str`` column straight from Arrow strings (no Python objects)."""
    return pd.Series(values.to_pandas(types_mapper={pa.string(): _STR,
                                                    pa.large_string(): _STR}.get))


def _finish_by_call(calls: pd.DataFrame, position: np.ndarray, country: np.ndarray,
                    country_name: pd.Series, vote: np.ndarray) -> pd.DataFrame:
    """The tidy frame of :func:`_finish` for votes that each point at a roll call
    (``position`` into ``calls``, indexed by rcid): the same rows, order and dtypes.

    The sort order is found on the small keys first (the calls' rank by date and id, then
    the country), so that each text column of the calls is materialised once, already
    in order, by an Arrow ``take`` from the few thousand calls -- instead of building
    Python strings for every vote and sorting those.
    """
    rcid = calls.index.to_numpy(dtype=object)
    keys = pd.DataFrame({"date": pd.to_datetime(calls["date"].to_numpy()),
                         "num": pd.to_numeric(pd.Series(rcid, dtype=object), errors="coerce"),
                         "id": pd.Series(rcid, dtype="str")})
    call_order = keys.sort_values(["date", "num", "id"], kind="stable").index.to_numpy()
    call_rank = np.empty(len(rcid), dtype=np.int64)
    call_rank[call_order] = np.arange(len(rcid))
    country_cat = pd.Categorical(country)  # categories come out sorted
    ccodes = country_cat.codes.astype(np.int64)
    ccodes = np.where(ccodes < 0, len(country_cat.categories), ccodes)  # NaN last
    order = np.lexsort((ccodes, call_rank[position]))  # stable: ties keep file order
    take = pa.array(position[order])
    frame = pd.DataFrame({
        "vote_id": _arrow_str(pa.array(rcid, type=pa.string()).take(take)),
        "session": _arrow_str(pa.array(calls["session"].to_numpy(dtype=object),
                                       type=pa.string()).take(take)),
        "date": pd.to_datetime(calls["date"].to_numpy()[position[order]]
                               ).astype("datetime64[ns]"),
        "resolution": _arrow_str(pa.array(calls["resolution"].to_numpy(dtype=object),
                                          type=pa.string()).take(take)),
        "title": _arrow_str(pa.array(calls["title"].to_numpy(dtype=object),
                                     type=pa.string()).take(take)),
        "country": pd.Categorical.from_codes(country_cat.codes[order],
                                             categories=country_cat.categories),
        "country_name": _arrow_str(pa.array(country_name.array).take(pa.array(order))),
        "vote": pd.Categorical(vote[order], categories=VOTE_CATEGORIES),
        "whole_resolution": calls["whole_resolution"].to_numpy(dtype=bool)[position[order]],
        "issues": _arrow_str(pa.array(calls["issues"].to_numpy(dtype=object),
                                      type=pa.string()).take(take)),
    })
    frame["year"] = frame["date"].dt.year.astype("int64")
    return frame[COLUMNS]


def _finish(columns: dict[str, object]) -> pd.DataFrame:
    """Assemble the tidy frame: dtypes, year, sort order, RangeIndex."""
    frame = pd.DataFrame(columns)
    for col in ("vote_id", "session", "resolution", "title", "country_name", "issues"):
        if frame[col].dtype != "str":
            frame[col] = frame[col].astype("str")
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["country"] = frame["country"].astype("category")  # categories come out sorted
    frame["vote"] = pd.Categorical(frame["vote"], categories=VOTE_CATEGORIES)
    frame["whole_resolution"] = frame["whole_resolution"].astype(bool)
    frame["year"] = frame["date"].dt.year.astype("int64")
    frame["_id_num"] = pd.to_numeric(frame["vote_id"], errors="coerce")
    frame = frame.sort_values(["date", "_id_num", "vote_id", "country"], kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


# --- reading CSV quickly --------------------------------------------------------------


def _norm_header(h: str) -> str:
    return re.sub(r"[\s\-]+", "_", h.replace("\ufeff", "").strip().lower())


def _read_header(path: Path) -> list[str]:
    """The normalised header of a CSV file, reading only its first line."""
    return [_norm_header(h) for h in _raw_header(path)]


def _raw_header(path: Path) -> list[str]:
    """The header fields of a CSV file as written, reading only its first line."""
    line = read_head(path)  # a regular file, at most 1 MiB read to find the line end
    text, _ = decode_bytes(line, path)
    if not text.strip():
        raise DataError(display_path(path), None, None, "a header line and data rows",
                        "an empty file")
    return _first_record(text, path)


def _first_record(text: str, path: Path) -> list[str]:
    """The header line's fields, parsed as CSV."""
    try:
        return next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        raise DataError(display_path(path), 1, None, "a well-formed CSV header line",
                        str(exc)) from None


def _read_csv(
    path: Path,
    required: Sequence[str],
    *,
    aliases: dict[str, str] | None = None,
    allow_header_only: bool = False,
) -> pd.DataFrame:
    """Read a CSV as string columns ('' for empty cells) with pyarrow.

    Headers are normalised (see :func:`_norm_header`) and renamed by ``aliases``. The
    index is the 0-based record number, so the spreadsheet row is ``index + 2``; rows
    whose cells are all empty are dropped without renumbering the others.
    """
    name = display_path(path)
    text, _ = read_text(path, MAX_VOTES_BYTES)
    if not text.strip():
        raise DataError(name, None, None, "a header line and data rows", "an empty file")
    first = _first_record(text[: 1 << 20], path)
    header = [(aliases or {}).get(_norm_header(h), _norm_header(h)) for h in first]
    check_header(name, header, required, first)
    data = text.encode("utf-8")
    generated = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            # the header is parsed too, then dropped: skip_rows counts lines, not
            # records, so a header with a quoted line break would shift every row
            read_options=pacsv.ReadOptions(column_names=generated),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in generated},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowException as exc:
        parse_csv_records(text, path)  # raises a precise DataError for ragged rows etc.
        raise DataError(name, None, None, "well-formed CSV", str(exc)) from None
    del data, text
    frame = table.slice(1).to_pandas()
    frame.columns = header
    blank = frame.iloc[:, 0].str.strip().eq("").to_numpy().copy()
    for j in range(1, frame.shape[1]):
        if not blank.any():
            break
        idx = np.flatnonzero(blank)
        blank[idx] = frame.iloc[idx, j].str.strip().eq("").to_numpy()
    if blank.any():
        frame = frame[~blank]
    if frame.empty and not allow_header_only:
        raise DataError(name, None, None, "at least one data row", "a header only")
    problems = _Problems(name)  # a field this long means a broken file (a stray quote?)
    rows = frame.index.to_numpy() + 2
    for j, col in enumerate(header):
        length = frame.iloc[:, j].str.len().to_numpy()
        too_long = length > MAX_FIELD
        if too_long.any():  # the messages are built only when there is a problem
            problems.add(rows, too_long, short(col, 40),
                         f"a field under {MAX_FIELD} characters",
                         np.char.add(length.astype(str), " characters"))
    problems.raise_if_any()
    return frame


# --- validation helpers ---------------------------------------------------------------


class _Problems:
    """Collects problems of one file cheaply; raises one DataError listing at most 20."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[Problem] = []
        self.total = 0

    def add(self, rows: np.ndarray, mask: np.ndarray, column: str, expected: str,
            found: pd.Series | np.ndarray | str) -> None:
        hits = np.flatnonzero(mask)
        if not len(hits):
            return
        self.total += len(hits)
        if isinstance(found, str):
            values = np.full(len(mask), found, dtype=object)
        else:
            values = np.asarray(found, dtype=object)
        for i in hits[:MAX_PROBLEMS]:
            self.found.append(Problem(self.file, int(rows[i]), column, expected,
                                      short(values[i])))

    def add_duplicates(self, rows: np.ndarray, keys: Sequence[pd.Series | np.ndarray],
                       column: str, expected: str) -> None:
        """Record every repeat of a key (vote id, country) after its first row."""
        if not _any_duplicate(keys):  # the usual case, decided on integer codes
            return
        frame = pd.DataFrame({f"k{i}": np.asarray(k, dtype=object) for i, k in enumerate(keys)})
        dup = frame.duplicated(keep="first").to_numpy()
        if not dup.any():
            return
        group = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
        first_row = pd.Series(rows).groupby(group).transform("first").to_numpy()
        found = np.full(len(rows), "", dtype=object)
        for i in np.flatnonzero(dup)[:MAX_PROBLEMS]:
            key = "/".join(str(v) for v in frame.iloc[i])
            found[i] = f"a second row for {key} (first at row {first_row[i]})"
        self.add(rows, dup, column, expected, found)

    def raise_if_any(self) -> None:
        if not self.total:
            return
        probs = sorted(self.found, key=lambda p: (p.row or 0, p.column or ""))[:MAX_PROBLEMS]
        more = self.total - len(probs)
        if more > 0:
            probs.append(Problem(self.file, None, None,
                                 f"at most {MAX_PROBLEMS} problems listed",
                                 f"... and {more} more"))
        raise DataError(self.file, problems=probs)


def _any_duplicate(keys: Sequence[pd.Series | np.ndarray]) -> bool:
    """Whether any row repeats the combination of ``keys`` (missing values equal)."""
    combined = np.zeros(len(keys[0]) if len(keys) else 0, dtype=np.int64)
    for k in keys:
        codes, uniques = pd.factorize(k)
        width = len(uniques) + 1
        if combined.size and int(combined.max()) > (np.iinfo(np.int64).max // width) - width:
            return True  # too many combinations to pack: let the exact check decide
        combined = combined * width + (np.asarray(codes, dtype=np.int64) + 1)
    return bool(pd.Series(combined).duplicated().any())


def _parse_dates(values: pd.Series, rows: np.ndarray, column: str,
                 problems: _Problems) -> np.ndarray:
    """Parse dates once per distinct value; record unparseable ones as problems.

    Accepted: ``YYYY-MM-DD`` (or with ``/``), optionally with a time, from 1946-01-01 (the
    first General Assembly session) to today; earlier and future dates are reported as such.
    """
    codes, uniques = pd.factorize(values.str.strip())
    text = pd.Series(uniques, dtype=object)
    result = _dates_of(text)[codes]
    when = _date_values(text)
    early = (when < _FIRST_DATE).to_numpy(dtype=bool)[codes]
    late = (when >= _tomorrow()).to_numpy(dtype=bool)[codes]
    problems.add(rows, np.isnat(result) & ~early & ~late, column, DATE_EXPECTED,
                 _or_empty(values))
    problems.add(rows, early, column, DATE_FIRST_EXPECTED, values)
    problems.add(rows, late, column, DATE_FUTURE_EXPECTED, values)
    return result


def _tomorrow() -> pd.Timestamp:
    return pd.Timestamp.today().normalize() + pd.Timedelta(days=1)


def _date_values(text: pd.Series) -> pd.Series:
    """Each (stripped) text as a timestamp of any year, NaT where it is not a date."""
    text = text.reset_index(drop=True)
    ok = text.str.fullmatch(_DATE_TEXT).fillna(False).to_numpy(dtype=bool)
    when = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    if ok.any():
        candidates = text[ok].str.replace("/", "-", regex=False)
        try:
            parsed = pd.to_datetime(candidates, format="ISO8601", errors="coerce")
        except (ValueError, OverflowError):  # pragma: no cover - guarded by _DATE_TEXT
            return when
        when[ok] = parsed.astype("datetime64[s]")
    return when


def _valid_session(session: pd.Series) -> np.ndarray:
    """True where a normalised session is ``79``, ``ES-10`` or ``S-10`` (numbers from 1)."""
    return _map_unique(session, lambda s: _SESSION.fullmatch(s) is not None, dtype=bool)


def _over_membership(counts: pd.DataFrame, parts: list[str], ids: np.ndarray,
                     dates: np.ndarray) -> np.ndarray:
    """Per row: the UN membership on its date where the sum of the count columns ``parts``
    (text; empty = 0) is above it, else NaN (also when no count or no membership is known:
    ``data/unga/membership.csv`` starts in 1990). One row per vote and total is kept."""
    from .data import load_membership, members_on

    numbers = counts[parts].apply(pd.to_numeric, errors="coerce")
    total = numbers.fillna(0).sum(axis=1).to_numpy(dtype=float)
    known = numbers.notna().any(axis=1).to_numpy()
    out = np.full(len(counts), np.nan)
    if not known.any():
        return out
    codes, days = pd.factorize(pd.Series(dates))
    limit = np.full(len(counts), np.nan)
    if len(days):
        members = members_on(pd.Series(days), load_membership()).to_numpy(
            dtype=float, na_value=np.nan)
        limit = np.where(codes >= 0, members[np.maximum(codes, 0)], np.nan)
    once = ~pd.DataFrame({"v": ids, "t": total}).duplicated().to_numpy()
    over = known & once & (total > limit)
    out[over] = limit[over]
    return out


def _check_counts(raw: pd.DataFrame, rows: np.ndarray, vote_id: pd.Series, date: np.ndarray,
                  problems: _Problems) -> None:
    """UNDL totals, where the file has them: integers >= 0 (or empty), and yes + no +
    abstain not above the UN membership on the vote's date. Each problem is reported once
    per vote and value (the totals repeat on every member state's row)."""
    ids = vote_id.to_numpy(dtype=object)
    fine = {}
    parts = []
    for key, names in UNDL_COUNTS.items():
        col = next((n for n in names if n in raw.columns), None)
        if col is None:
            continue
        text = raw[col].str.strip()
        ok = (text.eq("") | text.str.fullmatch(_COUNT_TEXT)).to_numpy(dtype=bool)
        once = ~pd.DataFrame({"v": ids, "t": text.to_numpy(dtype=object)}).duplicated()
        problems.add(rows, ~ok & once.to_numpy(), col, COUNT_EXPECTED, raw[col])
        fine[col] = text.where(ok, "")
        if key in ("yes", "no", "abstain"):
            parts.append(col)
    if not parts:
        return
    limit = _over_membership(pd.DataFrame(fine), parts, ids, date)
    total = pd.DataFrame(fine)[parts].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)
    over = np.flatnonzero(~np.isnan(limit))
    problems.total += len(over)
    for i in over[:MAX_PROBLEMS]:
        day = pd.Timestamp(date[i]).date()
        problems.found.append(Problem(problems.file, int(rows[i]), parts[0],
                                      f"{'+'.join(parts)} <= {int(limit[i])} (UN members on "
                                      f"{day})", str(int(total.iat[i]))))


def _dates_of(text: pd.Series) -> np.ndarray:
    """``datetime64[ns]`` for each (stripped) text, NaT where it is not an accepted date."""
    text = text.reset_index(drop=True)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    ok = text.str.fullmatch(_DATE_TEXT).fillna(False).to_numpy(dtype=bool)
    if ok.any():
        candidates = text[ok].str.replace("/", "-", regex=False)
        try:
            when = pd.to_datetime(candidates, format="ISO8601", errors="coerce")
        except (ValueError, OverflowError):  # pragma: no cover - guarded by _DATE_TEXT
            when = pd.Series(pd.NaT, index=candidates.index, dtype="datetime64[ns]")
        when = when.where((when >= _FIRST_DATE) & (when < _tomorrow()))
        parsed[ok] = when.astype("datetime64[ns]")
    return parsed.to_numpy(dtype="datetime64[ns]")


def _map_unique(values: pd.Series, func: Callable[[str], object],
                dtype: type | str = "str") -> np.ndarray | pd.api.extensions.ExtensionArray:
    """Apply ``func`` once per distinct value (fast when values repeat, as here).

    Returns a ``str`` array by default, or a NumPy array of ``dtype`` (e.g. ``bool``).
    """
    codes, uniques = pd.factorize(values)
    mapped = [func(u) for u in uniques]
    if dtype == "str":
        return pd.array(mapped, dtype="str").take(codes)
    if not mapped:
        return np.empty(0, dtype=dtype)
    return np.array(mapped, dtype=dtype)[codes]


def _or_empty(values: pd.Series) -> np.ndarray:
    """Values for messages, with empty cells spelled out."""
    text = values.to_numpy(dtype=object)
    return np.where(values.str.strip().eq("").to_numpy(), "an empty cell", text)


def _map_values(values: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """``values.map(func)`` (None as NaN), calling ``func`` once per distinct value."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([func(u) for u in uniques] + [None], dtype=object)
    out = pd.Series(mapped[codes], index=values.index, dtype=object)
    return out.where(out.notna(), np.nan)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A stripped text column, with R's ``NA`` as empty; all empty when the column is absent."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    text = frame[column].str.strip()
    return text.where(text.ne("NA"), "")


def _clean_rcid(values: pd.Series) -> pd.Series:
    return values.str.strip().str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def _normalise_session(value: str) -> str:
    """``'ES 10'`` -> ``'ES-10'``, ``'61.0'`` -> ``'61'``; '' stays ''."""
    text = " ".join(value.split()).upper()
    m = re.fullmatch(r"(ES|S)\s*-?\s*(\d+)", text)
    if m:
        return f"{m[1]}-{int(m[2])}"
    m = re.fullmatch(r"(\d+)(?:\.0+)?", text)
    return str(int(m[1])) if m else text


def _join_labels(labels: Iterable[str]) -> str:
    seen: list[str] = []
    for label in labels:
        label = label.strip()
        if label and label not in seen:
            seen.append(label)
    return "; ".join(seen)


def _roman_to_int(roman: str) -> int:
    total = 0
    for i, ch in enumerate(roman):
        value = _ROMAN[ch]
        nxt = _ROMAN[roman[i + 1]] if i + 1 < len(roman) else 0
        total += -value if value < nxt else value
    return total


_ISO3: frozenset[str] | None = None
_ISO2: dict[str, str] | None = None


def _iso3_codes() -> frozenset[str]:
    """Alpha-3 codes of current and historic countries known to pycountry."""
    global _ISO3
    if _ISO3 is None:
        _ISO3 = frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(
            c.alpha_3 for c in pycountry.historic_countries)
    return _ISO3


def _iso2_to_iso3() -> dict[str, str]:
    """Alpha-2 -> alpha-3; current codes win over historic reuse (BY is Belarus)."""
    global _ISO2
    if _ISO2 is None:
        mapping = {c.alpha_2: c.alpha_3 for c in pycountry.historic_countries
                   if getattr(c, "alpha_2", None)}
        mapping["CS"] = "CSK"  # Czechoslovakia; Serbia and Montenegro is decided by name
        mapping.update({c.alpha_2: c.alpha_3 for c in pycountry.countries})
        _ISO2 = mapping
    return _ISO2
