"""The three table shapes of a comparison, as a header plus a stream of rows of plain values.

Takes a ``Comparison``; each shape function returns a ``Table`` (name, header, rows iterator).
Cells are Python numbers, strings or ``None`` (EMPTY: a metric a report does not have is None,
never 0); the writers decide how to spell them.

  wide     one row per publisher and year, a column per metric
  by-year  one row per publisher and metric, a column per year; ``change`` adds, for each year after
           the first, its absolute change and percent change from the year before (EMPTY when either
           year is empty, percent also when the year before is 0)
  long     one row per report and metric that has a value (a missing metric has no row)

Every row carries the report id(s) and source URL(s), and the ids merged into the kept report;
a wide row names its derived values in ``derived_metrics``; by-year and long rows carry the
metric's key and its Chinese label (``metric_label``). Metric columns come in the order of the
report's own tables (the codebook's).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Callable, Iterator

from .comparison import Comparison
from .duplicates import Merge
from .metric_keys import label_for, unit_for
from .values import ReportValues

__all__ = ["Table", "SHAPES", "wide_table", "by_year_table", "long_table", "make_table", "WorkbookSheets", "LONG_COLUMNS",
           "ID_COLUMNS"]

SHAPES = ("wide", "by-year", "long")
WIDE_COLUMNS = ("report_id", "region", "agency", "year", "format", "title", "url", "merged_report_ids",
                "derived_metrics")
LONG_COLUMNS = ("report_id", "region", "agency", "year", "metric", "metric_label", "value", "unit", "derived", "title",
                "url", "evidence", "merged_report_ids")
# the columns that say whose row it is: frozen in a workbook, kept first on a narrow terminal
ID_COLUMNS = {"wide": 4, "by-year": 4, "long": 6}
CHANGE_DIGITS = 6
PERCENT_DIGITS = 2


@dataclass
class Table:
    name: str
    header: list[str]
    rows: Iterator[list[Any]]


def _merged(rv: ReportValues) -> str:
    return " ".join(map(str, rv.report.merged))


def wide_table(cmp: Comparison) -> Table:
    metrics = cmp.metrics

    def rows() -> Iterator[list[Any]]:
        for rv in cmp.values():
            r, vals = rv.report, rv.values
            # which of this row's values are derived (computed, not read from the report)
            derived = " ".join(k for k in metrics if k in rv.derived) if rv.derived else ""
            yield [r.id, r.region, r.agency, r.year, r.format, r.title, r.url, _merged(rv), derived,
                   *[vals.get(k) for k in metrics]]

    return Table("wide", [*WIDE_COLUMNS, *metrics], rows())


def _change(prev: Any, cur: Any) -> tuple[Any, Any]:
    if prev is None or cur is None:
        return None, None
    diff = round(cur - prev, CHANGE_DIGITS)
    pct = round((cur - prev) / prev * 100, PERCENT_DIGITS) if prev else None
    return diff, pct


def by_year_table(cmp: Comparison, *, change: bool = False) -> Table:
    years = cmp.years()
    header = ["region", "agency", "metric", "metric_label", "unit", "derived", *map(str, years)]
    if change:
        for y in years[1:]:
            header += [f"change_{y}", f"change_pct_{y}"]
    header += ["report_ids", "urls", "merged_report_ids"]
    index = {y: i for i, y in enumerate(years)}

    def rows() -> Iterator[list[Any]]:
        placed = (rv for rv in cmp.values() if rv.report.year in index)
        for (region, agency), group in groupby(placed, key=lambda rv: rv.report.publisher):
            by_year = {rv.report.year: rv for rv in group}
            ordered = sorted(by_year.items())
            refs = " ".join(f"{y}:{rv.report.id}" for y, rv in ordered)
            urls = " ".join(f"{y}:{rv.report.url}" for y, rv in ordered if rv.report.url)
            merged = " ".join(f"{rv.report.id}<-{','.join(map(str, rv.report.merged))}"
                              for _, rv in ordered if rv.report.merged)
            for key in cmp.metrics:
                cells = [by_year[y].values.get(key) if y in by_year else None for y in years]
                derived = int(any(key in rv.derived for rv in by_year.values()))
                row = [region, agency, key, label_for(key), unit_for(key), derived, *cells]
                if change:
                    for prev, cur in zip(cells, cells[1:]):
                        row.extend(_change(prev, cur))
                yield row + [refs, urls, merged]

    return Table("by-year", header, rows())


def long_table(cmp: Comparison) -> Table:
    metrics = cmp.metrics
    units = {k: unit_for(k) for k in metrics}
    labels = {k: label_for(k) for k in metrics}

    def rows() -> Iterator[list[Any]]:
        for rv in cmp.values(with_evidence=True):
            r = rv.report
            merged = _merged(rv)
            for key in metrics:
                value = rv.values.get(key)
                if value is None:
                    continue
                yield [r.id, r.region, r.agency, r.year, key, labels[key], value, units[key], int(key in rv.derived),
                       r.title, r.url, rv.evidence.get(key, ""), merged]

    return Table("long", list(LONG_COLUMNS), rows())


def make_table(cmp: Comparison, shape: str, *, change: bool = False) -> Table:
    if shape == "wide":
        return wide_table(cmp)
    if shape == "by-year":
        return by_year_table(cmp, change=change)
    if shape == "long":
        return long_table(cmp)
    raise ValueError(f"unknown shape {shape!r}")


@dataclass
class WorkbookSheets:
    """The tables of a workbook, each from a comparison of its own that ``build`` makes: a streamed
    comparison walks its reports once, as its rows are written, so a sheet of a national selection
    holds a chunk of reports, not all of them (100,000 reports, wide: 176 MB held before). The
    sheets are iterated once; ``merges`` and ``reports`` are those of the last comparison, whole once
    every sheet has been written (each comparison merges the same copies)."""

    build: Callable[[], Comparison]
    shapes: list[str]
    change: bool = False
    last: Comparison | None = field(default=None, init=False)

    def __iter__(self) -> Iterator[Table]:
        for shape in self.shapes:
            self.last = self.build()
            yield make_table(self.last, shape, change=self.change)

    def merges(self) -> list[Merge]:
        return self.last.merges if self.last is not None else []

    def reports(self) -> int:
        return len(self.last.reports) if self.last is not None else 0

    def notes(self) -> list[str]:
        return self.last.notes if self.last is not None else []
