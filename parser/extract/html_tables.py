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
    if not len(cell):  # text only (most cells of a CMS table): nothing to walk
        return fold_lines((cell.text or "").splitlines())
    parts: list[str] = [cell.text] if cell.text else []
    _collect(cell, parts)
    return fold_lines("".join(parts).splitlines())


def _collect(el, parts: list[str]) -> None:
    for node in el:
        tag = node.tag
        if isinstance(tag, str):
            tag = tag.lower()
            if tag in _SKIP:
                pass
            elif tag in _BLOCKS_IN_CELL:
                parts.append("\n")
                if node.text:
                    parts.append(node.text)
                _collect(node, parts)
                parts.append("\n")
            else:
                if node.text:
                    parts.append(node.text)
                _collect(node, parts)
        if node.tail:
            parts.append(node.tail)


def _span(cell, attr: str, limit: int) -> int:
    written = cell.get(attr)
    if written is None:  # most cells span nothing
        return 1
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
    slots: dict[tuple[int, int], str] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in slots:
                c += 1
            text = cell_text(cell)
            rs = _span(cell, "rowspan", n_rows - r)
            cs = _span(cell, "colspan", _MAX_COLSPAN)
            for i in range(rs):
                for j in range(cs):
                    slots.setdefault((r + i, c + j), text)
            c += cs
            width = max(width, c)
    grid = [[slots.get((r, c), "") for c in range(width)] for r in range(n_rows)]
    return _drop_empty(grid)


def _drop_empty(grid: list[list[str]]) -> list[list[str]]:
    grid = [row for row in grid if any(row)]
    if not grid:
        return []
    keep = [c for c in range(len(grid[0])) if any(row[c] for row in grid)]
    if len(keep) == len(grid[0]):
        return grid
    return [[row[c] for c in keep] for row in grid]

