"""`xxgk reports`: its parameters, defined once, and what it prints.

As `xxgk search` (``archive.commands.search_command``): ``archive.commands.archive_cmds`` registers it
with Typer, ``archive.cli.main`` runs a plain command line straight (``archive.options.parse_plain``),
so listing the reports imports neither Typer, Click nor pydantic, and for tsv, csv and json not rich.
"""
from __future__ import annotations

from pathlib import Path

from ..cli_common import ERA, EXACT, FORMAT, HOME, JSON, YEARS, open_home, output_and_era, parse_year_range
from ..options import Param
from ..output import Column, emit, stream

__all__ = ["REPORTS_PARAMS", "REPORT_COLUMNS", "reports"]

REPORTS_PARAMS = (
    HOME,
    Param("region", ("--region",), multiple=True, help="a place at any level, full or short (余杭, 杭州市, 浙江); "
                                                       "places below it count too; repeatable"),
    EXACT,
    YEARS,
    Param("agency", ("--agency",), help="a part of the agency name (教育局)"),
    ERA,
    Param("limit", ("--limit",), int, None, "at most this many rows"),
    Param("all_copies", ("--all-copies",), bool, False, "list every copy of a report (portal copies, 图解, corrected "
                                                        "versions), not just the one that counts"),
    FORMAT,
    JSON,
)

REPORT_COLUMNS = (
    Column("id", "id", justify="right"), Column("year", "year"),
    Column("region", "region", wrap=True, min_width=12), Column("agency", "agency", priority=2, wrap=True),
    Column("format", "era", priority=4), Column("n_metrics", "metrics", priority=3, justify="right"),
    Column("n_findings", "findings", priority=5, justify="right"), Column("copies", "copies", priority=6,
                                                                         justify="right"),
    Column("title", "title", wrap=True, min_width=16),
)


def reports(home: Path | None = None, region: list[str] | None = None, exact: bool = False, year: str | None = None,
            agency: str | None = None, era: str | None = None, limit: int | None = None, all_copies: bool = False,
            fmt: str | None = None, json_out: bool = False) -> None:
    """List the archived reports, each once (copies stand behind the one that counts), by place
    (GB/T 2260 code order) and year.

    Example: xxgk reports --region 余杭 --year 2015-2020
    """
    from itertools import islice

    from .. import cli_common
    from ..compare import Selection
    from ..compare.selection import iter_reports
    from ..compare.metric_selection import split_items
    from ..i18n import _
    from ..status import iter_distinct_reports

    out_format, era = output_and_era(fmt, era, json_out)
    lo, hi = parse_year_range(year)
    sel = Selection(tuple(split_items(region)), exact, agency, lo, hi, (era,) if era else ())
    with open_home(home) as h:
        # the one definition of a report (archive.status): copies stand behind the one compare keeps;
        # compare's order comes from SQL, so the reports are read only as far as they are listed
        conn = h.catalog.conn
        kept = iter_reports(conn, sel) if all_copies else iter_distinct_reports(conn, sel)
        rows = _listed(h.catalog, islice(kept, limit) if limit else kept, lo, hi, era, all_copies)
        if out_format != "table":  # plain lines on stdout as they come: no console, no rich, no list of them all
            stream(rows, REPORT_COLUMNS, out_format, whole_rows=out_format == "json")
            return
        rows = list(rows)
    console = cli_common.console
    if not rows:
        console.print(_("no reports match"))
        return
    emit(rows, REPORT_COLUMNS, "table", console=console)
    console.print(_("{n} reports", n=len(rows)), markup=False)


_CHUNK = 1000  # reports whose rows are read in one query


def _listed(catalog, kept, lo: int | None, hi: int | None, era: str | None, all_copies: bool):
    """The listing's rows of the reports ``kept`` yields, in its order, read ``_CHUNK`` at a time:
    each row counts its own numbers and findings; ``copies``, the copies standing behind it."""
    from itertools import islice

    from ..catalog import ReportFilter

    flt = ReportFilter(None, lo, hi, None, era)
    while part := list(islice(kept, _CHUNK)):
        by_id = {r["id"]: r for r in catalog.list_reports(flt, ids=[k.id for k in part])}
        for k in part:
            row = dict(by_id[k.id])
            row["copies"] = 1 + len(k.merged) if not all_copies else row["copies"]
            row["merged_report_ids"] = k.merged
            yield row
