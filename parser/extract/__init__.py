"""Readers: bytes -> ``parser.document.Document`` (the contract every later stage reads).

    extract(data, media_type=None, url=None, settings=None) -> Document

Sniffs the file type from the bytes (``sniff.py``; a declared type only breaks the tie between
HTML and plain text), refuses what cannot be read before doing work (empty, over
``settings.max_bytes``, junk) and hands the bytes to one reader: ``html``
(+ ``html_content``, ``html_flow``, ``html_tables``, and ``html_embedded`` + ``js_object`` for a report
carried only as JSON in a page's ``window._CONFIG``, as gkmlpt details are), ``pdf`` (+ ``pdf_fastpage``,
``pdf_recover``, ``pdf_tables``, ``pdf_open_tables``, ``pdf_layout``, ``pdf_text``), ``docx``,
``doc`` (+ ``doc_binary``, ``doc_tables``: Word 97–2003 .doc and .wps in that format) or ``text``.
Shared helpers: ``decode`` (charsets), ``labels`` (the one byline/label parser), ``lines``
(titles, breadcrumbs), ``cjk`` (whitespace folding). Reads ``settings.max_bytes``,
``settings.time_budget`` (a cooperative ``Deadline`` the readers check between pages and
tables) and ``settings.max_pdf_pages``.

Contract with later stages (kept stable):
- ``Table.grid``: rows of strings, spans expanded (a merged cell's text in every slot), rectangular;
  ``Table.caption`` the paragraph just before the table ("" when a table comes right before);
  ``Table.page`` the 1-based PDF page it starts on (None elsewhere), ``Table.row_pages`` each
  row's page. A PDF table run on across a page break is one Table, its repeated header dropped.
- ``Document.text``: content in reading order, one paragraph a line, each table as one line per
  row with cells joined by a tab. ``page_texts``: the same per PDF page.
- ``Document.meta``: ``<meta>`` names lower-cased (``articletitle``, ``pubdate``, ``sitename``…),
  ``html_title``, ``charset``; byline and metadata-table labels without inner spaces (``发布日期``,
  ``发布时间``, ``来源``, ``索引号``, ``发文日期``…); ``pdf_title``, ``pdf_author``, ``pdf_created``;
  ``docx_title``, ``docx_author``, ``docx_created``; ``doc_title``, ``doc_author``, ``doc_created``.
- ``Document.title``: the content's own title line when one is clear, else None.
Errors: ``UnreadableError`` (reason ``empty``, ``too_large``, ``unsupported_format``, ``binary``,
``truncated_zip``, ``damaged_docx``, ``encrypted_doc``, ``damaged_doc``, ``word95_unsupported``,
``wps_unsupported``, ``encrypted_pdf``,
``truncated_pdf``, ``image_only_pdf``) and ``ParseTimeoutError``.
"""
from __future__ import annotations

import logging

from ..document import Document
from ..errors import UnreadableError
from ..settings import ParseSettings
from .budget import Deadline
from .script import TRADITIONAL, detect_script, simplify_document, to_simplified
from .sniff import DOC, DOCX, HTML, PDF, TEXT, sniff_media_type

__all__ = ["extract", "sniff_media_type", "Deadline"]

log = logging.getLogger(__name__)


def extract(data: bytes, media_type: str | None = None, url: str | None = None,
            settings: ParseSettings | None = None) -> Document:
    settings = ParseSettings.resolve(settings)
    if not data:
        raise UnreadableError("the file is empty", reason="empty")
    if len(data) > settings.max_bytes:
        raise UnreadableError(f"the file has {len(data)} bytes, over the limit of {settings.max_bytes}",
                              reason="too_large")
    deadline = Deadline(settings.time_budget)
    kind = sniff_media_type(data, media_type)
    doc = _read(data, kind, media_type, url, settings, deadline)
    if detect_script(doc.text or doc.title or "") == TRADITIONAL:
        doc = _simplified(doc, data, kind, media_type, url, settings, deadline)
    doc.url = url
    return doc


def _read(data: bytes, kind: str, media_type: str | None, url: str | None, settings: ParseSettings,
          deadline: Deadline) -> Document:
    if kind == PDF:
        from .pdf import read_pdf
        doc = read_pdf(data, settings, deadline)
    elif kind == DOCX:
        from .docx import read_docx
        doc = read_docx(data, deadline)
    elif kind == DOC:
        from .doc import read_doc
        doc = read_doc(data, deadline)
    elif kind == HTML:
        from .html import read_html
        doc = read_html(data, url, _declared_charset(media_type), deadline)
    else:
        from .text import read_text
        doc = read_text(data, _declared_charset(media_type), deadline)
    return doc


def _simplified(doc: Document, data: bytes, kind: str, media_type: str | None, url: str | None,
                settings: ParseSettings, deadline: Deadline) -> Document:
    """A traditional document in simplified characters, its text as written kept in ``original_text``.

    A page or a text file is read again from its converted text, so the readers' own steps
    (title line, bylines such as 發佈日期, breadcrumbs) see simplified words; a PDF, DOCX or DOC
    has its read fields converted.
    """
    if kind not in (HTML, TEXT):
        return simplify_document(doc)
    from .decode import decode_bytes

    text, _ = decode_bytes(data, _declared_charset(media_type), html=kind == HTML)
    converted = to_simplified(text).encode("utf-8")
    again = _read(converted, kind, f"{kind}; charset=utf-8", url, settings, deadline)
    # not converted twice: t2s is not idempotent on its own output (於潛 -> 於潜 -> 于潜)
    again.original_text, again.script = doc.text, TRADITIONAL
    again.meta["charset"] = doc.meta.get("charset", again.meta.get("charset", ""))
    if len(again.attachments) == len(doc.attachments):  # hrefs as the page wrote them (a file name in 繁體)
        again.attachments = [(label, href) for (label, _), (_, href) in zip(again.attachments, doc.attachments)]
    return again


def _declared_charset(media_type: str | None) -> str | None:
    # "text/html; charset=GBK" -> "GBK"
    for part in (media_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
