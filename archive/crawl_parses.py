"""A crawl's parses behind its fetchers: handed in as documents are stored, done by worker threads.

    parses = BackgroundParses(parse_one, workers=2)
    parses.submit(task) -> bool      at once (waits only while ``capacity`` tasks queue); False: that
                                     document is queued or being parsed already
    parses.settle()                  returns when every task handed in is parsed and stored
    parses.settle(stop=True)         tasks not begun are dropped (their documents stay ``pending``:
                                     the next run's ``finish_pending`` parses them); those begun end
    parses.close()

The fetchers never wait for a parse: ``CatalogSink.store`` commits blob + document + source +
fetch row (status ``pending``) and hands the document here. ``workers`` threads each run
``parse_one(task, wait_for_page)`` (claim, parse in a ``ParsePool`` worker process under its hard
time limit and memory cap, store the outcome, link the report). An attachment's outcome is stored
only after the page it was found on is stored and linked (``wait_for_page``), as when each
document was parsed in the fetcher's turn: the page's record then reads the attachment's tables
and the attachment joins the page's report key. Tasks are taken first in, first out, so a page
is always taken before its attachments and the wait cannot go round in a circle. A task holds a
document's id and its request, never its bytes: a long queue costs little memory.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ParseTask", "BackgroundParses", "DEFAULT_CAPACITY"]

log = logging.getLogger(__name__)

# tasks queued at most before a fetcher waits for room (each is a few hundred bytes)
DEFAULT_CAPACITY = 10_000


@dataclass(frozen=True, slots=True)
class ParseTask:
    document_id: int
    #: the URL the document was fetched from (the key its attachments wait on)
    url: str
    #: the page an attachment was found on (``None``: wait for nothing)
    page_url: str | None
    #: anything the parse needs besides (the document row, the crawl request, the profile …)
    payload: Any = None
    #: told the parse's status (parsed | not_report | failed | skipped) once it is stored
    done: Callable[[str], None] | None = None


class BackgroundParses:
    def __init__(self, parse_one: Callable[[ParseTask, Callable[[], None]], str], workers: int,
                 capacity: int = DEFAULT_CAPACITY):
        if workers < 1:
            raise ValueError("background parses need at least one worker")
        self._parse_one = parse_one
        self._tasks: queue.Queue[ParseTask | None] = queue.Queue(capacity)
        self._lock = threading.Condition()
        self._documents: set[int] = set()             # queued or being parsed
        self._pages: dict[str, threading.Event] = {}  # url -> set once its outcome is stored
        self._unfinished = 0
        self._closed = False
        self._threads = [threading.Thread(target=self._serve, name=f"xxgk-crawl-parse-{i}", daemon=True)
                         for i in range(workers)]
        for t in self._threads:
            t.start()

    def submit(self, task: ParseTask) -> bool:
        with self._lock:
            if self._closed:
                raise RuntimeError("the crawl's parses are closed")
            if task.document_id in self._documents:
                return False
            self._documents.add(task.document_id)
            self._pages[task.url] = threading.Event()
            self._unfinished += 1
        while True:  # a full queue: the fetcher waits for room, but never on a closed queue
            try:
                self._tasks.put(task, timeout=0.2)
                return True
            except queue.Full:
                with self._lock:
                    if self._closed:
                        self._finished(task)
                        raise RuntimeError("the crawl's parses are closed")

    @property
    def unfinished(self) -> int:
        with self._lock:
            return self._unfinished

    def settle(self, *, stop: bool = False) -> None:
        if stop:
            self._drop_waiting()
        with self._lock:
            while self._unfinished:  # short waits keep Ctrl-C responsive in the main thread
                self._lock.wait(0.2)

    def close(self) -> None:
        self.settle(stop=True)
        with self._lock:
            self._closed = True
        for _ in self._threads:
            self._tasks.put(None)
        for t in self._threads:
            t.join()

    def _drop_waiting(self) -> None:
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                return
            if task is not None:
                self._finished(task)

    def _serve(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            try:
                status = self._parse_one(task, lambda: self._wait_for_page(task))
                if task.done is not None and status:  # None: the archive stopped taking writes
                    task.done(status)  # before settle() can return: the crawl's counts are complete
            except Exception:  # noqa: BLE001 — that document stays pending for the next run
                log.exception("parsing document %s (%s) failed", task.document_id, task.url)
            finally:
                self._finished(task)

    def _wait_for_page(self, task: ParseTask) -> None:
        with self._lock:
            page = self._pages.get(task.page_url) if task.page_url and task.page_url != task.url else None
        if page is not None:
            page.wait()

    def _finished(self, task: ParseTask) -> None:
        with self._lock:
            self._documents.discard(task.document_id)
            event = self._pages.pop(task.url, None)
            self._unfinished -= 1
            self._lock.notify_all()
        if event is not None:
            event.set()
