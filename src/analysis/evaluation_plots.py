"""Figures of the evaluation notebook: the level heatmap and the indicator chart.

Both take ``ax=None`` and ``lang`` ('en' or 'ja') and return the Figure drawn on; call
:func:`analysis.style.setup` first so Japanese text has its font.

>>> import pandas as pd
>>> from analysis import style
>>> _ = style.setup("en")
>>> t = pd.DataFrame({"cycle_id": ["A", "A"], "cycle_order": [0, 0],
...                   "objective_no": ["1", "2"], "objective_order": [0, 1],
...                   "text_ja": ["x", "y"], "wording_ja": ["概ね達成", "強化できた"],
...                   "level": pd.array([3, pd.NA], dtype="Int64"),
...                   "mapping_status": ["mapped", "unmapped: no vocabulary entry"]})
>>> fig = plot_level_heatmap(t, lang="ja")
>>> fig.axes[0].get_title()
'評価年度・目標別の達成水準（共通尺度）'
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from .evaluations import MAPPED, NOT_RATED
from .labels import fmt, label, name_column, shows_era, value_label, wraps_by_words
from .style import plain
from .textdiff import wrap_text

__all__ = ["LEVEL_COLORS", "plot_level_heatmap", "plot_indicators"]

#: Colours of the common levels 1 (lowest) .. 5 (highest).
LEVEL_COLORS = dict(zip(range(1, 6), sns.color_palette("YlGnBu", 5).as_hex(), strict=True))
UNMAPPED_FACE, UNMAPPED_EDGE = "#d4d4d4", "#7a7a7a"
NOT_RATED_FACE = "#f4f4f4"


def _text_color(hex_color: str) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else "black"


def plot_level_heatmap(table: pd.DataFrame, cycles: pd.DataFrame | None = None,
                       ax: plt.Axes | None = None, lang: str = "en",
                       wrap: int = 20) -> Figure:
    """Heatmap of normalised levels, cycles (rows) x objectives (columns).

    ``table`` is :func:`analysis.evaluations.rating_table`. Each cell shows the level
    and the original wording (wrapped to ``wrap`` display columns). Unmapped wording is
    grey and hatched with the label "unmapped"/「対応なし」; objectives without a
    judgement are pale and say "not rated"; blank cells are objectives the cycle does
    not have. With ``cycles`` (a frame with ``cycle_id``, ``evaluation_year_ja``,
    ``status``), every cycle gets a row, and cycles with nothing recorded say so.
    """
    if cycles is not None:
        rows = cycles.sort_values(["evaluation_year", "cycle_id"])
        row_ids = rows["cycle_id"].tolist()
        era = rows.set_index("cycle_id").get("evaluation_year_ja")
        year = rows.set_index("cycle_id").get("evaluation_year")
        status = rows.set_index("cycle_id").get("status")
    else:
        row_ids = table.drop_duplicates("cycle_id").sort_values("cycle_order")[
            "cycle_id"].tolist()
        era, status = None, None
        year = table.drop_duplicates("cycle_id").set_index("cycle_id").get("evaluation_year")
    cols = table.drop_duplicates("objective_no").sort_values("objective_order")[
        "objective_no"].tolist()
    n_rows, n_cols = len(row_ids), max(len(cols), 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(1.75 * n_cols + 1.6, 9.0), 0.95 * n_rows + 1.9))
    else:
        fig = ax.figure
    cell = table.set_index(["cycle_id", "objective_no"])
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.grid(False)
    font = 8.5
    seen: set = set()  # the kinds of cell drawn: levels 1-5, "unmapped", "not_rated", ...
    for i, cid in enumerate(row_ids):
        present = cell.index.get_level_values(0) == cid
        if not present.any():
            ax.add_patch(Rectangle((0, i), n_cols, 1, facecolor="white", edgecolor="#bbbbbb",
                                   linewidth=0.6, linestyle=":"))
            what = str(status[cid]) if status is not None and cid in status else ""
            what = plain(value_label(what, "value.cycle_status", lang))
            ax.text(n_cols / 2, i + 0.5, fmt("eval.empty_cycle", lang, status=what),
                    ha="center", va="center", fontsize=font, color="#666666", style="italic")
            continue
        for j, obj in enumerate(cols):
            if (cid, obj) not in cell.index:
                seen.add("no_objective")
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor="white", edgecolor="#dddddd",
                                       linewidth=0.6))
                continue
            row = cell.loc[(cid, obj)]
            status_ = row["mapping_status"]
            wording = plain(wrap_text(row["wording_ja"], wrap, max_lines=3))
            if status_ == NOT_RATED:
                seen.add("not_rated")
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=NOT_RATED_FACE,
                                       edgecolor="#bbbbbb", linewidth=0.6))
                ax.text(j + 0.5, i + 0.5, label("eval.not_rated", lang), ha="center", va="center",
                        fontsize=font, color="#777777", style="italic")
            elif status_ == MAPPED and pd.notna(row["level"]):
                color = LEVEL_COLORS[int(row["level"])]
                seen.add(int(row["level"]))
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=color, edgecolor="white",
                                       linewidth=1.5))
                ax.text(j + 0.5, i + 0.5, fmt("eval.level_n", lang, level=int(row["level"]))
                        + "\n" + wording, ha="center", va="center", fontsize=font,
                        color=_text_color(color), linespacing=1.25)
            else:
                seen.add("unmapped")
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor=UNMAPPED_FACE,
                                       edgecolor=UNMAPPED_EDGE, hatch="///", linewidth=0.6))
                ax.text(j + 0.5, i + 0.5, label("eval.unmapped", lang) + "\n" + wording,
                        ha="center", va="center", fontsize=font, color="black",
                        linespacing=1.25,
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.85})
    ax.set_xticks(np.arange(n_cols) + 0.5)
    ax.set_xticklabels([plain(c) for c in cols], fontsize=9)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(label("eval.axis.objective", lang), fontsize=9)
    ylabels = []
    for cid in row_ids:
        extra = ""
        if shows_era(lang) and era is not None and cid in era and pd.notna(era[cid]):
            extra = f"\n{era[cid]}"
        elif year is not None and cid in year and pd.notna(year[cid]):
            extra = f"\n{int(year[cid])}"
        ylabels.append(plain(cid + extra))
    ax.set_yticks(np.arange(n_rows) + 0.5)
    ax.set_yticklabels(ylabels, fontsize=9)
    ax.set_ylabel(label("eval.axis.cycle", lang), fontsize=9)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(label("eval.title.heatmap", lang), fontsize=11, pad=10)
    # the legend lists only the kinds of cell drawn: levels first, then the others
    handles = [Patch(facecolor=LEVEL_COLORS[k], edgecolor="none",
                     label=fmt("eval.level_n", lang, level=k)) for k in LEVEL_COLORS
               if k in seen]
    others = {"unmapped": Patch(facecolor=UNMAPPED_FACE, edgecolor=UNMAPPED_EDGE,
                                hatch="///", label=label("eval.legend.unmapped", lang)),
              "not_rated": Patch(facecolor=NOT_RATED_FACE, edgecolor="#bbbbbb",
                                 label=label("eval.legend.not_rated", lang)),
              "no_objective": Patch(facecolor="white", edgecolor="#bbbbbb",
                                    label=label("eval.legend.no_objective", lang))}
    handles += [h for k, h in others.items() if k in seen]
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02),
                  ncol=min(len(handles), 4), fontsize=8.5, frameon=False,
                  handlelength=1.6)
    fig.tight_layout()
    return fig


def _wrap_label(text: str, lang: str, width: int) -> str:
    if not wraps_by_words(lang):
        return wrap_text(text, width)
    return "\n".join(textwrap.wrap(text, width)) or text


def _unit_key(row: pd.Series) -> str:
    """The unit a value is counted in: the printed unit; yes votes for a value linked
    from UNGA data; for an indicator printed without a unit, its own name (two
    indicators without a unit are never assumed to share one)."""
    if row["kind"] == "linked":
        return "linked:votes"
    unit = row["unit"]
    if pd.notna(unit) and str(unit).strip():
        return "unit:" + str(unit).strip()
    return "none:" + str(row["name_ja"])


def _unit_label(key: str, lang: str) -> str:
    if key == "linked:votes":
        return label("eval.unit.votes", lang)
    if key.startswith("unit:"):
        return plain(key[5:])
    return label("eval.unit.none", lang)


def _panel_axes(fig: Figure, ax: plt.Axes | None, ratios: list[float]) -> list[plt.Axes]:
    """One axes per panel, stacked, in the place of ``ax`` (or filling ``fig``)."""
    spec = ax.get_subplotspec() if ax is not None else None
    if ax is not None:
        ax.remove()
    grid = (spec.subgridspec(len(ratios), 1, height_ratios=ratios, hspace=1.1)
            if spec is not None else fig.add_gridspec(len(ratios), 1, height_ratios=ratios,
                                                      hspace=1.1))
    return [fig.add_subplot(grid[k, 0]) for k in range(len(ratios))]


_MARKERS = {
    "target": {"marker": "o", "facecolor": "none", "edgecolor": "black", "s": 70},
    "actual": {"marker": "o", "facecolor": "#2c7fb8", "edgecolor": "#2c7fb8", "s": 45},
    "linked": {"marker": "D", "facecolor": "#e6550d", "edgecolor": "#e6550d", "s": 45},
}


def plot_indicators(values: pd.DataFrame, ax: plt.Axes | None = None,
                    lang: str = "en") -> Figure:
    """Target vs actual of each numeric indicator, one row each, in one small panel per
    unit (:func:`_unit_key`), each on its own linear axis from zero: yen, people and
    votes never share an axis.

    ``values`` is :func:`analysis.evaluations.indicator_values`. Targets are open
    circles, values printed in the evaluation filled circles, values taken from a linked
    dataset diamonds (the legend lists the kinds drawn); each number is written next to
    its marker. ``ax`` (optional) is the place the panels fill.
    """
    if values.empty:
        if ax is None:
            fig, ax = plt.subplots(figsize=(9.5, 2.3))
        else:
            fig = ax.figure
        ax.set_title(label("eval.title.indicators", lang), fontsize=11)
        ax.text(0.5, 0.5, label("eval.no_values", lang), ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    values = values.assign(_unit=values.apply(_unit_key, axis=1))
    units = list(dict.fromkeys(values["_unit"]))
    rows_per = [values.loc[values["_unit"] == u, "indicator_id"].nunique() for u in units]
    ratios = [r + 0.6 for r in rows_per]
    if ax is None:
        fig = plt.figure(figsize=(9.5, 0.36 * sum(rows_per) + 0.8 * len(units) + 1.2))
    else:
        fig = ax.figure
    axes = _panel_axes(fig, ax, ratios)
    if ax is None:
        fig.suptitle(label("eval.title.indicators", lang), fontsize=11)
    else:  # in a figure of the caller's: the title over the panels, not the figure's
        axes[0].annotate(label("eval.title.indicators", lang), (0.5, 1.0),
                         xycoords="axes fraction", xytext=(0, 16),
                         textcoords="offset points", ha="center", va="bottom", fontsize=11)
    wrap = 44 if wraps_by_words(lang) else 40
    for pax, unit in zip(axes, units, strict=True):
        part = values[values["_unit"] == unit]
        rows = part.drop_duplicates("indicator_id")
        pos = pd.Series(np.arange(len(rows)), index=rows["indicator_id"].to_numpy())
        y = part["indicator_id"].map(pos).to_numpy(dtype=float)
        for kind, st in _MARKERS.items():
            sel = (part["kind"] == kind).to_numpy()
            if sel.any():
                pax.scatter(part.loc[sel, "value"], y[sel], marker=st["marker"],
                            facecolors=st["facecolor"], edgecolors=st["edgecolor"],
                            s=st["s"], zorder=3, linewidths=1.2)
        for (_, r), yy in zip(part.iterrows(), y, strict=True):
            text = f"{r['value']:,.0f}"
            if r["kind"] == "linked":
                text = fmt("eval.linked_value", lang, value=text, year=plain(r["year"]))
            pax.annotate(text, (r["value"], yy), xytext=(7, 0), textcoords="offset points",
                         va="center", fontsize=8)
        names = rows[name_column(lang)].fillna(rows["name_ja"])
        period = rows["reference_period"].fillna("")
        pax.set_yticks(np.arange(len(rows)), [
            plain(_wrap_label(f"{c} · {i} {nm}", lang, wrap) + (f" [{p}]" if p else ""))
            for c, i, nm, p in zip(rows["cycle_id"], rows["indicator_id"], names, period,
                                   strict=True)], fontsize=8)
        pax.set_ylim(len(rows) - 0.5, -0.5)
        hi = float(part["value"].max())
        pax.set_xlim(0, hi * 1.45 if hi > 0 else 1.0)
        pax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        pax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        pax.tick_params(axis="x", labelsize=8)
        pax.set_title(fmt("eval.axis.value_unit", lang, unit=_unit_label(unit, lang)),
                      fontsize=9, loc="left")
    kinds = [k for k in _MARKERS if (values["kind"] == k).any()]
    handles = [Line2D([], [], linestyle="none", marker=_MARKERS[k]["marker"],
                      markerfacecolor=_MARKERS[k]["facecolor"],
                      markeredgecolor=_MARKERS[k]["edgecolor"], markersize=7,
                      label=label(f"eval.legend.{k}", lang)) for k in kinds]
    if "target" not in kinds:
        handles.append(Line2D([], [], linestyle="none", label=label("eval.no_target", lang)))
    axes[-1].legend(handles=handles, loc="upper center", bbox_to_anchor=(0.3, -0.45),
                    ncol=len(handles), fontsize=8, frameon=False, handlelength=1.0)
    if ax is None:  # a figure of its own: room for the row labels on the left
        fig.subplots_adjust(left=0.42, right=0.97, top=1 - 0.6 / fig.get_figheight(),
                            bottom=0.9 / fig.get_figheight())
    return fig
