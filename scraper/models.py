"""What a caller asks the fetcher for, and what it gets back.

``FetchRequest`` is one URL (GET or a form POST) with optional validators from a previous fetch
(``etag``, ``last_modified``) for a conditional GET. ``FetchResult`` is the final answer after
redirects and retries: raw bytes as received (never re-encoded), the redirect chain, selected
headers, the declared and the sniffed media type, and ``blocked`` when a bot defence answered.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .decode import decode_html
from .errors import BlockedError, HttpStatusError

__all__ = ["FetchRequest", "FetchResult"]


@dataclass(frozen=True, slots=True)
class FetchRequest:
    url: str
    method: str = "GET"
    #: form fields for a POST (sent as application/x-www-form-urlencoded)
    data: Mapping[str, str] | None = None
    #: a JSON body for a POST (newer platforms' list APIs); not with ``data``
    json: Any = None
    headers: Mapping[str, str] | None = None
    referer: str | None = None
    #: validators from the previous fetch of this URL: sent as If-None-Match / If-Modified-Since
    etag: str | None = None
    last_modified: str | None = None

    def __post_init__(self) -> None:
        if self.data is not None and self.json is not None:
            raise ValueError("a request has form data or a JSON body, not both")


@dataclass(slots=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    #: lower-case names; only the headers in ``scraper.fetcher.KEPT_HEADERS``
    headers: dict[str, str]
    body: bytes
    #: each hop as (status, url that answered with it); the last hop's target is ``final_url``
    redirects: list[tuple[int, str]] = field(default_factory=list)
    #: ISO 8601 UTC time the fetch started
    fetched_at: str = ""
    #: seconds from the first attempt to the last byte, waits included
    elapsed: float = 0.0
    #: sniffed from the bytes (``scraper.sniff``); falls back to the declared type
    media_type: str = "application/octet-stream"
    declared_type: str | None = None
    #: charset of the Content-Type header, as declared (lower-case)
    charset: str | None = None
    not_modified: bool = False
    #: bot defence kind (``scraper.defences``) or ``None``
    blocked: str | None = None
    method: str = "GET"
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and self.blocked is None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    def raise_for_status(self) -> "FetchResult":
        """Raise ``BlockedError`` or ``HttpStatusError`` for anything but a usable answer."""
        if self.blocked:
            raise BlockedError(f"{self.final_url}: blocked by {self.blocked}",
                               url=self.final_url, kind=self.blocked)
        if self.status >= 400:
            raise HttpStatusError(f"{self.final_url}: HTTP {self.status}", url=self.final_url,
                                  status=self.status)
        return self

    def text(self) -> str:
        """The body decoded for reading (``scraper.decode``); the bytes stay as fetched."""
        return decode_html(self.body, self.charset)[0]
