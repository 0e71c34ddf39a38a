"""Notebook 03 (evaluation ratings): structure, papermill runs in both languages, a
synthetic cycle added by CSV only, and parameter errors."""

from __future__ import annotations

import json
from pathlib import Path

import datacopy
import nbformat
import papermill as pm
import pytest

from analysis import data

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NB = NOTEBOOKS / "03_evaluation_ratings.ipynb"
STEM = "03_evaluation_ratings"
AREA = "arms_control_disarmament_nonproliferation"


def add_synthetic_cycle(root: Path) -> Path:
    """Copy data/ to ``root``/data and add, by CSV rows only, a rated cycle X30."""
    return datacopy.add_synthetic_cycle(
        root, "「核兵器のない世界」の実現に向け、現実的かつ実践的な取組を強化する。")


def run(tmp_path: Path, **parameters) -> dict:
    out_dir = tmp_path / "out"
    params = {"output_dir": str(out_dir), **parameters}
    pm.execute_notebook(str(NB), str(tmp_path / f"{STEM}.out.ipynb"), parameters=params,
                        kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False)
    return json.loads((out_dir / f"{STEM}.json").read_text(encoding="utf-8"))


def test_notebook_structure():
    nb = nbformat.read(NB, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.cells[0].cell_type == "markdown"  # the title, then its other language
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert all(c.cell_type == "markdown" for c in nb.cells[:nb.cells.index(params)])
    assert params.cell_type == "code" and "parameters" in params.metadata.get("tags", [])
    ns: dict = {}
    exec(params.source, ns)  # plain literals only
    assert ns["policy_area"] == AREA and ns["cycles"] is None
    assert ns["lang"] == "en" and ns["output_dir"] == "output"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "/work" not in cell.source and "shared" not in cell.source


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_notebook_runs_on_bundled_data(tmp_path, lang):
    out = run(tmp_path, lang=lang)
    assert [c["cycle"] for c in out["cycles"]] == data.load_cycles()["cycle_id"].tolist()
    assert out["latest_rated_cycle"] == "R6"
    latest = {r["objective"]: r for r in out["ratings"] if r["cycle"] == "R6"}
    assert sorted(latest) == ["1", "2", "3", "4"]
    assert [latest[k]["level"] for k in ("2", "3", "4")] == [3, 3, 3]
    assert latest["1"]["level"] is None
    assert latest["1"]["wording"] == "取組を強化することができた"
    assert latest["1"]["mapping_status"] == "unmapped: no vocabulary entry"
    for r in out["ratings"]:
        assert set(r) >= {"cycle", "objective", "wording", "level"}
    changes = out["objective_changes"]
    four = [c for c in changes if c["from_cycle"] == "R6" and c["objective_from"] == "4"]
    assert len(four) == 1
    assert four[0]["to_cycle"] == "R9" and four[0]["objective_to"] == "4"
    assert 0 < four[0]["similarity"] < 1
    assert "[-" in four[0]["diff"] and "{+" in four[0]["diff"]
    for c in changes:
        assert set(c) >= {"from_cycle", "to_cycle", "objective_from", "objective_to",
                          "similarity"}
    linked = out["linked_values"]
    assert linked and all(v["source"] for v in linked)
    files = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"03_level_heatmap.png", "03_indicators.png", f"{STEM}.json"} <= files
    # the highlighted diff is displayed as HTML in the executed notebook
    executed = nbformat.read(tmp_path / f"{STEM}.out.ipynb", as_version=4)
    html = [o["data"]["text/html"] for c in executed.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if "data" in o and "text/html" in o["data"]
            and "<ins" in o["data"]["text/html"]]
    assert html and "<del" in html[0]


@pytest.mark.slow
def test_notebook_picks_up_a_synthetic_cycle(tmp_path, monkeypatch):
    target = add_synthetic_cycle(tmp_path)
    monkeypatch.setenv(data.ENV_VAR, str(target))
    out = run(tmp_path, cycles=["R6", "R9", "X30"])
    assert [c["cycle"] for c in out["cycles"]] == ["R6", "R9", "X30"]
    assert out["latest_rated_cycle"] == "X30"
    new = {r["objective"]: r["level"] for r in out["ratings"] if r["cycle"] == "X30"}
    assert new == {"1": 3, "2": 5}
    pairs = {(c["from_cycle"], c["to_cycle"]) for c in out["objective_changes"]}
    assert pairs == {("R6", "R9"), ("R9", "X30")}
    trans = [t for t in out["transitions"] if t["to_cycle"] == "X30"]
    assert {t["transition"] for t in trans} <= {"unmapped", "new", "dropped"}


@pytest.mark.slow
@pytest.mark.parametrize("params, name", [
    ({"cycles": ["R6", "Q99"]}, "cycles"),
    ({"policy_area": "space_security"}, "policy_area"),
    ({"lang": "fr"}, "lang"),
])
def test_bad_parameters_raise_parameter_error(tmp_path, params, name):
    with pytest.raises(pm.PapermillExecutionError) as err:
        run(tmp_path, **params)
    assert err.value.ename == "ParameterError"
    assert f"parameter {name}:" in err.value.evalue
