"""What one replica host serves: static files (built lazily, with ETag and Last-Modified) and
dynamic handlers (Hanweb's dataproxy.jsp, downfile.jsp), plus the site specification they come from.

``SiteSpec`` is a site as data: family, host, column, paging, encoding and the faults it shows.
``HostContent`` maps a path (without query) to a ``Resource`` or a zero-argument builder of one,
and a path to a handler taking a ``Req``. The server (``replica.server``) does conditional GETs,
faults and logging; families (``replica.families``) fill ``HostContent``.
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

__all__ = ["SiteSpec", "Resource", "Req", "HostContent", "Listing", "html_resource"]

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /search/\n"


@dataclass(slots=True)
class SiteSpec:
    id: str
    #: trs | hanweb | generic
    family: str
    host: str
    #: SiteName: the body that runs the site
    name: str
    #: the annual-report column: its list page path (first page)
    column: str
    column_name: str
    perpage: int
    #: family-specific data (TRS pager layout, Hanweb webid/columnid/unitid …)
    params: dict[str, Any] = field(default_factory=dict)
    encoding: str = "utf-8"
    #: "https": plain-http requests answer 301 to the https URL
    scheme: str = "http"
    #: hosts that moved to ``host``: every request there answers 301 to the same path here
    old_hosts: tuple[str, ...] = ()
    #: a separate host serving the attachments (Zhejiang OSS style)
    attachment_host: str | None = None
    #: robots.txt body; None answers 404
    robots: str | None = DEFAULT_ROBOTS
    #: a bot defence answering every page (ruishu)
    defence: str | None = None
    #: 429 with Retry-After after a burst of requests
    throttle: bool = False
    #: False for the site crawled in generic mode (no profile)
    profile: bool = True
    #: False: ``Content-Type: text/html`` without a charset (the bytes are still ``encoding``)
    header_charset: bool = True
    #: other hosts of the same site serving pages of their own (a generated site's portal on
    #: ``www.`` while its 信息公开 platform is ``xxgk.``): same robots.txt, no redirect
    portal_host: str | None = None

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}"

    @property
    def entry_url(self) -> str:
        return self.origin + self.column

    @property
    def home_url(self) -> str:
        """The home page (on the portal host when the site has one)."""
        return f"{self.scheme}://{self.portal_host or self.host}/"

    @property
    def hosts(self) -> list[str]:
        extra = [self.attachment_host] if self.attachment_host else []
        portal = [self.portal_host] if self.portal_host else []
        return [self.host, *self.old_hosts, *portal, *extra]


@dataclass(slots=True)
class Listing:
    """One row of a column list: what it says and where it points."""
    title: str
    url: str
    date: str
    #: report | attachment | copy | noise | missing | external
    kind: str
    target: Any = None


@dataclass(slots=True)
class Resource:
    body: bytes
    content_type: str
    #: epoch seconds
    last_modified: float
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'

    @property
    def last_modified_http(self) -> str:
        return formatdate(self.last_modified, usegmt=True)


@dataclass(slots=True)
class Req:
    method: str
    host: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    scheme: str


class HostContent:
    def __init__(self) -> None:
        self.files: dict[str, Resource | Callable[[], Resource]] = {}
        self.handlers: dict[str, Callable[[Req], Resource]] = {}
        self._lock = threading.Lock()

    def add(self, path: str, resource: Resource | Callable[[], Resource]) -> None:
        self.files[path] = resource

    def get(self, path: str) -> Resource | None:
        item = self.files.get(path)
        if item is None or isinstance(item, Resource):
            return item
        with self._lock:   # build a lazy file (PDF, DOCX) once
            item = self.files.get(path)
            if not isinstance(item, Resource):
                item = item()
                self.files[path] = item
        return item


def html_resource(text: str, site: SiteSpec, last_modified: float,
                  content_type: str | None = None) -> Resource:
    """An HTML page encoded as the site encodes; gb* sites (and utf-8 sites configured so) send
    no charset in the Content-Type header."""
    if content_type is None:
        content_type = ("text/html; charset=utf-8"
                        if site.encoding == "utf-8" and site.header_charset else "text/html")
    return Resource(text.encode(site.encoding, "xmlcharrefreplace"), content_type, last_modified)
