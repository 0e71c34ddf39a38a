"""The report as a site: the language of each page, the common header, the front page.

A notebook of this suite is bilingual. Each narrative Markdown cell exists twice, once
tagged ``lang-en`` and once ``lang-ja`` (:data:`LANG_TAGS`); its first line is a badge
(``<span class="lang-badge">EN</span>`` / ``…>日本語</span>``) so that a reader in
JupyterLab, who sees both, can tell them apart. Cells without such a tag belong to both
languages. An exported page keeps only its language's cells, without the badge
(:func:`keep_language`).

Every page of a run (the front page, one page per notebook, the run log) carries the same
header (:func:`header_html`): the suite's name, a link to every page of the run and a
switch to the same page in the other language. The pages are rendered from Jinja
templates shipped in ``analysis/templates`` (:data:`TEMPLATES`) with autoescaping, so a
string from the data or a parameter is always escaped.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_markdown_cell('<span class="lang-badge">EN</span>\\n\\n# Votes',
...                                   metadata={"tags": ["lang-en"]}),
...     nbformat.v4.new_markdown_cell('<span class="lang-badge">日本語</span>\\n\\n# 投票',
...                                   metadata={"tags": ["lang-ja"]}),
...     nbformat.v4.new_code_cell("1 + 1")])
>>> [c.source for c in keep_language(nb, "ja").cells]
['# 投票', '1 + 1']
>>> page_title(keep_language(nb, "en"), "01_votes")
'Votes'
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .labels import fmt, label
from .params import LANGS, ParameterError

TEMPLATES = Path(__file__).with_name("templates")
LANG_TAGS = {code: f"lang-{code}" for code in LANGS}
_BADGE_RE = re.compile(r'\A\s*<span class="lang-badge">[^<]*</span>[ \t]*(?:\r?\n)*')
_HEADING_RE = re.compile(r"^#{1,2}\s+(.+?)\s*#*\s*$", re.M)
FRONT, LOG = "index", "log"


def _check_lang(lang: object) -> str:
    if lang not in LANGS:
        raise ParameterError("lang", "one of " + ", ".join(LANGS), lang)
    return str(lang)


def cell_language(cell: Mapping[str, Any]) -> str | None:
    """The language a cell is tagged for (``"en"``/``"ja"``), None when it is for both.

    >>> cell_language({"metadata": {"tags": ["lang-ja"]}}), cell_language({"metadata": {}})
    ('ja', None)
    """
    tags = set((cell.get("metadata") or {}).get("tags") or ())
    found = [code for code, tag in LANG_TAGS.items() if tag in tags]
    return found[0] if len(found) == 1 else None


def badge(lang: str) -> str:
    """The first line of a Markdown cell written in ``lang``.

    >>> badge("ja")
    '<span class="lang-badge">日本語</span>'
    """
    return f'<span class="lang-badge">{label("site.badge", _check_lang(lang))}</span>'


def strip_badge(source: str) -> str:
    """``source`` without its leading language badge (and the blank line after it).

    >>> strip_badge('<span class="lang-badge">EN</span>\\n\\n## Votes')
    '## Votes'
    """
    return _BADGE_RE.sub("", source, count=1)


def keep_language(nb: Any, lang: str) -> Any:
    """A copy of notebook ``nb`` with only the cells of ``lang`` and of both languages,
    language badges removed.

    Raises ParameterError for a language other than 'en' or 'ja'.
    """
    wanted = _check_lang(lang)
    out = copy.deepcopy(nb)
    kept = []
    for cell in out.cells:
        own = cell_language(cell)
        if own not in (None, wanted):
            continue
        if own is not None and cell.cell_type == "markdown":
            cell.source = strip_badge(cell.source)
        kept.append(cell)
    out.cells = kept
    return out


def page_title(nb: Any, stem: str, subject: str | None = None) -> str:
    """The title of a page: the first level-1 or level-2 heading of the notebook's
    Markdown (in the language kept), else ``stem``; after ``subject`` when the page has
    one (:attr:`SiteContext.subject`).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Briefing")])
    >>> page_title(nb, "JPN", "Japan")
    'Japan · Briefing'
    """
    title = stem
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = _HEADING_RE.search(cell.source)
            if found:
                title = re.sub(r"[*_`]", "", found.group(1)).strip()
                break
    return f"{subject} · {title}" if subject else title


def nav_label(stem: str, lang: str) -> str:
    """The short name of a page in the header (``site.nav.<stem>``), else the stem.

    >>> nav_label("01_unga_votes", "ja"), nav_label("99_extra", "ja")
    ('国連総会の投票', '99_extra')
    """
    key = f"site.nav.{stem}"
    from .labels import has

    return label(key, lang) if has(key) else stem


@dataclass(frozen=True)
class SiteContext:
    """Where a page sits in its run: its language, the pages beside it, its counterpart.

    ``pages`` are the page stems of the run in order (``index`` first, ``log`` last);
    ``alternate`` is the relative folder of the run in the other language (``"../en"``)
    or None when the report has no such run. ``subject`` is what the page is about when
    one notebook makes many pages (a briefing: the country's name in ``lang``), named
    first in its title (:func:`page_title`); None for a page of its own.
    """

    lang: str
    current: str
    pages: tuple[str, ...] = field(default_factory=tuple)
    alternate: str | None = None
    alternate_lang: str | None = None
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"lang": self.lang, "current": self.current, "pages": list(self.pages),
                "alternate": self.alternate, "alternate_lang": self.alternate_lang,
                "subject": self.subject}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteContext:
        return cls(lang=_check_lang(data["lang"]), current=str(data["current"]),
                   pages=tuple(data.get("pages") or ()), alternate=data.get("alternate"),
                   alternate_lang=data.get("alternate_lang"), subject=data.get("subject"))

    def with_current(self, current: str) -> SiteContext:
        return replace(self, current=current)


def run_contexts(runs: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], SiteContext]:
    """The site context of every page: ``runs`` holds ``(run, lang, notebook stem)`` per
    job; the result maps ``(run, stem)`` to its context.

    A run's counterpart is the first other run in the other language (runs sorted by
    name), so ``en`` and ``ja`` link to each other.

    >>> ctx = run_contexts([("en", "en", "00_overview"), ("ja", "ja", "00_overview")])
    >>> ctx[("ja", "00_overview")].alternate, ctx[("ja", "00_overview")].pages
    ('../en', ('index', '00_overview', 'log'))
    """
    langs: dict[str, str] = {}
    stems: dict[str, list[str]] = {}
    for run, language, stem in runs:
        langs[run] = _check_lang(language)
        stems.setdefault(run, [])
        if stem not in stems[run]:
            stems[run].append(stem)
    out = {}
    for run, language in langs.items():
        other = next((r for r in sorted(langs) if langs[r] != language), None)
        pages = (FRONT, *sorted(stems[run]), LOG)
        for stem in stems[run]:
            out[(run, stem)] = SiteContext(
                language, stem, pages, None if other is None else f"../{other}",
                None if other is None else langs[other])
    return out


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["label"] = label
    env.globals["fmt"] = fmt
    env.globals["nav_label"] = nav_label
    return env


def render(template: str, **context: Any) -> str:
    """Render one of the package's templates with autoescaping.

    >>> "&lt;b&gt;" in render("header.html.j2", site=SiteContext("en", "index", ("index",)))
    False
    """
    return _environment().get_template(template).render(**context)


def header_html(site: SiteContext) -> str:
    """The header every page of a run shares (an HTML fragment).

    >>> html = header_html(SiteContext("ja", "01_unga_votes",
    ...                                ("index", "01_unga_votes", "log"), "../en", "en"))
    >>> 'href="../en/01_unga_votes.html"' in html, 'aria-current="page"' in html
    (True, True)
    """
    return render("header.html.j2", site=site)


SITE_CSS = (TEMPLATES / "site.css")


def site_css() -> str:
    """The stylesheet of the site (screen and A4 print)."""
    return SITE_CSS.read_text(encoding="utf-8")


# --- the pages the package writes itself: front page, run log, language chooser --------
#: the figure a notebook's card shows on the front page (else its first figure)
MAIN_FIGURE = {"00_overview": "00_overview.png", "01_unga_votes": "01_support.png",
               "02_consultation_network": "02_consultation_network_network.png",
               "03_evaluation_ratings": "03_level_heatmap.png"}


def data_dates(tables: Any) -> dict[str, str]:
    """How recent the bundled data are: the latest General Assembly year with a counted
    vote, the latest meeting date of the consultation register, the latest evaluation
    cycle (an empty string when a table is empty).

    >>> from analysis.bundle import load_bundle
    >>> sorted(data_dates(load_bundle()))
    ['cycle', 'cycle_era', 'cycle_year', 'meeting', 'session']
    """
    import pandas as pd

    counted = tables.resolutions.loc[
        tables.resolutions["resolution_id"].isin(tables.vote_counts["resolution_id"])
        | tables.resolutions["resolution_id"].isin(
            tables.votes["resolution_id"] if "resolution_id" in tables.votes.columns
            else ()), "year"]
    years = pd.to_numeric(pd.concat([counted, tables.votes["year"]]), errors="coerce").dropna()
    meetings = pd.to_datetime(tables.consultations["date"].astype("string").str[:10],
                              errors="coerce").dropna()
    cycles = tables.cycles.sort_values(["evaluation_year", "cycle_id"])
    if "status" in cycles.columns:  # a cycle with judgements, not one planned
        cycles = cycles[cycles["status"].eq("rated")]
    return {"session": str(int(years.max())) if len(years) else "",
            "meeting": meetings.max().strftime("%Y-%m-%d") if len(meetings) else "",
            "cycle": str(cycles["cycle_id"].iloc[-1]) if len(cycles) else "",
            "cycle_year": str(int(cycles["evaluation_year"].iloc[-1])) if len(cycles) else "",
            "cycle_era": (str(cycles["evaluation_year_ja"].iloc[-1])
                          if len(cycles) and "evaluation_year_ja" in cycles.columns else "")}


def _row_lang(row: Mapping[str, Any]) -> str:
    lang = (row.get("parameters") or {}).get("lang", "en")
    return lang if lang in LANGS else "en"


def _files(row: Mapping[str, Any]) -> list[str]:
    return sorted(str(f) for f in row.get("files") or [])


def front_context(rows: list[Mapping[str, Any]], ctx: SiteContext,
                  tables: Any = None) -> dict[str, Any]:
    """What the front page of one run shows (rows: that run's records in ``run.json``).

    Headline sentences come from :func:`analysis.overview.describe` with the overview
    notebook's own parameters, when that notebook is in the run and succeeded.
    """
    from . import overview

    headlines: list[str] = []
    overview_figure = None
    for row in rows:
        if row["notebook"] == "00_overview" and row["status"] == "ok" and tables is not None:
            p = row.get("parameters") or {}
            try:
                facts = overview.overview_facts(tables, p.get("family", "japan_nuclear"),
                                                p.get("start_year"), p.get("end_year"))
                headlines = overview.describe(facts, ctx.lang)
            except (ValueError, KeyError, ParameterError):
                headlines = []
            if "00_overview.png" in _files(row):
                overview_figure = "00_overview/00_overview.png"
    cards = []
    for row in sorted(rows, key=lambda r: r["notebook"]):
        stem = row["notebook"]
        pngs = [f for f in _files(row) if f.endswith(".png")]
        main = MAIN_FIGURE.get(stem)
        figure = main if main in pngs else (pngs[0] if pngs else None)
        error = row.get("error") or {}
        key = f"site.answers.{stem}"
        from .labels import has

        cards.append({"stem": stem, "href": f"{stem}.html", "title": nav_label(stem, ctx.lang),
                      "answers": label(key, ctx.lang) if has(key) else "",
                      "figure": f"{stem}/{figure}" if figure else None,
                      "status": row["status"],
                      "error": f"{error.get('ename', '')}: {error.get('evalue', '')}"[:300]})
    dates = data_dates(tables) if tables is not None else {}
    from .labels import shows_era

    cycle = (dates.get("cycle_era") if shows_era(ctx.lang) else
             f"{dates.get('cycle')} ({dates.get('cycle_year')})" if dates.get("cycle") else "")
    return {"headlines": headlines, "overview_figure": overview_figure, "cards": cards,
            "data_date": fmt("site.front.data_date_text", ctx.lang,
                             session=dates.get("session") or "—",
                             meeting=dates.get("meeting") or "—", cycle=cycle or "—")}


def page(template: str, ctx: SiteContext, title: str, **context: Any) -> str:
    """A page of the site from a package template extending ``page.html.j2``: the
    header of ``ctx``, the stylesheet, ``title`` in ``<title>``; ``context`` is
    autoescaped."""
    from markupsafe import Markup

    # the header and the stylesheet are the package's own markup (the header rendered
    # with autoescaping already), so they are inserted as they are
    return render(template, site=ctx, title=title, css=Markup(site_css()),
                  header=Markup(header_html(ctx)), **context)


def front_page(rows: list[Mapping[str, Any]], ctx: SiteContext, tables: Any = None) -> str:
    """The HTML of a run's front page (``index.html`` in the run's language)."""
    ctx = ctx.with_current(FRONT)
    return page("front.html.j2", ctx, label("site.front.title", ctx.lang),
                 **front_context(rows, ctx, tables))


def log_page(record: Mapping[str, Any], rows: list[Mapping[str, Any]], ctx: SiteContext) -> str:
    """The HTML of a run's log (``log.html``): statuses, durations, files, parameters,
    data checksums and versions."""
    import json

    from .labels import value_label

    ctx = ctx.with_current(LOG)
    shown = []
    for row in sorted(rows, key=lambda r: r["notebook"]):
        stem = row["notebook"]
        files = [(f"{stem}.ipynb", f"{stem}.ipynb")]
        files += [(f, f"{stem}/{f}") for f in _files(row)]
        error = row.get("error") or {}
        shown.append({
            "stem": stem, "status": row["status"],
            "status_text": value_label(row["status"], "value.run_status", ctx.lang),
            "error": f"{error.get('ename', '')}: {error.get('evalue', '')}"[:500] if error
            else "",
            "duration": float(row.get("duration_s") or 0), "files": files,
            "parameters": [(k, json.dumps(v, ensure_ascii=False))
                           for k, v in sorted((row.get("parameters") or {}).items())
                           if k != "output_dir"]})
    return page("log.html.j2", ctx, label("site.log.title", ctx.lang), record=record,
                 rows=shown, status=value_label(record.get("status", ""), "value.run_status",
                                                ctx.lang),
                 checksums=sorted((record.get("data_checksums") or {}).items()),
                 versions=sorted((record.get("versions") or {}).items()))


def write_site(run_dir: Path, record: Mapping[str, Any], tables: Any = None) -> list[Path]:
    """Write the front page and log of every run of ``record`` and the run folder's
    ``index.html`` (which opens the Japanese report when there is one). Returns the
    files written."""
    from markupsafe import Markup

    from .exporters import write_atomic

    rows = list(record.get("notebooks") or [])
    contexts = run_contexts([(r["run"], _row_lang(r), r["notebook"]) for r in rows])
    written = []
    runs: dict[str, SiteContext] = {}
    for (run, _stem), ctx in sorted(contexts.items()):
        runs.setdefault(run, ctx)
    for run, ctx in runs.items():
        own = [r for r in rows if r["run"] == run]
        folder = run_dir / run
        folder.mkdir(parents=True, exist_ok=True)
        written.append(write_atomic(folder / "index.html", front_page(own, ctx, tables)))
        written.append(write_atomic(folder / "log.html", log_page(record, own, ctx)))
    order = sorted(runs, key=lambda r: (runs[r].lang != "ja", r))
    listed = [{"run": r, "lang": runs[r].lang,
               "name_shown": sum(x.lang == runs[r].lang for x in runs.values()) > 1}
              for r in order]
    first = listed[0] if listed else {"run": ".", "lang": "ja"}
    written.append(write_atomic(run_dir / "index.html",
                                render("choose.html.j2", runs=listed, first=first,
                                       css=Markup(site_css()))))
    return written


# --- checking a page against its language ------------------------------------------------
_EN_RUN = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*(?:[\s,.:;()/&\"'’-]+[A-Za-z]+"
                     r"(?:['’-][A-Za-z]+)*){3,}")
_JA_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff々〆ー・]{4,}")
_DOTTED = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_SKIP = {"script", "style", "svg", "math", "code", "kbd", "samp"}  # code is not prose
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


def _page_text(page: str) -> tuple[str | None, str, list[tuple[str | None, str]]]:
    """``(html lang, title, [(language in force, text), ...])`` of an HTML page."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.stack: list[tuple[str, str | None]] = []
            self.root: str | None = None
            self.title = ""
            self.texts: list[tuple[str | None, str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            lang = dict(attrs).get("lang")
            if tag == "html":
                self.root = lang
            if tag in _VOID:
                return
            inherited = self.stack[-1][1] if self.stack else self.root
            self.stack.append((tag, lang or inherited))

        def handle_endtag(self, tag: str) -> None:
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i][0] == tag:
                    del self.stack[i:]
                    break

        def handle_data(self, data: str) -> None:
            tags = [t for t, _ in self.stack]
            if "title" in tags:
                self.title += data
                return
            if _SKIP & set(tags) or "body" not in tags and "html" in tags:
                return
            self.texts.append((self.stack[-1][1] if self.stack else self.root, data))

    reader = Reader()
    reader.feed(page)
    return reader.root, reader.title.strip(), reader.texts


def foreign_runs(page: str, lang: str) -> list[str]:
    """Runs of the other language outside an element marked with it: four or more English
    words on a Japanese page, four or more Japanese characters on an English one.

    >>> foreign_runs('<html lang="ja"><body><p>投票の記録 for every member state www.un.org</p>'
    ...              '<p lang="en">Treaty on the Non-Proliferation</p></body></html>', "ja")
    ['for every member state']
    """
    wanted = _check_lang(lang)
    pattern = _EN_RUN if wanted == "ja" else _JA_RUN
    other = next(x for x in LANGS if x != wanted)
    found = []
    for in_force, text in _page_text(page)[2]:
        if in_force == other:
            continue
        text = _DOTTED.sub(" ", text)  # host and file names (www.mofa.go.jp) are not words
        found += [m.group(0) for m in pattern.finditer(text)]
    return found


def page_language(page: str) -> tuple[str | None, str]:
    """The ``<html lang>`` and the ``<title>`` of a page.

    >>> page_language('<html lang="ja"><head><title>概観</title></head></html>')
    ('ja', '概観')
    """
    root, title, _ = _page_text(page)
    return root, title
