"""From any page of a site to its annual-report column(s): a short, scoped, budgeted walk.

``find_columns(start_url, fetch, profile, in_scope=…) -> StartResult``

The one module of ``scraper.discovery`` that asks for pages, and only through the ``fetch``
callable it is given (``fetch(url, referrer) -> Page | None``: the engine's, so robots.txt, the
host delay, scope and the crawl log apply; ``None`` when nothing usable came back). Best first:
column candidates of ``scraper.discovery.start`` before tree data sources before hubs, fewer hops
first, at most ``max_hops`` links from the start page and ``budget`` pages in all. Each page read:

* a **column** when it names itself one (its title, ColumnName, location or URL word) or was
  reached by a link naming one, *and* its family's reader (``detect_family``) finds report links
  or further list pages on it; a gkmlpt index whose tree holds a 年报 category and a Zhejiang
  per-unit report page are columns by themselves. A column's sibling column links are followed
  too (部门年报 beside 政府信息公开年报); its hubs are not.
* otherwise a **hub**: its column candidates, the tree data it loads and (while no column has
  been found) its best hub links are queued.

Nothing found: the start page itself is the column (the crawl reads what it lists, as a column
URL given on the command line always was). ``StartResult.visits`` says what was read and why.
"""
from __future__ import annotations

import heapq
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from ..report_filter import classify_title
from . import family_module
from .base import Listing, Page, PageRequest
from .detect import GENERIC, Detection, detect_family
from .start import (Candidate, is_column_name, read_start_page, read_tree_data, same_page_key,
                    site_name)

__all__ = ["Visit", "FoundColumn", "StartResult", "find_columns", "MAX_HOPS", "PAGE_BUDGET",
           "assess_column"]

log = logging.getLogger(__name__)

#: links followed from the start page at most (home -> 政务公开 -> 信息公开 -> 目录 -> column)
MAX_HOPS = 4
#: pages read to find the columns at most (tree data sources included)
PAGE_BUDGET = 16
#: hub links followed from one page at most
HUBS_PER_PAGE = 4

Fetch = Callable[[str, "str | None"], "Page | None"]


@dataclass(slots=True)
class Visit:
    url: str
    hop: int
    #: start | column? | hub? | data
    role: str
    #: column | hub | data | failed | not opened
    outcome: str
    why: str = ""
    found_on: str | None = None

    def to_dict(self) -> dict:
        return {"url": self.url, "hop": self.hop, "role": self.role, "outcome": self.outcome,
                "why": self.why, "found_on": self.found_on}


@dataclass(slots=True)
class FoundColumn:
    url: str
    page: Page
    found_on: str | None
    hop: int
    why: list[str]
    detection: Detection

    def to_dict(self) -> dict:
        return {"url": self.url, "found_on": self.found_on, "hop": self.hop, "why": self.why,
                "family": self.detection.family}


@dataclass(slots=True)
class StartResult:
    start: str
    columns: list[FoundColumn] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    pages: int = 0
    budget: int = PAGE_BUDGET
    exhausted: bool = False
    #: no column was found: the start page stands for one
    fallback: bool = False
    #: the body running the site, as the start page names it
    site_name: str = ""

    def to_dict(self) -> dict:
        return {"start": self.start, "site_name": self.site_name,
                "columns": [c.to_dict() for c in self.columns],
                "visits": [v.to_dict() for v in self.visits], "pages": self.pages,
                "budget": self.budget, "exhausted": self.exhausted, "fallback": self.fallback}


def _read(page: Page, family: str, profile) -> Listing:
    """The page as its family's reader sees it (the generic reader's links where it sees none)."""
    request = PageRequest(page.url)
    try:
        listing = family_module(family).read_list(page, profile, request)
    except Exception:   # noqa: BLE001 — a page the reader chokes on is just not a column
        log.debug("reader %s failed on %s", family, page.url, exc_info=True)
        listing = Listing()
    if family != GENERIC and not listing.links:
        try:
            fallback = family_module(GENERIC).read_list(page, profile, request)
        except Exception:   # noqa: BLE001
            fallback = Listing()
        listing = Listing(fallback.links, listing.next_pages)
    return listing


def _special_column(page: Page, family: str, profile) -> str:
    """Pages that are report columns by what they are, not by their name."""
    if family == "gkmlpt":
        gk = family_module("gkmlpt")
        sid, tree = gk.read_config(page.text)
        pattern = profile.option("category_pattern") or gk.DEFAULT_CATEGORY_PATTERN
        if sid and gk.report_categories(tree, pattern):
            return "a gkmlpt index whose tree holds a 年报 category"
    if family == "zj_annual":
        return "a Zhejiang per-unit annual-report page"
    return ""


def assess_column(page: Page, profile, arrived: Candidate | None, named: str
                  ) -> tuple[bool, list[str], Detection, int]:
    """(is it a column, why, its family, report links on it) for a fetched page."""
    detection = detect_family(page.url, page.text)
    special = _special_column(page, detection.family, profile)
    if special:
        return True, [special], detection, 0
    listing = _read(page, detection.family, profile)
    reports = [link for link in listing.links
               if classify_title(link.title, profile.filter).is_report
               and not is_column_name(link.title)]
    name = named or (arrived.why if arrived is not None and arrived.role == "column" else "")
    if name and (reports or listing.next_pages):
        why = [f"named so by {name}" if named else f"reached by {name}",
               f"{len(reports)} report links on its first page"
               + (f", {len(listing.next_pages)} more list pages" if listing.next_pages else "")]
        return True, why, detection, len(reports)
    return False, [], detection, len(reports)


def find_columns(start_url: str, fetch: Fetch, profile, *, in_scope: Callable[[str], bool],
                 max_hops: int = MAX_HOPS, budget: int = PAGE_BUDGET) -> StartResult:
    """Walk from ``start_url`` to the site's annual-report columns (see the module docstring)."""
    result = StartResult(start_url, budget=budget)
    order = {"column": 0, "data": 1, "hub": 2}
    seq = itertools.count()
    queue: list = []
    start_page: Page | None = None
    start_reports = 0

    def push(cand: Candidate | None, url: str, hop: int, found_on: str | None) -> None:
        role = cand.role if cand is not None else "start"
        rank = -1 if cand is None else order[role]
        heapq.heappush(queue, (rank, hop, -(cand.score if cand else 0), next(seq),
                               url, cand, found_on))

    push(None, start_url, 0, None)
    seen: set[str] = set()
    while queue:
        _, hop, _, _, url, cand, found_on = heapq.heappop(queue)
        key = same_page_key(url)
        if key in seen:
            continue
        seen.add(key)
        role = "start" if cand is None else f"{cand.role}?" if cand.role != "data" else "data"
        why = cand.why if cand is not None else "the page given"
        if cand is not None and cand.role == "hub" and result.columns:
            result.visits.append(Visit(url, hop, role, "not opened", "a column was found already",
                                       found_on))
            continue
        if result.pages >= budget:
            result.exhausted = True
            result.visits.append(Visit(url, hop, role, "not opened",
                                       f"page budget of {budget} spent", found_on))
            continue
        page = fetch(url, found_on)
        result.pages += 1
        if page is None:
            result.visits.append(Visit(url, hop, role, "failed", why, found_on))
            continue
        if cand is not None and cand.role == "data":
            found = read_tree_data(page)
            result.visits.append(Visit(url, hop, role, "data",
                                       f"{why}: {len(found)} links", found_on))
            for c in found:
                if c.role != "data" and hop + 1 <= max_hops and in_scope(c.url):
                    push(c, c.url, hop + 1, page.url)
            continue
        reading = read_start_page(page)
        is_column, reasons, detection, n_reports = assess_column(page, profile, cand, reading.named)
        if cand is None:
            start_page, start_reports = page, n_reports
            result.site_name = site_name(page)
        if is_column:
            result.columns.append(FoundColumn(page.url, page, found_on, hop, reasons, detection))
            result.visits.append(Visit(url, hop, role, "column", "; ".join(reasons), found_on))
            nexts = [c for c in reading.columns if c.score >= 3]   # sibling columns only
        else:
            result.visits.append(Visit(url, hop, role, "hub", why, found_on))
            nexts = reading.columns + reading.data + reading.hubs[:HUBS_PER_PAGE]
        for c in nexts:
            next_hop = hop if c.role == "data" else hop + 1
            if next_hop <= max_hops and in_scope(c.url) and same_page_key(c.url) not in seen:
                push(c, c.url, next_hop, page.url)
    if not result.columns and start_page is not None:
        result.fallback = True
        detection = detect_family(start_page.url, start_page.text)
        result.columns.append(FoundColumn(
            start_page.url, start_page, None, 0,
            ["no report column found from it: the page itself is read as one"
             + (f" ({start_reports} report links on it)" if start_reports else "")], detection))
    return result
