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

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import short

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = REPO / "reports.yml"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MAX_CONFIG_BYTES = 1024 * 1024  # a configuration file larger than this is not one
MAX_YAML_NODES = 100_000  # values in a YAML document once its aliases are expanded
MAX_YAML_DEPTH = 100  # nesting of lists and mappings


class UsageError(Exception):
    """A bad option, configuration or parameter: nothing has run (exit code 2)."""


def shown(value: Any, limit: int = 120) -> str:
    """``repr(value)`` for a message: invisible characters escaped, cut to ``limit``
    characters (a huge value is never copied whole into a message).

    >>> shown("x" * 500, 10)
    "'xxxxxxxxx... (502 characters)"
    """
    try:
        text = repr(value)
    except ValueError:  # an int longer than sys.get_int_max_str_digits()
        text = f"<an integer of {value.bit_length()} bits>"
    return short(text, limit)


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: set[int],
                   depth: int = 0) -> int:
    """The number of values ``node`` stands for once every alias is expanded, computed
    on the node graph (shared nodes counted once per use, without expanding them).
    Raises ValueError for a recursive alias or nesting deeper than MAX_YAML_DEPTH."""
    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:
        raise ValueError("a recursive alias (a value that contains itself)")
    if depth > MAX_YAML_DEPTH:
        raise ValueError(f"nested more than {MAX_YAML_DEPTH} levels deep")
    active.add(key)
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo, active, depth + 1)
            if size > MAX_YAML_NODES:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo, active, depth + 1) + \
                _expanded_size(v, memo, active, depth + 1)
            if size > MAX_YAML_NODES:
                break
    active.discard(key)
    memo[key] = size
    return size


def load_yaml(text: str) -> Any:
    """Parse YAML safely and boundedly: tags of the safe loader only, at most
    :data:`MAX_YAML_NODES` values once aliases are expanded (checked on the node graph,
    before anything is expanded: an alias bomb is refused without being built), no
    recursive alias, nesting at most :data:`MAX_YAML_DEPTH` deep. Raises ValueError.

    >>> load_yaml("[a, 1, {b: null}]")
    ['a', 1, {'b': None}]
    """
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:  # e.g. a control character
        raise ValueError(getattr(exc, "problem", None) or str(exc).splitlines()[0]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node, {}, set())
        if size > MAX_YAML_NODES:
            raise ValueError(f"more than {MAX_YAML_NODES:,} values once its aliases are "
                             "expanded")
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(reason) from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    finally:
        loader.dispose()


def json_problem(value: Any, where: str = "") -> str | None:
    """Why ``value`` cannot be passed to a notebook as a parameter, or None.

    A parameter must be plain JSON: None, a bool, an int, a finite float, text, or lists
    and mappings (with text keys) of these. A YAML date, a set, bytes, ``.nan`` are not.

    >>> import datetime
    >>> json_problem({"a": [1, datetime.date(2020, 1, 1)]})
    "a[1]: a date (write it in quotes: '2020-01-01')"
    >>> json_problem({"a": [1, "x", None, 2.5]}) is None
    True
    """
    import datetime

    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, at = stack.pop()
        prefix = f"{at}: " if at else ""
        if item is None or isinstance(item, bool | int | str):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                return f"{prefix}{item!r} (not a finite number)"
            continue
        if isinstance(item, list):
            stack.extend((v, f"{at}[{i}]") for i, v in reversed(list(enumerate(item))))
            continue
        if isinstance(item, dict):
            for k, v in item.items():
                if not isinstance(k, str):
                    return f"{prefix}a key {shown(k, 60)} that is not text"
                stack.append((v, f"{at}.{k}" if at else k))
            continue
        if isinstance(item, datetime.date | datetime.datetime):
            return f"{prefix}a date (write it in quotes: '{item.isoformat()}')"
        return f"{prefix}a {type(item).__name__} {shown(item, 60)}, which JSON cannot hold"
    return None


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
            value = load_yaml(text)
        except ValueError as exc:
            raise UsageError(f"-p value {shown(text)}: not valid YAML ({exc})") from None
        problem = json_problem(value)
        if problem is not None:
            raise UsageError(f"-p value {shown(text)}: expected plain values (text, numbers, "
                             f"lists, mappings), found {problem}")
        return value
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
                         f"{shown(value)}")


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
            raise UsageError(f"{source}: run name {shown(name, 80)}: expected letters, digits, "
                             "'-' or '_', at most 64 (it names a folder inside the reports "
                             "folder)")
        body = body or {}
        if not isinstance(body, dict):
            raise UsageError(f"{source}: run {name}: expected a mapping")
        unknown = set(map(str, body)) - {"parameters", "notebooks", "notebook_parameters"}
        if unknown or any(not isinstance(k, str) for k in body):
            raise UsageError(f"{source}: run {name}: unknown key(s) "
                             f"{short(', '.join(sorted(unknown)), 120)}")
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
        spec = RunSpec(name, {**defaults, **params}, nbs, nb_params)
        problem = json_problem({"parameters": spec.parameters,
                                "notebook_parameters": spec.notebook_parameters})
        if problem is not None:
            raise UsageError(f"{source}: {where}: expected plain values (text, numbers, lists, "
                             f"mappings), found {problem}")
        runs.append(spec)
    return runs


def load_config(path: str | Path) -> list[RunSpec]:
    """Read a YAML configuration file of named runs.

    The file is opened as the CSV readers open a user's file (a regular file of at most
    :data:`MAX_CONFIG_BYTES`, never a FIFO or a device) and decoded as they decode it
    (UTF-8, UTF-8 with BOM, or CP932 as a Windows editor saves it); the YAML is parsed
    by :func:`load_yaml`. Every problem raises UsageError.
    """
    from .csvio import decode_bytes, read_bytes
    from .errors import DataError, display_path

    p = Path(path)
    name = display_path(p)
    try:
        text, _ = decode_bytes(read_bytes(p, MAX_CONFIG_BYTES), p)
    except DataError as exc:
        raise UsageError(f"--config {name}: expected {exc.expected}, found {exc.found}") \
            from None
    try:
        data = load_yaml(text)
    except ValueError as exc:
        raise UsageError(f"--config {name}: not valid YAML: {short(exc, 300)}") from None
    return parse_config(data, name)


def select_runs(runs: list[RunSpec], names: list[str] | None) -> list[RunSpec]:
    """The runs named by ``--run`` (all when None), in the configuration's order."""
    if not names:
        return runs
    known = {r.name for r in runs}
    missing = [n for n in names if n not in known]
    if missing:
        raise UsageError(f"--run {shown(missing[0], 80)}: no such run (known: "
                         f"{', '.join(sorted(known))})")
    return [r for r in runs if r.name in names]
