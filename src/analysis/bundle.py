"""One object holding the bundled tables of a notebook run, each loaded (and validated)
at most once, and the per-country votes.

Notebooks create one :class:`Bundle` and pass its frames into the analysis functions;
no analysis function reads a file.

>>> b = load_bundle()
>>> b.families is b.families   # loaded once, then kept
True
>>> b.votes.attrs["source_format"], int(b.votes["year"].max())
('unvotes', 2019)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from . import data as _data
from .votes_io import load_votes

__all__ = ["Bundle", "load_bundle", "BUNDLED_VOTES"]

#: the bundled per-country record (unvotes layout, 1948-2019), relative to the data folder
BUNDLED_VOTES = "unga/unvotes"


@dataclass
class Bundle:
    """The bundled tables (attributes named as in :data:`analysis.data.LOADERS`, plus
    ``consultations``) and ``votes``: per-country votes from ``votes_source`` or, when it
    is None, the bundled record."""

    root: Path
    votes_source: str | Path | None = None
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name`` (loaded on first use). Raises KeyError for an unknown name,
        DataError for a table with problems."""
        if name not in self._frames:
            self._frames[name] = _data.LOADERS[name](self.root)
        return self._frames[name]

    families = property(lambda self: self.table("families"))
    resolutions = property(lambda self: self.table("resolutions"))
    vote_counts = property(lambda self: self.table("vote_counts"))
    membership = property(lambda self: self.table("membership"))
    members = property(lambda self: self.table("members"))
    regional_groups = property(lambda self: self.table("regional_groups"))
    continuity = property(lambda self: self.table("continuity"))
    named_votes = property(lambda self: self.table("named_votes"))
    consultations = property(lambda self: self.table("meetings"))
    counterparts = property(lambda self: self.table("counterparts"))
    seed_counts = property(lambda self: self.table("seed_counts"))
    cycles = property(lambda self: self.table("cycles"))
    objectives = property(lambda self: self.table("objectives"))
    ratings = property(lambda self: self.table("ratings"))
    vocabulary = property(lambda self: self.table("vocabulary"))
    indicators = property(lambda self: self.table("indicators"))
    evaluation_coverage = property(lambda self: self.table("evaluation_coverage"))
    hiroshima_report = property(lambda self: self.table("hiroshima_report"))

    @cached_property
    def participants(self) -> pd.DataFrame:
        """One row per meeting and participant (see :func:`analysis.data.load_participants`)."""
        return _data.participants_of(self.consultations)

    @cached_property
    def votes(self) -> pd.DataFrame:
        """Per-country votes: ``votes_source`` (a UN Digital Library CSV or an unvotes
        folder) or the bundled unvotes record. Raises DataError for a bad file."""
        source = Path(self.votes_source if self.votes_source is not None
                      else self.root / BUNDLED_VOTES)
        try:
            where = source.resolve()
        except (OSError, RuntimeError):  # a symbolic link loop: load_votes says so
            where = source.absolute()
        return _votes(where, *_identity(source)).copy(deep=False)


def _identity(source: Path) -> tuple[int, ...]:
    """Size and modification time of a votes file (or of an unvotes folder's files)."""
    try:
        files = sorted(source.glob("*.csv")) if source.is_dir() else [source]
        return tuple(v for f in files if f.is_file() for v in (f.stat().st_size,
                                                                f.stat().st_mtime_ns))
    except (OSError, RuntimeError):  # a path too long, a loop: load_votes reports it
        return ()


@lru_cache(maxsize=2)
def _votes(source: Path, *identity: int) -> pd.DataFrame:
    """One parse per file and version in a process (several bundles, or a test session,
    share it); a changed file has another identity and is read again."""
    return load_votes(source)


def load_bundle(data: str | Path | None = None, votes_source: str | Path | None = None
                ) -> Bundle:
    """A :class:`Bundle` on the data folder (see :func:`analysis.data.data_dir`)."""
    return Bundle(_data.data_dir(data), votes_source)
