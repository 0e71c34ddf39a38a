"""The full default report (reports.yml: every notebook, English and Japanese) runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.report_config import DEFAULT_CONFIG, load_config
from analysis.report_plan import discover

pytestmark = pytest.mark.slow

REQUIRED_KEYS = {
    "00_overview": {"family", "votes", "consultations", "ratings"},
    "01_unga_votes": {"family", "sessions", "discrepancies"},
    "02_consultation_network": {"nodes", "edges", "rounds", "by_counterpart", "regions", "gaps"},
    "03_evaluation_ratings": {"cycles", "ratings", "objective_changes"},
}


def test_default_report_runs_every_notebook_in_both_languages(tmp_path: Path):
    out = tmp_path / "reports"
    res = subprocess.run([sys.executable, "-m", "analysis", "report", "--out", str(out),
                          "--jobs", "2", "--quiet"], capture_output=True, text=True, timeout=1200)
    assert res.returncode == 0, res.stderr
    latest = out / "latest"
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
