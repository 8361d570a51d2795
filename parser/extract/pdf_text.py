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

__all__ = ["Line", "join_wrapped", "strip_page_furniture", "repair_line", "split_lines", "number_runs", "add_text_boxes"]

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


# --- where a number read from a page's text is drawn ---------------------------------------------

_NUMBER_RUN = re.compile(r"[0-9０-９][0-9０-９,，.．]*")
Box = tuple[float, float, float, float]
NumberRuns = list[tuple[int, int, Box]]


def number_runs(text: str, tp, height: float) -> NumberRuns:
    """Each run of digits in a page's PDFium text as (start, end, box): indexes into ``text`` (the
    text page's own ``get_text_range()``, so they are its character indexes) and the box of the
    run, (x0, top, x1, bottom) in points from the page's top-left (PDFium's loose boxes of the
    run's first and last characters united: a run never crosses a line). Two PDFium calls a run:
    a prose page of a report has a few dozen."""
    if tp is None or len(text) != tp.count_chars():  # characters written as two code units: no indexes
        return []
    runs: NumberRuns = []
    for m in _NUMBER_RUN.finditer(text):
        a, b = tp.get_charbox(m.start(), loose=True), tp.get_charbox(m.end() - 1, loose=True)
        runs.append((m.start(), m.end(), (round(min(a[0], b[0]), 1), round(height - max(a[3], b[3]), 1),
                                          round(max(a[2], b[2]), 1), round(height - min(a[1], b[1]), 1))))
    return runs


def add_text_boxes(page_numbers: dict[int, tuple[str, NumberRuns]], reading) -> None:
    """Give each metric read from a PDF's text (``Evidence(where="text")`` in ``reading.metrics``)
    its page, when not known, and the box of the digits that write it.

    ``page_numbers`` is ``Document.page_numbers``: the pages read from PDFium's text with their
    runs of digits (``number_runs``). The snippet, squeezed of whitespace (the text stages see
    repaired lines), is looked for in the evidence's page, or in every page when the page is not
    known; the box is set only when the snippet is found exactly once and its last line (a text
    table's snippet runs from the row's label to the line of its cell) holds exactly one run worth
    the value (a line that says the number twice, a converted unit, a snippet from a page with
    ruling lines, whose numbers are read from cells: no box). Pure; no PDFium call.
    """
    if not page_numbers:
        return
    squeezed: dict[int, tuple[str, list[int]]] = {}
    for value, ev in reading.metrics.values():
        if ev.where != "text" or not ev.snippet or ev.bbox is not None:
            continue
        found = _locate(page_numbers, squeezed, ev.page, ev.snippet, value)
        if found is not None:
            ev.page, ev.bbox = found


def _as_simplified(text: str) -> str:
    """The page's text as the stages read it: a 繁體 document is read converted (the conversion
    keeps the length, so the indexes of the runs still hold)."""
    from .script import to_simplified

    converted = to_simplified(text)
    return converted if len(converted) == len(text) else text


def _locate(page_numbers, squeezed, page_no: int | None, snippet: str, value) -> tuple[int, Box] | None:
    from ..numbers import parse_cell

    probe = "".join(snippet.split())
    hits: list[tuple[int, int]] = []
    for p in ([page_no] if page_no else sorted(page_numbers)):
        if p not in page_numbers:
            continue
        if p not in squeezed:
            text = _as_simplified(page_numbers[p][0])
            keep = [i for i, ch in enumerate(text) if not ch.isspace()]
            squeezed[p] = ("".join(text[i] for i in keep), keep)
        flat = squeezed[p][0]
        at = flat.find(probe)
        while at >= 0 and len(hits) < 2:
            hits.append((p, at))
            at = flat.find(probe, at + 1)
        if len(hits) > 1:
            return None
    if len(hits) != 1:
        return None
    p, at = hits[0]
    text, runs = page_numbers[p]
    keep = squeezed[p][1]
    # the number is on the snippet's last line (a text table's snippet runs from the row's label to
    # the line of its cell)
    last = "".join(snippet.strip().rsplit("\n", 1)[-1].split())
    start, end = keep[at + len(probe) - len(last)], keep[at + len(probe) - 1] + 1
    inside = [box for a, b, box in runs if start <= a and b <= end and parse_cell(text[a:b].rstrip(",，.．")) == value]
    return (p, inside[0]) if len(inside) == 1 else None
