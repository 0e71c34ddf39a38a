"""The record of issue 15: Asian Export Control Seminars and the seed's counts, the
register's coverage, the evaluation coverage per fiscal year, the Hiroshima Report
figures (an outside view) and the UNGA source clean-ups."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from datacopy import append_rows, copy_data

from analysis import data as d
from analysis import evaluations, labels, network
from analysis.bundle import load_bundle


@pytest.fixture(scope="module")
def tables():
    return load_bundle()


# --- consultations ----------------------------------------------------------------------
def test_export_control_seminars_are_rows(tables) -> None:
    m = tables.consultations
    sem = m[m["track"] == "export_control_seminar"]
    assert sorted(sem["round_no"].astype(int)) == [14] + list(range(19, 32))
    assert (sem["format"] == "multilateral").all()
    assert not sem["participants_complete"].any()
    assert sem["source_url"].str.startswith("http").all()
    # round 14 (2007-02) is inside the 2008 table's years but not in the table
    assert sem.loc[sem["round_no"] == 14, "in_2008_mofa_list"].item() == "no"


def test_every_meeting_says_what_it_rests_on(tables) -> None:
    m = tables.consultations
    assert m["evidence"].notna().all()
    assert (m.loc[m["in_2008_mofa_list"] == "yes", "evidence"] == "mofa_2008_table").all()
    listed = m[m["evidence"] == "list_on_other_page"]
    assert len(listed) >= 1 and listed["source_url"].notna().all()
    # a year or round reasoned from context is marked inferred
    year_from_context = m["date_note"].fillna("").str.contains("year", case=False)
    assert m.loc[year_from_context, "inferred"].str.contains("year").all()


def test_seed_counts_checked_against_the_register(tables) -> None:
    seed = tables.seed_counts.set_index("fact")
    assert seed.loc["astop_tokyo_since_2003", "value"] == 4
    assert seed.loc["export_control_seminars_since_1993", "value"] == 15
    assert seed["source"].str.contains("004_3168f776fc93940c").all()
    check = network.seed_count_check(tables.seed_counts, tables.consultations).set_index("fact")
    astop = check.loc["astop_tokyo_since_2003"]
    assert (astop["rows"], astop["highest_round"], astop["meetings"]) == (2, 4, "C023;C025")
    assert astop["verdict"] == "consistent"
    sem = check.loc["export_control_seminars_since_1993"]
    assert (sem["rows"], sem["highest_round"], sem["verdict"]) == (1, 14, "consistent")
    text = network.describe_seed_counts(check.reset_index(), "ja")
    assert "整合" in text and "15回" in text


def test_seed_count_check_says_differs() -> None:
    facts = pd.DataFrame({"fact": ["f"], "printed_ja": ["2度"], "track": ["ASTOP"],
                          "city": [None], "from_year": [2003], "as_of_year": [2010],
                          "value": [2]})
    reg = pd.DataFrame({"meeting_id": ["C1", "C2", "C3"], "track": ["ASTOP"] * 3,
                        "city": ["Tokyo", "Seoul", None],
                        "year": pd.array([2006, 2007, 2011], dtype="Int64"),
                        "round_no": pd.array([3, None, 5], dtype="Int64")})
    out = network.seed_count_check(facts, reg)
    assert out[["rows", "highest_round", "verdict"]].to_numpy().tolist() == [
        [2, 3, "differs"]]
    facts["city"] = "Tokyo"
    assert network.seed_count_check(facts, reg)["rows"].item() == 1


def test_register_coverage(tables) -> None:
    m = tables.consultations
    cov = network.register_coverage(m)
    assert cov["rows"].sum() == len(m)
    kinds = ["mofa_2008_table", "own_page", "list_on_other_page", "indirect", "report"]
    assert (cov[kinds].sum(axis=1) == cov["rows"]).all()
    dated = cov[cov["year"].notna()].set_index("year")
    assert set(dated.index[dated["completeness"] == network.COMPLETE]) == {2006, 2007}
    assert (dated.loc[2008:, "completeness"] == network.MINIMUM).all()
    assert cov["year"].isna().sum() == 1 and cov["completeness"].iloc[-1] == network.UNDATED
    text = network.describe_register_coverage(cov)
    assert text.splitlines()[0].startswith("2006-2007:")
    assert "minimum" in text.splitlines()[1]
    shown = labels.display_frame(cov, "ja", "network", {"completeness": "value.completeness"})
    assert "網羅性" in shown.columns and "最低限" in set(shown["網羅性"])


def test_empty_counterparts_need_an_incomplete_list(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    append_rows(data / "consultations" / "meetings.csv", [{
        "meeting_id": "C999", "date": "2020-01-01", "date_precision": "day",
        "counterpart_label_en": "x", "participants_complete": "true", "name_ja": "x",
        "name_en": "x", "name_en_basis": "translation", "format": "multilateral",
        "track": "export_control_seminar", "verification_status": "primary",
        "evidence": "own_page", "source": "synthetic"}])
    problems = [str(p) for p in d.validate_all(data)]
    assert any(":counterparts: expected the codes of the participants" in p
               for p in problems), problems


# --- evaluation coverage ----------------------------------------------------------------
def test_every_fiscal_year_has_a_coverage_row(tables) -> None:
    cov = tables.evaluation_coverage
    assert set(cov["fiscal_year"]) == set(range(2002, 2025))
    table = evaluations.coverage_table(cov)
    assert table["fiscal_year"].tolist() == list(range(2002, 2025))
    read = table[table["coverage_status"] == "read"]
    assert read["fiscal_year"].tolist() == [2006, 2024]
    assert read["n_judgements"].tolist() == [2, 4]
    missing = cov[cov["status"] == "not_found"]
    assert missing["searched"].notna().all() and missing["judgement_ja"].isna().all()


def test_coverage_judgements_are_the_ratings(tables) -> None:
    cov = tables.evaluation_coverage
    read = cov[cov["status"] == "read"].merge(tables.ratings, on=["cycle_id", "objective_no"])
    assert len(read) == 6
    assert (read["judgement_ja"] == read["wording_ja"]).all()


def test_coverage_counts_and_sentence(tables) -> None:
    counts = evaluations.coverage_counts(tables.evaluation_coverage)
    assert counts["coverage_status"].tolist() == ["read", "found_not_read", "not_found"]
    assert counts["years"].sum() == 23
    assert counts.set_index("coverage_status").loc["read", "fiscal_years"] == "2006, 2024"
    text = evaluations.describe_coverage(tables.evaluation_coverage, "ja")
    assert text.startswith("2002〜2024年度(23年度)")
    shown = evaluations.display_table(counts, "ja")
    assert shown.iloc[2, 0] == "未発見"


def test_coverage_checks_catch_a_wrong_judgement(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    path = data / "evaluations" / "coverage.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("「目標達成に向けて進展があった。」",
                                 "「目標を達成した。」", 1), encoding="utf-8")
    problems = [str(p) for p in d.validate_all(data)]
    assert any("coverage.csv" in p and ":judgement_ja: expected" in p for p in problems)


# --- the outside view -------------------------------------------------------------------
def test_hiroshima_figures_as_printed(tables) -> None:
    hr = tables.hiroshima_report
    assert set(hr["edition"]) == set(range(2013, 2026))
    score = hr[(hr["measure"] == "score") & hr["value"].notna()]
    assert score["maximum"].notna().all()
    assert (score["value"] <= score["maximum"]).all()
    row = hr[(hr["edition"] == 2018) & (hr["area"] == "nuclear_disarmament")
             & (hr["measure"] == "score")].iloc[0]
    assert (row["value"], row["maximum"], row["value_as_printed"]) == (23.5, 42, "23.5/42")
    # the 2019 edition's figures are only derivable from the 2020 edition: not entered
    derived = hr[hr["edition"] == 2019]
    assert len(derived) == 3 and derived["value"].isna().all()
    assert derived["note"].str.contains("not entered").all()


def test_outside_view_pairs_by_year(tables) -> None:
    view = evaluations.outside_view(tables.hiroshima_report, evaluations.rating_table(tables),
                                    tables.cycles)
    assert len(view) == len(tables.hiroshima_report)
    r6 = view[view["cycle_id"] == "R6"]
    assert set(r6["edition"]) == {2022, 2023, 2024}  # they cover 2021-2023, R6's period
    assert (r6["n_judgements"] == 4).all()
    assert set(view.loc[view["edition"].isin([2019, 2020, 2021]), "cycle_id"]) == {"R3"}
    assert view.loc[view["edition"] <= 2018, "cycle_id"].isna().all()
    changed = view[view["maximum_changed"].fillna(False).astype(bool)]
    assert set(zip(changed["edition"], changed["area"], strict=True)) == {
        (2023, "nuclear_disarmament"), (2023, "nuclear_security")}
    text = labels.plain_text(evaluations.describe_outside_view(view, "en")).splitlines()
    assert len(text) == len(view)
    assert any("score 28.0/48" in line and "R6" in line for line in text)
    shown = evaluations.display_table(view, "ja")
    assert {"版", "分野", "指標の種類"} <= set(shown.columns)


# --- UNGA clean-ups ---------------------------------------------------------------------
def test_unga_sources_name_a_document(tables) -> None:
    for name in ("families", "resolutions", "vote_counts"):
        urls = tables.table(name)["source_url"].dropna()
        assert urls.str.startswith("http").all(), name
        assert not urls.str.rstrip("/").isin(["https://github.com/dgrtwo/unvotes"]).any(), name


def test_small_arms_2008_has_no_invented_abstention(tables) -> None:
    vc = tables.vote_counts
    row = vc[(vc["resolution_id"] == "small_arms_63") & (vc["source_id"] == "compiled")]
    assert row[["yes", "no"]].iloc[0].tolist() == [181, 1]
    assert pd.isna(row["abstain"].iloc[0])


def test_family_name_with_the_projects_addition(tables) -> None:
    fam = tables.families.set_index("family")
    assert fam.loc["japan_nuclear", "name_ja"].endswith("（日本提出）")
    assert fam.loc["japan_nuclear", "name_ja_basis"] == "official_with_addition"
