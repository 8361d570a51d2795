"""TRS WCM family: static lists ``index.html``, ``index_1.html`` … whose page count is only in a
``createPageHTML(...)`` script, articles at ``./YYYYMM/tYYYYMMDD_N.<ext>``, attachments
``P0YYYYMMDD<12 digits>.<ext>`` beside the article.

``SiteSpec.params``: ``ext`` (html | htm | shtml) and ``pager``, the argument layout of the
script: ``plain`` ``createPageHTML(total, cur0, "index", "html")``, ``styled`` the same plus
style name and record count, ``page_div`` ``createPageHTML('page_div', total, cur1, 'index',
'htm', records)`` with a 1-based current page. ``byline``: a format with {date} and {source}.
One page past the last answers a meta refresh back to ``./`` (as 人社部 does). ``docwrite``: the
rows are written only by ``document.write('…')`` scripts (海淀 zyk.bjhd.gov.cn).
"""
from __future__ import annotations

import datetime as dt
import html
import re
from typing import TYPE_CHECKING

from ..pages import meta_refresh, meta_set, relative_to, shell, short_title
from ..site import HostContent, Listing, SiteSpec
from .common import (add_list_pages, list_title, path_of, served_at, start_site, varied,
                     varied_rows)

if TYPE_CHECKING:
    from ..world import World

__all__ = ["article_url", "attachment_url", "build", "pager_script"]

_NEW_EDITOR_FROM = 2015
_BYLINES = {
    "plain": "发布时间：{date} 来源：{source}",
    "page_div": "时间：{day} 来源：{source}",
    "styled": "来源：{source} 时间：{date}",
}


def _column_dir(site: SiteSpec) -> str:
    return site.origin + site.column.rsplit("/", 1)[0] + "/"


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    return f"{_column_dir(site)}{date:%Y%m}/t{date:%Y%m%d}_{ident}.{site.params['ext']}"


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    return served_at(f"{page_url.rsplit('/', 1)[0]}/P0{date:%Y%m%d}{ident:012d}.{kind}")


def pager_script(layout: str, total: int, current0: int, ext: str, records: int) -> str:
    if layout == "pagecontrol":   # Hubei style
        return f'pageControl({total}, {current0}, "index", "{ext}", {records}, \'pages-nav\');'
    if layout == "styled":
        return f'createPageHTML({total}, {current0}, "index", "{ext}", "black2", {records});'
    if layout == "page_div":
        return f"createPageHTML('page_div', {total}, {current0 + 1}, 'index', '{ext}', {records});"
    return f'createPageHTML({total}, {current0}, "index", "{ext}");'


def _article(site: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
    byline = _BYLINES.get(site.params["pager"], _BYLINES["plain"]).format(date=date, day=date[:10], source=source)
    year = re.search(r"(20\d\d)年", title)
    # the classic editor wraps old pages, the newer one everything published since
    container = ('<div class="TRS_Editor"><div class="Custom_UnionStyle">{}</div></div>'
                 if year and int(year.group(1)) < _NEW_EDITOR_FROM
                 else '<div class="trs_editor_view TRS_UEDITOR trs_paper_default">{}</div>')
    page = (f'<div class="main"><div class="crumb">首页 &gt; 政务公开 &gt; {html.escape(site.column_name)}</div>'
            f'<h1 class="article-title">{html.escape(title)}</h1>'
            f'<div class="article-info">{html.escape(byline)}</div>'
            f'<div id="zoom">{container.format(body)}</div></div>')
    return shell(site, f"{title}_{site.name}", page, meta_set(site, title, date, source))


def _page_name(n: int, ext: str) -> str:
    """1-based page number -> file name (TRS numbers the second page ``index_1``)."""
    return f"index.{ext}" if n == 1 else f"index_{n - 1}.{ext}"


def _list_page(site: SiteSpec, items: list[Listing], n: int, total: int, records: int) -> str:
    base = _column_dir(site)
    if varied(site):
        rows = varied_rows(site, items, base + _page_name(n + 1, site.params["ext"]))
    else:
        rows = "\n".join(
            f'<li><a href="{html.escape(relative_to(base, it.url))}" title="{html.escape(it.title)}" '
            f'target="_blank">{html.escape(short_title(it.title))}</a><span>{it.date}</span></li>'
            for it in items)
    if site.params.get("docwrite"):   # 海淀 style: rows exist only inside JS strings
        rows = "\n".join("<script>document.write('" + row.replace("'", "\\'") + "');</script>"
                         for row in rows.split("\n"))
    script = pager_script(site.params["pager"], total, n, site.params["ext"], records)
    box = ("<div class=\"list_ul\">\n{}\n</div>" if varied(site)
           else "<ul class=\"list_ul\">\n{}\n</ul>").format(rows)
    body = (f'<div class="list"><h2>{html.escape(site.column_name)}</h2>\n{box}\n'
            f'<div class="page" id="page_div"><script type="text/javascript">{script}</script></div></div>')
    return shell(site, list_title(site, f"{site.column_name}_{site.name}"), body,
                 f'<meta name="ColumnName" content="{html.escape(site.column_name)}">\n'
                 if site.params.get("title_named", True) else "")


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents, content, items = start_site(site, world, _article)
    ext = site.params["ext"]
    col_dir = path_of(_column_dir(site))
    total = add_list_pages(content, site, items, lambda n: col_dir + _page_name(n, ext),
                           lambda s, chunk, n, total: _list_page(s, chunk, n - 1, total, len(items)))
    content.add(col_dir + _page_name(total + 1, ext), meta_refresh(site))
    content.add(col_dir, content.files[col_dir + _page_name(1, ext)])
    return contents
