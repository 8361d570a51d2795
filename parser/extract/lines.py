"""What a short line of a page is: a title, a breadcrumb path. Shared by the HTML and text readers.

``looks_like_title(line)`` says whether a line could be a report's own title (short, names a
report, not a byline, not a sentence). ``pick_title(lines)`` picks one from the head of a page,
preferring one naming an annual report (年度报告) and joining a title split over two lines
("三亚市海棠区人民政府" / "2015年政府信息公开工作年度报告"); ``joins_split_title(prev, line)`` is
that rule: only a year-first line that names no body ("2015年政府信息…", not "2008年南京市…") takes
the line above, and only when that line is a name (not a breadcrumb path, a column name or a
date). ``split_breadcrumbs(text)`` reads
"当前位置:首页 > 政府信息公开 > 年报" into its parts. ``date_near_title(lines)`` is the date printed
with no label right next to the title (杨浦's "2024-02-18" line, "[2026-09-12]", "发布于 2023年3月1日",
or after the title on its own line): only a line that is nothing but a date counts, never prose.
Word lists are DATA.
"""
from __future__ import annotations

import re

from .cjk import fold_spaces
from .labels import read_byline

__all__ = ["TITLE_WORDS", "CRUMB_WORDS", "NAME_ENDINGS", "BARE_DATE_PREFIXES", "NEAR_TITLE_DATE", "looks_like_title", "pick_title",
           "joins_split_title", "split_breadcrumbs", "bare_date", "date_near_title", "is_menu_line"]

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
#: the Document.meta key of an unlabelled date next to the title (read by ``parser.metadata``)
NEAR_TITLE_DATE = "date_near_title"
#: words that may open an unlabelled date line ("发布于 2023年3月1日"); an update time is not one
BARE_DATE_PREFIXES = ("发布于", "发表于", "发布", "发表", "公布于", "公开于", "于")
_DATE_CORE = (r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?"
              r"|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日")
_BARE_DATE = re.compile(
    r"^[\[【(（〔]?\s*(?:(?:" + "|".join(map(re.escape, BARE_DATE_PREFIXES)) + r")\s*[:：]?\s*)?"
    r"(?P<date>(?:" + _DATE_CORE + r")(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)\s*[\]】)）〕]?$")
# "…年度报告 2024-02-18": a date printed after the title on the title's line
_TITLE_THEN_DATE = re.compile(r"(?<=[报告])\s+(?P<date>(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*$")
# how many lines away from the title a bare date may sit
_NEAR_TITLE = 2


def looks_like_title(line: str) -> bool:
    return (4 <= len(line) <= _TITLE_MAX and any(w in line for w in TITLE_WORDS)
            and "\t" not in line and "|" not in line and not re.search(r"[>＞»]", line) and not read_byline(line)
            and not any(w in line for w in CRUMB_WORDS)
            and not line.endswith(("。", "；", "：", ":", "，")) and line.count("，") < 2)


# a site's menu row: short items side by side ("首页 主动公开 解读回应 政府工作报告", "在线访谈 政府文件 信息公开年报")
_MENU_ITEM = re.compile(r"^[\u4e00-\u9fff]{2,8}$")


def is_menu_line(line: str) -> bool:
    """A row of three or more short menu items, no digits, or one item with a list bullet ("• 乡镇政府信息
    公开年度报告", a site's column): never a title, nor half of one."""
    items = line.split()
    return (len(items) >= 3 and all(_MENU_ITEM.match(x) for x in items)) or line.lstrip().startswith(_BULLETS)


_BULLETS = ("•", "●", "▪", "◆", "►", "- ", "-\t")  # ("- 2010年政府信息公开年度报告": a 主题分类 value)


def pick_title(lines: list[str]) -> str | None:
    """The title among a page's first lines, or None when no line is clearly one."""
    lines = [fold_spaces(ln) for ln in lines if not is_menu_line(ln)]
    lines = [ln for ln in lines if ln]
    candidates = [i for i, ln in enumerate(lines) if looks_like_title(ln)]
    if not candidates:
        return None
    annual = [i for i in candidates if any(w in lines[i] for w in ANNUAL_WORDS)]
    titles = [lines[i - 1] + lines[i] if i > 0 and joins_split_title(lines[i - 1], lines[i]) else lines[i]
              for i in (annual or candidates)]
    # a title naming its publisher wins over one that does not: a page's generic heading
    # ("2022年政府信息公开工作年度报告") stands above the report's own, split over two lines
    named = [t for t in titles if not _SUBJECTLESS.match(t)]
    return (named or titles)[0]


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


def bare_date(line: str) -> str | None:
    """The date of a line that is only a date (optionally bracketed, "发布于 …", with a time), as written.

    >>> bare_date("[2026-09-12]"), bare_date("发布于 2023年3月1日"), bare_date("截至2019年12月31日")
    ('2026-09-12', '2023年3月1日', None)
    """
    m = _BARE_DATE.match(fold_spaces(line))
    return m["date"] if m else None


def date_near_title(lines: list[str]) -> str | None:
    """An unlabelled date on the title's line or within two lines of it, as written; None when the
    lines hold no title or no such date (a date elsewhere is prose, a widget or a footer's)."""
    lines = [ln for ln in (fold_spaces(x) for x in lines) if ln]
    titles = [i for i, ln in enumerate(lines) if looks_like_title(ln)]
    if not titles:
        return None
    i = titles[0]
    on_title = _TITLE_THEN_DATE.search(lines[i])
    if on_title:
        return on_title["date"]
    for j in sorted(range(max(0, i - _NEAR_TITLE), min(len(lines), i + _NEAR_TITLE + 1)), key=lambda j: (abs(j - i), -j)):
        found = bare_date(lines[j]) if j != i else None
        if found:
            return found
    return None
