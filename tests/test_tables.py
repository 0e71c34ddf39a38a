"""The bundled tables: they load typed, validate clean, hold the facts the suite relies on,
name a source on every row, and are documented column by column in data/README.md."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analysis import data as d
from analysis.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]
DATA_README = ROOT / "data" / "README.md"

# table name -> the loader users call (load_table(name) is what the loader wraps)
LOADERS: dict[str, Callable[..., pd.DataFrame]] = d.LOADERS

# categorical code columns each loader returns
CATEGORICAL = {
    "resolutions": ["family", "source_kind", "japan_vote", "us_vote"],
    "vote_counts": ["source_kind"],
    "meetings": ["format", "track", "verification_status", "date_precision", "evidence"],
    "counterparts": ["kind", "un_regional_group"],
    "named_votes": ["vote", "source_kind"],
    "evaluation_coverage": ["status"],
    "hiroshima_report": ["area", "measure"],
}
# categories fixed in advance (so absent values still show up in counts)
FIXED_CATEGORIES = {
    ("resolutions", "japan_vote"): ["yes", "no", "abstain"],
    ("resolutions", "us_vote"): ["yes", "no", "abstain"],
    ("vote_counts", "source_kind"): ["un_official", "un_record", "government_official",
                                     "news", "dataset", "secondary"],
    ("named_votes", "vote"): ["yes", "no", "abstain"],
    ("meetings", "format"): ["bilateral", "trilateral", "multilateral"],
    ("counterparts", "kind"): ["state", "organisation"],
    ("meetings", "evidence"): ["mofa_2008_table", "own_page", "list_on_other_page",
                               "indirect", "report"],
    ("evaluation_coverage", "status"): ["read", "found_not_read", "not_found"],
    ("hiroshima_report", "area"): ["nuclear_disarmament", "non_proliferation",
                                   "nuclear_security"],
    ("hiroshima_report", "measure"): ["score", "rank", "percent"],
}
# columns added by a loader on top of the table's own columns
DERIVED = {
    "vote_counts": {"strength": "Int64"},
    "meetings": {"date_start": "datetime", "year": "Int64", "weak": "bool"},
}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {name: loader() for name, loader in LOADERS.items()}


def test_every_table_has_a_loader() -> None:
    assert set(LOADERS) == set(TABLES)


def test_bundled_data_validates_clean() -> None:
    assert [str(p) for p in d.validate_all()] == []


@pytest.mark.parametrize("name", sorted(TABLES))
def test_loader_dtypes(name: str, frames: dict[str, pd.DataFrame]) -> None:
    spec = TABLES[name]
    frame = frames[name]
    assert list(frame.columns) == spec.column_names + list(DERIVED.get(name, {}))
    assert isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
    assert len(frame) > 0
    categorical = CATEGORICAL.get(name, [])
    for col in spec.columns:
        s = frame[col.name]
        where = f"{name}.{col.name}"
        if col.name in categorical:
            assert isinstance(s.dtype, pd.CategoricalDtype), where
            fixed = FIXED_CATEGORIES.get((name, col.name))
            if fixed is not None:
                assert list(s.cat.categories) == fixed, where
            elif col.allowed is not None:
                assert set(s.cat.categories) <= set(col.allowed), where
        elif col.kind == "int":
            assert s.dtype == "Int64", where
        elif col.kind == "float":
            assert s.dtype == "Float64", where
        elif col.kind == "bool":
            assert s.dtype == "boolean", where
        elif col.kind == "date":
            assert pd.api.types.is_datetime64_dtype(s.dtype), where
        else:  # str, partial_date, and codes the loader does not turn into categories
            assert pd.api.types.is_string_dtype(s.dtype), where
            assert all(type(v) is str for v in s.dropna()), where
    for col, kind in DERIVED.get(name, {}).items():
        s = frame[col]
        if kind == "datetime":
            assert pd.api.types.is_datetime64_dtype(s.dtype), col
        else:
            assert s.dtype == kind, col


@pytest.mark.parametrize("name", sorted(TABLES))
def test_loader_matches_load_table(name: str, frames: dict[str, pd.DataFrame]) -> None:
    # the typed loader returns the same rows as the raw one, only sorted and tidied
    raw = d.load_table(name)
    assert len(frames[name]) == len(raw)
    key = TABLES[name].key
    assert not frames[name].duplicated(key).any()


def test_loaders_accept_a_data_folder(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    res = d.load_resolutions(data=tmp_path / "data")
    pd.testing.assert_frame_equal(res, d.load_resolutions())


def test_every_row_names_its_source(frames: dict[str, pd.DataFrame]) -> None:
    """Sources policy: every row names its public source.

    Tables with a ``source`` column fill it on every row. The others name their source
    in another column: ``indicators`` (``source_url``, the evaluation page),
    ``vocabulary`` (``reason``, which says where the wording was seen) and
    ``counterparts`` (``source_url`` for the one sourced value, the UN regional group;
    rows of organisations without a group hold only names).
    """
    def empty(s: pd.Series) -> pd.Series:
        return s.isna() | s.astype("string").str.strip().eq("")

    missing = {}
    for name, frame in frames.items():
        if "source" in frame.columns:
            bad = empty(frame["source"])
        elif name == "indicators":
            bad = empty(frame["source_url"]) | empty(frame["source_kind"])
        elif name == "vocabulary":
            bad = empty(frame["reason"])
        elif name == "counterparts":
            bad = frame["un_regional_group"].notna() & empty(frame["source_url"])
        else:
            pytest.fail(f"{name}: no rule for where its rows name their source")
        if bad.any():
            missing[name] = int(bad.sum())
    assert missing == {}


# --- facts of the issue --------------------------------------------------------------------
def test_2007_figure(frames: dict[str, pd.DataFrame]) -> None:
    res = frames["resolutions"]
    row = res[res["symbol"] == "A/RES/62/37"]
    assert len(row) == 1
    r = row.iloc[0]
    assert (r["family"], r["session"], r["year"]) == ("japan_nuclear", 62, 2007)
    assert r["date"] == pd.Timestamp("2007-12-05")
    assert r["japan_vote"] == "yes"
    vc = frames["vote_counts"]
    assert 170 in set(vc.loc[vc["resolution_id"] == r["resolution_id"], "yes"])


def test_2006_sources_disagree(frames: dict[str, pd.DataFrame]) -> None:
    res = frames["resolutions"]
    rid = res.loc[res["symbol"] == "A/RES/61/74", "resolution_id"].item()
    vc = frames["vote_counts"]
    rows = vc[vc["resolution_id"] == rid]
    figures = {tuple(int(x) for x in t): sid for t, sid in
               zip(rows[["yes", "no", "abstain"]].to_numpy(), rows["source_id"], strict=True)}
    assert (167, 3, 8) in figures and (167, 4, 7) in figures
    assert figures[(167, 3, 8)] != figures[(167, 4, 7)]


def test_counts_are_stored_once(frames: dict[str, pd.DataFrame]) -> None:
    """resolutions.csv holds no counts: they live in vote_counts.csv only."""
    assert not {"yes", "no", "abstain", "non_voting"} & set(frames["resolutions"].columns)
    assert set(frames["vote_counts"]["resolution_id"]) <= set(
        frames["resolutions"]["resolution_id"])


def test_members_table_is_the_un_list(frames: dict[str, pd.DataFrame]) -> None:
    """193 members (the UN's count since South Sudan's admission on 2011-07-14, also the
    last row of membership.csv); Japan admitted on 1956-12-18."""
    m = frames["members"]
    assert len(m) == 193 == int(frames["membership"]["members"].iloc[-1])
    assert m.loc[m["iso3"] == "SSD", "admitted"].item() == pd.Timestamp("2011-07-14")
    assert m.loc[m["iso3"] == "JPN", "admitted"].item() == pd.Timestamp("1956-12-18")


def test_named_votes_complete_lists_match_the_printed_counts(
        frames: dict[str, pd.DataFrame]) -> None:
    """Where a document names every state voting no, their number equals the count of
    votes against printed by the same kind of source in vote_counts.csv."""
    nv, vc = frames["named_votes"], frames["vote_counts"]
    complete = nv[nv["list_complete"] & (nv["vote"] == "no")]
    named = complete.groupby("resolution_id")["country"].nunique()
    assert len(named) >= 5
    for rid, n in named.items():
        assert n in set(vc.loc[vc["resolution_id"] == rid, "no"].dropna().astype(int)), rid


def test_22_meetings_of_2006_2007(frames: dict[str, pd.DataFrame]) -> None:
    m = frames["meetings"]
    seed = m[m["in_2008_mofa_list"] == "yes"]
    assert len(seed) == 22
    assert list(seed["meeting_id"].sort_values()) == [f"C{i:03d}" for i in range(1, 23)]
    assert set(seed["year"]) == {2006, 2007}
    assert seed["listed_as"].notna().all()
    # the two rows printed 日蒙 (Mongolia), recorded as Australia
    mongolia = seed[seed["listed_as"].str.contains("日蒙")]
    assert len(mongolia) == 2
    assert (mongolia["counterparts"] == "AUS").all()
    assert (mongolia["verification_status"] == "counterpart_corrected").all()
    assert mongolia["correction_evidence"].fillna("").str.strip().ne("").all()
    assert mongolia["weak"].all()
    # the Iran row keeps the other source's date alongside
    iran = seed[seed["counterparts"] == "IRN"]
    assert len(iran) == 1
    assert iran["date_alternative"].iloc[0] == pd.Timestamp("2007-07-10")
    assert iran["date"].iloc[0] != "2007-07-10"
    assert iran["verification_status"].iloc[0] == "conflict"


def test_participants_long_form(frames: dict[str, pd.DataFrame]) -> None:
    p = d.load_participants()
    m = frames["meetings"]
    # meetings whose source names no participant (empty counterparts) have no row
    listed = m["counterparts"].dropna()
    assert len(p) == listed.str.count(";").add(1).sum()
    assert p["code"].notna().all()
    assert (~m.loc[m["counterparts"].isna(), "participants_complete"]).all()
    assert set(p["code"]) <= set(frames["counterparts"]["code"])
    assert "JPN" not in set(p["code"])


def cycle(frames: dict[str, pd.DataFrame], year: int) -> str:
    c = frames["cycles"]
    ids = c.loc[c["evaluation_year"] == year, "cycle_id"]
    assert len(ids) == 1, f"one cycle evaluated in {year}"
    return ids.item()


def test_evaluation_2024_cycle_has_four_rated_objectives(frames) -> None:
    cid = cycle(frames, 2024)
    c = frames["cycles"].set_index("cycle_id").loc[cid]
    assert c["status"] == "rated"
    obj = frames["objectives"]
    rat = frames["ratings"]
    nos = list(obj.loc[obj["cycle_id"] == cid, "objective_no"])
    assert nos == ["1", "2", "3", "4"]
    rated = rat[rat["cycle_id"] == cid]
    assert list(rated["objective_no"]) == nos
    assert rated["wording_ja"].str.strip().ne("").all()


def test_evaluation_2027_cycle_has_objectives_without_ratings(frames) -> None:
    cid = cycle(frames, 2027)
    assert frames["cycles"].set_index("cycle_id").loc[cid, "status"] == "objectives_only"
    obj = frames["objectives"]
    assert list(obj.loc[obj["cycle_id"] == cid, "objective_no"]) == ["1", "2", "3", "4"]
    assert (frames["ratings"]["cycle_id"] != cid).all()


def test_evaluation_2006_cycle(frames) -> None:
    cid = cycle(frames, 2006)
    obj = frames["objectives"]
    rat = frames["ratings"]
    nos = list(obj.loc[obj["cycle_id"] == cid, "objective_no"])
    assert len(nos) >= 1
    assert list(rat.loc[rat["cycle_id"] == cid, "objective_no"]) == nos


def test_membership_counts(frames) -> None:
    mem = frames["membership"]
    on = d.members_on(pd.Series(pd.to_datetime(["2007-12-05", "2025-01-01"])), mem)
    assert on.tolist() == [192, 193]
    assert mem["date_from"].is_monotonic_increasing


# --- data/README.md documents every column --------------------------------------------------
def documented_columns() -> dict[str, set[str]]:
    """Table path -> column names in the first cell of the rows of its section's tables.

    A section starts at a heading naming the table's path in backticks (e.g.
    ``### `unga/resolutions.csv` ``) and runs to the next heading of the same or a
    higher level.
    """
    lines = DATA_README.read_text(encoding="utf-8").splitlines()
    out: dict[str, set[str]] = {}
    current: tuple[str, int] | None = None
    for line in lines:
        head = re.match(r"^(#{1,6})\s+(.*)$", line)
        if head:
            level = len(head.group(1))
            if current is not None and level <= current[1]:
                current = None
            paths = re.findall(r"`([a-z_]+/[a-z_]+\.csv)`", head.group(2))
            if len(paths) == 1:
                current = (paths[0], level)
                out.setdefault(paths[0], set())
            continue
        if current is not None and line.startswith("|"):
            first = line.strip("|").split("|", 1)[0]
            out[current[0]].update(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", first))
    return out


def test_readme_documents_every_column() -> None:
    docs = documented_columns()
    for spec in TABLES.values():
        assert spec.path in docs, f"data/README.md has no section for {spec.path}"
        missing = [c for c in spec.column_names if c not in docs[spec.path]]
        assert not missing, f"data/README.md, {spec.path}: columns not documented: {missing}"
        extra = sorted(docs[spec.path] - set(spec.column_names))
        assert not extra, f"data/README.md, {spec.path}: documents unknown columns: {extra}"


def test_readme_lists_allowed_values() -> None:
    text = DATA_README.read_text(encoding="utf-8")
    for spec in TABLES.values():
        for col in spec.columns:
            for value in col.allowed or ():
                assert f"`{value}`" in text, f"{spec.path} {col.name}: {value!r} not in README"
