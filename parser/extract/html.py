"""An HTML report page -> ``Document``.

Takes the page's bytes, the URL (to resolve attachment links) and the HTTP charset if any;
returns the content container's text and tables (``html_flow``), the ``<meta>`` tags by
lower-cased name, ``<title>`` as ``html_title``, byline and metadata-table labels (``labels``),
the breadcrumbs, the attachment links, the content's own title when it is clear, and an unlabelled
date printed next to that title (``meta["date_near_title"]``). A page whose container is empty
and whose report is JSON in a script (gkmlpt's ``window._CONFIG.DETAIL``, ``html_embedded``)
is read from that JSON: its body as the content (tables included), its title and dates as meta. Uses lxml
directly (fast enough for 50+ report pages a second on one core). Malformed markup is read as
lxml's forgiving parser reads it, without libxml2's size limits (a 20 MB text node is read
whole, up to ``ParseSettings.max_text_chars``: the rest is cut with a warning); markup nested deeper than libxml2 goes (2,048 levels) is read flat (``html_flat``: its text
only, with a warning saying so). A page with no text gives an empty Document, not an error.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from ..document import Document, Table
from ..settings import ParseSettings
from .budget import Deadline
from .cjk import fold_spaces
from .decode import decode_bytes
from .html_content import drop_noise, find_breadcrumbs, find_content, page_marks, text_of
from .html_embedded import fill_empty_container, read_embedded_detail
from .html_flat import read_flat
from .html_flow import render_flow
from .labels import add_meta, read_byline
from .lines import NEAR_TITLE_DATE, date_near_title, pick_title
from .sniff import HTML

__all__ = ["read_html", "ATTACHMENT_EXTENSIONS"]

#: file types a report page links as its attachment
ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".rtf", ".ofd", ".zip",
                         ".rar", ".7z", ".txt", ".ppt", ".pptx")
# how far around the content's start a byline is looked for
_BYLINE_LINES_BEFORE = 15
_BYLINE_LINES_INSIDE = 10
# where the title (and a bare date next to it) is looked for
_TITLE_LINES_BEFORE = 8
_TITLE_LINES_INSIDE = 3
# huge_tree: libxml2 otherwise drops a text node over 10 MB and stops at 256 levels of nesting
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
_TOO_DEEP = "Excessive depth"
_MAX_TEXT_CHARS = ParseSettings().max_text_chars
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|--|—+|\s-\s)\s*")


def read_html(data: bytes, url: str | None, declared_charset: str | None, deadline: Deadline) -> Document:
    text, charset = decode_bytes(data, declared_charset, html=True)
    root, too_deep = _parse(text)
    if too_deep:
        return _read_too_deep(text, url, charset)
    if root is None:
        return Document(text="", media_type=HTML, url=url, meta={"charset": charset},
                        warnings=["html: the page holds no markup to read"])
    deadline.check("HTML markup")
    meta = _head_meta(root)
    meta["charset"] = charset
    # a Vue shell (gkmlpt) whose report is only JSON in window._CONFIG.DETAIL: read it in place
    detail = read_embedded_detail(root)
    if detail is not None:
        add_meta(meta, detail.meta)
        if fill_empty_container(root, detail):
            meta["embedded_body"] = "_CONFIG.DETAIL"
    marks = page_marks(root)  # (the crumbs and the content selectors match the same class and id values)
    breadcrumbs = find_breadcrumbs(root, marks)
    container = find_content(root, marks)
    # files first: drop_noise removes iframes, objects and what a stray <embed> swallowed
    attachments = _attachments(root, container, url, _embedded_files(root))
    drop_noise(container)
    body = root.find(".//body")
    flow = render_flow(body if body is not None else root, deadline, mark=container)
    start, end = flow.mark_lines
    content_lines = flow.lines[start:end]
    warnings = _cut_to_limit(content_lines)
    for line in flow.lines[max(0, start - _BYLINE_LINES_BEFORE):start] + content_lines[:_BYLINE_LINES_INSIDE]:
        add_meta(meta, read_byline(line))
    add_meta(meta, flow.meta.items())
    # 杨浦's bare "2024-02-18" between the title and the content: a byline without its label
    near = date_near_title(flow.lines[max(0, start - _TITLE_LINES_BEFORE):start] + content_lines[:_TITLE_LINES_INSIDE])
    if near:
        meta.setdefault(NEAR_TITLE_DATE, near)
    t0, t1 = flow.mark_tables
    tables = [Table(grid=t.grid, index=i, caption=t.caption) for i, t in enumerate(flow.tables[t0:t1])]
    return Document(
        text="\n".join(content_lines),
        media_type=HTML,
        tables=tables,
        title=_title(meta, flow.lines[max(0, start - _TITLE_LINES_BEFORE):start], content_lines),
        meta=meta,
        breadcrumbs=breadcrumbs,
        attachments=attachments,
        url=url,
        warnings=warnings,
    )


def _parse(text: str):
    """(root or None, whether libxml2 gave up on the nesting depth)."""
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return None, False
    try:
        # plain etree elements: lxml.html's element-class lookup costs a Python call per node
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, any(_TOO_DEEP in e.message for e in _PARSER.error_log)
    return root, any(_TOO_DEEP in e.message for e in _PARSER.error_log)


def _read_too_deep(text: str, url: str | None, charset: str) -> Document:
    """A page nested past libxml2's limit, read as lines of text (no tables, no container)."""
    page = read_flat(text)
    cut = _cut_to_limit(page.lines)
    meta = {"charset": charset}
    if page.title.strip():
        meta["html_title"] = fold_spaces(page.title)
    for line in page.lines[:_BYLINE_LINES_BEFORE]:
        add_meta(meta, read_byline(line))
    warning = ("html: the markup is nested deeper than the HTML parser reads (2,048 levels); "
               "read as plain text, without tables or the page's layout")
    return Document(text="\n".join(page.lines), media_type=HTML, title=_title(meta, [], page.lines), meta=meta,
                    url=url, warnings=[warning, *cut])


def _cut_to_limit(lines: list[str], limit: int = _MAX_TEXT_CHARS) -> list[str]:
    """Cut ``lines`` (in place) to ``limit`` characters; the warning saying so, if any."""
    total = 0
    for i, line in enumerate(lines):
        total += len(line) + 1
        if total > limit:
            whole = sum(len(x) + 1 for x in lines)
            lines[i:] = [line[:max(0, limit - (total - len(line) - 1))]]
            return [f"html: the page holds {whole:,} characters of text; read the first {limit:,}"]
    return []


def _head_meta(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name = el.get("name") or el.get("property")
        content = el.get("content")
        if name and content and content.strip():
            meta.setdefault(name.strip().lower(), fold_spaces(content))
    title = root.find(".//title")
    if title is not None and text_of(title).strip():
        meta["html_title"] = fold_spaces(text_of(title))
    return meta


def _title(meta: dict[str, str], before: list[str], content: list[str]) -> str | None:
    """The content's own title: a heading in or just above the content, else the CMS's ArticleTitle."""
    title = pick_title(content[:3]) or pick_title(before[-3:])
    if title:
        return title
    for key in ("articletitle", "title"):
        if meta.get(key):
            return meta[key]
    return pick_title(_TITLE_SPLIT.split(meta.get("html_title", "")))


def _is_attachment(href: str) -> bool:
    path = urlsplit(href).path.lower()
    return path.endswith(ATTACHMENT_EXTENSIONS)


def _embedded_files(root) -> list[tuple[str, str]]:
    """Files shown inside the page: <iframe src>, <embed src>, <object data>, and a PDF viewer's
    ``?file=`` parameter (pdf.js: viewer.html?file=/upload/report.pdf)."""
    found = []
    for el in root.iter("iframe", "embed", "object"):
        src = (el.get("src") or el.get("data") or "").strip()
        if not src:
            continue
        for value in [src] + [v for k, vs in parse_qs(urlsplit(src).query).items() if k.lower() == "file" for v in vs]:
            if _is_attachment(value):
                found.append((value.rsplit("/", 1)[-1], value))
    return found


def _attachments(root, container, url: str | None, embedded: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    # the container's own links first, then files linked elsewhere on the page (附件 blocks)
    links = [(fold_spaces(text_of(a)), (a.get("href") or "").strip())
             for a in list(container.iter("a")) + list(root.iter("a"))]
    for text, href in links + embedded:
        if not href or href.startswith(("javascript:", "mailto:", "#")) or not _is_attachment(href):
            continue
        full = urljoin(url, href) if url else href
        if full in seen:
            continue
        seen.add(full)
        found.append((text or href.rsplit("/", 1)[-1], full))
    return found
