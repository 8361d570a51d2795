"""Report ids that stay the same for the same document across a rebuild of the same inputs.

A report's id is read from its document's sha256, not from the order reports were saved in (a
crawl saves them in whatever order its sites answer): six digits (100000-999999, never a year),
the first of a fixed sequence of candidates that no other report holds. Two documents whose
first candidates collide (about 1 in 6,000 pairs in an archive of 150 reports) take the next of
their own sequences, so only such a pair can trade ids when a rebuild saves them in another order.
``Catalog.save_record`` asks ``stable_report_id`` for a new report; a re-parsed report keeps its id.
"""
from __future__ import annotations

import hashlib
import sqlite3
from typing import Iterator

__all__ = ["stable_report_id", "candidate_ids", "ID_LOW", "ID_SPAN"]

ID_LOW = 100_000
ID_SPAN = 900_000


def candidate_ids(key: str) -> Iterator[int]:
    """The ids a document may take, in order: eight from its hash, then the ids after the last."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    n = ID_LOW
    for i in range(0, 32, 4):
        n = ID_LOW + int.from_bytes(digest[i:i + 4], "big") % ID_SPAN
        yield n
    for step in range(1, ID_SPAN):
        yield ID_LOW + (n - ID_LOW + step) % ID_SPAN


def stable_report_id(conn: sqlite3.Connection, document_id: int) -> int:
    """The id a new report of this document takes (inside the caller's write transaction)."""
    row = conn.execute("SELECT sha256 FROM documents WHERE id = ?", (document_id,)).fetchone()
    key = row[0] if row else f"document:{document_id}"
    for candidate in candidate_ids(key):
        if conn.execute("SELECT 1 FROM reports WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate
    raise RuntimeError("no report id left")  # 900,000 reports: never in practice
