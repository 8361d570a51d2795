"""Tables ruled by horizontal lines only (no vertical rules): rows from the rules, columns from
the gaps between the words, cells from pdfplumber's table finder over synthetic rules.

``open_tables(page, page_no, found, to_table)`` takes a page (pdfplumber page or ``FastPage``:
only ``edges``, ``chars``, ``width``/``height`` are read), the tables already found there, and
the function that turns a pdfplumber ``Table`` into a ``PageTable``.

1. Horizontal rules outside the found tables are clustered top to bottom into tables; a band
   between two rules whose text is set in another size than the table's (a heading between two
   tables) ends one table and starts the next.
2. Column boundaries are the gaps between the words of the fine-grained rows (those with
   about as many words as the fullest row); rows of few words hold merged cells and are left out.
3. A synthetic vertical rule is drawn at each boundary in each row band that no word crosses,
   plus the outer edges; pdfplumber's finder then makes the cells, merging those a word crosses.
4. In header rows (above the first full row, and the sub-headers of blocks), a centred word
   over blank neighbours is spread over them (a merged header cell: 行政复议 over its five
   columns); a value centred under such a spread sub-header spans the same columns.
A cell merged across columns with nothing above it to show it stays in one column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from pdfplumber.utils import extract_words

from .pdf_grid import find_tables

__all__ = ["open_tables"]

_MIN_WIDTH = 60.0        # points: shorter horizontal lines are underlines, not table rules
_SAME_Y = 1.0
_MIN_RULES = 3
_SIZE_STEP = 1.2         # points of font size that set a heading apart from table text
_FINE_SHARE = 0.6        # a row with this share of the fullest row's words shows every column
_FULL_ROW = 0.9
_MAX_HEADER_ROWS = 4
_NUMBER = re.compile(r"^[\d０-９.,，%％\s]+$")
_MIN_GAP = 2.0
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class _View:
    """The minimal page the table finder reads."""
    edges: list[dict]
    chars: list[dict]
    width: float
    height: float

    @property
    def bbox(self):
        return (0.0, 0.0, self.width, self.height)


def _h(x0: float, x1: float, y: float) -> dict:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
            "orientation": "h", "object_type": "line"}


def _v(x: float, top: float, bottom: float) -> dict:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
            "orientation": "v", "object_type": "line"}


def _rules(page, found) -> list[tuple[float, float, float]]:
    """(y, x0, x1) of each horizontal rule outside the tables found, same-y segments united."""
    rows: list[list[float]] = []
    for e in sorted((e for e in page.edges if e["orientation"] == "h" and e["width"] >= _MIN_WIDTH),
                    key=lambda e: e["top"]):
        if any(t.top - 1 <= e["top"] <= t.bottom + 1 for t in found):
            continue
        if rows and e["top"] - rows[-1][0] <= _SAME_Y:
            rows[-1][1], rows[-1][2] = min(rows[-1][1], e["x0"]), max(rows[-1][2], e["x1"])
        else:
            rows.append([e["top"], e["x0"], e["x1"]])
    return [tuple(r) for r in rows]


def _band_chars(chars: list[dict], top: float, bottom: float, x0: float, x1: float) -> list[dict]:
    return [c for c in chars if top < (c["top"] + c["bottom"]) / 2 < bottom and x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1]


def _clusters(page, rules) -> list[list[tuple[float, float, float]]]:
    clusters: list[list] = []
    current: list = []
    sizes: list[float] = []
    for rule in rules:
        if not current:
            current, sizes = [rule], []
            continue
        prev = current[-1]
        x0, x1 = min(r[1] for r in current), max(r[2] for r in current)
        overlap = min(x1, rule[2]) - max(x0, rule[1])
        band = _band_chars(page.chars, prev[0], rule[0], x0, x1)
        band_size = median(c["size"] for c in band) if band else None
        heading = band_size is not None and sizes and abs(band_size - median(sizes)) > _SIZE_STEP
        if overlap < 0.5 * min(x1 - x0, rule[2] - rule[1]) or heading:
            clusters.append(current)
            current, sizes = [rule], []
            continue
        current.append(rule)
        if band_size is not None:
            sizes.append(band_size)
    if current:
        clusters.append(current)
    return [c for c in clusters if len(c) >= _MIN_RULES]


def _boundaries(bands: list[list[dict]], x0: float, x1: float) -> list[float]:
    """x positions between columns: the gaps that no word of the fine-grained rows covers.

    Fine-grained rows are those with nearly as many words as the fullest row (the header's
    last row, the data rows); rows of few words hold the merged cells that cross columns.
    """
    # a row's text blocks: its words, with the lines of one wrapped cell stacked into one block
    blocks = [_merge_spans([[w["x0"], w["x1"]] for w in b]) for b in bands]
    rows = [b for b in blocks if len(b) >= 2]
    # prose between long rules (a letterhead, underlined lines) is one word a line: not a table
    if len(rows) < 2 or len(rows) < 0.5 * sum(1 for b in blocks if b):
        return []
    most = max(len(b) for b in rows)
    fine = [b for b in rows if len(b) >= _FINE_SHARE * most]
    if len(fine) < 2:
        return []
    merged = _merge_spans([span for b in fine for span in b])
    xs = [(merged[k][1] + merged[k + 1][0]) / 2 for k in range(len(merged) - 1)
          if merged[k + 1][0] - merged[k][1] >= _MIN_GAP]
    return _drop_phantoms(xs, [w for b in bands for w in b], x0, x1)


def _merge_spans(spans: list[list[float]]) -> list[list[float]]:
    """Overlapping [x0, x1] ranges merged, left to right."""
    merged: list[list[float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def _drop_phantoms(xs: list[float], words: list[dict], x0: float, x1: float) -> list[float]:
    """Remove boundaries around a column that holds no whole word in any row (centred labels
    of different widths leave such slivers at a column's sides)."""
    xs = list(xs)
    changed = True
    while changed and xs:
        changed = False
        edges = [x0, *xs, x1]
        for k, (a, b) in enumerate(zip(edges, edges[1:])):
            if not any(w["x0"] >= a - 1 and w["x1"] <= b + 1 for w in words):
                del xs[min(k, len(xs) - 1)]
                changed = True
                break
    return xs


def open_tables(page, page_no: int, found: list, to_table) -> list:
    out = []
    for cluster in _clusters(page, _rules(page, found)):
        x0, x1 = min(r[1] for r in cluster), max(r[2] for r in cluster)
        ys = [r[0] for r in cluster]
        chars = [c for c in page.chars if ys[0] < (c["top"] + c["bottom"]) / 2 < ys[-1]
                 and x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1]
        bands = [extract_words(_band_chars(chars, a, b, x0, x1), x_tolerance=1.5, y_tolerance=2)
                 for a, b in zip(ys, ys[1:])]
        xs = _boundaries(bands, x0, x1)
        if not xs:
            continue
        edges = [_h(r[1], r[2], r[0]) for r in cluster] + [_v(x0, ys[0], ys[-1]), _v(x1, ys[0], ys[-1])]
        for (a, b), words in zip(zip(ys, ys[1:]), bands):
            if len(words) == 1 and any(words[0]["x0"] < x < words[0]["x1"] for x in xs):
                continue  # one word across columns: a title row merged over the whole width
            edges += [_v(x, a, b) for x in xs if not any(w["x0"] < x < w["x1"] for w in words)]
        view = _View(edges=edges, chars=chars, width=page.width, height=page.height)
        for t in find_tables(view, _SETTINGS):
            table = to_table(t, page_no)
            if table is not None:
                _spread_header_cells(table.grid, table.boxes)
                out.append(table)
    return out


def _spread_header_cells(grid: list[list[str]], boxes: list[list]) -> None:
    """A centred word over blank neighbours in a header row is a cell merged across them.

    Header rows: those above the first full row, and the sub-headers of a table's blocks (rows
    of two or more words and no number, e.g. "信息内容 | 本年处理决定数量" under a 第二十条 title).
    A word with blank cells on both sides widens one column a side at a time; a blank cell
    claimed by two words goes to the nearer; a word stops when it cannot. Below a sub-header,
    a row's value in the middle of such a span, with the rest of the span blank, spans it too.
    """
    filled = [sum(1 for c in row if c) for row in grid]
    most = max(filled, default=0)
    # the header's last row names every column: the first (nearly) full row ends the header
    first_fine = next((r for r, n in enumerate(filled) if n >= _FULL_ROW * most and n >= 2), 0)
    header = grid[:first_fine] if first_fine <= _MAX_HEADER_ROWS else []
    if any(_NUMBER.match(c) for row in header for c in row):
        header = []  # numbers above the first full row: data rows of a part, not a header
    for row, row_boxes in zip(header, boxes):
        _spread_row(row, row_boxes)
    spans: list[tuple[int, int]] = []
    for row, row_boxes in zip(grid[first_fine:], boxes[first_fine:]):
        words = [c for c in row if c]
        if len(words) >= 2 and not any(_NUMBER.match(c) for c in words) and len(words) < len(row):
            spans = [sp for sp in _spread_row(row, row_boxes) if sp[1] > sp[0]]
            continue
        for a, b in spans:
            mid = (a + b) // 2
            if row[mid] and not any(row[k] for k in range(a, b + 1) if k != mid):
                row[a:b + 1] = [row[mid]] * (b - a + 1)
                row_boxes[a:b + 1] = [row_boxes[mid]] * (b - a + 1)  # the text is drawn in the middle cell


def _spread_row(row: list[str], row_boxes: list) -> list[tuple[int, int]]:
    """Widen the centred words of one row over their blank neighbours (a widened slot keeps the box
    of the cell the word is drawn in); return each word's span."""
    starts = [j for j, c in enumerate(row) if c and (j == 0 or row[j - 1] != c)]
    words = [(a, next(k for k in range(a, len(row)) if k + 1 == len(row) or row[k + 1] != row[a]))
             for a in starts]
    active = list(range(len(words)))
    while active:
        # only a word with blank cells on both sides can widen; it claims both
        able = [w for w in active if words[w][0] > 0 and words[w][1] + 1 < len(row)
                and not row[words[w][0] - 1] and not row[words[w][1] + 1]]
        claims: dict[int, list[int]] = {}
        for w in able:
            a, b = words[w]
            for cell in (a - 1, b + 1):
                claims.setdefault(cell, []).append(w)
        still = []
        for w in able:
            a, b = words[w]
            if all(min(claims[cell], key=lambda o: abs(sum(words[o]) / 2 - cell)) == w for cell in (a - 1, b + 1)):
                words[w] = (a - 1, b + 1)
                row[a - 1] = row[b + 1] = row[a]
                row_boxes[a - 1] = row_boxes[b + 1] = row_boxes[a]
                still.append(w)
        active = still
    return words
