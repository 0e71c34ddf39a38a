"""``python -m analysis briefings``: one country briefing per UN member and language.

Runs :data:`BRIEFING_NOTEBOOK` once per country and language as Dask tasks (the same
runner as ``report``: :mod:`analysis.report_exec`) and publishes::

    <out>/briefings/<run-id>/<lang>/<ISO3>.html     the briefing
    <out>/briefings/<run-id>/<lang>/<ISO3>.ipynb    the executed notebook
    <out>/briefings/<run-id>/<lang>/<ISO3>/         its figures and JSON
    <out>/briefings/<run-id>/<lang>/index.html      countries by UN regional group, search
    <out>/briefings/<run-id>/run.json, index.html
    <out>/briefings/latest -> <run-id>              moved only when every briefing succeeded

Lock, exit codes and atomic publishing are those of ``report``
(:mod:`analysis.report_publish`): 0 ok; 1 a briefing failed (or the cluster could not be
used); 2 a bad code, language or option (nothing ran); 3 another run holds the lock;
130/143 interrupted.

>>> parse_codes(["jpn", "USA"], {"JPN", "USA", "FRA"})
['JPN', 'USA']
>>> parse_codes(["XXX"], {"JPN"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
analysis.report_config.UsageError: unknown country code 'XXX': not one of the 1 UN members ...
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .params import LANGS
from .report import (
    EXIT_OK,
    EXIT_USAGE,
    MAX_JOBS,
    MAX_TIMEOUT,
    RunOptions,
    _count,
    run_jobs,
    scheduler_address,
    seconds,
)
from .report_config import UsageError, coerce_cli_value, shown
from .report_plan import NOTEBOOKS, Job

BRIEFING_NOTEBOOK = NOTEBOOKS / "04_country_briefing.ipynb"
SUBFOLDER = "briefings"
REGION_COLUMNS = ("un_regional_group", "regional_group", "region")


@dataclass(frozen=True)
class Country:
    """A member state as the index pages show it."""

    iso3: str
    name_en: str
    name_ja: str | None = None
    region: str | None = None


def parse_codes(values: list[str], members: set[str]) -> list[str]:
    """ISO3 codes (any case; ``all`` for every member), checked against ``members``.

    Raises UsageError naming the first code that is not a member.
    """
    if not values:
        raise UsageError("name the countries: ISO3 codes of UN members (e.g. JPN USA) or all")
    codes: list[str] = []
    for value in values:
        if value.lower() == "all":
            wanted = sorted(members)
        else:
            code = value.strip().upper()
            if code not in members:
                raise UsageError(f"unknown country code {shown(value, 20)}: not one of the "
                                 f"{len(members)} UN members of data/unga/members.csv")
            wanted = [code]
        codes += [c for c in wanted if c not in codes]
    return codes


def parse_langs(value: str) -> list[str]:
    """``--lang``: a comma-separated list of en, ja.

    >>> parse_langs("ja,en")
    ['ja', 'en']

    Raises UsageError for another language or an empty list.
    """
    langs = [v.strip() for v in str(value).split(",") if v.strip()]
    bad = [v for v in langs if v not in LANGS]
    if bad or not langs:
        raise UsageError(f"--lang: expected a comma-separated list of {', '.join(LANGS)}, "
                         f"found {shown(value, 40)}")
    return list(dict.fromkeys(langs))


def load_countries(data: str | Path | None = None) -> dict[str, Country]:
    """The 193 members with English name, and a Japanese name where the bundle gives
    one (members.csv, else consultations/counterparts.csv) or ISO 3166 in Japanese has
    one (:func:`analysis.briefing.iso_name_ja`), and UN regional group
    (members.csv, else unga/regional_groups.csv); None where it gives none -- names are
    never made up."""
    from .data import load_counterparts, load_members

    members = load_members(data)
    ja: dict[str, str] = {}
    region: dict[str, str] = {}
    try:
        cp = load_counterparts(data)
        cp = cp[cp["kind"].astype(str) == "state"]
        ja = {str(c): str(n) for c, n in zip(cp["code"], cp["name_ja"], strict=True)
              if isinstance(n, str) and n}
    except Exception:  # noqa: BLE001 - the names are a nicety; the index works without
        pass
    region_col = next((c for c in REGION_COLUMNS if c in members.columns), None)
    if region_col is not None:
        region = {str(c): str(r) for c, r in zip(members["iso3"], members[region_col],
                                                 strict=True) if isinstance(r, str) and r}
    else:  # data/unga/regional_groups.csv, where the bundle has it
        try:
            from .data import load_regional_groups

            groups = load_regional_groups(data)
            region = {str(c): str(r) for c, r in zip(groups["iso3"],
                                                     groups["un_regional_group"], strict=True)
                      if isinstance(r, str) and r}
        except Exception:  # noqa: BLE001 - one group when the bundle has none
            region = {}
    if "name_ja" in members.columns:
        ja.update({str(c): str(n) for c, n in zip(members["iso3"], members["name_ja"],
                                                  strict=True) if isinstance(n, str) and n})
    from .briefing import iso_name_ja

    return {str(c): Country(str(c), str(n), ja.get(str(c)) or iso_name_ja(str(c)),
                            region.get(str(c)))
            for c, n in zip(members["iso3"], members["name"], strict=True)}


def plan_briefings(codes: list[str], langs: list[str], notebook: Path,
                   overrides: dict[str, Any], run_dir: Path) -> list[Job]:
    """One job per language and country, every parameter checked by the notebook's
    parameters cell (the contract of :func:`analysis.report_plan.check_parameters`); each
    page is titled by the country's name in its language (:func:`analysis.briefing.
    display_name`, the name the briefing itself uses).

    Raises UsageError naming the parameter, before any kernel starts.
    """
    from .briefing import display_name, profile
    from .bundle import load_bundle
    from .nbparams import group_problems
    from .report_config import RunSpec
    from .report_plan import RUNNER_OWNED, check_parameters
    from .site import SiteContext

    for owned in (*RUNNER_OWNED, "country", "lang"):
        if owned in overrides:
            raise UsageError(f"parameter {owned} is set by the runner (use --out, the codes "
                             "and --lang)")
    bundle = load_bundle()
    profiles = {code: profile(bundle.members, bundle.regional_groups, bundle.counterparts,
                              code) for code in codes}
    jobs: list[Job] = []
    problems: list[tuple] = []
    for lang in langs:
        # checked once per language; the codes differ only in country, which
        # parse_codes has checked against the same members domain (and upper-cased)
        run = RunSpec(lang, {**overrides, "lang": lang, "country": codes[0]})
        passed, found = check_parameters(run, run.parameters, [notebook], bundle)
        problems += found
        other = next((x for x in langs if x not in (lang,)), None)
        for code in codes:
            params = {**passed[notebook], "country": code, "output_dir": code}
            # the page in its language, its header linking the index and the other language
            site = SiteContext(lang, code, ("index", code), f"../{other}" if other else None,
                               other, display_name(profiles[code], lang)).to_dict()
            jobs.append(Job(lang, notebook, params, run_dir / lang / code, site=site,
                            name=code))
    if problems:
        # the same problem for every country is said once
        raise UsageError("\n".join(dict.fromkeys(group_problems(problems))))
    return jobs


def render_index(lang: str, run_id: str, entries: list[dict[str, Any]],
                 countries: dict[str, Country], alternate: str | None = None) -> str:
    """The index page of one language (package template ``briefings.html.j2`` with the
    site's header): countries grouped by UN regional group (one group when the bundle has
    none), the name in ``lang`` (the English name where no Japanese one is in the data)
    and the other, a search box over both. Every data string is autoescaped.

    >>> page = render_index("en", "r1", [{"iso3": "JPN", "status": "ok",
    ...                                   "html": "JPN.html"}],
    ...                     {"JPN": Country("JPN", "<b>Japan</b>", "日本")})
    >>> "&lt;b&gt;Japan&lt;/b&gt;" in page and "<b>Japan" not in page
    True
    """
    from .labels import label, other_language, value_label
    from .site import SiteContext, page

    grouped: dict[str, list[dict[str, Any]]] = {}
    other_lang = other_language(lang)
    for entry in entries:
        c = countries.get(entry["iso3"]) or Country(entry["iso3"], entry["iso3"])
        group = (value_label(c.region, "value.region", lang) if c.region
                 else label("brief.index.one_group", lang))
        names = {"en": c.name_en, "ja": c.name_ja}
        own = names[lang] or c.name_en
        grouped.setdefault(group, []).append({
            "iso3": c.iso3, "name": own, "name_lang": lang if names[lang] else "en",
            "other": names[other_lang] if names[other_lang] != own else None,
            "other_lang": other_lang, "status": entry["status"], "href": entry.get("html"),
            "search": " ".join(filter(None, (c.name_en, c.name_ja, c.iso3))).lower()})
    groups = [(g, sorted(items, key=lambda i: i["name"]))
              for g, items in sorted(grouped.items())]
    ctx = SiteContext(lang, "index", ("index",), alternate,
                      other_lang if alternate else None)
    return page("briefings.html.j2", ctx, label("brief.index.title", lang),
                 count=len(entries), groups=groups, run_id=run_id)


def write_language_indexes(run_dir: Path, results: list[dict[str, Any]],
                           countries: dict[str, Country]) -> list[Path]:
    """``<run_dir>/<lang>/index.html`` for every language of ``results`` (atomically)."""
    from .exporters import write_atomic

    by_lang: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        html = r.get("html")
        by_lang.setdefault(r["run"], []).append({
            "iso3": r["notebook"], "status": r["status"],
            "html": html.split("/", 1)[1] if html and r["status"] == "ok" else None})
    written = []
    for lang, entries in by_lang.items():
        (run_dir / lang).mkdir(parents=True, exist_ok=True)
        other = next((x for x in sorted(by_lang) if x not in (lang,)), None)
        written.append(write_atomic(run_dir / lang / "index.html",
                                    render_index(lang, run_dir.name, entries, countries,
                                                 f"../{other}" if other else None)))
    return written


def write_run_page(run_dir: Path, record: dict[str, Any]) -> Path:
    """``<run_dir>/index.html``: opens the Japanese index when there is one, links each
    language's index (the report's language chooser, autoescaped)."""
    from markupsafe import Markup

    from .exporters import write_atomic
    from .site import render, site_css

    langs = sorted({r["run"] for r in record.get("notebooks", [])},
                   key=lambda x: (x != "ja", x))
    runs = [{"run": x, "lang": x, "name_shown": False} for x in langs]
    page = render("choose.html.j2", runs=runs, first=runs[0] if runs else
                  {"run": ".", "lang": "ja"}, css=Markup(site_css()),
                  title_key="brief.index.title")
    return write_atomic(run_dir / "index.html", page)


def run_briefings(codes: list[str], *, langs: list[str] | None = None,
                  out: str | Path = "reports", opts: RunOptions | None = None,
                  notebook: str | Path | None = None,
                  overrides: dict[str, Any] | None = None) -> int:
    """Run and publish the briefings; return the exit code (see the module docstring).

    Example: ``run_briefings(["JPN", "USA"], langs=["en"], out="reports")``.

    Raises UsageError for a bad code, language, parameter or option (nothing ran).
    """
    from .report_exec import check_address

    opts = opts or RunOptions()
    if opts.scheduler is not None:
        check_address(opts.scheduler)
    if opts.jobs is not None and not 1 <= opts.jobs <= MAX_JOBS:
        raise UsageError(f"--jobs: expected an integer in 1..{MAX_JOBS}")
    if opts.timeout is not None and not 0 < opts.timeout <= MAX_TIMEOUT:
        raise UsageError(f"--timeout: expected a number of seconds in (0, {MAX_TIMEOUT}]")
    nb = Path(notebook) if notebook else BRIEFING_NOTEBOOK
    if not nb.is_file():
        raise UsageError(f"the briefing notebook {nb} is not there")
    countries = load_countries()
    chosen = parse_codes(codes, set(countries))
    langs = langs or ["en"]

    def pages(run_dir: Path, record: dict[str, Any]) -> None:
        # written before latest moves (in finish_run)
        write_language_indexes(run_dir, record["notebooks"], countries)
        write_run_page(run_dir, record)

    # every briefing run is kept (no --keep)
    return run_jobs(Path(out) / SUBFOLDER,
                    lambda run_dir: plan_briefings(chosen, langs, nb, overrides or {}, run_dir),
                    replace(opts, keep=None), what="briefings", write_pages=pages)


def register(sub: Any) -> None:
    """Add the ``briefings`` sub-command to the CLI."""
    p = sub.add_parser(
        "briefings", help="run the country briefing for UN members, publish HTML pages",
        description="Run notebooks/04_country_briefing.ipynb for each country and language "
                    "as Dask tasks (an embedded cluster, or --scheduler), publish "
                    "<out>/briefings/<run-id>/<lang>/<ISO3>.html with an index page per "
                    "language, and point <out>/briefings/latest at the run when every "
                    "briefing succeeded. Exit codes: 0 ok, 1 a briefing failed, 2 bad code "
                    "or option, 3 folder locked.")
    p.add_argument("codes", nargs="*", metavar="ISO3", help="UN member codes, or all")
    p.add_argument("--lang", default=",".join(LANGS), help="comma-separated languages: "
                   f"{', '.join(LANGS)} (default: all of them)")
    p.add_argument("--jobs", type=_count(1, MAX_JOBS), default=None,
                   help="worker processes of the embedded Dask cluster (default: CPUs)")
    p.add_argument("--scheduler", type=scheduler_address, default=None, metavar="ADDRESS",
                   help="run on the Dask cluster of this scheduler (tcp://HOST:PORT)")
    p.add_argument("--out", default="reports",
                   help="reports folder; briefings go to <out>/briefings/ (default: reports/)")
    p.add_argument("--timeout", type=seconds, default=600,
                   help=f"per-cell timeout in seconds (> 0, at most {MAX_TIMEOUT})")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="another parameter of the briefing "
                   "notebook, e.g. -p start_year 2000")
    p.add_argument("--quiet", action="store_true", help="no progress output (for cron)")
    p.add_argument("--notebook", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd)


def _cmd(args: Any) -> int:
    try:
        overrides = {name: coerce_cli_value(value) for name, value in args.parameter}
        opts = RunOptions(jobs=args.jobs, scheduler=args.scheduler, timeout=args.timeout,
                          quiet=args.quiet)
        return run_briefings(args.codes, langs=parse_langs(args.lang), out=args.out,
                             opts=opts, notebook=args.notebook, overrides=overrides)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


__all__ = ["BRIEFING_NOTEBOOK", "EXIT_OK", "run_briefings", "parse_codes", "parse_langs"]
