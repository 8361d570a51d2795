"""Zhejiang per-unit annual-report pages (信息公开平台 on Hanweb):
``/module/xxgk/xxgkAnnualReport.jsp?area=<unit code>&fbtime=<year>`` shows one unit's report of one
year (title, "发布时间：YYYY-MM-DD", body); without ``fbtime`` it shows the newest one. Every page
carries the unit's year tabs, each ``<a href="…?area=…&fbtime=Y" title="<full title>">Y年</a>``.
Unit codes are 9-digit org codes, 15-digit codes or 18-char credit codes (``PublisherSpec.area``).
"""
from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from ..pages import epoch, meta_set, shell
from ..site import HostContent, SiteSpec, html_resource
from ..truth import ReportTruth
from .common import fill_site, href_for, path_of, served_at, varied

if TYPE_CHECKING:
    from ..world import PublisherSpec, World

__all__ = ["article_url", "report_url", "attachment_url", "build", "PAGE"]

PAGE = "/module/xxgk/xxgkAnnualReport.jsp"


def article_url(site: SiteSpec, date: dt.date, ident: int) -> str:
    # no free-standing articles on this module: other pages sit in the site's columns
    return f"{site.origin}/art/{date.year}/{date.month}/{date.day}/art_1229000000_{ident}.html"


def report_url(site: SiteSpec, spec: "PublisherSpec", year: int, date: dt.date, ident: int) -> str:
    return f"{site.origin}{PAGE}?area={spec.area}&fbtime={year}"


def attachment_url(site: SiteSpec, page_url: str, date: dt.date, ident: int,
                   kind: str) -> tuple[str, str]:
    return served_at(f"{site.origin}/module/xxgk/file/{ident}.{kind}")


def _area(url: str) -> str:
    return url.split("area=", 1)[1].split("&", 1)[0]


def _tabs(reports: list[ReportTruth], site: SiteSpec | None = None) -> str:
    def href(r: ReportTruth) -> str:
        return href_for(site, r.page_url, r.page_url) if site is not None and varied(site) \
            else path_of(r.page_url)
    return '<div class="year-tab">' + "".join(
        f'<a href="{html.escape(href(r))}" title="{html.escape(r.title)}">{r.year}年</a>'
        for r in reports) + "</div>"


def _page(site: SiteSpec, report: ReportTruth, body: str, tabs: str) -> str:
    page = (f'<div class="xxgk-nb">{tabs}<div class="nb-title">{html.escape(report.title)}</div>'
            f'<div class="nb-time">发布时间：{report.published}</div>'
            f'<div class="nb-content" id="zoom">{body}</div></div>')
    return shell(site, f"政府信息公开年报_{site.name}", page,
                 meta_set(site, report.title, report.published, report.office, with_pubdate=False))


def build(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    contents: dict[str, HostContent] = {}
    bodies: dict[str, str] = {}

    def capture(site_: SiteSpec, title: str, date: str, source: str, body: str, kind: str) -> str:
        bodies[title] = body
        return ""

    fill_site(contents, site, world, capture)
    content = contents[site.host]
    units: dict[str, list[ReportTruth]] = {}
    for r in world.truth.reports:
        if r.site == site.id and r.page_url:
            units.setdefault(_area(r.page_url), []).append(r)
    for area, reports in units.items():
        reports.sort(key=lambda r: r.year, reverse=True)
        tabs = _tabs(reports, site)
        for r in reports:
            content.add(path_of(r.page_url), html_resource(
                _page(site, r, bodies[r.title], tabs), site, epoch(r.published)))
        content.add(f"{PAGE}?area={area}", html_resource(
            _page(site, reports[0], bodies[reports[0].title], tabs), site, epoch(reports[0].published)))
    return contents
