"""Strings the catalog stores once, in a table of their own, and refers to by id.

    name_ids(c, "metric_keys", "key", keys) -> {key: id}

``evidence_labels`` (a table's row and column labels as written) and ``metric_keys`` (SCHEMA.md's
metric keys) are such tables: a few hundred distinct strings repeated in every report's rows, so a
row holds a small integer instead (issue 18, a lean catalog). Ids never change once given, so a
connection that carries a ``NameIdCache`` (``name_id_cache``: the catalog's writing connection) asks
the database only for names it has not seen committed: a crawl or import saves every report without
the two lookups each cost.
"""
from __future__ import annotations

from typing import Any, Iterable

__all__ = ["name_ids", "NameIdCache"]

_CHUNK = 500  # parameters per statement, well under SQLite's and PostgreSQL's limits


class NameIdCache:
    """Ids a connection has read or given, by table. Those learnt inside a write transaction are
    trusted only once it commits (``commit``); a rollback (``rollback``) forgets them, since an id
    given in it was never kept."""

    def __init__(self) -> None:
        self._committed: dict[str, dict[str, int]] = {}
        self._pending: dict[str, dict[str, int]] = {}

    def known(self, table: str) -> dict[str, int]:
        return self._committed.get(table, {})

    def learn(self, table: str, ids: dict[str, int]) -> None:
        self._pending.setdefault(table, {}).update(ids)

    def commit(self) -> None:
        for table, ids in self._pending.items():
            self._committed.setdefault(table, {}).update(ids)
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()

    def clear(self) -> None:
        """Forget everything (a table's rows were replaced wholesale: a copy into this catalog)."""
        self._committed.clear()
        self._pending.clear()


def name_ids(c: Any, table: str, column: str, names: Iterable[str]) -> dict[str, int]:
    """Ids of these names in ``table``, adding the new ones (inside a write transaction).

    ``table`` and ``column`` are the archive's own identifiers, never input.
    """
    wanted = sorted(set(names))
    cache: NameIdCache | None = getattr(c, "name_id_cache", None)
    out: dict[str, int] = {}
    if cache is not None:
        seen = cache.known(table)
        out = {s: seen[s] for s in wanted if s in seen}
        wanted = [s for s in wanted if s not in out]
    learnt: dict[str, int] = {}
    for i in range(0, len(wanted), _CHUNK):
        part = wanted[i:i + _CHUNK]
        learnt.update(_known(c, table, column, part))
        missing = [s for s in part if s not in learnt]
        if missing:
            c.executemany(f"INSERT OR IGNORE INTO {table}({column}) VALUES (?)", [(s,) for s in missing])
            learnt.update(_known(c, table, column, missing))
    if cache is not None and learnt:
        cache.learn(table, learnt)
    out.update(learnt)
    return out


def _known(c: Any, table: str, column: str, names: list[str]) -> list[tuple[str, int]]:
    marks = ", ".join("?" * len(names))
    return [(s, n) for n, s in c.execute(f"SELECT id, {column} FROM {table} WHERE {column} IN ({marks})",
                                         names).fetchall()]
