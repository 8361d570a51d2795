"""The site profile: what the crawler knows about one site, as typed frozen dataclasses.

Built by ``scraper.profiles.loader`` from a TOML file (``scraper/profiles/sites/*.toml``); read by
the engine (hosts, entries, request policy, filter) and by the family's discovery module (list,
pagination, article, attachment rules and the family ``options``). A field left ``None`` or empty
means "the family module's default". Nothing here can switch robots.txt off.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..report_filter import DEFAULT_FILTER, FilterRules

__all__ = ["LEVELS", "Entry", "ListRules", "Pagination", "ArticleRules", "AttachmentRules",
           "RequestPolicy", "SiteProfile", "DEFAULT_ATTACHMENT_EXTENSIONS"]

LEVELS = ("central", "province", "city", "district", "county", "town", "department")
DEFAULT_ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "rtf", "zip", "txt")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Entry:
    """One annual-report column. ``url`` may hold ``{year}`` (one URL per year of ``years``) and
    ``{unit}`` (one per item of ``units``, e.g. the ``area`` codes of a per-unit report page)."""

    url: str
    years: tuple[int | None, int | None] = (None, None)
    label: str = ""
    units: tuple[str, ...] = ()

    @property
    def templated(self) -> bool:
        return "{year}" in self.url

    def urls(self, year_from: int | None, year_to: int | None,
             current_year: int | None = None) -> list[str]:
        """The concrete URLs of this entry within a year range (newest year first), never for a
        year after ``current_year`` (default: this year by the clock): those columns do not
        exist yet."""
        bases = [self.url.replace("{unit}", u) for u in self.units] if "{unit}" in self.url \
            else [self.url]
        if not self.templated:
            return bases
        lo = max(y for y in (self.years[0], year_from, 2008) if y is not None)
        now = current_year if current_year is not None else datetime.date.today().year
        hi = min(y for y in (self.years[1], year_to, now) if y is not None)
        return [b.replace("{year}", str(y)) for y in range(hi, lo - 1, -1) for b in bases]


@dataclass(frozen=True, slots=True)
class ListRules:
    #: CSS selector of one list row; ``None``: the family's default
    item: str | None = None
    #: CSS selector of the link inside a row
    link: str = "a"
    #: CSS selector of the listed date inside a row; ``None``: the first date-looking text
    date: str | None = None
    #: prefer the anchor's ``title=`` (list texts are often cut short with …)
    title_attr: bool = True
    #: regexes on the absolute href a report link must match (any); empty: the family's default
    link_patterns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pagination:
    #: the family's pager reading, or ``none`` (one page), or ``next_link`` (下一页 anchors)
    kind: str = "family"
    #: list pages read per entry at most
    max_pages: int = 200
    #: anchor texts that lead to the next page (``next_link`` and the generic family)
    next_texts: tuple[str, ...] = ("下一页", "下页", "后一页", "next", ">")


@dataclass(frozen=True, slots=True)
class ArticleRules:
    #: body containers in priority order (CSS)
    content: tuple[str, ...] = ()
    #: 信息公开 metadata-table label -> field (labels matched with spaces removed)
    meta_labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class AttachmentRules:
    #: regexes on the absolute href of an attachment link (any); empty: the family's default
    patterns: tuple[str, ...] = ()
    extensions: tuple[str, ...] = DEFAULT_ATTACHMENT_EXTENSIONS
    #: attachments (and their redirects) may also come from any host under these domains
    #: (``gov.cn``: the government attachment hosts a site links to)
    domains: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestPolicy:
    #: seconds between request starts per host (real sites: at least 1)
    delay: float = 1.0
    #: connections per host
    concurrency: int = 1
    #: extra request headers (e.g. X-Requested-With for a list proxy)
    headers: Mapping[str, str] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    name: str
    title: str
    region: str
    level: str
    family: str
    hosts: tuple[str, ...]
    entries: tuple[Entry, ...]
    region_code: str | None = None
    agency: str | None = None
    parent: str | None = None
    listing: ListRules = ListRules()
    pagination: Pagination = Pagination()
    article: ArticleRules = ArticleRules()
    attachments: AttachmentRules = AttachmentRules()
    #: ``auto`` (BOM > header > meta > detection) or a codec forced for every page
    encoding: str = "auto"
    request: RequestPolicy = RequestPolicy()
    filter: FilterRules = DEFAULT_FILTER
    #: family-specific settings (e.g. Hanweb ``webid``), checked by the family module
    options: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    #: how far the profile was checked: ``live YYYY-MM-DD``, ``replica``, ``replica-family-only``
    verified: str = "unverified"
    notes: str = ""
    source: str = ""
    #: every host under these domains is the site's too (generic mode: the site's gov.cn domain)
    domains: tuple[str, ...] = ()

    def in_scope(self, url: str, attachment: bool = False) -> bool:
        """Whether ``url`` is on one of this site's official hosts (or under its ``domains``);
        an ``attachment`` may also be under ``attachments.domains``. Only on the standard port of
        its scheme, or an entry URL's own origin: another port of the same host is another server
        (``scraper.scope``)."""
        from ..scope import port_in_scope

        m = _HOST.match(url)
        if not m or not port_in_scope(url, (e.url for e in self.entries)):
            return False
        host = m.group(1).lower().rstrip(".")
        if host in self.hosts or _under(host, self.domains):
            return True
        return attachment and _under(host, self.attachments.domains)

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


_HOST = re.compile(r"^https?://([^/:?#]+)", re.I)


def _under(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)
