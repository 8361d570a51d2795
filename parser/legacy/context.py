"""Who the report speaks for and which year it covers, as far as the prose matcher needs it.

Takes a ``Document``; returns a ``ReportContext``: the year the
report covers (to refuse last year's figures), whether the body is a department (whose report must
not take a city-wide total) or an area government, and the area's level (区, 市, 县 …: a district's
report takes 全区 figures, not 全市 ones). Reads no settings. ``parser.metadata`` owns the record's
year, region and agency and is asked first; the title alone (``context_from_title``) is the
fallback, and what the sentence tests use.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..document import Document
from ..extract.lines import joins_split_title
from ..metadata import TITLE_META_KEYS, Metadata, read_metadata
from ..numbers import normalize_width

__all__ = ["ReportContext", "report_context", "context_from_title", "find_title"]

# the declared titles, without the 标题 of a metadata table (a byline there is not the report's name)
_TITLE_META_KEYS = tuple(k for k in TITLE_META_KEYS if k != "标题")
_REPORT_WORD = re.compile(r"报告|年报")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# what a government's name ends with once 人民政府/办事处 is stripped
_AREA_LEVELS = ("自治区", "街道", "省", "市", "区", "县", "州", "盟", "旗", "镇", "乡")
_GOVERNMENT_SUFFIX = re.compile(r"(?:人民政府|政府|街道办事处|办事处|管委会)$")
_STREET_OFFICE = re.compile(r"街道(?:办事处)?$")
_DEPARTMENT_SUFFIX = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|办|厅|署|中心|院|所|站|队|处|馆|会|公司|社|部|行|集团|学校|医院)$"
)


@dataclass(frozen=True, slots=True)
class ReportContext:
    year: int | None = None
    is_department: bool | None = None  # None: cannot tell (area words are then taken as the body's own)
    level: str | None = None  # the area government's level, e.g. "区"

    def area_is_own(self, level: str | None) -> bool:
        """Whether an area word (全区, 我市, 各级 …; ``level`` None for 各级/全国) is the report's own subject."""
        if self.is_department:
            return False
        if self.level is None or level is None:
            return True
        # a 自治区 calls itself 全区
        return level.replace("自治区", "区") == self.level.replace("自治区", "区")


def find_title(doc: Document) -> str | None:
    """The report's title: the reader's, a meta title, or the first line that names a report.

    A title split over two lines ("三亚市海棠区人民政府" / "2015年政府信息公开工作年度报告") is joined.
    """
    if doc.title:
        return doc.title
    for key in _TITLE_META_KEYS:
        if doc.meta.get(key) and _REPORT_WORD.search(doc.meta[key]):
            return doc.meta[key]
    lines = [ln.strip() for ln in doc.text.splitlines()[:15]]
    for i, line in enumerate(lines):
        if "\t" in line or len(line) > 80 or not _REPORT_WORD.search(line):
            continue
        if i > 0 and joins_split_title(lines[i - 1], line):
            return lines[i - 1] + line
        return line
    return None


def context_from_title(title: str | None, text: str = "") -> ReportContext:
    """Year, department-or-area and level from a title (the text's commonest year as fallback)."""
    year = None
    prefix = ""
    if title:
        t = re.sub(r"\s+", "", normalize_width(title))
        m = _YEAR.search(t)
        if m:
            year = int(m.group(1))
            prefix = t[: m.start()]
        else:
            prefix = re.split(r"政府信息公开", t)[0]
    if year is None and text:
        counts = Counter(int(y) for y in _YEAR.findall(text[:20000]))
        year = counts.most_common(1)[0][0] if counts else None
    is_department, level = _subject_of(prefix)
    return ReportContext(year=year, is_department=is_department, level=level)


def _subject_of(name: str) -> tuple[bool | None, str | None]:
    name = name.strip("《》“”()")
    if not name:
        return None, None
    if _STREET_OFFICE.search(name):
        return False, "街道"
    stripped = _GOVERNMENT_SUFFIX.sub("", name)
    for level in _AREA_LEVELS:
        if stripped.endswith(level):
            return False, level
    if stripped != name:  # "…人民政府" of an unusual area name
        return False, None
    if _DEPARTMENT_SUFFIX.search(name):
        return True, None
    return None, None


def report_context(doc: Document, meta: Metadata | None = None) -> ReportContext:
    """``meta``: the document's ``read_metadata``, when the caller already has it (the pipeline does)."""
    meta = meta or read_metadata(doc)
    guess = context_from_title(find_title(doc), doc.text)
    year = meta.year or guess.year
    if meta.agency and not (meta.region is None and guess.is_department is False):
        # (an area name the region table does not know comes back as an agency; its title ends in 区/县…)
        return ReportContext(year=year, is_department=True)
    # a region read with the host is where the host's government sits, not the level the report
    # speaks as (a town's 我镇 on its county's site): that level comes from the text
    if meta.region and meta.region != "全国" and not meta.region_from_host:
        level = next((lvl for lvl in _AREA_LEVELS if meta.region.endswith(lvl)), None)
        return ReportContext(year=year, is_department=False, level=level)
    return ReportContext(year=year, is_department=guess.is_department, level=guess.level)
