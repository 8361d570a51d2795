"""What every family does the same way: walk a site's reports and listings and add their files.

``fill_site(content, site, world, article)`` adds, for each report of the site, its page (drawn by
the family's ``article`` function), its attachments (lazy PDF/DOCX) and, for each listing on the
site's host, the portal copies, non-report pages and the soft-404 page of a dead link.
``article(site, title, date, source, body, kind) -> str`` is the family's page markup.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..pages import attachment_resource, clock_of, epoch, noise_body, report_body, shell, soft404
from ..site import HostContent, Listing, SiteSpec, html_resource
from ..truth import NoiseTruth, ReportTruth

if TYPE_CHECKING:
    from ..world import World

__all__ = ["fill_site", "path_of", "host_of", "ArticleFn", "ListPageFn", "column_items", "pages_of",
           "newest", "start_site", "column_dir", "served_at", "numbered_page", "add_list_pages"]

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


def _links(site: SiteSpec, report: ReportTruth, page_url: str) -> list[tuple[str, str]]:
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
            text = article(site, report.title, date, report.office,
                           report_body(report, _links(site, report, report.page_url)), "report")
            ctype = "text/html; charset=utf-8" if report.key in world.mismatched else None
            content.add(path_of(report.page_url),
                        html_resource(text, site, epoch(report.published), ctype))
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
