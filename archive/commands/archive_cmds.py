"""Commands over the archive itself: import, reports, reparse, parse, status (show, open, cat: ``show.py``)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..catalog import ReportFilter
from ..cli_common import (EraOpt, ExactOpt, FormatOpt, HomeOpt, IndexOpt, JsonOpt, YearsOpt, console, err_console,
                          keep_index_current, open_home, output_and_era, parse_year_range, print_json)
from ..errors import InputError
from ..i18n import _
from ..output import Column, emit
from ..places import region_sort_key, resolve_filters
from ..indexing import index_lag
from ..ingest import ImportSummary, import_paths, iter_files, reparse
from ..settings import parse_size
from . import show

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("reports")(reports_cmd)
    show.register(app)  # show, open, cat
    app.command("reparse")(reparse_cmd)
    app.command("parse")(parse_cmd)
    app.command("status")(status_cmd)


def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help="files and folders (folders are read recursively)", show_default=False)],
    home: HomeOpt = None,
    max_file_size: Annotated[Optional[str], typer.Option(help="skip files larger than this (e.g. 200MB)")] = None,
    index: IndexOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """Put report files into the archive: each stored once, parsed, its record kept.

    Example: xxgk import ~/Downloads/reports/ report-2019.pdf
    """
    h = open_home(home, create=True, max_file_size=parse_size(max_file_size) if max_file_size else None)
    with h:
        total = sum(1 for _ in iter_files(paths, lambda *_: None))
        columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=err_console, transient=True, disable=json_out) as bar:
            task = bar.add_task("importing", total=total)

            def show(o) -> None:
                if o.status in ("failed", "skipped") or o.parse in ("failed", "not_report"):
                    label = {"not_report": _("not a report"), "failed": _("failed")}.get(o.parse or "") or (
                        _("skipped") if o.status == "skipped" else _("failed"))
                    message = _(o.message) if o.status == "skipped" else o.message
                    bar.console.print(f"{label}: {o.path}: {message}", markup=False)
                if o.path and Path(o.path).exists():
                    bar.advance(task)

            summary = import_paths(h, paths, progress=show)
        if index:  # always: a killed earlier run may have left the index behind the catalog
            keep_index_current(h, quiet=json_out)
        if json_out:
            print_json({"counts": summary.counts, "files": [o.__dict__ for o in summary.outcomes]})
        else:
            _print_summary(summary)
    if not summary.ok:
        raise typer.Exit(1)


def _print_summary(summary: ImportSummary) -> None:
    c = summary.counts
    line = _("{new} new, {already_archived} already archived, {parsed} parsed, {not_report} not a report, "
             "{failed} failed", **{k: c.get(k, 0) for k in ("new", "already_archived", "parsed", "not_report",
                                                              "failed")})
    if c.get("skipped"):
        line += _(", {n} skipped (not documents: listed above)", n=c["skipped"])
    console.print(line, markup=False)


REPORT_COLUMNS = (
    Column("id", "id", justify="right"), Column("year", "year"),
    Column("region", "region", wrap=True, min_width=12), Column("agency", "agency", priority=2, wrap=True),
    Column("format", "era", priority=4), Column("n_metrics", "metrics", priority=3, justify="right"),
    Column("n_findings", "findings", priority=5, justify="right"), Column("copies", "copies", priority=6,
                                                                         justify="right"),
    Column("title", "title", wrap=True, min_width=16),
)


def reports_cmd(
    home: HomeOpt = None,
    region: Annotated[Optional[list[str]], typer.Option(
        help="a place at any level, full or short (余杭, 杭州市, 浙江); places below it count too; repeatable")] = None,
    exact: ExactOpt = False,
    year: YearsOpt = None,
    agency: Annotated[Optional[str], typer.Option(help="a part of the agency name (教育局)")] = None,
    era: EraOpt = None,
    limit: Annotated[Optional[int], typer.Option(help="at most this many rows")] = None,
    all_copies: Annotated[bool, typer.Option("--all-copies", help="list every copy of a report (portal copies, 图解, corrected versions), not just the one that counts")] = False,
    fmt: FormatOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List the archived reports, each once (copies stand behind the one that counts), by place
    (GB/T 2260 code order) and year.

    Example: xxgk reports --region 余杭 --year 2015-2020
    """
    out_format, era = output_and_era(fmt, era, json_out)
    lo, hi = parse_year_range(year)
    with open_home(home) as h:
        places, agencies = resolve_filters(h.catalog.conn, region, agency, exact=exact)
        rows = h.catalog.list_reports(ReportFilter(None, lo, hi, None, era), distinct=not all_copies)
    rows = [r for r in rows if (places is None or r["region"] in places.regions)
            and (agencies is None or r["agency"] in agencies)]
    rows.sort(key=lambda r: (*region_sort_key(r["region"], r["region_code"]), r["agency"] or "",
                             r["year"] is None, r["year"] or 0, r["id"]))
    if limit:
        rows = rows[:limit]
    if out_format != "table":
        emit(rows, REPORT_COLUMNS, out_format, console=console, json_rows=rows if out_format == "json" else None)
        return
    if not rows:
        console.print(_("no reports match"))
        return
    emit(rows, REPORT_COLUMNS, "table", console=console)
    console.print(_("{n} reports", n=len(rows)), markup=False)


def reparse_cmd(
    home: HomeOpt = None,
    all_documents: Annotated[bool, typer.Option("--all", help="re-parse every document, not only outdated ones")] = False,
    index: IndexOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """Re-run the parser on documents parsed by an older parser version (or pending ones).

    Example: xxgk reparse --all
    """
    with open_home(home) as h:
        counts = reparse(h, all_documents=all_documents)
        if index:  # always: a killed earlier run may have left the index behind the catalog
            keep_index_current(h, quiet=json_out)
    if json_out:
        print_json(counts)
    else:
        console.print(f"{counts['parsed']} parsed, {counts['not_report']} not a report, {counts['failed']} failed")


def parse_cmd(
    file: Annotated[Path, typer.Argument(help="an HTML, PDF, DOCX or TXT file", show_default=False)],
    json_out: JsonOpt = False,
    url: Annotated[Optional[str], typer.Option(help="the URL the file came from (helps find the region)")] = None,
) -> None:
    """Parse one local file without touching the archive and print its record.

    Exit 0 when a record was produced, 2 when the file is not an annual report or cannot be read.
    Example: xxgk parse report.pdf --json
    """
    import parser as report_parser
    from parser import ParseError

    from ..ingest import guess_media_type

    from ..safe_text import safe_text
    from ..settings import load_settings

    limit = load_settings(None).max_file_size
    try:
        if not file.is_file():
            raise OSError(f"{file}: no such file" if not file.exists() else f"{file}: not a file")
        if file.stat().st_size > limit:  # before reading a byte of it
            raise ParseError(f"{file}: {file.stat().st_size:,} bytes is over the size limit of {limit:,} "
                             "(XXGK_MAX_FILE_SIZE)", reason="too_large")
        data = file.read_bytes()
        record = report_parser.parse(data, guess_media_type(file), url)
    except (OSError, ParseError) as e:
        err_console.print(f"error: {safe_text(e)}", markup=False)
        raise typer.Exit(2)
    from ..blobs import sha256_bytes

    record.source.sha256 = sha256_bytes(data)
    record.source.url = url or file.resolve().as_uri()
    if json_out:
        sys.stdout.write(json.dumps(record.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return
    show.print_record(record.to_dict())


def status_cmd(home: HomeOpt = None, json_out: JsonOpt = False) -> None:
    """Summarize the archive: documents by status, reports, errors, orphan blobs.

    An orphan blob (a file in blobs/ with no catalog row, left by a killed import) is not part
    of the archive; the next import of the same bytes adopts it.
    Example: xxgk status
    """
    with open_home(home) as h:
        counts = h.catalog.counts()
        known = {r[0] for r in h.catalog.conn.execute("SELECT sha256 FROM documents")}
        counts["orphan_blobs"] = sum(1 for sha in h.blobs.iter_shas() if sha not in known)
        recent = h.catalog.errors(limit=5)
        lag = index_lag(h)
    if json_out:
        print_json({"home": str(h.path), "counts": counts, "recent_errors": recent,
                    "index_behind": lag.reports, "index_missing": lag.missing})
        return
    console.print(f"archive home {h.path}")
    if lag:
        console.print(f"  {lag.message()}", markup=False)
    for k, v in counts.items():
        console.print(f"  {k:22} {v}", markup=False)
    for e in recent:
        console.print(f"  {e['stage']}/{e['reason']}: {e['source'] or ''} {e['message']}", markup=False)
