"""The content container -> lines of text and tables, in reading order.

``render_flow(container, deadline)`` walks the element tree once: block elements (p, div, h1…,
li, br) end a line, inline elements (span, a, font, b) join it, a source line break between two
CJK characters vanishes. A data table becomes a ``Table`` (caption = the line just before it) and
one text line per row with cells joined by a tab; a layout table (one that holds other tables)
is walked as blocks, so its inner tables are read once, as themselves. A small label|value table
(索引号 | … | 发文日期 | …) is metadata, not content: its pairs go to ``meta``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Table
from .budget import Deadline
from .cjk import fold_lines
from .html_tables import is_layout_table, table_grid
from .labels import add_meta, read_label_cells

__all__ = ["Flow", "render_flow", "BLOCK_TAGS"]

BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "thead", "tbody", "tfoot", "section", "article", "main", "header", "footer", "aside", "nav",
    "blockquote", "pre", "center", "address", "figure", "figcaption", "caption", "hr", "form", "fieldset",
})
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "select"})
# a metadata table has few rows and at least this many label|value pairs
_META_TABLE_MAX_ROWS = 8
_META_TABLE_MIN_PAIRS = 2


@dataclass
class Flow:
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    #: line and table index where the marked element (the content container) starts and ends
    mark_lines: tuple[int, int] = (0, 0)
    mark_tables: tuple[int, int] = (0, 0)
    _parts: list[str] = field(default_factory=list)
    _last_was_table: bool = False

    def add(self, text: str) -> None:
        self._parts.append(text)

    def newline(self) -> None:
        if not self._parts:
            return
        line = fold_lines("".join(self._parts).splitlines())
        self._parts.clear()
        if line:
            self.lines.append(line)
            self._last_was_table = False

    def add_table(self, grid: list[list[str]]) -> None:
        self.newline()
        caption = "" if self._last_was_table or not self.lines else self.lines[-1]
        self.tables.append(Table(grid=grid, index=len(self.tables), caption=caption))
        self.lines.extend("\t".join(row) for row in grid)
        self._last_was_table = True


def render_flow(root, deadline: Deadline, mark=None) -> Flow:
    """Lines and tables of ``root``; ``mark`` (an element inside it) gets its ranges recorded."""
    flow = Flow()
    walker = _Walker(flow, deadline, mark)
    try:
        walker.walk(root)
    except RecursionError:  # absurdly deep markup: keep the text, lose the structure
        flow = Flow()
        flow.add("\n".join((mark if mark is not None else root).itertext()))
        flow.newline()
        flow.mark_lines = (0, len(flow.lines))
        return flow
    flow.newline()
    if mark is None or mark is root:
        flow.mark_lines, flow.mark_tables = (0, len(flow.lines)), (0, len(flow.tables))
    return flow


class _Walker:
    def __init__(self, flow: Flow, deadline: Deadline, mark):
        self.flow, self.deadline, self.mark = flow, deadline, mark
        # a table that holds the content container is layout, whatever its cells look like
        # a set of the elements themselves (not ids: lxml proxies die and their ids are reused)
        self.holds_mark = set(mark.iterancestors()) if mark is not None else set()

    def walk(self, el) -> None:
        flow = self.flow
        tag = el.tag  # (each read builds the name again: read once)
        tag = tag.lower() if isinstance(tag, str) else None
        if tag is None or tag in _SKIP:
            return
        if tag == "br":
            flow.newline()
            return
        if el is self.mark:
            flow.newline()
            start = (len(flow.lines), len(flow.tables))
        if tag == "table" and el not in self.holds_mark and not is_layout_table(el):
            self.deadline.check("HTML tables")
            _table(el, flow)
        else:
            block = tag in BLOCK_TAGS
            if block:
                flow.newline()
            text = el.text  # (each read of .text or .tail builds a new string from the tree: read once)
            if text:
                flow.add(text)
            for child in el:
                self.walk(child)
                tail = child.tail
                if tail:
                    flow.add(tail)
            if block:
                flow.newline()
        if el is self.mark:
            flow.newline()
            flow.mark_lines = (start[0], len(flow.lines))
            flow.mark_tables = (start[1], len(flow.tables))


def _table(el, flow: Flow) -> None:
    grid = table_grid(el)
    if not grid:
        return
    if len(grid) == 1 and len(grid[0]) == 1:  # a one-cell frame around text
        flow.newline()
        flow.add(grid[0][0])
        flow.newline()
        return
    if len(grid) <= _META_TABLE_MAX_ROWS:
        pairs = [p for row in grid for p in read_label_cells(_dedupe_adjacent(row))]
        if len(pairs) >= _META_TABLE_MIN_PAIRS:
            add_meta(flow.meta, pairs)
            return
    flow.add_table(grid)


def _dedupe_adjacent(row: list[str]) -> list[str]:
    # a colspan repeats the value in each slot; a label|value reading wants it once
    out: list[str] = []
    for cell in row:
        if not out or cell != out[-1]:
            out.append(cell)
    return out
