"""The duplicate rule: one report per publisher and year.

Takes the selected ``ReportRow``s (ordered by publisher, year) and a function giving the number of
metrics of some report ids; returns the reports that count and the list of merges.

The rule (README-ready):

    The same report is often archived several times: republished on two sites, an 图解 (graphic)
    copy, a corrected version (更正/修订 in the title). Reports of the same publisher (region +
    agency) for the same year count once. The one kept is
      1. a corrected version (更正 or 修订 in its title), if there is one; among those, and
         otherwise among all:
      2. the most complete record (the most metrics);
      3. then the newest (latest published date, then latest parse, then highest report id).
    Every export says which report ids were merged into which, and why that one won.

A report without a year or without a region cannot be matched to others and always counts alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Callable, Iterable

from .selection import ReportRow

__all__ = ["Merge", "CORRECTION_MARKS", "DUPLICATE_RULE", "merge_duplicates", "is_correction"]

CORRECTION_MARKS = ("更正", "修订")
DUPLICATE_RULE = (
    "Reports of one publisher (region + agency) for one year count once. Kept: a corrected version "
    "(更正/修订 in the title) if any; else the most complete record (most metrics); else the newest "
    "(published date, then parse time, then report id)."
)


@dataclass(frozen=True, slots=True)
class Merge:
    kept: int
    dropped: tuple[int, ...]
    reason: str
    region: str
    agency: str
    year: int | None

    def as_row(self) -> dict[str, object]:
        return {"region": self.region, "agency": self.agency, "year": self.year, "kept_report_id": self.kept,
                "merged_report_ids": " ".join(map(str, self.dropped)), "reason": self.reason}


def is_correction(title: str) -> bool:
    return any(m in title for m in CORRECTION_MARKS)


def merge_duplicates(reports: list[ReportRow],
                     count_metrics: Callable[[Iterable[int]], dict[int, int]]) -> tuple[list[ReportRow], list[Merge]]:
    """Keep one report per publisher and year; the kept ``ReportRow.merged`` lists the others."""
    groups = [list(g) for _, g in groupby(reports, key=_publisher_year)]
    dup_ids = [r.id for g in groups if len(g) > 1 for r in g]
    counts = count_metrics(dup_ids) if dup_ids else {}
    kept: list[ReportRow] = []
    merges: list[Merge] = []
    for group in groups:
        if len(group) == 1:
            kept.extend(group)
            continue
        winner, reason = _choose(group, counts)
        winner.merged = sorted(r.id for r in group if r is not winner)
        kept.append(winner)
        merges.append(Merge(winner.id, tuple(winner.merged), reason, winner.region, winner.agency, winner.year))
    return kept, merges


def _publisher_year(r: ReportRow) -> tuple:
    if r.year is None or not r.region:  # unknown: nothing to match on, the report is its own group
        return ("", "", None, r.id)
    return (r.region, r.agency, r.year, 0)


def _newness(r: ReportRow) -> tuple[str, str, int]:
    return (r.published, r.parsed_at, r.id)


def _choose(group: list[ReportRow], counts: dict[int, int]) -> tuple[ReportRow, str]:
    corrected = [r for r in group if is_correction(r.title)]
    pool = corrected or group
    most = max(counts.get(r.id, 0) for r in pool)
    complete = [r for r in pool if counts.get(r.id, 0) == most]
    winner = max(complete, key=_newness)
    if corrected and len(corrected) < len(group):
        reason = "corrected version (更正/修订 in the title)"
    elif len(complete) < len(pool):
        reason = f"most complete record ({most} metrics)"
    else:
        reason = f"newest (published {winner.published or '?'}, report {winner.id})"
    if corrected and len(corrected) < len(group) and len(pool) > 1:
        reason += "; " + (f"most complete of the corrected ({most} metrics)" if len(complete) < len(pool)
                          else "newest of the corrected")
    return winner, reason
