"""The archive home: one folder holding ``blobs/``, ``catalog.sqlite`` and the derived ``index/``.

The blobs may live elsewhere: the ``blobs`` setting (``XXGK_BLOBS``, ``--blobs``) names a folder or an
fsspec URL (``s3://bucket/prefix``; blobs.py).

Which folder: ``--home``, else ``XXGK_HOME``, else ``./xxgk-data``. Opening a home creates what is
missing, cleans temporary files a killed writer left, and migrates the catalog.

On read-only storage (a read-only mount, a folder the user may not write) ``Home.open`` opens the
catalog read-only instead (``mode=ro``; ``immutable=1`` when SQLite cannot even add its ``-shm``
file), touches nothing, and every reading command works; a write says the archive is read-only
(``ReadOnlyError``). ``readonly=True`` asks for that mode on writable storage too.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .blobs import BlobStore, RemoteBlobStore, open_blob_store
from .catalog import Catalog
from .errors import CatalogError, HomeError
from .settings import ArchiveSettings, load_settings

__all__ = ["Home", "resolve_home_path", "writable", "DEFAULT_HOME"]

DEFAULT_HOME = "xxgk-data"
log = logging.getLogger(__name__)


def resolve_home_path(flag: str | os.PathLike | None) -> Path:
    return Path(flag or os.environ.get("XXGK_HOME") or DEFAULT_HOME).expanduser()


def writable(folder: Path) -> bool:
    """Whether this process can write in ``folder`` (a read-only mount refuses even root)."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except (OSError, AttributeError):
        pass
    return os.access(folder, os.W_OK)


@dataclass
class Home:
    path: Path
    blobs: BlobStore | RemoteBlobStore
    catalog: Catalog
    settings: ArchiveSettings
    readonly: bool = False

    @property
    def index_dir(self) -> Path:
        return self.path / "index"

    @property
    def catalog_path(self) -> Path:
        return self.path / "catalog.sqlite"

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, create: bool = True,
             overrides: dict | None = None, readonly: bool | None = None) -> "Home":
        home = resolve_home_path(path)
        if home.exists() and not home.is_dir():
            raise HomeError(f"{home} is a file, not an archive home folder")
        if not home.exists():
            if not create:
                raise HomeError(f"no archive at {home} (run `xxgk import` or `xxgk crawl` first, or pass --home)")
            try:
                home.mkdir(parents=True)
            except OSError as e:
                raise HomeError(f"cannot create the archive home {home}: {e.strerror}") from e
        elif not create and not (home / "catalog.sqlite").exists():
            raise HomeError(f"{home} is not an xxgk archive (no catalog.sqlite); pass --home")
        can_write = writable(home)
        if not can_write and create:
            raise HomeError(f"the archive home {home} is not writable (read-only storage?): reading commands "
                            "work there, this one writes")
        try:
            settings = load_settings(home, overrides)
        except ValueError as e:
            raise HomeError(str(e)) from e
        blobs = open_blob_store(settings.blobs or home / "blobs")
        if readonly or not can_write:
            return cls(home, blobs, _open_readonly(home / "catalog.sqlite", can_write), settings, readonly=True)
        blobs.prepare()
        catalog = Catalog(home / "catalog.sqlite")
        return cls(home, blobs, catalog, settings)

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> "Home":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_readonly(path: Path, folder_writable: bool) -> Catalog:
    """``mode=ro``; on storage where SQLite cannot add its ``-shm`` file, ``immutable=1``."""
    try:
        return Catalog(path, readonly=True)
    except CatalogError:
        if folder_writable:
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        log.warning("%s holds changes a killed writer did not fold into the catalog; read-only storage "
                    "cannot take them in, so they are not read", wal)
    return Catalog(path, readonly=True, immutable=True)
