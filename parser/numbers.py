"""Numbers as reports write them, normalized in one place.

``parse_cell(text)`` reads a table cell: full-width digits, thousands separators, spaces, a unit
written inside the cell ("251000元", "3件"), and the blanks that mean "no value" (``——``, ``/``,
``-``, ``无``, empty) -> ``None``. ``parse_cn_number(text)`` reads Chinese numerals (一百二十, 两千零五).
Both are pure and never guess: anything else gives ``None``.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .memo import per_document

__all__ = ["normalize_width", "parse_cell", "parse_cn_number", "parse_count", "BLANK_MARKS", "to_number"]

# what a cell holds when it has no value: absent from metrics, never 0
BLANK_MARKS = frozenset({"", "—", "——", "———", "-", "--", "—-", "/", "／", "\\", "无", "空", "暂无", "null", "none", "n/a", "×", "…", "……"})

_UNITS = ("万元", "元", "件", "个", "条", "项", "次", "人次", "人", "家", "份", "篇", "场", "期", "处", "笔", "批", "余")
_UNIT_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")$")
_NUM_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def normalize_width(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (NFKC), ideographic space to space."""
    return text if text.isascii() else _nfkc(text)  # ASCII is its own NFKC form


# the readers of one document normalise its body (as a prefix of 3,000 to 20,000 characters) and
# its head lines again and again: 0.7 ms of a demo report's parse, a third of it repeated bodies
@per_document(maxsize=4096)
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def to_number(value: Decimal) -> int | float:
    """An exact Decimal as int when whole, else float."""
    return int(value) if value == value.to_integral_value() else float(value)


def parse_cell(text: str | None) -> int | float | None:
    """A table cell's number, or None when blank or not a plain number.

    >>> parse_cell("１,２３４"), parse_cell("251000元"), parse_cell("——"), parse_cell(" 0 ")
    (1234, 251000, None, 0)
    """
    if text is None:
        return None
    s = normalize_width(text)
    s = re.sub(r"[\s\u00a0\u200b\ufeff]+", "", s)
    if s.lower() in BLANK_MARKS:
        return None
    s = s.replace(",", "").replace("，", "")
    s = _UNIT_RE.sub("", s)
    if not _NUM_RE.match(s):
        n = parse_cn_number(s)
        return n
    try:
        return to_number(Decimal(s))
    except InvalidOperation:
        return None


_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
              "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS)


def parse_cn_number(text: str) -> int | None:
    """Chinese numerals below 10,000 (counts in reports never need 万: a 万 count is not a metric).

    >>> parse_cn_number("一百二十"), parse_cn_number("十五"), parse_cn_number("两千零五"), parse_cn_number("三万")
    (120, 15, 2005, None)
    """
    if not text or any(c not in _CN_DIGITS and c not in _CN_SMALL_UNITS for c in text):
        return None
    total, digit, last_unit = 0, None, 10**9
    for c in text:
        if c in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[c] != 0:
                # "一二" is not a number; digits must be separated by units
                return None
            digit = _CN_DIGITS[c] if _CN_DIGITS[c] != 0 else None
        else:
            unit = _CN_SMALL_UNITS[c]
            if unit >= last_unit:
                return None
            total += (digit if digit is not None else 1) * unit
            digit, last_unit = None, unit
    if digit is not None:
        if last_unit != 10**9 and last_unit > 10 and text[-2:-1] not in ("零", "〇", "○"):
            # "一百二" style shorthand (= 120) is ambiguous in reports: refuse
            return None
        total += digit
    return total


def parse_count(text: str) -> int | None:
    """A count written in prose: Arabic (full- or half-width, with separators) or Chinese numerals."""
    s = normalize_width(text).replace(",", "").strip()
    if s.isdigit():
        return int(s)
    return parse_cn_number(s)
