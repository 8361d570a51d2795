"""The archive home: one folder holding ``blobs/``, ``catalog.sqlite`` and the derived ``index/``.

Which folder: ``--home``, else ``XXGK_HOME``, else ``./xxgk-data``. Opening a home creates what is
missing, cleans temporary files a killed writer left, and migrates the catalog.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .blobs import BlobStore
from .catalog import Catalog
from .errors import HomeError
from .settings import ArchiveSettings, load_settings

__all__ = ["Home", "resolve_home_path", "DEFAULT_HOME"]

DEFAULT_HOME = "xxgk-data"


def resolve_home_path(flag: str | os.PathLike | None) -> Path:
    return Path(flag or os.environ.get("XXGK_HOME") or DEFAULT_HOME).expanduser()


@dataclass
class Home:
    path: Path
    blobs: BlobStore
    catalog: Catalog
    settings: ArchiveSettings

    @property
    def index_dir(self) -> Path:
        return self.path / "index"

    @property
    def catalog_path(self) -> Path:
        return self.path / "catalog.sqlite"

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, create: bool = True,
             overrides: dict | None = None) -> "Home":
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
        if not os.access(home, os.W_OK) and create:
            raise HomeError(f"the archive home {home} is not writable")
        try:
            settings = load_settings(home, overrides)
        except ValueError as e:
            raise HomeError(str(e)) from e
        blobs = BlobStore(home / "blobs")
        blobs.root.mkdir(exist_ok=True)
        blobs.clean_temp_files()
        catalog = Catalog(home / "catalog.sqlite")
        return cls(home, blobs, catalog, settings)

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> "Home":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
