"""Labelled metadata as pages write it: bylines and metadata tables -> (label, value) pairs.

Takes a byline ("发布时间:2020-01-15 15:28 来源:政府办", "信息来源:市政府办 · 发布日期:2026-01-29")
or the cells of a metadata table ("索 引 号" | "014416330/2018-04736" | "发文日期" | "2018-02-28")
and returns pairs keyed by the label with its inner spaces removed ("索引号"). Shared by the HTML,
text and DOCX readers: one parser for every byline. Values are kept as written (dates are read
later, by ``parser.metadata``). Labels are DATA (``BYLINE_LABELS``); add a variant there.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..regex_cache import cached
from .cjk import fold_spaces

__all__ = ["BYLINE_LABELS", "read_byline", "read_label_cells", "normalize_label", "add_meta"]

#: labels a byline or a metadata table uses, as written without spaces
BYLINE_LABELS: tuple[str, ...] = (
    # dates
    "发布日期", "发布时间", "发文日期", "成文日期", "公开日期", "印发日期", "公文生成日期", "生成日期",
    "信息提供日期", "更新时间", "更新日期", "生效日期", "日期", "时间",
    # who
    "信息来源", "文章来源", "来源", "发布机构", "发文机关", "发文机构", "发文单位", "公开部门", "发布单位",
    "发布部门", "所属机构", "责任部门", "作者",
    # catalogue
    "索引号", "主题分类", "体裁分类", "组配分类", "分类", "发文字号", "文号", "有效性", "主题词", "关键词",
    "公开方式", "公开范围", "名称", "标题",
    # page furniture that ends the value before it
    "浏览次数", "点击数", "点击率", "访问量", "阅读次数", "字号", "字体", "打印", "关闭",
)

# furniture labels end a value but are not worth keeping
_FURNITURE = frozenset({"浏览次数", "点击数", "点击率", "访问量", "阅读次数", "字号", "字体", "打印", "关闭"})

_SPACES = r"[ \u3000\xa0]*"


def _spaced(label: str) -> str:
    # "发文日期" also matches "发 文 日 期" and "发　文　日　期"
    return _SPACES.join(map(re.escape, label))


_LABEL_ALT = "|".join(_spaced(lab) for lab in sorted(BYLINE_LABELS, key=len, reverse=True))
# a label starts a line or follows a separator, never in the middle of a Chinese word
_BYLINE_RE = cached(r"(?<![\u4e00-\u9fff])(" + _LABEL_ALT + r")" + _SPACES + r"[:：]")
_CELL_LABEL_RE = cached(r"^(" + _LABEL_ALT + r")" + _SPACES + r"[:：]?$")
_VALUE_TRIM = " \t\u3000\xa0|｜丨·•●/／:：;；,，【】[]"
_MAX_BYLINE = 200


def normalize_label(label: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", label).rstrip(":：")


def read_byline(line: str) -> list[tuple[str, str]]:
    """(label, value) pairs of one byline; [] for prose or a line longer than a byline.

    >>> read_byline("发布时间:2020-01-23 11:07 来源:南京市人民政府办公厅 浏览次数:")
    [('发布时间', '2020-01-23 11:07'), ('来源', '南京市人民政府办公厅')]
    """
    if len(line) > _MAX_BYLINE or (":" not in line and "：" not in line):  # every label ends with a colon
        return []
    hits = list(_BYLINE_RE.finditer(line))
    pairs = []
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
        label = normalize_label(m.group(1))
        value = fold_spaces(line[m.end():end]).strip(_VALUE_TRIM)
        if value and label not in _FURNITURE:
            pairs.append((label, value))
    return pairs


def read_label_cells(cells: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs from a metadata table row: a label cell then its value cell, or "label:value" cells.

    >>> read_label_cells(["索 引 号", "014416330/2018-04736", "发文日期", "2018-02-28"])
    [('索引号', '014416330/2018-04736'), ('发文日期', '2018-02-28')]
    """
    cells = [fold_spaces(c) for c in cells]
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(cells):
        m = _CELL_LABEL_RE.match(cells[i])
        if m:
            label = normalize_label(m.group(1))
            value = cells[i + 1] if i + 1 < len(cells) else ""
            if value and not _CELL_LABEL_RE.match(value):
                if label not in _FURNITURE:
                    pairs.append((label, value.strip(_VALUE_TRIM)))
                i += 2
                continue
        else:
            pairs.extend(read_byline(cells[i]))
        i += 1
    return pairs


def add_meta(meta: dict[str, str], pairs: Iterable[tuple[str, str]]) -> int:
    """Add pairs to ``meta``; the first value seen for a label wins. Returns how many were new."""
    added = 0
    for label, value in pairs:
        if value and label not in meta:
            meta[label] = value
            added += 1
    return added
