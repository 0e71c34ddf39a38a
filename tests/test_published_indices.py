"""The coincidence indices against figures the State Department published.

Oracle: *Voting Practices in the United Nations* (U.S. Department of State, report to
Congress), tables of voting coincidence with the United States, as transcribed in the
public repository markschaver/UN (each row of ``fixtures/published/voting_practices.csv``
names the transcribed file at its commit): the General Assembly "all recorded votes"
tables of the reports on 2017, 2018 and 2019 (half credit for one abstention, the method
since the 2017 report) and, for 2013-2017, the tables of 18-21 votes per country (the
reports' Israel-related table, identified by its vote count; votes-only method before
2017). Each published row prints its counts (same, opposite, abstentions / partial,
absent) and the coincidence to two decimals. The France 2016 row is left out: its counts
(0 same) contradict its printed 0.08.

The project's bundled per-country record holds only nuclear and arms-control votes, so
the published all-votes figures cannot be recomputed from it: the last test shows that
difference of coverage instead of hiding it.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import coincidence as co
from analysis.bundle import load_bundle

ROWS = list(csv.DictReader(open(Path(__file__).parent / "fixtures" / "published"
                                / "voting_practices.csv", encoding="utf-8")))


def _votes_from_counts(same: int, opposite: int, third: int, absent: int) -> pd.DataFrame:
    """USA and X over the votes a published row counts (X absent from ``absent`` votes)."""
    usa = ["yes"] * (same + opposite + third + absent)
    third_vote = "abstain"  # partial (one side abstained) or, before 2017, X abstained
    other = ["yes"] * same + ["no"] * opposite + [third_vote] * third
    ids = [str(i) for i in range(len(usa))]
    return pd.DataFrame({"vote_id": ids + ids[:len(other)],
                         "country": ["USA"] * len(usa) + ["XXX"] * len(other),
                         "vote": usa + other, "year": 2000, "whole_resolution": True})


def _printed(value: float) -> Decimal:
    """Rounded as the reports print: half up to two decimals (0.265 -> 0.27)."""
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['report_year']}-{r['iso3']}-{r['category']}"
                                           for r in ROWS])
def test_index_reproduces_the_published_figure(row: dict) -> None:
    votes = _votes_from_counts(int(row["identical"]), int(row["opposite"]),
                               int(row["abstentions"]), int(row["absences"]))
    index = "state_dept" if row["method"] == "abstain_half" else "state_dept_votes_only"
    value = co.coincidence_matrix(votes, index).loc["XXX", "USA"]
    assert _printed(float(value)) == Decimal(row["coincidence_pct_as_printed"])


def test_the_two_methods_differ_where_the_reports_changed() -> None:
    """Australia, 2017 Israel-related table: 7 same, 4 opposite, 10 partial is 0.57 under
    the half-credit method (printed) and would be 0.64 under the old one."""
    row = next(r for r in ROWS if r["iso3"] == "AUS" and r["report_year"] == "2017"
               and r["category"] == "israel_related_inferred")
    votes = _votes_from_counts(7, 4, 10, 0)
    assert row["coincidence_pct_as_printed"] == "0.57"
    assert _printed(float(co.coincidence_matrix(votes, "state_dept").loc["XXX", "USA"])) \
        == Decimal("0.57")
    assert _printed(float(co.coincidence_matrix(votes, "state_dept_votes_only")
                          .loc["XXX", "USA"])) == Decimal("0.64")


def test_bundled_record_covers_only_part_of_the_reports_votes() -> None:
    """Japan-USA, 2017-2019: the reports count every recorded vote (93, 110 and 100 with
    absences); the bundled record only the nuclear and arms-control roll calls, so its
    coincidence is a different (subject) figure, not the published one."""
    votes = load_bundle().votes
    sub = votes[votes["year"].between(2017, 2019)]
    coin = co.coincidence_with(sub, "JPN", ["USA"], "state_dept", by="year")
    published = {int(r["report_year"]): r for r in ROWS
                 if r["iso3"] == "JPN" and r["category"] == "overall"}
    for year, row in published.items():
        got = coin[coin["group"] == year].iloc[0]
        total = sum(int(row[c]) for c in ("identical", "opposite", "abstentions"))
        assert 0 < got["n"] < total
        assert np.isfinite(got["value"])
