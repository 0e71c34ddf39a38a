"""The parameter contract of a notebook: its ``parameters`` cell, read once, applied
by the report runner before any kernel starts and by the notebook itself.

Each line of the cell is ``name = literal  # clause; clause; help`` with no type
annotation, so that ``papermill --help-notebook`` lists every parameter. The comment is
a list of clauses separated by ``;``:

- ``int or None``                   the accepted types (default: the default's type)
- ``one of: en, ja``                the value must be one of these
- ``one of: {families}``            one of the values of a data domain (:data:`DOMAINS`):
  the families, cycle ids, policy areas or UN member codes of the bundled tables
- ``each one of: {members}``        a list whose every item is in the domain
- ``range: 1946..2100``             a number within the bounds (either side may be empty)
- ``not before start_year``         not below another parameter's value (if both set);
  worded without '=' because papermill warns about '=' in a parameters cell comment
- anything else is the parameter's help text.

A value that is not allowed gets a "did you mean ..." suggestion where one is close;
member codes are accepted in lower case and normalised (:func:`normalise_values`).

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
import difflib
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
    domain: str | None = None
    item_domain: str | None = None


#: data domains a parameter may name in ``one of: {name}``: how to get the allowed values
#: from a :class:`analysis.bundle.Bundle`
DOMAINS: dict[str, Any] = {
    "families": lambda b: sorted(b.families["family"].astype(str)),
    "cycles": lambda b: sorted(b.cycles["cycle_id"].astype(str)),
    "policy_areas": lambda b: sorted(set(b.cycles["policy_area"].astype(str))),
    "members": lambda b: sorted(b.members["iso3"].astype(str)),
}
#: domains whose values are codes accepted in any case (normalised to upper case)
UPPER_DOMAINS = ("members",)
#: well-known abbreviations that are not ISO 3166 codes, used only to suggest the code
CODE_HINTS = {"ROK": "KOR", "DPRK": "PRK", "UK": "GBR", "US": "USA", "UAE": "ARE",
              "RSA": "ZAF", "GER": "DEU", "SUI": "CHE", "NED": "NLD"}
_TYPE_WORDS = {"int", "float", "str", "bool", "list", "dict", "None"}
#: every integer parameter fits in 64 bits (numpy's and pandas' integers), declared or not
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
#: the longest text a parameter may hold: longer than any path a system accepts (4096)
MAX_TEXT = 4096


def _clauses(comment: str) -> dict[str, Any]:
    """Split a parameter's comment into its rule clauses and help text."""
    out: dict[str, Any] = {"help": []}
    for raw in comment.split(";"):
        clause = raw.strip()
        if not clause:
            out["help"].append(raw)
            continue
        words = [w.strip() for w in clause.split(" or ")]
        if clause and all(w in _TYPE_WORDS for w in words):
            out["types"] = tuple(words)
        elif m := re.match(r"each one of:\s*\{(\w+)\}$", clause):
            out["item_domain"] = m.group(1)
        elif m := re.match(r"one of:\s*\{(\w+)\}$", clause):
            out["domain"] = m.group(1)
        elif m := re.match(r"one of:\s*(.+)$", clause):
            out["choices"] = tuple(c.strip() for c in m.group(1).split(","))
        elif clause.startswith("range:"):
            out["range"] = clause
        elif m := re.match(r"not before\s+([A-Za-z_]\w*)$", clause):
            out["not_below"] = m.group(1)
        else:
            out["help"].append(raw)
    out["help"] = ";".join(out["help"]).strip()  # the help as written, rules left out
    return out


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
        comment = comments.get(node.end_lineno or node.lineno, "")
        parts = _clauses(comment)
        types = _types_from_annotation(ann) if ann else (_TYPE_OF.get(type(default), "any"),)
        if default is None and not ann:
            types = ("any",)
        types = parts.get("types", types)
        low = high = None
        if "range" in parts:
            m = re.match(r"range:\s*(-?[\d.]*)\s*\.\.\s*(-?[\d.]*)$", parts["range"])
            try:
                if not m:
                    raise ValueError
                low = float(m.group(1)) if m.group(1) else None
                high = float(m.group(2)) if m.group(2) else None
            except ValueError:
                raise ValueError(f"parameters cell: parameter {name}: expected a rule such as "
                                 f"'range: 1946..2100', found {parts['range']!r}") from None
        for key in ("domain", "item_domain"):
            if parts.get(key) is not None and parts[key] not in DOMAINS:
                raise ValueError(f"parameters cell: parameter {name}: expected a domain among "
                                 f"{', '.join(DOMAINS)}, found {{{parts[key]}}}")
        specs[name] = ParamSpec(name, default, types, parts["help"], parts.get("choices"),
                                low, high, parts.get("not_below"), parts.get("domain"),
                                parts.get("item_domain"))
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


def _num(bound: float | None) -> str:
    """A range bound as written: ``4294967295`` (not ``4.29497e+09``), ``0.5``, or ``''``."""
    if bound is None:
        return ""
    return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"


def _name(name: Any) -> str:
    """A parameter name as a message shows it: invisible characters escaped, cut short."""
    from .errors import short

    return short(name, 60)


def _suggest(value: Any, options: list[str]) -> str:
    """' (did you mean 'x'?)' for a close option, else ''."""
    text = _show(value, math.inf, str)
    if len(text) > 200:  # nothing is close to a huge value; spare difflib the work
        return ""
    hint = CODE_HINTS.get(text.upper())
    if hint in options:
        return f" (did you mean {hint!r}?)"
    close = difflib.get_close_matches(text, options, n=1, cutoff=0.5) or \
        difflib.get_close_matches(text.upper(), options, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _listing(options: list[str], limit: int = 12) -> str:
    shown = ", ".join(options[:limit])
    return shown + (f", ... ({len(options)} in all)" if len(options) > limit else "")


def resolve_domains(specs: dict[str, ParamSpec], bundle: Any = None) -> dict[str, list[str]]:
    """The allowed values of every data domain the specs name (``{}`` when none).

    ``bundle`` defaults to the bundled data (:func:`analysis.bundle.load_bundle`).
    """
    names = {d for s in specs.values() for d in (s.domain, s.item_domain) if d}
    if not names:
        return {}
    if bundle is None:
        from .bundle import load_bundle

        bundle = load_bundle()
    return {n: DOMAINS[n](bundle) for n in sorted(names)}


def normalise_values(values: dict[str, Any], specs: dict[str, ParamSpec]) -> dict[str, Any]:
    """``values`` with codes of case-insensitive domains upper-cased (``jpn`` -> ``JPN``).

    >>> sp = parse_parameters('c = ["USA"]  # each one of: {members}')
    >>> normalise_values({"c": ["usa", " chn"]}, sp)
    {'c': ['USA', 'CHN']}
    """
    out = dict(values)
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            continue
        if spec.domain in UPPER_DOMAINS and isinstance(value, str):
            out[name] = value.strip().upper()
        if spec.item_domain in UPPER_DOMAINS and isinstance(value, list):
            out[name] = [v.strip().upper() if isinstance(v, str) else v for v in value]
    return out


def check_values(values: dict[str, Any], specs: dict[str, ParamSpec], notebook: str,
                 domains: dict[str, list[str]] | None = None) -> list[str]:
    """Every problem with ``values`` for a notebook with ``specs``, as messages.

    ``domains`` holds the allowed values of the data domains (:func:`resolve_domains`);
    without it, domain rules are not checked. Never raises.
    """
    problems = []
    domains = domains or {}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            known = sorted(specs)
            problems.append(f"{notebook}: unknown parameter {_name(name)}{_suggest(name, known)} "
                            f"(the notebook's parameters: {', '.join(known) or 'none'})")
            continue
        if not _type_ok(value, spec.types):
            problems.append(f"{notebook}: parameter {name}: expected {' or '.join(spec.types)}, "
                            f"found {type(value).__name__} {_show(value)}")
            continue
        texts = [value] if isinstance(value, str) else \
            [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        long = next((t for t in texts if len(t) > MAX_TEXT), None)
        if long is not None:
            problems.append(f"{notebook}: parameter {name}: expected text of at most "
                            f"{MAX_TEXT} characters, found {_show(long)}")
            continue
        if spec.choices is not None and value is not None and \
                _show(value, math.inf, str) not in spec.choices:
            problems.append(f"{notebook}: parameter {name}: expected one of "
                            f"{', '.join(spec.choices)}, found {_show(value)}"
                            f"{_suggest(value, list(spec.choices))}")
        if spec.domain in domains and value is not None:
            options = domains[spec.domain]
            if not isinstance(value, str) or value not in options:
                problems.append(f"{notebook}: parameter {name}: expected one of "
                                f"{_listing(options)}, found {_show(value)}"
                                f"{_suggest(value, options)}")
        if spec.item_domain in domains and isinstance(value, list):
            options = domains[spec.item_domain]
            for item in value:
                if not isinstance(item, str) or item not in options:
                    what = "the ISO 3166 alpha-3 code of a UN member" \
                        if spec.item_domain == "members" else f"one of {_listing(options)}"
                    problems.append(f"{notebook}: parameter {name}: expected items each "
                                    f"{what}, found {_show(item)}{_suggest(item, options)}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            # written as "not inside" so that nan is outside every declared range
            if (spec.low is not None and not value >= spec.low) or \
                    (spec.high is not None and not value <= spec.high):
                lo, hi = _num(spec.low), _num(spec.high)
                problems.append(f"{notebook}: parameter {name}: expected a value in {lo}..{hi}, "
                                f"found {_show(value)}")
            # beyond what numpy, pandas and the libraries the notebooks call accept
            elif isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
                problems.append(f"{notebook}: parameter {name}: expected an integer in "
                                f"{INT_MIN}..{INT_MAX} (64 bits), found {_show(value)}")
            elif isinstance(value, float) and not math.isfinite(value):
                problems.append(f"{notebook}: parameter {name}: expected a finite number, "
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


def group_problems(problems: list[tuple[str, str, str]]) -> list[str]:
    """One line per distinct problem, naming every notebook and run it concerns.

    ``problems`` holds (run, notebook, message) with messages prefixed by the notebook.

    >>> group_problems([("en", "01_a.ipynb", "01_a.ipynb: parameter x: bad"),
    ...                 ("ja", "01_a.ipynb", "01_a.ipynb: parameter x: bad"),
    ...                 ("en", "02_b.ipynb", "02_b.ipynb: parameter x: bad")])
    ['parameter x: bad (notebooks 01_a.ipynb, 02_b.ipynb; runs en, ja)']
    """
    seen: dict[str, tuple[set[str], set[str]]] = {}
    for run, notebook, message in problems:
        text = message.removeprefix(f"{notebook}: ")
        nbs, runs = seen.setdefault(text, (set(), set()))
        nbs.add(notebook)
        runs.add(run)
    out = []
    for text, (nbs, runs) in seen.items():
        parts = []
        if nbs - {""}:
            named = sorted(nbs - {""})
            parts.append(("notebook " if len(named) == 1 else "notebooks ") + ", ".join(named))
        if runs - {""}:
            named = sorted(runs - {""})
            parts.append(("run " if len(named) == 1 else "runs ") + ", ".join(named))
        out.append(f"{text} ({'; '.join(parts)})" if parts else text)
    return out


def notebook_path(name: str) -> Path:
    """The notebook file of ``name`` (``"01_unga_votes"`` or a file name) in notebooks/."""
    stem = Path(name).stem
    return Path(__file__).resolve().parents[2] / "notebooks" / f"{stem}.ipynb"


def apply(notebook: str, namespace: dict[str, Any], bundle: Any = None) -> dict[str, Any]:
    """Apply a notebook's contract to its parameter values in ``namespace`` (the notebook's
    ``globals()``): normalise them in place and return them.

    Raises :class:`analysis.params.ParameterError` with every problem (one per line), the
    same messages the report runner prints.
    """
    from .params import ParameterError

    specs = notebook_parameters(notebook_path(notebook))
    values = {n: namespace[n] for n in specs if n in namespace}
    values = normalise_values(values, specs)
    problems = check_values(values, specs, Path(notebook).stem + ".ipynb",
                            resolve_domains(specs, bundle))
    if problems:
        error = ParameterError(", ".join(sorted(values)), "values within the contract", "")
        error.args = ("\n".join(problems),)  # the runner's own messages, one per line
        raise error
    namespace.update(values)
    return values


def describe(notebooks: list[Path]) -> str:
    """Every notebook's parameters with type, default and help (``report --list-parameters``)."""
    lines = []
    for nb in notebooks:
        lines.append(nb.name)
        for spec in notebook_parameters(nb).values():
            rule = []
            if spec.choices:
                rule.append("one of " + ", ".join(spec.choices))
            if spec.domain or spec.item_domain:
                rule.append(("each " if spec.item_domain else "") + "one of {"
                            + (spec.domain or spec.item_domain or "") + "}")
            if spec.low is not None or spec.high is not None:
                lo, hi = _num(spec.low), _num(spec.high)
                rule.append(f"{lo}..{hi}")
            if spec.not_below:
                rule.append(f"not before {spec.not_below}")
            extra = f" [{'; '.join(rule)}]" if rule else ""
            lines.append(f"  {spec.name} ({' or '.join(spec.types)}, default "
                         f"{spec.default!r}){extra}: {spec.help}")
    return "\n".join(lines)
