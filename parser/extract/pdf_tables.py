"""pdfplumber tables of one PDF page -> full grids, and tables cut by a page break joined.

``page_tables(page, page_no)`` runs pdfplumber's table finder on the ruling lines, then reads
the tables ruled by horizontal lines only (no vertical rules: columns from the gaps between
the words of the rows, ``rule_only_tables``). Each table becomes a ``PageTable``: a full
grid (merged cells repeated in every slot they cover, cell lines folded the CJK way, stray spaces
between CJK characters removed) plus its column boundaries. ``join_continued`` joins a table
that runs on at the top of the next page: same outer edges, compatible column boundaries
(one set inside the other: the first rows of a page may merge columns that later rows split),
and the repeated header rows, if any, dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils import extract_words

from .cjk import drop_spaces_between_cjk, fold_lines

__all__ = ["PageTable", "page_tables", "rule_only_tables", "join_continued", "drop_doubled_chars", "LINE_SETTINGS"]

LINE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_SNAP = 2.5        # points: boundaries closer than this are the same line
_EDGE_TOL = 4.0    # points: outer edges of two table parts that match
_MAX_HEADER_ROWS = 5


@dataclass
class PageTable:
    grid: list[list[str]]
    xs: list[float]                 # column boundaries, len = columns + 1
    top: float
    bottom: float
    page: int                       # 1-based
    row_pages: list[int] = field(default_factory=list)


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _SNAP:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _cell_text(text: str | None) -> str:
    return drop_spaces_between_cjk(fold_lines((text or "").splitlines()))


def _to_page_table(table, page_no: int) -> PageTable | None:
    cells = []
    for row, texts in zip(table.rows, table.extract()):
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
    for (x0, top, x1, bottom), text in cells:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if not grid[r][c]:
                    grid[r][c] = text
    grid = [row for row in grid if any(row)]
    if len(grid) < 2 or len(grid[0]) < 2:
        return None
    return PageTable(grid=grid, xs=xs, top=table.bbox[1], bottom=table.bbox[3], page=page_no,
                     row_pages=[page_no] * len(grid))


_DOUBLE_TOL = 1.5  # points: the same glyph drawn again this close is a fake bold


def drop_doubled_chars(page):
    """The page without glyphs drawn twice at nearly the same place (a fake bold).

    pdfplumber's ``dedupe_chars`` costs twice the page's layout; this checks the neighbouring
    slots of a coarse grid, O(n), and filters the page only when a duplicate exists.
    """
    chars = page.chars
    # fast path: no two glyphs of the same text on the same rounded point -> nothing doubled
    # (a fake bold's 0.2-1pt offset puts most of a doubled line's glyphs on the same point)
    if len({(c["text"], round(c["x0"]), round(c["top"])) for c in chars}) == len(chars):
        return page
    seen: set[tuple[str, int, int]] = set()
    doubled: set[int] = set()
    for ch in chars:
        x, y = int(ch["x0"] // _DOUBLE_TOL), int(ch["top"] // _DOUBLE_TOL)
        text = ch["text"]
        if text.strip() and any((text, x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            doubled.add(id(ch))
        else:
            seen.add((text, x, y))
    if not doubled:
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) not in doubled)


def page_tables(page, page_no: int) -> list[PageTable]:
    """The tables of one pdfplumber page, top to bottom."""
    # TableFinder reads only the page's edges, chars and bbox: a pdfplumber page or a FastPage
    finder = TableFinder(page, TableSettings.resolve(LINE_SETTINGS))
    found = [t for t in (_to_page_table(t, page_no) for t in finder.tables) if t]
    found += rule_only_tables(page, page_no, found)
    return sorted(found, key=lambda t: t.top)


def _refine(grid: list[list[str]], xs: list[float], new_xs: list[float]) -> list[list[str]]:
    """Re-cut a grid's columns at finer boundaries, repeating a cell over the columns it covers."""
    out = []
    for row in grid:
        new_row = []
        for a, b in zip(new_xs, new_xs[1:]):
            mid = (a + b) / 2
            j = next((j for j in range(len(xs) - 1) if xs[j] - _SNAP <= mid <= xs[j + 1] + _SNAP), None)
            new_row.append(row[j] if j is not None else "")
        out.append(new_row)
    return out


def _compatible(a: list[float], b: list[float]) -> bool:
    if abs(a[0] - b[0]) > _EDGE_TOL or abs(a[-1] - b[-1]) > _EDGE_TOL:
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(abs(x - y) <= _EDGE_TOL for y in big) for x in small)


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
    xs = _snap(previous.xs + following.xs)  # every boundary either part draws
    head = _refine(previous.grid, previous.xs, xs)
    tail = _refine(following.grid, following.xs, xs)
    skip = _header_repeat(head, tail)
    return PageTable(grid=head + tail[skip:], xs=xs, top=previous.top, bottom=following.bottom,
                     page=previous.page, row_pages=previous.row_pages + following.row_pages[skip:])


# ---- tables ruled by horizontal lines only (three-line tables, LINEBELOW styles) ----
_MIN_RULE_WIDTH = 100.0
_MIN_RULES = 3
_GAP_SLACK = 1.5


def rule_only_tables(page, page_no: int, found: list[PageTable]) -> list[PageTable]:
    """Tables whose rows are ruled but whose columns are not: columns from the gaps between words."""
    out = []
    for x0, x1, ys in _rule_groups(page):
        top, bottom = ys[0], ys[-1]
        if any(t.top - 1 <= bottom and top <= t.bottom + 1 for t in found):
            continue
        table = _table_from_word_gaps(page, page_no, x0, x1, ys)
        if table is not None:
            out.append(table)
    return out


def _rule_groups(page) -> list[tuple[float, float, list[float]]]:
    groups: dict[tuple[int, int], list[float]] = {}
    for e in page.edges:
        if e["orientation"] != "h":
            continue
        if e["x1"] - e["x0"] < _MIN_RULE_WIDTH:
            continue
        key = next((k for k in groups if abs(k[0] - e["x0"]) <= _EDGE_TOL and abs(k[1] - e["x1"]) <= _EDGE_TOL),
                   (round(e["x0"]), round(e["x1"])))
        groups.setdefault(key, []).append(e["top"])
    return [(float(k[0]), float(k[1]), ys) for k, tops in groups.items()
            if len(ys := _snap(tops)) >= _MIN_RULES]


def _table_from_word_gaps(page, page_no: int, x0: float, x1: float, ys: list[float]) -> PageTable | None:
    left, top, right, bottom = x0 - 1, ys[0] - 1, x1 + 1, ys[-1] + 1
    if any(e["orientation"] == "v" and x0 + _EDGE_TOL < e["x0"] < x1 - _EDGE_TOL
           and e["bottom"] > top and e["top"] < bottom for e in page.edges):
        return None  # inner vertical rules: the line strategy's business
    chars = [c for c in page.chars if left <= (c["x0"] + c["x1"]) / 2 <= right
             and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
    words = extract_words(chars, x_tolerance=2, y_tolerance=2)
    bands = [[w for w in words if a <= (w["top"] + w["bottom"]) / 2 < b] for a, b in zip(ys, ys[1:])]
    spans: list[list[float]] = []
    for band in bands:
        if len(band) >= 2:
            spans += [[w["x0"], w["x1"]] for w in band]
    if not spans:
        return None
    spans.sort()
    merged = [spans[0]]
    for a, b in spans[1:]:
        if a <= merged[-1][1] + _GAP_SLACK:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if len(merged) < 2:
        return None
    xs = [x0] + [(merged[k][1] + merged[k + 1][0]) / 2 for k in range(len(merged) - 1)] + [x1]
    grid = []
    for band in bands:
        cells: list[list[dict]] = [[] for _ in range(len(xs) - 1)]
        for w in band:
            for j in range(len(xs) - 1):
                if w["x0"] < xs[j + 1] and w["x1"] > xs[j]:
                    cells[j].append(w)
        row = [_cell_text("\n".join(_lines_of(ws))) for ws in cells]
        if any(row):
            grid.append(row)
    if len(grid) < 2:
        return None
    return PageTable(grid=grid, xs=xs, top=ys[0], bottom=ys[-1], page=page_no, row_pages=[page_no] * len(grid))


def _lines_of(words: list[dict]) -> list[str]:
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][-1]["top"] - w["top"]) < 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [" ".join(w["text"] for w in ln) for ln in lines]
