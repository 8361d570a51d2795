"""Whitespace folding for Chinese text, shared by every reader.

A line break (or a ``<br>``) between two CJK characters is an artefact of layout, not a word
boundary: "本年新<br>制作数量" reads "本年新制作数量". Between other characters it is one space.
``fold_lines`` joins the lines of one cell or paragraph that way; ``fold_spaces`` collapses
runs of spaces (``&nbsp;``, ideographic space, tabs) to one.
"""
from __future__ import annotations

import re

__all__ = ["is_cjk", "fold_spaces", "fold_lines", "drop_spaces_between_cjk"]

# CJK ideographs, CJK punctuation, full-width forms: characters that take no spaces between them
_CJK_RANGES = (
    (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF), (0x20000, 0x2FA1F), (0x2E80, 0x2FDF), (0x31C0, 0x31EF),
    (0x2014, 0x201D),  # — ‘ ’ “ ” as Chinese text uses them
)
_CJK_CHAR = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")
_SPACE_RUN = re.compile(r"[ \t\f\v\xa0\u3000\u2002\u2003\u2009\u200b\ufeff]+")
_SPACE_BETWEEN_CJK = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef])[ \u3000\xa0]+"
    r"(?=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef])")


def is_cjk(ch: str) -> bool:
    if not ch:
        return False
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


def fold_spaces(text: str) -> str:
    """Runs of spaces, tabs, nbsp and ideographic spaces -> one space; stripped."""
    if _holds_no_space(text):  # most cells and lines: nothing to fold or strip
        return text
    return _SPACE_RUN.sub(" ", text).strip()


def _holds_no_space(text: str) -> bool:
    """True when ``text`` holds no space, tab, line break or other blank of any kind: every such
    character (and \u200b, \ufeff) is a Unicode separator or control, which ``isprintable`` refuses,
    except the ASCII space."""
    return text.isprintable() and " " not in text


def fold_lines(parts: list[str] | str) -> str:
    """Join lines: nothing between two CJK characters, one space otherwise.

    >>> fold_lines(["本年新", "制作数量"]), fold_lines("total\\n12")
    ('本年新制作数量', 'total 12')
    """
    if isinstance(parts, str):
        if _holds_no_space(parts):  # one line, nothing to fold (most cells)
            return parts
        parts = parts.splitlines()
    if len(parts) == 1:  # most cells and lines are one line: nothing to join
        return fold_spaces(parts[0])
    pieces = [p for p in map(fold_spaces, filter(None, parts)) if p]  # an empty line folds to nothing
    out = pieces[:1]
    for prev, piece in zip(pieces, pieces[1:]):
        if not (_CJK_CHAR.match(prev[-1]) and _CJK_CHAR.match(piece[0])):
            out.append(" ")
        out.append(piece)
    return "".join(out)


def drop_spaces_between_cjk(text: str) -> str:
    """'宿 州 市 人 民 政 府' -> '宿州市人民政府' (spaces a PDF or a label puts between characters)."""
    return _SPACE_BETWEEN_CJK.sub("", text)
