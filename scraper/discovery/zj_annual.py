"""Zhejiang per-unit annual-report pages: ``module/xxgk/xxgkAnnualReport.jsp?area=<unit>&fbtime=<Y>``.

The 信息公开平台 of Zhejiang's Hanweb sites shows one unit's report per year on this page
(``area`` = the unit's 9-digit org code, 15-digit code or 18-char credit code; ``fbtime`` = the
year covered). A profile names the units (``units = [...]`` with ``area={unit}`` in the entry URL).
The entry page (without ``fbtime``, or with a year) carries the unit's year tabs,
``<a href="…xxgkAnnualReport.jsp?area=…&fbtime=2022" title="<full title>">2022年</a>``: each is
listed as a report link (title from ``title=``, else the page's report title with the year put
in). A report the page shows inline is thus fetched once more under its own ``fbtime`` URL,
which keeps one URL per unit and year. An entry written per year (``…&fbtime={year}``) is asked
for without ``fbtime`` (``entry_requests``): the unit's page lists every year, and a list page
must not share its URL with a report it lists.

Options: ``page_path`` (default ``/module/xxgk/xxgkAnnualReport.jsp``).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from .base import (Listing, ListedLink, Page, PageRequest, absolute_url, attachment_links,
                   clean_text, parse_html)

__all__ = ["FAMILY", "PAGINATION", "OPTIONS", "LINK_PATTERNS", "PAGE_PATH", "read_list", "read_article",
           "entry_requests"]

FAMILY = "zj_annual"
#: how a column of this family pages (``xxgk crawl --discover`` says it)
PAGINATION = ("one page per unit (area=…): its year tabs (fbtime=YYYY) are the report links; no"
              " list pages")
OPTIONS = {"page_path": str}

PAGE_PATH = "/module/xxgk/xxgkAnnualReport.jsp"
LINK_PATTERNS = (r"xxgkAnnualReport\.jsp\?.*fbtime=\d{4}",)

_TITLE_YEAR = re.compile(r"(?:19|20)\d\d(?=\s*年)")


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items() if v}


def _page_title(soup) -> str:
    for css in (".nb-title", ".title", "h1", "h2"):
        found = soup.select_one(css)
        if found and clean_text(found.get_text(" ")):
            return clean_text(found.get_text(" "))
    return ""


def entry_requests(profile, url: str) -> list[PageRequest]:
    """The unit's page for an entry URL: ``fbtime`` dropped (its year tabs list every year)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "fbtime"]
    return [PageRequest(urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), "")))]


def read_list(page: Page, profile, request: PageRequest) -> Listing:
    """The unit's year tabs as report links (one per year), same unit only."""
    soup = parse_html(page.text)
    path = profile.option("page_path") or PAGE_PATH
    area = _query(page.url).get("area")
    shown = _page_title(soup)
    links: list[ListedLink] = []
    seen: set[str] = set()
    for a in soup.find_all("a", href=True):
        url = absolute_url(page.url, a["href"])
        if url is None or url in seen or not urlsplit(url).path.endswith(path):
            continue
        q = _query(url)
        if "fbtime" not in q or (area and q.get("area") != area):
            continue
        seen.add(url)
        title = clean_text(a.get("title"))
        if not title and shown and _TITLE_YEAR.search(shown):
            title = _TITLE_YEAR.sub(q["fbtime"], shown, count=1)
        links.append(ListedLink(url, title or clean_text(a.get_text(" ")), None, len(links) + 1))
    return Listing(links, [])


def read_article(page: Page, profile) -> list[ListedLink]:
    return attachment_links(page.text, page.url, profile)
