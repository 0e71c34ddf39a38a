"""Notebook 01 (UNGA votes): structure, papermill runs on the bundled data and on both
per-country fixture formats in both languages, and Japanese glyphs in every figure."""

from __future__ import annotations

import ast
import json
import warnings
from pathlib import Path

import matplotlib
import nbformat
import papermill as pm
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from analysis import style  # noqa: E402
from analysis.coincidence import (  # noqa: E402
    INDICES,  # noqa: E402
    active_states,
    coincidence_matrix,
    coincidence_with,
    nuclear_votes,
)
from analysis.data import load_families, load_resolutions, load_vote_counts  # noqa: E402
from analysis.nbparams import notebook_parameters  # noqa: E402
from analysis.unga import family_names, family_series  # noqa: E402
from analysis.unga_plots import (  # noqa: E402
    plot_agreement_heatmap,
    plot_coincidence,
    plot_support,
)
from analysis.votes_io import load_votes  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_unga_votes.ipynb"
FIXTURES = ROOT / "tests" / "fixtures" / "unga"
FOCUS = ["USA", "GBR", "FRA", "RUS", "CHN"]


def test_notebook_structure():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown"  # the title, then its other language
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert all(c.cell_type == "markdown" for c in nb.cells[:nb.cells.index(params)])
    assert "parameters" in params.metadata.get("tags", [])
    names = {}
    for node in ast.parse(params.source).body:  # plain literals only
        assert isinstance(node, ast.Assign | ast.AnnAssign)
        target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
        names[target.id] = ast.literal_eval(node.value)
    assert names == {"family": "japan_nuclear", "start_year": None, "end_year": None,
                     "lang": "en", "votes_source": None, "focus_countries": FOCUS,
                     "coincidence_index": "state_dept", "output_dir": "output"}
    for cell in nb.cells[2:]:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 16
    specs = notebook_parameters(NOTEBOOK)  # what the report runner reads
    assert specs["coincidence_index"].choices == INDICES
    assert specs["lang"].choices == ("en", "ja")
    assert specs["start_year"].low == 1945 and specs["end_year"].high == 2100
    assert specs["focus_countries"].item_domain == "members"
    assert specs["family"].domain == "families"


def run(tmp_path: Path, **params) -> dict:
    out = tmp_path / "out"
    pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "run.ipynb"),
                        parameters={"output_dir": str(out), **params},
                        kernel_name="python3", cwd=str(NOTEBOOK.parent), progress_bar=False)
    return json.loads((out / "01_unga_votes.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_defaults_en(tmp_path):
    result = run(tmp_path)
    assert result["family"] == "japan_nuclear"
    by_year = {s["year"]: s for s in result["sessions"]}
    assert by_year[2007]["yes"] == 170 and by_year[2007]["symbol"] == "A/RES/62/37"
    # the UN's record of 2006 (A/RES/61/74) is used; MOFA's 167-3-8 is a disagreement
    assert (by_year[2006]["yes"], by_year[2006]["no"], by_year[2006]["abstain"]) == (167, 4, 7)
    assert by_year[2006]["count_source_id"] == "per_country"
    assert by_year[2023]["yes"] == 148 and by_year[2023]["status"] == "voted"
    assert set(by_year) == set(range(1994, 2026))
    d61 = [d for d in result["discrepancies"] if d["resolution_id"] == "japan_nuclear_61"]
    assert d61 and all(d["used_figure"] == "167-4-7" for d in d61)
    # every section is filled from the bundled record (1948-2019)
    assert result["votes_format"] == "unvotes"
    assert sorted(result["coincidence"]) == sorted(FOCUS)
    assert max(int(y) for y in result["coincidence"]["USA"]) == 2019
    assert result["swings"] and result["supporters_overlap"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "01_agreement_heatmap.png", "01_coincidence.png", "01_support.png",
        "01_unga_votes.json"]
    text = (tmp_path / "run.ipynb").read_text(encoding="utf-8")
    assert "These sections need per-country votes" not in text
    assert "CHN, IRN, NIC, PRK, RUS, SYR" in text  # the states against in 2024 (named)


@pytest.mark.slow
def test_defaults_ja_years(tmp_path):
    result = run(tmp_path, lang="ja", start_year=2015, end_year=2022)
    assert [s["year"] for s in result["sessions"]] == list(range(2015, 2023))
    assert {d["year"] for d in result["discrepancies"]} <= set(range(2015, 2023))
    assert min(int(y) for y in result["coincidence"]["USA"]) == 2015
    text = (tmp_path / "run.ipynb").read_text(encoding="utf-8")
    assert "賛成率" in text and "名前の挙がった国の数" in text
    assert "国別の投票データが必要です" not in text


@pytest.mark.slow
def test_undl_fixture_ja(tmp_path):
    result = run(tmp_path, lang="ja", votes_source=str(FIXTURES / "undl_nuclear.csv"),
                 coincidence_index="agreement")
    assert result["votes_format"] == "undl"
    assert sorted(result["coincidence"]) == sorted(FOCUS)
    # Voeten's agreement score is published by session: 69 (2014) to 77 (2022)
    assert sorted(result["coincidence"]["USA"]) == [str(s) for s in range(69, 78)]
    assert all(0 <= v <= 1 for v in result["coincidence"]["CHN"].values())
    assert result["swings"] and {"country", "previous_vote", "vote", "year"} <= set(
        result["swings"][0])
    assert any("per_country" in (d["source_a_id"], d["source_b_id"])
               for d in result["discrepancies"])
    assert [o["year"] for o in result["supporters_overlap"]] == list(range(2018, 2023))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "01_agreement_heatmap.png", "01_coincidence.png", "01_support.png",
        "01_unga_votes.json"]
    text = (tmp_path / "run.ipynb").read_text(encoding="utf-8")
    assert "両方に賛成" in text and "前回の投票" in text
    assert str(FIXTURES) not in "".join(  # no absolute path printed in outputs
        str(o) for c in nbformat.reads(text, as_version=4).cells if c.cell_type == "code"
        for o in c.get("outputs", []))


@pytest.mark.slow
def test_unvotes_fixture_en(tmp_path):
    result = run(tmp_path, votes_source=str(FIXTURES / "unvotes_nuclear"),
                 coincidence_index="s_score", start_year=2016)
    assert result["votes_format"] == "unvotes"
    # the S-score by session, as Voeten's scores: 71 (2016) to 77 (2022)
    assert sorted(result["coincidence"]["RUS"]) == [str(s) for s in range(71, 78)]
    assert all(-1 <= v <= 1 for v in result["coincidence"]["RUS"].values())
    assert min(s["year"] for s in result["swings"]) >= 2017
    assert result["sessions"][0]["year"] == 2016


@pytest.mark.slow  # draws figures: seconds each (the fast tier stays under 90 s)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_figures_render_without_missing_glyphs(lang, tmp_path):
    style.setup(lang)
    votes = nuclear_votes(load_votes(FIXTURES / "undl_nuclear.csv"))
    res, vc, fam = load_resolutions(), load_vote_counts(), load_families()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [
            plot_support(family_series(res, vc, "japan_nuclear"), lang,
                         name=family_names(fam, "japan_nuclear")[lang]),
            plot_support(family_series(res, vc, "tpnw"), lang,
                         name=family_names(fam, "tpnw")[lang]),
            plot_coincidence(coincidence_with(votes, "JPN", FOCUS, "agreement"), lang),
            plot_agreement_heatmap(
                coincidence_matrix(votes[votes["country"].isin(active_states(votes, 20))],
                                   "s_score"), lang, years="2014-2022"),
        ]
        for k, fig in enumerate(figs):
            fig.canvas.draw()
            style.save_figure(fig, tmp_path, f"fig{k}")
    plt.close("all")
    assert len(list(tmp_path.glob("*.png"))) == 4
