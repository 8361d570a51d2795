"""Shanghai family: ``nwNNNNN/<YYYYMMDD>/<32hex>.html`` columns paged by a jQuery pager.

The column (``www.shanghai.gov.cn/nw12344/index.html``; bureau sites alike) lists rows
``ul.tadaty-list.uli14.nowrapli.list-date li`` with ``span.time``; the page count is only in
``$(".pagination").pagination("setPage", <current>, <total>)`` or a ``totalPage: N`` setting, and
page ``n`` ≥ 2 is ``index_<n>.html`` beside the first. Report links: ``/<YYYYMMDD>/<32hex>.html``,
migrated ``/<YYYYMMDD>/0001-12344_<n>.html``, bureau ``t0035_<n>.html``, and the old GBK site's
``/nw2/…/u26aw<n>.html`` pages (``#ivs_content``; the engine decodes them by their meta charset).

Options: ``page_prefix`` (default ``index``), ``page_ext`` (default the first page's).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .base import (Listing, ListedLink, Page, PageRequest, attachment_links, compile_patterns,
                   parse_html, rows_to_links)

__all__ = ["FAMILY", "PAGINATION", "OPTIONS", "LINK_PATTERNS", "DEFAULT_ITEM", "read_list", "read_article",
           "page_total"]

FAMILY = "shanghai"
#: how a column of this family pages (``xxgk crawl --discover`` says it)
PAGINATION = ('the page count is only in a pagination("setPage", current, total) call (or '
              "totalPage: N); page N is index_N.html beside the first")
OPTIONS = {"page_prefix": str, "page_ext": str}

LINK_PATTERNS = (r"/\d{8}/[0-9a-f]{32}\.s?html?$", r"/\d{8}/\d{4}-\d+_\d+\.s?html?$",
                 r"/\d{8}/t\d+_\d+\.s?html?$", r"/u\d+aw\d+\.s?html?$",
                 r"/cmsres/.+\.(?:pdf|docx?|xlsx?)$")
DEFAULT_ITEM = "ul.list-date li, ul.uli14 li, ul.tadaty-list li"

_SET_PAGE = re.compile(r"""pagination\(\s*['"]setPage['"]\s*,\s*(\d+)\s*,\s*(\d+)""")
_TOTAL_PAGE = re.compile(r"""\btotalPage\s*[:=]\s*['"]?(\d+)""")


def page_total(text: str) -> int | None:
    """Total pages from the jQuery pager call or a ``totalPage`` setting."""
    m = _SET_PAGE.search(text)
    if m:
        return int(m.group(2))
    m = _TOTAL_PAGE.search(text)
    return int(m.group(1)) if m else None


def read_list(page: Page, profile, request: PageRequest) -> Listing:
    rules = profile.listing
    patterns = compile_patterns(rules.link_patterns or LINK_PATTERNS)
    soup = parse_html(page.text)
    links = rows_to_links(soup, page.url, item=rules.item or DEFAULT_ITEM, link=rules.link,
                          date=rules.date or "span", title_attr=rules.title_attr,
                          patterns=patterns)
    total = page_total(page.text)
    next_pages: list[PageRequest] = []
    if request.page_no == 1 and total and total > 1 and profile.pagination.kind != "none":
        name = urlsplit(page.url).path.rsplit("/", 1)[-1] or "index.html"
        ext = profile.option("page_ext") or (name.rsplit(".", 1)[-1] if "." in name else "html")
        prefix = profile.option("page_prefix") or "index"
        next_pages = [PageRequest(urljoin(page.url, f"{prefix}_{n}.{ext}"), page_no=n)
                      for n in range(2, total + 1)]
    return Listing(links, next_pages)


def read_article(page: Page, profile) -> list[ListedLink]:
    return attachment_links(page.text, page.url, profile)
