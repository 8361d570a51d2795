"""Coverage: which reports the archive holds, publisher by publisher and year by year.

    coverage_matrix(conn) -> Coverage

Takes an open catalog connection; reads only. A row is a publisher (region and agency, as
``compare`` groups reports), or a crawled site that gave no report at all (its list pages blocked,
disallowed or failing). A cell is one of

    parsed    a report of that publisher and year with numbers read from it
    archived  a report archived, its text searchable, but no number read
    failed    no report, and the crawl log has a report page or file of that site and year that
              failed (fetch refused, parse failed) -- the crawler saw it and could not keep it
    missing   none of the above: a gap to look for

Reports are counted once by the one definition (``archive.status.distinct_reports``); a report's
site is the site of its document's crawled sources. The year columns run from the first year
archived to the last (at most ``MAX_YEARS``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from .status import distinct_reports

__all__ = ["Coverage", "CoverageRow", "coverage_matrix", "STATES", "MAX_YEARS"]

STATES = ("parsed", "archived", "failed", "missing")
MAX_YEARS = 40


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
    rows: list[CoverageRow]

    def counts(self) -> dict[str, int]:
        c = Counter(s for r in self.rows for s in r.cells.values())
        return {s: c.get(s, 0) for s in STATES}

    def to_dict(self) -> dict[str, Any]:
        return {"years": self.years, "states": list(STATES), "counts": self.counts(),
                "rows": [r.to_dict() for r in self.rows]}


def _report_sites(conn) -> dict[int, str]:
    """report id -> the site its document was crawled from (the first crawled source)."""
    out: dict[int, str] = {}
    for rid, site in conn.execute("SELECT r.id, s.site FROM reports r JOIN sources s ON s.document_id = r.document_id "
                                  "WHERE s.kind = 'crawl' AND s.site IS NOT NULL ORDER BY s.id"):
        out.setdefault(rid, site)
    return out


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


def coverage_matrix(conn) -> Coverage:
    reports = distinct_reports(conn)
    with_numbers = {rid for (rid,) in conn.execute("SELECT DISTINCT report_id FROM metric_values")}
    sites = _report_sites(conn)
    rows: dict[tuple[str, str], CoverageRow] = {}
    site_rows: dict[str, Counter] = defaultdict(Counter)  # site -> publishers it gave, by reports
    for r in reports:
        if r.year is None:
            continue
        row = rows.setdefault(r.publisher, CoverageRow(r.region, r.agency, None, {}))
        state = "parsed" if r.id in with_numbers or any(m in with_numbers for m in r.merged) else "archived"
        if row.cells.get(r.year) != "parsed":
            row.cells[r.year] = state
            row.reports[r.year] = r.id
        site = sites.get(r.id)
        if site:
            site_rows[site][r.publisher] += 1
    for publisher, row in rows.items():
        own = [s for s, c in site_rows.items() if c.most_common(1)[0][0] == publisher]
        row.site = own[0] if own else None
    failed, without = _crawl_failures(conn)
    crawled = {s for (s,) in conn.execute("SELECT DISTINCT site FROM crawl_runs")}
    by_site = {row.site: row for row in rows.values() if row.site}
    extra: list[CoverageRow] = []
    for site in sorted(crawled | set(failed) | set(without)):
        row = by_site.get(site)
        if row is None:
            if site in site_rows:  # a site whose reports belong to publishers of other sites
                continue
            row = CoverageRow("", "", site, {})
            extra.append(row)
        row.failures += without.get(site, 0)
        for y in failed.get(site, ()):
            row.cells.setdefault(y, "failed")
    seen = [y for row in [*rows.values(), *extra] for y in row.cells]
    years = list(range(max(min(seen), max(seen) - MAX_YEARS + 1), max(seen) + 1)) if seen else []
    out = list(rows.values()) + extra
    for row in out:
        row.cells = {y: row.cells.get(y, "missing") for y in years}
    return Coverage(years, out)
