"""``table_texts`` gives every cell the text pdfplumber's ``Table.extract`` gives it, on every PDF
layout the fixture renderer draws (ruled grids, CID and TrueType fonts, tables cut by a page, merged
label cells) and on a page whose table holds characters outside it."""
from __future__ import annotations

import io

import pdfplumber
import pytest

from fixtures.reportgen import FORMATS, LAYOUTS, random_record, render
from parser.extract.pdf_cell_text import table_texts
from parser.extract.pdf_tables import LINE_SETTINGS

PDF_LAYOUTS = sorted(name for name, spec in LAYOUTS.items() if spec.renderer == "pdf")


@pytest.mark.parametrize("layout", PDF_LAYOUTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_cell_text_is_pdfplumbers(layout: str, fmt: str):
    data, _ = render(random_record(fmt, seed=3, blanks=0.2), layout)
    checked = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for table in page.find_tables(LINE_SETTINGS) + page.find_tables({"vertical_strategy": "text",
                                                                               "horizontal_strategy": "lines"}):
                expected = table.extract()
                assert table_texts(table) == expected
                checked += sum(1 for row in expected for cell in row if cell)
    assert checked >= 40  # the template's tables were there, with their numbers and labels


def test_characters_on_a_cell_edge_go_where_pdfplumber_puts_them():
    """A character whose middle lies exactly on a row's or a cell's edge belongs to the one below /
    to the right (boxes are closed at top-left, open at bottom-right)."""
    from fixtures.reportrender import render_pdf  # noqa: F401 — the renderer's fonts are registered

    data, _ = render(random_record("gb2021", seed=5), "pdf_ttf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        table = page.find_tables(LINE_SETTINGS)[0]
        row = table.rows[1]
        x0, top, x1, bottom = row.cells[-1] or row.bbox
        # glyphs centred exactly on the last cell's top and left edges, and on its bottom and right ones
        extra = [dict(page.chars[0], text=t, x0=cx - 2, x1=cx + 2, top=cy - 3, bottom=cy + 3)
                 for t, cx, cy in (("甲", x0 + 5, top), ("乙", x0, top + 5), ("丙", x0 + 5, bottom), ("丁", x1, top + 5))]
        page._objects = {**page.objects, "char": page.chars + extra}
        expected = table.extract()
        assert table_texts(table) == expected
        assert any("甲" in (cell or "") for r in expected for cell in r)
