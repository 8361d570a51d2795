"""Strings the catalog stores once, in a table of their own, and refers to by id.

    name_ids(c, "metric_keys", "key", keys) -> {key: id}

``evidence_labels`` (a table's row and column labels as written) and ``metric_keys`` (SCHEMA.md's
metric keys) are such tables: a few hundred distinct strings repeated in every report's rows, so a
row holds a small integer instead (issue 18, a lean catalog). Ids never change once given.
"""
from __future__ import annotations

from typing import Any, Iterable

__all__ = ["name_ids"]

_CHUNK = 500  # parameters per statement, well under SQLite's and PostgreSQL's limits


def name_ids(c: Any, table: str, column: str, names: Iterable[str]) -> dict[str, int]:
    """Ids of these names in ``table``, adding the new ones (inside a write transaction).

    ``table`` and ``column`` are the archive's own identifiers, never input.
    """
    wanted = sorted(set(names))
    out: dict[str, int] = {}
    for i in range(0, len(wanted), _CHUNK):
        part = wanted[i:i + _CHUNK]
        out.update(_known(c, table, column, part))
        missing = [s for s in part if s not in out]
        if missing:
            c.executemany(f"INSERT OR IGNORE INTO {table}({column}) VALUES (?)", [(s,) for s in missing])
            out.update(_known(c, table, column, missing))
    return out


def _known(c: Any, table: str, column: str, names: list[str]) -> list[tuple[str, int]]:
    marks = ", ".join("?" * len(names))
    return [(s, n) for n, s in c.execute(f"SELECT id, {column} FROM {table} WHERE {column} IN ({marks})",
                                         names).fetchall()]
