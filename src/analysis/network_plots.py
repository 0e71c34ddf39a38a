"""Figures of the consultation network: timeline, network drawing, regional coverage.

Every function takes ``ax=None`` (a new figure when None) and ``lang`` ('en' or 'ja')
and returns the Figure it drew on. Colours follow the UN regional group of the
counterpart (:data:`REGION_COLOURS`, the same in every figure); weakly verified rounds
are hollow markers (timeline) or dashed edges (network). Empty inputs draw a short note
instead of failing. Call :func:`analysis.style.setup` first for the Japanese font.

>>> import networkx as nx
>>> from analysis.style import setup
>>> _ = setup("en")
>>> g = nx.Graph([("JPN", "AUS", {"weight": 2})])
>>> fig = draw_network(g, layout_seed=1)
>>> len(fig.axes)
1
"""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from .labels import fmt, label, name_column, translate_values, value_label
from .network import JAPAN, ORGANISATIONS, UNKNOWN_REGION, _attach_names, _venue
from .params import check_int
from .style import plain

__all__ = ["REGION_COLOURS", "plot_timeline", "draw_network", "layout",
           "plot_regional_coverage"]

# seaborn "colorblind" palette, fixed per group so every figure agrees.
REGION_COLOURS: dict[str, str] = {
    "African": "#029e73",
    "Asia-Pacific": "#d55e00",
    "Eastern European": "#cc78bc",
    "Latin American and Caribbean": "#de8f05",
    "Western European and Others": "#0173b2",
    ORGANISATIONS: "#949494",
    UNKNOWN_REGION: "#ca9161",
}
GROUP_FORMAT_COLOUR = "#4d4d4d"
VENUE_MARKERS = {"japan": "o", "abroad": "^", "video": "s", "unknown": "D"}

def _new_ax(ax, figsize: tuple[float, float]):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax.figure, ax


def _partners(n: int, lang: str) -> str:
    if n == 1:
        return fmt("network.partners.one", lang, n=n)
    return fmt("network.partners.many", lang, n=n)


def _empty(ax, lang: str) -> None:
    ax.text(0.5, 0.5, label("network.empty_plot", lang), ha="center", va="center",
            transform=ax.transAxes, fontsize=12, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


def _timeline_frame(rows: pd.DataFrame, counterparts: pd.DataFrame, lang: str
                    ) -> pd.DataFrame:
    """One point per (meeting, row label): bilateral rounds by partner, group meetings by
    format, with colour, marker and fill."""
    bilateral = rows["format"].astype("string").eq("bilateral").fillna(False).astype(bool)
    bil = rows[bilateral]
    bil = bil.assign(code=bil["counterparts"].astype("string").str.split(";"))
    bil = bil.explode("code", ignore_index=True)
    names = _attach_names(bil["code"].astype("string"), counterparts)
    bil["label"] = names[name_column(lang)].map(plain).to_numpy()
    bil["colour"] = names["region"].map(REGION_COLOURS).fillna(
        REGION_COLOURS[UNKNOWN_REGION]).to_numpy()
    bil["group"] = 0
    grp = rows[~bilateral].reset_index(drop=True)
    track = grp["track"].astype(str)
    grp = grp.assign(label=translate_values(track, "value.track", lang).map(plain),
                     colour=GROUP_FORMAT_COLOUR, group=1)
    points = pd.concat([bil, grp], ignore_index=True)
    points["venue"] = _venue(points["host"])
    points["weak"] = points["weak"].astype(bool)
    first = points.groupby("label")["date_start"].transform("min")
    points["order"] = list(zip(points["group"], first, points["label"], strict=True))
    return points


def plot_timeline(rows: pd.DataFrame, counterparts: pd.DataFrame, ax=None,
                  lang: str = "en") -> Figure:
    """Meetings by date: one line per partner (bilateral) or format (group meetings).

    ``rows``: register rows of a period (:func:`analysis.network.select_period`).
    Colour = partner's UN regional group (group formats dark grey); marker = venue
    (circle in Japan, triangle abroad, square video, diamond unknown); hollow =
    weakly verified.

    >>> from analysis.data import load_consultations, load_counterparts
    >>> from analysis.network import select_period
    >>> fig = plot_timeline(select_period(load_consultations(), 2006, 2007), load_counterparts())
    >>> len(fig.axes[0].get_yticklabels())  # 15 partners and 3 formats
    18
    """
    points = _timeline_frame(rows, counterparts, lang) if len(rows) else pd.DataFrame()
    n_lines = points["label"].nunique() if len(points) else 0
    fig, ax = _new_ax(ax, (10, max(2.5, 0.32 * n_lines + 1.6)))
    ax.set_title(label("network.title.timeline", lang))
    if not len(points):
        _empty(ax, lang)
        return fig
    order = points.drop_duplicates("label").sort_values("order")["label"].tolist()
    ypos = {name: i for i, name in enumerate(order)}
    points["y"] = points["label"].map(ypos)
    for (venue, weak), part in points.groupby(["venue", "weak"], sort=True):
        ax.scatter(part["date_start"], part["y"], marker=VENUE_MARKERS[str(venue)], s=60,
                   facecolors="none" if weak else part["colour"].tolist(),
                   edgecolors=part["colour"].tolist(), linewidths=1.6, zorder=3)
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    n_bil = int(points.loc[points["group"] == 0, "label"].nunique())
    if 0 < n_bil < len(order):
        ax.axhline(n_bil - 0.5, color="#888888", linewidth=0.8, linestyle=":")
    span = (points["date_start"].max() - points["date_start"].min()).days
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=9))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m" if span < 4 * 366 else "%Y"))
    pad = pd.Timedelta(days=max(20, span // 30))
    ax.set_xlim(points["date_start"].min() - pad, points["date_start"].max() + pad)
    ax.set_xlabel(label("col.date", lang))
    ax.grid(axis="y", alpha=0.4)

    venues = [v for v in VENUE_MARKERS if v in set(points["venue"])]
    handles = [Line2D([], [], marker=VENUE_MARKERS[v], linestyle="", color="#333333",
                      markersize=7, label=value_label(v, "value.venue", lang)) for v in venues]
    if points["weak"].any():
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                              markeredgecolor="#333333", markersize=7,
                              label=label("network.legend.weak", lang)))
    regions = [r for r in REGION_COLOURS if r in set(points["colour"].map(
        {c: r for r, c in REGION_COLOURS.items()}).dropna())]
    handles += [Patch(color=REGION_COLOURS[r], label=value_label(r, "value.region", lang))
                for r in regions]
    if (points["group"] == 1).any():
        handles.append(Patch(color=GROUP_FORMAT_COLOUR,
                             label=label("network.legend.group_formats", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=9)
    return fig


def layout(graph: nx.Graph, layout_seed: int = 42) -> dict:
    """Deterministic spring layout (``seed=layout_seed``; unweighted, so heavy ties do not
    pile nodes on each other), computed once and reused for every draw call.
    Raises ParameterError when ``layout_seed`` is not an integer >= 0.

    >>> a, b = layout(nx.path_graph(3), layout_seed=7), layout(nx.path_graph(3), layout_seed=7)
    >>> all((a[n] == b[n]).all() for n in a)
    True
    """
    check_int("layout_seed", layout_seed, minimum=0)
    if graph.number_of_nodes() == 0:
        return {}
    k = 1.6 / math.sqrt(graph.number_of_nodes())
    return nx.spring_layout(graph, seed=layout_seed, weight=None, k=k, iterations=200)


def draw_network(graph: nx.Graph, ax=None, lang: str = "en", layout_seed: int = 42,
                 size_attr: str = "rounds", title: str | None = None) -> Figure:
    """Draw a graph with node size = ``size_attr`` (e.g. rounds), colour = ``region``,
    labels ``name_<lang>``, edge width = ``weight``; edges whose rounds are all weakly
    verified (``weak_rounds == weight``) dashed. The Japan node of a Japan-centred graph
    is drawn as the hub. One layout (:func:`layout`) is reused for every draw call.
    Raises ParameterError for a bad ``layout_seed``.

    >>> g = nx.Graph([("JPN", "AUS", {"weight": 2, "weak_rounds": 2})])
    >>> fig = draw_network(g, lang="ja")
    >>> fig.axes[0].get_title()
    '日本の二国間協議の相手'
    """
    pos = layout(graph, layout_seed)
    fig, ax = _new_ax(ax, (9, 7.5))
    default = "network.title.network" if JAPAN in graph else "network.title.coparticipation"
    ax.set_title(plain(title) if title is not None else label(default, lang))
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        _empty(ax, lang)
        return fig
    nodes = sorted(graph.nodes, key=str)
    data = graph.nodes
    value = pd.Series({n: float(data[n].get(size_attr, graph.degree(n, weight="weight")))
                       for n in nodes})
    others = value.drop(JAPAN, errors="ignore")
    vmax = max(others.max() if len(others) else 1.0, 1.0)
    size = 180 + 1100 * value.clip(upper=vmax) / vmax
    if JAPAN in size.index and graph.degree(JAPAN) == len(nodes) - 1 and len(nodes) > 2:
        size[JAPAN] = 1700.0
    colour = [REGION_COLOURS.get(data[n].get("region", UNKNOWN_REGION),
                                 REGION_COLOURS[UNKNOWN_REGION]) for n in nodes]

    edges = sorted(graph.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    weights = np.array([float(d.get("weight", 1)) for _, _, d in edges])
    wmax = weights.max() if len(weights) else 1.0
    widths = 0.8 + 4.0 * weights / wmax
    all_weak = [d.get("weak_rounds", 0) >= d.get("weight", 1) > 0 for _, _, d in edges]
    for dashed in (False, True):
        sel = [i for i, w in enumerate(all_weak) if w == dashed]
        if sel:
            nx.draw_networkx_edges(graph, pos, ax=ax, edgelist=[edges[i][:2] for i in sel],
                                   width=widths[sel].tolist(), edge_color="#7a7a7a",
                                   alpha=0.7 if len(edges) < 40 else 0.35,
                                   style="dashed" if dashed else "solid")
    nx.draw_networkx_nodes(graph, pos, ax=ax, nodelist=nodes, node_size=size.tolist(),
                           node_color=colour, edgecolors="#222222", linewidths=0.8)

    ax.margins(0.22)
    present = [r for r in REGION_COLOURS
               if any(data[n].get("region", UNKNOWN_REGION) == r for n in nodes)]
    handles = [Patch(color=REGION_COLOURS[r], label=value_label(r, "value.region", lang))
               for r in present]
    if any(all_weak):
        handles.append(Line2D([], [], color="#7a7a7a", linestyle="--",
                              label=label("network.legend.all_weak", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=9, title=label("network.legend.colour_region", lang) + "\n"
              + label("network.legend.node_size_meetings" if size_attr == "meetings"
                      else "network.legend.node_size", lang),
              title_fontsize=9, alignment="left")
    _label_nodes(ax, graph, pos, nodes, size, lang)
    return fig


def _label_nodes(ax, graph: nx.Graph, pos: dict, nodes: list, size: pd.Series,
                 lang: str) -> list:
    """Name every node beside it, at the first of several places (away from the centre
    first, then the other directions, then farther out, then on the node) whose box
    stays in the panel and overlaps no other label and no other node; the hub's name
    sits on the hub. Labels do not take part in the layout, so placing them does not
    move the axes."""
    fig = ax.figure
    fig.canvas.draw()  # settle the (constrained) layout before measuring
    renderer = (fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer")
                else fig._get_renderer())
    data = graph.nodes
    panel = ax.get_window_extent(renderer)  # labels stay inside: they are not in the layout
    xy = np.array([pos[n] for n in nodes])
    centre = xy.mean(axis=0)
    pts = fig.dpi / 72.0
    discs = {}
    for n, (x, y) in zip(nodes, xy, strict=True):
        px, py = ax.transData.transform((x, y))
        r = math.sqrt(size[n]) / 2 * pts
        discs[n] = Bbox.from_extents(px - r * 0.8, py - r * 0.8, px + r * 0.8, py + r * 0.8)
    taken: list = []
    texts = []
    order = sorted(range(len(nodes)), key=lambda k: -float(size[nodes[k]]))
    for k in order:
        n, (x, y) = nodes[k], xy[k]
        name = plain(data[n].get(name_column(lang), data[n].get("name_en", n)))
        radius = math.sqrt(size[n]) / 2
        if n == JAPAN and size[n] >= 1700.0:
            t = ax.annotate(name, (x, y), ha="center", va="center", fontsize=10,
                            color="white", zorder=5)
            t.set_in_layout(False)
            taken.append(Text.get_window_extent(t, renderer))
            texts.append(t)
            continue
        d = np.array([x, y]) - centre
        norm = float(np.hypot(*d))
        first = (d / norm) if norm > 1e-9 else np.array([0.0, 1.0])
        angle = math.atan2(first[1], first[0])
        dirs = [first] + [np.array([math.cos(angle + a), math.sin(angle + a)])
                          for a in np.radians([45, -45, 90, -90, 135, -135, 180])]
        spots = [(u, radius + 3 + extra) for extra in (0, 10, 22) for u in dirs]
        obstacles = taken + [b for m, b in discs.items() if m != n]
        best = None
        for u, dist in spots:
            ux, uy = float(u[0]), float(u[1])
            ha = "left" if ux > 0.35 else "right" if ux < -0.35 else "center"
            va = "bottom" if uy > 0.35 else "top" if uy < -0.35 else "center"
            t = ax.annotate(name, (x, y), xytext=(ux * dist, uy * dist),
                            textcoords="offset points", ha=ha, va=va, fontsize=9, zorder=5,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                  "alpha": 0.75})
            t.set_in_layout(False)
            t.update_positions(renderer)
            box = Text.get_window_extent(t, renderer).padded(2)
            inside = (box.x0 >= panel.x0 and box.x1 <= panel.x1 and box.y0 >= panel.y0
                      and box.y1 <= panel.y1)
            if inside and not any(box.overlaps(o) for o in obstacles):
                best = (t, box)
                break
            t.remove()
        if best is None:  # crowded: on the node itself, boxed
            t = ax.annotate(name, (x, y), ha="center", va="center", fontsize=9, zorder=6,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white",
                                  "ec": "#555555", "lw": 0.5, "alpha": 0.9})
            t.set_in_layout(False)
            best = (t, Text.get_window_extent(t, renderer).padded(2))
        taken.append(best[1])
        texts.append(best[0])
    return texts


def plot_regional_coverage(coverage: pd.DataFrame, ax=None, lang: str = "en") -> Figure:
    """Horizontal bars per UN regional group (organisations apart): bilateral rounds,
    labelled with the number of partners, and, when the frame has
    ``group_participations``, participations in trilateral/multilateral meetings.

    ``coverage``: :func:`analysis.network.regional_coverage`. Groups with none show a
    zero.

    >>> cov = pd.DataFrame({"partners": [0, 2], "rounds": [0, 3]},
    ...                    index=pd.Index(["African", "Asia-Pacific"], name="region"))
    >>> fig = plot_regional_coverage(cov)
    >>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    ['African', 'Asia-Pacific']
    """
    fig, ax = _new_ax(ax, (9, 0.55 * max(len(coverage), 3) + 1.6))
    ax.set_title(label("network.title.coverage", lang))
    if coverage.empty or int(coverage.to_numpy().sum()) == 0:
        _empty(ax, lang)
        return fig
    groups = [str(g) for g in coverage.index]
    y = np.arange(len(groups), dtype=float)
    both = "group_participations" in coverage.columns
    h = 0.38 if both else 0.6
    colours = [REGION_COLOURS.get(g, REGION_COLOURS[UNKNOWN_REGION]) for g in groups]
    rounds = coverage["rounds"].to_numpy()
    bars = ax.barh(y - (h / 2 if both else 0), rounds, height=h, color=colours,
                   edgecolor="#222222", linewidth=0.6,
                   label=label("network.legend.bilateral_rounds", lang))
    labels = [f"{r} ({_partners(int(p), lang)})"
              for r, p in zip(rounds, coverage["partners"], strict=True)]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=9)
    if both:
        part = coverage["group_participations"].to_numpy()
        bars2 = ax.barh(y + h / 2, part, height=h, color=colours, alpha=0.35, hatch="//",
                        edgecolor="#222222", linewidth=0.6,
                        label=label("network.legend.group_participations", lang))
        ax.bar_label(bars2, padding=3, fontsize=9)
    ax.set_yticks(y, [plain(value_label(g, "value.region", lang)) for g in groups])
    ax.set_ylim(len(groups) - 0.5, -0.5)
    top = max(rounds.max(), coverage["group_participations"].max() if both else 0)
    ax.set_xlim(0, top * 1.3 + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(label("network.axis.count", lang))
    ax.grid(axis="y", visible=False)
    if both:
        ax.legend(handles=[Patch(facecolor="#bbbbbb", edgecolor="#222222",
                                 label=label("network.legend.bilateral_rounds", lang)),
                           Patch(facecolor="#e8e8e8", edgecolor="#222222", hatch="//",
                                 label=label("network.legend.group_participations", lang))],
                  loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return fig

