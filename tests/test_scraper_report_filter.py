"""Report titles: which listed titles are reports, their variant and year (sites.md §5.2 titles)."""
from __future__ import annotations

import pytest

from scraper.report_filter import DEFAULT_FILTER, classify_title, title_year

REPORTS = [
    ("杭州市余杭区2017年度政府信息公开工作年度报告(图解)", 2017, "图解"),
    ("上海市黄浦区人民政府2022年政府信息公开工作年度报告（超链版）", 2022, "超链版"),
    ("2016年上海市黄浦区政府信息公开工作年度报告", 2016, None),
    ("2023年上海市黄浦区人民政府打浦桥街道办事处\n政府信息公开工作年度报告", 2023, None),
    ("宿州市2014年政府信息年度工作报告", 2014, None),
    ("亳州市人民政府办公室2025年政府信息公开工作报告", 2025, None),
    ("辽宁省2019年度政府信息公开工作报告", 2019, None),
    ("林业局2008年政府信息公开年度报告", 2008, None),
    ("宿州市人民政府2019年政府信息公开工作年度报告（图片版）", 2019, "图解"),
    ("绵阳市安州区经济合作局 2021年政府信息公开工作年度报告", 2021, None),
    ("某区2019年政务公开工作年度报告", 2019, None),
    ("杭州市余杭区2018年度政府信息公开工作年度…", 2018, None),
]

NOT_REPORTS = [
    ("北京市海淀区人民政府2024年政府信息公开工作年度报告的问答解读", "variant_skipped"),
    ("关于做好2023年政府信息公开工作年度报告编制和发布工作的通知", "excluded"),
    ("政府信息公开指南", "no_pattern"),
    ("2007年政府信息公开工作年度报告", "year_out_of_range"),
    ("区政府2020年工作总结", "no_pattern"),
]


@pytest.mark.parametrize("title, year, variant", REPORTS)
def test_report_titles(title, year, variant):
    v = classify_title(title)
    assert v.is_report and v.year == year and v.variant == variant


@pytest.mark.parametrize("title, reason", NOT_REPORTS)
def test_not_reports(title, reason):
    v = classify_title(title)
    assert not v.is_report and v.reason == reason


def test_year_range_of_a_crawl_narrows_the_profile_range():
    rules = DEFAULT_FILTER.with_years(2015, 2020)
    assert classify_title("X市2016年政府信息公开工作年度报告", rules).is_report
    assert classify_title("X市2021年政府信息公开工作年度报告", rules).reason == "year_out_of_range"
    assert DEFAULT_FILTER.with_years(2000, None).year_from == 2008


def test_title_year_takes_the_year_next_to_the_report_words():
    assert title_year("二〇一七年政府信息公开年报") == 2017
    assert title_year("2024年1月发布：某市2023年政府信息公开工作年度报告") == 2023
    assert title_year("政府信息公开工作年度报告") is None
