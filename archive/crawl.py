"""The crawl's archive side: ``CatalogSink`` (the scraper's ``Sink``) and ``run_crawl``.

Every report page and attachment becomes a blob + document + a ``sources`` row (kind ``crawl``,
with url, final url, status, selected headers, redirects, time, site, the page it was found on,
its list title/date/position, ETag, Last-Modified) and is parsed at once
(``archive.ingest.parse_and_store``). List pages are kept as blobs only (a 304 is read from them).
Every answer is a ``fetches`` row; the frontier of each site's run is in ``frontier``; a run stays
``running`` until its frontier is empty, so the same command after a kill resumes it.

Copies of one report (the agency's page, the parent portal's copy, its PDF attachment, a 图解
version) are linked in ``report_links`` by one key, region | agency | year (the parsed record's,
else the profile's region and agency and the listed title's year); the canonical one is chosen by
``archive.compare``'s duplicate rule (``link_report``). ``canonical_reports`` lists each once.

Thread-safe: each worker thread gets its own catalog connection; writes are serialized.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from scraper.engine import CrawlEngine, CrawlSettings, CrawlSummary, SiteProgress
from scraper.fetcher import Fetcher
from scraper.frontier import CrawlRequest
from scraper.models import FetchResult
from scraper.profiles import SiteProfile
from scraper.report_filter import title_year
from scraper.settings import FetchSettings
from scraper.sink import PreviousFetch, SiteState, Stored

from .blobs import BlobStore
from .catalog import Catalog, now_iso
from .compare.duplicates import is_correction
from .home import Home
from .ingest import parse_and_store

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
    counts and comparisons agree: a corrected version (更正/修订) first, then the most complete
    record (most metrics), then the newest (published date, then report id).
    """
    conn.execute("INSERT OR REPLACE INTO report_links(report_id, canonical_key, canonical_id, rule) "
                 "VALUES (?, ?, ?, ?)", (report_id, key, report_id, rule))
    rows = conn.execute(
        "SELECT r.id, r.title, r.published, (SELECT COUNT(*) FROM metrics m WHERE m.report_id = r.id) "
        "FROM report_links l JOIN reports r ON r.id = l.report_id WHERE l.canonical_key = ?",
        (key,)).fetchall()
    canonical = max(rows, key=lambda r: (is_correction(r[1] or ""), r[3], r[2] or "", r[0]))[0]
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


class CatalogSink:
    def __init__(self, home: Home):
        self.path, self.settings = home.path, home.settings
        self.blobs = BlobStore(home.path / "blobs")
        self._local = threading.local()
        self._lock = threading.RLock()
        self._runs: dict[str, int] = {}
        self._homes: list[Home] = []

    def _home(self) -> Home:
        home = getattr(self._local, "home", None)
        if home is None:
            catalog = Catalog(self.path / "catalog.sqlite")
            home = Home(self.path, self.blobs, catalog, self.settings)
            self._local.home = home
            with self._lock:
                self._homes.append(home)
        return home

    @property
    def _db(self):
        return self._home().catalog

    def close(self) -> None:
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

    def frontier_done(self, site: str, request: CrawlRequest, state: str,
                      error: str | None = None) -> None:
        with self._lock, self._db.write() as c:
            c.execute("UPDATE frontier SET state = ?, error = ?, attempts = attempts + 1 "
                      "WHERE run_id = ? AND key = ?", (state, error, self._runs[site], request.key))

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
        if row is None:
            return None
        this_run = site is not None and row["run_id"] == self._runs.get(site)
        return PreviousFetch(*tuple(row)[:7], this_run=this_run)

    def stored_body(self, sha256: str) -> bytes | None:
        return self.blobs.read(sha256) if self.blobs.has(sha256) else None

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

    def store_list(self, result: FetchResult, request: CrawlRequest) -> None:
        sha, _ = self.blobs.put_bytes(result.body)
        with self._lock, self._db.write() as c:
            self._log_fetch(c, request, result, sha256=sha)

    def note_unchanged(self, result: FetchResult, request: CrawlRequest,
                       previous: PreviousFetch) -> None:
        with self._lock, self._db.write() as c:
            self._log_fetch(c, request, result, sha256=previous.sha256, not_modified=True)

    def store(self, result: FetchResult, request: CrawlRequest, profile: SiteProfile) -> Stored:
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
            status, message, report_id = parse_and_store(home, doc, request.url)
            if report_id is not None:
                self._link(home.catalog, report_id, request, profile)
        return Stored(sha, is_new, status, report_id, message)

    def _link(self, catalog: Catalog, report_id: int, request: CrawlRequest,
              profile: SiteProfile) -> None:
        row = catalog.conn.execute("SELECT region, agency, year, variant FROM reports WHERE id = ?",
                                   (report_id,)).fetchone()
        region = row["region"] or profile.region
        agency = row["agency"] if row["region"] else (row["agency"] or profile.agency)
        key = report_key(region, agency, row["year"] or request.year)
        if key is None:
            return
        with catalog.write() as c:
            link_report(c, report_id, key, "region|agency|year")

    def finish_pending(self, profiles: dict[str, SiteProfile]) -> int:
        """Parse crawled documents a killed run stored but did not parse; return how many."""
        home = self._home()
        rows = home.catalog.conn.execute(
            "SELECT DISTINCT d.sha256, s.url, s.site, s.list_title FROM documents d "
            "JOIN sources s ON s.document_id = d.id AND s.kind = 'crawl' "
            "WHERE d.status = 'pending'").fetchall()
        for row in rows:
            doc = home.catalog.find_document(row["sha256"])
            with self._lock:
                _, _, report_id = parse_and_store(home, doc, row["url"])
                profile = profiles.get(row["site"])
                if report_id is not None and profile is not None:
                    request = CrawlRequest(row["url"], "article", row["site"],
                                           list_title=row["list_title"],
                                           year=title_year(row["list_title"] or ""))
                    self._link(home.catalog, report_id, request, profile)
        return len(rows)

    def record_failure(self, request: CrawlRequest, reason: str, message: str,
                       result: FetchResult | None = None) -> None:
        with self._lock, self._db.write() as c:
            self._log_fetch(c, request, result, error=reason)
            c.execute("INSERT INTO errors(document_id, source, stage, reason, message, at) "
                      "VALUES (NULL, ?, 'fetch', ?, ?, ?)", (request.url, reason, message, now_iso()))


def run_crawl(home: Home, profiles: Iterable[SiteProfile], settings: CrawlSettings, *,
              fetch_settings: FetchSettings | None = None, resolve: dict[str, str] | None = None,
              progress: Callable[[SiteProgress], None] | None = None,
              engine_ready: Callable[[CrawlEngine], None] | None = None) -> CrawlSummary:
    """Crawl ``profiles`` into ``home``; ``resolve`` maps hosts to loopback (the replica)."""
    profiles = list(profiles)
    sink = CatalogSink(home)
    sink.finish_pending({p.name: p for p in profiles})
    fetcher = Fetcher(fetch_settings, resolve=resolve)
    try:
        engine = CrawlEngine(profiles, sink, fetcher, settings, progress)
        if engine_ready is not None:
            engine_ready(engine)
        return engine.run()
    finally:
        fetcher.close()
        sink.close()

