"""A country briefing before a bilateral consultation (notebook 04): who the state is,
how it voted on the resolutions Japan follows, how closely it votes with Japan, where it
stands among all members, and which consultations Japan held with it.

Every function takes the bundled frames (see :class:`analysis.bundle.Bundle`) and returns
a frame, a dict or sentences in the run's language (through :mod:`analysis.labels`); the
drawing is in :mod:`analysis.briefing_plots`.

Votes on a family's resolution come from the per-country record (the bundled UN roll
calls, 1948-2019); for later sessions a state's vote is known only where a document names
it (``unga/named_votes.csv``). A member with no row in a vote of the record was absent (the
unvotes layout leaves absent members out).

>>> from analysis.bundle import load_bundle
>>> b = load_bundle()
>>> t = family_votes_table(b.votes, b.resolutions, b.families, b.members, b.named_votes,
...                        "USA", 2005, 2008)
>>> t.loc[t["family"] == "japan_nuclear", ["year", "vote"]].values.tolist()
[[2005, 'no'], [2006, 'no'], [2007, 'no_record'], [2008, 'no']]

(the vote of 2007 is not in the bundled record: its count comes from MOFA.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd

from . import coincidence as co
from .labels import (
    data_text,
    fmt,
    header,
    join,
    label,
    name_column,
    translate_values,
    value_label,
)
from .params import ParameterError, check_year_range

__all__ = ["POSITIONS", "VOTE_CODES", "profile", "header_line", "group_lines",
           "family_votes_table", "vote_overview", "vote_changes", "change_lines",
           "arms_control_votes", "coincidence_profile", "position_line", "consultations_with",
           "consultation_lines", "summary", "JAPAN", "display_name", "sentence_name",
           "votes_basis_line",
           "position_table"]

JAPAN = "JPN"
#: positions a state takes on a vote (compared for changes), in display order
POSITIONS = ("yes", "no", "abstain", "absent")
#: every code of the ``vote`` column of :func:`family_votes_table`
VOTE_CODES = (*POSITIONS, "not_member", "no_record", "adopted_without_vote")
_ARMS = r"nuclear|arms control|disarmament"


# --- who the state is ---------------------------------------------------------------------
#: Japanese names from ISO 3166 not used (the English name then stands in), with why
ISO_JA_NOT_USED = {
    "TZA": "misspelt in the translation (タニザニア for タンザニア)",
    "GEO": "the Japanese government's name since April 2015 is ジョージア, not グルジア "
           "(https://imidas.jp/genre/detail/D-119-0123.html)",
}


@lru_cache(maxsize=1)
def _iso_ja() -> Callable[[str], str]:
    import gettext

    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                   languages=["ja"]).gettext
    except OSError:  # a pycountry without its translations
        return lambda name: name


def iso_name_ja(iso3: str) -> str | None:
    """The state's ISO 3166 short name in Japanese, as translated by the Debian iso-codes
    project and shipped with the ``pycountry`` package (:data:`ISO_JA_SOURCE`); None
    where there is no translation or it is not used (:data:`ISO_JA_NOT_USED`).

    >>> iso_name_ja("PRK"), iso_name_ja("TZA"), iso_name_ja("XXX")
    ('朝鮮民主主義人民共和国', None, None)
    """
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None or iso3 in ISO_JA_NOT_USED:
        return None
    name = _iso_ja()(country.name)
    return name if name != country.name else None


def _pycountry_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pycountry")
    except PackageNotFoundError:  # pragma: no cover - an unusual install
        return "?"


#: where a Japanese name that is not the ministry's comes from
ISO_JA_SOURCE = ("ISO 3166 names in Japanese translated by the Debian iso-codes project, "
                 f"as shipped with pycountry {_pycountry_version()}")


def profile(members: pd.DataFrame, regional_groups: pd.DataFrame,
            counterparts: pd.DataFrame, country: str) -> dict:
    """The state's code, names, admission date and UN regional group.

    ``name_ja`` comes from ``consultations/counterparts.csv`` (MOFA's usual short name,
    ``name_ja_source`` "register") or, for a state the register does not name, from ISO
    3166 in Japanese (:func:`iso_name_ja`, source "iso"); None (source None) where neither
    has one. ``group`` and ``group_note`` are None when the data hold no group.

    >>> from analysis.bundle import load_bundle
    >>> b = load_bundle()
    >>> p = profile(b.members, b.regional_groups, b.counterparts, "KOR")
    >>> p["name_ja"], p["group"], str(p["admitted"].date())
    ('韓国', 'Asia-Pacific', '1991-09-17')

    Raises ParameterError for a code that is not a member's.
    """
    row = members[members["iso3"].astype(str) == country]
    if row.empty:
        raise ParameterError("country", "the ISO 3166 alpha-3 code of a UN member", country)
    group = regional_groups[regional_groups["iso3"].astype(str) == country]
    cp = counterparts[counterparts["code"].astype(str) == country]

    def first(frame: pd.DataFrame, col: str) -> str | None:
        if frame.empty or col not in frame.columns or pd.isna(frame[col].iloc[0]):
            return None
        text = str(frame[col].iloc[0]).strip()
        return text or None

    register = first(cp, "name_ja")
    name_ja = register or iso_name_ja(country)
    return {"iso3": country, "name_en": str(row["name"].iloc[0]),
            "name_ja": name_ja,
            "name_ja_source": None if name_ja is None else "register" if register else "iso",
            "admitted": pd.Timestamp(row["admitted"].iloc[0]),
            "group": first(group, "un_regional_group"), "group_note": first(group, "note")}


def display_name(prof: dict, lang: str) -> str:
    """The state's name in ``lang`` (the English name when no Japanese name is in the data).

    >>> display_name({"name_en": "Chile", "name_ja": None}, "ja")
    'Chile'
    """
    return prof.get(name_column(lang)) or prof["name_en"]


def sentence_name(prof: dict, lang: str) -> str:
    """:func:`display_name` for a sentence: an English name standing in for a missing
    Japanese one is quoted as data (:func:`analysis.labels.data_text`), so the page marks
    it as English.

    >>> sentence_name({"name_en": "Chile", "name_ja": None}, "ja") == data_text("Chile")
    True
    >>> sentence_name({"name_en": "Chile", "name_ja": "チリ"}, "ja")
    'チリ'
    """
    name = display_name(prof, lang)
    return name if prof.get(name_column(lang)) else data_text(name)


def _date(value: pd.Timestamp, lang: str) -> str:
    return fmt("brief.text.date", lang, y=value.year, m=value.month, d=value.day)


def header_line(prof: dict, lang: str) -> str:
    """The briefing's first sentence: name, code, regional group, member since.

    >>> header_line({"iso3": "KOR", "name_en": "Republic of Korea", "name_ja": "韓国",
    ...              "group": "Asia-Pacific", "admitted": pd.Timestamp("1991-09-17")}, "ja")
    '韓国（KOR）：国連地域グループはアジア太平洋グループ、1991年9月17日から国連加盟国。'
    """
    group = (value_label(prof["group"], "value.group", lang) if prof.get("group")
             else label("brief.text.group_unknown", lang))
    line = fmt("brief.text.header", lang, name=sentence_name(prof, lang), code=prof["iso3"],
               group=group, admitted=_date(prof["admitted"], lang))
    if prof.get(f"{name_column(lang)}_source") == "iso":  # say where the name comes from
        line += label("brief.text.name_from_iso", lang)
    return line


def group_lines(prof: dict, regional_groups: pd.DataFrame, lang: str,
                coincidence: pd.DataFrame | None = None) -> list[str]:
    """Sentences on the state's UN regional group: its size in the data, the note the data
    keep for special cases, and (given :func:`coincidence_profile`) how the state's latest
    coincidence with Japan compares with its group's median.

    >>> from analysis.bundle import load_bundle
    >>> b = load_bundle()
    >>> p = profile(b.members, b.regional_groups, b.counterparts, "SSD")
    >>> group_lines(p, b.regional_groups, "en")[0]
    'UN regional group: African Group (54 member states in the data).'
    """
    if not prof.get("group"):
        return [label("brief.text.no_group", lang)]
    groups = regional_groups["un_regional_group"].astype(str)
    name = value_label(prof["group"], "value.group", lang)
    lines = [fmt("brief.text.group", lang, group=name, n=int((groups == prof["group"]).sum()))]
    if prof.get("group_note"):
        lines.append(fmt("brief.text.group_note", lang, note=data_text(prof["group_note"])))
    if coincidence is not None and not coincidence.empty:
        last = coincidence.dropna(subset=["value"]).tail(1)
        if len(last) and pd.notna(last["group_median"].iloc[0]):
            r = last.iloc[0]
            lines.append(fmt("brief.text.group_median", lang, group=name,
                             period=_period(r, lang), median=float(r["group_median"]),
                             name=sentence_name(prof, lang), value=float(r["value"])))
    return lines


# --- votes on the followed families -------------------------------------------------------
def _last_per_session(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["date", "vote_id"], kind="stable").drop_duplicates(
        "session", keep="last")


def family_votes_table(votes: pd.DataFrame, resolutions: pd.DataFrame,
                       families: pd.DataFrame, members: pd.DataFrame,
                       named_votes: pd.DataFrame, country: str,
                       start_year: int | None = None, end_year: int | None = None
                       ) -> pd.DataFrame:
    """The state's vote on every recorded session of every family, one row each.

    Columns: family, session, year, symbol, vote (one of :data:`VOTE_CODES`), source
    (``record``: the per-country record; ``named``: a document naming the state; ``""``
    otherwise). When a session holds several whole-resolution votes of the family, the
    last one counts. ``absent``: the vote is in the record and the state, a member on that
    day, has no row (or did not vote); ``not_member``: admitted later; ``no_record``: the
    vote is not in the record and no document names the state. Sorted by family, year.

    Raises ParameterError for a year range that is not a range.
    """
    start_year, end_year = check_year_range(start_year, end_year)
    res = resolutions[resolutions["family"].astype(str).isin(
        set(families["family"].astype(str)))].copy()
    res["year"] = res["year"].astype("int64")
    if start_year is not None:
        res = res[res["year"] >= start_year]
    if end_year is not None:
        res = res[res["year"] <= end_year]
    res["family"] = res["family"].astype(str)
    res = res.sort_values(["family", "session", "resolution_id"]).drop_duplicates(
        ["family", "session"], keep="last")
    cols = ["family", "session", "year", "symbol", "vote", "source"]
    if res.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    admitted = members.set_index(members["iso3"].astype(str))["admitted"].get(country)
    whole = co.whole_votes(votes)
    found = []
    for fam in sorted(res["family"].unique()):  # a handful of families, not data rows
        fv = co.family_votes(whole, resolutions, fam)
        if fv.empty:
            continue
        fv = fv.assign(session=fv["session"].astype(int))
        recorded = _last_per_session(fv[["vote_id", "session", "date"]].drop_duplicates(
            "vote_id"))
        mine = fv[fv["country"].astype(str) == country]
        mine = mine[["vote_id", "vote"]].astype({"vote": str})
        recorded = recorded.merge(mine, on="vote_id", how="left")
        found.append(recorded.assign(family=fam))
    rec = (pd.concat(found, ignore_index=True) if found else
           pd.DataFrame(columns=["family", "session", "date", "vote_id", "vote"]))
    out = res[["family", "session", "year", "symbol", "date", "resolution_id",
               "adopted_without_vote"]].merge(
        rec[["family", "session", "date", "vote_id", "vote"]].rename(
            columns={"date": "vote_date"}), on=["family", "session"], how="left")
    named = named_votes[named_votes["country"].astype(str) == country]
    named = named.drop_duplicates("resolution_id").set_index("resolution_id")["vote"]
    named_vote = out["resolution_id"].map(named.astype(str))
    when = out["vote_date"].fillna(out["date"])
    when = when.fillna(pd.to_datetime(out["year"].astype(str) + "-12-31"))
    member = (when >= admitted) if admitted is not None else pd.Series(False, index=out.index)
    in_record = out["vote_id"].notna()
    cast = out["vote"].isin(["yes", "no", "abstain"])
    awv = out["adopted_without_vote"].astype("boolean").fillna(False).astype(bool)
    out["vote"] = np.select(
        [in_record & cast, ~member, in_record, named_vote.notna(), awv],
        [out["vote"].astype(object), "not_member", "absent", named_vote.astype(object),
         "adopted_without_vote"], default="no_record")
    out["source"] = np.select([in_record & member, named_vote.notna() & ~in_record & member],
                              ["record", "named"], default="")
    out["session"] = out["session"].astype("int64")
    out["symbol"] = out["symbol"].astype(object).where(out["symbol"].notna(), "")
    return out[cols].sort_values(["family", "year"], ignore_index=True)


def votes_basis_line(votes: pd.DataFrame, table: pd.DataFrame, lang: str) -> str:
    """Where the votes of :func:`family_votes_table` come from, in a sentence.

    >>> v = pd.DataFrame({"year": [1948, 2019]})
    >>> votes_basis_line(v, pd.DataFrame({"source": ["record", "named"]}), "en")[:52]
    'Votes: the UN per-country record (bundled roll calls'
    """
    years = votes["year"].astype(int)
    named = int((table["source"] == "named").sum())
    key = "brief.text.votes_basis_named" if named else "brief.text.votes_basis"
    return fmt(key, lang, first=int(years.min()), last=int(years.max()), named=named)


def vote_overview(table: pd.DataFrame, families: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per family: its name in ``lang``, the sessions with a recorded position, how often
    the state voted yes, no, abstained or was absent, and its latest position (with year).

    >>> t = pd.DataFrame({"family": ["f", "f"], "year": [2000, 2001], "vote": ["yes", "no"]})
    >>> fam = pd.DataFrame({"family": ["f"], "name_en": ["F"], "name_ja": ["エフ"]})
    >>> r = vote_overview(t, fam, "en").iloc[0]
    >>> r["family"], int(r["sessions"]), int(r["no"]), int(r["absent"]), r["latest"]
    ('F', 2, 1, 0, 'No (2001)')
    """
    names = families.set_index(families["family"].astype(str))[name_column(lang)]
    known = table[table["vote"].isin(POSITIONS)]
    counts = pd.crosstab(known["family"], known["vote"]).reindex(
        index=sorted(table["family"].unique()), columns=list(POSITIONS), fill_value=0)
    latest = known.sort_values("year").drop_duplicates("family", keep="last").set_index(
        "family")
    last_text = (translate_values(latest["vote"], "value.vote", lang) + " ("
                 + latest["year"].astype(str) + ")").reindex(counts.index)
    out = pd.DataFrame({
        "family": names.reindex(counts.index).astype(str).to_numpy(),
        "sessions": counts.sum(axis=1).astype(int).to_numpy(),
        **{c: counts[c].astype(int).to_numpy() for c in POSITIONS},
        "latest": last_text.fillna(label("word.none", lang)).to_numpy(),
    })
    return out


def vote_changes(table: pd.DataFrame) -> pd.DataFrame:
    """Every change of position (yes, no, abstain, absent) from one recorded session of a
    family to the next one with a position: family, previous_year, previous_vote, year,
    vote; sorted by year then family.

    >>> t = pd.DataFrame({"family": ["f"] * 4, "year": [2000, 2001, 2002, 2003],
    ...                   "vote": ["yes", "no_record", "abstain", "abstain"]})
    >>> vote_changes(t).values.tolist()
    [['f', 2000, 'yes', 2002, 'abstain']]
    """
    known = table[table["vote"].isin(POSITIONS)].sort_values(["family", "year"])
    prev = known.groupby("family")[["year", "vote"]].shift(1)
    changed = prev["vote"].notna() & (prev["vote"] != known["vote"])
    out = pd.DataFrame({"family": known["family"], "previous_year": prev["year"],
                        "previous_vote": prev["vote"], "year": known["year"],
                        "vote": known["vote"]})[changed]
    out["previous_year"] = out["previous_year"].astype("int64")
    return out.sort_values(["year", "family"], ignore_index=True)


def change_lines(changes: pd.DataFrame, families: pd.DataFrame, lang: str) -> list[str]:
    """Each change of :func:`vote_changes` as a sentence in ``lang`` (one line saying so
    when there is none).

    >>> fam = pd.DataFrame({"family": ["f"], "name_en": ["F"], "name_ja": ["エフ"]})
    >>> c = pd.DataFrame({"family": ["f"], "previous_year": [2000], "previous_vote": ["yes"],
    ...                   "year": [2002], "vote": ["abstain"]})
    >>> change_lines(c, fam, "ja")
    ['エフ：2000年の賛成から2002年に棄権へ']
    """
    if changes.empty:
        return [label("brief.text.no_changes", lang)]
    names = families.set_index(families["family"].astype(str))[name_column(lang)]
    prev = translate_values(changes["previous_vote"], "value.vote", lang)
    now = translate_values(changes["vote"], "value.vote", lang)
    fams = changes["family"].map(names)
    return [fmt("brief.text.change", lang, family=f, previous=p, previous_year=int(py),
                vote=v, year=int(y))
            for f, p, py, v, y in zip(fams, prev, changes["previous_year"], now,
                                      changes["year"], strict=True)]


# --- coincidence with Japan -----------------------------------------------------------------
def arms_control_votes(votes: pd.DataFrame) -> pd.DataFrame:
    """Whole-resolution votes whose issues or title mention nuclear weapons, arms control
    or disarmament (case-insensitive).

    >>> v = pd.DataFrame({"issues": ["Arms control and disarmament", "Colonialism"],
    ...                   "title": ["a", "b"], "whole_resolution": [True, True]})
    >>> len(arms_control_votes(v))
    1
    """
    whole = co.whole_votes(votes)
    text = (whole["issues"].astype("string").fillna("") + " "
            + whole["title"].astype("string").fillna(""))
    return whole[text.str.contains(_ARMS, case=False, regex=True).to_numpy(dtype=bool)]


def _period(row: pd.Series, lang: str) -> str:
    if row.get("by") == "session":
        return fmt("brief.text.period_session", lang, session=int(row["group"]),
                   year=int(row["year"]))
    return fmt("brief.text.period_year", lang, year=int(row["year"]))


def coincidence_profile(votes: pd.DataFrame, country: str, index: str = "state_dept",
                        regional_groups: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per period (calendar year or session, as the index is published:
    :data:`analysis.coincidence.DEFAULT_BY`): the state's coincidence with Japan (value,
    n), the median and quartiles over every state voting that period (``median``, ``q1``,
    ``q3``, Japan left out), its rank (1 = closest to Japan; ties share the best rank)
    among ``n_states`` states, ``below`` (share of the other states with a lower value),
    and, with ``regional_groups``, the median of its regional group (``group_median``).
    ``year`` is the calendar year (of the session's opening for sessions). Periods before
    the state's first value are left out.

    >>> v = pd.DataFrame({"vote_id": ["1"] * 4, "country": ["JPN", "A", "B", "C"],
    ...                   "vote": ["yes", "yes", "no", "abstain"], "year": [2000] * 4})
    >>> p = coincidence_profile(v, "C")
    >>> p[["year", "value", "median", "rank", "n_states"]].values.tolist()
    [[2000.0, 0.5, 0.5, 2.0, 3.0]]

    Raises ParameterError for an unknown index or for Japan itself.
    """
    co._check(index, None)
    if country == JAPAN:
        raise ParameterError("country", "a state other than Japan", country)
    by = co.DEFAULT_BY[index]
    cols = ["group", "by", "year", "value", "n", "median", "q1", "q3", "rank", "n_states",
            "below", "group_median"]
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in cols})
    if votes.empty or not (votes["country"].astype(str) == JAPAN).any():
        return empty
    long = co.coincidence_long(votes, index=index, by=by, countries=[JAPAN])
    long = long[long["value"].notna()].assign(b=lambda f: f["b"].astype(str))
    if long.empty:
        return empty
    grp = long.groupby("group")["value"]
    stats = pd.DataFrame({"median": grp.median(), "q1": grp.quantile(0.25),
                          "q3": grp.quantile(0.75), "n_states": grp.size()})
    long["rank"] = grp.rank(method="min", ascending=False)
    long["lower"] = grp.rank(method="min", ascending=True) - 1
    mine = long[long["b"] == country].set_index("group")
    out = stats.join(mine[["value", "n", "rank", "lower"]], how="left")
    out["below"] = out["lower"] / (out["n_states"] - 1).where(out["n_states"] > 1)
    if regional_groups is not None:
        groups = regional_groups.set_index(regional_groups["iso3"].astype(str))[
            "un_regional_group"].astype(str)
        own = groups.get(country)
        same = long[long["b"].map(groups) == own] if own is not None else long.iloc[:0]
        out["group_median"] = same.groupby("group")["value"].median().reindex(out.index)
    else:
        out["group_median"] = np.nan
    out = out.reset_index()
    out["by"] = by
    group = out["group"].astype(int)
    out["year"] = (group + 1945 if by == "session" else group).astype(float)
    has = out["value"].notna().to_numpy()
    if has.any():  # from the state's first period with a value (its membership, mostly)
        out = out.iloc[int(np.argmax(has)):]
    return out[cols].astype({c: float for c in cols if c not in ("group", "by")}
                            ).reset_index(drop=True)


def position_table(prof_frame: pd.DataFrame, lang: str, last: int = 10) -> pd.DataFrame:
    """The ``last`` periods with a value of :func:`coincidence_profile` for display:
    period, value, median of all states, rank, states, share of states it is closer to
    Japan than (in %), with headers in ``lang``.

    >>> p = pd.DataFrame({"group": [2019], "by": ["year"], "year": [2019.0], "value": [0.8],
    ...                   "median": [0.6], "rank": [3.0], "n_states": [190.0],
    ...                   "below": [0.9], "n": [40.0]})
    >>> list(position_table(p, "ja").to_dict("records")[0].values())
    ['2019年', 0.8, 0.6, 3, 190, 90]
    """
    known = prof_frame.dropna(subset=["value"]).tail(last)
    out = pd.DataFrame({
        "period": [_period(r, lang) for _, r in known.iterrows()],  # at most ``last`` rows
        "value": known["value"].round(3).to_numpy(),
        "median": known["median"].round(3).to_numpy(),
        "rank": known["rank"].astype(int).to_numpy(),
        "n_states": known["n_states"].astype(int).to_numpy(),
        "below": (100 * known["below"].fillna(0)).round().astype(int).to_numpy(),
    })
    out.columns = [header(c, lang, "brief") for c in out.columns]
    return out


def position_line(prof_frame: pd.DataFrame, name: str, index: str, lang: str) -> str:
    """The latest period with a value of :func:`coincidence_profile` in a sentence (one
    line saying so when the state shares no vote with Japan).

    >>> p = pd.DataFrame({"group": [2019], "by": ["year"], "year": [2019.0], "value": [0.8],
    ...                   "median": [0.6], "rank": [3.0], "n_states": [190.0],
    ...                   "below": [0.9], "n": [40.0]})
    >>> position_line(p, "Chile", "state_dept", "en")[:60]
    '2019: Chile 0.80 (Voting coincidence (US State Dept., method'
    """
    known = prof_frame.dropna(subset=["value"])
    if known.empty:
        return fmt("brief.text.no_coincidence", lang, name=name)
    r = known.iloc[-1]
    return fmt("brief.text.position", lang, period=_period(r, lang), name=name,
               value=float(r["value"]), index=label(f"value.index.{index}", lang),
               rank=int(r["rank"]), n_states=int(r["n_states"]), below=float(r["below"]),
               median=float(r["median"]), n=int(r["n"]))


# --- consultations --------------------------------------------------------------------------
def consultations_with(register: pd.DataFrame, participants: pd.DataFrame,
                       counterparts: pd.DataFrame, country: str, lang: str,
                       start_year: int | None = None, end_year: int | None = None
                       ) -> pd.DataFrame:
    """Meetings of Japan's consultation register in which the state took part, by date:
    date (as precise as the source), meeting name in ``lang``, format, city, level, the
    other participants (names in ``lang``) and ``weak`` (weakly verified). Undated
    meetings come last; a year range keeps the dated meetings of those years.

    >>> from analysis.bundle import load_bundle
    >>> b = load_bundle()
    >>> t = consultations_with(b.consultations, b.participants, b.counterparts, "KOR", "en")
    >>> len(t) > 0, set(t["format"]) <= {"bilateral", "trilateral", "multilateral"}
    (True, True)
    """
    ids = set(participants.loc[participants["code"].astype(str) == country, "meeting_id"])
    rows = register[register["meeting_id"].isin(ids)]
    year = rows["year"].astype("Float64")
    if start_year is not None:
        rows = rows[(year >= start_year).fillna(False).to_numpy(dtype=bool)]
        year = rows["year"].astype("Float64")
    if end_year is not None:
        rows = rows[(year <= end_year).fillna(False).to_numpy(dtype=bool)]
    names = counterparts.set_index(counterparts["code"].astype(str))[name_column(lang)]
    others = participants[participants["meeting_id"].isin(set(rows["meeting_id"]))
                          & (participants["code"].astype(str) != country)]
    others = others.assign(name=others["code"].astype(str).map(names).fillna(
        others["code"].astype(str)))
    listed = others.groupby("meeting_id")["name"].agg(lambda s: join(sorted(s), lang))
    rows = rows.sort_values(["date_start", "meeting_id"], na_position="last", kind="stable")

    def text(col: str) -> pd.Series:
        return rows[col].astype(object).where(rows[col].notna(), "").astype(str)

    out = pd.DataFrame({
        "date": text("date").replace("", label("brief.text.undated", lang)),
        "meeting": text(name_column(lang)), "format": text("format"), "city": text("city"),
        "level": text("level"),
        "others": rows["meeting_id"].map(listed).fillna("").astype(str),
        "weak": np.where(rows["weak"].astype(bool), label("brief.text.weak", lang), ""),
    })
    return out.reset_index(drop=True)


def consultation_lines(table: pd.DataFrame, register: pd.DataFrame, name: str,
                       lang: str) -> list[str]:
    """Counts of :func:`consultations_with` in a sentence, or one line saying the register
    holds none (with the years the register covers).

    >>> reg = pd.DataFrame({"year": [2006, 2025]})
    >>> consultation_lines(pd.DataFrame(columns=["format", "date"]), reg, "Chile", "en")[0][:59]
    'No consultation with Chile in the register (dated meetings '
    """
    years = register["year"].dropna().astype(int)
    first, last = (int(years.min()), int(years.max())) if len(years) else (0, 0)
    if table.empty:
        return [fmt("brief.text.no_consultations", lang, name=name, first=first, last=last)]
    bilateral = int((table["format"] == "bilateral").sum())
    return [fmt("brief.text.consultations", lang, name=name, n=len(table),
                bilateral=bilateral, group=len(table) - bilateral, first=first, last=last)]


def summary(prof: dict, table: pd.DataFrame, changes: pd.DataFrame,
            coincidence: pd.DataFrame, meetings: pd.DataFrame, **extra: object) -> dict:
    """The JSON-ready summary notebook 04 writes.

    >>> s = summary({"iso3": "X", "name_en": "X", "name_ja": None, "group": None,
    ...              "group_note": None, "admitted": pd.Timestamp("2011-07-14")},
    ...             pd.DataFrame(columns=["family", "year", "vote"]), pd.DataFrame(),
    ...             pd.DataFrame(), pd.DataFrame(columns=["weak"]))
    >>> s["admitted"], s["consultations"]
    ('2011-07-14', 0)
    """
    coin = coincidence.dropna(subset=["value"]) if "value" in coincidence else coincidence
    return {
        "country": prof["iso3"], "name_en": prof["name_en"], "name_ja": prof["name_ja"],
        "un_regional_group": prof["group"], "admitted": str(prof["admitted"].date()),
        "votes": {f: dict(zip(sub["year"].astype(int).astype(str), sub["vote"], strict=True))
                  for f, sub in table.groupby("family", sort=True)},
        "changes": changes.to_dict("records"),
        "coincidence": coin.to_dict("records"),
        "consultations": int(len(meetings)),
        **extra,
    }
