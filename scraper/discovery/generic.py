"""Any site without a profile: a column URL, its 下一页 / numbered pages, every titled link.

``read_list`` returns every anchor with a text on the page's own host (the engine keeps those whose
title is a report's) and asks for the next pages: anchors labelled 下一页 (the profile's
``pagination.next_texts``) and numbered page links (1, 2, 3 … or [2]) that stay on the host and
under the column's folder. ``read_article`` returns links to files (pdf, doc, docx …).

Options: ``same_folder`` (default true): page links must stay under the entry's folder;
``start`` (default false; true for a URL given on the command line): the entries are start pages,
from which the engine finds the annual-report columns (``scraper.discovery.walk``).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .base import (Listing, ListedLink, Page, PageRequest, absolute_url, anchors_to_links,
                   attachment_links, clean_text, compile_patterns, next_link_requests,
                   parse_html, rows_to_links)
from .scope import host_of, in_domain, site_domain

__all__ = ["FAMILY", "PAGINATION", "OPTIONS", "read_list", "read_article"]

FAMILY = "generic"
#: how a column of this family pages (``xxgk crawl --discover`` says it)
PAGINATION = ("下一页 links and numbered page links (1 2 3 …) on the same host under the column's "
              "folder, followed page by page")
OPTIONS = {"same_folder": bool, "start": bool}

_NUMBER = re.compile(r"^\[?\s*(\d{1,4})\s*\]?$")


def _folder(url: str) -> str:
    path = urlsplit(url).path
    return path[: path.rfind("/") + 1]


def _numbered_pages(soup, page: Page, same_folder: bool, page_no: int) -> list[PageRequest]:
    parts = urlsplit(page.url)
    folder = _folder(page.url)
    out = []
    for a in soup.find_all("a", href=True):
        m = _NUMBER.match(clean_text(a.get_text(" ")))
        if not m or int(m.group(1)) <= 1:
            continue
        url = absolute_url(page.url, a["href"])
        if not url or url == page.url:
            continue
        target = urlsplit(url)
        if target.netloc != parts.netloc or (same_folder and not target.path.startswith(folder)):
            continue
        out.append(PageRequest(url, page_no=max(page_no, int(m.group(1)))))
    return out


def read_list(page: Page, profile, request: PageRequest) -> Listing:
    rules = profile.listing
    soup = parse_html(page.text)
    host = urlsplit(page.url).netloc
    patterns = compile_patterns(rules.link_patterns)
    if rules.item:
        links = rows_to_links(soup, page.url, item=rules.item, link=rules.link, date=rules.date,
                              title_attr=rules.title_attr, patterns=patterns)
    else:
        links = anchors_to_links(soup, page.url, patterns=patterns, title_attr=rules.title_attr)
    domain = site_domain(urlsplit(page.url).hostname or "")
    links = [link for link in links
             if urlsplit(link.url).netloc == host or in_domain(host_of(link.url), (domain,))]
    links = [ListedLink(link.url, link.title, link.date, i + 1) for i, link in enumerate(links)]
    if profile.pagination.kind == "none":
        return Listing(links, [])
    same_folder = bool(profile.option("same_folder", True))
    next_pages = next_link_requests(soup, page.url, profile.pagination.next_texts, request.page_no)
    next_pages += _numbered_pages(soup, page, same_folder, request.page_no)
    if same_folder:
        folder = _folder(page.url)
        next_pages = [r for r in next_pages if urlsplit(r.url).path.startswith(folder)]
    return Listing(links, next_pages)


def read_article(page: Page, profile) -> list[ListedLink]:
    return attachment_links(page.text, page.url, profile)
