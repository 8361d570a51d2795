"""`xxgk verify`: every blob the catalog names, re-hashed; missing and altered ones reported.

    verify_archive(home, progress=None) -> VerifyReport

The catalog names two kinds of blob: documents (``documents.sha256``) and the list pages a crawl
kept (``fetches.sha256`` without a document). Each is read in 1 MB chunks through sha256
(``BlobStore.check``), so memory stays flat whatever the file size. A problem carries what the
blob is (document id and where it came from, or the list page's URL) so the user knows what to
import or crawl again. Blobs no catalog row names (orphans, harmless) are counted, not judged.
The search index's text store is checked too, every text against its CRC (``index_damage``):
damage there is reported with its remedy (``xxgk index --rebuild``). Writes nothing: it works on a
read-only archive.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterator

from .db import stream_rows
from .home import Home
from .indexing import index_damage
from .status import count_orphans

__all__ = ["VerifyReport", "BlobProblem", "verify_archive", "named_blobs", "count_named_blobs"]


@dataclass(frozen=True, slots=True)
class BlobProblem:
    sha256: str
    status: str  # missing | altered
    what: str    # "document 12 (http://…)" or "list page http://…"


@dataclass
class VerifyReport:
    checked: int = 0
    bytes: int = 0
    orphans: int = 0
    problems: list[BlobProblem] = field(default_factory=list)
    seconds: float = 0.0
    index: str | None = None  # damage found in the search index, with its remedy

    @property
    def ok(self) -> bool:
        return not self.problems and not self.index

    def counts(self) -> dict[str, int]:
        out = {"checked": self.checked, "missing": 0, "altered": 0, "orphans": self.orphans}
        for p in self.problems:
            out[p.status] += 1
        return out

    def to_dict(self) -> dict:
        return {"counts": self.counts(), "bytes": self.bytes, "seconds": self.seconds,
                "problems": [asdict(p) for p in self.problems], "index": self.index}


# the pages of the crawl's log that no document holds: each once, with the first URL it came from
_PAGES = ("SELECT sha256, MIN(url) FROM fetches WHERE sha256 IS NOT NULL AND document_id IS NULL "
          "AND sha256 NOT IN (SELECT sha256 FROM documents) GROUP BY sha256")


def named_blobs(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(sha256, what it is) for every blob the catalog names, each once, read as they are walked: a
    national archive names millions (a dict of them all held ~150 bytes each)."""
    yield from ((sha, f"document {doc_id}" + (f" ({url})" if url else "")) for doc_id, sha, url in stream_rows(
        conn, "SELECT d.id, d.sha256, (SELECT COALESCE(s.final_url, s.url) FROM sources s WHERE s.document_id = d.id "
              "ORDER BY s.kind = 'crawl' DESC, s.id LIMIT 1) FROM documents d ORDER BY d.id"))
    yield from ((sha, f"list page {url}") for sha, url in stream_rows(conn, _PAGES + " ORDER BY sha256"))


def count_named_blobs(conn: sqlite3.Connection) -> int:
    return (conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            + conn.execute(f"SELECT COUNT(*) FROM ({_PAGES}) pages").fetchone()[0])


def verify_archive(home: Home, progress: Callable[[int, int], None] | None = None) -> VerifyReport:
    t0 = time.monotonic()
    report = VerifyReport()
    conn = home.catalog.conn
    total = count_named_blobs(conn) if progress else 0
    for i, (sha, what) in enumerate(named_blobs(conn), 1):
        status = home.blobs.check(sha)
        report.checked += 1
        if status == "ok":
            report.bytes += home.blobs.size(sha) or 0
        else:
            report.problems.append(BlobProblem(sha, status, what))
        if progress:
            progress(i, max(total, i))
    report.orphans = count_orphans(home.blobs, conn)
    report.index = index_damage(home, full=True)
    report.seconds = round(time.monotonic() - t0, 2)
    return report
