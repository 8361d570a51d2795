"""Files an article page shows in an embedded viewer, and files no reader here can open.

``embedded_files(text, base_url) -> list[(url, how)]``: the report a page carries only inside
a viewer — ``<iframe src>``, ``<embed src>``, ``<object data>`` pointing at a file, a pdf.js or
similar viewer (``viewer.html?file=…``, ``pdf.js?file=…``, ``pdfjs/web/viewer.html?file=…``,
``?url=``/``?src=`` of a viewer), ``PDFObject.embed("…")`` and ``pdfurl = "…"`` script
variables. A viewer's ``file`` is resolved against the viewer's own URL (as pdf.js does), the
viewer against the page. ``unsupported_files(text, base_url)`` lists links to OFD files (the
national layout format: no reader here, noted instead of fetched). Regexes, no DOM: article pages
are the largest pages a crawl reads. Pure functions.
"""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

from .base import absolute_url

__all__ = ["embedded_files", "unsupported_files", "is_unsupported", "FILE_EXTENSIONS",
           "UNSUPPORTED_EXTENSIONS", "is_file_url"]

#: what a report file can be
FILE_EXTENSIONS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "rtf")
#: formats recognised but not read (noted in the summary, not fetched)
UNSUPPORTED_EXTENSIONS = ("ofd",)

_FRAME = re.compile(r"<(iframe|embed|object|frame)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""\b(src|data|data-src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SCRIPT_FILE = re.compile(
    r"""(?:PDFObject\.embed|pdfurl\s*=|pdfUrl\s*=|pdf_url\s*=|fileUrl\s*=|file_url\s*=)\s*\(?\s*"""
    r"""(["'])([^"']+)\1""", re.I)
# a script viewer names its file after one of these: a page holding none is not searched (the
# regex, led by an alternation under IGNORECASE, tries every position of a page: slow on big pages)
_SCRIPT_HINTS = ("pdfobject.embed", "pdfurl", "pdf_url", "fileurl", "file_url")
_VIEWER = re.compile(r"(?:viewer\.html?|pdf\.js|pdfjs|pdfview|preview|view)", re.I)
_VIEWER_PARAMS = ("file", "url", "src", "path", "pdf")
_DOWNLOADISH = re.compile(r"download|attach|upload|getfile|file", re.I)
_PAGE_EXTENSIONS = frozenset({"html", "htm", "shtml", "jsp", "asp", "aspx", "php", "js", "css",
                              "jpg", "jpeg", "png", "gif", "mp4", "mp3", "flv", "swf"})
_LINK_ATTR = re.compile(r"""\b(?:href|src|data)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_ANCHOR_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _absolute(base: str, href: str) -> str | None:
    href = html.unescape(href or "").strip()
    return None if href.lower().startswith("about:") else absolute_url(base, href)


def _extension(url: str) -> str:
    path = urlsplit(url).path.lower()
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1] if "." in name else ""


def is_file_url(url: str) -> bool:
    """Whether a URL names a report file by its extension (path, or a ``filename=`` query)."""
    if _extension(url) in FILE_EXTENSIONS:
        return True
    query = parse_qs(urlsplit(url).query)
    return any(v and v[0].lower().rsplit(".", 1)[-1] in FILE_EXTENSIONS
               for k, v in query.items() if k.lower() in ("filename", "file", "name"))


def _looks_like_file(url: str) -> bool:
    """A report file by its name, or a download endpoint (``/attach/download?id=…``)."""
    if is_file_url(url) or _extension(url) in UNSUPPORTED_EXTENSIONS:
        return True
    return _extension(url) not in _PAGE_EXTENSIONS and bool(_DOWNLOADISH.search(urlsplit(url).path))


def _viewer_target(viewer: str) -> str | None:
    """The file a viewer URL shows (its ``file=`` resolved against the viewer), or ``None``."""
    parts = urlsplit(viewer)
    if not _VIEWER.search(parts.path):
        return None
    query = parse_qs(parts.query, keep_blank_values=False)
    for key in _VIEWER_PARAMS:
        for name, values in query.items():
            if name.lower() == key and values:
                target = _absolute(viewer, unquote(values[0]))
                return target if target and _looks_like_file(target) else None
    return None


def embedded_files(text: str, base_url: str) -> list[tuple[str, str]]:
    """(file URL, how it is shown) of each file in a viewer or frame on the page, in order."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(url: str | None, how: str) -> None:
        if url and url not in seen:
            seen.add(url)
            out.append((url, how))

    for m in _FRAME.finditer(text):
        tag = m.group(1).lower()
        for a in _ATTR.finditer(m.group(2)):
            src = _absolute(base_url, a.group(2) or a.group(3) or a.group(4) or "")
            if src is None:
                continue
            target = _viewer_target(src)
            if target is not None:
                add(target, f"<{tag}> viewer")
            elif is_file_url(src) or _extension(src) in UNSUPPORTED_EXTENSIONS:
                add(src, f"<{tag}>")
    for m in _ANCHOR_HREF.finditer(text):   # "open in the viewer" links
        href = _absolute(base_url, m.group(1) or m.group(2) or m.group(3) or "")
        target = _viewer_target(href) if href else None
        if target is not None:
            add(target, "viewer link")
    lowered = text.lower()
    for m in _SCRIPT_FILE.finditer(text) if any(h in lowered for h in _SCRIPT_HINTS) else ():
        url = _absolute(base_url, m.group(2))
        if url and _looks_like_file(url):
            add(url, "script viewer")
    return [(u, how) for u, how in out if _extension(u) not in UNSUPPORTED_EXTENSIONS]


def is_unsupported(url: str) -> bool:
    """Whether a file link names a format no reader here opens (OFD)."""
    return _extension(url) in UNSUPPORTED_EXTENSIONS


def unsupported_files(text: str, base_url: str) -> list[str]:
    """Links and embeds of files in a format no reader here opens (OFD)."""
    out: list[str] = []
    if not any(ext in text.lower() for ext in UNSUPPORTED_EXTENSIONS):  # the extension is in the link
        return out
    for m in _LINK_ATTR.finditer(text):
        url = _absolute(base_url, m.group(1) or m.group(2) or "")
        if url is None:
            continue
        target = _viewer_target(url) or url
        if _extension(target) in UNSUPPORTED_EXTENSIONS and target not in out:
            out.append(target)
    return out
