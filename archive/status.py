"""What an archive holds, counted one way everywhere: documents, reports, pages, errors, orphans.

    document  a file stored once (blobs/ + a catalog row): every report file, attachment and page a
              crawl kept as a report candidate, every file imported
    report    one publisher's annual report for one year: the copies of it (a portal's copy, an
              图解 version, a corrected version, the same report imported from a local file) count
              once, by the duplicate rule of ``archive.compare`` -- ``distinct_reports`` is that
              count for `reports`, `status`, `compare` and the crawl summary alike
    page      a list page a crawl read and kept (to ask "changed?" next time): in blobs/, not a document
    error     a row of the catalog's ``errors``: a fetch that failed or was blocked, a file that
              could not be imported, a document that could not be parsed; `xxgk errors` lists them
    orphan    a file in blobs/ that is neither a document nor a page: what a killed import leaves;
              harmless, and the next import of the same bytes adopts it

Takes an open ``Home``; reads only.
"""
from __future__ import annotations

import json
import os
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from index.value_class import Factory, value_class

from .db import table_exists

if TYPE_CHECKING:  # compare is imported where a count needs it: a search of a catalog without copies does not
    from .compare import Selection
    from .compare.selection import ReportRow

__all__ = ["ArchiveStatus", "archive_status", "count_reports", "distinct_reports", "distinct_reports_head", "iter_distinct_reports", "copies_unlinked", "NOT_ERRORS",
           "ORPHAN_LISTING_LIMIT"]

# parse outcomes kept in ``errors`` that say what a document is, not that something went wrong
NOT_ERRORS = {("parse", "not_a_report")}


def distinct_reports(conn, selection: Selection | None = None) -> list[ReportRow]:
    """The reports, each once (the one definition): the rows ``compare`` keeps, in its order; a
    kept row's ``merged`` lists the copies standing behind it."""
    from .compare import Selection, build_comparison

    return build_comparison(conn, selection if selection is not None else Selection(), None).reports


def iter_distinct_reports(conn, selection: Selection | None = None) -> Iterator[ReportRow]:
    """``distinct_reports``, one publisher-year at a time: the reports come from SQL in compare's
    order and each publisher-year's run is merged as it closes, so a reader holds one run, not the
    archive (a listing of 20 reports from 1.5 M reads only as far as they reach; a listing of all of
    them streams)."""
    from .compare import Selection
    from .compare.copies import rule_inputs
    from .compare.duplicates import merge_stream
    from .compare.selection import iter_reports
    from .compare.values import count_metrics

    rows = iter_reports(conn, selection if selection is not None else Selection())
    yield from merge_stream(rows, lambda ids: count_metrics(conn, ids), None, batch=1, **rule_inputs(conn))


def distinct_reports_head(conn, selection: Selection | None, limit: int) -> list[ReportRow]:
    """The first ``limit`` rows of ``distinct_reports``, read only as far as they reach."""
    from itertools import islice

    return list(islice(iter_distinct_reports(conn, selection), limit))


# the publisher-years holding more than one report, and under how many division codes their place
# sorts (``compare.selection.select_reports``: 全国 first whatever its code, no code as 999999)
_COPY_GROUPS = (
    "SELECT COUNT(*), COUNT(DISTINCT CASE WHEN region = '全国' THEN '' ELSE COALESCE(NULLIF(region_code, ''), '999999') "
    "END) FROM reports WHERE region IS NOT NULL AND region != '' AND year IS NOT NULL "
    "GROUP BY region, COALESCE(agency, ''), year HAVING COUNT(*) > 1")


# the publisher-years whose reports the crawler did not all link as copies of one: from the
# publisher-years holding copies (migration 9), or, in a catalog before it, from every report
# (MATERIALIZED: the few rows with copies first, each looked up in reports by place and year; left to
# itself SQLite's planner read every report and looked each up in publisher_years: 42 ms against 0.3 ms
# at 20,000 reports. SQLite before 3.35 knows no such word and takes the plain form)
_UNLINKED_GROUPS = (
    "WITH c AS {materialized}(SELECT region, agency, year FROM publisher_years WHERE n > 1) "
    "SELECT c.region, c.agency, c.year FROM c "
    "JOIN reports r ON r.region = c.region AND r.year = c.year AND COALESCE(r.agency, '') = c.agency "
    "LEFT JOIN report_links l ON l.report_id = r.id "
    "GROUP BY c.region, c.agency, c.year HAVING COUNT(DISTINCT COALESCE(l.canonical_id, r.id)) > 1 "
    "ORDER BY c.region, c.agency, c.year")
_UNLINKED_GROUPS_SCAN = (
    "SELECT r.region, COALESCE(r.agency, ''), r.year FROM reports r "
    "LEFT JOIN report_links l ON l.report_id = r.id "
    "WHERE r.region IS NOT NULL AND r.region != '' AND r.year IS NOT NULL "
    "GROUP BY r.region, COALESCE(r.agency, ''), r.year "
    "HAVING COUNT(DISTINCT COALESCE(l.canonical_id, r.id)) > 1 "
    "ORDER BY r.region, COALESCE(r.agency, ''), r.year")


def _unlinked_groups_query(conn) -> str:
    if not table_exists(conn, "publisher_years"):
        return _UNLINKED_GROUPS_SCAN
    import sqlite3

    hint = hasattr(conn, "home") or sqlite3.sqlite_version_info >= (3, 35)  # PostgreSQL (12 on), or SQLite 3.35 on
    return _UNLINKED_GROUPS.format(materialized="MATERIALIZED " if hint else "")


def count_reports(conn) -> int:
    """``len(distinct_reports(conn))`` without building the comparison (1.5 M reports: a minute and
    gigabytes of rows): ``merge_duplicates`` keeps one report of each publisher-year run in
    compare's order, and a publisher-year whose reports share one sort code is one run, so the
    count is the reports less the copies behind each such group, read from ``publisher_years``
    (kept by triggers: only its rows with copies are read). A place stored under two codes (a
    division table that changed between parses) may split its run: then the comparison counts."""
    total = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    if table_exists(conn, "publisher_years"):  # kept by triggers (migration 9): the copies alone are read
        behind, split = conn.execute(
            "SELECT COALESCE(SUM(n - 1), 0), COALESCE(MAX(CASE WHEN code_min != code_max THEN 1 ELSE 0 END), 0) "
            "FROM publisher_years WHERE n > 1").fetchone()
        return len(distinct_reports(conn)) if split else total - behind
    behind = 0  # a catalog read as it is, before migration 9: every report grouped
    for n, codes in conn.execute(_COPY_GROUPS):
        if codes > 1:
            return len(distinct_reports(conn))
        behind += n - 1
    return total - behind


def copies_unlinked(conn, cache: Path | None = None) -> set[int]:
    """The reports that stand behind another by the one definition but that the search index does
    not collapse, since the crawler did not link them (a local file of a crawled report): with the
    copies the index groups under them. Reads only the publisher-years holding such copies.

    ``cache``: a file keeping the answer with a digest of all it was worked out from (see
    ``_copies_digest``), so that a search does not load the duplicate rule and the crawler's site
    profiles again (half a second) while neither changed."""
    stamp = _catalog_stamp(conn) if cache is not None else None
    kept: dict = {}
    if cache is not None:
        try:
            kept = json.loads(cache.read_text("utf-8"))
            if stamp is not None and kept.get("stamp") == stamp:
                return set(kept["behind"])  # not a byte of the catalog nor a rule file changed since
        except (OSError, ValueError, AttributeError, KeyError, TypeError):
            kept = {}  # none yet, or unreadable: worked out again
    groups = conn.execute(_unlinked_groups_query(conn)).fetchall()
    if cache is None:
        return _copies_behind(conn, groups) if groups else set()
    digest = _copies_digest(conn, groups) if groups else None
    if groups and kept.get("digest") == digest and isinstance(kept.get("behind"), list):
        behind = set(kept["behind"])
    else:  # with no group the duplicate rule need not be loaded
        behind = _copies_behind(conn, groups) if groups else set()
    try:  # atomically, and only where the home may be written (a read-only home just works it out each time)
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"stamp": stamp, "digest": digest, "behind": sorted(behind)}), "utf-8")
        tmp.replace(cache)
    except OSError:
        pass
    return behind


def _catalog_stamp(conn) -> str | None:
    """The size and time of a SQLite catalog's file and its write-ahead log, and of the rule's files:
    any committed write changes the log (or, checkpointed, the file), so an equal stamp means the
    answer kept still holds, without the digest's reads (a search of 1.5 M reports grouped them all
    to find the copies). A log the checkpoint restarted keeps its size, and a file system's clock
    may not tick between two commits: the newest change to reports, source and link goes in too
    (a few index reads). None for PostgreSQL, whose catalog has no file: the digest decides there."""
    if hasattr(conn, "home"):  # archive.db's PostgreSQL connection
        return None
    row = conn.execute("PRAGMA database_list").fetchone()
    if not row or not row[2]:
        return None
    parts = [":".join(str(v) for v in conn.execute(
        "SELECT (SELECT COALESCE(MAX(seq), 0) FROM report_changes), (SELECT COALESCE(MAX(id), 0) FROM sources), "
        "(SELECT COUNT(*) FROM report_links), (SELECT COALESCE(MAX(report_id), 0) FROM report_links)").fetchone())]
    for f in (row[2], row[2] + "-wal", *_rule_files(conn)):
        try:
            st = os.stat(f)
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return "|".join(parts)


_DIGEST_CHUNK = 500

# what the answer of copies_unlinked follows besides the catalog: the rule's code and the site profiles
_RULE_SOURCES = ("status.py", "provenance.py", "compare/duplicates.py", "compare/copies.py", "compare/values.py")


def _copies_digest(conn, groups: list[tuple]) -> str:
    """A digest of every row and file the duplicate rule reads for these publisher-years: their
    reports, sources, metrics and links; the rule's own code; the built-in site profiles and those
    of the catalog's home (``archive.provenance.site_profiles``)."""
    try:  # the BLAKE2 module alone: hashlib loads OpenSSL (~5 ms) for its other digests
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b
    h = blake2b(digest_size=16)

    def feed(rows) -> None:
        for row in rows:
            h.update(repr(tuple(row)).encode())
        h.update(b"|")

    ids: list[int] = []
    for region, agency, year in groups:
        rows = conn.execute(
            "SELECT id, title, format, url, published, parsed_at, region, region_code, agency, year, document_id "
            "FROM reports WHERE region = ? AND COALESCE(agency, '') = ? AND year = ? ORDER BY id",
            (region, agency, year)).fetchall()
        feed(rows)
        ids += [r[0] for r in rows]
    ids.sort()
    for at in range(0, len(ids), _DIGEST_CHUNK):  # a bounded number of parameters a statement
        part = ids[at:at + _DIGEST_CHUNK]
        marks = ", ".join("?" * len(part))
        feed(conn.execute(f"SELECT r.id, s.id, s.kind, s.url, s.final_url FROM reports r JOIN sources s ON "
                          f"s.document_id = r.document_id WHERE r.id IN ({marks}) ORDER BY r.id, s.id", part))
        # the rule weighs how many numbers a copy holds, not what they are: their count (read from the
        # primary key alone), not every value (which made a search over copies read them all)
        feed(conn.execute(f"SELECT report_id, COUNT(*) FROM metric_values WHERE report_id IN ({marks}) "
                          "GROUP BY report_id ORDER BY report_id", part))
        feed(conn.execute(f"SELECT report_id, canonical_key, canonical_id, rule FROM report_links WHERE canonical_key "
                          f"IN (SELECT canonical_key FROM report_links WHERE report_id IN ({marks})) ORDER BY report_id",
                          part))
    for f in _rule_files(conn):
        try:
            st = os.stat(f)
            h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}".encode())
        except OSError:
            h.update(f"{f}:-".encode())
    return h.hexdigest()


def _rule_files(conn) -> list[str]:
    """The duplicate rule's own code, the built-in site profiles and those of the catalog's home
    (``archive.provenance.site_profiles``)."""
    from importlib.util import find_spec

    here = os.path.dirname(__file__)
    files = [os.path.join(here, name) for name in _RULE_SOURCES]
    spec = find_spec("scraper")  # finds the package without importing it (which would load the crawler)
    if spec is not None and spec.submodule_search_locations:
        files += _files_in(os.path.join(next(iter(spec.submodule_search_locations)), "profiles", "sites"))
    home = conn.execute("PRAGMA database_list").fetchone()  # as provenance finds the home's own profiles
    if home and home[2]:
        files += _files_in(os.path.join(os.path.dirname(home[2]), "sites"))
    return files


def _files_in(folder: str) -> list[str]:
    """The paths in ``folder``, sorted; none where there is no such folder (os.scandir: a
    search reads the 30-odd site profiles' sizes and times several times quicker than through
    pathlib's glob and stat)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.path for entry in entries)
    except OSError:
        return []


def _copies_behind(conn, groups: list[tuple]) -> set[int]:
    from .compare.copies import rule_inputs
    from .compare.duplicates import merge_duplicates
    from .compare.selection import ReportRow
    from .compare.values import count_metrics

    out: set[int] = set()
    for region, agency, year in groups:
        rows = [ReportRow(rid, title or "", year, region, agency, fmt, url or "", published or "", parsed_at or "")
                for rid, title, fmt, url, published, parsed_at in conn.execute(
                    "SELECT id, title, format, url, published, parsed_at FROM reports WHERE region = ? AND "
                    "COALESCE(agency, '') = ? AND year = ? ORDER BY id", (region, agency, year))]
        # which copy is kept: the rule's counts and provenance (the values only word a merge's conflicts)
        kept, _ = merge_duplicates(rows, lambda ids: count_metrics(conn, ids), provenance=rule_inputs(conn)["provenance"])
        keep = {k.id for k in kept}
        behind = {r.id for r in rows} - keep
        # a copy's whole link group goes with it, unless the report kept is in that group
        for rid in list(behind):
            group = [g for (g,) in conn.execute(
                "SELECT report_id FROM report_links WHERE canonical_key = "
                "(SELECT canonical_key FROM report_links WHERE report_id = ?)", (rid,))]
            if not keep & set(group):
                behind |= set(group)
        out |= behind
    return out


@value_class
class ArchiveStatus:
    home: str
    documents: int
    documents_by_status: dict[str, int]
    reports: int  # distinct: each publisher's report for a year once
    report_documents: int  # documents parsed as reports, copies included
    pages: int
    orphans: int | None  # None: not counted (more than ORPHAN_LISTING_LIMIT files; `status --orphans`)
    errors: int
    errors_by_kind: dict[str, int] = Factory(dict)  # "stage/reason" -> n (real errors)
    not_reports: int = 0  # documents that are no report (their reason is kept in errors)

    def to_dict(self) -> dict[str, Any]:
        # as dataclasses.asdict: the counts by kind copied, not shared
        return {name: dict(value) if isinstance(value, dict) else value
                for name, value in vars(self).items() if name in self.__value_fields__}


# a plain `status` lists blobs/ for its orphans up to this many stored files (10,000 took 0.23 s on a
# local disk; a bucket answers 1,000 a LIST request); past it only `status --orphans` lists them, as
# `verify` does (1.5 M files: about half a minute, or 1,500 requests)
ORPHAN_LISTING_LIMIT = 10_000

# a list page: bytes a crawl fetched and kept that are no document (each body the log names is in
# fetched_blobs once, migration 12; a catalog read as it is before it has its whole log read)
_PAGES = ("SELECT COUNT(*) FROM fetched_blobs b WHERE NOT EXISTS "
          "(SELECT 1 FROM documents d WHERE d.sha256 = b.sha256)")
_PAGES_FROM_THE_LOG = ("SELECT COUNT(*) FROM (SELECT DISTINCT sha256 FROM fetches WHERE sha256 IS NOT NULL "
                       "AND sha256 NOT IN (SELECT sha256 FROM documents)) pages")


ORPHAN_CHUNK = 900  # files of blobs/ looked up in the catalog at once (below SQLite's bound-variable limit)


def count_orphans(blobs, conn, chunk: int = ORPHAN_CHUNK) -> int:
    """The files in ``blobs`` that the catalog names nowhere: no document, no body of the crawl's log.
    They are looked up ``chunk`` at a time by key: a set of every name the catalog holds took ~120
    bytes a blob (hundreds of MB for a national archive)."""
    # the log's bodies, each once (migration 12); a catalog read as it is before it, from the log itself
    log = "fetched_blobs" if table_exists(conn, "fetched_blobs") else "fetches"
    shas = blobs.iter_shas()
    orphans = 0
    while part := list(islice(shas, chunk)):
        marks = ", ".join("?" * len(part))
        named = {r[0] for r in conn.execute(f"SELECT sha256 FROM documents WHERE sha256 IN ({marks})", part)}
        named.update(r[0] for r in conn.execute(f"SELECT sha256 FROM {log} WHERE sha256 IN ({marks})", part))
        orphans += sum(sha not in named for sha in part)
    return orphans


def _orphans(home, conn) -> int:
    return count_orphans(home.blobs, conn)


def archive_status(home, *, orphans: bool | None = None) -> ArchiveStatus:
    """``orphans``: list blobs/ to count them (True), not (False), or where the archive holds at most
    ``ORPHAN_LISTING_LIMIT`` files (None): every other count is read from the catalog alone."""
    conn = home.catalog.conn
    by_status = {s: n for s, n in conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")}
    documents = sum(by_status.values())
    pages = conn.execute(_PAGES if table_exists(conn, "fetched_blobs") else _PAGES_FROM_THE_LOG).fetchone()[0]
    if orphans is None:
        orphans = documents + pages <= ORPHAN_LISTING_LIMIT
    kinds: dict[str, int] = {}
    for stage, reason, n in conn.execute("SELECT stage, reason, COUNT(*) FROM errors GROUP BY stage, reason "
                                         "ORDER BY COUNT(*) DESC"):
        if (stage, reason) not in NOT_ERRORS:
            kinds[f"{stage}/{reason}"] = n
    return ArchiveStatus(
        home=str(home.path), documents=documents, documents_by_status=by_status,
        reports=count_reports(conn),
        report_documents=conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0],
        pages=pages, orphans=_orphans(home, conn) if orphans else None, errors=sum(kinds.values()), errors_by_kind=kinds, not_reports=by_status.get("not_report", 0))
