"""Epoint (新点) WebBuilder sites: ``InfoDetail/?InfoID=<uuid>&CategoryNum=<code>`` articles.

A category list (``…/ShowInfo/MoreInfo.aspx?CategoryNum=<code>`` or ``…/moreinfo.html``) shows
rows ``li.ewb-list-node`` (``ewb-`` CSS prefix; date in ``span.ewb-list-date``); the page count is
only in a script variable ``totalPageNums`` and page ``n`` ≥ 2 is the same URL with
``pageing=<n>`` (the platform's spelling). Articles carry the body in ``#mainContent`` and the
byline "公开部门：… 发布时间：2017/2/23".

Options: ``page_param`` (default ``pageing``), ``category`` (keep only links of this CategoryNum).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .base import (Listing, ListedLink, Page, PageRequest, attachment_links, compile_patterns,
                   parse_html, rows_to_links)

__all__ = ["FAMILY", "PAGINATION", "OPTIONS", "LINK_PATTERNS", "read_list", "read_article", "page_total",
           "with_page"]

FAMILY = "epoint"
#: how a column of this family pages (``xxgk crawl --discover`` says it)
PAGINATION = ("the page count is only in a totalPageNums script variable; page N is the same "
              "URL with pageing=N")
OPTIONS = {"page_param": str, "category": str}

LINK_PATTERNS = (r"/InfoDetail/(?:Default\.aspx)?\?.*InfoID=[0-9a-f-]{36}",
                 r"/AttachStorage/.+\.\w+$")
DEFAULT_ITEM = "li.ewb-list-node, ul.ewb-list li, li"

_TOTAL = re.compile(r"""\btotalPageNums\s*=\s*['"]?(\d+)""")


def page_total(text: str) -> int | None:
    m = _TOTAL.search(text)
    return int(m.group(1)) if m else None


def with_page(url: str, n: int, param: str = "pageing") -> str:
    """``url`` with its page parameter set to ``n`` (appended when absent)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    query.append((param, str(n)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def read_list(page: Page, profile, request: PageRequest) -> Listing:
    rules = profile.listing
    patterns = compile_patterns(rules.link_patterns or LINK_PATTERNS)
    links = rows_to_links(parse_html(page.text), page.url, item=rules.item or DEFAULT_ITEM,
                          link=rules.link, date=rules.date or "span", title_attr=rules.title_attr,
                          patterns=patterns)
    category = profile.option("category")
    if category:
        links = [link for link in links if "CategoryNum=" not in link.url
                 or f"CategoryNum={category}" in link.url]
    total = page_total(page.text)
    next_pages: list[PageRequest] = []
    if request.page_no == 1 and total and total > 1 and profile.pagination.kind != "none":
        param = profile.option("page_param") or "pageing"
        next_pages = [PageRequest(with_page(page.url, n, param), page_no=n)
                      for n in range(2, total + 1)]
    return Listing(links, next_pages)


def read_article(page: Page, profile) -> list[ListedLink]:
    return attachment_links(page.text, page.url, profile)
