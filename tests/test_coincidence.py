"""Tests of analysis.coincidence: hand-checked indices, a slow reference, selections,
swings, no/abstain lists, supporters' overlap, and the per-country fixtures."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.coincidence import (
    INDICES,
    active_states,
    check_countries,
    coincidence_dict,
    coincidence_long,
    coincidence_matrix,
    coincidence_with,
    drop_unanimous,
    family_symbols,
    family_title_pattern,
    family_votes,
    in_years,
    no_and_abstain,
    nuclear_votes,
    overlap_counts,
    select_family_votes,
    supporters_overlap,
    swings,
)
from analysis.data import load_resolutions, load_vote_counts
from analysis.params import ParameterError
from analysis.unga import disagreements, per_country_tallies
from analysis.votes_io import load_votes

FIXTURES = Path(__file__).parent / "fixtures"
UNDL = FIXTURES / "unga" / "undl_nuclear.csv"
UNVOTES = FIXTURES / "unga" / "unvotes_nuclear"


def record(rows: dict[str, list[str]], year: int = 2000) -> pd.DataFrame:
    """A per-country frame from {vote_id: [vote of each state in STATES order]}."""
    out = []
    for vid, votes in rows.items():
        for c, v in zip(STATES, votes, strict=True):
            if v is not None:
                out.append({"vote_id": vid, "country": c, "vote": v, "year": year,
                            "session": str(year - 1945), "issues": "nu"})
    return pd.DataFrame(out)


STATES = ["JPN", "USA", "CHN"]
# Three states, four votes (None = no row, i.e. absent):
#        v1     v2       v3       v4
# JPN    yes    yes      no       yes
# USA    yes    abstain  no       non_voting
# CHN    no     yes      abstain  no
HAND = record({"v1": ["yes", "yes", "no"], "v2": ["yes", "abstain", "yes"],
               "v3": ["no", "no", "abstain"], "v4": ["yes", "non_voting", "no"]})

# Worked out on paper (non-voting excluded pairwise, so JPN-USA and USA-CHN use v1-v3):
# state_dept_votes_only = identical / (identical + opposite), yes/no votes of both only
#   JPN-USA: v1 yes-yes, v3 no-no            -> 2 / 2 = 1.0        (n 2)
#   JPN-CHN: v1 opp, v2 identical, v4 opp    -> 1 / 3              (n 3; v3 has an abstain)
#   USA-CHN: v1 opp                          -> 0 / 1 = 0.0        (n 1)
# agreement (and state_dept since 2017, the same formula): same vote 1, one abstain 0.5,
# yes-no 0; mean over votes both cast
#   JPN-USA: 1 + 0.5 + 1       = 2.5 / 3 = 0.8333 (n 3)
#   JPN-CHN: 0 + 1 + 0.5 + 0   = 1.5 / 4 = 0.375  (n 4)
#   USA-CHN: 0 + 0.5 + 0.5     = 1.0 / 3 = 0.3333 (n 3)
# s_score: yes=1, abstain=0.5, no=0, S = 1 - 2 * sum|a-b| / n (d_max = 1 per vote)
#   JPN-USA: sum|d| = 0 + 0.5 + 0       = 0.5 -> 1 - 1.0/3 = 0.6667
#   JPN-CHN: sum|d| = 1 + 0 + 0.5 + 1   = 2.5 -> 1 - 5.0/4 = -0.25
#   USA-CHN: sum|d| = 1 + 0.5 + 0.5     = 2.0 -> 1 - 4.0/3 = -0.3333
EXPECTED = {
    "state_dept_votes_only": {("JPN", "USA"): (1.0, 2), ("JPN", "CHN"): (1 / 3, 3),
                              ("USA", "CHN"): (0.0, 1)},
    "agreement": {("JPN", "USA"): (2.5 / 3, 3), ("JPN", "CHN"): (0.375, 4),
                  ("USA", "CHN"): (1 / 3, 3)},
    "state_dept": {("JPN", "USA"): (2.5 / 3, 3), ("JPN", "CHN"): (0.375, 4),
                   ("USA", "CHN"): (1 / 3, 3)},
    "s_score": {("JPN", "USA"): (2 / 3, 3), ("JPN", "CHN"): (-0.25, 4),
                ("USA", "CHN"): (-1 / 3, 3)},
}


@pytest.mark.parametrize("index", INDICES)
def test_hand_checked_indices(index):
    m = coincidence_matrix(HAND, index)
    n = m.attrs["n"]
    for (a, b), (value, count) in EXPECTED[index].items():
        assert m.loc[a, b] == pytest.approx(value)
        assert m.loc[b, a] == pytest.approx(value)  # symmetric
        assert n.loc[a, b] == count
    assert list(m.index) == sorted(STATES)
    long = coincidence_long(HAND, index, by=None)
    row = long[(long["a"] == "JPN") & (long["b"] == "CHN")].iloc[0]
    assert row["value"] == pytest.approx(EXPECTED[index][("JPN", "CHN")][0])
    assert row["n"] == EXPECTED[index][("JPN", "CHN")][1] and row["index"] == index
    assert len(long) == 6  # ordered pairs, no diagonal


def test_s_score_is_twice_agreement_minus_one():
    a = coincidence_matrix(HAND, "agreement")
    s = coincidence_matrix(HAND, "s_score")
    assert np.allclose(s.to_numpy(), 2 * a.to_numpy() - 1)


def test_groups_and_parameters():
    two = pd.concat([HAND, HAND.assign(year=2001, session="56", issues="nu; hr",
                                       vote_id=HAND["vote_id"] + "b")])
    long = coincidence_long(two, "agreement", by="year")
    assert sorted(long["group"].unique()) == [2000, 2001]
    assert coincidence_matrix(two, "agreement", by="session", group="56").loc[
        "JPN", "CHN"] == pytest.approx(0.375)
    issues = coincidence_long(two, "state_dept", by="issue")
    nu = issues[(issues["group"] == "nu") & (issues["a"] == "JPN") & (issues["b"] == "CHN")]
    assert nu["n"].iloc[0] == 8  # both years carry "nu": 4 shared votes each
    assert set(issues["group"]) == {"nu", "hr"}
    with pytest.raises(ParameterError, match="index"):
        coincidence_matrix(HAND, "kappa")
    with pytest.raises(ParameterError, match="group"):
        coincidence_matrix(two, "agreement", by="year")
    with pytest.raises(ParameterError, match="group"):
        coincidence_matrix(two, "agreement", by="year", group=1999)


def test_coincidence_with_and_dict():
    w = coincidence_with(HAND, "JPN", ["USA", "CHN"], "agreement")
    assert w["country"].tolist() == ["CHN", "USA"]
    assert coincidence_dict(w) == {"CHN": {"2000": 0.375}, "USA": {"2000": 2.5 / 3}}


def slow_index(votes: pd.DataFrame, a: str, b: str, index: str) -> tuple[float, int]:
    """Reference: loop over the votes both states cast, straight from the definitions."""
    score = {"yes": 1.0, "abstain": 0.5, "no": 0.0}
    va = votes[votes["country"] == a].set_index("vote_id")["vote"].astype(str)
    vb = votes[votes["country"] == b].set_index("vote_id")["vote"].astype(str)
    ident = opp = n = 0
    dist = 0.0
    for vid in va.index.intersection(vb.index):
        x, y = va[vid], vb[vid]
        if x not in score or y not in score:
            continue
        n += 1
        dist += abs(score[x] - score[y])
        if x in ("yes", "no") and y in ("yes", "no"):
            ident += x == y
            opp += x != y
    if index == "state_dept_votes_only":
        return (ident / (ident + opp) if ident + opp else np.nan), ident + opp
    if n == 0:
        return np.nan, 0
    return (1 - 2 * dist / n if index == "s_score" else 1 - dist / n), n


def synthetic(n_states: int, n_votes: int, seed: int = 7, years: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    states = [f"S{i:03d}" for i in range(n_states)]
    vid = np.repeat(np.arange(n_votes), n_states)
    st = np.tile(np.arange(n_states), n_votes)
    lean = rng.normal(size=n_states)[st] + rng.normal(size=n_votes)[vid]
    p = rng.random(len(vid))
    code = np.where(p < 0.05, 3, np.where(lean + rng.normal(size=len(vid)) > 0, 0,
                                          np.where(p < 0.3, 2, 1)))
    frame = pd.DataFrame({
        "vote_id": pd.Series(vid.astype(str), dtype="str"),
        "country": pd.Categorical.from_codes(st, states),
        "vote": pd.Categorical.from_codes(code, ["yes", "no", "abstain", "non_voting"]),
        "year": 2000 + vid * years // n_votes,
    })
    frame["session"] = (frame["year"] - 1945).astype(str)
    return frame[rng.random(len(frame)) > 0.02]  # some members absent (no row)


@pytest.mark.parametrize("index", INDICES)
def test_matrix_matches_slow_reference(index):
    votes = synthetic(193, 2000)
    m = coincidence_matrix(votes, index)
    n = m.attrs["n"]
    subset = ["S000", "S007", "S050", "S101", "S150", "S192"]
    sub_votes = votes[votes["country"].isin(subset)]
    for a, b in combinations(subset, 2):
        value, count = slow_index(sub_votes, a, b, index)
        assert m.loc[a, b] == pytest.approx(value, abs=1e-12)
        assert n.loc[a, b] == count
    by_year = coincidence_long(votes, index, by="year", countries=["S007"])
    y2003 = by_year[(by_year["group"] == 2003) & (by_year["b"] == "S150")].iloc[0]
    value, count = slow_index(votes[votes["year"] == 2003], "S007", "S150", index)
    assert y2003["value"] == pytest.approx(value, abs=1e-12) and y2003["n"] == count


@pytest.mark.slow  # a full-scale record: seconds (the fast tier stays under 90 s)
def test_900k_votes_whole_record():
    """A full-scale record (speed is measured by ``python -m analysis bench``)."""
    votes = synthetic(193, 4664, years=80)
    assert len(votes) > 860_000
    long = coincidence_long(votes, "agreement", by="year")
    assert long["group"].nunique() == 80
    assert long["value"].between(0, 1).all()


def test_pairs_without_a_value_are_empty_in_both_forms():
    """JPN and USA share two votes, each with an abstention: the votes-only index has no
    value for them, and both forms show the pair as empty (NaN) rather than dropping it."""
    v = record({"v1": ["yes", "abstain", "no"], "v2": ["abstain", "no", "no"]})
    m = coincidence_matrix(v, "state_dept_votes_only")
    long = coincidence_long(v, "state_dept_votes_only", by=None)
    pair = long[(long["a"] == "JPN") & (long["b"] == "USA")].iloc[0]
    assert np.isnan(m.loc["JPN", "USA"]) and np.isnan(pair["value"])
    assert m.attrs["n"].loc["JPN", "USA"] == pair["n"] == 0
    assert m.attrs["shared"].loc["JPN", "USA"] == pair["shared"] == 2
    assert len(long) == 6


def test_whole_resolution_votes_only_unless_asked():
    v = HAND.assign(whole_resolution=True)
    para = HAND.assign(vote_id=HAND["vote_id"] + "p", whole_resolution=False,
                       vote=HAND["vote"].replace({"yes": "no", "no": "yes"}))
    both = pd.concat([v, para], ignore_index=True)
    assert coincidence_matrix(both, "agreement").equals(coincidence_matrix(v, "agreement"))
    assert coincidence_matrix(both, "agreement", whole_only=False).attrs["n"].loc[
        "JPN", "CHN"] == 8


def test_drop_unanimous_leaves_out_votes_all_cast_alike():
    v = record({"v1": ["yes", "yes", "yes"], "v2": ["yes", "no", "abstain"]})
    assert coincidence_matrix(drop_unanimous(v), "agreement").attrs["n"].loc["JPN", "USA"] == 1


# --- selections and tables -------------------------------------------------------------
def family_frame() -> pd.DataFrame:
    """Five states, three sessions of one family (None = no row)."""
    rows = {"61": ["yes", "no", "yes", "yes", "abstain"],
            "62": ["yes", "abstain", "non_voting", None, "yes"],
            "63": ["yes", "abstain", "no", "yes", "no"]}
    states = ["JPN", "USA", "CHN", "RUS", "GBR"]
    out = []
    for k, (session, votes) in enumerate(rows.items()):
        for c, v in zip(states, votes, strict=True):
            if v is not None:
                out.append({"vote_id": str(100 + k), "session": session,
                            "year": int(session) + 1945,
                            "date": pd.Timestamp(f"{int(session) + 1945}-12-01"),
                            "resolution": f"A/RES/{session}/1", "country": c,
                            "country_name": c.title(), "vote": v})
    return pd.DataFrame(out)


def test_swings_hand_case():
    # USA no -> abstain (62); GBR abstain -> yes (62) and yes -> no (63);
    # CHN and RUS are not compared across 62 (non-voting / absent): no swing for them.
    s = swings(family_frame())
    got = s[["year", "country", "previous_vote", "vote"]].values.tolist()
    assert got == [[2007, "GBR", "abstain", "yes"], [2007, "USA", "no", "abstain"],
                   [2008, "GBR", "yes", "no"]]
    assert s["previous_session"].tolist() == ["61", "61", "62"]
    assert swings(family_frame().iloc[0:0]).empty


def test_no_and_abstain_lists():
    t = no_and_abstain(family_frame())
    assert t["no"].tolist() == [["USA"], [], ["CHN", "GBR"]]
    assert t["abstain"].tolist() == [["GBR"], ["USA"], ["USA"]]
    assert t["n_no"].tolist() == [1, 0, 2]


def test_select_family_votes_by_symbol_and_title():
    v = pd.DataFrame({"resolution": ["A/RES/49/75H", "A/RES/60/65", "A/RES/99/1", "A/RES/99/2"],
                      "title": ["x", "y", "Treaty on the Prohibition of Nuclear Weapons : "
                                "resolution / adopted by the General Assembly", "z"],
                      "whole_resolution": [True, True, True, False]})
    res = load_resolutions()
    assert len(select_family_votes(v, family_symbols(res, "japan_nuclear"))) == 2
    tp = select_family_votes(v, None, family_title_pattern(res, "tpnw"))
    assert tp["resolution"].tolist() == ["A/RES/99/1"]
    assert len(select_family_votes(v, ["A/RES/99/2"], whole_only=False)) == 1
    assert select_family_votes(v, ["A/RES/99/2"]).empty
    with pytest.raises(ParameterError):
        select_family_votes(v)


def test_supporters_overlap_hand_case():
    v = pd.DataFrame({
        "vote_id": ["a"] * 4 + ["b"] * 4, "resolution": ["A/RES/1/1"] * 4 + ["A/RES/1/2"] * 4,
        "title": "", "whole_resolution": True, "year": 2018,
        "country": ["JPN", "AUT", "USA", "IRN"] * 2,
        "vote": ["yes", "yes", "yes", "abstain", "no", "yes", "no", "non_voting"]})
    o = supporters_overlap(v, ["A/RES/1/1"], ["A/RES/1/2"])
    assert o[["country", "group"]].values.tolist() == [["AUT", "both"], ["JPN", "only_a"],
                                                       ["USA", "only_a"]]
    c = overlap_counts(o).iloc[0]
    assert (c["both"], c["only_a"], c["only_b"], c["neither"]) == (1, 2, 0, 0)
    assert c["only_a_states"] == "JPN, USA"


def test_active_states_and_checks():
    assert active_states(HAND, 2) == ["CHN", "JPN"]
    assert active_states(HAND, 1, include=["USA", "ZZZ"]) == ["CHN", "USA"]
    assert check_countries("focus_countries", ["USA"]) == ["USA"]
    for bad in ("USA", ["usa"], [1]):
        with pytest.raises(ParameterError, match="focus_countries"):
            check_countries("focus_countries", bad)


# --- the per-country fixtures ------------------------------------------------------------
@pytest.fixture(scope="module", params=[UNDL, UNVOTES], ids=["undl", "unvotes"])
def fixture_votes(request) -> pd.DataFrame:
    return load_votes(request.param)


def test_fixture_family_and_tables(fixture_votes):
    fam = family_votes(fixture_votes, load_resolutions(), "japan_nuclear")
    assert sorted(fam["year"].unique()) == list(range(2014, 2023))
    table = no_and_abstain(fam)
    assert table["year"].tolist() == list(range(2014, 2023))
    assert all(table["no"].map(lambda x: x == sorted(x)))
    assert len(swings(fam)) > 0
    nuc = nuclear_votes(fixture_votes)
    assert nuc["vote_id"].nunique() < fixture_votes["vote_id"].nunique()  # ATT left out
    w = coincidence_with(nuc, "JPN", ["USA", "CHN"], "s_score")
    assert set(w["country"]) == {"USA", "CHN"} and w["value"].between(-1, 1).all()
    assert len(in_years(fixture_votes, 2016, 2017)["year"].unique()) == 2


def test_fixture_formats_agree_except_absences():
    undl, unv = load_votes(UNDL), load_votes(UNVOTES)
    a = no_and_abstain(family_votes(undl, load_resolutions(), "japan_nuclear"))
    b = no_and_abstain(family_votes(unv, load_resolutions(), "japan_nuclear"))
    assert a["no"].tolist() == b["no"].tolist()
    assert a["abstain"].tolist() == b["abstain"].tolist()
    d = disagreements(load_resolutions(), load_vote_counts(), "japan_nuclear",
                      tallies=per_country_tallies(undl, load_resolutions()))
    per_country = (d["source_a_id"] == "per_country") | (d["source_b_id"] == "per_country")
    assert per_country.any()
    assert set(d.loc[d["source_a_id"] == "per_country", "source_a"]) <= {
        "UN Digital Library voting record"}
    assert "japan_nuclear_61" in set(d["resolution_id"])


def test_other_developers_fixtures_run():
    for path in (FIXTURES / "undl" / "undl_2026.csv", FIXTURES / "unvotes"):
        if not path.exists():
            pytest.skip("votes_io fixtures not present")
        v = load_votes(path)
        fam = family_votes(v, load_resolutions(), "japan_nuclear")
        no_and_abstain(fam)
        swings(fam)
        coincidence_long(nuclear_votes(v), "state_dept", by="year")
