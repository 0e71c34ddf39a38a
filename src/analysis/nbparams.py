"""Read a notebook's ``parameters`` cell: names, defaults, types and declared ranges.

The cell is parsed with :mod:`ast` (papermill's own inspector skips annotated lines
such as ``start_year: int | None = None``). A trailing comment may declare a rule:

- ``# one of: en, ja``              the value must be one of these
- ``# range: 1946..2100``           a number within the bounds (either side may be empty)
- ``# not before start_year``       not below another parameter's value (if both set);
  worded without '=' because papermill warns about '=' in a parameters cell comment

>>> src = 'lang = "en"  # one of: en, ja\\nstart_year: int | None = None\\n'
>>> specs = parse_parameters(src)
>>> specs["lang"].choices, specs["start_year"].types
(('en', 'ja'), ('int', 'None'))
>>> check_values({"lang": "fr"}, specs, "00_x.ipynb")
["00_x.ipynb: parameter lang: expected one of en, ja, found 'fr'"]
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

_TYPE_OF = {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict",
            type(None): "None"}


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: its default, accepted types and declared rule."""

    name: str
    default: Any
    types: tuple[str, ...]
    help: str = ""
    choices: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None
    not_below: str | None = None


def _types_from_annotation(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in text.replace("Optional[", "None|").rstrip("]").split("|")]
    out = []
    for p in parts:
        base = p.split("[", 1)[0].strip().strip('"\'')
        out.append({"NoneType": "None"}.get(base, base))
    return tuple(out)


def parse_parameters(source: str) -> dict[str, ParamSpec]:
    """Parse the source of a parameters cell into specs (see the module docstring)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    specs: dict[str, ParamSpec] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value, ann = node.target.id, node.value, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            name, value, ann = node.targets[0].id, node.value, None
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        line = lines[node.end_lineno - 1]
        help_text = line.split("#", 1)[1].strip() if "#" in line else ""
        types = _types_from_annotation(ann) if ann else (_TYPE_OF.get(type(default), "any"),)
        if default is None and not ann:
            types = ("any",)
        choices = low = high = not_below = None
        m = re.match(r"one of:\s*(.+)$", help_text)
        if m:
            choices = tuple(c.strip() for c in m.group(1).split(","))
        m = re.match(r"range:\s*(-?[\d.]*)\s*\.\.\s*(-?[\d.]*)", help_text)
        if m:
            low = float(m.group(1)) if m.group(1) else None
            high = float(m.group(2)) if m.group(2) else None
        m = re.search(r"not before\s+([A-Za-z_]\w*)", help_text)
        if m:
            not_below = m.group(1)
        specs[name] = ParamSpec(name, default, types, help_text, choices, low, high, not_below)
    return specs


def notebook_parameters(path: str | Path) -> dict[str, ParamSpec]:
    """Specs of the cell tagged ``parameters`` in the notebook at ``path`` ({} if none)."""
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return parse_parameters(cell.source)
    return {}


def _type_ok(value: Any, types: tuple[str, ...]) -> bool:
    if "any" in types:
        return True
    name = _TYPE_OF.get(type(value), type(value).__name__)
    if name in types:
        return True
    return name == "int" and "float" in types


def check_values(values: dict[str, Any], specs: dict[str, ParamSpec], notebook: str
                 ) -> list[str]:
    """Every problem with ``values`` for a notebook with ``specs``, as messages."""
    problems = []
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(sorted(specs)) or "none"
            problems.append(f"{notebook}: unknown parameter {name} (the notebook's parameters: "
                            f"{known})")
            continue
        if not _type_ok(value, spec.types):
            problems.append(f"{notebook}: parameter {name}: expected {' or '.join(spec.types)}, "
                            f"found {type(value).__name__} {value!r}")
            continue
        if spec.choices is not None and value is not None and str(value) not in spec.choices:
            problems.append(f"{notebook}: parameter {name}: expected one of "
                            f"{', '.join(spec.choices)}, found {value!r}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if (spec.low is not None and value < spec.low) or \
                    (spec.high is not None and value > spec.high):
                lo = "" if spec.low is None else f"{spec.low:g}"
                hi = "" if spec.high is None else f"{spec.high:g}"
                problems.append(f"{notebook}: parameter {name}: expected a value in {lo}..{hi}, "
                                f"found {value!r}")
    merged = {n: s.default for n, s in specs.items()} | values
    for name, spec in specs.items():
        other = spec.not_below
        if other and merged.get(name) is not None and merged.get(other) is not None:
            try:
                below = merged[name] < merged[other]
            except TypeError:
                continue
            if below:
                problems.append(f"{notebook}: parameter {name}: expected a value >= {other} "
                                f"({merged[other]!r}), found {merged[name]!r}")
    return problems
