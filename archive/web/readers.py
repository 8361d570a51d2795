"""A bounded set of worker threads, each with its own reader of the archive home: a read-only
catalog connection and an open search index (neither a SQLite connection nor a Whoosh searcher
may be shared between threads).

    pool = ReaderPool(home_path, size=4)
    future = pool.submit(fn, *args)     # fn(reader, *args) on one of the threads
    reader.conn, reader.index, reader.behind()

At most ``size`` queries run at once; the others wait in the pool's queue. ``behind()`` is
``archive.status.copies_unlinked`` for the catalog as it is now, and ``filters()`` the places and
agencies a search names (``archive.places.resolve_filters``): each computed once per change of the
catalog (its change feed's last seq) and shared by the readers.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from ..home import Home

__all__ = ["Reader", "ReaderPool", "MAX_CACHED_FILTERS"]

MAX_CACHED_FILTERS = 256  # resolved region/agency filters kept (each a few place names)


class Reader:
    def __init__(self, home: Home, pool: "ReaderPool"):
        self.home = home
        self.conn = home.catalog.conn
        self._pool = pool
        self._index = None

    @property
    def index(self):
        """The search index, opened on first use (``IndexMissingError`` when there is none)."""
        if self._index is None:
            from index import SearchIndex

            self._index = SearchIndex.open(self.home.index_dir)
        return self._index

    def change_seq(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM report_changes").fetchone()[0]

    def behind(self) -> set[int]:
        return self._pool.behind(self)

    def filters(self, regions: tuple[str, ...], agency: str | None, exact: bool) -> tuple:
        """``archive.places.resolve_filters`` for these names, kept until the catalog changes."""
        return self._pool.filters(self, regions, agency, exact)

    def interrupt(self) -> None:
        """Stop the SQLite statement this reader runs (a query past its time); any thread may call it."""
        self.conn.interrupt()

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
        self.home.close()


class ReaderPool:
    def __init__(self, home_path: Path, size: int = 4):
        self.home_path = Path(home_path)
        self.size = size
        self._local = threading.local()
        self._readers: list[Reader] = []
        self._lock = threading.Lock()
        self._behind: tuple[int, set[int]] | None = None
        self._filters: dict[tuple, tuple] = {}
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="xxgk-serve")

    def _reader(self) -> Reader:
        r = getattr(self._local, "reader", None)
        if r is None:
            r = Reader(Home.open(self.home_path, create=False, readonly=True), self)
            self._local.reader = r
            with self._lock:
                self._readers.append(r)
        return r

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        def work() -> Any:
            return fn(self._reader(), *args)

        return self._executor.submit(work)

    def behind(self, r: Reader) -> set[int]:
        from ..status import copies_unlinked

        seq = r.change_seq()
        cached = self._behind
        if cached is None or cached[0] != seq:
            cached = (seq, copies_unlinked(r.conn))
            self._behind = cached
        return cached[1]

    def filters(self, r: Reader, regions: tuple[str, ...], agency: str | None, exact: bool) -> tuple:
        from ..places import resolve_filters

        key = (r.change_seq(), regions, agency, exact)
        hit = self._filters.get(key)
        if hit is None:
            hit = resolve_filters(r.conn, list(regions) or None, agency, exact=exact)
            if len(self._filters) >= MAX_CACHED_FILTERS:
                self._filters.clear()
            self._filters[key] = hit
        return hit

    def close(self) -> None:
        """Stop the threads; each closes its own reader (SQLite wants it closed where it was opened)."""
        def close_own() -> None:
            r = getattr(self._local, "reader", None)
            if r is not None:
                r.close()
                self._local.reader = None

        barrier = threading.Barrier(self.size, timeout=5)

        def close_and_wait() -> None:  # one task per thread: each waits until all threads hold one
            close_own()
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass

        for _ in range(self.size):
            self._executor.submit(close_and_wait)
        self._executor.shutdown(wait=True, cancel_futures=False)
