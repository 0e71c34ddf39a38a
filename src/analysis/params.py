"""Checks of notebook parameters, shared by the notebooks and the report runner.

A wrong parameter raises :class:`ParameterError` naming the parameter, what was
expected and what was given; the report runner turns it into exit code 2.

>>> check_lang("ja")
'ja'
>>> check_year_range(2010, 2000)
Traceback (most recent call last):
...
analysis.params.ParameterError: parameter end_year: expected a year >= start_year (2010), found 2000
"""

from __future__ import annotations

from collections.abc import Iterable

LANGS = ("en", "ja")
#: the years a year parameter may take, for the package's own functions; the notebooks
#: declare the same range in their parameters cells (tests/test_contract.py checks it)
YEAR_RANGE = (1945, 2100)


class ParameterError(ValueError):
    """A notebook or command parameter with a wrong value."""

    def __init__(self, name: str, expected: str, found: object, notebook: str | None = None):
        self.name, self.expected, self.found, self.notebook = name, expected, found, notebook
        where = f"{notebook}: " if notebook else ""
        super().__init__(f"{where}parameter {name}: expected {expected}, found {found!r}"
                         if not isinstance(found, int) else
                         f"{where}parameter {name}: expected {expected}, found {found}")


def check_lang(lang: object) -> str:
    """Return ``lang`` if it is a supported report language ('en' or 'ja')."""
    if lang not in LANGS:
        raise ParameterError("lang", "one of " + ", ".join(LANGS), lang)
    return str(lang)


def check_year(name: str, value: object, *, allow_none: bool = True) -> int | None:
    """Return a year as int (None allowed when ``allow_none``)."""
    if value is None and allow_none:
        return None
    lo, hi = YEAR_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ParameterError(name, f"a year between {lo} and {hi}" + (" or None" if allow_none
                                                                      else ""), value)
    return value


def check_year_range(start_year: object, end_year: object) -> tuple[int | None, int | None]:
    """Check a (start_year, end_year) pair: each a year or None, end not before start."""
    s = check_year("start_year", start_year)
    e = check_year("end_year", end_year)
    if s is not None and e is not None and e < s:
        raise ParameterError("end_year", f"a year >= start_year ({s})", e)
    return s, e


def check_choice(name: str, value: object, choices: Iterable[object]) -> object:
    """Return ``value`` if it is one of ``choices``."""
    options = list(choices)
    if value not in options:
        raise ParameterError(name, "one of " + ", ".join(map(str, options)), value)
    return value


def check_int(name: str, value: object, minimum: int = 0) -> int:
    """Return ``value`` if it is an int >= ``minimum`` (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ParameterError(name, f"an integer >= {minimum}", value)
    return value
