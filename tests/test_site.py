"""The report site: bilingual cells, the header, the front page, the log, table rendering."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import present, site
from analysis.labels import label
from analysis.params import ParameterError

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SUITE = sorted(NOTEBOOKS.glob("0[0-3]_*.ipynb"))


def _cell(text: str, tags: list[str] | None = None) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text, metadata={"tags": tags or []})


def test_keep_language_drops_the_other_language_and_the_badge():
    nb = nbformat.v4.new_notebook(cells=[
        _cell(f"{site.badge('en')}\n\n# Votes\n\nText.", ["lang-en"]),
        _cell(f"{site.badge('ja')}\n\n# 投票\n\n本文。", ["lang-ja"]),
        _cell("Shared cell"),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})])
    ja = site.keep_language(nb, "ja")
    assert [c.source for c in ja.cells] == ["# 投票\n\n本文。", "Shared cell", "x = 1"]
    assert [c.source for c in site.keep_language(nb, "en").cells][0] == "# Votes\n\nText."
    assert len(nb.cells) == 4  # the input is not changed
    with pytest.raises(ParameterError, match="lang"):
        site.keep_language(nb, "fr")


@pytest.mark.parametrize("path", SUITE, ids=lambda p: p.stem)
def test_every_narrative_cell_of_the_suite_exists_in_both_languages(path: Path):
    nb = nbformat.read(str(path), as_version=4)
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    langs = [site.cell_language(c) for c in markdown]
    assert None not in langs, f"{path.name}: a Markdown cell without lang-en/lang-ja tag"
    assert langs.count("en") == langs.count("ja") > 0
    for lang in ("en", "ja"):
        badge = site.badge(lang)
        own = [c for c in markdown if site.cell_language(c) == lang]
        assert all(c.source.startswith(badge) for c in own), (path.name, lang)
        kept = site.keep_language(nb, lang)
        text = "\n".join(c.source for c in kept.cells if c.cell_type == "markdown")
        assert not site.foreign_runs(f'<html lang="{lang}"><body>{_markdown_html(text)}'
                                     "</body></html>", lang), (path.name, lang)
    # each language has its own title, and the two differ
    ja_title = site.page_title(site.keep_language(nb, "ja"), path.stem)
    en_title = site.page_title(site.keep_language(nb, "en"), path.stem)
    assert ja_title != en_title and ja_title != path.stem


def _markdown_html(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def test_header_links_every_page_and_the_same_page_in_the_other_language():
    ctx = site.run_contexts([("en", "en", "00_overview"), ("en", "en", "01_unga_votes"),
                             ("ja", "ja", "00_overview"), ("ja", "ja", "01_unga_votes")])
    html = site.header_html(ctx[("ja", "01_unga_votes")])
    for page in ("index", "00_overview", "01_unga_votes", "log"):
        assert f'href="{page}.html"' in html
    assert 'href="../en/01_unga_votes.html" hreflang="en" lang="en"' in html
    assert label("site.nav.01_unga_votes", "ja") in html
    assert html.count('aria-current="page"') == 1


def test_run_without_other_language_has_no_switch():
    ctx = site.run_contexts([("only", "en", "00_overview")])[("only", "00_overview")]
    assert ctx.alternate is None
    assert "lang-switch" not in site.header_html(ctx)


def _record(tmp_path: Path, error: str = "ok") -> dict:
    rows = []
    for run, lang in (("en", "en"), ("ja", "ja")):
        for stem in ("00_overview", "01_unga_votes"):
            rows.append({"run": run, "notebook": stem, "status": "ok", "duration_s": 1.5,
                         "parameters": {"lang": lang, "family": "japan_nuclear",
                                        "output_dir": "x"},
                         "files": [f"{stem}.json", "00_overview.png" if stem == "00_overview"
                                   else "01_support.png"]})
    rows[-1]["status"] = "failed"
    rows[-1]["error"] = {"ename": "RuntimeError", "evalue": "<script>alert(1)</script>"}
    return {"run_id": "20260101T000000Z-abcd", "status": "failed", "duration_s": 3.0,
            "notebooks": rows, "data_checksums": {"data/x.csv": "ab12"},
            "versions": {"pandas": "2.2"}}


def test_write_site_front_pages_logs_and_chooser(tmp_path: Path):
    from analysis.bundle import load_bundle

    record = _record(tmp_path)
    site.write_site(tmp_path, record, load_bundle())
    chooser = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'url=ja/index.html' in chooser and 'href="en/index.html"' in chooser
    for lang in ("en", "ja"):
        front = (tmp_path / lang / "index.html").read_text(encoding="utf-8")
        assert site.page_language(front) == (lang, f"{label('site.front.title', lang)} | "
                                                   f"{label('site.name', lang)}")
        assert 'src="00_overview/00_overview.png"' in front
        assert 'src="01_unga_votes/01_support.png"' in front
        assert not site.foreign_runs(front, lang), lang
        log = (tmp_path / lang / "log.html").read_text(encoding="utf-8")
        assert "ab12" in log and 'href="00_overview/00_overview.json"' in log
    ja_front = (tmp_path / "ja" / "index.html").read_text(encoding="utf-8")
    # the headline sentences of the overview, in Japanese, and the failed card's error,
    # escaped
    assert "直近の集計会期" in ja_front
    assert "<script>alert(1)</script>" not in ja_front
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in ja_front
    assert 'href="../en/index.html"' in ja_front


def test_foreign_runs_respects_lang_marks_and_ignores_scripts():
    page = ('<html lang="ja"><head><title>t</title><style>a b c d e</style></head><body>'
            '<script>var a = b and c or d;</script><p>国連総会 UN General Assembly vote</p>'
            '<div lang="en"><p>this is all English text</p></div></body></html>')
    assert site.foreign_runs(page, "ja") == ["UN General Assembly vote"]
    en = ('<html lang="en"><body><p>Japan 日本の軍縮外交</p><p lang="ja">核兵器廃絶決議</p>'
          "</body></html>")
    assert site.foreign_runs(en, "en") == ["日本の軍縮外交"]


def test_present_table_formats_marks_and_escapes():
    frame = pd.DataFrame({"年": [2006, 2007], "賛成率": [0.95, None],
                          "備考": ["<b>UN press release</b>", "国連"],
                          "検証": [True, False],
                          "日付": pd.to_datetime(["2006-02-22", "2007-01-25"])},
                         index=pd.Index([5, 6]))
    t = present.table(frame, "ja")
    assert t.header == ("年", "賛成率", "備考", "検証", "日付")
    assert t.rows[0] == ("2006", "95.0%", "<b>UN press release</b>", "はい", "2006-02-22")
    assert t.rows[1][1] == present.DASH and t.note == label("table.dash_note", "ja")
    html = t._repr_html_()
    assert 'lang="en">&lt;b&gt;UN press release&lt;/b&gt;</td>' in html
    assert "<b>" not in html and '<td class="nowrap">2006-02-22</td>' in html
    assert '<td class="nowrap num">95.0%</td>' in html
    assert ">5<" not in html  # no index column
    en = present.table(frame, "en")
    assert '<td class="nowrap" lang="ja">国連</td>' in en._repr_html_()
    urls = present.table(pd.DataFrame({"source_url": ["https://a.example/x?<y> ; http://b.org/"]}),
                         "en")._repr_html_()
    assert '<a href="https://a.example/x?&lt;y&gt;">a.example</a> <a href="http://b.org/">' in urls
    assert present.table(pd.DataFrame({"yes": [1520]}), "en").rows == (("1,520",),)


def test_present_table_without_rows_says_so():
    empty = present.table(pd.DataFrame({"年": pd.Series([], dtype=int)}), "ja")
    assert "<table" not in empty._repr_html_()
    assert label("table.empty", "ja") in empty._repr_html_() and repr(empty) == label(
        "table.empty", "ja")


def test_present_table_keeps_a_named_index_as_a_column():
    frame = pd.DataFrame({"rounds": [3]}, index=pd.Index(["Asia-Pacific"], name="region"))
    assert present.table(frame, "en").header == ("region", "rounds")


def test_run_record_json_roundtrip_of_site_context():
    ctx = site.SiteContext("ja", "00_overview", ("index", "00_overview", "log"), "../en", "en")
    assert site.SiteContext.from_dict(json.loads(json.dumps(ctx.to_dict()))) == ctx
    ctx = site.SiteContext("ja", "JPN", ("index", "JPN"), "../en", "en", "日本")
    assert site.SiteContext.from_dict(json.loads(json.dumps(ctx.to_dict()))) == ctx
    assert ctx.with_current("index").subject == "日本"


def test_exported_page_is_titled_by_its_subject_not_its_file_name(tmp_path: Path):
    from analysis.exporters import ExportOptions, export_html

    nb = nbformat.v4.new_notebook(cells=[
        _cell(f"{site.badge('en')}\n\n# 04 · Country briefing", ["lang-en"]),
        _cell(f"{site.badge('ja')}\n\n# 04 · 国別ブリーフィング", ["lang-ja"])])
    ctx = site.SiteContext("ja", "JPN", ("index", "JPN"), "../en", "en", "日本")
    page = export_html(nb, tmp_path, ExportOptions("JPN", site=ctx.to_dict()))
    assert (f"<title>日本 · 04 · 国別ブリーフィング | {label('site.name', 'ja')}</title>"
            in page.read_text(encoding="utf-8"))
    # a page of its own (no subject) is titled by its heading, whatever its file name
    ctx = site.SiteContext("en", "JPN", ("index", "JPN"))
    page = export_html(nb, tmp_path, ExportOptions("JPN", site=ctx.to_dict()))
    assert (f"<title>04 · Country briefing | {label('site.name', 'en')}</title>"
            in page.read_text(encoding="utf-8"))
