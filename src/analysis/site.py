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
from dataclasses import dataclass, field
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


def page_title(nb: Any, stem: str) -> str:
    """The title of a page: the first level-1 or level-2 heading of the notebook's
    Markdown (in the language kept), else ``stem``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = _HEADING_RE.search(cell.source)
            if found:
                return re.sub(r"[*_`]", "", found.group(1)).strip()
    return stem


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
    or None when the report has no such run.
    """

    lang: str
    current: str
    pages: tuple[str, ...] = field(default_factory=tuple)
    alternate: str | None = None
    alternate_lang: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"lang": self.lang, "current": self.current, "pages": list(self.pages),
                "alternate": self.alternate, "alternate_lang": self.alternate_lang}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteContext:
        return cls(lang=_check_lang(data["lang"]), current=str(data["current"]),
                   pages=tuple(data.get("pages") or ()), alternate=data.get("alternate"),
                   alternate_lang=data.get("alternate_lang"))

    def with_current(self, current: str) -> SiteContext:
        return SiteContext(self.lang, current, self.pages, self.alternate, self.alternate_lang)


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
