"""Hanweb 大汉 JCMS (classic) sites: ``col/colN/index.html`` lists held in an XML datastore.

The column page carries its first records as CDATA inside ``<script type="text/xml">``:

    <datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=…
      &columnid=…&unitid=…"></a>]]></nextgroup><totalrecord>52</totalrecord>
      <recordset><record><![CDATA[<li><a href="/art/2020/8/14/art_C_N.html" title="…">…</a>
      <i>2020-08-14</i></li>]]></record>…

Further records come from ``POST <proxy>?startrecord=S&endrecord=E&perpage=P`` with the form
fields ``col, appid, webid, path, columnid, sourceContentType, unitid, webname, permissiontype``;
the answer is the same datastore XML, so one reader serves both. Groups are as large as the
first page's record count (``group`` option to fix it). ids come from the nextgroup link, the
column URL (``colN``) and the unit ``<div id>``, or the profile's options; the proxy path from
the nextgroup link unless the profile names one. Articles are
``art/YYYY/M/D/art_C_N.html``; attachments are ``downfile.jsp`` links (302 to ``/attach/0/…`` or
an attachment host) or a ``pdfurl = "…"`` variable for the embedded viewer.

Options: ``webid``, ``columnid``, ``unitid``, ``webname``, ``proxy_path``
(default ``/module/web/jpage/dataproxy.jsp``; older sites ``/module/jpage/dataproxy.jsp``),
``perpage`` (15), ``group`` (records per proxy request), ``source_content_type`` (1).
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from .base import (Listing, ListedLink, Page, PageRequest, absolute_url, anchors_to_links,
                   attachment_links, compile_patterns, parse_html, rows_to_links)

__all__ = ["FAMILY", "PAGINATION", "OPTIONS", "LINK_PATTERNS", "ATTACHMENT_PATTERNS", "read_list",
           "read_article", "read_datastore", "DEFAULT_PROXY_PATH"]

FAMILY = "hanweb"
#: how a column of this family pages (``xxgk crawl --discover`` says it)
PAGINATION = ("the first records are in the page's jpage datastore XML; the rest come from POST"
              " <dataproxy.jsp>?startrecord=&endrecord= with the column's ids (webid, columnid,"
              " unitid)")
OPTIONS = {"webid": str, "columnid": str, "unitid": str, "webname": str, "proxy_path": str,
           "perpage": int, "group": int, "source_content_type": str}

LINK_PATTERNS = (r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", r"downfile\.jsp",
                 r"/attach/\d+/\w+\.\w+$")
ATTACHMENT_PATTERNS = (r"downfile\.jsp", r"/attach/\d+/\w+\.\w+$", r"/jcms_files/.+\.\w+$")
DEFAULT_PROXY_PATH = "/module/web/jpage/dataproxy.jsp"
DEFAULT_PERPAGE = 15

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_COLUMN = re.compile(r"/col/col(\d+)/")
_UNIT_DIV = re.compile(r"<div[^>]+id=['\"]?(\d{3,})['\"]?[^>]*>\s*<script[^>]+text/xml", re.I)
_PDFURL = re.compile(r"\bpdfurl\s*=\s*['\"]([^'\"]+)['\"]", re.I)
_HREF = re.compile(r"href=['\"]([^'\"]+)['\"]", re.I)


def read_datastore(text: str) -> tuple[list[str], int | None, dict[str, str]]:
    """(record HTML fragments, totalrecord, ids and proxy path from the nextgroup link)."""
    records = _RECORD.findall(text)
    total = _TOTAL.search(text)
    ids: dict[str, str] = {}
    nextgroup = _NEXTGROUP.search(text)
    if nextgroup:
        href = _HREF.search(nextgroup.group(1))
        if href:
            link = urlsplit(href.group(1).replace("&amp;", "&"))
            ids = {k: v[0] for k, v in parse_qs(link.query).items() if v and v[0]}
            if link.path.endswith("dataproxy.jsp"):
                ids["proxy_path"] = link.path
    return records, int(total.group(1)) if total else None, ids


def _ids(page: Page, profile, found: dict[str, str]) -> dict[str, str]:
    ids = {k: found[k] for k in ("webid", "columnid", "unitid", "proxy_path") if k in found}
    column = _COLUMN.search(page.url)
    if column and "columnid" not in ids:
        ids["columnid"] = column.group(1)
    unit = _UNIT_DIV.search(page.text)
    if unit and "unitid" not in ids:
        ids["unitid"] = unit.group(1)
    for key in ("webid", "columnid", "unitid"):   # the profile's word wins over the page's
        if profile.option(key):
            ids[key] = str(profile.option(key))
    return ids


def _proxy_requests(page: Page, profile, ids: dict[str, str], first: int, total: int,
                    page_no: int) -> list[PageRequest]:
    if not {"webid", "columnid"} <= ids.keys() or first >= total:
        return []
    perpage = int(profile.option("perpage", DEFAULT_PERPAGE))
    group = int(profile.option("group") or max(first, perpage))
    proxy = urljoin(page.url, profile.option("proxy_path") or ids.get("proxy_path")
                    or DEFAULT_PROXY_PATH)
    form = (("col", "1"), ("appid", "1"), ("webid", ids["webid"]), ("path", "/"),
            ("columnid", ids["columnid"]),
            ("sourceContentType", str(profile.option("source_content_type", "1"))),
            ("unitid", ids.get("unitid", "")), ("webname", profile.option("webname") or ""),
            ("permissiontype", "0"))
    headers = (("X-Requested-With", "XMLHttpRequest"),)
    out = []
    for n, start in enumerate(range(first + 1, total + 1, group), start=1):
        end = min(start + group - 1, total)
        url = f"{proxy}?startrecord={start}&endrecord={end}&perpage={perpage}"
        out.append(PageRequest(url, "POST", form, headers, page_no=page_no + n))
    return out


def _is_proxy(url: str) -> bool:
    return "dataproxy.jsp" in url


def read_list(page: Page, profile, request: PageRequest) -> Listing:
    """Records of a column page or a proxy answer; from the column page, the proxy requests."""
    rules = profile.listing
    patterns = compile_patterns(rules.link_patterns or LINK_PATTERNS)
    records, total, found = read_datastore(page.text)
    start = 0
    if _is_proxy(page.url):
        qs = parse_qs(urlsplit(page.url).query)
        start = int(qs.get("startrecord", ["1"])[0]) - 1
    if records:
        soup = parse_html("\n".join(records))
        links = rows_to_links(soup, page.url, item=rules.item or "li, tr, div",
                              link=rules.link, date=rules.date, title_attr=rules.title_attr,
                              patterns=patterns, start=start)
        if len(links) < len(records):
            seen = {link.url for link in links}
            links += [link for link in anchors_to_links(soup, page.url, patterns=patterns,
                                                         start=start + len(links))
                      if link.url not in seen]
    else:   # a column rendered as plain HTML (older templates)
        links = rows_to_links(parse_html(page.text), page.url, item=rules.item or "li",
                              link=rules.link, date=rules.date, title_attr=rules.title_attr,
                              patterns=patterns)
    next_pages: list[PageRequest] = []
    if not _is_proxy(page.url) and total and profile.pagination.kind != "none":
        next_pages = _proxy_requests(page, profile, _ids(page, profile, found), len(records),
                                     total, request.page_no)
    return Listing(links, next_pages)


def read_article(page: Page, profile) -> list[ListedLink]:
    """downfile.jsp / attach links, plus the embedded viewer's ``pdfurl``."""
    links = attachment_links(page.text, page.url, profile, ATTACHMENT_PATTERNS)
    seen = {link.url for link in links}
    for m in _PDFURL.finditer(page.text):
        url = absolute_url(page.url, m.group(1))
        if url and url not in seen:
            seen.add(url)
            links.append(ListedLink(url, "", None, len(links) + 1))
    return links
