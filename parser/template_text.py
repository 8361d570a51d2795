"""Template tables written as lines of text: the fallback when a Document has no table grids.

Plain-text copies (a page saved as text, a browser copy) write each table row as one line, cells
joined by a tab or a ``|`` ("规章 | 0 | 0 | 0 | |"), merged cells once or as empty placeholders.
``read_text_tables(text, fmt)`` reads them line by line, only where the layout leaves one
reading: table 2 rows left-aligned under their header line; table 3 rows whose last seven cells
are the seven applicant columns, in the order of a one-line header or of the template's own
three-line header; table 4 as fifteen values under the template's header. Every metric gets
``Evidence(where="text")`` with the line as snippet. Anything else is left alone (the pipeline
then reports ``tables.missing``). Reads no settings.
"""
from __future__ import annotations

import re

from .labels import (
    T2_COLUMNS, T2_ITEMS, T2_KEYS, T2_UNITS, T3_COL_KEYS, T3_COLUMNS, T3_GROUP_SUBTOTAL, T3_NOTE_PHRASES,
    T3_ROW_KEYS, T4_GROUP_KEYS, T4_GROUPS, T4_LEAF_KEYS, T4_LEAVES, match_spec, norm_label,
)
from .record import Evidence, Finding, Reading
from .template_cells import convert_money, is_blank, parse_cell, put_metric, unit_of

__all__ = ["read_text_tables", "split_row"]

_SEP = re.compile(r"\t|\s*[|｜]\s*")
# the template's table-4 header words, all of which a text header must show before 15 values are read
_T4_WORDS = ("行政复议", "行政诉讼", "直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结")


def split_row(line: str) -> list[str] | None:
    """The cells of a line written as a table row, or None for prose."""
    if "\t" not in line and "|" not in line and "｜" not in line:
        return None
    tabbed = "\t" in line
    cells = [c.strip() for c in _SEP.split(line.strip("\r\n") if tabbed else line.strip())]
    # a tab line keeps its trailing blanks (empty cells); a "|" line ends in placeholders of merged cells
    while cells and not cells[-1] and not tabbed:
        cells.pop()
    return cells if sum(1 for c in cells if c) >= 1 and len(cells) >= 2 else None


def _is_value(cell: str) -> bool:
    return parse_cell(cell) is not None or is_blank(cell)


def _evidence(line: str, row: str, column: str) -> Evidence:
    return Evidence(where="text", snippet=line.strip()[:300], row=row, column=column)


class _TextReader:
    def __init__(self, fmt: str):
        self.fmt, self.reading = fmt, Reading()
        self.mode: str | None = None
        self.t2_cols: list[tuple[str, str, str | None] | None] = []
        self.t3_header: list[list[str]] = []
        self.t3_context: str | None = None
        self.t3_rows_seen = False
        self.t4_words: set[str] = set()
        self.t4_leaves: list[str] = []

    def line(self, line: str, cells: list[str]) -> None:
        numeric = any(parse_cell(c) is not None for c in cells)
        labels = [norm_label(c) for c in cells if not _is_value(c)]
        if not numeric and any(match_spec(norm_label(c), T2_COLUMNS) for c in cells[1:]):
            self.mode = "t2"
            specs = [match_spec(norm_label(c), T2_COLUMNS) if j else None for j, c in enumerate(cells)]
            self.t2_cols = [(spec.key, c, unit_of(c)) if spec else None for spec, c in zip(specs, cells)]
        elif not numeric and (any(w in lab for lab in labels for w in ("自然人", "商业企业", "申请人情况"))
                              or (self.mode == "t3" and not self.t3_rows_seen
                                  and sum(bool(match_spec(lab, T3_COLUMNS)) for lab in labels) >= 2)):
            if self.mode != "t3" or self.t3_rows_seen:
                self.t3_header, self.t3_rows_seen, self.t3_context = [], False, None
            self.mode = "t3"
            self.t3_header.append([c for c in cells if not any(n in norm_label(c) for n in T3_NOTE_PHRASES)])
        elif not numeric and any(w in lab for lab in labels for w in _T4_WORDS):
            self.mode = "t4"
            self.t4_words |= {w for lab in labels for w in _T4_WORDS if w in lab}
            leaves = [s.key for lab in labels if (s := match_spec(lab, T4_LEAVES))]
            if len(leaves) == 5 and len(labels) == 5:  # a table drawn the other way round: one row per group
                self.t4_leaves = leaves
        elif self.mode == "t2":
            self._t2(line, cells)
        elif self.mode == "t3":
            self.t3_rows_seen = True
            self._t3(line, cells)
        elif self.mode == "t4" and numeric:
            self._t4(line, cells)

    def _t2(self, line: str, cells: list[str]) -> None:
        item = match_spec(norm_label(cells[0]), T2_ITEMS)
        if item is None:
            if any(parse_cell(c) is not None for c in cells):
                self._unplaced(line, "no table-2 item in its first cell")
            return
        for j, text in enumerate(cells[1:], start=1):
            col = self.t2_cols[j] if j < len(self.t2_cols) else None
            value = parse_cell(text)
            key = T2_KEYS[self.fmt].get((item.key, col[0])) if col else None
            if value is None:
                continue
            if key is None:
                self._unplaced(line, f"no column for {text!r}")
                continue
            if key in T2_UNITS:
                value = convert_money(text, value, T2_UNITS[key], col[2])
            put_metric(self.reading, key, value, _evidence(line, cells[0], col[1]))

    def _t3_columns(self) -> list[str] | None:
        """The seven applicant columns, left to right: a one-line header's own order, or the template's
        when the header is the template's (自然人 | 法人或其他组织 (商业企业 … 其他) | 总计)."""
        found = [[s.key for c in cells if (s := match_spec(norm_label(c), T3_COLUMNS))] for cells in self.t3_header]
        for keys in found:
            if sorted(keys) == sorted(T3_COL_KEYS):
                return keys
        seen = {k for keys in found for k in keys}
        # the template's own shape: one header line holds the five sub-columns of 法人或其他组织
        org = {"commercial", "research", "social", "legal", "other_org"}
        template = any(set(keys) == org and len(keys) == 5 for keys in found)
        return list(T3_COL_KEYS) if template and seen >= set(T3_COL_KEYS) else None

    def _t3(self, line: str, cells: list[str]) -> None:
        from .templates import t3_row_key  # the same row labels and group context as the grid reader

        cols = self._t3_columns()
        if not any(parse_cell(c) is not None for c in cells):
            # a group heading alone on its line still says which group the next rows belong to
            _, self.t3_context, _ = t3_row_key([c for c in cells if c], self.t3_context)
            return
        if cols is None or len(cells) < 8 or not all(_is_value(c) for c in cells[-7:]):
            self._unplaced(line, "the line does not end in the seven applicant columns of a known header")
            return
        segments = [c for c in cells[:-7] if c and not _is_value(c)]
        key, self.t3_context, why = t3_row_key(segments, self.t3_context)
        if key is None or key not in set(T3_ROW_KEYS[self.fmt]) | set(T3_GROUP_SUBTOTAL.values()):
            self._unplaced(line, why or f"row {key} is not part of {self.fmt}")
            return
        for col, text in zip(cols, cells[-7:]):
            value = parse_cell(text)
            if value is not None:
                put_metric(self.reading, f"applications.{key}.{col}", value, _evidence(line, " / ".join(segments), col))

    def _unplaced(self, line: str, why: str) -> None:
        self.reading.findings.append(Finding("table.unplaced", "warning", f"text row {line.strip()[:80]!r} not placed: {why}",
                                             {"text": line.strip()[:300]}))

    def _t4(self, line: str, cells: list[str]) -> None:
        values = [c for c in cells if _is_value(c)]
        groups = [g.key for c in cells if not _is_value(c) and (g := match_spec(norm_label(c), T4_GROUPS))]
        if groups and self.t4_leaves and len(values) == 5:
            for leaf, text in zip(self.t4_leaves, values):
                value = parse_cell(text)
                if value is not None:
                    put_metric(self.reading, f"{groups[-1]}.{leaf}", value, _evidence(line, groups[-1], leaf))
            return
        if len(values) != 15 or len(self.t4_words) < len(_T4_WORDS):
            self._unplaced(line, "not the fifteen values under the template's table-4 header")
            return
        keys = [f"{g}.{leaf}" for g in T4_GROUP_KEYS for leaf in T4_LEAF_KEYS]
        for key, text in zip(keys, values):
            value = parse_cell(text)
            if value is not None:
                put_metric(self.reading, key, value, _evidence(line, "", key))
        self.mode = None


def read_text_tables(text: str, fmt: str) -> Reading:
    """The template metrics that table rows written as text lines allow, with the lines as evidence."""
    reader = _TextReader(fmt)
    for line in text.splitlines():
        cells = split_row(line)
        if cells is not None:
            reader.line(line, cells)
    return reader.reading
