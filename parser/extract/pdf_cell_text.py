"""The texts of a pdfplumber table's cells: ``Table.extract()``'s answer, found faster.

``Table.extract`` tests every character of the page against every row's box, then each row's
characters against each of its cells: rows x characters tests (a 30-row table on a page of 2,000
characters: 60,000, half a PDF report's parse). Here the characters are sorted once by their
vertical middle and each row takes the band between its top and bottom by bisection; the rest is
``Table.extract``'s own test, in the page's character order, so every cell gets the same characters
and the same text (pdfplumber's ``extract_text``).
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Any

from pdfplumber.utils import extract_text

__all__ = ["table_texts"]


def _centre_in(char: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """pdfplumber's ``char_in_bbox``: the character's middle inside the box, right and bottom open."""
    v_mid = (char["top"] + char["bottom"]) / 2
    h_mid = (char["x0"] + char["x1"]) / 2
    x0, top, x1, bottom = box
    return x0 <= h_mid < x1 and top <= v_mid < bottom


def table_texts(table: Any) -> list[list[str | None]]:
    """Each row's cell texts, as ``table.extract()`` gives them (None for a slot no cell covers)."""
    chars = table.page.chars
    by_middle = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
    middles = [m for m, _ in by_middle]
    out: list[list[str | None]] = []
    for row in table.rows:
        top, bottom = row.bbox[1], row.bbox[3]
        band = sorted(i for _, i in by_middle[bisect_left(middles, top):bisect_left(middles, bottom)])
        row_chars = [chars[i] for i in band if _centre_in(chars[i], row.bbox)]
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            cell_chars = [c for c in row_chars if _centre_in(c, cell)]
            texts.append(extract_text(cell_chars) if cell_chars else "")
        out.append(texts)
    return out
