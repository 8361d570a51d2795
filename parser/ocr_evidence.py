"""Numbers read by OCR: their evidence says so, and doubtful ones are findings (never trusted silently).

``mark_ocr_evidence(record, doc) -> list[Finding]`` takes a parsed record and its ``OcrDocument``
(``parser.extract.ocr``). Every metric read from a page or image that OCR read gets
``Evidence(where="ocr")`` with its page, the box of the words that hold it (PDF points, top-left
origin; an embedded image's own pixels) and the recogniser's lowest confidence over those words.
Findings (rule names documented in SCHEMA.md's list through ``OCR_RULES``):

- ``ocr.low_confidence`` (warning): a number read below ``OCR_MIN_CONFIDENCE``: check it on the image.
- ``ocr.rule_failed`` (warning): a consistency rule failed on numbers read by OCR: one of them is
  probably misread (the rule's own finding gives the sums).
- ``ocr.sign_unsure`` (warning): a signed number (a ``*.change`` column, 本年增减) read by OCR as 0 or
  more: a minus sign is a short stroke the recogniser drops with full confidence, and no rule checks it.
- ``ocr.read`` (info): how many numbers were read by OCR, from which pages.
Pure: no I/O. Derived metrics keep their ``derived`` evidence.
"""
from __future__ import annotations

import re

from .document import Document
from .record import Evidence, Finding, Record

__all__ = ["review_ocr", "mark_ocr_evidence", "ocr_findings", "OCR_MIN_CONFIDENCE", "OCR_RULES"]

OCR_MIN_CONFIDENCE = 0.8
OCR_RULES = {
    "ocr.low_confidence": "a number read by OCR below the confidence threshold (check it on the page image)",
    "ocr.rule_failed": "a consistency rule failed on numbers read by OCR (one of them is probably misread)",
    "ocr.sign_unsure": "a change (本年增减) read by OCR without a minus sign: the short stroke is easily lost",
    "ocr.read": "how many numbers were read by OCR, and from which pages",
}
_SIGNED = (".change",)  # keys whose numbers may be negative (本年增减)
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def review_ocr(record: Record, doc: Document, rule_findings: list[Finding]) -> list[Finding]:
    """The pipeline's hook: mark the OCR evidence of ``record``, return its OCR findings."""
    if not getattr(doc, "ocr_words", None) and not getattr(doc, "ocr_tables", None):
        return []
    mark_ocr_evidence(record, doc)
    return ocr_findings(record, rule_findings)


def mark_ocr_evidence(record: Record, doc: Document) -> None:
    """Turn the evidence of every metric read from OCR text into ``where="ocr"`` evidence."""
    words = list(getattr(doc, "ocr_words", ()) or ())
    pages = set(getattr(doc, "ocr_pages", ()) or ())
    image_tables: dict = getattr(doc, "ocr_tables", None) or {}
    # prose evidence names no page: it is OCR's when every page was read by OCR, or an OCR line holds it
    all_ocr = bool(pages) and len(pages) >= len(doc.page_texts)
    for key, ev in record.evidence.items():
        if ev.where == "derived":
            continue
        from_image = ev.where == "table" and ev.table in image_tables
        unpaged = ev.page is None and ev.where == "text" and bool(pages)
        if not from_image and not (ev.page in pages or unpaged):
            continue
        value = record.metrics.get(key)
        held = _words_holding(image_tables[ev.table] if from_image else words, ev, value)
        if unpaged and not all_ocr and not (held and value is not None
                                            and _in_snippet(held[0], ev, _number_text(value))):
            continue
        ev.where = "ocr"
        if held:
            ev.confidence = min(w.confidence for w in held)
            if ev.bbox is None:
                ev.bbox = (min(w.bbox[0] for w in held), min(w.bbox[1] for w in held),
                           max(w.bbox[2] for w in held), max(w.bbox[3] for w in held))
            if ev.page is None:
                ev.page = held[0].page
        else:
            ev.confidence = 0.0  # read from OCR text whose words cannot be told: as doubtful as it gets


def ocr_findings(record: Record, rule_findings: list[Finding]) -> list[Finding]:
    """The OCR findings of a record whose evidence ``mark_ocr_evidence`` has marked."""
    ocr_keys = {k for k, ev in record.evidence.items() if ev.where == "ocr"}
    if not ocr_keys:
        return []
    out: list[Finding] = []
    for key in sorted(ocr_keys):
        ev = record.evidence[key]
        if ev.confidence is not None and ev.confidence < OCR_MIN_CONFIDENCE:
            out.append(Finding("ocr.low_confidence", "warning",
                               f"{key} = {record.metrics.get(key)} read by OCR with confidence {ev.confidence:.2f}"
                               f" (below {OCR_MIN_CONFIDENCE}): check it on page {ev.page}",
                               {key: record.metrics.get(key), "confidence": round(ev.confidence, 3),
                                "page": ev.page, "bbox": list(ev.bbox) if ev.bbox else None}))
    for key in sorted(k for k in ocr_keys if k.endswith(_SIGNED) and (record.metrics.get(k) or 0) >= 0):
        ev = record.evidence[key]
        if ev.confidence is not None and ev.confidence >= OCR_MIN_CONFIDENCE:
            out.append(Finding("ocr.sign_unsure", "warning",
                               f"{key} = {record.metrics.get(key)} read by OCR: check on page {ev.page} that no minus "
                               f"sign was lost", {key: record.metrics.get(key), "page": ev.page}))
    for f in rule_findings:
        involved = sorted(k for k in f.values if k in ocr_keys)
        if involved:
            out.append(Finding("ocr.rule_failed", "warning",
                               f"{f.rule} failed on numbers read by OCR ({', '.join(involved)}): "
                               "one is probably misread",
                               {k: f.values[k] for k in involved}))
    pages = sorted({record.evidence[k].page for k in ocr_keys if record.evidence[k].page is not None})
    out.append(Finding("ocr.read", "info", f"{len(ocr_keys)} numbers read by OCR"
                       + (f" from pages {', '.join(map(str, pages))}" if pages else " from images"),
                       {"count": len(ocr_keys), "pages": pages}))
    return out


def _words_holding(words, ev: Evidence, value) -> list:
    if ev.bbox is not None:
        x0, top, x1, bottom = ev.bbox
        inside = [w for w in words if w.page == ev.page
                  and x0 <= w.centre[0] <= x1 and top <= w.centre[1] <= bottom]
        if inside:
            return inside
    if value is None:
        return []
    # prose (or a cell without a box): the words on the page that hold the number, the snippet's first
    text = _number_text(value)
    candidates = [w for w in words if (ev.page is None or w.page == ev.page)
                  and text in _DIGITS.findall(w.text.replace(",", "").replace("，", ""))]
    near = [w for w in candidates if _in_snippet(w, ev, text)]
    chosen = near or candidates
    return chosen[:1] if len(chosen) == 1 or near else ([min(chosen, key=lambda w: w.confidence)] if chosen else [])


def _in_snippet(word, ev: Evidence, number: str | None = None) -> bool:
    """The OCR line and the evidence's sentence share the number with the words just before it
    (a sentence may run over two lines, a line hold two sentences)."""
    snippet = ev.snippet or ""
    if not snippet:
        return False
    if word.text in snippet or snippet in word.text:
        return True
    for m in re.finditer(re.escape(number or ""), word.text) if number else ():
        context = word.text[max(0, m.start() - 4):m.end()]
        if len(context) > len(number) and context in snippet:
            return True
    return False


def _number_text(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
