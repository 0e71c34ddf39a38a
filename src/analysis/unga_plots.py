"""Figures of notebook 01: support for a resolution family over time, voting coincidence
over time, and a clustered agreement heatmap. Text follows ``lang`` ("en" or "ja").

>>> from analysis import style
>>> from analysis.data import load_resolutions, load_vote_counts
>>> from analysis.unga import family_series
>>> _ = style.setup("en")
>>> s = family_series(load_resolutions(), load_vote_counts(), "japan_nuclear", 2010, 2015)
>>> fig = plot_support(s, "en")
>>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][:3]
['Yes', 'No', 'Abstain']
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import squareform

from .coincidence import DEFAULT_BY, INDICES
from .labels import fmt, label
from .params import check_choice
from .style import plain, value_limits, year_axis
from .unga import largest_changes

__all__ = ["plot_support", "plot_coincidence", "plot_agreement_heatmap", "cluster_order"]

_VOTE_KEYS = {"yes": "col.yes", "no": "col.no", "abstain": "col.abstain"}
COLORS = {"yes": "#4c72b0", "no": "#c44e52", "abstain": "#8c8c8c", "share": "#222222",
          "gap": "#dddddd", "consensus": "#cfe8cf"}


CONSENSUS = "adopted without a vote"
#: smallest change in support share (points) labelled: smaller ones print as "+0.0 pts"
MIN_LABELLED_CHANGE = 0.05
# the share line is drawn in this band of the panel (axes fraction), above the bars
_SHARE_BAND = (0.60, 0.90)
_SHARE_MIN_SPAN = 0.10  # the share axis spans at least 10 points


def _status(series: pd.DataFrame) -> np.ndarray:
    if "status" in series:
        return series["status"].astype("object").fillna("").astype(str).to_numpy()
    return np.full(len(series), "", dtype=object)


def _share_axis(ax2: plt.Axes, share: np.ndarray) -> None:
    """Fit the share axis to the data: the data range (at least ``_SHARE_MIN_SPAN`` wide,
    capped at 100 %) fills ``_SHARE_BAND`` of the panel; ticks only inside that range."""
    finite = share[np.isfinite(share)]
    if not len(finite):
        ax2.set_ylim(0, 1)
        ax2.set_yticks([])
        return
    lo, hi = value_limits(finite, _SHARE_MIN_SPAN, lower=0.0, upper=1.0, pad=0.15)
    b0, b1 = _SHARE_BAND
    total = (hi - lo) / (b1 - b0)
    ax2.set_ylim(lo - b0 * total, lo - b0 * total + total)
    ticks = MaxNLocator(nbins=4, steps=[1, 2, 5, 10]).tick_values(lo, hi)
    ax2.set_yticks([t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9])
    ax2.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))


def _line_boxes(line: Any, step: float = 0.1) -> list[Bbox]:
    """Small display boxes along ``line`` (every ``step`` of x, NaN breaks left out)."""
    x = np.asarray(line.get_xdata(), dtype=float)
    y = np.asarray(line.get_ydata(), dtype=float)
    boxes = []
    for k in range(len(x)):
        ends = [(x[k], y[k])]
        if k + 1 < len(x) and np.isfinite(y[k + 1]) and np.isfinite(y[k]):
            n = max(int((x[k + 1] - x[k]) / step), 1)
            ends += [(x[k] + (x[k + 1] - x[k]) * i / n, y[k] + (y[k + 1] - y[k]) * i / n)
                     for i in range(1, n)]
        for xx, yy in ends:
            if np.isfinite(yy):
                px, py = line.axes.transData.transform((xx, yy))
                boxes.append(Bbox.from_bounds(px - 2, py - 2, 4, 4))
    return boxes


def _place_labels(ax: plt.Axes, ax2: plt.Axes, changes: pd.DataFrame,
                  obstacles: list, line: Any) -> list:
    """Annotate ``changes`` on ``ax2`` at the first offset whose box overlaps no bar, no
    text, no part of the share ``line``, no label already placed and stays inside the
    panel; a change with no free place is left out (the table below the figure lists
    every change)."""
    fig = ax.figure
    renderer = (fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer")
                else fig._get_renderer())
    panel = ax.get_window_extent(renderer)
    taken = [o.get_window_extent(renderer) for o in obstacles] + _line_boxes(line)
    placed, labels = [], []
    for row in changes.itertuples(index=False):
        below = row.change < 0
        sides = (-1, 1) if below else (1, -1)
        spots = [(dx, side * dist) for side in sides for dist in (16, 30, 44, 58, 72)
                 for dx in (0, -30, 30, -60, 60)]
        for dx, dy in spots:
            ann = ax2.annotate(
                plain(row.label), xy=(row.year, row.support_share), xytext=(dx, dy),
                textcoords="offset points", ha="center", va="top" if dy < 0 else "bottom",
                fontsize=9, arrowprops={"arrowstyle": "->", "color": "#444444", "lw": 0.8,
                                        "shrinkA": 0, "shrinkB": 3},
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#999999",
                      "lw": 0.6}, zorder=5)
            # the label's own box, frame included (its arrow may cross the line)
            ann.update_positions(renderer)
            box = Text.get_window_extent(ann, renderer).padded(4)
            inside = (box.x0 >= panel.x0 and box.x1 <= panel.x1 and box.y0 >= panel.y0
                      and box.y1 <= panel.y1)
            # the arrow, from the label's edge to the point, crosses no other label
            px, py = ax2.transData.transform((row.year, row.support_share))
            sx, sy = (box.x0 + box.x1) / 2, box.y1 if dy < 0 else box.y0
            arrow = [Bbox.from_bounds(sx + (px - sx) * f - 1, sy + (py - sy) * f - 1, 2, 2)
                     for f in np.linspace(0.0, 0.9, 10)]
            if inside and not any(box.overlaps(t) for t in taken) and not any(
                    a.overlaps(b) for a in arrow for b in labels):
                taken += [box, *arrow]
                labels.append(box)
                placed.append(ann)
                break
            ann.remove()
    return placed


def plot_support(series: pd.DataFrame, lang: str = "en", ax: plt.Axes | None = None,
                 n_changes: int = 3, name: str | None = None) -> Figure:
    """Stacked yes/no/abstain bars per year, the support share on a second axis, the
    ``n_changes`` largest changes annotated (labels from :func:`largest_changes`; changes
    under :data:`MIN_LABELLED_CHANGE` points and labels with no free place are left out),
    sessions adopted without a vote drawn as a green "consensus" band and sessions
    without a figure as a hatched gap. The share line breaks at every session without a
    share; its axis fits the data (at least 10 points, at most 100 %). ``name`` is the
    family's name for the title.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 5.8))
    else:
        fig = ax.figure
    year = series["year"].astype(int).to_numpy()
    counts = {c: series[c].astype("float64").fillna(0).to_numpy() for c in ("yes", "no",
                                                                           "abstain")}
    bottom = np.zeros(len(series))
    handles: list = []
    bar_patches: list = []
    for col in ("yes", "no", "abstain"):
        bars = ax.bar(year, counts[col], bottom=bottom, width=0.75, color=COLORS[col],
                      label=label(_VOTE_KEYS[col], lang), zorder=2)
        handles.append(bars)
        bar_patches += [b for b, h in zip(bars, counts[col], strict=True) if h > 0]
        bottom += counts[col]
    status = _status(series)
    partial = status == "partial counts"
    if partial.any():
        ax.bar(year[partial], bottom[partial], width=0.75, fill=False, hatch="..",
               edgecolor="white", lw=0, zorder=2.5)
        handles.append(Patch(facecolor=COLORS["yes"], hatch="..", edgecolor="white",
                             label=label("unga.legend.partial_dotted", lang)))
    consensus = (status == CONSENSUS) & (bottom == 0)
    gaps = series["support_share"].isna().to_numpy() & (bottom == 0) & ~consensus
    for y in year[consensus]:
        ax.axvspan(y - 0.4, y + 0.4, color=COLORS["consensus"], zorder=1, lw=0)
        ax.text(y, 0.02, label("unga.text.consensus_short", lang), rotation=90,
                ha="center", va="bottom", fontsize=8, color="#2d6a2d",
                transform=ax.get_xaxis_transform(), zorder=3)
    if consensus.any():
        handles.append(Patch(facecolor=COLORS["consensus"],
                             label=label("unga.legend.consensus", lang)))
    for y in year[gaps]:
        ax.axvspan(y - 0.4, y + 0.4, color=COLORS["gap"], hatch="//", alpha=0.6,
                   zorder=1, lw=0)
    if gaps.any():
        handles.append(Patch(facecolor=COLORS["gap"], hatch="//", alpha=0.6,
                             label=label("unga.legend.gap", lang)))
    # bars fill the lower ~55 % of the panel, the share line the upper part
    top = float(bottom.max()) if len(bottom) else 0.0
    if top > 0:
        ax.set_ylim(0, top * 1.8)
        ticks = MaxNLocator(nbins=8, integer=True).tick_values(0, top * 1.8)
        ax.set_yticks([t for t in ticks if 0 <= t <= top * 1.05])
    else:
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.text(0.5, 0.3, label("unga.text.no_counts_plot", lang), transform=ax.transAxes,
                ha="center", va="center", fontsize=10, color="#555555", style="italic",
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none"}, zorder=4)
    ax.set_ylabel(label("col.votes", lang))
    ax.set_xlabel(label("col.year", lang))
    year_axis(ax, year, min_span=5.0, nbins=16)
    ax.tick_params(axis="x", rotation=0)
    ax.grid(axis="x", visible=False)

    ax2 = ax.twinx()
    share = series["support_share"].astype("float64").to_numpy()
    (line,) = ax2.plot(year, share, color=COLORS["share"], marker="o", ms=4, lw=1.6,
                       label=label("unga.axis.support_share", lang), zorder=3)
    handles.append(line)
    _share_axis(ax2, share)
    ax2.set_ylabel(label("unga.axis.support_share", lang))
    ax2.grid(False)

    title_name = name if name is not None else str(series.attrs.get("family", ""))
    ax.set_title(fmt("unga.title.support", lang, name=plain(title_name)))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.11),
              ncol=len(handles) if len(handles) <= 5 else 3, frameon=False, fontsize=9)
    fig.tight_layout()
    changes = largest_changes(series, n=n_changes, lang=lang)
    changes = changes[changes["change"].abs() * 100 >= MIN_LABELLED_CHANGE]
    _place_labels(ax, ax2, changes, bar_patches + ax.texts, line)
    return fig


def plot_coincidence(long: pd.DataFrame, lang: str = "en", ax: plt.Axes | None = None,
                     country: str = "JPN", by: str | None = None,
                     name: str | None = None) -> Figure:
    """One line per state: its coincidence with ``country`` per group (year); the title
    names ``country`` by ``name`` (its name in ``lang``; default the code).

    ``long`` is a :func:`analysis.coincidence.coincidence_with` frame (columns country,
    group, index, value, n) or a :func:`coincidence_long` frame (a, b, ...), in which
    case the rows with ``a == country`` are drawn. ``by`` names the period of the groups
    (default: the period the index is published by, ``coincidence.DEFAULT_BY``). Lines
    break where a year (session) has no value.
    """
    frame = long
    if "a" in frame.columns:
        frame = frame[frame["a"].astype(str) == country].rename(columns={"b": "country"})
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 5))
    else:
        fig = ax.figure
    index = str(frame["index"].iloc[0]) if len(frame) else "state_dept"
    check_choice("index", index, INDICES)
    by = DEFAULT_BY[index] if by is None else by
    palette = sns.color_palette("colorblind", n_colors=max(1, frame["country"].nunique()))
    groups = frame["group"].astype(int)
    full = np.arange(groups.min(), groups.max() + 1) if len(frame) else np.array([], int)
    for color, (c, sub) in zip(palette, frame.groupby("country", sort=True), strict=False):
        # reindexed on every year (session): a line breaks where a group has no value
        line = sub.set_index(sub["group"].astype(int))["value"].reindex(full)
        ax.plot(full, line.to_numpy(dtype=float), marker="o", ms=3, lw=1.4, color=color,
                label=plain(c))
    ax.set_ylim(-1.05 if index == "s_score" else -0.03, 1.05)
    ax.set_xlabel(label(f"col.{by}", lang))
    ax.set_ylabel(label(f"value.index.{index}", lang))
    year_axis(ax, full, pad=0.5, min_span=4.0)
    ax.set_title(fmt("unga.title.coincidence", lang, country=plain(name or country),
                     period=label(f"value.period.{by}", lang)))
    ax.legend(title=label("col.country", lang), loc="center left", bbox_to_anchor=(1.01, 0.5),
              frameon=False)
    fig.tight_layout()
    return fig


def cluster_order(matrix: pd.DataFrame, index: str = "agreement") -> list[str]:
    """Row order from average-linkage clustering of ``matrix`` (a similarity: distance
    = 1 - value, or (1 - S) / 2 for the S-score; a missing pair counts as distance 0.5),
    leaves optimally ordered, so the order is deterministic.

    >>> m = pd.DataFrame([[1, .9, .1], [.9, 1, .2], [.1, .2, 1]], index=list("abc"),
    ...                  columns=list("abc"))
    >>> cluster_order(m)
    ['c', 'b', 'a']
    """
    vals = matrix.to_numpy(dtype=float)
    dist = (1.0 - vals) / 2.0 if index == "s_score" else 1.0 - vals
    dist = np.where(np.isfinite(dist), dist, 0.5)
    dist = np.clip((dist + dist.T) / 2.0, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    if len(matrix) < 3:
        return [str(x) for x in matrix.index]
    z = linkage(squareform(dist, checks=False), method="average", optimal_ordering=True)
    return [str(matrix.index[i]) for i in leaves_list(z)]


def plot_agreement_heatmap(matrix: pd.DataFrame, lang: str = "en",
                           ax: plt.Axes | None = None, years: str = "") -> Figure:
    """Heatmap of a square coincidence matrix, rows and columns in clustered order
    (:func:`cluster_order`). ``matrix.attrs["index"]`` names the index; ``years`` is
    appended to the title (e.g. "2014-2022").
    """
    index = str(matrix.attrs.get("index", "agreement"))
    order = cluster_order(matrix, index)
    m = matrix.loc[order, order]
    size = max(6.0, 0.26 * len(m) + 2.5)
    if ax is None:
        fig, ax = plt.subplots(figsize=(size + 1.2, size))
    else:
        fig = ax.figure
    lo = -1.0 if index == "s_score" else 0.0
    sns.heatmap(m, ax=ax, cmap="RdBu_r", vmin=lo,
                vmax=1.0, square=True, linewidths=0.2, linecolor="white",
                xticklabels=[plain(c) for c in m.columns],
                yticklabels=[plain(r) for r in m.index],
                cbar_kws={"label": label(f"value.index.{index}", lang), "shrink": 0.7})
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="both", labelsize=8)
    suffix = f" ({years})" if years else ""
    ax.set_title(fmt("unga.title.heatmap", lang, index=label(f"value.index.{index}", lang),
                     years=plain(suffix)),
                 fontsize=11)
    fig.tight_layout()
    return fig
