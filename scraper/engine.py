"""The crawl engine: profiles in, fetched reports out to a sink, resumable, polite, counted.

``CrawlEngine(profiles, sink, fetcher, settings, progress).run() -> CrawlSummary``

Per site: open its run in the sink (resuming an unfinished one), seed the entry columns, then
workers (``request.concurrency`` per site; sites in parallel) pop requests by priority and:

* list page: fetch (conditional GET from the last fetch), read it with the family module, keep
  in-scope links whose listed title is a report (``scraper.report_filter``) as article or
  attachment requests, queue the next pages up to ``max_pages``; a 304 is read from the stored copy;
* article / attachment: skipped when this run (before a kill) already stored it, else fetched with
  a conditional GET from the last fetch (``revalidate``; unconditionally with ``refresh``), so a
  re-crawl gets 304 for what did not change and 200 only for new or changed files, which go to
  ``sink.store`` (archive + parse); an article's attachment links are queued (read from the
  stored copy on a skip or a 304, so a resume loses none).

Generic mode (a profile of the ``generic`` family, e.g. a URL given on the command line):
each column's first page is recognised (``scraper.discovery.detect``: createPageHTML scripts,
datastore XML, URL shapes …) and read, with everything it leads to, by that family's module (the
family rides on each ``CrawlRequest``, so a resumed run keeps it); where that reader finds no rows
the generic reader's links stand in. ``SiteProgress.columns`` says which family and why. A URL
given on the command line is a start page (``options.start``): the walk of
``scraper.discovery.walk`` finds its annual-report columns first (a few hops, a page budget, each
page fetched here: robots, scope, delay, log) and each column's first page is read as fetched
there (``SiteProgress.start`` says what was read and why). Scope is the profile's
(``SiteProfile.in_scope``: its hosts, its ``domains``, attachments also under
``attachments.domains``): a host of it met only now is admitted to the fetcher with the site's
delay, also when a redirect leads there. Links to OFD files are noted (``SiteProgress.unsupported``),
not fetched. ``CrawlSettings.dry_run`` reads the list pages only (``xxgk crawl --discover``).

A blocked answer (``FetchResult.blocked``), an HTTP error or a ``ScraperError`` is recorded in
the sink for that URL and the crawl goes on. Counters (``CrawlEngine.stats``): ``crawl/list/pages``,
``crawl/list/links``, ``crawl/list/skipped/<reason>`` (``column_link``: generic mode, a bare column
name such as 政府信息公开年报 in a menu), ``crawl/list/out_of_scope``, ``crawl/start/pages``, ``crawl/start/columns``,
``crawl/scope/hosts_admitted``, ``crawl/article/unsupported``, ``crawl/dry_run/<kind>``,
``crawl/list/max_pages`` and ``crawl/list/max_depth`` (``scraper.budget``),
``crawl/budget/reached``, ``crawl/reports/found``, ``crawl/fetch/count``,
``crawl/fetch/not_modified``, ``crawl/skipped/known``, ``crawl/stored/new``,
``crawl/stored/duplicate``, ``crawl/parse/<status>``, ``crawl/error/<reason>``,
``crawl/blocked/<kind>``. Reads ``CrawlSettings``; the fetcher's own settings stay its own.
"""
from __future__ import annotations

import datetime
import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from .decode import decode_html
from .discovery import family_module
from .discovery.base import Listing, Page, PageRequest, compile_patterns
from .discovery.detect import GENERIC, detect_family
from .discovery.scope import host_of
from .discovery.start import is_column_name
from .discovery.viewers import is_unsupported, unsupported_files
from .discovery.walk import StartResult, find_columns
from .budget import DEFAULT_MAX_REQUESTS, ColumnPages, RequestBudget
from .errors import OutOfScopeError, ScraperError
from .fetcher import Fetcher
from .frontier import DONE, FAILED, SKIPPED, CrawlRequest, Frontier
from .models import FetchRequest, FetchResult
from .profiles.model import SiteProfile
from .report_filter import FilterRules, classify_title
from .scope import scope_items
from .sink import PreviousFetch, Sink
from .stats import Stats
from .unreachable import describe_reason

__all__ = ["CrawlSettings", "SiteProgress", "CrawlSummary", "CrawlEngine", "configure_fetcher"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    #: only reports whose title year is in this range (inside the profile's own range)
    year_from: int | None = None
    year_to: int | None = None
    #: list pages read per entry column at most (the profile's ``max_pages`` if smaller),
    #: counted as read whatever the pages' labels say (``scraper.budget``)
    max_pages: int | None = None
    #: requests per site per run at most; the rest of the frontier is left for the next run
    max_requests: int = DEFAULT_MAX_REQUESTS
    #: fetch again what the archive already has (unconditionally)
    refresh: bool = False
    #: seconds between requests per host; raised to the profile's delay unless ``allow_fast``
    delay: float | None = None
    #: let ``delay`` go below a profile's delay (loopback replica, benchmarks)
    allow_fast: bool = False
    #: continue an unfinished run of a site instead of starting over
    resume: bool = True
    #: ask again (conditional GET) for files an earlier run archived, so changed ones are found;
    #: off: request nothing the archive has (what a resumed run does for its own fetches)
    revalidate: bool = True
    #: sites crawled at the same time
    parallel_sites: int = 8
    #: today's date (``None``: the clock's); year templates stop at its year
    today: datetime.date | None = None
    #: read the list pages only: report pages and files are counted, not fetched (``--discover``)
    dry_run: bool = False

    def __post_init__(self) -> None:
        if self.max_pages is not None and self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if self.max_requests < 1:
            raise ValueError("max_requests must be at least 1")
        if self.delay is not None and self.delay < 0:
            raise ValueError("delay must not be negative")
        if self.parallel_sites < 1:
            raise ValueError("parallel_sites must be at least 1")

    @property
    def current_year(self) -> int:
        return (self.today or datetime.date.today()).year


@dataclass(slots=True)
class SiteProgress:
    site: str
    listed: int = 0      # list pages read
    found: int = 0       # report links queued
    fetched: int = 0     # report pages and attachments fetched (200)
    stored: int = 0      # of those, new documents
    parsed: int = 0      # parsed into a report record
    skipped: int = 0     # already in the archive, not fetched again
    unchanged: int = 0   # answered 304
    errors: int = 0
    blocked: int = 0
    queued: int = 0
    resumed: bool = False
    done: bool = False
    #: generic mode: each column's recognised CMS family and why
    #: ({column URL: {"family", "score", "why": [...], "fallback"?}})
    columns: dict = field(default_factory=dict)
    #: why nothing could be read from the site at all ("unreachable: host name not found (DNS)",
    #: "disallowed by robots.txt" …); empty when anything was read
    failed: str = ""
    #: the run's request budget ran out: what was left for the next run
    budget: str = ""
    #: generic mode from a start page: how its columns were found (``StartResult.to_dict()``)
    start: list = field(default_factory=list)
    #: files linked as reports in a format not read here (OFD), noted, not fetched
    unsupported: list = field(default_factory=list)


@dataclass(slots=True)
class CrawlSummary:
    sites: dict[str, SiteProgress] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    #: (site, url, kind) of every blocked answer
    blocked: list[tuple[str, str, str]] = field(default_factory=list)
    #: (site, url, reason) of every other failure
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    #: seconds the crawl took, the parses of what it stored included
    elapsed: float = 0.0
    #: seconds until the last fetch was done (``elapsed`` less the parses still running then)
    fetching: float = 0.0
    interrupted: bool = False

    @property
    def all_failed(self) -> bool:
        """Every site finished and none gave anything."""
        return bool(self.sites) and all(p.done and p.failed for p in self.sites.values())

    def to_dict(self) -> dict:
        return {"sites": {k: asdict(v) for k, v in self.sites.items()}, "stats": self.stats,
                "blocked": [{"site": s, "url": u, "kind": k} for s, u, k in self.blocked],
                "failures": [{"site": s, "url": u, "reason": r} for s, u, r in self.failures],
                "elapsed": round(self.elapsed, 3), "fetching": round(self.fetching, 3), "interrupted": self.interrupted,
                "all_failed": self.all_failed}


def _host_delay(profile: SiteProfile, settings: CrawlSettings) -> float:
    delay = profile.request.delay
    if settings.delay is not None:
        delay = settings.delay if settings.allow_fast else max(settings.delay, delay)
    return delay


def configure_fetcher(fetcher: Fetcher, profiles: Iterable[SiteProfile],
                      settings: CrawlSettings) -> None:
    """Allow every profile's hosts (and its entries' origins, ports included) and give each host
    the profile's delay and connections."""
    for p in profiles:
        fetcher.allow_hosts(scope_items(p))
        for host in p.hosts:
            fetcher.configure_host(host, delay=_host_delay(p, settings),
                                   concurrency=p.request.concurrency)


class _Site:
    """One site's crawl state: profile, family module(s), frontier, filter, progress.

    A site of the ``generic`` family (generic mode) recognises each column's CMS family from its
    first list page and reads it, and what it leads to, with that family's module."""

    def __init__(self, profile: SiteProfile, settings: CrawlSettings):
        self.profile = profile
        self.module = family_module(profile.family)
        self.detect = profile.family == GENERIC
        #: the entries are start pages: the report columns are found from them first
        self.start = self.detect and bool(profile.option("start", False))
        self.frontier = Frontier()
        self.rules: FilterRules = profile.filter.with_years(settings.year_from, settings.year_to)
        self.progress = SiteProgress(profile.name)
        self.max_pages = min(profile.pagination.max_pages, settings.max_pages or 10**9)
        self.pages = ColumnPages(self.max_pages)
        self.requests = RequestBudget(settings.max_requests)
        self.extensions = tuple(f".{e.lower()}" for e in profile.attachments.extensions)
        self._patterns: dict[str, tuple] = {}

    def reader(self, family: str | None):
        """The discovery module of a request's family (the profile's when it has none)."""
        return family_module(family) if family else self.module

    def is_attachment(self, url: str, family: str | None = None) -> bool:
        key = family or self.profile.family
        if key not in self._patterns:
            self._patterns[key] = compile_patterns(
                self.profile.attachments.patterns
                + tuple(getattr(self.reader(family), "ATTACHMENT_PATTERNS", ())))
        path = urlsplit(url).path.lower()
        return path.endswith(self.extensions) or any(p.search(url) for p in self._patterns[key])


class CrawlEngine:
    def __init__(self, profiles: Iterable[SiteProfile], sink: Sink, fetcher: Fetcher,
                 settings: CrawlSettings | None = None,
                 progress: Callable[[SiteProgress], None] | None = None,
                 stats: Stats | None = None):
        self.profiles = list(profiles)
        self.sink, self.fetcher = sink, fetcher
        self.settings = settings or CrawlSettings()
        self.stats = stats or Stats()
        self._progress = progress
        self._stop = threading.Event()
        self._summary = CrawlSummary()
        self._summary_lock = threading.Lock()
        configure_fetcher(fetcher, self.profiles, self.settings)

    def stop(self) -> None:
        """Finish the requests in flight and return; the runs stay resumable."""
        self._stop.set()

    def run(self) -> CrawlSummary:
        started = time.monotonic()
        sites = [_Site(p, self.settings) for p in self.profiles]
        with ThreadPoolExecutor(max_workers=min(self.settings.parallel_sites, len(sites) or 1),
                                thread_name_prefix="xxgk-site") as pool:
            futures = [pool.submit(self._run_site, s) for s in sites]
            try:
                pending = set(futures)
                while pending:   # short waits keep Ctrl-C responsive
                    _, pending = wait(pending, timeout=0.2)
                for f in futures:
                    f.result()
            except KeyboardInterrupt:   # Ctrl-C: finish the requests in flight, keep what came
                self._stop.set()
                self._summary.interrupted = True
                wait(futures)
        self._summary.fetching = time.monotonic() - started
        self._settle_parses()
        self._summary.sites = {s.profile.name: s.progress for s in sites}
        self._summary.stats = self.stats.snapshot()
        self._summary.elapsed = time.monotonic() - started
        self._summary.interrupted = self._summary.interrupted or self._stop.is_set()
        return self._summary

    def _settle_parses(self) -> None:
        """Wait for the parses of what was stored (a sink that parses behind the fetchers); a
        stopped crawl, or a Ctrl-C meanwhile, waits only for those begun: the rest is the next run's."""
        settle = getattr(self.sink, "settle", None)
        if settle is None:
            return
        try:
            settle(stop=self._stop.is_set())
        except KeyboardInterrupt:
            self._stop.set()
            self._summary.interrupted = True
            settle(stop=True)

    def _parsed(self, site: _Site, status: str) -> None:
        """A stored document's parse outcome, counted (now, or later from behind the fetchers)."""
        self.stats.inc(f"crawl/parse/{status}")
        if status == "parsed":
            with self._summary_lock:
                site.progress.parsed += 1
            self._report(site)

    # -- one site ------------------------------------------------------------------------------
    def _run_site(self, site: _Site) -> None:
        name = site.profile.name
        state = self.sink.open_site(name, self.settings.resume)
        site.progress.resumed = state.resumed
        for request, st in state.requests:
            site.frontier.add(request, st)
        site.pages.restore(r for r, _ in state.requests)
        seeds = self._seeds(site)
        if site.start:    # a home page or a 信息公开 page: find the columns, read their first pages
            seeds = self._start(site, seeds)
        if site.detect:   # columns recognised before a resume keep their family in the summary
            entries = {r.url for r in seeds}
            for request, _ in state.requests:
                if request.family and request.referrer in entries:
                    site.progress.columns.setdefault(request.referrer, {
                        "family": request.family, "why": ["recognised before this run was resumed"]})
        self._enqueue(site, seeds)
        workers = [threading.Thread(target=self._work, args=(site,), daemon=True,
                                    name=f"xxgk-{name}-{i}")
                   for i in range(1, site.profile.request.concurrency)]
        for w in workers:
            w.start()
        self._work(site)
        for w in workers:
            w.join()
        site.progress.done = not self._stop.is_set() and site.frontier.idle
        if site.requests.spent and not site.frontier.idle:
            site.progress.budget = (f"request budget of {site.requests.limit} reached: "
                                    f"{len(site.frontier)} requests left for the next run "
                                    "(the same command continues)")
            self.stats.inc("crawl/budget/reached")
        if site.progress.done:
            site.progress.failed = self._site_failure(site)
            self.sink.close_site(name, asdict(site.progress))
        self._report(site)

    def _site_failure(self, site: _Site) -> str:
        """Why a finished site gave nothing at all (its first failure, in words), or ``""``."""
        p = site.progress
        if p.listed or p.fetched or p.skipped or p.unchanged:
            return ""
        name = site.profile.name
        with self._summary_lock:
            reasons = [r for s, _, r in self._summary.failures if s == name]
            reasons += [f"blocked_{k}" for s, _, k in self._summary.blocked if s == name]
        return describe_reason(reasons[0]) if reasons else ""

    def _seeds(self, site: _Site) -> list[CrawlRequest]:
        """The entry columns; a family with ``entry_requests`` says how to ask for each."""
        urls = [url for entry in site.profile.entries
                for url in entry.urls(site.rules.year_from, site.rules.year_to,
                                      self.settings.current_year)]
        ask = getattr(site.module, "entry_requests", None)
        pages = ([p for url in urls for p in ask(site.profile, url)] if ask is not None
                 else [PageRequest(url) for url in urls])
        return [CrawlRequest(p.url, "list", site.profile.name, p.method, p.data, p.headers,
                             page_no=p.page_no, json_body=p.json_body) for p in pages]

    def _start(self, site: _Site, seeds: list[CrawlRequest]) -> list[CrawlRequest]:
        """Generic mode from start pages: walk from each to its annual-report columns
        (``scraper.discovery.walk``: scoped, robots obeyed, a few hops, a page budget), read each
        column's first page as fetched there, and return what is left to seed."""
        rest: list[CrawlRequest] = []
        for seed in seeds:
            if self._stop.is_set():
                break
            fetched: list[tuple[CrawlRequest, FetchResult | None]] = []
            found = find_columns(seed.url, self._start_fetch(site, fetched), site.profile,
                                 in_scope=site.profile.in_scope)
            site.progress.start.append(found.to_dict())
            self.stats.inc("crawl/start/pages", found.pages)
            self.stats.inc("crawl/start/columns", 0 if found.fallback else len(found.columns))
            asked = {c.url: self._entry_requests(site, c) for c in found.columns}
            # the walk's pages are known from now on (kept like list pages), except a column
            # asked for by another URL: its page is a report of its own (a unit's year page)
            for request, result in fetched:
                if asked.get(request.url):
                    continue
                if result is not None and not result.not_modified:
                    self.sink.store_list(result, request)
                self._mark_done(site, request, DONE if result is not None else FAILED)
            for column in found.columns:
                self._read_column(site, column, asked[column.url], rest)
        return rest

    def _entry_requests(self, site: _Site, column) -> list[PageRequest]:
        """How the column's family asks for it when not by the URL it was found at (``[]``)."""
        ask = getattr(site.reader(column.detection.family), "entry_requests", None)
        asked = ask(site.profile, column.url) if ask is not None else []
        return asked if [p.url for p in asked] != [column.url] else []

    def _read_column(self, site: _Site, column, asked: list[PageRequest],
                     rest: list[CrawlRequest]) -> None:
        found = {**column.detection.to_dict(), "found": column.to_dict()}
        if asked:   # a family that asks for an entry otherwise (a per-unit page without its year)
            for p in asked:
                site.progress.columns[p.url] = dict(found)
            rest += [CrawlRequest(p.url, "list", site.profile.name, p.method, p.data, p.headers,
                                  referrer=column.found_on, page_no=p.page_no,
                                  json_body=p.json_body, family=column.detection.family)
                     for p in asked]
            return
        request = CrawlRequest(column.url, "list", site.profile.name, referrer=column.found_on)
        self._mark_done(site, request)
        self._read_list(site, request, column.page)
        site.progress.columns.setdefault(column.url, column.detection.to_dict())["found"] = \
            column.to_dict()

    def _mark_done(self, site: _Site, request: CrawlRequest, state: str = DONE) -> None:
        """A page read outside the queue (by the start walk): known, so never queued again."""
        if site.frontier.add(request, state):
            self.sink.frontier_add(site.profile.name, [request])
            self.sink.frontier_done(site.profile.name, request, state)

    def _start_fetch(self, site: _Site, fetched: list):
        """The walk's ``fetch(url, referrer) -> Page | None``: the engine's own fetch (scope,
        robots, delay, conditional GET, the crawl log); each answer noted in ``fetched``."""
        def fetch(url: str, referrer: str | None) -> Page | None:
            if self._stop.is_set() or site.requests.spent:   # the run's request budget too
                return None
            request = CrawlRequest(url, "list", site.profile.name, referrer=referrer)
            prev = self.sink.seen(url, site.profile.name)
            result = self._fetch(site, request, prev)
            fetched.append((request, result))
            if result is None:
                return None
            body = result.body
            if result.not_modified:
                body = (self.sink.stored_body(prev.sha256) if prev and prev.sha256 else None) or b""
            return Page(result.final_url, self._text(site, body, result.charset))
        return fetch

    def _admit(self, site: _Site, url: str, attachment: bool) -> bool:
        """Let the fetcher ask a host of the site's domains (or an attachment host) it met only
        now, with the site's delay; ``False`` when the URL is out of the site's scope."""
        host = host_of(url)
        if self.fetcher.allows(url):
            return True
        if not host or not site.profile.in_scope(url, attachment):
            return False
        self.fetcher.allow_hosts([host])
        self.fetcher.configure_host(host, delay=_host_delay(site.profile, self.settings),
                                    concurrency=site.profile.request.concurrency)
        self.stats.inc("crawl/scope/hosts_admitted")
        return True

    def _enqueue(self, site: _Site, requests: list[CrawlRequest]) -> list[CrawlRequest]:
        fresh = [r for r in requests if site.frontier.add(r)]
        if fresh:
            self.sink.frontier_add(site.profile.name, fresh)
        site.progress.queued = len(site.frontier)
        return fresh

    def _work(self, site: _Site) -> None:
        while not self._stop.is_set():
            if site.requests.spent:   # the rest stays in the frontier for the next run
                return
            request = site.frontier.pop()
            if request is None:
                if site.frontier.idle:
                    return
                time.sleep(0.005)   # another worker may still add pages
                continue
            try:
                state, error = self._process(site, request)
            except ScraperError as exc:   # a discovery bug on one page must not end the crawl
                state, error = FAILED, exc.reason
            except Exception as exc:      # noqa: BLE001 — recorded, the crawl goes on
                log.exception("%s: unexpected error on %s", site.profile.name, request.url)
                state, error = FAILED, f"bug_{type(exc).__name__}"
                self.sink.record_failure(request, "crawler_bug", f"{type(exc).__name__}: {exc}")
            site.frontier.finish(request, state)
            self.sink.frontier_done(site.profile.name, request, state, error)
            self._report(site)

    def _report(self, site: _Site) -> None:
        site.progress.queued = len(site.frontier)
        if self._progress is not None:
            try:
                self._progress(site.progress)
            except Exception:   # noqa: BLE001 — a broken display must not stop the crawl
                log.exception("progress callback failed")

    # -- one request ---------------------------------------------------------------------------
    def _process(self, site: _Site, request: CrawlRequest) -> tuple[str, str | None]:
        if self.settings.dry_run and request.kind != "list":
            self.stats.inc(f"crawl/dry_run/{request.kind}")
            return SKIPPED, "dry_run"
        prev = self.sink.seen(request.url, site.profile.name)
        trusted = prev is not None and prev.sha256 and (prev.this_run or not self.settings.revalidate)
        if request.kind != "list" and trusted and not self.settings.refresh \
                and (request.list_date is None or prev.list_date in (None, request.list_date)):
            self.stats.inc("crawl/skipped/known")
            site.progress.skipped += 1
            if request.kind == "article":
                body = self.sink.stored_body(prev.sha256)
                if body is not None:
                    self._queue_attachments(site, request, request.url, self._text(site, body, None))
            return SKIPPED, None
        result = self._fetch(site, request, prev)
        if result is None:
            return FAILED, "fetch"
        body = result.body
        if result.not_modified:
            self.stats.inc("crawl/fetch/not_modified")
            site.progress.unchanged += 1
            body = (self.sink.stored_body(prev.sha256) if prev and prev.sha256 else None) or b""
            if prev is not None:
                self.sink.note_unchanged(result, request, prev)
        text = None
        if request.kind == "list":
            if not result.not_modified:
                self.sink.store_list(result, request)
            text = self._text(site, body, result.charset)
            self._read_list(site, request, Page(result.final_url, text))
            return DONE, None
        if not result.not_modified:
            self._store(site, request, result)
        if request.kind == "article" and (result.not_modified or "html" in result.media_type):
            text = self._text(site, body, result.charset)
            self._queue_attachments(site, request, result.final_url, text)
        return DONE, None

    def _fetch(self, site: _Site, request: CrawlRequest,
               prev: PreviousFetch | None) -> FetchResult | None:
        site.requests.spend()
        use_validators = prev is not None and not self.settings.refresh and prev.sha256
        headers = {**site.profile.request.headers, **dict(request.headers)}
        fetch_request = FetchRequest(
            request.url, method=request.method, data=dict(request.data) if request.data else None,
            json=json.loads(request.json_body) if request.json_body else None,
            headers=headers or None, referer=request.referrer,
            etag=prev.etag if use_validators else None,
            last_modified=prev.last_modified if use_validators else None)
        attachment = request.kind == "attachment"
        self._admit(site, request.url, attachment)
        for _ in range(4):
            try:
                result = self.fetcher.fetch(fetch_request)
                break
            except OutOfScopeError as exc:
                # a redirect to another host of the site (or an attachment host it links to):
                # admitted, asked again; anything else stays refused
                if exc.url and exc.url != request.url and self._admit(site, exc.url, attachment):
                    continue
                self._fail(site, request, exc.reason, str(exc))
                return None
            except ScraperError as exc:
                self._fail(site, request, exc.reason, str(exc))
                return None
        else:
            self._fail(site, request, "out_of_scope", f"{request.url}: too many hosts on the way")
            return None
        self.stats.inc("crawl/fetch/count")
        if result.blocked:
            self.stats.inc(f"crawl/blocked/{result.blocked}")
            site.progress.blocked += 1
            with self._summary_lock:
                self._summary.blocked.append((site.profile.name, request.url, result.blocked))
            self.sink.record_failure(request, f"blocked_{result.blocked}",
                                     f"{result.final_url}: bot defence {result.blocked} "
                                     f"(HTTP {result.status}); not evaded", result)
            return None
        if result.status >= 400 or (result.status >= 300 and not result.not_modified):
            self._fail(site, request, f"http_{result.status}",
                       f"{result.final_url}: HTTP {result.status}", result)
            return None
        return result

    def _fail(self, site: _Site, request: CrawlRequest, reason: str, message: str,
              result: FetchResult | None = None) -> None:
        self.stats.inc(f"crawl/error/{reason}")
        site.progress.errors += 1
        with self._summary_lock:
            self._summary.failures.append((site.profile.name, request.url, reason))
        self.sink.record_failure(request, reason, message, result)

    def _text(self, site: _Site, body: bytes, charset: str | None) -> str:
        if site.profile.encoding != "auto":
            return body.decode(site.profile.encoding, "replace")
        return decode_html(body, charset)[0]

    def _store(self, site: _Site, request: CrawlRequest, result: FetchResult) -> None:
        stored = self.sink.store(result, request, site.profile, functools.partial(self._parsed, site))
        site.progress.fetched += 1
        self.stats.inc("crawl/stored/new" if stored.new else "crawl/stored/duplicate")
        if stored.new:
            site.progress.stored += 1
        if stored.parse:   # parsed in this fetcher's turn (else counted when its parse is stored)
            self._parsed(site, stored.parse)

    # -- what a page leads to ----------------------------------------------------------------
    def _read_list(self, site: _Site, request: CrawlRequest, page: Page) -> None:
        self.stats.inc("crawl/list/pages")
        site.progress.listed += 1
        family = request.family
        if family is None and site.detect:
            family = self._recognise(site, request, page)
        asked = PageRequest(request.url, request.method, request.data, request.headers,
                            request.page_no, request.json_body)
        listing = site.reader(family).read_list(page, site.profile, asked)
        if family not in (None, GENERIC) and not listing.links:
            # the family's reader found no rows here: the generic reader's links stand in
            # (its pages too when the family's reader found none)
            fallback = site.reader(GENERIC).read_list(page, site.profile, asked)
            if fallback.links:
                self.stats.inc("crawl/detect/fallback")
                column = site.progress.columns.get(request.url)
                if column is not None:
                    column["fallback"] = (f"no {family} rows on the page: its links were read "
                                          "by the generic reader")
            listing = Listing(fallback.links, listing.next_pages or fallback.next_pages)
        self.stats.inc("crawl/list/links", len(listing.links))
        queued: list[CrawlRequest] = []
        for link in listing.links:
            kind = "attachment" if site.is_attachment(link.url, family) else "article"
            if not site.profile.in_scope(link.url, kind == "attachment"):
                self.stats.inc("crawl/list/out_of_scope")
                continue
            verdict = classify_title(link.title, site.rules)
            if not verdict.is_report:
                self.stats.inc(f"crawl/list/skipped/{verdict.reason}")
                continue
            if site.detect and verdict.year is None and len(link.title) <= 12 \
                    and is_column_name(link.title):   # 政府信息公开年报 in a menu: a column
                self.stats.inc("crawl/list/skipped/column_link")
                continue
            queued.append(CrawlRequest(
                link.url, kind, site.profile.name, referrer=page.url, depth=request.depth + 1,
                list_title=link.title, list_date=link.date, list_position=link.position,
                variant=verdict.variant, year=verdict.year, family=family))
        for nxt in listing.next_pages:
            if not site.profile.in_scope(nxt.url):
                self.stats.inc("crawl/list/out_of_scope")
                continue
            first = nxt.page_no <= 1   # a column of its own (a category): one level deeper
            candidate = CrawlRequest(nxt.url, "list", site.profile.name, nxt.method, nxt.data,
                                     nxt.headers, referrer=page.url,
                                     depth=request.depth + 1 if first else request.depth,
                                     page_no=nxt.page_no, json_body=nxt.json_body, family=family)
            refused = site.pages.admit(request, candidate, site.frontier.known)
            if refused:   # pages counted per column as read, whatever their labels say
                self.stats.inc(f"crawl/list/{refused}")
                continue
            queued.append(candidate)
        found = sum(1 for r in self._enqueue(site, queued) if r.kind != "list")
        self.stats.inc("crawl/reports/found", found)
        site.progress.found += found

    def _recognise(self, site: _Site, request: CrawlRequest, page: Page) -> str:
        """Generic mode: the CMS family of a column's first page, noted with its reasons."""
        found = detect_family(page.url, page.text)
        self.stats.inc(f"crawl/detect/{found.family}")
        site.progress.columns[request.url] = found.to_dict()
        log.info("%s: %s read as %s (%s)", site.profile.name, request.url, found.family,
                 "; ".join(found.reasons))
        return found.family

    def _queue_attachments(self, site: _Site, request: CrawlRequest, base_url: str,
                           text: str) -> None:
        links = site.reader(request.family).read_article(Page(base_url, text), site.profile)
        unsupported = [link.url for link in links if is_unsupported(link.url)]
        links = [link for link in links if not is_unsupported(link.url)]
        queued = [CrawlRequest(link.url, "attachment", site.profile.name, referrer=request.url,
                               depth=request.depth + 1,
                               list_title=request.list_title or link.title,
                               list_date=request.list_date, list_position=link.position,
                               variant=request.variant, year=request.year, family=request.family)
                  for link in links if site.profile.in_scope(link.url, attachment=True)]
        self.stats.inc("crawl/article/attachments", len(queued))
        self._enqueue(site, queued)
        for url in unsupported + unsupported_files(text, base_url):   # OFD: noted, not fetched
            if url not in site.progress.unsupported:
                self.stats.inc("crawl/article/unsupported")
                site.progress.unsupported.append(url)
                self.sink.record_failure(
                    CrawlRequest(url, "attachment", site.profile.name, referrer=request.url,
                                 list_title=request.list_title),
                    "unsupported_ofd", f"{url}: an OFD file (linked from {request.url}); "
                    "OFD is not read here, so it was not fetched")

