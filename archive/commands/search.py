"""`xxgk index` (bring the search index up to date with the catalog) and `xxgk search QUERY`."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from index import BACKENDS

from ..cli_common import HomeOpt, JsonOpt, console, err_console, open_home, print_json
from ..errors import InputError
from ..indexing import sync_index
from ..options import typer_command
from ..searching import readable_snippet
from .search_command import HIT_COLUMNS, SEARCH_PARAMS, search

__all__ = ["register", "readable_snippet", "HIT_COLUMNS"]

BackendOpt = Annotated[Optional[str], typer.Option(
    "--backend", help=f"search backend: {' or '.join(BACKENDS)} [default: the index's own, else tantivy; "
                      "whoosh where tantivy cannot be imported]", show_default=False)]


def register(app: typer.Typer) -> None:
    app.command("index")(index_cmd)
    app.command("search")(typer_command(search, SEARCH_PARAMS))


def _check_backend(backend: str | None) -> None:
    if backend is not None and backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}: choose {' or '.join(BACKENDS)}")


def index_cmd(
    home: HomeOpt = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="build the index again from the whole catalog")] = False,
    backend: BackendOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Bring the full-text index up to date with the catalog (new, re-parsed and deleted reports).

    Example: xxgk index --backend tantivy --rebuild
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    _check_backend(backend)
    h = open_home(home, create=False)
    with h:
        columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err_console, transient=True, disable=json_out) as bar:
            task = bar.add_task("indexing", total=None)
            stats = sync_index(h.catalog, h.index_dir, backend or h.settings.index_backend or None,
                               rebuild=rebuild,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
    if json_out:
        print_json(stats.to_dict())
    else:
        how = "rebuilt" if stats.rebuilt else "updated"
        console.print(f"index {how} ({stats.backend}): {stats.upserted} indexed, {stats.deleted} removed, "
                      f"{stats.documents} reports searchable, {stats.seconds:g} s")
