"""The sink: where the engine puts what it fetched and keeps its frontier (``archive`` implements it).

``Sink`` is a protocol; ``MemorySink`` is the in-memory one (tests, benchmarks, dry runs). The
archive's (``archive.crawl.CatalogSink``) stores each file as a blob + document + provenance,
parses it, and keeps the frontier and every fetch in the catalog, so a killed crawl resumes.

    open_site(site, resume) -> SiteState       pending + finished requests of an unfinished run
    frontier_add(site, requests)               new requests (one batch per page read)
    frontier_done(site, request, state, error) a request finished (done | failed | skipped)
    close_site(site, stats)                    the run of that site is complete
    seen(url, site) -> PreviousFetch | None    the last good fetch of a URL (validators, sha256,
                                               whether the site's current run made it)
    stored_body(sha256) -> bytes | None        the bytes of an earlier fetch (a 304's body)
    store(result, request, profile, parsed=None) -> Stored
                                               an article page or attachment: archive + parse (a
                                               sink that parses behind the fetchers returns at once
                                               and tells ``parsed(status)`` later)
    settle(stop) -> None                       every stored document's parse done (``stop``: only
                                               those begun; the rest is left for the next run)
    store_list(result, request) -> None        a list page: kept for 304s, not a document
    note_unchanged(result, request, previous)  a 304: logged, nothing stored
    record_failure(request, reason, message, result=None)
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field, replace
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .frontier import PENDING, CrawlRequest

if TYPE_CHECKING:
    from .models import FetchResult
    from .profiles.model import SiteProfile

__all__ = ["Sink", "SiteState", "PreviousFetch", "Stored", "MemorySink"]


@dataclass(frozen=True, slots=True)
class PreviousFetch:
    url: str
    status: int
    sha256: str | None
    etag: str | None = None
    last_modified: str | None = None
    list_title: str | None = None
    list_date: str | None = None
    #: made by the site's current run (a resumed run trusts it; a new run revalidates it)
    this_run: bool = False


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    new: bool                    # new bytes (False: the archive had them already)
    #: parsed | not_report | failed | None (not parsed: e.g. an identical document already was)
    parse: str | None = None
    report_id: int | None = None
    message: str = ""


@dataclass(slots=True)
class SiteState:
    resumed: bool = False
    #: (request, state) of the unfinished run being resumed
    requests: list[tuple[CrawlRequest, str]] = field(default_factory=list)


class Sink(Protocol):
    def open_site(self, site: str, resume: bool) -> SiteState: ...
    def frontier_add(self, site: str, requests: list[CrawlRequest]) -> None: ...
    def frontier_done(self, site: str, request: CrawlRequest, state: str,
                      error: str | None = None) -> None: ...
    def close_site(self, site: str, stats: dict[str, int]) -> None: ...
    def seen(self, url: str, site: str | None = None) -> PreviousFetch | None: ...
    def stored_body(self, sha256: str) -> bytes | None: ...
    def store(self, result: "FetchResult", request: CrawlRequest, profile: "SiteProfile",
              parsed: Callable[[str], None] | None = None) -> Stored: ...
    def settle(self, stop: bool = False) -> None: ...
    def store_list(self, result: "FetchResult", request: CrawlRequest) -> None: ...
    def note_unchanged(self, result: "FetchResult", request: CrawlRequest,
                       previous: PreviousFetch) -> None: ...
    def record_failure(self, request: CrawlRequest, reason: str, message: str,
                       result: "FetchResult | None" = None) -> None: ...


class MemorySink:
    """Keeps everything in dicts; nothing is parsed. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.bodies: dict[str, bytes] = {}
        self.fetches: dict[str, tuple[PreviousFetch, int]] = {}
        self.stored: list[tuple[CrawlRequest, str]] = []
        self.failures: list[tuple[CrawlRequest, str, str]] = []
        self.frontiers: dict[str, dict[str, tuple[CrawlRequest, str]]] = {}
        self.closed: dict[str, dict[str, int]] = {}
        self.unchanged: list[str] = []
        self.generation: dict[str, int] = {}

    def open_site(self, site: str, resume: bool) -> SiteState:
        with self._lock:
            rows = self.frontiers.get(site)
            if resume and rows and site not in self.closed:
                return SiteState(True, list(rows.values()))
            self.frontiers[site] = {}
            self.closed.pop(site, None)
            self.generation[site] = self.generation.get(site, 0) + 1
            return SiteState(False, [])

    def frontier_add(self, site: str, requests: list[CrawlRequest]) -> None:
        with self._lock:
            table = self.frontiers.setdefault(site, {})
            for r in requests:
                table.setdefault(r.key, (r, PENDING))

    def frontier_done(self, site: str, request: CrawlRequest, state: str,
                      error: str | None = None) -> None:
        with self._lock:
            self.frontiers.setdefault(site, {})[request.key] = (request, state)

    def close_site(self, site: str, stats: dict[str, int]) -> None:
        with self._lock:
            self.closed[site] = dict(stats)

    def seen(self, url: str, site: str | None = None) -> PreviousFetch | None:
        with self._lock:
            found = self.fetches.get(url)
            if found is None:
                return None
            prev, generation = found
            return replace(prev, this_run=generation == self.generation.get(site or "", -1))

    def stored_body(self, sha256: str) -> bytes | None:
        with self._lock:
            return self.bodies.get(sha256)

    def _keep(self, result: "FetchResult", request: CrawlRequest) -> tuple[str, bool]:
        sha = hashlib.sha256(result.body).hexdigest()
        with self._lock:
            new = sha not in self.bodies
            self.bodies[sha] = result.body
            self.fetches[request.url] = (PreviousFetch(
                request.url, result.status, sha, result.etag, result.last_modified,
                request.list_title, request.list_date), self.generation.get(request.site, 0))
        return sha, new

    def store(self, result: "FetchResult", request: CrawlRequest, profile: "SiteProfile",
              parsed: Callable[[str], None] | None = None) -> Stored:
        sha, new = self._keep(result, request)
        with self._lock:
            self.stored.append((request, sha))
        return Stored(sha, new)

    def store_list(self, result: "FetchResult", request: CrawlRequest) -> None:
        self._keep(result, request)

    def settle(self, stop: bool = False) -> None:
        """Nothing is parsed here: nothing to wait for."""

    def note_unchanged(self, result: "FetchResult", request: CrawlRequest,
                       previous: PreviousFetch) -> None:
        with self._lock:
            self.unchanged.append(request.url)

    def record_failure(self, request: CrawlRequest, reason: str, message: str,
                       result: "FetchResult | None" = None) -> None:
        with self._lock:
            self.failures.append((request, reason, message))
