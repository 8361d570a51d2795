"""The Typer side of `xxgk`: the root group, whose commands (``archive.cli.COMMANDS``) are loaded
the first time they are asked for, and the options before the command.

Imported by ``archive.cli`` when a command line needs Typer (every one but a plain `xxgk search`).
"""
from __future__ import annotations

import importlib
import os
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer._click.exceptions import UsageError
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from .cli import COMMAND_MODULES, COMMANDS, version_text
from .i18n import _, set_lang, translate_command, translate_help

__all__ = ["app", "LazyGroup"]

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

def _show_version(value: bool) -> None:
    if value:
        print(version_text())
        raise typer.Exit(0)


def _root_option(flag: str, help: str, kind: type = str, **more) -> object:
    """An option before the command: a value (none by default) that the command that follows sees."""
    return Annotated[Optional[kind], typer.Option(flag, help=help, show_default=False, **more)]


RootHome = _root_option("--home", "archive home folder for the command that follows [default: ./xxgk-data]", Path)
RootBlobs = _root_option("--blobs", "where archived files go: a folder or s3://bucket/prefix [default: <home>/blobs]")
RootCatalog = _root_option("--catalog", "the catalog: a PostgreSQL URL (postgresql://user@host/db) [default: "
                                        "<home>/catalog.sqlite]")
RootIndexUrl = _root_option("--index-url", "PostgreSQL database of the postgres search backend "
                                           "(postgresql://user@host/db)")
RootLang = _root_option("--lang", "language of messages, headers and help: en (default) or zh", envvar="XXGK_LANG")


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version,
                                          help="print the version and exit")] = False,
    home: RootHome = None,
    blobs: RootBlobs = None,
    catalog: RootCatalog = None,
    index_url: RootIndexUrl = None,
    lang: RootLang = None,
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


