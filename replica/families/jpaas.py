"""Hanweb jpaas (the newer 集约化 platform, 泰州 since 2023): column pages that hold no rows, only a
``queryData`` attribute, the rows as HTML inside JSON from
``/api-gateway/jpaas-publish-server/front/page/build/unit?…&pageId=…&paramJson={"pageNo":N,"pageSize":P}``,
articles at ``<column>/art/<YYYY>/art_<32hex>.html`` (some ``art_<9 digits>.html``), old reports in
year sub-columns ``<column>/<Y>/szf/`` re-dated by the migration (``…/2016/szf/art/2023/…``).

``SiteSpec.params``: ``webId``, ``tplSetId``, ``pageId`` (of the main column; a sub-column's is
``pageId + year``), ``subcolumns_before`` (report years below it live in year sub-columns).
Article pages carry "信息来源：… · 发布日期：YYYY-MM-DD HH:MM · 浏览次数：" and ``.wzzw-article``;
migrated old reports keep the xxgk metadata table (索 引 号 … 发文日期).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from typing import TYPE_CHECKING

from ..pages import epoch, meta_set, shell, short_title
from ..site import HostContent, Listing, Req, Resource, SiteSpec, html_resource
from .common import (column_dir, href_for, list_title, newest, path_of, served_at, shown_date,
                     start_site, varied)

if TYPE_CHECKING:
    from ..world import PublisherSpec, World

__all__ = ["article_url", "report_url", "attachment_url", "build", "API_PATH"]

API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"


def _hex(*parts: object) -> str:
    return hashlib.md5(":".join(map(str, parts)).encode()).hexdigest()


def _art(site: SiteSpec, folder: str, date: dt.date, ident: int) -> str:
    # one article in five carries the numeric id variant (art_683868698.html)
    name = f"6{ident % 10**8:08d}" if ident % 5 == 0 else _hex(site.id, ident)
    return f"{site.origin}{folder}art/{date.year}/art_{name}.html"


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    return _art(site, column_dir(site), date, ident)


def report_url(site: SiteSpec, spec: "PublisherSpec", year: int, date: dt.date, ident: int) -> str:
    if year < site.params.get("subcolumns_before", 0):
        return _art(site, f"{column_dir(site)}{year}/szf/", date, ident)
    return article_url(site, date, ident)


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    return served_at(f"{site.origin}/attach/0/{_hex(site.id, 'att', ident, kind)}.{kind}")


def _article(site: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
    short = source.replace("泰州市人民政府办公室", "市政府办")
    info = (f'<div class="wzzw-info"><span>信息来源：{html.escape(short)}</span> · '
            f"<span>发布日期：{date}</span> · <span>浏览次数：<i id=\"hits\"></i></span></div>")
    table = ""
    if any(f"{y}年" in title for y in range(2008, site.params.get("subcolumns_before", 0))):
        serial = int(_hex(title)[:6], 16) % 1000000
        table = ('<table class="xxgk_top" border="1">'
                 f'<tr><td>索 引 号</td><td>3212000002/{date[:4]}-{serial:06d}</td>'
                 '<td>分　　类</td><td>政府信息公开年报</td></tr>'
                 f'<tr><td>发布机构</td><td>{html.escape(short)}</td><td>发文日期</td><td>{date[:10]}</td></tr>'
                 '<tr><td>文　　号</td><td></td><td>时　　效</td><td>有效</td></tr></table>')
    page = (f'<div class="wzzw"><h1 class="wzzw-title">{html.escape(title)}</h1>{info}{table}'
            f'<div class="wzzw-article">{body}</div></div>')
    return shell(site, f"{title}_{site.name}", page, meta_set(site, title, date, source))


def _column_page(site: SiteSpec, name: str, page_id: str, years: list[str] = ()) -> str:
    query = {"webId": site.params["webId"], "tplSetId": site.params["tplSetId"],
             "pageType": "column", "tagId": "信息列表", "pageId": page_id, "editType": None}
    tabs = "".join(f'<a href="./{y}/szf/index.html">{y}年</a>' for y in years)
    body = (f'<div class="list-title">{html.escape(name)}</div><div class="sub-column">{tabs}</div>'
            f'<div class="list-box" id="jpaas_list" queryData="{html.escape(json.dumps(query, ensure_ascii=False))}">'
            '</div><script src="/static/jpaas/publish-front.js"></script>')
    return shell(site, list_title(site, f"{name}_{site.name}"), body)


def _rows(items: list[Listing], page_no: int, size: int, site: SiteSpec | None = None) -> str:
    chunk = items[(page_no - 1) * size: page_no * size]
    if site is not None and varied(site):   # root-relative or absolute: read from the API's URL
        cls = site.params.get("row_class", "list")
        rows = "".join(
            f"<li class='{cls}-item'><a href='{html.escape(href_for(site, it.url, site.origin + site.column, relative=False))}'"
            + (f" title='{html.escape(it.title)}'>{html.escape(short_title(it.title, 26))}"
               if site.params.get("title_attr", True) else f">{html.escape(it.title)}")
            + f"</a><span class='date'>{html.escape(shown_date(site, it.date))}</span></li>" for it in chunk)
        return rows + f"<div class='pagination' rows='{size}' count='{len(items)}'></div>"
    rows = "".join(
        f"<li class='clearfix'><a href='{html.escape(path_of(it.url))}' title='{html.escape(it.title)}' "
        f"target='_blank'>{html.escape(short_title(it.title, 26))}</a>"
        f"<span class='bt-right'>{it.date}</span></li>" for it in chunk)
    return rows + f"<div class='pagination' rows='{size}' count='{len(items)}'></div>"


def _api(site: SiteSpec, columns: dict[str, list[Listing]], modified: float):
    def handle(req: Req) -> Resource:
        q = req.query
        items = columns.get(q.get("pageId", ""))
        if items is None or q.get("webId") != site.params["webId"]:
            answer = {"success": False, "message": "页面不存在", "data": None}
        else:
            try:
                params = json.loads(q.get("paramJson") or "{}")
                page_no, size = max(1, int(params.get("pageNo", 1))), int(params.get("pageSize", 15))
            except (ValueError, TypeError, AttributeError):
                page_no, size = 1, site.perpage
            answer = {"success": True, "data": {"html": _rows(items, page_no, max(1, size), site)}}
        return Resource(json.dumps(answer, ensure_ascii=False).encode("utf-8"),
                        "application/json;charset=UTF-8", modified)
    return handle


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents, content, items = start_site(site, world, _article)
    folder = column_dir(site)
    main_id = site.params["pageId"]
    columns: dict[str, list[Listing]] = {main_id: []}
    for it in items:
        path = path_of(it.url)
        sub = path[len(folder):].split("/", 1)[0] if path.startswith(folder) else ""
        if sub.isdigit():
            page_id = str(int(main_id) + int(sub))
            if page_id not in columns:
                columns[page_id] = []
                content.add(f"{folder}{sub}/szf/index.html", html_resource(
                    _column_page(site, f"{sub}年", page_id), site, epoch("2023-06-01")))
            columns[page_id].append(it)
        else:
            columns[main_id].append(it)
    modified = newest(items)
    years = sorted((str(int(k) - int(main_id)) for k in columns if k != main_id), reverse=True)
    page = html_resource(_column_page(site, site.column_name, main_id, years), site,
                         epoch("2023-06-01"))
    content.add(site.column, page)
    content.handlers[API_PATH] = _api(site, columns, modified)
    return contents
