"""The texts of a pdfplumber table's cells: ``Table.extract()``'s answer, found faster.

``Table.extract`` tests every character of the page against every row's box, then each row's
characters against each of its cells, and reads each cell with pdfplumber's ``extract_text``
(a word extractor, two clusterings, a text map: ~60 µs a cell, most of a table page's cost).
Here the characters' middles are computed once a page (``char_middles``, shared by its tables)
and sorted by their vertical middle; each row takes the band between its top and bottom by
bisection, then ``Table.extract``'s own test in the page's character order, so every cell gets the
same characters; and ``cell_text`` reads them as ``extract_text`` does with its defaults (same
lines, same words, same spaces), in one pass.
"""
from __future__ import annotations

from bisect import bisect_left
from operator import itemgetter
from typing import Any

from pdfplumber.utils import extract_text
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

__all__ = ["table_texts", "char_middles", "cell_text"]


Middles = tuple[list[tuple[float, float, int]], list[float]]


def char_middles(chars: list[dict]) -> Middles:
    """The characters' (vertical middle, horizontal middle, index), sorted, and the vertical
    middles alone: pdfplumber's char_in_bbox tests these middles. One page's, for all its tables."""
    middles = sorted(((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, i) for i, c in enumerate(chars))
    return middles, [m[0] for m in middles]


def table_texts(table: Any, rows: list | None = None, middles: Middles | None = None) -> list[list[str | None]]:
    """Each row's cell texts, as ``table.extract()`` gives them (None for a slot no cell covers).
    ``rows``: ``table.rows`` when the caller has them already (pdfplumber recomputes them per call);
    ``middles``: ``char_middles(table.page.chars)`` when the caller has them."""
    chars = table.page.chars
    middles, verticals = char_middles(chars) if middles is None else middles
    out: list[list[str | None]] = []
    for row in table.rows if rows is None else rows:
        x0, top, x1, bottom = row.bbox
        # the row's characters in the page's order: boxes are closed at top-left, open at bottom-right
        band = sorted((i, v, h) for v, h, i in middles[bisect_left(verticals, top):bisect_left(verticals, bottom)]
                      if x0 <= h < x1)
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            c0, ctop, c1, cbottom = cell
            inside = [chars[i] for i, v, h in band if c0 <= h < c1 and ctop <= v < cbottom]
            texts.append(cell_text(inside) if inside else "")
        out.append(texts)
    return out


def _cluster_ids(values: list[float], tolerance: float) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict``: sorted distinct values chained while each is within
    ``tolerance`` of the previous one; value -> its cluster's number."""
    ids: dict[float, int] = {}
    k, last = -1, None
    for v in sorted(set(values)):
        if last is None or v > last + tolerance:
            k += 1
        ids[v] = k
        last = v
    return ids


def _grouped(items: list[tuple], tolerance: float) -> list[list[tuple]]:
    """pdfplumber's ``cluster_objects`` by top (each item's first field): groups in cluster order,
    each in the items' own order."""
    if len(items) == 1:
        return [items]
    ids = _cluster_ids([it[0] for it in items], tolerance)
    if max(ids.values()) == 0:
        return [items]
    groups: dict[int, list[tuple]] = {}
    for it in items:
        groups.setdefault(ids[it[0]], []).append(it)
    return [groups[k] for k in sorted(groups)]


def cell_text(chars: list[dict]) -> str:
    """``pdfplumber.utils.extract_text(chars)`` with its default settings, for upright text.

    Characters are clustered into lines by their tops (3 points), each line sorted left to right
    and cut into words where a glyph starts before the previous one, more than 3 points after its
    end, or more than 3 points above or below it, or at a blank; words (their top: their highest
    glyph's) are clustered into lines again by their tops; words joined by a space, lines by a
    newline. Rotated glyphs, or a glyph without text, go to pdfplumber itself (its rules for them
    differ).
    """
    glyphs = []
    for c in chars:
        if not c["upright"] or not c["text"]:
            return extract_text(chars)
        glyphs.append((c["top"], c["x0"], c["x1"], c["text"]))
    xt, yt = DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE
    words: list[tuple[float, str]] = []  # (top, text)
    for line in _grouped(glyphs, yt):
        if len(line) > 1:
            line.sort(key=_x0)  # stable, as pdfplumber's sort
        parts: list[str] = []
        word_top = prev_top = prev_x0 = prev_x1 = 0.0
        for top, x0, x1, text in line:
            if text.isspace():
                if parts:
                    words.append((word_top, "".join(parts)))
                parts = []
                continue
            if parts and (x0 < prev_x0 or x0 > prev_x1 + xt or abs(top - prev_top) > yt):
                words.append((word_top, "".join(parts)))
                parts = []
            if not parts or top < word_top:
                word_top = top
            parts.append(LIGATURES.get(text, text))
            prev_top, prev_x0, prev_x1 = top, x0, x1
        if parts:
            words.append((word_top, "".join(parts)))
    if len(words) <= 1:
        return words[0][1] if words else ""
    return "\n".join(" ".join(w[1] for w in line) for line in _grouped(words, yt))


_x0 = itemgetter(1)
