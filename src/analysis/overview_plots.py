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

from .labels import fmt, label
from .style import plain

__all__ = ["plot_overview"]


def plot_overview(facts: dict[str, Any], lang: str = "en", names: dict[str, str] | None = None
                  ) -> plt.Figure:
    """Three small multiples: support share, rounds per year, latest ratings."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), constrained_layout=True)
    v, c, r = facts["votes"], facts["consultations"], facts["ratings"]
    name = (names or {}).get(lang, facts["family"])
    ax = axes[0]
    ser = v["series"]
    ax.plot(ser.get("year", []), [x * 100 for x in ser.get("support_share", [])], marker="o",
            ms=3, color="#1f4e79")
    ax.set_title(fmt("overview.title.unga", lang, name=plain(name)), fontsize=10)
    ax.set_ylabel(label("overview.axis.share", lang))
    ax.set_xlabel(label("col.year", lang))
    ax = axes[1]
    years = c["per_year"]["year"]
    ax.bar(years, c["per_year"]["rounds"], color="#2a9d8f",
           label=label("overview.legend.bilateral", lang))
    ax.bar(years, c["per_year"]["group_meetings"], bottom=c["per_year"]["rounds"],
           color="#e9c46a", label=label("overview.legend.group", lang))
    ax.set_title(label("overview.title.rounds", lang), fontsize=10)
    ax.set_xlabel(label("col.year", lang))
    ax.set_ylabel(label("col.rounds", lang))
    ax.legend(fontsize=8, loc="upper right")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax = axes[2]
    objs = [plain(x["objective"]) for x in r["levels"]]
    lvls = [x["level"] or 0 for x in r["levels"]]
    bars = ax.bar(objs, lvls, color="#6a4c93")
    for bar, x in zip(bars, r["levels"], strict=True):
        if x["level"] is None:
            ax.bar(bar.get_x() + bar.get_width() / 2, 5, width=bar.get_width(),
                   color="none", edgecolor="#888888", hatch="//")
            ax.text(bar.get_x() + bar.get_width() / 2, 2.5, label("overview.no_level", lang),
                    ha="center", va="center", fontsize=8, rotation=90)
    ax.set_ylim(0, 5)
    ax.set_title(fmt("overview.title.ratings", lang, cycle=plain(r["cycle"])), fontsize=10)
    ax.set_xlabel(label("col.objective", lang))
    ax.set_ylabel(label("overview.axis.level", lang))
    return fig
