"""Bad-input corpus for the external voting formats: every case gives exactly its message.

One case per kind of input of issue 8's list, each covered exactly once. New files live in
``tests/fixtures/bad/`` (named ``votes_*``, described in ``tests/fixtures/README.md``,
section "Bad voting-data fixtures"); the cases that ``tests/fixtures/bad_votes/`` already
had (with their loader tests in ``tests/test_votes_io.py``) are referred to, not copied.

For each case the same exact lines must come from :func:`analysis.votes_io.load_votes`
(as a DataError), from :func:`analysis.data.validate_file` and from
``python -m analysis validate PATH`` (exit code 1); a valid case must load, validate
clean and exit 0. Messages name files relative to ``tests/fixtures``, the working folder.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli
from analysis.errors import DataError
from analysis.validate import validate_file
from analysis.votes_io import COLUMNS, VOTE_CATEGORIES, load_votes

FIXTURES = Path(__file__).parent / "fixtures"
FOLDERS = ("bad", "bad_votes")

ENC = "expected UTF-8, UTF-8 with BOM or CP932 (Shift-JIS) text"
UNDL_OR_UNVOTES = ("expected a UNDL voting CSV (with an ms_vote column) or an unvotes folder "
                   "(un_votes.csv, un_roll_calls.csv, un_roll_call_issues.csv)")
SESSION = "expected a session number such as 79, or ES-10 for an emergency special session"
BEFORE_1946 = "expected a date on or after 1946-01-01 (the first General Assembly session)"


@dataclass(frozen=True)
class Case:
    case: str  # the item of the list in issue 8
    path: str  # relative to tests/fixtures
    expected: tuple[str, ...]  # exact lines; () = the file is valid and must load


CASES = [
    Case("truncated CSV", "bad/votes_truncated.csv", (
        "bad/votes_truncated.csv:4: expected well-formed CSV, found an unterminated quoted "
        "field (file truncated?)",)),
    Case("wrong delimiter", "bad/votes_semicolon.csv", (
        f"bad/votes_semicolon.csv:1: {UNDL_OR_UNVOTES}, found columns undl_id;ms_code;ms_name;"
        "ms_vote;date;session;resolution;draft;committee_... (140 characters) (one column: is "
        "the delimiter ';' instead of ','?)",)),
    Case("CP932 without declaration", "bad/votes_cp932_ok.csv", ()),
    Case("UTF-16", "bad_votes/utf16.csv", (
        f"bad_votes/utf16.csv: {ENC}, found UTF-16 text (byte-order mark)",)),
    Case("NUL byte", "bad/votes_nul_byte.csv", (
        f"bad/votes_nul_byte.csv:3: {ENC}, found a NUL byte (byte 545)",)),
    Case("enormous field", "bad/votes_enormous_field.csv", (
        "bad/votes_enormous_field.csv:3:title: expected a field under 100000 characters, "
        "found 100001 characters",)),
    Case("duplicate keys (vote_id, country)", "bad_votes/duplicate_rows.csv", (
        "bad_votes/duplicate_rows.csv:6:ms_code: expected one row per undl_id and ms_code, "
        "found a second row for 4067001/CHN (first at row 3)",)),
    Case("negative count", "bad/votes_negative_total.csv", (
        "bad/votes_negative_total.csv:2:total_yes: expected a non-negative integer (or an "
        "empty cell), found -3",)),
    Case("yes+no+abstain above the membership", "bad/votes_over_membership.csv", (
        "bad/votes_over_membership.csv:2:total_yes: expected total_yes+total_no+"
        "total_abstentions <= 193 (UN members on 2024-12-02), found 195",)),
    Case("unknown ISO3 code", "bad_votes/unknown_iso3.csv", (
        "bad_votes/unknown_iso3.csv:2:ms_code: expected an ISO 3166 alpha-3 code "
        "(current or historic), found ZZZ",)),
    Case("future date", "bad/votes_future_date.csv", (
        "bad/votes_future_date.csv:4:date: expected a date not in the future, found 2099-12-01",
    )),
    Case("date before 1946", "bad/votes_date_before_1946.csv", tuple(
        f"bad/votes_date_before_1946.csv:{row}:date: {BEFORE_1946}, found 1945-10-24"
        for row in (2, 3, 4, 5))),
    Case("emergency session ES-10 (valid)", "bad/votes_emergency_session_ok.csv", ()),
    Case("malformed emergency session ES- / ES-x", "bad/votes_bad_session.csv", (
        f"bad/votes_bad_session.csv:3:session: {SESSION}, found ES-",
        f"bad/votes_bad_session.csv:4:session: {SESSION}, found ES-x")),
    Case("mixed vote codes X and NV (accepted)", "bad/votes_mixed_x_nv_ok.csv", ()),
    Case("mixed vote codes with an unknown code", "bad/votes_mixed_codes_unknown.csv", (
        "bad/votes_mixed_codes_unknown.csv:3:ms_vote: expected one of Y, N, A, X, NV (or an "
        "empty cell for non-voting), found Yes",)),
    Case("unvotes folder missing one of its files", "bad_votes/unvotes_missing_issues", (
        "bad_votes/unvotes_missing_issues/un_roll_call_issues.csv: expected an existing file "
        "(an unvotes folder holds un_votes.csv, un_roll_calls.csv, un_roll_call_issues.csv), "
        "found no such file",)),
    Case("empty file", "bad_votes/empty.csv", (
        "bad_votes/empty.csv: expected a header line and data rows, found an empty file",)),
    Case("header only", "bad_votes/header_only.csv", (
        "bad_votes/header_only.csv: expected at least one data row, found a header only",)),
]

# issue 8's list, in its order: each must be covered by exactly one case above
REQUIRED = [
    "truncated CSV", "wrong delimiter", "CP932 without declaration", "UTF-16", "NUL byte",
    "enormous field", "duplicate keys (vote_id, country)", "negative count",
    "yes+no+abstain above the membership", "unknown ISO3 code", "future date",
    "date before 1946", "emergency session ES-10 (valid)",
    "malformed emergency session ES- / ES-x", "mixed vote codes X and NV (accepted)",
    "mixed vote codes with an unknown code", "unvotes folder missing one of its files",
    "empty file", "header only",
]


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)


def cli_validate(path: str) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["validate", path])
    return code, out.getvalue().split("\n")[:-1], err.getvalue()


def check_frame(df: pd.DataFrame) -> None:
    assert list(df.columns) == COLUMNS and len(df) > 0
    assert list(df["vote"].cat.categories) == VOTE_CATEGORIES
    assert df["vote"].notna().all() and df["date"].notna().all()


@pytest.mark.usefixtures("in_fixtures")
@pytest.mark.parametrize("case", [pytest.param(c, id=c.path) for c in CASES])
def test_corpus_case(case: Case) -> None:
    if case.expected:
        with pytest.raises(DataError) as info:
            load_votes(case.path, cache=False)
        err = info.value
        assert str(err) == "\n".join(case.expected)
        assert [str(p) for p in err.problems] == list(case.expected)
        first = err.problems[0]
        assert (err.file, err.row, err.column) == (first.file, first.row, first.column)
        assert [str(p) for p in validate_file(case.path)] == list(case.expected)
        code, lines, stderr = cli_validate(case.path)
        assert (code, lines) == (1, list(case.expected))
        assert stderr == f"{len(case.expected)} problem(s) found in 1 path(s).\n"
    else:
        check_frame(load_votes(case.path, cache=False))
        assert validate_file(case.path) == []
        assert cli_validate(case.path) == (0, ["OK: 1 path(s) valid."], "")


@pytest.mark.usefixtures("in_fixtures")
def test_cp932_without_declaration_keeps_the_japanese_text() -> None:
    df = load_votes("bad/votes_cp932_ok.csv", cache=False)
    jpn = df[df["country"] == "JPN"].iloc[0]
    assert jpn["country_name"] == "日本国（髙橋）"
    assert jpn["title"] == ("核兵器のない世界に向けた共通のロードマップ構築のための措置"
                            "～第７９回国連総会①")
    assert jpn["issues"] == "核軍縮; 核兵器"
    assert set(df["country_name"]) == {"中華人民共和国", "フランス", "日本国（髙橋）",
                                       "アメリカ合衆国"}


@pytest.mark.usefixtures("in_fixtures")
def test_emergency_session_spellings_become_es_10() -> None:
    df = load_votes("bad/votes_emergency_session_ok.csv", cache=False)
    assert set(df["session"]) == {"ES-10"}
    assert set(df["resolution"]) == {"A/RES/ES-10/24"}
    assert dict(zip(df["country"].astype(str), df["vote"].astype(str), strict=True)) == {
        "CHN": "yes", "FRA": "yes", "JPN": "abstain", "USA": "no"}


@pytest.mark.usefixtures("in_fixtures")
def test_x_nv_and_empty_all_mean_non_voting() -> None:
    df = load_votes("bad/votes_mixed_x_nv_ok.csv", cache=False)
    votes = dict(zip(df["country"].astype(str), df["vote"].astype(str), strict=True))
    assert votes == {"CHN": "non_voting", "FRA": "yes", "JPN": "non_voting",
                     "USA": "non_voting"}


def test_every_case_of_the_list_is_covered_exactly_once() -> None:
    assert [c.case for c in CASES] == REQUIRED
    paths = [c.path for c in CASES]
    assert len(paths) == len(set(paths)), "one fixture per case"
    for c in CASES:
        assert Path(c.path).parts[0] in FOLDERS
        assert (FIXTURES / c.path).exists(), c.path


def test_every_voting_fixture_has_a_case_and_a_description() -> None:
    files = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.name.startswith("votes_"))
    assert files == sorted(Path(c.path).name for c in CASES if c.path.startswith("bad/"))
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Bad voting-data fixtures", 1)
    assert len(section) == 2, "tests/fixtures/README.md lacks '## Bad voting-data fixtures'"
    text = section[1].split("\n## ", 1)[0]
    undescribed = [f for f in files if f"`{f}`" not in text]
    assert not undescribed, f"not described in tests/fixtures/README.md: {undescribed}"
    # the bad_votes/ files referred to here are described in their own section
    votes_section = readme.split("### `bad_votes/`", 1)[1].split("\n## ", 1)[0]
    for c in CASES:
        if c.path.startswith("bad_votes/"):
            assert f"`{Path(c.path).name}" in votes_section, c.path


def test_fixtures_are_what_their_names_say() -> None:
    bad = FIXTURES / "bad"
    assert not (bad / "votes_truncated.csv").read_bytes().endswith(b"\n")
    assert (bad / "votes_truncated.csv").read_bytes().count(b'"') % 2 == 1
    assert b"\x00" in (bad / "votes_nul_byte.csv").read_bytes()
    raw = (bad / "votes_cp932_ok.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "①" in raw.decode("cp932") and b"coding" not in raw.lower()
    first = (bad / "votes_semicolon.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first.count(";") == 19 and "," not in first
    assert max(map(len, (bad / "votes_enormous_field.csv").read_text().splitlines())) > 100_000
    text = (bad / "votes_mixed_x_nv_ok.csv").read_text(encoding="utf-8")
    assert ",X," in text and ",NV," in text
