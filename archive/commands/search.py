"""`xxgk index` (bring the search index up to date with the catalog) and `xxgk search QUERY`, as Typer
commands: their parameters and what they do live in ``index_command`` and ``search_command``."""
from __future__ import annotations

import typer

from ..options import typer_command
from ..searching import readable_snippet
from .index_command import INDEX_PARAMS, index
from .search_command import HIT_COLUMNS, SEARCH_PARAMS, search

__all__ = ["register", "readable_snippet", "HIT_COLUMNS"]


def register(app: typer.Typer) -> None:
    app.command("index")(typer_command(index, INDEX_PARAMS))
    app.command("search")(typer_command(search, SEARCH_PARAMS))
