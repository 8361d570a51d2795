"""Compiled regular expressions kept between processes: the parser's big patterns compiled once a machine.

    cached(pattern, flags=0) -> re.Pattern    re.compile(pattern, flags), from the cache when it can
    save()                                   write what this process compiled (also done at exit)
    stats() -> CacheStats                    hits and misses so far

Python compiles a regular expression in Python code (``re._parser``, ``re._compiler``): the prose
readers' label unions, ~200 patterns of up to 15,000 characters, cost 0.6-0.7 s of CPU in every
process that parses a report, more than parsing a report does. This keeps what ``re._compiler.compile``
hands to ``_sre.compile`` (the opcode list, groups, group names) in one file per interpreter build
(``<cache dir>/regex-<version>-<build>.marshal``) and gives it back to ``_sre.compile``: 20 ms for all of them.

Trust and safety: the file is data (``marshal`` of lists, strings and ints: no code is loaded), lives
in the user's own cache folder (``XXGK_CACHE_DIR``, else platformdirs' user cache dir; ``off``: no
cache) and is keyed by the exact interpreter build and the regex engine's ``MAGIC``, so a cache from
another Python is never read. ``_sre.compile`` validates the opcodes it is given; an entry it refuses,
a damaged or foreign file, a folder that cannot be written: each falls back to ``re.compile`` and the
answer is the same. Where the interpreter's internals differ (another implementation), ``cached`` is
``re.compile``.
"""
from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["cached", "save", "stats", "cache_file", "cache_folder", "CacheStats", "CACHE_ENV"]

CACHE_ENV = "XXGK_CACHE_DIR"
# a cache holds the parser's own patterns (a few hundred); this only bounds a runaway caller
_MAX_ENTRIES = 4000
_MAX_FILE_BYTES = 64 << 20

try:  # CPython's regex compiler, whose output _sre.compile takes back (3.11-3.14)
    import _sre
    from re import _compiler, _parser

    _ENGINE = (f"{sys.implementation.cache_tag}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|"
               f"{_sre.MAXREPEAT}|{_sre.MAXGROUPS}")
    _code_of = _compiler._code
except (ImportError, AttributeError):  # another interpreter: no cache, plain re.compile
    _ENGINE = ""

# (pattern, flags) -> (flags as compiled, opcodes, groups, groupindex, indexgroup)
_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


@dataclass(frozen=True)
class CacheStats:
    hits: int
    misses: int


_lock = threading.Lock()
_known: dict[tuple[str, int], _Entry] | None = None  # loaded from the file at the first call
_new: dict[tuple[str, int], _Entry] = {}
_hits = 0
_misses = 0
_used: set[tuple[str, int]] = set()  # keys served from the file: kept first when it is full
_off = False  # no cache folder (XXGK_CACHE_DIR=off, no home): plain re.compile
_saving_at_exit: list[bool] = []  # save() is registered once, at the first pattern compiled here


def cache_folder() -> Path | None:
    """The folder of what xxgk keeps between processes (``XXGK_CACHE_DIR``, else the user's cache
    folder); None when caching is off (``XXGK_CACHE_DIR=off``) or there is no such folder."""
    folder = os.environ.get(CACHE_ENV, "").strip()
    if folder.lower() == "off":
        return None
    if not folder:
        try:
            import platformdirs

            folder = platformdirs.user_cache_dir("xxgk", appauthor=False)
        except Exception:  # noqa: BLE001 - no home folder to speak of: no cache
            return None
    return Path(folder)


def cache_file() -> Path | None:
    """Where this interpreter's cache lives (None: caching is off or impossible here)."""
    folder = cache_folder() if _ENGINE else None
    if folder is None:
        return None
    # one file per interpreter build: two Pythons of one version never take turns overwriting it
    build = hashlib.sha256(_ENGINE.encode()).hexdigest()[:12]
    tag = re.sub(r"[^\w.-]", "_", f"{sys.implementation.cache_tag}-{build}")
    return folder / f"regex-{tag}.marshal"


def cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``: the same pattern object, its compiling done by an earlier process."""
    global _known, _hits, _misses, _off
    if not _ENGINE or not isinstance(pattern, str) or _off:
        if _off:
            with _lock:
                _misses += 1
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    with _lock:
        if _known is None:
            path = cache_file()
            _known, _off = _read(path), path is None
        entry = _known.get(key) or _new.get(key)
    if _off:  # no cache folder here: re.compile, without keeping opcodes nobody will read
        return cached(pattern, flags)
    if entry is not None:
        try:
            compiled = _sre.compile(pattern, *entry)
        except (ValueError, TypeError, RuntimeError, OverflowError):  # refused: compile it afresh
            pass
        else:
            with _lock:
                _hits += 1
                _used.add(key)
            return compiled
    entry = _compile(pattern, int(flags))
    with _lock:
        _misses += 1
        if len(_new) < _MAX_ENTRIES:
            if not _new and not _saving_at_exit:
                atexit.register(save)
                _saving_at_exit.append(True)
            _new[key] = entry
    return _sre.compile(pattern, *entry)


def _compile(pattern: str, flags: int) -> _Entry:
    # what re._compiler.compile does, kept as plain data (the opcodes are int subclasses)
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _code_of(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _read(path: Path | None) -> dict[tuple[str, int], _Entry]:
    """The file's entries, or none when it is missing, damaged, too big or from another interpreter."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as f:
            data = f.read(_MAX_FILE_BYTES + 1)
        if len(data) > _MAX_FILE_BYTES:
            return {}
        engine, rows = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if engine != _ENGINE or not isinstance(rows, list):
        return {}
    entries: dict[tuple[str, int], _Entry] = {}
    for row in rows[:_MAX_ENTRIES]:
        if _well_formed(row):
            pattern, flags, compiled_flags, code, groups, groupindex, indexgroup = row
            entries[(pattern, flags)] = (compiled_flags, code, groups, groupindex, indexgroup)
    return entries


def _well_formed(row: object) -> bool:
    return (isinstance(row, tuple) and len(row) == 7 and isinstance(row[0], str)
            and all(isinstance(row[i], int) for i in (1, 2, 4)) and isinstance(row[3], list)
            and isinstance(row[5], dict) and isinstance(row[6], tuple))


def save() -> None:
    """Add what this process compiled to the file (merged with what others wrote meanwhile)."""
    global _known
    with _lock:
        if not _new:
            return
        fresh = dict(_new)
        _new.clear()
        _known = {**(_known or {}), **fresh}
    path = cache_file()
    if path is None:
        return
    on_file = _read(path)
    with _lock:
        used = set(_used)
    # over the cap, what this process neither used nor made goes first (patterns of an older parser)
    order = ([k for k in on_file if k not in used and k not in fresh] + [k for k in on_file if k in used and k not in fresh]
             + list(fresh))
    merged = {**on_file, **fresh}
    rows = [(p, f, *merged[(p, f)]) for p, f in order[-_MAX_ENTRIES:]]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                marshal.dump((_ENGINE, rows), f)
            os.replace(tmp, path)  # readers see the old file or the new one, never half of one
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:  # a read-only or full disk: the next process compiles again, nothing else changes
        pass


def stats() -> CacheStats:
    with _lock:
        return CacheStats(_hits, _misses)
