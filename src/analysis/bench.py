"""``python -m analysis bench``: how fast the suite handles the whole UN voting record.

Unless ``--votes PATH`` names a real file, a seeded synthetic record in the UN Digital
Library 2026 layout (see :mod:`analysis.votes_io`) is generated at full scale by
:func:`generate_undl`: about 950,000 rows, the 193 member states (real ISO3 codes and
names from pycountry, membership growing from the 51 founding members), about 5,000
resolutions over sessions 1..80 with dates, symbols (``A/RES/1653(XVI)`` before session
31, ``A/RES/61/74`` after), titles, agenda titles and ``|``-separated subjects (some
about nuclear weapons, including the titles of Japan's annual resolution and of the
TPNW resolution), and a vote mix of mostly Y with some A, N and X (non-voting) drawn
from a one-dimensional spatial model, so that states vote in blocs.

Then it measures, each phase in a fresh child process (so each has its own peak
resident memory, read with :func:`resource.getrusage`):

- loading: ``load_votes`` with a fresh cache folder (cold: parse the CSV and write the
  Parquet cache), again (warm: read the cache), and plain ``pandas.read_csv`` of the
  same file (default engine) as the baseline;
- coincidence: :func:`analysis.coincidence.coincidence_long` by session over the whole
  record, against a naive pandas self-merge (votes merged with themselves on vote_id,
  then identical/opposite counts per pair) run on a subset of sessions and scaled up by
  the number of merged rows (sum over votes of casting states squared);
- the default report (``python -m analysis report``) against the same notebook runs one
  after another with the papermill command line, and notebook 01 on the whole record
  (``-p votes_source``), cold and warm cache. ``--skip-report`` skips this part.

Every figure is printed with its target on one line ending in ``met`` or ``NOT MET``.
The exit code is 0 whether targets are met or not, 2 on usage errors.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "votes.csv"
>>> info = generate_undl(path, rows=3000, seed=1)
>>> from analysis.votes_io import load_votes
>>> df = load_votes(path, cache=False)
>>> len(df) == info["rows"], df["country"].nunique() <= 193
(True, True)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_ROWS = 950_000
DEFAULT_SEED = 2026
N_SESSIONS = 80
MERGE_SAMPLE_SESSIONS = 6
TARGETS = {
    "warm_vs_cold": 0.2, "cold_vs_baseline": 1.5, "coincidence_speedup": 100.0,
    "coincidence_seconds": 2.0, "peak_rss_gb": 1.5, "report_vs_papermill": 0.5,
    "nb01_seconds": 60.0,
}

# The 193 UN member states (ISO 3166 alpha-3).
MEMBERS = (
    "AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH "
    "BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP "
    "CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU "
    "GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ "
    "KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS "
    "MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN "
    "PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC "
    "SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN "
    "TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE"
).split()
# The 51 original members (Czechoslovakia and Yugoslavia as their seats' successors).
FOUNDERS = set(
    "ARG AUS BEL BOL BRA BLR CAN CHL CHN COL CRI CUB CZE DNK DOM ECU EGY SLV ETH FRA GRC GTM "
    "HTI HND IND IRN IRQ LBN LBR LUX MEX NLD NZL NIC NOR PAN PRY PER PHL POL RUS SAU ZAF SYR "
    "TUR UKR GBR USA URY VEN SRB".split())
# Where states sit on the synthetic model's one dimension (others are drawn at random).
IDEAL = {"USA": 2.6, "ISR": 2.6, "GBR": 1.7, "FRA": 1.7, "CAN": 1.3, "AUS": 1.2,
         "DEU": 1.2, "NLD": 1.1, "JPN": 0.9, "KOR": 0.9, "RUS": -0.2, "CHN": -0.9,
         "PRK": -1.8, "CUB": -1.8, "IRN": -1.6, "SYR": -1.6}

SUFFIX = " : resolution / adopted by the General Assembly"
# (title, agenda title, subjects); the first block is about nuclear weapons.
TOPICS = [
    ("Nuclear disarmament", "General and complete disarmament",
     "NUCLEAR DISARMAMENT|NUCLEAR WEAPONS"),
    ("Comprehensive Nuclear-Test-Ban Treaty", "Comprehensive Nuclear-Test-Ban Treaty",
     "NUCLEAR WEAPON TESTS|ARMS CONTROL AND DISARMAMENT"),
    ("Establishment of a nuclear-weapon-free zone in the region of the Middle East",
     "Establishment of a nuclear-weapon-free zone in the region of the Middle East",
     "NUCLEAR-WEAPON-FREE ZONES|MIDDLE EAST"),
    ("Reducing nuclear danger", "General and complete disarmament",
     "NUCLEAR WEAPONS|ARMS RACE"),
    ("Convention on the Prohibition of the Use of Nuclear Weapons",
     "Review and implementation of the Concluding Document of the Twelfth Special Session",
     "NUCLEAR WEAPONS|TREATIES"),
    ("The risk of nuclear proliferation in the Middle East",
     "The risk of nuclear proliferation in the Middle East",
     "NUCLEAR NON-PROLIFERATION|MIDDLE EAST"),
    ("Follow-up to the advisory opinion of the International Court of Justice on the "
     "Legality of the Threat or Use of Nuclear Weapons", "General and complete disarmament",
     "NUCLEAR WEAPONS|INTERNATIONAL COURT OF JUSTICE--ADVISORY OPINIONS"),
    ("Prevention of an arms race in outer space", "Prevention of an arms race in outer space",
     "OUTER SPACE|ARMS RACE"),
    ("The illicit trade in small arms and light weapons in all its aspects",
     "General and complete disarmament", "SMALL ARMS|ILLICIT TRAFFIC"),
    ("Implementation of the Convention on the Prohibition of the Use, Stockpiling, Production "
     "and Transfer of Anti-Personnel Mines and on Their Destruction",
     "General and complete disarmament", "LANDMINES|TREATIES"),
    ("Transparency in armaments", "General and complete disarmament",
     "ARMAMENTS|CONFIDENCE-BUILDING MEASURES"),
    ("Missiles", "General and complete disarmament", "MISSILES|ARMS CONTROL AND DISARMAMENT"),
    ("Relationship between disarmament and development",
     "General and complete disarmament", "DISARMAMENT|DEVELOPMENT"),
    ("Question of Palestine", "Question of Palestine", "PALESTINE QUESTION"),
    ("Israeli practices affecting the human rights of the Palestinian people in the Occupied "
     "Palestinian Territory, including East Jerusalem",
     "Report of the Special Committee to Investigate Israeli Practices",
     "PALESTINIANS|HUMAN RIGHTS|TERRITORIES OCCUPIED BY ISRAEL"),
    ("Necessity of ending the economic, commercial and financial embargo imposed by the "
     "United States of America against Cuba",
     "Necessity of ending the economic, commercial and financial embargo",
     "CUBA|ECONOMIC SANCTIONS|UNITED STATES"),
    ("Situation of human rights in the Democratic People's Republic of Korea",
     "Promotion and protection of human rights", "HUMAN RIGHTS|DEMOCRATIC PEOPLE'S REPUBLIC "
     "OF KOREA"),
    ("Implementation of the Declaration on the Granting of Independence to Colonial Countries "
     "and Peoples", "Implementation of the Declaration on the Granting of Independence",
     "DECOLONIZATION|SELF-DETERMINATION OF PEOPLES"),
    ("Policies of apartheid of the Government of South Africa", "Policies of apartheid",
     "APARTHEID|SOUTH AFRICA"),
    ("Question of Western Sahara", "Question of Western Sahara",
     "WESTERN SAHARA QUESTION|SELF-DETERMINATION OF PEOPLES"),
    ("Human rights and unilateral coercive measures", "Promotion and protection of human rights",
     "HUMAN RIGHTS|ECONOMIC SANCTIONS"),
    ("Moratorium on the use of the death penalty", "Promotion and protection of human rights",
     "CAPITAL PUNISHMENT|HUMAN RIGHTS"),
    ("Promotion of a democratic and equitable international order",
     "Promotion and protection of human rights", "INTERNATIONAL ORDER|HUMAN RIGHTS"),
    ("The right to food", "Promotion and protection of human rights", "RIGHT TO FOOD"),
    ("Globalization and its impact on the full enjoyment of all human rights",
     "Promotion and protection of human rights", "GLOBALIZATION|HUMAN RIGHTS"),
    ("Situation in Afghanistan", "The situation in Afghanistan", "AFGHANISTAN SITUATION"),
    ("Question of Korea", "Question of Korea", "KOREAN QUESTION"),
    ("Admission of new Members to the United Nations", "Admission of new Members",
     "UN MEMBERSHIP"),
    ("Scale of assessments for the apportionment of the expenses of the United Nations",
     "Scale of assessments", "UN--BUDGET CONTRIBUTIONS"),
]
N_NUCLEAR_TOPICS = 7
JAPAN_TITLE = "United action towards the total elimination of nuclear weapons"
TPNW_TITLE = "Treaty on the Prohibition of Nuclear Weapons"
UNDL_HEADER = [
    "undl_id", "ms_code", "ms_name", "ms_vote", "date", "session", "resolution", "draft",
    "committee_report", "meeting", "title", "agenda_title", "subjects", "vote_note",
    "total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms", "undl_link",
]


# --- the synthetic record ------------------------------------------------------------------
def _quote(values: Any) -> np.ndarray:
    """CSV fields, quoted only where needed (as the Library's file is written)."""
    text = pd.Series(np.asarray(values, dtype=object)).astype(str)
    needs = text.str.contains(r'[",\r\n]', regex=True)
    quoted = '"' + text.str.replace('"', '""', regex=False) + '"'
    return text.where(~needs, quoted).to_numpy(dtype=object)


def _join_fields(columns: Sequence[Any]) -> np.ndarray:
    """Row-wise comma-joined, quoted fields of equally long columns."""
    out = _quote(columns[0])
    for c in columns[1:]:
        out = out + "," + _quote(c)
    return out


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
                          (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += digits
            n -= value
    return out


def _states(rng: np.random.Generator) -> pd.DataFrame:
    """The 193 members: code, upper-case name, the session they joined, ideal point."""
    import pycountry

    codes = np.array(MEMBERS)
    names = [pycountry.countries.get(alpha_3=c).name.upper() for c in codes]
    founder = np.isin(codes, list(FOUNDERS))
    # admissions in waves: 1955 (session 10), 1960 (15), decolonisation, 1990s, later
    waves = np.zeros(N_SESSIONS + 1)
    waves[2:9] = 1.0
    waves[10], waves[15] = 16.0, 17.0
    waves[11:35] += 3.5
    waves[45:48] += 8.0
    waves[48:67] += 0.6
    join = np.ones(len(codes), dtype=np.int64)
    join[~founder] = rng.choice(np.arange(N_SESSIONS + 1), size=int((~founder).sum()),
                                p=waves / waves.sum())
    join[codes == "JPN"], join[codes == "DEU"], join[codes == "SSD"] = 11, 28, 66
    ideal = rng.normal(-0.4, 0.7, len(codes))
    for code, x in IDEAL.items():
        ideal[codes == code] = x
    absent = rng.beta(1.0, 35.0, len(codes))
    absent[rng.random(len(codes)) < 0.05] += 0.25  # a few often absent
    return pd.DataFrame({"code": codes, "name": names, "join": join, "ideal": ideal,
                         "absent": absent})


def _resolutions(rng: np.random.Generator, rows: int, states: pd.DataFrame) -> pd.DataFrame:
    """Resolutions per session (more in later sessions), scaled so votes come to ``rows``."""
    sessions = np.arange(1, N_SESSIONS + 1)
    members = (states["join"].to_numpy()[None, :] <= sessions[:, None]).sum(axis=1)
    weight = 0.25 + np.minimum(sessions, 40) / 40.0
    per_member = (weight * members).sum() / weight.sum()
    total = max(int(round(rows / per_member)), 1)
    counts = rng.multinomial(total, weight / weight.sum())
    session = np.repeat(sessions, counts)
    n = len(session)
    year = 1945 + session
    start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    resumed = rng.random(n) < 0.08
    offset = np.where(resumed, rng.integers(110, 330, n), rng.integers(262, 356, n))
    date = start + offset.astype("timedelta64[D]")
    order = np.lexsort((date, session))
    session, date, year = session[order], date[order], year[order]
    topic = rng.integers(0, len(TOPICS), n)
    nuclear_bias = rng.random(n) < 0.15
    topic[nuclear_bias] = rng.integers(0, N_NUCLEAR_TOPICS, int(nuclear_bias.sum()))
    title = np.array([t[0] for t in TOPICS], dtype=object)[topic]
    agenda = np.array([t[1] for t in TOPICS], dtype=object)[topic]
    subjects = np.array([t[2] for t in TOPICS], dtype=object)[topic]
    # Japan's resolution from session 49, the TPNW resolution from 72: one each session
    first = np.r_[True, session[1:] != session[:-1]]
    japan = first & (session >= 49)
    title[japan] = JAPAN_TITLE
    agenda[japan] = "General and complete disarmament"
    subjects[japan] = "NUCLEAR DISARMAMENT|NUCLEAR WEAPONS"
    second = np.r_[False, first[:-1]] & (session >= 72) & ~first
    title[second] = TPNW_TITLE
    agenda[second] = "General and complete disarmament"
    subjects[second] = "NUCLEAR WEAPONS|TREATIES"
    # numbers: running across sessions 1-30 (Roman style), per session afterwards
    number = np.cumsum(rng.integers(1, 4, n))
    sess_first = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    per_session = number - number[sess_first] + rng.integers(1, 30, n)[sess_first]
    roman = np.array([""] + [_roman(s) for s in sessions], dtype=object)
    old = session <= 30
    s_txt, num_txt = session.astype(str).astype(object), per_session.astype(str).astype(object)
    symbol = np.where(old, "A/RES/" + number.astype(str).astype(object) + "(" + roman[session]
                      + ")", "A/RES/" + s_txt + "/" + num_txt)
    lettered = ~old & (rng.random(n) < 0.12)
    symbol[lettered] = symbol[lettered] + " " + np.array(list("ABCDEFGH"), dtype=object)[
        rng.integers(0, 8, int(lettered.sum()))]
    ids = np.sort(rng.choice(np.arange(120_000, 4_200_000), size=n, replace=False))
    ids = rng.permutation(ids) if n > 1 else ids
    meeting = rng.integers(40, 110, n).astype(str).astype(object)
    draft = "A/" + s_txt + "/L." + rng.integers(1, 90, n).astype(str).astype(object)
    committee = np.where(topic < 13, "A/" + s_txt + "/" + rng.integers(380, 460, n).astype(str)
                         .astype(object), "")
    direction = rng.choice([-1.0, 1.0], n, p=[0.3, 0.7])
    t_no = 0.8 + rng.exponential(0.8, n)
    t_no[rng.random(n) < 0.2] += 2.5  # near-consensus votes
    t_abs = t_no - rng.uniform(0.4, 1.2, n)
    return pd.DataFrame({
        "undl_id": ids.astype(str).astype(object), "session": session, "date": date,
        "resolution": symbol, "draft": draft, "committee_report": committee,
        "meeting": "A/" + s_txt + "/PV." + meeting, "title": title + SUFFIX,
        "agenda_title": agenda, "subjects": subjects, "direction": direction,
        "t_no": t_no, "t_abs": t_abs,
    })


def generate_undl(path: str | Path, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED,
                  *, chunk_rows: int = 200_000) -> dict[str, Any]:
    """Write a seeded synthetic UN Digital Library 2026-layout CSV of about ``rows`` votes.

    Returns a summary: rows, resolutions, states, sessions, bytes, seconds, vote_mix.
    Vectorised throughout: each line is joined by ``pyarrow.compute`` from per-state and
    per-resolution fields (quoted only where needed), written in chunks of rows.
    """
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    states = _states(rng)
    res = _resolutions(rng, rows, states)
    # states sorted by joining session: the members at a session are a prefix
    by_join = np.lexsort((states["code"].to_numpy(), states["join"].to_numpy()))
    joined = states["join"].to_numpy()[by_join]
    n_members = np.searchsorted(joined, res["session"].to_numpy(), side="right")
    r_idx = np.repeat(np.arange(len(res)), n_members)
    starts = np.repeat(np.cumsum(n_members) - n_members, n_members)
    s_idx = by_join[np.arange(len(r_idx)) - starts]
    # within a resolution, rows in ISO3 order as in the Library's file
    order = np.lexsort((states["code"].to_numpy()[s_idx], r_idx))
    r_idx, s_idx = r_idx[order], s_idx[order]
    score = (res["direction"].to_numpy()[r_idx] * states["ideal"].to_numpy()[s_idx]
             + rng.normal(0.0, 0.45, len(r_idx)))
    code = np.where(score > res["t_no"].to_numpy()[r_idx], 2,
                    np.where(score > res["t_abs"].to_numpy()[r_idx], 1, 0))
    code[rng.random(len(r_idx)) < states["absent"].to_numpy()[s_idx]] = 3
    counts = np.zeros((len(res), 4), dtype=np.int64)
    np.add.at(counts, (r_idx, code), 1)
    head = pa.array(_quote(res["undl_id"]))
    tail = pa.array(_join_fields([
        np.datetime_as_string(res["date"].to_numpy(), unit="D"), res["session"].astype(str),
        res["resolution"], res["draft"], res["committee_report"], res["meeting"], res["title"],
        res["agenda_title"], res["subjects"], np.full(len(res), "", object), counts[:, 0],
        counts[:, 2], counts[:, 1], counts[:, 3], n_members,
        "https://digitallibrary.un.org/record/" + res["undl_id"]]) + "\n")
    member = pa.array(_join_fields([states["code"], states["name"]]))
    letters = pa.array(["Y", "A", "N", "X"])
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        fh.write(("\ufeff" + ",".join(UNDL_HEADER) + "\n").encode("utf-8"))
        for lo in range(0, len(r_idx), chunk_rows):
            ri = pa.array(r_idx[lo:lo + chunk_rows])
            lines = pc.binary_join_element_wise(
                head.take(ri), member.take(pa.array(s_idx[lo:lo + chunk_rows])),
                letters.take(pa.array(code[lo:lo + chunk_rows])), tail.take(ri), ",")
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32,
                                    count=len(lines) + 1, offset=lines.offset * 4)
            fh.write(memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]])
    mix = np.bincount(code, minlength=4) / max(len(code), 1)
    return {"path": str(out), "rows": int(len(r_idx)), "resolutions": int(len(res)),
            "states": int(len(states)), "sessions": int(res["session"].nunique()),
            "bytes": out.stat().st_size, "seconds": time.perf_counter() - started,
            "vote_mix": {k: round(float(v), 3) for k, v in zip("YANX", mix, strict=True)}}
