"""Tests for analysis.votes_cache: the Parquet cache behind votes_io.load_votes."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis import votes_cache, votes_io
from analysis.errors import DataError
from analysis.params import ParameterError
from analysis.votes_io import VOTE_CATEGORIES, load_votes

FIXTURES = Path(__file__).parent / "fixtures"


class Spy:
    """Counts calls of votes_io._parse_votes (the step the cache saves)."""

    def __init__(self, real: Callable[[Path, str], pd.DataFrame]) -> None:
        self.real, self.calls = real, 0

    def __call__(self, path: Path, fmt: str) -> pd.DataFrame:
        self.calls += 1
        return self.real(path, fmt)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    s = Spy(votes_io._parse_votes)
    monkeypatch.setattr(votes_io, "_parse_votes", s)
    return s


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A private copy of the 2026-layout UNDL fixture (the tests modify it)."""
    folder = tmp_path / "src"
    folder.mkdir()
    path = folder / "undl_2026.csv"
    shutil.copy(FIXTURES / "undl" / "undl_2026.csv", path)
    return path


@pytest.fixture
def unvotes(tmp_path: Path) -> Path:
    folder = tmp_path / "unvotes"
    shutil.copytree(FIXTURES / "unvotes", folder)
    return folder


def parquet_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.parquet")) if folder.exists() else []


def check_dtypes(df: pd.DataFrame) -> None:
    assert isinstance(df["country"].dtype, pd.CategoricalDtype)
    assert isinstance(df["vote"].dtype, pd.CategoricalDtype)
    assert list(df["vote"].cat.categories) == VOTE_CATEGORIES
    assert df["date"].dtype == "datetime64[ns]"
    assert df["whole_resolution"].dtype == bool and df["year"].dtype == "int64"
    for col in ("vote_id", "session", "resolution", "title", "country_name", "issues"):
        assert pd.api.types.is_string_dtype(df[col]), col
    assert isinstance(df.index, pd.RangeIndex)


def bump_mtime(path: Path, seconds: int = 10) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


# --- the cache works ----------------------------------------------------------------------


def test_first_load_writes_second_reads(source: Path, tmp_path: Path, spy: Spy) -> None:
    cache = tmp_path / "cache"
    first = load_votes(source, cache=cache)
    assert spy.calls == 1
    [written] = parquet_files(cache)
    stamp = written.stat().st_mtime_ns

    second = load_votes(source, cache=cache)
    assert spy.calls == 1  # not parsed again
    assert written.stat().st_mtime_ns == stamp  # not rewritten
    assert_frame_equal(first, second, check_categorical=True, check_exact=True)
    check_dtypes(second)
    assert list(second["country"].cat.categories) == list(first["country"].cat.categories)
    assert second.attrs == first.attrs == {"source_format": "undl", "source_path": str(source)}
    assert sorted(p.name for p in cache.iterdir()) == [written.name]  # no temporary files


def test_cached_frame_equals_an_uncached_load(source: Path, tmp_path: Path) -> None:
    load_votes(source, cache=tmp_path / "cache")
    assert_frame_equal(load_votes(source, cache=tmp_path / "cache"),
                       load_votes(source, cache=False))


def test_unvotes_folder_is_cached_and_keyed_on_all_three_files(
    unvotes: Path, tmp_path: Path, spy: Spy
) -> None:
    cache = tmp_path / "cache"
    first = load_votes(unvotes, cache=cache)
    again = load_votes(unvotes / "un_votes.csv", cache=cache)  # same folder, same cache
    assert spy.calls == 1 and len(parquet_files(cache)) == 1
    assert_frame_equal(first, again)
    check_dtypes(again)
    # no non_voting rows in this format, yet the category survives the cache
    assert "non_voting" in again["vote"].cat.categories
    assert not (again["vote"] == "non_voting").any()

    issues = unvotes / "un_roll_call_issues.csv"
    issues.write_text(issues.read_text().replace("Arms control and disarmament",
                                                 "Arms control and Disarmament"))
    changed = load_votes(unvotes, cache=cache)
    assert spy.calls == 2
    assert changed["issues"].str.contains("Disarmament").any()
    assert len(parquet_files(cache)) == 1


def test_cache_can_sit_beside_the_source(source: Path, spy: Spy) -> None:
    load_votes(source, cache=source.parent)
    load_votes(source, cache=str(source.parent))  # a str works as well as a Path
    assert spy.calls == 1
    assert len(parquet_files(source.parent)) == 1


# --- invalidation -------------------------------------------------------------------------


def test_touching_the_source_invalidates(source: Path, tmp_path: Path, spy: Spy) -> None:
    cache = tmp_path / "cache"
    load_votes(source, cache=cache)
    bump_mtime(source)
    load_votes(source, cache=cache)
    assert spy.calls == 2
    load_votes(source, cache=cache)  # and the rewritten cache is used again
    assert spy.calls == 2
    assert len(parquet_files(cache)) == 1  # overwritten, not accumulated


def test_same_size_same_mtime_but_new_content_invalidates(
    source: Path, tmp_path: Path, spy: Spy
) -> None:
    cache = tmp_path / "cache"
    before = load_votes(source, cache=cache)
    st = source.stat()
    data = source.read_bytes()
    edited = data.replace(b"4067003,AUS,AUSTRALIA,A,", b"4067003,AUS,AUSTRALIA,N,", 1)
    assert edited != data and len(edited) == len(data)
    source.write_bytes(edited)
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))  # as cp -p or rsync -t would
    assert source.stat().st_size == st.st_size and source.stat().st_mtime_ns == st.st_mtime_ns

    after = load_votes(source, cache=cache)
    assert spy.calls == 2  # the content hash caught it
    pick = (after["vote_id"] == "4067003") & (after["country"] == "AUS")
    assert after.loc[pick, "vote"].item() == "no"
    assert before.loc[pick, "vote"].item() == "abstain"


def test_changed_size_invalidates(source: Path, tmp_path: Path, spy: Spy) -> None:
    cache = tmp_path / "cache"
    load_votes(source, cache=cache)
    st = source.stat()
    source.write_bytes(source.read_bytes() + b"\r\n")  # a trailing blank line
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    load_votes(source, cache=cache)
    assert spy.calls == 2


def test_a_change_of_parser_code_invalidates(source: Path, tmp_path: Path, spy: Spy,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    load_votes(source, cache=cache)
    monkeypatch.setattr(votes_cache, "_PARSER_HASH", "another version of votes_io")
    load_votes(source, cache=cache)
    assert spy.calls == 2


# --- bypass, threshold, default place -----------------------------------------------------


def test_cache_false_bypasses(source: Path, tmp_path: Path, spy: Spy,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "user-cache"
    monkeypatch.setattr(votes_cache.platformdirs, "user_cache_dir", lambda name: str(home))
    monkeypatch.setattr(votes_cache, "MIN_SOURCE_BYTES", 0)
    load_votes(source, cache=False)
    load_votes(source, cache=False)
    assert spy.calls == 2
    assert not home.exists()
    assert sorted(p.name for p in source.parent.iterdir()) == [source.name]


def test_cache_false_does_not_read_an_existing_cache(source: Path, tmp_path: Path,
                                                     spy: Spy) -> None:
    load_votes(source, cache=tmp_path / "cache")
    load_votes(source, cache=False)
    assert spy.calls == 2


def test_default_cache_skips_small_sources(source: Path, tmp_path: Path, spy: Spy,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "user-cache"
    monkeypatch.setattr(votes_cache.platformdirs, "user_cache_dir", lambda name: str(home))
    assert source.stat().st_size < votes_cache.MIN_SOURCE_BYTES
    load_votes(source)
    load_votes(source)
    assert spy.calls == 2 and not home.exists()


def test_default_cache_folder_for_large_sources(source: Path, tmp_path: Path, spy: Spy,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "user-cache"
    names: list[str] = []

    def fake_cache_dir(name: str) -> str:
        names.append(name)
        return str(home)

    monkeypatch.setattr(votes_cache.platformdirs, "user_cache_dir", fake_cache_dir)
    monkeypatch.setattr(votes_cache, "MIN_SOURCE_BYTES", source.stat().st_size)
    load_votes(source)
    load_votes(source, cache=True)
    assert spy.calls == 1
    assert set(names) == {"disarmament-notebooks"}
    assert len(parquet_files(home / "votes")) == 1


@pytest.mark.parametrize("bad", [3, "", "  ", None, 1.5])
def test_bad_cache_argument(source: Path, bad: object) -> None:
    with pytest.raises(ParameterError, match="cache"):
        load_votes(source, cache=bad)  # type: ignore[arg-type]


# --- corrupt or unusable caches -----------------------------------------------------------


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _garbage(p: Path) -> None:
    p.write_bytes(os.urandom(p.stat().st_size))


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _flip_data_byte(p: Path) -> None:
    data = bytearray(p.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little")
    for i in range(4, len(data) - 8 - footer, 7):  # damage the data pages
        data[i] ^= 0xFF
    p.write_bytes(bytes(data))


def _other_parquet(p: Path) -> None:
    pd.DataFrame({"x": [1, 2]}).to_parquet(p)


@pytest.mark.parametrize("damage", [_truncate, _garbage, _empty, _flip_data_byte,
                                    _other_parquet])
def test_corrupt_cache_is_rebuilt_with_a_warning(
    source: Path, tmp_path: Path, spy: Spy, caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], None],
) -> None:
    cache = tmp_path / "cache"
    good = load_votes(source, cache=cache)
    [written] = parquet_files(cache)
    damage(written)

    with caplog.at_level(logging.WARNING, logger="analysis.votes_cache"):
        rebuilt = load_votes(source, cache=cache)
    assert spy.calls == 2
    assert_frame_equal(rebuilt, good)
    assert any("unreadable" in r.getMessage() and "rebuilding" in r.getMessage()
               for r in caplog.records), caplog.text
    load_votes(source, cache=cache)  # the rewritten cache is sound
    assert spy.calls == 2


def test_unwritable_cache_folder_only_warns(source: Path, tmp_path: Path, spy: Spy,
                                            caplog: pytest.LogCaptureFixture) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with caplog.at_level(logging.WARNING, logger="analysis.votes_cache"):
        df = load_votes(source, cache=not_a_folder)
    assert len(df) > 0 and spy.calls == 1
    assert "could not write cache" in caplog.text


def test_bad_source_is_not_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(DataError):
        load_votes(FIXTURES / "bad_votes" / "unknown_vote.csv", cache=cache)
    assert parquet_files(cache) == []


def test_missing_unvotes_file_is_reported_not_cached(unvotes: Path, tmp_path: Path) -> None:
    (unvotes / "un_roll_call_issues.csv").unlink()
    with pytest.raises(DataError):
        load_votes(unvotes, cache=tmp_path / "cache")
    assert parquet_files(tmp_path / "cache") == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_cache_file_respects_the_umask(source: Path, tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        load_votes(source, cache=tmp_path / "cache")
    finally:
        os.umask(old)
    [written] = parquet_files(tmp_path / "cache")
    assert written.stat().st_mode & 0o777 == 0o600


def test_file_hash_reads_in_chunks(tmp_path: Path) -> None:
    p = tmp_path / "f.bin"
    p.write_bytes(os.urandom(3 * 1024 + 5))
    assert votes_cache.file_hash(p, chunk=1024) == votes_cache.file_hash(p)
