"""Objective-achievement ratings across evaluation cycles.

The bundled tables (``data/evaluations/``) hold, per evaluation cycle, its objectives,
the judgement printed for each objective (``ratings.csv``, wording exactly as printed)
and a vocabulary placing each era's wording on a common ordinal level 1-5. Nothing here
names a cycle: a new cycle is added by adding rows to the CSV files.

Mapping rule (:func:`map_wording`)
    The rating wording and every vocabulary phrase are normalised alike: Unicode NFKC,
    then the quotation brackets 「」, the full stop 。 and all whitespace removed. A
    vocabulary phrase *matches* when it is contained in the normalised wording; the
    longest matching phrase wins (so 目標の達成に向けて相当な進展があった beats a shorter
    phrase it contains). The outcome is one of

    - ``mapped``: the phrase has a level;
    - ``unmapped: vocabulary gives no level``: the phrase is listed but deliberately
      not placed on the common scale (its reason says why);
    - ``unmapped: no vocabulary entry``: no phrase is contained in the wording;
    - ``unmapped: ambiguous vocabulary entries``: several longest phrases tie and
      give different levels.

    Unmapped wording keeps level NA and is shown as unmapped: a level is never guessed.
    Objectives without a judgement have status ``not rated``.

Consecutive cycles and objective identity
    Transitions and rewrites are computed between consecutive cycles *that have
    objectives* (ordered by evaluation year); cycles known only as a cycle do not break
    the chain. Objectives of two cycles are paired by :func:`match_objectives`: first
    one-to-one by text similarity (:func:`analysis.textdiff.match_texts`, cosine over
    character 2-grams, threshold :data:`analysis.textdiff.SIMILARITY_THRESHOLD`), then
    objectives left over on both sides that carry the same number are paired as a
    rewrite (``basis = "number"``, with their low score shown). What is left is
    ``dropped`` (earlier cycle only) or ``new`` (later cycle only).

>>> vocab = pd.DataFrame({"wording_ja": ["概ね達成", "達成"], "scale": ["s", "s"],
...                       "level": pd.array([3, 4], dtype="Int64"),
...                       "level_label_en": ["largely", "achieved"], "reason": ["r3", "r4"]})
>>> m = map_wording(pd.Series(["「概ね達成した。」", "強化できた"]), vocab)
>>> m[["vocabulary_wording", "level", "mapping_status"]].to_numpy().tolist()
[['概ね達成', 3, 'mapped'], [nan, <NA>, 'unmapped: no vocabulary entry']]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError
from .labels import (
    data_text,
    fmt,
    header,
    join,
    label,
    other_language,
    translate_values,
    value_label,
)
from .params import ParameterError
from .textdiff import SIMILARITY_THRESHOLD, diff_html, diff_text, match_texts, similarity_matrix

__all__ = [
    "MAPPED", "UNMAPPED_NO_ENTRY", "UNMAPPED_NO_LEVEL", "UNMAPPED_AMBIGUOUS", "NOT_RATED",
    "TRANSITIONS", "normalise_wording", "select_cycles", "map_wording",
    "build_rating_table", "rating_table", "rating_matrix", "vocabulary_mapping",
    "latest_rated_cycle", "match_objectives", "objective_changes", "transitions",
    "cycle_overview", "parse_linked_years", "linked_values", "indicator_values",
    "indicator_table", "evaluation_json", "describe_latest", "describe_changes",
    "describe_linked", "changes_html", "display_table",
    "COVERAGE_ORDER", "coverage_table", "coverage_counts", "describe_coverage",
    "outside_view", "describe_outside_view",
]

MAPPED = "mapped"
UNMAPPED_NO_ENTRY = "unmapped: no vocabulary entry"
UNMAPPED_NO_LEVEL = "unmapped: vocabulary gives no level"
UNMAPPED_AMBIGUOUS = "unmapped: ambiguous vocabulary entries"
NOT_RATED = "not rated"
TRANSITIONS = ("up", "same", "down", "new", "dropped", "unmapped")

# --- cycles ------------------------------------------------------------------------------
def select_cycles(cycles: pd.DataFrame, policy_area: str | None = None,
                  cycle_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The cycles of ``policy_area`` (all when None), restricted to ``cycle_ids`` (all
    when None), sorted by evaluation year, with a ``cycle_order`` column (0, 1, ...).

    Raises :class:`analysis.params.ParameterError` (``policy_area`` or ``cycles``) for
    an unknown policy area, a cycle id not in the table or not of that policy area, or a
    value that is not a list of cycle ids.

    >>> c = pd.DataFrame({"cycle_id": ["B", "A"], "policy_area": ["p", "p"],
    ...                   "evaluation_year": [2031, 2002]})
    >>> select_cycles(c, "p")["cycle_id"].tolist()
    ['A', 'B']
    >>> select_cycles(c, "p", ["Z"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.params.ParameterError: parameter cycles: expected a list of cycle ids ... ['Z']
    """
    frame = cycles
    if policy_area is not None:
        areas = sorted(frame["policy_area"].dropna().unique())
        if not isinstance(policy_area, str) or policy_area not in areas:
            raise ParameterError("policy_area", "one of " + ", ".join(areas), policy_area)
        frame = frame[frame["policy_area"] == policy_area]
    frame = frame.sort_values(["evaluation_year", "cycle_id"], ignore_index=True)
    if cycle_ids is not None:
        known = frame["cycle_id"].tolist()
        expected = "a list of cycle ids among " + ", ".join(known)
        if (isinstance(cycle_ids, str) or not isinstance(cycle_ids, Sequence)
                or len(cycle_ids) == 0):
            raise ParameterError("cycles", expected + " (or None for all)", cycle_ids)
        unknown = [c for c in cycle_ids if c not in known]
        if unknown:
            raise ParameterError("cycles", expected, unknown)
        frame = frame[frame["cycle_id"].isin(list(cycle_ids))].reset_index(drop=True)
    frame = frame.copy()
    frame["cycle_order"] = np.arange(len(frame), dtype="int64")
    return frame


# --- wording -> level ---------------------------------------------------------------------
def normalise_wording(text: pd.Series | str) -> pd.Series | str:
    """NFKC, then 「」, 。 and all whitespace removed (a Series or a single string).

    >>> normalise_wording("「目標の達成に向けて　進展があった。」")
    '目標の達成に向けて進展があった'
    """
    series = pd.Series([text] if isinstance(text, str) else text, dtype="object")
    out = (series.astype("string").str.normalize("NFKC")
           .str.replace(r"[「」。\s]", "", regex=True))
    return str(out.iloc[0]) if isinstance(text, str) else out.astype("object")


def map_wording(wordings: pd.Series, vocabulary: pd.DataFrame) -> pd.DataFrame:
    """Place each wording on the common level through the vocabulary (rule: module doc).

    Returns a frame on the index of ``wordings`` with ``wording_norm``,
    ``vocabulary_wording``, ``scale``, ``level`` (Int64, NA when unmapped),
    ``level_label_en``, ``mapping_status`` and ``reason``. Empty wording gives
    ``not rated``.
    """
    w = pd.Series(wordings, dtype="object")
    norm = normalise_wording(w)
    vocab = vocabulary.reset_index(drop=True).copy()
    vocab["v_norm"] = normalise_wording(vocab["wording_ja"])
    dup = vocab["v_norm"].duplicated(keep=False) & (vocab["v_norm"] != "")
    if dup.any():
        first = vocab.loc[dup, "wording_ja"].iloc[0]
        raise DataError("evaluations/vocabulary.csv", None, "wording_ja",
                        "phrases that stay distinct after normalisation (NFKC, 「」。 and "
                        "whitespace removed)", f"{first!r} and another phrase")
    vocab = vocab[vocab["v_norm"] != ""]
    left = pd.DataFrame({"pos": np.arange(len(w)), "w_norm": norm.to_numpy()})
    pairs = left.merge(vocab, how="cross")
    if len(pairs):
        hit = np.char.find(pairs["w_norm"].fillna("").to_numpy(dtype=str),
                           pairs["v_norm"].to_numpy(dtype=str)) >= 0
        pairs = pairs[hit & pairs["w_norm"].notna().to_numpy()].copy()
    pairs["length"] = pairs["v_norm"].str.len()
    longest = pairs.groupby("pos")["length"].transform("max") if len(pairs) else pairs["length"]
    best = pairs[pairs["length"] == longest].sort_values(["pos", "scale", "wording_ja"])
    n_levels = best.groupby("pos")["level"].agg(lambda s: s.astype("object")
                                                .fillna(-1).nunique())
    first = best.drop_duplicates("pos").set_index("pos")
    ambiguous = n_levels[n_levels > 1].index
    tied = best[best["pos"].isin(ambiguous)].groupby("pos")["wording_ja"].agg("; ".join)

    out = pd.DataFrame(index=pd.RangeIndex(len(w)))
    out["wording_norm"] = norm.to_numpy()
    out["vocabulary_wording"] = first["wording_ja"].reindex(out.index).astype("object")
    out["scale"] = first["scale"].reindex(out.index).astype("object")
    out["level"] = first["level"].reindex(out.index).astype("Int64")
    out["level_label_en"] = first["level_label_en"].reindex(out.index).astype("object")
    out["reason"] = first["reason"].reindex(out.index).astype("object")
    rated = w.notna().to_numpy() & (norm.fillna("") != "").to_numpy()
    found = out["vocabulary_wording"].notna()
    is_amb = out.index.isin(ambiguous)
    status = np.select(
        [~rated, is_amb, ~found, out["level"].isna(), found],
        [NOT_RATED, UNMAPPED_AMBIGUOUS, UNMAPPED_NO_ENTRY, UNMAPPED_NO_LEVEL, MAPPED],
        default=UNMAPPED_NO_ENTRY)
    out["mapping_status"] = status.astype(object)
    out.loc[is_amb, ["level"]] = pd.NA
    out.loc[is_amb, "reason"] = ("several vocabulary phrases of the same length match and "
                                 "give different levels: " + tied.reindex(
                                     out.index[is_amb]).to_numpy(dtype=object))
    none = rated & ~found.to_numpy() & ~is_amb
    out.loc[none, "reason"] = ("no vocabulary phrase is contained in the wording, so it "
                               "has no common level")
    out.loc[~rated, ["vocabulary_wording", "scale", "level_label_en", "reason"]] = np.nan
    out.loc[~rated, "level"] = pd.NA
    out.index = w.index
    return out


def _natural_key(labels: pd.Series) -> pd.Series:
    """Sort key that orders embedded numbers numerically ('2' before '10')."""
    return labels.astype("string").str.replace(
        r"\d+", lambda m: m.group(0).zfill(8), regex=True)


def build_rating_table(cycles: pd.DataFrame, objectives: pd.DataFrame,
                       ratings: pd.DataFrame, vocabulary: pd.DataFrame) -> pd.DataFrame:
    """One row per (cycle, objective) of the given cycles, with its judgement and level.

    ``cycles`` is the output of :func:`select_cycles` (or any frame with ``cycle_id``
    and ``evaluation_year``). Columns: ``cycle_id``, ``evaluation_year``,
    ``cycle_order``, ``objective_no``, ``objective_order``, ``text_ja``, ``text_en``,
    ``wording_ja``, ``judgement_sentence_ja``, then those of :func:`map_wording`.
    Sorted by cycle order, then objective order.
    """
    cyc = cycles.copy()
    if "cycle_order" not in cyc:
        cyc = cyc.sort_values(["evaluation_year", "cycle_id"], ignore_index=True)
        cyc["cycle_order"] = np.arange(len(cyc), dtype="int64")
    keys = ["cycle_id", "objective_no"]
    obj_cols = [c for c in ("text_ja", "text_en") if c in objectives]
    rat_cols = [c for c in ("wording_ja", "judgement_sentence_ja") if c in ratings]
    merged = objectives[keys + obj_cols].merge(ratings[keys + rat_cols], on=keys, how="outer")
    merged = merged.merge(cyc[["cycle_id", "evaluation_year", "cycle_order"]], on="cycle_id",
                          how="inner")
    for col in ("text_ja", "text_en", "wording_ja", "judgement_sentence_ja"):
        if col not in merged:
            merged[col] = np.nan
        merged[col] = merged[col].astype("object")
    merged["_nat"] = _natural_key(merged["objective_no"])
    first_seen = merged.groupby("objective_no")["cycle_order"].transform("min")
    merged["_first"] = first_seen
    merged = merged.sort_values(["_first", "_nat"], ignore_index=True)
    order = merged.drop_duplicates("objective_no")["objective_no"]
    merged["objective_order"] = merged["objective_no"].map(
        pd.Series(np.arange(len(order)), index=order.to_numpy())).astype("int64")
    mapped = map_wording(merged["wording_ja"], vocabulary)
    table = pd.concat([merged.drop(columns=["_nat", "_first"]), mapped], axis=1)
    cols = ["cycle_id", "evaluation_year", "cycle_order", "objective_no", "objective_order",
            "text_ja", "text_en", "wording_ja", "judgement_sentence_ja"] + list(mapped.columns)
    return table[cols].sort_values(["cycle_order", "objective_order"], ignore_index=True)


def rating_table(tables: Any, policy_area: str | None = None,
                 cycles: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`build_rating_table` on the tables of a :class:`analysis.bundle.Bundle`.

    >>> from analysis.bundle import load_bundle
    >>> t = rating_table(load_bundle())
    >>> t["mapping_status"].isin([MAPPED, UNMAPPED_NO_ENTRY, UNMAPPED_NO_LEVEL,
    ...                           UNMAPPED_AMBIGUOUS, NOT_RATED]).all()
    np.True_
    """
    cyc = select_cycles(tables.cycles, policy_area, cycles)
    return build_rating_table(cyc, tables.objectives, tables.ratings, tables.vocabulary)


def rating_matrix(table: pd.DataFrame, value: str = "level") -> pd.DataFrame:
    """Cycles (rows, in cycle order) x objectives (columns, in objective order) of
    ``value``: ``level`` (Int64), ``wording_ja`` (original wording) or any column.

    Only cycles with at least one objective or rating appear; a cell is NA where the
    cycle has no such objective or no value.

    >>> t = pd.DataFrame({"cycle_id": ["A", "A", "B"], "cycle_order": [0, 0, 1],
    ...                   "objective_no": ["1", "2", "1"], "objective_order": [0, 1, 0],
    ...                   "level": pd.array([3, pd.NA, 4], dtype="Int64")})
    >>> rating_matrix(t).to_string()
    'objective_no  1     2\\ncycle_id             \\nA             3  <NA>\\nB             4  <NA>'
    """
    rows = table.drop_duplicates("cycle_id").sort_values("cycle_order")["cycle_id"]
    cols = table.drop_duplicates("objective_no").sort_values("objective_order")["objective_no"]
    mat = table.pivot(index="cycle_id", columns="objective_no", values=value)
    mat = mat.reindex(index=rows.to_numpy(), columns=cols.to_numpy())
    if value == "level":
        mat = mat.astype("Int64")
    mat.index.name, mat.columns.name = "cycle_id", "objective_no"
    return mat


def latest_rated_cycle(table: pd.DataFrame) -> str | None:
    """The rated cycle (one with at least one judgement) latest in cycle order.

    >>> latest_rated_cycle(pd.DataFrame({"cycle_id": ["A", "B"], "cycle_order": [0, 1],
    ...                                   "wording_ja": ["x", None]}))
    'A'
    """
    rated = table[table["wording_ja"].notna()]
    if rated.empty:
        return None
    return str(rated.sort_values("cycle_order")["cycle_id"].iloc[-1])


def vocabulary_mapping(table: pd.DataFrame, vocabulary: pd.DataFrame) -> pd.DataFrame:
    """The mapping and its reasons: every vocabulary phrase, plus every rating wording the
    vocabulary cannot place, with the cycles (and ratings) using it.

    Columns: ``wording``, ``scale``, ``level``, ``label``, ``mapping_status``, ``reason``,
    ``cycles`` ("; "-joined, in cycle order), ``ratings`` (cycle/objective pairs),
    ``n_ratings``. Sorted by scale, level (highest first), wording; unplaced wording last.
    """
    rated = table[table["mapping_status"] != NOT_RATED].sort_values(
        ["cycle_order", "objective_order"])
    rated = rated.assign(_rating=rated["cycle_id"] + "/" + rated["objective_no"])
    by_vocab = rated[rated["vocabulary_wording"].notna()].groupby("vocabulary_wording")
    uses = pd.DataFrame({
        "cycles": by_vocab["cycle_id"].agg(lambda s: "; ".join(dict.fromkeys(s))),
        "ratings": by_vocab["_rating"].agg("; ".join),
        "n_ratings": by_vocab.size(),
    })
    vocab = vocabulary.reset_index(drop=True)
    known = pd.DataFrame({
        "wording": vocab["wording_ja"].to_numpy(dtype=object),
        "scale": vocab["scale"].to_numpy(dtype=object),
        "level": pd.array(vocab["level"], dtype="Int64"),
        "label": vocab["level_label_en"].to_numpy(dtype=object),
        "mapping_status": np.where(vocab["level"].isna(), UNMAPPED_NO_LEVEL, MAPPED),
        "reason": vocab["reason"].to_numpy(dtype=object),
    })
    known = known.join(uses, on="wording")
    unplaced = rated[rated["vocabulary_wording"].isna()
                     | (rated["mapping_status"] == UNMAPPED_AMBIGUOUS)]
    by_wording = unplaced.groupby("wording_ja", sort=False)
    other = pd.DataFrame({
        "wording": list(by_wording.groups),
        "scale": np.nan,
        "level": pd.array([pd.NA] * by_wording.ngroups, dtype="Int64"),
        "label": np.nan,
        "mapping_status": by_wording["mapping_status"].first().to_numpy(dtype=object),
        "reason": by_wording["reason"].first().to_numpy(dtype=object),
        "cycles": by_wording["cycle_id"].agg(
            lambda s: "; ".join(dict.fromkeys(s))).to_numpy(dtype=object),
        "ratings": by_wording["_rating"].agg("; ".join).to_numpy(dtype=object),
        "n_ratings": by_wording.size().to_numpy(),
    })
    known = known.sort_values(["scale", "level", "wording"], ascending=[True, False, True],
                              na_position="last")
    out = pd.concat([known, other], ignore_index=True)
    out["n_ratings"] = out["n_ratings"].fillna(0).astype("int64")
    return out


# --- objectives across cycles -------------------------------------------------------------
def match_objectives(objectives_from: pd.DataFrame, objectives_to: pd.DataFrame,
                     threshold: float = SIMILARITY_THRESHOLD,
                     pair_by_number: bool = True) -> pd.DataFrame:
    """Pair the objectives of two cycles (frames with ``objective_no`` and ``text_ja``).

    First one-to-one by text similarity (pairs scoring >= ``threshold``); then, when
    ``pair_by_number``, objectives left on both sides with the same number (a rewrite
    below the threshold); the rest are dropped/new. Columns: ``objective_from``,
    ``objective_to``, ``similarity`` (NA for dropped/new), ``basis`` (text/number),
    ``change`` (unchanged: identical text; rewritten; dropped; new), ``text_from``,
    ``text_to``, ``diff_text``, ``diff_html``.

    >>> a = pd.DataFrame({"objective_no": ["1", "2"],
    ...                   "text_ja": ["核軍縮を進める", "地雷をなくす"]})
    >>> b = pd.DataFrame({"objective_no": ["1", "2"],
    ...                   "text_ja": ["地雷をなくす", "核軍縮を進める"]})
    >>> match_objectives(a, b)[["objective_from", "objective_to", "change"]].to_numpy().tolist()
    [['1', '2', 'unchanged'], ['2', '1', 'unchanged']]
    """
    fa = objectives_from.drop_duplicates("objective_no").set_index("objective_no")["text_ja"]
    fb = objectives_to.drop_duplicates("objective_no").set_index("objective_no")["text_ja"]
    fa, fb = fa.astype("object").fillna(""), fb.astype("object").fillna("")
    by_text = match_texts(fa, fb, threshold).assign(basis="text")
    left_a = fa.index.difference(by_text["key_a"], sort=False)
    left_b = fb.index.difference(by_text["key_b"], sort=False)
    frames = [by_text]
    if pair_by_number:
        same = left_a.intersection(left_b, sort=False)
        if len(same):
            sims = similarity_matrix(fa[same], fb[same]).to_numpy().diagonal()
            frames.append(pd.DataFrame({"key_a": same.to_numpy(dtype=object),
                                        "key_b": same.to_numpy(dtype=object),
                                        "similarity": sims, "basis": "number"}))
            left_a, left_b = left_a.difference(same, sort=False), left_b.difference(same,
                                                                                    sort=False)
    frames.append(pd.DataFrame({"key_a": left_a.to_numpy(dtype=object), "key_b": None,
                                "similarity": np.nan, "basis": None}))
    frames.append(pd.DataFrame({"key_a": None, "key_b": left_b.to_numpy(dtype=object),
                                "similarity": np.nan, "basis": None}))
    pairs = pd.concat([f for f in frames if len(f)], ignore_index=True)
    if pairs.empty:
        pairs = pd.DataFrame(columns=["key_a", "key_b", "similarity", "basis"])
    pairs = pairs.rename(columns={"key_a": "objective_from", "key_b": "objective_to"})
    pairs["text_from"] = pairs["objective_from"].map(fa).astype("object")
    pairs["text_to"] = pairs["objective_to"].map(fb).astype("object")
    both = pairs["objective_from"].notna() & pairs["objective_to"].notna()
    pairs["change"] = np.select(
        [both & (pairs["text_from"] == pairs["text_to"]), both,
         pairs["objective_to"].isna()], ["unchanged", "rewritten", "dropped"], "new")
    pairs["diff_text"] = [diff_text(a, b) if ok else None for a, b, ok in
                          zip(pairs["text_from"], pairs["text_to"], both, strict=True)]
    pairs["diff_html"] = [diff_html(a, b) if ok else None for a, b, ok in
                          zip(pairs["text_from"], pairs["text_to"], both, strict=True)]
    # order: by the earlier cycle's objective order, new objectives at the end
    pos_a = pd.Series(np.arange(len(fa)), index=fa.index)
    pos_b = pd.Series(np.arange(len(fb)), index=fb.index)
    pairs["_a"] = pairs["objective_from"].map(pos_a).fillna(len(fa))
    pairs["_b"] = pairs["objective_to"].map(pos_b).fillna(-1)
    pairs["similarity"] = pairs["similarity"].astype("float64")
    return (pairs.sort_values(["_a", "_b"]).drop(columns=["_a", "_b"])
            .reset_index(drop=True)[["objective_from", "objective_to", "similarity", "basis",
                                     "change", "text_from", "text_to", "diff_text",
                                     "diff_html"]])


def _consecutive(table: pd.DataFrame) -> list[tuple[str, str]]:
    """Consecutive pairs of the cycles that have objectives, in cycle order."""
    with_obj = table[table["text_ja"].notna()].drop_duplicates("cycle_id")
    ids = with_obj.sort_values("cycle_order")["cycle_id"].tolist()
    return list(zip(ids[:-1], ids[1:], strict=True))


def objective_changes(table: pd.DataFrame, threshold: float = SIMILARITY_THRESHOLD,
                      pair_by_number: bool = True) -> pd.DataFrame:
    """:func:`match_objectives` between each pair of consecutive cycles with objectives,
    with ``from_cycle`` and ``to_cycle`` in front."""
    frames = []
    for a, b in _consecutive(table):
        m = match_objectives(table[table["cycle_id"] == a], table[table["cycle_id"] == b],
                             threshold, pair_by_number)
        m.insert(0, "to_cycle", b)
        m.insert(0, "from_cycle", a)
        frames.append(m)
    if not frames:
        return pd.DataFrame(columns=["from_cycle", "to_cycle", "objective_from", "objective_to",
                                     "similarity", "basis", "change", "text_from", "text_to",
                                     "diff_text", "diff_html"])
    return pd.concat(frames, ignore_index=True)


def transitions(table: pd.DataFrame, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Level transitions of each objective between consecutive cycles with objectives.

    ``transition`` is up / same / down when both levels are known, ``unmapped`` when a
    level is missing on either side (``reason`` says which and why), ``dropped`` or
    ``new`` for objectives with no counterpart (see :func:`objective_changes`).
    """
    changes = objective_changes(table) if changes is None else changes
    info = table.set_index(["cycle_id", "objective_no"])[["level", "mapping_status"]]
    cols = ["from_cycle", "to_cycle", "objective_from", "objective_to", "similarity", "basis"]
    out = changes[cols].copy()
    key_a = pd.MultiIndex.from_arrays([out["from_cycle"], out["objective_from"]])
    key_b = pd.MultiIndex.from_arrays([out["to_cycle"], out["objective_to"]])
    la = info.reindex(key_a)
    lb = info.reindex(key_b)
    out["level_from"] = pd.array(la["level"].to_numpy(), dtype="Int64")
    out["level_to"] = pd.array(lb["level"].to_numpy(), dtype="Int64")
    has_a, has_b = out["objective_from"].notna(), out["objective_to"].notna()
    both = has_a & has_b
    known = both & out["level_from"].notna() & out["level_to"].notna()
    diff = (out["level_to"] - out["level_from"]).fillna(0).to_numpy()
    out["transition"] = np.select(
        [~has_b, ~has_a, ~known, known & (diff > 0), known & (diff < 0)],
        ["dropped", "new", "unmapped", "up", "down"], "same").astype(object)
    status_a = pd.Series(la["mapping_status"].to_numpy(), index=out.index).fillna("")
    status_b = pd.Series(lb["mapping_status"].to_numpy(), index=out.index).fillna("")
    side_a = out["from_cycle"] + " " + out["objective_from"].fillna("") + ": " + status_a
    side_b = out["to_cycle"] + " " + out["objective_to"].fillna("") + ": " + status_b
    miss_a = (both & out["level_from"].isna()).to_numpy()
    miss_b = (both & out["level_to"].isna()).to_numpy()
    reason = np.select(
        [~has_b, ~has_a, miss_a & miss_b, miss_a, miss_b],
        ["no counterpart in " + out["to_cycle"], "no counterpart in " + out["from_cycle"],
         side_a + "; " + side_b, side_a, side_b], "").astype(object)
    reason = pd.Series(reason, index=out.index)
    out["reason"] = reason.replace("", np.nan)
    return out


# --- overview -----------------------------------------------------------------------------
def cycle_overview(cycles: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """What each cycle is: year, period, document, status, and how many objectives and
    judgements the tables hold for it (in cycle order)."""
    n_obj = table[table["text_ja"].notna()].groupby("cycle_id").size()
    n_rated = table[table["wording_ja"].notna()].groupby("cycle_id").size()
    cols = ["cycle_id", "evaluation_year", "evaluation_year_ja", "period_covered_ja",
            "document_ja", "policy_name_ja", "status", "evidence_level"]
    cols = [c for c in cols if c in cycles]
    out = cycles.sort_values(["evaluation_year", "cycle_id"])[cols].reset_index(drop=True)
    out["n_objectives"] = out["cycle_id"].map(n_obj).fillna(0).astype("int64")
    out["n_rated"] = out["cycle_id"].map(n_rated).fillna(0).astype("int64")
    return out


# --- indicators ---------------------------------------------------------------------------
def parse_linked_years(years: pd.Series) -> pd.DataFrame:
    """Expand ``linked_years`` ('2005', '2005;2007', '2003-2005') to one row per year.

    Returns columns ``row`` (index label of ``years``) and ``year`` (int).

    >>> parse_linked_years(pd.Series(["2003-2005;2008"], index=["I1"]))["year"].tolist()
    [2003, 2004, 2005, 2008]
    """
    items = years.dropna().astype("string").str.split(";").explode()
    items = items[items.str.len() > 0]
    start = items.str.split("-").str[0].astype("int64")
    end = items.str.split("-").str[-1].astype("int64")
    if (end < start).any():
        bad = items[end < start].iloc[0]
        raise DataError("evaluations/indicators.csv", None, "linked_years",
                        "year ranges written first-last", repr(bad))
    count = (end - start + 1).to_numpy()
    rows = np.repeat(items.index.to_numpy(dtype=object), count)
    base = np.repeat(start.to_numpy(), count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return pd.DataFrame({"row": rows, "year": (base + offset).astype("int64")})


def linked_values(indicators: pd.DataFrame, resolutions: pd.DataFrame) -> pd.DataFrame:
    """Actual values of indicators pointing at another dataset (``linked_dataset``).

    ``unga:<family>`` with ``linked_years``: the plenary yes count of that family's
    resolution voted in each of those years, from ``resolutions`` with their chosen figure
    (:func:`analysis.unga.with_counts`), with the resolution symbol and the source of
    the figure. ``prior_max_yes`` is the family's highest yes count in earlier years (NA
    when there is none). A year with no resolution row (or no count) keeps NA and says so.
    """
    linked = indicators[indicators["linked_dataset"].notna()].reset_index(drop=True)
    cols = ["indicator_id", "cycle_id", "objective_no", "linked_dataset", "family", "year",
            "resolution_id", "symbol", "yes", "no", "abstain", "prior_max_yes", "source",
            "source_kind", "value_note"]
    if linked.empty:
        return pd.DataFrame(columns=cols)
    kind = linked["linked_dataset"].str.split(":").str[0]
    if (kind != "unga").any():
        raise DataError("evaluations/indicators.csv", None, "linked_dataset",
                        "unga:<family>", repr(linked.loc[kind != "unga",
                                                         "linked_dataset"].iloc[0]))
    linked["family"] = linked["linked_dataset"].str.split(":").str[1]
    years = parse_linked_years(linked["linked_years"])
    long = years.merge(linked[["indicator_id", "cycle_id", "objective_no", "linked_dataset",
                               "family"]], left_on="row", right_index=True).drop(columns="row")
    res = resolutions.assign(family=resolutions["family"].astype("object"),
                             year=resolutions["year"].astype("int64"))
    res = res[["family", "year", "resolution_id", "symbol", "yes", "no", "abstain", "source",
               "source_kind"]]
    res = res.assign(source_kind=res["source_kind"].astype("object"))
    # the highest yes count of the family in any earlier year, to set a value in context
    # (e.g. a document calling a vote the widest support so far)
    res = res.sort_values(["family", "year"])
    prior = res.groupby("family")["yes"].transform(
        lambda s: s.astype("Float64").cummax().shift(1))
    res = res.assign(prior_max_yes=pd.array(prior, dtype="Float64").astype("Int64"))
    out = long.merge(res, on=["family", "year"], how="left")
    out["value_note"] = np.where(out["resolution_id"].isna(),
                                 "no resolution of the family voted that year",
                                 np.where(out["yes"].isna(), "no count in the table", ""))
    out["value_note"] = out["value_note"].replace("", np.nan)
    return out.sort_values(["indicator_id", "year"], ignore_index=True)[cols]


def indicator_table(indicators: pd.DataFrame, cycles: pd.DataFrame,
                    linked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Indicators of the selected cycles (in cycle order) with where their value comes from.

    ``value_source``: ``evaluation document`` when the document prints a number,
    ``<linked_dataset> (<years>)`` when the value comes from another dataset,
    ``text only`` otherwise. ``linked_yes`` holds the linked yes counts ("; "-joined).
    """
    order = cycles.set_index("cycle_id")["cycle_order"] if "cycle_order" in cycles else \
        pd.Series(np.arange(len(cycles)), index=cycles["cycle_id"])
    ind = indicators[indicators["cycle_id"].isin(order.index)].copy()
    ind["cycle_order"] = ind["cycle_id"].map(order)
    source = np.where(ind["actual_value"].notna() | ind["target_value"].notna(),
                      "evaluation document", "text only").astype(object)
    link = ind["linked_dataset"].notna().to_numpy()
    source[link] = (ind.loc[link, "linked_dataset"] + " ("
                    + ind.loc[link, "linked_years"].fillna("") + ")").to_numpy(dtype=object)
    ind["value_source"] = source
    if linked is not None and len(linked):
        yes = linked.dropna(subset=["yes"]).astype({"yes": "int64"})
        text = (yes["year"].astype(str) + ": " + yes["yes"].astype(str)).groupby(
            yes["indicator_id"]).agg("; ".join)
        ind["linked_yes"] = ind["indicator_id"].map(text)
    else:
        ind["linked_yes"] = np.nan
    return ind.sort_values(["cycle_order", "indicator_id"], ignore_index=True)


def indicator_values(indicators: pd.DataFrame, linked: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """Long frame of the numbers to chart: one row per (indicator, kind, year).

    ``kind`` is ``target``, ``actual`` (printed in the evaluation document) or
    ``linked`` (from another dataset, see :func:`linked_values`); ``source`` names where
    the number comes from. Indicators with no number at all are left out; the others
    keep the order of ``indicators`` (e.g. :func:`indicator_table`'s cycle order).
    """
    base = indicators[["indicator_id", "cycle_id", "objective_no", "name_ja", "name_en",
                       "reference_period", "unit"]].assign(
        _pos=np.arange(len(indicators)))
    parts = []
    for col, kind in (("target_value", "target"), ("actual_value", "actual")):
        has = indicators[col].notna()
        part = base[has].assign(kind=kind, value=indicators.loc[has, col].astype("float64"),
                                year=pd.NA, source="evaluation document")
        parts.append(part)
    if linked is not None and len(linked):
        lk = linked.dropna(subset=["yes"])
        lk = lk[["indicator_id", "year", "yes", "symbol", "source"]].merge(
            base, on="indicator_id")
        lk = lk.assign(kind="linked", value=lk["yes"].astype("float64"),
                       source="UNGA " + lk["symbol"].fillna("(no symbol)") + ": "
                       + lk["source"].fillna("source not recorded"))
        parts.append(lk.drop(columns=["yes", "symbol"]))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else pd.DataFrame(columns=list(base.columns) + [
            "kind", "value", "year", "source"])
    if "_pos" not in out:
        out["_pos"] = pd.Series(dtype="int64")
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out.sort_values(["_pos", "kind", "year"], ignore_index=True).drop(columns="_pos")


# --- output -------------------------------------------------------------------------------
def evaluation_json(cycles: pd.DataFrame, table: pd.DataFrame, changes: pd.DataFrame,
                    trans: pd.DataFrame, indicators: pd.DataFrame | None = None,
                    linked: pd.DataFrame | None = None) -> dict:
    """The notebook's JSON summary: cycles, ratings, objective_changes, transitions,
    indicators and linked values, as lists of plain records."""
    def records(frame: pd.DataFrame, mapping: dict[str, str]) -> list[dict]:
        sub = frame[list(mapping)].rename(columns=mapping).astype("object")
        return sub.where(sub.notna(), None).to_dict(orient="records")

    rated = table[table["wording_ja"].notna()]
    out = {
        "cycles": records(cycles, {"cycle_id": "cycle", "evaluation_year": "evaluation_year",
                                   "status": "status", "n_objectives": "n_objectives",
                                   "n_rated": "n_rated"}),
        "ratings": records(rated, {"cycle_id": "cycle", "objective_no": "objective",
                                   "wording_ja": "wording", "level": "level",
                                   "mapping_status": "mapping_status",
                                   "vocabulary_wording": "vocabulary_wording"}),
        "objective_changes": records(changes, {
            "from_cycle": "from_cycle", "to_cycle": "to_cycle",
            "objective_from": "objective_from", "objective_to": "objective_to",
            "similarity": "similarity", "basis": "basis", "change": "change",
            "diff_text": "diff"}),
        "transitions": records(trans, {
            "from_cycle": "from_cycle", "to_cycle": "to_cycle",
            "objective_from": "objective_from", "objective_to": "objective_to",
            "level_from": "level_from", "level_to": "level_to", "transition": "transition"}),
        "latest_rated_cycle": latest_rated_cycle(table),
        "similarity_threshold": SIMILARITY_THRESHOLD,
    }
    for change in out["objective_changes"]:
        if change["similarity"] is not None:
            change["similarity"] = round(float(change["similarity"]), 4)
    if indicators is not None:
        out["indicators"] = records(indicators, {
            "indicator_id": "indicator", "cycle_id": "cycle", "objective_no": "objective",
            "target_value": "target", "actual_value": "actual", "unit": "unit",
            "value_source": "value_source"})
    if linked is not None:
        out["linked_values"] = records(linked, {
            "indicator_id": "indicator", "linked_dataset": "dataset", "year": "year",
            "symbol": "symbol", "yes": "yes", "source": "source"})
    return out


def describe_latest(table: pd.DataFrame, lang: str = "en") -> str:
    """Lines describing the judgements of the latest rated cycle (level or why none).

    >>> t = pd.DataFrame({"cycle_id": ["A"], "cycle_order": [0], "evaluation_year": [2031],
    ...                   "objective_no": ["1"], "objective_order": [0], "wording_ja": ["x"],
    ...                   "level": pd.array([3], dtype="Int64"), "mapping_status": ["mapped"]})
    >>> from analysis.labels import plain_text
    >>> print(plain_text(describe_latest(t)))
    Latest rated cycle: A (2031), 1 objectives with a judgement.
      objective 1: level 3 (mapped) — x
    """
    cycle = latest_rated_cycle(table)
    if cycle is None:
        return label("eval.text.no_rated", lang)
    rows = table[(table["cycle_id"] == cycle) & table["wording_ja"].notna()].sort_values(
        "objective_order")
    lines = [fmt("eval.text.latest", lang, cycle=cycle, year=int(rows["evaluation_year"].iloc[0]),
                 n=len(rows))]
    for obj, level, status, wording in zip(rows["objective_no"], rows["level"],
                                           rows["mapping_status"], rows["wording_ja"],
                                           strict=True):
        key = "eval.text.objective_level" if pd.notna(level) else "eval.text.objective_unmapped"
        lines.append(fmt(key, lang, obj=obj, level=level, wording=data_text(wording),
                         status=value_label(status, "value.mapping", lang)))
    return "\n".join(lines)


def describe_cycles(overview: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on a :func:`cycle_overview` frame: cycles, years, how many rated.

    >>> o = pd.DataFrame({"evaluation_year": [2031, 2034], "n_rated": [2, 0],
    ...                   "n_objectives": [2, 4]})
    >>> describe_cycles(o)
    '2 cycles, evaluation years 2031-2034; with judgements: 1; with objectives: 2'
    """
    return fmt("eval.text.cycles", lang, n=len(overview),
               first=overview["evaluation_year"].min(), last=overview["evaluation_year"].max(),
               rated=int((overview["n_rated"] > 0).sum()),
               with_objectives=int((overview["n_objectives"] > 0).sum()))


def describe_mapping(mapping: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on a :func:`vocabulary_mapping` frame: phrases, wording in use, unmapped."""
    used = mapping[mapping["n_ratings"] > 0]
    unmapped = used["level"].isna()
    return fmt("eval.text.mapping", lang, rows=len(mapping),
               levelled=int(mapping["level"].notna().sum()), used=len(used),
               unmapped=int(unmapped.sum()), judgements=int(used.loc[unmapped, "n_ratings"].sum()))


def describe_transitions(trans: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: how many objectives made each kind of transition (most frequent
    first, ties by name).

    >>> describe_transitions(pd.DataFrame({"transition": ["new", "dropped", "new"]}))
    'Level transitions of the 3 objectives compared: new 2, dropped 1.'
    """
    counts = trans["transition"].value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    items = join((fmt("eval.text.transitions", lang, n=int(n),
                      transition=value_label(t, "value.transition", lang))
                  for t, n in counts.items()), lang)
    return fmt("eval.text.transitions_all", lang, total=int(counts.sum()), items=items)


def describe_indicators(ind: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on an :func:`indicator_table` frame: numeric targets, actuals, links."""
    return fmt("eval.text.indicators", lang, n=len(ind),
               targets=int(ind["target_value"].notna().sum()),
               actuals=int(ind["actual_value"].notna().sum()),
               linked=int(ind["linked_dataset"].notna().sum()))


def describe_changes(changes: pd.DataFrame, lang: str = "en") -> str:
    """One line per consecutive pair of cycles counting unchanged/rewritten/new/dropped."""
    if changes.empty:
        return ""
    counts = changes.groupby(["from_cycle", "to_cycle", "change"], sort=False).size()
    lines = []
    for (a, b), sub in counts.groupby(level=[0, 1], sort=False):
        parts = [fmt("eval.text.change_count", lang, n=n,
                     change=value_label(c, "value.change", lang))
                 for (_, _, c), n in sub.items()]
        lines.append(fmt("eval.text.change", lang, a=a, b=b,
                         counts=label("sep.list", lang).join(parts)))
    return "\n".join(lines)


def describe_linked(linked: pd.DataFrame, lang: str = "en") -> str:
    """One line per linked indicator value: the counts, the resolution and its source."""
    lines = []
    for r in linked.astype("object").where(linked.notna(), None).to_dict(orient="records"):
        if r["yes"] is None:
            lines.append(fmt("eval.text.linked_missing", lang,
                             ind=r["indicator_id"], dataset=r["linked_dataset"], year=r["year"],
                             note=r["value_note"]))
            continue
        lines.append(fmt("eval.text.linked", lang,
                         ind=r["indicator_id"], dataset=r["linked_dataset"], year=r["year"],
                         yes=r["yes"], no=r["no"], abstain=r["abstain"],
                         symbol=r["symbol"] or label("eval.text.no_symbol", lang),
                         source=data_text(r["source"]), prior=r["prior_max_yes"]
                         if r["prior_max_yes"] is not None else "—"))
    return "\n".join(lines)


def changes_html(changes: pd.DataFrame, lang: str = "en") -> str:
    """An HTML table of objective changes with the highlighted diff of each pair.

    Every text is escaped (:func:`html.escape`); the diff cells come from
    :func:`analysis.textdiff.diff_html`, which escapes its text itself.
    """
    import html as _html

    from .present import mark_runs, text_language

    heads = ["from_cycle", "to_cycle", "objective_from", "objective_to", "similarity",
             "basis", "change", "diff"]
    head = "".join(f'<th style="text-align:left">{_html.escape(header(h, lang, "eval"))}</th>'
                   for h in heads)
    body = []
    for r in changes.astype("object").where(changes.notna(), None).to_dict(orient="records"):
        sim = "" if r["similarity"] is None else f"{float(r['similarity']):.3f}"
        if r["diff_html"] is not None:
            diff = r["diff_html"]
        else:
            text = r["text_from"] if r["text_from"] is not None else r["text_to"]
            diff = _html.escape(text or "")
        change = value_label(r["change"], "value.change", lang)
        cells = [r["from_cycle"], r["to_cycle"], r["objective_from"] or "—",
                 r["objective_to"] or "—", sim,
                 value_label(r["basis"], "value.basis", lang) if r["basis"] else "", change]
        tds = "".join(f'<td style="text-align:left">{mark_runs(str(c), lang)}</td>'
                      for c in cells)
        own = text_language(str(r["text_from"] or r["text_to"] or ""))
        mark = f' lang="{own}"' if own is not None and own == other_language(lang) else ""
        body.append(f'<tr>{tds}<td style="text-align:left"{mark}>{diff}</td></tr>')
    return (f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


#: Coded columns of the evaluation tables and the namespace of their labels.
CODED_COLUMNS = {"mapping_status": "value.mapping", "change": "value.change",
                 "status": "value.cycle_status", "transition": "value.transition",
                 "basis": "value.basis", "value_source": "value.value_source",
                 "coverage_status": "value.coverage", "measure": "value.measure",
                 "area": "value.area", "indicator_type": "value.indicator_type"}


def display_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``frame`` with its column headers in ``lang`` (columns without a label keep their
    name) and its coded values (mapping status, change, cycle status) as words.

    >>> list(display_table(pd.DataFrame(columns=["level", "x"]), "ja").columns)
    ['水準', 'x']
    """
    out = frame.copy()
    for col, namespace in CODED_COLUMNS.items():
        if col in out.columns:
            out[col] = translate_values(out[col], namespace, lang)
    return out.rename(columns={c: header(c, lang, "eval") for c in out.columns})


# --- coverage of the evaluation record per fiscal year ----------------------------------
#: coverage statuses, best first: a year's status is the best of its rows
COVERAGE_ORDER = ("read", "found_not_read", "not_found")
COVERAGE_TABLE_COLUMNS = ["fiscal_year", "evaluation_year_ja", "coverage_status", "cycle_id",
                          "document_ja", "n_judgements", "judgement_ja", "source_url",
                          "searched"]


def _first(values: pd.Series) -> object:
    """The first non-missing value of a group (NaN when none)."""
    values = values.dropna()
    return values.iloc[0] if len(values) else np.nan


def coverage_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """One row per fiscal year of the evaluation coverage table (``evaluation_coverage``).

    ``coverage_status`` is the year's best status (``read`` > ``found_not_read`` >
    ``not_found``); ``n_judgements`` counts the judgements read; ``judgement_ja`` joins
    them as ``objective: wording`` (``; ``); ``document_ja``, ``cycle_id``,
    ``source_url`` and ``searched`` are the year's first non-empty values. Sorted by year.

    >>> cov = pd.DataFrame({"fiscal_year": [2005, 2006, 2006],
    ...     "evaluation_year_ja": ["Y35", "Y36", "Y36"],
    ...     "cycle_id": [None, "X36", "X36"], "objective_no": [None, "8-1", "8-2"],
    ...     "status": ["not_found", "read", "read"], "document_ja": [None, "評価書", "評価書"],
    ...     "judgement_ja": [None, "「進展があった。」", "「進展があった。」"],
    ...     "source_url": [None, "https://example.org/h18", None],
    ...     "searched": ["Y35 評価書", None, None]})
    >>> t = coverage_table(cov)
    >>> t[["fiscal_year", "coverage_status", "n_judgements"]].to_numpy().tolist()
    [[2005, 'not_found', 0], [2006, 'read', 2]]
    >>> t.loc[1, "judgement_ja"]
    '8-1: 「進展があった。」; 8-2: 「進展があった。」'
    """
    frame = coverage.reset_index(drop=True).copy()
    rank = frame["status"].astype("object").map(
        {s: i for i, s in enumerate(COVERAGE_ORDER)})
    if rank.isna().any():
        bad = frame.loc[rank.isna(), "status"].iloc[0]
        raise DataError("evaluations/coverage.csv", None, "status",
                        "one of " + ", ".join(COVERAGE_ORDER), repr(bad))
    frame["_rank"] = rank.astype("int64")
    read = frame["judgement_ja"].notna()
    obj = frame["objective_no"].astype("object").where(frame["objective_no"].notna(), "")
    frame["_judgement"] = (obj + ": " + frame["judgement_ja"].astype("object")).where(read)
    frame = frame.sort_values(["fiscal_year", "_rank"], kind="stable")
    g = frame.groupby("fiscal_year", sort=True)
    out = pd.DataFrame({
        "evaluation_year_ja": g["evaluation_year_ja"].agg(_first),
        "coverage_status": g["_rank"].min().map(dict(enumerate(COVERAGE_ORDER))),
        "cycle_id": g["cycle_id"].agg(_first),
        "document_ja": g["document_ja"].agg(_first),
        "n_judgements": g["_judgement"].count().astype("int64"),
        "judgement_ja": g["_judgement"].agg(lambda s: "; ".join(s.dropna()) or np.nan),
        "source_url": g["source_url"].agg(_first),
        "searched": g["searched"].agg(_first),
    })
    out.index = pd.Index(out.index.astype("int64"), name="fiscal_year")
    return out.reset_index()[COVERAGE_TABLE_COLUMNS]


def coverage_counts(coverage: pd.DataFrame) -> pd.DataFrame:
    """How many fiscal years have each status (a year counts once, with its best status):
    one row per status of :data:`COVERAGE_ORDER` (zeros included), ``years`` and the
    ``fiscal_years`` themselves (``, ``-joined).

    >>> cov = pd.DataFrame({"fiscal_year": [2005, 2006, 2006, 2007],
    ...     "evaluation_year_ja": ["a", "b", "b", "c"], "cycle_id": None,
    ...     "objective_no": [None, "1", "2", None],
    ...     "status": ["not_found", "read", "read", "not_found"], "document_ja": None,
    ...     "judgement_ja": [None, "x", "y", None], "source_url": None, "searched": "q"})
    >>> coverage_counts(cov).to_numpy().tolist()
    [['read', 1, '2006'], ['found_not_read', 0, ''], ['not_found', 2, '2005, 2007']]
    """
    table = coverage_table(coverage)
    years = table.groupby("coverage_status")["fiscal_year"].agg(
        lambda s: ", ".join(str(int(y)) for y in sorted(s)))
    n = table["coverage_status"].value_counts()
    out = pd.DataFrame({"coverage_status": list(COVERAGE_ORDER)})
    out["years"] = out["coverage_status"].map(n).fillna(0).astype("int64")
    out["fiscal_years"] = out["coverage_status"].map(years).fillna("").astype(object)
    return out


def describe_coverage(coverage: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: the fiscal years covered and how many are read, found, not found.

    >>> cov = pd.DataFrame({"fiscal_year": [2005, 2006], "evaluation_year_ja": ["a", "b"],
    ...     "cycle_id": None, "objective_no": None, "status": ["not_found", "read"],
    ...     "document_ja": None, "judgement_ja": [None, "x"], "source_url": None,
    ...     "searched": ["q", None]})
    >>> describe_coverage(cov)  # doctest: +ELLIPSIS
    'Fiscal years 2005-2006 (2 years): evaluation read for 1, ... for 0, not found for 1.'
    """
    counts = coverage_counts(coverage).set_index("coverage_status")["years"]
    years = coverage["fiscal_year"].dropna().astype("int64")
    return fmt("eval.text.coverage", lang, first=int(years.min()), last=int(years.max()),
               n=int(years.nunique()), read=int(counts["read"]),
               found=int(counts["found_not_read"]), missing=int(counts["not_found"]))


# --- an outside view: the Hiroshima Report -----------------------------------------------
OUTSIDE_VIEW_COLUMNS = ["edition", "covered_from", "covered_to", "area", "measure", "value",
                        "maximum", "value_as_printed", "states_assessed", "maximum_changed",
                        "cycle_id", "n_judgements", "judgements", "levels"]


def outside_view(hiroshima: pd.DataFrame, rating_table: pd.DataFrame,
                 cycles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each Hiroshima Report figure about Japan beside the ministry's own judgements of
    the same years.

    ``hiroshima`` is the ``hiroshima_report`` table (one row per edition, area and
    measure: ``score`` with its ``maximum``, ``rank`` or ``percent``, as printed; empty
    ``measure``/``value`` where no figure was printed). Pairing is by year: a figure
    covering the years ``[covered_from, covered_to]`` is paired with every evaluation
    cycle whose period covered (``period_start_fy``-``period_end_fy``, Japanese fiscal
    years) overlaps them, taken from ``cycles`` (the ``cycles`` table; default: the
    period columns of ``rating_table``). The cycle's judgements come from
    ``rating_table`` (:func:`rating_table`): ``n_judgements``, ``judgements``
    (``objective: wording``, ``; ``-joined) and ``levels`` (``objective: level``, ``–``
    where the wording has no common level). A cycle without a judgement keeps
    ``n_judgements`` 0; a figure with no such cycle keeps ``cycle_id`` empty.
    ``maximum_changed`` is True where a score's maximum differs from the one of the
    previous edition with a maximum for that area (the criteria changed: the scores are
    then not comparable), NA where there is no earlier maximum or no score. The areas are
    the report's (nuclear disarmament, non-proliferation, nuclear security); no area is
    matched to one objective: all the cycle's judgements are shown. Raises DataError when
    a needed column is missing.

    >>> hr = pd.DataFrame({"edition": [2033, 2034], "covered_from": [2032, 2033],
    ...     "covered_to": [2032, 2033], "area": ["nuclear_disarmament"] * 2,
    ...     "measure": ["score"] * 2, "value": [28.0, 27.5], "maximum": [48.0, 48.0],
    ...     "value_as_printed": ["28.0/48", "27.5/48"], "states_assessed": ["34", "34"]})
    >>> rt = pd.DataFrame({"cycle_id": ["X30", "X30"], "objective_no": ["1", "2"],
    ...     "objective_order": [0, 1], "wording_ja": ["強化できた", "概ね達成"],
    ...     "level": pd.array([pd.NA, 3], dtype="Int64")})
    >>> cyc = pd.DataFrame({"cycle_id": ["X30"], "period_start_fy": [2031],
    ...                     "period_end_fy": [2033]})
    >>> v = outside_view(hr, rt, cyc)
    >>> v[["edition", "cycle_id", "n_judgements", "levels"]].to_numpy().tolist()
    [[2033, 'X30', 2, '1: –; 2: 3'], [2034, 'X30', 2, '1: –; 2: 3']]
    """
    need = ("edition", "covered_from", "covered_to", "area", "measure", "value")
    missing = [c for c in need if c not in hiroshima.columns]
    if missing:
        raise DataError("hiroshima_report", None, missing[0], f"a column {missing[0]!r}",
                        "no such column")
    periods = rating_table if cycles is None else cycles
    for col in ("cycle_id", "period_start_fy", "period_end_fy"):
        if col not in periods.columns:
            raise DataError("cycles" if cycles is not None else "rating_table", None, col,
                            f"a column {col!r} (pass the cycles table as cycles=)",
                            "no such column")
    figs = hiroshima.reset_index(drop=True).copy()
    for col in ("maximum", "value_as_printed", "states_assessed"):
        if col not in figs.columns:
            figs[col] = np.nan
    figs["_fig"] = np.arange(len(figs))

    # maximum_changed: against the previous edition with a maximum, per area
    scored = figs[figs["maximum"].notna()].sort_values(["area", "edition"])
    prev = scored.groupby(scored["area"].astype("object"))["maximum"].shift()
    changed = pd.Series(pd.NA, index=figs.index, dtype="boolean")
    has_prev = prev.notna()
    changed.loc[scored.index[has_prev]] = (scored.loc[has_prev, "maximum"]
                                           != prev[has_prev]).to_numpy()
    figs["maximum_changed"] = changed

    per = periods.drop_duplicates("cycle_id")[["cycle_id", "period_start_fy",
                                              "period_end_fy"]]
    per = per[per["period_start_fy"].notna() & per["period_end_fy"].notna()]
    pairs = figs[["_fig", "covered_from", "covered_to"]].merge(per, how="cross")
    overlap = ((pairs["period_start_fy"].astype("int64") <= pairs["covered_to"].astype("int64"))
               & (pairs["period_end_fy"].astype("int64") >= pairs["covered_from"].astype("int64")))
    pairs = pairs[overlap.to_numpy(bool)]

    rated = rating_table[rating_table["wording_ja"].notna()].copy()
    if "objective_order" in rated.columns:
        rated = rated.sort_values(["cycle_id", "objective_order"])
    level = rated["level"].astype("Int64").astype("object").where(rated["level"].notna(), "–")
    rated["_j"] = rated["objective_no"].astype(str) + ": " + rated["wording_ja"].astype(str)
    rated["_l"] = rated["objective_no"].astype(str) + ": " + level.astype(str)
    by_cycle = rated.groupby("cycle_id")
    per_cycle = pd.DataFrame({"n": by_cycle.size(), "j": by_cycle["_j"].agg("; ".join),
                              "l": by_cycle["_l"].agg("; ".join)})
    pairs = pairs.join(per_cycle, on="cycle_id")
    pairs["n"] = pairs["n"].fillna(0).astype("int64")
    g = pairs.sort_values(["_fig", "period_start_fy"]).groupby("_fig")
    figs["cycle_id"] = figs["_fig"].map(g["cycle_id"].agg("; ".join)).astype("object")
    figs["n_judgements"] = figs["_fig"].map(g["n"].sum()).fillna(0).astype("int64")
    figs["judgements"] = figs["_fig"].map(
        g["j"].agg(lambda s: " | ".join(s.dropna()) or np.nan)).astype("object")
    figs["levels"] = figs["_fig"].map(
        g["l"].agg(lambda s: " | ".join(s.dropna()) or np.nan)).astype("object")
    out = figs.sort_values(["edition", "area", "measure"], kind="stable", ignore_index=True)
    return out[OUTSIDE_VIEW_COLUMNS]


def describe_outside_view(view: pd.DataFrame, lang: str = "en") -> str:
    """One line per figure of an :func:`outside_view` frame: the figure as printed, which
    measure it is, and the ministry's evaluation of the same years.

    >>> v = pd.DataFrame({"edition": [2034], "covered_from": [2033], "covered_to": [2033],
    ...     "area": ["nuclear_disarmament"], "measure": ["score"],
    ...     "value_as_printed": ["27.5/48"], "cycle_id": ["X30"], "n_judgements": [4],
    ...     "levels": ["1: –; 2: 3; 3: 3; 4: 3"]})
    >>> from analysis.labels import plain_text
    >>> print(plain_text(describe_outside_view(v)))  # doctest: +ELLIPSIS
    Hiroshima Report 2034 (covers 2033), nuclear disarmament: score 27.5/48; ... X30 (1: –; ...).
    """
    from .network import period_label

    lines = []
    for r in view.astype("object").where(view.notna(), None).to_dict(orient="records"):
        covered = period_label(int(r["covered_from"]), int(r["covered_to"]))
        area = value_label(r["area"], "value.area", lang)
        if r["measure"] is None or r["value_as_printed"] is None:
            lines.append(fmt("eval.text.outside_view_no_figure", lang,
                             edition=r["edition"], covered=covered, area=area))
            continue
        measure = value_label(r["measure"], "value.measure", lang)
        if r["cycle_id"] is None:
            lines.append(fmt("eval.text.outside_view_no_cycle", lang, edition=r["edition"],
                             covered=covered, area=area, measure=measure,
                             printed=data_text(r["value_as_printed"])))
            continue
        levels = r["levels"] if r["n_judgements"] else label("eval.text.no_judgement", lang)
        lines.append(fmt("eval.text.outside_view", lang, edition=r["edition"],
                         covered=covered, area=area, measure=measure,
                         printed=data_text(r["value_as_printed"]), cycle=r["cycle_id"],
                         levels=levels))
    return "\n".join(lines)
