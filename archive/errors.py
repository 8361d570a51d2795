"""Errors of the archive, and the tuple of every package's base the CLI turns into one line.

    ArchiveError              the archive home or catalog cannot do what was asked
    ├── HomeError             the home folder is missing, unwritable, or not an xxgk home
    ├── CatalogError          the catalog is newer than this xxgk, or corrupt
    │   ├── CatalogDamagedError   SQLite says the file is damaged: restore it from a backup
    │   └── ReadOnlyError         a write asked of an archive on read-only storage
    ├── DiskFullError         the archive's disk is full (ENOSPC, SQLITE_FULL): nothing half-written
    ├── BlobError             a blob is not what the catalog says (``reason``: blob_missing, blob_altered)
    └── InputError            a user's input (path, range, filter) is wrong; carries the input

Every message says what to do next (the remedy), because the CLI prints it as the only line.
"""
from __future__ import annotations

import errno
import sqlite3

__all__ = ["ArchiveError", "HomeError", "CatalogError", "CatalogDamagedError", "ReadOnlyError", "DiskFullError",
           "BlobError", "InputError", "xxgk_errors", "translate_sqlite_error", "is_disk_full"]


class ArchiveError(Exception):
    """Base of the archive's own errors."""


class HomeError(ArchiveError):
    pass


class CatalogError(ArchiveError):
    pass


class CatalogDamagedError(CatalogError):
    pass


class ReadOnlyError(CatalogError):
    pass


class DiskFullError(ArchiveError):
    pass


class BlobError(ArchiveError):
    """A blob missing or changed on disk; ``reason`` is ``blob_missing`` or ``blob_altered``."""

    def __init__(self, message: str, *, sha256: str, reason: str):
        super().__init__(message)
        self.sha256, self.reason = sha256, reason


class InputError(ArchiveError):
    pass


_DAMAGED = ("malformed", "not a database", "file is encrypted", "disk i/o error", "corrupt")


def translate_sqlite_error(e: sqlite3.Error, path: object) -> Exception:
    """The archive's own error for what SQLite said about the catalog at ``path``, or ``e`` itself."""
    text = str(e).lower()
    if "database or disk is full" in text:
        return DiskFullError(f"the archive's disk is full: writing the catalog {path} failed, nothing was "
                             "half-written; free some space and run the same command again")
    if any(m in text for m in _DAMAGED):
        return CatalogDamagedError(
            f"the catalog {path} is damaged ({e}): restore it from a backup (`xxgk backup DEST` makes one; "
            "copy DEST/catalog.sqlite over it); the blobs are intact and `xxgk verify` checks them")
    if "readonly database" in text or "read-only" in text:
        return ReadOnlyError(f"the archive at {path} is on read-only storage: reading commands work, "
                             "this one writes; run it on a writable copy")
    if "unable to open database file" in text:
        return CatalogError(f"cannot open the catalog {path} ({e}): check that the folder exists and is "
                            "readable")
    return e


def is_disk_full(e: BaseException) -> bool:
    return isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)


def xxgk_errors() -> tuple[type[Exception], ...]:
    """Every package's error base: what the CLI prints as one line instead of a traceback."""
    from parser.errors import ParseError

    bases: list[type[Exception]] = [ArchiveError, ParseError]
    try:
        from scraper.errors import ScraperError

        bases.append(ScraperError)
    except ImportError:  # the crawler package may be absent in a trimmed install
        pass
    try:
        from index.errors import SearchIndexError

        bases.append(SearchIndexError)
    except ImportError:
        pass
    return tuple(bases)
