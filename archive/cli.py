"""The `xxgk` command line: one Typer app; each command group lives in ``archive/commands/``.

A command's module is imported only when that command runs: ``COMMANDS`` names each command's
module and the first paragraph of its help, so ``xxgk --help`` lists every command without
importing one, and ``xxgk search`` never loads the crawler, the parser or compare.

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

import importlib
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

from difflib import get_close_matches
from typing import NamedTuple

import typer
from typer._click.exceptions import UsageError
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from .cli_common import err_console
from .errors import xxgk_errors
from .i18n import _, lang_from, set_lang, translate_command, translate_error, translate_help

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


_LAZY_MODULES = {c.module for c in COMMANDS.values()}


class LazyGroup(TyperGroup):
    """The root group: commands of ``COMMANDS`` are loaded (their module imported, registered on a
    Typer of their own, translated) the first time they are asked for."""

    def _load(self, module: str) -> None:
        sub = typer.Typer(add_completion=False, rich_markup_mode=None)
        importlib.import_module(module).register(sub)
        for name, cmd in typer.main.get_group(sub).commands.items():
            translate_command(cmd)
            self.commands.setdefault(name, cmd)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self._load(COMMANDS[cmd_name].module)
        return self.commands.get(cmd_name)

    def list_commands(self, ctx) -> list[str]:
        names = [name for name, c in COMMANDS.items() if c.module in COMMAND_MODULES]
        return names + [n for n in self.commands if n not in COMMANDS]

    def format_commands(self, ctx, formatter) -> None:
        names = [n for n in self.list_commands(ctx) if n in self.commands or n in COMMANDS]
        if not names:
            return
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            cmd = self.commands.get(name)
            if cmd is None:  # not loaded: its line from the table, as Click would shorten it
                rows.append((name, make_default_short_help(
                    translate_help(COMMANDS[name].help) or "", limit)))
            elif not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit)))
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def resolve_command(self, ctx, args: list[str]):
        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as e:  # "Did you mean …?" over every command, loaded or not
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args and self.suggest_commands else []
            if matches:
                e.message = f"{e.message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"
            raise


app = typer.Typer(
    cls=LazyGroup,
    name="xxgk",
    help="Crawl, archive, parse, search and compare Chinese government information disclosure "
         "annual reports (政府信息公开工作年度报告).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

def version_text() -> str:
    from importlib import metadata  # 15 ms: only for --version

    try:
        v = metadata.version("xxgk")
    except metadata.PackageNotFoundError:  # run from a checkout without installing
        v = "unknown"
    from parser import PARSER_VERSION

    return f"xxgk {v} (parser {PARSER_VERSION})"


def _show_version(value: bool) -> None:
    if value:
        print(version_text())
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version,
                                          help="print the version and exit")] = False,
    home: Annotated[Optional[Path], typer.Option(
        "--home", help="archive home folder for the command that follows [default: ./xxgk-data]",
        show_default=False)] = None,
    blobs: Annotated[Optional[str], typer.Option(
        "--blobs", help="where archived files go: a folder or s3://bucket/prefix [default: <home>/blobs]",
        show_default=False)] = None,
    catalog: Annotated[Optional[str], typer.Option(
        "--catalog", help="the catalog: a PostgreSQL URL (postgresql://user@host/db) [default: <home>/catalog.sqlite]",
        show_default=False)] = None,
    index_url: Annotated[Optional[str], typer.Option(
        "--index-url", help="PostgreSQL database of the postgres search backend (postgresql://user@host/db)",
        show_default=False)] = None,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", envvar="XXGK_LANG", help="language of messages, headers and help: en (default) or zh",
        show_default=False)] = None,
) -> None:
    """Crawl, archive, parse, search and compare Chinese government information disclosure annual
    reports (政府信息公开工作年度报告)."""
    if home is not None:
        os.environ["XXGK_HOME"] = str(home)
    if blobs is not None:
        os.environ["XXGK_BLOBS"] = blobs
    if catalog is not None:
        os.environ["XXGK_CATALOG"] = catalog
    if index_url is not None:
        os.environ["XXGK_INDEX_URL"] = index_url
    if lang is not None:
        set_lang(lang)


for _name in COMMAND_MODULES:  # a module without entries in COMMANDS: imported now, listed after the others
    if _name not in _LAZY_MODULES:
        importlib.import_module(_name).register(app)


def _configure_logging() -> None:
    """Warnings to stderr: on a terminal folded to its width (and above a live progress table),
    in a pipe or a log file one plain line each."""
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        # the console a live progress table draws on: a warning prints above the table, not into it
        handler: logging.Handler = RichHandler(console=err_console, show_time=False, show_path=False, markup=False,
                                               rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        logging.basicConfig(level=logging.WARNING, handlers=[handler])
    else:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    _configure_logging()
    args = list(sys.argv[1:] if argv is None else argv)
    set_lang(lang_from(args))
    command = typer.main.get_command(app)
    translate_command(command)
    try:
        # standalone mode: usage errors, --help and typer.Exit become SystemExit with Click's codes
        command.main(args=args, prog_name="xxgk", standalone_mode=True)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except xxgk_errors() as e:
        err_console.print(_("error: {message}", message=translate_error(str(e))), markup=False)
        return 1
    except KeyboardInterrupt:
        err_console.print(_("interrupted: the archive is consistent; run the same command again to continue"))
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
