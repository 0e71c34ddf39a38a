"""Tests of analysis.unga: reconciliation rule, family series, disagreements, summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.bundle import load_bundle
from analysis.errors import DataError
from analysis.params import ParameterError
from analysis.unga import (
    PER_COUNTRY_SOURCES,
    disagreements,
    family_series,
    for_display,
    headline,
    headline_lines,
    largest_changes,
    named_lists,
    per_country_tallies,
    reconcile,
    rule_text,
    title_lineage,
    with_counts,
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


def test_rule_said_from_its_parts_in_both_languages():
    """reconcile gives the reason in parts; the display says it in the reader's language
    from those parts (kinds and count names in words), never from the English text."""
    vc = counts(("r", "wiki", "secondary", 170, 3, 9), ("r", "mofa", "government_official",
                                                         170, None, None),
                ("a", "x_news", "news", 100, None, None), ("a", "y_news", "news", 101, 2, 3),
                ("b", "zeta", "news", 100, 1, 1), ("b", "alpha", "news", 100, 1, 2),
                ("c", "only", "news", 5, 0, 0))
    out = reconcile(vc)
    parts = out.set_index("resolution_id")
    assert parts.loc["r", ["rule_code", "rule_next_kind", "rule_next_id",
                           "completed_cols"]].tolist() == ["strongest", "secondary", "wiki",
                                                           "no, abstain"]
    assert parts.loc["a", ["rule_code", "rule_counts", "rule_next_counts"]].tolist() == [
        "fuller", 3, 1]
    assert parts["rule_code"].to_dict() == {"a": "fuller", "b": "first", "c": "only",
                                            "r": "strongest"}
    out["rule"] = "not read"  # the words come from the parts, not from this text
    en = for_display(out, "en", ["resolution_id", "rule"]).iloc[:, 1].tolist()
    ja = for_display(out, "ja", ["resolution_id", "rule"]).iloc[:, 1].tolist()
    assert en == ["same kind (news) as x_news; most complete figure (3 counts vs 1)",
                  "same kind (news) and completeness as zeta; first source_id",
                  "only source with a figure (news)",
                  "strongest source kind: government (next: secondary, wiki); No, Abstain "
                  "completed from wiki (agreeing on every count both give)"]
    assert ja == ["x_newsと同じ種類（報道）で、より揃った数値（3項目対1項目）",
                  "zetaと種類（報道）も揃い方も同じため、出典IDの順で先のもの",
                  "数値を示す唯一の出典（報道）",
                  "出典の種類で優先：政府公式資料（次点：二次資料、wiki）。反対、棄権はwikiから補完"
                  "（共通する票数はすべて一致）"]
    # shown whole, the frame keeps its columns but not the parts the rule says
    assert "rule_code" not in for_display(out, "en").columns


def test_rule_text_both_languages():
    assert "un_record), then government_official > news > dataset > secondary" in \
        rule_text("en")
    ja = rule_text("ja")  # the same order, in words (SOURCE_RANK: un > gov > news > ...)
    order = ["国連自身の記録", "政府の公式資料", "報道", "データセット", "二次資料"]
    assert [ja.index(w) for w in order] == sorted(ja.index(w) for w in order)
    assert "un_record" not in ja and "source_id" not in ja


def test_un_record_outranks_government_and_news():
    vc = counts(("r", "mofa", "government_official", 167, 3, 8),
                ("r", "per_country", "un_record", 167, 4, 7),
                ("r", "wiki", "secondary", 167, 4, 7))
    row = reconcile(vc).iloc[0]
    assert (row["count_source_id"], int(row["no"])) == ("per_country", 4)


# --- family_series on hand-made tables -------------------------------------------------
def resolutions(*rows: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(session, title, yes, no, abstain, adopted_without_vote) rows of family 'fam':
    the resolutions frame and its counts frame (one source per resolution)."""
    frame = pd.DataFrame(rows, columns=["session", "title", "yes", "no", "abstain",
                                        "adopted_without_vote"])
    frame["family"] = "fam"
    frame["resolution_id"] = "fam_" + frame["session"].astype(str)
    frame["year"] = frame["session"] + 1945
    frame["symbol"] = "A/RES/" + frame["session"].astype(str) + "/1"
    frame["date"] = pd.NaT
    frame["source"] = "hand"
    frame["source_kind"] = "secondary"
    vc = frame[["resolution_id", "yes", "no", "abstain"]].assign(
        source_id="hand", source="hand", source_kind="secondary")
    vc = vc[vc[["yes", "no", "abstain"]].notna().any(axis=1)]
    return frame.drop(columns=["yes", "no", "abstain"]), vc


def test_series_gaps_statuses_and_changes():
    res = resolutions((70, "T1", 90, 5, 5, False), (72, "T1", 80, 10, 10, False),
                      (73, "T2", None, None, None, True), (74, "T2", None, None, None, False),
                      (75, "T2", 95, None, None, False), (76, "T3", 85, 5, 10, False))
    s = family_series(*res, "fam").set_index("session")
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
    clipped = family_series(*res, "fam", 2016, 2018)
    assert clipped["year"].tolist() == [2016, 2017, 2018]


def test_series_change_is_session_on_session():
    res = resolutions((70, "T", 90, 5, 5, False), (71, "T", 80, 10, 10, False))
    s = family_series(*res, "fam")
    assert s["change"].iloc[1] == pytest.approx(-0.1)
    assert int(s["yes_change"].iloc[1]) == -10


def test_unknown_family_and_bad_years():
    b = load_bundle()
    with pytest.raises(ParameterError, match="family"):
        family_series(b.resolutions, b.vote_counts, "no_such_family")
    with pytest.raises(ParameterError, match="end_year"):
        family_series(b.resolutions, b.vote_counts, "japan_nuclear", 2010, 2000)


# --- bundled data ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def tallies(bundle) -> pd.DataFrame:
    return per_country_tallies(bundle.votes, bundle.resolutions)


@pytest.fixture(scope="module")
def japan(bundle, tallies) -> pd.DataFrame:
    """The series as the notebooks compute it: bundled sources and the record's tallies."""
    return family_series(bundle.resolutions, bundle.vote_counts, "japan_nuclear",
                         tallies=tallies)


def test_bundled_2007_figure(japan):
    row = japan[japan["year"] == 2007].iloc[0]
    assert row["symbol"] == "A/RES/62/37"
    assert int(row["yes"]) == 170
    assert row["status"] == "voted"


def test_bundled_2006_is_the_un_record(japan):
    """Issue oracle: the UN's own record of A/RES/61/74 is 167-4-7 (its per-country tally,
    which ja.wikipedia also prints); MOFA's 167-3-8 is a disagreement, not the figure."""
    row = japan[japan["year"] == 2006].iloc[0]
    assert (int(row["yes"]), int(row["no"]), int(row["abstain"])) == (167, 4, 7)
    assert row["count_source_kind"] == "un_record"


def test_bundled_record_tallies_are_chosen_until_2019(japan):
    """Every session 1994-2019 whose symbol the record holds uses the record's tally,
    unless a UN document (un_official) gives the same rank."""
    kinds = japan.set_index("year").loc[1994:2019, "count_source_kind"]
    assert kinds.isin(["un_record", "un_official", "government_official"]).all()
    assert (kinds == "un_record").sum() >= 20


def test_bundled_2023_counts_from_a_news_report(japan):
    row = japan[japan["year"] == 2023].iloc[0]
    assert (int(row["yes"]), int(row["no"]), int(row["abstain"])) == (148, 7, 29)
    assert row["count_source_kind"] == "news"
    assert japan["session"].is_monotonic_increasing and japan["session"].diff().dropna().eq(1).all()


def test_bundled_tpnw_sessions(bundle, tallies):
    s = family_series(bundle.resolutions, bundle.vote_counts, "tpnw", tallies=tallies)
    assert set(s.loc[s["status"] == "no record", "year"]) == {2024}
    assert s.loc[s["year"] == 2023, "status"].item() == "counts unknown"


def test_bundled_disagreements_2006(bundle, tallies):
    d = disagreements(bundle.resolutions, bundle.vote_counts, "japan_nuclear",
                      tallies=tallies)
    rows = d[d["resolution_id"] == "japan_nuclear_61"]
    assert len(rows) == 2  # the record and Wikipedia each against MOFA
    pairs = {frozenset(x) for x in zip(rows["figure_a"], rows["figure_b"], strict=True)}
    assert pairs == {frozenset({"167-3-8", "167-4-7"})}
    assert set(rows["used_figure"]) == {"167-4-7"}
    assert rows["rule"].str.startswith("strongest source kind: un_record").all()
    # 2007: the white paper gives only yes (170), which agrees: not a disagreement
    assert "japan_nuclear_62" not in set(d["resolution_id"])


def test_disagreements_with_per_country_votes():
    res, _ = resolutions((70, "T", 3, 1, 0, False))
    vc = counts(("fam_70", "press", "news", 3, 1, 0))
    votes = pd.DataFrame({
        "vote_id": "9", "resolution": "A/RES/70/1", "whole_resolution": True,
        "country": ["AAA", "BBB", "CCC", "DDD"], "vote": ["yes", "yes", "no", "abstain"]})
    votes.attrs["source_format"] = "undl"
    d = disagreements(res, vc, "fam", tallies=per_country_tallies(votes, res))
    assert len(d) == 1
    row = d.iloc[0]
    assert row["source_a"] == PER_COUNTRY_SOURCES["undl"]
    assert (row["figure_a"], row["figure_b"]) == ("2-1-1", "3-1-0")
    assert row["used_figure"] == "2-1-1"  # the UN's record outranks the news report
    votes.loc[3, "vote"] = "yes"
    assert disagreements(res, vc, "fam", tallies=per_country_tallies(votes, res)).empty


def test_named_lists_complete_and_partial(bundle):
    t = named_lists(bundle.named_votes, bundle.resolutions, "japan_nuclear", 2023, 2023)
    no = t[t["vote"] == "no"].iloc[0]
    assert (no["n_named"], bool(no["complete"])) == (3, False)  # 3 of the 7 against
    assert named_lists(bundle.named_votes, bundle.resolutions, "japan_nuclear",
                       1994, 2019).empty


def test_with_counts_gives_the_chosen_figure_and_its_source(bundle, tallies):
    w = with_counts(bundle.resolutions, bundle.vote_counts, tallies).set_index("resolution_id")
    assert w.loc["japan_nuclear_61", ["yes", "no", "abstain"]].astype(int).tolist() == \
        [167, 4, 7]
    assert w.loc["japan_nuclear_61", "source_kind"] == "un_record"


def test_title_lineage(japan, bundle):
    lin = title_lineage(bundle.resolutions, "japan_nuclear")
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
    assert h["sessions_with_counts"] == 32
    assert h["highest"]["year"] == int(japan.loc[japan["support_share"].idxmax(), "year"])
    assert h["lowest"]["year"] == int(japan.loc[japan["support_share"].idxmin(), "year"])
    assert h["latest"]["year"] == 2025 and h["latest"]["yes"] == 147
    assert h["gaps"] == []
    lines_ja = headline_lines(h, "ja")
    assert lines_ja and all(isinstance(line, str) for line in lines_ja)


def test_for_display_translates_headers_and_statuses(japan):
    out = for_display(japan.head(2), "ja", ["year", "yes", "status"])
    assert list(out.columns) == ["年", "賛成", "状態"]
    assert out["状態"].tolist() == ["投票", "投票"]
    lists = for_display(pd.DataFrame({"no": [["PRK", "USA"]]}), "en")
    assert lists["No"].iloc[0] == "PRK, USA"
