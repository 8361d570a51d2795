"""Table cells written as text -> one stream of cells, each saying how sure its boundaries are.

Real copies of the template tables lose their grid in several ways: a row on one line with cells
joined by ``|`` or a tab ("规章 | 0 | 0 | 0 | |"), one cell a line (with blank lines between, or
each line ending in `` |``), cells separated by runs of spaces or by single spaces ("规章 0 0 0").
``text_cells(text)`` reads every line into ``TextCell``s in reading order and records, for each,
what the later reader needs to stay certain:

- ``kind``: ``label``, ``value`` (a number), ``blank`` (an empty cell between delimiters, ——, /)
  or ``junk`` (digits split by a space inside one cell, "12 106": never read, never split);
- ``delimited``: the cell sits between explicit delimiters (``|`` or tab), so an empty neighbour
  would have shown as an empty cell. One cell a line, or cells split at spaces, lose empty cells
  without a trace: there only a full count of cells tells the positions;
- ``complete``: a separator follows the cell. False only for the text's last cell when the text
  stops right after it (a store that keeps the first ~2,000 characters may cut "125" to "12").

A pipe opening a line ("| 规章 | 0 |", " | 1 | 2") opens the row or closes an empty first cell, and a
line of spaces alone is an empty cell written one a line (" " / " " / "148") or a filler between
cells: such a cell is ``doubtful`` and the reader decides by the count; an empty piece after the
last pipe is the line's end, not a cell. A line of pipes alone ("|", "||") closes empty cells when the
line before ended in a pipe (one cell a line: "规章 |" / "|" / "0 |"), and otherwise first closes
that open line ("行政规范性文件" / "|"). Pure, reads no settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .template_cells import is_blank, parse_cell

__all__ = ["TextCell", "text_cells", "cell_number"]

_PIPE = re.compile(r"[|｜]")
_SPACES = r"[ \u00a0\u3000]"
_SPACE_RUN = re.compile(_SPACES + r"{2,}")
# a reading in brackets after a character, as mirror sites annotate pages: 规(guī)章, 数(shù)量
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-z\u00e0-\u00fc\u0100-\u01dc]{1,6}[)）]")
_DIGIT = re.compile(r"[0-9０-９]")
_BLANK_TOKEN = re.compile(r"(?:^|\s)[—\-/／\\×…]+$")  # a blank mark (——, /) closing a line of cells
# one cell holding several digit groups split by spaces: "12 106", "0 0"
_SPLIT_DIGITS = re.compile(r"^[+\-]?[0-9０-９][0-9０-９,，.．]*(?:" + _SPACES + r"+[+\-]?[0-9０-９][0-9０-９,，.．]*)+$")


@dataclass(frozen=True, slots=True)
class TextCell:
    text: str  # as written, stripped
    line: int  # 0-based index of its line in the text
    kind: str  # "label" | "value" | "blank" | "junk"
    value: int | float | None
    delimited: bool
    complete: bool = True
    doubtful: bool = False  # perhaps no cell at all: a pipe opening its line, a line of spaces


def cell_number(text: str) -> int | float | None:
    """A cell's number: only a text with an Arabic digit (a lone 一 or 三 in a broken label is no value)."""
    return parse_cell(text) if _DIGIT.search(text) else None


def _cell(text: str, line: int, delimited: bool, complete: bool = True) -> TextCell:
    text = _PINYIN.sub("", text.strip(" \u00a0\u3000\t\r"))
    if _SPLIT_DIGITS.match(text):
        return TextCell(text, line, "junk", None, delimited, complete)
    value = cell_number(text)
    if value is not None:
        return TextCell(text, line, "value", value, delimited, complete)
    if is_blank(text):
        return TextCell(text, line, "blank", None, delimited, complete)
    return TextCell(text, line, "label", None, delimited, complete)


def _is_number_token(tok: str) -> bool:
    return cell_number(tok) is not None or (tok != "" and is_blank(tok) and not tok.isalpha())


def _split_trailing_numbers(piece: str, line: int, many: bool) -> list[TextCell]:
    """"规章 0 0 0" -> 规章, 0, 0, 0 (``many``: the line uses single spaces between its cells); with
    ``many`` False at most one trailing number is split off ("规章 0"), and a run of several is junk."""
    if not _DIGIT.search(piece) and not _BLANK_TOKEN.search(piece):
        return [_cell(piece, line, False)]  # prose or a label: no number to split off
    toks = re.split(_SPACES + "+", piece.strip(" \u00a0\u3000"))
    k = len(toks)
    while k > 0 and _is_number_token(toks[k - 1]):
        k -= 1
    numbers = toks[k:]
    label = " ".join(toks[:k])
    if not many and len(numbers) > 1:
        return ([_cell(label, line, False)] if label else []) + [TextCell(" ".join(numbers), line, "junk", None, False)]
    cells = [_cell(label, line, False)] if label else []
    return cells + [_cell(t, line, False) for t in numbers]


def _line_cells(raw: str, line: int, at_eof: bool, after_pipe: bool) -> list[TextCell]:
    stripped = raw.strip(" \u00a0\u3000\t\r\n")
    if not stripped:
        return [TextCell("", line, "blank", None, False, doubtful=True)] if raw.strip("\r\n") else []
    if not _PIPE.sub("", stripped).strip():
        # a line of pipes alone: after a line ending in a pipe each one closes an empty cell; after an
        # open line ("行政规范性文件" / "|") the first one only closes that line's cell
        n = len(_PIPE.findall(stripped)) - (0 if after_pipe else 1)
        return [TextCell("", line, "blank", None, True) for _ in range(n)]
    # the text's last cell is complete only when something (a space, a pipe) follows it before the end
    tail_open = at_eof and raw.rstrip("\r\n") == raw.rstrip(" \u00a0\u3000\t\r\n")
    if _PIPE.search(raw):
        pieces = _PIPE.split(raw)
        cells: list[TextCell] = []
        for i, piece in enumerate(pieces):
            first, last = i == 0, i == len(pieces) - 1
            if last and not piece.strip(" \u00a0\u3000\t\r"):
                continue  # the end of the line after the last pipe
            if first and not piece.strip(" \u00a0\u3000\t\r"):
                cells.append(TextCell("", line, "blank", None, True, doubtful=True))
                continue
            cells.append(_cell(piece, line, True, complete=not (last and tail_open)))
        return cells
    if "\t" in raw:
        pieces = raw.rstrip("\r\n").split("\t")
        return [_cell(p, line, True, complete=not (i == len(pieces) - 1 and tail_open)) for i, p in enumerate(pieces)]
    pieces = _SPACE_RUN.split(stripped)
    cells = [c for p in pieces for c in _split_trailing_numbers(p, line, many=len(pieces) == 1)]
    if cells and tail_open:
        last = cells[-1]
        cells[-1] = TextCell(last.text, last.line, last.kind, last.value, last.delimited, complete=False)
    return cells


def text_cells(text: str) -> list[TextCell]:
    """Every cell of ``text`` in reading order (prose lines become one label cell each)."""
    lines = text.split("\n")
    ends_open = not text.endswith("\n")
    out: list[TextCell] = []
    after_pipe = False
    for i, raw in enumerate(lines):
        out += _line_cells(raw, i, ends_open and i == len(lines) - 1, after_pipe)
        if raw.strip():
            after_pipe = bool(_PIPE.match(raw.strip()[-1]))
    return out
