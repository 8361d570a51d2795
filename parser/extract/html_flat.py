"""Markup too deep for lxml -> its text, line by line, read by a flat tokenizer.

libxml2 stops at 2,048 nested elements even with ``huge_tree`` (200,000 nested <div>s is an
attack or a broken generator, never a layout) and leaves an empty tree. ``read_flat(text)``
reads such a page with the standard library's ``html.parser``, which keeps no tree and so has no
depth: block tags (``html_flow.BLOCK_TAGS``) and <br> end a line, script and style are skipped,
<title> is kept. Tables lose their grid (their cells become lines); the caller says so.
"""
from __future__ import annotations

from html.parser import HTMLParser

from .cjk import fold_lines
from .html_flow import BLOCK_TAGS

__all__ = ["read_flat", "FlatPage"]

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "iframe", "object", "select"})


class FlatPage(HTMLParser):
    """Lines of text and the <title>, from markup of any depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.title = ""
        self._parts: list[str] = []
        self._skipping: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skipping.append(tag)
        elif tag in BLOCK_TAGS or tag == "br":
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
        elif tag in BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self._parts.append(data)

    def _newline(self) -> None:
        if self._parts:
            line = fold_lines("".join(self._parts).splitlines())
            self._parts.clear()
            if line:
                self.lines.append(line)

    def close(self) -> None:
        super().close()
        self._newline()


def read_flat(text: str) -> FlatPage:
    page = FlatPage()
    page.feed(text)
    page.close()
    return page
