"""Plain-text reader on the real samples: decoding, bylines, metadata rows, breadcrumbs, titles."""
from __future__ import annotations

from pathlib import Path

import pytest

from parser.extract import extract

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.exists(), reason="shared/samples is not beside the repository")


def read(name: str):
    return extract((SAMPLES / name).read_bytes(), "text/plain")


@needs_samples
def test_byline_under_the_title():
    doc = read("yuhang-2017.txt")
    assert doc.meta["发布时间"] == "2018-03-29"
    assert doc.title == "杭州市余杭区2017年度政府信息公开工作年度报告(图解)"
    doc = read("excerpts/guizhou-kaili-wanchao-2023.txt")
    assert doc.meta["来源"] == "万潮镇人民政府" and doc.meta["发布时间"] == "2024-01-16 16:47"


@needs_samples
def test_metadata_rows_written_with_bars_and_spaced_labels():
    doc = read("excerpts/jiangsu-taizhou-2017.txt")
    assert doc.meta["索引号"] == "014416330/2018-04736"
    assert doc.meta["发文日期"] == "2018-02-28" and doc.meta["发布机构"] == "市政府办"
    assert "文号" not in doc.meta and doc.title is None


@needs_samples
def test_breadcrumbs_and_titles_below_furniture():
    doc = read("excerpts/hebei-2020.txt")
    assert doc.breadcrumbs == ["首页", "政府信息公开", "政府信息公开年报", "河北省"]
    assert doc.title == "河北省2020年政府信息公开工作年度报告"
    assert read("excerpts/jilin-office-2025.txt").title == "吉林省人民政府办公厅2025年政府信息公开工作年度报告"
    assert read("excerpts/anhui-2014.txt").title == "安徽省2014年政府信息公开工作年度报告"
    # a title split over two lines is joined; an empty label gives nothing
    doc = read("hainan-haitang-2015.txt")
    assert doc.title == "三亚市海棠区人民政府2015年政府信息公开工作年度报告"
    assert "更新时间" not in doc.meta


def test_gbk_text_and_line_ends():
    data = "某某县2016年政府信息公开工作年度报告\r\n来源：县政府办 发布日期：2017-03-20\r\n一、概述\r".encode("gbk")
    doc = extract(data, None)
    assert doc.text.split("\n")[:3] == ["某某县2016年政府信息公开工作年度报告", "来源：县政府办 发布日期：2017-03-20", "一、概述"]
    assert doc.meta["charset"] == "gb18030" and doc.meta["发布日期"] == "2017-03-20"


def test_a_bare_date_under_the_title_is_kept_as_a_byline_candidate():
    data = "某某区2023年政府信息公开工作年度报告\n[2024-02-18]\n一、总体情况\n截至2023年12月31日，共收到申请。\n".encode()
    assert extract(data, None).meta["date_near_title"] == "2024-02-18"
    prose = "某某区2023年政府信息公开工作年度报告\n截至2023年12月31日，共收到申请。\n".encode()
    assert "date_near_title" not in extract(prose, None).meta
