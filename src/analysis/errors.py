"""The project's one error type for bad input, and a collector for many problems.

Every loader raises :class:`DataError` with the file, the row as a spreadsheet shows
it (header = row 1, first data row = row 2), the column, what was expected and what
was found. The command line prints it as ``file:row:column: expected ..., found ...``.

>>> err = DataError("data/unga/resolutions.csv", 5, "yes", "a non-negative integer", "-3")
>>> str(err)
'data/unga/resolutions.csv:5:yes: expected a non-negative integer, found -3'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MAX_PATH_SHOWN = 300  # characters of a path shown in a message

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
        return visible(f"{place}: expected {self.expected}, found {self.found}")


def display_path(path: str | Path) -> str:
    """Path as shown in messages: relative to the working directory when below it.

    >>> display_path("relative/file.csv")
    'relative/file.csv'
    """
    p = Path(path)
    try:
        text = str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        text = str(p)
    if len(text) > MAX_PATH_SHOWN:  # a path longer than any file name: shown in part
        text = text[:60] + f"...({len(text)} characters)..." + text[-40:]
    return text


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


def _escape(char: str) -> str:
    """``\\n``, ``\\r``, ``\\t`` by name, other invisible characters as ``\\xNN``,
    ``\\uNNNN`` or ``\\UNNNNNNNN``."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def visible(text: object) -> str:
    """``text`` with every invisible character shown as an escape: control characters,
    format characters (a byte-order mark, zero-width and direction marks), separators
    other than the plain space (line and paragraph separators, no-break spaces), and
    unassigned or private code points -- every character Python does not call printable.

    >>> visible("\\ufeffJPN\\u200b\\tx\\u2028y 東京")
    '\\\\ufeffJPN\\\\u200b\\\\tx\\\\u2028y 東京'
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _short(value: object, limit: int = 80) -> str:
    """Quote a found value compactly so one enormous field cannot flood a message."""
    text = visible(value)
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text)} characters)"
    return text


def short(value: object, limit: int = 80) -> str:
    """Public alias of the value shortener used in messages.

    >>> short("x" * 100, limit=5)
    'xxxxx... (100 characters)'
    """
    return _short(value, limit)
