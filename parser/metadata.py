"""Document -> Metadata: title, year covered, region (+ GB/T 2260 code), agency, publish date.

Takes a ``parser.document.Document``; returns ``Metadata``. Pure; reads no settings. The labels,
meta names, priorities and body patterns it uses are DATA at the top of this module. A 繁體 copy
arrives converted to 简体 by the extract stage; the title and the agency as written keep the page's
characters (``parser.traditional.as_written`` over ``Document.original_text``).

- title: the report's own title (``parser.titles``: the reader's ``doc.title``, a page meta title,
  a labelled header line "标题：…", a line of the head before the prose, the front of a glued first
  line); a breadcrumb or column name never is one; None when the page shows none.
- year: the year covered: the title's, else the body's ("2019年度政府信息公开…", "统计期限自2017年
  1月1日", "二〇一七年"); never from the URL, never the publish year.
- agency: None for a government's own report (区人民政府, 市政府, 镇人民政府, a 开发区's own); else
  the body's full official name (``parser.agencies``), with the name as written in
  ``agency_as_written``. Without a title, the body's statements name it, most telling first: the
  report it names ("现将X2019年…报告"), who compiled it ("由X编制": a government's general office
  compiles the government's own report unless the text speaks as that office, 我办), the
  subject of a "2019年，X坚持…" sentence, the contact ("请与X联系"), the header's 发布机构.
- region, region_code: ``parser.regions.resolve_region`` over place-naming positions only: the
  title's publisher, those statements, the header's source and site names, the signature, the
  breadcrumbs, name lines of the head, then whole place names the body writes as a sentence's
  subject ("2020年，高邑县人民政府…", "由徐水区人民政府…编制", "兰州市共收到…") or as the site
  it publishes on (the deepest first); never an address, a cited document's name 《…》 or a
  short name inside a phrase (「…69号）和县政府办公室」). The answer must agree with the places
  the document names (``regions.agrees_with``) and with the level the report speaks as ("我镇"
  or a town's own body named twice: a town or nothing; "区人大、区政协" under a city's name: the
  one district the text names inside it), else None: a wrong region is worse than none. Without
  an answer, a report that speaks as "我州"/"全省各级…" (or names its body with a bare level word,
  "市外办") is in the one division of that level the text names. Still without one, the gov.cn
  host the document came from (``parser.hosts``: www.tianmen.gov.cn is 天门市's) settles an
  ambiguous town (胡市镇) or is the region itself, and a ``metadata.region_from_host`` finding says
  so; any other host is no evidence (a mirror can be anyone's). "全国" (no code) for a central
  body (自然资源部).
- published: ISO date from the byline or metadata table (DATE_LABELS, in order), then page meta
  tags (DATE_META_KEYS), then an unlabelled date next to the title (the readers'
  ``date_near_title``), then a bare date at the head (a byline line with 来源/作者 included),
  then the signature's date (Arabic or Chinese numerals), then an update time. Never from the URL
  (sites re-date old reports when they migrate).
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone

from .agencies import clean_agency, normalise_agency
from .agency_names import GENERAL_OFFICES
from .document import Document
from .extract.labels import read_byline
from .extract.lines import NAME_ENDINGS, NEAR_TITLE_DATE, is_menu_line, pick_title
from .hosts import host_places
from .numbers import normalize_width, parse_cn_number
from .record import Metadata
from .regex_cache import cached
from .regions import (NATIONAL, TOWN_SUFFIXES, ZONE_SUFFIXES, Resolution, agrees_with, dominant_division,
                      division_inside, is_central_body, names_a_place, place_spans, resolve_region, strip_places,
                      towns_named, zones_named)
from .titles import (FIRST_SECTION, REPORT_CORE, clean_title, glued_title, head_title, heading_below, is_title,
                     report_below_notice,
                     labelled_title, quoted_title)
from .traditional import as_written, reading_view

__all__ = [
    "Metadata", "read_metadata", "parse_date", "split_title", "is_own_government", "covered_year",
    "DATE_LABELS", "DATE_META_KEYS", "UPDATE_LABELS", "SOURCE_LABELS", "TITLE_META_KEYS",
    "STATEMENT_PATTERNS",
]

# byline / metadata-table labels that give the publish date, most reliable first (sites.md §5.3)
DATE_LABELS = ("发布时间", "发布日期", "发文日期", "公开日期", "信息提供日期", "印发日期", "成文日期",
               "公文生成日期", "生成日期", "日期", "时间")
# <meta> names (lower-cased) that give it when no byline does
DATE_META_KEYS = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time",
                  "dc.date", "display_publish_time", "publish_time", "publishtime", "created_at", "date")
# a page's update time: the last resort, after the signature
UPDATE_LABELS = ("更新时间", "更新日期", "lastmodifiedtime")
# who published the page (region hints only: a 市政府办 publishes the government's own report)
SOURCE_LABELS = ("发布机构", "发文机关", "发文机构", "发文单位", "公开部门", "发布单位", "发布部门",
                 "所属机构", "信息来源", "文章来源", "来源", "contentsource")
SITE_META_KEYS = ("sitename", "site_name", "og:site_name")
TITLE_META_KEYS = ("articletitle", "标题", "pdf_title", "docx_title", "doc_title", "html_title", "title")

_CJK = r"\u4e00-\u9fff"
_ORG = rf"(?P<org>[{_CJK}（）()]{{2,40}}?)"
_YEAR = r"(?:19|20)\d{2}"
_ORG_END = r"(?<!在)(?<!的)(?<!人民)"
# sentences where a report names its subject, who compiled it, or whom to ask; most telling kind first
STATEMENT_KINDS = ("report", "compiler", "subject", "contact", "site")
STATEMENT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, cached(p)) for kind, p in (
    ("report", rf"(?:现将|现就|现予公布|现公布|特发布|现发布|特公布|公布|编写|编制|发布)了?《?{_ORG}{_ORG_END}\s*"
               rf"(?:{_YEAR}|[〇零○一二三四五六七八九]{{4}})\s*年度?(?:政府|政务)?信息公开[^。，,；;]{{0,12}}(?:报告|年报)"),
    ("report", rf"《{_ORG}{_ORG_END}(?:{_YEAR})\s*年度?(?:政府|政务)?信息公开[^》]{{0,12}}报告》"),
    # the report's name opening its first sentence: "2011年峨山县政府信息公开工作年度报告是…由…编制而成"
    ("report", rf"(?:^|\n)[ \t\u3000]*(?:{_YEAR})\s*年度?(?!政府|政务){_ORG}{_ORG_END}(?:政府|政务)?信息公开[^。，,；;《》\n]{{0,12}}"
               rf"(?:报告|年报)(?:是|由|根据|依据|按照)"),
    # the year before the body: "现向社会公布2021年石家庄市教育局政府信息公开工作年度报告",
    # "现公布2021年度弋阳县高新科技产业园管理委员会信息公开年度工作情况"
    ("report", rf"(?:现将|现予公布|现公布|现向社会公布|向社会公布|特发布|现发布|特公布)了?《?(?:{_YEAR})\s*年度?"
               rf"{_ORG}{_ORG_END}(?:政府|政务)?信息公开[^。，,；;《》]{{0,12}}(?:报告|年报|工作情况)"),
    ("compiler", rf"由{_ORG}{_ORG_END}(?:具体|统一|牵头)?(?:根据|依据|按照|编制|汇总|综合|负责|组织|编写|制作)"),
    ("compiler", rf"[,，。]{_ORG}{_ORG_END}(?:特|现)?编制(?:形成|完成)?了?《?(?:本报告|本年度报告|{_YEAR}\s*年)"),
    ("compiler", rf"(?:^|[\n。])[ \t\u3000]*{_ORG}{_ORG_END}(?:根据|依据|按照)《"),
    ("subject", rf"{_YEAR}\s*年度?[,，]*{_ORG}{_ORG_END}(?:政府信息公开工作|政务公开工作)?(?=认真|坚持|深入|全面|紧紧|严格|"
                rf"按照|始终|围绕|扎实|积极|进一步|持续|不断|高度|牢固|紧扣|聚焦|以习近平|以党的|在[{_CJK}]{{1,8}}领导下|"
                rf"主动公开|共[收受办公主]|累计)"),
    ("subject", rf"领导下[,，]{_ORG}{_ORG_END}(?=认真|切实|坚持|深入|全面|严格|按照|扎实|积极|持续|不断|紧紧|始终|围绕)"),
    ("contact", rf"(?:请与|可与|请联系|请致电|联系单位)[:：]?(?P<contact>[{_CJK}（）()]{{2,60}}?)(?=联系|[,，。;；]|地址|电话)"),
    ("site", rf"(?:可在|可从|可以在|可登录|登录|通过)[“\"「]?(?P<site>[{_CJK}·]{{2,30}}?)[”\"」]?(?:人民政府|政府)?(?:门户)?网站"),
    # 以滨江区政府信息公开网站为平台
    ("site", rf"以[“\"「]?(?P<site>[{_CJK}·]{{2,30}}?)[”\"」]?(?:人民政府|政府)?(?:信息公开|政务公开)?(?:门户)?网站为"),
))
# the text speaking as an office (我办, 本厅): then the office that compiled the report is its subject
_OFFICE_VOICE = re.compile(r"[我本](?:办|厅)(?![法理公])")
# a sub-unit after a body in a contact line: the body is the one before it
_SUB_UNIT = re.compile(r"(?:(?:政府信息公开|信息公开|政务公开)(?:和|暨|及|、)?)+(?:工作)?(?:领导小组)?(?:办公室|办|科|股|处|组)$"
                       r"|(?:(?<=[局委厅会心署部])|(?<=办公室)|(?<=人民政府))(?:(?!办公室|办公厅)[\u4e00-\u9fff]){0,6}(?:处|科|股|组)$"
                       r"|(?<=[局委厅会心署部])办公室$"
                       r"|(?<=[局委厅办署部])信息中心$"
                       r"|(?<=[局委会心署部])办公厅$")
# an alias in brackets right after a body's name ("管理委员会(福州保税港区管理委员会)")
_ALIAS_AFTER_BODY = re.compile(r"(?<=[局委厅府会办室])[（(][^（）()]{2,30}[)）](?=[\u4e00-\u9fff])")
# a name that opens with a level word instead of a place ("自治区人民政府办公厅", "县商务局")
_BARE_LEVEL = re.compile(r"^(?:自治区|省|市|州|盟|县|区|旗)(?![场域])")
# a publisher is a name: Chinese, brackets, a middle dot (not a spam mirror's "beat365…")
_NAME = re.compile(rf"^[{_CJK}（）()·]+$")
# an org that is a pronoun or a whole area, not a name ("我局", "本机关", "全省")
# (在平潭综合实验区管委会网站主动公开…: where, not who; 在妙镇, 在中乡 are towns)
_NOT_A_NAME = re.compile(r"^(?:我|本|全|各|该|其|在(?![\u4e00-\u9fff]{1,2}[乡镇]))")
# a title's publisher that names a whole system, not a body ("全国海关2020年…": the body is 海关总署)
_WHOLE_SYSTEM = re.compile(r"^(?:全国|全省|全市|全区|全县|各)")
# a body's internal unit named on its own (秘书处, 综合科)
_BARE_SUB_UNIT = re.compile(rf"^[{_CJK}]{{1,6}}(?:处|科|股|组)$")
# words a body's name never holds: what a pattern caught is a phrase, not a name
_NOT_IN_A_NAME = re.compile(r"公布|编制|发布|印发|关于|要求|规定|根据|依据|以下|简称|及|通过")
# compiler offices: they write a government's report, they are not its subject
_COMPILER_WORDS = ("信息公开", "政务公开")
# what is left of a government's own name once its places are stripped
_OWN_GOVERNMENT = re.compile(
    rf"^(?:[省市区县旗州盟])?(?:人民政府|政府)?(?:[{_CJK}]{{1,8}}?(?:{'|'.join(TOWN_SUFFIXES)}))?"
    r"(?:人民政府|政府|办事处|街道办事处)?$")
_OFFICE_CHARS = frozenset("局委办厅部院会所处室司队站心")
# names of areas the region table does not know: one to four "<name><level>" parts, then 人民政府
_AREA_LEVEL_WORDS = ("自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "州", "盟", "区", "县", "旗",
                     *TOWN_SUFFIXES)
_UNKNOWN_AREAS = re.compile(rf"^(?:[{_CJK}]{{1,8}}?(?:{'|'.join(_AREA_LEVEL_WORDS)})){{1,4}}"
                            r"(?:人民政府|政府|街道办事处|办事处)?$")
# zones that end in 区 but are not administrative areas (their bodies report as agencies)
_ZONE_WORDS = ("园区", "景区", "社区", "校区", "片区", "开发区", "示范区", "保税区", "试验区", "实验区", "合作区",
               "管理区", "度假区", "高新区")

# the body's own places: a whole place name (``regions.place_spans``) where a sentence names its
# subject ("2020年，高邑县人民政府…", "由徐水区人民政府…编制", "兰州市共收到…") or the site the
# report is published on ("在海南省政府门户网站", "乌拉特前旗政府网站"); never inside a cited
# document's name 《…》, never after "和"/"及" (「…69号）和县政府办公室」 is "and the county's office")
_SUBJECT_BEFORE = re.compile(r"(?:^|[\n。；;！!？?]|由|(?:19|20)\d{2}\s*年度?[,，]+|本年度[,，]?)[ \t\u3000]*$")
_SUBJECT_AFTER = re.compile(r"^(?:人民政府|政府|各级|各部门|共[收受办公]|(?:19|20)\d{2}\s*年|(?:政府)?(?:信息公开|政务公开)工作)")
_SITE_AFTER = re.compile(r"^(?:人民政府|政府)?(?:门户网站|网站|门户网|公众信息网|信息网|政务网)")
_CITED_OPEN = re.compile(r"[《<〈][^《》<>〈〉]*$")
_BODY_PLACE_SCAN = 6000
_SPEAKER_SCAN = 20000
# how a report speaks of its own level ("我县", "本市", "全省各级…", "区人大、区政协"): the lowest
# level it speaks as; 市 and 区 also name other levels (a county-level 市, 自治区)
_SELF_LEVEL = re.compile(
    r"(?:我|本)(?P<own>自治区|街道|苏木|省|市|州|盟|县|区|旗|镇|乡)(?![场域级长委直属内外])"
    r"|全(?P<whole>省|市|州|盟|县|区|旗|镇|乡)(?=各级|各部门|各单位|共[收受办公])")
_BARE_BODY = re.compile(r"(?<![各全本我该治开园城社辖地景片新郊矿省市区县州旗盟乡镇])(?P<bare>区|县|旗)(?:委|人大|政协|人民政府|政府)")
# a town's own body named by the report ("金桥街道办事处", "湖镇镇政府"): the report speaks as a town
_TOWN_BODY = re.compile(r"(?:街道|镇|乡|苏木)(?:人民政府|政府|办事处|党委|党工委)")
# a clause whose subject is the bare word for a town ("，街道收到依申请公开…"): a town's report
_BARE_TOWN_SUBJECT = re.compile(r"(?:^|[,，。;；:：])(?:街道|镇|乡)(?:主动|收到|共|全年|本年|未|无|坚持|围绕|依托|完成)", re.M)
# "各区、县政府": other governments, not the report's own
_OTHERS_BEFORE = re.compile(r"各[^，。,；;]{0,4}$")
_LEVEL_RANK = {"街道": 0, "苏木": 0, "镇": 0, "乡": 0, "县": 1, "区": 1, "旗": 1, "州": 2, "盟": 2, "市": 2, "省": 3, "自治区": 3}
_RESOLUTION_RANK = {"town": 0, "zone": 0, "county": 1, "prefecture": 2, "province": 3}
_REPORT_CORE = REPORT_CORE
# a year in Chinese numerals; signatures also write the zero as a letter O (二O二三年)
_CN_YEAR = r"[〇零○OＯ一二三四五六七八九]{4}"
_TITLE_YEAR = re.compile(rf"(?P<year>{_YEAR}|{_CN_YEAR})\s*年度?")
# the statistics period first: it states the year covered in so many words (a report that quotes its
# own name with last year's number, 《田黄镇2020年…报告》 over 2021's figures, is 2021's)
_BODY_YEAR_PATTERNS = tuple(re.compile(p) for p in (
    rf"统计(?:期限|时限|时间|区间|范围|周期)[^。；\n]{{0,12}}?(?P<year>{_YEAR}|{_CN_YEAR})\s*年",
    rf"(?P<year>{_YEAR}|{_CN_YEAR})\s*年度?(?:政府)?信息公开(?:工作)?(?:年度)?(?:工作)?报告",
    # a sentence that opens with the year: "2019年，我区…", "二〇一七年度，我局…"
    rf"(?:^|[\n。])[ \t\u3000]*(?P<year>{_YEAR}|{_CN_YEAR})\s*年度?[,，]",
))
# where each is looked for: a report's name quoted inside its sections is often another year's
# ("二是…公开发布《国家新闻出版署2021年政府信息公开工作年度报告》" in the report on 2022)
_BODY_YEAR_SCOPES = ("body", "preamble", "body")
_ANY_YEAR = re.compile(rf"(?<!\d)(?P<year>{_YEAR}|{_CN_YEAR})\s*年")

_DATE_NUM = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:\s*[日号])?")
_DATE_CN = re.compile(rf"(?P<y>{_CN_YEAR})年(?P<m>[一二三四五六七八九十]{{1,2}})月(?P<d>[一二三四五六七八九十]{{1,3}})日")
_MONTH_ONLY = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*$")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_CHINA_TZ = timezone(timedelta(hours=8))
_SENTENCE_PUNCT = re.compile(r"[，。；！？,;!?]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
# a date inside a phrase ("2019年12月31日前完成", "自2017年1月1日起") is not a publish date
_DATE_IN_PHRASE = re.compile(r"(?:自|从|截至|截止|于)\s*$|^\s*(?:前|后|起|至|止|以来|到|之前|之后)")
_HEAD_LINES = 12  # the byline zone under a title
_DEEP_HEAD = 60  # how far down a navigation menu can push the title
_BYLINE_SPAN = 3  # lines under the title that hold its byline
# words of a byline under the title that also holds the date unlabelled ("2023-01-28 来源：… 浏览次数：…")
_BYLINE_WORDS = re.compile(r"来源|作者|浏览|点击|阅读|字号|编辑|责任编辑")
_TITLE_LINES = 8  # where a title line can be
_TAIL_LINES = 8  # the signature zone
_SHORT_LINE = 40
_BODY_SCAN = 3000  # characters of the body searched for self-references and the year


def _cn_year(s: str) -> int | None:
    digits = [0 if c in "OＯ" else parse_cn_number(c) for c in s]
    return int("".join(map(str, digits))) if None not in digits else None


def _year_value(s: str) -> int | None:
    return int(s) if s.isdigit() else _cn_year(s)


def parse_date(text: str | None) -> str | None:
    """The first date in ``text`` as ISO "YYYY-MM-DD" (epoch seconds/ms read in China time).

    >>> parse_date("发布时间:2017/2/23 10:01"), parse_date("二〇一五年三月十五日"), parse_date("2021-03-2918:26")
    ('2017-02-23', '2015-03-15', '2021-03-29')
    """
    if not text:
        return None
    s = normalize_width(text).strip()
    if _EPOCH.match(s):
        seconds = int(s) / (1000 if len(s) == 13 else 1)
        return datetime.fromtimestamp(seconds, _CHINA_TZ).date().isoformat()
    for m in (_DATE_NUM.search(s), _DATE_CN.search(s)):
        if not m:
            continue
        y = _year_value(m["y"])
        mo, d = (int(m["m"]), int(m["d"])) if m["m"].isdigit() else (parse_cn_number(m["m"]), parse_cn_number(m["d"]))
        try:
            return date(y, mo, d).isoformat() if y and mo and d else None
        except ValueError:
            continue
    return None


def _title_parts(value: str) -> list[str]:
    # page titles carry the site after a separator: "…年度报告_杭州市余杭区人民政府", "门户网站-…"
    return [clean_title(p) for p in re.split(r"\s*[_|｜]\s*|\s*[-—–]+\s*", value) if p.strip()]


def _title_and_year(doc: Document, lines: list[str]) -> tuple[str | None, str, int | None]:
    """(title, its publisher as written, the year covered by the title's word)."""
    title = _pick_title(doc, lines)
    title = report_below_notice(lines, title) if title else title
    publisher, year = _publisher(title)
    if year is not None and title is not None and title == quoted_title(doc.text):
        # a report's name quoted in its opening keeps last year's number where the text was copied
        # from last year's (我镇认真编制了《田黄镇2020年…报告》, 统计期限自2021年1月1日): the period says
        period = next((m["year"] for m in _BODY_YEAR_PATTERNS[0].finditer(doc.text[:_BODY_SCAN])), None)
        year = _year_value(period) or year if period else year
    return title, publisher, year


def _pick_title(doc: Document, lines: list[str]) -> str | None:
    """The report's own title (``parser.titles``), from the most declared place to the least."""
    lines = [ln for ln in lines if not is_menu_line(ln)]
    if doc.title and is_title(clean_title(doc.title), strict=False):
        return heading_below(lines, clean_title(doc.title))
    # a reader's title line that carries a site's name or junk after a separator
    for part in _title_parts(doc.title or ""):
        if is_title(part):
            return part
    for key in TITLE_META_KEYS:
        for part in _title_parts(doc.meta.get(key, "")):
            if is_title(part):
                return part
    found = labelled_title(lines[:_HEAD_LINES])
    if found:
        return found
    # a reader that gave no title line (a PDF's first page): the readers' rule, which also joins
    # a title split over two lines; then any title line above the prose (menus push it down)
    head = pick_title(lines[:_TITLE_LINES])
    if head and is_title(clean_title(head)):
        return heading_below(lines, clean_title(head))
    found = head_title(lines)
    if found:
        return heading_below(lines, found)
    return (glued_title(lines[0]) if lines else None) or quoted_title(doc.text)


def split_title(title: str) -> tuple[str, int | None]:
    """(publisher as written, year covered) of a report title; a publication notice's ("X关于
    2016年Y政府信息公开工作年度报告的公告") publisher is the report's own (Y).

    >>> split_title("2023年上海市黄浦区人民政府打浦桥街道办事处政府信息公开工作年度报告")
    ('上海市黄浦区人民政府打浦桥街道办事处', 2023)
    """
    core = _REPORT_CORE.search(title)
    head = title[: core.start()] if core else title
    issuer, _, about = head.rpartition("关于")
    # "福建省公安厅关于报送2020年…报告的函": a letter sending its own report on, its issuer the publisher
    about = _SENDING.sub("", about)
    head = issuer + about if issuer and _TITLE_YEAR.match(about) and not about[_TITLE_YEAR.match(about).end():].strip() \
        else about
    years = list(_TITLE_YEAR.finditer(head))
    if not years:
        # "政府信息公开工作年度报告（2019年）": the year after the report's name
        later = _TITLE_YEAR.search(title)
        return head.strip(), _year_value(later["year"]) if later else None
    m = years[-1]
    before = head[: m.start()].strip(" ：:·-")
    # "海关总署2010年海关信息公开…", "嘉兴市2023年市政府信息公开…": a name before the year is the
    # publisher; what follows the year says whose information, unless it names a place below
    # ("上海市2019年黄浦区人民政府…")
    if before.endswith(tuple(NAME_ENDINGS)) and not names_a_place(head[m.end():]):
        return before, _year_value(m["year"])
    publisher = (head[: m.start()] + head[m.end():]).strip(" ：:·-")
    return publisher, _year_value(m["year"])


_SENDING = re.compile(r"^(?:报送|呈报|上报|发布|公布|印发)")
# a name's short ending and what the full name adds to it, where the text writes both
_WRITTEN_IN_FULL = {"委": "员会", "办": "公室"}
# a body's branch in a place below it: "昌吉州生态环境局吉木萨尔县分局"
_BRANCH = re.compile(rf"^(?P<outer>[{_CJK}]{{2,12}}?)[{_CJK}]{{2,16}}?[局委厅](?P<inner>[{_CJK}]{{2,8}}?[县区市旗])分局$")


def _county_branch(org: str) -> str:
    m = _BRANCH.match(org)
    return m["outer"] + m["inner"] if m else org


# a body's own disclosure guide or catalogue by name: only the body that publishes one cites it
_OWN_GUIDE = re.compile(rf"《(?P<org>[{_CJK}（）()]{{2,40}}?)(?:人民政府|政府)?(?:政府信息公开指南|政府信息主动公开目录|政府信息公开目录)》")
_ZONE_LEAD = re.compile(rf"[{_CJK}（）()]{{2,40}}?(?:{'|'.join(ZONE_SUFFIXES)})")


def is_own_government(name: str) -> bool:
    """True for a government's own name (杭州市余杭区, 三亚市海棠区人民政府, 万潮镇, 上海市杨浦区政府),
    also with its general office in brackets ("贵阳市人民政府(市人民政府办公厅)": a joint report)."""
    joint = re.match(r"^(?P<gov>.+?)[（(](?P<office>[^（）()]+)[)）]$", name)
    if joint and _is_general_office(joint["office"]):
        name = joint["gov"]
    rest = strip_places(name)
    while True:
        # "上海市黄浦区人民政府打浦桥街道办事处": places, 人民政府, then the town's own places
        shorter = strip_places(re.sub(r"^(?:人民政府|政府)", "", rest))
        if shorter == rest:
            break
        rest = shorter
    # a town inside an area outside GB/T 2260 ("武汉东湖新技术开发区关东街道办事处"): the town's own
    zone = _ZONE_LEAD.match(rest)
    if zone and len(rest) > zone.end() and is_own_government(rest[zone.end():]):
        return True
    core = re.sub(r"(?:人民政府|政府|办事处)$", "", rest)
    if any(c in _OFFICE_CHARS for c in core):
        return False
    # an area outside GB/T 2260 names its own government ("武汉东湖新技术开发区"), its 管委会 is a body
    if re.fullmatch(rf"[{_CJK}（）()]{{2,40}}(?:{'|'.join(ZONE_SUFFIXES)})(?:人民政府|政府)?", rest):
        return True
    # an area the region table does not know ("某市某区人民政府") is still an area, not a department
    return bool(_OWN_GOVERNMENT.match(rest) or _UNKNOWN_AREAS.match(rest)) \
        and not any(w in core for w in _ZONE_WORDS)


def _contact_body(org: str) -> str:
    """The body of a contact line's office: "X管理委员会(别名)政府信息公开办公室" -> "X管理委员会"."""
    org = _ALIAS_AFTER_BODY.sub("", org)
    while (shorter := _SUB_UNIT.sub("", org)) != org and len(shorter) >= 2:
        org = shorter
    return org


def _statements(text: str) -> list[tuple[str, str]]:
    """(kind, org) of each statement naming the report's subject, compiler or contact, most
    telling kind first, then in reading order."""
    hits = []
    for kind, pattern in STATEMENT_PATTERNS:
        for m in pattern.finditer(text):
            org = re.sub(r"[（(][^）)]*$", "", m[kind] if kind in ("contact", "site") else m["org"])
            org = clean_agency(org).strip("（）()《")  # "X局(以下简称…)", a year glued on
            if kind in ("contact", "compiler", "subject"):  # 招商中心办公室共主动公开…: the 中心 reports
                org = _contact_body(org)
            if _is_org(org, kind):
                hits.append((STATEMENT_KINDS.index(kind), m.start(), kind, org))
    return [(kind, org) for _, _, kind, org in sorted(hits)]


def _is_org(org: str, kind: str) -> bool:
    """A body's name, not a pronoun, a whole area ("全国海关") or a phrase the patterns caught; a
    website's name ("中国南平") only has to name a place."""
    if len(org) < 2 or _NOT_A_NAME.match(org) or _NOT_IN_A_NAME.search(org):
        return False
    # a unit of a body ("具体由秘书处负责"): not who reports
    if kind in ("compiler", "contact") and _BARE_SUB_UNIT.match(org) and not names_a_place(org):
        return False
    return names_a_place(org) if kind == "site" else org.rstrip("）)").endswith(tuple(NAME_ENDINGS))


def _is_general_office(org: str) -> bool:
    """A government's general office (县人民政府办公室, 镇党政办公室, 区政府办): it compiles the
    government's own report."""
    for office in GENERAL_OFFICES:
        if org.endswith(office) and (len(org) == len(office) or is_own_government(org[: -len(office)] or "县")):
            return True
    return False


def _statement_agency(statements: list[tuple[str, str]], text: str) -> tuple[str | None, str | None]:
    """(agency as written, the org that names the subject) from the body's statements: the
    first statement whose org is a name decides; a government's own report has no agency."""
    for kind, org in statements:
        if kind == "site":  # a website names a place, not who reports
            continue
        if any(w in org for w in _COMPILER_WORDS) and kind != "contact":
            continue
        if kind in ("compiler", "contact") and _is_general_office(org) and not _OFFICE_VOICE.search(text):
            return None, org
        return (None if is_own_government(org) else org), org
    return None, None


def _header_source(doc: Document) -> str | None:
    for key in ("发布机构", "发文机关", "发文机构", "发文单位", "发布单位", "公开部门"):
        value = (doc.meta.get(key) or "").strip()
        if value and _NAME.match(value):
            return value
    return None


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _signature_lines(lines: list[str]) -> list[str]:
    # a contact block (地址：…, 电话：…) at the end is not a signature: an address names a street;
    # the signature comes after the body starts (a short excerpt's head is not its signature)
    start = next((i + 1 for i, ln in enumerate(lines) if _SENTENCE_PUNCT.search(ln)), len(lines))
    return [ln for ln in lines[max(start, len(lines) - _TAIL_LINES):] if len(ln) <= _SHORT_LINE and not _SENTENCE_PUNCT.search(ln)
            and "\t" not in ln and "|" not in ln and not re.search(r"[:：]|地址|电话|邮编|传真|邮箱|网址", ln)]


def _standalone_date(line: str) -> str | None:
    # never from a URL ("http://www.linhai.gov.cn/art/2021/1/8/art_….html"): sites re-date old pages
    s = _URL.sub(" ", normalize_width(line))
    m = _DATE_NUM.search(s) or _DATE_CN.search(s)
    if not m or _DATE_IN_PHRASE.search(s[: m.start()]) or _DATE_IN_PHRASE.search(s[m.end():]):
        return None
    return parse_date(s[m.start():])


def _under_title(lines: list[str], title: str | None) -> list[str]:
    """The lines right under a title (its last line, when it is split over two) that menus may
    have pushed below the readers' head."""
    at = next((i for i, ln in enumerate(lines[:_DEEP_HEAD])
               if title and len(clean_title(ln)) >= 4 and title.endswith(clean_title(ln))), None)
    return lines[at + 1:at + 1 + _BYLINE_SPAN] if at is not None else []


def _byline_under_title(lines: list[str], title: str | None) -> dict[str, str]:
    """Labelled values of the lines right under a title."""
    found: dict[str, str] = {}
    for ln in _under_title(lines, title):
        for label, value in read_byline(ln):
            found.setdefault(label, value)
    return found


def _published(doc: Document, lines: list[str], year: int | None, title: str | None = None) -> str | None:
    under = _byline_under_title(lines, title)
    for label in DATE_LABELS:
        if parse_date(doc.meta.get(label) or under.get(label)):
            return parse_date(doc.meta.get(label) or under.get(label))
    for key in DATE_META_KEYS:
        if parse_date(doc.meta.get(key)):
            return parse_date(doc.meta[key])
    # an unlabelled date next to the title (杨浦): a byline that lost its label, below the labelled
    # ones and the page's meta, above the signature
    near = parse_date(doc.meta.get(NEAR_TITLE_DATE))
    if near and (year is None or int(near[:4]) >= year):
        return near
    # the byline under the title ("银川市人民政府门户网站 www.yinchuan.gov.cn 2023-01-28"), a short
    # or byline line of the head, the signature
    plausible = [ln for ln in _under_title(lines, title) if not _SENTENCE_PUNCT.search(ln)]
    plausible += [ln for ln in lines[:_HEAD_LINES] if (len(ln) <= _SHORT_LINE or _BYLINE_WORDS.search(ln))
                  and "\t" not in ln and not _SENTENCE_PUNCT.search(ln)] + list(reversed(_signature_lines(lines)))
    for ln in plausible:
        found = _standalone_date(ln)
        # a bare date older than the year covered is some other date (a cited document's)
        if found and (year is None or int(found[:4]) >= year):
            return found
    for ln in reversed(_signature_lines(lines)):
        m = _MONTH_ONLY.search(normalize_width(ln))
        if m and 1 <= int(m["m"]) <= 12:
            return f"{m['y']}-{int(m['m']):02d}"
    for key in UPDATE_LABELS:
        if parse_date(doc.meta.get(key)):
            return parse_date(doc.meta[key])
    return None


def _body_year(body: str, published: str | None) -> int | None:
    latest = int(published[:4]) if published else None
    first_section = FIRST_SECTION.search(body)
    preamble = body[: first_section.start()] if first_section else body
    for pattern, where in zip(_BODY_YEAR_PATTERNS, _BODY_YEAR_SCOPES):
        for m in pattern.finditer(preamble if where == "preamble" else body):
            y = _year_value(m["year"])
            if y and (latest is None or y <= latest):
                return y
    counts = Counter(_year_value(m["year"]) for m in _ANY_YEAR.finditer(body))
    ranked = [y for y, _ in counts.most_common() if y and (latest is None or y <= latest)]
    return ranked[0] if ranked else None


def _name_lines(lines: list[str]) -> list[str]:
    """Head lines that are only a name (a publisher printed under the title), never an address."""
    return [ln for ln in lines[:_HEAD_LINES] if len(ln) <= 30 and _NAME.match(ln.replace(" ", ""))
            and ln.endswith(tuple(NAME_ENDINGS))]


def _body_places(body: str, sites: list[str] = ()) -> list[str]:
    """The whole place names the body writes in a place-naming position, subjects before sites
    (``sites``: the websites the statements name, "可在中国南平网站")."""
    subjects, sites = [], list(sites)
    text = normalize_width(body[:_BODY_PLACE_SCAN])
    for start, end in place_spans(text):
        before, after = text[max(0, start - 80):start], text[end:end + 8]
        if _CITED_OPEN.search(before):
            continue
        if _SITE_AFTER.match(after):
            sites.append(text[start:end])
        elif _SUBJECT_BEFORE.search(before) and _SUBJECT_AFTER.match(after):
            subjects.append(text[start:end])
    # sites at several levels ("陕西政务服务网站、渭南市临渭区政府网站"): the report's own is the deepest
    sites.sort(key=lambda name: _RESOLUTION_RANK.get(resolve_region([name]).level, len(_RESOLUTION_RANK)))
    return subjects + sites


def _region_candidates(doc: Document, publisher: str, statements: list[tuple[str, str]], lines: list[str],
                       body: str) -> list[str]:
    cands = [publisher, *(org for kind, org in statements if kind != "site")]
    # a prefecture bureau's county branch (昌吉州生态环境局吉木萨尔县分局) works in that county
    cands = [x for c in cands for x in ((_county_branch(c), c) if c and _BRANCH.match(c) else (c,))]
    cands += [doc.meta.get(k, "") for k in SOURCE_LABELS + SITE_META_KEYS]
    cands += [*reversed(_signature_lines(lines)), " ".join(doc.breadcrumbs), *_name_lines(lines)]
    cands += _body_places(body, [org for kind, org in statements if kind == "site"])
    # last: the body's own disclosure guide or catalogue, cited by name (《海口市琼山区三门坡镇政府信息公开指南》)
    cands += [m["org"] for m in _OWN_GUIDE.finditer(body)]
    return [c for c in cands if c]


def _speaker_level(text: str) -> str | None:
    """The lowest level the report speaks as (我县, 本市, 全省各级…; bare 区委/县政府 twice), or None."""
    text = normalize_width(text[:_SPEAKER_SCAN])
    spans = place_spans(text)

    def in_a_name(i: int) -> bool:
        return any(a <= i < b for a, b in spans)

    words = [m["own"] or m["whole"] for m in _SELF_LEVEL.finditer(text) if not _CITED_OPEN.search(text[max(0, m.start() - 80):m.start()])]
    bare = Counter(m["bare"] for m in _BARE_BODY.finditer(text)
                   if not in_a_name(m.start()) and not _OTHERS_BEFORE.search(text[max(0, m.start() - 6):m.start()]))
    words += [w for w, n in bare.items() if n >= 2]
    towns = Counter(text[a:b] for a, b in spans if _TOWN_BODY.match(text, b - 2 if text[b - 2:b] in ("街道", "苏木") else b - 1))
    words += ["镇" for n in towns.values() if n >= 2]
    return min(words, key=_LEVEL_RANK.__getitem__) if words else None


def _zone_text(text: str) -> bool:
    """Whether "区" may mean something other than a district here: a zone or an autonomous region."""
    return any(w in text for w in (*_ZONE_WORDS, "自治区"))


def _by_speaker(where: Resolution, text: str, year: int | None) -> Resolution:
    """The region checked against the level the report speaks as: a town's report ("我镇") is a town's,
    a report that speaks as a county ("我县", "区人大、区政协") under a city's name is that city's county
    the text names; a report with no region that speaks as "我州" and names one 州 is that 州's."""
    word = _speaker_level(text)
    if word is None or where.level in ("national",):
        return where
    rank = _LEVEL_RANK[word]
    if rank == 0:
        return where if where.level in (None, "town", "zone") else Resolution(None, None, None)
    ambiguous = word == "市" or (word == "区" and _zone_text(text))
    if where.region is None:
        return _named_division(text, word, year)
    if where.level in _RESOLUTION_RANK and _RESOLUTION_RANK[where.level] > rank and not ambiguous and where.code:
        return dominant_division(text, word, year, within=where.code, alone=True)
    return where


def _place_below_host(where: Resolution, text: str) -> Resolution:
    """The host's county checked against the level the report speaks as. A report that speaks as a
    town (街道主动公开…, 我镇) and names one town of that county is that town's; one that speaks as
    "我区" on a 县's or a 市's host is an area's inside it (来凤经济开发区 on www.laifeng.gov.cn): the one
    area named after the county, else no place (the county is not the report's)."""
    if where.level != "county" or where.code is None:
        return where
    word = _speaker_level(text)
    if word == "区" and not where.region.endswith("区"):
        zones = zones_named(text, where.code)
        return Resolution(where.region + zones[0], None, "zone") if len(zones) == 1 else Resolution(None, None, None)
    if (word is None or _LEVEL_RANK[word] != 0) and len(_BARE_TOWN_SUBJECT.findall(text[:_SPEAKER_SCAN])) < 2:
        return where
    towns = towns_named(text, where.code)
    return Resolution(where.region + towns[0], where.code, "town") if len(towns) == 1 else where


def _named_division(text: str, word: str, year: int | None) -> Resolution:
    """The division a level word the report speaks with ("我州", "市外办") means: the one of that
    level the text names (``regions.dominant_division``), unless the word may mean another level
    (区 in a zone's or an autonomous region's text; 市 when a county-level 市 is named inside)."""
    if word == "区" and _zone_text(text):
        return Resolution(None, None, None)
    found = dominant_division(text, word, year, alone=True)
    if found.code and word == "市" and _names_county_city(text, found.code, year):
        return Resolution(None, None, None)
    return found


def _names_county_city(text: str, code: str, year: int | None) -> bool:
    """Whether ``text`` names a county-level 市 inside the division ``code``."""
    return any(r.level == "county" and r.region.endswith("市") and r.code != code
               for r in (resolve_region([text[a:b]], year) for a, b in place_spans(text[:20000]))
               if r.code and division_inside(r.code, code, year))


def _publisher(title: str | None) -> tuple[str, int | None]:
    """(publisher, year) of a title; a whole system ("全国海关") or a phrase is no publisher's name."""
    publisher, year = split_title(title) if title else ("", None)
    return (publisher if _NAME.match(publisher or "-") and not _WHOLE_SYSTEM.match(publisher) else ""), year


def covered_year(doc: Document) -> int | None:
    """The year a report covers (the title's, else the body's), as ``read_metadata`` gives it."""
    view = reading_view(doc)
    lines = _lines(view.text)
    year = _title_and_year(view, lines)[2]
    return year if year is not None else _body_year(view.text[:_BODY_SCAN], _published(view, lines, None))


def read_metadata(doc: Document) -> Metadata:
    """Title, year covered, region, agency and publish date of one report."""
    view = reading_view(doc)  # pinyin aids dropped; what is kept as written comes from ``doc``
    originals = [doc.title, *(v for v in doc.meta.values() if isinstance(v, str)), doc.text]
    lines = _lines(view.text)
    body = view.text[:_BODY_SCAN]
    title, publisher, year = _title_and_year(view, lines)
    statements = _statements(body)
    published = _published(view, lines, year, title)
    if year is None:
        year = _body_year(body, published)
    if publisher:
        written = None if is_own_government(publisher) else publisher
    else:
        written, _ = _statement_agency(statements, body)
        header = _header_source(view)
        # a general office publishes its government's own report, unless the text speaks as the office
        if written is None and not statements and header and not is_own_government(header) \
                and not (_is_general_office(header) and not _OFFICE_VOICE.search(body)):
            written = header
    orgs = [org for _, org in statements]
    region_from: str | None = None
    if written and is_central_body(clean_agency(written)) or written and is_central_body(normalise_agency(written)):
        where: Resolution = NATIONAL
    else:
        candidates = _region_candidates(view, publisher or (written or ""), statements, lines, body)
        where = resolve_region(candidates, year, view.text)
        if not agrees_with(where, view.text):
            where = Resolution(None, None, None)
        bare = _BARE_LEVEL.match(publisher or written or next(iter(orgs), ""))
        if bare and (where.region is None or where.level == "zone"):
            # "自治区人民政府办公厅", "市外办": the level word means the division the document names;
            # "自治区北部湾办" is the 自治区's office, the zone in its full name is what it works on
            named = _named_division(view.text, bare.group(0), year)
            if where.region is None or (named.region and where.region.startswith(named.region)):
                where = named
        where = _by_speaker(where, view.text, year)
        if where.region is None and (hosted := host_places(doc.url, year)) is not None:
            # the text names no place it can be put in: the gov.cn host it came from can
            where = resolve_region(candidates, year, view.text, hosted.codes)
            if not agrees_with(where, view.text):
                where = Resolution(None, None, None)
            where = _place_below_host(where, view.text)
            region_from = hosted.host if where.region else None
    agency = normalise_agency(written, where, body) if written else None
    if agency and agency.endswith(tuple(_WRITTEN_IN_FULL)) and agency + _WRITTEN_IN_FULL[agency[-1]] in view.text:
        agency += _WRITTEN_IN_FULL[agency[-1]]  # 山东省经济和信息化委, the contact line's …委员会: the full name
    if agency and _BARE_LEVEL.match(agency):
        # "市人民政府办公室" and no place to put before it: not a body's name (its words stay as written)
        agency = None
    # a 繁體 page the reader converted keeps its text as written beside (``original_text``)
    converted = (doc.text, getattr(doc, "original_text", None))
    return Metadata(title=as_written(title, originals, converted), year=year, region=where.region,
                    region_code=where.code, agency=agency, published=published,
                    agency_as_written=as_written(clean_agency(written), originals, converted) if written else None,
                    region_from_host=region_from)
