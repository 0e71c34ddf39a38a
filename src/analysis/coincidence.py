"""Per-country analysis of UN General Assembly votes: who voted no or abstained, who
changed their vote, how often pairs of states vote alike, and who supports two families.

Input is a frame from :func:`analysis.votes_io.load_votes` (columns vote_id, session,
date, resolution, title, country, country_name, vote, whole_resolution, issues, year).
Every index and selection uses whole-resolution votes only (paragraph and amendment
votes only when the caller passes ``whole_only=False``), so both layouts give the same
numbers for the same votes.

Four voting-coincidence indices, each computed for a pair of states (a, b) over the
votes in which **both** took part (``non_voting`` and absent rows are left out pairwise):

``state_dept``
    The US State Department's voting coincidence as its *Voting Practices in the United
    Nations* reports compute it since the report on 2017 (published 2018): (identical +
    half of the votes where one state abstained and the other voted yes or no) /
    (identical + opposite + those votes), over the votes both cast, absences excluded;
    by calendar year (``by="year"``). Both abstaining counts as identical (the reports'
    text found does not say; this is the reading under which their printed figures
    equal (same + partial / 2) / (same + opposite + partial)). ``n`` = votes both cast.
    Source: U.S. Department of State, *Voting Practices in the United Nations*, the annual
    report to Congress under Public Law 101-246 (the report on 2017, April 2018, and
    later); the project reproduces the printed figures of the reports on 2017-2019 from
    their printed counts (``tests/test_published_indices.py``).
``state_dept_votes_only``
    The reports' method before 2017: identical / (identical + opposite), counting only
    the votes on which both voted yes or no. ``n`` = identical + opposite; a pair whose
    shared votes all involve an abstention has no value.
``agreement``
    Voeten's agreement score as his published code computes it: 1 when both cast the
    same vote, 0.5 when one abstained and the other voted yes or no, 0 for yes-no; the
    mean over the votes both cast (yes, no or abstain), by session (``by="session"``);
    :func:`drop_unanimous` gives the variant without unanimous votes (the notebooks use
    every vote, and their labels say so). Computed on the same votes, it equals
    ``state_dept`` (the two differ in period and vote set). ``n`` = those votes. Source:
    Erik Voeten, "Data and Analyses of Voting in the UN General Assembly" (2013) and the
    agreement scores of the UN General Assembly Voting Data (Harvard Dataverse,
    hdl:1902.1/12379).
``s_score``
    Signorino & Ritter's S with votes coded yes = 1, abstain = 0.5, no = 0 (so the
    largest distance on one vote, d_max, is 1): S = 1 - 2 * sum|a - b| / n over the same
    votes as ``agreement``. Under this coding S = 2 * agreement - 1 exactly; S runs from
    -1 to 1, agreement from 0 to 1. Source: Curtis S. Signorino and Jeffrey M. Ritter,
    "Tau-b or Not Tau-b: Measuring the Similarity of Foreign Policy Positions",
    *International Studies Quarterly* 43 (1999): S = 1 - 2 d / d_max.

All four come from state x vote matrices and matrix products per group, never from a
pairwise merge. With one-hot Y, A, N (yes, abstain, no): identical = YY' + NN',
opposite = YN' + NY', sum|a-b| = YN' + NY' + 0.5 (YA' + AY' + NA' + AN'). They are
computed from smaller products: S = Y - N, P = Y + N, C = Y + A + N give
identical = (PP' + SS') / 2, identical + opposite = PP', the number of shared votes
CC', and 2 sum|a-b| = CC' - SS' - AA' (see :func:`_pair_stats`).

>>> v = pd.DataFrame({"vote_id": ["1", "1", "2", "2"], "country": ["JPN", "USA"] * 2,
...                   "vote": ["yes", "yes", "yes", "abstain"], "year": [2000] * 4})
>>> m = coincidence_matrix(v, "agreement")
>>> float(m.loc["JPN", "USA"])
0.75
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .params import ParameterError, check_choice
from .unga import symbol_key

__all__ = [
    "INDICES", "BY", "select_family_votes", "family_symbols", "family_title_pattern",
    "family_votes", "nuclear_votes", "no_and_abstain", "swings", "coincidence_matrix",
    "coincidence_long", "coincidence_with", "active_states", "supporters_overlap",
    "overlap_counts", "in_years", "check_countries", "coincidence_dict", "coincidence_wide",
    "summary",
]

INDICES = ("state_dept", "state_dept_votes_only", "agreement", "s_score")
#: the period each index is published by (State Department: calendar years; Voeten: sessions)
DEFAULT_BY = {"state_dept": "year", "state_dept_votes_only": "year", "agreement": "session",
              "s_score": "session"}
BY = (None, "year", "session", "issue")
_CODE = {"yes": 0, "abstain": 1, "no": 2}  # anything else (non_voting) -> -1


# --- selecting votes ---------------------------------------------------------------------
def family_symbols(resolutions: pd.DataFrame, family: str) -> list[str]:
    """The symbols of ``family``'s resolutions in a resolutions frame.

    >>> from analysis.data import load_resolutions
    >>> family_symbols(load_resolutions(), "japan_nuclear")[:2]
    ['A/RES/49/75 H', 'A/RES/50/70 C']

    Raises ParameterError for a family without rows.
    """
    rows = resolutions[resolutions["family"].astype(str) == family]
    if rows.empty:
        raise ParameterError("family", "a family of unga/resolutions.csv", family)
    return rows.loc[rows["symbol"].notna(), "symbol"].astype(str).tolist()


def family_title_pattern(resolutions: pd.DataFrame, family: str) -> str:
    """A regular expression matching the start of any title the family's resolutions
    carried (titles recorded as "(reported as) ..." are left out).

    >>> import re
    >>> from analysis.data import load_resolutions
    >>> bool(re.match(family_title_pattern(load_resolutions(), "tpnw"),
    ...      "Treaty on the Prohibition of Nuclear Weapons : resolution / adopted"))
    True

    Raises ParameterError for a family without titles.
    """
    titles = resolutions.loc[resolutions["family"].astype(str) == family, "title"]
    titles = sorted({t.strip() for t in titles.dropna().astype(str) if not t.startswith("(")},
                    key=len, reverse=True)
    if not titles:
        raise ParameterError("family", "a family of unga/resolutions.csv with titles", family)
    return r"^\s*(?:" + "|".join(map(re.escape, titles)) + r")\s*(?:[:.]|$)"


def select_family_votes(votes: pd.DataFrame, symbols: Sequence[str] | None = None,
                        title_pattern: str | None = None, whole_only: bool = True
                        ) -> pd.DataFrame:
    """Rows of ``votes`` whose resolution is one of ``symbols`` (compared without spaces
    or case) or whose title matches ``title_pattern`` (case-insensitive regex);
    whole-resolution votes only unless ``whole_only`` is False.

    >>> v = pd.DataFrame({"resolution": ["A/RES/49/75H", "A/RES/1/1"], "title": ["x", "y"],
    ...                   "whole_resolution": [True, True]})
    >>> len(select_family_votes(v, ["A/RES/49/75 H"]))
    1
    """
    if symbols is None and title_pattern is None:
        raise ParameterError("symbols/title_pattern", "symbols or a title pattern", None)
    mask = pd.Series(False, index=votes.index)
    if symbols is not None:
        wanted = set(symbol_key(pd.Series(list(symbols), dtype=object))) - {""}
        mask |= _per_value(votes["resolution"], lambda t: symbol_key(t).isin(wanted))
    if title_pattern is not None:
        mask |= _per_value(votes["title"], lambda t: t.str.contains(title_pattern, case=False,
                                                                     regex=True))
    if whole_only:
        mask &= votes["whole_resolution"].astype(bool).to_numpy()
    return votes[mask.to_numpy()]


def family_votes(votes: pd.DataFrame, resolutions: pd.DataFrame, family: str
                 ) -> pd.DataFrame:
    """Whole-resolution votes of ``family``: by its symbols or by one of its titles."""
    return select_family_votes(votes, family_symbols(resolutions, family),
                               family_title_pattern(resolutions, family))


def whole_votes(votes: pd.DataFrame, whole_only: bool = True) -> pd.DataFrame:
    """The whole-resolution votes of ``votes`` (all rows when ``whole_only`` is False).

    >>> v = pd.DataFrame({"whole_resolution": [True, False]})
    >>> len(whole_votes(v)), len(whole_votes(v, whole_only=False))
    (1, 2)
    """
    if not whole_only or "whole_resolution" not in votes.columns:
        return votes
    return votes[votes["whole_resolution"].astype(bool).to_numpy()]


def drop_unanimous(votes: pd.DataFrame) -> pd.DataFrame:
    """``votes`` without the votes on which every state casting yes, no or abstain cast
    the same vote (Voeten's variant of the agreement score without unanimous votes).

    >>> v = pd.DataFrame({"vote_id": ["1", "1", "2", "2"], "country": ["A", "B"] * 2,
    ...                   "vote": ["yes", "yes", "yes", "no"]})
    >>> drop_unanimous(v)["vote_id"].unique().tolist()
    ['2']
    """
    cast = votes["vote"].astype(str).isin(list(_CODE)).to_numpy()
    kinds = pd.Series(votes["vote"].astype(str).to_numpy()[cast]).groupby(
        votes["vote_id"].astype(str).to_numpy()[cast]).nunique()
    keep = set(kinds.index[kinds > 1])
    return votes[votes["vote_id"].astype(str).isin(keep).to_numpy()]


def nuclear_votes(votes: pd.DataFrame) -> pd.DataFrame:
    """Votes whose issues or title mention "nuclear" (case-insensitive): UN Digital
    Library subjects such as NUCLEAR DISARMAMENT, the unvotes issue "Nuclear weapons
    and nuclear material", or titles.

    >>> v = pd.DataFrame({"issues": ["NUCLEAR WEAPONS", ""], "title": ["a", "b"]})
    >>> len(nuclear_votes(v))
    1
    """
    def mentions(text: pd.Series) -> pd.Series:
        return text.str.contains("nuclear", case=False, regex=False)

    return votes[_per_value(votes["issues"], mentions) | _per_value(votes["title"], mentions)]


def _per_value(values: pd.Series, test: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """``test`` (str Series -> bool Series) run once per distinct value of ``values``
    (missing values as ""), as a bool array per row: the same result as running it on
    every row, at the cost of a factorize when values repeat (titles, symbols)."""
    codes, uniques = pd.factorize(values)
    texts = pd.Series(np.asarray(uniques, dtype=object), dtype=object).fillna("").astype(str)
    result = test(pd.concat([texts, pd.Series([""], dtype=object)], ignore_index=True))
    return result.to_numpy(dtype=bool)[codes]  # code -1 (missing) -> the trailing ""


def in_years(votes: pd.DataFrame, start_year: int | None = None,
             end_year: int | None = None) -> pd.DataFrame:
    """Votes from ``start_year`` to ``end_year`` (either may be None: no limit)."""
    year = votes["year"]
    keep = pd.Series(True, index=votes.index)
    if start_year is not None:
        keep &= year >= start_year
    if end_year is not None:
        keep &= year <= end_year
    return votes[keep.to_numpy()]


def check_countries(name: str, value: object) -> list[str]:
    """Return ``value`` if it is a list of ISO 3166 alpha-3 codes (upper-case strings).

    >>> check_countries("focus_countries", ["USA", "GBR"])
    ['USA', 'GBR']
    """
    ok = isinstance(value, list | tuple) and all(
        isinstance(c, str) and re.fullmatch(r"[A-Z]{3}", c) for c in value)
    if not ok:
        raise ParameterError(name, "a list of ISO 3166 alpha-3 codes such as ['USA', 'GBR']",
                             value)
    return list(value)


# --- tables ------------------------------------------------------------------------------
def _session_order(votes: pd.DataFrame) -> pd.DataFrame:
    """Distinct votes with session, year, date, resolution, in date order."""
    cols = ["vote_id", "session", "year", "date", "resolution"]
    have = [c for c in cols if c in votes.columns]
    out = votes[have].drop_duplicates("vote_id")
    sort = [c for c in ("date", "vote_id") if c in out.columns]
    return out.sort_values(sort, kind="stable", ignore_index=True)


def no_and_abstain(votes: pd.DataFrame) -> pd.DataFrame:
    """Per vote (in date order): the states voting no and abstaining, sorted ISO3 lists.

    >>> v = pd.DataFrame({"vote_id": ["1"] * 3, "session": ["61"] * 3, "year": [2006] * 3,
    ...     "date": pd.to_datetime(["2006-12-06"] * 3), "resolution": ["A/RES/61/74"] * 3,
    ...     "country": ["USA", "PRK", "CHN"], "vote": ["no", "no", "abstain"]})
    >>> no_and_abstain(v)[["no", "abstain"]].iloc[0].tolist()
    [['PRK', 'USA'], ['CHN']]
    """
    order = _session_order(votes)
    country = votes["country"].astype(str)
    vote = votes["vote"].astype(str)
    out = order.copy()
    for kind in ("no", "abstain"):
        sub = pd.DataFrame({"vote_id": votes["vote_id"].to_numpy(),
                            "country": country.to_numpy()})[(vote == kind).to_numpy()]
        lists = sub.groupby("vote_id")["country"].agg(lambda s: sorted(s))
        got = lists.reindex(out["vote_id"])
        out[kind] = [x if isinstance(x, list) else [] for x in got]
        out["n_" + kind] = out[kind].map(len).astype("int64")
    cols = [c for c in ("session", "year", "date", "resolution", "vote_id", "n_no", "no",
                        "n_abstain", "abstain") if c in out.columns]
    return out[cols]


def swings(votes: pd.DataFrame) -> pd.DataFrame:
    """States whose vote changed from one session of the family to the next.

    ``votes`` are the family's votes. Sessions are ordered by date; when a session holds
    several votes a state's last one counts. Only yes, no and abstain are compared: a
    state absent or non-voting in either session has no swing recorded for that step.
    Columns: country, country_name, previous_session, previous_year, previous_vote,
    session, year, vote, sorted by year then country.

    >>> v = pd.DataFrame({"vote_id": ["1", "1", "2", "2"], "session": ["61", "61", "62", "62"],
    ...     "year": [2006, 2006, 2007, 2007], "date": pd.to_datetime(["2006-12-06"] * 2
    ...     + ["2007-12-05"] * 2), "country": ["USA", "JPN"] * 2,
    ...     "vote": ["no", "yes", "abstain", "yes"]})
    >>> swings(v)[["country", "previous_vote", "vote"]].values.tolist()
    [['USA', 'no', 'abstain']]
    """
    cols = ["country", "country_name", "previous_session", "previous_year",
            "previous_vote", "session", "year", "vote"]
    if votes.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    order = _session_order(votes)
    sessions = order.drop_duplicates("session", keep="first").reset_index(drop=True)
    s_pos = pd.Series(np.arange(len(sessions)), index=sessions["session"].astype(str))
    rank = pd.Series(np.arange(len(order)), index=order["vote_id"].astype(str))
    frame = pd.DataFrame({
        "country": votes["country"].astype(str).to_numpy(),
        "s": s_pos.reindex(votes["session"].astype(str)).to_numpy(),
        "r": rank.reindex(votes["vote_id"].astype(str)).to_numpy(),
        "code": votes["vote"].astype(str).map(_CODE).fillna(-1).astype(int).to_numpy(),
    }).sort_values(["country", "s", "r"], kind="stable")
    last = frame.drop_duplicates(["country", "s"], keep="last")
    states = np.array(sorted(last["country"].unique()))
    st = np.searchsorted(states, last["country"].to_numpy())
    grid = np.full((len(states), len(sessions)), -1, dtype=np.int8)
    grid[st, last["s"].to_numpy()] = last["code"].to_numpy()
    prev, new = grid[:, :-1], grid[:, 1:]
    i, j = np.nonzero((prev >= 0) & (new >= 0) & (prev != new))
    words = np.array(["yes", "abstain", "no"])
    names = votes[["country", "country_name"]].astype(str).drop_duplicates("country") \
        .set_index("country")["country_name"] if "country_name" in votes.columns else None
    out = pd.DataFrame({
        "country": states[i],
        "country_name": names.reindex(states[i]).to_numpy() if names is not None else "",
        "previous_session": sessions["session"].to_numpy()[j],
        "previous_year": sessions["year"].to_numpy()[j],
        "previous_vote": words[prev[i, j]],
        "session": sessions["session"].to_numpy()[j + 1],
        "year": sessions["year"].to_numpy()[j + 1],
        "vote": words[new[i, j]],
    })
    return out.sort_values(["year", "country"], ignore_index=True)


# --- coincidence -------------------------------------------------------------------------
def _encode(votes: pd.DataFrame, by: str | None):
    """Integer codes: state per row, vote per row, value per row, and the rows of each
    group (rows repeat when a vote has several issues and ``by='issue'``)."""
    country = votes["country"]
    if isinstance(country.dtype, pd.CategoricalDtype):
        cats = np.asarray(country.cat.categories.astype(str))
        order = np.argsort(cats, kind="stable")
        remap = np.empty(len(cats), dtype=np.int64)
        remap[order] = np.arange(len(cats))
        codes = country.cat.codes.to_numpy()
        state = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        states = cats[order]
    else:
        state, states = pd.factorize(country.astype(str), sort=True)
        states = np.asarray(states, dtype=object)
    vote_code, _ = pd.factorize(votes["vote_id"].astype(str))
    vote = votes["vote"]
    if isinstance(vote.dtype, pd.CategoricalDtype):
        lut = np.array([_CODE.get(str(c), -1) for c in vote.cat.categories] + [-1])
        value = lut[vote.cat.codes.to_numpy()]  # code -1 (NaN) -> the trailing -1
    else:
        value = vote.astype(str).map(_CODE).fillna(-1).astype(int).to_numpy()
    keep = (value >= 0) & (state >= 0)
    rows = np.flatnonzero(keep)
    if by is None:
        groups = {None: rows}
    elif by in ("year", "session"):
        key = votes[by].to_numpy()[rows]
        gcodes, guniq = pd.factorize(key, sort=True)
        order = np.argsort(gcodes, kind="stable")
        bounds = np.searchsorted(gcodes[order], np.arange(len(guniq) + 1))
        groups = {_py(guniq[k]): rows[order[bounds[k]:bounds[k + 1]]]
                  for k in range(len(guniq))}
    else:  # issue: explode once per distinct vote, then expand rows
        per_vote = pd.DataFrame({"v": vote_code[rows],
                                 "issues": votes["issues"].astype("object").fillna("")
                                 .astype(str).to_numpy()[rows]}).drop_duplicates("v")
        pairs = per_vote.assign(issue=per_vote["issues"].str.split(";")).explode("issue")
        pairs["issue"] = pairs["issue"].str.strip()
        pairs = pairs[pairs["issue"] != ""][["v", "issue"]]
        expanded = pd.DataFrame({"v": vote_code[rows], "row": rows}).merge(pairs, on="v")
        groups = {g: np.sort(sub["row"].to_numpy())
                  for g, sub in expanded.groupby("issue", sort=True)}
    return state, np.asarray(states), vote_code, value, groups


def _py(x):
    return x.item() if hasattr(x, "item") else x


def _pair_stats(state: np.ndarray, vote_code: np.ndarray, value: np.ndarray,
                rows: np.ndarray, n_states: int, index: str,
                a_states: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value, n and shared-vote matrices (a_states x all states) for the votes in ``rows``.

    Per group, state x vote matrices C (1 for any vote cast), S (+1 yes, -1 no) and A
    (1 for abstain), and P = C - A (1 for yes or no) for the votes-only index; their Gram
    matrices give shared = CC', identical + opposite = PP', identical (yes or no) =
    (PP' + SS') / 2, and 2 sum|a - b| = 2 (YN' + NY') + (YA' + AY' + NA' + AN') =
    CC' - SS' - AA'. Counts are exact integers (float32 products of small integers, far
    below 2**24 votes per group).
    """
    local, _ = pd.factorize(vote_code[rows])
    n_votes = int(local.max()) + 1 if len(local) else 0
    v, who = value[rows], state[rows]
    yes, abst, no = _CODE["yes"], _CODE["abstain"], _CODE["no"]
    weights = {"C": np.ones(len(v), dtype=np.float32),
               "S": np.where(v == yes, 1.0, np.where(v == no, -1.0, 0.0)).astype(np.float32),
               "A": (v == abst).astype(np.float32)}
    if index == "state_dept_votes_only":
        weights["P"] = (v != abst).astype(np.float32)
    gram = {}
    for key, w in weights.items():
        z = np.zeros((n_states, n_votes), dtype=np.float32)
        z[who, local] = w
        left = z if a_states is None else z[a_states]
        gram[key] = np.rint(left @ z.T).astype(np.int64)
    shared = gram["C"]
    with np.errstate(invalid="ignore", divide="ignore"):
        if index == "state_dept_votes_only":
            n = gram["P"]
            val = (n + gram["S"]) / (2.0 * n)  # identical / (identical + opposite)
        else:
            n = shared
            mean_dist = (n - gram["S"] - gram["A"]) / (2.0 * n)
            val = 1.0 - 2.0 * mean_dist if index == "s_score" else 1.0 - mean_dist
    val = np.where(n > 0, val, np.nan)
    return val, n, shared


def _check(index: str, by: str | None) -> None:
    check_choice("index", index, INDICES)
    check_choice("by", by, BY)


def coincidence_matrix(votes: pd.DataFrame, index: str = "state_dept", by: str | None = None,
                       group: object = None, *, whole_only: bool = True) -> pd.DataFrame:
    """Square state x state matrix of ``index`` for one group of votes.

    With ``by=None`` all votes form one group; otherwise ``group`` names the year,
    session or issue. Only states that cast a vote in the group appear; pairs without a
    value (no shared vote, or none the index counts) are NaN. ``result.attrs["n"]``
    holds the matching matrix of votes counted, ``attrs["shared"]`` the votes both cast.
    Raises ParameterError for an unknown index, ``by`` or group.
    """
    _check(index, by)
    votes = whole_votes(votes, whole_only)
    if by is not None and group is None:
        raise ParameterError("group", f"a {by} present in the votes (by={by!r})", group)
    state, states, vote_code, value, groups = _encode(votes, by)
    if group not in groups:
        raise ParameterError("group", f"one of the {by} values present", group)
    rows = groups[group]
    val, n, shared = _pair_stats(state, vote_code, value, rows, len(states), index)
    present = np.zeros(len(states), dtype=bool)
    present[state[rows]] = True
    names = pd.Index(states[present], name="country")
    out = pd.DataFrame(val[np.ix_(present, present)], index=names, columns=names.rename(None))
    out.attrs.update({"index": index, "by": by, "group": group,
                      "n": pd.DataFrame(n[np.ix_(present, present)], index=names,
                                        columns=names.rename(None)),
                      "shared": pd.DataFrame(shared[np.ix_(present, present)], index=names,
                                             columns=names.rename(None))})
    return out


def coincidence_long(votes: pd.DataFrame, index: str = "state_dept",
                     by: str | None = "year", countries: Sequence[str] | None = None,
                     *, whole_only: bool = True) -> pd.DataFrame:
    """Tidy form for every group: columns a, b (categorical ISO3), group, index, value, n,
    shared (one row per ordered pair a != b with at least one vote both cast, as in the
    matrix form: ``value`` is NaN and ``n`` 0 where the index counts none of them;
    ``countries`` limits ``a``). Sorted by group, a, b.
    """
    _check(index, by)
    votes = whole_votes(votes, whole_only)
    state, states, vote_code, value, groups = _encode(votes, by)
    if countries is not None:
        a_idx = np.flatnonzero(np.isin(states, list(countries)))
    else:
        a_idx = np.arange(len(states))
    a_codes, b_codes, gvals, values, ns, shs = [], [], [], [], [], []
    for rows in groups.values():
        if not len(rows):
            continue
        val, n, shared = _pair_stats(state, vote_code, value, rows, len(states), index, a_idx)
        ai, bi = np.nonzero(shared > 0)
        keep = a_idx[ai] != bi
        ai, bi = ai[keep], bi[keep]
        a_codes.append(a_idx[ai])
        b_codes.append(bi)
        gvals.append(np.full(len(ai), len(gvals)))
        values.append(val[ai, bi])
        ns.append(n[ai, bi])
        shs.append(shared[ai, bi])
    names = [g for g, rows in groups.items() if len(rows)]
    cats = pd.Index(states.astype(str))
    if not names:
        a_codes, b_codes, gvals, values, ns, shs = ([np.zeros(0, dtype=np.int64)]
                                                    for _ in range(6))
    gcode = np.concatenate(gvals).astype(np.int64)
    out = pd.DataFrame({
        "a": pd.Categorical.from_codes(np.concatenate(a_codes), cats),
        "b": pd.Categorical.from_codes(np.concatenate(b_codes), cats),
        "group": _group_column(names, gcode),
        "index": pd.Categorical.from_codes(np.zeros(len(gcode), dtype=np.int8), [index]),
        "value": np.concatenate(values).astype(np.float64),
        "n": np.concatenate(ns).astype(np.int64),
        "shared": np.concatenate(shs).astype(np.int64),
    })
    return out  # groups, a and b come out in sorted order already


def _group_column(names: list, gcode: np.ndarray):
    """Group labels per row: int64 for years, categorical for sessions and issues."""
    if not names:
        return np.zeros(0, dtype=object)
    if all(isinstance(g, int | np.integer) for g in names):
        return np.asarray(names, dtype=np.int64)[gcode]
    if all(g is None for g in names):
        return np.full(len(gcode), None, dtype=object)
    return pd.Categorical.from_codes(gcode, [str(g) for g in names])


def coincidence_with(votes: pd.DataFrame, country: str = "JPN",
                     others: Sequence[str] | None = None, index: str = "state_dept",
                     by: str | None = "year", *, whole_only: bool = True) -> pd.DataFrame:
    """``country``'s coincidence with each of ``others`` (default: every state) per group:
    columns country (the other state), group, index, value, n, shared; sorted by country,
    group.

    >>> v = pd.DataFrame({"vote_id": ["1", "1", "2", "2"], "country": ["JPN", "USA"] * 2,
    ...                   "vote": ["yes", "no", "yes", "yes"], "year": [2000, 2000, 2001, 2001]})
    >>> w = coincidence_with(v, "JPN", ["USA"])
    >>> w["group"].tolist(), w["value"].tolist()
    ([2000, 2001], [0.0, 1.0])
    """
    long = coincidence_long(votes, index=index, by=by, countries=[country],
                            whole_only=whole_only)
    if others is not None:
        long = long[long["b"].isin(list(others))]
    out = long.drop(columns="a").rename(columns={"b": "country"})
    out["country"] = out["country"].astype(str)
    return out[["country", "group", "index", "value", "n", "shared"]].sort_values(
        ["country", "group"], ignore_index=True)


def coincidence_dict(frame: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """``{country: {group: value}}`` from a :func:`coincidence_with` frame (for JSON).

    >>> coincidence_dict(pd.DataFrame({"country": ["USA"], "group": [2000], "value": [0.5]}))
    {'USA': {'2000': 0.5}}
    """
    out: dict[str, dict[str, float | None]] = {}
    for c, sub in frame.groupby("country", sort=True):
        vals = sub["value"].astype(float)
        out[str(c)] = {str(g): (None if np.isnan(v) else float(v))
                       for g, v in zip(sub["group"], vals, strict=True)}
    return out


def coincidence_wide(frame: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """A :func:`coincidence_with` frame as a table: one row per group (named ``by``), one
    column per country, values rounded to 3 decimals.

    >>> w = coincidence_wide(pd.DataFrame({"country": ["USA"], "group": [2000], "value": [0.5]}))
    >>> w.index.name, w.columns.name, float(w.loc[2000, "USA"])
    ('year', 'country', 0.5)
    """
    wide = frame.pivot(index="group", columns="country", values="value").round(3)
    return wide.rename_axis(index=by, columns="country")


def active_states(votes: pd.DataFrame, n: int = 30, include: Sequence[str] = ()) -> list[str]:
    """The ``n`` states casting the most yes/no/abstain votes in ``votes`` (ties: ISO3
    order), plus ``include`` (those present in the votes), sorted.

    >>> v = pd.DataFrame({"country": ["A", "A", "B", "C"], "vote": ["yes", "no", "yes",
    ...                   "non_voting"]})
    >>> active_states(v, 1, include=["B"])
    ['A', 'B']
    """
    country = votes.loc[votes["vote"].isin(list(_CODE)).to_numpy(), "country"]
    if not isinstance(country.dtype, pd.CategoricalDtype):
        country = country.astype(str)
    counts = country.value_counts()
    counts = counts[counts > 0]  # a categorical counts its absent categories too
    counts.index = counts.index.astype(str)
    ranked = counts.rename_axis("c").reset_index(name="k").sort_values(
        ["k", "c"], ascending=[False, True])
    chosen = set(ranked["c"].head(n)) | (set(include) & set(counts.index))
    return sorted(chosen)


# --- supporters of two families ------------------------------------------------------
def supporters_overlap(votes: pd.DataFrame, family_a_symbols: Sequence[str] | None,
                       family_b_symbols: Sequence[str] | None, *,
                       title_a: str | None = None, title_b: str | None = None
                       ) -> pd.DataFrame:
    """Per year and state: did it vote yes on family A, on family B, on both?

    A state supports a family in a year when it voted yes on every whole-resolution
    vote of that family that year in which it cast a vote (yes/no/abstain). Only years
    with votes of both families, and states casting a vote on both, are listed.
    Columns: year, country, yes_a, yes_b, group ("both", "only_a", "only_b", "neither").

    >>> v = pd.DataFrame({"vote_id": ["1", "1", "2", "2"], "resolution": ["A", "A", "B", "B"],
    ...     "title": [""] * 4, "whole_resolution": [True] * 4, "year": [2018] * 4,
    ...     "country": ["JPN", "AUT"] * 2, "vote": ["yes", "yes", "no", "yes"]})
    >>> supporters_overlap(v, ["A"], ["B"])[["country", "group"]].values.tolist()
    [['AUT', 'both'], ['JPN', 'only_a']]
    """
    def support(symbols, title):
        sel = select_family_votes(votes, symbols, title)
        sel = sel[sel["vote"].astype(str).isin(list(_CODE)).to_numpy()]
        frame = pd.DataFrame({"year": sel["year"].to_numpy(),
                              "country": sel["country"].astype(str).to_numpy(),
                              "yes": (sel["vote"].astype(str) == "yes").to_numpy()})
        return frame.groupby(["year", "country"])["yes"].all()

    a = support(family_a_symbols, title_a).rename("yes_a")
    b = support(family_b_symbols, title_b).rename("yes_b")
    both = pd.concat([a, b], axis=1, join="inner").reset_index()
    group = np.select([both["yes_a"] & both["yes_b"], both["yes_a"], both["yes_b"]],
                      ["both", "only_a", "only_b"], default="neither")
    both["group"] = group
    both["year"] = both["year"].astype("int64")
    return both.sort_values(["year", "country"], ignore_index=True)


def overlap_counts(overlap: pd.DataFrame) -> pd.DataFrame:
    """Per year: number of states in each group, and the states supporting one only.

    >>> o = pd.DataFrame({"year": [2018, 2018], "country": ["AUT", "JPN"],
    ...                   "group": ["both", "only_a"]})
    >>> row = overlap_counts(o).iloc[0]
    >>> int(row["both"]), int(row["only_a"]), row["only_a_states"]
    (1, 1, 'JPN')
    """
    groups = ["both", "only_a", "only_b", "neither"]
    counts = pd.crosstab(overlap["year"], overlap["group"]).reindex(columns=groups,
                                                                   fill_value=0)
    counts.columns.name = None
    for g in ("only_a", "only_b"):
        lists = overlap[overlap["group"] == g].groupby("year")["country"].agg(
            lambda s: ", ".join(sorted(s)))
        counts[g + "_states"] = lists.reindex(counts.index).fillna("")
    return counts.reset_index()


def summary(votes: pd.DataFrame, index: str, coincidence: pd.DataFrame | None,
            swing: pd.DataFrame | None, overlap: pd.DataFrame | None) -> dict:
    """The per-country part of notebook 01's JSON: votes_format, coincidence_index,
    coincidence ({ISO3: {year: value}}), swings (records) and supporters_overlap (per-year
    counts).

    >>> summary(pd.DataFrame(), "agreement", None, None, None)["coincidence"]
    {}
    """
    return {
        "votes_format": votes.attrs.get("source_format"),
        "coincidence_index": index,
        "coincidence": {} if coincidence is None else coincidence_dict(coincidence),
        "swings": [] if swing is None else swing.to_dict("records"),
        "supporters_overlap": [] if overlap is None or overlap.empty
        else overlap_counts(overlap).to_dict("records"),
    }
