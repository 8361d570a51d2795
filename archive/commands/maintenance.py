"""Commands that look after the archive itself: verify (fixity) and backup."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..backup import MANIFEST_NAME, backup_home
from ..cli_common import HomeOpt, JsonOpt, console, err_console, open_home, print_json
from ..verify import verify_archive

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("verify")(verify_cmd)
    app.command("backup")(backup_cmd)


def verify_cmd(home: HomeOpt = None, json_out: JsonOpt = False) -> None:
    """Re-hash every archived file; list the missing and the altered ones (exit 1 if any).

    A missing or altered file is restored by importing or crawling it again; until then no record
    is made from it. Orphans (files no catalog row names) are harmless and only counted.
    Example: xxgk verify
    """
    with open_home(home) as h:
        report = verify_archive(h)
    if json_out:
        print_json(report.to_dict())
    else:
        c = report.counts()
        for p in report.problems:
            console.print(f"{p.status}: {p.sha256}  {p.what}", markup=False)
        console.print(f"{c['checked']} files checked ({report.bytes / 2**20:,.1f} MB, {report.seconds:g} s): "
                      f"{c['missing']} missing, {c['altered']} altered, {c['orphans']} orphans", markup=False)
        if report.index:
            console.print(report.index, markup=False)
    if not report.ok:
        raise typer.Exit(1)


def backup_cmd(
    dest: Annotated[Path, typer.Argument(help="a new (or empty) folder for the copy", show_default=False)],
    home: HomeOpt = None,
    blobs: Annotated[bool, typer.Option("--blobs", help="copy the archived files too (hard links on the same disk)")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Copy the catalog consistently while others write it (SQLite's online backup), with the
    search index and a manifest of every archived file (--blobs: the files too).

    To restore: put DEST/catalog.sqlite and DEST/index into a home whose blobs/ holds the files of
    DEST/blobs-manifest.tsv, then run `xxgk verify` there.
    Example: xxgk backup /mnt/usb/xxgk-2024-06-01
    """
    with open_home(home) as h:
        report = backup_home(h, dest, with_blobs=blobs)
    if json_out:
        print_json(report.to_dict())
        return
    index = "the search index, " if report.index else "no search index (none yet), "
    copied = f", {report.copied_blobs} copied" if blobs else ""
    console.print(f"backed up to {dest}: the catalog ({report.catalog_bytes / 2**20:,.1f} MB), {index}"
                  f"{MANIFEST_NAME} naming {report.blobs} files ({report.blob_bytes / 2**20:,.1f} MB{copied}); "
                  f"{report.seconds:g} s", markup=False)
    if report.missing:
        err_console.print(f"warning: {len(report.missing)} archived files were missing (listed in the manifest; "
                          "`xxgk verify` says which)", markup=False)
