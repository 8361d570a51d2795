"""Copy a whole catalog between SQLite and PostgreSQL, either way (`xxgk catalog copy SRC DST`).

SRC and DST are each a SQLite file, an archive home folder (its own catalog) or a ``postgresql://``
URL. DST is migrated to the current schema first; SRC must be at that version too (any writing
xxgk command brings an older one up to date). The copy is one write transaction on DST: a kill
leaves DST as it was, and the same command runs again. It refuses a DST that holds rows unless
``replace`` (which empties it in that same transaction). Afterwards every table's row count is
compared, in the copy's transaction, against one read snapshot of SRC (a catalog others
are writing copies consistently: `xxgk backup` of a PostgreSQL home uses it); ids, including reports' stable ids, are kept, so links, the index and exports agree.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .db import batches, dialect_of, is_postgres_url, reset_identity, table_columns, table_names
from .errors import CatalogError, InputError

__all__ = ["CopyReport", "copy_catalog", "open_catalog_at"]

# parents before children (foreign keys); tables another xxgk adds later are copied after these
_ORDER = ("documents", "crawl_runs", "reports", "sources", "metric_keys", "metric_values", "evidence_labels",
          "section_spans", "findings", "errors",
          "report_texts", "report_links", "parse_claims", "frontier", "fetches", "report_changes")
_SKIP = {"schema_migrations", "sqlite_sequence"}
# filled by triggers as the reports and the crawl's log are copied (the change log, the counts of
# migrations 9 and 10, the bodies of migration 12): emptied then, and copied last, as the source has them
_FILLED_BY_TRIGGERS = ("report_changes", "publisher_years", "places", "agencies", "fetched_blobs")
_BATCH = 2000


@dataclass
class CopyReport:
    source: str
    destination: str
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "destination": self.destination, "rows": self.rows,
                "total_rows": sum(self.rows.values()), "seconds": self.seconds}


def open_catalog_at(location: str, *, readonly: bool) -> Catalog:
    """A catalog named by a URL, a SQLite file or a home folder."""
    if is_postgres_url(location):
        return Catalog(location, readonly=readonly)
    path = Path(location).expanduser()
    if path.is_dir():
        from .home import catalog_location

        found = catalog_location(path)
        if isinstance(found, str) or found.exists() or not readonly:
            return Catalog(found, readonly=readonly)
        raise InputError(f"{path} holds no catalog (no catalog.sqlite or catalog.url)")
    if readonly and not path.is_file():
        raise InputError(f"no catalog at {path}")
    return Catalog(path, readonly=readonly)


def _ordered(tables: list[str]) -> list[str]:
    rank = {t: i for i, t in enumerate(_ORDER)}
    return sorted((t for t in tables if t not in _SKIP), key=lambda t: (rank.get(t, len(_ORDER)), t))


def _count(conn: Any, table: str) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def copy_catalog(source: str, destination: str, *, replace: bool = False) -> CopyReport:
    started = time.monotonic()
    with open_catalog_at(source, readonly=True) as src, open_catalog_at(destination, readonly=False) as dst:
        report = CopyReport(src.location, dst.location)
        src_version = src.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
        dst_version = dst.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
        if src_version != dst_version:
            raise CatalogError(f"the catalog {src.location} has schema version {src_version}, this xxgk "
                               f"writes {dst_version}: run any xxgk command that writes on it first")
        tables = _ordered(table_names(src.conn))
        missing = sorted(set(tables) - set(table_names(dst.conn)))
        if missing:
            raise CatalogError(f"{dst.location} lacks the tables {', '.join(missing)}")
        occupied = [t for t in tables if _count(dst.conn, t)]
        if occupied and not replace:
            raise InputError(f"{dst.location} already holds a catalog ({', '.join(occupied)} not empty): "
                             "pass --replace to overwrite it")
        with _snapshot(src.conn), dst.write() as c:
            c.name_id_cache.clear()  # metric_keys and evidence_labels get the source's ids
            for table in reversed(tables):
                c.execute(f"DELETE FROM {table}")
            for table in tables:
                if table not in _FILLED_BY_TRIGGERS:
                    report.rows[table] = _copy_table(src.conn, c, table)
            for table in (t for t in tables if t in _FILLED_BY_TRIGGERS):  # the source's own rows replace them
                c.execute(f"DELETE FROM {table}")
                report.rows[table] = _copy_table(src.conn, c, table)
            for table in tables:
                reset_identity(c, table)
                if _count(src.conn, table) != report.rows[table] or _count(c, table) != report.rows[table]:
                    raise CatalogError(f"copy check failed: {table} has {_count(src.conn, table)} rows in "
                                       f"{src.location}, {_count(c, table)} in {dst.location}: nothing was "
                                       "written; run the same command again")
    report.seconds = round(time.monotonic() - started, 3)
    return report


class _snapshot:
    """One read snapshot of the source for the whole copy (a catalog being written stays consistent)."""

    def __init__(self, conn: Any):
        self.conn = conn

    def __enter__(self) -> None:
        postgres = dialect_of(self.conn) == "postgres"
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if postgres else "BEGIN")

    def __exit__(self, *exc: object) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")


def _copy_table(src: Any, dst: Any, table: str) -> int:
    columns = [c for c in table_columns(src, table) if c in set(table_columns(dst, table))]
    names = ", ".join(columns)
    insert = f"INSERT INTO {table}({names}) VALUES ({', '.join('?' * len(columns))})"
    n = 0
    for rows in batches(src, f"SELECT {names} FROM {table}", _BATCH):
        dst.executemany(insert, [tuple(r) for r in rows])
        n += len(rows)
    return n

