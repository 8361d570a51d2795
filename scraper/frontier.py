"""The crawl frontier of one site: what is left to fetch, in priority order, each URL once.

``CrawlRequest`` is one thing to fetch (a list page, an article, an attachment) with where it was
found (referrer, list title/date/position). ``request_key`` is its identity: method + normalized
URL (+ form body), so ``./a.html``/``a.html#x``/``A.HTML?b=1&a=2`` spellings meet once.
``Frontier`` is a thread-safe priority queue with that dedup; the engine mirrors every add and
every finished item into the sink, which is what makes a crawl resumable.
"""
from __future__ import annotations

import heapq
import itertools
import threading
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["CrawlRequest", "Frontier", "normalize_url", "request_key", "KIND_PRIORITY",
           "PENDING", "DONE", "FAILED", "SKIPPED"]

PENDING, DONE, FAILED, SKIPPED = "pending", "done", "failed", "skipped"
# lists first (they discover), then attachments (they finish a report), then articles
KIND_PRIORITY = {"list": 0, "attachment": 1, "article": 2}


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, default port dropped, no fragment, sorted query, %-case fixed."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = quote(unquote(parts.path or "/"), safe="/%:@!$&'()*+,;=~-._")
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((scheme, host, path, query, ""))


@dataclass(frozen=True, slots=True)
class CrawlRequest:
    url: str
    kind: str                       # list | article | attachment
    site: str
    method: str = "GET"
    data: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    referrer: str | None = None
    depth: int = 0
    page_no: int = 1
    list_title: str | None = None
    list_date: str | None = None
    list_position: int | None = None
    #: what the title says, when listed: variant tag and report year
    variant: str | None = None
    year: int | None = None
    #: a JSON body (as text) for a POST to a list API; not with ``data``
    json_body: str | None = None
    #: the CMS family that reads it, when generic mode recognised one (``None``: the profile's)
    family: str | None = None

    @property
    def key(self) -> str:
        return request_key(self.url, self.method, self.data, self.json_body)

    @property
    def priority(self) -> int:
        return KIND_PRIORITY.get(self.kind, 3)


def request_key(url: str, method: str = "GET", data: tuple[tuple[str, str], ...] = (),
                json_body: str | None = None) -> str:
    key = f"{method.upper()} {normalize_url(url)}"
    if data:
        key += " " + urlencode(sorted(data))
    if json_body:
        key += " " + json_body
    return key


class Frontier:
    def __init__(self) -> None:
        self._heap: list[tuple[int, int, CrawlRequest]] = []
        self._states: dict[str, str] = {}
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._in_flight = 0

    def add(self, request: CrawlRequest, state: str = PENDING) -> bool:
        """Queue ``request`` unless its key is known; ``state`` other than pending only marks it."""
        with self._lock:
            if request.key in self._states:
                return False
            self._states[request.key] = state
            if state == PENDING:
                heapq.heappush(self._heap, (request.priority, next(self._seq), request))
            return True

    def pop(self) -> CrawlRequest | None:
        with self._lock:
            if not self._heap:
                return None
            self._in_flight += 1
            return heapq.heappop(self._heap)[2]

    def finish(self, request: CrawlRequest, state: str) -> None:
        with self._lock:
            self._states[request.key] = state
            self._in_flight -= 1

    def known(self, request: CrawlRequest) -> bool:
        with self._lock:
            return request.key in self._states

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing being fetched: the site is done."""
        with self._lock:
            return not self._heap and self._in_flight == 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._heap)
