"""A PDF report -> ``Document``, fast: pypdfium2 for all text, pdfplumber's table finder only
where tables are, and pdfminer's layout only where pdfium cannot be trusted.

Takes the bytes, ``settings.max_pdf_pages`` and the deadline (checked before every page).
1. Every page's text comes from pypdfium2 (about 50 times faster than pdfplumber; it also drops
   glyphs doubled by a fake bold). A page whose text pdfium lost (a text object in a font that
   is not embedded left with no text: pdfium took a repeated line for a fake bold) is read
   back from pdfium in rounds (``pdf_recover``) and its lines assembled by pdfplumber's text
   map over those characters; only a page with glyphs pdfium cannot read at all is marked for
   pdfplumber. PDFium reads with CJK fonts of our own (``pdfium_fonts``), not the machine's: a
   font that is not embedded has real glyph boxes on every machine, and such pages lose nothing.
2. A page with ruling lines (thin paths or boxes) is a table page. Its tables are found by
   pdfplumber's table finder over a view built from pdfium (``pdf_fastpage``: path segments and
   character boxes), a few milliseconds a page; pages the view cannot serve (form XObjects) and
   the pages marked in 1 go through pdfplumber proper (one pdfminer layout for text and
   tables, doubled glyphs dropped).
3. ``pdf_layout`` assembles: tables continued on the next page are joined, captions, page
   numbers dropped, wrapped lines joined into paragraphs. ``meta['pdf_title']`` is the document
   title when it is a real one (also ``pdf_author``, ``pdf_created``, ``pdf_modified`` as
   written, e.g. ``D:20210128103000+08'00'``); ``doc.title`` the title line at the top of page 1.

A page with no text but an image (a scan) is read by OCR (``ocr``, the optional extra): its lines
and ruled tables join the other pages' items, and the document becomes an ``OcrDocument`` that
keeps every word's page, box and confidence for the evidence.

Errors: ``encrypted_pdf`` (a password is needed), ``truncated_pdf`` (the file cannot be
opened), ``image_only_pdf`` (pages but no text and no OCR: a scan; the message says how to enable
OCR). A page that fails is skipped with a warning in ``doc.warnings``.
"""
from __future__ import annotations

import ctypes
import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from . import pdfium_fonts  # noqa: F401 — before any document: PDFium with CJK fonts of our own
from ..document import Document
from ..errors import ParseError, UnreadableError
from ..settings import ParseSettings
from .budget import Deadline
from .lines import pick_title
from .ocr import ocr_scanned_pages, with_ocr_words
from .pdf_fastpage import FastPage, fast_page
from .pdf_recover import recover_chars
from .pdf_layout import assemble, page_items, strip_furniture
from .pdf_objects import PageObjects, page_objects
from .pdf_tables import PageTable, doubled_chars, drop_doubled_chars, page_tables
from .pdf_text import number_runs, repair_line, split_lines

__all__ = ["read_pdf"]


_TITLE_JUNK = {"", "untitled", "无标题", "microsoft word", "wps"}
# the base-14 fonts (and their Windows names) pdfium reads well without the font file
_STANDARD_FONTS = ("helvetica", "times", "courier", "symbol", "zapfdingbats", "arial", "timesnewroman")
_THIN = 2.5   # points: a path thinner than this is a rule
_MIN_RULE = 8.0


def read_pdf(data: bytes, settings: ParseSettings, deadline: Deadline) -> Document:
    pdf = _open(data)
    try:
        return _read(pdf, data, settings, deadline)
    finally:
        pdf.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise UnreadableError("the PDF is encrypted with a password", reason="encrypted_pdf") from exc
        raise UnreadableError(f"the PDF cannot be opened ({exc})", reason="truncated_pdf") from exc


class _Scan:
    """What the pdfium pass learned about each page."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.pages: list = []          # pypdfium2 pages (None when unreadable)
        self.textpages: list = []
        self.objects: list[PageObjects | None] = []  # each page's objects, walked once
        self.sizes: list[tuple[float, float]] = []
        self.lost: set[int] = set()    # pdfium lost text there: pdfplumber reads the page
        self.ruled: set[int] = set()   # ruling lines drawn: the page may hold tables


def _read(pdf: pdfium.PdfDocument, data: bytes, settings: ParseSettings, deadline: Deadline) -> Document:
    warnings: list[str] = []
    n_pages = len(pdf)
    if n_pages == 0:
        raise UnreadableError("the PDF has no readable page", reason="truncated_pdf")
    if n_pages > settings.max_pdf_pages:
        warnings.append(f"pdf: read the first {settings.max_pdf_pages} of {n_pages} pages")
        n_pages = settings.max_pdf_pages
    scan = _scan(pdf, n_pages, deadline, warnings)
    scanned, words = ocr_scanned_pages(scan, deadline, warnings)  # pages that are images: OCR
    if not any(t.strip() for t in scan.texts) and not scan.lost and not scanned:
        if all(p is None for p in scan.pages):
            raise UnreadableError("no page of the PDF can be read", reason="truncated_pdf")
        raise UnreadableError("the PDF holds no text (a scan?)", reason="image_only_pdf")
    pages, parts = _read_tables(data, scan, deadline, warnings, scanned)
    if not any(pages):
        raise UnreadableError("the PDF holds no text (a scan?)", reason="image_only_pdf")
    doc = assemble(pages, parts)
    if scanned:
        doc = with_ocr_words(doc, words, [i + 1 for i in sorted(scanned)])
    doc.warnings.extend(warnings)
    # where the numbers of the pages read from PDFium's text are drawn (ruled pages: their cells)
    doc.page_numbers = {i + 1: (scan.texts[i], number_runs(scan.texts[i], scan.textpages[i], scan.sizes[i][1]))
                        for i in range(len(scan.texts)) if i not in scan.ruled and i not in scan.lost}
    doc.title = pick_title(doc.text.split("\n", 8)[:8])
    info = pdf.get_metadata_dict(skip_empty=True)
    title = (info.get("Title") or "").strip()
    if title.lower() not in _TITLE_JUNK:
        doc.meta["pdf_title"] = title
    for key, name in (("Author", "pdf_author"), ("CreationDate", "pdf_created"), ("ModDate", "pdf_modified")):
        value = (info.get(key) or "").strip()
        if value and value.strip("()").lower() not in ("anonymous", "unknown", "untitled"):
            doc.meta[name] = value  # dates as the PDF writes them: D:20210128103000+08'00'
    return doc


def _scan(pdf, n_pages: int, deadline: Deadline, warnings: list[str]) -> _Scan:
    scan = _Scan()
    verdicts: dict = {}  # font handle -> misread? (handles are valid in this document only)
    for i in range(n_pages):
        deadline.check(f"PDF page {i + 1}")
        try:
            page = pdf[i]
            tp = page.get_textpage()
            text = tp.get_text_range()
            objects = page_objects(page)
            lost, ruled = _objects(objects, tp, verdicts)
            size = (page.get_width(), page.get_height())
        except pdfium.PdfiumError as exc:
            warnings.append(f"pdf: page {i + 1} could not be read ({exc})")
            page = tp = objects = None
            text, lost, ruled, size = "", False, False, (0.0, 0.0)
        scan.texts.append(text)
        scan.objects.append(objects)
        scan.pages.append(page)
        scan.textpages.append(tp)
        scan.sizes.append(size)
        if lost:
            scan.lost.add(i)
        if ruled:
            scan.ruled.add(i)
    return scan


def _objects(objects: PageObjects, tp, verdicts: dict) -> tuple[bool, bool]:
    """(text lost by pdfium, ruling lines or boxes drawn) of one page.

    Text is lost when a text object in a font that is not embedded has no text in pdfium's
    text page (pdfium drops some such objects; pdfplumber reads them).
    """
    lost = False
    for raw in objects.texts:
        if _misread_font(pdfium_c.FPDFTextObj_GetFont(raw), verdicts):
            # the size asked for an empty text is the terminating NUL alone (2 bytes)
            lost = pdfium_c.FPDFTextObj_GetText(raw, tp.raw, None, 0) <= 2
            if lost:
                break
    h = v = boxes = 0
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for raw in objects.paths:
        if not pdfium_c.FPDFPageObj_GetBounds(raw, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                              ctypes.byref(top)):
            raise pdfium.PdfiumError("Failed to locate pageobject.")
        w, ht = right.value - left.value, top.value - bottom.value
        if ht <= _THIN and w >= _MIN_RULE:
            h += 1
        elif w <= _THIN and ht >= _MIN_RULE:
            v += 1
        elif w >= _MIN_RULE and ht >= _MIN_RULE:
            # a box, or a whole grid drawn as one path of many segments
            boxes += 4 if pdfium_c.FPDFPath_CountSegments(raw) >= 8 else 1
    return lost, (h >= 3 and v >= 2) or boxes >= 4 or h >= 4


def _misread_font(font, verdicts: dict) -> bool:
    """A font pdfium may misread: not embedded, and not one of the standard Latin fonts."""
    if not font or pdfium_c.FPDFFont_GetIsEmbedded(font):
        return False
    key = ctypes.cast(font, ctypes.c_void_p).value
    if key not in verdicts:
        size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        buf = ctypes.create_string_buffer(max(size, 1))
        pdfium_c.FPDFFont_GetBaseFontName(font, buf, size)
        name = buf.value.decode("latin-1").split("+")[-1].lower()
        verdicts[key] = not name.startswith(_STANDARD_FONTS)
    return verdicts[key]


def _read_tables(data: bytes, scan: _Scan, deadline: Deadline, warnings: list[str], scanned: dict):
    """Per page its items (prose lines, table-part indexes); and every table part, in page order.
    ``scanned``: the items and table parts of the pages read by OCR."""
    items: list[list] = [[repair_line(ln) for ln in split_lines(t)] for t in scan.texts]
    found: dict[int, list[PageTable]] = {}
    views, slow = _recovered_views(data, scan, deadline, warnings)
    for i, view in views.items():
        found[i] = page_tables(view, i + 1, warnings=warnings) if i in scan.ruled else []
        items[i] = page_items(view, found[i], None, scan.sizes[i], use_plumber=True)
    for i in sorted(scan.ruled - scan.lost):
        deadline.check(f"PDF tables, page {i + 1}")
        view = fast_page(scan.pages[i], scan.textpages[i], objects=scan.objects[i]) if scan.pages[i] is not None else None
        if view is None:
            slow.append(i)
            continue
        found[i] = page_tables(view, i + 1, warnings=warnings)
        items[i] = page_items(view, found[i], scan.textpages[i], scan.sizes[i], use_plumber=False)
    if slow:
        _read_slow_pages(data, sorted(slow), scan, items, found, deadline, warnings)
    for i, (page_items_, page_parts) in scanned.items():
        items[i], found[i] = page_items_, page_parts
    # number the table parts in page order; a page's items hold its own parts' local indexes
    parts: list[PageTable] = []
    for i in range(len(items)):
        offset = len(parts)
        parts.extend(found.get(i, []))
        items[i] = [x if isinstance(x, str) else x + offset for x in items[i]]
    return [strip_furniture(p) for p in items], parts


def _recovered_views(data: bytes, scan: _Scan, deadline: Deadline, warnings: list[str]
                     ) -> tuple[dict[int, FastPage], list[int]]:
    """Views of the pages where pdfium lost text, their characters read back in rounds
    (``pdf_recover``, on a copy of the document: the rounds remove objects); and the pages that
    still need pdfminer (glyphs pdfium cannot read at all, form XObjects)."""
    views: dict[int, FastPage] = {}
    slow: list[int] = []
    if not scan.lost:
        return views, slow
    copy = pdfium.PdfDocument(data)
    try:
        for i in sorted(scan.lost):
            deadline.check(f"PDF page {i + 1} (lost text)")
            view = None
            try:
                page = copy[i]
                try:
                    chars = recover_chars(page)
                finally:
                    page.close()
                if chars is not None:
                    doubled = doubled_chars(chars)
                    view = fast_page(scan.pages[i], None, [c for c in chars if id(c) not in doubled], scan.objects[i])
            except pdfium.PdfiumError as exc:
                warnings.append(f"pdf: page {i + 1} lost text pdfium cannot read back ({exc})")
            if view is None:
                slow.append(i)
            else:
                views[i] = view
    finally:
        copy.close()
    return views, slow


def _read_slow_pages(data, wanted, scan, items, found, deadline, warnings) -> None:
    import pdfplumber

    pl = None
    try:
        pl = pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in wanted])
        plumber_pages = list(pl.pages)  # pages are parsed here, lazily: a damaged tree fails here
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        warnings.append(f"pdf: pages {wanted[0] + 1}… not read by pdfplumber ({type(exc).__name__}: {exc})")
        if pl is not None:
            pl.close()
        return
    try:
        for i, page in zip(wanted, plumber_pages):
            deadline.check(f"PDF page {i + 1} (pdfplumber)")
            try:
                page = drop_doubled_chars(page)
                found[i] = page_tables(page, i + 1, warnings=warnings) if i in scan.ruled else []
                items[i] = page_items(page, found[i], scan.textpages[i], scan.sizes[i], use_plumber=i in scan.lost)
            except ParseError:
                raise
            except Exception as exc:  # one bad page must not sink the document
                warnings.append(f"pdf: page {i + 1} not read by pdfplumber ({type(exc).__name__}: {exc})")
    finally:
        pl.close()
