"""parser.regions: the shipped GB/T 2260 table and resolve_region over real and made-up names."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from parser import regions
from parser.regions import Resolution, division, full_name, is_central_body, resolve_region, strip_places

DATA = Path(regions.__file__).parent / "data"


def test_the_table_ships_with_every_level_and_stays_small():
    with open(DATA / "divisions.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    codes = {r["code"] for r in rows}
    assert len(rows) > 3000
    assert {"110000", "330100", "330110", "522601", "460202"} <= codes
    # every parent is in the table, and a code with two rows never has two current names
    assert all(not r["parent"] or r["parent"] in codes for r in rows)
    current = [(r["code"]) for r in rows if not r["until"]]
    assert len(current) == len(set(current))
    assert (DATA / "divisions.csv").stat().st_size + (DATA / "towns.tsv").stat().st_size < 700_000
    assert "Ministry of Civil Affairs" in (DATA / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("candidates, year, expected", [
    # renamed or split districts keep their codes; abolished ones still resolve for old reports
    (["杭州市余杭区2017年度政府信息公开工作年度报告"], 2017, ("浙江省杭州市余杭区", "330110", "county")),
    (["杭州市临平区2023年政府信息公开工作年度报告"], 2023, ("浙江省杭州市临平区", "330113", "county")),
    (["杭州市江干区2017年政府信息公开工作年度报告"], 2017, ("浙江省杭州市江干区", "330104", "county")),
    (["北京市宣武区2009年政府信息公开工作年度报告"], 2009, ("北京市宣武区", "110104", "county")),
    # one name, two divisions over time: the year decides
    (["巢湖市"], 2010, ("安徽省巢湖市", "341400", "prefecture")),
    (["巢湖市"], 2015, ("安徽省合肥市巢湖市", "340181", "county")),
    # short forms
    (["余杭区"], None, ("浙江省杭州市余杭区", "330110", "county")),
    (["“杭州·余杭”门户网站"], None, ("浙江省杭州市", "330100", "prefecture")),
    (["黔东南州凯里市"], None, ("贵州省黔东南苗族侗族自治州凯里市", "522601", "county")),
    (["凯里市"], None, ("贵州省黔东南苗族侗族自治州凯里市", "522601", "county")),
    (["广西"], None, ("广西壮族自治区", "450000", "province")),
    (["长阳县"], None, ("湖北省宜昌市长阳土家族自治县", "420528", "county")),
    # municipalities have no prefecture level; a province-administered city has none either
    (["天津市和平区"], None, ("天津市和平区", "120101", "county")),
    (["仙桃市"], None, ("湖北省仙桃市", "429004", "county")),
    (["2022年上海市政府信息公开工作年度报告"], 2022, ("上海市", "310000", "province")),
    # ambiguous names: the other candidates decide, else the division with fewer levels above it
    (["和平区发展改革委"], 2019, ("天津市和平区", "120101", "county")),
    (["和平区发展改革委", "沈阳市和平区人民政府"], 2019, ("辽宁省沈阳市和平区", "210102", "county")),
    (["和平区", "辽宁省人民政府"], None, ("辽宁省沈阳市和平区", "210102", "county")),
    (["朝阳区"], None, ("北京市朝阳区", "110105", "county")),
    (["吉林"], None, ("吉林省", "220000", "province")),
    (["鼓楼区", "福建省"], None, ("福建省福州市鼓楼区", "350102", "county")),
    # towns: the town table gives the county; else the county comes from another candidate
    (["万潮镇"], 2023, ("贵州省黔东南苗族侗族自治州凯里市万潮镇", "522601", "town")),
    (["上海市黄浦区人民政府打浦桥街道办事处"], 2023, ("上海市黄浦区打浦桥街道", "310101", "town")),
    (["平利县正阳镇"], 2021, ("陕西省安康市平利县正阳镇", "610926", "town")),
    (["龙田镇人民政府", "福清市人民政府"], 2021, ("福建省福州市福清市龙田镇", "350181", "town")),
    (["平利县新设想镇人民政府"], 2021, ("陕西省安康市平利县新设想镇", "610926", "town")),
    # the first candidate that names a place is the subject; later ones never override it
    (["泰州市人民政府", "泰州市海陵区凤凰东路58号"], 2017, ("江苏省泰州市", "321200", "prefecture")),
    (["杭州市2019年政府信息公开工作年度报告。地址：杭州市余杭区临平南大街"], 2019, ("浙江省杭州市", "330100", "prefecture")),
    (["杭州市·余杭区"], None, ("浙江省杭州市余杭区", "330110", "county")),
    (["县人民政府办公室", "平利县人民政府"], 2019, ("陕西省安康市平利县", "610926", "county")),
    # ... nor does an area outside GB/T 2260 named after it (平潭县's 2012 report on the site of the zone
    # that later took the county's place); named first, the area is the subject
    (["平潭县人民政府", "平潭综合实验区党工委管委会"], 2012, ("福建省福州市平潭县", "350128", "county")),
    (["平潭综合实验区党工委管委会", "福州市"], 2019, ("福建省福州市平潭综合实验区", None, "zone")),
    # generic words that are also county names need their parent
    (["阳泉市城区"], None, ("山西省阳泉市城区", "140302", "county")),
])
def test_resolve_region(candidates, year, expected):
    assert resolve_region(candidates, year) == Resolution(*expected)


@pytest.mark.parametrize("candidates", [
    ["鼓楼区"],  # 南京, 福州, 开封, 徐州: nothing decides
    ["城区改造和老城区建设"],  # plain words
    ["林业局"],
    ["龙田镇人民政府"],  # six towns of that name, nothing decides
    [],
    ["", "   "],
])
def test_unresolvable_gives_nothing(candidates):
    assert resolve_region(candidates) == Resolution(None, None, None)


def test_full_width_and_spaced_names_resolve():
    assert resolve_region(["宿 州 市 人 民 政 府"]).code == "341300"


def test_division_and_full_name():
    assert full_name("330110") == "浙江省杭州市余杭区"
    assert full_name("120101") == "天津市和平区"
    assert full_name("999999") is None
    d = division("330104")
    assert d is not None and d.name == "江干区" and d.until == 2021 and d.level == "county"
    assert d.in_use(2017) and not d.in_use(2023)
    assert division("330113").since >= 2020


@pytest.mark.parametrize("name, central", [
    ("自然资源部", True), ("国务院办公厅", True), ("国家统计局", True), ("海关总署", True),
    ("中国人民银行", True), ("国家税务总局杭州市税务局", False), ("林业局", False),
    ("杭州市教育局", False), ("", False),
])
def test_is_central_body(name, central):
    assert is_central_body(name) is central


def test_strip_places():
    assert strip_places("和平区发展改革委") == "发展改革委"
    assert strip_places("上海市黄浦区人民政府打浦桥街道办事处") == "人民政府打浦桥街道办事处"
    assert strip_places("林业局") == "林业局"


def test_docstring_examples():
    import doctest

    assert doctest.testmod(regions).failed == 0
