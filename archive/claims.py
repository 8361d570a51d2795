"""One process parses a document at a time: a claim in the catalog's ``parse_claims`` table.

    claim_parse(catalog, document_id, parser_version=…, since=None, force=False) -> (bool, why not)
    release_parse(conn, document_id)          inside the transaction that stores the outcome
    release_claim(catalog, document_id)       on its own (a parse that raised)

Two imports of the same files (or a crawl and an import) would otherwise parse each document
twice. ``claim_parse`` takes the document in one write transaction, unless another live process
holds it, or (without ``force``) it is parsed and current, or was parsed since ``since`` (the
caller's run began: a failure another process just recorded is not tried again at once). A claim
of a process that is gone (its pid no longer runs on this host), or older than ``CLAIM_MAX_AGE``,
is taken over, so a kill -9 never leaves a document unparseable. ``Catalog.save_record`` and
``mark_unparsed`` release the claim in the transaction that stores the outcome.
"""
from __future__ import annotations

import os
import socket
import sqlite3
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalog import Catalog

__all__ = ["claim_parse", "release_parse", "release_claim", "pid_alive", "CLAIM_MAX_AGE"]

# a claim older than this is taken over even when its process seems alive (a reused pid)
CLAIM_MAX_AGE = 3600.0
_HOST = socket.gethostname()


def claim_parse(catalog: "Catalog", document_id: int, *, parser_version: str, since: str | None = None,
                force: bool = False) -> tuple[bool, str]:
    """Take the document for parsing: (True, "") or (False, why not)."""
    me = os.getpid()
    with catalog.write() as c:
        doc = c.execute("SELECT status, parser_version, parsed_at FROM documents WHERE id = ?",
                        (document_id,)).fetchone()
        if doc is None:
            return False, "no such document"
        current = doc["parser_version"] == parser_version
        if not force and current and (doc["status"] in ("parsed", "not_report")
                                      or (since is not None and (doc["parsed_at"] or "") >= since)):
            return False, f"parsed already (document {document_id})"
        held = c.execute("SELECT pid, host, claimed_at FROM parse_claims WHERE document_id = ?",
                         (document_id,)).fetchone()
        if held and held["pid"] != me and _alive(held["pid"], held["host"], held["claimed_at"]):
            return False, f"being parsed by another xxgk process (pid {held['pid']})"
        c.execute("INSERT OR REPLACE INTO parse_claims(document_id, pid, host, claimed_at) VALUES (?, ?, ?, ?)",
                  (document_id, me, _HOST, time.time()))
    return True, ""


def release_parse(c: sqlite3.Connection, document_id: int) -> None:
    c.execute("DELETE FROM parse_claims WHERE document_id = ? AND pid = ?", (document_id, os.getpid()))


def release_claim(catalog: "Catalog", document_id: int) -> None:
    with catalog.write() as c:
        release_parse(c, document_id)


def _alive(pid: int, host: str, claimed_at: float) -> bool:
    """Whether a claim still stands: its process runs (on this host; elsewhere: trusted until old)."""
    if time.time() - claimed_at > CLAIM_MAX_AGE:
        return False
    if host != _HOST:
        return True
    return pid_alive(pid)


def pid_alive(pid: int) -> bool:
    """Whether a process of this id runs on this machine (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
