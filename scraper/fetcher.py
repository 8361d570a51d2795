"""The downloader: one httpx client, polite per host, scoped, robots-aware, retrying.

``Fetcher(settings, allowed_hosts, resolve=None, stats=None, insecure_hosts=()).fetch(request)
-> FetchResult``

For each request: check the URL's origin (scheme, host, port: ``scraper.scope``) against the
allow-list (``OutOfScopeError``, nothing sent; another port of an allowed host is another server), check robots.txt (``RobotsDisallowedError``, nothing sent), wait for the host's slot
(``scraper.slots``), send, read the body under ``max_bytes`` (``TooLargeError``) and within the
response's deadline and minimum rate (``scraper.deadline``: ``FetchTooSlowError``, not retried), recognise bot
defences (``scraper.defences``: recorded in ``FetchResult.blocked``, never retried), retry
timeouts, network errors, 429 and 5xx with backoff honouring Retry-After (``scraper.retry``), and
follow redirects by hand so each hop is scoped, robots-checked and recorded, up to
``max_redirects``. A 304 to a conditional GET comes back with ``not_modified=True``.

Thread-safe: many threads may call ``fetch`` at once; slots keep each host at its concurrency
and delay (across processes too, with ``FetchSettings.slot_dir``).
Reads every field of ``FetchSettings``. Counter keys (``Fetcher.stats``): ``fetch/request/count``,
``fetch/request/method/<M>``, ``fetch/response/status/<n>``, ``fetch/bytes``,
``fetch/retry/count``, ``fetch/retry/reason/<r>``, ``fetch/retry/max_reached``,
``fetch/redirect/count``, ``fetch/not_modified``, ``fetch/blocked/<kind>``,
``fetch/robots/disallowed``, ``fetch/robots/ignored``, ``fetch/out_of_scope``,
``fetch/too_slow/<deadline|rate>``, ``fetch/error/<reason>``.
"""
from __future__ import annotations

import functools
import logging
import os
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from .deadline import ResponseClock, SlowResponse, guard_transport, using
from .defences import detect_defence
from .errors import (FetchConnectionError, FetchTimeoutError, FetchTooSlowError, FetchTransportError,
                     InvalidUrlError, OutOfScopeError, RobotsDisallowedError, ScraperError,
                     SiteUnreachableError,
                     TooLargeError, TooManyRedirectsError)
from .models import FetchRequest, FetchResult
from .retry import next_retry_wait, parse_retry_after, retry_reason_for_status
from .robots import RobotsCache
from .scope import Scope, origin_of
from .settings import FetchSettings
from .slots import Slots
from .sniff import sniff_media_type, split_content_type
from .stats import Stats
from .transport import ResolvingTransport
from .unreachable import RETRIED_KINDS, UNREACHABLE_WORDS, transport_kind

__all__ = ["Fetcher", "KEPT_HEADERS", "REDIRECT_STATUSES"]

log = logging.getLogger(__name__)

KEPT_HEADERS = ("content-type", "content-length", "content-encoding", "content-disposition",
                "etag", "last-modified", "location", "retry-after", "server", "date",
                "cache-control", "expires", "set-cookie", "x-powered-by")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class _Response:
    """One HTTP exchange, read to the end."""

    __slots__ = ("status", "headers", "body", "blocked")

    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body
        self.blocked = detect_defence(status, headers, body)


def _host_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InvalidUrlError(f"not a URL: {url!r}", url=url) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidUrlError(f"not an http(s) URL: {url!r}", url=url)
    return parts.hostname.lower()


def _kept_headers(headers: httpx.Headers) -> dict[str, str]:
    kept = {}
    for name in KEPT_HEADERS:
        values = headers.get_list(name)
        if values:
            kept[name] = "\n".join(values)
    return kept


@functools.lru_cache(maxsize=4)
def _verifying_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """httpx's certificate-checking TLS context (certifi's CAs, or SSL_CERT_FILE / SSL_CERT_DIR), made once
    a process: loading the CA bundle takes 30-50 ms, which every new fetcher (a crawl, each ``--site``) paid."""
    return httpx.create_ssl_context()


def verifying_context() -> ssl.SSLContext:
    """The shared verifying context for the environment as it is now (a context is safe to share)."""
    return _verifying_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


class Fetcher:
    def __init__(self, settings: FetchSettings | None = None,
                 allowed_hosts: Iterable[str] = (), *,
                 resolve: Mapping[str, str] | None = None, stats: Stats | None = None,
                 transport: httpx.BaseTransport | None = None,
                 insecure_hosts: Iterable[str] = ()):
        self.settings = FetchSettings.resolve(settings)
        self.stats = stats or Stats()
        self._scope = Scope()
        self.allow_hosts(allowed_hosts)
        self._slots = Slots(self.settings.delay, self.settings.concurrency_per_host,
                            self.settings.slot_dir)
        self._robots = RobotsCache(self.settings, self._load_robots, self.stats)
        inner = transport or httpx.HTTPTransport(retries=0, verify=verifying_context())
        guard_transport(inner)
        # hosts whose certificate does not match their name (a profile's tls_verify = false):
        # their https URLs go through a transport that does not verify, and we say so
        mounts = {}
        for host in insecure_hosts:
            log.warning("TLS certificates of %s are not verified (profile setting)", host)
            lax = httpx.HTTPTransport(retries=0, verify=False)
            guard_transport(lax)
            mounts[f"https://{host.lower()}"] = ResolvingTransport(resolve, lax)
        self._client = httpx.Client(
            transport=ResolvingTransport(resolve, inner), mounts=mounts,
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            trust_env=False,   # no proxy from the environment: the allow-list is the whole world
            headers={"User-Agent": self.settings.user_agent,
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                     "Accept-Language": self.settings.accept_language},
        )
        if not self.settings.obey_robots:
            log.warning("robots.txt is NOT obeyed: the user turned it off (obey_robots=False)")

    # -- configuration ---------------------------------------------------------------------
    def allow_hosts(self, hosts: Iterable[str]) -> None:
        """Add to the allow-list: host names (their standard ports, http and https), ``host:port``
        or origins/URLs (``http://host:8080``: that origin only). See ``scraper.scope``."""
        self._scope.add(hosts)

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The host names of the allow-list (some perhaps on one port only: see ``allows``)."""
        return self._scope.hosts

    def allows(self, url: str) -> bool:
        """Whether ``url``'s origin (scheme, host, port) is in the allow-list."""
        return self._scope.allows(url)

    def configure_host(self, host: str, *, delay: float | None = None,
                       concurrency: int | None = None) -> None:
        """A profile's request policy for one host (delay seconds, connections)."""
        self._slots.configure(host, delay=delay, concurrency=concurrency)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the public call -------------------------------------------------------------------
    def fetch(self, request: FetchRequest | str) -> FetchResult:
        """Fetch one URL; see the module docstring for what is raised and what is returned."""
        req = FetchRequest(request) if isinstance(request, str) else request
        try:
            return self._fetch(req, check_robots=True, max_bytes=self.settings.max_bytes)
        except ScraperError as exc:
            self.stats.inc(f"fetch/error/{exc.reason}")
            raise

    # -- internals -------------------------------------------------------------------------
    def _fetch(self, req: FetchRequest, *, check_robots: bool, max_bytes: int) -> FetchResult:
        started = time.monotonic()
        fetched_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        method, data, json_body, url = req.method.upper(), req.data, req.json, req.url
        redirects: list[tuple[int, str]] = []
        attempts = 0
        while True:
            self._check_scope(url, redirects)
            if check_robots:
                self._check_robots(url)
            headers = self._request_headers(req, first_hop=not redirects)
            resp, tries = self._send_with_retries(method, url, headers, data, json_body, max_bytes)
            attempts += tries
            location = resp.headers.get("location")
            if resp.status not in REDIRECT_STATUSES or not location:
                break
            if len(redirects) >= self.settings.max_redirects:
                raise TooManyRedirectsError(
                    f"{req.url}: more than {self.settings.max_redirects} redirects",
                    url=req.url, redirects=redirects + [(resp.status, url)])
            redirects.append((resp.status, url))
            self.stats.inc("fetch/redirect/count")
            if resp.status in (301, 302, 303) and method == "POST":
                method, data, json_body = "GET", None, None   # what browsers do, and servers expect
            url = urljoin(url, location.strip())
        return self._result(req, url, resp, redirects, fetched_at, started, method, attempts)

    def _check_scope(self, url: str, redirects: list[tuple[int, str]]) -> None:
        host = _host_of(url)
        if not self._scope.allows(url):
            self.stats.inc("fetch/out_of_scope")
            where = f" (redirected from {redirects[0][1]})" if redirects else ""
            scheme, _, port = origin_of(url) or ("", host, 0)
            what = (f"{scheme}://{host}:{port} (another port or scheme of an allowed host)"
                    if host in self._scope.hosts else f"host {host}")
            raise OutOfScopeError(f"{url}: {what} is not in the allow-list{where}",
                                  url=url, host=host, redirects=redirects)

    def _check_robots(self, url: str) -> None:
        if not self.settings.obey_robots:
            self.stats.inc("fetch/robots/ignored")
            return
        rules, fresh = self._robots.rules_for(url)
        if rules.mode == "unreachable":
            self.stats.inc("fetch/robots/unreachable_host")
            raise SiteUnreachableError(
                f"{url}: {_host_of(url)} unreachable, {UNREACHABLE_WORDS.get(rules.why, rules.why)}: "
                "its robots.txt could not be fetched, so nothing was asked", url=url, kind=rules.why,
                reason=f"unreachable_{rules.why}")
        if fresh:
            delay = rules.crawl_delay()
            if delay is not None:
                host = _host_of(url)
                delay = min(delay, self.settings.crawl_delay_max)
                if delay > self._slots.get(host).delay:
                    log.info("robots.txt of %s asks for Crawl-delay %.1f s", host, delay)
                    self._slots.configure(host, delay=delay)
        if rules.mode == "disallow_all" and rules.why:
            self.stats.inc("fetch/robots/unavailable")
            raise RobotsDisallowedError(
                f"{url}: robots.txt of {_host_of(url)} answered {rules.why}: nothing is asked "
                "until it answers", url=url, reason="robots_unavailable")
        if not rules.can_fetch(url):
            self.stats.inc("fetch/robots/disallowed")
            raise RobotsDisallowedError(f"{url}: disallowed by robots.txt", url=url)

    def _load_robots(self, robots_url: str) -> tuple[int, bytes]:
        result = self._fetch(FetchRequest(robots_url), check_robots=False,
                             max_bytes=self.settings.robots_max_bytes)
        return result.status, result.body

    def _request_headers(self, req: FetchRequest, *, first_hop: bool) -> dict[str, str]:
        headers = dict(req.headers or {})
        if req.referer and first_hop:
            headers.setdefault("Referer", req.referer)
        if req.etag:
            headers["If-None-Match"] = req.etag
        if req.last_modified:
            headers["If-Modified-Since"] = req.last_modified
        return headers

    def _send_with_retries(self, method: str, url: str, headers: dict[str, str],
                           data: Mapping[str, str] | None, json_body: Any,
                           max_bytes: int) -> tuple[_Response, int]:
        slot = self._slots.get(_host_of(url))
        attempt = 0
        while True:
            attempt += 1
            error: FetchTransportError | None = None
            resp: _Response | None = None
            with slot.acquire():
                self.stats.inc("fetch/request/count")
                self.stats.inc(f"fetch/request/method/{method}")
                try:
                    resp = self._send_once(method, url, headers, data, json_body, max_bytes,
                                           slot.answered)
                except FetchTransportError as exc:
                    error = exc
            retry_after = None
            if resp is not None:
                self.stats.inc(f"fetch/response/status/{resp.status}")
                if resp.blocked:
                    return resp, attempt
                reason = retry_reason_for_status(resp.status)
                if reason is None:
                    return resp, attempt
                retry_after = parse_retry_after(resp.headers.get("retry-after"))
            else:
                reason = error.reason   # type: ignore[union-attr]
            # a name that does not resolve or a certificate that does not verify will not heal
            retried = error is None or error.kind in RETRIED_KINDS
            wait = next_retry_wait(attempt, self.settings, retry_after) if retried else None
            if wait is None:
                self.stats.inc("fetch/retry/max_reached")
                log.info("giving up on %s after %d attempts (%s)", url, attempt, reason)
                if error is not None:
                    raise error
                return resp, attempt   # type: ignore[return-value]
            self.stats.inc("fetch/retry/count")
            self.stats.inc(f"fetch/retry/reason/{reason}")
            log.info("retrying %s in %.1f s (%s, attempt %d)", url, wait, reason, attempt)
            slot.defer(wait)

    def _send_once(self, method: str, url: str, headers: dict[str, str],
                   data: Mapping[str, str] | None, json_body: Any, max_bytes: int,
                   answered: Callable[[], None] | None = None) -> _Response:
        clock = ResponseClock(self.settings.response_deadline, self.settings.min_rate,
                              self.settings.rate_window)
        try:
            with using(clock):
                return self._exchange(method, url, headers, data, json_body, max_bytes, clock,
                                      answered)
        except SlowResponse as exc:
            self.stats.inc(f"fetch/too_slow/{exc.why}")
            log.warning("%s: abandoned after %.1f s: %s", url, clock.elapsed, exc)
            raise FetchTooSlowError(f"{url}: abandoned after {clock.elapsed:.1f} s: {exc}", url=url,
                                    why=exc.why, received=exc.received) from exc

    def _exchange(self, method: str, url: str, headers: dict[str, str],
                  data: Mapping[str, str] | None, json_body: Any, max_bytes: int,
                  clock: ResponseClock, answered: Callable[[], None] | None) -> _Response:
        try:
            request = self._client.build_request(method, url, headers=headers,
                                                 data=dict(data) if data is not None else None,
                                                 json=json_body)
            response = self._client.send(request, stream=True)
            if answered is not None:   # the host's next request waits a delay from now
                answered()
        except httpx.InvalidURL as exc:
            raise InvalidUrlError(f"{url}: {exc}", url=url) from exc
        except httpx.TimeoutException as exc:
            clock.check()   # a read cut short by the deadline is the deadline's
            raise FetchTimeoutError(f"{url}: timed out ({type(exc).__name__})", url=url) from exc
        except httpx.HTTPError as exc:
            kind = transport_kind(exc)
            raise FetchConnectionError(f"{url}: {UNREACHABLE_WORDS[kind]} ({type(exc).__name__}: {exc})",
                                       url=url, kind=kind) from exc
        try:
            declared_length = response.headers.get("content-length", "")
            if declared_length.isdigit() and int(declared_length) > max_bytes:
                raise TooLargeError(f"{url}: Content-Length {declared_length} over {max_bytes}",
                                    url=url, limit=max_bytes)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise TooLargeError(f"{url}: body over {max_bytes} bytes", url=url,
                                        limit=max_bytes)
                chunks.append(chunk)
                clock.check()   # the deadline, for transports whose sockets are not guarded
        except httpx.TimeoutException as exc:
            clock.check()
            raise FetchTimeoutError(f"{url}: read timed out", url=url) from exc
        except httpx.HTTPError as exc:
            raise FetchConnectionError(f"{url}: {type(exc).__name__}: {exc}", url=url,
                                       kind=transport_kind(exc)) from exc
        finally:
            response.close()
        self.stats.inc("fetch/bytes", size)
        return _Response(response.status_code, _kept_headers(response.headers), b"".join(chunks))

    def _result(self, req: FetchRequest, final_url: str, resp: _Response,
                redirects: list[tuple[int, str]], fetched_at: str, started: float,
                method: str, attempts: int) -> FetchResult:
        declared_type, charset = split_content_type(resp.headers.get("content-type"))
        blocked = resp.blocked
        if blocked:
            self.stats.inc(f"fetch/blocked/{blocked}")
            log.warning("%s: bot defence %s (HTTP %d); not evaded", final_url, blocked, resp.status)
        not_modified = resp.status == 304
        if not_modified:
            self.stats.inc("fetch/not_modified")
        return FetchResult(
            url=req.url, final_url=final_url, status=resp.status, headers=resp.headers,
            body=resp.body, redirects=redirects, fetched_at=fetched_at,
            elapsed=round(time.monotonic() - started, 4),
            media_type=sniff_media_type(resp.body, declared_type) if resp.body else (
                declared_type or "application/octet-stream"),
            declared_type=declared_type, charset=charset, not_modified=not_modified,
            blocked=blocked, method=method, attempts=attempts)
