"""Consultation networks: graphs, measures, gaps and exports built from the register.

Input is the register as :func:`analysis.data.load_consultations` returns it (one row per
meeting) and the counterpart table of :func:`analysis.data.load_counterparts`. A period
is a closed range of calendar years ``[start_year, end_year]`` (``None`` = open end);
undated meetings (no ``year``) belong to no period.

- :func:`japan_graph`: the Japan-centred graph of bilateral partners. Node ``JPN`` and one
  node per partner; the edge ``JPN - partner`` has ``weight`` = rounds held in the period
  and the attributes listed in :func:`edge_table`. Meetings with the EU troika working
  group count as bilateral rounds with ``EU`` (the register already records them as
  ``format=bilateral``), as in the 2008 MOFA table.
- :func:`participation_graph`: the bipartite graph of states/organisations (node
  attribute ``bipartite=0``) and trilateral/multilateral meetings or formats
  (``bipartite=1``); :func:`co_participation_graph` is its weighted projection onto the
  states. Japan takes part in every meeting of the register and is never listed, so it
  is not a node of these two graphs.
- Weakly verified rows (column ``weak``) stay in: edges count them in ``weak_rounds``.
  Multilateral meetings whose participant list is incomplete keep the participants
  listed and are marked (``participants_complete=False`` on the meeting node,
  ``incomplete_meetings`` on format nodes).
- An empty period gives empty graphs and frames, never an exception; a period whose end
  precedes its start raises :class:`analysis.params.ParameterError`.

>>> from analysis.data import load_consultations, load_counterparts
>>> reg, cp = load_consultations(), load_counterparts()
>>> g = japan_graph(reg, cp, 2006, 2007)
>>> int(g.size(weight="weight")), g["JPN"]["EU"]["weight"], g["JPN"]["AUS"]["weight"]
(22, 3, 2)
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from networkx.algorithms import bipartite as nx_bipartite

from .errors import DataError
from .labels import (
    data_text,
    display_frame,
    fmt,
    label,
    name_column,
    other_language,
    value_label,
)
from .params import ParameterError, check_choice, check_int, check_year_range
from .tables import EVIDENCE_KINDS

__all__ = [
    "JAPAN", "REGIONS", "ORGANISATIONS", "UNKNOWN_REGION",
    "resolve_period", "select_period", "bilateral_rounds", "group_meetings",
    "register_table", "edge_table", "japan_graph", "drop_minor_partners",
    "participation_graph", "co_participation_graph", "partner_table", "rounds_per_year",
    "degree_table", "betweenness", "communities", "measures_table", "regional_coverage",
    "partner_gaps", "region_gaps", "gap_list", "gap_text",
    "period_label", "summary", "summary_text", "empty_note",
    "register_coverage", "describe_register_coverage", "seed_count_check",
    "describe_seed_counts", "COVERAGE_COLUMNS", "COMPLETE", "MINIMUM", "UNDATED",
]

JAPAN = "JPN"
REGIONS = ("African", "Asia-Pacific", "Eastern European", "Latin American and Caribbean",
           "Western European and Others")
ORGANISATIONS = "Organisations"
UNKNOWN_REGION = "Unknown"
VENUES = ("japan", "abroad", "video", "unknown")

REGISTER_COLUMNS = ("meeting_id", "date_start", "year", "format", "track", "counterparts",
                    "city", "host", "weak")
COUNTERPART_COLUMNS = ("code", "kind", "name_en", "name_ja", "un_regional_group")

# --- selection ---------------------------------------------------------------------------
def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    """Raise DataError naming the first column of ``columns`` missing from ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(what, None, missing[0], f"a column {missing[0]!r}", "no such column")


def resolve_period(register: pd.DataFrame, start_year: int | None = None,
                   end_year: int | None = None) -> tuple[int, int]:
    """Check a period and fill an open end with the register's first or last dated year.

    Raises ParameterError when a year is not a year, when ``end_year < start_year``, or
    when an end is open and the register has no dated meeting to fill it.

    >>> reg = pd.DataFrame({"year": pd.array([2006, 2009, None], dtype="Int64")})
    >>> resolve_period(reg, None, 2007)
    (2006, 2007)
    >>> resolve_period(reg, 2008, 2007)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.params.ParameterError: parameter end_year: expected a year >= start_year (2008), ...
    """
    s, e = check_year_range(start_year, end_year)
    years = register["year"].dropna() if "year" in register.columns else pd.Series([])
    if s is None:
        if years.empty:
            raise ParameterError("start_year", "a year (the register has no dated meeting)",
                                 start_year)
        s = int(years.min()) if e is None else min(int(years.min()), e)
    if e is None:
        if years.empty:
            raise ParameterError("end_year", "a year (the register has no dated meeting)",
                                 end_year)
        e = max(int(years.max()), s)
    return s, e


def select_period(register: pd.DataFrame, start_year: int | None = None,
                  end_year: int | None = None) -> pd.DataFrame:
    """Meetings whose year lies in ``[start_year, end_year]``, sorted by date and id.

    Undated meetings are left out. Raises ParameterError for a bad period; an empty
    period gives an empty frame with the register's columns.

    >>> reg = pd.DataFrame({"meeting_id": ["C2", "C1", "C3"],
    ...                     "date_start": pd.to_datetime(["2007-05-01", "2006-01-02", None]),
    ...                     "year": pd.array([2007, 2006, None], dtype="Int64")})
    >>> select_period(reg, 2006, 2007)["meeting_id"].tolist()
    ['C1', 'C2']
    >>> len(select_period(reg, 1990, 1991))
    0
    """
    s, e = check_year_range(start_year, end_year)
    _require(register, ("meeting_id", "date_start", "year"), "register")
    year = register["year"]
    keep = year.notna()
    if s is not None:
        keep &= (year >= s).fillna(False)
    if e is not None:
        keep &= (year <= e).fillna(False)
    out = register[keep.astype(bool)]
    return out.sort_values(["date_start", "meeting_id"], ignore_index=True)


def _venue(host: pd.Series) -> pd.Series:
    """'japan' (host JPN), 'video' (VTC), 'abroad' (another host), 'unknown' (no host)."""
    host = host.astype("string")
    venue = np.select([host.eq("JPN").fillna(False), host.eq("VTC").fillna(False),
                       host.notna()], ["japan", "video", "abroad"], "unknown")
    return pd.Series(venue, index=host.index, dtype="string")


def bilateral_rounds(register: pd.DataFrame, start_year: int | None = None,
                     end_year: int | None = None) -> pd.DataFrame:
    """Bilateral rounds of the period, one row per round, with ``code`` and ``venue``.

    ``code`` is the partner (the EU troika working group is a round with ``EU``);
    ``venue`` is ``japan``, ``abroad``, ``video`` or ``unknown`` from ``host``. Raises
    ParameterError for a bad period and DataError when a register column is missing.

    >>> from analysis.data import load_consultations
    >>> r = bilateral_rounds(load_consultations(), 2006, 2007)
    >>> len(r), int((r["code"] == "EU").sum()), int(r["weak"].sum())
    (22, 3, 19)
    """
    _require(register, REGISTER_COLUMNS, "register")
    rows = select_period(register, start_year, end_year)
    rows = rows[rows["format"].astype("string").eq("bilateral").fillna(False)].copy()
    rows["code"] = rows["counterparts"].astype("string").str.split(";")
    rows = rows.explode("code", ignore_index=True)
    rows["code"] = rows["code"].astype("string")
    rows["venue"] = _venue(rows["host"])
    rows["weak"] = rows["weak"].astype(bool)
    return rows.sort_values(["date_start", "meeting_id", "code"], ignore_index=True)


def group_meetings(register: pd.DataFrame, start_year: int | None = None,
                   end_year: int | None = None) -> pd.DataFrame:
    """Trilateral and multilateral meetings of the period, one row per meeting.

    Raises ParameterError for a bad period.

    >>> from analysis.data import load_consultations
    >>> group_meetings(load_consultations(), 2006, 2007)["meeting_id"].tolist()
    ['C023', 'C024', 'C025', 'C084']
    """
    _require(register, REGISTER_COLUMNS, "register")
    rows = select_period(register, start_year, end_year)
    return rows[~rows["format"].astype("string").eq("bilateral").fillna(False)
                ].reset_index(drop=True)


def _names(counterparts: pd.DataFrame) -> pd.DataFrame:
    """Counterpart table indexed by code with kind, names and region (organisations
    grouped apart, missing groups as 'Unknown')."""
    _require(counterparts, COUNTERPART_COLUMNS, "counterparts")
    cp = counterparts.drop_duplicates("code").set_index("code")
    region = cp["un_regional_group"].astype("string")
    kind = cp["kind"].astype("string")
    region = region.where(kind.ne("organisation").fillna(True), ORGANISATIONS)
    out = pd.DataFrame({"kind": kind, "name_en": cp["name_en"].astype("string"),
                        "name_ja": cp["name_ja"].astype("string"),
                        "region": region.fillna(UNKNOWN_REGION)})
    out.index = out.index.astype("string")
    return out


def _attach_names(codes: pd.Series, counterparts: pd.DataFrame) -> pd.DataFrame:
    """kind, name_en, name_ja, region for each code; unknown codes keep the code as name."""
    names = _names(counterparts).reindex(pd.Index(codes.astype("string")))
    names["kind"] = names["kind"].fillna("state")
    names["name_en"] = names["name_en"].fillna(pd.Series(codes.to_numpy(), index=names.index))
    names["name_ja"] = names["name_ja"].fillna(names["name_en"])
    names["region"] = names["region"].fillna(UNKNOWN_REGION)
    return names.reset_index(drop=True).set_axis(codes.index)


def register_table(register: pd.DataFrame, counterparts: pd.DataFrame,
                   start_year: int | None = None, end_year: int | None = None, *,
                   include_multilateral: bool = True, lang: str = "en") -> pd.DataFrame:
    """The meetings of the period as a display table, sorted by date then id.

    Columns: ``date`` (as recorded, precision kept), ``meeting_id``, ``format``,
    ``track``, ``counterparts`` (names in ``lang``), ``city``, ``venue``,
    ``participants_complete``, ``verification_status`` and ``weak`` (True marks a weakly
    verified row, kept in every count); codes stay codes (show them to a reader with
    :func:`analysis.labels.display_frame`). Raises ParameterError for a bad period.

    >>> from analysis.data import load_consultations, load_counterparts
    >>> tab = register_table(load_consultations(), load_counterparts(), 2006, 2006,
    ...                      include_multilateral=False)
    >>> tab[["meeting_id", "counterparts", "weak"]].head(2).to_numpy().tolist()
    [['C001', 'Russia', True], ['C002', 'India', False]]
    """
    rows = select_period(register, start_year, end_year)
    _require(rows, REGISTER_COLUMNS, "register")
    if not include_multilateral:
        rows = rows[rows["format"].astype("string").eq("bilateral").fillna(False)]
    long = rows[["meeting_id", "counterparts"]].copy()
    long["code"] = long["counterparts"].astype("string").str.split(";")
    long = long.explode("code")
    long = long[long["code"].notna()]  # a meeting whose source names no participant
    long["name"] = _attach_names(long["code"], counterparts)[name_column(lang)]
    names = long.groupby("meeting_id", sort=False)["name"].agg(", ".join)
    date = (rows["date"] if "date" in rows.columns
            else rows["date_start"].dt.strftime("%Y-%m-%d"))
    complete = (rows["participants_complete"] if "participants_complete" in rows.columns
                else pd.Series(True, index=rows.index))
    status = (rows["verification_status"] if "verification_status" in rows.columns
              else pd.Series(pd.NA, index=rows.index))
    out = pd.DataFrame({
        "date": date.astype("string"),
        "meeting_id": rows["meeting_id"].astype("string"),
        "format": rows["format"].astype("string"),
        "track": rows["track"].astype("string"),
        "counterparts": rows["meeting_id"].map(names).astype("string"),
        "city": rows["city"].astype("string"),
        "venue": _venue(rows["host"]),
        "participants_complete": complete.astype("boolean"),
        "verification_status": status.astype("string"),
        "weak": rows["weak"].astype(bool),
    })
    return out.reset_index(drop=True)


#: coded columns of the network tables and the label namespace of their values
CODED_COLUMNS = {"format": "value.format", "track": "value.track", "venue": "value.venue",
                 "verification_status": "value.verification", "region": "value.region",
                 "completeness": "value.completeness", "verdict": "value.verdict"}


def for_display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of a network table for the reader: coded values and headers in ``lang``
    (:data:`CODED_COLUMNS`), and of two name columns only the one in ``lang``.

    >>> f = pd.DataFrame({"name_en": ["Egypt"], "name_ja": ["エジプト"], "format": ["bilateral"]})
    >>> for_display(f, "ja").to_dict("records")
    [{'名称': 'エジプト', '形式': '二国間'}]
    """
    own, other = name_column(lang), name_column(other_language(lang))
    out = frame.drop(columns=[other]) if own in frame.columns and other in frame.columns \
        else frame
    if out.index.name in CODED_COLUMNS:  # e.g. the regional coverage, indexed by region
        out = out.reset_index()
    return display_frame(out, lang, "network", CODED_COLUMNS)


# --- graphs ------------------------------------------------------------------------------
def _iso(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m-%d").astype("string")


def _join_sorted(values: pd.Series) -> str:
    return ";".join(sorted(set(values.dropna().astype(str))))


def edge_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """Aggregate bilateral rounds (from :func:`bilateral_rounds`) to one row per partner.

    Columns: ``code``, ``weight`` and ``rounds`` (number of rounds), ``first`` and
    ``last`` (ISO dates of the first and last round), ``start``/``end`` (the same, for
    Gephi's timeline; ``end`` is the last day of the last round), ``cities`` (sorted,
    ';'-joined), ``rounds_japan``, ``rounds_abroad``, ``rounds_video``,
    ``rounds_host_unknown``, ``weak_rounds``, ``meetings`` and ``tracks`` (';'-joined).
    Sorted by code; an empty input gives an empty frame with these columns.

    >>> from analysis.data import load_consultations
    >>> e = edge_table(bilateral_rounds(load_consultations(), 2006, 2007)).set_index("code")
    >>> e.loc["AUS", ["rounds", "first", "last", "cities"]].to_dict()
    {'rounds': 2, 'first': '2006-08-25', 'last': '2007-07-26', 'cities': 'Canberra;Tokyo'}
    >>> e.loc["AUS", ["rounds_japan", "rounds_abroad", "weak_rounds"]].to_dict()
    {'rounds_japan': 1, 'rounds_abroad': 1, 'weak_rounds': 2}
    """
    _require(rounds, ("code", "meeting_id", "date_start", "city", "venue", "weak", "track"),
             "rounds")
    r = rounds.assign(**{f"_v_{v}": rounds["venue"].eq(v).astype(int) for v in VENUES})
    r["_end"] = (r["date_end"].fillna(r["date_start"]) if "date_end" in r.columns
                 else r["date_start"])
    g = r.groupby("code", sort=True)
    out = pd.DataFrame({
        "rounds": g.size(),
        "first": _iso(g["date_start"].min()),
        "last": _iso(g["date_start"].max()),
        "end": _iso(g["_end"].max()),
        "cities": g["city"].agg(_join_sorted),
        "rounds_japan": g["_v_japan"].sum(),
        "rounds_abroad": g["_v_abroad"].sum(),
        "rounds_video": g["_v_video"].sum(),
        "rounds_host_unknown": g["_v_unknown"].sum(),
        "weak_rounds": g["weak"].sum(),
        "meetings": g["meeting_id"].agg(_join_sorted),
        "tracks": g["track"].agg(_join_sorted),
    })
    out.index.name = "code"
    out = out.reset_index()
    out.insert(1, "weight", out["rounds"])
    out["start"] = out["first"]
    cols = ["code", "weight", "rounds", "first", "last", "start", "end", "cities",
            "rounds_japan", "rounds_abroad", "rounds_video", "rounds_host_unknown",
            "weak_rounds", "meetings", "tracks"]
    int_cols = ["weight", "rounds", "rounds_japan", "rounds_abroad", "rounds_video",
                "rounds_host_unknown", "weak_rounds"]
    out = out.reindex(columns=cols)
    out[int_cols] = out[int_cols].astype("int64")
    str_cols = [c for c in cols if c not in int_cols]
    out[str_cols] = out[str_cols].astype(object)
    return out


def _period_attrs(start_year: int | None, end_year: int | None) -> dict[str, object]:
    attrs: dict[str, object] = {"mode": "dynamic"}
    if start_year is not None:
        attrs["start_year"] = int(start_year)
    if end_year is not None:
        attrs["end_year"] = int(end_year)
    return attrs


def japan_graph(register: pd.DataFrame, counterparts: pd.DataFrame,
                start_year: int | None = None, end_year: int | None = None) -> nx.Graph:
    """Japan-centred graph of bilateral partners in ``[start_year, end_year]``.

    Nodes: ``JPN`` and each partner, with ``kind``, ``label`` (English name), ``name_en``,
    ``name_ja``, ``region`` (UN regional group; organisations ``Organisations``; codes
    without a group ``Unknown``), ``rounds``, ``weak_rounds``, ``first``/``last`` and
    ``start``/``end`` (ISO dates). Edges ``JPN - partner`` carry the columns of
    :func:`edge_table`, ``weight`` = rounds. Graph attributes: ``mode='dynamic'``,
    ``start_year``, ``end_year``. An empty period gives a graph with no nodes. Raises
    ParameterError for a bad period and DataError when a column is missing.

    >>> from analysis.data import load_consultations, load_counterparts
    >>> g = japan_graph(load_consultations(), load_counterparts(), 2006, 2007)
    >>> g.number_of_nodes(), g.number_of_edges(), g.nodes["AUS"]["name_ja"]
    (16, 15, 'オーストラリア')
    >>> japan_graph(load_consultations(), load_counterparts(), 1990, 1991).number_of_nodes()
    0
    """
    s, e = check_year_range(start_year, end_year)
    graph = nx.Graph(name="Japan's bilateral disarmament and non-proliferation consultations",
                     **_period_attrs(s, e))
    edges = edge_table(bilateral_rounds(register, s, e))
    if edges.empty:
        return graph
    names = _attach_names(edges["code"], counterparts)
    nodes = pd.concat([edges[["code", "rounds", "weak_rounds", "first", "last", "start",
                              "end"]], names], axis=1)
    nodes["label"] = nodes["name_en"]
    nodes = nodes.astype({c: object for c in ("kind", "name_en", "name_ja", "region",
                                              "label")})
    japan = _attach_names(pd.Series([JAPAN]), counterparts).iloc[0].to_dict()
    graph.add_node(JAPAN, **{k: str(v) for k, v in japan.items()}, label=str(japan["name_en"]),
                   rounds=int(edges["rounds"].sum()), weak_rounds=int(edges["weak_rounds"].sum()),
                   first=min(edges["first"]), last=max(edges["last"]),
                   start=min(edges["start"]), end=max(edges["end"]))
    graph.add_nodes_from(nodes.set_index("code").to_dict("index").items())
    attrs = edges.set_index("code").to_dict("index")
    graph.add_edges_from((JAPAN, code, data) for code, data in attrs.items())
    return graph


def drop_minor_partners(graph: nx.Graph, min_rounds: int = 1) -> nx.Graph:
    """Copy of a Japan-centred graph without partners of fewer than ``min_rounds`` rounds.

    ``JPN`` keeps its node attributes except ``rounds``/``weak_rounds``, recomputed from
    the edges left; with no partner left the graph is empty. Raises ParameterError when
    ``min_rounds`` is not an integer >= 1.

    >>> g = nx.Graph()
    >>> g.add_edge("JPN", "AUS", weight=2, weak_rounds=1)
    >>> g.add_edge("JPN", "NZL", weight=1, weak_rounds=0)
    >>> sorted(drop_minor_partners(g, 2).nodes)
    ['AUS', 'JPN']
    """
    check_int("min_rounds", min_rounds, minimum=1)
    out = graph.copy()
    minor = [n for n in out.nodes if n != JAPAN
             and out.degree(n, weight="weight") < min_rounds]
    out.remove_nodes_from(minor)
    if JAPAN in out and out.degree(JAPAN) == 0:
        out.remove_node(JAPAN)
    if JAPAN in out:
        out.nodes[JAPAN]["rounds"] = int(out.degree(JAPAN, weight="weight"))
        out.nodes[JAPAN]["weak_rounds"] = int(out.degree(JAPAN, weight="weak_rounds"))
    return out


def participation_graph(register: pd.DataFrame, counterparts: pd.DataFrame,
                        start_year: int | None = None, end_year: int | None = None, *,
                        by: str = "meeting") -> nx.Graph:
    """Bipartite graph of states/organisations and trilateral/multilateral meetings.

    ``by='meeting'``: one node per meeting (``bipartite=1``; id = ``meeting_id``, with
    ``track``, ``format``, ``label``, ``date``, ``start``/``end``, ``city``,
    ``participants_complete``, ``weak``); edges state - meeting with ``weight=1``.
    ``by='format'``: one node per format (``track``: ASTOP, NPDI_ministerial, ...) with
    ``meetings`` and ``incomplete_meetings``; edge ``weight`` = meetings attended.
    State/organisation nodes (``bipartite=0``) carry names, ``region``, ``meetings``
    (meetings attended) and ``incomplete_meetings`` (of them, with an incomplete list).
    Japan is in every meeting and is not a node. Empty period: empty graph. Raises
    ParameterError for a bad period or ``by``.

    >>> from analysis.data import load_consultations, load_counterparts
    >>> b = participation_graph(load_consultations(), load_counterparts(), 2006, 2007)
    >>> sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == 1)
    ['C023', 'C024', 'C025', 'C084']
    >>> b.degree("AUS"), b.degree("C025")
    (3, 7)
    """
    check_choice("by", by, ("meeting", "format"))
    s, e = check_year_range(start_year, end_year)
    graph = nx.Graph(name="Participation in trilateral and multilateral meetings",
                     by=by, **_period_attrs(s, e))
    rows = group_meetings(register, s, e)
    if rows.empty:
        return graph
    rows = rows.set_index(rows["meeting_id"].astype(str).rename("node"))
    complete = (rows["participants_complete"].astype("boolean").fillna(True).astype(bool)
                if "participants_complete" in rows.columns
                else pd.Series(True, index=rows.index))
    rows["complete"] = complete
    rows["start"] = _iso(rows["date_start"])
    end = rows["date_end"].fillna(rows["date_start"]) if "date_end" in rows else rows[
        "date_start"]
    rows["end"] = _iso(end)
    long = rows.reset_index(drop=True)
    long = long.assign(code=long["counterparts"].astype("string").str.split(";"))
    long = long.explode("code", ignore_index=True)
    long["code"] = long["code"].astype("string")
    key = "meeting_id" if by == "meeting" else "track"
    long["group"] = long[key].astype(str)
    long["incomplete"] = (~long["complete"]).astype(int)

    # group nodes (bipartite=1)
    if by == "meeting":
        label = rows["name_en"] if "name_en" in rows.columns else rows["meeting_id"]
        groups = pd.DataFrame({
            "kind": "meeting", "bipartite": 1, "track": rows["track"].astype(str),
            "format": rows["format"].astype(str), "label": label.astype(str),
            "date": rows["start"].astype(str), "start": rows["start"].astype(str),
            "end": rows["end"].astype(str),
            "city": rows["city"].astype("string").fillna("").astype(str),
            "participants_complete": rows["complete"].astype(bool),
            "weak": rows["weak"].astype(bool),
        })
    else:
        g = rows.groupby(rows["track"].astype(str), sort=True)
        groups = pd.DataFrame({
            "kind": "format", "bipartite": 1, "label": g.size().index.astype(str),
            "meetings": g.size().astype("int64"),
            "incomplete_meetings": g["complete"].agg(lambda c: int((~c).sum())),
            "weak_meetings": g["weak"].sum().astype("int64"),
            "start": g["start"].min().astype(str), "end": g["end"].max().astype(str),
        })
    groups = groups.astype({c: object for c in groups.columns
                            if groups[c].dtype.kind not in "biu"})

    # member nodes (bipartite=0)
    m = long.groupby("code", sort=True)
    members = pd.DataFrame({
        "meetings": m.size().astype("int64"),
        "incomplete_meetings": m["incomplete"].sum().astype("int64"),
        "start": m["start"].min().astype(str), "end": m["end"].max().astype(str),
    })
    names = _attach_names(pd.Series(members.index, index=members.index), counterparts)
    members = pd.concat([names, members], axis=1)
    members["label"] = members["name_en"]
    members["bipartite"] = 0
    members = members.astype({c: object for c in ("kind", "name_en", "name_ja", "region",
                                                  "label")})

    # edges
    e_ = long.groupby(["code", "group"], sort=True)
    edges = pd.DataFrame({"weight": e_.size().astype("int64"),
                          "start": e_["start"].min().astype(str),
                          "end": e_["end"].max().astype(str),
                          "incomplete_meetings": e_["incomplete"].sum().astype("int64")})
    graph.add_nodes_from(members.to_dict("index").items())
    graph.add_nodes_from(groups.to_dict("index").items())
    graph.add_edges_from((str(c), str(gr), d) for (c, gr), d in edges.to_dict("index").items())
    return graph


def co_participation_graph(participation: nx.Graph) -> nx.Graph:
    """Weighted projection of a participation graph onto its states and organisations.

    Edge ``weight`` = number of meetings (or formats, for a graph built ``by='format'``)
    both attended (:func:`networkx.algorithms.bipartite.weighted_projected_graph`).
    Node attributes are copied, so ``meetings`` gives each node's own count. An empty
    graph gives an empty graph.

    >>> b = nx.Graph()
    >>> b.add_nodes_from(["AUS", "USA", "CHN"], bipartite=0)
    >>> b.add_nodes_from(["M1", "M2"], bipartite=1)
    >>> b.add_edges_from([("AUS", "M1"), ("USA", "M1"), ("AUS", "M2"), ("USA", "M2"),
    ...                   ("CHN", "M2")])
    >>> p = co_participation_graph(b)
    >>> p["AUS"]["USA"]["weight"], p["AUS"]["CHN"]["weight"]
    (2, 1)
    """
    members = [n for n, d in participation.nodes(data=True) if d.get("bipartite") == 0]
    if not members:
        projected = nx.Graph()
    else:
        projected = nx_bipartite.weighted_projected_graph(participation, members)
    projected.graph.update({k: v for k, v in participation.graph.items() if k != "name"})
    projected.graph["name"] = "Co-participation of states and organisations"
    return projected


# --- measures ----------------------------------------------------------------------------
PARTNER_COLUMNS = ["code", "name_en", "name_ja", "kind", "region", "rounds", "weak_rounds",
                   "rounds_japan", "rounds_abroad", "rounds_video", "rounds_host_unknown",
                   "first", "last", "cities"]


def partner_table(graph: nx.Graph) -> pd.DataFrame:
    """Rounds per partner from a Japan-centred graph, most rounds first (then by code).

    >>> g = nx.Graph()
    >>> g.add_node("AUS", name_en="Australia", name_ja="オーストラリア", kind="state",
    ...            region="Western European and Others")
    >>> g.add_edge("JPN", "AUS", rounds=2, weak_rounds=1, rounds_japan=1, rounds_abroad=1,
    ...            rounds_video=0, rounds_host_unknown=0, first="2006-08-25",
    ...            last="2007-07-26", cities="Canberra;Tokyo")
    >>> partner_table(g)[["code", "rounds", "weak_rounds"]].to_dict("records")
    [{'code': 'AUS', 'rounds': 2, 'weak_rounds': 1}]
    """
    if JAPAN not in graph:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith(("rounds", "weak"))
                                          else object) for c in PARTNER_COLUMNS})
    rows = [{"code": str(p), **{k: graph.nodes[p].get(k) for k in
                                ("name_en", "name_ja", "kind", "region")},
             **graph.edges[JAPAN, p]} for p in graph.neighbors(JAPAN)]
    out = pd.DataFrame(rows).reindex(columns=PARTNER_COLUMNS)
    return out.sort_values(["rounds", "code"], ascending=[False, True], ignore_index=True)


def rounds_per_year(register: pd.DataFrame, start_year: int | None = None,
                    end_year: int | None = None) -> pd.DataFrame:
    """Per year of the period: bilateral ``rounds``, ``weak_rounds``, distinct
    ``partners`` and ``group_meetings`` (trilateral/multilateral); every year of the
    period has a row (zeros included). Raises ParameterError for a bad period.

    >>> from analysis.data import load_consultations
    >>> rounds_per_year(load_consultations(), 2006, 2007).to_dict("index")[2007]
    {'rounds': 11, 'weak_rounds': 9, 'partners': 10, 'group_meetings': 2}
    """
    s, e = resolve_period(register, start_year, end_year)
    years = pd.RangeIndex(s, e + 1, name="year")
    bil = bilateral_rounds(register, s, e)
    grp = group_meetings(register, s, e)
    by = bil.groupby(bil["year"].astype("int64"))
    out = pd.DataFrame({
        "rounds": by.size(),
        "weak_rounds": by["weak"].sum(),
        "partners": by["code"].nunique(),
        "group_meetings": grp.groupby(grp["year"].astype("int64")).size(),
    }).reindex(years).fillna(0).astype("int64")
    out.index.name = "year"
    return out


def degree_table(graph: nx.Graph, weight: str = "weight") -> pd.DataFrame:
    """``degree`` and ``weighted_degree`` (sum of ``weight``) per node, sorted by node.

    >>> g = nx.Graph([("JPN", "AUS", {"weight": 2}), ("JPN", "NZL", {"weight": 1})])
    >>> degree_table(g).to_dict("index")["JPN"]
    {'degree': 2, 'weighted_degree': 3}
    """
    nodes = sorted(graph.nodes, key=str)
    return pd.DataFrame({
        "degree": pd.Series(dict(graph.degree(nodes)), dtype="int64"),
        "weighted_degree": pd.Series(dict(graph.degree(nodes, weight=weight)),
                                     dtype="int64"),
    }, index=pd.Index(nodes, name="node", dtype=object))


def betweenness(graph: nx.Graph) -> pd.Series:
    """Normalised betweenness centrality per node (unweighted shortest paths: co-
    participation weights are strengths, not distances), sorted by node.

    >>> g = nx.path_graph(["AUS", "USA", "CHN"])
    >>> betweenness(g).to_dict()
    {'AUS': 0.0, 'CHN': 0.0, 'USA': 1.0}
    """
    values = nx.betweenness_centrality(graph, normalized=True, weight=None)
    nodes = sorted(graph.nodes, key=str)
    return pd.Series([values[n] for n in nodes], index=pd.Index(nodes, name="node",
                                                                dtype=object),
                     name="betweenness", dtype="float64")


def communities(graph: nx.Graph, seed: int = 42) -> pd.Series:
    """Community number per node from Louvain (``weight``; seeded, so reproducible).

    Communities are numbered from 1, largest first (ties: by smallest member); isolated
    nodes form their own community. Raises ParameterError when ``seed`` is not an
    integer >= 0.

    >>> g = nx.Graph([("A", "B", {"weight": 3}), ("C", "D", {"weight": 3}),
    ...               ("B", "C", {"weight": 1})])
    >>> communities(g, seed=1).to_dict()
    {'A': 1, 'B': 1, 'C': 2, 'D': 2}
    """
    check_int("seed", seed, minimum=0)
    if graph.number_of_nodes() == 0:
        return pd.Series([], index=pd.Index([], name="node", dtype=object), dtype="int64",
                         name="community")
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted((sorted(map(str, c)) for c in found), key=lambda c: (-len(c), c[0]))
    number = {n: i for i, c in enumerate(ordered, start=1) for n in c}
    nodes = sorted(graph.nodes, key=str)
    return pd.Series([number[str(n)] for n in nodes], index=pd.Index(nodes, name="node",
                                                                     dtype=object),
                     dtype="int64", name="community")


def measures_table(japan: nx.Graph, projection: nx.Graph | None = None,
                   seed: int = 42) -> pd.DataFrame:
    """One row per state/organisation: bilateral degree and rounds (Japan-centred graph),
    and, when a co-participation graph is given, its degree, weighted degree,
    betweenness and community. Sorted by bilateral rounds (desc), then code.

    >>> g = nx.Graph([("JPN", "AUS", {"weight": 2}), ("JPN", "NZL", {"weight": 1})])
    >>> measures_table(g)[["code", "degree", "rounds"]].to_numpy().tolist()
    [['JPN', 2, 3], ['AUS', 1, 2], ['NZL', 1, 1]]
    """
    out = degree_table(japan).rename(columns={"weighted_degree": "rounds"})
    if projection is not None:
        proj = degree_table(projection).rename(columns={"degree": "co_degree",
                                                        "weighted_degree": "co_weighted_degree"})
        proj["betweenness"] = betweenness(projection)
        proj["community"] = communities(projection, seed)
        out = out.join(proj, how="outer")
    attrs = {n: d for g in (projection, japan) if g is not None for n, d in g.nodes(data=True)}
    names = pd.DataFrame.from_dict(attrs, orient="index").reindex(
        index=out.index, columns=["name_en", "name_ja", "region"]).astype(object)
    names["name_en"] = names["name_en"].fillna(pd.Series(out.index, index=out.index))
    names["name_ja"] = names["name_ja"].fillna(names["name_en"])
    names["region"] = names["region"].fillna(UNKNOWN_REGION)
    out = pd.concat([names.astype(object), out], axis=1)
    out[["degree", "rounds"]] = out[["degree", "rounds"]].fillna(0).astype("int64")
    for col in ("co_degree", "co_weighted_degree", "community"):
        if col in out.columns:
            out[col] = out[col].astype("Int64")
    out.index.name = "code"
    out = out.reset_index()
    return out.sort_values(["rounds", "code"], ascending=[False, True], ignore_index=True)


def _region_order() -> list[str]:
    return [*REGIONS, ORGANISATIONS, UNKNOWN_REGION]


def regional_coverage(japan: nx.Graph, participation: nx.Graph | None = None
                      ) -> pd.DataFrame:
    """Partners and rounds per UN regional group (organisations apart), every group
    listed (zeros included; 'Unknown' only when some code has no group).

    Columns: ``partners`` and ``rounds`` (bilateral, from the Japan-centred graph);
    with a participation graph also ``group_members`` (states/organisations met in
    trilateral/multilateral meetings) and ``group_participations`` (their attendances).

    >>> g = nx.Graph([("JPN", "AUS", {"weight": 2})])
    >>> g.nodes["AUS"]["region"] = "Western European and Others"
    >>> regional_coverage(g)["rounds"].to_dict()["Western European and Others"]
    2
    >>> int(regional_coverage(g).loc["African", "partners"])
    0
    """
    partners = [(d.get("region", UNKNOWN_REGION), int(japan.degree(n, weight="weight")))
                for n, d in japan.nodes(data=True) if n != JAPAN]
    bil = pd.DataFrame(partners, columns=["region", "rounds"])
    out = pd.DataFrame({"partners": bil.groupby("region").size(),
                        "rounds": bil.groupby("region")["rounds"].sum()})
    if participation is not None:
        members = [(d.get("region", UNKNOWN_REGION), int(participation.degree(n, weight="weight")))
                   for n, d in participation.nodes(data=True) if d.get("bipartite") == 0]
        grp = pd.DataFrame(members, columns=["region", "participations"])
        out = out.join(pd.DataFrame({
            "group_members": grp.groupby("region").size(),
            "group_participations": grp.groupby("region")["participations"].sum()}),
            how="outer")
    order = _region_order()
    if UNKNOWN_REGION not in out.index:
        order.remove(UNKNOWN_REGION)
    out = out.reindex(order).fillna(0).astype("int64")
    out.index.name = "region"
    return out


def _window(end_year: int, gap_years: int) -> tuple[int, int]:
    check_int("gap_years", gap_years, minimum=1)
    return end_year - gap_years + 1, end_year


def partner_gaps(register: pd.DataFrame, counterparts: pd.DataFrame,
                 start_year: int | None = None, end_year: int | None = None,
                 gap_years: int = 3) -> pd.DataFrame:
    """Partners met bilaterally in the period before its last ``gap_years`` years but not
    in them (the window ``[end_year - gap_years + 1, end_year]``).

    Columns: ``code``, ``name_en``, ``name_ja``, ``region``, ``rounds`` (before the
    window), ``last`` (ISO date of the last round), ``years_since`` (``end_year`` minus the
    year of that round). Sorted by last round, then code. A window covering the whole
    period gives an empty frame. Raises ParameterError for a bad period or
    ``gap_years`` < 1.

    >>> from analysis.data import load_consultations, load_counterparts
    >>> reg, cp = load_consultations(), load_counterparts()
    >>> partner_gaps(reg, cp, 2006, 2007, gap_years=1)["code"].tolist()
    ['IND', 'ISR', 'EGY', 'FRA', 'DEU']
    """
    s, e = resolve_period(register, start_year, end_year)
    w0, _ = _window(e, gap_years)
    rounds = bilateral_rounds(register, s, e)
    recent = rounds["year"] >= w0
    before = rounds[~recent & ~rounds["code"].isin(rounds.loc[recent, "code"])]
    g = before.groupby("code", sort=True)
    out = pd.DataFrame({"rounds": g.size().astype("int64"),
                        "last": g["date_start"].max()})
    out.index.name = "code"
    out = out.reset_index()
    names = _attach_names(out["code"], counterparts)
    out = pd.concat([out[["code"]], names[["name_en", "name_ja", "region"]],
                     out[["rounds", "last"]]], axis=1)
    out["years_since"] = (e - out["last"].dt.year).astype("int64")
    out = out.sort_values(["last", "code"], ignore_index=True)
    out["last"] = _iso(out["last"]).astype(object)
    out["code"] = out["code"].astype(object)
    return out


def region_gaps(register: pd.DataFrame, counterparts: pd.DataFrame,
                start_year: int | None = None, end_year: int | None = None,
                gap_years: int = 3) -> list[str]:
    """UN regional groups with no bilateral round in the period's last ``gap_years``
    years (window clipped to the period), in the fixed order of :data:`REGIONS`.
    Raises ParameterError for a bad period or ``gap_years`` < 1.

    >>> from analysis.data import load_consultations, load_counterparts
    >>> region_gaps(load_consultations(), load_counterparts(), 2006, 2007)
    ['Latin American and Caribbean']
    """
    s, e = resolve_period(register, start_year, end_year)
    w0, _ = _window(e, gap_years)
    rounds = bilateral_rounds(register, max(s, w0), e)
    met = set(_attach_names(rounds["code"], counterparts)["region"])
    return [r for r in REGIONS if r not in met]


def gap_list(partners: pd.DataFrame, regions: list[str]) -> list[dict[str, object]]:
    """The gaps as a JSON-ready list: partner gaps, then region gaps.

    >>> gaps = gap_list(pd.DataFrame({"code": ["RUS"], "region": ["Eastern European"],
    ...                               "rounds": [2], "last": ["2007-08-30"],
    ...                               "years_since": [3]}), ["African"])
    >>> gaps[0]["code"], gaps[0]["years_since"], gaps[1]
    ('RUS', 3, {'kind': 'region', 'region': 'African'})
    """
    cols = ["code", "region", "rounds", "last", "years_since"]
    items = [{"kind": "partner", **rec} for rec in partners[cols].to_dict("records")]
    return items + [{"kind": "region", "region": r} for r in regions]


def gap_text(partners: pd.DataFrame, regions: list[str], start_year: int, end_year: int,
             gap_years: int, lang: str = "en") -> list[str]:
    """The gaps as sentences in ``lang``: one per lapsed partner and per region with no
    round in the window, or a sentence saying there is none (and why).

    Raises ParameterError for a bad ``gap_years``.

    >>> lines = gap_text(pd.DataFrame(columns=["code"]), ["Latin American and Caribbean"],
    ...                  2006, 2007, 3)
    >>> lines[-1]
    'Latin American and Caribbean: no bilateral round in 2006-2007.'
    """
    w0, w1 = _window(end_year, gap_years)
    period = period_label(start_year, end_year)
    window = period_label(max(start_year, w0), w1)
    if w0 <= start_year:
        lines = [fmt("network.text.window_covers_period", lang, gap_years=gap_years,
                     window=window, period=period)]
    elif partners.empty:
        lines = [fmt("network.text.no_partner_gaps", lang, period=period, window=window)]
    else:
        frame = partners.assign(name=partners[name_column(lang)])
        lines = [fmt("network.text.gap_partner", lang, name=r["name"], code=r["code"],
                     region=value_label(r["region"], "value.region", lang),
                     rounds=r["rounds"], last=r["last"], window=window,
                     before=period_label(start_year, w0 - 1))
                 for r in frame.to_dict("records")]
    if regions:
        lines += [fmt("network.text.gap_region", lang,
                      region=value_label(r, "value.region", lang), window=window)
                  for r in regions]
    else:
        lines.append(fmt("network.text.no_region_gaps", lang, window=window))
    return lines



# --- text and summary --------------------------------------------------------------------
def period_label(start_year: int, end_year: int) -> str:
    """'2006-2007', or one year when start and end agree.

    >>> period_label(2006, 2007), period_label(2007, 2007)
    ('2006-2007', '2007')
    """
    return str(start_year) if start_year == end_year else f"{start_year}-{end_year}"


def summary(japan: nx.Graph, coverage: pd.DataFrame, gaps: list[dict[str, object]],
            per_year: pd.DataFrame, participation: nx.Graph | None = None
            ) -> dict[str, object]:
    """The notebook's JSON summary: counts, rounds per counterpart and per group, gaps.

    Keys: ``nodes``, ``edges`` (of the Japan-centred graph), ``rounds``, ``weak_rounds``,
    ``partners``, ``rounds_japan``, ``rounds_abroad``, ``by_counterpart`` ({code: rounds}),
    ``regions`` ({group: rounds}), ``by_year`` ({year: rounds}), ``gaps``, and
    ``group_meetings``/``group_members``/``incomplete_meetings`` (None without a
    participation graph).

    >>> g = nx.Graph([("JPN", "AUS", {"weight": 2, "weak_rounds": 1, "rounds_japan": 1,
    ...                               "rounds_abroad": 1})])
    >>> s = summary(g, regional_coverage(g), [], pd.DataFrame({"rounds": [2]}, index=[2006]))
    >>> s["rounds"], s["by_counterpart"], s["partners"]
    (2, {'AUS': 2}, 1)
    """
    edges = [(v if u == JAPAN else u, d) for u, v, d in japan.edges(data=True)]
    by_counterpart = {str(c): int(d.get("weight", 0)) for c, d in sorted(edges)}
    out: dict[str, object] = {
        "start_year": japan.graph.get("start_year"),
        "end_year": japan.graph.get("end_year"),
        "nodes": japan.number_of_nodes(),
        "edges": japan.number_of_edges(),
        "rounds": sum(by_counterpart.values()),
        "weak_rounds": sum(int(d.get("weak_rounds", 0)) for _, d in edges),
        "rounds_japan": sum(int(d.get("rounds_japan", 0)) for _, d in edges),
        "rounds_abroad": sum(int(d.get("rounds_abroad", 0)) for _, d in edges),
        "partners": len(by_counterpart),
        "by_counterpart": by_counterpart,
        "regions": {str(k): int(v) for k, v in coverage["rounds"].items()},
        "by_year": {str(k): int(v) for k, v in per_year["rounds"].items()},
        "gaps": gaps,
        "group_meetings": None, "group_members": None, "incomplete_meetings": None,
    }
    if participation is not None:
        groups = [d for _, d in participation.nodes(data=True) if d.get("bipartite") == 1]
        out["group_meetings"] = sum(int(d.get("meetings", 1)) for d in groups)
        out["group_members"] = sum(1 for _, d in participation.nodes(data=True)
                                   if d.get("bipartite") == 0)
        out["incomplete_meetings"] = sum(
            int(d.get("incomplete_meetings", not d.get("participants_complete", True)))
            for d in groups)
    return out


def summary_text(facts: dict[str, object], lang: str = "en") -> str:
    """One or two sentences in ``lang`` stating the summary's numbers.

    >>> print(summary_text({"start_year": 2006, "end_year": 2007, "rounds": 22,
    ...                     "partners": 15, "weak_rounds": 19, "rounds_japan": 13,
    ...                     "rounds_abroad": 9, "group_meetings": None}))
    ... # doctest: +NORMALIZE_WHITESPACE
    2006-2007: 22 bilateral rounds with 15 partners (19 of them weakly verified;
    13 held in Japan, 9 abroad).
    """
    period = period_label(facts["start_year"], facts["end_year"])  # type: ignore[arg-type]
    text = fmt("network.text.summary", lang, period=period, rounds=facts["rounds"],
               partners=facts["partners"], weak=facts["weak_rounds"],
               japan=facts["rounds_japan"], abroad=facts["rounds_abroad"])
    return text if facts.get("group_meetings") is None else text + " " + fmt(
        "network.text.group_summary", lang, meetings=facts["group_meetings"],
        members=facts["group_members"], incomplete=facts["incomplete_meetings"])


def empty_note(register: pd.DataFrame, start_year: int, end_year: int,
               lang: str = "en") -> str | None:
    """A note for a period with no meeting in the register, or None when it has some.

    >>> reg = pd.DataFrame({"meeting_id": ["C1"], "date_start": pd.to_datetime(["2006-01-02"]),
    ...                     "year": pd.array([2006], dtype="Int64")})
    >>> print(empty_note(reg, 1990, 1991))  # doctest: +NORMALIZE_WHITESPACE
    No meetings in the register for 1990-1991 (dated meetings run from 2006 to 2006);
    the tables and figures below are empty.
    >>> empty_note(reg, 2006, 2006) is None
    True
    """
    if not select_period(register, start_year, end_year).empty:
        return None
    years = register["year"].dropna()
    if years.empty:
        return label("network.text.empty_register", lang)
    return fmt("network.text.empty", lang, period=period_label(start_year, end_year),
               first=int(years.min()), last=int(years.max()))


# --- how complete the register is --------------------------------------------------------
#: completeness of a year of the register (``register_coverage``'s ``completeness``)
COMPLETE = "complete_2008_table"
MINIMUM = "minimum"
UNDATED = "undated"
COVERAGE_COLUMNS = ["year", "rows", *EVIDENCE_KINDS, "inferred", "weak", "completeness"]


def register_coverage(register: pd.DataFrame) -> pd.DataFrame:
    """Per year of the register: how many rows, what they rest on, how complete it is.

    One row per year with meetings (``year`` Int64), plus one row with ``year`` NA for the
    undated meetings, if any. ``rows``; one column per evidence kind
    (:data:`analysis.tables.EVIDENCE_KINDS`: ``mofa_2008_table``, ``own_page``,
    ``list_on_other_page``, ``indirect``, ``report``); ``inferred`` (rows whose year,
    month, day, round or counterpart is inferred); ``weak`` (weakly verified rows);
    ``completeness``: ``complete_2008_table`` for a year that MOFA's 2008 table covers
    (any row of the year comes from it: the table lists every director-general-level
    bilateral round of its years), ``minimum`` for the other years (only the meetings
    found in the stored sources), ``undated`` for the undated row. Raises DataError when
    a column is missing.

    >>> reg = pd.DataFrame({"meeting_id": ["C1", "C2", "C3", "C4"],
    ...                     "year": pd.array([2006, 2006, 2009, None], dtype="Int64"),
    ...                     "evidence": ["mofa_2008_table", "own_page", "report", "report"],
    ...                     "inferred": [None, None, "year", None],
    ...                     "weak": [True, False, True, True]})
    >>> cov = register_coverage(reg)
    >>> cov[["year", "rows", "own_page", "inferred", "completeness"]].to_numpy().tolist()
    [[2006, 2, 1, 0, 'complete_2008_table'], [2009, 1, 0, 1, 'minimum'], [<NA>, 1, 0, 0, 'undated']]
    """
    _require(register, ("meeting_id", "year", "evidence"), "register")
    year = register["year"].astype("Int64")
    key = year.fillna(-1).astype("int64").rename("year")
    evidence = register["evidence"].astype("string")
    counts = pd.crosstab(key, evidence).reindex(columns=list(EVIDENCE_KINDS), fill_value=0)
    inferred = (register["inferred"].notna() if "inferred" in register.columns
                else pd.Series(False, index=register.index))
    weak = (register["weak"].astype(bool) if "weak" in register.columns
            else pd.Series(False, index=register.index))
    out = pd.DataFrame({"rows": key.value_counts()})
    out = out.join(counts).join(inferred.groupby(key).sum().rename("inferred")).join(
        weak.groupby(key).sum().rename("weak")).fillna(0).astype("int64")
    out = out.sort_index()
    out = pd.concat([out[out.index >= 0], out[out.index < 0]])
    out["completeness"] = np.select(
        [out.index < 0, out["mofa_2008_table"] > 0], [UNDATED, COMPLETE], MINIMUM
    ).astype(object)
    out.columns.name = None
    out = out.reset_index()
    out["year"] = pd.array(out["year"].where(out["year"] >= 0), dtype="Int64")
    return out[COVERAGE_COLUMNS]


def describe_register_coverage(coverage: pd.DataFrame, lang: str = "en") -> str:
    """One sentence per period of like completeness in a :func:`register_coverage` frame
    (consecutive years with the same ``completeness``), then the undated rows.

    >>> cov = pd.DataFrame({"year": pd.array([2006, 2007, 2008, None], dtype="Int64"),
    ...                     "rows": [13, 12, 1, 1], "mofa_2008_table": [11, 11, 0, 0],
    ...                     "inferred": [0, 0, 0, 1],
    ...                     "completeness": ["complete_2008_table", "complete_2008_table",
    ...                                      "minimum", "undated"]})
    >>> print(describe_register_coverage(cov))  # doctest: +ELLIPSIS
    2006-2007: 25 rows; complete for the director-general-level ... (22 rows from it).
    2008: 1 rows; a minimum, not a complete register: ... (0 with an inferred date, ...).
    Undated: 1 rows.
    """
    dated = coverage[coverage["year"].notna()].sort_values("year")
    run = (dated["completeness"] != dated["completeness"].shift()).cumsum()
    lines = []
    for _, part in dated.groupby(run, sort=True):
        kind = part["completeness"].iloc[0]
        period = period_label(int(part["year"].min()), int(part["year"].max()))
        key = ("network.text.coverage_complete" if kind == COMPLETE
               else "network.text.coverage_minimum")
        lines.append(fmt(key, lang, period=period, rows=int(part["rows"].sum()),
                         table=int(part["mofa_2008_table"].sum()),
                         inferred=int(part["inferred"].sum())))
    undated = coverage[coverage["year"].isna()]
    if len(undated):
        lines.append(fmt("network.text.coverage_undated", lang,
                         rows=int(undated["rows"].sum())))
    return "\n".join(lines)


#: columns of :func:`seed_count_check`
SEED_CHECK_COLUMNS = ["fact", "printed_ja", "track", "city", "from_year", "as_of_year",
                      "value", "rows", "highest_round", "meetings", "verdict"]


def seed_count_check(seed_counts: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Check each count a source states against the register's rows.

    For each fact (``seed_counts``: ``track``, optional ``city``, ``from_year``,
    ``as_of_year``, ``value``): the register's ``rows`` of that track and city dated in
    ``[from_year, as_of_year]``, their ``meetings`` (ids) and ``highest_round`` (highest
    round number among them, NA when none is recorded). ``verdict`` is ``consistent`` when
    the rows contradict the count neither by number nor by round (rows <= value and
    highest round <= value), else ``differs``: fewer rows than the count is consistent,
    since the register starts in 2006 and is a minimum afterwards.

    >>> facts = pd.DataFrame({"fact": ["f"], "printed_ja": ["4度"], "track": ["ASTOP"],
    ...     "city": ["Tokyo"], "from_year": [2003], "as_of_year": [2007], "value": [4]})
    >>> reg = pd.DataFrame({"meeting_id": ["C1", "C2", "C3"], "track": ["ASTOP"] * 3,
    ...     "city": ["Tokyo"] * 3, "year": pd.array([2006, 2007, 2008], dtype="Int64"),
    ...     "round_no": pd.array([3, 4, 5], dtype="Int64")})
    >>> seed_count_check(facts, reg)[["rows", "highest_round", "meetings", "verdict"]
    ...                              ].to_numpy().tolist()
    [[2, 4, 'C1;C2', 'consistent']]
    """
    _require(register, ("meeting_id", "track", "city", "year", "round_no"), "register")
    facts = seed_counts.reset_index(drop=True).copy()
    facts["_fact"] = np.arange(len(facts))
    reg = register[["meeting_id", "track", "city", "year", "round_no"]].copy()
    reg["track"] = reg["track"].astype("string")
    pairs = facts[["_fact", "track", "city", "from_year", "as_of_year"]].rename(
        columns={"city": "fact_city"}).astype({"track": "string"}).merge(reg, on="track")
    year = pairs["year"].astype("Float64")
    keep = (year >= pairs["from_year"].astype("Float64")) & (
        year <= pairs["as_of_year"].astype("Float64"))
    same_city = (pairs["fact_city"].astype("string") == pairs["city"].astype("string"))
    city_ok = pairs["fact_city"].isna().to_numpy() | same_city.fillna(False).to_numpy(bool)
    pairs = pairs[keep.fillna(False).to_numpy(bool) & city_ok].sort_values("meeting_id")
    g = pairs.groupby("_fact")
    facts["rows"] = facts["_fact"].map(g.size()).fillna(0).astype("int64")
    facts["highest_round"] = facts["_fact"].map(
        g["round_no"].max()).astype("Float64").astype("Int64")
    facts["meetings"] = facts["_fact"].map(g["meeting_id"].agg(";".join)).astype("object")
    value = facts["value"].astype("int64")
    ok = (facts["rows"] <= value) & (facts["highest_round"].fillna(0) <= value)
    facts["verdict"] = np.where(ok.astype(bool), "consistent", "differs").astype(object)
    return facts[SEED_CHECK_COLUMNS]


def describe_seed_counts(check: pd.DataFrame, lang: str = "en") -> str:
    """One line per fact of a :func:`seed_count_check` frame, with its verdict.

    >>> chk = pd.DataFrame({"fact": ["f"], "printed_ja": ["4度"], "value": [4],
    ...     "from_year": [2003], "as_of_year": [2007], "rows": [2],
    ...     "highest_round": pd.array([4], dtype="Int64"), "verdict": ["consistent"]})
    >>> from analysis.labels import plain_text
    >>> print(plain_text(describe_seed_counts(chk)))  # doctest: +ELLIPSIS
    「4度」: the source counts 4 (2003-2007); ... 2 rows ..., highest round 4: consistent.
    """
    lines = []
    for r in check.astype("object").where(check.notna(), None).to_dict(orient="records"):
        lines.append(fmt("network.text.seed_count", lang,
                         printed=data_text(r["printed_ja"]), value=r["value"],
                         period=period_label(int(r["from_year"]), int(r["as_of_year"])),
                         rows=r["rows"],
                         round=(r["highest_round"] if r["highest_round"] is not None
                                else label("word.none", lang)),
                         verdict=value_label(r["verdict"], "value.verdict", lang)))
    return "\n".join(lines)
