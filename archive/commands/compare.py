"""Commands that compare the archive's records: compare, export, check, chart.

Thin: each parses its options into a ``Selection`` and calls ``archive.compare``, ``archive.check`` or
``archive.chart``; user mistakes raise ``InputError`` (one line, exit 1).
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import inspect
import sys
import textwrap
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from ..chart import CJK_APT_PACKAGE, chart_paths, draw_chart
from ..check import CHECK_COLUMNS, SEVERITY_ORDER, check_archive
from ..cli_common import HomeOpt, JsonOpt, YearsOpt, console, err_console, open_home, parse_year_range, print_json
from ..compare import (DERIVED_HELP, DUPLICATE_RULE, SHAPES, Selection, build_comparison, load_population,
                       make_table, write_csv, write_xlsx)
from ..compare.headers import HEADER_MODES, header_label
from ..compare.metric_selection import split_items
from ..compare.selection import FORMATS
from ..compare.writers import atomic_output
from ..errors import InputError
from ..i18n import _
from ..output import (OUTPUT_FORMATS, Column, check_output_path, emit, fit_columns, resolve_format, stdout_is_terminal,
                      table_of)

__all__ = ["register"]

MAX_CHART_PUBLISHERS = 20
MAX_CHART_METRICS = 12


def _indented(text: str) -> str:
    # \b keeps Click from re-wrapping the lines of the paragraph that follows
    lines = [w for line in text.splitlines() for w in textwrap.wrap(line, 76, subsequent_indent="      ")]
    return "\b\n" + "\n".join(f"  {line}" for line in lines)


_SELECT_HELP = ("Select with --region (any level, full or short: 余杭, 杭州市, 浙江省杭州市余杭区; repeatable; the "
                "places below a place count too, --exact leaves them out), --agency (a part of the name), "
                "--years 2015-2023, --format (legacy, gb2019, gb2021).")
_METRICS_HELP = ("Metrics (--metrics, repeatable or comma-separated): keys of SCHEMA.md or their Chinese labels "
                 "(新收申请, 行政复议·结果纠正; `xxgk metrics` lists them), patterns (applications.*, review.*), or "
                 "groups: headline (default), derived, table2, table3, table4, legacy, appendix, all (or 核心, 推算, "
                 "表二, 表三, 表四, 附表, 全部).")

COMPARE_HELP = f"""Compare reports across years and places, as CSV (UTF-8 with BOM) or an Excel workbook.

{_SELECT_HELP} {_METRICS_HELP}

Shapes (--shape, repeatable, or all): wide (one row per publisher and year, a column per metric), by-year
(one row per publisher and metric, a column per year; --change adds absolute and percent change year on
year), long (report_id, region, agency, year, metric, value, unit, derived, title, url, evidence). A metric a
report does not state is EMPTY, never 0.

Duplicates: {DUPLICATE_RULE} The column merged_report_ids (and the workbook's merged sheet) lists them.

Derived indicators (--metrics derived, or by name):

{_indented(DERIVED_HELP)}

Example: xxgk compare --region 余杭 --region 临平 --years 2015-2023 --metrics headline,derived --shape by-year --change -o yuhang.csv
"""

EXPORT_HELP = f"""Export every record of the archive (every report, duplicates kept) in the long or wide shape.

The same tables as `xxgk compare` with everything selected: all metrics (--metrics narrows), all
reports (--merge-duplicates applies the duplicate rule). Derived indicators are not added unless
asked (--metrics all,derived):

{_indented(DERIVED_HELP)}

Example: xxgk export --shape wide -o archive.xlsx
"""

CHECK_HELP = """Check the archive across years, per publisher, and list every report's own findings.

\b
  cross_year.carried   carried_in of year N = carried_out of N-1, per column
                       of table 3 (error)
  cross_year.in_force  gb2021: in_force(N) = in_force(N-1) + issued(N) -
                       repealed(N), rules and normative_docs (error)
  cross_year.jump      a headline metric > 5x or < 0.2x the year before
                       (warning); a zero base and pairs both under 10 are not
                       judged (counted in the notes)

Findings are data: the exit code is 0 unless --fail-on error (or warning) and such a finding exists.

Example: xxgk check --region 杭州市 --csv findings.csv
"""

CHART_HELP = f"""Draw metrics over years for one or more publishers (PNG and/or SVG, Chinese labels).

-o out.png writes PNG, out.svg SVG, out without a suffix both. One panel per metric, one line per
publisher; a year without a value is a gap, never 0. {_SELECT_HELP} Derived indicators:

{_indented(DERIVED_HELP)}

Example: xxgk chart --region 余杭 --region 西湖 --metrics applications.new.total,denial_rate --years 2015-2023 -o yuhang
"""

RegionOpt = Annotated[Optional[list[str]], typer.Option(
    "--region", help="a place at any level, full or short (余杭, 杭州市, 浙江); places below it count too; "
                     "repeat or comma-separate for several")]
ChildrenOpt = Annotated[bool, typer.Option("--include-children", hidden=True,
                                           help="places below a matched one (now always, unless --exact)")]
ExactSelOpt = Annotated[bool, typer.Option("--exact", help="only the places named, not the places below them")]
AgencyOpt = Annotated[Optional[str], typer.Option(help="a part of the agency name (教育局)")]
FormatOpt = Annotated[Optional[list[str]], typer.Option(
    "--format", help="output: table (default on a terminal), csv (default in a pipe), tsv or json; "
                     "legacy, gb2019 or gb2021 select the era, as --era does")]
EraListOpt = Annotated[Optional[list[str]], typer.Option(
    "--era", help="the reports' template: legacy, gb2019 or gb2021 (repeatable)")]
HeadersOpt = Annotated[str, typer.Option(
    "--headers", help="column headers: zh (Chinese labels), keys (SCHEMA.md keys, for scripts) or both (two rows)")]
MetricsOpt = Annotated[Optional[list[str]], typer.Option(
    "--metrics", help="keys, Chinese labels (新收申请), patterns (applications.*) or groups (headline, derived, "
                      "table2-4, legacy, appendix, all; 核心, 表三 …); see `xxgk metrics`")]
ShapeOpt = Annotated[Optional[list[str]], typer.Option(
    "--shape", help="wide, by-year, long, or all (repeatable; several need --xlsx)")]
OutOpt = Annotated[Optional[Path], typer.Option("-o", "--output", help="file to write (stdout without it)")]
XlsxOpt = Annotated[bool, typer.Option("--xlsx", help="write an Excel workbook (implied by -o *.xlsx)")]
NoBomOpt = Annotated[bool, typer.Option("--no-bom", help="CSV without the UTF-8 BOM Excel needs")]
PopulationOpt = Annotated[Optional[Path], typer.Option(
    "--population", help="CSV of region,population or region,year,population (enables requests_per_10k)")]


def register(app: typer.Typer) -> None:
    app.command("metrics")(metrics_cmd)
    app.command("compare", help=COMPARE_HELP)(compare_cmd)
    app.command("export", help=EXPORT_HELP)(export_cmd)
    app.command("check", help=CHECK_HELP)(check_cmd)
    app.command("chart", help=CHART_HELP)(chart_cmd)


# the options that pick reports, shared by compare, check and chart (see ``with_selection``)
_SELECTION_PARAMS = (("region", RegionOpt, None), ("exact", ExactSelOpt, False),
                     ("include_children", ChildrenOpt, False), ("agency", AgencyOpt, None), ("years", YearsOpt, None),
                     ("era", EraListOpt, None), ("format", FormatOpt, None))


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


def with_selection(fn: Callable[..., None]) -> Callable[..., None]:
    """Give a command the selection options; it receives them as one ``sel: Selection``."""
    own = [p for p in inspect.signature(fn, eval_str=True).parameters.values() if p.name != "sel"]
    # out_format is filled from --format (shared with the era), not an option of its own
    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=ann)
             for name, ann, default in _SELECTION_PARAMS]

    takes_output = any(p.name == "out_format" for p in own)
    own = [p for p in own if p.name != "out_format"]

    @functools.wraps(fn)
    def command(**kwargs: Any) -> None:
        region, exact, children, agency, years, eras, formats = (kwargs.pop(name) for name, _, _ in _SELECTION_PARAMS)
        if exact and children:
            raise InputError("--exact and --include-children contradict each other: places below count unless --exact")
        lo, hi = parse_year_range(years)
        era, out_format = _formats(formats, eras, takes_output)
        sel = Selection(tuple(split_items(region)), exact, agency, lo, hi, era)
        if takes_output:
            kwargs["out_format"] = out_format
        return fn(sel=sel, **kwargs)

    keyword = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]
    # options without a default come first, as Python requires of a signature
    ordered = [p for p in keyword if p.default is inspect.Parameter.empty] + extra + \
              [p for p in keyword if p.default is not inspect.Parameter.empty]
    command.__signature__ = inspect.Signature(ordered)  # type: ignore[attr-defined]
    del command.__wrapped__  # Typer must read the signature above, not the function's own
    return command


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


def _write(cmp, shapes: list[str], output: Path | None, xlsx: bool, no_bom: bool, change: bool,
           out_format: str | None = None, headers: str = "zh") -> None:
    """The comparison to -o FILE (CSV with a BOM for Excel, or XLSX), else to stdout: a table on a
    terminal, CSV without a BOM in a pipe (or what --format asks)."""
    xlsx = xlsx or (output is not None and output.suffix.lower() == ".xlsx")
    merged = _("{n} duplicate groups merged", n=len(cmp.merges)) if cmp.merges else _("no duplicates")
    if xlsx:
        if output is None:
            raise InputError("--xlsx needs -o FILE.xlsx")
        tables = [make_table(cmp, s, change=change) for s in shapes]
        _say_conflicts(cmp)
        counts = write_xlsx(output, tables, cmp.merges, cmp.notes, headers=headers)
        sheets = ", ".join(f"{name} {n}" for name, n in counts.items())
        err_console.print(_("wrote {path}: {n} reports, {merged}; rows per sheet: {sheets}", path=output,
                            n=len(cmp.reports), merged=merged, sheets=sheets), markup=False)
        return
    if len(shapes) > 1:
        raise InputError("a CSV holds one shape: pass one --shape, or --xlsx for several")
    table = make_table(cmp, shapes[0], change=change)
    _say_conflicts(cmp)
    if output is None:
        fmt = out_format or ("table" if stdout_is_terminal() else "csv")
        if fmt == "csv":
            write_csv(table, sys.stdout.buffer, bom=False, headers=headers)
            sys.stdout.buffer.flush()
        else:
            _print_table(table, fmt, headers)
        return
    try:
        with atomic_output(output) as tmp, open(tmp, "wb") as fh:
            n = write_csv(table, fh, bom=not no_bom, headers=headers)
    except OSError as e:
        raise InputError(f"cannot write {output}: {e.strerror or e}") from e
    err_console.print(_("wrote {path}: {rows} rows, {n} reports, {merged}", path=output, rows=n, n=len(cmp.reports),
                        merged=merged), markup=False)


def _say_conflicts(cmp) -> None:
    """Copies that disagree (archive.compare.duplicates): the value kept, and why, on stderr."""
    for m in (m for m in cmp.merges if m.conflicts):
        err_console.print(f"note: {m.region} {m.agency} {m.year}: kept report {m.kept} over "
                          f"{', '.join(map(str, m.dropped))}: {m.reason}", markup=False)


# what a narrow terminal leaves out first (higher first); metric and year columns by their order
_LOW_VALUE = {"derived_metrics": 90, "url": 89, "urls": 89, "merged_report_ids": 88, "evidence": 87,
              "report_ids": 86, "title": 80, "format": 70, "unit": 61, "derived": 62, "agency": 60, "metric": 59}


def _print_table(table, fmt: str, headers: str) -> None:
    rows = [dict(zip(table.header, row)) for row in table.rows]
    if fmt == "json":
        print_json(rows)
        return
    years = [k for k in table.header if k.isdigit()]
    columns = []
    for i, key in enumerate(table.header):
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
    if fmt == "table":
        shown = {c.key for c, _ in fit_columns(columns, rows, console.width, {c.key: c.header for c in columns})}
        emit(rows, columns, "table", console=console)
        hidden = [c for c in columns if c.key not in shown and any(r.get(c.key) not in (None, "") for r in rows)]
        if hidden:
            names = ", ".join(c.header for c in hidden[:4]) + (_(" and {n} more", n=len(hidden) - 4)
                                                                if len(hidden) > 4 else "")
            console.print(_("{n} more columns do not fit this terminal ({names}): widen it, or -o FILE.xlsx / "
                            "--format csv", n=len(hidden), names=names), markup=False, soft_wrap=False)
    else:
        emit(rows, columns, fmt, console=console)


@with_selection
def compare_cmd(
    sel: Selection,
    metrics: MetricsOpt = None,
    shape: ShapeOpt = None,
    change: Annotated[bool, typer.Option("--change", help="by-year: add change and percent change columns")] = False,
    population: PopulationOpt = None,
    output: OutOpt = None,
    xlsx: XlsxOpt = False,
    no_bom: NoBomOpt = False,
    headers: HeadersOpt = "zh",
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="leave out numbers read by OCR from page images")] = False,
    home: HomeOpt = None,
    out_format: str | None = None,
) -> None:
    _check_headers(headers)
    if output is not None:
        check_output_path(output)
    sel = dataclasses.replace(sel, no_ocr=no_ocr)
    shapes = _shapes(shape, SHAPES, "wide")
    if change and "by-year" not in shapes:
        raise InputError("--change adds columns to the by-year shape: add --shape by-year")
    pop = load_population(population) if population else None
    with open_home(home) as h:
        cmp = build_comparison(h.catalog.conn, sel, metrics, population=pop)
        _write(cmp, shapes, output, xlsx, no_bom, change, out_format, headers)


def export_cmd(
    shape: Annotated[Optional[list[str]], typer.Option("--shape", help="long (default), wide, or all")] = None,
    metrics: MetricsOpt = None,
    merge_duplicates: Annotated[bool, typer.Option("--merge-duplicates", help="count each report once")] = False,
    output: OutOpt = None,
    xlsx: XlsxOpt = False,
    no_bom: NoBomOpt = False,
    headers: HeadersOpt = "zh",
    fmt: Annotated[Optional[str], typer.Option(
        "--format", help="without -o: table (default on a terminal), csv (default in a pipe), tsv or json")] = None,
    warc: Annotated[Optional[Path], typer.Option(
        "--warc", help="write every fetched page and file as WARC/1.1 (FILE.warc.gz)")] = None,
    wacz: Annotated[Optional[Path], typer.Option(
        "--wacz", help="write a WACZ package that ReplayWeb.page opens (FILE.wacz)")] = None,
    parquet: Annotated[Optional[Path], typer.Option(
        "--parquet", help="write reports, metrics and findings as Parquet into DIR (extra: xxgk[parquet])")] = None,
    home: HomeOpt = None,
) -> None:
    if warc or wacz or parquet:  # the archivists' formats (archive.warc_export, archive.wacz, archive.parquet_export)
        from .export_archival import export_archival

        return export_archival(home, warc, wacz, parquet)
    _check_headers(headers)
    if output is not None:
        check_output_path(output)
    _, out_format = _formats([fmt] if fmt else None, None, True)
    shapes = _shapes(shape, ("long", "wide"), "long")
    with open_home(home) as h:
        cmp = build_comparison(h.catalog.conn, Selection(), metrics or ["all"], merge=merge_duplicates)
        _write(cmp, shapes, output, xlsx, no_bom, False, out_format, headers)


@with_selection
def check_cmd(
    sel: Selection,
    csv_out: Annotated[Optional[Path], typer.Option("--csv", help="write the findings to this CSV file")] = None,
    fail_on: Annotated[Optional[str], typer.Option(help="exit 1 when a finding is this severe: error or warning")] = None,
    no_bom: NoBomOpt = False,
    json_out: JsonOpt = False,
    home: HomeOpt = None,
    out_format: str | None = None,
) -> None:
    fmt = "json" if json_out else out_format or ("table" if stdout_is_terminal() else "tsv")
    if fail_on and fail_on not in ("error", "warning"):
        raise InputError(f"--fail-on {fail_on!r}: use error or warning")
    if csv_out is not None:
        check_output_path(csv_out)
    with open_home(home) as h:
        result = check_archive(h.catalog.conn, sel)
    if csv_out:
        _write_findings_csv(csv_out, result.findings, bom=not no_bom)
    if fmt == "json":
        print_json({"publishers": result.publishers, "reports": result.reports, "counts": result.counts(),
                    "notes": result.notes, "findings": [f.as_row() for f in result.findings]})
    elif csv_out:
        err_console.print(f"wrote {len(result.findings)} findings to {csv_out}", markup=False)
    elif fmt == "table":
        _print_findings(result)
    else:  # a pipe: one line per finding (tsv), or csv
        emit([f.as_row() for f in result.findings], [Column(c, c) for c in CHECK_COLUMNS], fmt, console=console)
    worst = result.worst()
    if fail_on and worst and SEVERITY_ORDER[worst] >= SEVERITY_ORDER[fail_on]:
        raise typer.Exit(1)


def _write_findings_csv(path: Path, findings, *, bom: bool) -> None:
    try:
        with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(CHECK_COLUMNS))
            w.writeheader()
            w.writerows(f.as_row() for f in findings)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}") from e


FINDING_COLUMNS = (Column("year", "year"), Column("report_id", "report", priority=2),
                   Column("rule", "rule", wrap=True, min_width=12), Column("severity", "severity", priority=1),
                   Column("message", "message", wrap=True, min_width=24))


def _print_findings(result) -> None:
    from itertools import groupby

    for (region, agency), group in groupby(result.findings, key=lambda f: (f.region, f.agency)):
        # a table per publisher, fitted to the terminal; a message's brackets ("[gb2019]") stay text
        rows = [{"year": f.year or "?", "report_id": f.report_id, "rule": f.rule, "severity": f.severity,
                 "message": f.message} for f in group]
        console.print(table_of(FINDING_COLUMNS, rows, console.width, title=f"{region} {agency}".strip()))
    counts = ", ".join(f"{n} {s}" for s, n in sorted(result.counts().items())) or "no findings"
    console.print(f"{result.publishers} publishers, {result.reports} reports: {counts}", markup=False)
    for note in result.notes:
        console.print(f"note: {note}", markup=False)


@with_selection
def chart_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="out.png, out.svg, or out (both)")],
    sel: Selection,
    metrics: MetricsOpt = None,
    population: PopulationOpt = None,
    title: Annotated[Optional[str], typer.Option(help="a title over the chart")] = None,
    home: HomeOpt = None,
) -> None:
    if not sel.regions and not sel.agency:
        raise InputError("say whose numbers to draw: --region (and/or --agency)")
    for p in chart_paths(output):  # before any work: a bad -o is one line
        check_output_path(p)
    pop = load_population(population) if population else None
    with open_home(home) as h:
        cmp = build_comparison(h.catalog.conn, sel, metrics, population=pop)
        if len(cmp.metrics) > MAX_CHART_METRICS:
            raise InputError(f"{len(cmp.metrics)} metrics is too many panels for one chart (at most "
                             f"{MAX_CHART_METRICS}): name fewer with --metrics")
        publishers = {r.publisher for r in cmp.reports}
        if len(publishers) > MAX_CHART_PUBLISHERS:
            raise InputError(f"{len(publishers)} publishers is too many lines for one chart (at most "
                             f"{MAX_CHART_PUBLISHERS}): narrow --region or --agency")
        result = draw_chart(cmp, output, title=title)
    if result.font is None:
        err_console.print(f"warning: no CJK font found, Chinese labels may show as boxes: pip install mplfonts, "
                          f"or apt-get install {CJK_APT_PACKAGE}", markup=False)
    if result.left_out:
        err_console.print(_("no panel for {names}: no selected report states them",
                            names=", ".join(result.left_out)), markup=False)
    err_console.print(_("wrote {files} ({n} series, font {font})", files=", ".join(map(str, result.files)),
                        n=result.series, font=result.font), markup=False)


METRIC_COLUMNS = (Column("key", "key"), Column("label", "label", wrap=True, min_width=10),
                  Column("table", "table", priority=3), Column("row", "row", priority=2, wrap=True),
                  Column("column", "column", priority=4, wrap=True), Column("eras", "eras", priority=1),
                  Column("unit", "unit", priority=5))


def metrics_cmd(
    group: Annotated[Optional[list[str]], typer.Option(
        "--group", help="only these groups: headline, table2, table3, table4, legacy, appendix, derived (or 核心, 表三 …)")] = None,
    era: Annotated[Optional[str], typer.Option("--era", help="only the keys reports of this era have")] = None,
    find: Annotated[Optional[str], typer.Option("--find", help="only keys or labels holding these characters (复议)")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="table, tsv, csv or json")] = None,
    json_out: JsonOpt = False,
) -> None:
    """The codebook: every metric key with its Chinese label, the table, row and column of the
    report that states it, the template eras that have it, and its unit.

    --metrics (compare, export, chart) takes a key, its Chinese label, a pattern or a group.
    Example: xxgk metrics --group table4
    """
    from ..compare.codebook import CODEBOOK, GROUP_ALIASES, TABLE_NAMES
    from ..compare.metric_keys import metric_groups

    out_format = resolve_format(fmt, json_flag=json_out)
    groups = metric_groups()
    entries = list(CODEBOOK)
    if group:
        names = [GROUP_ALIASES.get(g, g) for g in split_items(group)]
        bad = [g for g in names if g not in groups]
        if bad:
            raise InputError(f"unknown group {bad[0]!r}: use {', '.join(groups)}")
        keys = {k for g in names for k in groups[g]}
        entries = [e for e in entries if e.key in keys]
    if era:
        if era not in FORMATS:
            raise InputError(f"unknown era {era!r}: use {', '.join(FORMATS)}")
        entries = [e for e in entries if era in e.eras]
    if find:
        entries = [e for e in entries if find in e.key or find in e.label or find in e.row]
    rows = [e.as_row() for e in entries]
    if out_format == "table":
        for r in rows:
            r["table"] = {"table2": "表二", "table3": "表三", "table4": "表四", "legacy": "正文", "appendix": "附表",
                          "derived": "推算"}.get(str(r["table"]), r["table"])
    emit(rows, METRIC_COLUMNS, out_format, console=console)
    if out_format == "table":
        console.print(_("{n} metrics; tables: {tables}", n=len(rows),
                        tables="; ".join(f"{k} {v}" for k, v in TABLE_NAMES.items())), markup=False)
