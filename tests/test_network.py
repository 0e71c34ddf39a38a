"""Consultation networks (analysis.network, analysis.network_plots).

Most checks run on a small hand-made register whose answers are written out below;
the last ones run on the bundled register for the 2006-2007 table of the 2008 white paper.
"""

from __future__ import annotations

import warnings

import matplotlib
import networkx as nx
import pandas as pd
import pytest

from analysis import network, network_plots, outputs, style
from analysis.data import load_consultations, load_counterparts
from analysis.errors import DataError
from analysis.params import ParameterError

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

WEOG, APG, AFR, EEG = ("Western European and Others", "Asia-Pacific", "African",
                       "Eastern European")


def make_register() -> pd.DataFrame:
    """Nine meetings, 2010-2012 plus one undated, shaped like load_consultations().

    Bilateral: M01 AAA in Tokyo (2010), M02 AAA abroad, weak (2011), M03 EU troika in
    Brussels, weak (2011), M04 BBB by video (2012), M05 CCC, host unknown (2012), M09 DDD
    undated. Group meetings: M06 ASTOP AAA;BBB;CCC (2010), M07 ASTOP AAA;BBB with an
    incomplete list (2012), M08 trilateral AAA;DDD (2011).
    """
    rows = [
        # id, date, format, track, counterparts, city, host, weak, complete
        ("M01", "2010-03-01", "bilateral", "DNP_bilateral", "AAA", "Tokyo", "JPN", False, True),
        ("M02", "2011-05-10", "bilateral", "DNP_bilateral", "AAA", "Capital A", "AAA", True,
         True),
        ("M03", "2011-06-01", "bilateral", "EU_troika_WG", "EU", "Brussels", "BEL", True, True),
        ("M04", "2012-02-02", "bilateral", "DNP_bilateral", "BBB", "VTC", "VTC", False, True),
        ("M05", "2012-09-09", "bilateral", "DNP_bilateral", "CCC", None, None, False, True),
        ("M06", "2010-07-07", "multilateral", "ASTOP", "AAA;BBB;CCC", "Tokyo", "JPN", False,
         True),
        ("M07", "2012-07-07", "multilateral", "ASTOP", "AAA;BBB", "Tokyo", "JPN", False, False),
        ("M08", "2011-01-01", "trilateral", "trilateral_JUA", "AAA;DDD", "Tokyo", "JPN", False,
         True),
        ("M09", None, "bilateral", "DNP_bilateral", "DDD", "Capital D", "DDD", True, True),
    ]
    frame = pd.DataFrame(rows, columns=["meeting_id", "date", "format", "track",
                                        "counterparts", "city", "host", "weak",
                                        "participants_complete"])
    frame["date_start"] = pd.to_datetime(frame["date"])
    frame["date_end"] = pd.NaT
    frame["year"] = frame["date_start"].dt.year.astype("Int64")
    frame["verification_status"] = frame["weak"].map({True: "not_found", False: "primary"})
    frame["name_en"] = frame["meeting_id"] + " meeting"
    frame["format"] = pd.Categorical(frame["format"],
                                     categories=["bilateral", "trilateral", "multilateral"])
    frame["participants_complete"] = frame["participants_complete"].astype("boolean")
    return frame.sort_values(["date_start", "meeting_id"], ignore_index=True,
                             na_position="last")


def make_counterparts() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["AAA", "BBB", "CCC", "DDD", "EU", "JPN"],
        "kind": ["state", "state", "state", "state", "organisation", "state"],
        "name_en": ["Aland", "Bland", "Cland", "Dland", "European Union", "Japan"],
        "name_ja": ["エー国", "ビー国", "シー国", "ディー国", "欧州連合", "日本"],
        "un_regional_group": [WEOG, APG, AFR, EEG, None, APG],
    })


@pytest.fixture
def reg() -> pd.DataFrame:
    return make_register()


@pytest.fixture
def cp() -> pd.DataFrame:
    return make_counterparts()


# --- selection -----------------------------------------------------------------------------
def test_select_period_sorted_and_undated_left_out(reg):
    assert network.select_period(reg, 2010, 2012)["meeting_id"].tolist() == [
        "M01", "M06", "M08", "M02", "M03", "M04", "M07", "M05"]
    assert network.select_period(reg, 2011, 2011)["meeting_id"].tolist() == ["M08", "M02", "M03"]


def test_bilateral_rounds_venue_and_codes(reg):
    rounds = network.bilateral_rounds(reg, 2010, 2012)
    assert rounds["code"].tolist() == ["AAA", "AAA", "EU", "BBB", "CCC"]
    assert rounds["venue"].tolist() == ["japan", "abroad", "abroad", "video", "unknown"]


def test_resolve_period_fills_open_ends(reg):
    assert network.resolve_period(reg, None, None) == (2010, 2012)
    assert network.resolve_period(reg, 2011, None) == (2011, 2012)


def test_register_table_marks_weak_rows(reg, cp):
    tab = network.register_table(reg, cp, 2011, 2011, lang="ja")
    assert tab["meeting_id"].tolist() == ["M08", "M02", "M03"]
    assert tab["weak"].tolist() == [False, True, True]
    assert tab["counterparts"].tolist() == ["エー国, ディー国", "エー国", "欧州連合"]
    only_bilateral = network.register_table(reg, cp, 2011, 2011, include_multilateral=False)
    assert only_bilateral["meeting_id"].tolist() == ["M02", "M03"]


# --- Japan-centred graph -------------------------------------------------------------------
def test_japan_graph_nodes_edges_weights(reg, cp):
    g = network.japan_graph(reg, cp, 2010, 2012)
    assert sorted(g.nodes) == ["AAA", "BBB", "CCC", "EU", "JPN"]
    assert {p: g["JPN"][p]["weight"] for p in g["JPN"]} == {"AAA": 2, "EU": 1, "BBB": 1,
                                                           "CCC": 1}
    assert g.graph["start_year"] == 2010 and g.graph["end_year"] == 2012
    assert g.nodes["JPN"]["rounds"] == 5 and g.nodes["JPN"]["weak_rounds"] == 2
    assert g.nodes["EU"]["region"] == network.ORGANISATIONS
    assert g.nodes["AAA"]["name_ja"] == "エー国"


def test_japan_graph_edge_attributes(reg, cp):
    g = network.japan_graph(reg, cp, 2010, 2012)
    aaa = g["JPN"]["AAA"]
    assert (aaa["first"], aaa["last"], aaa["start"], aaa["end"]) == (
        "2010-03-01", "2011-05-10", "2010-03-01", "2011-05-10")
    assert aaa["cities"] == "Capital A;Tokyo"
    assert (aaa["rounds_japan"], aaa["rounds_abroad"], aaa["weak_rounds"]) == (1, 1, 1)
    assert aaa["meetings"] == "M01;M02"
    eu = g["JPN"]["EU"]  # the EU troika working group: a bilateral round with the EU
    assert (eu["weight"], eu["rounds_abroad"], eu["weak_rounds"], eu["tracks"]) == (
        1, 1, 1, "EU_troika_WG")
    assert g["JPN"]["BBB"]["rounds_video"] == 1
    assert g["JPN"]["CCC"]["rounds_host_unknown"] == 1 and g["JPN"]["CCC"]["cities"] == ""


def test_drop_minor_partners(reg, cp):
    g = network.drop_minor_partners(network.japan_graph(reg, cp, 2010, 2012), 2)
    assert sorted(g.nodes) == ["AAA", "JPN"]
    assert g.nodes["JPN"]["rounds"] == 2
    assert network.drop_minor_partners(g, 3).number_of_nodes() == 0
    with pytest.raises(ParameterError, match="min_rounds"):
        network.drop_minor_partners(g, 0)


# --- bipartite graph and projection --------------------------------------------------------
def test_participation_graph_by_meeting(reg, cp):
    b = network.participation_graph(reg, cp, 2010, 2012)
    meetings = sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == 1)
    members = sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == 0)
    assert meetings == ["M06", "M07", "M08"]
    assert members == ["AAA", "BBB", "CCC", "DDD"]
    assert nx.is_bipartite(b)
    assert b.nodes["M07"]["participants_complete"] is False  # kept, marked
    assert b.nodes["M06"]["participants_complete"] is True
    assert sorted(b["M07"]) == ["AAA", "BBB"]
    assert {m: b.nodes[m]["meetings"] for m in members} == {"AAA": 3, "BBB": 2, "CCC": 1,
                                                            "DDD": 1}
    assert b.nodes["AAA"]["incomplete_meetings"] == 1
    assert b.nodes["DDD"]["region"] == EEG


def test_participation_graph_by_format(reg, cp):
    b = network.participation_graph(reg, cp, 2010, 2012, by="format")
    assert sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == 1) == [
        "ASTOP", "trilateral_JUA"]
    assert b.nodes["ASTOP"]["meetings"] == 2 and b.nodes["ASTOP"]["incomplete_meetings"] == 1
    assert b["AAA"]["ASTOP"]["weight"] == 2 and b["CCC"]["ASTOP"]["weight"] == 1
    with pytest.raises(ParameterError, match="by"):
        network.participation_graph(reg, cp, 2010, 2012, by="city")


def test_co_participation_weights(reg, cp):
    p = network.co_participation_graph(network.participation_graph(reg, cp, 2010, 2012))
    weights = {tuple(sorted((u, v))): d["weight"] for u, v, d in p.edges(data=True)}
    assert weights == {("AAA", "BBB"): 2, ("AAA", "CCC"): 1, ("BBB", "CCC"): 1,
                       ("AAA", "DDD"): 1}
    assert p.nodes["AAA"]["meetings"] == 3


# --- measures ------------------------------------------------------------------------------
def test_partner_table_and_rounds_per_year(reg, cp):
    tab = network.partner_table(network.japan_graph(reg, cp, 2010, 2012))
    assert tab[["code", "rounds", "weak_rounds"]].to_numpy().tolist() == [
        ["AAA", 2, 1], ["BBB", 1, 0], ["CCC", 1, 0], ["EU", 1, 1]]
    per_year = network.rounds_per_year(reg, 2009, 2012)
    assert per_year.to_dict("index") == {
        2009: {"rounds": 0, "weak_rounds": 0, "partners": 0, "group_meetings": 0},
        2010: {"rounds": 1, "weak_rounds": 0, "partners": 1, "group_meetings": 1},
        2011: {"rounds": 2, "weak_rounds": 2, "partners": 2, "group_meetings": 1},
        2012: {"rounds": 2, "weak_rounds": 0, "partners": 2, "group_meetings": 1},
    }


def test_degree_betweenness_communities(reg, cp):
    g = network.japan_graph(reg, cp, 2010, 2012)
    assert network.degree_table(g).loc["JPN"].to_dict() == {"degree": 4, "weighted_degree": 5}
    p = network.co_participation_graph(network.participation_graph(reg, cp, 2010, 2012))
    deg = network.degree_table(p)
    assert deg["degree"].to_dict() == {"AAA": 3, "BBB": 2, "CCC": 2, "DDD": 1}
    assert deg["weighted_degree"].to_dict() == {"AAA": 4, "BBB": 3, "CCC": 2, "DDD": 1}
    # AAA lies on the only paths DDD-BBB and DDD-CCC: 2 of the 3 pairs not involving AAA
    assert network.betweenness(p).round(4).to_dict() == {"AAA": 0.6667, "BBB": 0.0,
                                                         "CCC": 0.0, "DDD": 0.0}


def test_communities_two_triangles():
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 3), ("b", "c", 3), ("a", "c", 3),
                               ("d", "e", 3), ("e", "f", 3), ("d", "f", 3), ("c", "d", 1)])
    comm = network.communities(g, seed=7)
    assert comm.to_dict() == {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2}
    assert network.communities(g, seed=7).equals(comm)  # seeded: reproducible
    with pytest.raises(ParameterError, match="seed"):
        network.communities(g, seed=-1)


def test_measures_table(reg, cp):
    g = network.japan_graph(reg, cp, 2010, 2012)
    p = network.co_participation_graph(network.participation_graph(reg, cp, 2010, 2012))
    tab = network.measures_table(g, p, seed=1).set_index("code")
    assert tab.loc["JPN", ["degree", "rounds"]].tolist() == [4, 5]
    assert pd.isna(tab.loc["JPN", "co_degree"])  # Japan is not a node of the projection
    assert tab.loc["AAA", ["degree", "rounds", "co_degree", "co_weighted_degree"]].tolist() \
        == [1, 2, 3, 4]
    assert tab.loc["DDD", ["degree", "rounds", "co_degree"]].tolist() == [0, 0, 1]
    assert tab.loc["EU", "region"] == network.ORGANISATIONS
    assert set(tab["community"].dropna()) >= {1}


def test_regional_coverage(reg, cp):
    g = network.japan_graph(reg, cp, 2010, 2012)
    b = network.participation_graph(reg, cp, 2010, 2012)
    cov = network.regional_coverage(g, b)
    assert cov.index.tolist() == [*network.REGIONS, network.ORGANISATIONS]
    assert cov["rounds"].to_dict() == {AFR: 1, APG: 1, EEG: 0,
                                       "Latin American and Caribbean": 0, WEOG: 2,
                                       network.ORGANISATIONS: 1}
    assert cov["partners"].sum() == 4
    assert cov["group_participations"].to_dict() == {AFR: 1, APG: 2, EEG: 1,
                                                     "Latin American and Caribbean": 0,
                                                     WEOG: 3, network.ORGANISATIONS: 0}


def test_gaps(reg, cp):
    gaps = network.partner_gaps(reg, cp, 2010, 2012, gap_years=1)
    assert gaps[["code", "rounds", "last", "years_since"]].to_numpy().tolist() == [
        ["AAA", 2, "2011-05-10", 1], ["EU", 1, "2011-06-01", 1]]
    assert network.region_gaps(reg, cp, 2010, 2012, gap_years=1) == [
        EEG, "Latin American and Caribbean", WEOG]
    # a window covering the whole period: no partner can lapse
    assert network.partner_gaps(reg, cp, 2010, 2012, gap_years=3).empty
    assert network.region_gaps(reg, cp, 2010, 2012, gap_years=3) == [
        EEG, "Latin American and Caribbean"]
    items = network.gap_list(gaps, [EEG])
    assert [i["kind"] for i in items] == ["partner", "partner", "region"]
    lines = network.gap_text(gaps, [EEG], 2010, 2012, 1, "en")
    assert lines[0].startswith("Aland (AAA, Western European and Others): last round on "
                               "2011-05-10 (2 in 2010-2011)")
    with pytest.raises(ParameterError, match="gap_years"):
        network.partner_gaps(reg, cp, 2010, 2012, gap_years=0)


def test_summary_and_text(reg, cp):
    g = network.japan_graph(reg, cp, 2010, 2012)
    b = network.participation_graph(reg, cp, 2010, 2012)
    facts = network.summary(g, network.regional_coverage(g, b), [],
                            network.rounds_per_year(reg, 2010, 2012), b)
    assert (facts["nodes"], facts["edges"], facts["rounds"], facts["weak_rounds"]) == (
        5, 4, 5, 2)
    assert facts["by_counterpart"] == {"AAA": 2, "BBB": 1, "CCC": 1, "EU": 1}
    assert facts["regions"][WEOG] == 2
    assert (facts["group_meetings"], facts["group_members"], facts["incomplete_meetings"]) \
        == (3, 4, 1)
    text = network.summary_text(facts, "en")
    assert text.startswith("2010-2012: 5 bilateral rounds with 4 partners (2 of them weakly")
    assert "3 trilateral or multilateral meetings" in text
    assert "二国間協議5回" in network.summary_text(facts, "ja")


# --- bad parameters and empty periods ------------------------------------------------------
@pytest.mark.parametrize("func", [network.japan_graph, network.participation_graph,
                                  network.register_table])
def test_end_before_start_names_the_parameter(reg, cp, func):
    with pytest.raises(ParameterError, match="end_year") as err:
        func(reg, cp, 2012, 2010)
    assert err.value.name == "end_year"


def test_missing_column_is_a_data_error(reg, cp):
    with pytest.raises(DataError, match="host"):
        network.japan_graph(reg.drop(columns="host"), cp, 2010, 2012)


def test_empty_period_gives_empty_results(reg, cp):
    g = network.japan_graph(reg, cp, 1990, 1991)
    b = network.participation_graph(reg, cp, 1990, 1991)
    p = network.co_participation_graph(b)
    assert g.number_of_nodes() == b.number_of_nodes() == p.number_of_nodes() == 0
    assert network.partner_table(g).empty
    assert network.measures_table(g, p).empty
    assert network.rounds_per_year(reg, 1990, 1991)["rounds"].tolist() == [0, 0]
    assert network.regional_coverage(g, b)["rounds"].sum() == 0
    assert network.partner_gaps(reg, cp, 1990, 1991).empty
    assert network.register_table(reg, cp, 1990, 1991).empty
    facts = network.summary(g, network.regional_coverage(g), [],
                            network.rounds_per_year(reg, 1990, 1991))
    assert (facts["nodes"], facts["rounds"], facts["by_counterpart"]) == (0, 0, {})
    note = network.empty_note(reg, 1990, 1991, "en")
    assert note.startswith("No meetings in the register for 1990-1991")
    assert network.empty_note(reg, 2010, 2010) is None


# --- exports -------------------------------------------------------------------------------
def _same(a: nx.Graph, b: nx.Graph) -> None:
    assert sorted(map(str, a.nodes)) == sorted(b.nodes)
    ea = {tuple(sorted((str(u), str(v)))): float(d["weight"]) for u, v, d in a.edges(data=True)}
    eb = {tuple(sorted((u, v))): float(d["weight"]) for u, v, d in b.edges(data=True)}
    assert ea == eb


def test_exports_round_trip(reg, cp, tmp_path):
    g = network.japan_graph(reg, cp, 2010, 2012)
    b = network.participation_graph(reg, cp, 2010, 2012)
    for graph, name in ((g, "japan"), (b, "participation")):
        gexf = outputs.write_gexf(graph, tmp_path, name)
        graphml = outputs.write_graphml(graph, tmp_path, name)
        assert (gexf.name, graphml.name) == (f"{name}.gexf", f"{name}.graphml")
        back_gexf, back_graphml = nx.read_gexf(gexf), nx.read_graphml(graphml)
        _same(graph, back_gexf)
        _same(graph, back_graphml)
    text = (tmp_path / "japan.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    back = nx.read_gexf(tmp_path / "japan.gexf")
    assert (back.nodes["AAA"]["start"], back.nodes["AAA"]["end"]) == ("2010-03-01",
                                                                     "2011-05-10")
    assert back.nodes["AAA"]["name_ja"] == "エー国"
    back_ml = nx.read_graphml(tmp_path / "japan.graphml")
    assert back_ml["JPN"]["AAA"]["weak_rounds"] == 1
    assert back_ml["JPN"]["AAA"]["cities"] == "Capital A;Tokyo"
    assert nx.read_graphml(tmp_path / "participation.graphml").nodes["M07"][
        "participants_complete"] is False


def test_exports_of_empty_graph(reg, cp, tmp_path):
    g = network.japan_graph(reg, cp, 1990, 1991)
    assert nx.read_gexf(outputs.write_gexf(g, tmp_path, "e")).number_of_nodes() == 0
    assert nx.read_graphml(outputs.write_graphml(g, tmp_path, "e")).number_of_nodes() == 0


# --- bundled data: the 2006-2007 table -----------------------------------------------------
@pytest.fixture(scope="module")
def bundled():
    return load_consultations(), load_counterparts()


def test_bundled_2006_2007_matches_the_seed_table(bundled):
    reg, cp = bundled
    g = network.japan_graph(reg, cp, 2006, 2007)
    assert g.size(weight="weight") == 22
    assert g["JPN"]["EU"]["weight"] == 3
    assert g["JPN"]["EU"]["tracks"] == "EU_troika_WG"
    assert g["JPN"]["AUS"]["weight"] == 2
    meetings = sorted(m for _, _, d in g.edges(data=True) for m in d["meetings"].split(";"))
    assert meetings == [f"C{i:03d}" for i in range(1, 23)]
    assert g.number_of_edges() == 15


# --- figures -------------------------------------------------------------------------------
def _figures(reg, cp, start, end, lang):
    g = network.japan_graph(reg, cp, start, end)
    b = network.participation_graph(reg, cp, start, end)
    p = network.co_participation_graph(b)
    return [
        network_plots.plot_timeline(network.select_period(reg, start, end), cp, lang=lang),
        network_plots.draw_network(g, lang=lang, layout_seed=42),
        network_plots.draw_network(p, lang=lang, layout_seed=42, size_attr="meetings"),
        network_plots.plot_regional_coverage(network.regional_coverage(g, b), lang=lang),
    ]


@pytest.mark.slow  # draws figures: seconds each (the fast tier stays under 90 s)
@pytest.mark.parametrize("period", [(2006, 2007), (2006, 2025), (1990, 1991)])
def test_japanese_figures_have_no_missing_glyph(bundled, tmp_path, period):
    reg, cp = bundled
    style.setup("ja")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = _figures(reg, cp, *period, "ja")
        for i, fig in enumerate(figs):
            fig.canvas.draw()
            assert style.save_figure(fig, tmp_path, f"fig{i}").stat().st_size > 0
    plt.close("all")


@pytest.mark.slow  # draws figures: seconds each (the fast tier stays under 90 s)
def test_hand_made_figures_both_languages(reg, cp):
    for lang in ("en", "ja"):
        style.setup(lang)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for fig in _figures(reg, cp, 2010, 2012, lang):
                fig.canvas.draw()
    timeline = network_plots.plot_timeline(network.select_period(reg, 2010, 2012), cp)
    labels = [t.get_text() for t in timeline.axes[0].get_yticklabels()]
    assert labels == ["Aland", "European Union", "Bland", "Cland", "ASTOP",
                      "Japan-US-Australia"]
    # weakly verified rows are hollow: one scatter per (venue, weak) group
    hollow = [c for c in timeline.axes[0].collections
              if len(c.get_facecolors()) == 0 or c.get_facecolors()[0][3] == 0]
    assert sum(len(c.get_offsets()) for c in hollow) == 2
    plt.close("all")


def test_network_drawing_is_deterministic(reg, cp):
    g = network.japan_graph(reg, cp, 2010, 2012)
    a = network_plots.layout(g, 42)
    b = network_plots.layout(g, 42)
    assert all((a[n] == b[n]).all() for n in g)
    style.setup("en")
    fig = network_plots.draw_network(g, lang="en", layout_seed=42)
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["Aland", "Bland", "Cland", "European Union", "Japan"]
    fig = network_plots.draw_network(g, lang="ja", layout_seed=42)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == sorted(
        ["エー国", "ビー国", "シー国", "欧州連合", "日本"])
    plt.close("all")


def test_empty_figures_draw_a_note(reg, cp):
    style.setup("en")
    g = network.japan_graph(reg, cp, 1990, 1991)
    fig = network_plots.draw_network(g)
    assert [t.get_text() for t in fig.axes[0].texts] == ["No meetings in the period"]
    fig = network_plots.plot_timeline(network.select_period(reg, 1990, 1991), cp)
    assert [t.get_text() for t in fig.axes[0].texts] == ["No meetings in the period"]
    plt.close("all")
