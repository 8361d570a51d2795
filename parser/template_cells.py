"""Reading template-table cells: blanks, labels, money units, and placing a row's cells as metrics.

Shared by ``parser.templates`` (tables 3 and 4, finding the tables) and ``parser.template_table2``.
Every cell goes through ``parser.numbers.parse_cell`` (cached here: the same texts repeat in every
report); a cell that cannot be placed becomes a ``table.unplaced`` finding, a key read twice with
different values a ``table.conflict`` finding. Reads no settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .document import Table
from .numbers import BLANK_MARKS, normalize_width, parse_cell as _parse_cell, to_number
from .record import Evidence, Finding, Reading

__all__ = ["parse_cell", "clean_text", "is_blank", "distinct", "label_cells", "table_evidence", "locate_cell",
           "unplaced", "put_metric", "CellReading", "place_row", "unit_of", "convert_money", "MAX_LABEL_LEN"]

MAX_LABEL_LEN = 120  # longer cells are prose or layout tables, never template labels
# cells repeat (merged cells, the same numbers in every report): read each distinct text once
parse_cell = lru_cache(maxsize=16384)(_parse_cell)


def clean_text(text: str) -> str:
    """A label as written, with whitespace folded (for evidence): runs of the characters a regex's
    ``\\s`` matches (nbsp and the ideographic space among them), which ``str.split`` cuts at, are one space."""
    return " ".join(text.split()) if text else ""


@lru_cache(maxsize=16384)
def is_blank(text: str) -> bool:
    """Empty, or one of the marks that mean "no value" (——, /, 无…): absent, never 0."""
    return re.sub(r"\s+", "", normalize_width(text or "")).lower() in BLANK_MARKS


def distinct(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        t = clean_text(t)
        if t and (not out or out[-1] != t) and t not in out:
            out.append(t)
    return out


def label_cells(row: list[str]) -> list[str]:
    return [c for c in row if len(c) <= MAX_LABEL_LEN and parse_cell(c) is None and not is_blank(c)]


def table_evidence(table: Table, i: int, row: str, column: str, snippet: str | None = None,
                   j: int | None = None, text: str | None = None) -> Evidence:
    """The evidence of the cell read at row ``i`` (column ``j``, holding ``text``) of ``table``.

    A PDF table's cell (one with a page) gets ``bbox``, the slot's cell box on ``page``; any other
    table's ``cell``: (i, j) in ``table.grid``, the reader's grid, spans expanded (a merged cell's
    text in every slot it covers), rows and columns empty throughout dropped (HTML), of the table
    ``Document.tables[table]`` (the content's data tables in document order: not layout, metadata
    or one-cell frame tables, nor tables outside the content). ``j`` is checked
    against ``text``: a row laid out again (``realign_row``) names a column of its new layout, so the
    slot holding the text nearest to it is taken instead (none when no slot holds it).
    """
    cell = bbox = None
    page = table.page_of_row(i) if table.row_pages else table.page  # (no pages by row: the table's)
    grid = table.grid
    # most cells are read where their text stands: j as it is, without asking locate_cell
    if j is not None and not (text is not None and 0 <= i < len(grid) and 0 <= j < len(grid[i])
                              and grid[i][j] == text):
        j = locate_cell(table, i, j, text)
    if j is not None:
        if page is not None:
            bbox = table.box_of(i, j)
        else:
            cell = (i, j)
    return Evidence(where="table", table=table.index, row=row, column=column, page=page, snippet=snippet,
                    cell=cell, bbox=bbox)


def locate_cell(table: Table, i: int, j: int, text: str | None) -> int | None:
    """Column ``j`` of row ``i`` when it holds ``text`` (or no text is given), else the column
    nearest to ``j`` that does, else None."""
    row = table.grid[i] if 0 <= i < len(table.grid) else []
    if text is None:
        return j if 0 <= j < len(row) else None
    if 0 <= j < len(row) and row[j] == text:
        return j
    holding = [k for k, c in enumerate(row) if c == text]
    return min(holding, key=lambda k: abs(k - j)) if holding else None


def unplaced(reading: Reading, table: Table, row: str, column: str, text: str, why: str) -> None:
    reading.findings.append(Finding(
        "table.unplaced", "warning",
        f"table {table.index}: cell {text!r} at row {row!r}, column {column!r} not placed: {why}",
        {"table": table.index, "row": row, "column": column, "text": text},
    ))


def put_metric(reading: Reading, key: str, value: int | float, ev: Evidence) -> None:
    """Keep the first reading of a key; a second one that disagrees is a finding, not an overwrite."""
    old = reading.metrics.get(key)
    if old is None:
        reading.put(key, value, ev)
    elif old[0] != value:
        reading.findings.append(Finding(
            "table.conflict", "warning",
            f"{key} read twice with different values: {old[0]} (table {old[1].table}) and {value} (table {ev.table})",
            {key: old[0], "other": value},
        ))


@dataclass(slots=True)
class CellReading:
    key: str | None  # the metric key, or None when the cell cannot be placed
    column: str  # the column label as written
    text: str  # the cell as written
    value: int | float | None
    why: str = ""
    j: int | None = None  # the column in the table's grid the cell was read from, when known


def place_row(reading: Reading, table: Table, i: int, label: str, cells: list[CellReading], snippet_keys=()) -> None:
    """Put a row's cells; a key claimed by two cells (a merged header over two columns) is kept only
    when both say the same number."""
    by_key: dict[str, list[CellReading]] = {}
    for c in cells:
        if c.key is None or c.value is None:
            unplaced(reading, table, label, c.column, c.text, c.why or "not a number")
        else:
            by_key.setdefault(c.key, []).append(c)
    for key, hits in by_key.items():
        if len(hits) > 1 and len({c.value for c in hits}) > 1:  # (most keys have one cell)
            for c in hits:
                unplaced(reading, table, label, c.column, c.text, f"two cells claim {key}")
            continue
        c = hits[0]
        snippet = c.text.strip() if key in snippet_keys else None
        put_metric(reading, key, c.value, table_evidence(table, i, label, c.column, snippet, c.j, c.text))


_WAN = re.compile(r"万元")
_YUAN = re.compile(r"(?<!万)元")


def unit_of(text: str) -> str | None:
    t = normalize_width(text or "")
    if _WAN.search(t):
        return "万元"
    if _YUAN.search(t):
        return "元"
    return None


def convert_money(cell: str, value: int | float, key_unit: str, header_unit: str | None) -> int | float:
    """A money cell in the unit its key names, converted exactly (Decimal) when written in the other."""
    unit = unit_of(cell) or header_unit or key_unit
    if unit == key_unit:
        return value
    d = Decimal(str(value))
    return to_number(d * 10000 if unit == "万元" else d / 10000)


