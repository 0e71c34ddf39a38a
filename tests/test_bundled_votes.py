"""The bundled per-country record (data/unga/unvotes/, the real unvotes rows) read as it is.

Oracles: the source's own README (1,385 roll calls, 215,972 votes, sessions 3-74,
1948-11-06 to 2019-12-12) and the UN's published count of the 2006 vote on Japan's
resolution A/RES/61/74 (167-4-7, the figure the issue names as the UN's record).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis import coincidence as co
from analysis.bundle import BUNDLED_VOTES, load_bundle
from analysis.votes_io import apply_continuity, continuity_table

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def votes() -> pd.DataFrame:
    return load_bundle().votes


def _raw(name: str) -> list[dict[str, str]]:
    with open(DATA / BUNDLED_VOTES / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_row_is_read(votes: pd.DataFrame) -> None:
    assert len(votes) == len(_raw("un_votes.csv")) == 215_972
    assert votes["vote_id"].nunique() == len(_raw("un_roll_calls.csv")) == 1_385
    assert (votes["date"].min(), votes["date"].max()) == (pd.Timestamp("1948-11-06"),
                                                          pd.Timestamp("2019-12-12"))
    assert votes["country"].notna().all() and (votes["country"].astype(str) != "").all()
    assert not votes.duplicated(["vote_id", "country"]).any()


def test_namibia_is_not_a_missing_value(votes: pd.DataFrame) -> None:
    raw_na = sum(r["country_code"] == "NA" for r in _raw("un_votes.csv"))
    nam = votes[votes["country"] == "NAM"]
    assert len(nam) == raw_na > 0
    assert set(nam["country_name"]) == {"Namibia"}
    assert nam["date"].min() >= pd.Timestamp("1990-04-23")  # admitted that day


def test_states_without_a_code_are_coded_by_name(votes: pd.DataFrame) -> None:
    raw = _raw("un_votes.csv")
    for name, code in (("Federal Republic of Germany", "DEU"), ("Yemen Arab Republic", "YEM")):
        n = sum(r["country_code"] == "" and r["country"] == name for r in raw)
        got = votes[votes["country_name"] == name]
        assert len(got) == n > 0 and set(got["country"].astype(str)) == {code}


def test_series_continue_across_renames(votes: pd.DataFrame) -> None:
    years = votes.groupby(votes["country"].astype(str))["year"].agg(["min", "max"])
    assert years.loc["DEU", "min"] == 1973 and years.loc["DEU", "max"] == 2019
    assert years.loc["YUG", "max"] <= 1992 and years.loc["SRB", "min"] == 2000
    assert years.loc["CSK", "max"] == 1992 and years.loc["CZE", "min"] == 1993
    assert "DDR" in years.index and "YMD" in years.index
    # one code per state in a year: no state votes twice on a roll call under two codes
    deu = votes[(votes["country"] == "DEU")]
    assert not deu.duplicated("vote_id").any()


def test_continuity_is_the_same_for_both_layouts() -> None:
    t = continuity_table()
    f = pd.DataFrame({"country": pd.Categorical(["YUG", "SCG", "YUG"]),
                      "country_name": ["SERBIA", "SERBIA AND MONTENEGRO", "YUGOSLAVIA"],
                      "date": pd.to_datetime(["2006-12-06", "2004-12-03", "1985-12-12"])})
    assert apply_continuity(f, "undl", t)["country"].tolist() == ["SRB", "SRB", "YUG"]
    u = f.assign(country=pd.Categorical(["YUG", "YUG", "YUG"]))
    assert apply_continuity(u, "unvotes", t)["country"].tolist() == ["SRB", "SRB", "YUG"]


def test_the_2006_tally_is_the_uns_count(votes: pd.DataFrame) -> None:
    fam = co.family_votes(votes, load_bundle().resolutions, "japan_nuclear")
    tally = fam[fam["resolution"] == "A/RES/61/74"]["vote"].astype(str).value_counts()
    assert (tally["yes"], tally["no"], tally["abstain"]) == (167, 4, 7)


def test_whole_resolution_votes_only_by_default(votes: pd.DataFrame) -> None:
    parts = votes[~votes["whole_resolution"]]
    assert parts["vote_id"].nunique() > 0  # the record holds paragraph and amendment votes
    whole = co.whole_votes(votes)
    assert whole["whole_resolution"].all() and len(whole) == len(votes) - len(parts)
