"""What every discovery module takes and returns, and the helpers they share.

A family module (``scraper/discovery/<family>.py``) is a set of pure functions over fetched text:

    FAMILY = "trs"                                   # the name profiles use in ``family =``
    OPTIONS = {"name": type, …}                      # family options a profile may set
    read_list(page, profile, request) -> Listing     # report links + next list pages
    read_article(page, profile) -> list[ListedLink]  # attachment links of an article page
    entry_requests(profile, url) -> list[PageRequest]   # optional: how to ask for an entry

They never fetch and never decide whether a title is a report (the engine applies
``scraper.report_filter`` to every ``ListedLink``). Helpers here: HTML parsing, absolute links,
rows -> links by CSS selectors, dates in lists, attachment links by pattern.
"""
from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

if TYPE_CHECKING:
    from ..profiles.model import SiteProfile

__all__ = ["Page", "PageRequest", "ListedLink", "Listing", "parse_html", "absolute_url",
           "normalize_date", "rows_to_links", "anchors_to_links", "attachment_links",
           "compile_patterns", "next_link_requests", "clean_text"]

warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched page as discovery sees it: the final URL (base of relative links) and text."""

    url: str
    text: str


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A list page to ask for next (GET, or a form POST for a list proxy)."""

    url: str
    method: str = "GET"
    data: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    #: 1 for an entry's first page, counted up along its pagination (for ``max_pages``)
    page_no: int = 1
    #: a JSON body (as text) for a POST to a list API; not with ``data``
    json_body: str | None = None


@dataclass(frozen=True, slots=True)
class ListedLink:
    """A link as listed: where it points, the title and date shown, its place in the list."""

    url: str
    title: str
    date: str | None = None
    position: int = 0


@dataclass(slots=True)
class Listing:
    links: list[ListedLink] = field(default_factory=list)
    next_pages: list[PageRequest] = field(default_factory=list)


def parse_html(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")


def absolute_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``, without its fragment; ``None`` for non-links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.lower().startswith(_SKIP_SCHEMES):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def normalize_date(text: str | None) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD`` (2023-1-9, 2023/01/09, 2023年1月9日 …)."""
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


_WS = re.compile(r"[\s\u3000\xa0]+")


def clean_text(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def compile_patterns(patterns: tuple[str, ...] | list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


def _link_title(a: Tag, prefer_attr: bool) -> str:
    attr = clean_text(a.get("title")) if prefer_attr else ""
    return attr or clean_text(a.get_text(" "))


def rows_to_links(root: BeautifulSoup | Tag, base_url: str, *, item: str, link: str = "a",
                  date: str | None = None, title_attr: bool = True,
                  patterns: tuple[re.Pattern[str], ...] = (), start: int = 0) -> list[ListedLink]:
    """One ``ListedLink`` per row matching ``item`` whose link matches a pattern (any if none)."""
    out: list[ListedLink] = []
    seen: set[str] = set()
    for row in root.select(item):
        anchors = row.select(link) if link else []
        if row.name == "a" and not anchors:
            anchors = [row]
        for a in anchors:
            url = absolute_url(base_url, a.get("href"))
            if url is None or url in seen or (patterns and not any(p.search(url) for p in patterns)):
                continue
            seen.add(url)
            date_text = None
            if date:
                found = row.select_one(date)
                date_text = found.get_text(" ") if found else None
            listed = normalize_date(date_text) or normalize_date(row.get_text(" "))
            out.append(ListedLink(url, _link_title(a, title_attr), listed, start + len(out) + 1))
            break
    return out


def _row_date(a: Tag) -> str | None:
    """The date next to an anchor: in its parent, or up to its row while the row holds one link."""
    node = a.parent
    for _ in range(3):
        if not isinstance(node, Tag) or len(node.find_all("a", limit=2)) > 1:
            return None
        found = normalize_date(node.get_text(" "))
        if found:
            return found
        node = node.parent
    return None


def anchors_to_links(root: BeautifulSoup | Tag, base_url: str, *,
                     patterns: tuple[re.Pattern[str], ...] = (), title_attr: bool = True,
                     start: int = 0) -> list[ListedLink]:
    """Every anchor with a text and a matching href, each row's date read from its parent."""
    out: list[ListedLink] = []
    seen: set[str] = set()
    for a in root.find_all("a", href=True):
        url = absolute_url(base_url, a["href"])
        if url is None or url in seen or (patterns and not any(p.search(url) for p in patterns)):
            continue
        title = _link_title(a, title_attr)
        if not title:
            continue
        seen.add(url)
        out.append(ListedLink(url, title, _row_date(a), start + len(out) + 1))
    return out


_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.I | re.S)
_ATTR = re.compile(r"""\b(href|title)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_TAGS = re.compile(r"<[^>]+>")
_PAGE_PATH = re.compile(r"\.s?html?$|/$", re.I)


def attachment_links(text: str, base_url: str, profile: "SiteProfile",
                     default_patterns: tuple[str, ...] = ()) -> list[ListedLink]:
    """Attachment links of an article: href matching the profile's (or family's) patterns or
    ending in one of its extensions, or a download link whose text names a file (年报.pdf); then
    the files shown in an embedded viewer (``scraper.discovery.viewers``). Anchors are read with
    a regex, not a DOM: article pages are the largest pages a crawl reads, and only their links
    matter here."""
    from .viewers import embedded_files   # viewers imports this module

    patterns = compile_patterns(profile.attachments.patterns or default_patterns)
    ext = re.compile(r"\.(%s)$" % "|".join(map(re.escape, profile.attachments.extensions)), re.I)
    out: list[ListedLink] = []
    seen: set[str] = set()
    for m in _ANCHOR.finditer(text):
        attrs = {a.group(1).lower(): html.unescape(a.group(2) or a.group(3) or a.group(4) or "")
                 for a in _ATTR.finditer(m.group(1))}
        url = absolute_url(base_url, attrs.get("href"))
        if url is None or url in seen:
            continue
        label = clean_text(html.unescape(_TAGS.sub(" ", m.group(2)))) or clean_text(attrs.get("title"))
        # a download link named by its file: <a href="/attach/get?id=9">年报.pdf</a>
        if not (any(p.search(url) for p in patterns) or ext.search(urlsplit(url).path)
                or (ext.search(label) and not _PAGE_PATH.search(urlsplit(url).path))):
            continue
        seen.add(url)
        out.append(ListedLink(url, label, None, len(out) + 1))
    for url, _how in embedded_files(text, base_url):   # <iframe>/<embed>, pdf.js?file=…
        if url not in seen:
            seen.add(url)
            out.append(ListedLink(url, "", None, len(out) + 1))
    return out


def next_link_requests(root: BeautifulSoup | Tag, page_url: str, texts: tuple[str, ...],
                       page_no: int) -> list[PageRequest]:
    """Requests for anchors labelled 下一页 (or another of ``texts``) on the same host."""
    host = urlsplit(page_url).netloc
    wanted = {t.lower() for t in texts}
    out: list[PageRequest] = []
    for a in root.find_all("a", href=True):
        if clean_text(a.get_text(" ")).lower() not in wanted:
            continue
        url = absolute_url(page_url, a["href"])
        if url and url != page_url and urlsplit(url).netloc == host:
            out.append(PageRequest(url, page_no=page_no + 1))
    return out
