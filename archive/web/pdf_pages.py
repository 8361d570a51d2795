"""PDF pages as PNG images for the evidence view, and their size in points.

    PageRenderer(max_pixels, cache_bytes).render(source, sha256, page) -> PageImage   (source: a path or bytes)

pypdfium2 renders the page with its longer side at most ``max_pixels``; the images are kept in an
LRU cache bounded by their total bytes. PDFium is not thread-safe: one lock serializes its calls.
A page outside the document raises ``PageNotFound``; a PDF PDFium cannot open, ``UnreadablePdf``.
"""
from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PageImage", "PageRenderer", "PageNotFound", "UnreadablePdf"]


class PageNotFound(LookupError):
    pass


class UnreadablePdf(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class PageImage:
    png: bytes
    width_pt: float
    height_pt: float
    pages: int


_PDFIUM_LOCK = threading.Lock()


class PageRenderer:
    def __init__(self, max_pixels: int = 1600, cache_bytes: int = 64 * 1024 * 1024):
        self.max_pixels = max_pixels
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[tuple[str, int], PageImage] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def render(self, source: Path | bytes, sha256: str, page: int) -> PageImage:
        key = (sha256, page)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        image = self._render(source, page)
        with self._lock:
            if len(image.png) <= self.cache_bytes and key not in self._cache:
                self._cache[key] = image
                self._size += len(image.png)
                while self._size > self.cache_bytes:
                    _, old = self._cache.popitem(last=False)
                    self._size -= len(old.png)
        return image

    def _render(self, source: Path | bytes, page: int) -> PageImage:
        import pypdfium2 as pdfium

        from parser.extract import pdfium_fonts  # noqa: F401 — the fonts the parse read the page with

        with _PDFIUM_LOCK:
            try:
                pdf = pdfium.PdfDocument(str(source) if isinstance(source, Path) else source)
            except pdfium.PdfiumError as e:
                raise UnreadablePdf(f"PDFium cannot open the document: {e}") from e
            try:
                n = len(pdf)
                if not 1 <= page <= n:
                    raise PageNotFound(f"the document has {n} pages, not a page {page}")
                p = pdf[page - 1]
                try:
                    w, h = p.get_size()
                    scale = self.max_pixels / max(w, h, 1.0)
                    bitmap = p.render(scale=scale)
                    pil = bitmap.to_pil()
                finally:
                    p.close()
            finally:
                pdf.close()
        buf = io.BytesIO()
        pil.save(buf, format="PNG", optimize=False)
        return PageImage(buf.getvalue(), float(w), float(h), n)
