"""繁體 and annotated copies, as recognition and metadata read them, and values kept as written.

The extract stage converts a 繁體 document to simplified characters and keeps the text as written in
``Document.original_text`` (``parser.extract.script``, same length). What metadata keeps as the page
writes it (a title, an agency's written name) is read back from there: ``as_written(value,
originals, (converted, original))`` finds a value in the converted text and returns the original's
characters at the same place («2019年北京市政府信息公開工作年度報告»), else the first original string
that holds it. ``reading_view(doc)`` drops the reading aids some mirrors insert, pinyin after a
character («報(bào)告»), so the report's words read whole. Pure.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from .document import Document
from .extract.labels import add_meta, read_byline, read_label_cells

__all__ = ["reading_view", "as_written"]

# a pinyin reading in brackets right after a character: 報(bào)告, 國(guó)
_HEAD_LINES = 25  # where a page's header labels are (as ``parser.extract.text`` reads them)
# (the bracket first, its character checked behind it: a search then looks only at brackets)
_PINYIN = re.compile(r"[(（](?<=[\u4e00-\u9fff][(（])[a-z\u00e0-\u00fc\u0100-\u01dc]{1,6}[)）]")


def reading_view(doc: Document) -> Document:
    """``doc`` without pinyin reading aids in its text, title and meta values (the same object when
    it has none)."""
    text = _PINYIN.sub("", doc.text or "")
    title = _PINYIN.sub("", doc.title) if doc.title else doc.title
    meta = {k: _PINYIN.sub("", v) if isinstance(v, str) else v for k, v in doc.meta.items()}
    if text == doc.text and title == doc.title and meta == doc.meta:
        return doc
    if text != doc.text:
        # labels the aids broke ("發(fā)布日期") read again from the head, as the readers read them
        for line in text.split("\n")[:_HEAD_LINES]:
            add_meta(meta, read_label_cells(line.split("|")) if "|" in line else read_byline(line.strip()))
    return dataclasses.replace(doc, text=text, title=title, meta=meta)


def _find(value: str, text: str) -> list[int] | None:
    """Where the non-space characters of ``value`` sit in ``text`` (pinyin aids skipped)."""
    wanted = "".join(c for c in value if not c.isspace())
    aids = {i for m in _PINYIN.finditer(text) for i in range(m.start(), m.end())}
    kept = [i for i, c in enumerate(text) if not c.isspace() and i not in aids]
    at = "".join(text[i] for i in kept).find(wanted)
    return kept[at:at + len(wanted)] if at >= 0 and wanted else None


def _rebuild(value: str, chars: Iterable[str]) -> str:
    it = iter(chars)
    return "".join(c if c.isspace() else next(it) for c in value)


def as_written(value: str | None, originals: Iterable[str | None],
               converted: tuple[str | None, str | None] = (None, None)) -> str | None:
    """``value`` as the page writes it: read at the same place of the text as written when it is in
    the converted text, else as the first original string that holds it writes it, else itself.
    Whitespace is not compared (titles drop layout spaces)."""
    if not value:
        return value
    shown, written = converted
    if shown and written and len(shown) == len(written):
        where = _find(value, shown)
        if where:
            return _rebuild(value, (written[i] for i in where))
    for original in originals:
        where = _find(value, original) if original else None
        if where:
            return _rebuild(value, (original[i] for i in where))
    return value
