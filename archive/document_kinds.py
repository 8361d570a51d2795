"""Which files `xxgk import` takes: documents, told by their content, never by their name.

``document_kind(path)`` reads a file's first bytes (and a ZIP's or OLE2 container's list of
members) and returns a ``Kind``: a document kind with its media type, or ``None`` with the reason
the file is no document. Documents are what a report (or its 附表) is published as:

    html  an HTML page (a saved web page, .shtml, .jsp, or no extension at all)
    pdf   a PDF
    doc   Word 97-2003 (OLE2 with a WordDocument stream; also a .wps saved in that format)
    docx  Word 2007+ (a ZIP holding word/document.xml)
    wps   a WPS/Works file in its own format (OLE2 with CONTENTS or WksSSWorkBook)
    xls   Excel 97-2003 (OLE2 with a Workbook stream)
    xlsx  Excel 2007+ (a ZIP holding xl/workbook.xml)
    txt   plain text that reads as prose: not JSON, XML, CSS, JavaScript or CSV data

Everything else is skipped with its reason: images, fonts, style sheets, scripts, JSON, XML, CSV
data, archives, audio and video, executables, binary data of no known kind, empty files. A file
named ``report.txt`` holding JSON is JSON; a file named ``data.json`` holding a report's text is
text. Reads at most ``HEAD`` bytes of a file (plus a container's directory). No settings.
"""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Kind", "DOCUMENT_KINDS", "document_kind", "kind_of_bytes", "HEAD"]

HEAD = 64 * 1024

DOCUMENT_KINDS = {
    "html": "text/html",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "wps": "application/vnd.ms-works",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
}


@dataclass(frozen=True, slots=True)
class Kind:
    kind: str | None  # a key of DOCUMENT_KINDS, or None: not a document
    reason: str = ""  # why not a document ("an image (PNG)")

    @property
    def is_document(self) -> bool:
        return self.kind is not None

    @property
    def media_type(self) -> str | None:
        return DOCUMENT_KINDS.get(self.kind or "")


# binary signatures of what is never a document: (prefix, offset, what it is)
_NOT_DOCUMENTS = (
    (b"\x89PNG\r\n\x1a\n", 0, "an image (PNG)"),
    (b"\xff\xd8\xff", 0, "an image (JPEG)"),
    (b"GIF87a", 0, "an image (GIF)"),
    (b"GIF89a", 0, "an image (GIF)"),
    (b"BM", 0, None),  # BMP: checked below (two letters are too common alone)
    (b"II*\x00", 0, "an image (TIFF)"),
    (b"MM\x00*", 0, "an image (TIFF)"),
    (b"\x00\x00\x01\x00", 0, "an icon (ICO)"),
    (b"wOFF", 0, "a font (WOFF)"),
    (b"wOF2", 0, "a font (WOFF2)"),
    (b"OTTO", 0, "a font (OpenType)"),
    (b"\x00\x01\x00\x00\x00", 0, "a font (TrueType)"),
    (b"\x1f\x8b", 0, "a compressed archive (gzip)"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a compressed archive (7z)"),
    (b"Rar!\x1a\x07", 0, "a compressed archive (RAR)"),
    (b"BZh", 0, "a compressed archive (bzip2)"),
    (b"\xfd7zXZ\x00", 0, "a compressed archive (xz)"),
    (b"MZ", 0, "a program (Windows executable)"),
    (b"\x7fELF", 0, "a program (ELF executable)"),
    (b"ID3", 0, "audio (MP3)"),
    (b"OggS", 0, "audio or video (Ogg)"),
    (b"fLaC", 0, "audio (FLAC)"),
    (b"ftyp", 4, "video (MP4/MOV)"),
    (b"\x1aE\xdf\xa3", 0, "video (WebM/MKV)"),
    (b"FLV", 0, "video (FLV)"),
    (b"SQLite format 3\x00", 0, "a database (SQLite)"),
    (b"{\\rtf", 0, "an RTF file (save it as DOC, DOCX or PDF to import it)"),
    (b"%!PS", 0, "a PostScript file"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta\s|title|frameset|table|div|p|br)[\s>/]",
                   re.IGNORECASE)
_SVG = re.compile(rb"<svg[\s>]", re.IGNORECASE)
_XML = re.compile(r"^\s*<\?xml|^\s*<(?:rss|feed|urlset|sitemapindex|kml|gpx)[\s>]", re.IGNORECASE)
_JS = re.compile(r"^\s*(?:/\*!|\"use strict\"|'use strict'|\(function|!function|;\(function|function\s*[\w$]*\s*\(|"
                 r"(?:var|let|const)\s+[\w$]+\s*=|import\s+[\w{*]|export\s+(?:default|const|function)|"
                 r"(?:window|document|jQuery|\$)\s*[.(]|define\(|require\(|module\.exports)")
# a rule: a brace after a selector (any non-brace character), a declaration, the closing brace. Found
# from the brace, as a scan for a selector first costs 200 steps a character in text without braces
_CSS_RULE = re.compile(r"(?<=[^{}])\{\s*[-\w]+\s*:[^{}]*\}")
_CSS_START = re.compile(r"^\s*(?:@charset|@import|@media|@font-face|:root|\*\s*\{|(?:html|body|a|div|ul|li|p|h[1-6]|"
                        r"table|img|input)\s*[,{]|[.#][-\w]+\s*[,{:])", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def document_kind(path: Path) -> Kind:
    """What this file is, from its bytes. An unreadable file raises OSError (the caller records it)."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(_OLE2):
        return _ole_kind(path)
    return kind_of_bytes(head)


def kind_of_bytes(head: bytes) -> Kind:
    """The kind of a file from its first bytes (ZIP and OLE2 containers: by their members when
    given whole, else as the common case, DOCX and DOC)."""
    if not head:
        return Kind(None, "an empty file")
    if b"%PDF-" in head[:1024]:
        return Kind("pdf")
    if head.startswith(b"PK\x03\x04"):
        return Kind("docx")
    if head.startswith(_OLE2):
        return Kind("doc")
    for magic, offset, what in _NOT_DOCUMENTS:
        if head[offset:offset + len(magic)] == magic:
            if magic == b"BM":
                if len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00":
                    return Kind(None, "an image (BMP)")
                continue
            return Kind(None, what or "binary data")
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return Kind(None, {b"WEBP": "an image (WebP)", b"WAVE": "audio (WAV)", b"AVI ": "video (AVI)"}[head[8:12]])
    text = _decode(head)
    if text is None:
        return Kind(None, "binary data of no document kind")
    return _text_kind(text, head)


def _decode(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16")
        except UnicodeDecodeError:
            return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    if b"\x00" in head[:4096]:
        return None
    for enc in ("utf-8-sig", "gb18030", "big5"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # the sample cut a character in two
                text = head[:exc.start].decode(enc, errors="replace")
            else:
                continue
        if len(_CONTROL.findall(text[:8192])) > 0.02 * max(1, len(text[:8192])):
            return None
        return text
    return None


def _text_kind(text: str, head: bytes) -> Kind:
    start = text.lstrip("\ufeff \t\r\n")
    if _HTML.search(head[:HEAD]) and not _SVG.match(head.lstrip()):
        return Kind("html")
    if _SVG.search(head[:2048]) and not _HTML.search(head[:2048]):
        return Kind(None, "an image (SVG)")
    if _XML.match(start):
        return Kind(None, "XML data")
    if start[:1] in ("{", "[") and _is_json(start, complete=len(head) < HEAD):
        return Kind(None, "JSON data")
    if _JS.match(start):
        return Kind(None, "a script (JavaScript)")
    if _CSS_START.match(start) or len(_CSS_RULE.findall(start[:4000])) >= 2 and not _prose(start):
        return Kind(None, "a style sheet (CSS)")
    if _is_csv(start):
        return Kind(None, "CSV data (a table of values, not a document)")
    return Kind("txt")


def _is_json(text: str, complete: bool) -> bool:
    if complete:
        try:
            json.loads(text)
            return True
        except ValueError:
            return False
    # a long file read in part: JSON punctuation in its opening
    return bool(re.match(r'^[\[{]\s*(?:"[^"\n]{0,200}"\s*:|[\[{"\d-]|true|false|null|\])', text))


def _prose(text: str) -> bool:
    sample = "".join(text[:4000].split())
    return bool(sample) and len(_CJK.findall(sample)) >= 0.3 * len(sample)


def _is_csv(text: str) -> bool:
    lines = [ln for ln in text[:8000].splitlines() if ln.strip()][:40]
    if len(lines) < 3:
        return False
    for sep in (",", "\t", ";"):
        counts = [ln.count(sep) for ln in lines[:-1]]  # the last line may be cut
        if counts and min(counts) >= 2 and len(set(counts)) == 1 and not _prose(text):
            return True
    return False


def _zip_kind(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # a damaged container that starts like one: let the parser say what is wrong with it
        return Kind("docx")
    if "word/document.xml" in names:
        return Kind("docx")
    if "xl/workbook.xml" in names:
        return Kind("xlsx")
    if "ppt/presentation.xml" in names:
        return Kind(None, "a presentation (PPTX)")
    if "mimetype" in names:
        return Kind(None, "an OpenDocument or EPUB file (save it as DOCX or PDF to import it)")
    return Kind(None, "a ZIP archive (unpack it and import the folder)")


def _ole_kind(path: Path) -> Kind:
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 -- a damaged container: the parser records why
        return Kind("doc")
    if "WordDocument" in streams:
        return Kind("doc")
    if "Workbook" in streams or "Book" in streams:
        return Kind("xls")
    if "CONTENTS" in streams or "WksSSWorkBook" in streams:
        return Kind("wps")
    if "PowerPoint Document" in streams:
        return Kind(None, "a presentation (PPT)")
    if "EncryptedPackage" in streams:
        return Kind("doc")  # an encrypted Office file: stored, and its error says so
    return Kind(None, "an OLE2 container of no document kind (e.g. Outlook .msg, Visio)")
