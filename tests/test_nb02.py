"""Notebook 02 (consultation network) run with papermill, asserting on its JSON summary."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbrun import NOTEBOOKS, execute, text_outputs

papermill = pytest.importorskip("papermill")

NOTEBOOK = NOTEBOOKS / "02_consultation_network.ipynb"
NAME = "02_consultation_network"

pytestmark = pytest.mark.slow


def run(out: Path, **parameters) -> tuple[dict, nbformat.NotebookNode]:
    """Execute the notebook into ``out`` and return its JSON summary and the notebook."""
    return execute(NOTEBOOK, out, **parameters)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """The white paper's period: the 2006-2007 table of director-general-level rounds."""
    out = tmp_path_factory.mktemp("nb02_seed")
    return (out, *run(out, start_year=2006, end_year=2007))


def test_notebook_structure():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown"  # the title, then its other language
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert all(c.cell_type == "markdown" for c in nb.cells[:nb.cells.index(params)])
    source = params.source
    for line in ("start_year = None", "end_year = None", 'lang = "en"',
                 "include_multilateral = True", "min_rounds = 1", "gap_years = 3",
                 "layout_seed = 42", 'output_dir = "output"'):
        assert line in source


def test_defaults_cover_the_whole_register(tmp_path):
    """No period given: the whole register (the same year rule as every notebook)."""
    summary, nb = run(tmp_path)
    assert summary["start_year"] == 2006 and summary["end_year"] >= 2025
    assert summary["rounds"] > 22


def test_the_seed_period_gives_the_seed_table(seed_run):
    """Oracle: MOFA's 2008 white paper lists 22 director-general-level rounds in
    2006-2007 (seed 004); two of its rows printed 日蒙 are Japan-Australia."""
    out, summary, nb = seed_run
    assert (summary["start_year"], summary["end_year"]) == (2006, 2007)
    assert summary["rounds"] == 22
    assert summary["by_counterpart"]["EU"] == 3
    assert summary["by_counterpart"]["AUS"] == 2
    assert summary["partners"] == 15
    assert (summary["nodes"], summary["edges"]) == (16, 15)
    assert sum(summary["regions"].values()) == 22
    assert summary["regions"]["Latin American and Caribbean"] == 0
    assert summary["gaps"] == [{"kind": "region", "region": "Latin American and Caribbean"}]
    # ASTOP 2006 and 2007, the Japan-US-Australia trilateral, the 14th Asian Export
    # Control Seminar (February 2007)
    assert summary["group_meetings"] == 4
    assert summary["note"] is None
    for name in summary["files"]:
        assert (out / name).stat().st_size > 0
    assert sum(name.endswith(".png") for name in summary["files"]) == 4
    assert {f"{NAME}.gexf", f"{NAME}.graphml"} <= set(summary["files"])
    text = text_outputs(nb)
    assert "22 bilateral rounds with 15 partners" in text
    assert str(out) not in text and "/tmp" not in text  # file names only


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_narrow_period_both_languages(tmp_path, lang):
    summary, nb = run(tmp_path, start_year=2007, end_year=2007, lang=lang, gap_years=1,
                      include_multilateral=False)
    assert summary["rounds"] == 11
    assert summary["by_counterpart"]["EU"] == 2
    assert summary["by_counterpart"]["AUS"] == 1
    assert summary["group_meetings"] is None
    assert summary["parameters"]["lang"] == lang
    # partners met in 2006 only are not gaps: the period starts in 2007
    assert [g["kind"] for g in summary["gaps"]] == ["region", "region"]
    assert [g["region"] for g in summary["gaps"]] == ["African",
                                                      "Latin American and Caribbean"]
    text = text_outputs(nb)
    assert ("二国間協議11回" if lang == "ja" else "11 bilateral rounds") in text


def test_end_before_start_names_the_parameter(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run(tmp_path, start_year=2007, end_year=2006)
    assert err.value.ename == "ParameterError"
    assert "parameter end_year: expected a value >= start_year (2007), found 2006" \
        in err.value.evalue


def test_period_with_no_meetings_renders_a_note(tmp_path):
    summary, nb = run(tmp_path, start_year=1990, end_year=1995, lang="ja")
    assert summary["rounds"] == 0 and summary["nodes"] == 0
    assert summary["note"].startswith("1990-1995の会合は登録簿にありません")
    assert summary["note"] in text_outputs(nb)
    assert sum(name.endswith(".png") for name in summary["files"]) == 4
