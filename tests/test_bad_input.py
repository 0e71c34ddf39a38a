"""Bad bundled tables: every kind of bad input gives exactly the expected message.

Each fixture in ``tests/fixtures/bad/`` (described in ``tests/fixtures/README.md``) is put
into a temporary copy of ``data/`` in one of three ways:

- ``load``: the fixture replaces the table; the table's ``load_*`` function must raise a
  DataError whose text is exactly the expected lines (or load, when none are expected),
  and ``validate_file`` on the replaced file must report the same lines;
- ``validate``: the fixture replaces the table; ``validate_all`` must report exactly the
  expected lines (checks across tables);
- ``append``: the fixture's data rows are appended to the bundled table; ``validate_all``
  must report exactly the expected lines. ``{row}`` stands for the spreadsheet row of the
  first appended row, so the case does not depend on how many rows the bundled table has.

Messages name files relative to the working directory, which is the temporary folder.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis import data as d
from analysis.errors import DataError
from analysis.tables import TABLES
from analysis.validate import validate_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"

LOADERS = {
    "families": d.load_families,
    "resolutions": d.load_resolutions,
    "vote_counts": d.load_vote_counts,
    "meetings": d.load_consultations,
    "counterparts": d.load_counterparts,
}

ENC = "expected UTF-8, UTF-8 with BOM or CP932 (Shift-JIS) text"
RES = "data/unga/resolutions.csv"
VC = "data/unga/vote_counts.csv"
FAM = "data/unga/families.csv"
RES_COLUMNS = ("resolution_id, family, session, year, date, symbol, symbol_status, title, "
               "adopted_without_vote, japan_vote, us_vote, "
               "source, source_detail, source_kind, source_url, other_urls, note")
FAM_COLUMNS = "family, name_en, name_ja, name_ja_basis, lead_sponsors, source, source_url, note"


@dataclass(frozen=True)
class Case:
    fixture: str
    table: str
    expected: tuple[str, ...]
    mode: str = "load"


CASES = [
    # --- file shape and encoding --------------------------------------------------------
    Case("ragged_row.csv", "resolutions", (
        f"{RES}:3: expected 17 fields as in the header, found 16 fields",)),
    Case("unterminated_quote.csv", "resolutions", (
        f"{RES}:3: expected well-formed CSV, found an unterminated quoted field "
        "(file truncated?)",)),
    Case("cp932_ok.csv", "families", ()),
    Case("utf8_bom_ok.csv", "families", ()),
    Case("utf16.csv", "families", (
        f"{FAM}: {ENC}, found UTF-16 text (byte-order mark)",)),
    Case("utf16_no_bom.csv", "families", (
        f"{FAM}:1: {ENC}, found UTF-16 text without byte-order mark (byte 1)",)),
    Case("nul_byte.csv", "families", (
        f"{FAM}:3: {ENC}, found a NUL byte (byte 249)",)),
    Case("undecodable.csv", "families", (
        f"{FAM}:3: {ENC} in one encoding throughout, found a line that is neither UTF-8 nor "
        "CP932 among lines of UTF-8 text (byte 247)",)),
    Case("missing_column.csv", "resolutions", (
        f"{RES}:1:source_kind: expected columns {RES_COLUMNS}, found resolution_id, family, "
        "session, year, date, symbol, symbol_status, title, adopted_without_vote, japan_vote, "
        "us_vote, sou... (168 characters)",)),
    Case("semicolon_delimiter.csv", "families", (
        f"{FAM}:1:family: expected columns {FAM_COLUMNS}, found family;name_en;name_ja;"
        "name_ja_basis;lead_sponsors;source;source_url;note (one column: is the delimiter ';' "
        "instead of ','?)",)),
    Case("empty.csv", "resolutions", (
        f"{RES}: expected a header line and data rows, found an empty file",)),
    Case("header_only.csv", "resolutions", (
        f"{RES}: expected at least one data row, found a header only",)),
    Case("enormous_field.csv", "families", (
        f"{FAM}:3: expected a field under 100000 characters, found 100001 characters in note",)),
    # --- values in one table ----------------------------------------------------------------
    Case("unknown_vote_code.csv", "resolutions", (
        f"{RES}:3:japan_vote: expected one of yes, no, abstain, found 'Y'",)),
    Case("negative_count.csv", "vote_counts", (
        f"{VC}:3:no: expected a value >= 0, found -3",)),
    Case("non_integer_count.csv", "vote_counts", (
        f"{VC}:3:yes: expected an integer, found '170.5'",)),
    Case("duplicate_key.csv", "resolutions", (
        f"{RES}:3:resolution_id: expected a unique (resolution_id), found a duplicate of "
        "another row: japan_nuclear_62",
        f"{RES}:4:resolution_id: expected a unique (resolution_id), found a duplicate of "
        "another row: japan_nuclear_62")),
    Case("date_before_1946.csv", "resolutions", (
        f"{RES}:2:date: expected a date on or after 1946-01-01 (the first General Assembly "
        "session), found 1945-10-24",
        f"{RES}:2:year: expected the year of date 1945-10-24, found 1946")),
    Case("future_date.csv", "resolutions", (
        f"{RES}:3:date: expected a date not in the future, found 2099-12-01",)),
    Case("invalid_date.csv", "resolutions", (
        f"{RES}:3:date: expected a date YYYY-MM-DD, found '2007-12-45'",)),
    Case("session_year_mismatch.csv", "resolutions", (
        f"{RES}:3:session: expected session 62 for year 2007 (regular sessions open in "
        "September: session = year - 1945), found 60",)),
    Case("empty_source.csv", "resolutions", (
        f"{RES}:3:source: expected a value (text), found an empty cell",)),
    Case("several_problems.csv", "resolutions", (
        f"{RES}:2:source_kind: expected one of un_official, un_record, government_official, "
        "news, dataset, secondary, found 'rumour'",
        f"{RES}:3:japan_vote: expected one of yes, no, abstain, found 'Y'",
        f"{RES}:4:date: expected a date YYYY-MM-DD, found '2005-12-32'")),
    Case("invalid_iso3.csv", "counterparts", (
        "data/consultations/counterparts.csv:3:code: expected an ISO 3166 alpha-3 code, "
        "found 'XYZ'",)),
    # --- across tables (validate_all) ---------------------------------------------------------
    Case("over_membership.csv", "vote_counts", (
        VC + ":{row}:yes: expected yes+no+abstain <= 191 (UN members), found 195",),
        mode="append"),
    Case("unknown_family.csv", "resolutions", (
        RES + ":{row}:family: expected a value present in unga/families.csv (family), "
        "found space_weapons",), mode="append"),
    Case("unknown_counterpart.csv", "meetings", (
        "data/consultations/meetings.csv:2:counterparts: expected codes listed in "
        "consultations/counterparts.csv, found 'XYZ'",), mode="validate"),
]


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled data/ in a temporary folder, which is also the working folder."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def install(case: Case, data: Path) -> int:
    """Put the fixture into the copy; return the row of the first appended row."""
    target = data / TABLES[case.table].path
    first_row = len(d.load_table(case.table, data)) + 2
    if case.mode == "append":
        rows = (BAD / case.fixture).read_text(encoding="utf-8").splitlines(keepends=True)[1:]
        text = target.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
        target.write_text(text + "".join(rows), encoding="utf-8")
    else:
        shutil.copyfile(BAD / case.fixture, target)
    return first_row


@pytest.mark.parametrize("case", [pytest.param(c, id=Path(c.fixture).stem) for c in CASES])
def test_bad_input_message(case: Case, data_copy: Path) -> None:
    row = install(case, data_copy)
    expected = [line.format(row=row) for line in case.expected]
    if case.mode == "load":
        loader = LOADERS[case.table]
        if not expected:
            assert len(loader(data=data_copy)) > 0
        else:
            with pytest.raises(DataError) as info:
                loader(data=data_copy)
            assert str(info.value) == "\n".join(expected)
            assert [str(p) for p in info.value.problems] == expected
            first = info.value.problems[0]
            assert (info.value.file, info.value.row, info.value.column) == (
                first.file, first.row, first.column)
        # the same file checked on its own gives the same lines
        target = data_copy / TABLES[case.table].path
        assert [str(p) for p in validate_file(target)] == expected
    else:
        assert [str(p) for p in d.validate_all(data_copy)] == expected


def test_cp932_file_keeps_japanese_text(data_copy: Path) -> None:
    shutil.copyfile(BAD / "cp932_ok.csv", data_copy / "unga" / "families.csv")
    fam = d.load_families(data=data_copy).set_index("family")
    assert fam.loc["japan_nuclear", "name_ja"] == "核兵器廃絶決議（日本提出）"
    assert fam.loc["japan_nuclear", "source"] == "MOFA, 日本の軍縮・不拡散外交 第4版, 概観"
    assert fam.loc["tpnw", "name_ja"] == "核兵器禁止条約決議"


def test_utf8_bom_does_not_reach_the_first_column_name(data_copy: Path) -> None:
    shutil.copyfile(BAD / "utf8_bom_ok.csv", data_copy / "unga" / "families.csv")
    fam = d.load_families(data=data_copy)
    assert fam.columns[0] == "family"
    assert list(fam["family"]) == ["japan_nuclear", "tpnw"]
    assert fam["name_ja"].iloc[0] == "核兵器廃絶決議（日本提出）"


def test_fixtures_are_what_their_names_say() -> None:
    assert (BAD / "empty.csv").read_bytes() == b""
    assert (BAD / "utf16.csv").read_bytes()[:2] == b"\xff\xfe"
    assert (BAD / "utf16_no_bom.csv").read_bytes()[1:2] == b"\x00"
    assert b"\x00" in (BAD / "nul_byte.csv").read_bytes()
    assert (BAD / "utf8_bom_ok.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    raw = (BAD / "cp932_ok.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "核兵器" in raw.decode("cp932")
    assert not (BAD / "unterminated_quote.csv").read_bytes().endswith(b"\n")
    assert max(len(line) for line in (BAD / "enormous_field.csv").read_text().splitlines()) \
        > 100_000


def test_validate_all_reports_every_table_of_a_missing_folder(tmp_path: Path,
                                                              monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    lines = [str(p) for p in d.validate_all(tmp_path / "nowhere")]
    assert lines == sorted(f"nowhere/{spec.path}: expected an existing file, found no such file"
                           for spec in TABLES.values())


def test_every_fixture_has_a_case_and_a_description() -> None:
    # votes_* are the voting-data fixtures of tests/test_bad_corpus.py
    files = sorted(p.name for p in BAD.iterdir() if not p.name.startswith("votes_"))
    assert files == sorted(c.fixture for c in CASES)
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert "## Voting fixtures" in readme
    section = readme.split("## Bad bundled-table fixtures", 1)
    assert len(section) == 2, "tests/fixtures/README.md lacks '## Bad bundled-table fixtures'"
    text = section[1].split("\n## ", 1)[0]
    undescribed = [f for f in files if f"`{f}`" not in text]
    assert not undescribed, f"not described in tests/fixtures/README.md: {undescribed}"
