"""The catalog (``catalog.sqlite``): the one source of truth of an archive home.

SQLite in WAL mode: many readers, one writer at a time. Every write runs in ``write()``, a
``BEGIN IMMEDIATE`` transaction, so a second process waits (busy timeout) instead of failing, and
a kill leaves either the whole change or none of it. A record's metrics, evidence, sections and
findings are stored once, as rows of their tables that queries and exports read; ``record_json``
keeps the rest and the record is put back together on read (``archive.catalog_records``).

``Catalog(path, readonly=True)`` opens with ``mode=ro`` (no migration, no write); with
``immutable=True`` as well, SQLite takes no lock and reads no WAL: for a catalog on read-only
storage, where even the ``-shm`` file cannot be made. SQLite's own errors on ``conn.execute``
(damaged file, full disk, read-only storage) become ``CatalogDamagedError``, ``DiskFullError``,
``ReadOnlyError`` with the remedy in their message (``archive.errors.translate_sqlite_error``).

Storing a document's parse outcome also releases its parse claim (``archive.claims``).

``Catalog("postgresql://…")`` keeps the same catalog in PostgreSQL (``archive.db``): the same SQL,
migrations and transactions; writers take turns on an advisory lock as they do on SQLite's.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from index.value_class import value_class

from .db import connect_postgres, is_postgres_url, redact, table_exists
from .errors import CatalogError, translate_sqlite_error
from .migrations import MIGRATIONS, apply_migrations, current_version
from .name_ids import NameIdCache

__all__ = ["Catalog", "DocumentRow", "ReportFilter", "now_iso", "VARIANT_MARKS"]

BUSY_TIMEOUT_MS = 60_000
# title suffixes that mark a copy or companion of a report rather than the report itself
VARIANT_MARKS = ("图解", "解读", "更正", "修订", "摘要", "简版", "政策解读")


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@value_class(frozen=True)
class DocumentRow:
    id: int
    sha256: str
    size: int
    media_type: str | None
    status: str
    parser_version: str | None


_IDS_AT_ONCE = 500  # report ids a statement names (SQLite's bound on parameters is far above)


@value_class(frozen=True)
class ReportFilter:
    """What `xxgk reports` and friends select by. Empty fields select everything."""

    region: str | None = None  # substring of the full region name
    year_from: int | None = None
    year_to: int | None = None
    agency: str | None = None  # substring
    format: str | None = None
    ids: tuple[int, ...] = ()  # only these reports

    def where(self) -> tuple[str, list[Any]]:
        clauses, args = [], []
        if self.ids:
            clauses.append(f"r.id IN ({', '.join('?' * len(self.ids))})")
            args.extend(self.ids)
        if self.region:
            clauses.append("r.region LIKE ?")
            args.append(f"%{self.region}%")
        if self.year_from is not None:
            clauses.append("r.year >= ?")
            args.append(self.year_from)
        if self.year_to is not None:
            clauses.append("r.year <= ?")
            args.append(self.year_to)
        if self.agency:
            clauses.append("r.agency LIKE ?")
            args.append(f"%{self.agency}%")
        if self.format:
            clauses.append("r.format = ?")
            args.append(self.format)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


class _Connection(sqlite3.Connection):
    """A connection whose ``execute`` says what SQLite's errors mean for the archive."""

    catalog_path: Path

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as e:
            raise translate_sqlite_error(e, self.catalog_path) from e

    def executemany(self, sql: str, parameters: Any) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return super().executemany(sql, parameters)
        except sqlite3.DatabaseError as e:
            raise translate_sqlite_error(e, self.catalog_path) from e


def _uri(path: Path, *, immutable: bool) -> str:
    from urllib.parse import quote

    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def _use_wal(conn: sqlite3.Connection) -> None:
    """The catalog in WAL mode (it stays so in the file). Switching takes the file to itself and SQLite
    does not wait for that lock: commands that create one catalog at once (two imports started
    together) found "database is locked". The switch is retried within the busy timeout; a file
    already in WAL mode needs none."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                return
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class Catalog:
    def __init__(self, path: "Path | str", *, readonly: bool = False, immutable: bool = False):
        """``path``: the SQLite file, or a ``postgresql://`` URL (``archive.db``)."""
        self.readonly = readonly or immutable
        if is_postgres_url(path):
            self._open_postgres(str(path))
            return
        self.url = None
        self.path = Path(path)
        try:
            if self.readonly:
                self.conn = sqlite3.connect(_uri(self.path, immutable=immutable), uri=True, factory=_Connection,
                                            timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            else:
                self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                            factory=_Connection)
            self.conn.catalog_path = self.path
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                _use_wal(self.conn)
                self.conn.execute("PRAGMA synchronous = NORMAL")
                apply_migrations(self.conn)
            version = current_version(self.conn) if not self.readonly else self._version_ro()
            if self.readonly:  # a damaged file says so on its first real read
                self.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except CatalogError:
            raise
        except sqlite3.DatabaseError as e:
            translated = translate_sqlite_error(e, self.path)
            if translated is e:
                raise CatalogError(f"cannot open the catalog {self.path}: {e}") from e
            raise translated from e
        self._refuse_newer(version)
        self.version = version  # the schema version the catalog was at when opened
        self.conn.name_id_cache = NameIdCache()  # after the migrations: a write's ids once it commits

    def _open_postgres(self, url: str) -> None:
        self.url, self.path = url, None
        self.conn = connect_postgres(url, readonly=self.readonly)
        try:
            if not self.readonly:
                apply_migrations(self.conn)
            version = current_version(self.conn) if not self.readonly else self._version_ro()
        except BaseException:
            self.conn.close()
            raise
        self._refuse_newer(version)
        self.version = version
        self.conn.name_id_cache = NameIdCache()

    @property
    def location(self) -> str:
        """Where the catalog is, fit to print: the file, or the URL without its password."""
        return redact(self.url) if self.url else str(self.path)

    @property
    def dialect(self) -> str:
        return "postgres" if self.url else "sqlite"

    def _refuse_newer(self, version: int) -> None:
        latest = max(m.version for m in MIGRATIONS)
        if version > latest:
            self.conn.close()
            raise CatalogError(
                f"the catalog {self.location} has schema version {version}, newer than this xxgk knows "
                f"({latest}); upgrade xxgk"
            )

    def _version_ro(self) -> int:
        if not table_exists(self.conn, "schema_migrations"):
            return 0
        return self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front (waits if busy)."""
        if self.readonly:
            raise translate_sqlite_error(sqlite3.OperationalError("attempt to write a readonly database"),
                                         self.location)
        self.conn.execute("BEGIN IMMEDIATE")
        ids = self.conn.name_id_cache
        try:
            yield self.conn
        except BaseException:
            ids.rollback()
            if self.conn.in_transaction:  # SQLite may have rolled back itself (SQLITE_FULL)
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                ids.rollback()
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            ids.commit()

    # ---- documents and provenance -------------------------------------------------------------

    def find_document(self, sha256: str) -> DocumentRow | None:
        row = self.conn.execute(
            "SELECT id, sha256, size, media_type, status, parser_version FROM documents WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        return DocumentRow(*row) if row else None

    def add_document(self, sha256: str, size: int, media_type: str | None, charset: str | None = None,
                     source: dict[str, Any] | None = None) -> tuple[DocumentRow, bool]:
        """Insert the document if new (idempotent on sha256) and its source; return (row, is_new)."""
        with self.write() as c:
            # looked up first: an INSERT that conflicts would still use up an id on PostgreSQL
            is_new = self.find_document(sha256) is None
            if is_new:
                c.execute("INSERT INTO documents(sha256, size, media_type, charset, created_at) VALUES (?, ?, ?, ?, ?)",
                          (sha256, size, media_type, charset, now_iso()))
            row = self.find_document(sha256)
            assert row is not None
            if source:
                self._add_source(c, row.id, source)
        return row, is_new

    def add_source(self, document_id: int, source: dict[str, Any]) -> None:
        with self.write() as c:
            self._add_source(c, document_id, source)

    _SOURCE_COLUMNS = ("kind", "url", "final_url", "http_status", "headers_json", "redirects_json",
                       "fetched_at", "site", "referrer", "list_title", "list_date", "list_position",
                       "etag", "last_modified")

    def _add_source(self, c: sqlite3.Connection, document_id: int, source: dict[str, Any]) -> None:
        values = dict(source)
        values.setdefault("fetched_at", now_iso())
        for key in ("headers", "redirects"):
            if key in values:
                values[f"{key}_json"] = json.dumps(values.pop(key), ensure_ascii=False)
        unknown = set(values) - set(self._SOURCE_COLUMNS)
        if unknown:
            raise ValueError(f"unknown source fields: {sorted(unknown)}")
        cols = ["document_id", *values]
        c.execute(
            f"INSERT INTO sources({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            "ON CONFLICT(document_id, kind, url) DO UPDATE SET fetched_at = excluded.fetched_at",
            (document_id, *values.values()),
        )

    def sources(self, document_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT * FROM sources WHERE document_id = ? ORDER BY fetched_at, id", (document_id,)
        ).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            for key in ("headers", "redirects"):
                raw = d.pop(f"{key}_json")
                d[key] = json.loads(raw) if raw else None
            out.append(d)
        return out

    def documents_to_parse(self, parser_version: str, *, all_documents: bool = False) -> list[DocumentRow]:
        """Pending documents, and those parsed by another parser version (or all with ``all_documents``)."""
        if all_documents:
            sql = "SELECT id, sha256, size, media_type, status, parser_version FROM documents ORDER BY id"
            args: Sequence[Any] = ()
        else:
            sql = ("SELECT id, sha256, size, media_type, status, parser_version FROM documents "
                   "WHERE status = 'pending' OR parser_version IS NULL OR parser_version != ? ORDER BY id")
            args = (parser_version,)
        return [DocumentRow(*r) for r in self.conn.execute(sql, args).fetchall()]

    # ---- records --------------------------------------------------------------------------------

    def save_record(self, document_id: int, record: dict[str, Any], url: str | None, *,
                    parts: Any = None) -> int:
        """Store (or replace) the report of a document in one transaction; return the report id.

        The report keeps its id across re-parses, so links and the index stay valid. ``parts``: the
        record's ``catalog_records.record_parts`` when its parse worker made them already.
        """
        title = record.get("title") or ""
        full_text = record.get("text") or ""
        record = {k: v for k, v in record.items() if k != "text"}  # stored once, in report_texts
        variant = next((m for m in VARIANT_MARKS if m in title), None)
        cols = dict(
            title=record.get("title"), year=record.get("year"), region=record.get("region"),
            region_code=record.get("region_code"), agency=record.get("agency"),
            published=record.get("published"), format=record.get("format"), url=url, variant=variant,
            parser_version=record.get("parser_version") or "", parsed_at=now_iso(), record_json="",
        )
        from .catalog_records import prepare_record, write_rows  # a reading process does without them

        with self.write() as c:
            stored = prepare_record(c, record, full_text, parts)
            cols["record_json"] = stored.record_json
            row = c.execute("SELECT id FROM reports WHERE document_id = ?", (document_id,)).fetchone()
            if row:
                report_id = row[0]
                c.execute(
                    f"UPDATE reports SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
                    (*cols.values(), report_id),
                )
            else:
                from .report_ids import stable_report_id  # hashlib: only a process that saves records

                report_id = c.execute(  # an id read from the document, not from the order of saving
                    f"INSERT INTO reports(id, document_id, {', '.join(cols)}) VALUES (?, ?{', ?' * len(cols)})",
                    (stable_report_id(c, document_id), document_id, *cols.values()),
                ).lastrowid
            if full_text:  # sections and evidence snippets are places in this text
                c.execute("INSERT OR REPLACE INTO report_texts(report_id, text) VALUES (?, ?)", (report_id, full_text))
            else:
                c.execute("DELETE FROM report_texts WHERE report_id = ?", (report_id,))
            write_rows(c, report_id, stored)
            c.execute(
                "UPDATE documents SET status = 'parsed', parser_version = ?, parsed_at = ? WHERE id = ?",
                (cols["parser_version"], cols["parsed_at"], document_id),
            )
            c.execute("DELETE FROM errors WHERE document_id = ? AND stage = 'parse'", (document_id,))
            from .claims import release_parse  # socket: only a process that parses

            release_parse(c, document_id)
        return report_id

    def mark_unparsed(self, document_id: int, status: str, parser_version: str, reason: str,
                      message: str, source: str | None = None) -> None:
        """A document that is not a report, or failed to parse: drop any old report, record why."""
        with self.write() as c:
            c.execute("DELETE FROM reports WHERE document_id = ?", (document_id,))
            c.execute(
                "UPDATE documents SET status = ?, parser_version = ?, parsed_at = ? WHERE id = ?",
                (status, parser_version, now_iso(), document_id),
            )
            c.execute("DELETE FROM errors WHERE document_id = ? AND stage = 'parse'", (document_id,))
            c.execute(
                "INSERT INTO errors(document_id, source, stage, reason, message, at) VALUES (?, ?, 'parse', ?, ?, ?)",
                (document_id, source, reason, message, now_iso()),
            )
            from .claims import release_parse

            release_parse(c, document_id)

    def record_error(self, stage: str, reason: str, message: str, *, source: str | None = None,
                     document_id: int | None = None) -> None:
        with self.write() as c:
            c.execute(
                "INSERT INTO errors(document_id, source, stage, reason, message, at) VALUES (?, ?, ?, ?, ?, ?)",
                (document_id, source, stage, reason, message, now_iso()),
            )

    # ---- reading --------------------------------------------------------------------------------

    def list_reports(self, flt: ReportFilter = ReportFilter(), *, limit: int | None = None,
                     distinct: bool = False, ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Reports matching ``flt``; ``distinct``: copies linked by the crawler (``report_links``:
        a portal copy, an 图解 copy, a corrected version) stand behind their canonical report.
        ``copies`` counts the reports of each one's group (1 when it has no copies). ``ids``: only
        these reports (their numbers counted for them alone, not for the whole archive)."""
        if ids is not None:
            from dataclasses import replace

            out: list[dict[str, Any]] = []
            for at in range(0, len(ids), _IDS_AT_ONCE):
                part = [int(i) for i in ids[at:at + _IDS_AT_ONCE]]
                if part:
                    out += self.list_reports(replace(flt, ids=tuple(part)), limit=limit, distinct=distinct)
            return out
        where, args = flt.where()
        if distinct:
            where += (" AND " if where else " WHERE ") + "(l.report_id IS NULL OR l.canonical_id = r.id)"
        sql = (
            "SELECT r.id, r.title, r.year, r.region, r.region_code, r.agency, r.published, r.format, "
            "r.url, r.variant, d.media_type, d.sha256, "
            "(SELECT COUNT(*) FROM metrics m WHERE m.report_id = r.id) AS n_metrics, "
            "(SELECT COUNT(*) FROM findings f WHERE f.report_id = r.id) AS n_findings, "
            "MAX(1, (SELECT COUNT(*) FROM report_links c WHERE c.canonical_id = "
            "COALESCE(l.canonical_id, r.id))) AS copies "
            "FROM reports r JOIN documents d ON d.id = r.document_id "
            f"LEFT JOIN report_links l ON l.report_id = r.id{where} "
            "ORDER BY r.region, r.agency, r.year, r.id"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [dict(r) for r in self.conn.execute(sql, args).fetchall()]

    def get_report(self, report_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT r.*, d.sha256, d.size, d.media_type AS document_media_type FROM reports r "
            "JOIN documents d ON d.id = r.document_id WHERE r.id = ?",
            (report_id,),
        ).fetchone()
        if not row:
            return None
        d = dict(row)
        from .catalog_records import load_record

        d["record"] = load_record(self.conn, report_id, d.pop("record_json"))
        text = self.report_text(report_id)
        if text:
            d["record"]["text"] = text
        d["sources"] = self.sources(d["document_id"])
        return d

    def report_text(self, report_id: int) -> str:
        """The report's full text ('' for a report parsed before texts were kept: reparse fills it)."""
        row = self.conn.execute("SELECT text FROM report_texts WHERE report_id = ?", (report_id,)).fetchone()
        return row[0] if row else ""

    def counts(self) -> dict[str, int]:
        out = {"documents": 0, "reports": 0, "errors": 0}
        for status, n in self.conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status"):
            out[f"documents.{status}"] = n
            out["documents"] += n
        out["reports"] = self.conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        out["errors"] = self.conn.execute("SELECT COUNT(*) FROM errors").fetchone()[0]
        return out

    def errors(self, *, limit: int = 100) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM errors ORDER BY id DESC LIMIT ?", (limit,)).fetchall()]

