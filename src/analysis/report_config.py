"""Configuration of ``python -m analysis report``: ``reports.yml`` and ``-p`` values.

A configuration file holds named runs (e.g. ``en`` and ``ja``), each with parameters for
every notebook, an optional notebook selection and per-notebook parameters. Everything
here is checked for shape only; whether a notebook declares a parameter, and whether a
value fits it, is checked by :mod:`analysis.report_plan`.

>>> cfg = parse_config({"runs": {"en": {"parameters": {"lang": "en"}}}}, "reports.yml")
>>> [r.name for r in cfg]
['en']
>>> parse_only("1, 03,overview")
['01', '03', 'overview']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = REPO / "reports.yml"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class UsageError(Exception):
    """A bad option, configuration or parameter: nothing has run (exit code 2)."""


@dataclass
class RunSpec:
    """One named run of a configuration: notebooks and parameters."""

    name: str
    parameters: dict[str, Any] = field(default_factory=dict)
    notebooks: list[str] | None = None
    notebook_parameters: dict[str, dict[str, Any]] = field(default_factory=dict)


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


def parse_only(text: str | None) -> list[str] | None:
    """The notebook keys of ``--only`` (``"1,03"`` -> ``['01', '03']``); None for all."""
    if not text:
        return None
    return [s.strip().zfill(2) if s.strip().isdigit() else s.strip()
            for s in text.split(",") if s.strip()]


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


def select_runs(runs: list[RunSpec], names: list[str] | None) -> list[RunSpec]:
    """The runs named by ``--run`` (all when None), in the configuration's order."""
    if not names:
        return runs
    known = {r.name for r in runs}
    missing = [n for n in names if n not in known]
    if missing:
        raise UsageError(f"--run {missing[0]}: no such run (known: {', '.join(sorted(known))})")
    return [r for r in runs if r.name in names]
