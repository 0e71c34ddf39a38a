"""Headline figures of the three areas for the overview notebook (00).

``overview_facts`` gathers, from the same functions the detail notebooks use, the latest
support for a resolution family and its trend, the consultation rounds and regional
coverage of a period, and the latest evaluation ratings; ``describe`` states them in a
sentence per area. :func:`analysis.overview_plots.plot_overview` draws them.

>>> from analysis.bundle import load_bundle
>>> facts = overview_facts(load_bundle(), "japan_nuclear", 2006, 2007)
>>> facts["consultations"]["rounds"], facts["ratings"]["objectives"]
(22, 4)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import evaluations, network, unga
from .labels import fmt, join, label, shows_era, value_label
from .params import check_year_range

__all__ = ["TREND_SESSIONS", "TREND_MIN_SESSIONS", "overview_facts", "describe"]

#: the trend is the slope over (at most) the last TREND_SESSIONS counted sessions ...
TREND_SESSIONS = 5
#: ... and is stated only when the period has at least TREND_MIN_SESSIONS of them
TREND_MIN_SESSIONS = 4


def _trend(series: pd.DataFrame, n: int = TREND_SESSIONS,
           minimum: int = TREND_MIN_SESSIONS) -> tuple[float | None, int]:
    """Least-squares slope of support share (points per year) over the last ``n``
    sessions with counts, and the number of sessions it uses; the slope is None with
    fewer than ``minimum`` counted sessions (the number is then how many there are).

    >>> s = pd.DataFrame({"year": [2001, 2002, 2003], "support_share": [0.9, None, 0.8]})
    >>> _trend(s)
    (None, 2)
    >>> s = pd.DataFrame({"year": range(2000, 2008), "support_share": [0.9] * 8})
    >>> _trend(s)
    (0.0, 5)
    """
    counted = series[series["support_share"].notna()].tail(n)
    if len(counted) < max(minimum, 2):
        return None, int(len(counted))
    slope = np.polyfit(counted["year"].astype(float), counted["support_share"].astype(float), 1)
    return round(float(slope[0] * 100), 10) + 0.0, int(len(counted))


def overview_facts(tables: Any, family: str = "japan_nuclear", start_year: int | None = None,
                   end_year: int | None = None) -> dict[str, Any]:
    """Headline facts of the three areas from a :class:`analysis.bundle.Bundle`; the period
    applies to votes and meetings. Counts are chosen as in notebook 01 (the per-country
    record's tallies included).

    Raises ParameterError for a bad period or an unknown family.
    """
    check_year_range(start_year, end_year)
    tallies = unga.per_country_tallies(tables.votes, tables.resolutions)
    series = unga.family_series(tables.resolutions, tables.vote_counts, family, start_year,
                                end_year, tallies=tallies)
    head = unga.headline(series)
    trend, trend_n = _trend(series)
    # every session of the period, gaps included (NaN share), so a figure breaks its line
    votes = {**head, "trend_points_per_year": trend, "trend_sessions": trend_n,
             "trend_min_sessions": TREND_MIN_SESSIONS,
             "series": {"year": series["year"].astype(int).tolist(),
                        "support_share": series["support_share"].astype(float).tolist(),
                        "status": series["status"].astype(str).tolist()}}
    register, counterparts = tables.consultations, tables.counterparts
    s, e = network.resolve_period(register, start_year, end_year)
    japan = network.japan_graph(register, counterparts, s, e)
    coverage = network.regional_coverage(japan)
    per_year = network.rounds_per_year(register, s, e)
    facts_net = network.summary(japan, coverage, [], per_year)
    consult = {"start_year": s, "end_year": e, "rounds": facts_net["rounds"],
               "partners": facts_net["partners"], "weak_rounds": facts_net["weak_rounds"],
               "regions": facts_net["regions"],
               "regions_without_rounds": sorted(k for k, v in facts_net["regions"].items()
                                                if v == 0 and k not in ("Organisations",
                                                                        "Unknown")),
               "per_year": per_year[["rounds", "group_meetings"]].astype(int)
               .reset_index(names="year").to_dict("list")}
    table = evaluations.build_rating_table(tables.cycles, tables.objectives, tables.ratings,
                                           tables.vocabulary)
    latest = evaluations.latest_rated_cycle(table)
    rows = table[table["cycle_id"] == latest].sort_values("objective_no")
    era = tables.cycles.loc[tables.cycles["cycle_id"] == latest, "evaluation_year_ja"]
    ratings = {"cycle": latest,
               "cycle_era": str(era.iloc[0]) if len(era) and pd.notna(era.iloc[0]) else None,
               "evaluation_year": int(rows["evaluation_year"].iloc[0]) if len(rows) else None,
               "objectives": int(len(rows)),
               "levels": [{"objective": str(o), "wording": w, "level": None if pd.isna(lv)
                           else int(lv), "status": st}
                          for o, w, lv, st in rows[["objective_no", "wording_ja", "level",
                                                    "mapping_status"]].itertuples(index=False)]}
    return {"family": family, "votes": votes, "consultations": consult, "ratings": ratings}


def describe(facts: dict[str, Any], lang: str = "en") -> list[str]:
    """One sentence per area, numbers from ``facts``."""
    v, c, r = facts["votes"], facts["consultations"], facts["ratings"]
    out = []
    latest = v.get("latest")
    trend = v.get("trend_points_per_year")
    if latest:
        n = v.get("trend_sessions", 0)
        tr = (fmt("overview.text.no_trend", lang, n=n,
                  minimum=v.get("trend_min_sessions", TREND_MIN_SESSIONS))
              if trend is None else fmt("overview.text.trend", lang, n=n, trend=trend))
        out.append(fmt("overview.text.votes", lang, year=latest["year"], yes=latest["yes"],
                       no=latest["no"], abstain=latest["abstain"],
                       share=latest["support_share"] * 100, trend=tr))
    regions = join((value_label(g, "value.region", lang) for g in c["regions_without_rounds"]),
                   lang) or label("word.none", lang)
    out.append(fmt("overview.text.consultations", lang, start=c["start_year"],
                   end=c["end_year"], rounds=c["rounds"], partners=c["partners"],
                   weak=c["weak_rounds"], regions=regions))
    mapped = sum(x["level"] is not None for x in r["levels"])
    cycle = r.get("cycle_era") if shows_era(lang) and r.get("cycle_era") else r["cycle"]
    out.append(fmt("overview.text.ratings", lang, cycle=cycle, year=r["evaluation_year"],
                   objectives=r["objectives"], mapped=mapped,
                   unmapped=r["objectives"] - mapped))
    return out

