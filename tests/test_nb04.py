"""Notebook 04 (country briefing): structure, the bilingual markdown convention, and
papermill runs for two states in English and Japanese, asserting on every section."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from nbrun import NOTEBOOKS, errors, execute, text_outputs

from analysis import site
from analysis.coincidence import INDICES
from analysis.nbparams import notebook_parameters

papermill = pytest.importorskip("papermill")

NOTEBOOK = NOTEBOOKS / "04_country_briefing.ipynb"
NAME = "04_country_briefing"
BADGES = {"lang-en": '<span class="lang-badge">EN</span>',
          "lang-ja": '<span class="lang-badge">日本語</span>'}


def test_notebook_structure():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and params[0].cell_type == "code"
    names = {}
    for node in ast.parse(params[0].source).body:
        assert isinstance(node, ast.Assign)
        names[node.targets[0].id] = ast.literal_eval(node.value)
    assert names == {"country": "KOR", "start_year": None, "end_year": None, "lang": "en",
                     "coincidence_index": "state_dept", "output_dir": "output"}
    specs = notebook_parameters(NOTEBOOK)
    assert specs["country"].domain == "members"
    assert specs["coincidence_index"].choices == INDICES
    assert specs["end_year"].not_below == "start_year"
    for cell in nb.cells:
        if cell.cell_type == "code" and cell is not params[0]:
            assert len(cell.source.splitlines()) <= 16


def test_markdown_cells_come_in_both_languages():
    """Every narrative markdown cell exists twice, tagged lang-en then lang-ja, each opening
    with its badge line and a blank line."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    assert md and len(md) % 2 == 0
    for en, ja in zip(md[::2], md[1::2], strict=True):
        assert en.metadata.get("tags") == ["lang-en"] and ja.metadata.get("tags") == ["lang-ja"]
        for cell in (en, ja):
            first, blank, *rest = cell.source.split("\n")
            assert first == BADGES[cell.metadata["tags"][0]] and blank == "" and rest
        # the same section heading level in both
        assert re.findall(r"^#+", en.source, re.M) == re.findall(r"^#+", ja.source, re.M)
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja.source)


def run(out: Path, **parameters) -> tuple[dict, str]:
    """Execute the notebook into ``out``; return its JSON summary and its printed text
    (HTML included)."""
    summary, nb = execute(NOTEBOOK, out, **parameters)
    assert not errors(nb)
    return summary, text_outputs(nb, html=True)


def assert_clean(text: str, out: Path) -> None:
    assert not re.search(r"\bnan\b|\bNaN\b|\bNone\b|<NA>", text)
    assert str(out) not in text and "/tmp" not in text  # file names only
    assert 'class="row_heading' not in text  # tables shown without the pandas index


@pytest.mark.slow
def test_korea_en(tmp_path):
    summary, text = run(tmp_path, country="kor")  # codes are accepted in any case
    assert summary["country"] == "KOR" and summary["un_regional_group"] == "Asia-Pacific"
    assert summary["admitted"] == "1991-09-17"
    assert summary["votes"]["japan_nuclear"]["2015"] == "abstain"  # rcid 5413
    assert summary["consultations"] == 18
    assert max(int(r["year"]) for r in summary["coincidence"]) == 2019
    assert "Republic of Korea (KOR): UN regional group: Asia-Pacific Group; UN member since " \
           "1991-09-17." in text
    assert "Japan's annual nuclear-disarmament resolution: Yes in 2014, Abstain in 2015" in text
    assert re.search(r"2019: Republic of Korea 0\.\d\d \(Voting coincidence", text)
    assert "Meetings with Republic of Korea in the register: 18 (5 bilateral" in text
    assert "UN regional group: Asia-Pacific Group (54 member states in the data)." in text
    assert "日韓軍縮・不拡散協議" not in text  # English meeting names in English
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".ipynb") == [
        f"{NAME}.json", f"{NAME}_coincidence.png", f"{NAME}_votes.png"]
    assert_clean(text, tmp_path)


@pytest.mark.slow
def test_south_sudan_ja(tmp_path):
    """A state with little data: member since 2011, no consultation in the register."""
    summary, text = run(tmp_path, country="SSD", lang="ja", coincidence_index="agreement")
    assert summary["votes"]["japan_nuclear"]["2010"] == "not_member"
    assert summary["votes"]["tpnw"]["2019"] == "absent"
    assert summary["consultations"] == 0
    assert ("南スーダン（SSD）：国連地域グループはアフリカ・グループ、"
            "2011年7月14日から国連加盟国。") in text
    assert "核兵器廃絶決議（日本提出）：2011年の欠席から2012年に賛成へ" in text
    assert "第74回総会（2019年）：南スーダンは" in text  # ISO 3166 in Japanese
    assert "登録簿に南スーダンとの協議はありません" in text
    assert "国連地域グループ：アフリカ・グループ（データ上の加盟国数 54か国）。" in text
    assert "欠席" in text and "賛成" in text
    assert site.foreign_runs(text, "ja") == [] and "South Sudan" not in text
    assert_clean(text, tmp_path)


@pytest.mark.slow
def test_usa_ja_period_and_bad_country(tmp_path):
    summary, text = run(tmp_path / "usa", country="USA", lang="ja", start_year=2010,
                        end_year=2019)
    assert set(summary["votes"]["japan_nuclear"]) == {str(y) for y in range(2010, 2020)}
    assert min(int(r["year"]) for r in summary["coincidence"]) == 2010
    assert "米国（USA）：国連地域グループは西欧その他グループ（WEOG）" in text
    assert "データの注記（英語）" in text  # an observer of WEOG: the data's note is shown
    assert "二国間" in text
    assert_clean(text, tmp_path / "usa")
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run(tmp_path / "bad", country="ROK")
    assert err.value.ename == "ParameterError" and "did you mean 'KOR'?" in err.value.evalue
