"""The PostgreSQL backend (``--backend postgres``): one table per index, for many readers and replicas.

Where: ``XXGK_INDEX_URL`` (``xxgk index --index-url``), else the catalog's ``XXGK_CATALOG`` when it is a
``postgresql://`` URL, else the URL the index was created with. The index directory keeps only
``meta.json``, the caller's state and ``postgres.json`` (the table's name and the URL without its
password), so ``index --rebuild`` builds a new table beside the old one and swaps directories as
for every backend; a table no index directory names any more is dropped at the next rebuild.

The terms are ours (analysis.py: unigrams and bigrams of units, 繁體 folded), never PostgreSQL's
parser: each text becomes a ``tsvector`` of its distinct terms written in tsvector's input form
(``'土地' '地征' …``: no dictionary, no stemming), under a GIN index. A query word is the AND of its
terms (``@@ '土地' & '地征' & '征收'``, answered by the GIN index) and, unless one term is the whole
word, an exact ``strpos`` of the normalized word in the normalized text, so a phrase is matched
contiguously and recall is 100% by construction — positions are not stored (tsvector keeps at most
256 per lexeme and none past 16,383, so they could not decide a long report anyway). Filters,
boolean queries, collapse of copies (groups.py's rule, as window functions), ranking and facets run
in one SQL statement. Ranking: per query word, idf (from PostgreSQL's own lexeme statistics,
``pg_stats.most_common_elems``) × (a body match weighted down for long documents + title and
heading boosts, RELEVANCE_WEIGHTS); term frequencies would mean reading every matching text.
``--section`` searches are checked in Python against the stored sections, as in tantivy.
psycopg is imported only when this backend is used.
"""
from __future__ import annotations

import json
import math
import os
import re
import secrets
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .analysis import term_counts
from .backend import RELEVANCE_WEIGHTS, RawHit, RawResults, year_bounds
from .documents import PreparedDoc, sections_text_matching
from .errors import BackendUnavailableError, IndexMissingError, SearchIndexError
from .query import And, FieldTerm, Leaf, Node, Not, Or, evaluate, positive_leaves

__all__ = ["PostgresBackend", "index_url", "CONFIG_FILENAME"]

CONFIG_FILENAME = "postgres.json"
REGISTRY = "xxgk_search_indexes"
# tsvector holds at most 1 MB of lexeme text: a document past this is found by strpos alone
_MAX_LEXEME_BYTES = 1_000_000
# the body's weight halves at this many characters (short documents that match rank first)
_LENGTH_NORM = 20_000
_TEXT = {"all": ("grams", "body"), "title": ("title_grams", "title"), "heading": ("head_grams", "headings")}
_COLUMNS = ("report_id", "grams", "title_grams", "head_grams", "body", "title", "headings", "region", "agency",
            "format", "province", "year", "grp", "linked", "sections", "shown")
_TABLE_RE = re.compile(r"xxgk_search_[0-9a-f]{12}")
# one search may take this long on the server (XXGK_SEARCH_TIMEOUT seconds), then it is cancelled
_STATEMENT_TIMEOUT_S = 120.0


def index_url(config: dict | None = None) -> str | None:
    """The database URL: XXGK_INDEX_URL, else a PostgreSQL XXGK_CATALOG, else the one stored."""
    for var in ("XXGK_INDEX_URL", "XXGK_CATALOG"):
        url = os.environ.get(var, "").strip()
        if url.startswith(("postgresql://", "postgres://")):
            return url
    return (config or {}).get("url")


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{netloc[1]}"))


def _tsvector(terms) -> str | None:
    """tsvector's input form of our own terms (units only: no quote or backslash to escape)."""
    text = " ".join(f"'{t}'" for t in terms)
    return None if len(text.encode("utf-8")) > _MAX_LEXEME_BYTES else text


def _tsquery(terms) -> str:
    return " & ".join(f"'{t}'" for t in terms)


def _clean(text: str) -> str:
    # PostgreSQL text holds no NUL; a same-length stand-in keeps every offset (snippets, sections)
    return text.replace("\x00", "\ufffd")


class PostgresBackend:
    name = "postgres"

    def __init__(self, directory: Path, *, create: bool = False):
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise BackendUnavailableError("the postgres backend needs psycopg: pip install 'xxgk[scale]'") from exc
        self.dir = Path(directory)
        cfg_path = self.dir / CONFIG_FILENAME
        config = json.loads(cfg_path.read_text("utf-8")) if cfg_path.exists() else None
        if config is None and not create:
            raise IndexMissingError(f"no PostgreSQL index in {self.dir} ({CONFIG_FILENAME} is missing)")
        self.url = index_url(config)
        if not self.url:
            raise BackendUnavailableError("the postgres backend needs a database: pass --index-url "
                                          "postgresql://user@host/db (or set XXGK_INDEX_URL or a PostgreSQL XXGK_CATALOG)")
        self._read: Any = None
        self._write: Any = None
        self._stats: dict[str, float] | None = None
        self._big: bool | None = None
        if config is None:
            self.table = f"xxgk_search_{secrets.token_hex(6)}"
            self._create()
            cfg_path.write_text(json.dumps({"table": self.table, "url": _without_password(self.url)}), "utf-8")
        else:
            self.table = config["table"]
            if not _TABLE_RE.fullmatch(self.table):
                raise SearchIndexError(f"{cfg_path}: not a table of ours: {self.table!r}")

    # -- connections ------------------------------------------------------------------------------
    def _connect(self, autocommit: bool):
        import psycopg

        try:
            return psycopg.connect(self.url, autocommit=autocommit, application_name="xxgk-search",
                                   connect_timeout=10)
        except psycopg.Error as exc:
            raise BackendUnavailableError(f"cannot reach the PostgreSQL search index at "
                                          f"{_without_password(self.url)}: {str(exc).strip().splitlines()[0]}") from exc

    def _r(self):
        if self._read is None:
            self._read = self._connect(autocommit=True)
            # a word's terms are answered by the GIN index alone (no recheck for an AND of lexemes);
            # a sequential scan would unpack every row's tsvector instead, which the planner does not
            # count: for words in most reports it picks that scan and runs 30x slower
            self._read.execute("SET enable_seqscan = off")
            timeout_ms = int(float(os.environ.get("XXGK_SEARCH_TIMEOUT") or _STATEMENT_TIMEOUT_S) * 1000)
            self._read.execute(f"SET statement_timeout = {timeout_ms}")
        return self._read

    def _w(self):
        if self._write is None:
            self._write = self._connect(autocommit=False)
        return self._write

    def _sql(self, conn, query: str, params: Any = None):
        import psycopg

        try:
            return conn.execute(query, params)
        except psycopg.errors.QueryCanceled as exc:
            raise SearchIndexError("the search took longer than its time limit (XXGK_SEARCH_TIMEOUT, "
                                   f"{_STATEMENT_TIMEOUT_S:.0f} s by default): narrow it with more words or "
                                   "filters") from exc
        except psycopg.errors.UndefinedTable as exc:
            raise IndexMissingError(f"the PostgreSQL index table {self.table} is gone: "
                                    "rebuild it with `xxgk index --rebuild`") from exc
        except psycopg.Error as exc:
            raise SearchIndexError(f"PostgreSQL could not run the search: {str(exc).strip().splitlines()[0]}") from exc

    # -- the table --------------------------------------------------------------------------------
    def _create(self) -> None:
        t = self.table
        conn = self._w()
        self._sql(conn, f"CREATE TABLE IF NOT EXISTS {REGISTRY} (tbl text PRIMARY KEY, host text NOT NULL, "
                        "dir text NOT NULL, created timestamptz NOT NULL DEFAULT now())")
        self._sql(conn, f"""CREATE TABLE {t} (
            report_id bigint PRIMARY KEY, grams tsvector, title_grams tsvector NOT NULL,
            head_grams tsvector NOT NULL, body text NOT NULL, title text NOT NULL, headings text NOT NULL,
            region text[] NOT NULL, agency text NOT NULL, format text NOT NULL, province text NOT NULL,
            year int, grp bigint NOT NULL, linked boolean NOT NULL, sections text NOT NULL, shown jsonb NOT NULL)""")
        # the lexeme statistics idf is read from: the 2,500 most common terms (ANALYZE samples 75,000 rows)
        self._sql(conn, f"ALTER TABLE {t} ALTER COLUMN grams SET STATISTICS 250")
        self._sql(conn, f"INSERT INTO {REGISTRY} (tbl, host, dir) VALUES (%s, %s, %s)",
                  (t, socket.gethostname(), str(self.dir.resolve())))
        self._drop_unnamed_tables(conn)
        conn.commit()

    def _drop_unnamed_tables(self, conn) -> None:
        """Tables registered from this host and folder's parent that no index directory names any
        more (the old table of an index rebuilt beside it)."""
        parent = self.dir.resolve().parent
        named = set()
        for cfg in parent.glob(f"*/{CONFIG_FILENAME}"):
            try:
                named.add(json.loads(cfg.read_text("utf-8"))["table"])
            except (OSError, ValueError, KeyError):
                continue
        rows = self._sql(conn, f"SELECT tbl, dir FROM {REGISTRY} WHERE host = %s AND tbl <> %s",
                         (socket.gethostname(), self.table)).fetchall()
        for tbl, folder in rows:
            if Path(folder).parent == parent and tbl not in named and _TABLE_RE.fullmatch(tbl):
                self._sql(conn, f"DROP TABLE IF EXISTS {tbl}")
                self._sql(conn, f"DELETE FROM {REGISTRY} WHERE tbl = %s", (tbl,))

    def _ensure_indexes(self, conn) -> None:
        """GIN and filter indexes, made after a fresh table's first load (much faster than growing them)."""
        t = self.table
        have = self._sql(conn, "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                         (t, f"{t}_grams")).fetchone()
        if have:
            return
        self._sql(conn, "SET LOCAL maintenance_work_mem = '256MB'")
        for name, how in (("grams", "gin (grams)"), ("title", "gin (title_grams)"), ("head", "gin (head_grams)"),
                          ("region", "gin (region)"), ("year", "(year)"), ("grp", "(grp) WHERE linked"),
                          ("big", "(report_id) WHERE grams IS NULL")):
            self._sql(conn, f"CREATE INDEX {t}_{name} ON {t} USING {how}" if how.startswith("gin")
                      else f"CREATE INDEX {t}_{name} ON {t} {how}")

    # -- writing ------------------------------------------------------------------------------
    def add(self, docs: list[PreparedDoc], *, replace: bool) -> None:
        if not docs:
            return
        conn = self._w()
        if replace:
            self._sql(conn, f"DELETE FROM {self.table} WHERE report_id = ANY(%s)", ([d.report_id for d in docs],))
        with conn.cursor() as cur, cur.copy(f"COPY {self.table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for d in docs:
                copy.write_row(_row(d))

    def delete(self, report_ids: list[int]) -> None:
        if report_ids:
            self._sql(self._w(), f"DELETE FROM {self.table} WHERE report_id = ANY(%s)", ([int(r) for r in report_ids],))

    def commit(self) -> None:
        if self._write is None:
            return
        conn = self._write
        self._ensure_indexes(conn)
        conn.commit()
        conn.autocommit = True
        try:
            self._sql(conn, f"ANALYZE {self.table}")  # fresh lexeme statistics for idf and the planner
        finally:
            conn.autocommit = False
        self._stats, self._big = None, None

    def rollback(self) -> None:
        if self._write is not None:
            self._write.rollback()

    # -- queries ------------------------------------------------------------------------------
    def _has_big(self) -> bool:
        if self._big is None:
            self._big = self._sql(self._r(), f"SELECT EXISTS (SELECT 1 FROM {self.table} WHERE grams IS NULL)"
                                  ).fetchone()[0]
        return self._big

    def _lexeme_stats(self) -> dict[str, float]:
        """term -> share of documents holding it, for the most common terms (PostgreSQL's ANALYZE)."""
        if self._stats is None:
            row = self._sql(self._r(), "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                                       "WHERE tablename = %s AND attname = 'grams'", (self.table,)).fetchone()
            self._stats = dict(zip(row[0], row[1])) if row and row[0] else {}
        return self._stats

    def _idf(self, leaf: Leaf) -> float:
        stats = self._lexeme_stats()
        floor = min(stats.values(), default=0.0) / 2  # a term not among the common ones is rarer than all of them
        share = min(stats.get(t, floor) for t in leaf.terms)
        return math.log(1 + 1 / (share + 1e-6))

    def _leaf(self, leaf: Leaf, params: list) -> str:
        tsv, col = _TEXT[leaf.field]
        params.append(_tsquery(leaf.terms))
        cond = f"{tsv} @@ %s::tsquery"
        if leaf.field == "all" and self._has_big():
            cond = f"({cond} OR grams IS NULL)"
            if leaf.exact:  # the big document's terms are not stored: its text decides
                params.append(leaf.needle)
                cond = f"({cond} AND strpos(body, %s) > 0)"
        if not leaf.exact:
            params.append(leaf.needle)
            cond = f"({cond} AND strpos({col}, %s) > 0)"
        return cond

    def _term(self, ft: FieldTerm, params: list, top: bool = False) -> str:
        """A filter; ``top``: ANDed with the whole query, where a NULL year may stay NULL and the
        year index can narrow the rows first (5x on a filtered search)."""
        if ft.field == "year":
            params.extend(year_bounds(ft))
            return "year BETWEEN %s AND %s" if top else "COALESCE(year BETWEEN %s AND %s, false)"
        if ft.field == "id":
            params.append(int(ft.value))
            return "report_id = %s"
        if ft.field == "region":
            params.append([ft.value])
            return "region @> %s::text[]"
        params.append(ft.value)
        return f"{'agency' if ft.field == 'agency' else 'format'} = %s"

    def _where(self, node: Node, params: list) -> str:
        if isinstance(node, Leaf):
            return self._leaf(node, params)
        if isinstance(node, FieldTerm):
            return self._term(node, params)
        if isinstance(node, Not):
            return f"NOT {self._where(node.child, params)}"
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(self._where(c, params) for c in node.children) + ")"

    def _score(self, node: Node) -> tuple[str, list]:
        """Per positive word: idf × (body match, less for long texts, + title and heading boosts)."""
        parts, params = [], []
        for leaf in positive_leaves(node):
            col = _TEXT[leaf.field][1]
            idf = self._idf(leaf)
            if leaf.field == "all":
                parts.append(f"%s * {_LENGTH_NORM}.0 / ({_LENGTH_NORM} + octet_length(body) / 3)"
                             " + %s * (strpos(title, %s) > 0)::int + %s * (strpos(headings, %s) > 0)::int")
                params += [idf * RELEVANCE_WEIGHTS["body"], idf * RELEVANCE_WEIGHTS["title"], leaf.needle,
                           idf * RELEVANCE_WEIGHTS["heading"], leaf.needle]
            else:
                parts.append(f"%s * (strpos({col}, %s) > 0)::int")
                params += [idf * RELEVANCE_WEIGHTS[leaf.field], leaf.needle]
        return " + ".join(parts) or "0.0", params

    def search(self, node: Node, filters: list[FieldTerm], section: Leaf | None, *, sort: str,
               offset: int, limit: int, collapse: bool = True, facets: bool = True) -> RawResults:
        where_params: list = []
        conds = [self._where(node, where_params)] + [self._term(f, where_params, top=True) for f in filters]
        if section is not None:
            conds.append(self._leaf(section, where_params))
        where = " AND ".join(conds)
        score = self._score(node)
        if section is not None:
            where, where_params = "report_id = ANY(%s)", [self._in_sections(where, where_params, node, section)]
        return self._run((where, where_params), score, sort, offset, limit, collapse, facets)

    def _run(self, where: tuple[str, list], score: tuple[str, list], sort: str, offset: int, limit: int,
             collapse: bool, facets: bool) -> RawResults:
        """One statement: the matches, copies collapsed (groups.py's rule), the total, one page, the facets."""
        rep = ("CASE WHEN linked THEN COALESCE(max(report_id) FILTER (WHERE report_id = grp) OVER w, "
               "min(report_id) OVER w) ELSE report_id END") if collapse else "report_id"
        best = "max(score) OVER w" if collapse else "score"
        order = "year DESC NULLS LAST, best DESC, report_id" if sort == "year" else "best DESC, report_id"
        facet_sql = (", (SELECT json_object_agg(year, n) FROM (SELECT year, count(*) AS n FROM shown "
                     "WHERE year IS NOT NULL GROUP BY year) y), (SELECT json_object_agg(province, n) FROM "
                     "(SELECT province, count(*) AS n FROM shown WHERE province <> '' GROUP BY province) p)")
        query = (f"WITH m AS (SELECT report_id, grp, linked, year, province, {score[0]} AS score FROM {self.table} "
                 f"WHERE {where[0]}), g AS (SELECT report_id, year, province, {rep} AS rep, {best} AS best FROM m "
                 "WINDOW w AS (PARTITION BY linked, grp)), shown AS (SELECT * FROM g WHERE report_id = rep) "
                 "SELECT (SELECT count(*) FROM shown), (SELECT json_agg(json_build_array(report_id, best)) FROM "
                 f"(SELECT report_id, best FROM shown ORDER BY {order} LIMIT %s OFFSET %s) p)"
                 + (facet_sql if facets else ""))
        row = self._sql(self._r(), query, score[1] + where[1] + [limit, offset]).fetchone()
        if facets:
            counted: Any = _facets(row[2], row[3])
        else:  # counted only if read
            counted = lambda: self._run(where, score, sort, 0, 1, collapse, True).facets  # noqa: E731
        hits = self._hits([(int(r), float(s or 0.0)) for r, s in row[1] or []], sort, collapse)
        return RawResults(int(row[0]), hits, counted)

    def _hits(self, ranked: list[tuple[int, float]], sort: str, collapse: bool) -> list[RawHit]:
        if not ranked:
            return []
        rows = self._sql(self._r(), f"SELECT report_id, shown, body, linked, grp FROM {self.table} "
                                    "WHERE report_id = ANY(%s)", ([r for r, _ in ranked],)).fetchall()
        by_id = {r[0]: r for r in rows}
        groups = {r[4] for r in rows if r[3]} if collapse else set()
        members: dict[int, list[dict]] = {}
        if groups:
            for g, rid, url in self._sql(self._r(), f"SELECT grp, report_id, shown->>'url' FROM {self.table} "
                                                    "WHERE linked AND grp = ANY(%s) ORDER BY report_id",
                                         (sorted(groups),)):
                members.setdefault(g, []).append({"report_id": rid, "url": url or ""})
        hits = []
        for rid, s in ranked:
            _, shown, body, linked, grp = by_id[rid]
            copies = [m for m in members.get(grp, []) if m["report_id"] != rid] if linked and collapse else []
            hits.append(RawHit(rid, 0.0 if sort == "year" else s, shown, body, copies))
        return hits

    def _in_sections(self, where: str, params: list, node: Node, section: Leaf) -> list[int]:
        """The reports whose sections headed by ``section`` hold the query: candidates from SQL, then
        every word checked in Python inside those sections only (as the other backends do)."""
        kept = []
        query = (f"SELECT report_id, body, sections, title, headings, region, agency, format, year "
                 f"FROM {self.table} WHERE {where}")
        for rid, body, sections, title, headings, region, agency, fmt, year in self._sql(self._r(), query, params):
            text = sections_text_matching(body, sections, section)
            if not text:
                continue
            texts = {"all": text, "title": title, "heading": headings}
            values = {"region": region, "agency": agency, "format": fmt, "year": year, "id": rid}
            if evaluate(node, lambda leaf: leaf.matches(texts[leaf.field]), lambda ft: _term_ok(ft, values)):
                kept.append(rid)
        return kept

    def linked_groups(self) -> dict[int, int]:
        return dict(self._sql(self._r(), f"SELECT report_id, grp FROM {self.table} WHERE linked").fetchall())

    def doc_count(self) -> int:
        return int(self._sql(self._r(), f"SELECT count(*) FROM {self.table}").fetchone()[0])

    def close(self) -> None:
        self.rollback()
        for conn in (self._read, self._write):
            if conn is not None:
                conn.close()
        self._read = self._write = None


def _term_ok(ft: FieldTerm, values: dict) -> bool:
    if ft.field == "year":
        lo, hi = year_bounds(ft)
        return values["year"] is not None and lo <= values["year"] <= hi
    if ft.field == "id":
        return values["id"] == int(ft.value)
    if ft.field == "region":
        return ft.value in values["region"]
    return values[ft.field] == ft.value


def _facets(years: dict | None, provinces: dict | None) -> dict[str, dict]:
    return {"year": {int(y): n for y, n in sorted((years or {}).items(), key=lambda kv: int(kv[0]))},
            "province": dict(sorted((provinces or {}).items(), key=lambda kv: -kv[1]))}


def _row(d: PreparedDoc) -> tuple:
    body = _clean(d.all_norm)
    return (d.report_id, _tsvector(term_counts(body)), _tsvector(term_counts(d.title_norm)) or "",
            _tsvector(term_counts(d.headings_norm)) or "", body, _clean(d.title_norm), _clean(d.headings_norm),
            list(d.region_names), d.agency_key, d.format, d.province, d.year, d.group, d.linked,
            _clean(d.sections_json), json.dumps(d.stored(), ensure_ascii=False).replace("\\u0000", "\ufffd"))
