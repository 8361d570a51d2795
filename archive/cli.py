"""The `xxgk` command line: one Typer app; each command group lives in ``archive/commands/``.

``main()`` runs the app and turns every package's own error (see ``archive.errors.xxgk_errors``)
into one line on stderr and exit code 1; a usage mistake exits 2 (Click's convention).
"""
from __future__ import annotations

import importlib
import logging
import sys

import typer

from .cli_common import err_console
from .errors import xxgk_errors

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
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        # standalone mode: usage errors, --help and typer.Exit become SystemExit with Click's codes
        app(args=argv, prog_name="xxgk")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except xxgk_errors() as e:
        err_console.print(f"error: {e}", markup=False)
        return 1
    except KeyboardInterrupt:
        err_console.print("interrupted: the archive is consistent; run the same command again to continue")
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
