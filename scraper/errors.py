"""Errors of the scraper.

    ScraperError                  base; carries ``url`` and a stable ``reason`` key
    ├── InvalidUrlError           not an http(s) URL, or no host
    ├── FetchTransportError       the exchange failed below HTTP (after retries); ``kind`` says how
    │   ├── FetchTimeoutError     connect/read/write/pool timeout (kind ``timeout``)
    │   ├── FetchTooSlowError     past the response deadline or under the minimum transfer rate
    │   │                         (kind and reason ``too_slow``; ``why``: deadline | rate); not retried
    │   ├── FetchConnectionError  DNS (``dns``), refused (``connect``), TLS (``tls``), reset or
    │   │                         protocol breakage (``connection``): the reason is the kind
    │   └── SiteUnreachableError  robots.txt of the host could not be fetched for that reason, so
    │                             nothing was asked (RFC 9309); reason ``unreachable_<kind>``
    ├── HttpStatusError           a final status >= 400 (raised by ``FetchResult.raise_for_status``)
    ├── BlockedError              a bot defence or soft 404 answered; ``kind`` names it
    ├── OutOfScopeError           a host outside the allow-list (request or redirect target)
    ├── RobotsDisallowedError     robots.txt forbids the URL for our user agent
    ├── TooLargeError             the body ran over ``FetchSettings.max_bytes`` while streaming
    ├── TooManyRedirectsError     more hops than ``FetchSettings.max_redirects``
    └── ProfileError              a site profile is malformed (schema, selectors, hosts)

The scraper imports no other package of ours (DESIGN.md), so its base is its own; ``archive``
gathers the package bases for the CLI's one-line handler. httpx errors are translated at the
transport edge (``scraper.fetcher``) with ``raise … from``. ``reason`` is a stable short key used
in counters and the catalog's error rows.
"""
from __future__ import annotations

__all__ = [
    "ScraperError", "InvalidUrlError", "FetchTransportError", "FetchTimeoutError", "FetchTooSlowError",
    "FetchConnectionError", "SiteUnreachableError", "HttpStatusError", "BlockedError", "OutOfScopeError",
    "RobotsDisallowedError", "TooLargeError", "TooManyRedirectsError", "ProfileError",
]


class ScraperError(Exception):
    reason = "scraper_error"

    def __init__(self, message: str, *, url: str | None = None, reason: str | None = None):
        super().__init__(message)
        self.url = url
        if reason:
            self.reason = reason


class InvalidUrlError(ScraperError):
    reason = "invalid_url"


class FetchTransportError(ScraperError):
    reason = "transport"
    #: how it failed: dns | connect | tls | timeout | connection
    kind = "connection"

    def __init__(self, message: str, *, url: str | None = None, kind: str | None = None,
                 reason: str | None = None):
        super().__init__(message, url=url, reason=reason)
        if kind:
            self.kind = kind


class FetchTimeoutError(FetchTransportError):
    reason = "timeout"
    kind = "timeout"


class FetchTooSlowError(FetchTransportError):
    """The answer did not end within its deadline or came slower than the minimum rate."""

    reason = "too_slow"
    kind = "too_slow"

    def __init__(self, message: str, *, url: str | None = None, why: str = "deadline",
                 received: int = 0):
        super().__init__(message, url=url)
        self.why = why
        self.received = received


class FetchConnectionError(FetchTransportError):
    """The reason is the kind (dns, connect, tls, connection)."""

    reason = "connection"

    def __init__(self, message: str, *, url: str | None = None, kind: str = "connection"):
        super().__init__(message, url=url, kind=kind, reason=kind)


class SiteUnreachableError(FetchTransportError):
    """The host did not answer its robots.txt (DNS, connect, TLS, timeout): nothing was sent.
    The reason is ``unreachable_<kind>``."""

    reason = "unreachable"


class HttpStatusError(ScraperError):
    reason = "http_status"

    def __init__(self, message: str, *, url: str | None = None, status: int = 0):
        super().__init__(message, url=url, reason=f"http_{status}")
        self.status = status


class BlockedError(ScraperError):
    reason = "blocked"

    def __init__(self, message: str, *, url: str | None = None, kind: str = "unknown"):
        super().__init__(message, url=url, reason=f"blocked_{kind}")
        self.kind = kind


class OutOfScopeError(ScraperError):
    """``redirects`` holds the hops followed before the refused target (which is ``url``)."""

    reason = "out_of_scope"

    def __init__(self, message: str, *, url: str | None = None, host: str = "",
                 redirects: list[tuple[int, str]] | None = None):
        super().__init__(message, url=url)
        self.host = host
        self.redirects = list(redirects or [])


class RobotsDisallowedError(ScraperError):
    reason = "robots_disallowed"


class TooLargeError(ScraperError):
    reason = "too_large"

    def __init__(self, message: str, *, url: str | None = None, limit: int = 0):
        super().__init__(message, url=url)
        self.limit = limit


class TooManyRedirectsError(ScraperError):
    reason = "too_many_redirects"

    def __init__(self, message: str, *, url: str | None = None,
                 redirects: list[tuple[int, str]] | None = None):
        super().__init__(message, url=url)
        self.redirects = list(redirects or [])


class ProfileError(ScraperError):
    reason = "bad_profile"
