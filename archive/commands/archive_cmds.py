"""Commands over the archive itself: import, reports, reparse, parse (status, errors: ``status_command.py``,
``errors_command.py``; show, open, cat: ``show.py``)."""
from __future__ import annotations

from typing import Annotated

import typer

from ..cli_common import HomeOpt, IndexOpt, JsonOpt, console, keep_index_current, open_home, print_json
from ..options import typer_command
from . import show
from .errors_command import ERRORS_PARAMS, errors
from .import_command import DASK, IMPORT_PARAMS, WORKERS, import_files
from .parse_command import PARSE_PARAMS, parse_file
from .reports_command import REPORTS_PARAMS, reports
from .status_command import STATUS_PARAMS, status

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("import")(typer_command(import_files, IMPORT_PARAMS))
    app.command("reports")(typer_command(reports, REPORTS_PARAMS))
    show.register(app)  # show, open, cat
    app.command("reparse")(reparse_cmd)
    app.command("parse")(typer_command(parse_file, PARSE_PARAMS))
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
