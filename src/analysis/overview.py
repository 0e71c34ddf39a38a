"""Headline figures of the three areas for the overview notebook (00).

``overview_facts`` gathers, from the same functions the detail notebooks use, the latest
support for a resolution family and its trend, the consultation rounds and regional
coverage of a period, and the latest evaluation ratings; ``plot_overview`` draws them as
small multiples.

>>> from analysis.bundle import load_bundle
>>> facts = overview_facts(load_bundle(), "japan_nuclear", 2006, 2007)
>>> facts["consultations"]["rounds"], facts["ratings"]["objectives"]
(22, 4)
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import evaluations, network, unga
from .params import check_lang, check_year_range
from .style import t

LABELS = {
    "unga_title": {"en": "UNGA support: {name}", "ja": "国連総会での支持：{name}"},
    "net_title": {"en": "Consultation rounds per year", "ja": "年別の協議回数"},
    "eval_title": {"en": "Ratings, {cycle} evaluation", "ja": "{cycle} 評価の判定"},
    "share_axis": {"en": "Support share (%)", "ja": "支持率（%）"},
    "bilateral": {"en": "Bilateral", "ja": "二国間"},
    "group": {"en": "Group meetings", "ja": "グループ会合"},
    "no_level": {"en": "no level", "ja": "水準なし"},
    "level_axis": {"en": "Common level (1-5)", "ja": "共通水準（1〜5）"},
}
TREND_SESSIONS = 5


def _trend(series: pd.DataFrame, n: int = TREND_SESSIONS) -> float | None:
    """Least-squares slope of support share (points per year) over the last ``n``
    sessions with counts; None with fewer than two."""
    counted = series[series["support_share"].notna()].tail(n)
    if len(counted) < 2:
        return None
    slope = np.polyfit(counted["year"].astype(float), counted["support_share"].astype(float), 1)
    return float(slope[0] * 100)


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
    votes = {**head, "trend_points_per_year": _trend(series), "trend_sessions": TREND_SESSIONS,
             "series": series[["year", "support_share"]].dropna().astype(float)
             .to_dict("list")}
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
    ratings = {"cycle": latest,
               "evaluation_year": int(rows["evaluation_year"].iloc[0]) if len(rows) else None,
               "objectives": int(len(rows)),
               "levels": [{"objective": str(o), "wording": w, "level": None if pd.isna(lv)
                           else int(lv), "status": st}
                          for o, w, lv, st in rows[["objective_no", "wording_ja", "level",
                                                    "mapping_status"]].itertuples(index=False)]}
    return {"family": family, "votes": votes, "consultations": consult, "ratings": ratings}


def describe(facts: dict[str, Any], lang: str = "en") -> list[str]:
    """One sentence per area, numbers from ``facts``."""
    check_lang(lang)
    v, c, r = facts["votes"], facts["consultations"], facts["ratings"]
    out = []
    latest = v.get("latest")
    trend = v.get("trend_points_per_year")
    if latest:
        share = latest["support_share"] * 100
        tr = "" if trend is None else (f"; trend over the last {v['trend_sessions']} counted "
                                       f"sessions: {trend:+.2f} points a year" if lang == "en"
                                       else f"。直近{v['trend_sessions']}会期の傾向：年{trend:+.2f}"
                                       "ポイント")
        out.append(f"Latest counted session {latest['year']}: {latest['yes']} yes, "
                   f"{latest['no']} no, {latest['abstain']} abstentions "
                   f"(support {share:.1f}%){tr}." if lang == "en" else
                   f"直近の集計会期（{latest['year']}年）：賛成{latest['yes']}、反対{latest['no']}、"
                   f"棄権{latest['abstain']}（支持率{share:.1f}%）{tr}。")
    sep = ", " if lang == "en" else "、"
    regions = sep.join(t(g, lang, network.LABELS) for g in c["regions_without_rounds"]) \
        or ("none" if lang == "en" else "なし")
    out.append(f"{c['start_year']}-{c['end_year']}: {c['rounds']} bilateral rounds with "
               f"{c['partners']} partners ({c['weak_rounds']} weakly verified); regional "
               f"groups with no round: {regions}." if lang == "en" else
               f"{c['start_year']}〜{c['end_year']}年：二国間協議{c['rounds']}回、相手{c['partners']}"
               f"（うち検証の弱いもの{c['weak_rounds']}回）。協議のない地域グループ：{regions}。")
    lv = [x["level"] for x in r["levels"] if x["level"] is not None]
    out.append(f"Latest rated cycle {r['cycle']} ({r['evaluation_year']}): {r['objectives']} "
               f"objectives, {len(lv)} placed on the common scale, "
               f"{r['objectives'] - len(lv)} unmapped." if lang == "en" else
               f"直近の評価（{r['cycle']}、{r['evaluation_year']}年）：目標{r['objectives']}件、"
               f"共通尺度に対応{len(lv)}件、対応なし{r['objectives'] - len(lv)}件。")
    return out


def plot_overview(facts: dict[str, Any], lang: str = "en", names: dict[str, str] | None = None
                  ) -> plt.Figure:
    """Three small multiples: support share, rounds per year, latest ratings."""
    check_lang(lang)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), constrained_layout=True)
    v, c, r = facts["votes"], facts["consultations"], facts["ratings"]
    name = (names or {}).get(lang, facts["family"])
    ax = axes[0]
    ser = v["series"]
    ax.plot(ser.get("year", []), [x * 100 for x in ser.get("support_share", [])], marker="o",
            ms=3, color="#1f4e79")
    ax.set_title(t("unga_title", lang, LABELS).format(name=name), fontsize=10)
    ax.set_ylabel(t("share_axis", lang, LABELS))
    ax.set_xlabel(t("year", lang))
    ax = axes[1]
    years = c["per_year"]["year"]
    ax.bar(years, c["per_year"]["rounds"], color="#2a9d8f", label=t("bilateral", lang, LABELS))
    ax.bar(years, c["per_year"]["group_meetings"], bottom=c["per_year"]["rounds"],
           color="#e9c46a", label=t("group", lang, LABELS))
    ax.set_title(t("net_title", lang, LABELS), fontsize=10)
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(t("rounds", lang))
    ax.legend(fontsize=8, loc="upper right")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax = axes[2]
    objs = [x["objective"] for x in r["levels"]]
    lvls = [x["level"] or 0 for x in r["levels"]]
    bars = ax.bar(objs, lvls, color="#6a4c93")
    for bar, x in zip(bars, r["levels"], strict=True):
        if x["level"] is None:
            ax.bar(bar.get_x() + bar.get_width() / 2, 5, width=bar.get_width(),
                   color="none", edgecolor="#888888", hatch="//")
            ax.text(bar.get_x() + bar.get_width() / 2, 2.5, t("no_level", lang, LABELS),
                    ha="center", va="center", fontsize=8, rotation=90)
    ax.set_ylim(0, 5)
    ax.set_title(t("eval_title", lang, LABELS).format(cycle=r["cycle"]), fontsize=10)
    ax.set_xlabel(t("objective", lang))
    ax.set_ylabel(t("level_axis", lang, LABELS))
    return fig
