"""One walk over a page's objects finds what pypdfium2's ``get_objects`` finds: the same text and
path objects in the same order (into form XObjects), the page's own paths, and whether the page
itself draws a form."""
from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from extract_samples import boxed_table_pdf, one_path_grid_pdf, open_table_pdf, report_pdf
from parser.extract.pdf_objects import page_objects

_PDFS = {
    "report": lambda: report_pdf("cid"),
    "boxed": lambda: boxed_table_pdf("cid"),
    "boxed_in_form": lambda: boxed_table_pdf("cid", in_form=True),
    "one_path_grid": lambda: one_path_grid_pdf("cid"),
    "open_table": lambda: open_table_pdf("cid"),
}


def _address(raw) -> int:
    return ctypes.cast(raw, ctypes.c_void_p).value


@pytest.mark.parametrize("name", sorted(_PDFS))
def test_one_walk_finds_what_get_objects_finds(name: str):
    pdf = pdfium.PdfDocument(_PDFS[name]())
    try:
        forms = texts_seen = paths_seen = 0
        for page in pdf:
            found = page_objects(page)
            texts = [o.raw for o in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,))]
            paths = [o.raw for o in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,))]
            top = list(page.get_objects(max_depth=0))
            assert [_address(r) for r in found.texts] == [_address(r) for r in texts]
            assert [_address(r) for r in found.paths] == [_address(r) for r in paths]
            assert [_address(r) for r in found.top_paths] == \
                [_address(o.raw) for o in top if o.type == pdfium_c.FPDF_PAGEOBJ_PATH]
            assert found.top_form == any(o.type == pdfium_c.FPDF_PAGEOBJ_FORM for o in top)
            forms += found.top_form
            texts_seen += len(found.texts)
            paths_seen += len(found.paths)
        assert (forms > 0) == (name == "boxed_in_form")
        assert texts_seen and paths_seen
    finally:
        pdf.close()
