"""Keep the search index (``<home>/index``) in step with the catalog.

``sync_index(catalog, index_dir, backend=None, rebuild=False, progress=None) -> SyncStats``
(``catalog``: a path, a ``Catalog``, a sqlite3 connection, or a ``Home``, whose index_dir is used)

Incremental: the catalog's ``report_changes`` feed (filled by triggers on ``reports``) says which
reports changed since the last sync; each changed report is indexed again from its current row
and sections, or deleted when it is gone. The last applied ``seq`` is kept in the index's state
file, written after the index commit, so a killed sync is simply applied again (upserts are
idempotent). The whole sync holds the index's writer lock: two processes syncing at once take
turns, the second applying only what the first left.

Copies of one report linked in ``report_links`` (by the crawler: portal copy, 图解, corrected
version) are indexed with ``group`` = their canonical report id, so a search shows and counts them
once. Link changes fire no ``report_changes`` trigger, so every sync also compares the index's
groups with the catalog's (one query each) and indexes again the reports whose group changed.

``rebuild=True`` (or a different backend, or an index of an older layout) builds a fresh index beside
the old one and swaps the two directories in one step (``archive.index_files``), so a kill at any
moment leaves a working index; every sync first clears what a killed rebuild left. A damaged index is an
``ArchiveError`` naming the remedy (``xxgk index --rebuild``). ``index_lag`` (``archive.index_health``,
handed out here too) says how far the index is behind the catalog's change feed (``status`` and ``search``
print it). Region ancestors
for the "filtered by 浙江省 finds 余杭区" filter come from the division table of
``parser.regions`` (``region_path``).
"""
from __future__ import annotations

import errno
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from index import (LAYOUT_VERSION, BackendUnavailableError, IndexLockedError, SearchIndex, SearchIndexError,
                   default_backend, detect_backend, index_layout)
from index.lock import WriterLock

from .errors import ArchiveError, DiskFullError, is_disk_full
from .index_files import clean_leftovers, remove_leftovers, swap_in
from .logs import logger
from .index_health import IndexLag, catalog_connection, damaged, damaged_index_says_so, index_damage, index_lag

__all__ = ["SyncStats", "IndexLag", "sync_index", "index_lag", "damaged_index_says_so", "region_path",
           "report_documents", "linked_groups"]

_BATCH = 500
# a name ends a level of the hierarchy at one of these (used only when the division table has no answer)
_LEVEL_ENDS = ("特别行政区", "自治区", "自治州", "地区", "省", "盟", "州", "市", "县", "旗", "区")


@dataclass
class SyncStats:
    backend: str
    upserted: int = 0
    deleted: int = 0
    last_seq: int = 0
    rebuilt: bool = False
    regrouped: int = 0  # reports indexed again because their copies' links changed
    documents: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __str__(self) -> str:
        how = "rebuilt" if self.rebuilt else "updated"
        return (f"{how} ({self.backend}): {self.upserted} indexed, {self.deleted} removed, "
                f"{self.documents} reports searchable")


def region_path(region: str | None, region_code: str | None = None, year: int | None = None) -> list[str]:
    """["浙江省", "浙江省杭州市", "浙江省杭州市余杭区"] for 浙江省杭州市余杭区: the full names of
    the region and its ancestors, province first. From the division table when the code (or the
    name) resolves; else split after level suffixes (省, 市, 区, 县 …), conservatively."""
    if not region:
        return []
    try:
        from parser import regions
    except ImportError:  # a trimmed install without the parser
        regions = None
    if regions is not None:
        code = region_code
        if not code:
            res = regions.resolve_region([region], year)
            code = res.code if res.region and region.startswith(res.region) else None
        chain = _division_chain(regions, code, year) if code else []
        if chain and region.startswith(chain[-1]):
            return chain + ([region] if region != chain[-1] else [])
    return _split_by_suffix(region)


def _division_chain(regions, code: str, year: int | None) -> list[str]:
    names, d = [], regions.division(code, year)
    while d is not None:
        names.append(d.name)
        d = regions.division(d.parent, year) if d.parent else None
    names.reverse()
    return ["".join(names[:i + 1]) for i in range(len(names))]


def _split_by_suffix(region: str) -> list[str]:
    out, i = [], 0
    while i < len(region):
        ends = [region.find(s, i + 1) + len(s) for s in _LEVEL_ENDS if region.find(s, i + 1) >= 0]
        if not ends:
            break
        i = min(ends)
        out.append(region[:i])
    if not out or out[-1] != region:
        out.append(region)
    return out


_LINKED_SQL = ("SELECT l.report_id, l.canonical_id FROM report_links l WHERE {where} "
               "(SELECT COUNT(*) FROM report_links m WHERE m.canonical_key = l.canonical_key) > 1")


def linked_groups(conn: sqlite3.Connection, report_ids: list[int] | None = None) -> dict[int, int]:
    """report id -> canonical report id, for reports that are one of several linked copies."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_links'").fetchone():
        return {}
    if report_ids is None:
        return dict(conn.execute(_LINKED_SQL.format(where="")).fetchall())
    marks = ",".join("?" * len(report_ids))
    return dict(conn.execute(_LINKED_SQL.format(where=f"l.report_id IN ({marks}) AND"), report_ids).fetchall())


def report_documents(conn: sqlite3.Connection, report_ids: list[int]) -> Iterator[dict[str, Any]]:
    """The index documents (dicts as ``index.documents`` takes them) of these reports, if they exist."""
    for i in range(0, len(report_ids), _BATCH):
        ids = report_ids[i:i + _BATCH]
        marks = ",".join("?" * len(ids))
        groups = linked_groups(conn, ids)
        sections: dict[int, list[dict[str, str]]] = {}
        for rid, heading, text in conn.execute(
                f"SELECT report_id, heading, text FROM sections WHERE report_id IN ({marks}) ORDER BY report_id, ord",
                ids):
            sections.setdefault(rid, []).append({"heading": heading or "", "text": text or ""})
        texts = dict(conn.execute(f"SELECT report_id, text FROM report_texts WHERE report_id IN ({marks})", ids))
        for row in conn.execute(
                f"SELECT id, title, year, region, region_code, agency, published, format, url FROM reports "
                f"WHERE id IN ({marks})", ids):
            rid, title, year, region, code, agency, published, fmt, url = row
            secs = sections.get(rid, [])
            yield {"report_id": rid, "title": title or "", "region": region or "",
                   "region_path": region_path(region, code, year), "region_code": code, "agency": agency,
                   "year": year, "format": fmt, "published": published, "url": url, "sections": secs,
                   # the full text; a report parsed before texts were kept falls back to its sections
                   "text": texts.get(rid) or "\n".join(f"{s['heading']}\n{s['text']}" for s in secs),
                   "group": groups.get(rid)}


def _max_seq(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(MAX(seq), 0) FROM report_changes").fetchone()[0]


def _changes(conn: sqlite3.Connection, since: int) -> tuple[list[int], int]:
    rows = conn.execute("SELECT report_id, MAX(seq) FROM report_changes WHERE seq > ? GROUP BY report_id",
                        (since,)).fetchall()
    return [r[0] for r in rows], max((r[1] for r in rows), default=since)


def _apply(ix: SearchIndex, conn: sqlite3.Connection, ids: list[int], stats: SyncStats,
           progress: Callable[[int, int], None] | None) -> None:
    done = 0
    for i in range(0, len(ids), _BATCH):
        batch = ids[i:i + _BATCH]
        docs = list(report_documents(conn, batch))
        present = {d["report_id"] for d in docs}
        gone = [r for r in batch if r not in present]
        if gone:
            ix.backend.delete(gone)
        ix.upsert(docs, replace=not stats.rebuilt)
        stats.upserted += len(docs)
        stats.deleted += len(gone)
        done += len(batch)
        if progress:
            progress(done, len(ids))


def sync_index(catalog: Any, index_dir: Path | str | None = None, backend: str | None = None,
               rebuild: bool = False, progress: Callable[[int, int], None] | None = None, *,
               lock_timeout: float = 600.0) -> SyncStats:
    """Bring the index up to date with the catalog; see the module docstring."""
    t0 = time.monotonic()
    if index_dir is None:
        if not hasattr(catalog, "index_dir"):
            raise ArchiveError("sync_index needs the index directory (or a Home)")
        backend = backend or getattr(catalog.settings, "index_backend", "") or None  # XXGK_INDEX_BACKEND
        catalog, index_dir = catalog.catalog, catalog.index_dir
    index_dir = Path(index_dir)
    clean_leftovers(index_dir, lock_timeout)
    try:
        stats = _sync(catalog, index_dir, backend, rebuild, progress, lock_timeout)
    except (IndexLockedError, BackendUnavailableError, ArchiveError, sqlite3.Error):
        raise
    except OSError as e:
        if is_disk_full(e):
            raise DiskFullError(f"the archive's disk is full: writing the search index {index_dir} failed (the "
                                "catalog is intact); free some space and run `xxgk index`") from e
        if e.errno in (errno.EACCES, errno.EROFS, errno.EPERM) or rebuild:
            raise ArchiveError(f"cannot write the search index {index_dir}: {e.strerror}") from e
        raise damaged(index_dir, e) from e
    except Exception as e:  # a damaged index fails inside the backend in many ways
        if rebuild:
            raise
        raise damaged(index_dir, e) from e
    stats.seconds = round(time.monotonic() - t0, 2)
    logger(__name__).info("index sync: %s", stats.to_dict())
    return stats


def _sync(catalog: Any, index_dir: Path, backend: str | None, rebuild: bool,
          progress: Callable[[int, int], None] | None, lock_timeout: float) -> SyncStats:
    try:
        existing = detect_backend(index_dir)
    except SearchIndexError:
        if not rebuild:
            raise
        existing = None  # a damaged index is what --rebuild is for
    backend = backend or existing or default_backend()
    conn, own = catalog_connection(catalog)
    try:
        if rebuild or existing != backend or index_layout(index_dir) != LAYOUT_VERSION:
            stats = _rebuild(conn, index_dir, backend, progress, lock_timeout)
        else:
            stats = SyncStats(backend)
            ix = SearchIndex.open(index_dir, backend, lock_timeout=lock_timeout)
            try:
                with ix.writer():
                    since = int(ix.read_state().get("last_seq", 0))
                    if since > _max_seq(conn):  # a different (or restored) catalog: start over
                        raise _Restart()
                    ids, stats.last_seq = _changes(conn, since)
                    _apply(ix, conn, ids, stats, progress)
                    ix.commit()
                    _regroup(ix, conn, stats, progress)
                    ix.write_state({"last_seq": stats.last_seq, "backend": backend})
                stats.documents = ix.doc_count()
            except _Restart:
                ix.close()
                stats = _rebuild(conn, index_dir, backend, progress, lock_timeout)
            finally:
                ix.close()
    finally:
        if own:
            conn.close()
    return stats


def _regroup(ix: SearchIndex, conn: sqlite3.Connection, stats: SyncStats,
             progress: Callable[[int, int], None] | None) -> None:
    """Index again the reports whose group of copies differs between the catalog and the index."""
    want, have = linked_groups(conn), ix.linked_groups()
    stale = sorted(r for r in want.keys() | have.keys() if want.get(r) != have.get(r))
    if stale:
        before = stats.upserted
        _apply(ix, conn, stale, stats, progress)
        stats.regrouped = stats.upserted - before
        ix.commit()


class _Restart(Exception):
    pass


def _rebuild(conn: sqlite3.Connection, index_dir: Path, backend: str,
             progress: Callable[[int, int], None] | None, lock_timeout: float) -> SyncStats:
    parent = index_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = parent / f".{index_dir.name}.rebuild-{os.getpid()}"
    stats = SyncStats(backend, rebuilt=True)
    # hold the live index's lock so no sync writes into the directory being replaced, and no
    # other rebuild runs: only then are leftovers of a killed rebuild safe to remove
    with WriterLock(index_dir, timeout=lock_timeout):
        remove_leftovers(index_dir)
        stats.last_seq = _max_seq(conn)
        ids = [r[0] for r in conn.execute("SELECT id FROM reports ORDER BY id")]
        ix = SearchIndex.open(tmp, backend, create=True, lock_timeout=lock_timeout)
        try:
            with ix.writer():
                _apply(ix, conn, ids, stats, progress)
                ix.commit()
                ix.write_state({"last_seq": stats.last_seq, "backend": backend})
            stats.documents = ix.doc_count()
        finally:
            ix.close()
        WriterLock(tmp).path.unlink(missing_ok=True)  # the lock the temporary index was built under
        swap_in(tmp, index_dir)
    return stats

