"""UN General Assembly votes on a resolution family: one figure per session, sources
reconciled by a stated rule, their disagreements, title changes and the largest changes.

The bundled tables hold, per resolution, one row in ``unga/resolutions.csv`` and one row
per source in ``unga/vote_counts.csv``. :func:`reconcile` chooses the figure used by the
rule of :func:`rule_text`; :func:`family_series` lays the family out one row per session, gaps
included; :func:`disagreements` lists every pair of sources that disagree (and, given
per-country votes, the tallies computed from them).

>>> from analysis.bundle import load_bundle
>>> b = load_bundle()
>>> s = family_series(b.resolutions, b.vote_counts, "japan_nuclear", 2005, 2008,
...                   tallies=per_country_tallies(b.votes, b.resolutions))
>>> s[["year", "yes", "no", "abstain"]].astype(int).values.tolist()
[[2005, 168, 2, 7], [2006, 167, 4, 7], [2007, 170, 3, 9], [2008, 173, 4, 6]]
>>> s["count_source_kind"].tolist()
['un_record', 'un_record', 'government_official', 'un_record']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import DataError
from .labels import data_text, fmt, header, join, label, translate_values, value_label
from .params import ParameterError, check_year_range
from .tables import SOURCE_RANK

__all__ = [
    "STRENGTH", "STATUSES", "reconcile", "family_series",
    "title_lineage", "disagreements", "per_country_tallies", "largest_changes", "headline",
    "family_names", "for_display", "symbol_key", "headline_lines", "rule_text", "summary",
    "RULE_FIELDS", "rule_words",
]

COUNT_COLS = ["yes", "no", "abstain", "non_voting"]
VOTE_COLS = ["yes", "no", "abstain"]
STRENGTH: dict[str, int] = SOURCE_RANK  # the one ranking (analysis.tables)
STATUSES = ("voted", "partial counts", "counts unknown", "adopted without a vote", "no record")
PER_COUNTRY = "per-country record"
# the name of the tally of each per-country layout, as shown in the tables
PER_COUNTRY_SOURCES = {"unvotes": "UN per-country voting record (unvotes, from Voeten's data)",
                       "undl": "UN Digital Library voting record"}
PER_COUNTRY_ID = "per_country"
#: the columns of a :func:`reconcile` row that say why its figure was chosen, the parts
#: :func:`rule_words` says in either language: the reason (``rule_code``: only,
#: strongest, fuller, first), the chosen kind, the runner-up's kind and id, how many
#: counts each gives, the counts completed and the sources they came from
RULE_FIELDS = ("rule_code", "count_source_kind", "rule_next_kind", "rule_next_id",
               "rule_counts", "rule_next_counts", "completed_cols", "completed_from")
# the fields that only the rule uses (shown through ``rule``, not as columns of their own)
_RULE_ONLY = ("rule_code", "rule_next_kind", "rule_next_id", "rule_counts",
              "rule_next_counts", "completed_cols")




# --- helpers ---------------------------------------------------------------------------
def symbol_key(symbol: pd.Series) -> pd.Series:
    """Symbols compared without spaces and case: ``'A/RES/49/75 H'`` -> ``'A/RES/49/75H'``.

    >>> symbol_key(pd.Series(["A/RES/49/75 H", "a/res/62/37", None])).tolist()
    ['A/RES/49/75H', 'A/RES/62/37', '']
    """
    text = pd.Series(symbol, dtype="object").fillna("").astype(str)
    return text.str.replace(r"\s+", "", regex=True).str.upper()


def _prepare_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Check a vote_counts-like frame and add ``strength`` when it is missing."""
    need = ["resolution_id", "source_id", "source", "source_kind", "yes", "no", "abstain"]
    missing = [c for c in need if c not in counts.columns]
    if missing:
        raise DataError("vote counts frame", 1, missing[0], "columns " + ", ".join(need),
                        ", ".join(map(str, counts.columns)))
    out = counts.copy()
    if "non_voting" not in out.columns:
        out["non_voting"] = pd.NA
    for col in COUNT_COLS:
        out[col] = pd.array(out[col], dtype="Int64")
    kind = out["source_kind"].astype("object").astype(str)
    bad = ~kind.isin(list(STRENGTH))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError("vote counts frame", row + 2, "source_kind",
                        "one of " + ", ".join(STRENGTH), kind.iloc[row])
    out["source_kind"] = kind
    out["strength"] = kind.map(STRENGTH).astype("int64")
    for col in ("resolution_id", "source_id", "source"):
        out[col] = out[col].astype("object").astype(str)
    return out.reset_index(drop=True)


def _figure(frame: pd.DataFrame, suffix: str = "") -> pd.Series:
    """'167-3-8' from yes/no/abstain columns ('?' for a missing count)."""
    parts = [frame[c + suffix].astype("object").where(frame[c + suffix].notna(), "?")
             .astype(str) for c in VOTE_COLS]
    return parts[0] + "-" + parts[1] + "-" + parts[2]


def family_names(families: pd.DataFrame, family: str) -> dict[str, str]:
    """The family's name in both languages (``{"en": ..., "ja": ...}``).

    >>> from analysis.data import load_families
    >>> family_names(load_families(), "japan_nuclear")["ja"]
    '核兵器廃絶決議（日本提出）'

    Raises ParameterError for a family not in ``families``.
    """
    row = families[families["family"].astype(str) == family]
    if row.empty:
        raise ParameterError("family", "one of " + ", ".join(families["family"].astype(str)),
                             family)
    return {"en": str(row["name_en"].iloc[0]), "ja": str(row["name_ja"].iloc[0])}


# --- reconciliation ----------------------------------------------------------------------
def reconcile(counts: pd.DataFrame, *, complete: bool = True) -> pd.DataFrame:
    """Choose one figure per resolution from per-source counts by the rule of
    :func:`rule_text`.

    ``counts`` is a frame shaped like ``unga/vote_counts.csv`` (plus, optionally, the
    tallies of :func:`per_country_tallies`).
    Returns one row per resolution: ``resolution_id``, yes/no/abstain/non_voting,
    ``count_source`` (the source's name), ``count_source_id``, ``count_source_kind``,
    ``n_sources``, ``completed_from`` (source ids that filled missing counts, see
    the completion step of :func:`rule_text`; ``""`` when none), ``rule`` (why this
    figure was chosen, in English, as a record) and the same reason in parts
    (:data:`RULE_FIELDS`, said in the reader's language by :func:`rule_words`):
    ``rule_code`` (``only``, ``strongest``, ``fuller`` or ``first``), ``rule_next_kind``
    and ``rule_next_id`` (the runner-up; ``""`` for the only source), ``rule_counts`` and
    ``rule_next_counts`` (how many counts each gives) and ``completed_cols`` (the counts
    completed, ``", "``-separated; ``""`` when none).

    >>> vc = pd.DataFrame({"resolution_id": ["r", "r"], "source_id": ["wiki", "mofa"],
    ...                    "source": ["Wikipedia", "MOFA"],
    ...                    "source_kind": ["secondary", "government_official"],
    ...                    "yes": [167, 167], "no": [4, 3], "abstain": [7, 8]})
    >>> row = reconcile(vc).iloc[0]
    >>> row["count_source"], int(row["no"]), row["rule"]
    ('MOFA', 3, 'strongest source kind: government_official (next: secondary, wiki)')
    >>> row["rule_code"], row["rule_next_kind"], row["rule_next_id"]
    ('strongest', 'secondary', 'wiki')
    """
    vc = _prepare_counts(counts)
    vc["_complete"] = vc[COUNT_COLS].notna().sum(axis=1)
    vc = vc[vc["_complete"] > 0]
    order = vc.sort_values(["resolution_id", "strength", "_complete", "source_id"],
                           ascending=[True, True, False, True], kind="stable",
                           ignore_index=True)
    order["_rank"] = order.groupby("resolution_id").cumcount()
    n_sources = order.groupby("resolution_id").size()
    chosen = order[order["_rank"] == 0].set_index("resolution_id")
    runner = order[order["_rank"] == 1].set_index("resolution_id").reindex(chosen.index)

    only = runner["source_id"].isna()
    stronger = ~only & (runner["strength"] > chosen["strength"])
    fuller = ~only & ~stronger & (runner["_complete"] < chosen["_complete"])
    rkind = runner["source_kind"].astype("object").fillna("").astype(str)
    rid = runner["source_id"].astype("object").fillna("").astype(str)
    ckind = chosen["source_kind"].astype(str)
    n_c = chosen["_complete"].astype(str)
    n_r = runner["_complete"].astype("object").fillna(0).astype(int).astype(str)
    cases = [only.to_numpy(), stronger.to_numpy(), fuller.to_numpy()]
    code = np.select(cases, ["only", "strongest", "fuller"], default="first")
    reason = pd.Series(
        np.select(
            cases,
            [("only source with a figure (" + ckind + ")").to_numpy(),
             ("strongest source kind: " + ckind + " (next: " + rkind + ", " + rid + ")")
             .to_numpy(),
             ("same kind (" + ckind + ") as " + rid + "; most complete figure (" + n_c
              + " counts vs " + n_r + ")").to_numpy()],
            default=("same kind (" + ckind + ") and completeness as " + rid
                     + "; first source_id").to_numpy(),
        ),
        index=chosen.index,
    )

    out = chosen[COUNT_COLS].copy()
    completed = pd.Series("", index=chosen.index, dtype=object)
    filled_cols = pd.Series("", index=chosen.index, dtype=object)
    if complete:
        base = order.merge(chosen[COUNT_COLS + ["source_id"]].add_suffix("_c"),
                           left_on="resolution_id", right_index=True)
        others = base[base["_rank"] > 0]
        agree = pd.Series(True, index=others.index)
        for col in COUNT_COLS:
            same = (others[col] == others[col + "_c"]).fillna(True).astype(bool)
            agree &= same
        cand = others[agree]
        for col in COUNT_COLS:
            gives = cand[cand[col].notna()].groupby("resolution_id").first()
            need = out[col].isna() & out.index.isin(gives.index)
            if not need.any():
                continue
            ids = out.index[need]
            out.loc[ids, col] = gives.loc[ids, col].to_numpy()
            src = gives.loc[ids, "source_id"].astype(str)
            completed.loc[ids] = _append_unique(completed.loc[ids], src)
            filled_cols.loc[ids] = _append_unique(filled_cols.loc[ids], pd.Series(col, ids))
    note = filled_cols.where(filled_cols == "",
                             "; " + filled_cols + " completed from " + completed
                             + " (agrees on the counts both give)")
    result = pd.DataFrame({
        "resolution_id": chosen.index.astype(str),
        **{c: pd.array(out[c], dtype="Int64") for c in COUNT_COLS},
        "count_source": chosen["source"].astype(str).to_numpy(),
        "count_source_id": chosen["source_id"].astype(str).to_numpy(),
        "count_source_kind": ckind.to_numpy(),
        "n_sources": n_sources.reindex(chosen.index).to_numpy(),
        "completed_from": completed.to_numpy(),
        "rule": (reason + note).to_numpy(),
        "rule_code": code,
        "rule_next_kind": rkind.to_numpy(),
        "rule_next_id": rid.to_numpy(),
        "rule_counts": pd.array(chosen["_complete"].to_numpy(), dtype="Int64"),
        "rule_next_counts": pd.array(runner["_complete"].to_numpy(), dtype="Int64"),
        "completed_cols": filled_cols.to_numpy(),
    })
    return result.sort_values("resolution_id", ignore_index=True)


def rule_words(fields: Mapping[str, object], lang: str) -> str:
    """Why :func:`reconcile` chose a figure, in ``lang``: the reason and any completion
    of a row's :data:`RULE_FIELDS`, with source kinds and count names in words.

    >>> rule_words({"rule_code": "strongest", "count_source_kind": "un_record",
    ...             "rule_next_kind": "news", "rule_next_id": "kyodo", "rule_counts": 3,
    ...             "rule_next_counts": 3, "completed_cols": "", "completed_from": ""}, "ja")
    '出典の種類で優先：国連の国別投票記録（次点：報道、kyodo）'
    >>> rule_words({"rule_code": "only", "count_source_kind": "news", "rule_next_kind": "",
    ...             "rule_next_id": "", "rule_counts": 2, "rule_next_counts": None,
    ...             "completed_cols": "no", "completed_from": "a"}, "ja")
    '数値を示す唯一の出典（報道）。反対はaから補完（共通する票数はすべて一致）'
    """
    text = fmt(f"unga.rule.{fields['rule_code']}", lang,
               kind=value_label(fields["count_source_kind"], "value.source_kind", lang),
               next_kind=value_label(fields["rule_next_kind"], "value.source_kind", lang),
               next_id=fields["rule_next_id"], n=fields["rule_counts"],
               n_next=fields["rule_next_counts"])
    if fields["completed_cols"]:
        cols = join((label(f"col.{c}", lang) for c in str(fields["completed_cols"])
                     .split(", ")), lang)
        text += fmt("unga.rule.completed", lang, cols=cols, ids=fields["completed_from"])
    return text


def _rule_column(frame: pd.DataFrame, lang: str) -> list[object]:
    """The ``rule`` of every row of ``frame`` in ``lang`` (:func:`rule_words`); a row
    without a reason (a session with no figure) keeps its ``rule`` as it is."""
    rows = frame[["rule", *RULE_FIELDS]].to_dict("records")
    return [rule_words(r, lang) if isinstance(r["rule_code"], str) and r["rule_code"]
            else r["rule"] for r in rows]


def _append_unique(current: pd.Series, new: pd.Series) -> pd.Series:
    """Join ``new`` to ``current`` with ', ' unless already listed (few rows, per column)."""
    cur = current.astype(str)
    add = new.astype(str).to_numpy()
    listed = np.array([a in c.split(", ") for c, a in zip(cur, add, strict=True)], dtype=bool)
    joined = np.where(cur == "", add, cur + ", " + add)
    return pd.Series(np.where(listed, cur, joined), index=current.index, dtype=object)


# --- the series --------------------------------------------------------------------------
def _family_rows(family: str, resolutions: pd.DataFrame) -> pd.DataFrame:
    fam = resolutions["family"].astype(str)
    rows = resolutions[fam == family]
    if rows.empty:
        raise ParameterError("family", "one of " + ", ".join(sorted(fam.unique())), family)
    return rows


def family_series(resolutions: pd.DataFrame, counts: pd.DataFrame, family: str,
                  start_year: int | None = None, end_year: int | None = None, *,
                  tallies: pd.DataFrame | None = None, complete: bool = True) -> pd.DataFrame:
    """One row per session of ``family`` from its first to its last recorded session
    (clipped to ``start_year``..``end_year``), gaps included.

    ``resolutions`` and ``counts`` are the bundled tables (``unga/resolutions.csv``,
    ``unga/vote_counts.csv``); ``tallies`` (from :func:`per_country_tallies`) adds the
    counts of the per-country record as sources of kind un_record. Counts are the figure
    :func:`reconcile` chooses; ``status`` is one of :data:`STATUSES` ("no record" = the
    session has no row in resolutions.csv). ``support_share`` = yes / (yes + no +
    abstain); ``change`` and ``yes_change`` are differences from the previous *session*
    (NA after a gap); ``title_changed`` is True when the title differs from the last title
    recorded before.

    >>> from analysis.data import load_resolutions, load_vote_counts
    >>> s = family_series(load_resolutions(), load_vote_counts(), "japan_nuclear")
    >>> s.loc[s["year"] == 2006, ["yes", "no", "abstain"]].astype(int).values.tolist()
    [[167, 3, 8]]

    Raises ParameterError for an unknown family or a year range outside its sessions.
    """
    s0, e0 = check_year_range(start_year, end_year)
    rows = _family_rows(family, resolutions).copy()
    rows["session"] = rows["session"].astype("int64")
    first, last = int(rows["session"].min()), int(rows["session"].max())
    if s0 is not None:
        first = max(first, s0 - 1945)
    if e0 is not None:
        last = min(last, e0 - 1945)
    frame = pd.DataFrame({"session": np.arange(first, max(first, last + 1), dtype="int64")})
    if frame.empty:
        raise ParameterError("start_year/end_year", f"a range overlapping the years of "
                             f"{family}", (start_year, end_year))
    keep = ["resolution_id", "session", "year", "date", "symbol", "title",
            "adopted_without_vote"]
    rows = rows[keep].drop_duplicates("session", keep="first")
    frame = frame.merge(rows, on="session", how="left")
    pool = counts if tallies is None or tallies.empty else pd.concat(
        [counts, tallies.drop(columns="vote_id", errors="ignore")], ignore_index=True)
    pool = pool[pool["resolution_id"].isin(set(rows["resolution_id"].astype(str)))]
    chosen = reconcile(pool, complete=complete)
    frame = frame.merge(chosen, on="resolution_id", how="left")
    frame["year"] = frame["year"].astype("Float64").fillna(
        pd.Series(frame["session"] + 1945, dtype="Float64")).astype("int64")

    has_row = frame["resolution_id"].notna()
    counted = frame[VOTE_COLS].notna()
    awv = frame["adopted_without_vote"].astype("boolean").fillna(False).astype(bool)
    frame["status"] = np.select(
        [~has_row, counted.all(axis=1), counted.any(axis=1), awv],
        ["no record", "voted", "partial counts", "adopted without a vote"],
        default="counts unknown")
    yes, no, abst = (frame[c].astype("float64") for c in VOTE_COLS)
    frame["support_share"] = yes / (yes + no + abst)
    frame["change"] = frame["support_share"].diff()
    frame["yes_change"] = frame["yes"].diff().astype("Int64")
    title = frame["title"].astype("object")
    before = title.ffill().shift(1)
    frame["title_changed"] = (title.notna() & before.notna() & (title != before)).astype(bool)
    for col in ("count_source", "count_source_id", "count_source_kind", "rule",
                "completed_from", "rule_code", "rule_next_kind", "rule_next_id",
                "completed_cols"):
        frame[col] = frame[col].astype("object").where(frame[col].notna(), "")
    cols = ["session", "year", "date", "resolution_id", "symbol", "title", "yes", "no",
            "abstain", "non_voting", "support_share", "change", "yes_change", "status",
            "count_source", "count_source_id", "count_source_kind", "rule", "completed_from",
            "title_changed", *_RULE_ONLY]
    out = frame[cols].reset_index(drop=True)
    out.attrs["family"] = family
    return out


def title_lineage(resolutions: pd.DataFrame, family: str) -> pd.DataFrame:
    """Runs of consecutive recorded sessions with the same title.

    >>> from analysis.data import load_resolutions
    >>> lin = title_lineage(load_resolutions(), "japan_nuclear")
    >>> lin[["first_year", "last_year"]].iloc[0].astype(int).tolist()
    [1994, 1999]
    """
    rows = _family_rows(family, resolutions).sort_values("session")
    title = rows["title"].astype(str).reset_index(drop=True)
    run = (title != title.shift()).cumsum()
    frame = pd.DataFrame({"run": run, "session": rows["session"].astype("int64").to_numpy(),
                          "year": rows["year"].astype("int64").to_numpy(), "title": title})
    out = frame.groupby("run").agg(first_session=("session", "min"),
                                   last_session=("session", "max"),
                                   first_year=("year", "min"), last_year=("year", "max"),
                                   sessions=("session", "size"), title=("title", "first"))
    return out.reset_index(drop=True)


def named_lists(named: pd.DataFrame, resolutions: pd.DataFrame, family: str,
                start_year: int | None = None, end_year: int | None = None) -> pd.DataFrame:
    """The states that documents name with their vote on ``family`` (``named_votes``), one
    row per year, vote and source: year, vote, n_named, countries (ISO3, sorted),
    complete (the document names every state casting that vote), source.

    >>> from analysis.data import load_named_votes, load_resolutions
    >>> t = named_lists(load_named_votes(), load_resolutions(), "japan_nuclear", 2024, 2024)
    >>> t.loc[t["vote"] == "no", ["n_named", "countries", "complete"]].values.tolist()
    [[6, 'CHN, IRN, NIC, PRK, RUS, SYR', True]]
    """
    meta = _family_rows(family, resolutions)[["resolution_id", "year"]]
    rows = named.merge(meta, on="resolution_id")
    lo, hi = start_year or 0, end_year or 9999
    rows = rows[rows["year"].between(lo, hi)]
    cols = ["year", "vote", "n_named", "countries", "complete", "source"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows.assign(vote=rows["vote"].astype(str), country=rows["country"].astype(str))
    out = rows.groupby(["year", "vote", "source"], sort=True).agg(
        n_named=("country", "nunique"),
        countries=("country", lambda c: ", ".join(sorted(set(c)))),
        complete=("list_complete", "all")).reset_index()
    order = {"no": 0, "abstain": 1, "yes": 2}
    out = out.sort_values(["year", "vote", "source"], key=lambda c: c.map(order)
                          if c.name == "vote" else c, ignore_index=True)
    out["year"] = out["year"].astype("int64")
    return out[cols]


def with_counts(resolutions: pd.DataFrame, counts: pd.DataFrame,
                tallies: pd.DataFrame | None = None) -> pd.DataFrame:
    """``resolutions`` with the figure :func:`reconcile` chooses for each (yes, no,
    abstain, non_voting; NA without one) and ``source``/``source_kind``/``source_url`` of
    that figure (the resolution's own source when no figure exists).

    >>> from analysis.data import load_resolutions, load_vote_counts
    >>> w = with_counts(load_resolutions(), load_vote_counts())
    >>> w.loc[w["resolution_id"] == "japan_nuclear_62", ["yes", "no", "abstain"]].values.tolist()
    [[170, 3, 9]]
    """
    pool = counts if tallies is None or tallies.empty else pd.concat(
        [counts, tallies.drop(columns="vote_id", errors="ignore")], ignore_index=True)
    chosen = reconcile(pool)
    urls = _prepare_counts(pool).drop_duplicates(["resolution_id", "source_id"])
    urls = urls.set_index(["resolution_id", "source_id"]).get("source_url")
    out = resolutions.merge(chosen[["resolution_id", *COUNT_COLS, "count_source",
                                    "count_source_kind", "count_source_id"]],
                            on="resolution_id", how="left")
    has = out["count_source"].notna()
    out["source"] = out["count_source"].where(has, out["source"])
    out["source_kind"] = out["count_source_kind"].where(has, out["source_kind"].astype(object))
    if urls is not None:
        key = pd.MultiIndex.from_arrays([out["resolution_id"].astype(str),
                                         out["count_source_id"].fillna("").astype(str)])
        found = pd.Series(urls.reindex(key).to_numpy(), index=out.index)
        out["source_url"] = found.where(has, out["source_url"])
    return out.drop(columns=["count_source", "count_source_kind", "count_source_id"])


# --- disagreements -----------------------------------------------------------------------
def per_country_tallies(votes: pd.DataFrame, resolutions: pd.DataFrame) -> pd.DataFrame:
    """Counts computed from per-country votes for the resolutions whose symbol appears in
    them (whole-resolution votes only), shaped like vote_counts: source kind
    ``un_record`` (the UN's own per-country record), source named by the layout
    (:data:`PER_COUNTRY_SOURCES`). ``non_voting`` is NA for the unvotes format (absent
    members have no row there).

    >>> from analysis.bundle import load_bundle
    >>> b = load_bundle()
    >>> t = per_country_tallies(b.votes, b.resolutions)
    >>> t.loc[t["resolution_id"] == "japan_nuclear_61", ["yes", "no", "abstain"]].values.tolist()
    [[167, 4, 7]]
    """
    whole = votes[votes["whole_resolution"].astype(bool)]
    key = pd.Series(symbol_key(whole["resolution"]).to_numpy(), index=whole.index)
    targets = resolutions[resolutions["symbol"].notna()]
    tkey = symbol_key(targets["symbol"])
    ids = pd.Series(targets["resolution_id"].astype(str).to_numpy(), index=tkey.to_numpy())
    ids = ids[~ids.index.duplicated()]
    hit = key.isin(ids.index) & key.ne("")
    sub = whole[hit.to_numpy()]
    if sub.empty:
        return pd.DataFrame(columns=["resolution_id", "source_id", "source", "source_kind",
                                     "vote_id", *COUNT_COLS])
    tab = pd.crosstab([key[hit].to_numpy(), sub["vote_id"].to_numpy()],
                      sub["vote"].astype(str).to_numpy())
    tab = tab.reindex(columns=COUNT_COLS, fill_value=0)
    tab.index = tab.index.set_names(["key", "vote_id"])
    tab = tab.reset_index()
    out = pd.DataFrame({"resolution_id": ids.reindex(tab["key"]).to_numpy(),
                        "source_id": PER_COUNTRY_ID,
                        "source": PER_COUNTRY_SOURCES.get(votes.attrs.get("source_format", ""),
                                                          PER_COUNTRY),
                        "source_kind": "un_record", "vote_id": tab["vote_id"].astype(str)})
    for col in COUNT_COLS:
        out[col] = pd.array(tab[col].to_numpy(), dtype="Int64")
    if votes.attrs.get("source_format") == "unvotes":
        out["non_voting"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def disagreements(resolutions: pd.DataFrame, counts: pd.DataFrame, family: str | None = None,
                  *, tallies: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every pair of sources whose figures for the same resolution differ on a count both
    give; with ``tallies`` (:func:`per_country_tallies`) also the per-country record's.

    Columns: resolution_id, symbol, year, source_a, source_b (names; A is the source
    earlier in the rule's order), source_a_id, source_b_id, yes/no/abstain of each
    (``_a``, ``_b``), their differences A-B (``_diff``), figure_a, figure_b, and the
    figure used (``used_source``, ``used_figure``, ``rule`` and its parts,
    :data:`RULE_FIELDS`).

    >>> from analysis.data import load_resolutions, load_vote_counts
    >>> d = disagreements(load_resolutions(), load_vote_counts(), "japan_nuclear")
    >>> d.loc[d["resolution_id"] == "japan_nuclear_61", ["figure_a", "figure_b"]].iloc[0].tolist()
    ['167-3-8', '167-4-7']
    """
    res = resolutions if family is None else _family_rows(family, resolutions)
    vc = counts
    if tallies is not None and not tallies.empty:
        vc = pd.concat([counts, tallies.drop(columns="vote_id", errors="ignore")],
                       ignore_index=True)
    vc = _prepare_counts(vc)
    ids = set(res["resolution_id"].astype(str))
    vc = vc[vc["resolution_id"].isin(ids)]
    chosen = reconcile(vc)
    pool = vc.copy()
    pool = pool.sort_values(["resolution_id", "strength", "source_id"], ignore_index=True)
    pool["_pos"] = np.arange(len(pool))
    cols = ["resolution_id", "_pos", "source", "source_id", *COUNT_COLS]
    pairs = pool[cols].merge(pool[cols], on="resolution_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["_pos_a"] < pairs["_pos_b"]]
    differs = pd.Series(False, index=pairs.index)
    for col in COUNT_COLS:
        differs |= (pairs[col + "_a"] != pairs[col + "_b"]).fillna(False).astype(bool)
    pairs = pairs[differs]
    meta = res[["resolution_id", "symbol", "year"]].astype({"resolution_id": str})
    out = pairs.merge(meta, on="resolution_id", how="left")
    out = out.merge(chosen[["resolution_id", "count_source", "rule", *RULE_FIELDS,
                            *VOTE_COLS]]
                    .rename(columns={c: c + "_u" for c in VOTE_COLS}),
                    on="resolution_id", how="left")
    for col in VOTE_COLS:
        out[col + "_diff"] = (out[col + "_a"] - out[col + "_b"]).astype("Int64")
    out["figure_a"] = _figure(out, "_a")
    out["figure_b"] = _figure(out, "_b")
    out["used_figure"] = _figure(out, "_u")
    out = out.rename(columns={"count_source": "used_source", "source_id_a": "source_a_id",
                              "source_id_b": "source_b_id"})
    cols = ["resolution_id", "symbol", "year", "source_a", "source_b", "source_a_id",
            "source_b_id", "yes_a", "no_a", "abstain_a", "yes_b", "no_b", "abstain_b",
            "yes_diff", "no_diff", "abstain_diff", "figure_a", "figure_b", "used_source",
            "used_figure", "rule", *RULE_FIELDS]
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out["year"] = out["year"].astype("Int64")
    return out[cols].sort_values(["year", "resolution_id", "source_a_id", "source_b_id"],
                                 ignore_index=True)


# --- summaries ---------------------------------------------------------------------------
def largest_changes(series: pd.DataFrame, n: int = 3, lang: str = "en") -> pd.DataFrame:
    """The ``n`` largest session-on-session falls and the ``n`` largest rises in support
    share (ties: earlier year first), with a label built from the data.

    Falls and rises are ranked separately so that a marked fall is not crowded out by
    larger rises elsewhere. Rows: falls (largest first), then rises; ``direction`` says
    which.

    >>> s = pd.DataFrame({"session": [1, 2, 3, 4], "year": [1946, 1947, 1948, 1949],
    ...                   "symbol": ["a", "b", "c", "d"],
    ...                   "support_share": [0.9, 0.8, 0.85, 0.84]})
    >>> s["change"] = s["support_share"].diff()
    >>> largest_changes(s, n=1)["label"].tolist()
    ['1947: -10.0 pts', '1948: +5.0 pts']
    """
    frame = series[series["change"].notna()].copy()
    frame["previous_share"] = frame["support_share"] - frame["change"]
    frame["_abs"] = frame["change"].abs().round(12)
    frame["direction"] = np.where(frame["change"] < 0, "fall", "rise")
    frame = frame[frame["_abs"] > 0].sort_values(["_abs", "year"], ascending=[False, True],
                                                 kind="stable")
    top = pd.concat([frame[frame["direction"] == "fall"].head(n),
                     frame[frame["direction"] == "rise"].head(n)])
    top["label"] = [fmt("unga.text.change", lang, year=int(y), change=100 * c)  # 2n labels
                    for y, c in zip(top["year"], top["change"], strict=True)]
    cols = ["session", "year", "symbol", "previous_share", "support_share", "change",
            "direction", "label"]
    return top[cols].reset_index(drop=True)


def headline(series: pd.DataFrame) -> dict:
    """Headline numbers of a :func:`family_series` frame.

    >>> from analysis.data import load_resolutions, load_vote_counts
    >>> h = headline(family_series(load_resolutions(), load_vote_counts(), "japan_nuclear"))
    >>> h["first_year"], h["highest"]["year"], h["lowest"]["year"]
    (1994, 1994, 2020)
    """
    counted = series[series["support_share"].notna()]
    out: dict = {
        "family": series.attrs.get("family"),
        "sessions": int(len(series)),
        "first_year": int(series["year"].min()),
        "last_year": int(series["year"].max()),
        "sessions_with_counts": int(len(counted)),
        "gaps": [{"session": int(s), "year": int(y), "status": st} for s, y, st in
                 series.loc[series["status"] != "voted", ["session", "year", "status"]]
                 .itertuples(index=False)],
        "highest": None, "lowest": None, "latest": None,
    }
    if counted.empty:
        return out
    hi = counted.loc[counted["support_share"].idxmax()]
    lo = counted.loc[counted["support_share"].idxmin()]
    last = counted.iloc[-1]
    for key, row in (("highest", hi), ("lowest", lo)):
        out[key] = {"session": int(row["session"]), "year": int(row["year"]),
                    "support_share": float(row["support_share"])}
    out["latest"] = {"session": int(last["session"]), "year": int(last["year"]),
                     "symbol": None if pd.isna(last["symbol"]) else str(last["symbol"]),
                     **{c: int(last[c]) for c in VOTE_COLS},
                     "support_share": float(last["support_share"]),
                     "count_source": str(last["count_source"])}
    return out


def rule_text(lang: str) -> str:
    """The reconciliation rule (and the completion step) in ``lang``.

    >>> rule_text("en").startswith("The figure used")
    True
    """
    return "\n".join((label("unga.rule.reconcile", lang), label("unga.rule.completion", lang)))


def headline_lines(head: dict, lang: str) -> list[str]:
    """The numbers of :func:`headline` as sentences in ``lang``.

    >>> from analysis.data import load_resolutions, load_vote_counts
    >>> s = family_series(load_resolutions(), load_vote_counts(), "japan_nuclear", 2006, 2007)
    >>> headline_lines(headline(s), "en")[0]
    'Sessions covered: 2 (2006-2007); with full counts: 2'
    """
    lines = [fmt("unga.text.sessions", lang, sessions=head["sessions"],
                 first_year=head["first_year"], last_year=head["last_year"],
                 with_counts=head["sessions_with_counts"])]
    for key in ("highest", "lowest"):
        h = head.get(key)
        if h:
            lines.append(fmt(f"unga.text.{key}", lang, share=h["support_share"],
                             year=h["year"], session=h["session"]))
    last = head.get("latest")
    if last:
        lines.append(fmt("unga.text.latest", lang, year=last["year"], session=last["session"],
                         symbol=last["symbol"] or label("unga.text.no_symbol", lang),
                         yes=last["yes"], no=last["no"], abstain=last["abstain"],
                         share=last["support_share"], source=data_text(last["count_source"])))
    if head["gaps"]:
        gaps = label("sep.list", lang).join(
            fmt("unga.text.gap", lang, year=g["year"],
                status=value_label(g["status"], "value.status", lang)) for g in head["gaps"])
        lines.append(fmt("unga.text.gaps", lang, gaps=gaps))
    return lines


def summary(family: str, series: pd.DataFrame, changes: pd.DataFrame,
            discrepancies: pd.DataFrame, **extra: object) -> dict:
    """The JSON-ready summary notebook 01 writes: family, headline, rule, sessions
    (session, year, symbol, yes, no, abstain, support_share, status, count_source_id),
    largest changes and discrepancies, plus ``extra`` keys.

    >>> from analysis.data import load_resolutions, load_vote_counts
    >>> res, vc = load_resolutions(), load_vote_counts()
    >>> s = family_series(res, vc, "japan_nuclear", 2006, 2007)
    >>> out = summary("japan_nuclear", s, largest_changes(s),
    ...               disagreements(res, vc, "japan_nuclear"))
    >>> out["sessions"][1]["yes"], out["discrepancies"][0]["figure_b"]
    (170, '167-4-7')
    """
    cols = ["session", "year", "symbol", "yes", "no", "abstain", "support_share", "status",
            "count_source_id"]
    return {
        "family": family, "headline": headline(series), "rule": label("unga.rule.reconcile", "en"),
        "sessions": series[cols].to_dict("records"),
        "largest_changes": changes[["year", "change", "label"]].to_dict("records"),
        "discrepancies": discrepancies.drop(columns=["rule", *RULE_FIELDS],
                                            errors="ignore").to_dict("records"),
        **extra,
    }


_ROUND = {"support_share": 3, "previous_share": 3, "change": 3, "value": 3}


def for_display(frame: pd.DataFrame, lang: str, columns: list[str] | None = None
                ) -> pd.DataFrame:
    """A copy for printing: chosen ``columns`` (by default all but the parts of the rule,
    which ``rule`` says), headers and coded values (direction, status, votes, computed
    source ids, the rule: :func:`rule_words`) in ``lang``, shares rounded.

    >>> out = for_display(pd.DataFrame({"year": [2023], "status": ["no record"]}), "ja")
    >>> list(out.columns), out.iloc[0, 1]
    (['年', '状態'], '記録なし')
    """
    if columns is None:
        columns = [c for c in frame.columns if c not in _RULE_ONLY]
    out = frame[columns].copy()
    if "rule" in out.columns and set(RULE_FIELDS) <= set(frame.columns):
        out["rule"] = _rule_column(frame, lang)
    coded = {"direction": "value.direction", "status": "value.status", "vote": "value.vote",
             "previous_vote": "value.vote", "count_source_id": "value.source_id"}
    for col, namespace in coded.items():
        if col in out.columns:
            out[col] = translate_values(out[col], namespace, lang)
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, list)).any():
            out[col] = out[col].map(lambda v: ", ".join(map(str, v))
                                    if isinstance(v, list) else v)
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) and out[col].isna().any():
            out[col] = out[col].astype("object").where(out[col].notna(), "")
    for col, digits in _ROUND.items():
        if col in out.columns:
            out[col] = out[col].astype("float64").round(digits)
    if "change" in out.columns:  # a change of support share, in percentage points
        out = out.rename(columns={"change": "change_points"})
        out["change_points"] = (out["change_points"] * 100).round(1)
    if "date" in out.columns and pd.api.types.is_datetime64_any_dtype(out["date"]):
        out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    names = out.index.name, out.columns.name
    out.columns = pd.Index([header(c, lang, "unga") for c in out.columns])
    out.index.name = header(names[0], lang, "unga")
    out.columns.name = header(names[1], lang, "unga")
    return out
