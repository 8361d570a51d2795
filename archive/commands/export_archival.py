"""`xxgk export --warc FILE / --wacz FILE / --parquet DIR`: the archive in the archivists' formats.

Called by ``export_cmd`` (``compare.py``) when any of the three is given; each is written whole or not
at all. Files left out because their blob is missing or altered are counted and make the exit code 1.
"""
from __future__ import annotations

from pathlib import Path

import typer

from ..cli_common import err_console, open_home
from ..errors import InputError
from ..output import check_output_path

__all__ = ["export_archival"]


def export_archival(home: Path | None, warc: Path | None, wacz: Path | None, parquet: Path | None) -> None:
    for path in (warc, wacz):
        if path is not None:
            check_output_path(path)
    if parquet is not None and parquet.exists() and not parquet.is_dir():
        raise InputError(f"--parquet {parquet}: a folder to write into, not a file")
    missing: set[str] = set()
    with open_home(home) as h:
        if warc is not None:
            from ..warc_export import export_warc

            missing |= _said(warc, export_warc(h, warc))
        if wacz is not None:
            from ..wacz import export_wacz

            missing |= _said(wacz, export_wacz(h, wacz))
        if parquet is not None:
            from ..parquet_export import export_parquet

            counts = export_parquet(h, parquet)
            rows = ", ".join(f"{name} {n}" for name, n in counts.items())
            err_console.print(f"wrote {parquet}: {rows} rows, README.md of the columns", markup=False)
    if missing:
        err_console.print(f"{len(missing)} archived files are missing or altered and were left out: "
                          "`xxgk verify` lists them; import or crawl them again", markup=False)
        raise typer.Exit(1)


def _said(path: Path, summary) -> set[str]:
    err_console.print(f"wrote {path}: {summary.records} records ({summary.responses} responses, {summary.revisits} "
                      f"revisits, {summary.redirects} redirects, {summary.list_pages} list pages, "
                      f"{summary.resources} imported files)", markup=False)
    return set(summary.missing)
