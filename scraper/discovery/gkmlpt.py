"""Guangdong gkmlpt (政府信息公开目录管理平台): category tree in ``window._CONFIG``, JSON lists.

The index ``/gkmlpt/index`` is a Vue shell whose source holds

    window._CONFIG = { SID: '<site id>', TREE: [{id, name, children: […], post_count}…], … };

``read_list`` on that page picks the annual-report categories (the ids in the ``categories``
option, else every category whose name matches ``category_pattern``, default 年报/年度报告) and asks
``/gkmlpt/api/all/<id>?page=1&sid=<SID>``; on an API answer
(``{total, articles: [{id, title, url, display_publish_time (epoch), created_at…}]}``) it lists
the articles and, from page 1, asks for the other pages (none when page 1 already holds
``total``: some sites answer page ≥ 2 with a 404). Details live at
``/gkmlpt/content/<a>/<b>/post_<id>.html`` with the body only as JSON in
``window._CONFIG.DETAIL = {…, content: "<p>…", attachment: [{name, url}…]}`` (unicode-escaped), so
``read_article`` reads the attachments from that JSON (and any plain links of the page).

Options: ``sid`` (when the index does not show it), ``categories`` (list of ids),
``category_pattern`` (regex on a category name).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

from .base import (Listing, ListedLink, Page, PageRequest, absolute_url, attachment_links,
                   clean_text, normalize_date)

__all__ = ["FAMILY", "PAGINATION", "OPTIONS", "LINK_PATTERNS", "ATTACHMENT_PATTERNS", "read_list",
           "read_article", "read_config", "report_categories", "detail_of", "epoch_date"]

FAMILY = "gkmlpt"
#: how a column of this family pages (``xxgk crawl --discover`` says it)
PAGINATION = ("the index's window._CONFIG TREE names the 年报 category; its list is JSON from "
              "/gkmlpt/api/all/<category>?page=N&sid=SID (total gives the pages)")
OPTIONS = {"sid": str, "categories": list, "category_pattern": str}

LINK_PATTERNS = (r"/content/(?:\d+/\d+/)?post_\d+\.html", r"/attachment/\d+/[\d/]+\.\w+$")
ATTACHMENT_PATTERNS = (r"/attachment/\d+/[\d/]+\.\w+$",)
DEFAULT_CATEGORY_PATTERN = r"年报|年度报告"

_SID = re.compile(r"""\bSID\s*:\s*['"]?([\w-]+)""")
_TREE = re.compile(r"""\bTREE\s*:\s*(?=\[)""")
_DETAIL = re.compile(r"""_CONFIG\.DETAIL\s*=\s*(?=\{)""")
_API = re.compile(r"/gkmlpt/api/all/(\d+)$")
_CHINA = dt.timezone(dt.timedelta(hours=8))
_DECODER = json.JSONDecoder()


def _json_at(text: str, start: int):
    try:
        return _DECODER.raw_decode(text, start)[0]
    except ValueError:
        return None


def read_config(text: str) -> tuple[str | None, list]:
    """(SID, TREE) from the index page's ``window._CONFIG`` (a JS object with a JSON tree)."""
    sid = _SID.search(text)
    tree = _TREE.search(text)
    nodes = _json_at(text, tree.end()) if tree else None
    return (sid.group(1) if sid else None), (nodes if isinstance(nodes, list) else [])


def report_categories(tree: list, pattern: str = DEFAULT_CATEGORY_PATTERN) -> list[str]:
    """Ids of the categories whose name matches ``pattern`` (children of a match included)."""
    wanted = re.compile(pattern)
    out: list[str] = []

    def walk(nodes: list, inside: bool) -> None:
        for node in nodes:
            if not isinstance(node, dict) or "id" not in node:
                continue
            hit = inside or bool(wanted.search(str(node.get("name", ""))))
            if hit:
                out.append(str(node["id"]))
            walk(node.get("children") or [], hit)

    walk(tree, False)
    return out


def epoch_date(value) -> str | None:
    """A date from epoch seconds/ms (read in China time) or a date string."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
        seconds = int(value) / (1000 if int(value) > 10**11 else 1)
        return dt.datetime.fromtimestamp(seconds, _CHINA).date().isoformat()
    return normalize_date(str(value)) if value else None


def _api_url(page_url: str, category: str, page: int, sid: str) -> str:
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}/gkmlpt/api/all/{category}?page={page}&sid={sid}"


def _read_api(page: Page, profile, request: PageRequest, category: str) -> Listing:
    try:
        answer = json.loads(page.text)
    except ValueError:
        return Listing()
    articles = answer.get("articles") if isinstance(answer, dict) else None
    if not isinstance(articles, list):
        return Listing()
    start = (request.page_no - 1) * len(articles) if request.page_no > 1 else 0
    links: list[ListedLink] = []
    for art in articles:
        if not isinstance(art, dict):
            continue
        url = absolute_url(page.url, str(art.get("url") or art.get("post_url") or ""))
        if url is None:
            continue
        date = epoch_date(art.get("display_publish_time") or art.get("created_at"))
        links.append(ListedLink(url, clean_text(str(art.get("title") or "")), date,
                                start + len(links) + 1))
    next_pages: list[PageRequest] = []
    total = answer.get("total")
    if request.page_no == 1 and isinstance(total, int) and articles and total > len(articles) \
            and profile.pagination.kind != "none":
        sid = parse_qs(urlsplit(page.url).query).get("sid", [""])[0]
        pages = -(-total // len(articles))
        next_pages = [PageRequest(_api_url(page.url, category, n, sid), page_no=n)
                      for n in range(2, pages + 1)]
    return Listing(links, next_pages)


def read_list(page: Page, profile, request: PageRequest) -> Listing:
    """The index -> API requests of the report categories; an API answer -> its articles."""
    api = _API.search(urlsplit(page.url).path)
    if api:
        return _read_api(page, profile, request, api.group(1))
    sid, tree = read_config(page.text)
    sid = profile.option("sid") or sid
    if not sid:
        return Listing()
    categories = [str(c) for c in profile.option("categories") or []] or report_categories(
        tree, profile.option("category_pattern") or DEFAULT_CATEGORY_PATTERN)
    return Listing([], [PageRequest(_api_url(page.url, c, 1, sid)) for c in categories])


def detail_of(text: str) -> dict:
    """The ``window._CONFIG.DETAIL`` object of a detail page, or {}."""
    m = _DETAIL.search(text)
    found = _json_at(text, m.end()) if m else None
    return found if isinstance(found, dict) else {}


def read_article(page: Page, profile) -> list[ListedLink]:
    """Attachments named in the DETAIL JSON and linked in its content, then plain page links."""
    detail = detail_of(page.text)
    links: list[ListedLink] = []
    seen: set[str] = set()
    items = detail.get("attachment")
    for item in items if isinstance(items, list) else []:
        url = absolute_url(page.url, str(item.get("url") or "")) if isinstance(item, dict) else None
        if url and url not in seen:
            seen.add(url)
            links.append(ListedLink(url, clean_text(str(item.get("name") or "")), None, len(links) + 1))
    content = detail.get("content") if isinstance(detail.get("content"), str) else ""
    # a DETAIL the JSON reader could not take (written inside the config literal): its links
    # and viewers read from the escaped text
    unescaped = page.text.replace("\\/", "/").replace('\\"', '"')
    for link in attachment_links(content + page.text + unescaped, page.url, profile,
                                 ATTACHMENT_PATTERNS):
        if link.url not in seen:
            seen.add(link.url)
            links.append(ListedLink(link.url, link.title, None, len(links) + 1))
    return links
