"""Figures of notebook 04 (country briefing): the state's vote on each followed family per
session, and its coincidence with Japan against all states. Text follows ``lang``.

>>> from analysis import style
>>> _ = style.setup("en")
>>> t = pd.DataFrame({"family": ["f", "f"], "year": [2000, 2001], "vote": ["yes", "absent"]})
>>> fam = pd.DataFrame({"family": ["f"], "name_en": ["F"], "name_ja": ["エフ"]})
>>> fig = plot_votes(t, fam, "en", name="X")
>>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
['Yes', 'Absent']
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .briefing import VOTE_CODES
from .labels import fmt, label, name_column, wraps_by_words
from .style import plain

__all__ = ["VOTE_COLORS", "plot_votes", "plot_coincidence_profile"]

#: one colour per code of ``briefing.family_votes_table``'s ``vote`` column
VOTE_COLORS = {"yes": "#4c72b0", "no": "#c44e52", "abstain": "#e1a73a", "absent": "#555555",
               "not_member": "#ffffff", "no_record": "#e6e6e6",
               "adopted_without_vote": "#a6cee3"}


def _wrap(text: str, lang: str, width: int = 34) -> str:
    if wraps_by_words(lang):
        return textwrap.fill(text, width)
    return "\n".join(text[i:i + width // 2] for i in range(0, len(text), width // 2))


def plot_votes(table: pd.DataFrame, families: pd.DataFrame, lang: str = "en",
               ax: plt.Axes | None = None, name: str = "") -> Figure:
    """One row per family, one cell per year with a recorded session, coloured by the
    state's vote (:data:`VOTE_COLORS`); the legend lists the codes present.

    ``table`` is a :func:`analysis.briefing.family_votes_table` frame; ``name`` the
    state's name for the title.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 3.6))
    else:
        fig = ax.figure
    fams = sorted(table["family"].astype(str).unique())
    names = families.set_index(families["family"].astype(str))[name_column(lang)]
    codes = {c: k for k, c in enumerate(VOTE_CODES)}
    if table.empty:
        ax.text(0.5, 0.5, label("brief.empty_plot", lang), ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
    else:
        years = np.arange(int(table["year"].min()), int(table["year"].max()) + 1)
        grid = table.pivot_table(index="family", columns="year", values="vote",
                                 aggfunc="last").reindex(index=fams, columns=years)
        z = grid.apply(lambda col: col.map(codes)).to_numpy(dtype=float)
        cmap = ListedColormap([VOTE_COLORS[c] for c in VOTE_CODES])
        ax.pcolormesh(np.append(years, years[-1] + 1) - 0.5, np.arange(len(fams) + 1),
                      np.ma.masked_invalid(z), cmap=cmap, vmin=-0.5,
                      vmax=len(VOTE_CODES) - 0.5, edgecolors="#bbbbbb", linewidth=0.5)
        ax.set_yticks(np.arange(len(fams)) + 0.5)
        ax.set_yticklabels([plain(_wrap(str(names.get(f, f)), lang)) for f in fams],
                           fontsize=8)
        ax.set_ylim(len(fams), 0)
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=14, integer=True))
        ax.set_xlabel(label("brief.axis.year", lang))
        ax.grid(False)
        present = [c for c in VOTE_CODES if (table["vote"] == c).any()]
        handles = [Patch(facecolor=VOTE_COLORS[c], edgecolor="#999999",
                         label=label(f"value.vote.{c}", lang)) for c in present]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  frameon=False, fontsize=8)
    ax.set_title(fmt("brief.title.votes", lang, name=plain(name)))
    fig.tight_layout()
    return fig


def plot_coincidence_profile(profile: pd.DataFrame, lang: str = "en",
                             ax: plt.Axes | None = None, name: str = "",
                             index: str = "state_dept") -> Figure:
    """The state's coincidence with Japan per period (line with markers), the median of
    all states (dashed) and their middle half (band), and its regional group's median
    (dotted) when the frame has one.

    ``profile`` is an :func:`analysis.briefing.coincidence_profile` frame.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 4.6))
    else:
        fig = ax.figure
    lo = -1.0 if index == "s_score" else 0.0
    profile = profile if len(profile) else pd.DataFrame(
        columns=["year", "value", "median", "q1", "q3", "by"], dtype=float)
    if profile.empty:
        ax.text(0.5, 0.5, label("brief.empty_plot", lang), ha="center", va="center",
                transform=ax.transAxes)
    else:
        full = profile.set_index(profile["year"].astype(int)).reindex(
            np.arange(int(profile["year"].min()), int(profile["year"].max()) + 1))
        x = full.index.to_numpy()
        ax.fill_between(x, full["q1"].to_numpy(float), full["q3"].to_numpy(float),
                        color="#9ecae1", alpha=0.45, lw=0, step=None,
                        label=label("brief.legend.iqr", lang))
        ax.plot(x, full["median"].to_numpy(float), ls="--", lw=1.3, color="#3182bd",
                label=label("brief.legend.median", lang))
        if "group_median" in full and full["group_median"].notna().any():
            ax.plot(x, full["group_median"].to_numpy(float), ls=":", lw=1.5, color="#31a354",
                    label=label("brief.legend.group_median", lang))
        ax.plot(x, full["value"].to_numpy(float), marker="o", ms=3.5, lw=1.8,
                color="#c44e52", label=plain(name))
        ax.set_xlim(x[0] - 0.5, x[-1] + 0.5)
        by = str(profile["by"].iloc[0])
        ax.set_xlabel(label("brief.axis.session_year" if by == "session"
                            else "brief.axis.year", lang))
        handles, texts = ax.get_legend_handles_labels()
        order = [len(texts) - 1, *range(len(texts) - 1)]  # the state first
        ax.legend([handles[i] for i in order], [texts[i] for i in order], loc="upper center",
                  bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8, frameon=False)
    drawn = profile[["value", "median", "q1", "q3"]].to_numpy(dtype=float)
    low = float(np.nanmin(drawn)) if np.isfinite(drawn).any() else lo
    ax.set_ylim(max(lo, min(0.0, np.floor(low * 10) / 10)) - 0.03, 1.03)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
    ax.set_ylabel(label("col.brief.value", lang))
    ax.set_title(fmt("brief.title.coincidence", lang, name=plain(name)) + "\n"
                 + label(f"value.index.{index}", lang), fontsize=11)
    fig.tight_layout()
    return fig

