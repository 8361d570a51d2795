"""The `xxgk` command line: one Typer app (``archive.cli_app``); each command group lives in ``archive/commands/``.

A command's module is imported only when that command runs: ``COMMANDS`` names each command's
module and the first paragraph of its help, so ``xxgk --help`` lists every command without
importing one, and ``xxgk search`` never loads the crawler, the parser or compare.

A plain `xxgk search` line (``PLAIN_COMMANDS``: words and options, no ``--help``, nothing Click
must check or say; likewise reports, show, cat, open, status, compare, errors, check, metrics, index,
import and parse) runs without Typer at all: ``archive.options.parse_plain`` reads it from the
same parameter definitions Typer builds the command from. Typer, Click and pydantic cost a search
more than the search itself.

``main()`` runs the app and turns every package's own error (see ``archive.errors.xxgk_errors``)
into one line on stderr and exit code 1; a usage mistake exits 2 (Click's convention).

Options before the command: ``--version``, ``--home H`` (as if every command had it: it sets
XXGK_HOME for this run; a command's own ``--home`` still wins), ``--blobs LOCATION`` (sets XXGK_BLOBS: a
folder or s3://bucket/prefix for the archived files), ``--catalog URL`` (sets XXGK_CATALOG: a PostgreSQL
catalog), ``--index-url URL`` (sets XXGK_INDEX_URL: the
database of ``--backend postgres``) and ``--lang en|zh`` (also
XXGK_LANG; read before the commands are built, so ``--help`` is translated too).
"""
from __future__ import annotations

import errno
import gc
import os
import sys
from typing import Any, NamedTuple

from .errors import xxgk_errors
from .i18n import _, lang_from, set_lang, translate_error

__all__ = ["app", "main", "COMMAND_MODULES", "COMMANDS", "LazyCommand"]


class LazyCommand(NamedTuple):
    module: str  # exposes register(app), which adds this command (and its module's others)
    help: str  # the first paragraph of the command's help: what `xxgk --help` lists


# each module exposes register(app); order is the order of `xxgk --help`. A module whose commands
# are all in COMMANDS is imported when one of them runs; any other module, at start-up.
COMMAND_MODULES = [
    "archive.commands.demo",
    "archive.commands.archive_cmds",
    "archive.commands.crawl",
    "archive.commands.compare",
    "archive.commands.search",
    "archive.commands.maintenance",
    "archive.commands.serve",
    "archive.commands.catalog_cmds",
]

_ARCHIVE, _COMPARE, _MAINTENANCE = "archive.commands.archive_cmds", "archive.commands.compare", \
    "archive.commands.maintenance"
# the help line is checked against the command's own help (tests/test_startup.py)
COMMANDS: dict[str, LazyCommand] = {
    "demo": LazyCommand("archive.commands.demo", "Crawl the offline replica of government sites, parse, index, "
                        "search and compare."),
    "import": LazyCommand(_ARCHIVE, "Put report files into the archive: each stored once, parsed, its record kept."),
    "reports": LazyCommand(_ARCHIVE, "List the archived reports, each once (copies stand behind the one that counts), "
                           "by place (GB/T 2260 code order) and year."),
    "show": LazyCommand(_ARCHIVE, "One report for a reader: title, publisher, year, source and date, headline "
                        "numbers, findings, then its numbers laid out as the report's own tables."),
    "open": LazyCommand(_ARCHIVE, "Save a report's original file, byte for byte, under a readable name "
                        "(2017-余杭区-政府信息公开工作年度报告.pdf) and print where."),
    "cat": LazyCommand(_ARCHIVE, "Print the text the parser extracted from a report (what search indexes)."),
    "reparse": LazyCommand(_ARCHIVE, "Re-run the parser on documents parsed by an older parser version (or pending "
                           "ones)."),
    "parse": LazyCommand(_ARCHIVE, "Parse one local file without touching the archive and print its record."),
    "status": LazyCommand(_ARCHIVE, "What the archive holds: documents, reports (each once), pages, errors, orphans."),
    "errors": LazyCommand(_ARCHIVE, "Every error the archive kept, newest first: fetches that failed or were blocked, "
                          "files that could not be imported, documents that could not be parsed."),
    "crawl": LazyCommand("archive.commands.crawl", "Crawl sites for annual reports into the archive: politely, "
                         "resumably, parsed as they arrive."),
    "metrics": LazyCommand(_COMPARE, "The codebook: every metric key with its Chinese label, the table, row and "
                           "column of the report that states it, the template eras that have it, and its unit."),
    "compare": LazyCommand(_COMPARE, "Compare reports across years and places, as CSV (UTF-8 with BOM) or an Excel "
                           "workbook."),
    "export": LazyCommand(_COMPARE, "Export every record of the archive (every report, duplicates kept) in the long "
                          "or wide shape."),
    "check": LazyCommand(_COMPARE, "Check the archive across years, per publisher, and list every report's own "
                         "findings."),
    "chart": LazyCommand(_COMPARE, "Draw metrics over years for one or more publishers (PNG and/or SVG, Chinese "
                         "labels)."),
    "index": LazyCommand("archive.commands.search", "Bring the full-text index up to date with the catalog (new, "
                         "re-parsed and deleted reports)."),
    "search": LazyCommand("archive.commands.search", "Search every report's text: highlighted snippets, hits per "
                          "year and per province."),
    "verify": LazyCommand(_MAINTENANCE, "Re-hash every archived file; list the missing and the altered ones (exit 1 "
                          "if any)."),
    "backup": LazyCommand(_MAINTENANCE, "Copy the catalog consistently while others write it (SQLite's online "
                          "backup), with the search index and a manifest of every archived file (--blobs: the files "
                          "too)."),
    "serve": LazyCommand("archive.commands.serve", "Browse the archive in a web browser: search, each report with "
                         "its numbers linked to where the report states them, compare with CSV/XLSX downloads, "
                         "coverage; JSON API at /api (see /openapi.json). Read-only."),
    "sites": LazyCommand("archive.commands.crawl", "The site profiles the crawler knows."),
}


def version_text() -> str:
    from importlib import metadata  # 15 ms: only for --version

    try:
        v = metadata.version("xxgk")
    except metadata.PackageNotFoundError:  # run from a checkout without installing
        v = "unknown"
    from parser import PARSER_VERSION

    return f"xxgk {v} (parser {PARSER_VERSION})"


# commands a plain command line runs without Typer (see ``main``): the module's parameters and function
PLAIN_COMMANDS = {"search": ("archive.commands.search_command", "SEARCH_PARAMS", "search"),
                  "reports": ("archive.commands.reports_command", "REPORTS_PARAMS", "reports"),
                  "show": ("archive.commands.show", "SHOW_PARAMS", "show_cmd"),
                  "cat": ("archive.commands.show", "CAT_PARAMS", "cat_cmd"),
                  "open": ("archive.commands.show", "OPEN_PARAMS", "open_cmd"),
                  "status": ("archive.commands.status_command", "STATUS_PARAMS", "status"),
                  "compare": ("archive.commands.compare_command", "COMPARE_PARAMS", "compare"),
                  "errors": ("archive.commands.errors_command", "ERRORS_PARAMS", "errors"),
                  "check": ("archive.commands.check_command", "CHECK_PARAMS", "check"),
                  "metrics": ("archive.commands.metrics_command", "METRICS_LIST_PARAMS", "metrics"),
                  "index": ("archive.commands.index_command", "INDEX_PARAMS", "index"),
                  "import": ("archive.commands.import_command", "IMPORT_PARAMS", "import_files"),
                  "parse": ("archive.commands.parse_command", "PARSE_PARAMS", "parse_file")}


def __getattr__(name: str) -> Any:
    """``app`` (the Typer app, ``archive.cli_app``) is imported when first asked for."""
    if name in ("app", "LazyGroup"):
        from . import cli_app

        return getattr(cli_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _err_console():
    from .cli_common import err_console

    return err_console


def _configure_logging() -> None:
    """Warnings to stderr: on a terminal folded to its width (and above a live progress table),
    in a pipe or a log file one plain line each."""
    import logging

    if sys.stderr.isatty():
        from rich.logging import RichHandler

        # the console a live progress table draws on: a warning prints above the table, not into it
        handler: logging.Handler = RichHandler(console=_err_console(), show_time=False, show_path=False,
                                               markup=False, rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        logging.basicConfig(level=logging.WARNING, handlers=[handler])
    else:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


# the options before the command (``cli_app._root``) and the variable each sets for the command that
# follows; --lang is read from anywhere on the line (``main``)
ROOT_OPTIONS = {"--home": "XXGK_HOME", "--blobs": "XXGK_BLOBS", "--catalog": "XXGK_CATALOG",
                "--index-url": "XXGK_INDEX_URL", "--lang": None}


def _root_options(args: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """The variables the options before the command set, and the command line after them; None when
    an option there is another one or lacks its value (Typer then says so)."""
    env: dict[str, str] = {}
    i = 0
    while i < len(args) and args[i].startswith("-"):
        flag, eq, value = args[i].partition("=")
        if flag not in ROOT_OPTIONS:
            return None
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
        i += 1 if eq else 2
        if not value:
            return None
        if ROOT_OPTIONS[flag]:
            env[ROOT_OPTIONS[flag]] = value
    return env, args[i:]


def _plain_run(args: list[str]):
    """The command and its values when ``args`` is a plain command line of a PLAIN_COMMANDS
    command (``archive.options.parse_plain``), options before the command included (``xxgk
    --home H search …``); else None, and Typer runs it."""
    root = _root_options(args)
    if root is None:
        return None
    env, args = root
    if not args or args[0] not in PLAIN_COMMANDS:
        return None
    import importlib

    from .options import parse_plain

    module, params, function = PLAIN_COMMANDS[args[0]]
    mod = importlib.import_module(module)
    values = parse_plain(getattr(mod, params), args[1:], {**os.environ, **env})
    if values is None:
        return None
    os.environ.update(env)  # as the options before the command do under Typer: for what the command opens
    return getattr(mod, function), values


def _run_as_click(run, values: dict) -> int:
    """Run a command as Click's standalone mode does: the same exit codes on ^C and on a broken pipe."""
    try:
        run(**values)
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        if e.errno != errno.EPIPE:
            raise
        from typer._click.utils import PacifyFlushWrapper

        sys.stdout, sys.stderr = PacifyFlushWrapper(sys.stdout), PacifyFlushWrapper(sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    # the process's own command line (the console script, `python -m archive.cli`): the process ends
    # when main returns. A plain command's few thousand objects are left to reference counting: no
    # collection while its modules load, none over all of them as the process ends (~10 ms a search)
    own_process = argv is None
    if own_process:
        gc.disable()
    args = list(sys.argv[1:] if argv is None else argv)
    set_lang(lang_from(args))
    try:
        plain = _plain_run(args)
        if plain is not None:  # its modules log through archive.logs: set up if one does
            from .logs import on_first_use

            on_first_use(_configure_logging)
            try:
                return _run_as_click(*plain)
            finally:
                if own_process:
                    gc.freeze()  # what is left when the process ends is not walked by its last collection
        if own_process:
            gc.enable()  # Typer's commands: a crawl or a server runs for hours
        import typer

        from .i18n import translate_command

        command = typer.main.get_command(__getattr__("app"))
        translate_command(command)
        # standalone mode: usage errors, --help and typer.Exit become SystemExit with Click's codes
        command.main(args=args, prog_name="xxgk", standalone_mode=True)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except xxgk_errors() as e:
        _err_console().print(_("error: {message}", message=translate_error(str(e))), markup=False)
        return 1
    except KeyboardInterrupt:
        _err_console().print(_("interrupted: the archive is consistent; run the same command again to continue"))
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
