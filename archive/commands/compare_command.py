"""`xxgk compare`: its parameters, defined once, and what it writes.

As `xxgk reports` (``archive.commands.reports_command``): ``archive.commands.compare`` registers it
with Typer (``archive.options.typer_command``), ``archive.cli.main`` runs a plain command line
straight (``archive.options.parse_plain``), so a comparison to CSV imports neither Typer, Click nor
pydantic (issue 18: they were two thirds of a one-district comparison). The options that pick
reports (``SELECTION_PARAMS``), the output helpers and the shared option definitions serve
compare, export, check and chart alike.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from .. import cli_common
from ..cli_common import HOME, YEARS, open_home, parse_year_range
from ..compare import (SHAPES, Comparison, Selection, WorkbookSheets, build_comparison, load_population, make_table, write_csv,
                       write_xlsx)
from ..compare.headers import HEADER_MODES, header_label
from ..compare.metric_selection import split_items
from ..compare.selection import FORMATS
from ..compare.writers import atomic_output
from ..errors import InputError
from ..i18n import _
from ..options import Param
from ..output import OUTPUT_FORMATS, Column, check_output_path, emit, fit_columns, stdout_is_terminal, stream

__all__ = ["SELECTION_PARAMS", "COMPARE_PARAMS", "compare", "write_comparison", "selection_of", "METRICS", "SHAPE", "OUTPUT", "XLSX",
           "NO_BOM", "HEADERS", "POPULATION"]

# the options that pick reports, shared by compare, check and chart (``selection_of``)
SELECTION_PARAMS = (
    Param("region", ("--region",), multiple=True,
          help="a place at any level, full or short (余杭, 杭州市, 浙江); places below it count too; "
               "repeat or comma-separate for several"),
    Param("exact", ("--exact",), bool, False, "only the places named, not the places below them"),
    Param("include_children", ("--include-children",), bool, False,
          "places below a matched one (now always, unless --exact)", hidden=True),
    Param("agency", ("--agency",), help="a part of the agency name (教育局)"),
    Param("years", YEARS.flags, help=YEARS.help),
    Param("era", ("--era",), multiple=True, help="the reports' template: legacy, gb2019 or gb2021 (repeatable)"),
    Param("format", ("--format",), multiple=True,
          help="output: table (default on a terminal), csv (default in a pipe), tsv or json; "
               "legacy, gb2019 or gb2021 select the era, as --era does"),
)
METRICS = Param("metrics", ("--metrics",), multiple=True,
                help="keys, Chinese labels (新收申请), patterns (applications.*) or groups (headline, derived, "
                     "table2-4, legacy, appendix, all; 核心, 表三 …); see `xxgk metrics`")
SHAPE = Param("shape", ("--shape",), multiple=True, help="wide, by-year, long, or all (repeatable; several need --xlsx)")
POPULATION = Param("population", ("--population",), Path,
                   help="CSV of region,population or region,year,population (enables requests_per_10k)")
OUTPUT = Param("output", ("-o", "--output"), Path, help="file to write (stdout without it)")
XLSX = Param("xlsx", ("--xlsx",), bool, False, "write an Excel workbook (implied by -o *.xlsx)")
NO_BOM = Param("no_bom", ("--no-bom",), bool, False, "CSV without the UTF-8 BOM Excel needs")
HEADERS = Param("headers", ("--headers",), str, "zh", optional=False,
                help="column headers: zh (Chinese labels), keys (SCHEMA.md keys, for scripts) or both (two rows)")

COMPARE_PARAMS = (
    *SELECTION_PARAMS, METRICS, SHAPE,
    Param("change", ("--change",), bool, False, "by-year: add change and percent change columns"),
    POPULATION, OUTPUT, XLSX, NO_BOM, HEADERS,
    Param("no_ocr", ("--no-ocr",), bool, False, "leave out numbers read by OCR from page images"),
    HOME,
)


def selection_of(region: list[str] | None, exact: bool, include_children: bool, agency: str | None,
                 years: str | None, era: list[str] | None, format: list[str] | None, *,
                 takes_output: bool) -> tuple[Selection, str | None]:
    """The reports the selection options pick, and the output format --format names (if any)."""
    if exact and include_children:
        raise InputError("--exact and --include-children contradict each other: places below count unless --exact")
    lo, hi = parse_year_range(years)
    eras, out_format = _formats(format, era, takes_output)
    return Selection(tuple(split_items(region)), exact, agency, lo, hi, eras), out_format


def compare(region: list[str] | None = None, exact: bool = False, include_children: bool = False,
            agency: str | None = None, years: str | None = None, era: list[str] | None = None,
            format: list[str] | None = None, metrics: list[str] | None = None, shape: list[str] | None = None,
            change: bool = False, population: Path | None = None, output: Path | None = None, xlsx: bool = False,
            no_bom: bool = False, headers: str = "zh", no_ocr: bool = False, home: Path | None = None) -> None:
    """Compare reports across years and places (its help: ``archive.commands.compare.COMPARE_HELP``)."""
    import dataclasses

    sel, out_format = selection_of(region, exact, include_children, agency, years, era, format, takes_output=True)
    _check_headers(headers)
    if output is not None:
        check_output_path(output)
    sel = dataclasses.replace(sel, no_ocr=no_ocr)
    shapes = _shapes(shape, SHAPES, "wide")
    if change and "by-year" not in shapes:
        raise InputError("--change adds columns to the by-year shape: add --shape by-year")
    pop = load_population(population) if population else None
    with open_home(home) as h:
        def build(stream: bool):
            return build_comparison(h.catalog.conn, sel, metrics, population=pop, stream=stream)

        write_comparison(build, shapes, output, xlsx, no_bom, change, out_format, headers)


def write_comparison(build: Callable[[bool], Comparison], shapes: list[str], output: Path | None, xlsx: bool, no_bom: bool, change: bool,
                     out_format: str | None, headers: str) -> None:
    """``build(stream)`` -> a comparison; a workbook's sheets each stream one of their own, one CSV
    streams (several shapes to a terminal or a pipe are refused before any is built)."""
    if xlsx or (output is not None and output.suffix.lower() == ".xlsx"):
        if output is None:
            raise InputError("--xlsx needs -o FILE.xlsx")
        _write_workbook(WorkbookSheets(lambda: build(True), shapes, change), output, headers)
        return
    if len(shapes) > 1:
        raise InputError("a CSV holds one shape: pass one --shape, or --xlsx for several")
    _write(build(True), shapes[0], output, no_bom, change, out_format, headers)


def _formats(items: list[str] | None, eras: list[str] | None, takes_output: bool) -> tuple[tuple[str, ...], str | None]:
    """(eras, output format) from --era and --format (whose era values are --era's, as before)."""
    given = split_items(items)
    era = split_items(eras) + [f for f in given if f in FORMATS]
    outputs = [f.lower() for f in given if f not in FORMATS]
    for f in outputs:
        if f not in OUTPUT_FORMATS:
            raise InputError(f"unknown format {f!r}: use {', '.join(OUTPUT_FORMATS)} (output) or "
                             f"{', '.join(FORMATS)} (era)")
    if len(set(outputs)) > 1:
        raise InputError(f"one output format at a time, not {' and '.join(dict.fromkeys(outputs))}")
    if outputs and not takes_output:
        raise InputError(f"--format {outputs[0]}: this command writes no listing (use -o FILE)")
    return tuple(dict.fromkeys(era)), (outputs[0] if outputs else None)


def _shapes(items: list[str] | None, allowed: tuple[str, ...], default: str) -> list[str]:
    shapes = split_items(items) or [default]
    if "all" in shapes:
        return list(allowed)
    bad = [s for s in shapes if s not in allowed]
    if bad:
        raise InputError(f"unknown shape {bad[0]!r}: use {', '.join(allowed)} or all")
    return list(dict.fromkeys(shapes))


def _check_headers(headers: str) -> str:
    if headers not in HEADER_MODES:
        raise InputError(f"--headers {headers!r}: use {', '.join(HEADER_MODES)}")
    return headers


def _write_workbook(sheets: WorkbookSheets, output: Path, headers: str) -> None:
    counts = write_xlsx(output, sheets, headers=headers)
    _say_conflicts(sheets.merges())
    rows = ", ".join(f"{name} {n}" for name, n in counts.items())
    cli_common.err_console.print(_("wrote {path}: {n} reports, {merged}; rows per sheet: {sheets}", path=output,
                                   n=sheets.reports(), merged=_merged(sheets.merges()), sheets=rows), markup=False)


def _write(cmp, shape: str, output: Path | None, no_bom: bool, change: bool,
           out_format: str | None = None, headers: str = "zh") -> None:
    """The comparison to -o FILE (CSV with a BOM for Excel), else to stdout: a table on a terminal,
    CSV without a BOM in a pipe (or what --format asks). What is said of the merges comes after the
    rows: a streamed comparison merges its copies as it writes them."""
    table = make_table(cmp, shape, change=change)
    if output is None:
        fmt = out_format or ("table" if stdout_is_terminal() else "csv")
        if fmt == "csv":
            write_csv(table, sys.stdout.buffer, bom=False, headers=headers)
            sys.stdout.buffer.flush()
        else:
            _print_table(table, fmt, headers)
        _say_conflicts(cmp.merges)
        return
    try:
        with atomic_output(output) as tmp, open(tmp, "wb") as fh:
            n = write_csv(table, fh, bom=not no_bom, headers=headers)
    except OSError as e:
        raise InputError(f"cannot write {output}: {e.strerror or e}") from e
    _say_conflicts(cmp.merges)
    cli_common.err_console.print(_("wrote {path}: {rows} rows, {n} reports, {merged}", path=output, rows=n,
                                   n=len(cmp.reports), merged=_merged(cmp.merges)), markup=False)


def _merged(merges) -> str:
    return _("{n} duplicate groups merged", n=len(merges)) if merges else _("no duplicates")


CONFLICT_NOTES = 20  # groups whose disagreement is told on stderr; the rest are counted


def _say_conflicts(merges) -> None:
    """Copies that disagree (archive.compare.duplicates): the value kept, and why, on stderr, for the
    first groups; how many more, and where each is listed. A comparison of a province merges
    thousands of groups: a line each buried the command's own output (and took 0.6 s at 3,000)."""
    disagreeing = [m for m in merges if m.conflicts]
    for m in disagreeing[:CONFLICT_NOTES]:
        cli_common.err_console.print(f"note: {m.region} {m.agency} {m.year}: kept report {m.kept} over "
                          f"{', '.join(map(str, m.dropped))}: {m.reason}", markup=False)
    if len(disagreeing) > CONFLICT_NOTES:
        cli_common.err_console.print(_("note: and {n} more groups whose copies disagree: `xxgk check` lists every one, "
                                       "as does the merged sheet of a workbook (-o FILE.xlsx)",
                                       n=len(disagreeing) - CONFLICT_NOTES), markup=False)


# what a narrow terminal leaves out first (higher first); metric and year columns by their order
_LOW_VALUE = {"derived_metrics": 90, "url": 89, "urls": 89, "merged_report_ids": 88, "evidence": 87,
              "report_ids": 86, "title": 80, "format": 70, "unit": 61, "derived": 62, "agency": 60, "metric": 59}


TERMINAL_ROWS = 1000  # rows a terminal's table shows; the rest are counted (a table holds its rows)


def _print_table(table, fmt: str, headers: str) -> None:
    """A table on the terminal (its first ``TERMINAL_ROWS`` rows, then how many more and how to get
    them), or json/tsv streamed as the rows come (a national comparison is not held)."""
    from itertools import islice

    rows_in = (dict(zip(table.header, row)) for row in table.rows)
    if fmt != "table":
        stream(rows_in, [Column(k, k) for k in table.header], fmt)
        return
    rows = list(islice(rows_in, TERMINAL_ROWS))
    more = sum(1 for _ in rows_in)  # walked to the end: the merges are whole for the notes after
    columns = _table_columns(table.header, rows, headers)
    shown = {c.key for c, _ in fit_columns(columns, rows, cli_common.console.width, {c.key: c.header for c in columns})}
    emit(rows, columns, "table", console=cli_common.console)
    hidden = [c for c in columns if c.key not in shown and any(r.get(c.key) not in (None, "") for r in rows)]
    if hidden:
        names = ", ".join(c.header for c in hidden[:4]) + (_(" and {n} more", n=len(hidden) - 4)
                                                            if len(hidden) > 4 else "")
        cli_common.console.print(_("{n} more columns do not fit this terminal ({names}): widen it, or -o FILE.xlsx / "
                        "--format csv", n=len(hidden), names=names), markup=False, soft_wrap=False)
    if more:
        cli_common.console.print(_("{n} more rows are not shown on the terminal: -o FILE.csv or FILE.xlsx writes them "
                                   "all, as does a pipe (CSV)", n=f"{more:,}"), markup=False, soft_wrap=False)


def _table_columns(header: list[str], rows: list[dict], headers: str) -> list[Column]:
    """The terminal's columns: what gives way first on a narrow terminal, what wraps, numbers right."""
    years = [k for k in header if k.isdigit()]
    columns = []
    for key in header:
        if key in ("region", "title", "metric_label"):
            prio, wrap = (80 if key == "title" else 0), True
        elif key in _LOW_VALUE:
            prio, wrap = _LOW_VALUE[key], key == "agency"
        elif key.isdigit():  # the oldest years give way first
            prio, wrap = 1 + len(years) - years.index(key), False
        elif key.startswith("change_"):
            prio, wrap = 40 + len(years) - years.index(key.rsplit("_", 1)[1]), False
        elif key in ("report_id", "year", "value"):
            prio, wrap = 0, False
        else:  # a metric column: the rightmost gives way first
            prio, wrap = 30, False
        label = header_label(key) if headers != "keys" else key
        values = [r[key] for r in rows if r.get(key) is not None]
        numeric = bool(values) and all(isinstance(v, (int, float)) for v in values)
        columns.append(Column(key, label, priority=prio, wrap=wrap, justify="right" if numeric else "left"))
    return columns
