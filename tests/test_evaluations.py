"""Ratings across evaluation cycles (analysis.evaluations, analysis.evaluation_plots)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import datacopy
import matplotlib
import pandas as pd
import pytest

from analysis import data, style
from analysis import evaluation_plots as ep
from analysis import evaluations as ev
from analysis.bundle import load_bundle
from analysis.errors import DataError
from analysis.labels import fmt, label
from analysis.params import ParameterError
from analysis.unga import per_country_tallies, with_counts

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
AREA = "arms_control_disarmament_nonproliferation"


# --- hand-made frames ---------------------------------------------------------------------
def vocab_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "wording_ja": ["概ね達成", "中期目標を概ね達成", "目標達成", "進展があった",
                       "相当な進展があった", "競合A", "競合B"],
        "scale": ["s", "s", "s", "old", "old", "x", "x"],
        "level": pd.array([2, 3, 4, pd.NA, pd.NA, 1, 5], dtype="Int64"),
        "level_label_en": ["partly", "largely", "achieved", "progress", "more progress",
                           "a", "b"],
        "reason": ["r-partly", "r-largely", "r-achieved", "r-no-ladder", "r-no-ladder-2",
                   "r-a", "r-b"],
    })


def cycles_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "cycle_id": ["B", "A", "C", "Z"],
        "policy_area": ["p", "p", "p", "q"],
        "evaluation_year": pd.array([2010, 2005, 2015, 2010], dtype="Int64"),
        "evaluation_year_ja": ["y10", "y05", "y15", "y10"],
        "status": ["rated", "rated", "objectives_only", "rated"],
    })


def objectives_frame() -> pd.DataFrame:
    # A -> B: 1 same text (level up), 2 same text (same level), 3 same text (down),
    # 4 rewritten below the threshold (paired by number; unmapped in B),
    # 5 dropped; B has 6 new. B -> C: all carried over, C not rated.
    a = {"1": "核軍縮の取組を強化する", "2": "不拡散の取組を強化する",
         "3": "化学兵器禁止条約の実施を推進する", "4": "通常兵器の軍備管理を促進する",
         "5": "宇宙空間の安全保障を議論する"}
    b = {"1": "核軍縮の取組を強化する", "2": "不拡散の取組を強化する",
         "3": "化学兵器禁止条約の実施を推進する", "4": "対人地雷のない世界に向けた尽力",
         "6": "新興技術のルール作りに貢献する"}
    c = dict(b)
    rows = [(cid, k, v) for cid, d in (("A", a), ("B", b), ("C", c)) for k, v in d.items()]
    return pd.DataFrame(rows, columns=["cycle_id", "objective_no", "text_ja"])


def ratings_frame() -> pd.DataFrame:
    rows = [("A", "1", "一部について概ね達成"), ("A", "2", "中期目標を概ね達成した"),
            ("A", "3", "目標達成"), ("A", "4", "「目標達成。」"), ("A", "5", "概ね達成"),
            ("B", "1", "中期目標を概ね達成することができた"),
            ("B", "2", "中期目標を概ね達成"), ("B", "3", "概ね達成"),
            ("B", "4", "取組を強化することができた"), ("B", "6", "目標達成")]
    return pd.DataFrame(rows, columns=["cycle_id", "objective_no", "wording_ja"])


def hand_table(cycle_ids=None) -> pd.DataFrame:
    cyc = ev.select_cycles(cycles_frame(), "p", cycle_ids)
    return ev.build_rating_table(cyc, objectives_frame(), ratings_frame(), vocab_frame())


# --- mapping ------------------------------------------------------------------------------
def test_normalise_wording():
    wording = "「目標の達成に向けて　進展があった。」"
    assert ev.normalise_wording(wording) == "目標の達成に向けて進展があった"
    assert ev.normalise_wording("ＡＢ 1。") == "AB1"
    s = ev.normalise_wording(pd.Series(["「x」", None]))
    assert s.iloc[0] == "x" and pd.isna(s.iloc[1])


def test_map_wording_longest_match_and_statuses():
    wordings = pd.Series([
        "中期目標を概ね達成することができたと評価",  # 中期目標を概ね達成 (3) beats 概ね達成 (2)
        "概ね達成",                                # only the short phrase: 2
        "「目標の達成に向けて相当な進展があった。」",  # longest has no level
        "目標に向けて進展があった",                    # listed without level
        "取組を強化することができた",                  # nothing contained
        "競合A、競合B",                              # two phrases of equal length, levels 1/5
        None,                                        # no judgement
    ], index=list("abcdefg"))
    m = ev.map_wording(wordings, vocab_frame())
    assert list(m.index) == list("abcdefg")
    assert m["level"].tolist() == [3, 2, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA]
    assert m["vocabulary_wording"].tolist()[:4] == ["中期目標を概ね達成", "概ね達成",
                                                     "相当な進展があった", "進展があった"]
    assert m["mapping_status"].tolist() == [
        ev.MAPPED, ev.MAPPED, ev.UNMAPPED_NO_LEVEL, ev.UNMAPPED_NO_LEVEL,
        ev.UNMAPPED_NO_ENTRY, ev.UNMAPPED_AMBIGUOUS, ev.NOT_RATED]
    assert m.loc["a", "reason"] == "r-largely"
    assert m.loc["c", "reason"] == "r-no-ladder-2"
    assert "no vocabulary phrase" in m.loc["e", "reason"]
    assert "競合A" in m.loc["f", "reason"] and "競合B" in m.loc["f", "reason"]
    assert pd.isna(m.loc["g", "reason"])
    assert m["level"].dtype == "Int64"


def test_map_wording_unplaced_never_guessed():
    # a wording that resembles a vocabulary phrase but does not contain it stays unmapped
    m = ev.map_wording(pd.Series(["概ねの達成"]), vocab_frame())
    assert m["mapping_status"].item() == ev.UNMAPPED_NO_ENTRY
    assert pd.isna(m["level"].item())


def test_map_wording_empty_vocabulary_and_duplicates():
    empty = vocab_frame().iloc[:0]
    m = ev.map_wording(pd.Series(["目標達成"]), empty)
    assert m["mapping_status"].item() == ev.UNMAPPED_NO_ENTRY
    dup = pd.concat([vocab_frame(), vocab_frame().iloc[[0]].assign(wording_ja="「概ね達成。」")])
    with pytest.raises(DataError) as err:
        ev.map_wording(pd.Series(["x"]), dup)
    assert err.value.column == "wording_ja"


def test_vocabulary_mapping_table():
    t = hand_table()
    table = ev.vocabulary_mapping(t, vocab_frame())
    assert list(table.columns) == ["wording", "scale", "level", "label", "mapping_status",
                                   "reason", "cycles", "ratings", "n_ratings"]
    row = table.set_index("wording").loc["中期目標を概ね達成"]
    assert row["level"] == 3 and row["cycles"] == "A; B"
    assert row["ratings"] == "A/2; B/1; B/2" and row["n_ratings"] == 3
    assert table.set_index("wording").loc["概ね達成", "ratings"] == "A/1; A/5; B/3"
    unused = table.set_index("wording").loc["進展があった"]
    assert unused["n_ratings"] == 0 and unused["mapping_status"] == ev.UNMAPPED_NO_LEVEL
    unplaced = table.set_index("wording").loc["取組を強化することができた"]
    assert unplaced["mapping_status"] == ev.UNMAPPED_NO_ENTRY
    assert pd.isna(unplaced["level"]) and unplaced["cycles"] == "B"
    assert table["wording"].iloc[-1] == "取組を強化することができた"  # unplaced wording last


# --- table, matrix, transitions -------------------------------------------------------------
def test_select_cycles_orders_and_checks():
    c = ev.select_cycles(cycles_frame(), "p")
    assert c["cycle_id"].tolist() == ["A", "B", "C"]
    assert c["cycle_order"].tolist() == [0, 1, 2]
    assert ev.select_cycles(cycles_frame(), "p", ["C", "A"])["cycle_id"].tolist() == ["A", "C"]
    assert len(ev.select_cycles(cycles_frame())) == 4
    for kwargs, name in ((dict(policy_area="nope"), "policy_area"),
                         (dict(policy_area="p", cycle_ids=["A", "X9"]), "cycles"),
                         (dict(policy_area="p", cycle_ids=["Z"]), "cycles"),
                         (dict(policy_area="p", cycle_ids="A"), "cycles"),
                         (dict(policy_area="p", cycle_ids=[]), "cycles")):
        with pytest.raises(ParameterError) as err:
            ev.select_cycles(cycles_frame(), **kwargs)
        assert err.value.name == name


def test_rating_table_and_matrix():
    t = hand_table()
    assert t["cycle_id"].unique().tolist() == ["A", "B", "C"]
    levels = ev.rating_matrix(t)
    assert list(levels.index) == ["A", "B", "C"]
    assert list(levels.columns) == ["1", "2", "3", "4", "5", "6"]
    assert levels.loc["A"].tolist() == [2, 3, 4, 4, 2, pd.NA]
    assert levels.loc["B"].tolist() == [3, 3, 2, pd.NA, pd.NA, 4]
    assert levels.loc["C"].isna().all()
    wording = ev.rating_matrix(t, "wording_ja")
    assert wording.loc["B", "4"] == "取組を強化することができた"
    assert wording.loc["A", "4"] == "「目標達成。」"
    status = ev.rating_matrix(t, "mapping_status")
    assert status.loc["B", "4"] == ev.UNMAPPED_NO_ENTRY
    assert status.loc["C", "1"] == ev.NOT_RATED
    assert pd.isna(status.loc["C", "5"])  # C has no objective 5
    assert ev.latest_rated_cycle(t) == "B"


def test_match_objectives_renumbered():
    a = pd.DataFrame({"objective_no": ["1", "2", "3"],
                      "text_ja": ["核軍縮の取組を強化する", "地雷の除去を進める", "宇宙の利用"]})
    b = pd.DataFrame({"objective_no": ["1", "2", "3"],
                      "text_ja": ["地雷の除去を進める。", "核軍縮の取組を一層強化する",
                                  "新興技術の規範作り"]})
    m = ev.match_objectives(a, b)
    pairs = m[["objective_from", "objective_to", "basis", "change"]].to_numpy().tolist()
    assert pairs == [["1", "2", "text", "rewritten"], ["2", "1", "text", "rewritten"],
                     ["3", "3", "number", "rewritten"]]
    assert m["similarity"].iloc[2] < ev.SIMILARITY_THRESHOLD
    assert m.loc[0, "diff_text"] == "核軍縮の取組を{+一層+}強化する"
    no_num = ev.match_objectives(a, b, pair_by_number=False)
    assert no_num["change"].tolist() == ["rewritten", "rewritten", "dropped", "new"]
    assert no_num["similarity"].isna().tolist() == [False, False, True, True]


def test_transitions_hand_made():
    t = hand_table()
    tr = ev.transitions(t)
    ab = tr[(tr["from_cycle"] == "A") & (tr["to_cycle"] == "B")]
    got = dict(zip(ab["objective_from"].fillna("-") + ">" + ab["objective_to"].fillna("-"),
                   ab["transition"], strict=True))
    assert got == {"1>1": "up", "2>2": "same", "3>3": "down", "4>4": "unmapped",
                   "5>-": "dropped", "->6": "new"}
    row4 = ab[ab["objective_from"] == "4"].iloc[0]
    assert row4["basis"] == "number" and row4["similarity"] < 0.5
    assert row4["reason"] == "B 4: unmapped: no vocabulary entry"
    assert ab.loc[ab["objective_from"] == "1", ["level_from", "level_to"]].iloc[0].tolist() == [
        2, 3]
    bc = tr[tr["from_cycle"] == "B"]
    assert set(bc["to_cycle"]) == {"C"}
    assert bc["transition"].eq("unmapped").all()
    assert bc.loc[bc["objective_from"] == "4", "reason"].item() == (
        "B 4: unmapped: no vocabulary entry; C 4: not rated")
    assert set(tr["transition"]) <= set(ev.TRANSITIONS)


def test_consecutive_skips_cycles_without_objectives():
    cyc = pd.concat([cycles_frame(), pd.DataFrame({
        "cycle_id": ["M"], "policy_area": ["p"], "evaluation_year": pd.array([2012], "Int64"),
        "evaluation_year_ja": ["y12"], "status": ["cycle_only"]})], ignore_index=True)
    sel = ev.select_cycles(cyc, "p")
    t = ev.build_rating_table(sel, objectives_frame(), ratings_frame(), vocab_frame())
    ch = ev.objective_changes(t)
    assert sorted(set(zip(ch["from_cycle"], ch["to_cycle"], strict=True))) == [
        ("A", "B"), ("B", "C")]
    ov = ev.cycle_overview(sel, t)
    assert ov["cycle_id"].tolist() == ["A", "B", "M", "C"]
    assert ov["n_objectives"].tolist() == [5, 5, 0, 5]
    assert ov["n_rated"].tolist() == [5, 5, 0, 0]


# --- indicators -----------------------------------------------------------------------------
def test_parse_linked_years():
    out = ev.parse_linked_years(pd.Series(["2005", "2003-2004;2008", None], index=[1, 2, 3]))
    assert out.to_numpy().tolist() == [[1, 2005], [2, 2003], [2, 2004], [2, 2008]]


def test_linked_values_hand_made():
    ind = pd.DataFrame({
        "indicator_id": ["I1", "I2"], "cycle_id": ["A", "A"], "objective_no": ["1", "1"],
        "linked_dataset": ["unga:fam", None], "linked_years": ["2004-2006", None],
        "target_value": pd.array([pd.NA, 100.0], dtype="Float64"),
        "actual_value": pd.array([pd.NA, 90.0], dtype="Float64"),
        "name_ja": ["支持", "予算"], "name_en": ["support", "budget"],
        "reference_period": ["p", "p"], "unit": [None, "千円"]})
    res = pd.DataFrame({
        "family": pd.Categorical(["fam", "fam", "fam", "other"]),
        "year": pd.array([2003, 2004, 2006, 2005], dtype="Int64"),
        "resolution_id": ["fam_58", "fam_59", "fam_61", "other_60"],
        "symbol": ["A/RES/58/1", "A/RES/59/1", None, "A/RES/60/9"],
        "yes": pd.array([150, 160, 155, 1], dtype="Int64"),
        "no": pd.array([1, 2, 3, 4], dtype="Int64"),
        "abstain": pd.array([5, 6, 7, 8], dtype="Int64"),
        "source": ["s58", "s59", "s61", "s60"],
        "source_kind": pd.Categorical(["news"] * 4)})
    lk = ev.linked_values(ind, res)
    assert lk["year"].tolist() == [2004, 2005, 2006]
    assert lk["yes"].tolist() == [160, pd.NA, 155]
    assert lk["prior_max_yes"].tolist() == [150, pd.NA, 160]
    assert lk["source"].tolist()[0] == "s59"
    assert lk["value_note"].tolist()[1] == "no resolution of the family voted that year"
    cyc = pd.DataFrame({"cycle_id": ["A"], "cycle_order": [0]})
    table = ev.indicator_table(ind, cyc, lk)
    assert table["value_source"].tolist() == ["unga:fam (2004-2006)", "evaluation document"]
    assert table["linked_yes"].tolist()[0] == "2004: 160; 2006: 155"
    vals = ev.indicator_values(table, lk)
    assert vals[["indicator_id", "kind", "value"]].to_numpy().tolist() == [
        ["I1", "linked", 160.0], ["I1", "linked", 155.0],
        ["I2", "actual", 90.0], ["I2", "target", 100.0]]
    assert vals.loc[0, "source"] == "UNGA A/RES/59/1: s59"
    lines = ev.describe_linked(lk).splitlines()
    assert lines[0].startswith("I1 (unga:fam, 2004): 160 yes, 2 no, 6 abstentions")
    assert lines[1] == "I1 (unga:fam, 2005): no value (no resolution of the family voted " \
                       "that year)."


# --- bundled data ----------------------------------------------------------------------------
def test_bundled_latest_rated_cycle_four_objectives():
    t = ev.rating_table(load_bundle(), policy_area=AREA)
    latest = ev.latest_rated_cycle(t)
    assert latest == "R6"
    rows = t[t["cycle_id"] == latest].set_index("objective_no")
    assert list(rows.index) == ["1", "2", "3", "4"]
    assert rows["wording_ja"].notna().all()
    for obj in ("2", "3", "4"):
        assert rows.loc[obj, "level"] == 3
        assert rows.loc[obj, "vocabulary_wording"] == "中期目標を概ね達成"
        assert rows.loc[obj, "mapping_status"] == ev.MAPPED
    # objective 1 is judged 取組を強化することができた: no vocabulary entry, no level
    assert rows.loc["1", "wording_ja"] == "取組を強化することができた"
    assert pd.isna(rows.loc["1", "level"])
    assert rows.loc["1", "mapping_status"] == ev.UNMAPPED_NO_ENTRY
    text = ev.describe_latest(t)
    assert "objective 1: no level (unmapped: no vocabulary entry)" in text


def test_bundled_objective_4_rewrite_found():
    t = ev.rating_table(load_bundle(), policy_area=AREA)
    ch = ev.objective_changes(t)
    four = ch[(ch["from_cycle"] == "R6") & (ch["objective_from"] == "4")]
    assert len(four) == 1
    row = four.iloc[0]
    assert row["to_cycle"] == "R9" and row["objective_to"] == "4"
    assert 0 < row["similarity"] < 1
    assert row["change"] == "rewritten"
    assert "[-" in row["diff_text"] and "{+" in row["diff_text"]
    assert "{+" in row["diff_text"] and "対人地雷のない世界" in row["diff_text"]
    assert "<del" in row["diff_html"] and "<ins" in row["diff_html"]
    one = ch[(ch["from_cycle"] == "R6") & (ch["objective_from"] == "1")].iloc[0]
    assert one["objective_to"] == "1" and one["basis"] == "text"
    assert one["diff_text"] == ("「核兵器のない世界」の実現に向け、"
                                "[-国際的な核軍縮を追求するための-]"
                                "現実的かつ実践的な取組を強化する。")
    same = ch[(ch["from_cycle"] == "R6") & ch["objective_from"].isin(["2", "3"])]
    assert same["change"].eq("unchanged").all() and (same["similarity"] == 1).all()


def test_bundled_linked_indicator_values_come_from_resolutions():
    """Each linked value is the figure notebook 01 uses for that vote (unga.with_counts)."""
    b = load_bundle()
    ind = b.indicators
    res = with_counts(b.resolutions, b.vote_counts, per_country_tallies(b.votes, b.resolutions))
    lk = ev.linked_values(ind, res)
    expected = ind.dropna(subset=["linked_dataset"])
    assert set(lk["indicator_id"]) == set(expected["indicator_id"])
    for row in lk.itertuples():
        fam = row.linked_dataset.split(":")[1]
        src = res[(res["family"] == fam) & (res["year"] == row.year)]
        assert row.yes == src["yes"].iloc[0]
        assert row.source == src["source"].iloc[0]


def test_no_cycle_literals_in_source():
    pattern = re.compile(r"\b(H14|H18|H19|H21|R3|R6|R9)\b|2024|令和|平成")
    for name in ("evaluations.py", "textdiff.py", "evaluation_plots.py"):
        text = (ROOT / "src" / "analysis" / name).read_text(encoding="utf-8")
        assert not pattern.search(text), name


def add_synthetic_cycle(root: Path) -> Path:
    """Copy data/ to ``root``/data and add a cycle X30 with two objectives and ratings;
    its objective 1 repeats the latest cycle's objective 1."""
    objectives = data.load_objectives()
    latest = objectives[objectives["cycle_id"] == "R9"].set_index("objective_no")["text_ja"]
    return datacopy.add_synthetic_cycle(root, latest["1"])


def test_synthetic_cycle_flows_through(tmp_path, monkeypatch):
    target = add_synthetic_cycle(tmp_path)
    t = ev.rating_table(load_bundle(target), policy_area=AREA)
    levels = ev.rating_matrix(t)
    assert levels.index[-1] == "X30"
    assert levels.loc["X30", "1"] == 3 and levels.loc["X30", "2"] == 5
    assert ev.latest_rated_cycle(t) == "X30"
    tr = ev.transitions(t)
    r9 = tr[tr["from_cycle"] == "R9"]
    assert set(r9["to_cycle"]) == {"X30"}
    assert r9.set_index("objective_from").loc["1", "basis"] == "text"
    assert r9.set_index("objective_from").loc["1", "similarity"] == pytest.approx(1.0)
    # the same through the environment variable
    monkeypatch.setenv(data.ENV_VAR, str(target))
    assert "X30" in ev.rating_matrix(ev.rating_table(load_bundle(), policy_area=AREA)).index


# --- figures --------------------------------------------------------------------------------
@pytest.mark.slow  # draws figures: seconds each (the fast tier stays under 90 s)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_figures_render_without_missing_glyphs(lang):
    cyc = ev.select_cycles(data.load_cycles(), AREA)
    t = ev.rating_table(load_bundle(), policy_area=AREA)
    ind = data.load_indicators()
    lk = ev.linked_values(ind, with_counts(data.load_resolutions(), data.load_vote_counts()))
    values = ev.indicator_values(ev.indicator_table(ind, cyc, lk), lk)
    style.setup(lang)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        heat = ep.plot_level_heatmap(t, cyc, lang=lang)
        heat.canvas.draw()
        chart = ep.plot_indicators(values, lang=lang)
        chart.canvas.draw()
    ax = heat.axes[0]
    texts = [x.get_text() for x in ax.texts]
    unmapped = label("eval.unmapped", lang)
    # three unmapped judgements on the bundled data (two of one era, objective 1 of R6)
    assert sum(x.startswith(unmapped + "\n") for x in texts) == 3
    assert any("中期目標を概ね達成" in x for x in texts)
    assert any(p.get_hatch() == "///" for p in ax.patches)
    legend = [x.get_text() for x in ax.get_legend().get_texts()]
    assert fmt("eval.level_n", lang, level=3) in legend
    assert ax.get_title() == label("eval.title.heatmap", lang)
    legend2 = [x.get_text() for a in chart.axes if a.get_legend()
               for x in a.get_legend().get_texts()]
    assert label("eval.legend.linked", lang) in legend2
    import matplotlib.pyplot as plt

    plt.close("all")


def test_plot_on_given_axes_returns_its_figure():
    import matplotlib.pyplot as plt

    style.setup("en")
    fig, ax = plt.subplots()
    out = ep.plot_level_heatmap(hand_table(), ax=ax, lang="en")
    assert out is fig
    fig2, ax2 = plt.subplots()
    assert ep.plot_indicators(ev.indicator_values(pd.DataFrame(columns=[
        "indicator_id", "cycle_id", "objective_no", "name_ja", "name_en", "reference_period",
        "unit", "target_value", "actual_value"])), ax=ax2, lang="ja") is fig2
    plt.close("all")
