"""Tables 2, 3 and 4 of the 2019 and 2021 templates: Document tables -> metrics with evidence.

Takes a ``Document`` (tables as full grids) and the format (``gb2019``/``gb2021``); returns a
``Reading``: every placed cell as a metric with ``Evidence(where="table", table, row, column,
page)``, and a finding for every non-blank cell that could not be placed with confidence (never a
guess). Tables are found by their labels, not their position; a table 3 cut in two (the second
part without its header) borrows the header of the part before, aligned on the right. All label
variants live in ``parser.labels``; every cell goes through ``parser.numbers.parse_cell``.
Reads no settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal

from .document import Document, Table
from .labels import (
    T2_COLUMNS, T2_ITEMS, T2_KEYS, T2_UNITS, T3_COLUMNS, T3_GROUP_SUBTOTAL, T3_GROUPS, T3_NOTE_PHRASES,
    T3_ROW_KEYS, T3_ROWS, T4_GROUPS, T4_LEAVES, LabelSpec, match_spec, norm_label, strip_numbering,
)
from .numbers import BLANK_MARKS, normalize_width, parse_cell as _parse_cell, to_number
from .record import Evidence, Finding, Reading

__all__ = ["read_template_tables", "classify_table", "TABLE_KINDS"]

TABLE_KINDS = ("t2", "t3", "t4")
_MAX_LABEL_LEN = 120  # longer cells are prose or layout tables, never template labels
_T3_TOP = tuple(s for s in T3_ROWS if s.group is None)
_T3_IN_GROUP = tuple(s for s in T3_ROWS if s.group is not None)
# cells repeat (merged cells, the same numbers in every report): read each distinct text once
parse_cell = lru_cache(maxsize=16384)(_parse_cell)


def read_template_tables(doc: Document, fmt: str) -> Reading:
    """All template-table metrics of ``doc`` read as format ``fmt``."""
    reading = Reading()
    by_kind: dict[str, list[Table]] = {k: [] for k in TABLE_KINDS}
    last: str | None = None
    for table in doc.tables:
        kind = classify_table(table, loose=True)
        if kind is None and last == "t3" and _t3_row_count(table) >= 1:
            kind = "t3"  # the tail of a table 3 cut across pages: a row or two
        if kind:
            by_kind[kind].append(table)
        last = kind
    _read_table2(by_kind["t2"], fmt, reading)
    _read_table3(by_kind["t3"], fmt, reading)
    _read_table4(by_kind["t4"], reading)
    return reading


# --- helpers ----------------------------------------------------------------------------------

def _clean(text: str) -> str:
    """A label as written, with whitespace folded (for evidence)."""
    return re.sub(r"[\s\u00a0\u3000]+", " ", text).strip() if text else ""


@lru_cache(maxsize=16384)
def _is_blank(text: str) -> bool:
    """Empty, or one of the marks that mean "no value" (——, /, 无…): absent, never 0."""
    return re.sub(r"\s+", "", normalize_width(text or "")).lower() in BLANK_MARKS


def _distinct(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        t = _clean(t)
        if t and (not out or out[-1] != t) and t not in out:
            out.append(t)
    return out


def _label_cells(row: list[str]) -> list[str]:
    return [c for c in row if len(c) <= _MAX_LABEL_LEN and parse_cell(c) is None and not _is_blank(c)]


def _t3_row_keys(labels: set[str]) -> set[str]:
    return {s.key for lab in labels for s in (match_spec(lab, _T3_TOP), match_spec(lab, _T3_IN_GROUP)) if s}


def _t3_row_count(table: Table) -> int:
    return len(_t3_row_keys({norm_label(c) for c in _label_cells(list({c for row in table.grid for c in row}))} - {""}))


def classify_table(table: Table, loose: bool = False) -> str | None:
    """``t2``, ``t3``, ``t4`` or None, by the labels a table holds.

    Strict (format detection): a table 3 needs its column header, a table 4 the template's result
    words, so a legacy appendix (涉及国家秘密, 行政复议数…) is never taken for a template table.
    ``loose`` (reading a report already known to be a template one) also takes a table 3 whose
    header is lost when at least three of its rows are table-3 rows."""
    labels = {norm_label(c) for c in _label_cells(list({c for row in table.grid for c in row}))}
    labels.discard("")
    joined = "|".join(labels)
    t3_rows = _t3_row_keys(labels)
    t3_cols = "自然人" in joined or "申请人情况" in joined
    t4 = "行政复议" in joined and any(w in joined for w in ("结果维持", "结果纠正", "尚未审结"))
    t2_items = {s.key for lab in labels if (s := match_spec(lab, T2_ITEMS))}
    t2_cols = {s.key for lab in labels if (s := match_spec(lab, T2_COLUMNS))}
    scores = {
        "t3": len(t3_rows) + (3 if t3_cols else 0) if (t3_cols and t3_rows) or (loose and len(t3_rows) >= 3) else 0,
        "t4": 5 if t4 else 0,
        "t2": len(t2_items) + len(t2_cols) if t2_items and (t2_cols or "信息内容" in joined) else 0,
    }
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else None


def _evidence(table: Table, i: int, row: str, column: str, snippet: str | None = None) -> Evidence:
    return Evidence(where="table", table=table.index, row=row, column=column, page=table.page_of_row(i),
                    snippet=snippet)


def _unplaced(reading: Reading, table: Table, row: str, column: str, text: str, why: str) -> None:
    reading.findings.append(Finding(
        "table.unplaced", "warning",
        f"table {table.index}: cell {text!r} at row {row!r}, column {column!r} not placed: {why}",
        {"table": table.index, "row": row, "column": column, "text": text},
    ))


def _put(reading: Reading, key: str, value: int | float, ev: Evidence) -> None:
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
class _Cell:
    key: str | None  # the metric key, or None when the cell cannot be placed
    column: str  # the column label as written
    text: str  # the cell as written
    value: int | float | None
    why: str = ""


def _place_row(reading: Reading, table: Table, i: int, label: str, cells: list[_Cell], snippet_keys=()) -> None:
    """Put a row's cells; a key claimed by two cells (a merged header over two columns) is kept only
    when both say the same number."""
    by_key: dict[str, list[_Cell]] = {}
    for c in cells:
        if c.key is None or c.value is None:
            _unplaced(reading, table, label, c.column, c.text, c.why or "not a number")
        else:
            by_key.setdefault(c.key, []).append(c)
    for key, hits in by_key.items():
        if len({c.value for c in hits}) > 1:
            for c in hits:
                _unplaced(reading, table, label, c.column, c.text, f"two cells claim {key}")
            continue
        c = hits[0]
        snippet = c.text.strip() if key in snippet_keys else None
        _put(reading, key, c.value, _evidence(table, i, label, c.column, snippet))


_WAN = re.compile(r"万元")
_YUAN = re.compile(r"(?<!万)元")


def _unit_of(text: str) -> str | None:
    t = normalize_width(text or "")
    if _WAN.search(t):
        return "万元"
    if _YUAN.search(t):
        return "元"
    return None


def _convert(cell: str, value: int | float, key_unit: str, header_unit: str | None) -> int | float:
    """A money cell in the unit its key names, converted exactly (Decimal) when written in the other."""
    unit = _unit_of(cell) or header_unit or key_unit
    if unit == key_unit:
        return value
    d = Decimal(str(value))
    return to_number(d * 10000 if unit == "万元" else d / 10000)


# --- table 2 ------------------------------------------------------------------------------------

@dataclass
class _T2Header:
    columns: dict[int, tuple[str, str, str | None]] = field(default_factory=dict)  # j -> (col, label, unit)

    @property
    def first(self) -> int:
        return min(self.columns) if self.columns else 1


def _t2_header(row: list[str]) -> _T2Header | None:
    if any(parse_cell(c) is not None for c in row):
        return None
    cols: dict[int, tuple[str, str, str | None]] = {}
    for j, c in enumerate(row):
        spec = match_spec(norm_label(c), T2_COLUMNS) if j > 0 or len(row) == 1 else None
        if spec:
            cols[j] = (spec.key, _clean(c), _unit_of(c))
    return _T2Header(cols) if cols else None


def _read_table2(tables: list[Table], fmt: str, reading: Reading) -> None:
    keys = T2_KEYS[fmt]
    header: _T2Header | None = None
    for table in tables:
        for i, row in enumerate(table.grid):
            new_header = _t2_header(row)
            if new_header:
                header = new_header
                continue
            label_cells = _distinct(row[: header.first if header else 1])
            label = " / ".join(label_cells)
            item = match_spec(norm_label(label_cells[-1]), T2_ITEMS) if label_cells else None
            values = [(j, c) for j, c in enumerate(row) if j >= (header.first if header else 1) and not _is_blank(c)]
            if not values:
                continue
            if item is None or header is None:
                if item is not None or any(parse_cell(c) is not None for _, c in values):
                    for j, c in values:
                        _unplaced(reading, table, label, "", c, "no row or column label recognised")
                continue
            _t2_row(reading, table, i, row, label, item.key, header, keys)


def _t2_row(reading: Reading, table: Table, i: int, row: list[str], label: str, item: str,
            header: _T2Header, keys: dict[tuple[str, str], str]) -> None:
    cells: list[_Cell] = []
    for j, (col, col_label, unit) in header.columns.items():
        text = row[j] if j < len(row) else ""
        if _is_blank(text):
            continue
        value, key = parse_cell(text), keys.get((item, col))
        why = "" if key else f"no {item}.{col} in this template"
        if key in T2_UNITS and value is not None:
            value = _convert(text, value, T2_UNITS[key], unit)
        cells.append(_Cell(key, col_label, text, value, why))
    _place_row(reading, table, i, label, cells, snippet_keys=T2_UNITS)


# --- table 3 ------------------------------------------------------------------------------------

@dataclass
class _T3Columns:
    columns: list[tuple[str, str] | None]  # per data column, right-aligned: (col key, label as written)


def _t3_header_rows(table: Table) -> int:
    """How many header rows: those before the first row with a number or a row label in its first cell."""
    for i, row in enumerate(table.grid):
        if any(parse_cell(c) is not None for c in row):
            return i
        lab = norm_label(row[0]) if row else ""
        if match_spec(lab, _T3_TOP) or match_spec(lab, _T3_IN_GROUP) or match_spec(lab, T3_GROUPS):
            return i
    return len(table.grid)


def _is_note(text: str) -> bool:
    return any(n in norm_label(text) for n in T3_NOTE_PHRASES)


def _t3_columns(table: Table, n_header: int) -> tuple[int, _T3Columns] | None:
    """(first data column, the data columns' keys) from the header rows, or None."""
    found: dict[int, tuple[str, str]] = {}
    for j in range(table.n_cols):
        path = [r[j] for r in table.grid[:n_header] if j < len(r) and not _is_note(r[j])]
        for text in reversed(path):
            spec = match_spec(norm_label(text), T3_COLUMNS)
            if spec:
                found[j] = (spec.key, " / ".join(_distinct(path)))
                break
    if not found:
        return None
    first = min(found)
    return first, _T3Columns([found.get(j) for j in range(first, table.n_cols)])


# one cell holding a path: "（三）不予公开 1.属于国家秘密" is split before each inner numbering
_SUBLABEL = re.compile(r"\s*(?=(?<!^)(?:\d+\s*[.、．]|[（(][一二三四五六七八九十]+[)）]))")


def _t3_row_key(segments: list[str], context: str | None) -> tuple[str | None, str | None, str]:
    """(row key or None, the group context after this row, why not placed)."""
    item: LabelSpec | None = None
    group: str | None = None
    for seg in (part for s in segments for part in _SUBLABEL.split(s) if part.strip()):
        lab = norm_label(seg)
        spec = match_spec(lab, _T3_TOP)
        if spec is None:
            # one cell may hold both: "（三）不予公开 1.属于国家秘密"
            g = match_spec(lab, T3_GROUPS)
            if g:
                group = g.key
                lab = lab.replace(next(p for p in g.phrases if p in lab), "", 1)  # "其他处理 其他" -> "其他"
            spec = match_spec(lab, _T3_IN_GROUP)
        item = spec or item
    if item is not None and item.group is None:
        return item.key, None, ""
    ctx = group or context
    if item is not None:
        # an item under the wrong group, or a bare "其他" with no group to say which: not placed
        if ctx == item.group or (ctx in (None, "results") and not item.exact):
            return item.key, item.group, ""
        return None, ctx, f"{strip_numbering(segments[-1])!r} under group {ctx!r}"
    if group in T3_GROUP_SUBTOTAL:
        return T3_GROUP_SUBTOTAL[group], group, ""
    return None, ctx, "row label not recognised"


def _read_table3(tables: list[Table], fmt: str, reading: Reading) -> None:
    allowed = set(T3_ROW_KEYS[fmt]) | set(T3_GROUP_SUBTOTAL.values())
    prev: _T3Columns | None = None
    for table in tables:
        n_header = _t3_header_rows(table)
        found = _t3_columns(table, n_header) if n_header else None
        if found:
            first, cols = found
        elif prev is not None and table.n_cols > len(prev.columns):
            # the second part of a cut table: its header is the first part's, aligned on the right
            cols, first = prev, table.n_cols - len(prev.columns)
        else:
            for row in table.grid:
                label = " / ".join(_distinct(_label_cells(row)))
                for c in row:
                    if parse_cell(c) is not None:
                        _unplaced(reading, table, label, "", c, "table 3 without a column header")
            continue
        prev = cols
        context: str | None = None
        for i in range(n_header, table.n_rows):
            row = table.grid[i]
            segments = [t for t in _distinct(row[:first]) if not _is_note(t)]
            label = " / ".join(segments)
            key, context, why = _t3_row_key(segments, context)
            if key is not None and key not in allowed:
                key, why = None, f"row {key} is not part of {fmt}"
            cells: list[_Cell] = []
            for k, col in enumerate(cols.columns):
                text = row[first + k] if first + k < len(row) else ""
                if _is_blank(text):
                    continue
                full_key = f"applications.{key}.{col[0]}" if key and col else None
                cells.append(_Cell(full_key, col[1] if col else "", text, parse_cell(text),
                                   why or ("" if col else "column label not recognised")))
            _place_row(reading, table, i, label, cells)


# --- table 4 ------------------------------------------------------------------------------------

def _t4_column(path: list[str], row_group: str | None) -> str | None:
    """review.upheld, litigation_direct.total… from a column's header path (the group may be the row's
    label instead, in a table drawn the other way round), or None."""
    group = None
    for seg in path:
        g = match_spec(norm_label(seg), T4_GROUPS)
        group = g.key if g else group
    leaf = match_spec(norm_label(path[-1]), T4_LEAVES) if path else None
    group = group or row_group
    return f"{group}.{leaf.key}" if group and leaf else None


def _read_table4(tables: list[Table], reading: Reading) -> None:
    for table in tables:
        data_rows = [i for i, r in enumerate(table.grid) if any(parse_cell(c) is not None for c in r)]
        if not data_rows:
            continue
        n_header = data_rows[0]
        for i in data_rows:
            row = table.grid[i]
            labels = _distinct(_label_cells(row))
            groups = [g.key for t in labels if (g := match_spec(norm_label(t), T4_GROUPS))]
            row_group = groups[-1] if groups else None
            # a row without a group of its own is the one data row; a second such row cannot be placed
            second = row_group is None and i != data_rows[0]
            cells: list[_Cell] = []
            for j, text in enumerate(row):
                value = parse_cell(text)
                if value is None:
                    continue
                path = _distinct([r[j] for r in table.grid[:n_header] if j < len(r)])
                key = None if second else _t4_column(path, row_group)
                why = "" if key else ("a second data row" if second else "column label not recognised")
                cells.append(_Cell(key, " / ".join(path), text, value, why))
            _place_row(reading, table, i, " / ".join(labels), cells)
