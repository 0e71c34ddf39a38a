"""Output formats of a report run: a registry of exporters, one function per format.

The report runner executes each notebook into ``<run>/<notebook>.ipynb`` (papermill
writes it cell by cell, so a failed notebook keeps its error banner) and the notebook
itself writes its JSON and PNG files into ``<run>/<notebook>/``. Every other format is
made from the executed notebook by an exporter in :data:`EXPORTERS`: the runner's worker
calls each one in turn, records the file in ``run.json`` under the format's name and
links it from ``index.html``.

A new format is one function here, added to :data:`EXPORTERS`::

    def export_markdown(nb, out_dir, options):
        from nbconvert import MarkdownExporter

        body, _ = MarkdownExporter().from_notebook_node(nb)
        return write_atomic(out_dir / f"{options.stem}.md", body)

    EXPORTERS["markdown"] = export_markdown

>>> sorted(EXPORTERS)
['html']
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ExportOptions:
    """What every exporter is told: the file stem to write, whether code is shown, and
    where the page sits in the report site (its language, the pages beside it; a
    :meth:`analysis.site.SiteContext.to_dict`). Without ``site`` the page is a site of
    one page in English."""

    stem: str
    show_code: bool = False
    site: dict[str, Any] | None = None


Exporter = Callable[[Any, Path, ExportOptions], Path]


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path`` and move it into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def export_html(nb: Any, out_dir: Path, options: ExportOptions) -> Path:
    """``<stem>.html``: the executed notebook as a page of the report site.

    The page keeps only the Markdown cells of its language (:func:`analysis.site.
    keep_language`), declares that language (``<html lang>``), is titled by the
    notebook's first heading (after the page's subject, such as a briefing's country:
    :func:`analysis.site.page_title`), carries the site's header and style (the package's
    nbconvert template ``site``), and hides code unless ``show_code``.

    Strings from data and parameters are escaped where they are produced (pandas escapes
    DataFrame HTML; the package escapes what it shows as Markdown; the header is rendered
    with autoescaping), so the notebook's own HTML and Markdown render as intended;
    nbconvert's ``sanitize_html`` would print the tables and headings as raw tags instead.
    """
    from nbconvert import HTMLExporter

    from . import site as site_mod

    ctx = (site_mod.SiteContext.from_dict(options.site) if options.site else
           site_mod.SiteContext("en", options.stem, (options.stem,)))
    page = site_mod.keep_language(nb, ctx.lang)
    title = site_mod.page_title(page, options.stem, ctx.subject)
    page.metadata["title"] = f"{title} | {site_mod.label('site.name', ctx.lang)}"
    exporter = HTMLExporter(template_name="site",
                            extra_template_basedirs=[str(site_mod.TEMPLATES)],
                            language_code=ctx.lang, exclude_input=not options.show_code,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    resources = {"site_header": site_mod.header_html(ctx.with_current(options.stem)),
                 "site_css": site_mod.site_css()}
    body, _ = exporter.from_notebook_node(page, resources=resources)
    # links between the suite's notebooks point at their HTML pages in the report
    body = re.sub(r'href="(\d\d_[\w-]+)\.ipynb"', r'href="\1.html"', body)
    # nbconvert's default alt text is English; a figure is described in the page's language
    alt = html.escape(site_mod.fmt("site.figure_alt", ctx.lang, page=title), quote=True)
    body = body.replace('alt="No description has been provided for this image"',
                        f'alt="{alt}"')
    return write_atomic(out_dir / f"{options.stem}.html", body)


# format name (also its key in run.json and its link text in index.html) -> exporter
EXPORTERS: dict[str, Exporter] = {
    "html": export_html,
}


def export_all(ipynb: Path, out_dir: Path, options: ExportOptions,
               exporters: dict[str, Exporter] | None = None) -> dict[str, Any]:
    """Run every exporter on the executed notebook ``ipynb``.

    Returns ``{"exports": {name: file name in out_dir}}`` plus ``<name>_error`` for each
    format that failed; one failing format does not stop the others.
    """
    import nbformat

    nb = nbformat.read(str(ipynb), as_version=4)
    written: dict[str, str] = {}
    out: dict[str, Any] = {"exports": written}
    for name, exporter in (EXPORTERS if exporters is None else exporters).items():
        try:
            written[name] = exporter(nb, out_dir, options).name
        except Exception as exc:  # noqa: BLE001 - a format that fails is reported, not fatal
            out[f"{name}_error"] = str(exc)[:500]
    return out
