"""pdfplumber tables of one PDF page -> full grids, and tables cut by a page break joined.

``page_tables(page, page_no)`` runs pdfplumber's table finder on the ruling lines, then reads
the tables ruled by horizontal lines only (``pdf_open_tables``). The page is a pdfplumber page
or a ``FastPage`` built from pdfium: the finder reads only edges, chars and bbox. Each table becomes a ``PageTable``: a full
grid (merged cells repeated in every slot they cover, cell lines folded the CJK way, stray spaces
between CJK characters removed) plus its column boundaries. ``join_continued`` joins a table
that runs on at the top of the next page: same outer edges, compatible column boundaries
(one set inside the other: the first rows of a page may merge columns that later rows split),
and the repeated header rows, if any, dropped.

The finder pairs every crossing of ruling lines with every later one (``intersections_to_cells``
is quadratic: 14,641 crossings take 12 s, 90,601 minutes), so a page is measured first: more
than ``ParseSettings.max_table_crossings`` crossings (a report's biggest table has a few hundred)
and its ruled tables are not read, with a warning naming the count and the limit.
"""
from __future__ import annotations

import logging
from bisect import bisect_left
from dataclasses import dataclass, field

from pdfplumber.table import Table, TableFinder, TableSettings

from ..settings import ParseSettings
from .cjk import drop_spaces_between_cjk, fold_lines
from .pdf_cell_text import Middles, char_middles, table_texts
from .pdf_grid import cells_to_tables, edges_to_intersections, intersections_to_cells
from .pdf_open_tables import open_tables

__all__ = ["Box", "PageTable", "page_tables", "join_continued", "drop_doubled_chars", "doubled_chars", "LINE_SETTINGS"]

LINE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_SNAP = 2.5        # points: boundaries closer than this are the same line
_EDGE_TOL = 4.0    # points: outer edges of two table parts that match
# points: inner column boundaries of two parts that match (boundaries read from word gaps,
# in tables without vertical rules, move with the widths of the words)
_INNER_TOL = 8.0
_MAX_HEADER_ROWS = 5
_MAX_CROSSINGS = ParseSettings().max_table_crossings
log = logging.getLogger(__name__)
Box = tuple[float, float, float, float]


@dataclass
class PageTable:
    grid: list[list[str]]
    xs: list[float]                 # column boundaries, len = columns + 1
    top: float
    bottom: float
    page: int                       # 1-based
    row_pages: list[int] = field(default_factory=list)
    # each slot's cell box (x0, top, x1, bottom) on its row's page, pdfplumber's points; None: no cell
    boxes: list[list[Box | None]] = field(default_factory=list)


def _snap(values: list[float], tol: float = _SNAP) -> list[float]:
    """Sorted values with those closer than ``tol`` to the group's first replaced by the group's mean."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][0] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def _index(bounds: list[float], v: float) -> int:
    """The index of the boundary nearest ``v``, the lower one on a tie (``bounds`` ascending)."""
    j = bisect_left(bounds, v)
    if j == 0:
        return 0
    if j == len(bounds) or abs(bounds[j - 1] - v) <= abs(bounds[j] - v):
        return j - 1
    return j


def _cell_text(text: str | None) -> str:
    return drop_spaces_between_cjk(fold_lines((text or "").splitlines()))


def _to_page_table(table, page_no: int, middles: Middles | None = None) -> PageTable | None:
    cells = []
    rows = table.rows  # pdfplumber builds them anew at each reading
    for row, texts in zip(rows, table_texts(table, rows, middles)):
        for bbox, text in zip(row.cells, texts):
            if bbox is not None:
                cells.append((bbox, _cell_text(text)))
    if not cells:
        return None
    xs = _snap([b[0] for b, _ in cells] + [b[2] for b, _ in cells])
    ys = _snap([b[1] for b, _ in cells] + [b[3] for b, _ in cells])
    if len(xs) < 2 or len(ys) < 2:
        return None
    grid = [[""] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    boxes: list[list[Box | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for bbox, text in cells:
        x0, top, x1, bottom = bbox
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if not grid[r][c]:
                    grid[r][c] = text
                    boxes[r][c] = bbox
    kept = [r for r, row in enumerate(grid) if any(row)]
    if len(kept) < 2 or len(grid[0]) < 2:
        return None
    return PageTable(grid=[grid[r] for r in kept], xs=xs, top=table.bbox[1], bottom=table.bbox[3], page=page_no,
                     row_pages=[page_no] * len(kept), boxes=[boxes[r] for r in kept])


_DOUBLE_TOL = 1.5  # points: the same glyph drawn again this close is a fake bold


def doubled_chars(chars: list[dict]) -> set[int]:
    """``id()`` of every glyph drawn again at nearly the same place as an earlier one (a fake bold).

    pdfplumber's ``dedupe_chars`` costs twice the page's layout; this checks the neighbouring
    slots of a coarse grid, O(n).
    """
    # fast path: no two glyphs of the same text on the same rounded point -> nothing doubled
    # (a fake bold's 0.2-1pt offset puts most of a doubled line's glyphs on the same point)
    if len({(c["text"], round(c["x0"]), round(c["top"])) for c in chars}) == len(chars):
        return set()
    seen: set[tuple[str, int, int]] = set()
    doubled: set[int] = set()
    for ch in chars:
        x, y = int(ch["x0"] // _DOUBLE_TOL), int(ch["top"] // _DOUBLE_TOL)
        text = ch["text"]
        if text.strip() and any((text, x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            doubled.add(id(ch))
        else:
            seen.add((text, x, y))
    return doubled


def drop_doubled_chars(page):
    """The page without glyphs drawn twice at nearly the same place; filtered only when one is."""
    doubled = doubled_chars(page.chars)
    if not doubled:
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) not in doubled)


def page_tables(page, page_no: int, *, max_crossings: int = _MAX_CROSSINGS,
                warnings: list[str] | None = None) -> list[PageTable]:
    """The tables of one pdfplumber page, top to bottom (none from a page ruled too densely)."""
    ruled = _ruled_tables(page, page_no, max_crossings, warnings)
    if ruled is None:
        return []
    middles = char_middles(page.chars) if ruled else None  # the page's, for each of its tables
    found = [t for t in (_to_page_table(t, page_no, middles) for t in ruled) if t]
    found += open_tables(page, page_no, found, _to_page_table)
    return sorted(found, key=lambda t: t.top)


def _ruled_tables(page, page_no: int, max_crossings: int, warnings: list[str] | None) -> list[Table] | None:
    """pdfplumber's ``TableFinder`` stage by stage, measured before its quadratic step; None when
    the page has more crossings of ruling lines than ``max_crossings``."""
    # the finder reads only the page's edges, chars and bbox: a pdfplumber page or a FastPage
    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = page, TableSettings.resolve(LINE_SETTINGS)
    edges = finder.get_edges()
    n_h = sum(1 for e in edges if e["orientation"] == "h")
    crossings = n_h * (len(edges) - n_h)  # at most; counted exactly below when that is cheap
    if crossings > 4 * max_crossings:
        return _too_dense(page_no, f"{n_h} × {len(edges) - n_h} ruling lines", max_crossings, warnings)
    s = finder.settings
    intersections = edges_to_intersections(edges, s.intersection_x_tolerance, s.intersection_y_tolerance)
    if len(intersections) > max_crossings:
        return _too_dense(page_no, f"{len(intersections):,} crossings of ruling lines", max_crossings, warnings)
    return [Table(page, group) for group in cells_to_tables(intersections_to_cells(intersections))]


def _too_dense(page_no: int, what: str, limit: int, warnings: list[str] | None) -> None:
    message = (f"pdf: page {page_no} has {what}, over the table finder's limit of {limit:,} crossings: "
               "its ruled tables are not read")
    log.info("%s", message)
    if warnings is not None:
        warnings.append(message)
    return None


def _refine(grid: list[list], xs: list[float], new_xs: list[float], blank="") -> list[list]:
    """Re-cut a grid's columns (of texts, or of boxes) at finer boundaries, repeating a cell over
    the columns it covers."""
    cols = [next((j for j in range(len(xs) - 1) if xs[j] <= (a + b) / 2 <= xs[j + 1]), None)
            for a, b in zip(new_xs, new_xs[1:])]
    return [[row[j] if j is not None and j < len(row) else blank for j in cols] for row in grid]


def _compatible(a: list[float], b: list[float]) -> bool:
    if abs(a[0] - b[0]) > _EDGE_TOL or abs(a[-1] - b[-1]) > _EDGE_TOL:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(abs(x - y) <= _INNER_TOL for y in big) for x in small)


def _header_repeat(first: list[list[str]], cont: list[list[str]]) -> int:
    """How many of ``cont``'s first rows repeat ``first``'s header rows."""
    k = 0
    while k < min(_MAX_HEADER_ROWS, len(first) - 1, len(cont) - 1) and cont[k] == first[k]:
        k += 1
    return k


def join_continued(previous: PageTable, following: PageTable) -> PageTable | None:
    """``previous`` with ``following`` appended when it is the same table run on; else None."""
    if following.page != previous.page + 1 or not _compatible(previous.xs, following.xs):
        return None
    xs = _snap(previous.xs + following.xs, _INNER_TOL)  # every boundary either part draws
    head = _refine(previous.grid, previous.xs, xs)
    tail = _refine(following.grid, following.xs, xs)
    skip = _header_repeat(head, tail)
    boxes = _refine(previous.boxes, previous.xs, xs, None) + _refine(following.boxes, following.xs, xs, None)[skip:]
    return PageTable(grid=head + tail[skip:], xs=xs, top=previous.top, bottom=following.bottom,
                     page=previous.page, row_pages=previous.row_pages + following.row_pages[skip:], boxes=boxes)

