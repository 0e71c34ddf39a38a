"""``python -m analysis report``: run the notebooks unattended and publish an HTML report.

One invocation makes one run folder ``<out>/<run-id>/`` holding, for each named run of
the configuration (e.g. ``en`` and ``ja``), every executed notebook, its HTML (code
hidden unless ``--show-code``), its JSON of headline figures and PNG figures; plus
``run.json`` and ``index.html``. ``<out>/latest`` is switched atomically to the new
folder only when every notebook succeeded, so a failed or interrupted run never
replaces a good report.

Exit codes: 0 ok; 1 a notebook failed; 2 a bad parameter or option (nothing ran);
3 another run holds the lock of the reports folder; 130/143 interrupted.

>>> cfg = parse_config({"runs": {"en": {"parameters": {"lang": "en"}}}}, "reports.yml")
>>> [r.name for r in cfg]
['en']
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import hashlib
import html
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .nbparams import check_values, notebook_parameters

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
DEFAULT_CONFIG = REPO / "reports.yml"
RUNNER_OWNED = ("output_dir",)
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


class UsageError(Exception):
    """A bad option, configuration or parameter: nothing has run (exit code 2)."""


@dataclass
class RunSpec:
    """One named run of a configuration: notebooks and parameters."""

    name: str
    parameters: dict[str, Any] = field(default_factory=dict)
    notebooks: list[str] | None = None
    notebook_parameters: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Job:
    """One notebook of one run, ready to execute."""

    run: str
    notebook: Path
    parameters: dict[str, Any]
    out_dir: Path

    @property
    def stem(self) -> str:
        return self.notebook.stem

    @property
    def label(self) -> str:
        return f"{self.run}/{self.stem}"


# --- configuration -----------------------------------------------------------------------
def coerce_cli_value(text: str) -> Any:
    """Type a ``-p NAME VALUE`` value as papermill does; YAML for lists and mappings.

    >>> [coerce_cli_value(v) for v in ["3", "2.5", "True", "None", "ja", "[USA, CHN]", ""]]
    [3, 2.5, True, None, 'ja', ['USA', 'CHN'], '']
    """
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    if text and text[0] in "[{":
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise UsageError(f"-p value {text!r}: not valid YAML ({reason})") from None
        except RecursionError:
            raise UsageError(f"-p value {text!r}: not valid YAML (nested too deeply)") from None
    return text


def _check_shape(source: str, where: str, value: Any, kind: type, what: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise UsageError(f"{source}: {where}: expected {what}, found {type(value).__name__} "
                         f"{value!r}")


def _nb_key(key: Any) -> str:
    text = str(key)
    return text.zfill(2) if text.isdigit() else text


def parse_config(data: Any, source: str) -> list[RunSpec]:
    """Named runs from a loaded YAML document (see reports.yml for the format)."""
    if not isinstance(data, dict) or not isinstance(data.get("runs"), dict) or not data["runs"]:
        raise UsageError(f"{source}: expected a mapping with a non-empty 'runs' mapping")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict) or any(not isinstance(k, str) for k in defaults):
        raise UsageError(f"{source}: 'defaults' must be a mapping of parameters")
    runs = []
    for name, body in data["runs"].items():
        name = str(name)
        if not NAME_RE.match(name):
            raise UsageError(f"{source}: run name {name!r}: expected letters, digits, '-' or "
                             "'_' (it names a folder inside the reports folder)")
        body = body or {}
        if not isinstance(body, dict):
            raise UsageError(f"{source}: run {name}: expected a mapping")
        unknown = set(map(str, body)) - {"parameters", "notebooks", "notebook_parameters"}
        if unknown or any(not isinstance(k, str) for k in body):
            raise UsageError(f"{source}: run {name}: unknown key(s) {', '.join(sorted(unknown))}")
        where = f"run {name}"
        _check_shape(source, f"{where}: parameters", body.get("parameters"), dict,
                     "a mapping of parameter names to values")
        _check_shape(source, f"{where}: notebooks", body.get("notebooks"), list,
                     "a list of notebook numbers such as [\"01\", \"03\"]")
        _check_shape(source, f"{where}: notebook_parameters", body.get("notebook_parameters"),
                     dict, "a mapping of notebook numbers to parameter mappings")
        params = body.get("parameters") or {}
        if any(not isinstance(k, str) for k in params):
            raise UsageError(f"{source}: {where}: parameters: names must be text")
        nbs = body.get("notebooks")
        if nbs is not None:
            nbs = [_nb_key(n) for n in nbs]
        nb_params = {}
        for key, vals in (body.get("notebook_parameters") or {}).items():
            _check_shape(source, f"{where}: notebook_parameters: {key}", vals, dict,
                         "a mapping of parameter names to values")
            if any(not isinstance(k, str) for k in (vals or {})):
                raise UsageError(f"{source}: {where}: notebook_parameters: {key}: names must "
                                 "be text")
            nb_params[_nb_key(key)] = dict(vals or {})
        runs.append(RunSpec(name, {**defaults, **params}, nbs, nb_params))
    return runs


def load_config(path: str | Path) -> list[RunSpec]:
    """Read a YAML configuration file of named runs."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"--config {p}: no such file") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"--config {p}: not valid YAML: {exc}") from None
    return parse_config(data, str(p))


def discover(notebook_dir: Path = NOTEBOOKS) -> list[Path]:
    """The suite's notebooks: ``NN_name.ipynb`` in the folder, sorted."""
    return sorted(p for p in notebook_dir.glob("[0-9][0-9]_*.ipynb"))


def _select(nbs: list[Path], prefixes: list[str] | None, what: str) -> list[Path]:
    if prefixes is None:
        return nbs
    chosen = []
    for pre in prefixes:
        match = [p for p in nbs if p.stem.split("_", 1)[0] == pre or p.stem == pre]
        if not match:
            known = ", ".join(p.stem for p in nbs)
            raise UsageError(f"{what}: no notebook {pre!r} (known: {known})")
        chosen += [m for m in match if m not in chosen]
    return sorted(chosen)


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
    for run in runs:
        selected = _select(_select(notebooks, run.notebooks, f"run {run.name}"), only, "--only")
        params = {**run.parameters, **overrides}
        specs = {nb: notebook_parameters(nb) for nb in selected}
        for name in params:
            if not any(name in s for s in specs.values()):
                names = ", ".join(nb.name for nb in selected)
                problems.append(f"run {run.name}: unknown parameter {name}: no notebook of the "
                                f"run declares it ({names})")
        for key in run.notebook_parameters:
            if not any(nb.stem.split("_", 1)[0] == key or nb.stem == key for nb in selected):
                problems.append(f"run {run.name}: notebook_parameters for {key!r}, which is not "
                                "in the run")
        for nb in selected:
            own = {}
            for key, vals in run.notebook_parameters.items():
                if nb.stem.split("_", 1)[0] == key or nb.stem == key:
                    own.update(vals)
            passed = {k: v for k, v in params.items() if k in specs[nb]}
            passed.update(own)
            problems += check_values(passed, specs[nb], nb.name)
            out = run_dir / run.name / nb.stem
            passed["output_dir"] = os.path.relpath(out, nb.parent)
            jobs.append(Job(run.name, nb, passed, out))
    if problems:
        raise UsageError("\n".join(problems))
    return jobs


# --- execution ---------------------------------------------------------------------------
class Progress:
    """Per-notebook progress lines with elapsed time (silent with ``quiet``)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.lock = threading.Lock()
        self.started: dict[str, float] = {}

    def say(self, text: str) -> None:
        if not self.quiet:
            with self.lock:
                print(text, file=sys.stderr, flush=True)

    def start(self, label: str) -> None:
        self.started[label] = time.monotonic()
        self.say(f"  started  {label}")

    def tick(self) -> None:
        now = time.monotonic()
        running = ", ".join(f"{k} {now - t:.0f}s" for k, t in sorted(self.started.items()))
        if running:
            self.say(f"  running  {running}")

    def done(self, label: str, status: str, seconds: float) -> None:
        self.started.pop(label, None)
        self.say(f"  {status:<8} {label} ({seconds:.1f}s)")


class WorkerProcess:
    """A long-lived ``python -m analysis.worker --serve`` process (one per parallel job).

    Each notebook still runs in a fresh kernel; the worker only saves the Python start-up
    and the papermill/nbconvert imports after the first notebook. A worker that dies is
    replaced for the next notebook.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.stderr: collections.deque[str] = collections.deque(maxlen=60)

    def ensure(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "analysis.worker", "--serve"], start_new_session=True,
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                text=True, encoding="utf-8", errors="replace")
            proc, sink = self.proc, self.stderr
            threading.Thread(target=lambda: sink.extend(proc.stderr), daemon=True).start()
        return self.proc

    def submit(self, spec_file: Path) -> subprocess.Popen:
        proc = self.ensure()
        self.stderr.clear()
        assert proc.stdin is not None
        proc.stdin.write(f"{spec_file}\n")
        proc.stdin.flush()
        return proc

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                _terminate(self.proc)


class WorkerPool:
    """One :class:`WorkerProcess` per executor thread."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.lock = threading.Lock()
        self.all: list[WorkerProcess] = []

    def get(self) -> WorkerProcess:
        worker = getattr(self.local, "worker", None)
        if worker is None:
            worker = self.local.worker = WorkerProcess()
            with self.lock:
                self.all.append(worker)
        return worker

    def close(self) -> None:
        for worker in self.all:
            worker.close()


def _execute(job: Job, timeout: float | None, show_code: bool, stop: threading.Event,
             progress: Progress, pool: WorkerPool) -> dict[str, Any]:
    job.out_dir.mkdir(parents=True, exist_ok=True)
    run_folder = job.out_dir.parent
    output = run_folder / f"{job.stem}.ipynb"
    spec = {"input": str(job.notebook), "output": str(output), "html": str(output.with_suffix(
        ".html")), "parameters": job.parameters, "cwd": str(job.notebook.parent),
        "timeout": timeout, "show_code": show_code,
        "result": str(run_folder / f".{job.stem}.result.json")}
    spec_file = run_folder / f".{job.stem}.spec.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    result_file = Path(spec["result"])
    if stop.is_set():
        spec_file.unlink(missing_ok=True)
        return _finish(job, output, {"status": "interrupted", "error": None}, 0.0, progress)
    progress.start(job.label)
    started = time.monotonic()
    worker = pool.get()
    proc = worker.submit(spec_file)
    while not result_file.exists() and proc.poll() is None:
        if stop.is_set():
            _terminate(proc)
            break
        time.sleep(0.2)
    if not result_file.exists():
        time.sleep(0.3)  # a result written just before the worker exited
    if result_file.exists():
        result = json.loads(result_file.read_text(encoding="utf-8"))
    elif stop.is_set():
        result = {"status": "interrupted", "error": None}
    else:
        tail = "".join(worker.stderr)[-1500:]
        result = {"status": "failed", "error": {"cell": None, "ename": "WorkerCrashed",
                                                "evalue": tail or f"exit {proc.returncode}"}}
    for f in (spec_file, result_file):
        f.unlink(missing_ok=True)
    return _finish(job, output, result, time.monotonic() - started, progress)


def _finish(job: Job, output: Path, result: dict[str, Any], seconds: float,
            progress: Progress) -> dict[str, Any]:
    result["duration_s"] = round(seconds, 2)
    result.update(run=job.run, notebook=job.stem, parameters=job.parameters,
                  ipynb=f"{job.run}/{job.stem}.ipynb" if output.exists() else None,
                  html=f"{job.run}/{job.stem}.html" if output.with_suffix(".html").exists()
                  else None,
                  files=sorted(p.name for p in job.out_dir.iterdir()) if job.out_dir.exists()
                  else [])
    if result["status"] != "interrupted" or seconds:
        progress.done(job.label, result["status"], result["duration_s"])
    return result


def _terminate(proc: subprocess.Popen) -> None:
    """Stop a worker: SIGTERM (its kernel is shut down), then SIGKILL its group."""
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


# --- publishing --------------------------------------------------------------------------
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
            if isinstance(value, str) and value and (job.notebook.parent / value).is_file():
                files.append((job.notebook.parent / value).resolve())
    for f in files:
        key = str(f.relative_to(root.parent)) if f.is_relative_to(root.parent) else f.name
        sums[key] = hashlib.sha256(f.read_bytes()).hexdigest()
    return dict(sorted(sums.items()))


def _write_json_atomic(obj: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                   encoding="utf-8")
    tmp.replace(path)


def write_index(run_dir: Path, record: dict[str, Any]) -> Path:
    """Write ``index.html``: links, status, durations, parameters, figure thumbnails.

    Every string from data or parameters is HTML-escaped.
    """
    e = html.escape
    rows = []
    for r in record["notebooks"]:
        links = " ".join(f'<a href="{e(r[k])}">{k}</a>' for k in ("html", "ipynb") if r.get(k))
        jsons = [f for f in r.get("files", []) if f.endswith(".json")]
        links += "".join(f' <a href="{e(r["run"])}/{e(r["notebook"])}/{e(f)}">json</a>'
                         for f in jsons)
        pngs = [f for f in r.get("files", []) if f.endswith(".png")][:3]
        thumbs = "".join(f'<a href="{e(r["run"])}/{e(r["notebook"])}/{e(f)}"><img src="'
                         f'{e(r["run"])}/{e(r["notebook"])}/{e(f)}" alt="{e(f)}" '
                         'loading="lazy"></a>' for f in pngs)
        params = "<br>".join(f"{e(k)} = {e(json.dumps(v, ensure_ascii=False))}"
                             for k, v in sorted(r["parameters"].items()) if k != "output_dir")
        err = ""
        if r.get("error"):
            er = r["error"]
            err = f'<div class="err">{e(str(er.get("ename")))}: {e(str(er.get("evalue")))}</div>'
        rows.append(f'<tr class="{e(r["status"])}"><td>{e(r["run"])}</td><td>{e(r["notebook"])}'
                    f'</td><td>{e(r["status"])}{err}</td><td>{r["duration_s"]:.1f}s</td>'
                    f"<td>{links}</td><td>{params}</td><td>{thumbs}</td></tr>")
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>disarmament-notebooks report {e(record["run_id"])}</title>
<style>
body{{font-family:system-ui,'IPAexGothic','Noto Sans CJK JP',sans-serif;margin:2rem;}}
table{{border-collapse:collapse}} td,th{{border:1px solid #ccc;padding:.4rem;vertical-align:top}}
tr.failed td{{background:#fde8e8}} tr.interrupted td{{background:#fff4d6}}
img{{max-height:110px;margin:2px;border:1px solid #ddd}} .err{{color:#a00;font-size:.85em}}
</style></head><body>
<h1>disarmament-notebooks report</h1>
<p>Run <code>{e(record["run_id"])}</code>: status <strong>{e(record["status"])}</strong>,
{len(record["notebooks"])} notebook(s), {record.get("duration_s", 0):.1f}s.
See <a href="run.json">run.json</a> for versions and data checksums.</p>
<table><thead><tr><th>run</th><th>notebook</th><th>status</th><th>duration</th><th>files</th>
<th>parameters</th><th>figures</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table></body></html>
"""
    path = run_dir / "index.html"
    tmp = run_dir / ".index.html.tmp"
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(path)
    return path


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


def prune(out: Path, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest run folders; never the one ``latest`` points at."""
    runs = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.is_symlink()
                  and (p / "run.json").exists())
    protected = latest_target(out)
    removed = []
    for name in runs[: max(len(runs) - keep, 0)]:
        if name != protected:
            shutil.rmtree(out / name)
            removed.append(name)
    return removed


# --- the command -------------------------------------------------------------------------
def new_run_id() -> str:
    """A sortable, unique run id such as ``20261124T101500Z-3f2a``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{os.urandom(2).hex()}"


def run_report(*, config: str | Path | None = None, run_names: list[str] | None = None,
               only: list[str] | None = None, overrides: dict[str, Any] | None = None,
               out: str | Path = "reports", jobs: int | None = None,
               timeout: float | None = 600, show_code: bool = False, quiet: bool = False,
               keep: int | None = None, notebook_dir: str | Path | None = None) -> int:
    """Run the report; return the exit code (see the module docstring)."""
    from filelock import FileLock, Timeout

    nb_dir = Path(notebook_dir) if notebook_dir else NOTEBOOKS
    runs = load_config(config or DEFAULT_CONFIG)
    if run_names:
        known = {r.name for r in runs}
        missing = [n for n in run_names if n not in known]
        if missing:
            raise UsageError(f"--run {missing[0]}: no such run (known: {', '.join(sorted(known))})")
        runs = [r for r in runs if r.name in run_names]
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs: expected an integer >= 1")
    if keep is not None and keep < 1:
        raise UsageError("--keep: expected an integer >= 1")
    out_dir = Path(out)
    notebooks = discover(nb_dir)
    if not notebooks:
        raise UsageError(f"no notebooks NN_*.ipynb in {nb_dir}")
    run_id = new_run_id()
    # plan (and check every parameter) before creating anything or starting a kernel
    staging = out_dir / run_id
    job_list = plan_jobs(runs, notebooks, only, overrides or {}, staging)

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out_dir, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        print(f"error: cannot write to the reports folder {out_dir}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_FAILED
    lock = FileLock(str(out_dir / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"error: another report run is writing {out_dir} (lock {out_dir / '.lock'}); "
              "try again when it has finished", file=sys.stderr)
        return EXIT_LOCKED
    try:
        if not _data_valid(quiet):
            return EXIT_FAILED
        return _run_locked(out_dir, run_id, job_list, jobs, timeout, show_code, quiet, keep)
    except OSError as exc:
        # a full disk or a folder that became read-only while writing: say so plainly;
        # latest is switched last, so it still points at the last good run
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: writing the report failed: {exc.strerror or exc}{where}; nothing was "
              f"published and {out_dir / 'latest'} is unchanged", file=sys.stderr)
        return EXIT_FAILED
    finally:
        lock.release()


def _data_valid(quiet: bool) -> bool:
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


def _run_locked(out_dir: Path, run_id: str, job_list: list[Job], jobs: int | None,
                timeout: float | None, show_code: bool, quiet: bool, keep: int | None) -> int:
    run_dir = out_dir / run_id
    run_dir.mkdir(parents=True)
    progress = Progress(quiet)
    record: dict[str, Any] = {
        "run_id": run_id, "status": "running", "started": datetime.now(UTC).isoformat(),
        "versions": _versions(), "data_checksums": data_checksums(job_list), "notebooks": [],
        "previous_latest": latest_target(out_dir),
    }
    for r in sorted({j.run for j in job_list}):
        (run_dir / r).mkdir(exist_ok=True)
    _write_json_atomic(record, run_dir / "run.json")
    progress.say(f"report {run_id}: {len(job_list)} notebook run(s) -> {run_dir}")
    stop = threading.Event()
    signum_box: list[int] = []

    def _on_signal(signum: int, _frame: Any) -> None:
        signum_box.append(signum)
        stop.set()

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    started = time.monotonic()
    results: list[dict[str, Any]] = []
    workers = WorkerPool()
    try:
        with cf.ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            futures = [pool.submit(_execute, j, timeout, show_code, stop, progress, workers)
                       for j in job_list]
            last_tick = time.monotonic()
            pending = set(futures)
            while pending:
                done, pending = cf.wait(pending, timeout=0.5)
                if time.monotonic() - last_tick > 15:
                    progress.tick()
                    last_tick = time.monotonic()
            results = [f.result() for f in futures]
    finally:
        workers.close()
        for s, h in old.items():
            signal.signal(s, h)
    record["duration_s"] = round(time.monotonic() - started, 2)
    record["notebooks"] = results
    if signum_box or any(r["status"] == "interrupted" for r in results):
        record["status"] = "interrupted"
    elif all(r["status"] == "ok" for r in results):
        record["status"] = "ok"
    else:
        record["status"] = "failed"
    _write_json_atomic(record, run_dir / "run.json")
    write_index(run_dir, record)
    if record["status"] == "ok":
        switch_latest(out_dir, run_id)
        progress.say(f"report ok: {out_dir / 'latest' / 'index.html'}")
    else:
        failed = [r for r in results if r["status"] != "ok"]
        for r in failed:
            er = r.get("error") or {}
            print(f"{r['status']}: {r['run']}/{r['notebook']}: {er.get('ename', '')}: "
                  f"{str(er.get('evalue', ''))[:300]} (kept in {run_dir / r['run']})",
                  file=sys.stderr)
        print(f"report {record['status']}: {out_dir / 'latest'} left unchanged", file=sys.stderr)
    if keep:
        prune(out_dir, keep)
    if record["status"] == "interrupted":
        return 128 + (signum_box[0] if signum_box else signal.SIGINT)
    return EXIT_OK if record["status"] == "ok" else EXIT_FAILED


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
    p.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: CPUs)")
    p.add_argument("--timeout", type=float, default=600, help="per-cell timeout in seconds")
    p.add_argument("--show-code", action="store_true", help="keep code cells in the HTML")
    p.add_argument("--quiet", action="store_true", help="no progress output (for cron)")
    p.add_argument("--keep", type=int, default=None, help="keep only the N newest runs")
    p.add_argument("--notebooks", default=None, help=argparse_suppress())
    p.set_defaults(func=_cmd)


def argparse_suppress() -> str:
    import argparse

    return argparse.SUPPRESS


def _cmd(args: Any) -> int:
    overrides = {}
    for name, value in args.parameter:
        overrides[name] = coerce_cli_value(value)
    only = [s.strip().zfill(2) if s.strip().isdigit() else s.strip()
            for s in args.only.split(",") if s.strip()] if args.only else None
    try:
        return run_report(config=args.config, run_names=args.runs, only=only,
                          overrides=overrides, out=args.out, jobs=args.jobs,
                          timeout=args.timeout, show_code=args.show_code, quiet=args.quiet,
                          keep=args.keep, notebook_dir=args.notebooks)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
