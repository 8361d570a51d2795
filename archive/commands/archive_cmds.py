"""Commands over the archive itself: import, reports, reparse, parse (status, errors: ``status_command.py``,
``errors_command.py``; show, open, cat: ``show.py``)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..cli_common import HomeOpt, IndexOpt, JsonOpt, console, err_console, keep_index_current, open_home, print_json
from ..i18n import _
from ..options import typer_command
from ..settings import parse_size
from . import show
from .errors_command import ERRORS_PARAMS, errors
from .reports_command import REPORTS_PARAMS, reports
from .status_command import STATUS_PARAMS, status

if TYPE_CHECKING:  # importing and parsing are loaded by the commands that do them, not by every listing
    from ..ingest import ImportSummary

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("reports")(typer_command(reports, REPORTS_PARAMS))
    show.register(app)  # show, open, cat
    app.command("reparse")(reparse_cmd)
    app.command("parse")(parse_cmd)
    app.command("status")(typer_command(status, STATUS_PARAMS))
    app.command("errors")(typer_command(errors, ERRORS_PARAMS))


WorkersOpt = Annotated[Optional[int], typer.Option(
    "--workers", min=1, help="parse this many documents at once, each in its own process [default: one a core]")]
DaskOpt = Annotated[Optional[str], typer.Option(
    "--dask", metavar="ADDRESS", help="parse on a Dask cluster: its scheduler (tcp://host:8786) or 'local' "
                                      "(needs pip install 'xxgk[scale]')")]


def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help="files and folders (folders are read recursively)", show_default=False)],
    home: HomeOpt = None,
    max_file_size: Annotated[Optional[str], typer.Option(help="skip files larger than this (e.g. 200MB)")] = None,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
    index: IndexOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """Put report files into the archive: each stored once, parsed, its record kept.

    Example: xxgk import ~/Downloads/reports/ report-2019.pdf
    """
    from ..ingest import import_paths, iter_files
    from ..parallel_parse import default_workers

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

            summary = import_paths(h, paths, progress=show, workers=workers or default_workers(), dask=dask)
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


def reparse_cmd(
    home: HomeOpt = None,
    all_documents: Annotated[bool, typer.Option("--all", help="re-parse every document, not only outdated ones")] = False,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
    index: IndexOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """Re-run the parser on documents parsed by an older parser version (or pending ones).

    Example: xxgk reparse --all
    """
    from ..ingest import reparse
    from ..parallel_parse import default_workers

    with open_home(home) as h:
        counts = reparse(h, all_documents=all_documents, workers=workers or default_workers(), dask=dask)
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
    from parser import ParseError, ParseSettings

    from ..ingest import guess_media_type
    from ..parse_pool import shared_pool
    from ..safe_text import safe_text
    from ..settings import load_settings

    settings = load_settings(None)
    limit = settings.max_file_size
    try:
        if not file.is_file():
            raise OSError(f"{file}: no such file" if not file.exists() else f"{file}: not a file")
        if file.stat().st_size > limit:  # before reading a byte of it
            raise ParseError(f"{file}: {file.stat().st_size:,} bytes is over the size limit of {limit:,} "
                             "(XXGK_MAX_FILE_SIZE)", reason="too_large")
        data = file.read_bytes()
        # in a worker process, like import and crawl: a parse stuck in a C library is killed at its budget
        budget = ParseSettings(time_budget=settings.parse_time_budget, max_bytes=limit)
        record = shared_pool().parse(data, guess_media_type(file), url, budget)
    except (OSError, ParseError, ValueError) as e:
        err_console.print(f"error: {safe_text(e)}", markup=False)
        raise typer.Exit(2)
    from ..blobs import sha256_bytes

    record.source.sha256 = sha256_bytes(data)
    record.source.url = url or file.resolve().as_uri()
    if json_out:
        sys.stdout.write(json.dumps(record.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return
    show.print_record(record.to_dict())
