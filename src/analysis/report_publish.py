"""Publishing of a report run: the run folder, ``run.json``, ``index.html``, ``latest``.

A run is written into ``<out>/<run-id>/`` while it runs; ``run.json`` records versions,
data checksums, parameters, statuses and durations, ``index.html`` links every output.
``<out>/latest`` is switched atomically (symlink + rename) only when every notebook
succeeded; ``--keep`` prunes old run folders but never the one ``latest`` points at. A
file lock on ``<out>/.lock`` keeps two runs from writing the same reports folder.

``run.json`` is written with status ``running`` (and the runner's pid) when the run
starts. A run that could not complete is marked ``failed`` (:func:`mark_failed`); a run
whose runner was killed outright (SIGKILL, a power cut) keeps ``running``, and since the
lock is free once its runner is gone, the next run, holding the lock, marks every such
orphan ``failed`` (:func:`mark_orphans`). Pruning treats every run folder alike, complete
or not (:func:`prune`).

>>> run_id = new_run_id()
>>> len(run_id), run_id[8], run_id[15:17]
(21, 'T', 'Z-')
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .report_plan import Job

RUN_ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{4}$")
ORPHANED = ("the runner stopped before the run finished (killed, or the machine stopped); "
            "found by a later run")


def new_run_id() -> str:
    """A run id such as ``20261124T101500Z-3f2a``: the UTC time to the second, then the
    fraction of that second in 65,536ths, so that ids sort in the order their runs started
    (runs in one folder are serialised by its lock, so they never share an id)."""
    now = datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{now.microsecond * 65536 // 1_000_000:04x}"


def check_writable(out_dir: Path) -> bool:
    """Create the reports folder and probe it; print the reason and return False if it
    cannot be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out_dir, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        from .errors import display_path

        print(f"error: cannot write to the reports folder {display_path(out_dir)}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def acquire_lock(out_dir: Path) -> Any | None:
    """The lock of the reports folder, held; None (after saying so) if another run has it."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(out_dir / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"error: another report run is writing {out_dir} (lock {out_dir / '.lock'}); "
              "try again when it has finished", file=sys.stderr)
        return None
    return lock


def start_run(out_dir: Path, run_id: str, job_list: list[Job]) -> dict[str, Any]:
    """Create the run folder and its first ``run.json`` (status ``running``)."""
    run_dir = out_dir / run_id
    run_dir.mkdir(parents=True)
    record: dict[str, Any] = {
        "run_id": run_id, "status": "running", "started": datetime.now(UTC).isoformat(),
        "versions": _versions(), "data_checksums": data_checksums(job_list), "notebooks": [],
        "previous_latest": latest_target(out_dir), "pid": os.getpid(),
        "host": platform.node(),
    }
    for r in sorted({j.run for j in job_list}):
        (run_dir / r).mkdir(exist_ok=True)
    write_json_atomic(record, run_dir / "run.json")
    return record


def finish_run(out_dir: Path, record: dict[str, Any], results: list[dict[str, Any]],
               interrupted: bool, duration_s: float, say: Any,
               write_pages: Any = None, what: str = "report") -> str:
    """Record the results, write ``run.json`` and the pages (``write_pages(run_dir,
    record)``, default :func:`write_index`), switch ``latest`` when every notebook
    succeeded; print what failed. Returns the run's status."""
    run_id = record["run_id"]
    run_dir = out_dir / run_id
    record["duration_s"] = round(duration_s, 2)
    record["notebooks"] = results
    if interrupted or any(r["status"] == "interrupted" for r in results):
        record["status"] = "interrupted"
    elif all(r["status"] == "ok" for r in results):
        record["status"] = "ok"
    else:
        record["status"] = "failed"
    write_json_atomic(record, run_dir / "run.json")
    (write_pages or write_index)(run_dir, record)
    if record["status"] == "ok":
        switch_latest(out_dir, run_id)
        say(f"{what} ok: {out_dir / 'latest' / 'index.html'}")
    else:
        failed = [r for r in results if r["status"] != "ok"]
        for r in failed:
            er = r.get("error") or {}
            print(f"{r['status']}: {r['run']}/{r['notebook']}: {er.get('ename', '')}: "
                  f"{str(er.get('evalue', ''))[:300]} (kept in {run_dir / r['run']})",
                  file=sys.stderr)
        print(f"{what} {record['status']}: {out_dir / 'latest'} left unchanged",
              file=sys.stderr)
    return record["status"]


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("disarmament-notebooks", "pandas", "numpy", "matplotlib", "seaborn",
                "networkx", "papermill", "nbclient", "pandera"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def data_checksums(jobs: list[Job]) -> dict[str, str]:
    """sha256 of every bundled data file and of any file a parameter points at."""
    from .data import data_dir

    root = data_dir()
    sums = {}
    files = sorted(root.rglob("*.csv"))
    for job in jobs:
        for value in job.parameters.values():
            if isinstance(value, str) and value and _is_file(job.notebook.parent / value):
                files.append((job.notebook.parent / value).resolve())
    for f in files:
        key = str(f.relative_to(root.parent)) if f.is_relative_to(root.parent) else f.name
        sums[key] = _sha256(f)
    return dict(sorted(sums.items()))


def _sha256(path: Path, chunk: int = 1024 * 1024) -> str:
    """sha256 of a regular file read in chunks (``"unreadable"`` for anything else): a
    parameter may name a huge file, a FIFO or a device, which are never read whole."""
    from .csvio import open_user_file
    from .errors import DataError

    digest = hashlib.sha256()
    try:
        with open_user_file(path) as fh:
            while block := fh.read(chunk):
                digest.update(block)
    except (OSError, DataError):
        return "unreadable"
    return digest.hexdigest()


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a regular file; False for a path too long, a loop, a FIFO."""
    try:
        return path.is_file() and bool(path.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def mark_failed(run_dir: Path, reason: str, *, unpublished: bool = False) -> bool:
    """Record in ``run_dir/run.json`` that the run could not complete (status ``failed``,
    ``error`` the reason); True when it was marked. A run folder without ``run.json``
    gets one; a run recorded ``ok`` is marked too with ``unpublished`` (its notebooks
    succeeded, but writing the report failed before ``latest`` moved). Never raises: it
    is called when something already went wrong."""
    try:
        try:
            record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
            if not isinstance(record, dict):
                raise ValueError
        except (OSError, ValueError):
            record = {"run_id": run_dir.name, "notebooks": []}
        final = ("failed", "interrupted") if unpublished else ("ok", "failed", "interrupted")
        if record.get("status") in final:
            return False
        record["status"] = "failed"
        record["error"] = reason
        write_json_atomic(record, run_dir / "run.json")
        try:
            write_index(run_dir, record)
        except (OSError, KeyError, TypeError, ValueError):
            pass
        return True
    except OSError:
        return False


def run_folders(out: Path) -> list[str]:
    """The names of the run folders in ``out`` (named like run ids), oldest first."""
    try:
        return sorted(p.name for p in out.iterdir() if RUN_ID_RE.match(p.name)
                      and p.is_dir() and not p.is_symlink())
    except OSError:
        return []


def mark_orphans(out: Path, current: str | None = None) -> list[str]:
    """Mark ``failed`` every run of ``out`` still recorded as ``running`` except
    ``current``: called with the lock held, so no runner of those runs is alive."""
    marked = []
    for name in run_folders(out):
        if name == current:
            continue
        try:
            status = json.loads((out / name / "run.json").read_text(encoding="utf-8")) \
                .get("status")
        except (OSError, ValueError, AttributeError):
            status = None  # no run.json, or a broken one: the run never completed
        if status not in ("ok", "failed", "interrupted") and mark_failed(out / name, ORPHANED):
            marked.append(name)
    return marked


def write_json_atomic(obj: Any, path: Path) -> None:
    """Write ``obj`` as sorted, indented JSON to a temporary file, then move it into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                   encoding="utf-8")
    tmp.replace(path)


def write_index(run_dir: Path, record: dict[str, Any]) -> Path:
    """Write the site pages of a run (:func:`analysis.site.write_site`): per named run a
    front page ``<run>/index.html`` and a log ``<run>/log.html`` in the run's language,
    and ``index.html``, which opens the Japanese report.

    Every string from data or parameters is HTML-escaped (the templates autoescape). The
    bundled tables give the front page its headline sentences and data dates; when they
    cannot be loaded the pages are written without them.
    """
    from .site import write_site

    try:
        from .bundle import load_bundle

        tables = load_bundle()
    except Exception:  # noqa: BLE001 - the pages are still written, without headlines
        tables = None
    write_site(run_dir, record, tables)
    return run_dir / "index.html"


def switch_latest(out: Path, run_id: str) -> None:
    """Point ``<out>/latest`` at ``run_id`` atomically (symlink + rename)."""
    tmp = out / f".latest-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(run_id, tmp, target_is_directory=True)
    os.replace(tmp, out / "latest")


def latest_target(out: Path) -> str | None:
    """The run id ``latest`` points at, or None."""
    link = out / "latest"
    return os.readlink(link) if link.is_symlink() else None


def prune(out: Path, keep: int, current: str | None = None) -> list[str]:
    """Delete all but the ``keep`` newest run folders; never the one ``latest`` points at,
    nor ``current``. Every folder named like a run id counts, whether the run completed,
    failed, was interrupted, or was orphaned (it is marked failed first)."""
    mark_orphans(out, current)
    runs = run_folders(out)
    protected = {latest_target(out), current}
    removed = []
    for name in runs[: max(len(runs) - keep, 0)]:
        if name not in protected:
            shutil.rmtree(out / name)
            removed.append(name)
    return removed
