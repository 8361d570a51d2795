"""Is a listed title an annual disclosure report, which variant of it, and for which year?

``classify_title(title, rules=DEFAULT_FILTER) -> TitleVerdict`` reads only the title as listed
(or as given in ``title=``). The patterns are data (``REPORT_PATTERNS``, ``EXCLUDE_PATTERNS``,
``VARIANTS``); a site profile replaces or extends them in its ``[filter]`` table, which the
profile loader turns into a ``FilterRules``.

Verdict: ``is_report`` (fetch it as a report), ``variant`` (``None`` for the report itself, else
a tag such as 图解 / 超链版 / 更正), ``year`` (the year the report covers, from the title; ``None``
when the title has none), ``reason`` (a stable key: ``report``, ``no_pattern``, ``excluded``,
``variant_skipped``, ``year_out_of_range``). A variant marked ``keep=False`` (解读 pages explain a
report, they are not one) is not a report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

__all__ = ["Variant", "FilterRules", "TitleVerdict", "classify_title", "title_year",
           "REPORT_PATTERNS", "EXCLUDE_PATTERNS", "VARIANTS", "DEFAULT_FILTER"]

# titles seen in sites.md §5.2: 政府信息公开(工作)年度报告, 政府信息年度工作报告 (宿州),
# 政府信息公开工作报告 (亳州, 辽宁), 政务公开工作年度报告, 信息公开年报
REPORT_PATTERNS: tuple[str, ...] = (
    r"政府信息\s*公开.{0,10}?报\s*告",
    r"政府信息.{0,4}年度.{0,4}报告",
    r"政务公开.{0,8}?年度报告",
    r"信息公开.{0,4}?年\s*报",
    r"信息公开年度报告",
    r"政府信息公开(?:工作)?(?:年度?)?(?:…|\.{2,})$",   # a list title cut short: 政府信息公开工作年度…
)
# a report's title never says these; notices about writing reports do
EXCLUDE_PATTERNS: tuple[str, ...] = (
    r"通\s*知", r"指南", r"制度", r"目录", r"要点", r"格式", r"报送", r"编制", r"评估", r"测评",
    r"考核", r"培训", r"征集", r"意见", r"办法", r"方案", r"公示",
)


@dataclass(frozen=True, slots=True)
class Variant:
    tag: str
    pattern: str
    #: fetch it (a copy of the report in another form) or not (a page about the report)
    keep: bool = True


# checked in order: the first that matches names the variant
VARIANTS: tuple[Variant, ...] = (
    Variant("解读", r"解读|问答|答记者问", keep=False),
    Variant("图解", r"图解|图片版|一图|图文|长图|漫画"),
    Variant("超链版", r"超链版|超链接版"),
    Variant("更正", r"更正|修订|勘误"),
    Variant("摘要", r"摘要|简版"),
)


@dataclass(frozen=True, slots=True)
class FilterRules:
    include: tuple[str, ...] = REPORT_PATTERNS
    exclude: tuple[str, ...] = EXCLUDE_PATTERNS
    variants: tuple[Variant, ...] = VARIANTS
    year_from: int | None = 2008
    year_to: int | None = None
    _compiled: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        compiled = (
            tuple(re.compile(p) for p in self.include),
            tuple(re.compile(p) for p in self.exclude),
            tuple((v, re.compile(v.pattern)) for v in self.variants),
        )
        object.__setattr__(self, "_compiled", compiled)

    def with_years(self, year_from: int | None, year_to: int | None) -> "FilterRules":
        """Narrow the year range (a ``--years`` option inside the profile's own range)."""
        los = [y for y in (self.year_from, year_from) if y is not None]
        his = [y for y in (self.year_to, year_to) if y is not None]
        lo, hi = (max(los) if los else None), (min(his) if his else None)
        return replace(self, year_from=lo, year_to=hi)


DEFAULT_FILTER = FilterRules()


@dataclass(frozen=True, slots=True)
class TitleVerdict:
    is_report: bool
    reason: str
    variant: str | None = None
    year: int | None = None


_CN_DIGITS = str.maketrans("〇零一二三四五六七八九○Ｏ０１２３４５６７８９",
                           "0012345678900" + "0123456789")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_SPACES = re.compile(r"[\s\u3000]+")


def _normalize(title: str) -> str:
    return _SPACES.sub("", title or "").translate(_CN_DIGITS)


def title_year(title: str) -> int | None:
    """The year a report title covers: the 4-digit year (…年/年度) nearest before 政府信息/报告."""
    text = _normalize(title)
    years = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(text)]
    if not years:
        return None
    anchor = min((i for i in (text.find("政府信息"), text.find("政务公开"), text.find("信息公开"),
                              text.find("报告")) if i >= 0), default=len(text))
    before = [y for pos, y in years if pos < anchor]
    return before[-1] if before else years[0][1]


def classify_title(title: str, rules: FilterRules = DEFAULT_FILTER) -> TitleVerdict:
    """Decide from a listed title whether to fetch it as a report (see the module docstring)."""
    include, exclude, variants = rules._compiled
    text = _normalize(title)
    year = title_year(text)
    if not any(p.search(text) for p in include):
        return TitleVerdict(False, "no_pattern", year=year)
    variant: Variant | None = next((v for v, p in variants if p.search(text)), None)
    if variant is not None and not variant.keep:
        return TitleVerdict(False, "variant_skipped", variant.tag, year)
    if any(p.search(text) for p in exclude):
        return TitleVerdict(False, "excluded", variant.tag if variant else None, year)
    if year is not None and ((rules.year_from and year < rules.year_from)
                             or (rules.year_to and year > rules.year_to)):
        return TitleVerdict(False, "year_out_of_range", variant.tag if variant else None, year)
    return TitleVerdict(True, "report", variant.tag if variant else None, year)
