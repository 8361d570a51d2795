"""The characters pdfium's text page dropped, read back from pdfium instead of pdfminer.

pdfium's text page drops a text object that repeats the text of one of the five before it
(its fake-bold filter). With a font that is not embedded (reportlab's STSong-Light and other
CID fonts) every glyph box is flat, so any earlier object with the same text counts as
"the same" and whole lines and repeated table cells vanish. ``recover_chars(page)`` reads
the page in rounds on a page of a second copy of the document: each round's text page
gives the characters of the objects it kept, those objects are removed, and the next round
reads the rest, until every text object has given its text. A fake bold recovered this way
sits on its original and is dropped later (``pdf_tables.doubled_chars``). Returns None when
an object gives no text even alone (pdfium cannot read its glyphs at all): that page needs
pdfminer. Costs a few milliseconds a page, where a pdfminer layout costs tens. (With the CJK fonts
``pdfium_fonts`` gives PDFium, glyph boxes are real: only a true fake bold is dropped.)
"""
from __future__ import annotations

import pypdfium2.raw as pdfium_c

from .pdf_fastpage import page_chars

__all__ = ["recover_chars", "MAX_ROUNDS"]

#: rounds before giving up (each peels one layer of repeats: "0" cells in a row need a few)
MAX_ROUNDS = 12


def _has_text(obj, tp) -> bool:
    # the size asked for an empty text is the terminating NUL alone (2 bytes)
    return pdfium_c.FPDFTextObj_GetText(obj, tp, None, 0) > 2


def _text_objects(raw) -> list:
    objects = (pdfium_c.FPDFPage_GetObject(raw, k) for k in range(pdfium_c.FPDFPage_CountObjects(raw)))
    return [o for o in objects if pdfium_c.FPDFPageObj_GetType(o) == pdfium_c.FPDF_PAGEOBJ_TEXT]


def recover_chars(page) -> list[dict] | None:
    """Every character of ``page`` (a page of a document copy this call may change), or None.

    The page must hold no form XObject (their text objects are not on the page's own list).
    """
    height = page.get_height()
    raw = page.raw
    chars: list[dict] = []
    for _ in range(MAX_ROUNDS):
        tp = page.get_textpage()
        try:
            texts = _text_objects(raw)
            read = [o for o in texts if _has_text(o, tp.raw)]
            chars.extend(page_chars(tp, height))
        finally:
            tp.close()
        if len(read) == len(texts):
            return chars
        if not read:
            return None     # what is left gives no text even alone
        for obj in read:
            if pdfium_c.FPDFPage_RemoveObject(raw, obj):
                pdfium_c.FPDFPageObj_Destroy(obj)
    return None
