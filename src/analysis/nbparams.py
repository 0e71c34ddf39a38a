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

A cell that is not valid Python, or a ``range:`` rule that is not two numbers, raises
ValueError naming the parameters cell; :func:`check_values` never raises.
"""

from __future__ import annotations

import ast
import io
import math
import re
import tokenize
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


def _comments(source: str) -> dict[int, str]:
    """The text of the comment on each line (numbered as :mod:`ast` numbers them).

    Tokens, not text: a ``#`` inside a string literal starts no comment.
    """
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source, newline=None).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string[1:].strip()
    except (tokenize.TokenError, SyntaxError):  # pragma: no cover - ast.parse accepted it
        pass
    return comments


def parse_parameters(source: str) -> dict[str, ParamSpec]:
    """Parse the source of a parameters cell into specs (see the module docstring).

    Raises ValueError when the cell is not valid Python or a rule is malformed.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ValueError(f"parameters cell: not valid Python: {exc}") from None
    comments = _comments(source)
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
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
            default = None  # not a plain literal (or e.g. a set of lists)
        help_text = comments.get(node.end_lineno or node.lineno, "")
        types = _types_from_annotation(ann) if ann else (_TYPE_OF.get(type(default), "any"),)
        if default is None and not ann:
            types = ("any",)
        choices = low = high = not_below = None
        m = re.match(r"one of:\s*(.+)$", help_text)
        if m:
            choices = tuple(c.strip() for c in m.group(1).split(","))
        m = re.match(r"range:\s*(-?[\d.]*)\s*\.\.\s*(-?[\d.]*)", help_text)
        if m:
            try:
                low = float(m.group(1)) if m.group(1) else None
                high = float(m.group(2)) if m.group(2) else None
            except ValueError:
                raise ValueError(f"parameters cell: parameter {name}: expected a rule such as "
                                 f"'range: 1946..2100', found {help_text!r}") from None
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


def _show(value: Any, limit: float = 120, form: Any = repr) -> str:
    """``repr(value)`` for a message, cut short (an enormous int has no repr at all)."""
    try:
        text = form(value)
    except ValueError:  # int longer than sys.get_int_max_str_digits()
        text = f"<an integer of {value.bit_length()} bits>"
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


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
                            f"found {type(value).__name__} {_show(value)}")
            continue
        if spec.choices is not None and value is not None and \
                _show(value, math.inf, str) not in spec.choices:
            problems.append(f"{notebook}: parameter {name}: expected one of "
                            f"{', '.join(spec.choices)}, found {_show(value)}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            # written as "not inside" so that nan is outside every declared range
            if (spec.low is not None and not value >= spec.low) or \
                    (spec.high is not None and not value <= spec.high):
                lo = "" if spec.low is None else f"{spec.low:g}"
                hi = "" if spec.high is None else f"{spec.high:g}"
                problems.append(f"{notebook}: parameter {name}: expected a value in {lo}..{hi}, "
                                f"found {_show(value)}")
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
                                f"({_show(merged[other])}), found {_show(merged[name])}")
    return problems
