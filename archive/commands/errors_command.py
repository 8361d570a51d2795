"""`xxgk errors`: its parameters, defined once, and what it prints.

As `xxgk status` (``archive.commands.status_command``): ``archive.commands.archive_cmds`` registers it
with Typer, ``archive.cli.main`` runs a plain command line straight (``archive.options.parse_plain``).
The filters and ``--limit`` are SQL's: a national crawl keeps hundreds of thousands of errors (failed
fetches, documents that are no report), and the newest twenty are read, not all of them.
"""
from __future__ import annotations

from pathlib import Path

from .. import cli_common
from ..cli_common import FORMAT, HOME, JSON, open_home
from ..i18n import _
from ..options import Param
from ..output import Column, emit, resolve_format
from ..status import NOT_ERRORS

__all__ = ["ERRORS_PARAMS", "ERROR_COLUMNS", "errors", "error_filter"]

ERRORS_PARAMS = (
    HOME,
    Param("stage", ("--stage",), help="only this stage: fetch, import, parse, index"),
    Param("reason", ("--reason",), help="only this reason (blocked_ruishu, too_large, …)"),
    Param("not_reports", ("--not-reports",), bool, False,
          "also the documents that are no report (parse/not_a_report: a fact, not an error)"),
    Param("limit", ("--limit",), int, None, "at most this many, newest first"),
    FORMAT,
    JSON,
)

ERROR_COLUMNS = (Column("at", "at", priority=3), Column("stage", "stage"), Column("reason", "reason"),
                 Column("source", "source", wrap=True, min_width=20), Column("message", "message", wrap=True,
                                                                             priority=1, min_width=20))


def error_filter(stage: str | None, reason: str | None, not_reports: bool) -> tuple[str, list[str]]:
    """The WHERE clause (with its leading space, or empty) and its values for these filters."""
    where: list[str] = []
    args: list[str] = []
    if not not_reports:  # what a document is, not that something went wrong (archive.status)
        for kind in sorted(NOT_ERRORS):
            where.append("NOT (stage = ? AND reason = ?)")
            args.extend(kind)
    for column, value in (("stage", stage), ("reason", reason)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    return (" WHERE " + " AND ".join(where) if where else ""), args


def errors(home: Path | None = None, stage: str | None = None, reason: str | None = None, not_reports: bool = False,
           limit: int | None = None, fmt: str | None = None, json_out: bool = False) -> None:
    """Every error the archive kept, newest first: fetches that failed or were blocked, files that
    could not be imported, documents that could not be parsed.

    Example: xxgk errors --stage fetch
    """
    out_format = resolve_format(fmt, json_flag=json_out)
    where, args = error_filter(stage, reason, not_reports)
    with open_home(home) as h:
        conn = h.catalog.conn
        if limit:
            rows = [dict(r) for r in conn.execute(f"SELECT * FROM errors{where} ORDER BY id DESC LIMIT ?",
                                                  [*args, limit])]
            total = conn.execute(f"SELECT COUNT(*) FROM errors{where}", args).fetchone()[0] \
                if out_format == "table" and len(rows) == limit else len(rows)
        else:
            rows = [dict(r) for r in conn.execute(f"SELECT * FROM errors{where} ORDER BY id DESC", args)]
            total = len(rows)
    if out_format != "json":
        for r in rows:
            r["at"] = (r["at"] or "")[:19].replace("T", " ")
            source = r["source"] or ""
            if source and r["message"].startswith(source + ": "):  # said once, in its own column
                r["message"] = r["message"][len(source) + 2:]
    if out_format != "table":  # plain lines on stdout: no console, no rich
        emit(rows, ERROR_COLUMNS, out_format, console=None)
        return
    console = cli_common.console
    emit(rows, ERROR_COLUMNS, out_format, console=console)
    console.print(_("{n} errors", n=total) + (_(", {shown} shown", shown=len(rows)) if len(rows) < total else ""),
                  markup=False)
