"""Tables 2, 3 and 4 of the 2019 and 2021 templates: Document tables -> metrics with evidence.

Takes a ``Document`` (tables as full grids) and the format (``gb2019``/``gb2021``); returns a
``Reading``: every placed cell as a metric with ``Evidence(where="table", table, row, column,
page)``, and a finding for every non-blank cell that could not be placed with confidence (never a
guess). Tables are found by their labels, not their position; a table 3 cut in two (the second
part without its header) borrows the header of the part before, aligned on the right. All label
variants live in ``parser.labels``; every cell goes through ``parser.numbers.parse_cell``; table 2
is read by ``parser.template_table2``. A document without any grid (a plain-text copy) is read by
``parser.template_text`` from its rows written as lines. Reads no settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document, Table
from .labels import (
    T2_COLUMNS, T2_ITEMS, T3_COLUMNS, T3_GROUP_SUBTOTAL, T3_GROUPS, T3_NOTE_PHRASES, T3_ROW_KEYS, T3_ROWS,
    T4_GROUPS, T4_LEAVES, LabelSpec, match_spec, norm_label, strip_numbering,
)
from .record import Reading
from .template_cells import CellReading, distinct, is_blank, label_cells, parse_cell, place_row, unplaced
from .template_table2 import read_table2

__all__ = ["read_template_tables", "classify_table", "t3_row_key", "TABLE_KINDS"]

TABLE_KINDS = ("t2", "t3", "t4")
_T3_TOP = tuple(s for s in T3_ROWS if s.group is None)
_T3_IN_GROUP = tuple(s for s in T3_ROWS if s.group is not None)


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
    if not any(by_kind.values()):
        # no grids at all (a plain-text copy): table rows written as lines of text
        from .template_text import read_text_tables

        return read_text_tables(doc.text, fmt)
    read_table2(by_kind["t2"], fmt, reading)
    _read_table3(by_kind["t3"], fmt, reading)
    _read_table4(by_kind["t4"], reading)
    return reading



def _t3_row_keys(labels: set[str]) -> set[str]:
    return {s.key for lab in labels for s in (match_spec(lab, _T3_TOP), match_spec(lab, _T3_IN_GROUP)) if s}


def _t3_row_count(table: Table) -> int:
    return len(_t3_row_keys({norm_label(c) for c in label_cells(list({c for row in table.grid for c in row}))} - {""}))


def classify_table(table: Table, loose: bool = False) -> str | None:
    """``t2``, ``t3``, ``t4`` or None, by the labels a table holds.

    Strict (format detection): a table 3 needs its column header, a table 4 the template's result
    words, so a legacy appendix (涉及国家秘密, 行政复议数…) is never taken for a template table.
    ``loose`` (reading a report already known to be a template one) also takes a table 3 whose
    header is lost when at least three of its rows are table-3 rows."""
    labels = {norm_label(c) for c in label_cells(list({c for row in table.grid for c in row}))}
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
                found[j] = (spec.key, " / ".join(distinct(path)))
                break
    if not found:
        return None
    first = min(found)
    return first, _T3Columns([found.get(j) for j in range(first, table.n_cols)])


# one cell holding a path: "（三）不予公开 1.属于国家秘密" is split before each inner numbering
_SUBLABEL = re.compile(r"\s*(?=(?<!^)(?:\d+\s*[.、．]|[（(][一二三四五六七八九十\d]+[)）]))")


def t3_row_key(segments: list[str], context: str | None) -> tuple[str | None, str | None, str]:
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
        # a label that names its item (不掌握, 重复申请…) is that item, and its group is now the context,
        # unless its own row puts it under another group; a bare "其他" needs its group to say which
        own_group_ok = group in (None, "results", item.group)
        if ctx == item.group or (not item.exact and own_group_ok):
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
                label = " / ".join(distinct(label_cells(row)))
                for c in row:
                    if parse_cell(c) is not None:
                        unplaced(reading, table, label, "", c, "table 3 without a column header")
            continue
        prev = cols
        context: str | None = None
        for i in range(n_header, table.n_rows):
            row = table.grid[i]
            segments = [t for t in distinct(row[:first]) if not _is_note(t)]
            label = " / ".join(segments)
            key, context, why = t3_row_key(segments, context)
            if key is not None and key not in allowed:
                key, why = None, f"row {key} is not part of {fmt}"
            cells: list[CellReading] = []
            for k, col in enumerate(cols.columns):
                text = row[first + k] if first + k < len(row) else ""
                if is_blank(text):
                    continue
                full_key = f"applications.{key}.{col[0]}" if key and col else None
                cells.append(CellReading(full_key, col[1] if col else "", text, parse_cell(text),
                                   why or ("" if col else "column label not recognised")))
            place_row(reading, table, i, label, cells)


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
            labels = distinct(label_cells(row))
            groups = [g.key for t in labels if (g := match_spec(norm_label(t), T4_GROUPS))]
            row_group = groups[-1] if groups else None
            # a row without a group of its own is the one data row; a second such row cannot be placed
            second = row_group is None and i != data_rows[0]
            cells: list[CellReading] = []
            for j, text in enumerate(row):
                value = parse_cell(text)
                if value is None:
                    continue
                path = distinct([r[j] for r in table.grid[:n_header] if j < len(r)])
                key = None if second else _t4_column(path, row_group)
                why = "" if key else ("a second data row" if second else "column label not recognised")
                cells.append(CellReading(key, " / ".join(path), text, value, why))
            place_row(reading, table, i, " / ".join(labels), cells)
