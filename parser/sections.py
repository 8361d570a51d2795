"""Document -> the report's top-level sections: heading ("一、主动公开政府信息情况") and its text.

Takes a ``parser.document.Document``; returns ``list[parser.record.Section]``. Pure; reads no
settings. A top-level heading is a line numbered 一、二、… (any of the punctuation variants in
HEADING_PUNCT) or 第一部分…; sub-headings （一）… and "一是…" are not. Numbers must run in order
(一, 二, 三…), which drops numbered lines that belong to something else; lines of tables (tab-joined
rows in ``doc.text``, cells of ``doc.tables``) and the template's own numbered row labels
(TABLE_ROW_LABELS) are never headings. When a report numbers its parts 第一部分… those are the top
level and 一、… inside them are not. The text before the first heading (preamble) belongs to no
section; a section's text runs to the next heading, tables included.
"""
from __future__ import annotations

import re

from .document import Document
from .numbers import normalize_width, parse_cn_number
from .record import Section

__all__ = ["split_sections", "heading_number", "HEADING_PUNCT", "TABLE_ROW_LABELS", "MAX_HEADING"]

# what may follow the numeral of a top-level heading: 一、 一. 一． 一, 一， 一： 一 (space)
HEADING_PUNCT = "、.．,，:：\u3000 "
# numbered row labels of the template tables (表三): numbered like headings, never headings
TABLE_ROW_LABELS = ("本年新收", "上年结转", "本年度办理结果", "结转下年度", "本年办理结果")
MAX_HEADING = 50  # a longer line is a paragraph that starts with a numeral
_NUMERAL = "一二三四五六七八九十"
_ITEM_RE = re.compile(rf"^(?P<num>[{_NUMERAL}]{{1,3}})[{re.escape(HEADING_PUNCT)}]+(?P<rest>\S.*)$")
_PART_RE = re.compile(rf"^第(?P<num>[{_NUMERAL}]{{1,3}})(?:部分|章)[{re.escape(HEADING_PUNCT)}]*(?P<rest>.*)$")
# a line holding one of these is a table row (tab-joined cells; "|" in saved text copies)
_CELL_SEPARATORS = ("\t", "|", "｜")
# an inline heading ends at the first full stop or colon: "一、概述。2014年…"
_INLINE_END = re.compile(r"[。：:]")


def heading_number(line: str) -> tuple[str, int, str] | None:
    """("item"|"part", number, heading) when ``line`` could be a top-level heading, else None.

    >>> heading_number("一、主动公开政府信息的情况 "), heading_number("第二部分 总体情况")
    (('item', 1, '一、主动公开政府信息的情况'), ('part', 2, '第二部分 总体情况'))
    """
    s = line.strip()
    if not s or any(sep in s for sep in _CELL_SEPARATORS):
        return None
    for kind, pattern in (("part", _PART_RE), ("item", _ITEM_RE)):
        m = pattern.match(normalize_width(s) if kind == "item" else s)
        if not m:
            continue
        n = parse_cn_number(m["num"])
        if n is None or n == 0:
            return None
        heading = s
        cut = _INLINE_END.search(s)
        if cut and cut.end() < len(s):
            if cut.start() > MAX_HEADING:
                return None
            heading = s[: cut.start()]
        elif len(s) > MAX_HEADING:
            return None
        if kind == "item" and any(m["rest"].startswith(w) for w in TABLE_ROW_LABELS):
            return None
        return kind, n, heading
    return None


def _table_cells(doc: Document) -> set[str]:
    # one-column tables are page layout (a whole report inside a table), not data
    return {cell.strip() for t in doc.tables if t.n_cols >= 2 for row in t.grid for cell in row if cell.strip()}


def _longest_run(hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The longest run numbered 1, 2, 3… in document order (a stray "一、" earlier starts its own run)."""
    runs: list[list[tuple[int, int, str]]] = []
    for hit in hits:
        n = hit[1]
        open_runs = [r for r in runs if r[-1][1] == n - 1]
        if open_runs:
            open_runs[-1].append(hit)
        elif n == 1:
            runs.append([hit])
    return max(runs, key=len, default=[])


def split_sections(doc: Document) -> list[Section]:
    """The top-level sections in order, each with the text up to the next one."""
    lines = doc.text.split("\n")
    cells = _table_cells(doc)
    found: dict[str, list[tuple[int, int, str]]] = {"part": [], "item": []}
    for i, line in enumerate(lines):
        hit = heading_number(line)
        if hit is not None and line.strip() not in cells:
            found[hit[0]].append((i, hit[1], hit[2]))
    parts = _longest_run(found["part"])
    heads = parts if len(parts) >= 2 else _longest_run(found["item"])
    sections = []
    for k, (i, _, heading) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        first = lines[i].strip()
        rest = [first[len(heading):].lstrip("。：: ")] if len(first) > len(heading) else []
        body = [ln.strip() for ln in rest + lines[i + 1:end] if ln.strip()]
        sections.append(Section(heading=heading.strip(), text="\n".join(body)))
    return sections
