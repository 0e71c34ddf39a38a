"""Figures that hold up on every family and period (issue 14): year axes, axis ranges,
gaps and consensus sessions, trends, unmapped ratings, label overlap, legends, unit
panels and literal data text. Tests that draw are in the slow tier."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from analysis import evaluation_plots as ep  # noqa: E402
from analysis import evaluations as ev  # noqa: E402
from analysis import overview, overview_plots, style, unga  # noqa: E402
from analysis import unga_plots as up  # noqa: E402
from analysis.labels import fmt, label  # noqa: E402

FAMILIES = ["japan_nuclear", "small_arms", "tpnw"]
PERIODS = {"all": (None, None), "short": (2017, 2019), "one": (2019, 2019),
           "long": (1994, 2025)}


@pytest.fixture(scope="module")
def bundle():
    from analysis.bundle import load_bundle

    return load_bundle()


@pytest.fixture(scope="module")
def tallies(bundle):
    return unga.per_country_tallies(bundle.votes, bundle.resolutions)


def _series(bundle, tallies, family, period):
    s, e = PERIODS[period]
    return unga.family_series(bundle.resolutions, bundle.vote_counts, family, s, e,
                              tallies=tallies)


def _support(bundle, tallies, family, period, lang="en"):
    style.setup(lang)
    series = _series(bundle, tallies, family, period)
    return series, up.plot_support(series, lang, name=family)


def _visible_ticks(ax, axis="x"):
    lo, hi = sorted(ax.get_xlim() if axis == "x" else ax.get_ylim())
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    return [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]


def _integer_year_axis(ax, years):
    ticks = _visible_ticks(ax)
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
    lo, hi = ax.get_xlim()
    assert lo <= min(years) and hi >= max(years)
    assert hi - lo <= max(years) - min(years) + 6, (lo, hi)  # no 1950-2100 axis


# --- pure helpers (fast) -------------------------------------------------------------------
def test_value_limits_widen_a_flat_series_and_hold_the_data():
    lo, hi = style.value_limits([0.994, 0.995, 1.0], 0.10, lower=0.0, upper=1.0)
    assert lo <= 0.994 and hi >= 1.0 and hi - lo >= 0.10 - 1e-9 and hi <= 1.0
    assert style.value_limits([], 0.1) == (0.0, 0.1)


def test_trend_needs_the_minimum_of_counted_sessions():
    few = pd.DataFrame({"year": [2018, 2019, 2020], "support_share": [0.7, 0.69, np.nan]})
    assert overview._trend(few) == (None, 2)
    assert overview.TREND_MIN_SESSIONS > 2
    many = pd.DataFrame({"year": range(2010, 2020), "support_share": np.linspace(0.9, 0.8, 10)})
    slope, n = overview._trend(many)
    assert n == overview.TREND_SESSIONS and slope < 0


def test_describe_states_no_trend_with_few_sessions_and_says_how_many():
    latest = {"year": 2019, "yes": 123, "no": 41, "abstain": 16, "support_share": 0.683}
    facts = {"votes": {"latest": latest, "trend_points_per_year": None, "trend_sessions": 2,
                       "trend_min_sessions": overview.TREND_MIN_SESSIONS},
             "consultations": {"start_year": 2018, "end_year": 2019, "rounds": 1,
                               "partners": 1, "weak_rounds": 0, "regions_without_rounds": []},
             "ratings": {"cycle": "R6", "evaluation_year": 2024, "objectives": 0,
                         "levels": []}}
    for lang in ("en", "ja"):
        text = overview.describe(facts, lang)[0]
        assert fmt("overview.text.no_trend", lang, n=2,
                   minimum=overview.TREND_MIN_SESSIONS) in text
        assert label("overview.text.trend", lang)[:6] not in text
    facts["votes"] |= {"trend_points_per_year": -0.2, "trend_sessions": 4}
    assert "last 4 counted sessions" in overview.describe(facts, "en")[0]


# --- UNGA support chart --------------------------------------------------------------------
@pytest.mark.slow  # draws figures: about a second each
@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("period", ["one", "short", "all"])
def test_support_year_axis_and_share_axis_fit_the_data(bundle, tallies, family, period):
    series, fig = _support(bundle, tallies, family, period)
    ax = fig.axes[0]
    _integer_year_axis(ax, series["year"].tolist())
    votes = _visible_ticks(ax, "y")
    assert all(float(t).is_integer() for t in votes)
    share = series["support_share"].dropna().to_numpy()
    ax2 = fig.axes[1]
    if len(share):
        lo, hi = ax2.get_ylim()
        assert lo <= share.min() and hi >= share.max()
        ticks = _visible_ticks(ax2, "y")
        # the share ticks stay near the data: not down to 20 % for a 68 % series, not a
        # 99.5-100 % axis for a flat one
        assert ticks and min(ticks) >= share.min() - 0.12 and max(ticks) <= 1.0 + 1e-9
        assert max(ticks) - min(ticks) >= 0.05 - 1e-9 or len(ticks) == 1
    plt.close(fig)


@pytest.mark.slow
def test_support_draws_consensus_apart_from_gaps(bundle, tallies):
    series, fig = _support(bundle, tallies, "small_arms", "all")
    ax = fig.axes[0]
    n_consensus = int((series["status"] == "adopted without a vote").sum())
    assert n_consensus >= 5
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert label("unga.legend.consensus", "en") in legend
    assert label("unga.legend.gap", "en") in legend
    words = [t.get_text() for t in ax.texts]
    assert words.count(label("unga.text.consensus_short", "en")) == n_consensus
    colours = [tuple(np.round(p.get_facecolor()[:3], 3)) for p in ax.patches]
    consensus = tuple(np.round(matplotlib.colors.to_rgb(up.COLORS["consensus"]), 3))
    assert colours.count(consensus) == n_consensus
    plt.close(fig)


@pytest.mark.slow
@pytest.mark.parametrize("family", ["tpnw", "small_arms"])
def test_support_line_breaks_at_gaps(bundle, tallies, family):
    series, fig = _support(bundle, tallies, family, "all")
    line = fig.axes[1].get_lines()[0]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert np.isnan(y).any() and len(y) == len(series)
    plt.close(fig)


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_support_labels_cover_no_bar_and_no_other_label(bundle, tallies, family, lang):
    series, fig = _support(bundle, tallies, family, "all", lang)
    ax, ax2 = fig.axes[0], fig.axes[1]
    notes = list(ax2.texts)
    assert not [t.get_text() for t in notes if "+0.0" in t.get_text()]
    bars = [p for c in ax.containers for p in c if p.get_height() > 0]
    assert bars
    fig.canvas.draw()
    # the boxes of the label texts (Annotation.get_window_extent adds the arrow)
    boxes = [Text.get_window_extent(t) for t in notes]
    assert not [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                if boxes[i].overlaps(boxes[j])]
    for b in bars:
        assert not any(b.get_window_extent().overlaps(x) for x in boxes)
    plt.close(fig)


@pytest.mark.slow
def test_support_without_counts_says_so(bundle, tallies):
    _, fig = _support(bundle, tallies, "small_arms", "short")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert label("unga.text.no_counts_plot", "en") in texts
    assert list(fig.axes[0].get_yticks()) == []
    plt.close(fig)


# --- coincidence ---------------------------------------------------------------------------
@pytest.mark.slow
def test_coincidence_of_one_year_is_not_drawn_on_a_century(bundle):
    from analysis import coincidence as co

    style.setup("en")
    nuclear = co.nuclear_votes(co.whole_votes(co.in_years(bundle.votes, 2019, 2019)))
    coin = co.coincidence_with(nuclear, "JPN", ["USA", "CHN"], "state_dept", by="year")
    fig = up.plot_coincidence(coin, "en", country="JPN", by="year")
    _integer_year_axis(fig.axes[0], [2019])
    plt.close(fig)


# --- overview ------------------------------------------------------------------------------
def _overview(bundle, family, period, lang="en"):
    style.setup(lang)
    s, e = PERIODS[period]
    facts = overview.overview_facts(bundle, family, s, e)
    return facts, overview_plots.plot_overview(facts, lang, {lang: family})


@pytest.mark.slow
@pytest.mark.parametrize(("family", "period"), [("japan_nuclear", "one"),
                                                ("japan_nuclear", "short"),
                                                ("small_arms", "all"), ("tpnw", "long")])
def test_overview_axes_fit_the_data(bundle, family, period):
    facts, fig = _overview(bundle, family, period)
    share_ax, rounds_ax = fig.axes[0], fig.axes[1]
    years = facts["votes"]["series"]["year"]
    _integer_year_axis(share_ax, years)
    _integer_year_axis(rounds_ax, facts["consultations"]["per_year"]["year"])
    share = np.array(facts["votes"]["series"]["support_share"], dtype=float) * 100
    share = share[np.isfinite(share)]
    lo, hi = share_ax.get_ylim()
    assert lo <= share.min() and hi >= share.max()
    assert 9.9 <= hi - lo <= max(30.0, 1.5 * (share.max() - share.min()))
    plt.close(fig)


@pytest.mark.slow
def test_overview_share_line_breaks_at_a_gap_and_shows_consensus(bundle):
    facts, fig = _overview(bundle, "tpnw", "all")
    y = np.asarray(fig.axes[0].get_lines()[0].get_ydata(), dtype=float)
    years = facts["votes"]["series"]["year"]
    assert 2023 in years and np.isnan(y[years.index(2023)])
    assert label("unga.legend.gap", "en") in [
        t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)
    facts, fig = _overview(bundle, "small_arms", "all")
    legend = fig.axes[0].get_legend()
    assert legend and label("unga.legend.consensus", "en") in [
        t.get_text() for t in legend.get_texts()]
    plt.close(fig)


@pytest.mark.slow
def test_overview_unmapped_rating_is_a_short_readable_stub(bundle):
    facts, fig = _overview(bundle, "japan_nuclear", "one", "ja")
    assert None in [x["level"] for x in facts["ratings"]["levels"]]  # R6 objective 1
    ax = fig.axes[2]
    heights = sorted(p.get_height() for p in ax.patches if p.get_height() > 0)
    assert heights[0] <= 1.0 < heights[-1]  # the stub is far below a full bar
    note = next(t for t in ax.texts if t.get_text() == label("overview.no_level", "ja"))
    assert note.get_rotation() == 0 and note.get_fontsize() >= 8
    assert label("overview.legend.no_level", "ja") in [
        t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)


# --- evaluations ---------------------------------------------------------------------------
@pytest.mark.slow
def test_heatmap_legend_lists_only_the_levels_present(bundle):
    style.setup("en")
    cyc = ev.select_cycles(bundle.cycles, "arms_control_disarmament_nonproliferation")
    table = ev.build_rating_table(cyc, bundle.objectives, bundle.ratings, bundle.vocabulary)
    fig = ep.plot_level_heatmap(table, cyc, lang="en")
    legend = {t.get_text() for t in fig.axes[0].get_legend().get_texts()}
    present = {int(x) for x in table.loc[table["mapping_status"] == ev.MAPPED, "level"]
               .dropna()}
    levels = {x for x in legend if x.startswith("Level ")}
    assert levels == {fmt("eval.level_n", "en", level=k) for k in present}
    plt.close(fig)


@pytest.mark.slow
def test_indicators_one_panel_per_unit(bundle):
    style.setup("en")
    ind = bundle.indicators.copy()
    ind.loc[ind.index[0], "unit"] = "$"  # a unit from the data drawn literally
    values = ev.indicator_values(ind)
    fig = ep.plot_indicators(values, lang="en")
    units = values.apply(ep._unit_key, axis=1).nunique()
    panels = [a for a in fig.axes if a.get_yticks().size]
    assert len(panels) == units >= 4
    for a in panels:
        assert a.get_xscale() == "linear" and a.get_xlim()[0] == 0
    fig.canvas.draw()
    for t in fig.findobj(Text):
        if "$" in t.get_text() and t.get_visible():
            assert not t._preprocess_math(t.get_text())[1], t.get_text()
    plt.close(fig)


# --- data text is never mathtext -----------------------------------------------------------
@pytest.mark.slow
def test_support_and_overview_draw_dollar_names_literally(bundle, tallies):
    style.setup("en")
    series = _series(bundle, tallies, "small_arms", "all")
    fig = up.plot_support(series, "en", name="$x$ costs $5")
    facts = overview.overview_facts(bundle, "small_arms")
    fig2 = overview_plots.plot_overview(facts, "en", {"en": "$x$ costs $5"})
    for f in (fig, fig2):
        f.canvas.draw()
        drawn = [t for t in f.findobj(Text) if "$" in t.get_text()]
        assert drawn
        assert not [t.get_text() for t in drawn if t._preprocess_math(t.get_text())[1]]
    plt.close("all")


def test_plain_leaves_no_unescaped_dollar():
    text = style.plain("a $b$ c")
    assert all(text[i - 1] == "\\" for i, ch in enumerate(text) if ch == "$")


# --- network -------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_network_node_labels_do_not_overlap(bundle, lang):
    from analysis import network, network_plots

    style.setup(lang)
    reg, cps = bundle.consultations, bundle.counterparts
    s, e = network.resolve_period(reg, None, None)
    graph = network.co_participation_graph(network.participation_graph(reg, cps, s, e))
    fig = network_plots.draw_network(graph, lang=lang, size_attr="meetings")
    fig.canvas.draw()
    ax = fig.axes[0]
    assert len(ax.texts) == graph.number_of_nodes()
    boxes = [Text.get_window_extent(t) for t in ax.texts]
    assert not [(ax.texts[i].get_text(), ax.texts[j].get_text())
                for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                if boxes[i].overlaps(boxes[j])]
    panel = ax.get_window_extent()
    assert all(panel.x0 <= b.x0 and b.x1 <= panel.x1 for b in boxes)
    plt.close(fig)
