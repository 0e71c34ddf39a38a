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
  ``A/RES/1653(XVI)`` -> ``16``), subjects, vote_note; other columns are ignored.
- ms_vote (case-insensitive): Y -> yes, N -> no, A -> abstain, X or NV -> non_voting,
  and an **empty cell -> non_voting** (the Library's research guide, "Voting Data in the
  UN Digital Library", lists "Blank = Non-participating"). Anything else is an error.
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

Bad input raises :class:`analysis.errors.DataError` naming file, row (header = 1),
column and expectation; up to :data:`MAX_PROBLEMS` problems are listed, then a summary.
Rows are numbered as CSV records (a quoted multi-line cell is one row; wholly empty
lines are not counted, as in :mod:`analysis.csvio`).

Speed: files are decoded with :func:`analysis.csvio.read_text` (CP932 is transcoded to
UTF-8), parsed by ``pyarrow.csv`` as string columns, and validated with vectorised
masks; per-value work (symbols, sessions, subjects, dates) runs once per distinct value.
The parsing step is :func:`_parse_votes`; :func:`load_votes` wraps it in the Parquet
cache of :mod:`analysis.votes_cache` (argument ``cache``).

>>> fixtures = Path(__file__).parents[2] / "tests" / "fixtures"
>>> df = load_votes(fixtures / "undl" / "undl_2026.csv")
>>> df.loc[df["session"] == "ES-10", "resolution"].iat[0]
'A/RES/ES-10/24'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pycountry

from .csvio import decode_bytes, parse_csv_records, read_text
from .errors import DataError, Problem, display_path, short

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
DATE_EXPECTED = "a date from 1945 to 2100 such as 2024-12-02"

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
_FIRST_DATE, _END_DATE = pd.Timestamp("1945-01-01"), pd.Timestamp("2101-01-01")
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
    if p.is_dir():
        return "unvotes"
    if not p.exists():
        raise DataError(name, None, None, "an existing file", "no such file")
    if p.name.lower() in UNVOTES_FILES:
        return "unvotes"
    header = [UNDL_ALIASES.get(h, h) for h in _read_header(p)]
    if "ms_vote" in header:
        return "undl"
    raise DataError(
        name, 1, None,
        "a UNDL voting CSV (with an ms_vote column) or an unvotes folder (un_votes.csv, "
        "un_roll_calls.csv, un_roll_call_issues.csv)",
        short("columns " + ", ".join(header), 120),
    )


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
    frame.attrs["source_format"] = fmt
    frame.attrs["source_path"] = str(p)
    return frame


# --- parsing --------------------------------------------------------------------------


def _parse_votes(path: Path, fmt: str) -> pd.DataFrame:
    """Parse ``path`` in format ``fmt`` into the tidy frame (no attrs)."""
    if fmt == "undl":
        return _parse_undl(path)
    folder = path if path.is_dir() else path.parent
    return _parse_unvotes(folder)


def _parse_undl(path: Path) -> pd.DataFrame:
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

    resolution = pd.Series(_map_unique(raw["resolution"], normalise_symbol), index=raw.index)
    if "session" in raw.columns:
        session = pd.Series(_map_unique(raw["session"], _normalise_session), index=raw.index)
    else:
        session = pd.Series("", index=raw.index, dtype="str")
    empty_session = session.eq("").to_numpy()
    if empty_session.any():
        derived = _map_unique(resolution[empty_session], session_from_symbol)
        session[empty_session] = derived
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
        if not f.is_file():
            raise DataError(
                display_path(f), None, None,
                "an existing file (an unvotes folder holds " + ", ".join(UNVOTES_FILES) + ")",
                "no such file",
            )
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
    vote = votes["vote"].str.strip().str.lower().map(UNVOTES_VOTES)
    problems.add(vrow, vote.isna().to_numpy(), "vote", "one of yes, no, abstain", votes["vote"])
    country_name = votes["country"].str.strip()
    iso2 = votes["country_code"].str.strip().str.upper()
    code = iso2.map(_iso2_to_iso3())
    serbia = iso2.eq("CS") & country_name.str.contains("serbia", case=False, regex=False)
    code = code.where(~serbia, "SCG")
    problems.add(vrow, code.isna().to_numpy(), "country_code",
                 "an ISO 3166 alpha-2 code (current or historic)", _or_empty(votes["country_code"]))
    problems.add_duplicates(vrow, [vote_rcid, code.fillna("")], "country_code",
                            "one row per rcid and country")
    problems.raise_if_any()

    call = calls_frame.iloc[position]
    return _finish({
        "vote_id": vote_rcid.to_numpy(dtype=object),
        "session": call["session"].to_numpy(dtype=object),
        "date": call["date"].to_numpy(),
        "resolution": call["resolution"].to_numpy(dtype=object),
        "title": call["title"].to_numpy(dtype=object),
        "country": code.to_numpy(dtype=object),
        "country_name": country_name.to_numpy(dtype=object),
        "vote": vote.to_numpy(dtype=object),
        "whole_resolution": call["whole_resolution"].to_numpy(dtype=bool),
        "issues": call["issues"].to_numpy(dtype=object),
    })


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
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
            cut = head.find(b"\n")
            if cut < 0:
                head += fh.read()
                cut = head.find(b"\n")
    except OSError as exc:
        raise DataError(display_path(path), None, None, "a readable file",
                        exc.strerror or str(exc)) from None
    line = head if cut < 0 else head[:cut]
    text, _ = decode_bytes(line, path)
    if not text.strip():
        raise DataError(display_path(path), None, None, "a header line and data rows",
                        "an empty file")
    return [_norm_header(h) for h in _first_record(text, path)]


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
    text, _ = read_text(path)
    if not text.strip():
        raise DataError(name, None, None, "a header line and data rows", "an empty file")
    first = _first_record(text[: 1 << 20], path)
    header = [(aliases or {}).get(_norm_header(h), _norm_header(h)) for h in first]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise DataError(name, 1, dupes[0], "unique column names", f"{dupes[0]!r} repeated")
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(name, 1, missing[0], "columns " + ", ".join(required),
                        short(", ".join(header), 120))
    data = text.encode("utf-8")
    generated = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=generated, skip_rows=1),
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
    frame = table.to_pandas()
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


def _parse_dates(values: pd.Series, rows: np.ndarray, column: str,
                 problems: _Problems) -> np.ndarray:
    """Parse dates once per distinct value; record unparseable ones as problems.

    Accepted: ``YYYY-MM-DD`` (or with ``/``), optionally with a time, years 1945-2100.
    """
    codes, uniques = pd.factorize(values.str.strip())
    text = pd.Series(uniques, dtype=object)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    ok = text.str.fullmatch(_DATE_TEXT).fillna(False).to_numpy(dtype=bool)
    if ok.any():
        candidates = text[ok].str.replace("/", "-", regex=False)
        try:
            when = pd.to_datetime(candidates, format="ISO8601", errors="coerce")
        except (ValueError, OverflowError):  # pragma: no cover - guarded by _DATE_TEXT
            when = pd.Series(pd.NaT, index=candidates.index, dtype="datetime64[ns]")
        when = when.where((when >= _FIRST_DATE) & (when < _END_DATE))
        parsed[ok] = when.astype("datetime64[ns]")
    result = parsed.to_numpy(dtype="datetime64[ns]")[codes]
    problems.add(rows, np.isnat(result), column, DATE_EXPECTED, _or_empty(values))
    return result


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
