"""Lines of PDF page text -> paragraphs, one a line.

A PDF gives visual lines; the later stages want paragraphs ("共收到政府信息公开申请1984件" must not
be cut in two). ``join_wrapped`` joins a line to the next when it runs to the right margin (its
width is near the widest prose line's) and does not end a sentence, unless the next line opens a
heading (一、 （一） 1.). ``strip_page_furniture`` drops page-number lines at a page's top and
bottom ("- 3 -", "第3页 共9页", "3/9"). ``repair_line`` removes stray spaces between CJK
characters ("宿 州 市 人 民 政 府") and characters doubled by a fake bold ("一一、、总总体体").
"""
from __future__ import annotations

import re

from .cjk import drop_spaces_between_cjk, fold_spaces

__all__ = ["Line", "join_wrapped", "strip_page_furniture", "repair_line", "split_lines"]

# a line of table rows is never joined; prose lines may be
Line = tuple[str, bool]  # (text, is_table_row)

_PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d+(?:\s*of\s*\d+)?)$", re.IGNORECASE)
_SENTENCE_END = ("。", "！", "？", "：", ":", "；", "!", "?", "”", "」", "）", ")")
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．]"
                            r"|第[一二三四五六七八九十\d]+[章节部分条])")
_FULL_SHARE = 0.86
_DOUBLED = re.compile(r"(.)\1")


def split_lines(text: str) -> list[str]:
    return [ln for ln in (fold_spaces(x) for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")) if ln]


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def repair_line(line: str) -> str:
    line = drop_spaces_between_cjk(line)
    if len(line) >= 4 and len(line) % 2 == 0:
        pairs = len(_DOUBLED.findall(line))
        if pairs * 2 == len(line):  # every character twice in a row: a fake bold read twice
            line = line[::2]
    return line


def strip_page_furniture(lines: list[str]) -> list[str]:
    lines = list(lines)
    for end in (0, -1):
        for _ in range(2):
            if lines and _PAGE_NUMBER.match(lines[end].strip()):
                lines.pop(end)
    return lines


def join_wrapped(lines: list[Line]) -> list[str]:
    widths = sorted(_width(t) for t, is_row in lines if not is_row)
    if not widths:
        return [t for t, _ in lines]
    full = widths[int(0.9 * (len(widths) - 1))] * _FULL_SHARE
    out: list[str] = []
    joinable = False
    for text, is_row in lines:
        if joinable and not is_row and not _HEADING_START.match(text):
            out[-1] += text
        else:
            out.append(text)
        # a visual line that reaches the right margin mid-sentence wraps into the next one
        joinable = not is_row and full >= 10 and _width(text) >= full and not text.endswith(_SENTENCE_END)
    return out
