"""A PDF report -> ``Document``, fast: pypdfium2 for all text, pdfplumber only where tables are.

Takes the bytes, ``settings.max_pdf_pages`` and the deadline. Every page's text comes from
pypdfium2 (about 50 times faster than pdfplumber, and it drops characters doubled by a fake
bold). A page goes to pdfplumber only when it probably holds a table: ruling lines drawn on it
(thin horizontal and vertical paths, or boxes) or template header words in its text
(``TABLE_CUES``). There pdfplumber's table finder reads the grids (``pdf_tables``), and the page
text is rebuilt from pypdfium2's text between the tables plus each table's rows, tab-joined.
A page where pdfium lost text (a text object in a font that is not embedded, left with no
text in pdfium's text page) is read by pdfplumber, duplicate characters removed. Tables continued on the next page are joined. ``meta['pdf_title']`` is the document
title when it is a real one.

Errors: ``encrypted_pdf`` (a password is needed), ``truncated_pdf`` (no page can be read),
``image_only_pdf`` (pages but no text: a scan). A page that fails is skipped with a warning.
"""
from __future__ import annotations

import ctypes
import io
import logging
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Document, Table
from ..errors import ParseError, UnreadableError
from ..settings import ParseSettings
from .budget import Deadline
from .pdf_tables import PageTable, drop_doubled_chars, join_continued, page_tables
from .lines import pick_title
from .pdf_text import join_wrapped, repair_line, split_lines, strip_page_furniture
from .sniff import PDF

__all__ = ["read_pdf", "TABLE_CUES"]

log = logging.getLogger(__name__)

#: words of the template tables' headers and rows: a page naming two of them holds a table
TABLE_CUES = ("信息内容", "本年新收", "申请人情况", "自然人", "予以公开", "不予公开", "行政复议", "行政诉讼",
              "结果维持", "结果纠正", "尚未审结", "本年制发", "现行有效", "处理决定", "本年新制作", "对外公开总数",
              "收费金额", "采购", "上一年项目", "指标", "单位", "数量", "统计")
_MIN_CUES = 2
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


def _read(pdf: pdfium.PdfDocument, data: bytes, settings: ParseSettings, deadline: Deadline) -> Document:
    warnings: list[str] = []
    n_pages = len(pdf)
    if n_pages == 0:
        raise UnreadableError("the PDF has no readable page", reason="truncated_pdf")
    if n_pages > settings.max_pdf_pages:
        warnings.append(f"pdf: read the first {settings.max_pdf_pages} of {n_pages} pages")
        n_pages = settings.max_pdf_pages
    texts: list[str] = []
    heights: list[tuple[float, float]] = []
    plumb: dict[int, bool] = {}   # page index -> needs pdfplumber for text (glyph-by-glyph)
    table_pages: dict[int, bool] = {}  # page index -> text cues present
    textpages = []
    verdicts: dict = {}  # font handle -> misread? (handles are only valid in this document)
    for i in range(n_pages):
        deadline.check(f"PDF page {i + 1}")
        try:
            page = pdf[i]
            tp = page.get_textpage()
            text = tp.get_text_range()
            n_chars = tp.count_chars()
            lost, rules = _objects(page, tp, verdicts)
        except pdfium.PdfiumError as exc:
            warnings.append(f"pdf: page {i + 1} could not be read ({exc})")
            texts.append("")
            textpages.append(None)
            heights.append((0.0, 0.0))
            continue
        texts.append(text)
        textpages.append(tp)
        heights.append((page.get_width(), page.get_height()))
        cues = sum(1 for c in TABLE_CUES if c in text) >= _MIN_CUES
        if lost:
            plumb[i] = True
        if rules or (cues and n_chars):
            table_pages[i] = cues
    if not any(t.strip() for t in texts) and not plumb:
        if all(tp is None for tp in textpages):
            raise UnreadableError("no page of the PDF can be read", reason="truncated_pdf")
        raise UnreadableError("the PDF holds no text (a scan?)", reason="image_only_pdf")

    pages_lines, tables = _with_plumber(data, texts, textpages, heights, plumb, table_pages, deadline, warnings)
    if not any(pages_lines):
        raise UnreadableError("the PDF holds no text (a scan?)", reason="image_only_pdf")
    doc = _assemble(pages_lines, tables)
    doc.warnings.extend(warnings)
    doc.title = pick_title(doc.text.split("\n", 8)[:8])
    title = (pdf.get_metadata_dict(skip_empty=True).get("Title") or "").strip()
    if title.lower() not in _TITLE_JUNK:
        doc.meta["pdf_title"] = title
    return doc


def _objects(page, tp, verdicts: dict) -> tuple[bool, bool]:
    """(text lost by pdfium, ruling lines or boxes drawn) of one page.

    Text is lost when a text object in a font that is not embedded has no text in pdfium's
    text page (pdfium drops some such objects; pdfplumber reads them).
    """
    h = v = boxes = 0
    lost = False
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH)):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            if not lost and _misread_font(pdfium_c.FPDFTextObj_GetFont(obj.raw), verdicts):
                # the size asked for an empty text is the terminating NUL alone (2 bytes)
                lost = pdfium_c.FPDFTextObj_GetText(obj.raw, tp.raw, None, 0) <= 2
            continue
        left, bottom, right, top = obj.get_bounds()
        w, ht = right - left, top - bottom
        if ht <= _THIN and w >= _MIN_RULE:
            h += 1
        elif w <= _THIN and ht >= _MIN_RULE:
            v += 1
        elif w >= _MIN_RULE and ht >= _MIN_RULE:
            boxes += 1
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


# a page's items: a prose line (str) or the index of a table part in the list of parts found
Item = "str | int"


def _with_plumber(data, texts, textpages, sizes, plumb, table_pages, deadline, warnings):
    """Per page: its items (prose lines and table-part indexes); and every table part found."""
    pages: list[list] = [[repair_line(ln) for ln in split_lines(t)] for t in texts]
    parts: list[PageTable] = []
    wanted = sorted(set(plumb) | set(table_pages))
    if not wanted:
        return [_strip(p) for p in pages], parts
    import pdfplumber

    try:
        pl = pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in wanted])
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        warnings.append(f"pdf: tables not read ({type(exc).__name__}: {exc})")
        return [_strip(p) for p in pages], parts
    try:
        for i, page in zip(wanted, pl.pages):
            deadline.check(f"PDF tables, page {i + 1}")
            try:
                page = drop_doubled_chars(page)
                found = page_tables(page, i + 1) if i in table_pages else []
                pages[i] = _page_items(page, found, len(parts), textpages[i], sizes[i], i in plumb)
                parts.extend(found)
            except ParseError:
                raise
            except Exception as exc:  # one bad page must not sink the document
                warnings.append(f"pdf: page {i + 1} tables not read ({type(exc).__name__}: {exc})")
    finally:
        pl.close()
    return [_strip(p) for p in pages], parts


def _strip(items: list) -> list:
    """Page numbers off a page's first and last prose lines."""
    lines = [x for x in items if isinstance(x, str)]
    kept = strip_page_furniture(lines)
    if len(kept) == len(lines):
        return items
    head = lines.index(kept[0]) if kept else len(lines)
    drop = set(range(head)) | set(range(head + len(kept), len(lines)))
    out, k = [], 0
    for x in items:
        if isinstance(x, str):
            if k not in drop:
                out.append(x)
            k += 1
        else:
            out.append(x)
    return out


def _page_items(page, found: list[PageTable], first_index: int, tp, size, use_plumber: bool) -> list:
    """A table page's items: the text lines between the tables, and each table's index."""
    width, height = size

    plumber_lines = None
    if use_plumber or tp is None:
        # one layout pass for the whole page; each band takes its lines by position
        plumber_lines = [(ln["top"], ln["text"]) for ln in page.extract_text_lines(return_chars=False)]

    def band(top: float, bottom: float) -> list:
        if bottom - top < 1:
            return []
        if plumber_lines is not None:
            text = "\n".join(t for y, t in plumber_lines if top <= y < bottom)
        else:
            text = tp.get_text_bounded(left=0, bottom=height - bottom, right=width, top=height - top)
        return [repair_line(ln) for ln in split_lines(text)]

    items: list = []
    y = 0.0
    for k, t in enumerate(found):
        items += band(y, t.top - 0.5)
        items.append(first_index + k)
        y = t.bottom + 0.5
    items += band(y, page.height)
    return items


def _assemble(pages: list[list], parts: list[PageTable]) -> Document:
    # join table parts run on across a page break; owner[k] = index of the joined table of part k
    joined: list[PageTable] = []
    owner: dict[int, int] = {}
    for k, part in enumerate(parts):
        merged = None
        if joined and _nothing_between(k - 1, k, parts, pages):
            merged = join_continued(joined[-1], part)
        if merged is not None:
            joined[-1] = merged
        else:
            joined.append(part)
        owner[k] = len(joined) - 1
    first_part = {j: min(k for k, o in owner.items() if o == j) for j in set(owner.values())}
    captions: dict[int, str] = {}
    doc_lines: list[tuple[str, bool]] = []
    last_prose, after_table = "", False
    for items in pages:
        for x in items:
            if isinstance(x, str):
                doc_lines.append((x, False))
                last_prose, after_table = x, False
                continue
            j = owner[x]
            if first_part[j] == x:
                captions[j] = "" if after_table else last_prose
                doc_lines += [("\t".join(row), True) for row in joined[j].grid]
            after_table = True
    tables = [Table(grid=t.grid, index=j, page=t.page, row_pages=list(t.row_pages), caption=captions.get(j, ""))
              for j, t in enumerate(joined)]
    page_texts = ["\n".join(join_wrapped(_page_lines(items, parts))) for items in pages]
    return Document(text="\n".join(join_wrapped(doc_lines)), media_type=PDF, tables=tables,
                    page_texts=page_texts)


def _page_lines(items: list, parts: list[PageTable]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for x in items:
        if isinstance(x, str):
            out.append((x, False))
        else:
            out += [("\t".join(row), True) for row in parts[x].grid]
    return out


def _nothing_between(a: int, b: int, parts: list[PageTable], pages: list[list]) -> bool:
    """Part ``a`` ends its page and part ``b`` opens the next: one table run on."""
    pa, pb = parts[a], parts[b]
    if pb.page != pa.page + 1:
        return False
    items_a, items_b = pages[pa.page - 1], pages[pb.page - 1]
    return bool(items_a) and items_a[-1] == a and bool(items_b) and items_b[0] == b
