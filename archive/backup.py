"""`xxgk backup DEST`: a consistent copy of a live archive, taken while others write it.

    backup_home(home, dest, with_blobs=False) -> BackupReport

Into the new folder ``dest``:
  catalog.sqlite       SQLite's online backup API, in one step: one read snapshot of the catalog,
                       whatever other processes commit meanwhile (WAL readers never block them)
  index/               the search index, copied under its writer lock (no sync writes meanwhile),
                       taken before the catalog snapshot, so it never runs ahead of that catalog
                       (``xxgk index`` catches it up after a restore)
  blobs-manifest.tsv   every blob that catalog names: sha256, size, what it is (``#`` header lines)
  blobs/               with ``with_blobs``: those blobs, hard-linked when on the same disk
                       (a blob is never modified, so a link is a copy), else copied

Blobs are content-addressed and written once, so the manifest is enough to check any copy of the
blob store against (``xxgk verify`` on the restored home). To restore: copy ``catalog.sqlite`` and
``index/`` into a home whose ``blobs/`` holds the manifest's files. A blob missing at backup time
is listed in the report. Reads the home only; works on a read-only archive.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from index.lock import WriterLock

from .catalog import Catalog, now_iso
from .errors import DiskFullError, InputError, is_disk_full
from .home import Home
from .verify import named_blobs

__all__ = ["BackupReport", "backup_home", "MANIFEST_NAME"]

MANIFEST_NAME = "blobs-manifest.tsv"


@dataclass
class BackupReport:
    dest: Path
    catalog_bytes: int = 0
    index: bool = False
    blobs: int = 0
    blob_bytes: int = 0
    copied_blobs: int = 0
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["dest"] = str(self.dest)
        return d


def backup_home(home: Home, dest: Path, *, with_blobs: bool = False) -> BackupReport:
    t0 = time.monotonic()
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(f"{dest} exists and is not an empty folder: back up into a new folder")
    report = BackupReport(dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
        with _index_lock(home):
            report.index = _copy_index(home.index_dir, dest / "index")
            _snapshot_catalog(home, dest / "catalog.sqlite")
        report.catalog_bytes = (dest / "catalog.sqlite").stat().st_size
        _write_manifest(home, dest, report, with_blobs)
    except OSError as e:
        if is_disk_full(e):
            raise DiskFullError(f"the backup's disk is full: {dest} is incomplete; free space there (or choose "
                                "another DEST) and run the backup again into a new folder") from e
        raise
    report.seconds = round(time.monotonic() - t0, 2)
    return report


class _index_lock:
    """The index's writer lock when the home is writable; a read-only home has no writer to stop."""

    def __init__(self, home: Home):
        self.lock = None if home.readonly or not home.index_dir.exists() else WriterLock(home.index_dir)

    def __enter__(self):
        if self.lock is not None:
            self.lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.lock is not None:
            self.lock.release()


def _copy_index(src: Path, dst: Path) -> bool:
    if not src.is_dir():
        return False
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.lock", ".*.lock"))
    return True


def _snapshot_catalog(home: Home, target: Path) -> None:
    if home.catalog.url:  # a PostgreSQL catalog: one read snapshot of it, as a SQLite file
        from .catalog_copy import copy_catalog

        copy_catalog(home.catalog.url, str(target))
        return
    out = sqlite3.connect(target)
    try:
        home.catalog.conn.backup(out)  # one step (pages=-1): one read snapshot of the catalog
        out.execute("PRAGMA journal_mode = DELETE")  # a single file, readable anywhere
    finally:
        out.close()


def _write_manifest(home: Home, dest: Path, report: BackupReport, with_blobs: bool) -> None:
    # written line by line as the catalog names the blobs (a national archive names millions)
    part = dest / (MANIFEST_NAME + ".part")
    with Catalog(dest / "catalog.sqlite", readonly=True) as snapshot, open(part, "w", encoding="utf-8") as out:
        out.write(f"# xxgk blobs manifest, {now_iso()}: every blob the catalog beside this file names\n"
                  "# sha256\tsize\twhat\n")
        for sha, what in named_blobs(snapshot.conn):
            size = home.blobs.size(sha)
            if size is None:
                report.missing.append(sha)
                out.write(f"{sha}\t\t{what} (missing at backup time)\n")
                continue
            report.blobs += 1
            report.blob_bytes += size
            out.write(f"{sha}\t{size}\t{what}\n")
            if with_blobs:
                home.blobs.copy_to(sha, dest / "blobs" / sha[:2] / sha[2:4] / sha)
                report.copied_blobs += 1
    os.replace(part, dest / MANIFEST_NAME)
