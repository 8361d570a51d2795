"""`xxgk import`: its parameters, defined once, and what it does.

As `xxgk reports` (``archive.commands.reports_command``): ``archive.commands.archive_cmds`` registers it
with Typer, ``archive.cli.main`` runs a plain command line straight (``archive.options.parse_plain``):
a script that imports each file it downloads, one call a file, does not load Typer, Click and
pydantic each time (issue 18: a file already archived took 0.33 s, most of it Typer's).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..cli_common import HOME, JSON, keep_index_current, open_home, print_json
from ..i18n import _
from ..options import Param
from ..settings import parse_size

if TYPE_CHECKING:  # importing is loaded by the command that does it, not by every listing
    from ..ingest import ImportSummary

__all__ = ["IMPORT_PARAMS", "import_files", "WORKERS", "DASK", "INDEX"]

WORKERS = Param("workers", ("--workers",), int, None, "parse this many documents at once, each in its own process "
                                                      "[default: one a core]", min=1)
DASK = Param("dask", ("--dask",), str, None, "parse on a Dask cluster: its scheduler (tcp://host:8786) or 'local' "
                                             "(needs pip install 'xxgk[scale]')")
INDEX = Param("index", ("--index/--no-index",), bool, True,
              "keep the search index current afterwards (`xxgk index` does it later)")

IMPORT_PARAMS = (
    Param("paths", (), Path, None, "files and folders (folders are read recursively)", multiple=True, optional=False,
          show_default=False),
    HOME,
    Param("max_file_size", ("--max-file-size",), str, None, "skip files larger than this (e.g. 200MB)"),
    WORKERS,
    DASK,
    INDEX,
    JSON,
)


def import_files(paths: list[Path], home: Path | None = None, max_file_size: str | None = None,
                 workers: int | None = None, dask: str | None = None, index: bool = True,
                 json_out: bool = False) -> None:
    """Put report files into the archive: each stored once, parsed, its record kept.

    Example: xxgk import ~/Downloads/reports/ report-2019.pdf
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .. import cli_common
    from ..ingest import import_paths, iter_files
    from ..parallel_parse import default_workers

    h = open_home(home, create=True, max_file_size=parse_size(max_file_size) if max_file_size else None)
    with h:
        total = sum(1 for _ in iter_files(paths, lambda *_: None))
        columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=cli_common.err_console, transient=True, disable=json_out) as bar:
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
        raise SystemExit(1)


def _print_summary(summary: ImportSummary) -> None:
    from .. import cli_common

    c = summary.counts
    line = _("{new} new, {already_archived} already archived, {parsed} parsed, {not_report} not a report, "
             "{failed} failed", **{k: c.get(k, 0) for k in ("new", "already_archived", "parsed", "not_report",
                                                              "failed")})
    if c.get("skipped"):
        line += _(", {n} skipped (not documents: listed above)", n=c["skipped"])
    cli_common.console.print(line, markup=False)
