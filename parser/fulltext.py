"""Every character of a report's text, in reading order: what the search index holds.

The sections are only part of a report: the introduction before the first heading, the header
block (索引号 / 发文日期 …) that an HTML page keeps outside its content container, the title and
the table cells all carry words a user can see and will search for. ``document_text`` joins them:
the title (when the content does not start with it), the labelled header lines the page shows
(``label：value``, in page order, those the content does not already hold), then the content text
(tables as one line per row, cells joined by a tab). A document read from another script keeps its
original text here (``Document.original_text``): the index folds scripts itself, and a reader sees
the report as written. Pure.
"""
from __future__ import annotations

import re

from .document import Document

__all__ = ["document_text"]

# a meta key written in Chinese is a label the page shows (索引号, 发布日期); Latin keys are
# <meta> tags and reader notes (articletitle, charset, html_title) that no reader sees as text
_SHOWN_LABEL = re.compile(r"[\u4e00-\u9fff]")
def _squeeze(s: str) -> str:
    """``s`` without whitespace (``str.split`` cuts at exactly the characters a regex's ``\\s`` matches)."""
    return "".join(s.split())


def document_text(doc: Document, title: str | None = None) -> str:
    body = doc.original_text or doc.text or ""
    # the title and labels are read from doc.text (simplified when the page was not): look there
    head = _squeeze((doc.text or "")[:2000])
    lines: list[str] = []
    shown_title = doc.title or title
    if shown_title and _squeeze(shown_title) not in head:
        lines.append(shown_title.strip())
    squeezed_body = _squeeze(doc.text or "").replace(":", "：")
    for label, value in doc.meta.items():
        if not value or not _SHOWN_LABEL.search(label):
            continue
        line = f"{label}：{value.strip()}"
        if _squeeze(line).replace(":", "：") in squeezed_body:
            continue  # the content already shows it (a byline inside the container)
        lines.append(line)
    lines.append(body)
    return "\n".join(x for x in lines if x)
