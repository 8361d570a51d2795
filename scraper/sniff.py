"""Content-type sniffing: what the bytes are, beside what the server declared.

``sniff_media_type(body, declared)`` looks at magic numbers (PDF, ZIP-based Office files, OLE2
Office files, images) and markup (HTML, XML, JSON) and returns a media type; when nothing matches
it falls back to the declared type, then ``application/octet-stream``. ``split_content_type``
parses a Content-Type header into (media type, charset).
"""
from __future__ import annotations

import re

__all__ = ["sniff_media_type", "split_content_type", "DOCX", "XLSX", "DOC", "XLS"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

# (prefix, media type): checked in order on the raw first bytes
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"{\\rtf", "application/rtf"),
)
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# OLE2 stream names, UTF-16LE, that tell Word from Excel
_OLE_WORD = "WordDocument".encode("utf-16-le")
_OLE_EXCEL = "Workbook".encode("utf-16-le")
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|script|div|table|p\b|link|style)",
    re.I | re.S)
_HTML_ANYWHERE = re.compile(rb"<html[\s>]|<body[\s>]|<table[\s>]", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def split_content_type(header: str | None) -> tuple[str | None, str | None]:
    """``'text/html; charset=GBK'`` -> ``('text/html', 'gbk')``."""
    if not header:
        return None, None
    parts = [p.strip() for p in header.split(";")]
    media = parts[0].lower() or None
    charset = None
    for p in parts[1:]:
        key, _, val = p.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media, charset


def _zip_kind(body: bytes) -> str:
    if b"word/" in body:
        return DOCX
    if b"xl/" in body:
        return XLSX
    return "application/zip"


def _ole_kind(body: bytes) -> str:
    if _OLE_WORD in body:
        return DOC
    if _OLE_EXCEL in body:
        return XLS
    return "application/x-ole-storage"


def sniff_media_type(body: bytes, declared: str | None = None) -> str:
    """The media type the bytes show, else the declared one, else octet-stream."""
    for magic, media in _MAGIC:
        if body.startswith(magic):
            return media
    if body.startswith(_ZIP):
        return _zip_kind(body)
    if body.startswith(_OLE2):
        return _ole_kind(body)
    head = body[:2048]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if head.startswith(b"\x00") or head[1:2] == b"\x00":
        return declared or "application/octet-stream"   # UTF-16 text: leave it to the declaration
    if _HTML_START.match(head):
        return "text/html"
    stripped = head.lstrip()
    if stripped.startswith(b"<?xml"):
        return "text/html" if _HTML_ANYWHERE.search(head) else "application/xml"
    if stripped[:1] in (b"{", b"[") and declared in (None, "application/json", "text/plain",
                                                     "text/javascript", "application/javascript"):
        return "application/json"
    if _HTML_ANYWHERE.search(head):
        return "text/html"
    return declared or "application/octet-stream"
