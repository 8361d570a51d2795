"""Guangdong portal columns (深圳 ``www.sz.gov.cn/cn/xxgk/ndxxgkbg/``): a static list ``index.html``,
``index_2.html`` … reached by numbered links and 下一页, rows ``<li><a>title</a><span>date</span>``,
articles ``<column>/content/post_<id>.html`` with the header "信息来源：深圳市人民政府办公厅
信息提供日期：2021-03-10 18:07" and no meta set. Crawled by the generic family with the
``post_`` link shape.
"""
from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from ..pages import shell, short_title
from ..site import HostContent, Listing, SiteSpec
from .common import (add_list_pages, column_dir, list_title, numbered_page, path_of, served_at,
                     start_site, varied, varied_rows)
from .generic import pager

if TYPE_CHECKING:
    from ..world import World

__all__ = ["article_url", "attachment_url", "build"]


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    return f"{site.origin}{column_dir(site)}content/post_{ident}.html"


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    return served_at(f"{site.origin}/attachment/0/{ident % 1000}/{ident}.{kind}")


def _article(site: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
    info = (f'<div class="tit_info"><span>信息来源：{html.escape(source)}</span>　'
            f"<span>信息提供日期：{date}</span></div>")
    page = (f'<div class="zx_rm_tit"><h3>{html.escape(title)}</h3>{info}</div>'
            f'<div class="news_cont_d_wrap">{body}</div>')
    return shell(site, f"{title}--{site.name}", page)


def _name(site: SiteSpec):
    later = site.params.get("later", "index_")
    return lambda n: numbered_page(n, later)


def _list_page(site: SiteSpec, items: list[Listing], n: int, total: int) -> str:
    if varied(site):
        rows = varied_rows(site, items, site.origin + column_dir(site) + _name(site)(n))
        body = (f'<div class="zx_ml_list"><h2>{html.escape(site.column_name)}</h2>{rows}'
                f"{pager(n, total, _name(site))}</div>")
        return shell(site, list_title(site, f"{site.column_name}--{site.name}"), body)
    rows = "\n".join(f'<li><a href="{html.escape(path_of(it.url))}" title="{html.escape(it.title)}">'
                     f"{html.escape(short_title(it.title, 30))}</a><span>{it.date}</span></li>"
                     for it in items)
    body = (f'<div class="zx_ml_list"><h2>{html.escape(site.column_name)}</h2><ul>\n{rows}\n</ul>'
            f"{pager(n, total, numbered_page)}</div>")
    return shell(site, f"{site.column_name}--{site.name}", body)


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents, content, items = start_site(site, world, _article)
    add_list_pages(content, site, items, lambda n: column_dir(site) + _name(site)(n), _list_page)
    return contents
