"""The crawl's archive side: ``CatalogSink`` (the scraper's ``Sink``) and ``run_crawl``.

Every report page and attachment becomes a blob + document + a ``sources`` row (kind ``crawl``,
with url, final url, status, selected headers, redirects, time, site, the page it was found on,
its list title/date/position, ETag, Last-Modified) and is parsed behind the fetchers
(``archive.crawl_parses``: ``run_crawl``'s sink hands each stored document to worker threads
that parse it in the pool's processes and store the outcome; the fetcher goes on at once; a sink
made without them parses in the fetcher's turn). List pages are kept as blobs only (a 304 is read from them).
Every answer is a ``fetches`` row; the frontier of each site's run is in ``frontier``; a run stays
``running`` until its frontier is empty, so the same command after a kill resumes it.

Copies of one report (the agency's page, the parent portal's copy, its PDF attachment, a 图解
version) are linked in ``report_links`` by one key, region | agency | year (the parsed record's,
else the profile's region and agency and the listed title's year); a file found on a report page
that is a report of the same year itself (an HTML body with its PDF copy) joins that page's key
(``page|<page url>`` when the page has none: a crawl without a profile knows no region). The
canonical one is chosen by ``archive.compare``'s duplicate rule (``link_report``).
``canonical_reports`` lists each once.

Thread-safe: each worker thread gets its own catalog connection; writes are serialized. Parsing
runs in worker processes (``archive.parse_pool``, ``--workers``, default one a core) outside the
sink's lock, so a document that parses for its whole budget (then ``parse_timeout``) holds up no
fetcher. A document is stored ``pending`` before its fetch is logged and its request marked done,
so a kill at any moment leaves it for the next run (``finish_pending``, at the start of
``run_crawl``); ``run_crawl`` returns only when every document it stored is parsed and stored.
A full disk (``DiskFullError``) stops the crawl: the engine is told to stop, nothing more is
written, ``run_crawl`` raises it, and the same command resumes once there is space.
"""
from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from scraper.engine import CrawlEngine, CrawlSettings, CrawlSummary, SiteProgress
from scraper.errors import ScraperError
from scraper.fetcher import Fetcher
from scraper.frontier import CrawlRequest
from scraper.models import FetchResult
from scraper.profiles import SiteProfile
from scraper.report_filter import title_year
from scraper.settings import FetchSettings
from scraper.sink import PreviousFetch, SiteState, Stored

from .catalog import Catalog, now_iso
from .compare.duplicates import choose_canonical
from .errors import BlobError, DiskFullError
from .home import Home, catalog_location
from .crawl_parses import BackgroundParses, ParseTask
from .ingest import parse_and_store
from .parallel_parse import default_workers
from .parse_pool import ParsePool, shared_pool
from .provenance import report_provenance

__all__ = ["CatalogSink", "run_crawl", "canonical_reports", "link_report", "report_key"]

log = logging.getLogger(__name__)

_FRONTIER_COLS = ("run_id", "key", "url", "method", "body_json", "headers_json", "kind", "site",
                  "referrer", "depth", "page_no", "priority", "list_title", "list_date",
                  "list_position", "variant", "year")


def report_key(region: str | None, agency: str | None, year: int | None) -> str | None:
    if not year or not region:
        return None
    return f"{region}|{agency or ''}|{year}"


def link_report(conn, report_id: int, key: str, rule: str) -> int:
    """Put a report under ``key``; return the canonical report id of that key.

    The canonical one follows ``archive.compare``'s duplicate rule, so ``xxgk reports``-style
    counts and comparisons agree: the most trusted copy (the place's official source before a
    local import before a third-party copy, ``archive.provenance``), then a corrected version
    (更正/修订), then the most complete record (most metrics), then the newest.
    """
    conn.execute("INSERT OR REPLACE INTO report_links(report_id, canonical_key, canonical_id, rule) "
                 "VALUES (?, ?, ?, ?)", (report_id, key, report_id, rule))
    rows = conn.execute(  # when a copy arrived: its document's row (report ids are read from content)
        "SELECT r.id, r.title, r.published, (SELECT COUNT(*) FROM metric_values m WHERE m.report_id = r.id), "
        "printf('%012d', r.document_id) "
        "FROM report_links l JOIN reports r ON r.id = l.report_id WHERE l.canonical_key = ?",
        (key,)).fetchall()
    canonical = choose_canonical([(r[0], r[1], r[2], r[4]) for r in rows], {r[0]: r[3] for r in rows},
                                 report_provenance(conn, [r[0] for r in rows]))
    conn.execute("UPDATE report_links SET canonical_id = ? WHERE canonical_key = ?", (canonical, key))
    return canonical


def canonical_reports(catalog: Catalog) -> list[dict[str, Any]]:
    """Each report once: copies linked in ``report_links`` stand behind their canonical one."""
    return catalog.list_reports(distinct=True)


def _request_from_row(row) -> CrawlRequest:
    body = json.loads(row["body_json"] or "{}")
    return CrawlRequest(
        row["url"], row["kind"], row["site"], row["method"],
        tuple(tuple(p) for p in body.get("form", ())),
        tuple(tuple(p) for p in json.loads(row["headers_json"] or "[]")),
        row["referrer"], row["depth"], row["page_no"], row["list_title"], row["list_date"],
        row["list_position"], row["variant"], row["year"], body.get("json"), body.get("family"))


class _Stopped(ScraperError):
    """The archive cannot take more (its disk is full): the engine records no traceback for it."""

    reason = "archive_write_failed"


def _writes(*, quiet: bool = False):
    """A sink method that writes: once the disk is full it writes nothing more, and a full disk
    stops the crawl (``_Stopped`` for the engine, or nothing at all when ``quiet``: the engine
    calls those outside its per-request error handling)."""
    def wrap(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            if self.fatal is not None:
                if quiet:
                    return None
                raise _Stopped(str(self.fatal))
            try:
                return method(self, *args, **kwargs)
            except DiskFullError as e:
                stopped = self._stop(e)
                if quiet:
                    return None
                raise stopped from e
        return guarded
    return wrap


class CatalogSink:
    def __init__(self, home: Home, pool: ParsePool | None = None):
        self.path, self.settings = home.path, home.settings
        self.blobs = home.blobs  # the home's store: a folder or a bucket
        self._local = threading.local()
        self._lock = threading.RLock()
        self._runs: dict[str, int] = {}
        self._homes: list[Home] = []
        self.pool = pool
        #: the error that stopped the crawl (a full disk), raised again by run_crawl
        self.fatal: DiskFullError | None = None
        self.on_fatal: Callable[[], None] | None = None
        #: the parses behind the fetchers (``parse_behind``); None: parsed in the fetcher's turn
        self.parses: BackgroundParses | None = None

    def parse_behind(self, workers: int) -> None:
        """From now on ``store`` hands each document to ``workers`` threads and returns at once."""
        self.parses = BackgroundParses(self._parse_task, workers)

    def settle(self, stop: bool = False) -> None:
        """Wait until every document handed to the parses is parsed and stored (``stop``: only
        those begun; the others stay ``pending`` for the next run)."""
        if self.parses is not None:
            self.parses.settle(stop=stop)

    def _stop(self, e: DiskFullError) -> _Stopped:
        with self._lock:
            if self.fatal is None:
                self.fatal = e
                if self.on_fatal is not None:
                    self.on_fatal()
        return _Stopped(str(e))

    def _home(self) -> Home:
        home = getattr(self._local, "home", None)
        if home is None:
            catalog = Catalog(catalog_location(self.path))
            home = Home(self.path, self.blobs, catalog, self.settings)
            self._local.home = home
            with self._lock:
                self._homes.append(home)
        return home

    @property
    def _db(self):
        return self._home().catalog

    def close(self) -> None:
        if self.parses is not None:  # its threads write through connections closed below
            self.parses.close()
            self.parses = None
        with self._lock:
            for h in self._homes:
                try:
                    h.catalog.close()
                except Exception:   # noqa: BLE001 — a connection of a finished thread
                    pass
            self._homes.clear()

    # -- runs and frontier ---------------------------------------------------------------------
    def open_site(self, site: str, resume: bool) -> SiteState:
        with self._lock, self._db.write() as c:
            row = c.execute("SELECT id, state FROM crawl_runs WHERE site = ? ORDER BY id DESC LIMIT 1",
                            (site,)).fetchone()
            if resume and row and row["state"] == "running":
                self._runs[site] = row["id"]
                rows = c.execute("SELECT * FROM frontier WHERE run_id = ?", (row["id"],)).fetchall()
                return SiteState(True, [(_request_from_row(r), r["state"]) for r in rows])
            run_id = c.execute("INSERT INTO crawl_runs(site, started_at) VALUES (?, ?)",
                               (site, now_iso())).lastrowid
            # the frontier of older runs is spent; the fetch log keeps what they did
            c.execute("DELETE FROM frontier WHERE run_id IN "
                      "(SELECT id FROM crawl_runs WHERE site = ? AND id != ?)", (site, run_id))
            c.execute("UPDATE crawl_runs SET state = 'finished', finished_at = ? "
                      "WHERE site = ? AND id != ? AND state = 'running'", (now_iso(), site, run_id))
            self._runs[site] = run_id
            return SiteState(False, [])

    @_writes()
    def frontier_add(self, site: str, requests: list[CrawlRequest]) -> None:
        run_id = self._runs[site]
        rows = [(run_id, r.key, r.url, r.method,
                 json.dumps({"form": r.data, "json": r.json_body,
                             **({"family": r.family} if r.family else {})}, ensure_ascii=False),
                 json.dumps(r.headers), r.kind, r.site, r.referrer, r.depth, r.page_no,
                 r.priority, r.list_title, r.list_date, r.list_position, r.variant, r.year)
                for r in requests]
        with self._lock, self._db.write() as c:
            c.executemany(f"INSERT OR IGNORE INTO frontier({', '.join(_FRONTIER_COLS)}) "
                          f"VALUES ({', '.join('?' * len(_FRONTIER_COLS))})", rows)

    @_writes(quiet=True)
    def frontier_done(self, site: str, request: CrawlRequest, state: str,
                      error: str | None = None) -> None:
        with self._lock, self._db.write() as c:
            c.execute("UPDATE frontier SET state = ?, error = ?, attempts = attempts + 1 "
                      "WHERE run_id = ? AND key = ?", (state, error, self._runs[site], request.key))

    @_writes(quiet=True)
    def close_site(self, site: str, stats: dict[str, Any]) -> None:
        with self._lock, self._db.write() as c:
            c.execute("UPDATE crawl_runs SET state = 'finished', finished_at = ?, stats_json = ? "
                      "WHERE id = ?", (now_iso(), json.dumps(stats, ensure_ascii=False),
                                       self._runs[site]))

    # -- what was fetched before -----------------------------------------------------------------
    def seen(self, url: str, site: str | None = None) -> PreviousFetch | None:
        row = self._db.conn.execute(
            "SELECT url, status, sha256, etag, last_modified, list_title, list_date, run_id "
            "FROM fetches WHERE url = ? AND sha256 IS NOT NULL AND error IS NULL "
            "ORDER BY id DESC LIMIT 1", (url,)).fetchone()
        if row is None or not self.blobs.has(row["sha256"]):  # a deleted blob: fetched again, unconditionally
            return None
        this_run = site is not None and row["run_id"] == self._runs.get(site)
        return PreviousFetch(*tuple(row)[:7], this_run=this_run)

    def stored_body(self, sha256: str) -> bytes | None:
        """The stored bytes, hashed on the way; None when missing or altered."""
        try:
            return self.blobs.read_verified(sha256)
        except BlobError:
            return None

    # -- storing ---------------------------------------------------------------------------------
    def _log_fetch(self, c, request: CrawlRequest, result: FetchResult | None, *,
                   sha256: str | None = None, document_id: int | None = None,
                   error: str | None = None, not_modified: bool = False) -> None:
        c.execute(
            "INSERT INTO fetches(run_id, site, url, final_url, method, kind, status, etag, "
            "last_modified, sha256, document_id, not_modified, blocked, error, list_title, "
            "list_date, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self._runs.get(request.site), request.site, request.url,
             result.final_url if result else None, request.method, request.kind,
             result.status if result else None, result.etag if result else None,
             result.last_modified if result else None, sha256, document_id, int(not_modified),
             result.blocked if result else None, error, request.list_title, request.list_date,
             result.fetched_at if result else now_iso()))

    @_writes()
    def store_list(self, result: FetchResult, request: CrawlRequest) -> None:
        sha, _ = self.blobs.put_bytes(result.body)
        with self._lock, self._db.write() as c:
            self._log_fetch(c, request, result, sha256=sha)

    @_writes()
    def note_unchanged(self, result: FetchResult, request: CrawlRequest,
                       previous: PreviousFetch) -> None:
        with self._lock, self._db.write() as c:
            self._log_fetch(c, request, result, sha256=previous.sha256, not_modified=True)

    @_writes()
    def store(self, result: FetchResult, request: CrawlRequest, profile: SiteProfile,
              parsed: Callable[[str], None] | None = None) -> Stored:
        """Archive one page or file; parse it now, or behind the fetchers (``parse_behind``: then
        ``parsed(status)`` is told the outcome once it is stored, and ``Stored.parse`` is None)."""
        sha, _ = self.blobs.put_bytes(result.body)
        source = {
            "kind": "crawl", "url": request.url, "final_url": result.final_url,
            "http_status": result.status, "headers": result.headers,
            "redirects": [list(r) for r in result.redirects], "fetched_at": result.fetched_at,
            "site": request.site, "referrer": request.referrer, "list_title": request.list_title,
            "list_date": request.list_date, "list_position": request.list_position,
            "etag": result.etag, "last_modified": result.last_modified,
        }
        with self._lock:
            home = self._home()
            doc, is_new = home.catalog.add_document(sha, len(result.body), result.media_type,
                                                    result.charset, source)
            with home.catalog.write() as c:
                self._log_fetch(c, request, result, sha256=sha, document_id=doc.id)
            if not is_new and doc.status != "pending":
                return Stored(sha, False)
        if self.parses is not None:
            self.parses.submit(ParseTask(doc.id, request.url, request.referrer if request.kind == "attachment" else None,
                                         (doc, request, profile), parsed))
            return Stored(sha, is_new)
        # parsed outside the lock: only storing the outcome takes it
        status, message, report_id = parse_and_store(home, doc, request.url, pool=self.pool, lock=self._lock)
        if report_id is not None:
            with self._lock:
                self._link(home.catalog, report_id, request, profile)
        return Stored(sha, is_new, status, report_id, message)

    def _link(self, catalog: Catalog, report_id: int, request: CrawlRequest,
              profile: SiteProfile) -> None:
        row = catalog.conn.execute("SELECT region, agency, year, variant FROM reports WHERE id = ?",
                                   (report_id,)).fetchone()
        region = row["region"] or profile.region
        agency = row["agency"] if row["region"] else (row["agency"] or profile.agency)
        year = row["year"] or request.year
        key = report_key(region, agency, year)
        page = self._page_report(catalog, request, year)
        with catalog.write() as c:
            if page is not None:   # the file of a report page that is a report itself: its copy
                page_id, page_key = page
                key = page_key or key or f"page|{request.referrer}"
                if page_key is None:
                    link_report(c, page_id, key, "page|attachment")
                link_report(c, report_id, key, "page|attachment")
            elif key is not None:
                link_report(c, report_id, key, "region|agency|year")

    @staticmethod
    def _page_report(catalog: Catalog, request: CrawlRequest,
                     year: int | None) -> tuple[int, str | None] | None:
        """(report id, link key) of the report page an attachment was found on, when that page
        was parsed as a report of the same year (an HTML body and its PDF copy), else ``None``."""
        if request.kind != "attachment" or not request.referrer:
            return None
        found = catalog.conn.execute(
            "SELECT r.id, r.year, l.canonical_key FROM sources s "
            "JOIN reports r ON r.document_id = s.document_id "
            "LEFT JOIN report_links l ON l.report_id = r.id "
            "WHERE s.kind = 'crawl' AND s.url = ? ORDER BY r.document_id DESC LIMIT 1",  # the page's latest
            (request.referrer,)).fetchone()
        if found is None or (year and found["year"] and found["year"] != year):
            return None
        return found["id"], found["canonical_key"]

    @_writes(quiet=True)
    def _parse_task(self, task: ParseTask, wait_for_page: Callable[[], None]) -> str:
        """One document of the parses behind the fetchers: parsed, stored, linked; its status."""
        doc, request, profile = task.payload
        home = self._home()
        status, _, report_id = parse_and_store(home, doc, task.url, pool=self.pool, lock=self._lock,
                                               before_store=wait_for_page)
        if report_id is not None and profile is not None:
            with self._lock:
                self._link(home.catalog, report_id, request, profile)
        return status

    def finish_pending(self, profiles: dict[str, SiteProfile]) -> int:
        """Parse crawled documents a killed run stored but did not parse (behind the fetchers
        when ``parse_behind``); return how many."""
        home = self._home()
        rows = home.catalog.conn.execute(
            "SELECT DISTINCT d.id, d.sha256, s.url, s.site, s.list_title FROM documents d "
            "JOIN sources s ON s.document_id = d.id AND s.kind = 'crawl' "
            "WHERE d.status = 'pending' ORDER BY d.id").fetchall()  # pages before the files found on them
        for row in rows:
            doc = home.catalog.find_document(row["sha256"])
            request = CrawlRequest(row["url"], "article", row["site"], list_title=row["list_title"],
                                   year=title_year(row["list_title"] or ""))
            task = ParseTask(doc.id, row["url"], None, (doc, request, profiles.get(row["site"])))
            if self.parses is not None:
                self.parses.submit(task)
            else:
                self._parse_task(task, lambda: None)
        return len(rows)

    @_writes(quiet=True)
    def record_failure(self, request: CrawlRequest, reason: str, message: str,
                       result: FetchResult | None = None) -> None:
        with self._lock, self._db.write() as c:
            self._log_fetch(c, request, result, error=reason)
            c.execute("INSERT INTO errors(document_id, source, stage, reason, message, at) "
                      "VALUES (NULL, ?, 'fetch', ?, ?, ?)", (request.url, reason, message, now_iso()))


def run_crawl(home: Home, profiles: Iterable[SiteProfile], settings: CrawlSettings, *,
              fetch_settings: FetchSettings | None = None, resolve: dict[str, str] | None = None,
              progress: Callable[[SiteProgress], None] | None = None,
              engine_ready: Callable[[CrawlEngine], None] | None = None,
              workers: int | None = None) -> CrawlSummary:
    """Crawl ``profiles`` into ``home``; ``resolve`` maps hosts to loopback (the replica);
    ``workers``: documents parsed at once, each in a worker process (default one a core)."""
    profiles = list(profiles)
    home.blobs.ensure_free(home.settings.max_file_size, "a crawl (room for one file of the largest size)",
                           home.settings.min_free_space)
    workers = workers or default_workers()
    pool = shared_pool(workers)
    pool.warm(workers)  # importing the parser while the first lists are fetched
    sink = CatalogSink(home, pool)
    fetcher = Fetcher(fetch_settings, resolve=resolve)
    try:
        sink.parse_behind(workers)
        sink.finish_pending({p.name: p for p in profiles})
        engine = CrawlEngine(profiles, sink, fetcher, settings, progress)
        sink.on_fatal = engine.stop
        if engine_ready is not None:
            engine_ready(engine)
        summary = engine.run()
    finally:
        fetcher.close()
        sink.close()
    if sink.fatal is not None:
        raise sink.fatal
    return summary
