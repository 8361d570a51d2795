"""Commands that compare the archive's records: compare, export, check, chart, metrics.

Thin: each parses its options into a ``Selection`` and calls ``archive.compare``, ``archive.check`` or
``archive.chart``; user mistakes raise ``InputError`` (one line, exit 1). Compare, check and metrics are
defined in ``compare_command.py``, ``check_command.py`` and ``metrics_command.py`` (their options as
data: a plain line runs without Typer); this module registers them with their help.
"""
from __future__ import annotations

import functools
import inspect
import textwrap
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from ..chart import CJK_APT_PACKAGE, chart_paths, draw_chart
from ..cli_common import HomeOpt, err_console, open_home
from ..compare import DERIVED_HELP, DUPLICATE_RULE, Selection, build_comparison, load_population
from ..compare.selection import count_publishers
from ..errors import InputError
from ..i18n import _
from ..options import typer_command
from ..output import check_output_path
from .check_command import CHECK_PARAMS, check
from .compare_command import (COMPARE_PARAMS, HEADERS, METRICS, NO_BOM, OUTPUT, POPULATION, SELECTION_PARAMS, SHAPE,
                              XLSX, _check_headers, _formats, _shapes, compare, selection_of, write_comparison)
from .metrics_command import METRICS_LIST_PARAMS, metrics

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

# the Typer forms of the options compare_command defines (one definition for both parsers)
MetricsOpt, ShapeOpt, OutOpt, XlsxOpt, NoBomOpt, HeadersOpt, PopulationOpt = (
    p.annotation() for p in (METRICS, SHAPE, OUTPUT, XLSX, NO_BOM, HEADERS, POPULATION))


def register(app: typer.Typer) -> None:
    app.command("metrics")(typer_command(metrics, METRICS_LIST_PARAMS))
    app.command("compare", help=COMPARE_HELP)(typer_command(compare, COMPARE_PARAMS))
    app.command("export", help=EXPORT_HELP)(export_cmd)
    app.command("check", help=CHECK_HELP)(typer_command(check, CHECK_PARAMS))
    app.command("chart", help=CHART_HELP)(chart_cmd)


def with_selection(fn: Callable[..., None]) -> Callable[..., None]:
    """Give a command the selection options; it receives them as one ``sel: Selection``."""
    own = [p for p in inspect.signature(fn, eval_str=True).parameters.values() if p.name != "sel"]
    # out_format is filled from --format (shared with the era), not an option of its own
    extra = [inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=p.default, annotation=p.annotation())
             for p in SELECTION_PARAMS]

    takes_output = any(p.name == "out_format" for p in own)
    own = [p for p in own if p.name != "out_format"]

    @functools.wraps(fn)
    def command(**kwargs: Any) -> None:
        sel, out_format = selection_of(*(kwargs.pop(p.name) for p in SELECTION_PARAMS), takes_output=takes_output)
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
    with open_home(home) as h:  # its rows are written as the reports are read (a workbook: sheet by sheet)
        def build(stream: bool):
            return build_comparison(h.catalog.conn, Selection(), metrics or ["all"], merge=merge_duplicates,
                                    stream=stream)

        write_comparison(build, shapes, output, xlsx, no_bom, False, out_format, headers)


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
        # before the comparison is built: a province's thousands of publishers are refused from its first reports
        if count_publishers(h.catalog.conn, sel, up_to=MAX_CHART_PUBLISHERS) > MAX_CHART_PUBLISHERS:
            raise InputError(f"more than {MAX_CHART_PUBLISHERS} publishers is too many lines for one chart: "
                             "narrow --region or --agency")
        cmp = build_comparison(h.catalog.conn, sel, metrics, population=pop)
        if len(cmp.metrics) > MAX_CHART_METRICS:
            raise InputError(f"{len(cmp.metrics)} metrics is too many panels for one chart (at most "
                             f"{MAX_CHART_METRICS}): name fewer with --metrics")
        result = draw_chart(cmp, output, title=title)
    if result.font is None:
        err_console.print(f"warning: no CJK font found, Chinese labels may show as boxes: pip install mplfonts, "
                          f"or apt-get install {CJK_APT_PACKAGE}", markup=False)
    if result.left_out:
        err_console.print(_("no panel for {names}: no selected report states them",
                            names=", ".join(result.left_out)), markup=False)
    err_console.print(_("wrote {files} ({n} series, font {font})", files=", ".join(map(str, result.files)),
                        n=result.series, font=result.font), markup=False)
