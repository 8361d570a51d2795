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

from dataclasses import asdict, dataclass, field
from typing import Any

from .compare import Selection, build_comparison
from .compare.selection import ReportRow

__all__ = ["ArchiveStatus", "archive_status", "distinct_reports", "copies_unlinked", "NOT_ERRORS"]

# parse outcomes kept in ``errors`` that say what a document is, not that something went wrong
NOT_ERRORS = {("parse", "not_a_report")}


def distinct_reports(conn, selection: Selection = Selection()) -> list[ReportRow]:
    """The reports, each once (the one definition): the rows ``compare`` keeps, in its order; a
    kept row's ``merged`` lists the copies standing behind it."""
    return build_comparison(conn, selection, None).reports


def copies_unlinked(conn) -> set[int]:
    """The reports that stand behind another by the one definition but that the search index does
    not collapse, since the crawler did not link them (a local file of a crawled report): with the
    copies the index groups under them. Reads only the publisher-years holding such copies."""
    from .compare.copies import rule_inputs
    from .compare.duplicates import merge_duplicates
    from .compare.values import count_metrics

    groups = conn.execute(
        "SELECT r.region, COALESCE(r.agency, ''), r.year FROM reports r "
        "LEFT JOIN report_links l ON l.report_id = r.id "
        "WHERE r.region IS NOT NULL AND r.region != '' AND r.year IS NOT NULL "
        "GROUP BY r.region, COALESCE(r.agency, ''), r.year "
        "HAVING COUNT(DISTINCT COALESCE(l.canonical_id, r.id)) > 1").fetchall()
    out: set[int] = set()
    for region, agency, year in groups:
        rows = [ReportRow(rid, title or "", year, region, agency, fmt, url or "", published or "", parsed_at or "")
                for rid, title, fmt, url, published, parsed_at in conn.execute(
                    "SELECT id, title, format, url, published, parsed_at FROM reports WHERE region = ? AND "
                    "COALESCE(agency, '') = ? AND year = ? ORDER BY id", (region, agency, year))]
        kept, _ = merge_duplicates(rows, lambda ids: count_metrics(conn, ids), **rule_inputs(conn))
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


@dataclass
class ArchiveStatus:
    home: str
    documents: int
    documents_by_status: dict[str, int]
    reports: int  # distinct: each publisher's report for a year once
    report_documents: int  # documents parsed as reports, copies included
    pages: int
    orphans: int
    errors: int
    errors_by_kind: dict[str, int] = field(default_factory=dict)  # "stage/reason" -> n (real errors)
    not_reports: int = 0  # documents that are no report (their reason is kept in errors)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def archive_status(home) -> ArchiveStatus:
    conn = home.catalog.conn
    by_status = {s: n for s, n in conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status")}
    documents = sum(by_status.values())
    known = {r[0] for r in conn.execute("SELECT sha256 FROM documents")}
    listed = {r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM fetches WHERE sha256 IS NOT NULL")} - known
    pages = orphans = 0
    for sha in home.blobs.iter_shas():
        if sha in known:
            continue
        if sha in listed:
            pages += 1
        else:
            orphans += 1
    kinds: dict[str, int] = {}
    for stage, reason, n in conn.execute("SELECT stage, reason, COUNT(*) FROM errors GROUP BY stage, reason "
                                         "ORDER BY COUNT(*) DESC"):
        if (stage, reason) not in NOT_ERRORS:
            kinds[f"{stage}/{reason}"] = n
    return ArchiveStatus(
        home=str(home.path), documents=documents, documents_by_status=by_status,
        reports=len(distinct_reports(conn)),
        report_documents=conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0],
        pages=pages, orphans=orphans, errors=sum(kinds.values()), errors_by_kind=kinds, not_reports=by_status.get("not_report", 0))
