"""`xxgk catalog compact`: give back the space a catalog no longer uses.

    compact_catalog(catalog) -> CompactReport   bytes before and after, seconds

SQLite keeps the pages a write freed (deleted reports, a migration that rewrote a table: 8 turns
each metric key into an id) for its own later writes; the file never shrinks by itself. VACUUM
rewrites it whole, which needs its size free twice (the copy in SQLite's temporary folder, then the
WAL beside the catalog), is
one transaction (a kill leaves the catalog as it was) and waits for another writer (a crawl, an
import) as every write does. The rewritten catalog goes through the WAL: while a reader
(``xxgk serve``, a search) still reads the old pages, the file keeps its size until that reader
is done and the next checkpoint folds the WAL in (``CompactReport.pending``).
On PostgreSQL each table is rewritten by VACUUM FULL (an exclusive lock on that table while it
runs) and analysed.
"""
from __future__ import annotations

import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .db import dialect_of, table_names
from .errors import CatalogError, DiskFullError, translate_sqlite_error

__all__ = ["CompactReport", "compact_catalog", "catalog_bytes"]

# SQLite's VACUUM: the rewritten copy, then the same pages again through the WAL
_VACUUM_SPACE = 2
_CHECKPOINT_WAIT_MS = 2000  # for readers of the old pages to finish: else the next checkpoint does it


@dataclass
class CompactReport:
    location: str
    bytes_before: int
    bytes_after: int  # SQLite: the compacted catalog's pages (what the file is once the WAL is folded in)
    seconds: float
    pending: bool = False  # SQLite: readers of the old pages kept the file its size for now

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location, "bytes_before": self.bytes_before, "bytes_after": self.bytes_after,
                "bytes_freed": self.bytes_before - self.bytes_after, "seconds": self.seconds,
                "pending": self.pending}


def catalog_bytes(conn: Any, path: Path | None) -> int:
    """What the catalog takes: SQLite's file and its WAL, or PostgreSQL's tables with their indexes."""
    if dialect_of(conn) == "postgres":
        return int(conn.execute(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'").fetchone()[0])
    assert path is not None
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def compact_catalog(catalog: Any, *, min_free_space: int = 0) -> CompactReport:
    """Rewrite the open ``catalog`` (an ``archive.catalog.Catalog`` opened for writing) without its
    unused space; DiskFullError, before anything is written, when there is not room for it;
    CatalogError when another writer holds the catalog longer than the catalog's busy timeout."""
    started = time.monotonic()
    conn, path = catalog.conn, catalog.path
    before = catalog_bytes(conn, path)
    if dialect_of(conn) == "postgres":
        for table in sorted(table_names(conn)):
            conn.execute(f"VACUUM (FULL, ANALYZE) {table}")  # the connection is in autocommit mode
        return CompactReport(catalog.location, before, catalog_bytes(conn, path), round(time.monotonic() - started, 3))
    _ensure_room(path, before, min_free_space)
    (busy_ms,) = conn.execute("PRAGMA busy_timeout").fetchone()
    try:
        conn.execute("VACUUM")
        conn.execute(f"PRAGMA busy_timeout = {_CHECKPOINT_WAIT_MS}")
        pending = bool(conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0])
        after = conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise CatalogError(f"the catalog {path} is being written by another xxgk (a crawl, an import?) for "
                               f"more than {busy_ms / 1000:g} s: nothing was changed; compact it when that has "
                               "finished") from e
        raise translate_sqlite_error(e, path) from e
    except sqlite3.Error as e:
        raise translate_sqlite_error(e, path) from e
    finally:
        conn.execute(f"PRAGMA busy_timeout = {busy_ms}")
    return CompactReport(catalog.location, before, after, round(time.monotonic() - started, 3), pending)


def _ensure_room(path: Path, size: int, margin: int) -> None:
    """Room for the rewrite: SQLite builds the copy in its temporary folder (SQLITE_TMPDIR, else
    TMPDIR, else /var/tmp or /tmp), then writes it back through the WAL beside the catalog."""
    import os
    import tempfile

    temp = Path(os.environ.get("SQLITE_TMPDIR") or tempfile.gettempdir())
    needs = [(path.parent, size + margin, "beside it")]
    if temp.is_dir():
        needs.append((temp, size, f"in the temporary folder {temp} (SQLITE_TMPDIR chooses another)"))
    if len(needs) == 2 and os.stat(temp).st_dev == os.stat(path.parent).st_dev:
        needs = [(path.parent, _VACUUM_SPACE * size + margin, "beside it")]  # one disk holds both
    for folder, needed, where in needs:
        free = shutil.disk_usage(folder).free
        if free < needed:
            raise DiskFullError(f"not enough free space to compact the catalog {path}: {free / 2**20:,.1f} MB "
                                f"free {where}, about {needed / 2**20:,.1f} MB needed (it is rewritten whole); "
                                "free some space and run the same command again")
