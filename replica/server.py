"""The replica as a real HTTP server on loopback: virtual hosts by ``Host`` header.

    with ReplicaServer(seed=0, delays=1.0) as replica:
        info = replica.info                  # ports, resolve map, sites and entry URLs
        fetcher = Fetcher(settings, info.hosts, resolve=info.resolve)
        ...
        replica.requests(host="sfj.nanjing.gov.cn")   # the access log
        replica.truth.expected()                      # what a correct crawl finds

Two listening ports: one stands for ``http``, the other for ``https`` (plain HTTP on the wire; the
resolve map sends ``https://host`` there), so an http→https 301 is a real redirect between two
URLs with the site's real name. Every request is logged (memory, and a JSONL file if
``log_path``). Each host shows its faults as data from ``replica.world``: moved host (301),
https-only site (301 from http), robots.txt (absent, or ``Disallow: /``), a Ruishu-like 412 on
every page, 429 + Retry-After after a burst, a slow page (``delays`` seconds), a 500 that heals
on the next request, a soft 404. ETag and Last-Modified on every file; conditional GETs get 304.
``publish_report`` and ``change_report`` alter the site between two crawls. ``generated=N``
adds N generated sites without a profile per family (``replica.generated``), each with its way
from the home page to the column (``replica.portal``).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from .accesslog import AccessLog, RequestRecord
from .families import FAMILIES
from .portal import build_portal
from .site import HostContent, Req, Resource, SiteSpec
from .throttle import Throttle
from .truth import ReportTruth, Truth
from .world import PUBLISHERS, World, add_report_listings, build_world, new_report

__all__ = ["ReplicaServer", "ReplicaInfo", "RequestRecord"]

log = logging.getLogger(__name__)

_RUISHU_PAGE = (b'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
                b'charset=utf-8"><meta id="9DhefwqGPrzGxEp9hPaoag" content="xl1cGkRtV8" r="m">'
                b"<script>$_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={};$_ts.nsd=84729;"
                b'$_ts.cd="qEcrr1AlqGlhcqAkr1";</script><script type="text/javascript" '
                b'charset="utf-8" src="/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js" r="m"></script>'
                b"</head><body></body></html>")
_NOT_FOUND = (b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
              b"<p>The requested URL was not found on this server.</p></body></html>")


@dataclass(slots=True)
class ReplicaInfo:
    address: str
    port: int
    https_port: int
    #: for ``Fetcher(resolve=…)``: host -> the http port, "https://host" -> the https port
    resolve: dict[str, str]
    #: every host name the replica serves (sites, moved hosts, attachment hosts)
    hosts: list[str]
    sites: dict[str, SiteSpec] = field(default_factory=dict)

    def entry_url(self, site_id: str) -> str:
        return self.sites[site_id].entry_url


class ReplicaServer:
    def __init__(self, seed: int = 0, delays: float = 1.0, *, today: dt.date | None = None,
                 throttle: bool = True, throttle_burst: int = 20, throttle_window: float = 1.0,
                 retry_after: int = 1, log_path: str | Path | None = None,
                 address: str = "127.0.0.1", generated: int = 0):
        self.world: World = build_world(seed, today, generated)
        self.delays = delays
        self.retry_after = retry_after
        self._throttle = (Throttle(throttle_burst, throttle_window, retry_after * 0.9) if throttle
                          else None)
        self.access_log = AccessLog(log_path)
        self._address = address
        self._healed: set[tuple[str, str]] = set()
        self._served: dict[tuple[str, str], tuple[str, float]] = {}
        self._content: dict[str, HostContent] = {}
        self._content_lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []
        self._info: ReplicaInfo | None = None
        self._rebuild()

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> ReplicaInfo:
        if self._info is not None:
            return self._info
        ports = []
        for scheme in ("http", "https"):
            httpd = ThreadingHTTPServer((self._address, 0), self._handler_class(scheme))
            httpd.daemon_threads = True
            threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                             name=f"replica-{scheme}", daemon=True).start()
            self._servers.append(httpd)
            ports.append(httpd.server_address[1])
        hosts = self.hosts
        resolve = {}
        for h in hosts:
            resolve[h] = f"{self._address}:{ports[0]}"
            resolve[f"https://{h}"] = f"{self._address}:{ports[1]}"
        self._info = ReplicaInfo(self._address, ports[0], ports[1], resolve, hosts,
                                 dict(self.world.sites))
        log.info("replica serving %d hosts on %s:%d (https stand-in :%d)", len(hosts),
                 self._address, ports[0], ports[1])
        return self._info

    def stop(self) -> None:
        for httpd in self._servers:
            httpd.shutdown()
            httpd.server_close()
        self._servers.clear()
        self._info = None

    def __enter__(self) -> "ReplicaServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def info(self) -> ReplicaInfo:
        if self._info is None:
            raise RuntimeError("replica not started")
        return self._info

    @property
    def hosts(self) -> list[str]:
        """Every host name served (sites, moved hosts, attachment hosts), known before start."""
        return sorted({h for s in self.world.sites.values() for h in s.hosts})

    @property
    def truth(self) -> Truth:
        return self.world.truth

    # -- what is served (without HTTP) ----------------------------------------------------------
    def paths(self, host: str) -> list[str]:
        """Every static path of a host, sorted."""
        with self._content_lock:
            content = self._content.get(host)
        return sorted(content.files) if content else []

    def resource(self, host: str, path: str) -> Resource | None:
        """The file a GET of ``path`` on ``host`` serves (built if lazy), faults aside."""
        with self._content_lock:
            content = self._content.get(host)
        return content.get(path) if content else None

    # -- the access log ----------------------------------------------------------------------
    def requests(self, host: str | None = None, path_prefix: str | None = None,
                 method: str | None = None) -> list[RequestRecord]:
        """The access log, optionally of one host, path prefix or method (oldest first)."""
        return self.access_log.select(host, path_prefix, method)

    def clear_log(self) -> None:
        self.access_log.clear()

    def forbidden_requests(self) -> list[RequestRecord]:
        """Requests a correct crawler never makes (robots.txt Disallow of a host)."""
        return [r for r in self.requests() if r.path != "/robots.txt"
                and self.truth.is_forbidden(r.host, r.path)]

    # -- changing the site between crawls -----------------------------------------------------
    def publish_report(self, site_id: str, agency: str = "财政局") -> ReportTruth:
        """A new report (last year, a department of the site's place) at the top of the column."""
        main = next(p for p in PUBLISHERS if p.site == site_id)
        name = main.short.removesuffix("人民政府") + agency
        spec = dataclasses.replace(main, publisher=name, agency=name, level="department",
                                   subject="我局", office=name, blank_zero=False)
        self.world.serial += 1
        rng = random.Random(f"{self.world.seed}:publish:{self.world.serial}")
        report = new_report(self.world, spec, self.world.last_year, {}, rng)
        report.published = (self.world.today - dt.timedelta(days=1)).isoformat()
        self.truth.reports.append(report)
        add_report_listings(self.world, report, {})
        self._rebuild()
        return report

    def change_report(self, key: str) -> ReportTruth:
        """Correct one report in place: one more application granted, every sum kept consistent."""
        report = self.truth.by_key(key)
        m = report.metrics
        if report.format == "legacy":
            bumped = ("applications.channel.online", "applications.new.total",
                      "applications.replied", "applications.granted.total")
        else:
            bumped = tuple(f"applications.{row}.{col}" for row in ("granted", "processed_total", "new")
                           for col in ("natural", "total"))
        for k in bumped:
            m[k] = m.get(k, 0) + 1
        report.version += 1
        self._rebuild()
        return report

    def _rebuild(self) -> None:
        merged: dict[str, HostContent] = {}
        for site in self.world.sites.values():
            built = [FAMILIES[site.family].build(site, self.world)]
            if site.params.get("portal"):   # a generated site: its way from home to column
                built.append(build_portal(site, self.world))
            for hosts in built:
                for host, content in hosts.items():
                    target = merged.setdefault(host, HostContent())
                    target.files.update(content.files)
                    target.handlers.update(content.handlers)
        with self._content_lock:
            self._content = merged

    # -- answering -----------------------------------------------------------------------------
    def _handler_class(self, scheme: str) -> type[BaseHTTPRequestHandler]:
        replica = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body leave in two writes: without TCP_NODELAY, Nagle and the client's
            # delayed ACK add ~40 ms to every keep-alive answer
            disable_nagle_algorithm = True
            server_version = "nginx"
            sys_version = ""

            def log_message(self, fmt: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                parts = urlsplit(self.path)
                form = dict(parse_qsl(raw.decode("utf-8", "replace"))) if raw else {}
                req = Req(self.command, host, parts.path or "/", dict(parse_qsl(parts.query)),
                          form, {k.lower(): v for k, v in self.headers.items()}, scheme)
                try:
                    resource = replica._answer(req, self.path)
                except Exception:   # a bug in the replica must show as a 500, not a hang
                    log.exception("replica failed on %s %s", host, self.path)
                    resource = Resource(b"internal error", "text/plain", 0, status=500)
                body = b"" if resource.status == 304 or self.command == "HEAD" else resource.body
                # logged before answering: a client that has its answer must find it in the log
                replica.access_log.append(RequestRecord(
                    time.time(), host, scheme, self.command, self.path, resource.status,
                    req.headers.get("if-none-match"), req.headers.get("if-modified-since"),
                    req.headers.get("user-agent"), req.headers.get("referer"), len(body)))
                self.send_response(resource.status)
                self.send_header("Content-Type", resource.content_type)
                self.send_header("Content-Length", str(len(body)))
                if resource.status in (200, 304):
                    self.send_header("ETag", resource.etag)
                    self.send_header("Last-Modified", resource.last_modified_http)
                for k, v in resource.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if body:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass   # the client gave up (a timeout test); nothing to answer

            do_GET = do_POST = do_HEAD = _handle

        return Handler

    def _answer(self, req: Req, raw_path: str) -> Resource:
        site = self.world.site_of(req.host)
        if site is not None and req.host in site.old_hosts:
            return _redirect(f"{site.scheme}://{site.host}{raw_path}")
        if site is not None and site.scheme == "https" and req.scheme == "http":
            return _redirect(f"https://{site.host}{raw_path}")
        if req.path == "/robots.txt":
            if site is None or site.robots is None:
                return _not_found()
            return Resource(site.robots.encode(), "text/plain", 1_577_836_800)
        if site is not None and site.defence == "ruishu":
            return Resource(_RUISHU_PAGE, "text/html; charset=utf-8", 0, status=412,
                            headers={"Set-Cookie": "FSSBBIl1UgzbN7N80S=abc; Path=/; HttpOnly"})
        if self._throttle is not None and site is not None and site.throttle \
                and self._throttle.over(req.host):
            return Resource(b"Too Many Requests", "text/plain", 0, status=429,
                            headers={"Retry-After": str(self.retry_after)})
        fault = self.world.faults.get((req.host, req.path))
        if fault == "flaky" and (req.host, req.path) not in self._healed:
            self._healed.add((req.host, req.path))
            return Resource(b"<html><body>500 Internal Server Error</body></html>", "text/html", 0,
                            status=500)
        if fault == "slow" and self.delays > 0:
            time.sleep(self.delays)
        with self._content_lock:
            content = self._content.get(req.host)
        if content is None:
            return _not_found()
        handler = content.handlers.get(req.path)
        if handler is not None:
            return handler(req)
        # a page addressed by its query (Epoint InfoDetail/?InfoID=…, Zhejiang
        # xxgkAnnualReport.jsp?area=…&fbtime=…) is stored under its path and query
        resource = (content.get(raw_path) if "?" in raw_path else None) or content.get(req.path)
        if resource is None:
            return _not_found()
        resource = self._fresh(req, resource)
        return self._conditional(req, resource)

    def _fresh(self, req: Req, resource: Resource) -> Resource:
        """Move Last-Modified forward when a path's bytes changed since they were last served."""
        key = (req.host, req.path)
        etag = resource.etag
        with self._content_lock:
            old = self._served.get(key)
            modified = resource.last_modified
            if old is not None and old[0] != etag and modified <= old[1]:
                modified = max(time.time(), old[1] + 1)
            self._served[key] = (etag, modified)
        if modified != resource.last_modified:
            resource = dataclasses.replace(resource, last_modified=modified)
        return resource

    @staticmethod
    def _conditional(req: Req, resource: Resource) -> Resource:
        if req.method not in ("GET", "HEAD"):
            return resource
        inm = req.headers.get("if-none-match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            if "*" in tags or resource.etag in tags:
                return dataclasses.replace(resource, status=304)
            return resource
        ims = req.headers.get("if-modified-since")
        if ims:
            try:
                since = parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return resource
            if int(resource.last_modified) <= since:
                return dataclasses.replace(resource, status=304)
        return resource


def _redirect(location: str) -> Resource:
    return Resource(b"", "text/html", 0, status=301, headers={"Location": location})


def _not_found() -> Resource:
    # real servers label their error pages iso-8859-1
    return Resource(_NOT_FOUND, "text/html; charset=iso-8859-1", 0, status=404)
