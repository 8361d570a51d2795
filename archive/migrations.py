"""The catalog's schema, as named migrations applied in order and recorded in ``schema_migrations``.

A migration is never edited once released: change the schema by appending a new one. Later
packages add theirs here (the crawler's crawl state is migration 2 and on), so a home made by an
older xxgk upgrades in place and an older xxgk refuses a newer home instead of corrupting it.

Migrations are written in SQLite's dialect; on a PostgreSQL catalog each statement is rewritten
(``archive.db.postgres_ddl``: identity ids, BIGINT, triggers as plpgsql functions), so both
catalogs have the same numbered schema.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any, Callable

from .db import dialect_of, postgres_ddl, table_exists
from index.value_class import value_class

__all__ = ["Migration", "MIGRATIONS", "apply_migrations", "current_version"]


@value_class(frozen=True)  # imported by every command that opens the catalog: no dataclass to compile
class Migration:
    version: int
    name: str
    sql: str
    # rows rewritten to the new layout after the SQL, in the same transaction (both dialects)
    convert: Callable[[Any], None] | None = None


_INITIAL = """
CREATE TABLE documents (            -- one row per distinct file content (blob)
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    size          INTEGER NOT NULL,
    media_type    TEXT,
    charset       TEXT,
    created_at    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'parsed', 'not_report', 'failed')),
    parser_version TEXT,
    parsed_at     TEXT
);
CREATE INDEX documents_status ON documents(status);

CREATE TABLE sources (              -- provenance: every place a document's bytes were found
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('import', 'crawl')),
    url           TEXT NOT NULL,    -- the URL asked for, or file:// URI of an imported path
    final_url     TEXT,             -- after redirects
    http_status   INTEGER,
    headers_json  TEXT,             -- selected response headers
    redirects_json TEXT,            -- [[status, url], ...]
    fetched_at    TEXT NOT NULL,
    site          TEXT,             -- profile name or host
    referrer      TEXT,             -- the page it was found on
    list_title    TEXT,             -- title as listed on that page
    list_date     TEXT,             -- date as listed
    list_position INTEGER,
    etag          TEXT,
    last_modified TEXT,
    UNIQUE (document_id, kind, url)
);
CREATE INDEX sources_url ON sources(url);

CREATE TABLE reports (              -- one parsed record per report document
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    title         TEXT,
    year          INTEGER,
    region        TEXT,
    region_code   TEXT,
    agency        TEXT,
    published     TEXT,
    format        TEXT,
    url           TEXT,
    variant       TEXT,             -- 图解 / 解读 / 更正 … when the title says so
    parser_version TEXT NOT NULL,
    parsed_at     TEXT NOT NULL,
    record_json   TEXT NOT NULL     -- the whole record (SCHEMA.md), for show/export
);
CREATE INDEX reports_year ON reports(year);
CREATE INDEX reports_region ON reports(region);

CREATE TABLE metrics (
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    value         NUMERIC NOT NULL,
    derived       INTEGER NOT NULL DEFAULT 0,
    evidence_json TEXT,
    PRIMARY KEY (report_id, key)
) WITHOUT ROWID;
CREATE INDEX metrics_key ON metrics(key);

CREATE TABLE sections (
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord           INTEGER NOT NULL,
    heading       TEXT NOT NULL,
    text          TEXT NOT NULL,
    PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;

CREATE TABLE findings (
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord           INTEGER NOT NULL,
    rule          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    message       TEXT NOT NULL,
    values_json   TEXT,
    PRIMARY KEY (report_id, ord)
) WITHOUT ROWID;

CREATE TABLE errors (               -- per-document (or per-input) failures, kept for the user
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    source        TEXT,             -- path or URL the failure is about
    stage         TEXT NOT NULL,    -- import | parse | fetch | index
    reason        TEXT NOT NULL,    -- stable key: empty, too_large, unreadable, not_a_report, ...
    message       TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX errors_document ON errors(document_id);

-- change feed for derived stores (the search index): triggers log every change to reports
CREATE TABLE report_changes (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id     INTEGER NOT NULL,
    op            TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TRIGGER reports_ins AFTER INSERT ON reports
    BEGIN INSERT INTO report_changes(report_id, op) VALUES (NEW.id, 'upsert'); END;
CREATE TRIGGER reports_upd AFTER UPDATE ON reports
    BEGIN INSERT INTO report_changes(report_id, op) VALUES (NEW.id, 'upsert'); END;
CREATE TRIGGER reports_del AFTER DELETE ON reports
    BEGIN INSERT INTO report_changes(report_id, op) VALUES (OLD.id, 'delete'); END;
"""

_CRAWL = """
CREATE TABLE crawl_runs (           -- one crawl of one site; 'running' after a kill: resumed next time
    id            INTEGER PRIMARY KEY,
    site          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished')),
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    stats_json    TEXT
);
CREATE INDEX crawl_runs_site ON crawl_runs(site, id);

CREATE TABLE frontier (             -- what a run has queued and done; the seen-set of that run
    run_id        INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
    key           TEXT NOT NULL,    -- method + normalized URL (+ form body)
    url           TEXT NOT NULL,
    method        TEXT NOT NULL DEFAULT 'GET',
    body_json     TEXT,             -- form fields of a POST
    headers_json  TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('list', 'article', 'attachment')),
    site          TEXT NOT NULL,
    referrer      TEXT,
    depth         INTEGER NOT NULL DEFAULT 0,
    page_no       INTEGER NOT NULL DEFAULT 1,
    priority      INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed', 'skipped')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    list_title    TEXT,
    list_date     TEXT,
    list_position INTEGER,
    variant       TEXT,
    year          INTEGER,
    error         TEXT,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX frontier_state ON frontier(run_id, state);

CREATE TABLE fetches (              -- every answer received, good or not (the crawl's log)
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER,
    site          TEXT,
    url           TEXT NOT NULL,
    final_url     TEXT,
    method        TEXT NOT NULL DEFAULT 'GET',
    kind          TEXT,
    status        INTEGER,
    etag          TEXT,
    last_modified TEXT,
    sha256        TEXT,             -- the bytes (a blob); list pages are blobs but not documents
    document_id   INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    not_modified  INTEGER NOT NULL DEFAULT 0,
    blocked       TEXT,             -- bot defence kind, never evaded
    error         TEXT,             -- stable reason key
    list_title    TEXT,
    list_date     TEXT,
    at            TEXT NOT NULL
);
CREATE INDEX fetches_url ON fetches(url, id);

CREATE TABLE report_links (         -- copies of one report (portal copy, attachment, 图解): counted once
    report_id     INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    canonical_key TEXT NOT NULL,    -- region | agency | year
    canonical_id  INTEGER NOT NULL, -- the report that stands for all of them
    rule          TEXT NOT NULL
);
CREATE INDEX report_links_key ON report_links(canonical_key);
"""

_SECTION_SPANS_COLUMNS = """
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    ord           INTEGER NOT NULL,
    heading       TEXT NOT NULL,
    text_at       INTEGER,          -- where the section's text starts in report_texts.text (1-based)
    text_len      INTEGER,
    text          TEXT,             -- the section's own text, when the report's text does not hold it
    PRIMARY KEY (report_id, ord)
"""
_SECTIONS_VIEW = """
CREATE VIEW sections AS
    SELECT s.report_id AS report_id, s.ord AS ord, s.heading AS heading,
           COALESCE(s.text, substr(t.text, CAST(s.text_at AS INT), CAST(s.text_len AS INT)), '') AS text
    FROM section_spans s LEFT JOIN report_texts t ON t.report_id = s.report_id;
"""

# issue 18, a lean catalog: each fact stored once. A section's text is a span of the report's text
# (the ``sections`` view cuts it out; ``text`` only when the section is not in it), evidence labels
# are stored once (``evidence_labels``), metrics keep the record's order (``ord``); the records are
# then rewritten (``catalog_records.relayout_records``)
_LEAN = """
ALTER TABLE metrics ADD COLUMN ord INTEGER;
CREATE TABLE evidence_labels (      -- a table row or column label as written, once for every report
    id            INTEGER PRIMARY KEY,
    label         TEXT NOT NULL UNIQUE
);
CREATE TABLE section_spans (""" + _SECTION_SPANS_COLUMNS + """) WITHOUT ROWID;
INSERT INTO section_spans(report_id, ord, heading, text) SELECT report_id, ord, heading, text FROM sections;
DROP TABLE sections;
""" + _SECTIONS_VIEW

# issue 18, measured on the real corpus: a WITHOUT ROWID table keeps at most ~1 KB of a row in its page and
# gives the rest a 4 KB overflow page of its own, so the sections kept with their own text (a traditional
# report's sections are simplified; a span lost its blank lines) took 467 KB for 151 KB of text. A rowid
# table with the same key stores such rows whole: 217 KB. Nothing a reader sees changes
_SECTION_SPANS_ROWID = """
DROP VIEW sections;
CREATE TABLE section_spans_rowid (""" + _SECTION_SPANS_COLUMNS + """);
INSERT INTO section_spans_rowid(report_id, ord, heading, text_at, text_len, text)
    SELECT report_id, ord, heading, text_at, text_len, text FROM section_spans;
DROP TABLE section_spans;
ALTER TABLE section_spans_rowid RENAME TO section_spans;
""" + _SECTIONS_VIEW

# issue 18, measured on the demo home: its 152 short template reports hold 21k numbers, and each metrics
# row spelled its key out (33 bytes) and again in the index on it: 3.3 MB of a 5.2 MB catalog. A key is
# now stored once (metric_keys) and a row holds its id; the ``metrics`` view reads as the table did, so
# every query (compare, check, export, SQL users) keeps working unchanged
_METRIC_KEYS = """
CREATE TABLE metric_keys (          -- a metric key of SCHEMA.md, once for every report
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE
);
CREATE TABLE metric_values (
    report_id     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    key_id        INTEGER NOT NULL REFERENCES metric_keys(id),
    value         NUMERIC NOT NULL,
    derived       INTEGER NOT NULL DEFAULT 0,
    evidence_json TEXT,
    ord           INTEGER,
    PRIMARY KEY (report_id, key_id)
) WITHOUT ROWID;
INSERT INTO metric_keys(key) SELECT DISTINCT key FROM metrics;
INSERT INTO metric_values(report_id, key_id, value, derived, evidence_json, ord)
    SELECT m.report_id, k.id, m.value, m.derived, m.evidence_json, m.ord FROM metrics m JOIN metric_keys k ON k.key = m.key;
DROP TABLE metrics;
CREATE INDEX metric_values_key ON metric_values(key_id);
CREATE VIEW metrics AS
    SELECT v.report_id AS report_id, k.key AS key, v.value AS value, v.derived AS derived,
           v.evidence_json AS evidence_json, v.ord AS ord
    FROM metric_values v JOIN metric_keys k ON k.id = v.key_id;
"""

def _relayout_records(c: Any) -> None:
    from .catalog_records import relayout_records  # only a catalog older than migration 6 needs it

    relayout_records(c)


# issue 18, measured at 20,000 reports: `status` and the crawl's summary counted the reports by grouping
# every one by publisher and year (4.5 µs a report, ~7 s at 1.5 M). Triggers keep each publisher-year's
# count, and the division codes its place sorts under (compare's order, ``archive.status.count_reports``),
# so a count reads the publisher-years holding copies only. A code range that a delete leaves wider than
# the rows still there only sends the count the exact, slower way
_SORT_CODE = "CASE WHEN {t}.region = '全国' THEN '' ELSE COALESCE(NULLIF({t}.region_code, ''), '999999') END"
_PUBLISHER_KEY = "{t}.region IS NOT NULL AND {t}.region != '' AND {t}.year IS NOT NULL"
_COUNT_IN = ("INSERT INTO publisher_years(region, agency, year, n, code_min, code_max) "
             "SELECT NEW.region, COALESCE(NEW.agency, ''), NEW.year, 1, {code}, {code} WHERE {key} "
             "ON CONFLICT (region, agency, year) DO UPDATE SET n = publisher_years.n + 1, "
             "code_min = CASE WHEN publisher_years.n = 0 OR excluded.code_min < publisher_years.code_min "
             "THEN excluded.code_min ELSE publisher_years.code_min END, "
             "code_max = CASE WHEN publisher_years.n = 0 OR excluded.code_max > publisher_years.code_max "
             "THEN excluded.code_max ELSE publisher_years.code_max END").format(
    code=_SORT_CODE.format(t="NEW"), key=_PUBLISHER_KEY.format(t="NEW"))
_COUNT_OUT = ("UPDATE publisher_years SET n = n - 1 WHERE region = OLD.region AND agency = COALESCE(OLD.agency, '') "
              "AND year = OLD.year")
_PUBLISHER_YEARS = f"""
CREATE TABLE publisher_years (      -- the reports of each publisher and year, kept by triggers on reports
    region        TEXT NOT NULL,
    agency        TEXT NOT NULL,    -- '' for none
    year          INTEGER NOT NULL,
    n             INTEGER NOT NULL, -- more than one: copies, of which one report counts
    code_min      TEXT NOT NULL,    -- the codes its reports' place sorts under (differing: maybe not one run)
    code_max      TEXT NOT NULL,
    PRIMARY KEY (region, agency, year)
);
CREATE INDEX publisher_years_copies ON publisher_years(n) WHERE n > 1;
CREATE INDEX reports_region_year ON reports(region, year);
INSERT INTO publisher_years(region, agency, year, n, code_min, code_max)
    SELECT r.region, COALESCE(r.agency, ''), r.year, COUNT(*), MIN({_SORT_CODE.format(t="r")}), MAX({_SORT_CODE.format(t="r")})
    FROM reports r WHERE {_PUBLISHER_KEY.format(t="r")} GROUP BY r.region, COALESCE(r.agency, ''), r.year;
CREATE TRIGGER publisher_years_ins AFTER INSERT ON reports
    BEGIN {_COUNT_IN}; END;
CREATE TRIGGER publisher_years_upd AFTER UPDATE ON reports
    BEGIN {_COUNT_OUT}; {_COUNT_IN}; END;
CREATE TRIGGER publisher_years_del AFTER DELETE ON reports
    BEGIN {_COUNT_OUT}; END;
"""

# issue 18, measured at 20,000 reports: a search or a comparison by place or agency first read every
# report for the archived places' and agencies' names (SELECT DISTINCT, a scan: ~1 s at 1.5 M). Triggers
# keep those names with their reports' count; a name whose count falls to 0 is no longer archived
_PLACE_IN = ("INSERT INTO places(region, region_code, n) SELECT NEW.region, COALESCE(NEW.region_code, ''), 1 "
             "WHERE NEW.region IS NOT NULL AND NEW.region != '' "
             "ON CONFLICT (region, region_code) DO UPDATE SET n = places.n + 1")
_PLACE_OUT = "UPDATE places SET n = n - 1 WHERE region = OLD.region AND region_code = COALESCE(OLD.region_code, '')"
_AGENCY_IN = ("INSERT INTO agencies(agency, n) SELECT NEW.agency, 1 WHERE NEW.agency IS NOT NULL AND NEW.agency != '' "
              "ON CONFLICT (agency) DO UPDATE SET n = agencies.n + 1")
_AGENCY_OUT = "UPDATE agencies SET n = n - 1 WHERE agency = OLD.agency"
_PLACES_AGENCIES = f"""
CREATE TABLE places (               -- every place archived reports name, with how many do (kept by triggers)
    region        TEXT NOT NULL,
    region_code   TEXT NOT NULL,    -- '' for none
    n             INTEGER NOT NULL,
    PRIMARY KEY (region, region_code)
);
CREATE TABLE agencies (             -- every agency archived reports name, with how many do (kept by triggers)
    agency        TEXT NOT NULL PRIMARY KEY,
    n             INTEGER NOT NULL
);
INSERT INTO places(region, region_code, n)
    SELECT region, COALESCE(region_code, ''), COUNT(*) FROM reports WHERE region IS NOT NULL AND region != ''
    GROUP BY region, COALESCE(region_code, '');
INSERT INTO agencies(agency, n)
    SELECT agency, COUNT(*) FROM reports WHERE agency IS NOT NULL AND agency != '' GROUP BY agency;
CREATE TRIGGER places_agencies_ins AFTER INSERT ON reports
    BEGIN {_PLACE_IN}; {_AGENCY_IN}; END;
CREATE TRIGGER places_agencies_upd AFTER UPDATE ON reports
    BEGIN {_PLACE_OUT}; {_AGENCY_OUT}; {_PLACE_IN}; {_AGENCY_IN}; END;
CREATE TRIGGER places_agencies_del AFTER DELETE ON reports
    BEGIN {_PLACE_OUT}; {_AGENCY_OUT}; END;
"""

# compare's order (``archive.compare.selection``: division code, 全国 first, a place without a name last,
# place, agency, year, id) as an index, so a listing of the first reports reads them in order and stops
# (`reports --limit 20` of 20,000 reports sorted them all first). Its query names the same expressions
COMPARE_ORDER = ("CASE WHEN region = '全国' THEN '000000' ELSE COALESCE(NULLIF(region_code, ''), '999999') END",
                 "CASE WHEN region = '全国' OR COALESCE(region, '') != '' THEN 0 ELSE 1 END",
                 "COALESCE(region, '')", "COALESCE(agency, '')", "year IS NULL", "COALESCE(year, 0)", "id")
_COMPARE_ORDER_INDEX = f"CREATE INDEX reports_compare_order ON reports({', '.join(f'({e})' for e in COMPARE_ORDER)});"

# the crawl's log grows with every crawl (a re-crawl logs each page again): `status` counted the list
# pages kept by a DISTINCT over all of it. Each body the log names is kept once, by a trigger; xxgk never
# deletes from the log
_FETCHED_BLOBS = """
CREATE TABLE fetched_blobs (        -- every stored body the crawl's log names, once (kept by a trigger on fetches)
    sha256        TEXT NOT NULL PRIMARY KEY
);
INSERT INTO fetched_blobs(sha256) SELECT DISTINCT sha256 FROM fetches WHERE sha256 IS NOT NULL;
CREATE TRIGGER fetched_blobs_ins AFTER INSERT ON fetches
    BEGIN INSERT INTO fetched_blobs(sha256) SELECT NEW.sha256 WHERE NEW.sha256 IS NOT NULL ON CONFLICT (sha256) DO NOTHING; END;
"""

MIGRATIONS: list[Migration] = [
    Migration(1, "initial catalog: documents, sources, reports, metrics, sections, findings, errors", _INITIAL),
    Migration(2, "crawl state: crawl_runs, frontier, fetches; report_links", _CRAWL),
    # a page's attachments are found by the page they were found on (appendix tables)
    Migration(3, "index sources by referrer", "CREATE INDEX sources_referrer ON sources(referrer);"),
    # every character of a report's text (what search indexes), kept once, outside record_json
    Migration(4, "report_texts: each report's full text", """
CREATE TABLE report_texts (
    report_id     INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    text          TEXT NOT NULL
);"""),
    # one process parses a document at a time (archive.claims): two imports never parse it twice
    Migration(5, "parse_claims: the process parsing a document", """
CREATE TABLE parse_claims (
    document_id   INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    pid           INTEGER NOT NULL,
    host          TEXT NOT NULL,
    claimed_at    REAL NOT NULL     -- unix time
);"""),
    Migration(6, "a lean catalog: evidence labels, sections as spans of the text, records without duplicates",
              _LEAN, convert=_relayout_records),
    Migration(7, "section spans in a rowid table: a section kept with its own text takes no overflow page",
              _SECTION_SPANS_ROWID),
    Migration(8, "metric keys stored once: metric_values name their key by id, the metrics view reads as before",
              _METRIC_KEYS),
    Migration(9, "publisher_years: each publisher-year's reports counted by triggers, so counting reads the copies only",
              _PUBLISHER_YEARS),
    Migration(10, "places and agencies: the names archived reports hold, counted by triggers, so a filter reads no report",
              _PLACES_AGENCIES),
    Migration(11, "compare's order as an index: a listing reads its first reports without sorting them all",
              _COMPARE_ORDER_INDEX),
    Migration(12, "fetched_blobs: each body the crawl's log names, once, so counting the pages kept reads no log",
              _FETCHED_BLOBS),
]


def current_version(conn) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return row[0] or 0


def apply_migrations(conn, migrations: list[Migration] | None = None) -> list[int]:
    """Apply the pending migrations, each in its own transaction; return the versions applied.

    Runs under BEGIN IMMEDIATE so two processes opening a new home at once do not both migrate.
    """
    migrations = sorted(migrations or MIGRATIONS, key=lambda m: m.version)
    if _recorded_version(conn) >= migrations[-1].version:
        return []  # up to date: every writing command opens the catalog, none takes the write lock for it
    applied: list[int] = []
    for m in migrations:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if m.version <= current_version(conn):
                conn.execute("COMMIT")
                continue
            for statement in _statements(m.sql):
                for dialect_statement in _in_dialect(conn, statement):
                    conn.execute(dialect_statement)
            if m.convert is not None:
                m.convert(conn)
            conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (m.version, m.name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
            applied.append(m.version)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied


def _recorded_version(conn) -> int:
    """The newest migration recorded, read without a write (0 for a new catalog)."""
    if not table_exists(conn, "schema_migrations"):
        return 0
    return conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0


def _in_dialect(conn, statement: str) -> list[str]:
    return postgres_ddl(statement) if dialect_of(conn) == "postgres" else [statement]


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (sqlite3.complete_statement knows about triggers)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
