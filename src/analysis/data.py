"""Loaders for the bundled tables and for the public per-country UN voting datasets.

Every ``load_*`` function returns a typed, tidy DataFrame (categoricals for codes,
datetimes for dates) or raises :class:`analysis.errors.DataError` listing every problem
found in that table with its file, spreadsheet row and column. Checks that span tables
(foreign keys, tallies against membership) run in :func:`validate_all`, which the
command ``python -m analysis validate`` calls.

>>> fam = load_families()
>>> "japan_nuclear" in set(fam["family"])
True
>>> res = load_resolutions()
>>> res.loc[res["symbol"] == "A/RES/62/37", "resolution_id"].item()
'japan_nuclear_62'
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import pycountry

from .csvio import read_csv_text
from .errors import DataError, Problem, display_path
from .schema import TableSpec
from .tables import (
    COVERAGE_STATUSES,
    EVIDENCE_KINDS,
    HIROSHIMA_AREAS,
    HIROSHIMA_MEASURES,
    SOURCE_KINDS,
    SOURCE_RANK,
    TABLES,
)
from .votes_cache import file_identity

__all__ = [
    "data_dir", "load_table", "load_families", "load_resolutions", "load_vote_counts",
    "load_membership", "load_consultations", "load_participants", "load_counterparts",
    "load_cycles", "load_objectives", "load_ratings", "load_vocabulary", "load_indicators",
    "load_members", "load_regional_groups", "load_continuity", "load_named_votes",
    "validate_all", "members_on",
    "load_seed_counts", "load_evaluation_coverage", "load_hiroshima_report", "LOADERS",
]

ENV_VAR = "DISARMAMENT_DATA_DIR"
UNGA_FIRST_DATE = pd.Timestamp("1946-01-01")
WEAK_STATUSES = ("not_found", "indirect", "conflict", "counterpart_corrected", "secondary",
                 "corroborated_month")


def data_dir(path: str | Path | None = None) -> Path:
    """The data folder: ``path`` if given, else ``$DISARMAMENT_DATA_DIR``, else the
    repository's ``data/``.

    >>> data_dir().name
    'data'
    """
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


def _read_typed(spec: TableSpec, file: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read, convert and check one table; return the typed frame and the problems."""
    name = display_path(file)
    try:
        raw = read_csv_text(file, required=spec.column_names)
    except DataError as exc:
        return None, exc.problems
    typed, problems = spec.convert(raw, name)
    skip = {(p.row, p.column) for p in problems}
    problems += spec.check(typed, name, skip)
    problems += _row_checks(spec.name, typed, name)
    return typed, problems


def load_table(name: str, data: str | Path | None = None) -> pd.DataFrame:
    """Load one bundled table by name (see :data:`analysis.tables.TABLES`).

    Raises DataError listing every problem in the table.

    >>> load_table("families").index.name
    'row'
    """
    spec = TABLES[name]
    file = data_dir(data) / spec.path
    ident = file_identity([file])
    key = (name, str(file.absolute()), ident)
    if ident is not None and key in _TABLES:
        _TABLES.move_to_end(key)
        return _TABLES[key].copy(deep=False)  # copy-on-write: callers cannot alter it
    typed, problems = _read_typed(spec, file)
    if problems:
        raise DataError.from_problems(problems)
    assert typed is not None
    table = typed[spec.column_names]
    if ident is not None:
        _TABLES[key] = table.copy(deep=False)
        while len(_TABLES) > _TABLES_KEPT:
            _TABLES.popitem(last=False)
    return table


# Tables read and checked in this process, by name, file and file identity
# (votes_cache.file_identity: a file changed since is read again; one changed in the
# last two seconds is never kept). A forked kernel (analysis.forkkernel) starts with them.
_TABLES: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_TABLES_KEPT = 64


def _tidy(frame: pd.DataFrame, categories: dict[str, list[str] | None]) -> pd.DataFrame:
    out = frame.copy()
    for col, cats in categories.items():
        if cats is None:
            out[col] = out[col].astype("category")
        else:
            out[col] = pd.Categorical(out[col], categories=cats)
    return out.reset_index(drop=True)


# --- UNGA --------------------------------------------------------------------------------
def load_families(data: str | Path | None = None) -> pd.DataFrame:
    """Resolution families, one row each, sorted by ``family``."""
    return _tidy(load_table("families", data), {}).sort_values("family", ignore_index=True)


def load_resolutions(data: str | Path | None = None) -> pd.DataFrame:
    """One row per plenary vote (metadata only: the counts are in :func:`load_vote_counts`).

    ``family`` is categorical; ``date`` datetime64.
    """
    frame = load_table("resolutions", data)
    frame = _tidy(frame, {"family": None, "source_kind": None,
                          "japan_vote": ["yes", "no", "abstain"],
                          "us_vote": ["yes", "no", "abstain"]})
    return frame.sort_values(["family", "session"], ignore_index=True)


def load_vote_counts(data: str | Path | None = None) -> pd.DataFrame:
    """Plenary counts per source (long form), with ``strength`` (1 = strongest, by
    :data:`analysis.tables.SOURCE_RANK`)."""
    frame = _tidy(load_table("vote_counts", data), {"source_kind": list(SOURCE_KINDS)})
    frame["strength"] = frame["source_kind"].astype(str).map(SOURCE_RANK).astype("Int64")
    return frame.sort_values(["resolution_id", "strength", "source_id"], ignore_index=True)


def load_members(data: str | Path | None = None) -> pd.DataFrame:
    """The UN's member states (``iso3``, ``name``, ``admitted``), sorted by code.

    >>> m = load_members()
    >>> len(m), m.loc[m["iso3"] == "JPN", "admitted"].dt.year.item()
    (193, 1956)
    """
    return load_table("members", data).sort_values("iso3", ignore_index=True)


def load_regional_groups(data: str | Path | None = None) -> pd.DataFrame:
    """The UN regional group of every member state (``iso3``, ``un_regional_group``: the
    group that counts for elections), sorted by code.

    >>> g = load_regional_groups()
    >>> len(g), g.loc[g["iso3"] == "JPN", "un_regional_group"].item()
    (193, 'Asia-Pacific')
    """
    return load_table("regional_groups", data).sort_values("iso3", ignore_index=True)


def load_continuity(data: str | Path | None = None) -> pd.DataFrame:
    """How voting datasets' codes map to one code per state (see data/README.md)."""
    return load_table("continuity", data).reset_index(drop=True)


def load_named_votes(data: str | Path | None = None) -> pd.DataFrame:
    """States named with their vote in documents (2020 on, where no per-country record is
    bundled): one row per resolution, state and source; ``list_complete`` says whether
    the document names every state that cast that vote.
    """
    frame = _tidy(load_table("named_votes", data), {"vote": ["yes", "no", "abstain"],
                                                     "source_kind": list(SOURCE_KINDS)})
    return frame.sort_values(["resolution_id", "vote", "country", "source"],
                             ignore_index=True)


def load_membership(data: str | Path | None = None) -> pd.DataFrame:
    """UN membership change points: ``date_from`` and ``members`` from then on."""
    return load_table("membership", data).sort_values("date_from", ignore_index=True)


def members_on(dates: pd.Series, membership: pd.DataFrame) -> pd.Series:
    """Number of UN members in force on each date (NA before the first change point).

    >>> m = pd.DataFrame({"date_from": pd.to_datetime(["2006-06-28", "2011-07-14"]),
    ...                   "members": [192, 193]})
    >>> members_on(pd.Series(pd.to_datetime(["2010-01-01", "2012-01-01"])), m).tolist()
    [192, 193]
    """
    table = membership.sort_values("date_from")
    idx = table["date_from"].searchsorted(dates.to_numpy(), side="right") - 1
    vals = pd.array(table["members"].to_numpy(), dtype="Int64")
    out = pd.array([vals[i] if i >= 0 else pd.NA for i in idx], dtype="Int64")
    return pd.Series(out, index=dates.index).where(dates.notna())


# --- consultations -----------------------------------------------------------------------
def load_consultations(data: str | Path | None = None) -> pd.DataFrame:
    """The consultation register, one row per meeting.

    Adds ``date_start`` (first day of the dated period; NaT when undated), ``year``
    (Int64), and ``weak`` (True when the verification status is weak: the row stays in,
    marked, so readers can tell it apart).
    """
    frame = load_table("meetings", data)
    date = frame["date"].fillna("")
    full = date.where(date.str.len() == 10, date.where(date.str.len() != 7, date + "-01"))
    full = full.where(full.str.len() != 4, full + "-01-01")
    frame["date_start"] = pd.to_datetime(full.where(full != ""), format="%Y-%m-%d",
                                         errors="coerce")
    frame["year"] = frame["date_start"].dt.year.astype("Int64")
    frame["weak"] = frame["verification_status"].isin(WEAK_STATUSES)
    frame = _tidy(frame, {"format": ["bilateral", "trilateral", "multilateral"],
                          "track": None, "verification_status": None,
                          "date_precision": None, "evidence": list(EVIDENCE_KINDS)})
    return frame.sort_values(["date_start", "meeting_id"], ignore_index=True,
                             na_position="last")


def load_participants(data: str | Path | None = None) -> pd.DataFrame:
    """Long form of the register: one row per (meeting, counterpart code).

    >>> p = load_participants()
    >>> sorted(p.columns)[:3]
    ['code', 'date_start', 'format']
    """
    return participants_of(load_consultations(data))


def participants_of(meetings: pd.DataFrame) -> pd.DataFrame:
    """The long form of a register frame (see :func:`load_participants`)."""
    long = meetings[["meeting_id", "date_start", "year", "format", "track", "weak",
                     "counterparts"]].copy()
    long["code"] = long["counterparts"].str.split(";")
    long = long.explode("code", ignore_index=True).drop(columns="counterparts")
    # a meeting whose source names no participant (counterparts empty) has no row here
    long = long[long["code"].notna()]
    return long.sort_values(["meeting_id", "code"], ignore_index=True)


def load_seed_counts(data: str | Path | None = None) -> pd.DataFrame:
    """Counts of meetings a source states (e.g. the seed white paper's "ASTOP four times in
    Tokyo since 2003"), one row per fact, sorted by ``fact``; checked against the register
    by :func:`analysis.network.seed_count_check`.

    >>> load_seed_counts().set_index("fact").loc["astop_tokyo_since_2003", "value"]
    np.int64(4)
    """
    return load_table("seed_counts", data).sort_values("fact", ignore_index=True)


def load_counterparts(data: str | Path | None = None) -> pd.DataFrame:
    """States and organisations met, with names in both languages and UN regional group."""
    frame = load_table("counterparts", data)
    return _tidy(frame, {"kind": ["state", "organisation"], "un_regional_group": None}
                 ).sort_values("code", ignore_index=True)


# --- evaluations -------------------------------------------------------------------------
def load_cycles(data: str | Path | None = None) -> pd.DataFrame:
    """Evaluation cycles, sorted by evaluation year."""
    return load_table("cycles", data).sort_values(["evaluation_year", "cycle_id"],
                                                 ignore_index=True)


def load_objectives(data: str | Path | None = None) -> pd.DataFrame:
    """Objectives per cycle (Japanese text as printed, English marked as translation)."""
    return load_table("objectives", data).sort_values(["cycle_id", "objective_no"],
                                                     ignore_index=True)


def load_ratings(data: str | Path | None = None) -> pd.DataFrame:
    """Judgements per (cycle, objective), wording exactly as printed."""
    return load_table("ratings", data).sort_values(["cycle_id", "objective_no"],
                                                  ignore_index=True)


def load_vocabulary(data: str | Path | None = None) -> pd.DataFrame:
    """Rating vocabularies: wording -> common ordinal level (empty = cannot be placed)."""
    return load_table("vocabulary", data).sort_values(["scale", "wording_ja"],
                                                     ignore_index=True)


def load_indicators(data: str | Path | None = None) -> pd.DataFrame:
    """Measurement indicators; ``linked_dataset`` points at another dataset of the suite."""
    return load_table("indicators", data).sort_values("indicator_id", ignore_index=True)


def load_evaluation_coverage(data: str | Path | None = None) -> pd.DataFrame:
    """What is known of the ministry's evaluation of the policy area in every fiscal year
    (``status``: read, found_not_read, not_found; categorical), sorted by year and objective.

    >>> c = load_evaluation_coverage()
    >>> int(c["fiscal_year"].min()), int(c["fiscal_year"].max())
    (2002, 2024)
    """
    frame = _tidy(load_table("evaluation_coverage", data),
                  {"status": list(COVERAGE_STATUSES)})
    return frame.sort_values(["fiscal_year", "objective_no"], ignore_index=True,
                             na_position="first")


def load_hiroshima_report(data: str | Path | None = None) -> pd.DataFrame:
    """Japan's figures in the Hiroshima Report editions, as printed (``area`` and
    ``measure`` categorical), sorted by edition, area and measure."""
    frame = _tidy(load_table("hiroshima_report", data),
                  {"area": list(HIROSHIMA_AREAS), "measure": list(HIROSHIMA_MEASURES)})
    return frame.sort_values(["edition", "area", "measure"], ignore_index=True)


#: bundled table name -> the loader users call (each wraps :func:`load_table`)
LOADERS = {
    "families": load_families,
    "resolutions": load_resolutions,
    "vote_counts": load_vote_counts,
    "membership": load_membership,
    "members": load_members,
    "regional_groups": load_regional_groups,
    "continuity": load_continuity,
    "named_votes": load_named_votes,
    "meetings": load_consultations,
    "counterparts": load_counterparts,
    "seed_counts": load_seed_counts,
    "cycles": load_cycles,
    "objectives": load_objectives,
    "ratings": load_ratings,
    "vocabulary": load_vocabulary,
    "indicators": load_indicators,
    "evaluation_coverage": load_evaluation_coverage,
    "hiroshima_report": load_hiroshima_report,
}


# --- checks ------------------------------------------------------------------------------
def _row_checks(table: str, typed: pd.DataFrame, file: str) -> list[Problem]:
    """Checks inside one table that pandera's column checks do not express."""
    problems: list[Problem] = []
    today = pd.Timestamp.today().normalize()
    if table == "resolutions":
        date = typed["date"]
        for row in typed.index[date.notna() & (date < UNGA_FIRST_DATE)]:
            problems.append(Problem(file, int(row), "date", "a date on or after 1946-01-01 "
                                    "(the first General Assembly session)",
                                    str(date[row].date())))
        for row in typed.index[date.notna() & (date > today)]:
            problems.append(Problem(file, int(row), "date", "a date not in the future",
                                    str(date[row].date())))
        ok = date.notna() & typed["year"].notna()
        mismatch = ok & (date.dt.year != typed["year"])
        for row in typed.index[mismatch]:
            problems.append(Problem(file, int(row), "year", f"the year of date {date[row].date()}",
                                    str(typed.at[row, "year"])))
        sy = typed["session"].notna() & typed["year"].notna()
        off = sy & ~((typed["year"] - typed["session"]).isin([1945, 1946]))
        for row in typed.index[off]:
            problems.append(Problem(file, int(row), "session",
                                    f"session {int(typed.at[row, 'year']) - 1945} for year "
                                    f"{int(typed.at[row, 'year'])} (regular sessions open in "
                                    "September: session = year - 1945)",
                                    str(typed.at[row, "session"])))
        fam_ok = typed["family"].notna() & typed["session"].notna()
        want = typed["family"].astype(str) + "_" + typed["session"].astype("string")
        for row in typed.index[fam_ok & typed["resolution_id"].notna()
                               & (typed["resolution_id"] != want)]:
            problems.append(Problem(file, int(row), "resolution_id", f"{want[row]} "
                                    "(family_session)", str(typed.at[row, "resolution_id"])))
    if table == "counterparts":
        states = typed["kind"] == "state"
        for row in typed.index[states & typed["code"].notna()]:
            code = typed.at[row, "code"]
            if pycountry.countries.get(alpha_3=code) is None:
                problems.append(Problem(file, int(row), "code", "an ISO 3166 alpha-3 code",
                                        repr(code)))
    if table == "meetings":
        empty = typed["counterparts"].isna() & typed["participants_complete"].fillna(True)
        for row in typed.index[empty.astype(bool)]:
            problems.append(Problem(file, int(row), "counterparts", "the codes of the "
                                    "participants (empty only with participants_complete "
                                    "false)", "empty"))
        start = typed["date"].fillna("").str.slice(0, 4)
        years = pd.to_numeric(start.where(start != ""), errors="coerce")
        for row in typed.index[years.notna() & ((years < 1946) | (years > today.year))]:
            problems.append(Problem(file, int(row), "date", "a date between 1946 and today",
                                    repr(typed.at[row, "date"])))
    if table == "evaluation_coverage":
        status = typed["status"]
        for row in typed.index[(status == "read").fillna(False) & typed["judgement_ja"].isna()]:
            problems.append(Problem(file, int(row), "judgement_ja", "the judgement as printed "
                                    "(status read)", "empty"))
        for row in typed.index[(status != "read").fillna(False) & typed["judgement_ja"].notna()]:
            problems.append(Problem(file, int(row), "judgement_ja", "empty unless status is "
                                    "read", repr(typed.at[row, "judgement_ja"])))
        for row in typed.index[(status == "not_found").fillna(False) & typed["searched"].isna()]:
            problems.append(Problem(file, int(row), "searched", "where it was looked for "
                                    "(status not_found)", "empty"))
    if table == "hiroshima_report":
        no_measure = typed["measure"].isna()
        for col in ("value", "maximum", "value_as_printed"):
            for row in typed.index[no_measure & typed[col].notna()]:
                problems.append(Problem(file, int(row), col, "empty when measure is empty",
                                        str(typed.at[row, col])))
        not_score = (typed["measure"] != "score").fillna(True)
        for row in typed.index[not_score & typed["maximum"].notna()]:
            problems.append(Problem(file, int(row), "maximum", "empty unless measure is score",
                                    str(typed.at[row, "maximum"])))
        over = typed["value"].notna() & typed["maximum"].notna() & (
            typed["value"] > typed["maximum"])
        for row in typed.index[over.fillna(False)]:
            problems.append(Problem(file, int(row), "value", f"at most the maximum "
                                    f"{typed.at[row, 'maximum']}", str(typed.at[row, "value"])))
        pct = (typed["measure"] == "percent").fillna(False) & (typed["value"] > 100).fillna(False)
        for row in typed.index[pct]:
            problems.append(Problem(file, int(row), "value", "a percentage <= 100",
                                    str(typed.at[row, "value"])))
        back = typed["covered_to"] < typed["covered_from"]
        for row in typed.index[back.fillna(False)]:
            problems.append(Problem(file, int(row), "covered_to", "a year >= covered_from",
                                    str(typed.at[row, "covered_to"])))
    if table == "seed_counts":
        back = typed["as_of_year"] < typed["from_year"]
        for row in typed.index[back.fillna(False)]:
            problems.append(Problem(file, int(row), "as_of_year", "a year >= from_year",
                                    str(typed.at[row, "as_of_year"])))
    return problems


def _cross_checks(frames: dict[str, pd.DataFrame], root: Path) -> list[Problem]:
    """Foreign keys and tallies across tables (frames still indexed by spreadsheet row)."""
    problems: list[Problem] = []

    def fk(child: str, cols: list[str], parent: str, pcols: list[str]) -> None:
        if child not in frames or parent not in frames:
            return
        c, p = frames[child], frames[parent]
        keys = set(map(tuple, p[pcols].astype(str).to_numpy()))
        file = display_path(root / TABLES[child].path)
        vals = c[cols].astype(str)
        present = c[cols].notna().all(axis=1)
        for row, tup in zip(c.index[present], map(tuple, vals[present].to_numpy()), strict=True):
            if tup not in keys:
                problems.append(Problem(file, int(row), cols[-1],
                                        f"a value present in {TABLES[parent].path} "
                                        f"({', '.join(pcols)})", ", ".join(tup)))

    fk("resolutions", ["family"], "families", ["family"])
    fk("vote_counts", ["resolution_id"], "resolutions", ["resolution_id"])
    fk("objectives", ["cycle_id"], "cycles", ["cycle_id"])
    fk("ratings", ["cycle_id", "objective_no"], "objectives", ["cycle_id", "objective_no"])
    fk("indicators", ["cycle_id"], "cycles", ["cycle_id"])

    if "meetings" in frames and "counterparts" in frames:
        known = set(frames["counterparts"]["code"].dropna())
        m = frames["meetings"]
        file = display_path(root / TABLES["meetings"].path)
        for col in ("counterparts",):
            codes = m[col].fillna("").str.split(";").explode()
            bad = codes[(codes != "") & ~codes.isin(known)]
            for row, code in bad.items():
                problems.append(Problem(file, int(row), col, "codes listed in "
                                        "consultations/counterparts.csv", repr(code)))
        hosts = m["host"].dropna()
        valid = hosts.map(lambda c: c == "VTC" or pycountry.countries.get(alpha_3=c) is not None)
        for row, code in hosts[~valid.astype(bool)].items():
            problems.append(Problem(file, int(row), "host", "an ISO 3166 alpha-3 code or VTC",
                                    repr(code)))

    if "indicators" in frames and "families" in frames:
        ind = frames["indicators"]
        fams = set(frames["families"]["family"])
        linked = ind["linked_dataset"].dropna()
        file = display_path(root / TABLES["indicators"].path)
        for row, val in linked.items():
            if val.partition(":")[2] not in fams:
                problems.append(Problem(file, int(row), "linked_dataset",
                                        "unga:<family> with a family in unga/families.csv",
                                        repr(val)))

    fk("evaluation_coverage", ["cycle_id"], "cycles", ["cycle_id"])
    fk("evaluation_coverage", ["cycle_id", "objective_no"], "objectives",
       ["cycle_id", "objective_no"])
    if "evaluation_coverage" in frames and "cycles" in frames:
        cov = frames["evaluation_coverage"]
        file = display_path(root / TABLES["evaluation_coverage"].path)
        year = cov["cycle_id"].map(frames["cycles"].drop_duplicates("cycle_id")
                                   .set_index("cycle_id")["evaluation_year"])
        off = year.notna() & cov["fiscal_year"].notna() & (year != cov["fiscal_year"])
        for row in cov.index[off.fillna(False)]:
            problems.append(Problem(file, int(row), "fiscal_year", f"{int(year[row])} (the "
                                    f"evaluation_year of cycle {cov.at[row, 'cycle_id']})",
                                    str(cov.at[row, "fiscal_year"])))
        if "ratings" in frames:
            rat = frames["ratings"].drop_duplicates(["cycle_id", "objective_no"]).set_index(
                ["cycle_id", "objective_no"])["wording_ja"]
            keyed = cov[cov["cycle_id"].notna() & cov["objective_no"].notna()
                        & cov["judgement_ja"].notna()]
            want = pd.Series([rat.get((c, o)) for c, o in zip(keyed["cycle_id"],
                                                                keyed["objective_no"],
                                                                strict=True)],
                             index=keyed.index, dtype="object")
            for row in keyed.index[want.notna() & (want != keyed["judgement_ja"])]:
                problems.append(Problem(file, int(row), "judgement_ja", f"{want[row]!r} (the "
                                        "wording_ja of evaluations/ratings.csv)",
                                        repr(keyed.at[row, "judgement_ja"])))

    fk("named_votes", ["resolution_id"], "resolutions", ["resolution_id"])
    fk("named_votes", ["country"], "members", ["iso3"])
    fk("regional_groups", ["iso3"], "members", ["iso3"])

    if "resolutions" in frames and "vote_counts" in frames:
        res, vc = frames["resolutions"], frames["vote_counts"]
        file = display_path(root / TABLES["resolutions"].path)
        counted = set(vc.loc[vc[["yes", "no", "abstain"]].notna().any(axis=1),
                             "resolution_id"].astype(str))
        awv = res["adopted_without_vote"].fillna(False).astype(bool)
        for row in res.index[awv & res["resolution_id"].astype(str).isin(counted)]:
            problems.append(Problem(file, int(row), "adopted_without_vote",
                                    "no counts in unga/vote_counts.csv for a resolution "
                                    "adopted without a vote", "true with counts"))
        mem = frames.get("membership")
        if mem is not None:
            vfile = display_path(root / TABLES["vote_counts"].path)
            # a repeated resolution_id is reported by its table's key check; merge on one
            res_once = res.drop_duplicates("resolution_id")
            vm = vc.merge(res_once[["resolution_id", "date", "year"]].reset_index(drop=True),
                          on="resolution_id", how="left")
            vm.index = vc.index
            vwhen = vm["date"].fillna(pd.to_datetime(vm["year"].astype("string") + "-12-31",
                                                     errors="coerce"))
            vmem = members_on(vwhen, mem)
            vtotal = vm[["yes", "no", "abstain"]].fillna(0).sum(axis=1)
            for row in vm.index[(vmem.notna() & (vtotal > vmem)).fillna(False)]:
                problems.append(Problem(vfile, int(row), "yes",
                                        f"yes+no+abstain <= {vmem[row]} (UN members)",
                                        str(int(vtotal[row]))))
    return problems


def validate_all(data: str | Path | None = None) -> list[Problem]:
    """Check every bundled table and the references between them; return all problems.

    >>> validate_all()
    []
    """
    root = data_dir(data)
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, spec in TABLES.items():
        typed, probs = _read_typed(spec, root / spec.path)
        problems += probs
        if typed is not None:
            frames[name] = typed
    problems += _cross_checks(frames, root)
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.expected,
                                            p.found))
