"""The faster cell reading gives pdfplumber's own answers: ``cell_text`` is ``extract_text`` on glyph
sets drawn to hit its rules (lines within 3 points, gaps, overlaps, blanks, ligatures, glyphs out of
order, rotated glyphs), and the grid's nearest-boundary lookup is the linear search it replaced."""
from __future__ import annotations

import random

import pytest
from pdfplumber.utils import extract_text

from parser.extract.pdf_cell_text import cell_text
from parser.extract.pdf_tables import _index

_GLYPHS = list("政府信息公开申请件数12345.0 ab") + [" ", "\u3000", "ﬁ", "ﬂ"]


def _glyph(rng: random.Random, x: float, top: float, upright: bool = True) -> dict:
    width = rng.choice((4.0, 6.0, 10.5, 12.0))
    size = rng.choice((9.0, 10.5, 12.0))
    return {"text": rng.choice(_GLYPHS), "x0": x, "x1": x + width, "top": top, "bottom": top + size,
            "doctop": top + 800.0, "upright": upright, "size": size, "object_type": "char"}


def _cell(rng: random.Random, rotated: bool = False) -> list[dict]:
    """Glyphs of one cell: a few lines whose tops wander by up to 4 points (both sides of the
    3-point tolerance), gaps both sides of 3 points, some glyphs overlapping or drawn back."""
    chars = []
    top = rng.uniform(100, 110)
    for _ in range(rng.randint(1, 4)):
        x = rng.uniform(50, 60)
        for _ in range(rng.randint(1, 9)):
            chars.append(_glyph(rng, round(x, 2), round(top + rng.choice((0, 0, 0.5, 2.9, 3.0, 3.1, -2.0, 4.0)), 2),
                                upright=not (rotated and rng.random() < 0.3)))
            x = chars[-1]["x1"] + rng.choice((0.0, 0.0, 1.0, 2.99, 3.0, 3.01, 5.0, -3.0, -12.0))
        top += rng.choice((3.0, 3.5, 6.0, 12.0))
    if rng.random() < 0.3:
        rng.shuffle(chars)  # content streams do not always draw left to right
    return chars


@pytest.mark.parametrize("seed", range(4))
def test_cell_text_is_pdfplumbers_extract_text(seed: int):
    rng = random.Random(seed)
    multiline = 0
    for _ in range(500):
        chars = _cell(rng)
        expected = extract_text(chars)
        assert cell_text(chars) == expected, chars
        multiline += "\n" in expected
    assert multiline > 50  # the cases reached the line clustering, not only single words


def test_rotated_glyphs_read_as_pdfplumber_reads_them():
    rng = random.Random(7)
    rotated = 0
    for _ in range(200):
        chars = _cell(rng, rotated=True)
        rotated += any(not c["upright"] for c in chars)
        assert cell_text(chars) == extract_text(chars)
    assert rotated > 50


def test_blank_only_cell_reads_empty():
    rng = random.Random(1)
    chars = [dict(_glyph(rng, 10.0 * k, 100.0), text=" ") for k in range(3)]
    assert cell_text(chars) == extract_text(chars) == ""


def test_nearest_boundary_is_the_linear_searchs():
    rng = random.Random(3)
    for _ in range(2000):
        bounds = sorted({round(rng.uniform(0, 600), rng.choice((0, 1, 2))) for _ in range(rng.randint(1, 12))})
        v = rng.choice([rng.uniform(-20, 620), rng.choice(bounds),
                        (bounds[0] + bounds[-1]) / 2])  # on a boundary, and halfway (a tie)
        assert _index(bounds, v) == min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))
