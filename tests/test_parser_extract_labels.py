"""The one byline/label parser shared by the HTML, text and DOCX readers (sites.md 5.3 shapes)."""
from __future__ import annotations

import pytest

from parser.extract.labels import read_byline, read_label_cells
from parser.extract.lines import joins_split_title, pick_title, split_breadcrumbs


@pytest.mark.parametrize("line,pairs", [
    ("发布时间:2020-01-15 15:28 来源:政府办", [("发布时间", "2020-01-15 15:28"), ("来源", "政府办")]),
    ("来源:区人民政府办公室 时间:2017-01-12 10:01", [("来源", "区人民政府办公室"), ("时间", "2017-01-12 10:01")]),
    ("信息来源:深圳市人民政府办公厅 信息提供日期:2021-03-10 18:07",
     [("信息来源", "深圳市人民政府办公厅"), ("信息提供日期", "2021-03-10 18:07")]),
    ("信息来源:市政府办 · 发布日期:2026-01-29 17:15 · 浏览次数:", [("信息来源", "市政府办"), ("发布日期", "2026-01-29 17:15")]),
    ("浏览次数: 信息来源: 淮北市政府办 发布时间:2023-03-03 15:09 字号:",
     [("信息来源", "淮北市政府办"), ("发布时间", "2023-03-03 15:09")]),
    ("公开部门:区府办 发布时间:2017/2/23", [("公开部门", "区府办"), ("发布时间", "2017/2/23")]),
    ("发 布 日 期：2015-10-15 10:06:36", [("发布日期", "2015-10-15 10:06:36")]),
    ("本报告所列数据的统计时间：2019年1月1日至12月31日", []),
    ("更新时间:", []),
])
def test_bylines(line, pairs):
    assert read_byline(line) == pairs


def test_metadata_table_cells():
    cells = ["索 引 号", "014416330/2018-04736", "分　　类", "政府信息公开年报", "发文日期：", "2018-02-28", "文 号", ""]
    assert read_label_cells(cells) == [("索引号", "014416330/2018-04736"), ("分类", "政府信息公开年报"),
                                       ("发文日期", "2018-02-28")]


def test_titles_and_breadcrumbs():
    assert pick_title(["无障碍", "吉林省人民政府办公厅2025年政府信息公开工作年度报告", "发布日期:2026-01-29"]) == \
        "吉林省人民政府办公厅2025年政府信息公开工作年度报告"
    assert pick_title(["本报告根据《条例》要求编制，全文包括总体情况、主动公开情况等。"]) is None
    assert split_breadcrumbs("当前位置：首页 > 信息公开 >> 年度报告") == ["首页", "信息公开", "年度报告"]
    assert split_breadcrumbs("一、总体情况") == []


def test_nanjing_2008_a_title_split_before_its_year_is_joined_only_to_a_name():
    # the first half of a split title is a short name, and the second half names no body
    assert pick_title(["三亚市海棠区人民政府", "2015年度政府信息公开工作年度报告"]) == \
        "三亚市海棠区人民政府2015年度政府信息公开工作年度报告"
    # a crumb path, a column name or a site header is not part of a year-first title
    assert pick_title(["首页 > 政务公开 > 政府信息公开年度报告", "2008年南京市政府信息公开工作年度报告"]) == \
        "2008年南京市政府信息公开工作年度报告"
    assert not joins_split_title("政府信息公开年度报告", "2008年政府信息公开工作年度报告")
    assert not joins_split_title("首页»政务公开", "2008年政府信息公开工作年度报告")
    assert not joins_split_title("南京市人民政府门户网站", "2008年南京市政府信息公开工作年度报告")
    assert joins_split_title("万潮镇人民政府", "2023年政府信息公开工作年度报告")
    assert not joins_split_title("大 中 小", "2015年政府信息公开工作年度报告")   # font-size buttons
    assert not joins_split_title("政务公开", "2015年政府信息公开工作年度报告")   # a crumb drawn as images
    assert joins_split_title("某某县", "2010年度政务公开工作报告")
