"""``python -m analysis report``: run the notebooks unattended and publish an HTML report.

One invocation makes one run folder ``<out>/<run-id>/`` holding, for each named run of
the configuration (e.g. ``en`` and ``ja``), every executed notebook, its HTML (code
hidden unless ``--show-code``), its JSON of headline figures and PNG figures; plus
``run.json`` and ``index.html``. ``<out>/latest`` is switched atomically to the new
folder only when every notebook succeeded, so a failed or interrupted run never
replaces a good report.

Exit codes: 0 ok; 1 a notebook failed (or the Dask cluster could not be started or
reached: nothing ran); 2 a bad parameter or option (nothing ran);
3 another run holds the lock of the reports folder; 130/143 interrupted.

This module is the command only; the work is done by

- :mod:`analysis.report_config` -- ``reports.yml`` and ``-p`` values;
- :mod:`analysis.report_plan` -- selecting notebooks, checking parameters, the jobs;
- :mod:`analysis.report_exec` -- the Dask cluster (embedded, or ``--scheduler``), progress,
  timeouts, signals;
- :mod:`analysis.worker` -- the Dask task that executes one notebook;
- :mod:`analysis.report_publish` -- run folder, ``run.json``, ``index.html``, ``latest``,
  pruning, the lock;
- :mod:`analysis.exporters` -- the output formats made from each executed notebook.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from . import report_publish as publish
from .errors import short
from .report_config import (
    DEFAULT_CONFIG,
    UsageError,
    coerce_cli_value,
    load_config,
    parse_only,
    select_runs,
    shown,
)
from .report_exec import ClusterError, DaskRunner, Progress, check_address, execute_all
from .report_plan import NOTEBOOKS, Job, data_valid, discover, plan_jobs

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
MAX_TIMEOUT = 7 * 24 * 3600  # seconds: a per-cell timeout beyond a week is a typo
MAX_JOBS = 256


def seconds(value: str) -> float:
    """``--timeout``: a finite number of seconds, > 0 and at most a week.

    >>> seconds("2.5")
    2.5
    >>> seconds("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a number of seconds in (0, 604800], found 'nan'
    """
    try:
        t = float(value)
    except ValueError:
        t = math.nan
    if not 0 < t <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"expected a number of seconds in (0, {MAX_TIMEOUT}], "
                                         f"found {shown(value, 60)}")
    return t


def scheduler_address(value: str) -> str:
    """``--scheduler``: ``tcp://HOST:PORT`` (argparse type; see check_address)."""
    try:
        return check_address(value)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc).split(": ", 1)[1]) from None


def _count(low: int, high: int | None) -> Any:
    """An argparse type: an integer in ``low..high``."""
    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            n = low - 1
        if n < low or (high is not None and n > high):
            raise argparse.ArgumentTypeError(f"expected an integer in {low}..{high or ''}, "
                                             f"found {shown(value, 60)}")
        return n
    return parse


def run_report(*, config: str | Path | None = None, run_names: list[str] | None = None,
               only: list[str] | None = None, overrides: dict[str, Any] | None = None,
               out: str | Path = "reports", jobs: int | None = None,
               timeout: float | None = 600, show_code: bool = False, quiet: bool = False,
               keep: int | None = None, notebook_dir: str | Path | None = None,
               scheduler: str | None = None) -> int:
    """Run the report; return the exit code (see the module docstring).

    ``scheduler``: a Dask scheduler address (``tcp://HOST:PORT``); None starts an embedded
    cluster of ``jobs`` worker processes.

    Raises UsageError for a bad option or parameter (before anything runs).
    """
    if scheduler is not None:
        check_address(scheduler)
    nb_dir = Path(notebook_dir) if notebook_dir else NOTEBOOKS
    runs = select_runs(load_config(config or DEFAULT_CONFIG), run_names)
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs: expected an integer >= 1")
    if keep is not None and keep < 1:
        raise UsageError("--keep: expected an integer >= 1")
    if timeout is not None and not 0 < timeout <= MAX_TIMEOUT:
        raise UsageError(f"--timeout: expected a number of seconds in (0, {MAX_TIMEOUT}], "
                         f"found {shown(timeout, 60)}")
    out_dir = Path(out)
    notebooks = discover(nb_dir)
    if not notebooks:
        raise UsageError(f"no notebooks NN_*.ipynb in {nb_dir}")
    return run_jobs(out_dir, lambda run_dir: plan_jobs(runs, notebooks, only, overrides or {},
                                                       run_dir),
                    RunOptions(jobs, scheduler, timeout, show_code, quiet, keep))


def run_jobs(out_dir: Path, plan: Callable[[Path], list[Job]], opts: RunOptions, *,
             what: str = "report", write_pages: Any = None) -> int:
    """Plan, run and publish one run in ``out_dir``, holding the folder's lock: what
    ``report`` and ``briefings`` share. Returns the exit code.

    ``plan(run_dir)`` gives the jobs of the new run (it checks every parameter and raises
    UsageError before anything is created or any kernel starts). Then: the folder must be
    writable (else EXIT_FAILED) and not locked by another run (else EXIT_LOCKED); runs
    left unfinished by a runner that stopped are marked failed; the data are validated;
    the cluster starts and every job runs (:func:`execute_and_publish`, ``write_pages``
    and ``what`` as :func:`analysis.report_publish.finish_run` takes them); with
    ``opts.keep`` older runs are pruned. A failure to write says so, ``what`` naming the
    run, and what ``latest`` points at now.
    """
    run_id = publish.new_run_id()
    # plan (and check every parameter) before creating anything or starting a kernel
    job_list = plan(out_dir / run_id)

    if not publish.check_writable(out_dir):
        return EXIT_FAILED
    lock = publish.acquire_lock(out_dir)
    if lock is None:
        return EXIT_LOCKED
    runner: DaskRunner | None = None
    try:
        for name in publish.mark_orphans(out_dir):
            print(f"note: run {name} was left unfinished by a runner that stopped; marked "
                  "failed", file=sys.stderr)
        if not data_valid(opts.quiet):
            return EXIT_FAILED  # before any worker process starts
        # the cluster starts in the background (worker processes import papermill) while
        # the run folder is created
        runner = DaskRunner(opts.jobs, opts.scheduler).start()
        finish = partial(publish.finish_run, write_pages=write_pages, what=what)
        return _run_locked(out_dir, run_id, job_list, opts, runner, what, finish)
    except OSError as exc:
        # a full disk or a folder that became read-only while writing: say so plainly,
        # and what latest points at now
        where = f" ({short(exc.filename, 200)})" if exc.filename else ""
        reason = f"{exc.strerror or exc}{where}"
        if (out_dir / run_id).exists():
            published = publish.latest_target(out_dir) == run_id
            publish.mark_failed(out_dir / run_id, f"writing the {what} failed: {reason}",
                                unpublished=not published)
        print(f"error: writing the {what} failed: {reason}; "
              f"{_latest_now(out_dir, run_id)}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if runner is not None:
            runner.close()
        lock.release()


def _latest_now(out_dir: Path, run_id: str) -> str:
    """What ``latest`` points at, in words, for a message after a failure."""
    try:
        target = publish.latest_target(out_dir)
    except OSError:
        target = None
    if target == run_id:
        return f"run {run_id} was published: {out_dir / 'latest'} points at it"
    if target is None:
        return f"nothing was published and there is no {out_dir / 'latest'}"
    return f"nothing was published and {out_dir / 'latest'} still points at {target}"


@dataclass(frozen=True)
class RunOptions:
    """How a run executes: shared by ``report`` and ``briefings``."""

    jobs: int | None = None
    scheduler: str | None = None
    timeout: float | None = 600
    show_code: bool = False
    quiet: bool = False
    keep: int | None = None


def execute_and_publish(out_dir: Path, run_id: str, job_list: list[Job], opts: RunOptions,
                        what: str = "report", finish: Any = None,
                        runner: DaskRunner | None = None) -> tuple[int, str | None]:
    """Wait for the cluster, create the run folder, run every job, publish; close the
    cluster.

    ``runner``: a cluster already starting (:meth:`DaskRunner.start`), else one is started
    here. ``finish(out_dir, record, results, interrupted, seconds, say)`` publishes
    (default :func:`analysis.report_publish.finish_run`). Returns ``(exit code, status)``;
    the status is None when the cluster could not be used (nothing ran, nothing created).
    """
    progress = Progress(opts.quiet)
    runner = runner or DaskRunner(opts.jobs, opts.scheduler).start()
    try:
        try:
            runner.wait()
        except ClusterError as exc:
            print(f"error: {exc}; nothing ran", file=sys.stderr)
            return EXIT_FAILED, None
        record = publish.start_run(out_dir, run_id, job_list)
        where = opts.scheduler or f"embedded cluster of {runner.jobs} worker(s)"
        progress.say(f"{what} {run_id}: {len(job_list)} notebook run(s) on {where} -> "
                     f"{out_dir / run_id}")
        started = time.monotonic()
        results, signum = execute_all(job_list, opts.timeout, opts.show_code, progress, runner)
        # published before the cluster is closed: closing takes a few seconds
        status = (finish or publish.finish_run)(out_dir, record, results, signum is not None,
                                                time.monotonic() - started, progress.say)
    finally:
        runner.close()
    if status == "interrupted":
        return 128 + (signum if signum is not None else 2), status  # SIGINT when no signal
    return (EXIT_OK if status == "ok" else EXIT_FAILED), status


def _run_locked(out_dir: Path, run_id: str, job_list: list[Job], opts: RunOptions,
                runner: DaskRunner | None = None, what: str = "report",
                finish: Any = None) -> int:
    code, status = execute_and_publish(out_dir, run_id, job_list, opts, what, finish,
                                       runner)
    keep = opts.keep
    if status is None:
        return code
    if keep:
        try:
            publish.prune(out_dir, keep, current=run_id)
        except OSError as exc:
            where = f" ({short(exc.filename, 200)})" if exc.filename else ""
            print(f"error: run {run_id} finished ({status}), but pruning old runs (--keep "
                  f"{keep}) failed: {exc.strerror or exc}{where}; "
                  f"{_latest_now(out_dir, run_id)}", file=sys.stderr)
            return EXIT_FAILED
    return code


def register(sub: Any) -> None:
    """Add the ``report`` sub-command to the CLI."""
    p = sub.add_parser(
        "report", help="run the notebooks and publish an HTML report",
        description="Run the suite's notebooks with papermill (in parallel), write each "
                    "executed notebook, its HTML, JSON and figures into <out>/<run-id>/, and "
                    "point <out>/latest at it when every notebook succeeded. Exit codes: 0 ok, "
                    "1 a notebook failed, 2 bad parameter/option, 3 reports folder locked.")
    p.add_argument("--config", help="YAML file of named runs (default: reports.yml)")
    p.add_argument("--run", action="append", dest="runs", metavar="NAME",
                   help="run only this named run of the config (repeatable)")
    p.add_argument("--only", help="comma-separated notebook numbers, e.g. 01,03")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[],
                   metavar=("NAME", "VALUE"), help="override a parameter (typed as papermill "
                   "does; lists and mappings as YAML, e.g. -p focus_countries '[USA, CHN]')")
    p.add_argument("--out", default="reports", help="reports folder (default: reports/)")
    p.add_argument("--jobs", type=_count(1, MAX_JOBS), default=None,
                   help="worker processes of the embedded Dask cluster (default: CPUs)")
    p.add_argument("--scheduler", type=scheduler_address, default=None, metavar="ADDRESS",
                   help="run on the Dask cluster of this scheduler (tcp://HOST:PORT) instead "
                        "of an embedded one; its workers need only the package installed")
    p.add_argument("--timeout", type=seconds, default=600,
                   help=f"per-cell timeout in seconds (> 0, at most {MAX_TIMEOUT})")
    p.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    p.add_argument("--quiet", action="store_true", help="no progress output (for cron)")
    p.add_argument("--keep", type=_count(1, None), default=None,
                   help="keep only the N newest runs")
    p.add_argument("--list-parameters", action="store_true",
                   help="list every notebook's parameters (type, default, rule, help) and exit")
    p.add_argument("--notebooks", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd)


def _cmd(args: Any) -> int:
    if args.list_parameters:
        from .nbparams import describe

        folder = Path(args.notebooks) if args.notebooks else NOTEBOOKS
        print(describe(discover(folder)))
        return EXIT_OK
    try:
        overrides = {name: coerce_cli_value(value) for name, value in args.parameter}
        return run_report(config=args.config, run_names=args.runs, only=parse_only(args.only),
                          overrides=overrides, out=args.out, jobs=args.jobs,
                          timeout=args.timeout, show_code=args.show_code, quiet=args.quiet,
                          keep=args.keep, notebook_dir=args.notebooks,
                          scheduler=args.scheduler)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
