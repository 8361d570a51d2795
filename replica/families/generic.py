"""A site without a profile, for the generic mode: a plain column ``index.html``, further pages
``list_2.html`` … reached by numbered links and 下一页/尾页, rows ``<li><a>title</a>[YYYY-MM-DD]``,
articles at ``/zwgk/gknb/YYYYMM/<id>.html`` with a "发布日期：YYYY/M/D" byline and no meta set.
"""
from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from ..pages import shell
from ..site import HostContent, Listing, SiteSpec
from .common import (add_list_pages, column_dir, list_title, numbered_page, path_of, served_at,
                     start_site, varied, varied_rows)

if TYPE_CHECKING:
    from ..world import World

__all__ = ["article_url", "attachment_url", "build", "page_name", "pager"]


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    return f"{site.origin}{column_dir(site)}{date:%Y%m}/{ident}.html"


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    return served_at(f"{site.origin}{column_dir(site)}files/{ident}.{kind}")


def page_name(n: int) -> str:
    """1-based page number -> file name."""
    return numbered_page(n, "list_")


def _article(site: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
    day = dt.date.fromisoformat(date[:10])
    info = f"发布日期：{day.year}/{day.month}/{day.day}　来源：{html.escape(source)}"
    page = (f'<div class="article"><h1>{html.escape(title)}</h1><p class="info">{info}</p>'
            f'<div class="content">{body}</div></div>')
    return shell(site, title, page)


def pager(n: int, total: int, page_name=page_name, numbers: bool = True,
          next_text: str = "下一页") -> str:
    """首页 / 上一页 / numbered / 下一页 / 尾页 links of page ``n`` (1-based) of ``total``."""
    links = [f'<a href="{page_name(1)}">首页</a>']
    if n > 1:
        links.append(f'<a href="{page_name(n - 1)}">上一页</a>')
    if numbers:
        links += [f"<span>{i}</span>" if i == n else f'<a href="{page_name(i)}">{i}</a>'
                  for i in range(1, total + 1)]
    if n < total:
        links.append(f'<a href="{page_name(n + 1)}">{html.escape(next_text)}</a>')
    links.append(f'<a href="{page_name(total)}">尾页</a>')
    return '<div class="pages">' + " ".join(links) + "</div>"


def _name(site: SiteSpec):
    later = site.params.get("later", "list_")
    return lambda n: numbered_page(n, later)


def _list_page(site: SiteSpec, items: list[Listing], n: int, total: int) -> str:
    if varied(site):
        rows = varied_rows(site, items, site.origin + column_dir(site) + _name(site)(n))
        nav = pager(n, total, _name(site), not site.params.get("next_only"),
                    site.params.get("next_text", "下一页"))
        body = (f'<div class="side"><a href="/xwzx/index.html">通知公告</a></div>'
                f'<div class="column"><h2>{html.escape(site.column_name)}</h2>{rows}{nav}</div>')
        return shell(site, list_title(site, f"{site.column_name}-{site.name}"), body)
    rows = "\n".join(f'<li><a href="{html.escape(path_of(it.url))}">{html.escape(it.title)}</a>'
                     f"[{it.date}]</li>" for it in items)
    body = (f'<div class="side"><a href="/zwgk/tzgg/index.html">通知公告</a> '
            f'<a href="http://www.yuhang.gov.cn/">余杭区政府门户</a></div>'
            f'<div class="column"><h2>{html.escape(site.column_name)}</h2>'
            f'<ul class="news-list">\n{rows}\n</ul>{pager(n, total)}</div>')
    return shell(site, f"{site.column_name}-{site.name}", body)


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents, content, items = start_site(site, world, _article)
    add_list_pages(content, site, items, lambda n: column_dir(site) + _name(site)(n), _list_page)
    return contents
