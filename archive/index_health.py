"""How the search index stands beside the catalog, as a reading command asks: how far it is behind
the catalog's change feed (``index_lag``), whether its text store is damaged (``index_damage``),
and a failure inside it said as a damaged index with its remedy (``damaged_index_says_so``).

Apart from ``archive.indexing`` (the sync, which writes): `xxgk search`, `status` and the web
views read these on every call, without loading what a sync needs.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from index import SearchIndexError
from index.search import STATE_FILENAME
from index.value_class import value_class

from .errors import ArchiveError

__all__ = ["IndexLag", "index_lag", "index_damage", "damaged_index_says_so", "damaged", "catalog_connection"]


def catalog_connection(catalog: Any) -> tuple[sqlite3.Connection, bool]:
    from .db import PgConnection

    if isinstance(catalog, (sqlite3.Connection, PgConnection)):
        return catalog, False
    if hasattr(catalog, "conn"):
        return catalog.conn, False
    path = Path(catalog)
    if not path.exists():
        raise ArchiveError(f"no catalog at {path}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
    return conn, True


@value_class(frozen=True)
class IndexLag:
    """How far the search index is behind the catalog's change feed."""

    reports: int          # reports changed (new, re-parsed, deleted) since the index last applied the feed
    missing: bool = False  # no index at all (while the catalog has reports)

    def __bool__(self) -> bool:
        return self.missing or self.reports > 0

    def message(self) -> str:
        if self.missing:
            return "there is no search index yet: run `xxgk index` (search finds nothing until then)"
        return (f"the search index is behind the catalog: {self.reports} reports changed since it was brought "
                "up to date, and search does not see them; run `xxgk index`")


def index_lag(catalog: Any, index_dir: Path | str | None = None) -> IndexLag:
    """``IndexLag`` of the index at ``index_dir`` (a ``Home``'s when not given); reads, never writes."""
    if index_dir is None:
        catalog, index_dir = catalog.catalog, catalog.index_dir
    conn, own = catalog_connection(catalog)
    try:
        state_file = Path(index_dir) / STATE_FILENAME
        if not state_file.exists():
            has_reports = conn.execute("SELECT EXISTS (SELECT 1 FROM reports)").fetchone()[0]
            return IndexLag(0, missing=bool(has_reports))
        try:
            since = int(json.loads(state_file.read_text("utf-8")).get("last_seq", 0))
        except (ValueError, OSError) as e:
            raise damaged(Path(index_dir), e) from e
        n = conn.execute("SELECT COUNT(DISTINCT report_id) FROM report_changes WHERE seq > ?", (since,)).fetchone()[0]
        return IndexLag(n)
    finally:
        if own:
            conn.close()


def index_damage(home: Any, index_dir: Path | str | None = None, *, full: bool = False) -> str | None:
    """The damage found in the index's text store (``index.textstore``), as one line with its
    remedy, or None; quick (length and the newest texts) unless ``full``; reads, never writes."""
    from index.textstore import TEXTS_FILENAME, TextStore

    index_dir = Path(index_dir if index_dir is not None else home.index_dir)
    if not (index_dir / TEXTS_FILENAME).exists():
        return None  # no index, or a backend that keeps its texts itself
    what = TextStore(index_dir).check(full=full)
    if what is None:
        return None
    return (f"the search index at {index_dir} is damaged ({what}): run `xxgk index --rebuild` "
            "(the catalog is intact; the index is rebuilt from it)")


@contextmanager
def damaged_index_says_so(index_dir: Path) -> Iterator[None]:
    """Around a read of the index: a failure that is not one of the index's own errors (those say
    what is wrong already) is a damaged index, reported with its remedy."""
    try:
        yield
    except (SearchIndexError, ArchiveError, sqlite3.Error, KeyboardInterrupt, MemoryError):
        raise
    except Exception as e:  # a damaged file fails inside the backend in many ways
        raise damaged(Path(index_dir), e) from e


def damaged(index_dir: Path, e: BaseException) -> ArchiveError:
    return ArchiveError(f"the search index at {index_dir} is damaged ({type(e).__name__}: {e}): run "
                        "`xxgk index --rebuild` (the catalog is intact; the index is rebuilt from it)")
