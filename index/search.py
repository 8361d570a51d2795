"""``SearchIndex``: the one search interface; the backend (tantivy, Whoosh or PostgreSQL) is a parameter.

A new index gets the fastest backend installed (``default_backend()``): tantivy, or Whoosh (pure
Python) where tantivy cannot be imported; an existing one keeps the backend it was built with.

    ix = SearchIndex.open(path, backend="whoosh", create=True)
    ix.upsert(docs)                  # dicts as in documents.py; replaces reports already indexed
    ix.delete([12, 13])
    res = ix.search("土地征收", region="浙江省", year_from=2015, year_to=2020, sort="relevance", page=1, limit=20)
    res.total, res.hits[0].snippets, res.facets["year"], res.facets["province"]

Copies of one report (documents given the same ``group``, documents.py) show once and count once
in the total and the facets: the representative hit lists the others in ``Hit.copies``
(groups.py); ``collapse=False`` shows every copy.

The directory holds ``meta.json`` (backend, layout), the backend's files, ``write.lock`` and any
caller state (``read_state``/``write_state``: e.g. the catalog change seq the archive applied,
written atomically). Every write takes the writer lock (lock.py) for its whole batch, so two
processes never write at once; ``writer()`` holds it across several batches. Query syntax:
query.py. Errors: errors.py.
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import BackendUnavailableError, IndexFormatError, IndexMissingError, SearchIndexError
from .highlight import make_snippets
from .lock import DEFAULT_LOCK_TIMEOUT, WriterLock
from .query import FieldTerm, Leaf, parse_query, positive_leaves
from .results import Hit, SearchResults
from .analysis import normalize_text

__all__ = ["SearchIndex", "BACKENDS", "DEFAULT_BACKEND", "FALLBACK_BACKEND", "SORTS", "MAX_LIMIT", "LAYOUT_VERSION",
           "detect_backend", "default_backend", "index_layout"]

BACKENDS = ("whoosh", "tantivy", "postgres")
DEFAULT_BACKEND = "tantivy"  # the fastest (bench/bench_search.py); where it cannot be imported:
FALLBACK_BACKEND = "whoosh"  # pure Python, runs wherever Python does
SORTS = ("relevance", "year")
MAX_LIMIT = 1000
_BATCH = 500
# the terms and fields every backend indexes (written to meta.json: an index of another layout is rebuilt);
# here, not with the Whoosh schema, so that opening a tantivy index does not import Whoosh's fields
LAYOUT_VERSION = 4  # 2: group/rid columns (copies collapse); 3: letters and digits are units; 4: 繁體 folded
META_FILENAME = "meta.json"
STATE_FILENAME = "state.json"


def _backend_class(name: str):
    if name == "whoosh":
        from .whoosh_backend import WhooshBackend

        return WhooshBackend
    if name == "tantivy":
        try:
            from .tantivy_backend import TantivyBackend
        except ImportError as exc:
            raise BackendUnavailableError(
                "the tantivy backend needs the tantivy package (pip install tantivy), which has no wheel "
                "for this platform here; use --backend whoosh (pure Python)") from exc
        return TantivyBackend
    if name == "postgres":
        from .postgres_backend import PostgresBackend

        return PostgresBackend
    raise SearchIndexError(f"unknown search backend {name!r} (choose from {', '.join(BACKENDS)})")


def default_backend() -> str:
    """The backend a new index gets: tantivy if it imports here, else Whoosh."""
    try:
        _backend_class(DEFAULT_BACKEND)
    except BackendUnavailableError:
        return FALLBACK_BACKEND
    return DEFAULT_BACKEND


def detect_backend(path: Path | str) -> str | None:
    """The backend of an existing index directory, or None."""
    meta = Path(path) / META_FILENAME
    if not meta.exists():
        return None
    try:
        return json.loads(meta.read_text("utf-8"))["backend"]
    except (ValueError, KeyError) as exc:
        raise IndexFormatError(f"unreadable {meta}: {exc}") from exc


def index_layout(path: Path | str) -> int | None:
    """The layout version an existing index directory was built with, or None."""
    try:
        return json.loads((Path(path) / META_FILENAME).read_text("utf-8")).get("layout")
    except (OSError, ValueError):
        return None


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    with tmp.open("rb") as f:
        os.fsync(f.fileno())
    tmp.replace(path)


class SearchIndex:
    def __init__(self, path: Path, backend, lock_timeout: float):
        self.path = path
        self.backend = backend
        self.backend_name = backend.name
        self.lock_timeout = lock_timeout
        self._lock: WriterLock | None = None

    @classmethod
    def open(cls, path: Path | str, backend: str | None = None, *, create: bool = False,
             lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> "SearchIndex":
        path = Path(path)
        existing = detect_backend(path)
        if existing is None and not create:
            raise IndexMissingError(f"no search index at {path} (run `xxgk index` first)")
        name = backend or existing or default_backend()
        if existing and existing != name:
            raise IndexFormatError(f"the index at {path} was built with {existing}, not {name}; "
                                   f"rebuild it with --backend {name} --rebuild")
        impl = _backend_class(name)
        if existing and index_layout(path) != LAYOUT_VERSION:
            raise IndexFormatError(f"the index at {path} was built by an older version of xxgk; "
                                   f"rebuild it: xxgk index --rebuild")
        if existing is None:
            path.mkdir(parents=True, exist_ok=True)
            with WriterLock(path, timeout=lock_timeout):
                impl(path, create=True).close()
                _write_json_atomic(path / META_FILENAME, {"backend": name, "layout": LAYOUT_VERSION})
        try:
            return cls(path, impl(path, create=False), lock_timeout)
        except IndexFormatError as exc:  # files there, unreadable: say the remedy
            raise IndexFormatError(f"{exc} -- the index is damaged; rebuild it: xxgk index --rebuild") from exc

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def writer(self) -> Iterator["SearchIndex"]:
        """Hold the writer lock for several upserts/deletes; commit at the end (rollback on error)."""
        if self._lock is not None:
            yield self
            return
        self._lock = WriterLock(self.path, timeout=self.lock_timeout)
        self._lock.acquire()
        try:
            yield self
            self.backend.commit()
        except BaseException:
            self.backend.rollback()
            raise
        finally:
            self._lock.release()
            self._lock = None

    def upsert(self, docs: Iterable[dict[str, Any]], *, replace: bool = True) -> int:
        """Index documents (replacing earlier versions unless ``replace=False``, for a fresh build)."""
        from .documents import prepare_document  # json and its dataclass: only a process that writes

        n = 0
        with self.writer():
            batch = []
            for doc in docs:
                batch.append(prepare_document(doc))
                if len(batch) >= _BATCH:
                    self.backend.add(batch, replace=replace)
                    n += len(batch)
                    batch = []
            self.backend.add(batch, replace=replace)
            n += len(batch)
        return n

    def delete(self, report_ids: Iterable[int]) -> int:
        ids = [int(r) for r in report_ids]
        with self.writer():
            self.backend.delete(ids)
        return len(ids)

    def commit(self) -> None:
        """Commit what was written so far (inside ``writer()``, which keeps the lock)."""
        if self._lock is None:
            raise SearchIndexError("commit() belongs inside `with index.writer():`")
        self.backend.commit()

    def read_state(self) -> dict[str, Any]:
        p = self.path / STATE_FILENAME
        return json.loads(p.read_text("utf-8")) if p.exists() else {}

    def write_state(self, state: dict[str, Any]) -> None:
        _write_json_atomic(self.path / STATE_FILENAME, state)

    # -- reading ------------------------------------------------------------------------------
    def doc_count(self) -> int:
        return self.backend.doc_count()

    def linked_groups(self) -> dict[int, int]:
        """report id -> group of every indexed document given a group (one of several copies)."""
        return self.backend.linked_groups()

    def search(self, query: str, *, region: str | None = None, year_from: int | None = None,
               year_to: int | None = None, agency: str | None = None, format: str | None = None,
               section: str | None = None, sort: str = "relevance", page: int = 1, limit: int = 20,
               snippets: int = 3, collapse: bool = True, facets: bool = True) -> SearchResults:
        """One page of hits. ``facets=False``: the caller will likely not read ``facets`` (they are
        then counted only if read), so the tantivy backend does not count them beside the search."""
        node = parse_query(query)
        if sort not in SORTS:
            raise SearchIndexError(f"unknown sort {sort!r} (choose from {', '.join(SORTS)})")
        if page < 1 or not 1 <= limit <= MAX_LIMIT:
            raise SearchIndexError(f"page must be ≥ 1 and limit between 1 and {MAX_LIMIT}")
        filters = _filters(region=region, year_from=year_from, year_to=year_to, agency=agency, format=format)
        section_leaf = None
        if section and section.strip():
            section_leaf = Leaf(section.strip(), "heading")
            if not section_leaf.phrase_terms:
                raise SearchIndexError(f"--section {section!r} holds no searchable words")
        raw = self.backend.search(node, filters, section_leaf, sort=sort, offset=(page - 1) * limit, limit=limit,
                                  collapse=collapse, facets=facets)
        leaves = [l for l in positive_leaves(node) if l.field == "all"]
        hits = [Hit(report_id=h.report_id, title=h.stored.get("title") or "", region=h.stored.get("region") or "",
                    agency=h.stored.get("agency"), year=h.stored.get("year"), url=h.stored.get("url") or "",
                    score=h.score, snippets=make_snippets(h.norm_text, leaves, top=snippets) if snippets else [],
                    published=h.stored.get("published"), format=h.stored.get("format"), copies=h.copies)
                for h in raw.hits]
        return SearchResults(raw.total, hits, raw.facets, page, limit, query)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "SearchIndex":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _filters(*, region, year_from, year_to, agency, format) -> list[FieldTerm]:
    out = []
    if region and region.strip():
        out.append(FieldTerm("region", normalize_text(region.strip())))
    if agency and agency.strip():
        out.append(FieldTerm("agency", normalize_text(agency.strip())))
    if format and format.strip():
        out.append(FieldTerm("format", format.strip()))
    if year_from is not None or year_to is not None:
        lo, hi = year_from if year_from is not None else 0, year_to if year_to is not None else 9999
        if lo > hi:
            raise SearchIndexError(f"empty year range {lo}-{hi}")
        out.append(FieldTerm("year", str(lo), hi))
    return out
