"""Coverage: which reports the archive holds, publisher by publisher and year by year.

    coverage_matrix(conn, selection=None, offset=0, limit=None) -> Coverage

Takes an open catalog connection; reads only. A row is a publisher (region and agency, as
``compare`` groups reports), or a crawled site that gave no report at all (its list pages blocked,
disallowed or failing; only when no selection narrows the rows: such a site has no place). A cell
is one of

    parsed    a report of that publisher and year with numbers read from it
    archived  a report archived, its text searchable, but no number read
    failed    no report, and the crawl log has a report page or file of that site and year that
              failed (fetch refused, parse failed) -- the crawler saw it and could not keep it
    missing   none of the above: a gap to look for

Reports are counted once by the one definition (``archive.status.iter_distinct_reports``); a
publisher's site is the crawled site most of its reports came from (of a site whose reports are
mostly that publisher's). The year columns run from the first year archived to the last (at most
``MAX_YEARS``, the latest).

Issue 18, at every size: the rows are built as the distinct reports stream in compare's order (a
publisher's reports stand together) and only the asked page of them (``offset``, ``limit``) is
kept; the counts of each state are over every row. Which reports have numbers is asked a batch at
a time. Before, every report, every report id with numbers and every report's site were held: a
national archive's 1.5 M reports and a page of 140,000 rows × 40 years.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from itertools import chain, groupby
from typing import Any, Iterable, Iterator

from .compare.selection import ReportRow, Selection, year_span
from .status import iter_distinct_reports

__all__ = ["Coverage", "CoverageRow", "coverage_matrix", "STATES", "MAX_YEARS"]

STATES = ("parsed", "archived", "failed", "missing")
MAX_YEARS = 40
_BATCH = 500  # reports whose numbers are asked in one query


@dataclass
class CoverageRow:
    region: str
    agency: str
    site: str | None
    cells: dict[int, str]  # year -> state
    reports: dict[int, int] = field(default_factory=dict)  # year -> the report kept for it
    failures: int = 0  # failures of the row's site the crawl log holds without a year (list pages)

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.region, self.agency) if x) or (self.site or "?")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["label"] = self.label
        d["cells"] = {str(y): s for y, s in self.cells.items()}
        d["reports"] = {str(y): r for y, r in self.reports.items()}
        return d


@dataclass
class Coverage:
    years: list[int]
    rows: list[CoverageRow]  # the asked page of rows
    totals: dict[str, int] = field(default_factory=dict)  # cells in each state, over every row
    total_rows: int = 0
    offset: int = 0

    def counts(self) -> dict[str, int]:
        return {s: self.totals.get(s, 0) for s in STATES}

    def to_dict(self) -> dict[str, Any]:
        return {"years": self.years, "states": list(STATES), "counts": self.counts(), "total_rows": self.total_rows,
                "offset": self.offset, "rows": [r.to_dict() for r in self.rows]}


def _publisher_sites(conn) -> tuple[dict[tuple[str, str], str], set[str]]:
    """(publisher -> its site, every site that gave a report). A site stands for the publisher most
    of its reports are of; a publisher takes, of the sites standing for it, the one most of its
    reports came from (a county's site also lists its towns' reports: they stay the county's)."""
    by_site: dict[str, list[tuple[int, tuple[str, str]]]] = defaultdict(list)
    for site, region, agency, n in conn.execute(
            "SELECT s.site, r.region, COALESCE(r.agency, ''), COUNT(DISTINCT r.id) FROM reports r "
            "JOIN sources s ON s.document_id = r.document_id "
            "WHERE s.kind = 'crawl' AND s.site IS NOT NULL AND r.year IS NOT NULL "
            "GROUP BY s.site, r.region, COALESCE(r.agency, '')"):
        by_site[site].append((int(n), (region or "", agency)))
    best: dict[tuple[str, str], tuple[int, str]] = {}
    for site, publishers in by_site.items():
        n, publisher = max(publishers, key=lambda p: (p[0], p[1]))
        if publisher not in best or (n, best[publisher][1]) > (best[publisher][0], site):
            best[publisher] = (n, site)
    return {publisher: site for publisher, (_, site) in best.items()}, set(by_site)


def _crawl_failures(conn) -> tuple[dict[str, set[int]], Counter]:
    """From the crawl log: site -> years of report pages or files that failed; site -> failures without a year."""
    by_year: dict[str, set[int]] = defaultdict(set)
    without: Counter = Counter()
    for site, year in conn.execute("SELECT site, year FROM frontier WHERE state = 'failed'"):
        if year is None:
            without[site] += 1
        else:
            by_year[site].add(int(year))
    # a document of a crawled site that failed to parse: its year is the one its page was listed with
    for site, year in conn.execute(
            "SELECT s.site, f.year FROM documents d JOIN sources s ON s.document_id = d.id "
            "LEFT JOIN frontier f ON f.url = s.url AND f.site = s.site "
            "WHERE d.status = 'failed' AND s.kind = 'crawl' AND s.site IS NOT NULL"):
        if year is None:
            without[site] += 1
        else:
            by_year[site].add(int(year))
    return by_year, without


def _with_numbers(conn, ids: list[int]) -> set[int]:
    """Those of ``ids`` with at least one number stored (each looked up by its key, not counted)."""
    if not ids:
        return set()
    marks = ", ".join("?" * len(ids))
    return {rid for (rid,) in conn.execute(
        f"SELECT r.id FROM reports r WHERE r.id IN ({marks}) "
        "AND EXISTS (SELECT 1 FROM metric_values m WHERE m.report_id = r.id)", ids)}


def _publisher_runs(conn, reports: Iterable[ReportRow]) -> Iterator[tuple[list[ReportRow], set[int]]]:
    """The distinct reports with a year, a publisher's run at a time, with the ids of those (or of
    the copies behind them) that have numbers: asked a batch of runs at a time."""
    pending: list[list[ReportRow]] = []
    size = 0
    for _, run in groupby((r for r in reports if r.year is not None), key=lambda r: r.publisher):
        group = list(run)
        pending.append(group)
        size += sum(1 + len(r.merged) for r in group)
        if size >= _BATCH:
            yield from _settled(conn, pending)
            pending, size = [], 0
    yield from _settled(conn, pending)


def _settled(conn, runs: list[list[ReportRow]]) -> Iterator[tuple[list[ReportRow], set[int]]]:
    numbered = _with_numbers(conn, [i for run in runs for r in run for i in (r.id, *r.merged)])
    for run in runs:
        yield run, numbered


def _row(run: list[ReportRow], numbered: set[int], site: str | None) -> CoverageRow:
    first = run[0]
    row = CoverageRow(first.region, first.agency, site, {})
    for r in run:
        parsed = r.id in numbered or any(m in numbered for m in r.merged)
        if row.cells.get(r.year) != "parsed":
            row.cells[r.year] = "parsed" if parsed else "archived"
            row.reports[r.year] = r.id
    return row


def _years(conn, selection: Selection, failed: dict[str, set[int]], narrowed: bool) -> list[int]:
    """The selection's years, and (every row shown) the years of the crawl log's failures in its range."""
    lo, hi = year_span(conn, selection)
    seen = [y for y in (lo, hi) if y is not None]
    if not narrowed:
        seen += [y for ys in failed.values() for y in ys
                 if (selection.year_from is None or y >= selection.year_from)
                 and (selection.year_to is None or y <= selection.year_to)]
    if not seen:
        return []
    first, last = min(seen), max(seen)
    return list(range(max(first, last - MAX_YEARS + 1), last + 1))


def coverage_matrix(conn, selection: Selection | None = None, *, offset: int = 0,
                    limit: int | None = None) -> Coverage:
    """The rows ``offset`` to ``offset + limit`` (all by default) of the selection's publishers,
    then (no selection) the sites that gave no report; the counts over every row."""
    sel = selection if selection is not None else Selection()
    narrowed = bool(sel.regions or sel.agency or sel.formats)
    failed, without = _crawl_failures(conn)
    site_of, sites_with_reports = _publisher_sites(conn)
    years = _years(conn, sel, failed, narrowed)
    rows: Iterable[CoverageRow] = (_row(run, numbered, site_of.get(run[0].publisher))
                                   for run, numbered in _publisher_runs(conn, iter_distinct_reports(conn, sel)))
    if not narrowed:
        crawled = {s for (s,) in conn.execute("SELECT DISTINCT site FROM crawl_runs")}
        extra = [CoverageRow("", "", site, {}) for site in sorted(crawled | set(failed) | set(without))
                 if site not in sites_with_reports]
        rows = chain(rows, extra)
    page: list[CoverageRow] = []
    totals: Counter = Counter()
    n = 0
    for row in rows:
        if row.site:
            row.failures += without.get(row.site, 0)
            for y in failed.get(row.site, ()):
                row.cells.setdefault(y, "failed")
        row.cells = {y: row.cells.get(y, "missing") for y in years}
        totals.update(row.cells.values())
        if n >= offset and (limit is None or len(page) < limit):
            page.append(row)
        n += 1
    return Coverage(years, page, dict(totals), n, offset)

