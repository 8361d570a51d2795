"""Document -> Metadata: title, year covered, region (+ GB/T 2260 code), agency, publish date.

Takes a ``parser.document.Document``; returns ``Metadata``. Pure; reads no settings. The labels,
meta names, priorities and body patterns it uses are DATA at the top of this module.

- title: the report's own title (the reader's ``doc.title``, else a page meta title naming a
  report); None when the page shows none.
- year: the year covered: the title's, else the body's ("2019年度政府信息公开…", "统计期限自2017年
  1月1日", "二〇一七年"); never from the URL, never the publish year.
- agency: None for a government's own report (区人民政府, 市政府, 镇人民政府, 街道办事处); the body's
  name as written for a department's or office's (杭州市教育局, 吉林省人民政府办公厅).
- region, region_code: ``parser.regions.resolve_region`` over the title's publisher, the
  body's self-references, the signature, the site name, the source labels, the breadcrumbs and
  the head of the text, in that order; "全国" (no code) for a central body (自然资源部).
- published: ISO date from the byline or metadata table (DATE_LABELS, in order), then page meta
  tags (DATE_META_KEYS), then an unlabelled date next to the title (the readers'
  ``date_near_title``), then a bare date at the head, then the signature's date, then an update
  time. Never from the URL (sites re-date old reports when they migrate).
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone

from .document import Document
from .extract.lines import NEAR_TITLE_DATE, pick_title
from .numbers import normalize_width, parse_cn_number
from .record import Metadata
from .regions import NATIONAL, TOWN_SUFFIXES, Resolution, is_central_body, resolve_region, strip_places

__all__ = [
    "Metadata", "read_metadata", "parse_date", "split_title", "is_own_government",
    "DATE_LABELS", "DATE_META_KEYS", "UPDATE_LABELS", "SOURCE_LABELS", "TITLE_META_KEYS",
    "SELF_REFERENCE_PATTERNS",
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
# sentences where a report names who made it; the org is the reporting body (or its compiler)
SELF_REFERENCE_PATTERNS = tuple(re.compile(p) for p in (
    rf"由{_ORG}(?:根据|依据|按照|编制|汇总|负责|组织)",
    rf"(?:现将|现予公布|现公布|特发布|现发布|公布){_ORG}{_YEAR}\s*年度?(?:政府)?信息公开",
    rf"[,，。]{_ORG}编制了?{_YEAR}\s*年",
    rf"{_YEAR}\s*年[,，]{_ORG}(?:政府信息公开工作|政务公开工作)?(?=认真|坚持|深入|全面|紧紧|严格|按照|始终|"
    rf"围绕|扎实|积极|进一步|持续|不断|高度|牢固|紧扣|聚焦|以习近平|以党的|在[{_CJK}]{{1,8}}领导下)",
))
# an org that is a pronoun or a whole area, not a name ("我局", "本机关", "全省")
_NOT_A_NAME = re.compile(r"^(?:我|本|全|各|该|其)")
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
_ZONE_WORDS = ("园区", "景区", "社区", "校区", "片区", "开发区", "示范区", "保税区", "试验区", "合作区",
               "管理区", "度假区", "高新区")

_REPORT_CORE = re.compile(r"(?:政府)?信息(?:公开)?(?:工作)?(?:年度)?(?:工作)?(?:年度)?报告|年度报告|工作报告|年报")
_CN_YEAR = r"[〇零○一二三四五六七八九]{4}"
_TITLE_YEAR = re.compile(rf"(?P<year>{_YEAR}|{_CN_YEAR})\s*年度?")
_BODY_YEAR_PATTERNS = tuple(re.compile(p) for p in (
    rf"(?P<year>{_YEAR}|{_CN_YEAR})\s*年度?(?:政府)?信息公开(?:工作)?(?:年度)?(?:工作)?报告",
    rf"统计(?:期限|时限|时间|区间|范围|周期)[^。；\n]{{0,12}}?(?P<year>{_YEAR}|{_CN_YEAR})\s*年",
    # a sentence that opens with the year: "2019年，我区…", "二〇一七年度，我局…"
    rf"(?:^|[\n。])[ \t\u3000]*(?P<year>{_YEAR}|{_CN_YEAR})\s*年度?[,，]",
))
_ANY_YEAR = re.compile(rf"(?<!\d)(?P<year>{_YEAR}|{_CN_YEAR})\s*年")

_DATE_NUM = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:\s*[日号])?")
_DATE_CN = re.compile(rf"(?P<y>{_CN_YEAR})年(?P<m>[一二三四五六七八九十]{{1,2}})月(?P<d>[一二三四五六七八九十]{{1,3}})日")
_MONTH_ONLY = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*$")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_CHINA_TZ = timezone(timedelta(hours=8))
_SENTENCE_PUNCT = re.compile(r"[，。；！？,;!?]")
# a date inside a phrase ("2019年12月31日前完成", "自2017年1月1日起") is not a publish date
_DATE_IN_PHRASE = re.compile(r"(?:自|从|截至|截止|于)\s*$|^\s*(?:前|后|起|至|止|以来|到|之前|之后)")
_HEAD_LINES = 12  # the byline zone under a title
_TITLE_LINES = 8  # where a title line can be
_TAIL_LINES = 8  # the signature zone
_SHORT_LINE = 40
_BODY_SCAN = 3000  # characters of the body searched for self-references and the year


def _cn_year(s: str) -> int | None:
    digits = [parse_cn_number(c) for c in s]
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


def _clean_title(title: str) -> str:
    # kept as written (full-width brackets stay): only layout spaces and a file extension go
    t = title.strip()
    t = re.sub(r"\.(?:pdf|docx?|wps|html?)$", "", t, flags=re.I)
    # a date printed after the title on the same line ("…年度报告 2024-02-18") is not the title
    t = re.sub(r"(?<=[报告读版解)）])\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}.*$", "", t)
    # spaces inside a Chinese title are layout, not words
    t = re.sub(rf"(?<=[{_CJK}\d）)])[\s\u3000]+|[\s\u3000]+(?=[{_CJK}（(])", "", t)
    return t.strip()


def _is_report_title(s: str, strict: bool = True) -> bool:
    """A report's title: names a report, is not a sentence; ``strict`` also wants 信息 (page meta
    titles name any document of the site, the reader's own title line is already a report's)."""
    return bool(s) and len(s) <= 100 and bool(_REPORT_CORE.search(s)) and not _SENTENCE_PUNCT.search(s) \
        and (not strict or "信息" in s)


def _pick_title(doc: Document) -> str | None:
    if doc.title and _is_report_title(_clean_title(doc.title), strict=False):
        return _clean_title(doc.title)
    for key in TITLE_META_KEYS:
        # page titles carry the site after a separator: "…年度报告_杭州市余杭区人民政府"
        for part in re.split(r"\s*[_|｜]\s*|\s+-\s+", doc.meta.get(key, "")):
            if _is_report_title(_clean_title(part)):
                return _clean_title(part)
    # a reader that gave no title line (a PDF's first page): the same rule the readers use,
    # which also joins a title split over two lines
    head = pick_title(doc.text.split("\n", _TITLE_LINES)[:_TITLE_LINES])
    return _clean_title(head) if head and _is_report_title(_clean_title(head)) else None


def split_title(title: str) -> tuple[str, int | None]:
    """(publisher as written, year covered) of a report title.

    >>> split_title("2023年上海市黄浦区人民政府打浦桥街道办事处政府信息公开工作年度报告")
    ('上海市黄浦区人民政府打浦桥街道办事处', 2023)
    """
    core = _REPORT_CORE.search(title)
    head = title[: core.start()] if core else title
    years = list(_TITLE_YEAR.finditer(head))
    if not years:
        # "政府信息公开工作年度报告（2019年）": the year after the report's name
        later = _TITLE_YEAR.search(title)
        return head.strip(), _year_value(later["year"]) if later else None
    m = years[-1]
    publisher = (head[: m.start()] + head[m.end():]).strip(" ：:·-")
    return publisher, _year_value(m["year"])


def is_own_government(name: str) -> bool:
    """True for a government's own name (杭州市余杭区, 三亚市海棠区人民政府, 万潮镇, 上海市杨浦区政府)."""
    rest = strip_places(name)
    while True:
        # "上海市黄浦区人民政府打浦桥街道办事处": places, 人民政府, then the town's own places
        shorter = strip_places(re.sub(r"^(?:人民政府|政府)", "", rest))
        if shorter == rest:
            break
        rest = shorter
    core = re.sub(r"(?:人民政府|政府|办事处)$", "", rest)
    if any(c in _OFFICE_CHARS for c in core):
        return False
    # an area the region table does not know ("某市某区人民政府") is still an area, not a department
    return bool(_OWN_GOVERNMENT.match(rest) or _UNKNOWN_AREAS.match(rest)) \
        and not any(w in core for w in _ZONE_WORDS)


def _self_references(text: str) -> list[str]:
    hits = []
    for pattern in SELF_REFERENCE_PATTERNS:
        for m in pattern.finditer(text):
            org = m["org"].strip("（）()")
            if not _NOT_A_NAME.match(org):
                hits.append((m.start(), org))
    return [org for _, org in sorted(hits)]


def _body_agency(orgs: list[str]) -> str | None:
    for org in orgs:
        if any(w in org for w in _COMPILER_WORDS):
            continue
        return None if is_own_government(org) else org
    return None


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _signature_lines(lines: list[str]) -> list[str]:
    return [ln for ln in lines[-_TAIL_LINES:] if len(ln) <= _SHORT_LINE and not _SENTENCE_PUNCT.search(ln)
            and "\t" not in ln]


def _standalone_date(line: str) -> str | None:
    s = normalize_width(line)
    m = _DATE_NUM.search(s) or _DATE_CN.search(s)
    if not m or _DATE_IN_PHRASE.search(s[: m.start()]) or _DATE_IN_PHRASE.search(s[m.end():]):
        return None
    return parse_date(s[m.start():])


def _published(doc: Document, lines: list[str], year: int | None) -> str | None:
    for label in DATE_LABELS:
        if parse_date(doc.meta.get(label)):
            return parse_date(doc.meta[label])
    for key in DATE_META_KEYS:
        if parse_date(doc.meta.get(key)):
            return parse_date(doc.meta[key])
    # an unlabelled date next to the title (杨浦): a byline that lost its label, below the labelled
    # ones and the page's meta, above the signature
    near = parse_date(doc.meta.get(NEAR_TITLE_DATE))
    if near and (year is None or int(near[:4]) >= year):
        return near
    plausible = [ln for ln in lines[:_HEAD_LINES] if len(ln) <= _SHORT_LINE and "\t" not in ln
                 and not _SENTENCE_PUNCT.search(ln)] + list(reversed(_signature_lines(lines)))
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
    for pattern in _BODY_YEAR_PATTERNS:
        for m in pattern.finditer(body):
            y = _year_value(m["year"])
            if y and (latest is None or y <= latest):
                return y
    counts = Counter(_year_value(m["year"]) for m in _ANY_YEAR.finditer(body))
    ranked = [y for y, _ in counts.most_common() if y and (latest is None or y <= latest)]
    return ranked[0] if ranked else None


def _region_candidates(doc: Document, publisher: str, orgs: list[str], lines: list[str]) -> list[str]:
    cands = [publisher, *orgs, *reversed(_signature_lines(lines))]
    cands += [doc.meta.get(k, "") for k in SITE_META_KEYS + SOURCE_LABELS]
    cands += [" ".join(doc.breadcrumbs), "\n".join(lines[:_HEAD_LINES])[:_BODY_SCAN]]
    return [c for c in cands if c]


def read_metadata(doc: Document) -> Metadata:
    """Title, year covered, region, agency and publish date of one report."""
    lines = _lines(doc.text)
    body = doc.text[:_BODY_SCAN]
    title = _pick_title(doc)
    publisher, year = split_title(title) if title else ("", None)
    orgs = _self_references(body)
    published = _published(doc, lines, year)
    if year is None:
        year = _body_year(body, published)
    if publisher:
        agency = None if is_own_government(publisher) else publisher
    else:
        agency = _body_agency(orgs)
    if agency and is_central_body(agency):
        where: Resolution = NATIONAL
    else:
        where = resolve_region(_region_candidates(doc, publisher, orgs, lines), year)
    return Metadata(title=title, year=year, region=where.region, region_code=where.code,
                    agency=agency, published=published)
