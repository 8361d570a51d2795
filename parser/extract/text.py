"""A plain-text report (a saved copy, an OCR output) -> ``Document``.

Decodes (``decode.decode_bytes``, no markup to declare a charset), normalizes line ends, keeps
the text as it is (one paragraph a line). Bylines near the top ("发布时间:2018-03-29",
"来源: X 发布时间: Y") and metadata rows written as "索 引 号 | … | 发文日期 | …" go to
``meta`` through the same label parser the HTML reader uses. The title is the first line when
it is clearly one (a short line naming a report); an unlabelled date line next to it goes to
``meta["date_near_title"]``.
"""
from __future__ import annotations

from ..document import Document
from .budget import Deadline
from .decode import decode_bytes
from .labels import add_meta, read_byline, read_label_cells
from .lines import CRUMB_WORDS, NEAR_TITLE_DATE, date_near_title, pick_title, split_breadcrumbs
from .sniff import TEXT

__all__ = ["read_text"]

# bylines sit at the head of a report; deeper lines are prose
_HEAD_LINES = 25
_TITLE_LINES = 8


def read_text(data: bytes, declared_charset: str | None, deadline: Deadline) -> Document:
    text, charset = decode_bytes(data, declared_charset, html=False)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    deadline.check("text")
    meta: dict[str, str] = {"charset": charset}
    lines = text.split("\n")
    crumbs: list[str] = []
    for line in lines[:_HEAD_LINES]:
        if not crumbs and any(w in line for w in CRUMB_WORDS):
            crumbs = split_breadcrumbs(line)
        elif "|" in line:
            add_meta(meta, read_label_cells(line.split("|")))
        else:
            add_meta(meta, read_byline(line.strip()))
    near = date_near_title(lines[:_TITLE_LINES])
    if near:
        meta.setdefault(NEAR_TITLE_DATE, near)
    return Document(text=text, media_type=TEXT, title=pick_title(lines[:_TITLE_LINES]), meta=meta,
                    breadcrumbs=crumbs)

