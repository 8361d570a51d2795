"""Guangdong gkmlpt (政府信息公开目录管理平台): a Vue shell ``/gkmlpt/index`` whose source holds
``window._CONFIG = {SID: '…', TREE: [{id, name, children, post_count}…]}``, JSON lists from
``/gkmlpt/api/all/<category>?page=N&sid=SID`` and details at
``/gkmlpt/content/<id//10^6>/<id//10^3>/post_<id>.html`` whose body is only JSON
(``window._CONFIG.DETAIL = {…}``, unicode-escaped, with ``attachment`` links under ``/attachment/``).

``SiteSpec.params``: ``sid``, ``category`` (the 年报 category id; the tree also holds other
categories whose lists are never a report's), ``single_page`` (page ≥ 2 answers 404 and page 1
holds every article, as some sites do). A report's full text is either only the DETAIL JSON's
``content`` (the page is the report; the parser reads it from the JSON) or, for a stub page
(``world.SPECIALS``), a PDF attachment.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from urllib.parse import unquote
from typing import TYPE_CHECKING

from ..pages import shell
from ..site import HostContent, Listing, Req, Resource, SiteSpec, html_resource
from .common import newest, served_at, start_site

if TYPE_CHECKING:
    from ..world import World

__all__ = ["article_url", "attachment_url", "build", "detail_json", "CHINA"]

CHINA = dt.timezone(dt.timedelta(hours=8))


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    return f"{site.origin}/gkmlpt/content/{ident // 10**6}/{ident // 10**3}/post_{ident}.html"


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    a = ident % 97
    return served_at(f"{site.origin}/attachment/0/{a}/{a * 1000 + ident % 1000}/{ident}.{kind}")


def _epoch(date: str) -> int:
    day = dt.datetime.fromisoformat(date[:16] if len(date) > 10 else date + " 09:00")
    return int(day.replace(tzinfo=CHINA).timestamp())


def _post_id(url: str) -> int:
    return int(url.rsplit("post_", 1)[1].split(".", 1)[0])


def detail_json(site: SiteSpec, title: str, date: str, source: str, body: str) -> str:
    """The DETAIL object as the page embeds it (ASCII only: every CJK char escaped)."""
    links = [part.split('"', 1)[0] for part in body.split('href="')[1:]]
    for src in re.findall(r'(?:src|data)="([^"]+)"', body):   # a file shown in a viewer
        src = html.unescape(src)
        src = unquote(src.split("file=", 1)[1]) if "file=" in src else src
        if src.rsplit(".", 1)[-1] in ("pdf", "doc", "docx") and src not in links:
            links.append(src)
    detail = {"title": title, "content": body, "publisher": source,
              "display_publish_time": _epoch(date), "created_at": date[:16],
              "identifier": f"{site.params['sid']}/{date[:4]}-00{len(title)}",
              "attachment": [{"name": title + "." + u.rsplit(".", 1)[-1], "url": u} for u in links]}
    return json.dumps(detail, ensure_ascii=True).replace("/", "\\/")


def _config_script(site: SiteSpec, title: str, date: str, source: str, body: str) -> str:
    """The detail's config script. A page that links no file and was published in an even year
    writes DETAIL inside the config literal (bare keys, trailing comma) as some sites do; the
    others assign ``window._CONFIG.DETAIL`` after it (the form the crawler reads attachments from)."""
    detail = detail_json(site, title, date, source, body)
    if 'href="' not in body and int(date[:4]) % 2 == 0:
        return (f"window._CONFIG = {{\n  SID: '{site.params['sid']}',\n  TYPE: 'detail',\n"
                f"  DETAIL: {detail},\n}};")
    return (f"window._CONFIG = {{SID: '{site.params['sid']}', TYPE: 'detail'}};\n"
            f"window._CONFIG.DETAIL = {detail};")


def _article(site: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
    page = ('<div id="app"><div class="header-box"><h1 class="title"></h1></div>'
            '<div class="article-content" id="zoom"></div></div>'
            f"<script>{_config_script(site, title, date, source, body)}</script>"
            '<script src="/gkmlpt/static/js/detail.js"></script>')
    return shell(site, f"{title}-{site.name}", page)


def _tree(site: SiteSpec, count: int) -> list[dict]:
    cat = int(site.params["category"])
    return [
        {"id": cat - 20, "name": "政策法规", "post_count": 37, "jump_url": "", "children": [
            {"id": cat - 19, "name": "政策解读", "post_count": 12, "jump_url": "", "children": []}]},
        {"id": cat - 10, "name": "政府信息公开", "post_count": count, "jump_url": "", "children": [
            {"id": cat - 9, "name": "政府信息公开指南", "post_count": 1, "jump_url": "", "children": []},
            {"id": cat, "name": site.params.get("category_name", "政府信息公开年报"),
             "post_count": count, "jump_url": "", "children": []}]},
    ]


def _index(site: SiteSpec, count: int) -> str:
    config = (f"window._CONFIG = {{\n  SID: '{site.params['sid']}',\n  SITE_NAME: '{site.name}',\n"
              f"  TREE: {json.dumps(_tree(site, count), ensure_ascii=False)},\n  TYPE: 'index'\n}};")
    return shell(site, f"政府信息公开-{site.name}",
                 f'<div id="app"></div><script>{config}</script>'
                 '<script src="/gkmlpt/static/js/index.js"></script>')


def _article_row(it: Listing) -> dict:
    # a row linking another site's page (generated sites) has no post id of this platform's
    post_id = _post_id(it.url) if "post_" in it.url else int(hashlib.md5(it.url.encode()).hexdigest()[:7], 16)
    return {"id": post_id, "title": it.title, "url": it.url, "post_url": it.url,
            "created_at": it.date + " 09:00:00", "display_publish_time": _epoch(it.date),
            "identifier": f"{post_id}", "document_number": "", "publisher": "",
            "attachment": []}


def _api(site: SiteSpec, items: list[Listing], modified: float):
    def handle(req: Req) -> Resource:
        try:
            page = max(1, int(req.query.get("page") or 1))
        except ValueError:
            page = 1
        if req.query.get("sid") != site.params["sid"]:
            body = {"code": 1, "msg": "站点不存在"}
        elif site.params.get("single_page") and page > 1:
            return Resource(b"<html><body>404 Not Found</body></html>", "text/html", 0, status=404)
        else:
            size = len(items) if site.params.get("single_page") else site.perpage
            chunk = items[(page - 1) * size: page * size]
            body = {"total": len(items), "classify": {"post_count": len(items)},
                    "articles": [_article_row(it) for it in chunk]}
        return Resource(json.dumps(body, ensure_ascii=False).encode("utf-8"),
                        "application/json", modified)
    return handle


def _empty_api(req: Req) -> Resource:
    return Resource(json.dumps({"total": 0, "articles": []}).encode(), "application/json", 0)


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents, content, items = start_site(site, world, _article)
    modified = newest(items)
    content.add(site.column, html_resource(_index(site, len(items)), site, modified))
    cat = int(site.params["category"])
    content.handlers[f"/gkmlpt/api/all/{cat}"] = _api(site, items, modified)
    for other in (cat - 20, cat - 19, cat - 10, cat - 9):
        content.handlers[f"/gkmlpt/api/all/{other}"] = _empty_api
    return contents
