"""Planning of ``python -m analysis report``: which notebooks run, with which parameters.

Everything here happens before a folder is created or a kernel starts: the notebooks
are selected (``--only``, a run's ``notebooks``), every parameter is checked against the
notebooks' ``parameters`` cells (:func:`check_parameters`, the one place that applies the
parameter contract), and the bundled data is validated (:func:`data_valid`).

>>> from analysis.report_config import RunSpec
>>> jobs = plan_jobs([RunSpec("en", {"lang": "en"})], discover(), ["00"], {},
...                  Path("reports/x"))
>>> [(j.label, j.parameters["lang"]) for j in jobs]
[('en/00_overview', 'en')]
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .report_config import REPO, RunSpec, UsageError, shown

NOTEBOOKS = REPO / "notebooks"
RUNNER_OWNED = ("output_dir",)


@dataclass
class Job:
    """One notebook of one run, ready to execute."""

    run: str
    notebook: Path
    parameters: dict[str, Any]
    out_dir: Path
    site: dict[str, Any] | None = None  # analysis.site.SiteContext.to_dict()
    name: str | None = None  # the outputs' stem when not the notebook's (e.g. an ISO3 code)

    @property
    def stem(self) -> str:
        return self.name or self.notebook.stem

    @property
    def label(self) -> str:
        return f"{self.run}/{self.stem}"


def discover(notebook_dir: Path = NOTEBOOKS) -> list[Path]:
    """The suite's notebooks: ``NN_name.ipynb`` in the folder, sorted."""
    return sorted(p for p in notebook_dir.glob("[0-9][0-9]_*.ipynb"))


def _matches(nb: Path, key: str) -> bool:
    return nb.stem.split("_", 1)[0] == key or nb.stem == key


def select_notebooks(nbs: list[Path], prefixes: list[str] | None, what: str) -> list[Path]:
    """The notebooks named by number (``01``) or stem; all when ``prefixes`` is None."""
    if prefixes is None:
        return nbs
    chosen = []
    for pre in prefixes:
        match = [p for p in nbs if _matches(p, pre)]
        if not match:
            known = ", ".join(p.stem for p in nbs)
            raise UsageError(f"{what}: no notebook {shown(pre, 80)} (known: {known})")
        chosen += [m for m in match if m not in chosen]
    return sorted(chosen)


def check_parameters(run: RunSpec, params: dict[str, Any], selected: list[Path],
                     bundle: Any = None) -> tuple[dict[Path, dict[str, Any]], list[tuple]]:
    """Apply the parameter contract to one run: what each notebook gets, and the problems.

    ``params`` go to every notebook whose parameters cell declares them; the run's
    ``notebook_parameters`` go to the notebook they name only. A name no selected notebook
    declares is a problem, so is ``notebook_parameters`` for a notebook not in the run, and
    so is every value its notebook's cell rejects (type, choices, range, and the data
    domains: families, cycles, UN member codes, read from ``bundle``). Codes are
    normalised (``jpn`` -> ``JPN``) in what the notebooks get. Problems are
    ``(run, notebook, message)`` tuples (:func:`analysis.nbparams.group_problems`). This is
    the only function that reads the notebooks' parameter declarations
    (:mod:`analysis.nbparams`).
    """
    from .nbparams import (
        _name,
        _suggest,
        check_values,
        normalise_values,
        notebook_parameters,
        resolve_domains,
    )

    problems: list[tuple] = []
    specs = {nb: notebook_parameters(nb) for nb in selected}
    known = sorted({n for s in specs.values() for n in s})
    for name in params:
        if not any(name in s for s in specs.values()):
            names = ", ".join(nb.name for nb in selected)
            problems.append((run.name, "", f"unknown parameter {_name(name)}"
                             f"{_suggest(name, known)}: no notebook of the run declares it "
                             f"({names})"))
    for key in run.notebook_parameters:
        if not any(_matches(nb, key) for nb in selected):
            problems.append((run.name, "", f"notebook_parameters for {key!r}, which is not "
                             "in the run"))
    passed_by_nb = {}
    for nb in selected:
        own = {}
        for key, vals in run.notebook_parameters.items():
            if _matches(nb, key):
                own.update(vals)
        passed = {k: v for k, v in params.items() if k in specs[nb]}
        passed.update(own)
        passed = normalise_values(passed, specs[nb])
        domains = resolve_domains(specs[nb], bundle)
        problems += [(run.name, nb.name, m)
                     for m in check_values(passed, specs[nb], nb.name, domains)]
        passed_by_nb[nb] = passed
    return passed_by_nb, problems


def plan_jobs(runs: list[RunSpec], notebooks: list[Path], only: list[str] | None,
              overrides: dict[str, Any], run_dir: Path) -> list[Job]:
    """Check every parameter against each notebook's parameters cell; return the jobs.

    Raises UsageError naming the parameter and the notebook, before any kernel starts.
    """
    problems: list[str] = []
    jobs: list[Job] = []
    for owned in RUNNER_OWNED:
        for r in runs:
            if owned in r.parameters or owned in overrides or any(
                    owned in v for v in r.notebook_parameters.values()):
                raise UsageError(f"parameter {owned} is set by the runner (use --out)")
    from .bundle import load_bundle
    from .nbparams import group_problems

    bundle = load_bundle()  # the data domains of every run, loaded once
    found_all: list[tuple] = []
    for run in runs:
        selected = select_notebooks(select_notebooks(notebooks, run.notebooks,
                                                     f"run {run.name}"), only, "--only")
        if not selected:  # e.g. "notebooks: []": a run of nothing must never be published
            raise UsageError(f"run {run.name}: no notebook selected (its 'notebooks' list is "
                             "empty)")
        passed_by_nb, found = check_parameters(run, {**run.parameters, **overrides}, selected,
                                               bundle)
        found_all += found
        for nb in selected:
            passed = passed_by_nb[nb]
            out = run_dir / run.name / nb.stem
            passed["output_dir"] = os.path.relpath(out, nb.parent)
            jobs.append(Job(run.name, nb, passed, out))
    problems += group_problems(found_all)
    if problems:
        raise UsageError("\n".join(problems))
    attach_sites(jobs)
    return jobs


def job_lang(job: Job) -> str:
    """The language of a job's pages: its ``lang`` parameter, else the notebook's own
    default (read from its parameters cell), else English."""
    if "lang" in job.parameters:
        return str(job.parameters["lang"])
    from .nbparams import notebook_parameters

    spec = notebook_parameters(job.notebook).get("lang")
    return str(spec.default) if spec is not None and spec.default in ("en", "ja") else "en"


def attach_sites(jobs: list[Job]) -> None:
    """Give every job its place in the report site (:func:`analysis.site.run_contexts`)."""
    from .site import run_contexts

    contexts = run_contexts([(j.run, job_lang(j), j.stem) for j in jobs])
    for job in jobs:
        job.site = contexts[(job.run, job.stem)].to_dict()


def data_valid(quiet: bool) -> bool:
    """Validate the bundled data before any kernel starts; print problems if any."""
    from .data import validate_all

    problems = validate_all()
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"error: {len(problems)} problem(s) in the data; the report was not started "
              "(python -m analysis validate lists them)", file=sys.stderr)
        return False
    if not quiet:
        print("data valid: every bundled table checked", file=sys.stderr)
    return True
