"""繁体 copies (mirrors, Big5 gateways) read like 简体 ones: a one-for-one character fold.

``fold(text)`` maps each traditional character to its simplified form (``data/traditional.tsv``,
from OpenCC's table: only characters that are never simplified themselves and never part of a
place name, so simplified text comes back unchanged). One character for one: every offset in the
folded text is the original's. ``fold_document(doc)`` folds what recognition and metadata read
(text, title, meta, breadcrumbs, table cells) into a new ``Document``; ``as_written(value,
originals)`` finds a value read from folded text back in the original strings, so a title is
kept as the page writes it (「2019年北京市政府信息公開工作年度報告」). Reading aids some mirrors
insert are dropped from the folded text: pinyin after a character (「報(bào)告」). Pure; reads its
table once.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .document import Document

__all__ = ["fold", "fold_document", "as_written"]

_TABLE_FILE = Path(__file__).parent / "data" / "traditional.tsv"
# a pinyin reading in brackets right after a character: 報(bào)告, 國(guó)
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-z\u00e0-\u00fc\u0100-\u01dc]{1,6}[)）]")


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    out: dict[int, str] = {}
    with open(_TABLE_FILE, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            trad, simple = line.rstrip("\n").split("\t")
            out[ord(trad)] = simple
    return out


def fold(text: str) -> str:
    """``text`` with its traditional characters simplified, same length.

    >>> fold("2019年北京市政府信息公開工作年度報告")
    '2019年北京市政府信息公开工作年度报告'
    """
    return text.translate(_table()) if text else text


def fold_document(doc: Document) -> Document:
    """A copy of ``doc`` whose text, title, meta, breadcrumbs and tables are folded (the same
    object when nothing changes, as for every simplified page)."""
    text = _PINYIN.sub("", fold(doc.text or ""))
    if text == doc.text and fold(doc.title or "") == (doc.title or "") \
            and all(fold(v) == v for v in doc.meta.values() if isinstance(v, str)):
        return doc
    tables = [dataclasses.replace(t, grid=[[fold(c) for c in row] for row in t.grid], caption=fold(t.caption))
              for t in doc.tables]
    return dataclasses.replace(
        doc, text=text, title=fold(doc.title) if doc.title else doc.title,
        meta={k: fold(v) if isinstance(v, str) else v for k, v in doc.meta.items()},
        breadcrumbs=[fold(b) for b in doc.breadcrumbs], tables=tables)


def as_written(value: str | None, originals: Iterable[str | None],
               converted: tuple[str | None, str | None] = (None, None)) -> str | None:
    """``value`` (read from folded text) as the first original string that holds it writes it;
    ``value`` itself when none does. ``converted`` is (a text converted by the reader, the text as
    written) of the same length: a value found in the first is read from the second at the same
    place. Whitespace is not compared (titles drop layout spaces)."""
    if not value:
        return value
    wanted = [c for c in value if not c.isspace()]
    shown, written = converted
    if shown and written and len(shown) == len(written):
        kept = [i for i, c in enumerate(shown) if not c.isspace()]
        at = "".join(shown[i] for i in kept).find("".join(wanted))
        if at >= 0:
            chars = iter(written[i] for i in kept[at:at + len(wanted)])
            return "".join(c if c.isspace() else next(chars) for c in value)
    for original in originals:
        if not original:
            continue
        aids = {i for m in _PINYIN.finditer(original) for i in range(m.start(), m.end())}
        kept = [(i, c) for i, c in enumerate(original) if not c.isspace() and i not in aids]
        folded = "".join(fold(c) for _, c in kept)
        at = folded.find("".join(wanted))
        if at < 0:
            continue
        chars = iter(c for _, c in kept[at:at + len(wanted)])
        return "".join(c if c.isspace() else next(chars) for c in value)
    return value
