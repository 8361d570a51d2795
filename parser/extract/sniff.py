"""What kind of file these bytes are, from the bytes first and the declared type second.

``sniff_media_type(data, declared)`` returns one of ``MEDIA_TYPES`` or raises
``UnreadableError`` (reason ``unsupported_format``, ``binary``). Every OLE2 file is ``DOC``: the
.doc reader tells Word from WPS, Excel and encrypted containers by their streams. Magic
numbers win over a declared type (a server calls an HTML error page ``application/pdf``); the
declared type only separates HTML from plain text. Reads at most the first 64 KiB, so junk of
any size is refused at once.
"""
from __future__ import annotations

import re

from ..errors import UnreadableError

__all__ = ["sniff_media_type", "MEDIA_TYPES", "PDF", "DOCX", "DOC", "HTML", "TEXT"]

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"  # OLE2: Word 97-2003 .doc, .wps
HTML = "text/html"
TEXT = "text/plain"
MEDIA_TYPES = (PDF, DOCX, DOC, HTML, TEXT)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEAD = 64 * 1024
_HTML_MARK = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|span|br|h[1-6])[\s>/]",
                        re.IGNORECASE)
# share of a text sample that may be control bytes before it is called binary
_MAX_CONTROL_SHARE = 0.02
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def sniff_media_type(data: bytes, declared: str | None = None) -> str:
    head = data[:_HEAD]
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if head.startswith(_OLE2):
        return DOC
    if head.startswith(b"{\\rtf"):
        raise UnreadableError("an RTF file is not supported", reason="unsupported_format")
    if not _looks_like_text(head):
        raise UnreadableError("binary data of no known format", reason="binary")
    if _HTML_MARK.search(head):
        return HTML
    declared_type = (declared or "").split(";")[0].strip().lower()
    if declared_type in ("text/html", "application/xhtml+xml"):
        return HTML
    return TEXT


def _sniff_zip(data: bytes) -> str:
    from .zipguard import open_zip  # member count and sizes checked before the directory is read

    with open_zip(data) as zf:  # a damaged container: UnreadableError truncated_zip
        names = set(zf.namelist())
    if "word/document.xml" in names:
        return DOCX
    raise UnreadableError("a ZIP file that is not a DOCX document", reason="unsupported_format")


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return True
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(head):
        return False
    # random bytes have almost no valid multi-byte run; real GB or UTF-8 text is mostly valid
    sample = head[:8192]
    for enc in ("utf-8", "gb18030", "big5"):
        try:
            sample.decode(enc)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # the sample cut a character in two
                return True
    return sum(1 for b in sample if b < 128) > 0.9 * len(sample)
