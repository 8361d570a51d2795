"""One comparison: the selected reports (duplicates merged), the metrics asked, and their values.

Takes an open catalog connection, a ``Selection``, the ``--metrics`` items and optional populations;
``build_comparison`` returns a ``Comparison`` whose ``values()`` streams one ``ReportValues`` per
kept report, with headline fill-ins and derived indicators computed and marked derived. The shapes
(``archive.compare.shapes``) and ``xxgk check``/``xxgk chart`` read it.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .derived import (DERIVED_HELP, HEADLINE_FALLBACKS, compute_derived, fallback_parts, fill_headline, formula_text,
                      missing_fallbacks, operand_keys)
from .copies import rule_inputs
from .duplicates import Merge, merge_duplicates, merge_stream
from .metric_keys import DERIVED_KEYS
from .metric_selection import resolve_metrics
from .population import PopulationTable
from .selection import ReportRow, Selection, iter_reports, select_reports, year_span
from .values import ReportValues, count_metrics, iter_report_values, present_keys, report_metrics

__all__ = ["Comparison", "StreamedReports", "build_comparison"]

MAX_KEY_FILTER = 200
OCR_EVIDENCE_PREFIX = "ocr"  # evidence_text of a number read by OCR: "ocr p.2: …"


class StreamedReports:
    """The selected reports as the catalog yields them in compare's order, walked once by the values
    (``iter_report_values`` holds a chunk of them): an export of every report of a national archive
    held them all, ~0.9 KB each. ``len``: how many were walked, for the line said after writing."""

    def __init__(self, rows: Iterable[ReportRow]):
        self._rows = iter(rows)
        self._walked = 0

    def __iter__(self) -> Iterator[ReportRow]:
        for row in self._rows:
            self._walked += 1
            yield row

    def __len__(self) -> int:
        return self._walked


@dataclass
class Comparison:
    conn: sqlite3.Connection
    selection: Selection
    reports: list[ReportRow] | StreamedReports  # kept reports, ordered by publisher, year, id
    merges: list[Merge]  # of a streamed comparison: filled as its reports are walked
    metrics: list[str]
    population: PopulationTable | None = None
    notes: list[str] = field(default_factory=lambda: DERIVED_HELP.splitlines())

    def years(self) -> list[int]:
        """The year columns: the asked range when both ends are given, else the years present (of a
        streamed comparison, asked of the catalog: its reports are read once, as the rows are written)."""
        lo, hi = self.selection.year_from, self.selection.year_to
        if lo is None or hi is None:
            if isinstance(self.reports, StreamedReports):
                first, last = year_span(self.conn, self.selection)
            else:
                present = [r.year for r in self.reports if r.year is not None]
                first, last = min(present, default=None), max(present, default=None)
            lo = lo if lo is not None else first
            hi = hi if hi is not None else last
        if lo is None or hi is None:
            return []
        return list(range(lo, hi + 1))

    def values(self, *, with_evidence: bool = False) -> Iterator[ReportValues]:
        stored = [k for k in self.metrics if k not in DERIVED_KEYS]
        fetch = set(stored) | operand_keys(self.metrics)
        # headline metrics a template report may state only as parts: their parts are read only for
        # the reports that lack them (rare: the parser derives them), not in the main pass
        targets = [k for k in HEADLINE_FALLBACKS if k in fetch]
        derived_asked = [k for k in self.metrics if k in DERIVED_KEYS]
        # past a few hundred keys a filter costs more than it saves (``--metrics all``)
        wanted = fetch if len(fetch) <= MAX_KEY_FILTER else None
        no_ocr = self.selection.no_ocr
        for rv in iter_report_values(self.conn, self.reports, wanted, with_evidence=with_evidence or no_ocr):
            if no_ocr:
                _drop_ocr_values(rv, keep_evidence=with_evidence)
            fmt = rv.report.format
            missing = missing_fallbacks(rv.values, fmt, targets)
            if missing and wanted is not None and not no_ocr:  # (parts fetched here carry no evidence)
                parts = report_metrics(self.conn, rv.report.id, fallback_parts(missing))
                rv.values.update({k: v for k, v in parts.items() if k not in rv.values})
            for key in fill_headline(rv.values, fmt):
                rv.derived.add(key)
                if with_evidence:
                    rv.evidence[key] = "derived: sum of its parts (SCHEMA.md headline metrics)"
            if derived_asked:
                pop = self.population.lookup(rv.report.region, rv.report.year) if self.population else None
                for key, (value, formula) in compute_derived(derived_asked, rv.values, fmt, pop).items():
                    rv.values[key] = value
                    rv.derived.add(key)
                    if with_evidence:
                        rv.evidence[key] = f"derived: {formula_text(formula)}"
            yield rv


def _drop_ocr_values(rv: ReportValues, keep_evidence: bool) -> None:
    """--no-ocr: the values read by OCR leave before anything is filled in or derived from them, and
    so do the sums the parser derived in a report that has them (they were summed from OCR parts)."""
    read = [k for k, ev in rv.evidence.items() if ev.startswith(OCR_EVIDENCE_PREFIX)]
    for key in read + (sorted(rv.derived) if read else []):
        rv.values.pop(key, None)
        rv.evidence.pop(key, None)
        rv.derived.discard(key)
    if not keep_evidence:
        rv.evidence.clear()


def build_comparison(conn: sqlite3.Connection, selection: Selection, metric_items: Iterable[str] | None = None,
                     *, population: PopulationTable | None = None, merge: bool = True,
                     stream: bool = False) -> Comparison:
    """``stream``: the reports are read as the values are (``StreamedReports``), for a writer that
    walks them once in order (the long and wide shapes); duplicates are merged as they come, and
    ``merges`` is whole once the reports have been walked."""
    metrics = resolve_metrics(metric_items, lambda: present_keys(conn), population=population is not None)
    if stream:
        rows: Iterable[ReportRow] = iter_reports(conn, selection)
        streamed_merges: list[Merge] = []
        if merge:
            rows = merge_stream(rows, lambda ids: count_metrics(conn, ids), streamed_merges, **rule_inputs(conn))
        return Comparison(conn, selection, StreamedReports(rows), streamed_merges, metrics, population)
    reports = select_reports(conn, selection)
    merges: list[Merge] = []
    if merge:
        reports, merges = merge_duplicates(reports, lambda ids: count_metrics(conn, ids), **rule_inputs(conn))
    return Comparison(conn, selection, reports, merges, metrics, population)
