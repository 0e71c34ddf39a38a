"""Declarative table specifications, checked with pandera.

Each bundled table has a :class:`TableSpec`: its columns with type, whether a value is
required, allowed values, patterns and ranges, plus the key that must be unique. The
loader first converts the text cells to typed columns (collecting a problem for every
cell that does not parse), then runs the pandera schema built from the same spec, and
turns pandera's failure cases into :class:`analysis.errors.Problem` rows.

>>> spec = TableSpec("t", "t.csv", [Col("n", "int", minimum=0)], key=["n"])
>>> import pandas as pd
>>> frame = pd.DataFrame({"n": ["1", "-2", "x"]}, index=pd.RangeIndex(2, 5))
>>> typed, probs = spec.convert(frame, "t.csv")
>>> [str(p) for p in probs]
["t.csv:4:n: expected an integer, found 'x'"]
>>> [str(p) for p in spec.check(typed, "t.csv")]
['t.csv:3:n: expected a value >= 0, found -2']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .errors import Problem, short

Kind = Literal["str", "int", "float", "bool", "date", "partial_date", "category"]

_BOOL = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
INT_TEXT = r"[+-]?\d+(?:\.0*)?"


@dataclass(frozen=True)
class Col:
    """One column: its name, type, and constraints.

    ``required`` means every row needs a non-empty value. ``allowed`` lists the values a
    categorical column may take; ``pattern`` is a regular expression a string must match.
    """

    name: str
    kind: Kind = "str"
    required: bool = False
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    description: str = ""

    def expectation(self) -> str:
        """Human words for what a valid cell looks like."""
        return {
            "int": "an integer",
            "float": "a number",
            "bool": "true or false",
            "date": "a date YYYY-MM-DD",
            "partial_date": "a date YYYY, YYYY-MM or YYYY-MM-DD",
        }.get(self.kind, "text")


@dataclass
class TableSpec:
    """A bundled table: name, path below ``data/``, columns, unique key."""

    name: str
    path: str
    columns: list[Col]
    key: list[str] = field(default_factory=list)
    description: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)

    # -- conversion -------------------------------------------------------------------
    def convert(self, frame: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[Problem]]:
        """Convert a frame of strings to typed columns; unparseable cells become NA."""
        out = frame.copy()
        problems: list[Problem] = []
        for c in self.columns:
            if c.name not in frame.columns:
                continue
            raw = frame[c.name].fillna("").astype(str).str.strip()
            empty = raw.eq("")
            if c.kind == "int":
                # integer text only, and small enough to be exact as float64 (2**53):
                # '1e300' or '9007199254740993' must not load as a different number
                num = pd.to_numeric(raw.where(~empty & raw.str.fullmatch(INT_TEXT)),
                                    errors="coerce")
                bad = ~empty & (num.isna() | (num.abs() >= 2**53))
                out[c.name] = num.where(~bad).astype("Int64")
            elif c.kind == "float":
                num = pd.to_numeric(raw.where(~empty).str.replace(",", "", regex=False),
                                    errors="coerce")
                bad = ~empty & (num.isna() | ~np.isfinite(num.fillna(0)))  # no nan/inf
                out[c.name] = num.where(~bad).astype("Float64")
            elif c.kind == "bool":
                low = raw.str.lower()
                bad = ~empty & ~low.isin(list(_BOOL))
                out[c.name] = low.map(_BOOL).astype("boolean")
            elif c.kind == "date":
                parsed = pd.to_datetime(raw.where(~empty), format="%Y-%m-%d", errors="coerce")
                bad = ~empty & parsed.isna()
                out[c.name] = parsed
            elif c.kind == "partial_date":
                bad = ~empty & ~raw.str.match(PARTIAL_DATE)
                out[c.name] = raw.where(~empty)
            else:
                bad = pd.Series(False, index=raw.index)
                out[c.name] = raw.where(~empty)
            for row in raw.index[bad]:
                found = repr(short(raw[row]))
                problems.append(Problem(file, int(row), c.name, c.expectation(), found))
        return out, problems

    # -- checks -----------------------------------------------------------------------
    def pandera_schema(self) -> pa.DataFrameSchema:
        """The pandera schema of the typed frame."""
        cols = {}
        for c in self.columns:
            checks = []
            if c.allowed is not None:
                allowed = "one of " + ", ".join(c.allowed)
                checks.append(pa.Check.isin(list(c.allowed), error=allowed))
            if c.pattern is not None:
                checks.append(pa.Check.str_matches(c.pattern, error=f"text matching {c.pattern}"))
            if c.minimum is not None:
                checks.append(pa.Check.ge(c.minimum, error=f"a value >= {_num(c.minimum)}"))
            if c.maximum is not None:
                checks.append(pa.Check.le(c.maximum, error=f"a value <= {_num(c.maximum)}"))
            cols[c.name] = pa.Column(nullable=not c.required, checks=checks, required=True)
        return pa.DataFrameSchema(
            cols,
            unique=self.key or None,
            report_duplicates="all",
        )

    def check(self, typed: pd.DataFrame, file: str, skip: set[tuple[int, str]] | None = None
              ) -> list[Problem]:
        """Run the pandera schema; return problems (cells in ``skip`` already reported)."""
        skip = skip or set()
        try:
            self.pandera_schema().validate(typed, lazy=True)
            return []
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
        problems = []
        key_label = ", ".join(self.key)
        for case in cases.itertuples(index=False):
            col = case.column
            row = None if pd.isna(case.index) else int(case.index)
            check = str(case.check)
            if check in ("multiple_fields_uniqueness", "field_uniqueness"):
                vals = typed.loc[row, self.key] if row is not None else ""
                found = "a duplicate of another row: " + ", ".join(str(v) for v in vals) \
                    if row is not None else str(case.failure_case)
                problems.append(Problem(file, row, self.key[0], f"a unique ({key_label})", found))
                continue
            if (row, col) in skip:
                continue
            if check == "not_nullable":
                expected = f"a value ({self.col(col).expectation()})"
                found = "an empty cell"
            elif check.startswith("column_in_dataframe"):
                problems.append(Problem(file, 1, str(case.failure_case), "a column "
                                        + str(case.failure_case), "no such column"))
                continue
            else:
                expected = check
                found = repr(short(case.failure_case)) if isinstance(case.failure_case, str) \
                    else _num(case.failure_case)
            problems.append(Problem(file, row, col, expected, found))
        return _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def slug_ok(text: str) -> bool:
    """True for identifiers such as ``japan_nuclear``.

    >>> slug_ok("japan_nuclear"), slug_ok("Japan nuclear")
    (True, False)
    """
    return re.fullmatch(r"[a-z][a-z0-9_]*", text) is not None
