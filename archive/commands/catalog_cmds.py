"""`xxgk catalog copy SRC DST`: move a catalog between SQLite and PostgreSQL, either way."""
from __future__ import annotations

from typing import Annotated

import typer

from ..cli_common import JsonOpt, console, print_json

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    catalog = typer.Typer(help="The catalog itself: copy it between SQLite and PostgreSQL.", no_args_is_help=True,
                          add_completion=False, rich_markup_mode=None)
    catalog.command("copy")(copy_cmd)
    app.add_typer(catalog, name="catalog")


def copy_cmd(
    source: Annotated[str, typer.Argument(help="a catalog.sqlite file, a home folder or a postgresql:// URL",
                                          show_default=False)],
    destination: Annotated[str, typer.Argument(help="where to copy it: the same kinds of place", show_default=False)],
    replace: Annotated[bool, typer.Option("--replace", help="overwrite a destination that already holds a catalog")]
    = False,
    json_out: JsonOpt = False,
) -> None:
    """Copy a whole catalog between SQLite and PostgreSQL (either way), ids kept.

    One transaction on the destination (a kill leaves it as it was: run the same command again);
    refuses a destination that holds rows unless --replace; compares every table's row count after.
    A home uses a PostgreSQL catalog when made with XXGK_CATALOG=postgresql://….
    Example: xxgk catalog copy xxgk-data/catalog.sqlite postgresql://xxgk@db.example/xxgk
    """
    from ..catalog_copy import copy_catalog

    report = copy_catalog(source, destination, replace=replace)
    if json_out:
        print_json(report.to_dict())
        return
    total = sum(report.rows.values())
    console.print(f"copied {total:,} rows in {len(report.rows)} tables from {report.source} to "
                  f"{report.destination} ({report.seconds:g} s); every table's row count checked", markup=False)
