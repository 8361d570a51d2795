"""Parsing many documents at once, the catalog written by one thread in the order of the serial run.

    with parse_runner(home, workers=2, dask=None, since=…) as runner:   (None: parse one at a time)
        runner.parse(doc, url, done)     claim now, parse elsewhere, store + done((status, message, id)) later
        runner.put(done)                 an item with nothing to parse: done(None) in its turn

The calling thread claims each document (``archive.claims``), reads its bytes back (hash checked)
and hands a ``ParseJob`` to an engine: the ``ParsePool``'s worker processes (each under its hard
time limit and memory cap; a hang in a C library kills that worker, not the run) or a Dask cluster
(``archive.dask_parse``). Outcomes are stored by the calling thread, in the order the jobs were
handed in, so a run gives the records, report ids and findings of the serial run. At most
``engine.window`` jobs are in flight (memory stays bounded); a run stopped half-way releases its
claims, and a kill leaves claims of a dead process that the next run takes over.
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

from parser import PARSER_VERSION

from .catalog import DocumentRow
from .claims import claim_parse, release_claim
from .errors import BlobError
from .home import Home
from .ingest import ParseJob, StoredFile, parse_job, store_file, store_outcome
from .parse_pool import ParsePool, shared_pool

__all__ = ["ParseEngine", "PoolEngine", "OrderedParses", "parse_runner", "default_workers", "store_ahead"]

Done = Callable[[Any], None]


def default_workers() -> int:
    """``--workers`` when not given: one a core."""
    return max(1, os.cpu_count() or 1)


class ParseEngine(Protocol):
    window: int

    def submit(self, job: ParseJob) -> Callable[[], Any]:
        """Start parsing; the returned call waits for the record or the ParseError."""

    def close(self) -> None: ...


class PoolEngine:
    """``workers`` parse processes of the ParsePool, each fed by a thread of this process."""

    def __init__(self, workers: int, pool: ParsePool | None = None):
        self.pool = pool or shared_pool(workers)
        self.pool.warm(workers)
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="xxgk-parse")
        self.window = 2 * workers  # a job waiting for each worker while it parses the last one

    def submit(self, job: ParseJob) -> Callable[[], Any]:
        return self._threads.submit(job.run_in, self.pool).result

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)


class OrderedParses:
    def __init__(self, home: Home, engine: ParseEngine, *, since: str | None, force: bool = False):
        self.home, self.engine, self.since, self.force = home, engine, since, force
        self._queue: deque[tuple[DocumentRow | None, str | None, Callable[[], Any] | None, Done]] = deque()

    def put(self, done: Done) -> None:
        self._queue.append((None, None, None, done))
        self._drain(self.engine.window)

    def parse(self, doc: DocumentRow, url: str | None, done: Done) -> None:
        claimed, why = claim_parse(self.home.catalog, doc.id, parser_version=PARSER_VERSION, since=self.since,
                                   force=self.force)
        if not claimed:
            self._queue.append((None, None, None, lambda _: done(("skipped", why, None))))
        else:
            try:
                job = parse_job(self.home, doc, url)
                wait = (lambda: job) if isinstance(job, BlobError) else self.engine.submit(job)
            except BaseException:
                release_claim(self.home.catalog, doc.id)
                raise
            self._queue.append((doc, url, wait, done))
        self._drain(self.engine.window)

    def finish(self) -> None:
        self._drain(0)

    def abandon(self) -> None:
        """Stopped half-way: the claims of documents not stored yet are let go."""
        while self._queue:
            doc, *_ = self._queue.popleft()
            if doc is not None:
                release_claim(self.home.catalog, doc.id)

    def _drain(self, keep: int) -> None:
        while len(self._queue) > keep:
            doc, url, wait, done = self._queue[0]
            if doc is None:
                self._queue.popleft()
                done(None)
                continue
            outcome = wait()  # the record, or the ParseError that is this document's outcome
            self._queue.popleft()
            done(store_outcome(self.home, doc, url, outcome))


@contextmanager
def parse_runner(home: Home, *, workers: int = 1, dask: str | None = None, since: str | None = None,
                 force: bool = False) -> Iterator[OrderedParses | None]:
    """An OrderedParses on the pool (``workers`` > 1) or on Dask (``dask``); None: parse inline."""
    if dask:
        from .dask_parse import DaskEngine

        engine: ParseEngine = DaskEngine(dask)
    elif workers > 1:
        engine = PoolEngine(workers)
    else:
        yield None
        return
    runner = OrderedParses(home, engine, since=since, force=force)
    try:
        yield runner
        runner.finish()
    finally:
        runner.abandon()
        engine.close()


def store_ahead(home: Home, paths: Iterable[Path], threads: int) -> Iterator[tuple[Path, StoredFile | None]]:
    """Each path with its file already in the blob store (hashing, writing and fsync in ``threads``
    threads, a few files ahead of the caller), in order; None for a web archive (read by the caller)."""
    from .warc_import import web_archive_kind

    def store(path: Path) -> StoredFile | None:
        return None if web_archive_kind(path) else store_file(home, path)

    with ThreadPoolExecutor(threads, thread_name_prefix="xxgk-store") as pool:
        pending: deque = deque()
        for path in paths:
            pending.append((path, pool.submit(store, path)))
            if len(pending) > 4 * threads:
                path, done = pending.popleft()
                yield path, done.result()
        while pending:
            path, done = pending.popleft()
            yield path, done.result()
