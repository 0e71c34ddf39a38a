"""Tests for analysis.votes_io: both vote formats, symbol normalisation, bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.votes_io import (
    COLUMNS,
    VOTE_CATEGORIES,
    detect_format,
    load_votes,
    normalise_symbol,
    session_from_symbol,
)

FIXTURES = Path(__file__).parent / "fixtures"
STR_COLUMNS = ["vote_id", "session", "resolution", "title", "country_name", "issues"]


def row(df: pd.DataFrame, vote_id: str, country: str) -> pd.Series:
    """The one row of ``df`` for a vote and a country."""
    hit = df[(df["vote_id"] == vote_id) & (df["country"] == country)]
    assert len(hit) == 1, (vote_id, country, len(hit))
    return hit.iloc[0]


def check_schema(df: pd.DataFrame) -> None:
    assert list(df.columns) == COLUMNS
    for col in STR_COLUMNS:
        assert pd.api.types.is_string_dtype(df[col]), col
        assert not df[col].isna().any(), col
    assert df["date"].dtype == "datetime64[ns]"
    assert isinstance(df["country"].dtype, pd.CategoricalDtype)
    assert isinstance(df["vote"].dtype, pd.CategoricalDtype)
    assert list(df["vote"].cat.categories) == VOTE_CATEGORIES
    assert df["whole_resolution"].dtype == bool
    assert df["year"].dtype == "int64"
    assert (df["year"] == df["date"].dt.year).all()
    assert isinstance(df.index, pd.RangeIndex) and df.index.start == 0
    assert not df.duplicated(["vote_id", "country"]).any()
    assert df["country"].astype(str).str.fullmatch(r"[A-Z]{3}").all()
    # sorted by date, then vote id, then country
    keys = pd.DataFrame({"d": df["date"], "v": df["vote_id"].astype(int),
                         "c": df["country"].astype(str)})
    assert keys.equals(keys.sort_values(["d", "v", "c"]).reset_index(drop=True))


# --- UNDL -------------------------------------------------------------------------------


def test_undl_2026_layout() -> None:
    path = FIXTURES / "undl" / "undl_2026.csv"
    df = load_votes(path)
    check_schema(df)
    assert df.attrs == {"source_format": "undl", "source_path": str(path)}
    assert len(df) == 40
    assert set(df["country"]) == {"AUS", "CHN", "FRA", "GBR", "IRN", "JPN", "RUS", "USA"}
    assert df.loc[0, "vote_id"] == "4067004"  # earliest date first, though last in the file

    es = row(df, "4067003", "USA")
    assert es["session"] == "ES-10"
    assert es["resolution"] == "A/RES/ES-10/24"
    assert es["vote"] == "no"
    assert es["date"] == pd.Timestamp("2024-09-18") and es["year"] == 2024

    x_vote = row(df, "4067002", "JPN")
    assert x_vote["vote"] == "non_voting"
    assert x_vote["title"] == (
        "Treaty on the Prohibition of Nuclear Weapons"
        " : resolution / adopted by the General Assembly")
    assert x_vote["issues"] == "NUCLEAR WEAPONS--TREATIES; NUCLEAR DISARMAMENT"

    jpn = row(df, "4067001", "JPN")
    assert (jpn["vote"], jpn["country_name"], jpn["session"]) == ("yes", "JAPAN", "79")
    assert jpn["issues"] == "NUCLEAR DISARMAMENT; NUCLEAR WEAPONS"
    assert jpn["whole_resolution"]

    paragraph = df[df["vote_id"] == "4067005"]
    assert len(paragraph) == 8 and not paragraph["whole_resolution"].any()
    assert df.loc[df["vote_id"] != "4067005", "whole_resolution"].all()

    reducing = row(df, "4067004", "IRN")
    assert reducing["resolution"] == "A/RES/78/30"  # stray spaces in the file
    assert reducing["issues"] == ""  # empty subjects
    assert reducing["vote"] == "non_voting"
    assert df["vote"].value_counts()["non_voting"] == 3


def test_undl_layout_without_vote_note_uses_nv_and_blank() -> None:
    df = load_votes(FIXTURES / "undl" / "undl_nv_layout.csv")  # headers in mixed case
    check_schema(df)
    assert len(df) == 16
    assert row(df, "4060002", "AUS")["vote"] == "non_voting"  # NV
    assert row(df, "4060002", "GBR")["vote"] == "non_voting"  # empty cell
    assert row(df, "4060002", "CHN")["vote"] == "yes"
    assert row(df, "4060001", "USA")["resolution"] == "A/RES/61/74"  # from "61/74"
    assert row(df, "4060002", "USA")["resolution"] == "A/RES/61/83"  # from "R/61/83"
    assert df["whole_resolution"].all()
    assert row(df, "4060002", "JPN")["issues"] == (
        "NUCLEAR WEAPONS; INTERNATIONAL COURT OF JUSTICE--ADVISORY OPINIONS")


def test_undl_2024_layout_derives_session_from_symbol() -> None:
    df = load_votes(FIXTURES / "undl" / "undl_2024_layout.csv")
    check_schema(df)
    # the historic code SUN is read, and coded RUS (the seat Russia continues:
    # data/unga/continuity.csv), so the state's series is one code in both layouts
    ussr = row(df, "4061653", "RUS")
    assert (ussr["session"], ussr["resolution"], ussr["vote"]) == ("16", "A/RES/1653(XVI)", "no")
    assert ussr["year"] == 1961
    ukraine = row(df, "3959039", "RUS")
    assert (ukraine["session"], ukraine["resolution"]) == ("ES-11", "A/RES/ES-11/1")
    assert set(df["vote"]) == {"yes", "no", "abstain"}


def test_undl_cp932() -> None:
    df = load_votes(FIXTURES / "undl" / "undl_cp932.csv")
    check_schema(df)
    jpn = row(df, "4068001", "JPN")
    assert jpn["title"] == "核兵器の全面的廃絶に向けた新たな決意"
    assert jpn["country_name"] == "日本"
    assert jpn["issues"] == "核軍縮; 核兵器"
    assert row(df, "4068002", "JPN")["vote"] == "non_voting"
    assert row(df, "4068002", "USA")["country_name"] == "アメリカ合衆国"


# --- unvotes -----------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["unvotes", "unvotes/un_votes.csv"])
def test_unvotes(target: str) -> None:
    path = FIXTURES / target
    df = load_votes(path)
    check_schema(df)
    assert df.attrs == {"source_format": "unvotes", "source_path": str(path)}
    assert len(df) == 39
    assert "non_voting" not in set(df["vote"])  # absent members have no row
    assert df["vote"].value_counts()["non_voting"] == 0

    first = df.iloc[0]
    assert (first["vote_id"], first["country"], first["session"]) == ("1001", "AUS", "16")
    assert first["resolution"] == "A/RES/16/1653"
    assert first["title"] == "PROHIBITION OF NUCLEAR WEAPONS"
    assert first["issues"] == "Nuclear weapons and nuclear material; Arms control and disarmament"

    # ISO2 -> ISO3, historic codes included
    assert row(df, "1001", "SUN")["country_name"] == "Soviet Union"
    assert row(df, "2001", "DDR")["vote"] == "yes"
    assert row(df, "2001", "CSK")["country_name"] == "Czechoslovakia"
    assert row(df, "2001", "YUG")["vote"] == "abstain"
    assert row(df, "4001", "USA")["country_name"] == "United States"

    amendment = df[df["vote_id"] == "2001"]
    assert len(amendment) == 9 and not amendment["whole_resolution"].any()
    paragraph = df[df["vote_id"] == "3001"]
    assert not paragraph["whole_resolution"].any()
    assert (paragraph["issues"] == "").all()  # no issue rows for 3001
    whole = row(df, "3002", "JPN")
    assert whole["whole_resolution"] and whole["resolution"] == "A/RES/61/74"
    assert whole["date"] == pd.Timestamp("2006-12-06")
    assert "RUS" not in set(df.loc[df["vote_id"] == "3002", "country"].astype(str))

    tpnw = row(df, "4001", "IRN")
    assert tpnw["title"] == "Treaty on the Prohibition of Nuclear Weapons"  # descr, short empty
    assert tpnw["issues"] == "Arms control and disarmament; Nuclear weapons and nuclear material"
    assert tpnw["session"] == "78" and tpnw["resolution"] == "A/RES/78/40"


def test_unvotes_cs_for_serbia_and_montenegro(tmp_path: Path) -> None:
    src = FIXTURES / "unvotes"
    for name in ("un_roll_calls.csv", "un_roll_call_issues.csv"):
        (tmp_path / name).write_bytes((src / name).read_bytes())
    (tmp_path / "un_votes.csv").write_text(
        "rcid,country,country_code,vote\n"
        "3002,Serbia and Montenegro,CS,yes\n"
        "2001,Czechoslovakia,CS,yes\n"
        "3002,Namibia,NA,yes\n", encoding="utf-8")
    df = load_votes(tmp_path)
    assert list(df["country"].astype(str)) == ["CSK", "NAM", "SCG"]


def test_both_formats_share_one_schema() -> None:
    undl = load_votes(FIXTURES / "undl" / "undl_2026.csv")
    unv = load_votes(FIXTURES / "unvotes")
    for col in COLUMNS:
        if col != "country":  # categories differ with the countries present
            assert undl[col].dtype == unv[col].dtype, col


# --- helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("R/61/74", "A/RES/61/74"),
    ("61/74", "A/RES/61/74"),
    ("A/RES/61/74", "A/RES/61/74"),
    ("  A/RES/ES-10/19 ", "A/RES/ES-10/19"),
    ("A/RES/ES-10/19", "A/RES/ES-10/19"),
    ("ES-10/19", "A/RES/ES-10/19"),
    ("a / res / 78/  40", "A/RES/78/40"),
    ("RES/S-10/2", "A/RES/S-10/2"),
    ("1653 (XVI)", "A/RES/1653(XVI)"),
    ("A/RES/1653 (xvi)", "A/RES/1653(XVI)"),
    ("", ""),
    ("   ", ""),
    ("A/61/PV.67", "A/61/PV.67"),  # not a resolution symbol: kept
])
def test_normalise_symbol(raw: str, expected: str) -> None:
    assert normalise_symbol(raw) == expected


@pytest.mark.parametrize(("symbol", "session"), [
    ("A/RES/61/74", "61"), ("A/RES/ES-10/24", "ES-10"), ("A/RES/S-10/2", "S-10"),
    ("A/RES/1653(XVI)", "16"), ("A/RES/1(I)", "1"), ("A/RES/2734(XXV)", "25"),
    ("A/RES/1001(ES-I)", "ES-1"), ("A/61/PV.67", ""), ("", ""),
])
def test_session_from_symbol(symbol: str, session: str) -> None:
    assert session_from_symbol(symbol) == session


def test_detect_format() -> None:
    assert detect_format(FIXTURES / "unvotes") == "unvotes"
    assert detect_format(FIXTURES / "unvotes" / "un_votes.csv") == "unvotes"
    assert detect_format(FIXTURES / "unvotes" / "un_roll_calls.csv") == "unvotes"
    for name in ("undl_2026.csv", "undl_nv_layout.csv", "undl_2024_layout.csv",
                 "undl_cp932.csv"):
        assert detect_format(FIXTURES / "undl" / name) == "undl"


# --- bad input ---------------------------------------------------------------------------

VOTE_EXPECTED = "expected one of Y, N, A, X, NV (or an empty cell for non-voting)"
UNVOTES_FOLDER = "un_votes.csv, un_roll_calls.csv, un_roll_call_issues.csv"
BAD_CASES = [
    ("does_not_exist.csv", None, None,
     "bad_votes/does_not_exist.csv: expected an existing file, found no such file"),
    ("empty.csv", None, None,
     "bad_votes/empty.csv: expected a header line and data rows, found an empty file"),
    ("header_only.csv", None, None,
     "bad_votes/header_only.csv: expected at least one data row, found a header only"),
    ("missing_column.csv", 1, "ms_name",
     "bad_votes/missing_column.csv:1:ms_name: expected columns undl_id, ms_code, ms_name, "
     "ms_vote, date, resolution, title, found undl_id, ms_code, ms_vote, session, resolution, "
     "draft, committee_report, meeting, title, agenda_title, subjects, vote_no... "
     "(201 characters)"),
    ("unknown_vote.csv", 3, "ms_vote",
     f"bad_votes/unknown_vote.csv:3:ms_vote: {VOTE_EXPECTED}, found Q\n"
     f"bad_votes/unknown_vote.csv:5:ms_vote: {VOTE_EXPECTED}, found yes"),
    ("bad_date.csv", 4, "date",
     "bad_votes/bad_date.csv:4:date: expected a date such as 2024-12-02, found 2024-13-45"),
    ("unknown_iso3.csv", 2, "ms_code",
     "bad_votes/unknown_iso3.csv:2:ms_code: expected an ISO 3166 alpha-3 code "
     "(current or historic), found ZZZ"),
    ("duplicate_rows.csv", 6, "ms_code",
     "bad_votes/duplicate_rows.csv:6:ms_code: expected one row per undl_id and ms_code, "
     "found a second row for 4067001/CHN (first at row 3)"),
    ("ragged_row.csv", 4, None,
     "bad_votes/ragged_row.csv:4: expected 20 fields as in the header, found 19 fields"),
    ("utf16.csv", None, None,
     "bad_votes/utf16.csv: expected UTF-8, UTF-8 with BOM or CP932 (Shift-JIS) text, "
     "found UTF-16 text (byte-order mark)"),
    ("undecodable.csv", None, None,
     "bad_votes/undecodable.csv: expected UTF-8, UTF-8 with BOM or CP932 (Shift-JIS) text, "
     "found undecodable bytes (utf-8-sig: byte 864; cp932: byte 864)"),
    ("not_votes.csv", 1, None,
     "bad_votes/not_votes.csv:1: expected a UNDL voting CSV (with an ms_vote column) or an "
     f"unvotes folder ({UNVOTES_FOLDER}), found columns country, vote"),
    ("unvotes_missing_issues", None, None,
     "bad_votes/unvotes_missing_issues/un_roll_call_issues.csv: expected an existing file "
     f"(an unvotes folder holds {UNVOTES_FOLDER}), found no such file"),
    ("unvotes_unknown_rcid", 24, "rcid",
     "bad_votes/unvotes_unknown_rcid/un_votes.csv:24:rcid: expected an rcid listed in "
     "un_roll_calls.csv, found 3009"),
    ("unvotes_unknown_iso2", 31, "country_code",
     "bad_votes/unvotes_unknown_iso2/un_votes.csv:31:country_code: expected an ISO 3166 "
     "alpha-2 code (current or historic), or an empty code with a state named in "
     "data/unga/continuity.csv, found QQ"),
    ("unvotes_bad_vote", 7, "vote",
     "bad_votes/unvotes_bad_vote/un_votes.csv:7:vote: expected one of yes, no, abstain, "
     "found absent"),
]


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the fixtures folder so messages show short relative paths."""
    monkeypatch.chdir(FIXTURES)


@pytest.mark.parametrize(("name", "err_row", "err_column", "message"), BAD_CASES,
                         ids=[c[0] for c in BAD_CASES])
@pytest.mark.usefixtures("in_fixtures")
def test_bad_input(name: str, err_row: int | None, err_column: str | None,
                   message: str) -> None:
    with pytest.raises(DataError) as info:
        load_votes(Path("bad_votes") / name)
    err = info.value
    assert str(err) == message
    assert (err.row, err.column) == (err_row, err_column)


@pytest.mark.usefixtures("in_fixtures")
def test_many_bad_rows_are_capped() -> None:
    with pytest.raises(DataError) as info:
        load_votes("bad_votes/many_bad_votes.csv")
    err = info.value
    lines = str(err).splitlines()
    assert len(err.problems) == 21 and len(lines) == 21
    assert lines[0] == f"bad_votes/many_bad_votes.csv:2:ms_vote: {VOTE_EXPECTED}, found ?"
    assert lines[19] == f"bad_votes/many_bad_votes.csv:21:ms_vote: {VOTE_EXPECTED}, found ?"
    assert lines[20] == ("bad_votes/many_bad_votes.csv: expected at most 20 problems listed, "
                         "found ... and 5 more")
    assert (err.row, err.column) == (2, "ms_vote")


@pytest.mark.usefixtures("in_fixtures")
def test_detect_format_rejects_missing_path() -> None:
    with pytest.raises(DataError) as info:
        detect_format("bad_votes/nowhere.csv")
    assert str(info.value) == "bad_votes/nowhere.csv: expected an existing file, found no such file"


def test_problems_in_several_columns_are_listed_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mixed.csv").write_text(
        "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,title\n"
        "4067001,JPN,JAPAN,Y,2024-12-02,79,A/RES/79/51,t\n"
        ",USA,UNITED STATES,Y,2024-12-02,,A/79/PV.47,t\n"
        "4067001,xx,?,N,02/12/2024,79,A/RES/79/51,t\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_votes("mixed.csv")
    assert str(info.value) == "\n".join([
        "mixed.csv:3:session: expected a session, or a resolution symbol such as A/RES/79/51 "
        "to take it from, found an empty cell",
        "mixed.csv:3:undl_id: expected a UN Digital Library record number, found an empty cell",
        "mixed.csv:4:date: expected a date such as 2024-12-02, found 02/12/2024",
        "mixed.csv:4:ms_code: expected an ISO 3166 alpha-3 code (current or historic), found xx",
    ])
    assert (info.value.row, info.value.column) == (3, "session")


def test_undl_without_session_column_needs_a_resolution_symbol(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("nosession.csv").write_text(
        "undl_id,ms_code,ms_name,ms_vote,date,resolution,title\n"
        "1,JPN,JAPAN,Y,2024-12-02,A/RES/79/51,t\n"
        "2,JPN,JAPAN,Y,2024-12-02,,t\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_votes("nosession.csv")
    assert str(info.value) == (
        "nosession.csv:3:resolution: expected a symbol such as A/RES/79/51 "
        "(there is no session column), found an empty cell")
