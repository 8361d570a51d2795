"""A pdfplumber-shaped view of one page built from pypdfium2, for the table finder.

pdfplumber's ``TableFinder`` and ``Table.extract`` read only a page's ``edges``, ``chars`` and
``bbox``. Building those from pdfium (path segments of the ruling lines, character boxes of
its text page) takes a few milliseconds where pdfminer's layout of the same page takes tens,
so a table page costs about what a prose page does. ``fast_page(page, textpage, chars=None)``
returns the view (its rules from the page's own paths, its characters from the text page, or
``chars`` when given: those ``pdf_recover`` read back), or None when the page needs the real pdfplumber page (form
XObjects, whose nested coordinates this view does not follow; or no character at all).
``FastPage.extract_text_lines`` gives pdfplumber's lines of those characters (pdfplumber's own
text map, so a page reads the same as through pdfplumber). ``page_chars(textpage, height)`` is
the characters of a text page as pdfplumber's char dicts.

Coordinates follow pdfplumber: points from the top-left corner (``top`` grows downwards).
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2.raw as pdfium_c
from pdfplumber.utils import chars_to_textmap

from .pdf_objects import PageObjects, page_objects

__all__ = ["FastPage", "fast_page", "page_chars"]

_FLAT = 0.5  # points: a segment this close to level is a horizontal (or vertical) rule


@dataclass
class FastPage:
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def extract_text_lines(self, strip: bool = True, return_chars: bool = True) -> list[dict]:
        """pdfplumber's ``Page.extract_text_lines`` over this view's characters."""
        textmap = chars_to_textmap(self.chars, layout_bbox=self.bbox, layout_width=self.width,
                                   layout_height=self.height)
        return textmap.extract_text_lines(strip=strip, return_chars=return_chars)


def fast_page(page, tp, chars: list[dict] | None = None, objects: PageObjects | None = None) -> FastPage | None:
    """The view of ``page``; ``objects``: its objects when the caller has walked them already."""
    if objects is None:
        objects = page_objects(page)
    if objects.top_form:
        return None
    height = page.get_height()
    view = FastPage(width=page.get_width(), height=height)
    for raw in objects.top_paths:
        view.edges.extend(_path_edges(raw, height))
    view.chars = page_chars(tp, height) if chars is None else chars
    return view if view.chars else None


def _edge(x0: float, y0: float, x1: float, y1: float, height: float) -> dict | None:
    if abs(y1 - y0) <= _FLAT and abs(x1 - x0) > _FLAT:
        left, right = sorted((x0, x1))
        top = height - (y0 + y1) / 2
        return {"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    if abs(x1 - x0) <= _FLAT and abs(y1 - y0) > _FLAT:
        low, high = sorted((y0, y1))
        x = (x0 + x1) / 2
        return {"x0": x, "x1": x, "top": height - high, "bottom": height - low, "width": 0.0,
                "height": high - low, "orientation": "v", "object_type": "line"}
    return None


def _path_edges(raw, height: float) -> list[dict]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(raw, ctypes.byref(m)):
        return []
    if abs(m.b) > 1e-6 or abs(m.c) > 1e-6:  # rotated or skewed drawing: not a table rule
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[dict] = []
    start = current = None
    for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = (m.a * x.value + m.e, m.d * y.value + m.f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            e = _edge(*current, *point, height)
            if e:
                edges.append(e)
            current = point
        else:  # curves draw no table rule
            current = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and current is not None:
            e = _edge(*current, *start, height)
            if e:
                edges.append(e)
            current = start
    return edges


def page_chars(tp, height: float) -> list[dict]:
    raw = tp.raw
    # four PDFium calls a character (a table page has thousands): looked up once
    get_unicode, is_generated = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_IsGenerated
    loose_box, font_size = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetFontSize
    chars = []
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = get_unicode(raw, i)
        if code in (10, 13, 0xFFFE) or is_generated(raw, i) == 1:
            continue
        if not loose_box(raw, i, rect_ref):
            continue
        left, right = rect.left, rect.right
        y_top, y_bottom = height - rect.top, height - rect.bottom
        chars.append({"text": chr(code), "x0": left, "x1": right, "top": y_top, "bottom": y_bottom,
                      "doctop": y_top, "width": right - left, "height": y_bottom - y_top,
                      "upright": True, "size": font_size(raw, i), "object_type": "char"})
    return chars
