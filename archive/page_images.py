"""One PDF page as a PNG image, for drawing a number's evidence box over it.

    render_page(pdf_bytes, page_no, *, max_px=1600, deadline=None) -> (png_bytes, width_pt, height_pt, scale)

pypdfium2 renders page ``page_no`` (1-based, as ``Evidence.page``) with its longer side at most
``max_px`` pixels (so memory is bounded whatever the page's size: 1600 px is about 7 MB of RGB
before PNG). ``width_pt``/``height_pt`` are the page's size in PDF points and ``scale`` the pixels
per point: an ``Evidence.bbox`` ``(x0, top, x1, bottom)`` in points from the page's top-left is
drawn on the image at ``x * scale, y * scale`` (or, unscaled, in an SVG whose viewBox is the page in
points). PDFium is not thread-safe: every call holds ``PDFIUM_LOCK``, which a caller that uses
PDFium elsewhere in the same process takes too. Time: a ``parser.extract.budget.Deadline`` is
checked before the document is opened and before the page is drawn (one PDFium call: the budget
is cooperative, as for parsing). Bad input raises ``InputError`` with one line: not a PDF, a
password, a page outside the document.
"""
from __future__ import annotations

import io
import threading

from .errors import InputError

__all__ = ["render_page", "PDFIUM_LOCK", "MAX_PX"]

MAX_PX = 4000  # the largest image asked for: 4000 px square is 48 MB of RGB before PNG
PDFIUM_LOCK = threading.RLock()


def render_page(pdf_bytes: bytes, page_no: int, *, max_px: int = 1600, deadline=None
                ) -> tuple[bytes, float, float, float]:
    import pypdfium2 as pdfium

    from parser.extract import pdfium_fonts  # noqa: F401 — the fonts the parse read the page with

    if not 16 <= max_px <= MAX_PX:
        raise InputError(f"an image of {max_px} px asked for: choose between 16 and {MAX_PX} px")
    if deadline is not None:
        deadline.check("the PDF to render")
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(pdf_bytes)
        except pdfium.PdfiumError as exc:
            why = "it is encrypted with a password" if "password" in str(exc).lower() else str(exc)
            raise InputError(f"the PDF cannot be opened to draw its page ({why})") from exc
        try:
            n = len(pdf)
            if not 1 <= page_no <= n:
                raise InputError(f"the PDF has {n} pages: there is no page {page_no} to draw")
            try:
                page = pdf[page_no - 1]
            except pdfium.PdfiumError as exc:
                raise InputError(f"page {page_no} of the PDF cannot be read to draw it ({exc})") from exc
            try:
                width, height = page.get_size()
                scale = max_px / max(width, height, 1.0)
                if deadline is not None:
                    deadline.check(f"PDF page {page_no} (image)")
                image = page.render(scale=scale).to_pil()
            finally:
                page.close()
        finally:
            pdf.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue(), float(width), float(height), scale
