"""What every family does the same way: walk a site's reports and listings and add their files.

``fill_site(content, site, world, article)`` adds, for each report of the site, its page (drawn by
the family's ``article`` function), its attachments (lazy PDF/DOCX) and, for each listing on the
site's host, the portal copies, non-report pages and the soft-404 page of a dead link.
``article(site, title, date, source, body, kind) -> str`` is the family's page markup.
"""
from __future__ import annotations

import hashlib
import html
import posixpath
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..pages import (attachment_resource, clock_of, epoch, noise_body, report_body, shell,
                     short_title, soft404, viewer_body)
from ..site import HostContent, Listing, SiteSpec, html_resource
from ..truth import NoiseTruth, ReportTruth

if TYPE_CHECKING:
    from ..world import World

__all__ = ["fill_site", "path_of", "host_of", "ArticleFn", "ListPageFn", "column_items", "pages_of",
           "newest", "start_site", "column_dir", "served_at", "numbered_page", "add_list_pages",
           "varied", "href_for", "shown_date", "varied_rows", "list_title", "ofd_name"]

ArticleFn = Callable[[SiteSpec, str, str, str, str, str], str]
# (site, rows of one page, 1-based page number, page count) -> the list page's markup
ListPageFn = Callable[[SiteSpec, list[Listing], int, int], str]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def host_of(url: str) -> str:
    return urlsplit(url).hostname or ""


def served_at(url: str) -> tuple[str, str]:
    """``attachment_url``'s answer for a file served where it is linked: (link URL, final URL)."""
    return url, url


def numbered_page(n: int, later: str = "index_") -> str:
    """1-based list page number -> file name: ``index.html``, then ``<later><n>.html``."""
    return "index.html" if n == 1 else f"{later}{n}.html"


def column_dir(site: SiteSpec) -> str:
    """The folder of the site's column page (``/a/b/`` for ``/a/b/index.html``)."""
    return site.column.rsplit("/", 1)[0] + "/"


def column_items(site: SiteSpec, world: "World") -> list[Listing]:
    """The rows of a site's column, newest first."""
    return sorted(world.listings[site.id], key=lambda it: it.date, reverse=True)


def pages_of(items: list[Listing], perpage: int) -> list[list[Listing]]:
    """Rows cut into list pages (one empty page for an empty column)."""
    return [items[i:i + perpage] for i in range(0, len(items), perpage)] or [[]]


def newest(items: list[Listing]) -> float:
    """Last-Modified of a list: its newest row's date."""
    return epoch(max((it.date for it in items), default="2020-01-01"))


def add_list_pages(content: HostContent, site: SiteSpec, items: list[Listing],
                   path_of_page: Callable[[int], str], list_page: ListPageFn) -> int:
    """Cut the column's rows into pages of ``site.perpage`` and add each at ``path_of_page(n)``
    (1-based), dated by its newest row; returns the page count."""
    pages = pages_of(items, site.perpage)
    for n, chunk in enumerate(pages, start=1):
        content.add(path_of_page(n), html_resource(list_page(site, chunk, n, len(pages)), site,
                                                   newest(chunk)))
    return len(pages)


# -- the varied markup of generated sites (``replica.generated``; absent params: a family's own) --
def varied(site: SiteSpec) -> bool:
    """Whether the site draws its rows with the generated variations (``params["rows"]``)."""
    return "rows" in site.params


def _pick(key: str, options: tuple):
    return options[int(hashlib.md5(key.encode()).hexdigest()[:8], 16) % len(options)]


def href_for(site: SiteSpec, url: str, page_url: str, relative: bool = True) -> str:
    """How a generated site links ``url`` from ``page_url``: another host always absolute; with
    ``params["links"] == "mixed"`` relative (``./``, ``../``), root-relative or absolute, chosen
    per URL (seeded by it; never relative where the page is a list API answer: ``relative``
    false); else root-relative."""
    target, page = urlsplit(url), urlsplit(page_url)
    if target.netloc != page.netloc or target.scheme != page.scheme:
        return url
    root = path_of(url)
    if site.params.get("links") != "mixed":
        return root
    style = _pick(site.id + url, ("relative", "root", "absolute") if relative else ("root", "absolute"))
    if style == "absolute":
        return url
    if style == "root" or "?" in root:
        return root
    rel = posixpath.relpath(target.path, posixpath.dirname(page.path) or "/")
    if target.path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel if rel.startswith("../") else "./" + rel


def list_title(site: SiteSpec, title: str) -> str:
    """A list page's <title>: as the family writes it, or (``params["title_named"]`` false) only
    the site's name, so that the column is known only by the link that leads to it."""
    return title if site.params.get("title_named", True) else site.name


def shown_date(site: SiteSpec, iso: str) -> str:
    """A row's date as the site shows it (``params["date_fmt"]``: iso, slash, cn, bracket)."""
    y, m, d = iso[:10].split("-")
    fmt = site.params.get("date_fmt", "iso")
    if fmt == "slash":
        return f"{y}/{m}/{d}"
    if fmt == "cn":
        return f"{y}年{int(m)}月{int(d)}日"
    if fmt == "bracket":
        return f"[{iso[:10]}]"
    return iso[:10]


def varied_rows(site: SiteSpec, items: list[Listing], page_url: str, limit: int = 24) -> str:
    """A list's rows in the site's markup (``params["rows"]``: li, table, div, dl), titles in
    ``title=`` and cut short, or whole in the text (``params["title_attr"]``)."""
    cls = site.params.get("row_class", "list")
    out = []
    for it in items:
        href = html.escape(href_for(site, it.url, page_url))
        title = html.escape(it.title)
        if site.params.get("title_attr", True):
            anchor = (f'<a href="{href}" title="{title}" target="_blank">'
                      f"{html.escape(short_title(it.title, limit))}</a>")
        else:
            anchor = f'<a href="{href}" target="_blank">{title}</a>'
        date = html.escape(shown_date(site, it.date))
        out.append({"li": f"<li>{anchor}<span class=\"date\">{date}</span></li>",
                    "table": f"<tr><td class=\"title\">{anchor}</td><td class=\"date\">{date}</td></tr>",
                    "div": f'<div class="item">{anchor}<em>{date}</em></div>',
                    "dl": f"<dd>{anchor}<i>{date}</i></dd>"}[site.params["rows"]])
    rows = "\n".join(out)
    return {"li": f'<ul class="{cls}">\n{rows}\n</ul>',
            "table": f'<table class="{cls}" width="100%">\n{rows}\n</table>',
            "div": f'<div class="{cls}">\n{rows}\n</div>',
            "dl": f'<dl class="{cls}">\n{rows}\n</dl>'}[site.params["rows"]]


def ofd_name(report: ReportTruth) -> str:
    """The file name of a report's OFD copy (linked beside its page, never served)."""
    return f"{hashlib.md5(report.key.encode()).hexdigest()[:12]}.ofd"


def _links(site: SiteSpec, report: ReportTruth, page_url: str) -> list[tuple[str, str]]:
    if varied(site):
        return [(href_for(site, a.url, page_url), a.name) for a in report.attachments]
    page_dir = page_url.rsplit("/", 1)[0] + "/"
    return [("./" + a.url[len(page_dir):] if a.url.startswith(page_dir) else path_of(a.url)
             if host_of(a.url) == site.host else a.url, a.name) for a in report.attachments]


def _home(site: SiteSpec) -> str:
    """The site's home page: a link to the column, or (``params["home"] == "js_shell"``) a tiny
    page that only redirects in JavaScript, as some portals serve."""
    column = html.escape(site.column)
    if site.params.get("home") == "js_shell":
        return (f'<html><head><meta charset="utf-8"><title>{html.escape(site.name)}</title>'
                f"<script>window.location.replace('{column}');</script></head><body></body></html>")
    return shell(site, site.name, f'<div class="nav"><a href="{column}">{html.escape(site.column_name)}</a>'
                 '<a href="/zwgk/">政务公开</a></div>')


def fill_site(contents: dict[str, HostContent], site: SiteSpec, world: "World",
              article: ArticleFn) -> None:
    content = contents.setdefault(site.host, HostContent())
    content.add("/", html_resource(_home(site), site, epoch("2020-01-01")))
    for report in world.truth.reports:
        if report.site != site.id:
            continue
        date = f"{report.published} {clock_of(report.key)}"
        if report.page_url:
            links = _links(site, report, report.page_url)
            view = site.params.get("pdf_view")
            body = (viewer_body(report, links, view) if view and view != "link"
                    and report.primary_url != report.page_url else report_body(report, links))
            if report.key in world.ofd_pages:   # an OFD copy too: linked, never served
                body += (f'\n<p><a href="./{ofd_name(report)}">{html.escape(report.title)}'
                         "（OFD版）</a></p>")
            # a GBK page on a utf-8 site (generated sites): its own meta charset, none in the header
            page_site = replace(site, encoding="gbk") if report.key in world.gbk_pages else site
            text = article(page_site, report.title, date, report.office, body, "report")
            ctype = "text/html; charset=utf-8" if report.key in world.mismatched else None
            content.add(path_of(report.page_url),
                        html_resource(text, page_site, epoch(report.published), ctype))
        for att in report.attachments:
            where = att.final_url or att.url
            kind = where.rsplit(".", 1)[-1]
            contents.setdefault(host_of(where), HostContent()).add(
                urlsplit(where).path, attachment_resource(report, kind))
    for item in world.listings[site.id]:
        if host_of(item.url) != site.host:
            continue
        path = path_of(item.url)
        if item.kind == "copy":
            report = item.target
            text = article(site, report.title, f"{item.date} {clock_of(item.url)}", site.name,
                           report_body(report, []), "copy")
            content.add(path, html_resource(text, site, epoch(item.date)))
        elif item.kind == "missing":
            content.add(path, soft404(site))
        elif item.kind == "noise":
            noise: NoiseTruth = item.target
            text = article(site, noise.title, f"{item.date} {clock_of(item.url)}", site.name,
                           noise_body(noise.title, noise.kind), "noise")
            content.add(path, html_resource(text, site, epoch(item.date)))


def start_site(site: SiteSpec, world: "World", article: ArticleFn
               ) -> tuple[dict[str, HostContent], HostContent, list[Listing]]:
    """A family's build begins here: every report's files added, the site's own host content,
    and its column rows newest first."""
    contents: dict[str, HostContent] = {}
    fill_site(contents, site, world, article)
    return contents, contents[site.host], column_items(site, world)
