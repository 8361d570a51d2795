"""Commands over the archive itself: import, reports, reparse, parse (status, errors: ``status_command.py``,
``errors_command.py``; show, open, cat: ``show.py``)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli_common import HomeOpt, IndexOpt, JsonOpt, console, err_console, keep_index_current, open_home, print_json
from ..options import typer_command
from . import show
from .errors_command import ERRORS_PARAMS, errors
from .import_command import DASK, IMPORT_PARAMS, WORKERS, import_files
from .reports_command import REPORTS_PARAMS, reports
from .status_command import STATUS_PARAMS, status

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("import")(typer_command(import_files, IMPORT_PARAMS))
    app.command("reports")(typer_command(reports, REPORTS_PARAMS))
    show.register(app)  # show, open, cat
    app.command("reparse")(reparse_cmd)
    app.command("parse")(parse_cmd)
    app.command("status")(typer_command(status, STATUS_PARAMS))
    app.command("errors")(typer_command(errors, ERRORS_PARAMS))


WorkersOpt = WORKERS.annotation()
DaskOpt = DASK.annotation()


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
