"""The legacy statistics appendix (附表 政府信息公开情况统计表, legacy.md §1) into SCHEMA.md keys.

Takes the ``Table`` grids of a ``Document``; returns a ``Reading`` with one metric per recognized row,
its evidence the table cell (table index, row label and column header as written, PDF page).
A table counts as the appendix when at least ``_MIN_ROWS`` of its rows are known labels and one
value column can be told: the form's 统计数, a 合计 over columns split by level, the year's column
of the old forms (never 历年累计). Money rows keep the unit the table states (万元 -> ``*_wan_yuan``).
Reads no settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Table
from ..numbers import normalize_width, parse_cell
from ..record import Evidence, Finding, Reading
from ..template_cells import table_evidence
from .appendix_labels import (
    HEADER_LABEL_RX, HEADER_SKIP_RX, HEADER_UNIT_RX, OUTCOME_BLOCKS, VALUE_HEADER_PREFERENCE,
    RowLabel, clean_label, match_label,
)
from .rules import CHANNEL_KEYS
from .text import is_text_row

__all__ = ["read_appendix", "read_appendix_table", "Layout", "table_layout", "tables_from_text_rows", "is_text_row"]

_MIN_ROWS = 3
_LABEL_BLOCK = re.compile(r"(行政复议|行政诉讼|举报投诉).*?(?:维持|纠错|纠正|其他情形|其他结果)")
_SERIAL = re.compile(r"^(?:\d{1,3}|[一二三四五六七八九十]+)?$")
_BLOCK_OF_WORD = {"行政复议": "review", "行政诉讼": "litigation", "举报投诉": "complaints"}
_HEADER_ROWS = 3  # the header sits in the first rows


@dataclass(frozen=True, slots=True)
class Layout:
    header_row: int | None  # index of the header row, None when the table has none
    label_cols: tuple[int, ...]
    unit_col: int | None
    value_col: int


# a statistics form flattened onto one line, its cells between spaces (stored copies of 平潭 2011–2014):
# "指标名称 计量单位 2014年度 历年累计 主动公开文件数 条 2543 78967 其中：1、政府网站公开数 条 2543 78967 …"
_SPACED_FORM_HEAD = re.compile(r"指标名称\s+(?:计量\s*)?单位\s+")
_FORM_UNITS = frozenset({"条", "件", "个", "次", "人", "人次", "元", "万元", "项", "份", "宗", "起", "期", "场"})
_NUMBER_TOKEN = re.compile(r"^-?\d+(?:\.\d+)?$")


def _form_columns(tokens: list[str]) -> list[str]:
    """The value columns' headers, a year split from its 年度 joined again ("2011 年度" -> "2011年度")."""
    columns: list[str] = []
    for t in tokens:
        if columns and re.fullmatch(r"(?:19|20)\d\d", columns[-1]) and t in ("年", "年度"):
            columns[-1] += t
        else:
            columns.append(t)
    return columns


def _spaced_form(line: str) -> list[list[str]]:
    """The rows of a form written on one line: a label, its unit, then exactly as many numbers as the
    header has value columns. A row that breaks that (a cell missing, digits glued) is skipped up to
    the next label that has its unit and all its numbers: its values cannot be told apart."""
    head = _SPACED_FORM_HEAD.search(line)
    if head is None:
        return []
    tokens = line[head.end():].split()

    def row_at(j: int, n: int) -> bool:  # tokens[j] a unit followed by n numbers
        return tokens[j] in _FORM_UNITS and len(tokens) >= j + 1 + n and all(
            _NUMBER_TOKEN.match(v) for v in tokens[j + 1: j + 1 + n])

    first_unit = next((j for j in range(1, len(tokens) - 1) if row_at(j, 1)), None)
    if first_unit is None or first_unit < 2:
        return []
    columns = _form_columns(tokens[: first_unit - 1])
    n = len(columns)
    if any(_NUMBER_TOKEN.match(c) for c in columns) or not row_at(first_unit, n):
        return []
    rows, label, i = [["指标名称", "计量单位", *columns]], [], first_unit - 1
    while i < len(tokens):
        if label and row_at(i, n):
            rows.append(["".join(label), tokens[i], *tokens[i + 1: i + 1 + n]])
            label, i = [], i + 1 + n
        elif _NUMBER_TOKEN.match(tokens[i]) or tokens[i] in _FORM_UNITS or len(label) >= 3:
            # a row that does not fit: on to the next label that does
            nxt = next((j for j in range(i + 2, len(tokens)) if row_at(j, n) and not _NUMBER_TOKEN.match(tokens[j - 1])
                        and tokens[j - 1] not in _FORM_UNITS), None)
            if nxt is None:
                break
            label, i = [], nxt - 1
        else:
            label.append(tokens[i])
            i += 1
    return rows


def tables_from_text_rows(text: str, first_index: int = 0) -> list[Table]:
    """Runs of consecutive table-row lines in plain text as ``Table`` grids (cells split at | or tab),
    and statistics forms written on one line with spaces between their cells."""
    tables: list[Table] = []
    run: list[list[str]] = []
    for line in [*text.split("\n"), ""]:
        spaced = [] if run else _spaced_form(line)
        if len(spaced) > _MIN_ROWS:
            tables.append(Table(grid=spaced, index=first_index + len(tables)))
            continue
        if is_text_row(line):
            cells = [c.strip() for c in re.split(r"\||\t", line.strip().strip("|"))]
            run.append(cells)
            continue
        if len(run) >= _MIN_ROWS:
            width = max(len(r) for r in run)
            tables.append(Table(grid=[r + [""] * (width - len(r)) for r in run], index=first_index + len(tables)))
        run = []
    return tables


def read_appendix(tables: list[Table]) -> Reading:
    """All appendix tables of a document; a key read twice keeps the first table's value.

    A headerless table right after an appendix table with as many columns is its continuation
    (a PDF page break the reader could not join): it is read with that layout and block.
    """
    reading = Reading()
    previous: _Grid | None = None
    for table in tables:
        grid = _continuation(table, previous) or _read_grid(table)
        for key, (value, evidence) in grid.reading.metrics.items():
            if key in reading.metrics and reading.metrics[key][0] != value:
                reading.findings.append(Finding(
                    "legacy.appendix_conflict", "warning",
                    f"{key}: table {reading.metrics[key][1].table} says {reading.metrics[key][0]}, "
                    f"table {table.index} says {value}; the first is kept",
                    {"key": key, "kept": reading.metrics[key][0], "other": value}))
                continue
            reading.metrics.setdefault(key, (value, evidence))
        reading.findings.extend(grid.reading.findings)
        previous = grid if grid.reading.metrics else None
    return reading


def read_appendix_table(table: Table) -> Reading:
    """One table on its own: the appendix's metrics, or nothing when it is not the appendix."""
    return _read_grid(table).reading


@dataclass(slots=True)
class _Grid:
    reading: Reading
    layout: Layout | None = None
    block: str | None = None  # the block the last row was in
    n_cols: int = 0


def _continuation(table: Table, previous: _Grid | None) -> _Grid | None:
    if previous is None or previous.layout is None or table.n_cols != previous.n_cols:
        return None
    own = table_layout(table)
    if own is not None and own.header_row is not None:
        return None  # a table with its own header is a table of its own
    layout = Layout(None, previous.layout.label_cols, previous.layout.unit_col, previous.layout.value_col)
    return _read_grid(table, layout, previous.block, min_rows=1)


def _read_grid(table: Table, layout: Layout | None = None, block: str | None = None,
              min_rows: int = _MIN_ROWS) -> _Grid:
    """A table's appendix rows with the layout (found when not given) and the block it starts in."""
    layout = layout or table_layout(table)
    if layout is None:
        reading = Reading()
        if _looks_like_appendix(table):
            reading.findings.append(Finding(
                "legacy.appendix_unread", "warning",
                f"table {table.index} has the statistics form's rows but no single value column "
                "(split by level without a total?); its values are not taken", {"table": table.index}))
        return _Grid(reading)
    ranks: dict[str, int] = {}
    known = 0
    values: dict[str, tuple[float, Evidence, int]] = {}
    first_row = 0 if layout.header_row is None else layout.header_row + 1
    for i in range(first_row, table.n_rows):
        row = table.grid[i]
        raw_label = _label_text(row, layout.label_cols)
        label = clean_label(raw_label)
        if not label:
            continue
        row_block = _block_in_label(label) or block
        spec = match_label(label, row_block)
        if spec is None:
            continue
        known += 1
        if spec.block:
            block = row_block = spec.block
        key = _key_for(spec, row_block, _unit_of(row, layout, raw_label))
        if key is None:
            continue
        cell = row[layout.value_col] if layout.value_col < len(row) else ""
        value = parse_cell(cell)
        if value is None or (key in values and ranks.get(key, 0) <= spec.rank):
            continue
        ranks[key] = spec.rank
        evidence = table_evidence(table, i, raw_label, _column_header(table, layout), cell.strip(),
                                  layout.value_col, cell)
        values[key] = (value, evidence, i)
    if known < min_rows:
        return _Grid(Reading())
    reading = Reading()
    for key, (value, evidence, _) in sorted(values.items(), key=lambda kv: kv[1][2]):
        reading.put(key, value, evidence)
    reading.findings.extend(_channel_finding(values, table.index))
    return _Grid(reading, layout, block, table.n_cols)


def _block_in_label(label: str) -> str | None:
    """A first column merged over a block ("行政复议 | (一)维持…"): the block named before the outcome."""
    m = _LABEL_BLOCK.search(label)
    return _BLOCK_OF_WORD[m.group(1)] if m else None


def table_layout(table: Table) -> Layout | None:
    """Where the labels, units and values are; None when no single value column can be told."""
    if table.n_cols < 2:
        return None
    for h in range(min(_HEADER_ROWS, table.n_rows)):
        cells = [_clean(c) for c in table.grid[h]]
        unit_col = next((j for j, c in enumerate(cells) if HEADER_UNIT_RX.match(c)), None)
        has_label = any(HEADER_LABEL_RX.search(c) for c in cells)
        if unit_col is None and not (has_label and any(p.search(c) for p in VALUE_HEADER_PREFERENCE[:4]
                                                       for c in cells)):
            continue
        label_cols = tuple(j for j, c in enumerate(cells[: unit_col if unit_col is not None else len(cells)])
                           if not HEADER_SKIP_RX.search(c) and (HEADER_LABEL_RX.search(c) or unit_col is not None))
        first_value = (unit_col + 1) if unit_col is not None else (max(label_cols) + 1 if label_cols else 1)
        value_col = _pick_value_col(cells, first_value)
        if value_col is None or not label_cols:
            return None
        return Layout(h, label_cols, unit_col, value_col)
    # no header: the bare form 指标 | 单位 | 统计数, 序号 | 指标 | 单位 | 统计数, or 指标 | 统计数
    if table.n_cols == 3:
        return Layout(None, (0,), 1, 2)
    if table.n_cols == 4 and all(_SERIAL.match(_clean(r[0])) for r in table.grid):
        return Layout(None, (1,), 2, 3)
    if table.n_cols == 2:
        return Layout(None, (0,), None, 1)
    return None


def _looks_like_appendix(table: Table) -> bool:
    for j in range(min(3, table.n_cols)):
        known = sum(1 for row in table.grid if j < len(row) and match_label(clean_label(row[j]), None))
        if known >= _MIN_ROWS:
            return True
    return False


def _pick_value_col(cells: list[str], first: int) -> int | None:
    candidates = [j for j in range(first, len(cells)) if not HEADER_SKIP_RX.search(cells[j])]
    for pref in VALUE_HEADER_PREFERENCE:
        hits = [j for j in candidates if pref.search(cells[j])]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None  # two columns of the same standing (区政府统计数 | 乡镇统计数): no total to take
    return candidates[0] if len(candidates) == 1 else None


def _key_for(spec: RowLabel, block: str | None, unit: str) -> str | None:
    if spec.key is None:
        return None
    if spec.unit_keys:
        return next((key for u, key in spec.unit_keys if unit.startswith(u)), None)
    if "{block}" in spec.key:
        return spec.key.format(block=block) if block in OUTCOME_BLOCKS else None
    return spec.key


def _unit_of(row: list[str], layout: Layout, raw_label: str) -> str:
    if layout.unit_col is not None and layout.unit_col < len(row):
        unit = _clean(row[layout.unit_col])
        if unit:
            return unit
    text = normalize_width(raw_label + (row[layout.value_col] if layout.value_col < len(row) else ""))
    if "万元" in text:
        return "万元"
    return "元" if "元" in text else ""


def _label_text(row: list[str], cols: tuple[int, ...]) -> str:
    parts: list[str] = []
    for j in cols:
        cell = row[j].strip() if j < len(row) else ""
        if cell and (not parts or parts[-1] != cell):  # a merged cell repeats in every slot it covers
            parts.append(cell)
    return "".join(parts)


def _column_header(table: Table, layout: Layout) -> str | None:
    if layout.header_row is None:
        return None
    return table.grid[layout.header_row][layout.value_col].strip() or None


def _clean(cell: str) -> str:
    return "".join(normalize_width(cell).split())


def _channel_finding(values: dict[str, tuple[float, Evidence, int]], index: int) -> list[Finding]:
    """The form's channel rows against its 收到申请数, when the table gives every channel it has.

    The SumRule over all six channel keys (rules.py) cannot see this: the 2014 form has no 电子邮件
    or 其他形式 row, so its four channels are complete by construction.
    """
    channels = [k for k in CHANNEL_KEYS if k in values]
    total = values.get("applications.new.total")
    if total is None or len(channels) < 2 or len(channels) == len(CHANNEL_KEYS):
        return []
    parts = sum(values[k][0] for k in channels)
    if parts == total[0]:
        return []
    return [Finding("applications.channels", "error",
                    f"table {index}: applications.new.total = {total[0]:g} but its channel rows sum to {parts:g}",
                    {"applications.new.total": total[0], **{k: values[k][0] for k in channels}})]
