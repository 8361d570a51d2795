"""Which line of a page is a report's own title: the checks recognition and metadata share.

A title names a disclosure report (``REPORT_CORE``) and a year or a publisher; a column or
breadcrumb ("栏目：政府信息公开年报", "当前位置：首页>…>年报", a bare "政府信息公开年报") never is one.
Pages write it in several places, all read here:

- a labelled header line of a metadata block or another crawler's dump ("标题：…",
  "标      题 …", "信息名称: | … |"): ``labelled_title``;
- a line of the head, before the body's prose starts (navigation menus and breadcrumbs can push it
  twenty lines down): ``head_title``;
- the front of a first line that holds the title glued to more text (a repost printing it twice,
  or glued to the first paragraph): ``glued_title``;
- a title split over two lines (before or after its year, before its report's name, a body's
  name line above a title without one) is joined; a page's title line that carries a site in
  brackets or junk after a separator, or a column's name without a year, gives way to the
  report's own heading below it (``heading_below``).

Pure functions over strings; label words are DATA. Reads no settings.
"""
from __future__ import annotations

import re
from itertools import islice

from .memo import per_document

__all__ = ["REPORT_CORE", "FIRST_SECTION", "TITLE_LABELS", "COLUMN_LABELS", "clean_title", "strip_title_label", "names_report",
           "is_title", "labelled_title", "head_title", "heading_below", "glued_title", "quoted_title",
           "report_below_notice"]

# the words that name a disclosure report inside a title
REPORT_CORE = re.compile(r"(?:(?<!人民)政府|政务)?信息(?:公开)?(?:工作)?(?:开展)?(?:年度)?(?:工作)?(?:年度)?(?:报告|年报)"
                         r"|年度报告|工作报告|年报")
# words of a title's head that name no publisher ("工作年度报告", "关于…")
_NOT_A_PUBLISHER = re.compile(r"关于|工作|政府|政务|信息|公开|年度|[的之]")
# labels of a header line that gives the title (metadata blocks, other crawlers' dumps)
TITLE_LABELS = ("信息名称", "文章标题", "文件名称", "标题", "题名", "名称")
# labels of a line that names a column or the page's place in the site: never a title
COLUMN_LABELS = ("栏目", "所属栏目", "当前栏目", "当前位置", "您的位置", "你的位置", "您现在的位置", "你现在的位置",
                 "所在位置", "当前的位置", "位置")
_CJK = r"\u4e00-\u9fff"
_SPACES = r"[ \t\u3000\xa0]"
_LABEL = re.compile(
    r"^" + _SPACES + r"*(?:" + "|".join((_SPACES + "*").join(w) for w in TITLE_LABELS) + r")"
    + r"(?:" + _SPACES + r"*[:：|｜]" + _SPACES + r"*\|?|" + _SPACES + r"*)" + _SPACES + r"*(?P<value>.{6,})$")
_COLUMN = re.compile(r"^[\s\u3000]*(?:" + "|".join(COLUMN_LABELS) + r")[\s\u3000]*[:：]|首页[\s\u3000]*[>＞»›/]|[>＞»›]")
_SENTENCE_PUNCT = re.compile(r"[，。；！？,;!?]")
_YEAR = re.compile(r"(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4}")
_TITLE_MAX = 100
_PROSE_MIN = 60  # a line this long with sentence punctuation is the body's prose
_HEAD_SCAN = 60  # how many non-empty lines a navigation menu can push the title down
# what may follow the report's name inside a title: a version, a year, a wrapper (…的公告)
# the second half of a title split after its publisher and year
_CONTINUES = re.compile(r"^(?:(?:政府|政务)?信息公开|年度报告|工作年度报告)")
# a table row, a label, a site's name joined by a separator: parts of a line, not a title
# (根据《: a sentence broken at its citation, "2012年度报告根据《" / "中华人民共和国政府信息公开条例》…")
_NOT_IN_A_TITLE = re.compile(r"[|｜:：_]|索引号|(?<=[\u4e00-\u9fff])[-—–]+(?=[\u4e00-\u9fff])|(?:根据|依据|按照)《|《$")
_ENDS_WITH_YEAR = re.compile(r"[\u4e00-\u9fff]{2}(?:19|20)\d{2}(?:年度?)?$")
# the second half of a title split before its report word ("2012年嵊州市人民政府信息公开工作" / "年度报告")
_REPORT_WORD_ONLY = re.compile(r"^(?:工作)?(?:年度报告|年报|报告)$")
# a short line that is only a body's name: the first half of a title split before its year or its
# report's name ("昆明市人民政府" / "2020年政府信息公开工作年度报告")
_NAME_LINE = re.compile(rf"^[{_CJK}（）()·]{{2,30}}$")
# what joins a page's title to its site's name or junk ("…年度报告-pa凯发国际登录", "…_某市人民政府")
_SEPARATOR = re.compile(r"[_|｜]|[-—–]+")
_BELOW_SCAN = 6  # lines under a page's title line where the report's own heading can be
# the opening sentence that publishes the report by its name
_QUOTED = re.compile(r"(?:现发布|现公布|现予公布|特公布|特发布|现向社会公开|现将|公布|发布)《(?P<title>[^《》]{6,80})》")
_QUOTE_SCAN = 400
# the line that opens a report's first section (一、总体情况): what stands before it is its preamble
FIRST_SECTION = re.compile(r"(?m)^[ \t\u3000]*一[、.．]")
_TITLE_TAIL = re.compile(r"^(?:[（(][^()（）]{1,12}[)）]|的(?:公告|通告|通知))?")


# a site's name printed before the title in brackets ("[嵊州市人民政府]2012年…")
_SITE_IN_BRACKETS = re.compile(r"^[\[【][^\]】]{2,20}[\]】]\s*(?=\S)")
_FILE_EXTENSION = re.compile(r"\.(?:pdf|docx?|wps|html?)$", re.I)
# a date printed after the title on the same line ("…年度报告 2024-02-18") is not the title
_DATE_AFTER = re.compile(r"(?<=[报告读版解)）])\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}.*$")
_SPACE_IN_CHINESE = re.compile(rf"(?<=[{_CJK}\d）)])[\s\u3000]+|[\s\u3000]+(?=[{_CJK}（(])")


# a copy site's "full text" tag after the title ("…工作报告/全文")
_FULL_TEXT_TAG = re.compile(r"\s*[/／|｜]\s*全文$")
# a flipbook page's caption before the title ("Page 8 - 威海市文登区信访局2022年…报告")
_PAGE_CAPTION = re.compile(r"^(?:Page|page|P\.|p\.)\s*\d+\s*[-–—:：]\s*")


# asked of every head line by several readers of one document (~260 times a report); forgotten after
# each document (parser.pipeline)
@per_document(maxsize=4096)
def clean_title(title: str) -> str:
    """A title as written, without layout: its label, file extension, a date after it, spaces
    inside the Chinese (full-width brackets stay)."""
    t = strip_title_label(title.strip())
    # each pattern only where the text holds what it must start with or contain (most lines: none)
    if t.startswith(("[", "【")):
        t = _SITE_IN_BRACKETS.sub("", t)
    if t.startswith(("Page", "page", "P.", "p.")):
        t = _PAGE_CAPTION.sub("", t)
    if "." in t:
        t = _FILE_EXTENSION.sub("", t)
    if "19" in t or "20" in t:
        t = _DATE_AFTER.sub("", t)
    if t.endswith("全文"):
        t = _FULL_TEXT_TAG.sub("", t)
    if not (t.isprintable() and " " not in t):  # every blank but the ASCII space is unprintable
        t = _SPACE_IN_CHINESE.sub("", t)
    return t.strip(" |｜")


def strip_title_label(line: str) -> str:
    """'标      题 某某报告' / '标题：某某报告' / '信息名称: | 某某报告 | ||' -> '某某报告'."""
    m = _LABEL.match(line)
    return m["value"].strip(" \t|｜") if m else line


def names_report(s: str, strict: bool = True) -> bool:
    """Names a report and is not a sentence; ``strict`` also wants 信息 (page meta titles name any
    document of the site)."""
    return bool(s) and len(s) <= _TITLE_MAX and bool(REPORT_CORE.search(s)) and not _SENTENCE_PUNCT.search(s) \
        and (not strict or "信息" in s)


def is_title(s: str, strict: bool = True) -> bool:
    """A report's own title: names a report and a year or a publisher; not a column or crumb line."""
    if not names_report(s, strict) or _COLUMN.search(s) or _NOT_IN_A_TITLE.search(s):
        return False
    core = REPORT_CORE.search(s)
    return bool(_YEAR.search(s)) or bool(re.search(rf"[{_CJK}]{{2}}", _NOT_A_PUBLISHER.sub("", s[: core.start()])))


def labelled_title(lines: list[str]) -> str | None:
    """The value of the first title-labelled header line that is a report's title."""
    for line in lines:
        m = _LABEL.match(line)
        if m and is_title(clean_title(m["value"])):
            return clean_title(m["value"])
    return None


def _is_prose(line: str) -> bool:
    return len(line) >= _PROSE_MIN and bool(_SENTENCE_PUNCT.search(line))


def _publisher_words(title: str) -> str:
    """What a title says before the report's name, without its year and generic words."""
    core = REPORT_CORE.search(title)
    return _NOT_A_PUBLISHER.sub("", _YEAR.sub("", title[: core.start()] if core else title)).strip("年度")


def _name_line(line: str) -> bool:
    from .extract.lines import NAME_ENDINGS  # noqa: PLC0415 (one list of name endings)

    return bool(_NAME_LINE.match(line)) and line.endswith(tuple(NAME_ENDINGS)) and not _COLUMN.search(line) \
        and REPORT_CORE.search(line) is None


def _title_at(head: list[str], i: int) -> str | None:
    """The title that starts at line ``i``: the line itself, or the line joined with the line after
    it when the title is split after its year ("某苏木人民政府2025年" / "政府信息公开工作年度报告") or
    before its report word ("…信息公开工作" / "年度报告"); with the name line above it when it has
    no publisher of its own ("昆明市人民政府" / "2020年政府信息公开工作年度报告")."""
    line = head[i]
    if _LABEL.match(line):
        return None
    t = clean_title(line)
    after = clean_title(head[i + 1]) if i + 1 < len(head) else ""
    if not is_title(t):
        if (_ENDS_WITH_YEAR.search(t) and _CONTINUES.match(after)) or _REPORT_WORD_ONLY.match(after):
            t = t + after
        if not is_title(t):
            return None
    if i > 0 and not _publisher_words(t) and _name_line(clean_title(head[i - 1])):
        t = clean_title(head[i - 1]) + t
    return t


def _head(lines: list[str]) -> list[str]:
    """The first ``_HEAD_SCAN`` non-empty lines, stripped (the rest of a long body is not looked at)."""
    return list(islice(filter(None, map(str.strip, lines)), _HEAD_SCAN))


def head_title(lines: list[str]) -> str | None:
    """The first line before the body's prose that is a report's title (a labelled one aside),
    or two lines that make one (``_title_at``)."""
    head = _head(lines)
    for i, line in enumerate(head):
        if _is_prose(line):
            return None
        t = _title_at(head, i)
        if t:
            return t
    return None


# a notice that publishes a report ("…关于公布贺州市2009年度…年度报告的通知", or its second line alone)
_NOTICE_OF_REPORT = re.compile(r"(?:^|关于(?:发布|公布|印发|报送|呈报|上报)?《?)(?P<report>[^《》关]{4,60}?(?:年度报告|工作报告|年报))》?"
                               r"的(?:公告|通告|通知|函)$")
_ATTACHMENT_MARK = re.compile(r"^附件\d*[:：]?")
_NOTICE_SCAN = 40  # lines of a notice page where the report it publishes can start


def report_below_notice(lines: list[str], title: str) -> str:
    """A notice's title yields to the report it publishes when the page goes on with that report
    under its own heading (贺州市2009年度…年度报告, after the notice's lines and date); a notice page
    without one keeps its own title (教育部办公厅关于2016年…报告的公告)."""
    m = _NOTICE_OF_REPORT.search(title)
    if m is None:
        return title
    # the report by the name the notice gives, or with the notice's issuer before it (福建省公安厅关于报送
    # 2020年…报告的函 / 福建省公安厅2020年…报告); its own heading, or an attachment line naming it
    issuer = title[: m.start("report")].rsplit("关于", 1)[0]
    names = {m["report"], issuer + m["report"]}
    found = next((n for ln in lines[:_NOTICE_SCAN] if (n := _ATTACHMENT_MARK.sub("", clean_title(ln))) in names), None)
    return found or title


def heading_below(lines: list[str], title: str) -> str:
    """The report's own heading when the page's title line is followed by it: the same publisher
    and year (or the page's line had no year), written as the document writes it; the title's
    first half on the line above joined
    ("海关总署(本级机关)2020年…报告-pa凯发国际登录" above "海关总署(本级机关)2020年…报告";
    a column's "云南省政府信息公开工作年度报告" above "2019年云南省政府信息公开工作年度报告")."""
    head = _head(lines)
    at = next((i for i, ln in enumerate(head) if title and title in clean_title(ln)), None)
    if at is None:
        return title
    whole = _title_at(head, at)
    if whole and whole != title and whole.endswith(title):  # its first half on the line above
        title = whole
    years = _YEAR.findall(title)
    # a page's title line shows itself by what it carries besides the title: a site in brackets,
    # junk after a separator; or it is a column's name without a year. A plain line stays the title.
    page_line = re.sub(r"\s", "", head[at]) != title or not years or bool(_SEPARATOR.search(title))
    for j in range(at + 1, min(len(head), at + 1 + _BELOW_SCAN)) if page_line else ():
        if _is_prose(head[j]):
            break
        below = _title_at(head, j)
        if below and below != title and _publisher_words(below) == _publisher_words(title) \
                and (not years or _YEAR.findall(below) == years):
            return below
    return title


def quoted_title(text: str) -> str | None:
    """The report's name quoted where the opening sentence publishes it ("现发布《辽宁省2019年度
    政府信息公开工作报告》"): the title of a page that sets none as a line."""
    head = text[:_QUOTE_SCAN]
    first_section = FIRST_SECTION.search(head)
    # only before the report's first section: inside it, 公开发布《…2021年…报告》 is last year's report
    # being listed among the work done (central nppa 2022)
    m = _QUOTED.search(head, 0, first_section.start() if first_section else len(head))
    return clean_title(m["title"]) if m and is_title(clean_title(m["title"])) else None


def glued_title(line: str) -> str | None:
    """The title at the front of a line that runs on (printed twice, or glued to the first
    paragraph): its text up to the report's name, when what follows is a space, the same title
    again or nothing."""
    s = line.strip()
    core = REPORT_CORE.search(s)
    if not core or core.start() > 40:
        return None
    end = core.end() + _TITLE_TAIL.match(s[core.end():]).end()
    title, rest = s[:end], s[end:]
    if not is_title(clean_title(title)) or not (rest[:1].isspace() or rest.startswith(title) or not rest):
        return None
    return clean_title(title)
