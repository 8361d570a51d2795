"""The `xxgk` command line: one Typer app; each command group lives in ``archive/commands/``.

``main()`` runs the app and turns every package's own error (see ``archive.errors.xxgk_errors``)
into one line on stderr and exit code 1; a usage mistake exits 2 (Click's convention).

Options before the command: ``--version``, ``--home H`` (as if every command had it: it sets
XXGK_HOME for this run; a command's own ``--home`` still wins), ``--blobs LOCATION`` (sets XXGK_BLOBS: a
folder or s3://bucket/prefix for the archived files), ``--index-url URL`` (sets XXGK_INDEX_URL: the
database of ``--backend postgres``) and ``--lang en|zh`` (also
XXGK_LANG; read before the commands are built, so ``--help`` is translated too).
"""
from __future__ import annotations

import importlib
import logging
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import err_console
from .errors import xxgk_errors
from .i18n import _, lang_from, set_lang, translate_command, translate_error

__all__ = ["app", "main", "COMMAND_MODULES"]

app = typer.Typer(
    name="xxgk",
    help="Crawl, archive, parse, search and compare Chinese government information disclosure "
         "annual reports (政府信息公开工作年度报告).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# each module exposes register(app); order is the order of `xxgk --help`
COMMAND_MODULES = [
    "archive.commands.demo",
    "archive.commands.archive_cmds",
    "archive.commands.crawl",
    "archive.commands.compare",
    "archive.commands.search",
    "archive.commands.maintenance",
    "archive.commands.serve",
]


def version_text() -> str:
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
    if index_url is not None:
        os.environ["XXGK_INDEX_URL"] = index_url
    if lang is not None:
        set_lang(lang)


for _name in COMMAND_MODULES:
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
