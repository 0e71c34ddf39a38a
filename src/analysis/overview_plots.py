"""The overview figure (notebook 00): the facts of :func:`analysis.overview.overview_facts`
as three small multiples.

>>> from analysis import style
>>> from analysis.overview import overview_facts
>>> _ = style.setup("en")
>>> from analysis.bundle import load_bundle
>>> fig = plot_overview(overview_facts(load_bundle(), "japan_nuclear", 2006, 2007), "en")
>>> [ax.get_title() for ax in fig.axes][1]
'Consultation rounds per year'
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from .labels import fmt, label
from .style import plain, value_limits, year_axis

__all__ = ["plot_overview", "plot_share", "plot_rounds", "plot_levels"]

CONSENSUS = "adopted without a vote"
SHARE_COLOR, CONSENSUS_COLOR, LEVEL_COLOR = "#1f4e79", "#cfe8cf", "#6a4c93"
GAP_COLOR = "#dddddd"
#: height (levels) of the hollow stub drawn for an objective with no common level
NO_LEVEL_STUB = 0.6


def plot_share(votes: dict[str, Any], name: str, lang: str = "en",
               ax: plt.Axes | None = None) -> plt.Figure:
    """Support share per session (``votes["series"]``: year, support_share, status of
    every session, gaps as NaN): the line breaks at a gap, sessions adopted without a
    vote are green bands, other sessions without a figure hatched grey bands; the y axis
    fits the data (at least 10 points, at most 100 %)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.6), constrained_layout=True)
    ser = votes["series"]
    year = np.asarray(ser.get("year", []), dtype=float)
    share = np.asarray(ser.get("support_share", []), dtype=float) * 100
    status = np.asarray(ser.get("status", [""] * len(year)), dtype=object)
    ax.plot(year, share, marker="o", ms=3, color=SHARE_COLOR)
    consensus = (status == CONSENSUS) & ~np.isfinite(share)
    gaps = ~np.isfinite(share) & ~consensus
    handles = []
    for y in year[consensus]:
        ax.axvspan(y - 0.4, y + 0.4, color=CONSENSUS_COLOR, lw=0, zorder=0)
    if consensus.any():
        handles.append(Patch(facecolor=CONSENSUS_COLOR,
                             label=label("unga.legend.consensus", lang)))
    for y in year[gaps]:
        ax.axvspan(y - 0.4, y + 0.4, color=GAP_COLOR, hatch="//", alpha=0.6, lw=0, zorder=0)
    if gaps.any():
        handles.append(Patch(facecolor=GAP_COLOR, hatch="//", alpha=0.6,
                             label=label("unga.legend.gap", lang)))
    if handles:
        ax.legend(handles=handles, fontsize=7, loc="lower center", frameon=True,
                  framealpha=0.9)
    if np.isfinite(share).any():
        lo, hi = value_limits(share, 10.0, lower=0.0, upper=100.0, pad=0.15)
        ax.set_ylim(lo, hi + 0.03 * (hi - lo))  # a 100 % marker is not cut by the frame
    else:
        ax.set_yticks([])
        ax.text(0.5, 0.5, label("unga.text.no_counts_plot", lang), transform=ax.transAxes,
                ha="center", va="center", fontsize=8, color="#555555", style="italic",
                wrap=True, bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "none"})
    year_axis(ax, year, nbins=6)
    ax.set_title(fmt("overview.title.unga", lang, name=plain(name)), fontsize=10)
    ax.set_ylabel(label("overview.axis.share", lang))
    ax.set_xlabel(label("col.year", lang))
    return ax.figure


def plot_rounds(consultations: dict[str, Any], lang: str = "en",
                ax: plt.Axes | None = None) -> plt.Figure:
    """Bilateral rounds and group meetings per year, stacked; integer year ticks."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.6), constrained_layout=True)
    per_year = consultations["per_year"]
    years = per_year["year"]
    ax.bar(years, per_year["rounds"], color="#2a9d8f",
           label=label("overview.legend.bilateral", lang))
    ax.bar(years, per_year["group_meetings"], bottom=per_year["rounds"],
           color="#e9c46a", label=label("overview.legend.group", lang))
    ax.set_title(label("overview.title.rounds", lang), fontsize=10)
    ax.set_xlabel(label("col.year", lang))
    ax.set_ylabel(label("col.rounds", lang))
    totals = np.asarray(per_year["rounds"], dtype=float) + np.asarray(
        per_year["group_meetings"], dtype=float)
    # head room above the highest bar, so the legend covers no bar
    ax.set_ylim(0, max(float(totals.max()) if len(totals) else 0.0, 1.0) * 1.45)
    ax.legend(fontsize=8, loc="upper right")
    year_axis(ax, years, nbins=6)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return ax.figure


def plot_levels(ratings: dict[str, Any], lang: str = "en",
                ax: plt.Axes | None = None) -> plt.Figure:
    """The latest cycle's level per objective; an objective with no common level is a
    short hollow hatched stub labelled "no level" (never a full-height bar)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.6), constrained_layout=True)
    levels = ratings["levels"]
    x = np.arange(len(levels))
    mapped = [lv["level"] is not None for lv in levels]
    ax.bar(x[mapped], [lv["level"] for lv in levels if lv["level"] is not None],
           color=LEVEL_COLOR, width=0.7)
    missing = x[[not m for m in mapped]]
    if len(missing):
        ax.bar(missing, NO_LEVEL_STUB, width=0.7, color="none", edgecolor="#888888",
               hatch="//", lw=0.8)
        for xx in missing:
            ax.text(xx, NO_LEVEL_STUB + 0.1, label("overview.no_level", lang), ha="center",
                    va="bottom", fontsize=8, color="#444444")
        ax.legend(handles=[Patch(facecolor="none", edgecolor="#888888", hatch="//",
                                 label=label("overview.legend.no_level", lang))],
                  fontsize=7, loc="upper right")
    ax.set_xticks(x, [plain(lv["objective"]) for lv in levels])
    ax.set_ylim(0, 5.9 if len(missing) else 5)
    ax.set_yticks(range(0, 6))
    ax.set_title(fmt("overview.title.ratings", lang, cycle=plain(ratings["cycle"])),
                 fontsize=10)
    ax.set_xlabel(label("col.objective", lang))
    ax.set_ylabel(label("overview.axis.level", lang))
    return ax.figure


def plot_overview(facts: dict[str, Any], lang: str = "en", names: dict[str, str] | None = None
                  ) -> plt.Figure:
    """Three small multiples: support share (:func:`plot_share`), rounds per year
    (:func:`plot_rounds`), latest ratings (:func:`plot_levels`)."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), constrained_layout=True)
    name = (names or {}).get(lang, facts["family"])
    plot_share(facts["votes"], name, lang, ax=axes[0])
    plot_rounds(facts["consultations"], lang, ax=axes[1])
    plot_levels(facts["ratings"], lang, ax=axes[2])
    return fig
