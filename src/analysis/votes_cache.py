"""A Parquet cache for :func:`analysis.votes_io.load_votes`: parse a large CSV once.

:func:`cached_parse` wraps the loader's parsing step. The first load of a source parses
it (the usual pyarrow CSV reader and checks) and writes the tidy frame to a Parquet
file; later loads read that file instead: on a 2-core machine about 0.1-0.2 s for a
synthetic full-scale record (950,000 rows, 300 MB) whose parse takes about a second
(``python -m analysis bench`` measures both).

What is cached, and where
-------------------------
- ``cache=True`` (the default of ``load_votes``): the per-user cache folder
  ``platformdirs.user_cache_dir("disarmament-notebooks")/votes/`` (on Linux
  ``~/.cache/disarmament-notebooks/votes/``), and **only when the source is at least**
  :data:`MIN_SOURCE_BYTES` (5 MiB) -- small files parse faster than they hash.
- ``cache=<folder>`` (a ``str`` or ``Path``): that folder, created if needed, whatever
  the source's size. ``cache=Path(source).parent`` keeps the cache beside the source.
- ``cache=False``: no cache is read or written.
- Both formats are cached: a UNDL CSV, and an unvotes folder, whose key covers its three
  files (``un_votes.csv``, ``un_roll_calls.csv``, ``un_roll_call_issues.csv``).

One cache file per source location: ``<stem>-<16 hex digits>.parquet``, the digits a
hash of the source's absolute path and format. A stale cache is overwritten, so the
folder does not grow with each new version of a file; files of sources that no longer
exist stay until the folder is deleted (any file in it may be deleted at any time).

The key, stored in the Parquet file's metadata
----------------------------------------------
:data:`CACHE_VERSION`, a hash of the parser's own source code (``votes_io.py`` and
``csvio.py``, so a change to the parsing rules invalidates every cache), the format, and
for each source file its **size** and **modification time** (``st_mtime_ns``). Beside
it, the source's **identity**: device, inode, size, mtime and **ctime** (``st_ctime_ns``)
of each file. On POSIX systems any write to a file, ``touch``, ``os.utime`` (as
``cp -p`` or ``rsync -t`` use) or replacement changes its ctime or inode, and a user
cannot set the ctime back, so an unchanged identity proves unchanged content: a warm
load then costs a ``stat`` and reading the Parquet file, never a read of the source.

When the identity cannot vouch for the content -- on Windows (``st_ctime`` is the
creation time there), or when a file was changed less than :data:`RACY_NS` (2 s) before
it was looked at, so that a later change could fall in the same timestamp tick (the
"racy" case known from git's index) -- no identity is stored and the key also holds a
**BLAKE2b content hash** of each file (whole file, read in 1 MiB chunks, computed on a
second thread while the source is parsed). Such a cache is then checked by hashing the
source on every load (BLAKE2b runs at roughly 0.5-1 GB/s on one core, about half a
second for a 360 MB file) and reused when size, mtime and hash match. A cache stored
with an identity is stale as soon as the identity differs: a touched, edited or
replaced file (even one of the same size and time) is always parsed again.

Safety
------
- A cache file that cannot be read -- truncated, garbage bytes, a damaged data page
  (pages are written with CRC checksums and verified on reading), unexpected columns
  or row count -- is not trusted: a warning is logged (logger ``analysis.votes_cache``)
  and the frame is rebuilt from the source and the cache rewritten.
- Writes go to a temporary file in the cache folder, created with the default mode
  (``0o666`` less the umask, so never wider than the user's other files), then moved
  into place with :func:`os.replace`: a reader never sees a half-written cache.
- A cache that cannot be written (read-only folder, full disk) only logs a warning;
  the parsed frame is returned as usual.
- If the source changes while it is being parsed, the result is returned but not
  cached.

After reading, dtypes are restored exactly as parsed: categorical columns (``country``,
``vote``) keep their categories and order, strings stay ``str``, dates
``datetime64[ns]``; ``DataFrame.attrs`` of the parsed frame are restored too (the
loader then sets ``source_format`` and ``source_path`` for the path given).

>>> import tempfile, shutil
>>> from analysis import votes_io
>>> fixtures = Path(__file__).parents[2] / "tests" / "fixtures"
>>> folder = Path(tempfile.mkdtemp())
>>> df = votes_io.load_votes(fixtures / "undl" / "undl_2026.csv", cache=folder)
>>> [p.suffix for p in folder.iterdir()]
['.parquet']
>>> again = votes_io.load_votes(fixtures / "undl" / "undl_2026.csv", cache=folder)
>>> again.equals(df), str(again["vote"].dtype)
(True, 'category')
>>> shutil.rmtree(folder)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
import platformdirs
import pyarrow as pa
import pyarrow.parquet as pq

from .errors import display_path
from .params import ParameterError

APP_NAME = "disarmament-notebooks"
CACHE_VERSION = 1  # bump when the layout of the cache file changes
MIN_SOURCE_BYTES = 5 * 1024 * 1024  # with cache=True, smaller sources are not cached
CHUNK_BYTES = 1024 * 1024
RACY_NS = 2_000_000_000  # a source changed this recently is hashed on every load
META_KEY = b"disarmament-notebooks.votes_cache"
UNVOTES_FILES = ("un_votes.csv", "un_roll_calls.csv", "un_roll_call_issues.csv")

log = logging.getLogger(__name__)

Parser = Callable[[Path, str], pd.DataFrame]


class CorruptCache(Exception):
    """A cache file that exists but cannot be trusted."""


def user_cache_root() -> Path:
    """The per-user cache folder of the suite (``platformdirs.user_cache_dir``)."""
    return Path(platformdirs.user_cache_dir(APP_NAME))


def default_cache_dir() -> Path:
    """Where ``load_votes(..., cache=True)`` keeps its Parquet files."""
    return user_cache_root() / "votes"


def file_hash(path: str | Path, chunk: int = CHUNK_BYTES) -> str:
    """BLAKE2b (256-bit) hex digest of a whole file, read in ``chunk``-byte pieces.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_hash(p) == hashlib.blake2b(b"abc", digest_size=32).hexdigest()
    True
    """
    digest = hashlib.blake2b(digest_size=32)
    buf = bytearray(chunk)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            digest.update(view[:n])
    return digest.hexdigest()


def source_files(path: Path, fmt: str) -> list[Path] | None:
    """The files a source consists of, or None when one of them is missing."""
    if fmt == "undl":
        files = [path]
    else:
        folder = path if path.is_dir() else path.parent
        files = [folder / name for name in UNVOTES_FILES]
    return files if all(f.is_file() for f in files) else None


def cache_file(folder: Path, source: Path, fmt: str) -> Path:
    """The cache file of ``source`` in ``folder`` (one per source location and format).

    >>> cache_file(Path("c"), Path("/data/votes.csv"), "undl").name[:6]
    'votes-'
    """
    where = source if fmt == "undl" or source.is_dir() else source.parent
    try:
        where = where.resolve()
    except OSError:  # pragma: no cover - resolve() rarely fails
        where = where.absolute()
    tag = hashlib.blake2b(f"{fmt}\0{where}".encode(), digest_size=8).hexdigest()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", where.stem or fmt)[:60] or fmt
    return folder / f"{stem}-{tag}.parquet"


def cached_parse(path: Path, fmt: str, parse: Parser,
                 cache: bool | str | os.PathLike[str] = True) -> pd.DataFrame:
    """``parse(path, fmt)`` through the Parquet cache (see the module documentation)."""
    if cache is False:
        return parse(path, fmt)
    explicit = _check_cache_arg(cache)
    files = source_files(path, fmt)
    if files is None:  # let the parser report the missing file
        return parse(path, fmt)
    checked_at = time.time_ns()
    stats = [f.stat() for f in files]
    if not explicit and sum(s.st_size for s in stats) < MIN_SOURCE_BYTES:
        return parse(path, fmt)
    folder = Path(cache) if explicit else default_cache_dir()  # type: ignore[arg-type]
    target = cache_file(folder, path, fmt)
    identity = _identity(stats, checked_at)
    key: dict[str, Any] | None = None

    if target.exists() or target.is_symlink():
        try:
            meta = _read_meta(target)
            if _unchanged(meta, fmt, files, stats):  # provably the same bytes
                frame: pd.DataFrame | None = _read_frame(target, meta)
            elif _hashed(meta["key"]):  # compare the content hashes
                key = _key(fmt, files, stats, content=True)
                frame = _read_frame(target, meta) if meta["key"] == key else None
            else:  # written for a file that has been changed, touched or replaced since
                frame = None
        except CorruptCache as exc:
            key = None
            log.warning("votes cache %s is unreadable (%s); rebuilding it from %s",
                         target, exc, display_path(path))
        else:
            if frame is not None:
                log.info("votes: read %s from cache %s", display_path(path), target)
                return frame
            log.info("votes cache %s is stale (source changed); rebuilding", target)

    if key is None and identity is None:  # hash on a second core while parsing
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashing = pool.submit(_key, fmt, files, stats, content=True)
            frame = parse(path, fmt)
            key = hashing.result()
    else:
        frame = parse(path, fmt)
        key = key or _key(fmt, files, stats, content=False)
    if [_stamp(f.stat()) for f in files] != [_stamp(s) for s in stats]:
        log.warning("votes: %s changed while it was read; not caching it", display_path(path))
        return frame
    try:
        _write(target, frame, key, identity)
    except (OSError, pa.ArrowException, TypeError, ValueError) as exc:
        log.warning("votes: could not write cache %s (%s); continuing without it", target, exc)
    else:
        log.info("votes: wrote cache %s", target)
    return frame


# --- key ----------------------------------------------------------------------------------


def _stamp(st: os.stat_result) -> tuple[int, int]:
    return st.st_size, st.st_mtime_ns


_PARSER_HASH: str | None = None


def _parser_hash() -> str:
    """Hash of the parsing code, so that new parsing rules invalidate old caches."""
    global _PARSER_HASH
    if _PARSER_HASH is None:
        digest = hashlib.blake2b(digest_size=16)
        here = Path(__file__).parent
        for name in ("votes_io.py", "csvio.py"):
            try:
                digest.update((here / name).read_bytes())
            except OSError:  # pragma: no cover - e.g. a zipped install
                digest.update(name.encode())
        _PARSER_HASH = digest.hexdigest()
    return _PARSER_HASH


def _key(fmt: str, files: Sequence[Path], stats: Sequence[os.stat_result], *,
         content: bool = True) -> dict[str, Any]:
    """Version, parser, format, and per file its name, size, mtime and (``content``) hash."""
    entries = []
    for f, st in zip(files, stats, strict=True):
        entry: dict[str, Any] = {"name": f.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        if content:
            entry["blake2b"] = file_hash(f)
        entries.append(entry)
    return {"version": CACHE_VERSION, "parser": _parser_hash(), "format": fmt,
            "files": entries}


def _hashed(key: dict[str, Any]) -> bool:
    """Whether a stored key holds the content hash of every file."""
    files = key.get("files")
    return bool(files) and all(isinstance(f, dict) and "blake2b" in f for f in files)


def file_identity(files: Sequence[Path]) -> tuple[tuple[int, ...], ...] | None:
    """Device, inode, size, mtime and ctime of each of ``files`` when they prove the
    content unchanged as long as they stay the same (the rule of this module's cache);
    None on Windows, for a file changed less than :data:`RACY_NS` ago, or one that cannot
    be looked at. In-process caches of parsed files are keyed on it.

    >>> file_identity([Path("/nonexistent")]) is None
    True
    """
    checked_at = time.time_ns()
    try:
        stats = [Path(f).stat() for f in files]
    except (OSError, ValueError):
        return None
    ident = _identity(stats, checked_at)
    return None if ident is None else tuple(tuple(i) for i in ident)


def _identity(stats: Sequence[os.stat_result], checked_at: int) -> list[list[int]] | None:
    """Device, inode, size, mtime and ctime of each source file, or None when they cannot
    prove the content unchanged later: on Windows (st_ctime is the creation time there),
    or when a file changed less than :data:`RACY_NS` before it was looked at (a later
    change could then fall in the same timestamp tick)."""
    if os.name == "nt" or any(s.st_ctime_ns >= checked_at - RACY_NS for s in stats):
        return None
    return [[s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns] for s in stats]


def _unchanged(meta: dict[str, Any], fmt: str, files: Sequence[Path],
               stats: Sequence[os.stat_result]) -> bool:
    """True when the cache was written for exactly these files, untouched since: same
    version, parser and format, and the same device, inode, size, mtime and ctime (any
    write, ``touch``, ``os.utime`` or replacement changes the ctime)."""
    key, ident = meta["key"], meta.get("identity")
    if not ident or os.name == "nt":
        return False
    now = [[s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns] for s in stats]
    return (ident == now and key.get("version") == CACHE_VERSION
            and key.get("parser") == _parser_hash() and key.get("format") == fmt
            and [f.get("name") for f in key.get("files", [])] == [f.name for f in files])


# --- reading and writing ------------------------------------------------------------------


def _read_meta(target: Path) -> dict[str, Any]:
    """The cache file's metadata (key, identity, columns, dtypes); raises CorruptCache."""
    try:
        schema = pq.read_schema(target)
        raw = (schema.metadata or {}).get(META_KEY)
        if raw is None:
            raise CorruptCache("no cache metadata")
        meta = json.loads(raw)
        if not isinstance(meta, dict) or not isinstance(meta.get("key"), dict):
            raise CorruptCache("malformed cache metadata")
        return meta
    except CorruptCache:
        raise
    except Exception as exc:  # any failure to read a cache means: do not trust it
        raise CorruptCache(f"{type(exc).__name__}: {exc}") from exc


def _read_frame(target: Path, meta: dict[str, Any]) -> pd.DataFrame:
    """The cached frame, every page checksum verified; raises CorruptCache."""
    try:
        table = pq.read_table(target, page_checksum_verification=True)
        frame = table.to_pandas()
        return _restore(frame, meta)
    except CorruptCache:
        raise
    except Exception as exc:  # any failure to read a cache means: do not trust it
        raise CorruptCache(f"{type(exc).__name__}: {exc}") from exc


def _restore(frame: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """Give the frame read back the exact columns, dtypes and attrs it was written with."""
    columns = meta["columns"]
    if list(frame.columns) != columns:
        raise CorruptCache(f"columns {list(frame.columns)}, expected {columns}")
    if len(frame) != meta["rows"]:
        raise CorruptCache(f"{len(frame)} rows, expected {meta['rows']}")
    for col in columns:
        cat = meta["categories"].get(col)
        if cat is not None:
            dtype: Any = pd.CategoricalDtype(pd.Index(cat["categories"], dtype=cat["dtype"]),
                                             ordered=cat["ordered"])
            if frame[col].dtype != dtype:
                frame[col] = frame[col].astype(object).astype(dtype)
                if frame[col].isna().sum() != cat["missing"]:
                    raise CorruptCache(f"column {col}: values outside its categories")
        elif str(frame[col].dtype) != meta["dtypes"][col]:
            frame[col] = frame[col].astype(meta["dtypes"][col])
    frame = frame.reset_index(drop=True)
    frame.attrs = dict(meta.get("attrs") or {})
    return frame


def _write(target: Path, frame: pd.DataFrame, key: dict[str, Any],
           identity: list[list[int]] | None = None) -> None:
    """Write ``frame`` atomically: temporary file (default mode), then os.replace."""
    attrs = {k: v for k, v in frame.attrs.items() if _jsonable(v)}
    plain = frame.copy(deep=False)
    plain.attrs = {}
    meta = {
        "key": key,
        "identity": identity,
        "rows": len(frame),
        "columns": [str(c) for c in frame.columns],
        "dtypes": {str(c): str(frame[c].dtype) for c in frame.columns},
        "categories": {
            str(c): {"categories": frame[c].cat.categories.tolist(),
                     "dtype": str(frame[c].cat.categories.dtype),
                     "ordered": bool(frame[c].cat.ordered),
                     "missing": int(frame[c].isna().sum())}
            for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)
        },
        "attrs": attrs,
    }
    table = pa.Table.from_pandas(plain, preserve_index=False)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), META_KEY: json.dumps(meta).encode()})
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp, fd = _temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            pq.write_table(table, fh, compression="zstd", write_page_checksum=True,
                           write_statistics=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _temp_beside(target: Path) -> tuple[Path, int]:
    """A new, exclusive temporary file beside ``target``, mode 0o666 less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return tmp, os.open(tmp, flags, 0o666)
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
    raise FileExistsError(f"no free temporary name beside {target}")  # pragma: no cover


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _check_cache_arg(cache: object) -> bool:
    """True for an explicit folder, False for ``cache=True``; ParameterError otherwise."""
    if cache is True:
        return False
    if isinstance(cache, (str, os.PathLike)) and str(cache).strip():
        return True
    raise ParameterError("cache", "True, False or a folder path", cache)
