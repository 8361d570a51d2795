"""Where the catalog lives: a SQLite file (the default) or a PostgreSQL database (psycopg 3).

The archive's SQL is written once, in SQLite's dialect (``?`` placeholders, ``INSERT OR IGNORE``,
``BEGIN IMMEDIATE``, ``lastrowid``), and runs on SQLite untouched. ``PgConnection`` gives a
PostgreSQL database the same surface as a ``sqlite3.Connection`` (``execute``, ``executemany``,
``in_transaction``, rows readable by index and by name) and rewrites each statement once
(``to_postgres``, cached): every PostgreSQL-specific spelling of the archive sits in this module.

- ``BEGIN IMMEDIATE`` becomes ``BEGIN`` plus a transaction-scoped advisory lock: writers take turns,
  exactly as on SQLite, so every read-then-write the archive does (claims, stable report ids, the
  crawl frontier) stays correct with importers and crawlers on several machines; readers never wait.
- ``INSERT OR IGNORE`` / ``INSERT OR REPLACE`` become ``ON CONFLICT`` clauses (the conflict key of
  each replaced table is named in ``_REPLACE_KEYS``); an INSERT into a table with an ``id`` column
  returns it, for ``cursor.lastrowid``.
- ORDER BY terms sort NULL first (SQLite's order), text columns compare by code point (``COLLATE "C"``).
- NUMERIC values come back as ``int`` when whole and ``float`` otherwise, as SQLite's affinity gives.
- A dropped connection, a full disk or a read-only server become the archive's own one-line errors,
  with the URL's password left out (``redact``).

psycopg is imported only when a PostgreSQL catalog is opened: SQLite users never load it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import count, islice
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from .errors import CatalogError, DiskFullError, ReadOnlyError

__all__ = ["is_postgres_url", "redact", "connect_postgres", "has_database", "home_database_name", "ensure_database",
           "table_names", "table_columns", "batches", "stream_rows", "reset_identity", "PgConnection", "Row",
           "to_postgres", "postgres_ddl", "table_exists", "dialect_of", "WRITE_LOCK_KEY"]

# the advisory lock every catalog write transaction holds (any number: one per database)
WRITE_LOCK_KEY = 0x78786B  # "xxk"
# tables whose rows are replaced whole by INSERT OR REPLACE, and the key they are replaced on
_REPLACE_KEYS = {"report_links": "report_id", "parse_claims": "document_id", "report_texts": "report_id"}
# tables with an identity ``id``: an INSERT into them returns it (cursor.lastrowid)
_ID_TABLES = frozenset({"documents", "sources", "reports", "errors", "crawl_runs", "fetches"})


def is_postgres_url(location: object) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """The URL without its password: what logs, errors and `status` show."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def dialect_of(conn: object) -> str:
    return "postgres" if isinstance(conn, PgConnection) else "sqlite"


def table_exists(conn: Any, name: str) -> bool:
    if isinstance(conn, PgConnection):
        sql = "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
    else:
        sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return conn.execute(sql, (name,)).fetchone() is not None


class Row(tuple):
    """A result row read by position or by column name, like ``sqlite3.Row`` (``dict(row)`` works)."""

    _index: dict[str, int]

    def __new__(cls, values: Iterable[Any], index: dict[str, int]) -> "Row":
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


# ---- SQL rewriting --------------------------------------------------------------------------------
# each pattern as (text, flags), compiled where first used (re keeps them): a SQLite catalog rewrites
# nothing, and compiling them all at import cost every command ~2.5 ms


def _pattern(spec: tuple[str, int]) -> re.Pattern:
    return re.compile(*spec)


_INSERT_OR = (r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.I | re.S)
_INSERT_INTO = (r"^\s*INSERT\s+INTO\s+(\w+)", re.I)
_SCALAR_MAX = (r"\bMAX\(\s*1\s*,", re.I)  # SQLite's two-argument max(): GREATEST
_PRINTF_PAD = (r"printf\('%0(\d+)d',\s*([\w.]+)\)", re.I)
_EPOCH_NOW = (r"strftime\('%s',\s*'now'\)", re.I)
_TEMP_SCHEMA = (r"\btemp\.(?=\w)", re.I)
_SQLITE_MASTER = (r"FROM\s+sqlite_master\s+WHERE\s+type\s*=\s*'table'\s+AND\s+name\s*=", re.I)


def _placeholders(sql: str) -> str:
    """``?`` outside string literals -> ``%s``; every ``%`` doubled (psycopg reads the whole text)."""
    out, quoted = [], False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        if ch == "%":
            out.append("%%")
        elif ch == "?" and not quoted:
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


_ORDER_BY = (r"\bORDER\s+BY\b", re.I)
_ORDER_END = (r"\s*\b(LIMIT|OFFSET|UNION|EXCEPT|INTERSECT|FOR|RETURNING)\b|\s*;", re.I)


def _nulls_as_sqlite(sql: str) -> str:
    """SQLite sorts NULL below every value: each ORDER BY term gets NULLS FIRST (ascending) or
    NULLS LAST (descending), PostgreSQL's opposite default."""
    out, pos = [], 0
    order_end = _pattern(_ORDER_END)
    for m in _pattern(_ORDER_BY).finditer(sql):
        if m.start() < pos:
            continue
        out.append(sql[pos:m.end()])
        i, depth, start, terms = m.end(), 0, m.end(), []
        while i < len(sql):
            ch = sql[i]
            if ch == "'":
                i = sql.index("'", i + 1)
            elif ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and ch == ",":
                terms.append(sql[start:i])
                start = i + 1
            elif depth == 0 and order_end.match(sql, i) and sql[i - 1:i].isspace():
                break
            i += 1
        terms.append(sql[start:i])
        out.append(",".join(_with_nulls(t) for t in terms))
        pos = i
    out.append(sql[pos:])
    return "".join(out)


def _with_nulls(term: str) -> str:
    stripped = term.rstrip()
    if re.search(r"\bNULLS\s+(FIRST|LAST)$", stripped, re.I):
        return term
    tail = term[len(stripped):]
    return stripped + (" NULLS LAST" if re.search(r"\bDESC$", stripped, re.I) else " NULLS FIRST") + tail


@lru_cache(maxsize=2048)
def to_postgres(sql: str) -> tuple[str, bool]:
    """(the statement in PostgreSQL's dialect, whether it returns a new row's id)."""
    sql = _pattern(_PRINTF_PAD).sub(lambda m: f"lpad(({m.group(2)})::text, {m.group(1)}, '0')", sql)
    sql = _pattern(_SCALAR_MAX).sub("GREATEST(1,", sql)
    sql = _pattern(_TEMP_SCHEMA).sub("pg_temp.", sql)
    sql = _pattern(_EPOCH_NOW).sub("extract(epoch FROM now())", sql)
    sql = _pattern(_SQLITE_MASTER).sub("FROM information_schema.tables WHERE table_schema = current_schema() "
                                       "AND table_name =", sql)
    m = _pattern(_INSERT_OR).match(sql)
    if m:
        kind, table, columns = m.group(1).upper(), m.group(2), m.group(3)
        sql = f"INSERT INTO {table}({columns})" + sql[m.end():]
        if kind == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        else:
            key = _REPLACE_KEYS[table]
            cols = [c.strip() for c in columns.split(",") if c.strip() != key]
            sql += f" ON CONFLICT ({key}) DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in cols)
    if "ORDER" in sql.upper():
        sql = _nulls_as_sqlite(sql)
    into = _pattern(_INSERT_INTO).match(sql)
    returns_id = bool(into and into.group(1) in _ID_TABLES and "RETURNING" not in sql.upper())
    if returns_id:
        sql += " RETURNING id"
    return _placeholders(sql), returns_id


_TRIGGER = (r"CREATE\s+TRIGGER\s+(\w+)\s+(AFTER|BEFORE)\s+(INSERT|UPDATE|DELETE)\s+ON\s+(\w+)\s+"
            r"BEGIN\s+(.*?);?\s*END;?\s*$", re.I | re.S)
_DDL_REWRITES = [
    ((r"\b(\w+)\s+INTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.I),
     r"\1 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    ((r"\bid(\s+)INTEGER\s+PRIMARY\s+KEY\b", re.I), r"id\1BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    ((r"\bINTEGER\b", re.I), "BIGINT"),
    ((r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    ((r"((?:^|[(,])\s*\w+\s+)TEXT\b", re.I | re.M), r'\1TEXT COLLATE "C"'),  # compared and sorted by code point, as SQLite does
    ((r"\)\s*WITHOUT\s+ROWID", re.I), ")"),
    ((r"strftime\('%Y-%m-%dT%H:%M:%fZ',\s*'now'\)", re.I),
     "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"),
]


def postgres_ddl(statement: str) -> list[str]:
    """One SQLite DDL statement of a migration as the PostgreSQL statements that do the same."""
    trigger = _pattern(_TRIGGER).search(statement)
    if trigger:
        name, when, event, table, body = trigger.groups()
        return [
            f"CREATE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$",
            f"CREATE TRIGGER {name} {when} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn()",
        ]
    for pattern, replacement in _DDL_REWRITES:
        statement = _pattern(pattern).sub(replacement, statement)
    return [statement]


# ---- the connection ---------------------------------------------------------------------------------

class PgCursor:
    """The part of ``sqlite3.Cursor`` the archive uses."""

    def __init__(self, cursor: Any, lastrowid: int | None = None):
        self._cursor, self.lastrowid = cursor, lastrowid

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchmany(self, size: int = 1000) -> list[Row]:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self._cursor) if self._cursor.description else iter(())

    def close(self) -> None:
        self._cursor.close()


class PgConnection:
    """A psycopg connection with ``sqlite3.Connection``'s surface, in autocommit mode: a transaction
    is what the archive opens itself (``BEGIN IMMEDIATE`` … ``COMMIT``), as on SQLite."""

    dialect = "postgres"

    def __init__(self, raw: Any, url: str):
        self.raw, self.url = raw, url
        self.row_factory = None  # accepted and ignored: rows are always Row
        self.home: str | None = None  # the home folder (set by Home): what PRAGMA database_list names

    def execute(self, sql: str, parameters: Any = ()) -> PgCursor:
        head = sql.strip().upper()
        if head == "BEGIN IMMEDIATE":
            self._run("BEGIN", ())
            self._run(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})", ())
            return PgCursor(self.raw.cursor())
        if head.startswith("PRAGMA"):  # SQLite's settings mean nothing here; the one read names the home
            catalog_file = f"{self.home}/catalog.sqlite" if self.home and "DATABASE_LIST" in head else None
            return PgCursor(self._run("SELECT 0, 'main', %s", (catalog_file,)))
        text, returns_id = to_postgres(sql)
        cursor = self._run(text, parameters)
        return PgCursor(cursor, cursor.fetchone()[0] if returns_id and cursor.rowcount == 1 else None)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any]) -> PgCursor:
        text, _ = to_postgres(sql)
        text = text.removesuffix(" RETURNING id")
        rows = list(seq_of_parameters)
        with _translated_errors(self.url):
            cursor = self.raw.cursor()
            if rows:
                cursor.executemany(text, rows)
        return PgCursor(cursor)

    def _run(self, text: str, parameters: Any) -> Any:
        with _translated_errors(self.url):
            cursor = self.raw.cursor()
            cursor.execute(text, tuple(parameters) if not isinstance(parameters, dict) else parameters)
        return cursor

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def commit(self) -> None:
        if self.in_transaction:
            self._run("COMMIT", ())

    def rollback(self) -> None:
        if self.in_transaction:
            self._run("ROLLBACK", ())

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> "PgConnection":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _translated_errors:
    """psycopg's errors that mean something to the user become the archive's one-line errors."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
        if exc is None:
            return False
        import psycopg

        where = redact(self.url)
        if isinstance(exc, psycopg.errors.DiskFull):
            raise DiskFullError(f"the PostgreSQL catalog {where} is out of disk space: nothing was half-written; "
                                "free some space and run the same command again") from exc
        if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
            raise ReadOnlyError(f"the PostgreSQL catalog {where} is read-only (a replica?): reading commands "
                                "work, this one writes") from exc
        if isinstance(exc, psycopg.OperationalError) and not isinstance(exc, psycopg.errors.QueryCanceled):
            raise CatalogError(f"lost the PostgreSQL catalog {where}: {_first_line(exc)}") from exc
        return False


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0].replace("\n", " ")


def _numeric_loader() -> type:
    from psycopg.types.numeric import NumericLoader

    class WholeOrFloat(NumericLoader):
        """NUMERIC as SQLite gives it back: int when whole, else float (never Decimal)."""

        def load(self, data: Any) -> int | float:
            value = super().load(data)
            return int(value) if value == value.to_integral_value() else float(value)

    return WholeOrFloat


def _row_factory(cursor: Any) -> Any:
    index = {c.name: i for i, c in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


def connect_postgres(url: str, *, readonly: bool = False, connect_timeout: int = 30) -> PgConnection:
    """Open the PostgreSQL catalog at ``url`` (autocommit; ``readonly``: the session refuses writes)."""
    try:
        import psycopg
    except ImportError as e:
        raise CatalogError("a PostgreSQL catalog needs psycopg: pip install 'xxgk[scale]'") from e
    options = "-c default_transaction_read_only=on" if readonly else None
    try:
        raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=connect_timeout,
                              **({"options": options} if options else {}))
    except psycopg.Error as e:
        raise CatalogError(f"cannot open the PostgreSQL catalog {redact(url)}: {_first_line(e)}") from e
    raw.adapters.register_loader("numeric", _numeric_loader())
    return PgConnection(raw, url)


# ---- databases on a server ------------------------------------------------------------------------

def has_database(url: str) -> bool:
    """Whether the URL names a database (``postgresql://host/db``), not just a server."""
    return urlsplit(url).path.strip("/") != ""


def home_database_name(home: Any) -> str:
    """The database a home gets on a server-only URL: its folder's name and a hash of its full path."""
    import hashlib
    from pathlib import Path

    path = Path(home).resolve()
    stem = re.sub(r"[^a-z0-9_]", "_", path.name.lower())[:30]
    return f"xxgk_{stem}_{hashlib.sha256(str(path).encode()).hexdigest()[:10]}"


def ensure_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server of ``server_url`` unless it exists; return its URL."""
    parts = urlsplit(server_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    conn = connect_postgres(maintenance)
    try:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = ?", (name,)).fetchone():
            import psycopg

            try:
                conn.execute(f'CREATE DATABASE "{name}"')
            except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):  # made by another process now
                pass
    finally:
        conn.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


# ---- whole tables (xxgk catalog copy) -----------------------------------------------------------------

def table_names(conn: Any) -> list[str]:
    if isinstance(conn, PgConnection):
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() " \
              "AND table_type = 'BASE TABLE'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return [r[0] for r in conn.execute(sql).fetchall()]


def table_columns(conn: Any, table: str) -> list[str]:
    if isinstance(conn, PgConnection):
        return [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", (table,)).fetchall()]
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})").fetchall()]


def batches(conn: Any, sql: str, size: int) -> Iterator[list[Any]]:
    """The rows of a query ``size`` at a time, never all in memory (a server-side cursor on PostgreSQL)."""
    rows = stream_rows(conn, sql, (), size)
    while part := list(islice(rows, size)):
        yield part


_CURSOR_SEQ = count(1)


def stream_rows(conn: Any, sql: str, parameters: Any = (), size: int = 1000) -> Iterator[Any]:
    """The rows of a query one at a time, never all in memory. SQLite's cursor steps as it is read;
    psycopg's ordinary cursor receives every row at execute, so on PostgreSQL a server-side cursor
    (WITH HOLD: the catalog's session is in autocommit) hands them over ``size`` at a time. Each has
    its own name: a stream may be read while another is (the reports of an export and its checks)."""
    if not isinstance(conn, PgConnection):
        # not ``yield from``: a walk abandoned would close the cursor when the generator goes, by then
        # maybe after its connection (``reports --limit``): an error printed at exit
        for row in conn.execute(sql, parameters):
            yield row
        return
    name = f"xxgk_stream_{next(_CURSOR_SEQ)}"
    with _translated_errors(conn.url), conn.raw.cursor(name=name, withhold=True) as cursor:
        cursor.execute(to_postgres(sql)[0], tuple(parameters))
        while rows := cursor.fetchmany(size):
            yield from rows


def reset_identity(conn: Any, table: str) -> None:
    """After rows were copied in with their ids: the next generated id follows the largest (PostgreSQL)."""
    if not isinstance(conn, PgConnection):
        return
    for column in {"id", "seq"} & set(table_columns(conn, table)):
        sequence = conn.execute("SELECT pg_get_serial_sequence(?, ?)", (table, column)).fetchone()
        if sequence and sequence[0]:
            conn.execute(f"SELECT setval('{sequence[0]}', COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, "
                         "false)")
