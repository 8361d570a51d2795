"""The catalog's side of the duplicate rule: what it weighs, and one report's group of copies.

    stored_values(conn, ids) -> {report id: {metric key: value}}      stated (not derived) metrics
    copies_merge(conn, report_id) -> Merge | None                    the merge of the report's
                                                                      publisher-year, as compare makes it
    copies_lines(conn, report_id) -> [str]                            what `xxgk show` says about them
    rule_inputs(conn) -> dict                                        the keyword arguments of
                                                                      ``merge_duplicates`` for this catalog

``archive.compare.comparison`` (compare, check, chart) and ``xxgk show`` merge the same way:
provenance first (``archive.provenance``), conflicts found over the stated values.
"""
from __future__ import annotations

import sqlite3
from itertools import groupby
from operator import itemgetter
from typing import Iterable

from ..provenance import report_provenance
from .duplicates import Merge, merge_duplicates
from .selection import ReportRow
from .values import KeyNames, count_metrics

__all__ = ["stored_values", "copies_merge", "copies_lines", "rule_inputs"]

_CHUNK = 900


def stored_values(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, dict[str, float]]:
    ids = list(ids)
    out: dict[int, dict[str, float]] = {}
    names = KeyNames(conn)  # by key id, not through the ``metrics`` view (a lookup a row)
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        rows = conn.execute(f"SELECT report_id, key_id, value FROM metric_values WHERE derived = 0 AND report_id IN "
                            f"({', '.join('?' * len(part))}) ORDER BY report_id", part)
        for rid, group in groupby(rows, key=itemgetter(0)):  # one dict a report, made in one go
            out[rid] = {names[key_id]: value for _, key_id, value in group}
    return out


def rule_inputs(conn: sqlite3.Connection) -> dict:
    return {"provenance": lambda ids: report_provenance(conn, ids),
            "metric_values": lambda ids: stored_values(conn, ids)}


def copies_merge(conn: sqlite3.Connection, report_id: int) -> Merge | None:
    """The merge of the report's publisher and year (None when it has no duplicate)."""
    me = conn.execute("SELECT region, agency, year FROM reports WHERE id = ?", (report_id,)).fetchone()
    if me is None or not me[0] or me[2] is None:
        return None
    rows = [ReportRow(rid, title or "", year, region or "", agency or "", fmt, url or "", published or "",
                      parsed_at or "")
            for rid, title, year, region, agency, fmt, url, published, parsed_at in conn.execute(
                "SELECT id, title, year, region, agency, format, url, published, parsed_at FROM reports "
                "WHERE region = ? AND COALESCE(agency, '') = COALESCE(?, '') AND year = ? ORDER BY id", tuple(me))]
    if len(rows) < 2:
        return None
    _, merges = merge_duplicates(rows, lambda ids: count_metrics(conn, ids), **rule_inputs(conn))
    return merges[0] if merges else None


def copies_lines(conn: sqlite3.Connection, report_id: int) -> list[str]:
    """What ``xxgk show`` says about a report's trust and its copies: where it stands, which copy
    counts and why, and the metrics the copies state differently."""
    prov = report_provenance(conn, [report_id]).get(report_id)
    lines = []
    if prov is not None:
        lines.append(f"trust: {prov.label}")
        if prov.mismatch:
            lines.append(f"host mismatch: {prov.mismatch}")
    merge = copies_merge(conn, report_id)
    if merge is None:
        return lines
    others = [rid for rid in (merge.kept, *merge.dropped) if rid != report_id]
    why = merge.reason.split("; the copies disagree")[0]
    if merge.kept == report_id:
        lines.append(f"copies: reports {', '.join(map(str, others))} (same publisher and year); this one counts: {why}")
    else:
        lines.append(f"copies: report {merge.kept} counts instead of this one ({why}); others: "
                     f"{', '.join(map(str, others))}")
    for c in merge.conflicts:
        lines.append(f"copies disagree: {c.text()}")
    return lines
