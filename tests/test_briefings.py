"""Unit tests of ``python -m analysis briefings``: codes, languages, the index pages and
publishing (no process is started: the cluster is replaced by a fake runner here; the
real runs are in tests/test_dask_cluster.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from analysis import briefings, cli, report, site
from analysis.report_config import UsageError
from analysis.report_exec import _finish, write_files

FIXTURE = Path(__file__).parent / "fixtures" / "briefing" / "04_country_briefing.ipynb"


def _cli(tmp_path: Path, *args: str) -> int:
    return cli.main(["briefings", "--notebook", str(FIXTURE), "--out", str(tmp_path / "out"),
                     *args])


def test_briefing_notebook_constant() -> None:
    assert briefings.BRIEFING_NOTEBOOK.as_posix().endswith("notebooks/04_country_briefing.ipynb")


def test_codes_are_checked_against_the_members() -> None:
    members = set(briefings.load_countries())
    assert len(members) == 193
    assert briefings.parse_codes(["jpn", "USA", "JPN"], members) == ["JPN", "USA"]
    assert len(briefings.parse_codes(["all"], members)) == 193
    for bad in ("XXX", "TWN", "JP", "<script>"):
        with pytest.raises(UsageError, match="unknown country code"):
            briefings.parse_codes(["JPN", bad], members)


@pytest.mark.parametrize(("args", "needle"), [
    (["JPN", "XKX"], "unknown country code 'XKX'"),
    ([], "name the countries"),
    (["JPN", "--lang", "en,fr"], "--lang: expected a comma-separated list of en, ja"),
    (["JPN", "-p", "country", "USA"], "parameter country is set by the runner"),
    (["JPN", "-p", "start_year", "1800"], "start_year"),
    (["JPN", "-p", "colour", "red"], "unknown parameter colour"),
])
def test_bad_input_is_one_line_usage_error_and_nothing_runs(tmp_path, capsys, args, needle):
    assert _cli(tmp_path, *args) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
    assert err.startswith("error: ")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("address", ["localhost:8786", "http://x:1", "tcp://host", "tcp://a b:1"])
def test_bad_scheduler_address_is_a_usage_error(tmp_path, capsys, address):
    with pytest.raises(SystemExit) as exc:
        _cli(tmp_path, "JPN", "--scheduler", address)
    assert exc.value.code == 2
    assert "expected an address like tcp://HOST:PORT" in capsys.readouterr().err


def test_missing_notebook_is_a_usage_error(tmp_path, capsys):
    code = cli.main(["briefings", "JPN", "--notebook", str(tmp_path / "none.ipynb"),
                     "--out", str(tmp_path / "out")])
    assert code == 2 and "is not there" in capsys.readouterr().err


def test_japanese_names_come_from_the_bundle_only() -> None:
    countries = briefings.load_countries()
    assert countries["JPN"].name_ja == "日本"
    assert countries["JPN"].name_en == "Japan"
    # no bundled Japanese name for every member: English only, nothing made up
    missing = [c for c in countries.values() if c.name_ja is None]
    assert missing
    assert countries["JPN"].region == "Asia-Pacific"  # data/unga/regional_groups.csv


def test_index_page_escapes_every_data_string() -> None:
    evil = "<script>alert(1)</script>"
    countries = {"JPN": briefings.Country("JPN", evil, f"日本{evil}", f"Group {evil}"),
                 "USA": briefings.Country("USA", "United States", None, None)}
    entries = [{"iso3": "JPN", "status": "ok", "html": 'JPN.html"><script>x()</script>'},
               {"iso3": "USA", "status": "failed", "html": None}]
    page = briefings.render_index("ja", "r-1", entries, countries)
    assert evil not in page and "<script>x()" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the search box's own
    assert '<span lang="en">United States</span> (failed)' in page and "国連加盟国" in page
    assert 'id="q"' in page and "data-names=" in page


def test_japanese_index_marks_english_names_standing_in_for_japanese_ones() -> None:
    countries = briefings.load_countries()
    assert countries["TZA"].name_ja is None and countries["KOR"].name_ja == "韓国"
    assert countries["KNA"].name_ja == "セントクリストファー・ネーヴィス"  # ISO 3166 in Japanese
    entries = [{"iso3": c, "status": "ok", "html": f"{c}.html"} for c in ("TZA", "KOR")]
    page = briefings.render_index("ja", "r", entries, countries)
    assert '<a href="TZA.html" lang="en">United Republic of Tanzania</a>' in page
    assert '<a href="KOR.html" lang="ja">韓国</a>' in page
    assert site.foreign_runs(page, "ja") == []


def test_index_groups_by_region_when_the_bundle_has_one() -> None:
    countries = {"JPN": briefings.Country("JPN", "Japan", "日本", "Asia-Pacific"),
                 "FRA": briefings.Country("FRA", "France", "フランス",
                                          "Western European and Others")}
    entries = [{"iso3": c, "status": "ok", "html": f"{c}.html"} for c in countries]
    page = briefings.render_index("ja", "r", entries, countries)
    assert "<h2>アジア太平洋</h2>" in page and "日本" in page
    page = briefings.render_index("en", "r", entries, countries)
    assert "<h2>Asia-Pacific</h2>" in page and "<h2>Western European and Others</h2>" in page


def test_each_page_is_titled_by_the_country_name_in_its_language(tmp_path) -> None:
    jobs = briefings.plan_briefings(["JPN", "FRA"], ["en", "ja"], FIXTURE, {}, tmp_path)
    assert {(j.run, j.name): j.site["subject"] for j in jobs} == {
        ("en", "JPN"): "Japan", ("ja", "JPN"): "日本",
        ("en", "FRA"): "France", ("ja", "FRA"): "フランス"}


class FakeRunner:
    """Stands in for the Dask cluster: no process is started."""

    jobs = 1

    def __init__(self, *_a: Any) -> None:
        pass

    def start(self) -> FakeRunner:
        return self

    def wait(self) -> FakeRunner:
        return self

    def close(self) -> None:
        pass


def _fake_execute(fail: set[str]) -> Any:
    def execute_all(job_list, timeout, show_code, progress, runner):
        out = []
        for job in job_list:
            job.out_dir.mkdir(parents=True, exist_ok=True)
            write_files(job.out_dir.parent, {
                f"{job.stem}.ipynb": b"{}", f"{job.stem}.html": b"<p>briefing</p>",
                f"{job.stem}/briefing.json": json.dumps(job.parameters).encode()})
            ok = job.stem not in fail
            result = {"status": "ok" if ok else "failed", "exports": {"html": f"{job.stem}.html"},
                      "error": None if ok else {"ename": "RuntimeError", "evalue": "boom"}}
            out.append(_finish(job, result, 0.5, progress))
        return out, None
    return execute_all


def test_publishes_pages_and_moves_latest_only_when_all_succeed(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "DaskRunner", FakeRunner)
    monkeypatch.setattr(report, "execute_all", _fake_execute(set()))
    out = tmp_path / "out"
    opts = report.RunOptions(quiet=True)
    assert briefings.run_briefings(["JPN", "fra"], langs=["en", "ja"], out=out, opts=opts,
                                   notebook=FIXTURE) == 0
    latest = out / "briefings" / "latest"
    good = os.readlink(latest)
    for lang in ("en", "ja"):
        page = (latest / lang / "index.html").read_text(encoding="utf-8")
        assert 'href="JPN.html"' in page and "日本" in page and "France" in page
        assert (latest / lang / "FRA.html").exists()
        params = json.loads((latest / lang / "JPN" / "briefing.json").read_text())
        assert params["country"] == "JPN" and params["lang"] == lang
    rec = json.loads((latest / "run.json").read_text())
    assert rec["status"] == "ok" and len(rec["notebooks"]) == 4

    monkeypatch.setattr(report, "execute_all", _fake_execute({"FRA"}))
    assert briefings.run_briefings(["JPN", "FRA"], out=out, opts=opts, notebook=FIXTURE) == 1
    assert os.readlink(latest) == good
    runs = [p for p in (out / "briefings").iterdir() if p.name != "latest"
            and p.is_dir() and not p.is_symlink()]
    # two runs within one second: their ids need not sort in the order they ran
    assert len(runs) == 2 and good in {p.name for p in runs}
    newest = next(p for p in runs if p.name != good)
    assert json.loads((newest / "run.json").read_text())["status"] == "failed"
    page = (newest / "en" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en">France</span> (failed)' in page and 'href="FRA.html"' not in page


def test_a_failure_while_writing_is_said_and_marks_the_run_failed(tmp_path, monkeypatch,
                                                                  capsys):
    def full(*_a: Any) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / "full"))

    monkeypatch.setattr(report, "DaskRunner", FakeRunner)
    monkeypatch.setattr(report, "execute_all", _fake_execute(set()))
    monkeypatch.setattr(briefings, "write_run_page", full)
    out = tmp_path / "out"
    assert briefings.run_briefings(["JPN"], out=out, opts=report.RunOptions(quiet=True),
                                   notebook=FIXTURE) == 1
    err = capsys.readouterr().err
    assert "error: writing the briefings failed: No space left on device" in err
    assert "nothing was published and there is no" in err
    run = next(p for p in (out / "briefings").iterdir() if p.is_dir())
    assert json.loads((run / "run.json").read_text())["status"] == "failed"
    assert not (out / "briefings" / "latest").exists()


def test_locked_folder_exits_3(tmp_path, monkeypatch):
    from filelock import FileLock

    monkeypatch.setattr(report, "DaskRunner", FakeRunner)
    folder = tmp_path / "out" / "briefings"
    folder.mkdir(parents=True)
    with FileLock(str(folder / ".lock")):
        assert _cli(tmp_path, "JPN", "--quiet") == 3


def test_run_page_escapes_errors(tmp_path):
    record = {"run_id": "r", "status": "failed", "duration_s": 1.0, "notebooks": [
        {"run": "en", "notebook": "JPN", "status": "failed",
         "error": {"ename": "RuntimeError", "evalue": "<script>alert(1)</script>"}},
        {"run": "ja", "notebook": "JPN", "status": "ok", "error": None}]}
    page = briefings.write_run_page(tmp_path, record).read_text(encoding="utf-8")
    assert "<script>" not in page  # the error itself is in run.json and the index
    assert 'href="en/index.html"' in page and 'href="ja/index.html"' in page
    assert "url=ja/index.html" in page  # the Japanese index first
