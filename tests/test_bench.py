"""Tests for analysis.bench: the synthetic record and the ``bench`` command (no timings)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analysis import bench, votes_cache, votes_io
from analysis.votes_io import COLUMNS, load_votes

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("warm load / cold load", "cold load / pandas.read_csv",
           "coincidence speed-up over the self-merge", "whole-record coincidence",
           "peak memory", "bundled record cold load / pandas.read_csv")


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("bench") / "undl.csv"
    return path, bench.generate_undl(path, rows=5000, seed=7)


def test_generator_writes_the_undl_2026_layout(record: tuple[Path, dict]) -> None:
    path, info = record
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as the Library's file
    header = raw[3:raw.index(b"\n")].decode().split(",")
    assert header == bench.UNDL_HEADER
    assert votes_io.detect_format(path) == "undl"
    df = load_votes(path, cache=False)
    assert list(df.columns) == COLUMNS and len(df) == info["rows"]
    assert 4000 <= info["rows"] <= 6000 and info["states"] == 193
    assert set(df["vote"].astype(str)) == {"yes", "no", "abstain", "non_voting"}
    assert (df["vote"] == "yes").mean() > 0.6
    assert df["country"].astype(str).str.fullmatch(r"[A-Z]{3}").all()
    assert df["date"].dt.year.between(1946, 2026).all()
    assert df["title"].str.contains("nuclear", case=False).any()
    # membership grows: fewer states vote in the first sessions than in the last
    per_vote = df.groupby("vote_id")["country"].count()
    first, last = df["year"].min(), df["year"].max()
    ids_first = df.loc[df["year"] == first, "vote_id"].unique()
    ids_last = df.loc[df["year"] == last, "vote_id"].unique()
    assert per_vote[ids_first].max() < per_vote[ids_last].max() <= 193


def test_generator_is_seeded(tmp_path: Path, record: tuple[Path, dict]) -> None:
    path, _ = record
    again = tmp_path / "again.csv"
    bench.generate_undl(again, rows=5000, seed=7)
    assert again.read_bytes() == path.read_bytes()
    other = tmp_path / "other.csv"
    bench.generate_undl(other, rows=5000, seed=8)
    assert other.read_bytes() != path.read_bytes()


def test_fast_path_equals_checked_path(record: tuple[Path, dict]) -> None:
    path, _ = record
    fast = votes_io._parse_undl_fast(path)
    assert fast is not None, "the synthetic record should take the fast path"
    checked = votes_io._parse_undl_checked(path)
    assert_frame_equal(fast, checked, check_exact=True)
    for col in fast.columns:
        assert fast[col].dtype == checked[col].dtype, col


def test_fast_path_handles_rows_out_of_order(tmp_path: Path,
                                             record: tuple[Path, dict]) -> None:
    path, _ = record
    lines = path.read_bytes().split(b"\n")
    body = [line for line in lines[1:] if line]
    order = np.random.default_rng(1).permutation(len(body))
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_bytes(b"\n".join([lines[0], *(body[i] for i in order)]) + b"\n")
    fast = votes_io._parse_undl_fast(shuffled)
    assert fast is not None
    assert_frame_equal(fast, votes_io._parse_undl_checked(shuffled), check_exact=True)
    assert_frame_equal(fast, votes_io._parse_undl_fast(path), check_exact=True)


def test_warm_load_trusts_an_unchanged_identity(tmp_path: Path, record: tuple[Path, dict],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A source older than the racy window is not hashed; a changed one is parsed again."""
    path, _ = record
    source = tmp_path / "src.csv"
    source.write_bytes(path.read_bytes())
    monkeypatch.setattr(votes_cache, "RACY_NS", 0)
    cache = tmp_path / "cache"
    first = load_votes(source, cache=cache)

    def no_hashing(*_args: object, **_kwargs: object) -> str:
        raise AssertionError("the source was hashed")

    monkeypatch.setattr(votes_cache, "file_hash", no_hashing)
    parses = []
    real = votes_io._parse_votes
    monkeypatch.setattr(votes_io, "_parse_votes",
                        lambda p, fmt: parses.append(p) or real(p, fmt))
    assert_frame_equal(load_votes(source, cache=cache), first)
    assert parses == []
    # same size and mtime, new content: the ctime moves, so it is parsed again
    st = source.stat()
    data = bytearray(source.read_bytes())
    data[-3] = ord("Y") if data[-3] != ord("Y") else ord("N")
    source.write_bytes(bytes(data))
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns))
    if os.name == "nt":
        pytest.skip("Windows: the identity is not used")
    load_votes(source, cache=cache)
    assert parses == [source]


@pytest.mark.slow
def test_bench_rejects_bad_options() -> None:
    for args in (["--rows", "10"], ["--votes", "no/such/file.csv"],
                 ["--votes", __file__, "--rows", "5000"], ["--repeat", "0"],
                 ["--briefings", "0"], ["--briefings", "194"]):
        proc = subprocess.run([sys.executable, "-m", "analysis", "bench", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "error" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_bench_command_prints_every_target() -> None:
    proc = subprocess.run([sys.executable, "-m", "analysis", "bench", "--rows", "20000",
                           "--skip-report"], cwd=ROOT, capture_output=True, text=True,
                          timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    targets = [line for line in proc.stdout.splitlines() if "TARGET" in line]
    assert len(targets) == len(TARGETS), proc.stdout
    for name, line in zip(TARGETS, targets, strict=True):
        assert name in line, line
        assert re.search(r"\(target [<>=]+ [\d.]+ ?(x|s|GB)?\): (met|NOT MET)$", line), line
    assert "values agree with coincidence_long on the sampled sessions: yes" in proc.stdout
    assert "skipped (--skip-report)" in proc.stdout
    assert "briefings: skipped" in proc.stdout


def test_members_on_follows_the_bundled_table() -> None:
    from analysis.data import load_membership, members_on

    days = np.array(["1991-12-01", "2006-12-01", "2024-12-01"], dtype="datetime64[D]")
    table = members_on(pd.Series(days.astype("datetime64[ns]")), load_membership())
    assert bench.members_on(days).tolist() == table.astype(int).tolist()
    assert bench.members_on(np.array(["1946-10-01"], dtype="datetime64[D]"))[0] < 60
