"""Tests of analysis.unga: reconciliation rule, family series, disagreements, summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.params import ParameterError
from analysis.unga import (
    PER_COUNTRY,
    disagreements,
    family_series,
    for_display,
    headline,
    headline_lines,
    largest_changes,
    reconcile,
    rule_text,
    title_lineage,
)


def counts(*rows: tuple) -> pd.DataFrame:
    """A hand-made vote_counts frame: (resolution_id, source_id, kind, yes, no, abstain)."""
    frame = pd.DataFrame(rows, columns=["resolution_id", "source_id", "source_kind", "yes",
                                        "no", "abstain"])
    frame["source"] = "Source " + frame["source_id"]
    return frame


# --- reconcile: the rule on small hand-made frames ----------------------------------------
def test_strongest_kind_wins_even_when_less_complete():
    vc = counts(("r", "wiki", "secondary", 170, 3, 9), ("r", "mofa", "government_official",
                                                        170, None, None))
    strict = reconcile(vc, complete=False).iloc[0]
    assert strict["count_source_id"] == "mofa"
    assert int(strict["yes"]) == 170 and pd.isna(strict["no"]) and pd.isna(strict["abstain"])
    assert strict["rule"].startswith("strongest source kind: government_official")
    # completion: the weaker source agrees on yes, so it fills no and abstain
    done = reconcile(vc).iloc[0]
    assert done["count_source_id"] == "mofa"
    assert (int(done["no"]), int(done["abstain"])) == (3, 9)
    assert done["completed_from"] == "wiki"
    assert "no, abstain completed from wiki" in done["rule"]


def test_completion_never_uses_a_disagreeing_source():
    vc = counts(("r", "wiki", "secondary", 171, 3, 9), ("r", "mofa", "government_official",
                                                        170, None, None))
    row = reconcile(vc).iloc[0]
    assert int(row["yes"]) == 170 and pd.isna(row["no"]) and row["completed_from"] == ""


def test_same_kind_most_complete_then_source_id():
    vc = counts(("a", "x_news", "news", 100, None, None), ("a", "y_news", "news", 101, 2, 3),
                ("b", "zeta", "news", 100, 1, 1), ("b", "alpha", "news", 100, 1, 2))
    out = reconcile(vc).set_index("resolution_id")
    assert out.loc["a", "count_source_id"] == "y_news"
    assert "most complete figure" in out.loc["a", "rule"]
    assert out.loc["b", "count_source_id"] == "alpha"
    assert "first source_id" in out.loc["b", "rule"]


def test_order_of_kinds_and_sources_without_counts():
    kinds = ["secondary", "dataset", "news", "government_official", "un_official"]
    vc = counts(*[("r", f"s{i}", k, 100 + i, 1, 1) for i, k in enumerate(kinds)],
                ("r", "empty", "un_official", None, None, None))
    row = reconcile(vc).iloc[0]
    assert row["count_source_id"] == "s4" and int(row["yes"]) == 104  # un_official with counts
    assert row["n_sources"] == 5  # the source with no count is ignored
    vc = counts(("r", "d", "dataset", 1, 1, 1), ("r", "s", "secondary", 2, 2, 2))
    assert reconcile(vc).iloc[0]["count_source_id"] == "d"  # dataset > secondary


def test_single_source_and_bad_kind():
    assert reconcile(counts(("r", "only", "news", 5, 0, 0))).iloc[0]["rule"] == \
        "only source with a figure (news)"
    with pytest.raises(DataError, match="source_kind"):
        reconcile(counts(("r", "x", "rumour", 1, 1, 1)))


def test_rule_text_both_languages():
    assert "un_official > government_official > news > dataset > secondary" in rule_text("en")
    assert "un_official > government_official" in rule_text("ja")


# --- family_series on hand-made tables -------------------------------------------------
def resolutions(*rows: tuple) -> pd.DataFrame:
    """(session, title, yes, no, abstain, adopted_without_vote) rows of family 'fam'."""
    frame = pd.DataFrame(rows, columns=["session", "title", "yes", "no", "abstain",
                                        "adopted_without_vote"])
    frame["family"] = "fam"
    frame["resolution_id"] = "fam_" + frame["session"].astype(str)
    frame["year"] = frame["session"] + 1945
    frame["symbol"] = "A/RES/" + frame["session"].astype(str) + "/1"
    frame["date"] = pd.NaT
    frame["non_voting"] = pd.NA
    frame["source"] = "hand"
    frame["source_kind"] = "secondary"
    for c in ("yes", "no", "abstain"):
        frame[c] = pd.array(frame[c], dtype="Int64")
    return frame


def test_series_gaps_statuses_and_changes():
    res = resolutions((70, "T1", 90, 5, 5, False), (72, "T1", 80, 10, 10, False),
                      (73, "T2", None, None, None, True), (74, "T2", None, None, None, False),
                      (75, "T2", 95, None, None, False), (76, "T3", 85, 5, 10, False))
    s = family_series("fam", resolutions=res).set_index("session")
    assert list(s.index) == list(range(70, 77))
    assert s.loc[71, "status"] == "no record" and s.loc[71, "year"] == 2016
    assert s.loc[73, "status"] == "adopted without a vote"
    assert s.loc[74, "status"] == "counts unknown"
    assert s.loc[75, "status"] == "partial counts"
    assert s.loc[70, "support_share"] == pytest.approx(0.9)
    assert np.isnan(s.loc[72, "change"])  # previous session is a gap
    assert s.loc[76, "support_share"] == pytest.approx(0.85)
    assert s.loc[73, "title_changed"] and not s.loc[74, "title_changed"]
    assert s.loc[76, "title_changed"] and not s.loc[71, "title_changed"]
    clipped = family_series("fam", 2016, 2018, resolutions=res)
    assert clipped["year"].tolist() == [2016, 2017, 2018]


def test_series_change_is_session_on_session():
    res = resolutions((70, "T", 90, 5, 5, False), (71, "T", 80, 10, 10, False))
    s = family_series("fam", resolutions=res)
    assert s["change"].iloc[1] == pytest.approx(-0.1)
    assert int(s["yes_change"].iloc[1]) == -10


def test_unknown_family_and_bad_years():
    with pytest.raises(ParameterError, match="family"):
        family_series("no_such_family")
    with pytest.raises(ParameterError, match="end_year"):
        family_series("japan_nuclear", 2010, 2000)


# --- bundled data ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def japan() -> pd.DataFrame:
    return family_series("japan_nuclear")


def test_bundled_2007_figure(japan):
    row = japan[japan["year"] == 2007].iloc[0]
    assert row["symbol"] == "A/RES/62/37"
    assert int(row["yes"]) == 170
    assert row["status"] == "voted"


def test_bundled_2006_uses_the_stronger_source(japan):
    row = japan[japan["year"] == 2006].iloc[0]
    assert (int(row["yes"]), int(row["no"]), int(row["abstain"])) == (167, 3, 8)
    assert row["count_source_kind"] == "government_official"


def test_bundled_2023_is_a_gap(japan):
    row = japan[japan["year"] == 2023].iloc[0]
    assert row["status"] == "counts unknown"
    assert pd.isna(row["yes"]) and np.isnan(row["support_share"])
    after = japan[japan["year"] == 2024].iloc[0]
    assert np.isnan(after["change"])
    assert japan["session"].is_monotonic_increasing and japan["session"].diff().dropna().eq(1).all()


def test_bundled_tpnw_has_no_record_sessions():
    s = family_series("tpnw")
    assert set(s.loc[s["status"] == "no record", "year"]) == {2022, 2023, 2024}


def test_bundled_disagreements_2006():
    d = disagreements("japan_nuclear")
    row = d[d["resolution_id"] == "japan_nuclear_61"]
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["figure_a"], row["figure_b"]) == ("167-3-8", "167-4-7")
    assert row["source_b"].startswith("Wikipedia")
    assert (row["no_diff"], row["abstain_diff"]) == (-1, 1)
    assert row["used_figure"] == "167-3-8"
    assert row["rule"].startswith("strongest source kind")
    # 2007: the white paper gives only yes (170), which agrees: not a disagreement
    assert "japan_nuclear_62" not in set(d["resolution_id"])
    assert set(disagreements()["resolution_id"]) >= {"japan_nuclear_61"}


def test_disagreements_with_per_country_votes():
    res = resolutions((70, "T", 3, 1, 0, False))
    vc = counts(("fam_70", "press", "news", 3, 1, 0))
    votes = pd.DataFrame({
        "vote_id": "9", "resolution": "A/RES/70/1", "whole_resolution": True,
        "country": ["AAA", "BBB", "CCC", "DDD"], "vote": ["yes", "yes", "no", "abstain"]})
    d = disagreements("fam", votes=votes, counts=vc, resolutions=res)
    assert len(d) == 1
    row = d.iloc[0]
    assert row["source_b"] == PER_COUNTRY
    assert (row["figure_a"], row["figure_b"]) == ("3-1-0", "2-1-1")
    assert row["used_figure"] == "3-1-0"
    votes.loc[3, "vote"] = "yes"
    assert disagreements("fam", votes=votes, counts=vc, resolutions=res).empty


def test_title_lineage(japan):
    lin = title_lineage("japan_nuclear")
    assert lin["first_year"].tolist()[:3] == [1994, 2000, 2005]
    assert lin["title"].iloc[1] == "A path to the total elimination of nuclear weapons"
    assert lin["sessions"].sum() == (japan["status"] != "no record").sum()
    # every run starts where the series says the title changed
    changed = japan.loc[japan["title_changed"], "session"]
    assert changed.tolist() == lin["first_session"].iloc[1:].tolist()


def test_largest_changes_come_from_the_data(japan):
    top = largest_changes(japan, n=3)
    falls = japan.loc[japan["change"].nsmallest(3).index, "year"].tolist()
    rises = japan.loc[japan["change"].nlargest(3).index, "year"].tolist()
    assert top["year"].tolist() == falls + rises
    assert top["direction"].tolist() == ["fall"] * 3 + ["rise"] * 3
    # the fall after the nuclear-ban treaty's adoption (2017) is among the largest falls
    # because the counts say so: 167-4-17 in 2016, 156-4-24 in 2017
    assert 2017 in top.loc[top["direction"] == "fall", "year"].tolist()
    first = top.iloc[0]
    assert first["label"] == f"{first['year']}: {100 * first['change']:+.1f} pts"
    assert largest_changes(japan, n=1, lang="ja")["label"].iloc[0].endswith("ポイント")
    assert largest_changes(japan.head(1), n=3).empty


def test_headline_bundled(japan):
    h = headline(japan)
    assert h["sessions"] == 32 and h["first_year"] == 1994 and h["last_year"] == 2025
    assert h["sessions_with_counts"] == 31
    assert h["highest"]["year"] == 1994
    assert h["lowest"]["year"] == int(japan.loc[japan["support_share"].idxmin(), "year"])
    assert h["latest"]["year"] == 2025 and h["latest"]["yes"] == 147
    assert [g["year"] for g in h["gaps"]] == [2023]
    lines_ja = headline_lines(h, "ja")
    assert any("票数不明" in line for line in lines_ja)


def test_for_display_translates_headers_and_statuses(japan):
    out = for_display(japan.head(2), "ja", ["year", "yes", "status"])
    assert list(out.columns) == ["年", "賛成", "状態"]
    assert out["状態"].tolist() == ["投票", "投票"]
    lists = for_display(pd.DataFrame({"no": [["PRK", "USA"]]}), "en")
    assert lists["No"].iloc[0] == "PRK, USA"
