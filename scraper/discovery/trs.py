"""TRS WCM (拓尔思) sites: static lists ``index.html``, ``index_1.html`` … and t-date articles.

List rows are ``<li><a href="./YYYYMM/tYYYYMMDD_N.html" title="full title">…</a><span>date</span>``;
some columns emit them only through ``document.write('…')`` strings, which are read too. The page
count is only in a pager script, in one of its argument layouts (sites.md §1.1):

    createPageHTML(9, 0, "index", "html")                       total, current (0-based), prefix, ext
    createPageHTML(89, 1, "index", "shtml", "black2", 621)      + style, total records
    createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89)         container id first (current 1-based)
    pageControl(4, 2, "index", "shtml", 10, 'pages-nav')        Hubei
    var countPage = 4 … createPageHTML(countPage, …)            the count in a variable

Page ``n`` (0-based) is ``<prefix>_<n>.<ext>`` beside the first page (``<prefix>.<ext>``); every
page is synthesised from the count, so nothing past the last page is requested (some TRS sites
answer that with a meta-refresh instead of a 404). Articles' attachments are ``./YYYYMM/P0….pdf``
links beside them (``appendix="true"`` on the newer editor).

Options: ``page_prefix`` / ``page_ext`` (used when a list has no pager script but pages anyway).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from .base import (Listing, ListedLink, Page, PageRequest, anchors_to_links, attachment_links,
                   compile_patterns, next_link_requests, parse_html, rows_to_links)

__all__ = ["FAMILY", "PAGINATION", "OPTIONS", "LINK_PATTERNS", "ATTACHMENT_PATTERNS", "read_list",
           "read_article", "page_count", "document_write_html"]

FAMILY = "trs"
#: how a column of this family pages (``xxgk crawl --discover`` says it)
PAGINATION = ("the page count is only in a createPageHTML(…)/pageControl(…) script: pages "
              "<prefix>_1 … <prefix>_<n-1> beside the first, all named from the count")
OPTIONS = {"page_prefix": str, "page_ext": str}

LINK_PATTERNS = (r"/t\d{8}_\d+\.(?:s?html?)$", r"/P0\d{8,}\.\w+$")
ATTACHMENT_PATTERNS = (r"/P0\d{8,}\.\w+$",)
DEFAULT_ITEM = "li"

_PAGER = re.compile(r"\b(createPageHTML|pageControl)\s*\(([^)]*)\)")
_VAR = re.compile(r"\bvar\s+(\w+)\s*=\s*['\"]?(\d+)['\"]?")
_DOC_WRITE = re.compile(r"document\.write(?:ln)?\(\s*(['\"])(.*?)(?<!\\)\1\s*\)", re.S)


def _args(text: str) -> list[str]:
    return [a.strip().strip("'\"") for a in text.split(",")]


def page_count(text: str) -> tuple[int, str, str] | None:
    """(total pages, file prefix, extension) from a TRS pager script, or ``None``."""
    m = _PAGER.search(text)
    if not m:
        return None
    variables = dict(_VAR.findall(text))
    args = [variables.get(a, a) for a in _args(m.group(2))]
    if args and not args[0].isdigit():   # layout with the container id first
        args = args[1:]
    if len(args) < 2 or not args[0].isdigit():
        return None
    prefix = args[2] if len(args) > 2 and args[2] else "index"
    ext = args[3] if len(args) > 3 and args[3] else "html"
    return int(args[0]), prefix, ext


def document_write_html(text: str) -> str:
    """The HTML a page writes with ``document.write('…')`` (links that exist only in JS)."""
    parts = [m.group(2).replace("\\'", "'").replace('\\"', '"').replace("\\/", "/")
             for m in _DOC_WRITE.finditer(text)]
    return "\n".join(parts)


def _page_requests(page: Page, request: PageRequest, text: str, profile) -> list[PageRequest]:
    counted = page_count(text)
    if counted is None:
        return []
    total, prefix, ext = counted
    if request.page_no != 1:   # the first page already asked for all of them
        return []
    prefix = profile.option("page_prefix") or prefix
    ext = profile.option("page_ext") or ext
    return [PageRequest(urljoin(page.url, f"{prefix}_{n}.{ext}"), page_no=n + 1)
            for n in range(1, total)]


def read_list(page: Page, profile, request: PageRequest) -> Listing:
    """Report links of one TRS list page and, from the first page, the other pages."""
    rules = profile.listing
    patterns = compile_patterns(rules.link_patterns or LINK_PATTERNS)
    soup = parse_html(page.text)
    links = rows_to_links(soup, page.url, item=rules.item or DEFAULT_ITEM, link=rules.link,
                          date=rules.date, title_attr=rules.title_attr, patterns=patterns)
    written = document_write_html(page.text)
    if written:
        seen = {link.url for link in links}
        extra = rows_to_links(parse_html(written), page.url, item=rules.item or DEFAULT_ITEM,
                              link=rules.link, date=rules.date, title_attr=rules.title_attr,
                              patterns=patterns, start=len(links))
        if not extra:
            extra = anchors_to_links(parse_html(written), page.url, patterns=patterns,
                                     start=len(links))
        links += [link for link in extra if link.url not in seen]
    if profile.pagination.kind == "none":
        next_pages: list[PageRequest] = []
    elif profile.pagination.kind == "next_link":
        next_pages = next_link_requests(soup, page.url, profile.pagination.next_texts,
                                        request.page_no)
    else:
        next_pages = _page_requests(page, request, page.text, profile)
    return Listing(links, next_pages)


def read_article(page: Page, profile) -> list[ListedLink]:
    """Attachment links (``P0….pdf`` beside the article, or any file extension)."""
    return attachment_links(page.text, page.url, profile, ATTACHMENT_PATTERNS)
