"""`xxgk catalog copy SRC DST`: move a catalog between SQLite and PostgreSQL, either way;
`xxgk catalog compact`: give back the space it no longer uses."""
from __future__ import annotations

from typing import Annotated

import typer

from ..cli_common import HomeOpt, JsonOpt, console, print_json

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    catalog = typer.Typer(help="The catalog itself: copy it between SQLite and PostgreSQL, compact it.",
                          no_args_is_help=True, add_completion=False, rich_markup_mode=None)
    catalog.command("copy")(copy_cmd)
    catalog.command("compact")(compact_cmd)
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


def compact_cmd(
    location: Annotated[str | None, typer.Argument(
        help="a catalog.sqlite file, a home folder or a postgresql:// URL [default: the home's catalog]",
        show_default=False)] = None,
    home: HomeOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Give back the space the catalog no longer uses (deleted reports, an upgrade that rewrote a table).

    SQLite: the file is rewritten whole (VACUUM), which needs its size free twice (in SQLite's
    temporary folder, then beside it) and waits for another writer as every writing command does;
    a kill leaves the catalog as it was; while `xxgk serve` or a search still reads it, the file
    shrinks at the next checkpoint. PostgreSQL: each table is rewritten (VACUUM FULL, locking that
    table while it runs) and analysed. Every record reads the same after.
    Example: xxgk catalog compact
    """
    from ..catalog_compact import compact_catalog
    from ..catalog_copy import open_catalog_at

    if location is None:
        from ..cli_common import open_home

        with open_home(home) as h:
            report = compact_catalog(h.catalog, min_free_space=h.settings.min_free_space)
    else:
        open_catalog_at(location, readonly=True).close()  # a catalog must be there: never made by compacting
        with open_catalog_at(location, readonly=False) as cat:
            report = compact_catalog(cat)
    if json_out:
        print_json(report.to_dict())
        return
    console.print(f"compacted {report.location}: {report.bytes_before / 2**20:,.1f} MB -> "
                  f"{report.bytes_after / 2**20:,.1f} MB ({report.seconds:g} s)", markup=False)
    if report.pending:
        console.print("the file keeps its size until the commands still reading it (xxgk serve, a search) are "
                      "done and the next checkpoint folds the rewritten pages in (any command that writes the "
                      "catalog, or `xxgk catalog compact` again)", markup=False)
