"""Epoint (新点) WebBuilder district site (黄浦 hpq.sh.gov.cn, before its move): a category list
``/shhp/ShowInfo/MoreInfo.aspx?CategoryNum=<code>`` paged by ``&pageing=N`` with the page count
only in ``var totalPageNums = N``, rows ``li.ewb-list-node`` (``span.ewb-list-date``), articles at
``/shhp/InfoDetail/?InfoID=<uuid>&CategoryNum=<code>`` with the breadcrumb, the byline
"公开部门：区府办 发布时间：2017/2/23" (slashes, no padding) and the body in ``#mainContent``.

``SiteSpec.params``: ``category`` (the CategoryNum), ``office`` (the 公开部门 abbreviation).
Pages are addressed by their query string (the server looks a path+query up first).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
from typing import TYPE_CHECKING

from ..pages import shell, short_title
from ..site import HostContent, Listing, SiteSpec
from .common import add_list_pages, list_title, path_of, served_at, start_site, varied, varied_rows

if TYPE_CHECKING:
    from ..world import World

__all__ = ["article_url", "attachment_url", "build", "list_url"]


def _uuid(*parts: object) -> str:
    h = hashlib.md5(":".join(map(str, parts)).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    return (f"{site.origin}/{site.params.get('slug', 'shhp')}/InfoDetail/?InfoID={_uuid(site.id, ident)}"
            f"&CategoryNum={site.params['category']}")


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    return served_at(f"{site.origin}/{site.params.get('slug', 'shhp')}/AttachStorage/{date:%Y%m}/"
                     f"{_uuid('att', ident)}.{kind}")


def list_url(site: SiteSpec, n: int) -> str:
    return site.column if n == 1 else f"{site.column}&pageing={n}"


def _article(site: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
    day = dt.date.fromisoformat(date[:10])
    crumbs = ("首页 &gt; 政府信息公开 &gt; 黄浦区人民政府 &gt; 政府信息公开年度报告 &gt; "
              "区政府信息公开年度报告")
    page = (f'<div class="ewb-location">{crumbs}</div><div class="ewb-article">'
            f'<h2 class="ewb-article-tt">{html.escape(title)}</h2>'
            f'<p class="ewb-article-info">公开部门：{html.escape(site.params["office"])}　'
            f"发布时间：{day.year}/{day.month}/{day.day}</p>"
            f'<div id="mainContent" class="ewb-article-content">{body}</div></div>')
    return shell(site, title, page)


def _list_page(site: SiteSpec, items: list[Listing], n: int, total: int) -> str:
    if varied(site):
        rows = varied_rows(site, items, site.origin + list_url(site, n))
        quote = '"' if n % 2 else ""
        body = (f'<div class="ewb-column"><div class="ewb-column-tt">{html.escape(site.column_name)}</div>'
                f'{rows}<div class="ewb-page" id="Paging"></div>'
                f"<script>var totalPageNums = {quote}{total}{quote}; var currentPageIndex = {n};</script></div>")
        return shell(site, list_title(site, site.column_name), body)
    rows = "\n".join(
        f'<li class="ewb-list-node clearfix"><a href="{html.escape(path_of(it.url))}" '
        f'title="{html.escape(it.title)}" target="_blank" class="ewb-list-name">'
        f'{html.escape(short_title(it.title, 28))}</a><span class="ewb-list-date">{it.date}</span></li>'
        for it in items)
    body = (f'<div class="ewb-column"><div class="ewb-column-tt">{html.escape(site.column_name)}</div>'
            f'<ul class="ewb-list">\n{rows}\n</ul><div class="ewb-page" id="Paging"></div>'
            f"<script>var totalPageNums = {total}; var currentPageIndex = {n};</script></div>")
    return shell(site, f"{site.column_name}", body)


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents, content, items = start_site(site, world, _article)
    add_list_pages(content, site, items, lambda n: list_url(site, n), _list_page)
    return contents
