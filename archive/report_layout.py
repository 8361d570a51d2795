"""A report's metrics laid out as the report's own tables, for `xxgk show` and `xxgk serve`.

    tables_of(metrics, legacy=False) -> {table: [Entry]}      table2, table3, table4, legacy, appendix
    matrix_of(entries, table) -> Matrix                         rows down, columns across, key per cell
    unplaced(metrics, tables) -> [key]                          figures no table of the codebook holds
    number_text(value) -> str                                   12,345; 0.1235; '' for None

Pure: takes a record's ``metrics`` dict (key -> value) and the codebook (``archive.compare.codebook``).
A report before the 2019 template has no tables 2-4: its figures are the prose's, listed in the
order of SCHEMA.md's legacy keys. Table 3's applicant columns keep the template's order, the
total first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .compare.codebook import CODEBOOK, Entry, entry
from .compare.metric_keys import LEGACY_KEYS

__all__ = ["TABLE_ORDER", "Matrix", "tables_of", "matrix_of", "unplaced", "number_text", "T3_COLUMNS"]

TABLE_ORDER = ("table2", "table3", "table4", "legacy", "appendix")
T3_COLUMNS = ("total", "natural", "commercial", "research", "social", "legal", "other_org")


@dataclass
class Matrix:
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # (row, column) -> metric key


def number_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.4g}"
    return f"{int(v):,}" if isinstance(v, (int, float)) else str(v)


def tables_of(metrics: Mapping[str, object], legacy: bool = False) -> dict[str, list[Entry]]:
    by_table: dict[str, list[Entry]] = {}
    for e in CODEBOOK:
        if e.key in metrics:
            table = "legacy" if legacy and e.table in ("table2", "table3", "table4") else e.table
            by_table.setdefault(table, []).append(e)
    if legacy and "legacy" in by_table:  # in the order the prose keys are listed (SCHEMA.md)
        order = {k: i for i, k in enumerate(LEGACY_KEYS)}
        by_table["legacy"].sort(key=lambda e: order.get(e.key, len(order)))
    return {t: by_table[t] for t in TABLE_ORDER if by_table.get(t)}


def matrix_of(entries: list[Entry], table: str, value_column: str = "value") -> Matrix:
    """A table of the report: its rows down, its columns across, as the template lays them out."""
    m = Matrix()
    for e in entries:
        row = e.row if table != "table3" or e.column else e.label
        col = e.column or value_column
        if row not in m.rows:
            m.rows.append(row)
        if col not in m.columns:
            m.columns.append(col)
        m.cells[(row, col)] = e.key
    if table == "table3":  # the applicant columns in the template's order, the total first
        order = [entry(f"applications.new.{c}").column for c in T3_COLUMNS]  # type: ignore[union-attr]
        m.columns.sort(key=lambda c: order.index(c) if c in order else len(order))
    return m


def unplaced(metrics: Mapping[str, object], tables: Mapping[str, list[Entry]]) -> list[str]:
    placed = {e.key for entries in tables.values() for e in entries}
    return [k for k in metrics if k not in placed]
