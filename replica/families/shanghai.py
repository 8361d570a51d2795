"""Shanghai family (www.shanghai.gov.cn): the column ``/nw12344/index.html`` (rows
``ul.tadaty-list.uli14.nowrapli.list-date li`` with ``span.time``), further pages ``index_2.html`` …
whose count is only in a jQuery pager call ``$(".pagination").pagination("setPage", cur, total)``;
articles ``/nw12344/<YYYYMMDD>/<32hex>.html``; the 2019 report migrated to
``/nw12344/20200813/0001-12344_<n>.html``; reports before ``params["legacy_before"]`` on the old site,
``/nw2/nw2314/nw2319/nw12344/u26aw<n>.html``, **GBK** (meta gb2312, no charset in the header) with
``#ivs_title`` / ``#ivs_content`` and no meta set.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
import html
from typing import TYPE_CHECKING

from ..pages import meta_set, shell, short_title
from ..site import HostContent, Listing, Resource, SiteSpec
from .common import (add_list_pages, column_dir, list_title, numbered_page, path_of, served_at,
                     start_site, varied, varied_rows)

if TYPE_CHECKING:
    from ..world import PublisherSpec, World

__all__ = ["article_url", "report_url", "attachment_url", "build", "LEGACY_DIR"]

LEGACY_DIR = "/nw2/nw2314/nw2319/nw12344/"


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    name = hashlib.md5(f"{site.id}:{ident}".encode()).hexdigest()
    return f"{site.origin}{column_dir(site)}{date:%Y%m%d}/{name}.html"


def report_url(site: SiteSpec, spec: "PublisherSpec", year: int, date: dt.date, ident: int) -> str:
    if year < site.params.get("legacy_before", 0):
        return f"{site.origin}{LEGACY_DIR}u26aw{ident % 100000}.html"
    if year == site.params.get("migrated_year"):
        return f"{site.origin}{column_dir(site)}{date:%Y%m%d}/0001-12344_{ident % 100000}.html"
    return article_url(site, date, ident)


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    return served_at(f"{site.origin}/cmsres/{ident % 100:02d}/"
                     f"{hashlib.md5(str(ident).encode()).hexdigest()}.{kind}")


def _is_legacy(site: SiteSpec, title: str) -> bool:
    return any(f"{y}年" in title for y in range(2008, site.params.get("legacy_before", 0)))


def _article(site: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
    # the location line keeps a year-first title from being read as the header's continuation
    crumb = '<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>'
    if _is_legacy(site, title):
        page = (f'{crumb}<table width="100%"><tr><td id="ivs_title" class="title">{html.escape(title)}</td></tr>'
                f'<tr><td class="date">发布日期：{date[:10]}</td></tr>'
                f'<tr><td><div id="ivs_content">{body}</div></td></tr></table>')
        return shell(_gbk(site), title, page)
    day = dt.date.fromisoformat(date[:10])
    info = f'<small class="PBtime">发布日期：{day:%Y/%m/%d} {date[11:16]}:00</small>'
    page = (f'{crumb}<div class="Article"><h2 id="ivs_title" class="Article-title">{html.escape(title)}</h2>'
            f'{info}<div id="ivs_content" class="Article_content">{body}</div></div>')
    return shell(site, f"{title}_{site.name}", page, meta_set(site, title, date, source))


def _gbk(site: SiteSpec) -> SiteSpec:
    return replace(site, encoding="gbk")


def _list_page(site: SiteSpec, items: list[Listing], n: int, total: int) -> str:
    if varied(site):
        rows = varied_rows(site, items, site.origin + column_dir(site) + numbered_page(n))
        script = (f"<script>var pageConfig = {{totalPage: {total}, currentPage: {n}}};</script>"
                  if site.params.get("pager") == "totalpage" else
                  f'<script>$(function(){{$(".pagination").pagination("setPage", {n}, {total});}});</script>')
        body = (f'<div class="main-right"><h3>{html.escape(site.column_name)}</h3>{rows}'
                f'<div class="pagination"></div>{script}</div>')
        return shell(site, list_title(site, f"{site.column_name}_{site.name}"), body)
    rows = "\n".join(
        f'<li><a href="{html.escape(path_of(it.url))}" title="{html.escape(it.title)}" target="_blank">'
        f'{html.escape(short_title(it.title, 30))}</a><span class="time">{it.date}</span></li>'
        for it in items)
    script = (f'<script>$(function(){{$(".pagination").pagination("setPage", {n}, {total});}});'
              "</script>")
    body = (f'<div class="main-right"><h3>{html.escape(site.column_name)}</h3>'
            f'<ul class="tadaty-list uli14 nowrapli list-date">\n{rows}\n</ul>'
            f'<div class="pagination"></div>{script}</div>')
    return shell(site, f"{site.column_name}_{site.name}", body)


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents, content, items = start_site(site, world, _article)
    # the old site's pages are GBK: encode them so, with no charset in the header
    for path in list(content.files):
        if path.startswith(LEGACY_DIR):
            old = content.files[path]
            text = old.body.decode("utf-8")
            content.files[path] = Resource(text.encode("gbk", "xmlcharrefreplace"), "text/html",
                                           old.last_modified)
    add_list_pages(content, site, items, lambda n: column_dir(site) + numbered_page(n), _list_page)
    return contents
