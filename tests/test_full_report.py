"""The full default report (reports.yml: every notebook, English and Japanese) runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import site
from analysis.report_config import DEFAULT_CONFIG, load_config
from analysis.report_plan import discover

pytestmark = pytest.mark.slow

REQUIRED_KEYS = {
    "00_overview": {"family", "votes", "consultations", "ratings"},
    "01_unga_votes": {"family", "sessions", "discrepancies"},
    "02_consultation_network": {"nodes", "edges", "rounds", "by_counterpart", "regions", "gaps"},
    "03_evaluation_ratings": {"cycles", "ratings", "objective_changes"},
    "04_country_briefing": {"country", "votes", "coincidence", "consultations"},
}


@pytest.fixture(scope="module")
def latest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default report (the README's main command), run once for this module."""
    out = tmp_path_factory.mktemp("full") / "reports"
    res = subprocess.run([sys.executable, "-m", "analysis", "report", "--out", str(out),
                          "--jobs", "2", "--quiet"], capture_output=True, text=True, timeout=1200)
    assert res.returncode == 0, res.stderr
    return out / "latest"


def test_default_report_runs_every_notebook_in_both_languages(latest: Path):
    record = json.loads((latest / "run.json").read_text(encoding="utf-8"))
    runs = [r.name for r in load_config(DEFAULT_CONFIG)]
    stems = [p.stem for p in discover()]
    assert sorted((n["run"], n["notebook"]) for n in record["notebooks"]) == sorted(
        (r, s) for r in runs for s in stems)
    assert record["status"] == "ok"
    for run in runs:
        for stem in stems:
            summary = json.loads((latest / run / stem / f"{stem}.json").read_text("utf-8"))
            assert REQUIRED_KEYS[stem] <= set(summary), (run, stem)
            assert list((latest / run / stem).glob("*.png")), (run, stem)
            html = (latest / run / f"{stem}.html").read_text(encoding="utf-8")
            assert "Traceback" not in html
    # the overview links to the detail pages of the same run
    overview = (latest / "en" / "00_overview.html").read_text(encoding="utf-8")
    assert 'href="01_unga_votes.html"' in overview
    # the Japanese run prints its sentences in Japanese, the English run in English
    ja = (latest / "ja" / "00_overview.html").read_text(encoding="utf-8")
    assert "直近の集計会期" in ja and "Latest counted session" not in ja
    assert "Latest counted session" in overview


_JA_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_reads_in_its_language(latest: Path, lang: str):
    """Issue 14: no run of four or more English words outside an element marked
    lang="en" on a Japanese page (nor four Japanese characters outside lang="ja" on an
    English one); every page declares its language and has a title in it."""
    pages = sorted((latest / lang).glob("*.html"))
    stems = {p.stem for p in pages}
    assert {"index", "log"} | {p.stem for p in discover()} <= stems
    for page in pages:
        text = page.read_text(encoding="utf-8")
        root, title = site.page_language(text)
        assert root == lang, (page.name, root)
        assert title and title != "Notebook", page.name
        assert bool(_JA_CHAR.search(title)) == (lang == "ja"), (page.name, title)
        assert site.foreign_runs(text, lang) == [], page.name
        # tables without the pandas index, no raw missing values, no Python booleans
        assert 'class="dataframe"' not in text or "site-table" in text, page.name
        for raw in (">NaN<", ">None<", "&lt;NA&gt;", ">True<", ">False<"):
            assert raw not in text, (page.name, raw)


def test_front_page_and_language_switch(latest: Path):
    chooser = (latest / "index.html").read_text(encoding="utf-8")
    assert "url=ja/index.html" in chooser
    ja = (latest / "ja" / "index.html").read_text(encoding="utf-8")
    for stem in (p.stem for p in discover()):
        assert f'href="{stem}.html"' in ja
    assert 'src="00_overview/00_overview.png"' in ja and "直近の集計会期" in ja
    page = (latest / "ja" / "01_unga_votes.html").read_text(encoding="utf-8")
    assert 'href="../en/01_unga_votes.html"' in page and 'href="log.html"' in page
