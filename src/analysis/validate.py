"""Check one user-given file: a bundled table (recognised by its file name) or a UN
voting dataset (a UN Digital Library CSV or an unvotes folder).

Kept apart from :mod:`analysis.data` so that the loaders of bundled tables never import
the voting-dataset reader (:mod:`analysis.votes_io` imports :mod:`analysis.data`, not the
other way round).

>>> validate_file(Path(__file__).parents[2] / "data" / "unga" / "families.csv")
[]
"""

from __future__ import annotations

import stat
from pathlib import Path

from .csvio import check_path
from .data import _read_typed
from .errors import DataError, Problem
from .tables import TABLES
from .votes_io import load_votes

__all__ = ["validate_file"]


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of one file (``[]`` when it is valid); never raises DataError."""
    p = Path(path)
    by_name = {Path(spec.path).name: spec for spec in TABLES.values()}
    try:  # a regular file, a folder (unvotes), or a one-line problem
        regular = stat.S_ISREG(check_path(p, folder_ok=True).st_mode)
    except DataError as exc:
        return exc.problems
    if regular and p.name in by_name:
        _, problems = _read_typed(by_name[p.name], p)
        # same order as validate_all and DataError: by row, then column
        return sorted(problems, key=lambda q: (q.file, q.row or 0, q.column or "", q.expected,
                                               q.found))
    try:
        load_votes(p, cache=False)
    except DataError as exc:
        return exc.problems
    return []
