"""Metric values of the selected reports, streamed from the catalog's ``metrics`` table in one pass.

Takes an open catalog connection, the kept ``ReportRow``s (in output order) and the metric keys
needed (None: every key); yields one ``ReportValues`` per report, in that order, including reports
that have none of the keys. Never reads ``record_json``: one SQL join over a temporary table of the
selected ids, ordered by position, so memory stays flat whatever the archive's size.
"""
from __future__ import annotations

import itertools
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..catalog_evidence import EvidenceReader
from ..db import dialect_of
from ..errors import CatalogError
from .selection import ReportRow

__all__ = ["ReportValues", "KeyNames", "iter_report_values", "count_metrics", "present_keys", "report_metrics", "evidence_text"]

_CHUNK = 900  # below SQLite's bound-variable limit
_TABLE_SEQ = itertools.count(1)


@dataclass(slots=True)
class ReportValues:
    report: ReportRow
    values: dict[str, int | float]
    derived: set[str] = field(default_factory=set)
    evidence: dict[str, str] = field(default_factory=dict)  # only filled when asked


def count_metrics(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, int]:
    ids = list(ids)
    out: dict[int, int] = {}
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        out.update(conn.execute(
            f"SELECT report_id, COUNT(*) FROM metric_values WHERE report_id IN ({', '.join('?' * len(part))}) "
            "GROUP BY report_id", part).fetchall())
    return out


def report_metrics(conn: sqlite3.Connection, report_id: int, keys: Iterable[str]) -> dict[str, int | float]:
    """Some metrics of one report (the parts of a headline fill-in)."""
    keys = sorted(keys)
    return dict(conn.execute(
        f"SELECT key, value FROM metrics WHERE report_id = ? AND key IN ({', '.join('?' * len(keys))})",
        [report_id, *keys]).fetchall())


def present_keys(conn: sqlite3.Connection) -> list[str]:
    """Every metric key some archived report has (walks the key index, not the rows)."""
    # each key once from its own table (a scan of every value would read the whole catalog's numbers)
    return [r[0] for r in conn.execute("SELECT k.key FROM metric_keys k WHERE EXISTS "
                                       "(SELECT 1 FROM metric_values v WHERE v.key_id = k.id) ORDER BY k.key")]


def evidence_text(raw: "str | dict | None") -> str:
    """One readable line from an evidence dict (or its JSON): where in the report the number was read."""
    if not raw:
        return ""
    if isinstance(raw, dict):
        ev = raw
    else:
        try:
            ev = json.loads(raw)
        except ValueError:
            return raw
    if not isinstance(ev, dict):
        return ""
    where = ev.get("where")
    page = f" p.{ev['page']}" if ev.get("page") else ""
    if where == "table":
        return f"table {ev.get('table')}{page}: {ev.get('row')} | {ev.get('column')}"
    return f"{where or 'text'}{page}: {ev.get('snippet') or ''}"


class _EvidenceTexts:
    """Each stored evidence as the line a comparison shows (``evidence_text``). The line of a table
    cell names its table, row and column only, and the reports of one template store the same
    evidence for the same cell: each such evidence is decoded once (an export of every number spent
    a third of its time decoding them). Evidence quoting its report's text is decoded every time."""

    _MAX_KEPT = 100_000  # distinct evidences remembered: a bound on memory, not a cache policy

    def __init__(self, conn: sqlite3.Connection):
        self.reader = EvidenceReader(conn)
        self.kept: dict[str, str] = {}

    def text(self, report_id: int, raw: str | None) -> str:
        if raw is None:
            return ""
        line = self.kept.get(raw)
        if line is not None:
            return line
        ev = self.reader.decode(report_id, raw)
        line = evidence_text(ev)
        if isinstance(ev, dict) and ev.get("where") == "table":
            if len(self.kept) >= self._MAX_KEPT:
                self.kept.clear()
            self.kept[raw] = line
        return line


def _new_selection(conn: sqlite3.Connection) -> str:
    """A temporary table for the selected ids by output position; its own name, so two streams never mix."""
    name = f"xxgk_compare_sel_{next(_TABLE_SEQ)}"
    conn.execute(f"CREATE TEMP TABLE {name} (ord INTEGER PRIMARY KEY, report_id INTEGER)")
    return name


def _fill_selection(conn: sqlite3.Connection, name: str, reports: list[ReportRow]) -> None:
    """The table holds these reports' ids (and no others) by their position among them. Rows are
    deleted, never the table dropped: SQLite drops no table while a statement still reads, and the
    reports of a stream are read from the catalog as the values are."""
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")
    conn.execute(f"DELETE FROM temp.{name}")
    conn.executemany(f"INSERT INTO temp.{name} (ord, report_id) VALUES (?, ?)",
                     ((i, r.id) for i, r in enumerate(reports)))
    if own_txn:
        conn.execute("COMMIT")


def _drop(conn: sqlite3.Connection, name: str) -> None:
    try:
        conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
    except (sqlite3.Error, CatalogError):  # still read by an abandoned cursor, or closed: it goes with the connection
        pass


VALUES_CHUNK = 5000  # reports whose values one query reads: what a stream of reports holds at once


def iter_report_values(conn: sqlite3.Connection, reports: Iterable[ReportRow], keys: Iterable[str] | None, *,
                       with_evidence: bool = False, chunk: int = VALUES_CHUNK) -> Iterator[ReportValues]:
    """Each report's values, in the order of ``reports``, read ``chunk`` reports at a time: ``reports``
    may be a stream from the catalog (an export of every report), and a chunk is all that is held."""
    names = KeyNames(conn)
    key_ids = names.ids_of(keys) if keys is not None else None
    if key_ids == []:  # no key asked, or none of them stored anywhere
        for r in reports:
            yield ReportValues(r, {})
        return
    parts = _chunks(reports, chunk)
    if dialect_of(conn) == "postgres":
        # a read-only session (web, replica) may not create a temporary table: the ids travel as one array
        selection = "(SELECT t.ord - 1 AS ord, t.report_id FROM unnest(?::bigint[]) WITH ORDINALITY AS t(report_id, ord))"
        for part in parts:
            yield from _row_per_metric(conn, selection, part, names, key_ids, with_evidence, [[r.id for r in part]])
        return
    table = _new_selection(conn)
    try:
        for part in parts:
            _fill_selection(conn, table, part)
            yield from _row_per_metric(conn, f"temp.{table}", part, names, key_ids, with_evidence)
    finally:
        _drop(conn, table)


def _chunks(rows: Iterable[ReportRow], size: int) -> Iterator[list[ReportRow]]:
    rows = iter(rows)
    while part := list(itertools.islice(rows, size)):
        yield part


class KeyNames(dict):
    """``metric_keys``: id -> key, read once. Values are read from ``metric_values`` by key id: through
    the ``metrics`` view every row looked its key up (a fifth of reading 100,000 reports' values).
    A key first stored after the map was read (an import running beside) is looked up when met."""

    def __init__(self, conn: sqlite3.Connection):
        super().__init__(conn.execute("SELECT id, key FROM metric_keys"))
        self._conn = conn

    def __missing__(self, key_id: int) -> str:
        row = self._conn.execute("SELECT key FROM metric_keys WHERE id = ?", (key_id,)).fetchone()
        if row is None:  # a row written past the writer (a restored or hand-edited catalog): say so
            from ..errors import CatalogDamagedError

            raise CatalogDamagedError(f"the catalog is damaged: a stored number names metric key {key_id}, which "
                                      "metric_keys does not hold; `xxgk reparse --all` writes every record again")
        self[key_id] = row[0]
        return row[0]

    def ids_of(self, keys: Iterable[str]) -> list[int]:
        """The ids of those keys the catalog holds (a key no report states has none)."""
        wanted = set(keys)
        return sorted(i for i, k in self.items() if k in wanted)


def _row_per_metric(conn: sqlite3.Connection, selection: str, reports: list[ReportRow], names: KeyNames,
                    key_ids: list[int] | None, with_evidence: bool,
                    selection_params: list | None = None) -> Iterator[ReportValues]:
    """Each selected report's values in selection order; ``selection`` yields (ord, report_id) rows;
    ``key_ids``: the metric keys read (None: all)."""
    key_clause = f" AND v.key_id IN ({', '.join(map(str, key_ids))})" if key_ids is not None else ""
    ev_col = ", v.evidence_json" if with_evidence else ""
    # CROSS JOIN: SQLite walks the selection in its order and reads each report's rows by their key,
    # so the rows stream out in order. Left to choose, it read every row of the wanted metrics by
    # key and sorted them all (an export of every number: a sort of all of them before the first
    # row). PostgreSQL plans a CROSS JOIN with its WHERE as any join
    cur = conn.execute(
        f"SELECT s.ord, v.key_id, v.value, v.derived{ev_col} FROM {selection} s "
        f"CROSS JOIN metric_values v WHERE v.report_id = s.report_id{key_clause} ORDER BY s.ord",
        selection_params or [])
    # rows arrive in report order: fill one report's dicts, hand it out when the next one starts
    n = len(reports)
    reader = _EvidenceTexts(conn) if with_evidence else None  # stored evidence is compact: decoded here
    pos = 0
    current = ReportValues(reports[0], {}) if n else None
    values, derived, evidence = (current.values, current.derived, current.evidence) if current else ({}, set(), {})
    for row in cur:
        ord_ = row[0]
        while pos < ord_:
            yield current  # type: ignore[misc]
            pos += 1
            current = ReportValues(reports[pos], {})
            values, derived, evidence = current.values, current.derived, current.evidence
        key = names[row[1]]
        values[key] = row[2]
        if row[3]:
            derived.add(key)
        if reader is not None:
            evidence[key] = reader.text(reports[ord_].id, row[4])
    while current is not None:
        yield current
        pos += 1
        current = ReportValues(reports[pos], {}) if pos < n else None
