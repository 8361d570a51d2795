"""Is a Document an annual disclosure report, and which format does it fill?

``is_annual_report(doc) -> (bool, reason)``: the reason says why not (an empty page, a list page of
report links, a 解读 page, a notice, a stub whose report is an attachment, a disclosure rule, guide
or statistics form, part-year statistics, a page in another script) or what convinced us. A
report is recognised by a score over its title (政府信息公开…年度报告 and its variants,
research/sites.md §5, also a labelled header line "标题：…" or a title glued to the text), its
template tables, and the body's own words (条例, 本报告, 统计期限, its section headings as lines, a
sentence publishing it by name, the phrases its prose keeps saying), so a page without a good
title (a breadcrumb or menu first, a scrambled title, a page stored from its middle) still is
one; a publication notice around the report ("关于…年度报告的公告") is the report. A 繁體 copy
arrives converted by the extract stage, pinyin reading aids are dropped (``parser.traditional``);
a 图解 copy with the numbers is a report.

``detect_format(doc) -> "gb2019" | "gb2021" | "legacy"``: by the template tables' headers and rows
(gb2021: 本年制发件数…, (六)其他处理 split in three; gb2019: 本年新制作数量…, one 其他处理 row); a
plain-text copy whose tables are lines of text is read the same way; without readable tables, a
report on 2019 or later (or in the template's wording) fills the template of its year covered.
Reads no settings.
"""
from __future__ import annotations

import re

from .document import Document
from .extract.lines import is_menu_line
from .labels import FORMAT_MARKERS, norm_label
from .metadata import covered_year
from .numbers import normalize_width
from .templates import classify_table
from .titles import TITLE_LABELS, clean_title, glued_title, is_title, labelled_title
from .traditional import reading_view

__all__ = ["is_annual_report", "detect_format", "report_title_like"]

# a title that names an annual disclosure report (信息公开 + 报告/年报), in any of the real variants
# (searched for, never matched: a 政府/政务 before 信息 changes nothing, and a pattern starting with
# its literal lets a search skip to the characters it starts with)
_TITLE = re.compile(r"信息(公开)?.{0,8}(年度|工作|年)?报告|信息公开.{0,4}年报|政务公开.{0,6}年度报告")
# words in a title that make it something else: interpretations, notices, guides, plans
_NOT_A_REPORT_TITLE = (
    ("解读", "a 解读 (interpretation) page"),
    ("问答", "a 问答 (Q&A) page"),
    ("通知", "a notice (通知)"),
    ("通报", "a circular (通报)"),
    ("公告", "an announcement (公告)"),
    ("的函", "a letter (函)"),
    ("征求意见", "a call for comments"),
    ("工作要点", "a work plan (工作要点)"),
    ("实施方案", "a plan (方案)"),
    ("公开指南", "a disclosure guide (指南)"),
    ("公开目录", "a disclosure catalogue (目录)"),
    ("考核", "an evaluation (考核)"),
    ("评估报告", "an evaluation report"),
    ("发布", "a news item about a report (发布)"),
    ("的说明", "an explanation (说明)"),
    ("的批复", "a reply (批复)"),
    ("制度", "a rule (制度)"),
    ("管理办法", "a rule (办法)"),
)
# a title that publishes the report itself ("X关于2016年Y政府信息公开工作年度报告的公告"): the
# notice is the report's wrapper, not something else
# (its second line alone when the title is split: "贺州市人民政府办公室关于公布" / "贺州市2009年度…年度报告的通知")
# (a letter sending it on: "福建省公安厅关于报送2020年政府信息公开工作年度报告的函")
_PUBLISHES_REPORT = re.compile(r"(?:关于(?:发布|公布|印发|报送|呈报|上报)?《?|^)[^《》]{0,40}(?:年度报告|工作报告|年报)》?"
                               r"的(?:公告|通告|通知|函)$")
# a first line that names a disclosure document of another kind ("第六师五家渠市政务信息公开指南",
# "海棠区2015年政府信息公开情况统计表": an appendix form on its own)
_OTHER_DOCUMENT_LINE = re.compile(r"(?P<who>[\u4e00-\u9fff]{0,30}?)(?:政府|政务)?信息公开[^，。；,;]{0,12}"
                                  r"(?:指南|制度|办法|规定|目录|统计表)(?:[（(][^）)]{1,6}[)）])?$")
# who issues such a document: a place or a body (a bare menu item "政府信息公开指南" names nobody)
# statistics of part of a year ("2022年上半年政府信息公开数据统计"), not the annual report
_PERIOD_STATS = re.compile(r"(?:上半年|下半年|第?[一二三四1-4]季度|[1-9一二三四五六七八九十]{1,2}月份?)[^，。]{0,10}(?:信息公开|政务公开)"
                           r"[^，。]{0,8}(?:统计|数据|情况)")
_ISSUER = re.compile(r"[省市县区州盟旗镇乡师]|政府|[厅局委办]")
# articles of a regulation ("第三条 各镇(街)负责编制…"): a rule about reports, not a report
_ARTICLE_LINE = re.compile(r"^\s*第[一二三四五六七八九十百]+条(?![第(（])\s*\S")
_ARTICLES_MIN = 3
# an official document's title starts with 关于 (关于印发…的通知); a report's title never does
_DOCUMENT_TITLE = re.compile(r"^关于")
_NAMES_SOMETHING = re.compile(r"\d{4}|关于|信息公开|政务公开|解读")
_NAMES_A_REPORT = re.compile(r"\d{4}|信息公开|政务公开|年报|报告")
_SENTENCE = re.compile(r"[，。；,;]")
_SITE_AFTER = re.compile(r"\s*[-—–]+\s*(?=[\u4e00-\u9fff]{2,30}(?:网|网站|门户)$)")
_CRUMB = re.compile(r"[>＞»›]|当前位置|您的位置|栏目[:：]")
# the report's own section headings as lines ("一、总体情况", "二、主动公开政府信息情况")
_HEADING_LINE = re.compile(
    r"^[(（][一二三四五六七八九十]+[)）]\s*(?:公开的主要内容|公开(?:的)?形式|主动公开(?:政府信息)?(?:情况)?|依申请公开(?:情况)?)$"
    r"|^[一二三四五六七八九十]+[、.．]\s*(?:总体情况|(?:基本情况)?概述|基本情况|主动公开政府信息(?:的)?(?:工作)?情况|依申请公开(?:政府信息)?(?:的)?(?:工作)?情况"
    r"|收到和处理政府信息公开申请(?:的)?情况|政府信息公开(?:的)?收费及减免情况|政府信息公开行政复议、?行政诉讼情况"
    r"|(?:因)?政府信息公开(?:申请)?(?:提起|引起)?(?:的)?行政复议|存在的主要问题及改进(?:情况|措施)|其他需要报告的事项)")
# a sentence in which the report names itself ("现发布《…年度报告》", "编制本报告", "本年度报告由…编制")
_NAMES_ITSELF = re.compile(r"(?:现发布|现将|现予公布|现公布|特公布|特发布|发布)《?[^。《》]{0,40}(?:年度报告|工作报告|年报)"
                           r"|(?:编制|制作|形成)本(?:年度)?报告|本(?:年度)?报告(?:是)?(?:由|根据|依据)")
_BYLINE_TAIL = re.compile(r"(发布|更新|信息)(时间|日期|机构|单位|来源).*$|来源[:：].*$")
_BODY_WORDS = ("政府信息公开条例", "本报告", "本年度报告", "年度报告", "统计期限", "统计时限", "统计期间")
_SECTION_WORDS = ("总体情况", "概述", "主动公开", "依申请公开", "收到和处理政府信息公开申请", "行政复议",
                  "存在的主要问题", "其他需要报告的事项", "收费及减免")
# the first years each template was used for (a report on 2019 fills gb2019, on 2021 gb2021)
_GB2019_FIRST_YEAR, _GB2021_FIRST_YEAR = 2019, 2021
# wording only the template-era reports use (its table headings and legal references)
_TEMPLATE_ERA_WORDS = tuple(norm_label(w) for w in (
    "收到和处理政府信息公开申请情况", "本年新收政府信息公开申请数量", "第二十条第（一）项", "政府信息公开行政复议、行政诉讼情况",
    "国办公开办函〔2019〕60号", "国办公开办函〔2021〕30号", "国务院令第711号"))
# what a report's own prose keeps saying (a page stored from its middle has no title or preamble)
_REPORT_PHRASES = ("主动公开政府信息", "政府信息公开申请", "依申请公开", "政府信息公开工作", "公开政府信息", "政务公开工作")
_PHRASES_MIN = 3
_CJK_SHARE_MIN = 0.3  # a page opening in another script is a summary or a translation, not the report
_OPENING = 600
_CJK_CHAR = re.compile("[\u4e00-\u9fff]")  # counted in the opening by one findall, not a loop in Python
_LIST_LINE_MAX = 70  # a link line on a list page is short
_PROSE_LINE_MIN = 60  # a report has paragraphs at least this long


def _title_candidates(doc: Document) -> tuple[list[str], list[str], list[str]]:
    """(the titles the page declares, the first lines of the text, pairs of them joined)."""
    declared = [doc.title or ""]
    declared += [doc.meta.get(k, "") for k in ("articletitle", "pdf_title", "docx_title", "doc_title", "title",
                                                *TITLE_LABELS)]
    # <title> carries the column and site after a separator ("…年度报告_通知公告_某区政府"): keep the first part
    declared.append(re.split(r"\s*[_|｜]\s*|\s+[-—–]+\s+", doc.meta.get("html_title", ""))[0])
    # a site menu ("首页 主动公开 解读回应 政府工作报告") is no title, nor part of one
    lines = [ln.strip() for ln in doc.text.splitlines() if ln.strip() and not is_menu_line(ln)]
    # the first lines, and two joined (a title split over two lines: "宿州市人民政府2016年 / 政府信息公开…")
    first = lines[:3]
    joined = ["".join(lines[i:i + 2]) for i in range(min(2, len(lines)))]
    # a labelled header line ("标题：…"), a title glued to the text after it
    joined += [t for t in (labelled_title(lines[:12]), glued_title(lines[0]) if lines else None) if t]

    def clean(cands: list[str]) -> list[str]:
        return [normalize_width(c).replace(" ", "") for c in cands if c and len(c) <= 120]

    return clean(declared), clean(first), clean(joined)


def report_title_like(text: str) -> bool:
    """Does this line read like the title of an annual disclosure report?"""
    if "年" not in text and "\uf98e" not in text:  # no 年 before NFKC, none after (U+F98E is its only other form)
        return False
    t = normalize_width(text).replace(" ", "")
    return len(t) <= 120 and "年" in t and _TITLE.search(t) is not None  # (the search last: it costs most)


def _negative_title(declared: list[str], first_lines: list[str]) -> str | None:
    """Why a title makes the page something else. A declared title counts when it names something
    (a year, 关于, 信息公开: not a bare column name such as 通知公告); a body line only when it reads
    like a report title."""
    named = [t for t in declared if _NAMES_SOMETHING.search(t)]
    # a body line counts when it is a title, not a sentence and not a menu item ("政策解读")
    lines = [t for t in first_lines if report_title_like(t) or ("解读" in t and _NAMES_A_REPORT.search(t))]
    for t in named + lines:
        t = _BYLINE_TAIL.sub("", clean_title(t))  # "…年度报告 发布时间:2018-03-29" on one line
        t = _SITE_AFTER.split(t)[0] or t  # "…年度报告的函- 广东省生态环境厅公众网": the site after a dash
        if "|" in t or "｜" in t:
            continue  # a row of labelled header cells ("| 公开目录 | 政府信息公开年报 | 发布日期 |…"), no title
        if len(t) > 60 or _SENTENCE.search(t) or _PUBLISHES_REPORT.search(t) or _CRUMB.search(t):
            continue
        for word, why in _NOT_A_REPORT_TITLE:
            if word in t:
                return why
        if _DOCUMENT_TITLE.match(t):
            return "an official document (关于…), not a report"
    return None


def _template_tables(doc: Document) -> list[str]:
    return [k for t in doc.tables if (k := classify_table(t))]


def _other_document(lines: list[str]) -> str | None:
    """Why the page is a rule or guide about disclosure rather than a report."""
    head = [normalize_width(ln).replace(" ", "") for ln in lines[:40]]
    for i, ln in enumerate(head):
        if _PERIOD_STATS.search(ln) and not _SENTENCE.search(ln):
            return "statistics of part of a year (" + ln[:20] + ")"
        if is_title(ln) or len(ln) >= _PROSE_LINE_MIN:
            break  # the page's title is further up: past it, such a line is a link or a citation
        m = _OTHER_DOCUMENT_LINE.search(ln) if len(ln) <= 60 and not _SENTENCE.search(ln) and not _CRUMB.search(ln) else None
        # named by its issuer, or the page's own first line (a bare menu item names nobody)
        if m and (i == 0 or _ISSUER.search(re.sub(r"(?:政府|政务)$", "", m["who"]))):
            return "a disclosure rule, guide or form (" + ln[-8:] + ")"
    if sum(bool(_ARTICLE_LINE.match(ln)) for ln in lines) >= _ARTICLES_MIN:
        return "a regulation (第…条 articles)"
    return None


def is_annual_report(doc: Document) -> tuple[bool, str]:
    """(True, what convinced us) or (False, why not). A 繁体 copy is read folded to 简体."""
    doc = reading_view(doc)
    text = doc.text or ""
    body = "".join(text.split())  # (the characters a regex's \s matches, cut by str.split)
    tables = _template_tables(doc)
    if len(body) < 300 and not tables and any(h.lower().endswith((".pdf", ".doc", ".docx", ".wps"))
                                             for _, h in doc.attachments):
        return False, "a stub page; the report is in an attachment"
    declared, first_lines, joined = _title_candidates(doc)
    # joined lines only help find a title split in two; they never make a page something else
    negative = _negative_title(declared, first_lines)
    if negative:
        return False, negative
    if len(body) < 80 and not tables:
        return False, "an empty page (almost no text and no tables)"
    titles = declared + first_lines + joined
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    other = None if tables else _other_document(lines)
    if other:
        return False, other
    opening = body[:_OPENING]
    if not tables and len(_CJK_CHAR.findall(opening)) < _CJK_SHARE_MIN * len(opening):
        return False, "mostly not Chinese text (a summary or translation of a report)"
    link_lines = [ln for ln in lines if len(ln) <= _LIST_LINE_MAX and report_title_like(ln)]
    prose_lines = [ln for ln in lines if len(ln) >= _PROSE_LINE_MIN]
    if len(set(link_lines)) >= 4 and len(prose_lines) < 3 and not tables:
        return False, f"a list page ({len(set(link_lines))} report links, no report body)"
    head = body[:3000]
    score = 3 if any(report_title_like(t) for t in titles) else 0
    score += 3 if tables else 0
    score += min(3, sum(w in head for w in _BODY_WORDS))
    score += min(3, sum(w in body for w in _SECTION_WORDS) // 2)
    score += min(4, 2 * sum(bool(_HEADING_LINE.match(ln)) for ln in lines))
    score += 3 if _NAMES_ITSELF.search(head) else 0
    # in the prose only: a statistics form's rows say these words too
    prose = "".join(ln for ln in lines if "\t" not in ln and "|" not in ln)
    score += 2 if sum(prose.count(p) for p in _REPORT_PHRASES) >= _PHRASES_MIN else 0
    if score < 3:
        return False, "no report title, template tables or report wording"
    if len(prose_lines) == 0 and not tables and not re.search(r"\d", body):
        return False, "an image-only page (no text numbers, no tables)"
    return True, "template tables" if tables else f"report wording (score {score})"


def _marker_counts(texts: list[str]) -> dict[str, int]:
    joined = "|".join(norm_label(t) for t in texts)
    return {fmt: sum(norm_label(m) in joined for m in markers) for fmt, markers in FORMAT_MARKERS.items()}


def detect_format(doc: Document) -> str:
    """``gb2019``, ``gb2021`` or ``legacy``, by the template tables (or, without tables, the text);
    without either, a report on 2019 or later fills the template of its year."""
    doc = reading_view(doc)
    cells = sorted({c for t in doc.tables if classify_table(t) for row in t.grid for c in row if c and len(c) <= 120})
    if cells:
        counts = _marker_counts(cells)
        if counts["gb2021"] or counts["gb2019"]:
            return "gb2021" if counts["gb2021"] >= counts["gb2019"] else "gb2019"
        # only tables 3/4 without the split (六) rows: the one 其他处理 row is gb2019's
        return "gb2019" if any("其他处理" in c for c in cells) else "gb2021"
    # no template tables: a text copy where the table rows are lines
    lines = [ln for ln in (doc.text or "").splitlines() if len(ln) <= 200]
    counts = _marker_counts(lines)
    template_rows = sum(any(w in ln for w in ("本年新收政府信息公开申请", "自然人", "法人或其他组织", "结果维持"))
                        for ln in lines)
    if template_rows >= 2 and (counts["gb2021"] or counts["gb2019"]):
        return "gb2021" if counts["gb2021"] >= counts["gb2019"] else "gb2019"
    if counts["gb2021"] >= 2 or counts["gb2019"] >= 2:
        return "gb2021" if counts["gb2021"] >= counts["gb2019"] else "gb2019"
    # tables that cannot be read (images, an excerpt cut before them): the template of the year
    # covered, when the year or the template's own wording says the report is of that era
    year = covered_year(doc)
    era = sum(w in norm_label(ln) for ln in lines for w in _TEMPLATE_ERA_WORDS)
    if year is not None and (year >= _GB2019_FIRST_YEAR or era >= 2):
        return "gb2021" if year >= _GB2021_FIRST_YEAR else "gb2019" if year >= _GB2019_FIRST_YEAR else "legacy"
    return "legacy"

