"""Hanweb jpaas (the newer 集约化 platform; 泰州 since 2023, 浙江省发改委): lists built by an API.

A column page holds no rows, only the list unit's ``queryData="{…webId, tplSetId, pageType,
tagId, pageId…}"`` attribute; the rows come as HTML inside JSON from

    GET /api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&webId=…
        &tplSetId=…&pageType=column&tagId=信息列表&pageId=…&paramJson={"pageNo":N,"pageSize":P}
    -> {"success": true, "data": {"html": "<li class='clearfix'><a href='…/art/2026/art_<32hex>.html'
        title='…'>…</a><span class='bt-right'>2026-01-29</span></li>…
        <div class='pagination' rows='15' count='123'>"}}

``read_list`` turns a column page into the API request of its first page (and reads any rows the
page renders itself), an API answer into links and, from page 1, the other pages (``count`` /
``rows``). Year sub-columns linked from a column (``./2016/szf/index.html``, ``/2016n/index.html``)
are followed as list pages. Articles: ``…/art/YYYY/art_<32hex>.html`` or ``art_<9-10 digits>.html``
(old ``art/YYYY/M/D/art_C_N.html`` pages of the same site too).

Options: ``webId``, ``tplSetId``, ``pageId`` (when a column page does not show its queryData),
``page_size`` (default 15), ``api_path``, ``subcolumn_pattern`` (regex on a sub-column link's href).
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

from .base import (Listing, ListedLink, Page, PageRequest, absolute_url, attachment_links,
                   compile_patterns, parse_html, rows_to_links)

__all__ = ["FAMILY", "PAGINATION", "OPTIONS", "LINK_PATTERNS", "ATTACHMENT_PATTERNS", "API_PATH", "read_list",
           "read_article", "query_data", "api_request", "read_api_answer"]

FAMILY = "jpaas"
#: how a column of this family pages (``xxgk crawl --discover`` says it)
PAGINATION = ("the column page holds only queryData; every list page is GET <publish "
              'API>?…&paramJson={"pageNo":N,"pageSize":P} answering rows as HTML inside JSON '
              "(count/rows give the pages)")
OPTIONS = {"webId": str, "tplSetId": str, "pageId": str, "page_size": int, "api_path": str,
           "subcolumn_pattern": str}

API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
LINK_PATTERNS = (r"/art/\d{4}/art_(?:[0-9a-f]{32}|\d{6,12})\.html",
                 r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", r"/attach/\d+/\w+\.\w+$")
ATTACHMENT_PATTERNS = (r"/attach/\d+/\w+\.\w+$", r"downfile\.jsp", r"/jcms_files/.+\.\w+$")
DEFAULT_PAGE_SIZE = 15
DEFAULT_SUBCOLUMN = r"/(?:19|20)\d\dn?/(?:[a-z]+/)?(?:index\.html?)?$"

_QUERY_DATA = re.compile(r"""queryData\s*=\s*(["'])(.*?)\1""", re.S | re.I)
_PAGINATION = re.compile(r"""class=['"]pagination['"][^>]*""", re.I)
_ATTR_NUM = re.compile(r"""\b(rows|count)=['"]?(\d+)""", re.I)


def query_data(text: str) -> dict[str, str]:
    """The list unit's ``queryData`` (HTML-unescaped JSON), or {}."""
    m = _QUERY_DATA.search(text)
    if not m:
        return {}
    try:
        data = json.loads(html.unescape(m.group(2)))
    except ValueError:
        return {}
    return {k: str(v) for k, v in data.items() if v is not None} if isinstance(data, dict) else {}


def api_request(page_url: str, ids: dict[str, str], page_no: int, page_size: int,
                api_path: str = API_PATH) -> PageRequest:
    """The GET of one list page from the publish API."""
    query = {"parseType": "bulidstatic", "webId": ids["webId"], "tplSetId": ids.get("tplSetId", ""),
             "pageType": ids.get("pageType", "column"), "tagId": ids.get("tagId", "信息列表"),
             "pageId": ids["pageId"],
             "paramJson": json.dumps({"pageNo": page_no, "pageSize": page_size},
                                     separators=(",", ":"))}
    parts = urlsplit(page_url)
    url = f"{parts.scheme}://{parts.netloc}{api_path}?{urlencode(query)}"
    return PageRequest(url, headers=(("X-Requested-With", "XMLHttpRequest"),), page_no=page_no)


def read_api_answer(text: str) -> tuple[str, int | None, int | None]:
    """(rows HTML, rows per page, record count) of an API answer; ('', None, None) if it failed."""
    try:
        answer = json.loads(text)
    except ValueError:
        return "", None, None
    data = answer.get("data") if isinstance(answer, dict) and answer.get("success") else None
    fragment = data.get("html", "") if isinstance(data, dict) else ""
    if not isinstance(fragment, str):
        return "", None, None
    pager = _PAGINATION.search(fragment)
    nums = dict((k.lower(), int(v)) for k, v in _ATTR_NUM.findall(pager.group(0))) if pager else {}
    return fragment, nums.get("rows"), nums.get("count")


def _ids(page_text: str, profile) -> dict[str, str]:
    ids = query_data(page_text)
    for key in ("webId", "tplSetId", "pageId"):
        if profile.option(key) and key not in ids:
            ids[key] = str(profile.option(key))
    return ids if {"webId", "pageId"} <= ids.keys() else {}


def _rows(root, base_url: str, rules, patterns, start: int = 0) -> list[ListedLink]:
    return rows_to_links(root, base_url, item=rules.item or "li", link=rules.link,
                         date=rules.date or "span", title_attr=rules.title_attr,
                         patterns=patterns, start=start)


def _subcolumns(soup, page: Page, profile) -> list[PageRequest]:
    pattern = re.compile(profile.option("subcolumn_pattern") or DEFAULT_SUBCOLUMN)
    host = urlsplit(page.url).netloc
    out, seen = [], {page.url}
    for a in soup.find_all("a", href=True):
        url = absolute_url(page.url, a["href"])
        if url and url not in seen and urlsplit(url).netloc == host \
                and pattern.search(urlsplit(url).path):
            seen.add(url)
            out.append(PageRequest(url))
    return out


def read_list(page: Page, profile, request: PageRequest) -> Listing:
    """Rows of an API answer (and its other pages), or a column page's API request."""
    rules = profile.listing
    patterns = compile_patterns(rules.link_patterns or LINK_PATTERNS)
    size = int(profile.option("page_size") or DEFAULT_PAGE_SIZE)
    if urlsplit(page.url).path.endswith("/front/page/build/unit"):
        fragment, rows, count = read_api_answer(page.text)
        links = _rows(parse_html(fragment), page.url, rules, patterns,
                      start=(request.page_no - 1) * (rows or size)) if fragment else []
        next_pages: list[PageRequest] = []
        if request.page_no == 1 and count and profile.pagination.kind != "none":
            qs = parse_qs(urlsplit(page.url).query)
            ids = {k: v[0] for k, v in qs.items() if v}
            per = rows or size
            next_pages = [api_request(page.url, ids, n, per, urlsplit(page.url).path)
                          for n in range(2, -(-count // per) + 1)]
        return Listing(links, next_pages)
    soup = parse_html(page.text)
    links = _rows(soup, page.url, rules, patterns)   # a column that renders its first rows
    next_pages = _subcolumns(soup, page, profile)
    ids = _ids(page.text, profile)
    if ids:
        next_pages.insert(0, api_request(page.url, ids, 1, size,
                                         profile.option("api_path") or API_PATH))
    return Listing(links, next_pages)


def read_article(page: Page, profile) -> list[ListedLink]:
    return attachment_links(page.text, page.url, profile, ATTACHMENT_PATTERNS)
