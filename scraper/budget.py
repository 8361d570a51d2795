"""Crawl budgets: list pages per column counted as read (not as labelled), requests per site per run.

A list page's number comes from the site (a pager label, an API's page count), and a site can lie:
a column whose every page links to the next with the label "2" never reaches ``max_pages`` by
its labels. ``ColumnPages`` counts instead. A column is an entry page, or a page a family's reader
names as a first page of its own (``page_no`` 1: a gkmlpt category, a jpaas sub-column; at most
``max_depth`` such levels below an entry); every other next page belongs to the column of the page
that led to it, whatever its label says, and a column admits ``max_pages`` list pages in all (the
label is still checked too). A resumed run counts again what its frontier holds, finding each
page's column through its referrer.

``RequestBudget(limit)`` counts the requests a site's run makes (each fetch, whatever came of it);
once ``spent``, the engine starts no other and leaves the rest of the frontier for the next run.
Thread-safe; no I/O.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from .frontier import CrawlRequest, normalize_url

__all__ = ["ColumnPages", "RequestBudget", "MAX_COLUMN_DEPTH", "DEFAULT_MAX_REQUESTS"]

#: levels of sub-columns (first pages found on list pages) below an entry
MAX_COLUMN_DEPTH = 3
#: requests per site per run, unless the crawl says otherwise
DEFAULT_MAX_REQUESTS = 20_000


class ColumnPages:
    def __init__(self, max_pages: int, max_depth: int = MAX_COLUMN_DEPTH):
        self.max_pages = max_pages
        self.max_depth = max_depth
        self._column: dict[str, str] = {}   # list request key -> its column's key
        self._pages: dict[str, int] = {}    # column key -> list pages admitted
        self._lock = threading.Lock()

    def pages(self, request: CrawlRequest) -> int:
        """List pages counted in the column of ``request`` (0 when it is not known)."""
        with self._lock:
            column = self._column.get(request.key)
            return self._pages.get(column, 0) if column else 0

    def restore(self, requests: Iterable[CrawlRequest]) -> None:
        """Count the list pages a resumed run's frontier holds, each in its column."""
        lists = [r for r in requests if r.kind == "list"]
        by_url: dict[str, CrawlRequest] = {}
        for r in lists:
            by_url.setdefault(normalize_url(r.url), r)
        with self._lock:
            for r in lists:
                if r.key in self._column:
                    continue
                chain, cur, column = [], r, None
                while column is None:
                    chain.append(cur)
                    if cur.page_no <= 1 or not cur.referrer:
                        column = cur.key
                        break
                    parent = by_url.get(normalize_url(cur.referrer))
                    if parent is None or parent in chain:   # reached after a redirect: by referrer
                        column = "referrer " + normalize_url(cur.referrer)
                    else:
                        column = self._column.get(parent.key)
                        cur = parent
                for c in chain:
                    if c.key not in self._column:
                        self._column[c.key] = column
                        self._pages[column] = self._pages.get(column, 0) + 1

    def admit(self, parent: CrawlRequest, page: CrawlRequest,
              known: Callable[[CrawlRequest], bool] = lambda r: False) -> str | None:
        """``None`` when the list page ``page`` found on ``parent`` may be queued (and is counted),
        else why not: ``max_pages`` or ``max_depth``. A page already known is let through
        uncounted (the frontier drops it)."""
        with self._lock:
            if page.key in self._column or known(page):
                return None
            if page.page_no > self.max_pages:
                return "max_pages"
            if page.page_no <= 1:
                if page.depth > self.max_depth:
                    return "max_depth"
                column = page.key
            else:
                column = self._column.get(parent.key)
                if column is None:   # an entry page (or one read outside the queue)
                    column = self._column[parent.key] = parent.key
                    self._pages[column] = 1
                if self._pages.get(column, 0) >= self.max_pages:
                    return "max_pages"
            self._column[page.key] = column
            self._pages[column] = self._pages.get(column, 0) + 1
            return None


class RequestBudget:
    def __init__(self, limit: int = DEFAULT_MAX_REQUESTS):
        if limit < 1:
            raise ValueError("a request budget must be at least 1")
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def spend(self) -> None:
        with self._lock:
            self.used += 1

    @property
    def spent(self) -> bool:
        with self._lock:
            return self.used >= self.limit
