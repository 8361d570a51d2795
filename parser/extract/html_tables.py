"""One HTML ``<table>`` element -> a full grid (rows of strings, spans expanded, rectangular).

``table_grid(table)`` expands rowspan/colspan (the merged cell's text repeated in every slot),
reads only this table's own rows (a nested table is its own table), folds each cell's text
(``<p>``, ``<span>``, ``<br>`` and source line breaks vanish between CJK characters, ``&nbsp;``
becomes a space), drops rows and columns that are empty throughout. ``is_layout_table`` tells a
table used to lay out a page (it holds other tables) from a data table.
"""
from __future__ import annotations

from lxml import etree

from .cjk import fold_lines

__all__ = ["table_grid", "table_rows", "cell_text", "is_layout_table"]

# an absurd span is a typo or an attack, not a layout: clamp it
_MAX_COLSPAN = 100
_BLOCKS_IN_CELL = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dd", "dt"})
_SKIP = frozenset({"script", "style", "noscript", "template"})


# compiled once: el.xpath() compiles its expression each call
_OWN_ROWS = etree.XPath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def table_rows(table) -> list:
    """This table's own <tr> elements (not those of a table nested in a cell)."""
    return _OWN_ROWS(table)


def is_layout_table(table) -> bool:
    return next(table.iterdescendants("table"), None) is not None


def cell_text(cell) -> str:
    """A cell's text, its lines folded: '本年新<br>制作数量' -> '本年新制作数量'."""
    text = cell.text  # (each read of .text or .tail builds a new string from the tree: read once)
    if not len(cell):  # text only (most cells of a CMS table): nothing to walk
        return fold_lines(text or "")
    parts: list[str] = [text] if text else []
    _collect(cell, parts)
    return fold_lines("".join(parts))


def _collect(el, parts: list[str]) -> None:
    for node in el:
        tag = node.tag
        if isinstance(tag, str):
            tag = tag.lower()
            if tag in _SKIP:
                pass
            elif tag in _BLOCKS_IN_CELL:
                parts.append("\n")
                text = node.text
                if text:
                    parts.append(text)
                _collect(node, parts)
                parts.append("\n")
            else:
                text = node.text
                if text:
                    parts.append(text)
                _collect(node, parts)
        tail = node.tail
        if tail:
            parts.append(tail)


def _span(written: str, attr: str, limit: int) -> int:
    try:
        value = int(str(written).strip().rstrip(";") or 1)
    except ValueError:
        return 1
    if value <= 0:  # rowspan="0" runs to the end of the table; colspan="0" is 1 (HTML5)
        return limit if attr == "rowspan" else 1
    return min(value, limit)


def table_grid(table) -> list[list[str]]:
    rows = table_rows(table)
    n_rows = len(rows)
    # each row's slots left to right, None where no cell has reached yet: a merged cell's text
    # goes to every slot it covers that is still free (the first cell to reach a slot keeps it)
    grid: list[list[str | None]] = [[] for _ in range(n_rows)]
    width = 0
    for r, tr in enumerate(rows):
        line = grid[r]
        c = 0
        for cell in tr:
            tag = cell.tag
            if tag != "td" and tag != "th" and (not isinstance(tag, str) or tag.lower() not in ("td", "th")):
                continue
            while c < len(line) and line[c] is not None:
                c += 1
            text = cell_text(cell)
            written_rs, written_cs = cell.get("rowspan"), cell.get("colspan")
            if written_rs is None and written_cs is None and c == len(line):
                line.append(text)  # most cells span nothing and start where their row ends
                c += 1
                continue
            rs = 1 if written_rs is None else _span(written_rs, "rowspan", n_rows - r)
            cs = 1 if written_cs is None else _span(written_cs, "colspan", _MAX_COLSPAN)
            end = c + cs
            for target in grid[r:r + rs]:
                if len(target) < end:
                    target.extend([None] * (end - len(target)))
                for j in range(c, end):
                    if target[j] is None:
                        target[j] = text
            c = end
        if c > width:  # c only grows along a row: its last value is the row's width
            width = c
    filled = [[("" if t is None else t) for t in line] + [""] * (width - len(line)) for line in grid]
    return _drop_empty(filled)  # type: ignore[arg-type]


def _drop_empty(grid: list[list[str]]) -> list[list[str]]:
    grid = [row for row in grid if any(row)]
    if not grid:
        return []
    keep = [c for c in range(len(grid[0])) if any(row[c] for row in grid)]
    if len(keep) == len(grid[0]):
        return grid
    return [[row[c] for c in keep] for row in grid]

