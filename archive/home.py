"""The archive home: one folder holding ``blobs/``, ``catalog.sqlite`` and the derived ``index/``.

The blobs may live elsewhere: the ``blobs`` setting (``XXGK_BLOBS``, ``--blobs``) names a folder or an
fsspec URL (``s3://bucket/prefix``; blobs.py).

Which folder: ``--home``, else ``XXGK_HOME``, else ``./xxgk-data``. Opening a home creates what is
missing, cleans temporary files a killed writer left, and migrates the catalog.

The catalog may live in PostgreSQL: ``XXGK_CATALOG=postgresql://user@host/db`` when
the home is made puts it there, and the home records the URL in ``catalog.url`` (blobs, index and
locks stay in the folder); a URL without a database name gets a database of its own per home
(``xxgk_<folder>_<hash>``). A home keeps the catalog it was made with: naming another one is refused
(``xxgk catalog copy`` moves a catalog). The URL's password is never printed (``archive.db.redact``).

On read-only storage (a read-only mount, a folder the user may not write) ``Home.open`` opens the
catalog read-only instead (``mode=ro``; ``immutable=1`` when SQLite cannot even add its ``-shm``
file), touches nothing, and every reading command works; a write says the archive is read-only
(``ReadOnlyError``). ``readonly=True`` asks for that mode on writable storage too.
"""
from __future__ import annotations

import os
from pathlib import Path

from index.value_class import value_class

from .blobs import BlobStore, RemoteBlobStore, open_blob_store
from .catalog import Catalog
from .db import ensure_database, has_database, home_database_name, is_postgres_url, redact
from .errors import CatalogError, HomeError
from .logs import logger
from .settings import ArchiveSettings, load_settings

__all__ = ["Home", "resolve_home_path", "writable", "DEFAULT_HOME", "catalog_location", "CATALOG_URL_FILE"]

DEFAULT_HOME = "xxgk-data"
CATALOG_URL_FILE = "catalog.url"  # a home whose catalog is in PostgreSQL: the URL, one line


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


@value_class
class Home:
    path: Path
    blobs: BlobStore | RemoteBlobStore
    catalog: Catalog
    settings: ArchiveSettings
    readonly: bool = False

    def __post_init__(self) -> None:
        if hasattr(self.catalog.conn, "home"):  # a PostgreSQL catalog: the folder its site profiles are in
            self.catalog.conn.home = str(self.path)

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
        wanted = os.environ.get("XXGK_CATALOG")
        # a folder on another machine joins a catalog already in PostgreSQL: even a reading command makes it
        create = create or bool(wanted and is_postgres_url(wanted) and has_database(wanted)
                                and not (home / "catalog.sqlite").exists())
        if home.exists() and not home.is_dir():
            raise HomeError(f"{home} is a file, not an archive home folder")
        if not home.exists():
            if not create:
                raise HomeError(f"no archive at {home} (run `xxgk import` or `xxgk crawl` first, or pass --home)")
            try:  # exist_ok: two commands creating one home at once (two imports started together)
                home.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise HomeError(f"cannot create the archive home {home}: {e.strerror}") from e
        elif not create and not (home / "catalog.sqlite").exists() and not (home / CATALOG_URL_FILE).exists():
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
        location = catalog_location(home, wanted)
        if readonly or not can_write:
            if is_postgres_url(location):
                return cls(home, blobs, Catalog(location, readonly=True), settings, readonly=True)
            return cls(home, blobs, _open_readonly(home / "catalog.sqlite", can_write), settings, readonly=True)
        blobs.prepare()
        catalog = Catalog(location)
        if isinstance(location, str) and not (home / CATALOG_URL_FILE).exists():
            _write_url(home / CATALOG_URL_FILE, location)  # once the database is there and migrated
        return cls(home, blobs, catalog, settings)

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> "Home":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def catalog_location(home: Path, wanted: str | None = None) -> Path | str:
    """The home's catalog: its recorded PostgreSQL URL, else its ``catalog.sqlite``.

    ``wanted`` (``XXGK_CATALOG``) chooses for a home that has no catalog yet (a server without a
    database: one is made for the home); a home that has one keeps it, and naming another is refused.
    """
    url_file, sqlite_file = home / CATALOG_URL_FILE, home / "catalog.sqlite"
    if wanted and not is_postgres_url(wanted):
        raise HomeError(f"XXGK_CATALOG / --catalog takes a postgresql:// URL, not {wanted!r} (a SQLite "
                        "catalog is the home's own catalog.sqlite)")
    if url_file.exists():
        current: Path | str = url_file.read_text(encoding="utf-8").strip()
    elif sqlite_file.exists() or not wanted:
        current = sqlite_file
    else:
        return wanted if has_database(wanted) else ensure_database(wanted, home_database_name(home))
    if wanted and has_database(wanted) and wanted != str(current):
        shown = redact(current) if isinstance(current, str) else current
        raise HomeError(f"the home {home} keeps its catalog in {shown}, not {redact(wanted)}: "
                        "`xxgk catalog copy` moves a catalog")
    return current


def _write_url(path: Path, url: str) -> None:
    # a temporary file of its own: two commands making one home at once both write (the same URL);
    # mkstemp's file is the owner's only (0600): the URL may hold a password
    import tempfile  # here: a search, which never writes one, does not load it

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(url + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _open_readonly(path: Path, folder_writable: bool) -> Catalog:
    """``mode=ro``; on storage where SQLite cannot add its ``-shm`` file, ``immutable=1``."""
    try:
        return Catalog(path, readonly=True)
    except CatalogError:
        if folder_writable:
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        logger(__name__).warning("%s holds changes a killed writer did not fold into the catalog; read-only storage "
                    "cannot take them in, so they are not read", wal)
    return Catalog(path, readonly=True, immutable=True)
