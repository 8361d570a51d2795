"""parser.metadata: every real sample and excerpt -> its expected metadata, and made-up cases."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES

from parser.document import Document
from parser.extract import extract
from parser.metadata import Metadata, is_own_government, parse_date, read_metadata, split_title
from parser.settings import ParseSettings

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt")) + sorted((SAMPLES / "excerpts").glob("*.txt"))
FIELDS = ("title", "year", "region", "published")


# SCHEMA.md, the public contract: "A central (national) body has region 全国 and region_code
# null". mnr-2024.expected.json (自然资源部) says region null; the contract wins.
CONTRACT_OVERRIDES = {"mnr-2024": {"region": "全国"}}


def expected_for(path: Path) -> dict:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    return {**expected, **CONTRACT_OVERRIDES.get(path.stem, {})}


def read_sample(path: Path) -> Metadata:
    doc = extract(path.read_bytes(), "text/plain", None, ParseSettings())
    return read_metadata(doc)


@pytest.mark.skipif(not SAMPLE_FILES, reason="shared/samples not beside the repo")
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_real_samples_give_their_expected_metadata(path):
    got, expected = read_sample(path), expected_for(path)
    assert {k: getattr(got, k) for k in FIELDS} == {k: expected.get(k) for k in FIELDS}
    # the samples' expectations name the agency as the report writes it; ``agency`` is the full
    # official name (tests/data/real labels), ``agency_as_written`` the written form
    assert got.agency_as_written == expected.get("agency")
    assert (got.agency is None) == (expected.get("agency") is None)


def test_a_written_short_agency_name_is_given_in_full_beside_it():
    got = read_sample(SAMPLES / "excerpts" / "tianjin-heping-fgw-2019.txt") if SAMPLE_FILES else None
    if got is None:
        pytest.skip("shared/samples not beside the repo")
    assert (got.agency, got.agency_as_written) == ("天津市和平区发展和改革委员会", "和平区发展改革委")


def test_region_codes_of_real_samples():
    codes = {p.stem: read_sample(p).region_code for p in SAMPLE_FILES}
    if not codes:
        pytest.skip("shared/samples not beside the repo")
    assert codes["yuhang-2017"] == "330110"
    assert codes["guizhou-kaili-wanchao-2023"] == "522601"
    assert codes["tianjin-heping-fgw-2019"] == "120101"
    assert codes["mnr-2024"] is None


def doc(text: str = "正文", title: str | None = None, url: str | None = None, **meta: str) -> Document:
    return Document(text=text, media_type="text/html", title=title, meta=dict(meta), url=url)


@pytest.mark.parametrize("title, region, code, agency", [
    # a department's or office's report: the agency as written in the title
    ("宿迁市水利局2024年政府信息公开工作年度报告", "江苏省宿迁市", "321300", "宿迁市水利局"),
    ("南京市人民政府办公厅2019年政府信息公开工作年度报告", "江苏省南京市", "320100", "南京市人民政府办公厅"),
    ("上海市静安区地区工作办公室2023年度政府信息公开工作年度报告", "上海市静安区", "310106",
     "上海市静安区地区工作办公室"),
    ("淮北市人民政府办公室(外事办公室)2022年政府信息公开工作年度报告", "安徽省淮北市", "340600",
     "淮北市人民政府办公室(外事办公室)"),
    ("2008年高青县畜牧局政府信息公开工作年度报告", "山东省淄博市高青县", "370322", "高青县畜牧局"),
    ("绵阳市安州区经济合作局 2021年政府信息公开工作年度报告", "四川省绵阳市安州区", "510705", "绵阳市安州区经济合作局"),
    ("2022年上海市人民政府参事室政府信息公开工作年度报告", "上海市", "310000", "上海市人民政府参事室"),
    ("国家税务总局杭州市税务局2020年政府信息公开工作年度报告", "浙江省杭州市", "330100", "国家税务总局杭州市税务局"),
    # a central body
    ("国务院办公厅2019年政府信息公开工作年度报告", "全国", None, "国务院办公厅"),
    # a government's own report: no agency
    ("上海市杨浦区政府2022年政府信息公开工作年度报告", "上海市杨浦区", "310110", None),
    ("2023年上海市黄浦区人民政府打浦桥街道办事处政府信息公开工作年度报告", "上海市黄浦区打浦桥街道", "310101", None),
    ("平利县正阳镇2021年度政府信息公开工作年度报告", "陕西省安康市平利县正阳镇", "610926", None),
    ("辽宁省2019年度政府信息公开工作报告", "辽宁省", "210000", None),
    ("杭州市江干区2017年政府信息公开工作年度报告", "浙江省杭州市江干区", "330104", None),
])
def test_agency_and_region_from_the_title(title, region, code, agency):
    got = read_metadata(doc(title=title))
    assert (got.region, got.region_code, got.agency) == (region, code, agency)


def test_a_title_without_place_takes_the_region_from_the_site():
    got = read_metadata(doc(title="县人民政府办公室2019年政府信息公开工作年度报告", sitename="平利县人民政府"))
    assert (got.region, got.agency, got.year) == ("陕西省安康市平利县", "平利县人民政府办公室", 2019)
    assert got.agency_as_written == "县人民政府办公室"
    got = read_metadata(doc(title="龙田镇人民政府2021年政府信息公开工作年度报告", sitename="福清市人民政府"))
    assert (got.region, got.region_code, got.agency) == ("福建省福州市福清市龙田镇", "350181", None)
    got = read_metadata(doc(title="和平区2019年政府信息公开工作年度报告", sitename="沈阳市和平区人民政府"))
    assert got.region == "辽宁省沈阳市和平区"


@pytest.mark.parametrize("title, year", [
    ("杭州市余杭区2017年度政府信息公开工作年度报告(图解)", 2017),
    ("北京市海淀区人民政府2024年政府信息公开工作年度报告的问答解读", 2024),
    ("宿州市人民政府2019年政府信息公开工作年度报告（图片版）", 2019),
    ("上海市黄浦区人民政府2023年政府信息公开工作年度报告.pdf", 2023),
    ("某县二〇一七年度政府信息公开工作年度报告", 2017),
    ("政府信息公开工作年度报告（2019年）", 2019),
])
def test_titles_with_suffixes_keep_them_and_give_the_year(title, year):
    got = read_metadata(doc(title=title))
    assert got.year == year
    assert got.title == title.removesuffix(".pdf")  # as written, full-width brackets too


def test_the_url_date_is_never_the_year_or_the_publish_date():
    url = "http://www.yuhang.gov.cn/art/2023/6/22/art_1229_5.html"
    got = read_metadata(doc(title="杭州市余杭区2021年政府信息公开工作年度报告", url=url))
    assert (got.year, got.published) == (2021, None)


def test_html_meta_only_dates_through_the_html_reader():
    html = ("<html><head><meta charset='utf-8'><title>苏州市2018年政府信息公开工作年度报告_苏州市人民政府</title>"
            "<meta name='SiteName' content='苏州市人民政府'><meta name='PubDate' content='2019-03-05 09:43'>"
            "</head><body><div id='zoom'><p>根据条例编制本报告。</p><p>一、概述</p><p>2018年，我市……</p>"
            "</div></body></html>").encode("utf-8")
    got = read_metadata(extract(html, "text/html", "http://www.suzhou.gov.cn/202102/t20210224_1.shtml"))
    assert got == Metadata("苏州市2018年政府信息公开工作年度报告", 2018, "江苏省苏州市", "320500", None, "2019-03-05")


@pytest.mark.parametrize("meta, published", [
    ({"发布时间": "2020-01-15 15:28"}, "2020-01-15"),
    ({"公开部门": "区府办", "发布时间": "2017/2/23"}, "2017-02-23"),
    ({"发布日期": "2023/01/18 11:34:01"}, "2023-01-18"),
    ({"发文日期": "2018-02-28", "pubdate": "2020-06-22"}, "2018-02-28"),  # the byline before the meta tag
    ({"pubdate": "2019-03-19 10:00"}, "2019-03-19"),
    ({"firstpublishedtime": "2026-09-28-21:50:00"}, "2026-09-28"),
    ({"created_at": "1642640400"}, "2022-01-20"),  # epoch seconds, China time
    ({"display_publish_time": "1642640400000"}, "2022-01-20"),
    ({"更新时间": "2021-04-01"}, "2021-04-01"),
])
def test_publish_date_from_page_metadata(meta, published):
    assert read_metadata(doc(title="宿迁市2017年政府信息公开年度报告", **meta)).published == published


@pytest.mark.parametrize("text, published", [
    ("一、概述\n正文。\n三亚市海棠区人民政府\n2015年3月15日", "2015-03-15"),
    ("一、概述\n正文。\n宿 州 市 人 民 政 府 2015年3月27日", "2015-03-27"),
    ("一、概述\n正文。\n宿迁市人民政府办公室\n（2025年1月21日）", "2025-01-21"),
    ("一、概述\n正文。\n某县人民政府\n二〇一五年三月二十七日", "2015-03-27"),
    ("一、概述\n正文。\n上海市黄浦区人民政府办公室 2017年2月", "2017-02"),
    ("2024年1月31日\n一、概述\n正文。", "2024-01-31"),  # under the title (静安)
    ("2019年12月31日前完成\n一、概述\n正文。", None),  # a deadline, not a date of its own
    # a date inside the prose is not a publish date
    ("一、概述\n根据2013年3月1日的通知，我区开展工作，取得成效。\n二、问题\n无。", None),
])
def test_publish_date_from_the_signature_or_the_head(text, published):
    assert read_metadata(doc(text, title="某县2014年政府信息公开工作年度报告")).published == published


def test_the_byline_beats_the_signature():
    got = read_metadata(doc("一、概述\n正文。\n某县人民政府\n2015年3月15日", title="某县2014年政府信息公开工作年度报告",
                            发布时间="2015-03-20 10:00"))
    assert got.published == "2015-03-20"


@pytest.mark.parametrize("text, year", [
    ("本报告由北京市水务局编制的2008年度政府信息公开年度报告。", 2008),
    ("本报告所列数据的统计期限自2017年1月1日至2017年12月31日。", 2017),
    ("二〇一七年度，我局认真贯彻条例。", 2017),
    ("2019年，我区深入推进政务公开。2019年全区公开信息100条。2020年将继续努力。", 2019),
    ("根据《2018年度考核办法》要求。\n2019年，我局深入推进政务公开。", 2019),
    ("我局在二〇一七年里主动公开信息。二〇一七年全年未收到申请。", 2017),
])
def test_year_from_the_body_when_there_is_no_title(text, year):
    assert read_metadata(doc(text)).year == year


def test_a_date_after_the_title_is_the_publish_date_not_part_of_the_title():
    line = "上海市杨浦区政府2022年政府信息公开工作年度报告 2024-02-18"
    got = read_metadata(doc(line + "\n一、总体情况\n正文。", title=line))
    assert (got.title, got.published) == ("上海市杨浦区政府2022年政府信息公开工作年度报告", "2024-02-18")


def test_the_readers_title_needs_only_to_name_a_report():
    assert read_metadata(doc(title="某县2019年政务公开年报")).title == "某县2019年政务公开年报"
    # a page <title> names any page of the site: it must name a disclosure report
    assert read_metadata(doc(html_title="2019年政府工作报告_某县人民政府")).title is None


def test_a_title_split_over_two_lines_when_the_reader_gave_none():
    text = "三亚市海棠区人民政府\n2015年政府信息公开工作年度报告\n根据条例，编制本报告。\n一、概述\n正文。"
    got = read_metadata(Document(text=text, media_type="application/pdf"))
    assert (got.title, got.year, got.agency) == ("三亚市海棠区人民政府2015年政府信息公开工作年度报告", 2015, None)


def test_no_title_when_the_text_shows_none():
    got = read_metadata(doc("根据《条例》要求，现将西安市人民政府2021年政府信息公开工作年度报告予以公开。"))
    assert (got.title, got.year, got.region, got.agency) == (None, 2021, "陕西省西安市", None)


@pytest.mark.parametrize("text, value", [
    ("发布时间:2017/2/23 10:01", "2017-02-23"),
    ("2021-03-2918:26", "2021-03-29"),
    ("安徽省信息公开  2015/3/27", "2015-03-27"),
    ("二〇一五年三月十五日", "2015-03-15"),
    ("2015年13月40日", None),
    ("索引号 014416330/2018-04736", None),
    ("", None),
    (None, None),
])
def test_parse_date(text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("title, publisher, year", [
    ("杭州市余杭区2017年度政府信息公开工作年度报告(图解)", "杭州市余杭区", 2017),
    ("2023年上海市政府信息公开工作年度报告", "上海市", 2023),
    ("宿州市人民政府2016年政府信息公开工作年度报告", "宿州市人民政府", 2016),
    ("2022年政府信息公开工作年度报告", "", 2022),
    ("政府信息公开工作年度报告", "", None),
])
def test_split_title(title, publisher, year):
    assert split_title(title) == (publisher, year)


@pytest.mark.parametrize("name, own", [
    ("杭州市余杭区", True), ("三亚市海棠区人民政府", True), ("上海市杨浦区政府", True), ("万潮镇", True),
    ("龙田镇人民政府", True), ("上海市黄浦区人民政府打浦桥街道办事处", True), ("县人民政府", True),
    ("吉林省人民政府办公厅", False), ("和平区发展改革委", False), ("林业局", False), ("区府办", False),
    ("杭州市余杭区教育局", False),
])
def test_is_own_government(name, own):
    assert is_own_government(name) is own


@pytest.mark.parametrize("name, own", [
    ("某市某区人民政府", True), ("某市某区", True), ("某省某市人民政府", True), ("某县某镇人民政府", True),
    ("某市某区人民政府办公室", False), ("某市某区发展和改革局", False), ("某某工业园区", False),
    ("黄山风景区管委会", False),
])
def test_unknown_area_government_is_no_agency(name, own):
    """issue 3(b): an area the region table does not know is still a government, not a department."""
    assert is_own_government(name) is own
    got = read_metadata(doc(title=f"{name}2023年政府信息公开工作年度报告"))
    assert got.agency_as_written == (None if own else name)
    assert (got.agency is None) is own


def test_docstring_examples():
    import doctest

    import parser.metadata

    result = doctest.testmod(parser.metadata)
    assert result.attempted >= 2 and result.failed == 0
