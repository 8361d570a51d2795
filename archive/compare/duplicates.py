"""The duplicate rule: one report per publisher and year.

Takes the selected ``ReportRow``s (ordered by publisher, year), a function giving the number of
metrics of some report ids, and optionally their provenance (``archive.provenance``) and stored
metric values; returns the reports that count and the list of merges.

The rule (README-ready):

    The same report is often archived several times: republished on two sites, an 图解 (graphic)
    copy, a corrected version (更正/修订 in the title), a file imported from disk. Reports of the
    same publisher (region + agency) for the same year count once. The one kept is
      1. the most trusted: a report from the place's official source (a host of its site profile
         or its government's gov.cn domain) before a locally imported file, before a copy found
         on any other host, so a third-party page never displaces the official report;
      2. among those, a corrected version (更正 or 修订 in its title), if there is one: a
         correction wins only from as trusted a source as the report it corrects;
      3. the most complete record (the most metrics);
      4. then the newest (latest published date, then latest parse, then highest report id).
    Every export says which report ids were merged into which, and why that one won. Copies that
    state a metric differently are a conflict: the merge says which value was kept and why.

A report without a year or without a region cannot be matched to others and always counts alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple

from .selection import ReportRow

__all__ = ["Merge", "Conflict", "CORRECTION_MARKS", "DUPLICATE_RULE", "merge_duplicates", "merge_stream", "publisher_year",
           "is_correction", "choose_canonical"]

CORRECTION_MARKS = ("更正", "修订")
DUPLICATE_RULE = (
    "Reports of one publisher (region + agency) for one year count once. Kept: the most trusted (the place's "
    "official source, then a local import, then a copy from any other host: a third-party copy never displaces "
    "an official one); among those a corrected version (更正/修订 in the title) if any; else the most complete "
    "record (most metrics); else the newest (published date, then parse time, then report id). Copies that state "
    "a metric differently are a conflict, shown with the value kept."
)
_SHOWN_CONFLICTS = 3


class Conflict(NamedTuple):
    """One metric the merged copies state differently (a tuple: a correction of a national archive
    states every metric anew, and a frozen dataclass took 1 µs to make each of its 300,000)."""

    key: str
    kept: float | None              # the kept report's value (None: it does not state it)
    others: tuple[tuple[int, float], ...]  # (report id, value) of the copies that differ

    def text(self) -> str:
        others = ", ".join(f"report {rid}: {_num(v)}" for rid, v in self.others)
        return f"{self.key} kept {_num(self.kept) if self.kept is not None else '(not stated)'} ({others})"


@dataclass(frozen=True, slots=True)
class Merge:
    kept: int
    dropped: tuple[int, ...]
    reason: str
    region: str
    agency: str
    year: int | None
    conflicts: tuple[Conflict, ...] = ()

    def as_row(self) -> dict[str, object]:
        return {"region": self.region, "agency": self.agency, "year": self.year, "kept_report_id": self.kept,
                "merged_report_ids": " ".join(map(str, self.dropped)), "reason": self.reason,
                "conflicts": "; ".join(c.text() for c in self.conflicts)}


def is_correction(title: str) -> bool:
    return any(m in title for m in CORRECTION_MARKS)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def merge_duplicates(reports: list[ReportRow], count_metrics: Callable[[Iterable[int]], dict[int, int]], *,
                     provenance: Callable[[list[int]], Mapping[int, object]] | None = None,
                     metric_values: Callable[[list[int]], Mapping[int, Mapping[str, float]]] | None = None,
                     ) -> tuple[list[ReportRow], list[Merge]]:
    """Keep one report per publisher and year; the kept ``ReportRow.merged`` lists the others.

    ``provenance(ids)`` gives each report's ``archive.provenance.Provenance`` (without it all are
    equally trusted); ``metric_values(ids)`` their stored metrics, to find conflicts.
    """
    merges: list[Merge] = []
    kept = list(merge_stream(reports, count_metrics, merges, provenance=provenance, metric_values=metric_values))
    return kept, merges


MERGE_BATCH = 5000  # reports weighed at once: their copies' counts, trust and values are read together


def merge_stream(reports: Iterable[ReportRow], count_metrics: Callable[[Iterable[int]], dict[int, int]],
                 merges: list[Merge] | None, *, provenance: Callable[[list[int]], Mapping[int, object]] | None = None,
                 metric_values: Callable[[list[int]], Mapping[int, Mapping[str, float]]] | None = None,
                 batch: int = MERGE_BATCH) -> Iterator[ReportRow]:
    """``merge_duplicates`` over a stream of reports in compare's order: the kept ones as they come,
    ``merges`` filled as their groups are decided (None: not kept, as a listing needs them not).
    Copies stand together in that order, so a group is whole when the next one starts, and an export
    of a national archive holds a batch, not all. ``batch=1`` decides each group as it closes: a
    reader stopping early reads no further than the group it stops in."""
    pending: list[list[ReportRow]] = []
    size = 0
    kept_merges: list[Merge] = merges if merges is not None else []
    for _, rows in groupby(reports, key=publisher_year):
        group = list(rows)
        pending.append(group)
        size += len(group)
        if size >= batch:
            yield from _decide(pending, count_metrics, kept_merges, provenance, metric_values)
            pending, size = [], 0
            if merges is None:
                kept_merges.clear()
    yield from _decide(pending, count_metrics, kept_merges, provenance, metric_values)


def _decide(groups: list[list[ReportRow]], count_metrics: Callable[[Iterable[int]], dict[int, int]],
            merges: list[Merge], provenance: Callable[[list[int]], Mapping[int, object]] | None,
            metric_values: Callable[[list[int]], Mapping[int, Mapping[str, float]]] | None) -> list[ReportRow]:
    """The report kept of each group, in order; a merge appended for each group of copies."""
    dup_ids = [r.id for g in groups if len(g) > 1 for r in g]
    counts = count_metrics(dup_ids) if dup_ids else {}
    trust = provenance(dup_ids) if dup_ids and provenance else {}
    values = metric_values(dup_ids) if dup_ids and metric_values else {}
    kept: list[ReportRow] = []
    for group in groups:
        if len(group) == 1:
            kept.extend(group)
            continue
        winner, reason = _choose(group, counts, trust)
        winner.merged = sorted(r.id for r in group if r is not winner)
        conflicts = _conflicts(winner, group, values)
        if conflicts:
            shown = "; ".join(c.text() for c in conflicts[:_SHOWN_CONFLICTS])
            more = f" and {len(conflicts) - _SHOWN_CONFLICTS} more" if len(conflicts) > _SHOWN_CONFLICTS else ""
            reason += f"; the copies disagree on {len(conflicts)} metrics: {shown}{more}"
        kept.append(winner)
        merges.append(Merge(winner.id, tuple(winner.merged), reason, winner.region, winner.agency, winner.year,
                            tuple(conflicts)))
    return kept


def choose_canonical(rows: list[tuple], counts: Mapping[int, int], trust: Mapping[int, object]) -> int:
    """The duplicate rule over bare (report id, title, published[, stored]) rows: the id kept.
    ``stored`` orders copies by when they arrived (newer larger): report ids say nothing of it."""
    group = [ReportRow(r[0], r[1] or "", None, "", "", None, "", r[2] or "", r[3] if len(r) > 3 else "")
             for r in rows]
    return _choose(group, counts, trust)[0].id


def _conflicts(winner: ReportRow, group: list[ReportRow], values: Mapping[int, Mapping[str, float]]) -> list[Conflict]:
    """The metrics the winner states that another copy states otherwise, by key; each with the
    copies that differ, in the group's order. One pass over each copy's values (a comparison of a
    national archive weighs tens of thousands of copies)."""
    mine = values.get(winner.id)
    if not mine:
        return []
    differ: dict[str, list[tuple[int, float]]] = {}
    for r in group:
        theirs = values.get(r.id) if r is not winner else None
        if not theirs:
            continue
        for key, value in theirs.items() - mine.items():  # what they state otherwise, or alone
            if key in mine:
                differ.setdefault(key, []).append((r.id, value))
    return [Conflict(key, mine[key], tuple(differ[key])) for key in sorted(differ)]


def publisher_year(r: ReportRow) -> tuple:
    """What copies share: place, agency and year (a report missing one is its own)."""
    if r.year is None or not r.region:  # unknown: nothing to match on, the report is its own group
        return ("", "", None, r.id)
    return (r.region, r.agency, r.year, 0)


def _newness(r: ReportRow) -> tuple[str, str, int]:
    return (r.published, r.parsed_at, r.id)


def _trust(trust: Mapping[int, object], r: ReportRow) -> int:
    p = trust.get(r.id)
    return getattr(p, "trust", 0) if p is not None else 0


def _choose(group: list[ReportRow], counts: Mapping[int, int],
            trust: Mapping[int, object] | None = None) -> tuple[ReportRow, str]:
    trust = trust or {}
    best = max(_trust(trust, r) for r in group)
    trusted = [r for r in group if _trust(trust, r) == best]
    corrected = [r for r in trusted if is_correction(r.title)]
    pool = corrected or trusted
    most = max(counts.get(r.id, 0) for r in pool)
    complete = [r for r in pool if counts.get(r.id, 0) == most]
    winner = max(complete, key=_newness)
    steps = []
    if len(trusted) < len(group):
        label = getattr(trust.get(winner.id), "label", "the most trusted source")
        steps.append(f"{label} over {_others(trust, group, trusted)}")
    by_correction = bool(corrected) and len(corrected) < len(trusted)
    if by_correction:
        steps.append("corrected version (更正/修订 in the title)")
    if len(complete) < len(pool):
        steps.append(f"most complete {'of the corrected' if by_correction else 'record'} ({most} metrics)")
    elif len(pool) > 1:
        steps.append("newest of the corrected" if by_correction
                     else f"newest (published {winner.published or '?'}, report {winner.id})")
    reason = "; ".join(steps)
    return winner, reason


def _others(trust: Mapping[int, object], group: list[ReportRow], trusted: list[ReportRow]) -> str:
    names = sorted({getattr(trust.get(r.id), "label", "a less trusted copy") for r in group if r not in trusted})
    return ", ".join(names)
