"""Table 2 of the templates (主动公开政府信息情况): rows of 第二十条 items under their header rows.

``read_table2(tables, fmt, reading)`` reads every table-2 table in order; a header row (信息内容 |
本年新制作数量 …) sets the columns for the rows below it, across small tables too. Word-pasted
tables whose merged cells differ from row to row are laid out again on the header's columns when
exactly one reading fits (``realign_row``), else their cells are findings. A header label that names
no column (damaged) keeps its column: its cells are findings, never another column's. Money cells are stored in
the unit their key names, converted exactly. Reads no settings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import Table
from .labels import T2_COLUMNS, T2_ITEMS, T2_KEYS, T2_UNITS, match_spec, norm_label
from .record import Reading
from .template_cells import (
    CellReading, clean_text, convert_money, distinct, is_blank, parse_cell, place_row, unit_of, unplaced,
)

__all__ = ["read_table2", "realign_row"]

_LABEL_HEADER = "信息内容"  # the header of the item column


@dataclass
class _T2Header:
    # j -> (col, label, unit); col None: a label that names no column (damaged), whose cells are findings
    columns: dict[int, tuple[str | None, str, str | None]] = field(default_factory=dict)

    @property
    def first(self) -> int:
        return min(self.columns) if self.columns else 1


def _t2_header(row: list[str]) -> _T2Header | None:
    """The header row's columns; a damaged column label is a column too (its cells become findings),
    so the row's other cells still line up by position and a new header still ends the one before."""
    if any(parse_cell(c) is not None for c in row) or (row and match_spec(norm_label(row[0]), T2_ITEMS)):
        return None
    cols: dict[int, tuple[str | None, str, str | None]] = {}
    for j, c in enumerate(row):
        spec = match_spec(norm_label(c), T2_COLUMNS) if j > 0 or len(row) == 1 else None
        if spec:
            cols[j] = (spec.key, clean_text(c), unit_of(c))
        elif j > 0 and not is_blank(c) and norm_label(c) and c != row[0]:  # not 信息内容 spanning two columns
            cols[j] = (None, clean_text(c), unit_of(c))
    named = any(col for col, _, _ in cols.values()) or (row and _LABEL_HEADER in norm_label(row[0]))
    return _T2Header(cols) if cols and named else None


def read_table2(tables: list[Table], fmt: str, reading: Reading) -> None:
    keys = T2_KEYS[fmt]
    header: _T2Header | None = None
    for table in tables:
        for i, row in enumerate(table.grid):
            new_header = _t2_header(row)
            if new_header:
                header = new_header
                continue
            label_cells = [c for c in distinct(row[: header.first if header else 1]) if parse_cell(c) is None]
            label = " / ".join(label_cells)
            item = next((spec for c in reversed(label_cells) if (spec := match_spec(norm_label(c), T2_ITEMS))), None)
            first = header.first if header else 1
            values = [(j, c) for j, c in enumerate(row) if not is_blank(c) and (j >= first or parse_cell(c) is not None)]
            if not values:
                continue
            if item is None or header is None:
                if item is not None or any(parse_cell(c) is not None for _, c in values):
                    for j, c in values:
                        unplaced(reading, table, label, "", c, "no row or column label recognised")
                continue
            if not _t2_aligned(row, header):
                row = realign_row(row, header)
                if row is None:
                    for c in table.grid[i]:
                        if parse_cell(c) is not None:
                            unplaced(reading, table, label, "", c, "row does not line up with its header")
                    continue
            _t2_row(reading, table, i, row, label, item.key, header, keys)


def _t2_aligned(row: list[str], header: _T2Header) -> bool:
    """Numbers only under the header's columns, label text in every label column before them (a
    blank there means the row's label is narrower than the header's: its values start earlier)."""
    for j, c in enumerate(row):
        numeric = parse_cell(c) is not None
        if j < header.first and (numeric or (j > 0 and is_blank(c))):
            return False
        if j >= header.first and not is_blank(c) and (j in header.columns) != numeric:
            return False
    return True


def realign_row(row: list[str], header: _T2Header) -> list[str] | None:
    """A row whose merged cells differ from its header's (Word: "a colspan=2 in one row is two cells in
    the next"), laid out again on the header's columns, or None when no single reading fits.

    First reading: the row's values (what follows its label) in order on the header's columns, a
    merged last value running over the end. Else, with the header's merged cells as one group each:
    the values, then without trailing padding, then without a merged value's repeats, the first
    that has as many cells as there are groups."""
    last_col = max(header.columns)
    groups: list[list[int]] = []
    for j in sorted(header.columns):
        if groups and groups[-1][-1] == j - 1 and header.columns[groups[-1][-1]][:2] == header.columns[j][:2]:
            groups[-1].append(j)
        else:
            groups.append([j])
    start = next((j for j, c in enumerate(row) if parse_cell(c) is not None or is_blank(c)), len(row))
    values = row[start:]
    shifted = _t2_shift(values, header.first, last_col, groups)
    if shifted is not None:
        return shifted
    stripped = list(values)
    while stripped and not stripped[-1].strip():
        stripped.pop()
    deduped = [c for k, c in enumerate(stripped) if k == 0 or c != stripped[k - 1]]
    fit = next((v for v in (values, stripped, deduped) if len(v) == len(groups)), None)
    if fit is None:
        return None
    out = [""] * (last_col + 1)  # only the header's columns are read from it
    for group, text in zip(groups, fit):
        for j in group:
            out[j] = text
    return out


def _t2_shift(values: list[str], first: int, last_col: int, groups: list[list[int]]) -> list[str] | None:
    n = last_col + 1 - first
    out = [""] * first + [values[k] if k < len(values) else "" for k in range(n)]
    overflow, last = values[n:], (values[n - 1] if len(values) >= n else None)
    if any(c.strip() and c != last for c in overflow):
        return None
    mapped = {j for g in groups for j in g}
    if any(j not in mapped and out[j].strip() for j in range(first, last_col + 1)):
        return None
    if any(len({out[j] for j in g}) > 1 for g in groups):  # a merged header over cells that differ
        return None
    return out


def _t2_row(reading: Reading, table: Table, i: int, row: list[str], label: str, item: str,
            header: _T2Header, keys: dict[tuple[str, str], str]) -> None:
    cells: list[CellReading] = []
    for j, (col, col_label, unit) in header.columns.items():
        text = row[j] if j < len(row) else ""
        if is_blank(text):
            continue
        value, key = parse_cell(text), keys.get((item, col)) if col else None
        why = "" if key else (f"no {item}.{col} in this template" if col else "column label not recognised")
        if key in T2_UNITS and value is not None:
            value = convert_money(text, value, T2_UNITS[key], unit)
        cells.append(CellReading(key, col_label, text, value, why, j))
    place_row(reading, table, i, label, cells, snippet_keys=T2_UNITS)

