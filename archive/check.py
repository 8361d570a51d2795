"""`xxgk check`: the cross-year rules of SCHEMA.md over the archive, per publisher.

Takes an open catalog connection and a ``Selection``; returns a ``CheckResult`` with one
``CheckFinding`` per problem, ordered by publisher and year. Duplicates are merged first (the rule
of ``archive.compare.duplicates``), so each publisher-year is one report.

Rules (README-ready):
  cross_year.carried   applications.carried_in.<col> of year N = applications.carried_out.<col> of
                       N-1, for every column of table 3 both years state (error)
  cross_year.in_force  gb2021: <x>.in_force(N) = <x>.in_force(N-1) + <x>.issued(N) - <x>.repealed(N),
                       for rules and normative_docs, when all four are stated (error)
  cross_year.jump      a headline metric more than JUMP_FACTOR (5) times, or less than 1/JUMP_FACTOR
                       (0.2) times, its value the year before (warning). Not judged: a zero base (the
                       ratio is undefined; the count of such pairs is reported as a note), and pairs
                       where both values are below JUMP_MIN_VALUE (10), where small counts swing
                       naturally. A jump across a format change (2018 legacy -> 2019 gb2019) says so.
  duplicate.conflict   copies of one publisher-year that state a metric differently: the value kept,
                       the others, and why that copy won (warning)
  provenance.host_mismatch  a report whose host belongs to another place, or that claims a place with
                       official hosts but came from elsewhere (``archive.provenance``) (warning)
  report findings      every kept report's own findings (its consistency rules and parse warnings)
Only consecutive years are compared; a missing year breaks the chain there, silently. Reports of
unknown region are never chained.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Iterator

from .compare.comparison import build_comparison
from .compare.duplicates import Merge
from .provenance import report_provenance
from .compare.metric_keys import HEADLINE_METRICS, TABLE3_COLUMNS
from .compare.selection import ReportRow, Selection
from .compare.values import ReportValues

__all__ = ["CheckFinding", "CheckResult", "CheckTally", "check_archive", "iter_findings", "JUMP_FACTOR",
           "JUMP_MIN_VALUE", "SEVERITY_ORDER", "CHECK_COLUMNS"]

JUMP_FACTOR = 5.0
JUMP_MIN_VALUE = 10
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
IN_FORCE_BODIES = ("rules", "normative_docs")
CHECK_COLUMNS = ("region", "agency", "year", "report_id", "source", "rule", "severity", "message", "values")
_CHUNK = 900


@dataclass(frozen=True, slots=True)
class CheckFinding:
    region: str
    agency: str
    year: int | None
    report_id: int
    source: str  # cross_year | copies | report
    rule: str
    severity: str
    message: str
    values: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        # by hand, not dataclasses.asdict: that deep-copied ``values`` only for it to be dumped (two
        # fifths of a check of 100,000 reports written to a pipe)
        return {"region": self.region, "agency": self.agency, "year": self.year, "report_id": self.report_id,
                "source": self.source, "rule": self.rule, "severity": self.severity, "message": self.message,
                "values": json.dumps(self.values, ensure_ascii=False) if self.values else ""}


@dataclass
class CheckResult:
    findings: list[CheckFinding]
    publishers: int
    reports: int
    notes: list[str]

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.severity for f in self.findings))

    def worst(self) -> str | None:
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_ORDER.get(s, 0), default=None)


def _chain_keys() -> list[str]:
    keys = [f"applications.{row}.{col}" for row in ("carried_in", "carried_out") for col in TABLE3_COLUMNS]
    keys += [f"{body}.{part}" for body in IN_FORCE_BODIES for part in ("in_force", "issued", "repealed")]
    return list(HEADLINE_METRICS) + keys


def _finding(rv: ReportValues, rule: str, severity: str, message: str, **values: Any) -> CheckFinding:
    r = rv.report
    return CheckFinding(r.region, r.agency, r.year, r.id, "cross_year", rule, severity, message, values)


def _carried(prev: ReportValues, cur: ReportValues) -> list[CheckFinding]:
    diffs = {}
    for col in TABLE3_COLUMNS:
        out_v = prev.values.get(f"applications.carried_out.{col}")
        in_v = cur.values.get(f"applications.carried_in.{col}")
        if out_v is not None and in_v is not None and out_v != in_v:
            diffs[col] = {"carried_out": out_v, "carried_in": in_v}
    if not diffs:
        return []
    y0, y1 = prev.report.year, cur.report.year
    cols = ", ".join(f"{c} {d['carried_out']} → {d['carried_in']}" for c, d in diffs.items())
    return [_finding(cur, "cross_year.carried", "error",
                     f"carried_out of {y0} (report {prev.report.id}) ≠ carried_in of {y1}: {cols}",
                     previous_year=y0, previous_report_id=prev.report.id, columns=diffs)]


def _in_force(prev: ReportValues, cur: ReportValues) -> list[CheckFinding]:
    out = []
    for body in IN_FORCE_BODIES:
        before = prev.values.get(f"{body}.in_force")
        now, issued, repealed = (cur.values.get(f"{body}.{p}") for p in ("in_force", "issued", "repealed"))
        if None in (before, now, issued, repealed):
            continue
        expected = before + issued - repealed
        if now != expected:
            out.append(_finding(
                cur, "cross_year.in_force", "error",
                f"{body}.in_force {now} ≠ {expected} = {before} (in force {prev.report.year}) + {issued} issued "
                f"− {repealed} repealed",
                previous_year=prev.report.year, previous_report_id=prev.report.id, body=body, in_force=now,
                expected=expected, previous_in_force=before, issued=issued, repealed=repealed))
    return out


def _jumps(prev: ReportValues, cur: ReportValues, zero_bases: Counter) -> list[CheckFinding]:
    out = []
    for key in HEADLINE_METRICS:
        a, b = prev.values.get(key), cur.values.get(key)
        if a is None or b is None or max(a, b) < JUMP_MIN_VALUE:
            continue
        if a == 0:
            zero_bases[key] += 1
            continue
        ratio = b / a
        if ratio > JUMP_FACTOR or ratio < 1 / JUMP_FACTOR:
            fmt_note = (f" (format changed {prev.report.format} → {cur.report.format})"
                        if prev.report.format != cur.report.format else "")
            out.append(_finding(cur, "cross_year.jump", "warning",
                                f"{key} {a} → {b} (×{ratio:.2f}) from {prev.report.year} to {cur.report.year}"
                                f"{fmt_note}",
                                key=key, previous_year=prev.report.year, previous=a, value=b,
                                ratio=round(ratio, 4)))
    return out


def _own_findings(conn: sqlite3.Connection, by_id: dict[int, ReportRow]) -> list[CheckFinding]:
    ids = list(by_id)
    out = []
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        rows = conn.execute(
            "SELECT report_id, rule, severity, message, values_json FROM findings "
            f"WHERE report_id IN ({', '.join('?' * len(part))}) ORDER BY report_id, ord", part)
        for rid, rule, severity, message, values_json in rows:
            r = by_id[rid]
            out.append(CheckFinding(r.region, r.agency, r.year, rid, "report", rule, severity, message,
                                    json.loads(values_json) if values_json else {}))
    return out


def _conflicts(merges: list[Merge]) -> list[CheckFinding]:
    out = []
    for m in merges:
        if not m.conflicts:
            continue
        text = "; ".join(c.text() for c in m.conflicts)
        why = m.reason.split("; the copies disagree")[0]
        out.append(CheckFinding(m.region, m.agency, m.year, m.kept, "copies", "duplicate.conflict", "warning",
                                f"copies of this report disagree: {text}; kept report {m.kept}: {why}",
                                {"kept": m.kept, "merged": list(m.dropped),
                                 "conflicts": [{"key": c.key, "kept": c.kept, "others": dict(c.others)}
                                               for c in m.conflicts]}))
    return out


def _mismatches(conn: sqlite3.Connection, by_id: dict[int, ReportRow], merges: list[Merge]) -> list[CheckFinding]:
    """Reports (kept or merged away) whose claimed place does not fit their host; listed under the
    kept report of their group."""
    stands_for = {rid: m.kept for m in merges for rid in m.dropped}
    ids = list(by_id) + list(stands_for)
    out = []
    for rid, prov in report_provenance(conn, ids).items():
        if prov.mismatch:
            r = by_id[stands_for.get(rid, rid)]
            who = "" if rid == r.id else f"report {rid} (merged into this one, not counted): "
            out.append(CheckFinding(r.region, r.agency, r.year, r.id, "copies", "provenance.host_mismatch",
                                    "warning", f"{who}{prov.mismatch}",
                                    {"report_id": rid, "host": prov.host, "trust": prov.label}))
    return out


CHECK_BATCH = 5000  # reports whose findings are gathered and put in order at once


@dataclass
class CheckTally:
    """What a streamed check counts as its findings pass (``iter_findings``): whole once they have."""
    publishers: int = 0
    reports: int = 0
    severities: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def worst(self) -> str | None:
        return max(self.severities, key=lambda s: SEVERITY_ORDER.get(s, 0), default=None)


def check_archive(conn: sqlite3.Connection, selection: Selection = Selection()) -> CheckResult:
    tally = CheckTally()
    found = list(iter_findings(conn, selection, tally))
    return CheckResult(found, tally.publishers, tally.reports, tally.notes)


def iter_findings(conn: sqlite3.Connection, selection: Selection, tally: CheckTally) -> Iterator[CheckFinding]:
    """The findings of the selected reports, in their order, as they are found: the reports are
    streamed (a national archive's selection is not held), and each batch of whole publishers gets
    its own findings and its copies' in one go, ordered as the whole list would be (batches follow
    each other in that order). ``tally`` is whole once the findings have all been read."""
    cmp = build_comparison(conn, selection, _chain_keys(), stream=True)
    zero_bases: Counter = Counter()
    batch: dict[int, ReportRow] = {}
    chained: list[CheckFinding] = []
    waiting: dict[int, Merge] = {}  # decided (a stream decides ahead of the values), kept report not yet checked
    merges_seen = 0

    def settle() -> list[CheckFinding]:
        nonlocal merges_seen
        waiting.update((m.kept, m) for m in cmp.merges[merges_seen:])
        merges_seen = len(cmp.merges)
        merges = [waiting.pop(kept) for kept in [k for k in waiting if k in batch]]
        out = _in_order(conn, batch, chained, merges)
        tally.reports += len(batch)
        tally.severities.update(f.severity for f in out)
        batch.clear()
        chained.clear()
        return out

    for _, group in groupby(cmp.values(), key=lambda rv: rv.report.publisher):
        tally.publishers += 1
        previous: ReportValues | None = None
        for rv in group:
            batch[rv.report.id] = rv.report
            # a report of unknown region is no publisher's: it has no chain to check
            if (previous is not None and rv.report.region and rv.report.year is not None
                    and previous.report.year == rv.report.year - 1):
                chained.extend(_carried(previous, rv) + _in_force(previous, rv) + _jumps(previous, rv, zero_bases))
            previous = rv if rv.report.year is not None else previous
        if len(batch) >= CHECK_BATCH:
            yield from settle()
    yield from settle()
    tally.notes.extend(f"{key}: {n} year pair(s) not judged for jumps, the year before was 0"
                       for key, n in sorted(zero_bases.items()))
    if cmp.merges:
        tally.notes.append(f"{len(cmp.merges)} duplicate groups merged before checking (see `xxgk compare`)")


def _in_order(conn: sqlite3.Connection, batch: dict[int, ReportRow], chained: list[CheckFinding],
              merges: list[Merge]) -> list[CheckFinding]:
    """A batch's findings: across years (``chained``), its reports' own, its copies', by report in
    the batch's order, a report's own findings after the others, then by rule."""
    out = chained + _own_findings(conn, batch) + _conflicts(merges) + _mismatches(conn, batch, merges)
    order = {rid: n for n, rid in enumerate(batch)}
    out.sort(key=lambda f: (order[f.report_id], f.source != "report", f.rule))
    return out
