"""One walk over a PDFium page's objects, shared by the page scan and the table view.

The scan (``pdf._objects``: lost text, ruling lines) and the table view (``pdf_fastpage``: the
ruling lines' segments) both read a page's objects; pypdfium2's ``get_objects`` builds a Python
wrapper per object (a report page has hundreds: one per line of text, one per rule) and each
reader walked them again. ``page_objects(page)`` walks the raw handles once, the way
``get_objects`` does (into form XObjects, at most 15 levels, the same errors), and keeps the
text and path objects, each path with its depth: the view wants those of the page itself.
The handles live as long as the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["PageObjects", "page_objects"]

_MAX_DEPTH = 15  # pypdfium2's get_objects default: forms nested deeper are not entered


@dataclass
class PageObjects:
    texts: list = field(default_factory=list)        # raw text object handles, every depth
    paths: list = field(default_factory=list)        # raw path object handles, every depth
    top_paths: list = field(default_factory=list)    # those drawn by the page itself (not in a form)
    top_form: bool = False                           # the page itself draws a form XObject


def page_objects(page: pdfium.PdfPage) -> PageObjects:
    found = PageObjects()
    _walk(page.raw, None, 0, found)
    return found


def _walk(page_raw, form_raw, level: int, found: PageObjects) -> None:
    if form_raw is None:
        n = pdfium_c.FPDFPage_CountObjects(page_raw)
    else:
        n = pdfium_c.FPDFFormObj_CountObjects(form_raw)
    if n < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    for i in range(n):
        raw = pdfium_c.FPDFPage_GetObject(page_raw, i) if form_raw is None else pdfium_c.FPDFFormObj_GetObject(form_raw, i)
        if not raw:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = pdfium_c.FPDFPageObj_GetType(raw)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            found.texts.append(raw)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            found.paths.append(raw)
            if level == 0:
                found.top_paths.append(raw)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            found.top_form = found.top_form or level == 0
            if level < _MAX_DEPTH - 1:
                _walk(page_raw, raw, level + 1, found)
