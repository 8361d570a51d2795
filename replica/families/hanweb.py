"""Hanweb (大汉) JCMS classic family: ``/col/colN/index.html`` whose first records are CDATA in a
``<script type="text/xml">`` datastore, further records from the jpage XML proxy, articles at
``/art/YYYY/M/D/art_<col>_<id>.html`` and attachments through ``downfile.jsp`` redirecting to
an attachment host.

``SiteSpec.params``: ``webid``, ``columnid``, ``unitid`` and ``proxy`` (the dataproxy path:
``/module/web/jpage/dataproxy.jsp``, or ``/module/jpage/dataproxy.jsp`` on older sites). The proxy
answers ``POST <proxy>?startrecord=&endrecord=&perpage=`` with form fields ``col, appid, webid,
path, columnid, sourceContentType, unitid, webname, permissiontype`` (and ``GET …?page=N``),
returning the datastore with ``<totalrecord>``, ``<totalpage>`` and the ``<record>``s asked for.
A ``columnid`` that is not the column's gives an empty datastore, as the real proxy does.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..pages import meta_set, shell, short_title
from ..site import HostContent, Listing, Req, Resource, SiteSpec, html_resource
from .common import (host_of, href_for, list_title, newest, path_of, shown_date, start_site,
                     varied)

if TYPE_CHECKING:
    from ..world import World

__all__ = ["article_url", "attachment_url", "build", "datastore"]


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    return (f"{site.origin}/art/{date.year}/{date.month}/{date.day}/"
            f"art_{site.params['columnid']}_{ident}.html")


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    name = hashlib.md5(f"{site.id}:{ident}:{kind}".encode()).hexdigest()
    link = f"{site.origin}/module/download/downfile.jsp?classid=0&filename={name}.{kind}"
    final = (f"https://{site.attachment_host}/jcms_files/jcms1/web{site.params['webid']}"
             f"/site/attach/0/{name}.{kind}")
    return link, final


def _article(site: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
    # hashlib, not hash(): str hashes change per process, and the page bytes (ETag) must not
    serial = int(hashlib.md5(title.encode()).hexdigest()[:8], 16) % 100000
    index_no = f"{site.params['unitid']}/{date[:4]}-{serial:05d}"
    byline = (f'<div class="art_info">信息来源：{html.escape(source)} · 发布日期：{date} · 浏览次数：</div>'
              if site.scheme == "https" else "")
    table = ('<table class="xxgk_top" width="100%" border="1" cellspacing="0">'
             f'<tr><td>索 引 号</td><td>{index_no}</td><td>主题分类</td><td>综合政务/其他</td></tr>'
             f'<tr><td>发布机构</td><td>{html.escape(source)}</td><td>发 文 日 期</td><td>{date[:10]}</td></tr>'
             '<tr><td>文　　号</td><td></td><td>有 效 性</td><td>有效</td></tr></table>')
    page = (f'<div class="art_title"><h2>{html.escape(title)}</h2></div>{byline}{table}'
            '<div id="zoom"><!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin-->'
            f'<META name="ContentStart">{body}<META name="ContentEnd">'
            '<!--ZJEG_RSS.content.end--><!--<$[信息内容]>end--></div>')
    return shell(site, title, page, meta_set(site, title, date, source,
                                             with_pubdate=site.scheme == "https"))


def _record(site: SiteSpec, item: Listing) -> str:
    if varied(site):   # root-relative or absolute: the proxy's answers are read from its own URL
        href = href_for(site, item.url, site.origin + site.column, relative=False)
        title = html.escape(item.title)
        text = html.escape(short_title(item.title, 24)) if site.params.get("title_attr", True) else title
        attr = f' title="{title}"' if site.params.get("title_attr", True) else ""
        date = html.escape(shown_date(site, item.date))
        row = (f'<tr><td><a href="{html.escape(href)}"{attr} target="_blank">{text}</a></td><td>{date}</td></tr>'
               if site.params["rows"] == "table" else
               f'<li><a href="{html.escape(href)}"{attr} target="_blank">{text}</a><span>{date}</span></li>')
        return f"<record><![CDATA[{row}]]></record>"
    href = item.url if site.scheme == "https" else path_of(item.url)
    li = (f'<li><a href="{html.escape(href)}" title="{html.escape(item.title)}" target="_blank">'
          f'{html.escape(short_title(item.title, 24))}</a><i>{item.date}</i></li>')
    return f"<record><![CDATA[{li}]]></record>"


def datastore(site: SiteSpec, items: list[Listing], first: int, last: int,
              with_next: bool = False) -> str:
    """The XML datastore of records ``first``..``last`` (1-based, inclusive)."""
    p = site.params
    total_pages = max(1, -(-len(items) // site.perpage))
    nextgroup = ""
    if with_next:
        nextgroup = ("<nextgroup><![CDATA[<a href=\"" + p["proxy"] + "?page=1&webid=" + p["webid"]
                     + "&path=/&columnid=" + p["columnid"] + "&unitid=" + p["unitid"]
                     + "&webname=" + quote(site.name) + "&permissiontype=0\"></a>]]></nextgroup>")
    records = "".join(_record(site, it) for it in items[first - 1:last])
    return (f"<datastore>{nextgroup}<totalrecord>{len(items)}</totalrecord>"
            f"<totalpage>{total_pages}</totalpage><recordset>{records}</recordset></datastore>")


def _column_page(site: SiteSpec, items: list[Listing]) -> str:
    p = site.params
    store = datastore(site, items, 1, site.perpage, with_next=True)
    body = (f'<div class="list"><h2>{html.escape(site.column_name)}</h2>'
            f'<div id="{p["unitid"]}"><script type="text/xml">{store}</script>'
            '<script language="javascript" src="/module/web/jpage/jpage.js"></script>'
            f"<script>var jpageConfig = {{url:'{p['proxy']}', perpage:{site.perpage}, "
            f"webid:'{p['webid']}', columnid:'{p['columnid']}', unitid:'{p['unitid']}', "
            f"sourceContentType:'1', webname:'{site.name}'}};</script></div></div>")
    return shell(site, list_title(site, f"{site.column_name}_{site.name}"), body)


def _proxy(site: SiteSpec, items: list[Listing], modified: float):
    def handle(req: Req) -> Resource:
        fields = {**req.query, **req.form}
        if fields.get("columnid") != site.params["columnid"]:
            chosen: list[Listing] = []
            first, last = 1, 0
        else:
            chosen = items
            perpage = int(fields.get("perpage") or site.perpage)
            if "startrecord" in fields:
                first = max(1, int(fields["startrecord"]))
                last = int(fields.get("endrecord") or first + perpage - 1)
            else:
                page = max(1, int(fields.get("page") or 1))
                first, last = (page - 1) * perpage + 1, page * perpage
        xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + datastore(site, chosen, first, last)
        return Resource(xml.encode("utf-8"), "text/xml;charset=UTF-8", modified)
    return handle


def _downfile(targets: dict[str, str]):
    def handle(req: Req) -> Resource:
        final = targets.get(req.query.get("filename", ""))
        if final is None:
            return Resource("文件不存在".encode("utf-8"), "text/html; charset=utf-8", 0, status=404)
        return Resource(b"", "text/html", 0, status=302, headers={"Location": final})
    return handle


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents, content, items = start_site(site, world, _article)
    modified = newest(items)
    column = html_resource(_column_page(site, items), site, modified)
    content.add(site.column, column)
    content.add(site.column.rsplit("/", 1)[0] + "/", column)
    content.handlers[site.params["proxy"]] = _proxy(site, items, modified)
    targets = {}
    for report in world.truth.reports:
        if report.site == site.id:
            for att in report.attachments:
                if host_of(att.url) == site.host and att.final_url != att.url:
                    targets[att.url.rsplit("filename=", 1)[1]] = att.final_url
    content.handlers["/module/download/downfile.jsp"] = _downfile(targets)
    return contents
