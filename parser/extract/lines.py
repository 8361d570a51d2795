"""What a short line of a page is: a title, a breadcrumb path. Shared by the HTML and text readers.

``looks_like_title(line)`` says whether a line could be a report's own title (short, names a
report, not a byline, not a sentence). ``pick_title(lines)`` picks one from the head of a page,
preferring one naming an annual report (年度报告) and joining a title split over two lines
("三亚市海棠区人民政府" / "2015年政府信息公开工作年度报告"); ``joins_split_title(prev, line)`` is
that rule: only a year-first line that names no body ("2015年政府信息…", not "2008年南京市…") takes
the line above, and only when that line is a name (not a breadcrumb path, a column name or a
date). ``split_breadcrumbs(text)`` reads
"当前位置:首页 > 政府信息公开 > 年报" into its parts. Word lists are DATA.
"""
from __future__ import annotations

import re

from .cjk import fold_spaces
from .labels import read_byline

__all__ = ["TITLE_WORDS", "CRUMB_WORDS", "NAME_ENDINGS", "looks_like_title", "pick_title", "joins_split_title",
           "split_breadcrumbs"]

TITLE_WORDS = ("报告", "年报")
ANNUAL_WORDS = ("年度报告", "年报")
CRUMB_WORDS = ("当前位置", "您的位置", "你的位置", "您现在的位置", "你现在的位置", "所在位置", "当前的位置")
_TITLE_MAX = 100
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|＞|›|»|→|/|\\)\s*")
# a year-first title that lacks its publisher: the year is followed straight by the report's name
_SUBJECTLESS = re.compile(r"^[（(]?\s*(?:19|20)\d\d\s*年度?\s*[)）]?\s*"
                          r"(?:(?:政府|政务)?(?:信息)?公开|(?:工作)?年度?报告)")
_CRUMB_MARK = re.compile(r"[>＞»›→]")
# the last character of a publisher's name (an area, a government, an office)
NAME_ENDINGS = "府处区县市省镇乡道局委办厅院会心室部署所站队司旗州盟"
_SENTENCE_PUNCT = re.compile(r"[，。；：:,;！？]")


def looks_like_title(line: str) -> bool:
    return (4 <= len(line) <= _TITLE_MAX and any(w in line for w in TITLE_WORDS)
            and "\t" not in line and "|" not in line and not re.search(r"[>＞»]", line) and not read_byline(line)
            and not any(w in line for w in CRUMB_WORDS)
            and not line.endswith(("。", "；", "：", ":", "，")) and line.count("，") < 2)


def pick_title(lines: list[str]) -> str | None:
    """The title among a page's first lines, or None when no line is clearly one."""
    lines = [fold_spaces(ln) for ln in lines]
    lines = [ln for ln in lines if ln]
    candidates = [i for i, ln in enumerate(lines) if looks_like_title(ln)]
    if not candidates:
        return None
    annual = [i for i in candidates if any(w in lines[i] for w in ANNUAL_WORDS)]
    i = (annual or candidates)[0]
    title = lines[i]
    if i > 0 and joins_split_title(lines[i - 1], title):
        title = lines[i - 1] + title
    return title


def joins_split_title(prev: str, line: str) -> bool:
    """Whether ``prev`` is the first half of a title split before its year ("三亚市海棠区人民政府" /
    "2015年政府信息公开工作年度报告"): ``line`` opens with the year and names no body, and ``prev``
    is a short name, not a sentence, byline, date, breadcrumb path or a column's name."""
    prev, line = fold_spaces(prev), fold_spaces(line)
    return (bool(_SUBJECTLESS.match(line)) and 0 < len(prev) <= 30 and not _SENTENCE_PUNCT.search(prev)
            and not read_byline(prev) and not re.search(r"\d", prev) and not _CRUMB_MARK.search(prev)
            and not any(w in prev for w in TITLE_WORDS + CRUMB_WORDS) and prev.endswith(tuple(NAME_ENDINGS)))


def split_breadcrumbs(text: str) -> list[str]:
    """'当前位置:首页 > 信息公开 > 年报' -> ['首页', '信息公开', '年报']; [] when it is not a path."""
    text = fold_spaces(text)
    if not text or len(text) > 200:
        return []
    for word in CRUMB_WORDS:
        if word in text:
            text = text.split(word, 1)[1].lstrip(":： >")
    parts = [p.strip(" :：") for p in _CRUMB_SPLIT.split(text) if p.strip(" :：")]
    return parts if len(parts) >= 2 and all(len(p) <= 40 for p in parts) else []
