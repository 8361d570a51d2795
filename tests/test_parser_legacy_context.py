"""Who a legacy report speaks for and which year it covers (the prose matcher's subject guard)."""
from __future__ import annotations

import pytest

from parser.document import Document
from parser.legacy.context import ReportContext, context_from_title, find_title, report_context

from conftest import SAMPLES


@pytest.mark.parametrize("title,year,is_department,level", [
    ("杭州市余杭区2017年度政府信息公开工作年度报告(图解)", 2017, False, "区"),
    ("三亚市海棠区人民政府2015年政府信息公开工作年度报告", 2015, False, "区"),
    ("北京市水务局2008年政府信息公开工作年度报告", 2008, True, None),
    ("上海市人民政府办公厅2012年政府信息公开工作年度报告", 2012, True, None),
    ("北京市东城区东华门街道办事处2011年政府信息公开工作年度报告", 2011, False, "街道"),
    ("安徽省2014年政府信息公开工作年度报告", 2014, False, "省"),
    ("开平市沙塘镇2016年政府信息公开工作年度报告", 2016, False, "镇"),
    ("政府信息公开工作年度报告", None, None, None),
])
def test_context_from_title(title, year, is_department, level):
    assert context_from_title(title) == ReportContext(year=year, is_department=is_department, level=level)


def test_area_words_are_own_only_at_the_report_level():
    district = ReportContext(2017, False, "区")
    assert district.area_is_own("区") and district.area_is_own(None)
    assert not district.area_is_own("市")
    assert ReportContext(2017, False, "自治区").area_is_own("区")
    assert not ReportContext(2017, True, None).area_is_own("市")
    assert ReportContext().area_is_own("省")  # cannot tell: taken as the body's own


def test_a_title_split_over_two_lines_is_joined():
    doc = Document(text="更新时间:\n三亚市海棠区人民政府\n2015年政府信息公开工作年度报告\n根据…", media_type="text/plain")
    assert find_title(doc) == "三亚市海棠区人民政府2015年政府信息公开工作年度报告"


def test_report_context_of_the_samples():
    yuhang = Document(text=(SAMPLES / "yuhang-2017.txt").read_text(encoding="utf-8"), media_type="text/plain")
    assert report_context(yuhang) == ReportContext(2017, False, "区")
    swj = Document(text=(SAMPLES / "excerpts" / "beijing-swj-2008.txt").read_text(encoding="utf-8"),
                   media_type="text/plain")
    assert report_context(swj) == ReportContext(2008, True, None)  # "由北京市水务局编制", no title line


def test_an_area_the_region_table_does_not_know_is_still_an_area():
    doc = Document(text="某市某区2017年政府信息公开工作年度报告\n正文。", media_type="text/plain")
    assert report_context(doc) == ReportContext(2017, False, "区")
