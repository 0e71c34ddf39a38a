"""The project's one error type for bad input, and a collector for many problems.

Every loader raises :class:`DataError` with the file, the row as a spreadsheet shows
it (header = row 1, first data row = row 2), the column, what was expected and what
was found. The command line prints it as ``file:row:column: expected ..., found ...``.

>>> err = DataError("data/unga/resolutions.csv", 5, "yes", "a non-negative integer", "-3")
>>> str(err)
'data/unga/resolutions.csv:5:yes: expected a non-negative integer, found -3'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one place of one file.

    ``row`` is the spreadsheet row number (1 = header line) or ``None`` when the
    problem concerns the whole file; ``column`` is ``None`` when it concerns a row.
    """

    file: str
    row: int | None
    column: str | None
    expected: str
    found: str

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f":{self.row}"
            if self.column is not None:
                place += f":{self.column}"
        elif self.column is not None:
            place += f"::{self.column}"
        line = f"{place}: expected {self.expected}, found {self.found}"
        return _CONTROL.sub(_escape_control, line)


def display_path(path: str | Path) -> str:
    """Path as shown in messages: relative to the working directory when below it.

    >>> display_path("relative/file.csv")
    'relative/file.csv'
    """
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class DataError(Exception):
    """Bad input: a file that cannot be read as the table it should be.

    Carries one or more :class:`Problem` records; ``str()`` gives one line per problem.
    Attributes ``file``, ``row``, ``column``, ``expected``, ``found`` describe the first.
    """

    def __init__(
        self,
        file: str | Path,
        row: int | None = None,
        column: str | None = None,
        expected: str = "",
        found: str = "",
        *,
        problems: Iterable[Problem] | None = None,
    ) -> None:
        probs = list(problems) if problems is not None else []
        if not probs:
            probs = [Problem(display_path(file), row, column, expected, _short(found))]
        self.problems: list[Problem] = probs
        first = probs[0]
        self.file, self.row, self.column = first.file, first.row, first.column
        self.expected, self.found = first.expected, first.found
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def from_problems(cls, problems: Iterable[Problem]) -> DataError:
        """Build one error from several problems (sorted by file, row, column)."""
        probs = sorted(problems, key=_sort_key)
        if not probs:
            raise ValueError("from_problems needs at least one problem")
        return cls(probs[0].file, problems=probs)


def _sort_key(p: Problem) -> tuple:
    return (p.file, p.row if p.row is not None else 0, p.column or "", p.expected, p.found)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _escape_control(match: re.Match) -> str:
    """``\\n``, ``\\r``, ``\\t`` by name, other control characters as ``\\xNN``."""
    char = match.group(0)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")


def _short(value: object, limit: int = 80) -> str:
    """Quote a found value compactly so one enormous field cannot flood a message."""
    text = _CONTROL.sub(_escape_control, str(value))
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text)} characters)"
    return text


def short(value: object, limit: int = 80) -> str:
    """Public alias of the value shortener used in messages.

    >>> short("x" * 100, limit=5)
    'xxxxx... (100 characters)'
    """
    return _short(value, limit)
