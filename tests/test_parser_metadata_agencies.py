"""parser.agencies: agencies written short or colloquially -> their full official names (issue 11
item 7), with the written form kept beside it in the record. Names are the real reports' own
(tests/data/real labels, source pages in their .json files)."""
from __future__ import annotations

import pytest

from parser.agencies import clean_agency, normalise_agency
from parser.extract import extract
from parser.metadata import read_metadata
from parser.record import Record
from parser.regions import NATIONAL, resolve_region


@pytest.mark.parametrize("written, place, full", [
    ("自治区政府办公厅", "广西壮族自治区", "广西壮族自治区人民政府办公厅"),
    ("广州市国资委", "广州市", "广州市人民政府国有资产监督管理委员会"),
    ("西藏自治区政府国资委", "西藏自治区", "西藏自治区人民政府国有资产监督管理委员会"),
    ("西藏自治区国有资产监督管理委员会", "西藏自治区", "西藏自治区人民政府国有资产监督管理委员会"),
    ("政府国资委", "银川市", "银川市人民政府国有资产监督管理委员会"),
    ("省政府研究室(发展研究中心)", "湖北省", "湖北省人民政府研究室(发展研究中心)"),
    ("湖南省参事室", "湖南省", "湖南省人民政府参事室"),
    ("东丽区水务局", "天津市东丽区", "天津市东丽区水务局"),
    ("阿拉善盟阿拉善右旗人民政府办公室", "阿拉善右旗", "阿拉善右旗人民政府办公室"),
    ("江西省发展改革委", "江西省", "江西省发展和改革委员会"),
    ("西藏自治区民委", "西藏自治区", "西藏自治区民族事务委员会"),
    ("吉林市外事办公室", "吉林市", "吉林市人民政府外事办公室"),
    ("县人民政府办公室", "平利县", "平利县人民政府办公室"),
    ("区府办", "杭州市余杭区", "杭州市余杭区人民政府办公室"),
    ("道县文广新局", "道县", "道县文化广电新闻出版局"),          # hunan-daoxian-wgxj-2013
    ("北京市信访办", "北京市", "北京市信访办公室"),               # beijing-xfb-2014
    # a prefecture bureau's county branch: the autonomous prefecture's short form in full
    ("昌吉州生态环境局吉木萨尔县分局", "昌吉州吉木萨尔县", "昌吉回族自治州生态环境局吉木萨尔县分局"),
    # already full, or a real name that looks short: unchanged
    ("攸县发展和改革局", "攸县", "攸县发展和改革局"),
    ("武汉东湖新技术开发区发展改革局", "武汉市", "武汉东湖新技术开发区发展改革局"),
    ("国家税务总局杭州市税务局", "杭州市", "国家税务总局杭州市税务局"),
    ("淮北市人民政府办公室(外事办公室)", "淮北市", "淮北市人民政府办公室(外事办公室)"),
    ("北京市城市管理委员会", "北京市", "北京市城市管理委员会"),
    # jiangxi fgw 2015: written with 和 but cut; a full 委员会 is never read as a short 委 again
    ("江西省发展和改革委", "江西省", "江西省发展和改革委员会"),
    ("江西省发展改革委员会", "江西省", "江西省发展改革委员会"),
    ("某县卫健委员会", "某县", "某县卫健委员会"),
])
def test_written_names_in_full(written, place, full):
    assert normalise_agency(written, resolve_region([place])) == full


@pytest.mark.parametrize("written, clean", [
    ("西藏自治区政府国资委2020", "西藏自治区政府国资委"),  # a year glued on
    ("某县统计局政府信息公开管理系统", "某县统计局"),
    ("武汉东湖新技术开发区发展改革局(以下简称发展改革局", "武汉东湖新技术开发区发展改革局"),
    ("海关总署(本级机关)", "海关总署"),
    ("标题西藏自治区审计厅", "西藏自治区审计厅"),
])
def test_what_sticks_to_a_written_name_goes(written, clean):
    assert clean_agency(written) == clean


def test_a_central_body_drops_the_states_name():
    assert normalise_agency("中华人民共和国教育部", NATIONAL) == "教育部"


def test_the_documents_own_fuller_name_wins():
    # shaanxi xian yanliang 2020: the title says 文化旅游局, the body names the bureau in full
    body = "一、总体情况\n2020年阎良区文化和旅游体育局在区委、区政府的正确领导下,认真落实《中华人民共和国政府信息公开条例》。"
    assert normalise_agency("西安市阎良区文化旅游局", resolve_region(["西安市阎良区"]), body) == "西安市阎良区文化和旅游体育局"


def test_the_record_keeps_the_written_form_beside_the_full_name():
    # xizang gzw 2023 (https://gzw.xizang.gov.cn/), header dump and split title as the store keeps it
    text = ("标      题 西藏自治区政府国资委2023年度信息公开工作报告\n索引号 000014349/2024-00162 文      号\n"
            "发布机构 发布日期 2024-01-29 15:53:27\n"
            "根据《中华人民共和国政府信息公开条例》要求,现公布西藏自治区政府国资委2023年政府信息公开工作年度报告。\n"
            "一、总体情况\n2023年,西藏自治区政府国资委坚持以习近平新时代中国特色社会主义思想为指导。\n")
    got = read_metadata(extract(text.encode("utf-8"), "text/plain"))
    assert got.title == "西藏自治区政府国资委2023年度信息公开工作报告"
    assert (got.agency, got.agency_as_written) == ("西藏自治区人民政府国有资产监督管理委员会", "西藏自治区政府国资委")
    assert (got.region, got.region_code, got.published) == ("西藏自治区", "540000", "2024-01-29")


def test_agency_as_written_is_in_the_records_json():
    record = Record(agency="广州市人民政府国有资产监督管理委员会", agency_as_written="广州市国资委")
    d = record.to_dict()
    assert d["agency_as_written"] == "广州市国资委"
    assert list(d).index("agency_as_written") == list(d).index("agency") + 1
    assert Record.from_dict(d).agency_as_written == "广州市国资委"


def meta(text: str):
    return read_metadata(extract(text.encode("utf-8"), "text/plain"))


def test_an_alias_the_text_defines_gives_the_full_name():
    # guangxi bbwb 2022: "(以下简称自治区北部湾办)"
    text = "由广西壮族自治区北部湾经济区规划建设管理办公室(以下简称自治区北部湾办)编制。"
    assert normalise_agency("自治区北部湾办", resolve_region(["广西壮族自治区"]), text) == \
        "广西壮族自治区北部湾经济区规划建设管理办公室"


def test_two_bodies_joined_by_and_are_not_a_longer_name():
    # liaoning shenyang office 2025 (https://www.shenyang.gov.cn/…/t20260130_4980251.html)
    text = ("2025年,沈阳市人民政府办公厅坚持以习近平新时代中国特色社会主义思想为指导。\n(一)主动公开情况\n"
            "通过市委市政府门户网站公开沈阳市人民政府及沈阳市人民政府办公厅文件23件。")
    assert meta(text).agency == "沈阳市人民政府办公厅"


@pytest.mark.parametrize("text, agency, region", [
    # central customs 2010: the year splits the title; what follows it (海关信息公开) is not the publisher
    ("海关总署2010年海关信息公开工作年度报告\n本年报根据《中华人民共和国政府信息公开条例》编制。\n一、主要工作概述\n",
     "海关总署", "全国"),
    # central customs 2020 repost: 全国海关 is the whole system; the contact names the body
    ("全国海关2020年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。如对报告有疑问,"
     "请联系海关总署办公厅政务公开处,地址:北京市东城区建国门内大街6号。\n一、总体情况\n", "海关总署", "全国"),
    # central mwr 2009 (https://m.zjtcn.com/news/50960004.html): the sentence's subject
    ("(一)公开的主要内容\n2009年,水利部主动公开政府信息1192条。其中,政策法规类信息2条。", "水利部", "全国"),
    # guizhou guiyang 2021: the government with its general office in brackets is a joint, own report
    ("根据《中华人民共和国政府信息公开条例》要求,现公布《贵阳市人民政府(市人民政府办公厅)2021年政府信息公开工作年度报告》。\n"
     "一、总体情况\n", None, "贵州省贵阳市"),
    # guangxi qinzhou office 2013: the contact's sub-unit (文电科) goes, the office stays; the text speaks as 我办
    ("本报告是根据《中华人民共和国政府信息公开条例》要求编制。如对本报告有任何疑问,请与钦州市人民政府办公室文电科联系"
     "(地址:钦州市永福东大街11号)。\n一、政府信息公开工作的基本情况\n我办把政府信息公开工作列入日常工作。",
     "钦州市人民政府办公室", "广西壮族自治区钦州市"),
    # heilongjiang jiamusi xiangyang office 2023: the office is the sentence's subject (no comma after the year)
    ("一、总体情况\n本报告在“佳木斯市向阳区”政府门户网站公布。如对本年度报告有任何疑问,请联系:向阳区人民政府办公室,"
     "联系电话:0454-8607012。\n(一)主动公开政府信息情况\n2023年区政府办主动公开信息158条。",
     "佳木斯市向阳区人民政府办公室", "黑龙江省佳木斯市向阳区"),
])
def test_the_body_of_a_report(text, agency, region):
    got = meta(text)
    assert (got.agency, got.region) == (agency, region)


def test_a_general_office_compiling_from_the_others_reports_makes_the_governments_report():
    # qinghai 2013 (traditional mirror): "由青海省人民政府辦公廳綜合各市、州…年度報告編制而成"; the contact is a
    # technical office, not the report's body
    text = ("青海省2013年政府信息公開工作年度報告是根據《中華人民共和國政府信息公開條例》要求,由青海省人民政府辦公廳綜合各市、州"
            "人民政府和省政府各委、辦、廳、局的政府信息公開年度報告編制而成。如對本年度報告有任何疑問,請與青海省政府信息技術辦公室聯繫。")
    got = meta(text)
    assert (got.agency, got.region) == (None, "青海省")


def test_a_unit_of_the_body_is_not_the_body():
    # shanghai wb 2007 (a copy on a hijacked domain): "具体由秘书处负责" is the office's unit; the contact's
    # information centre is the office's too
    text = ("本年报是根据《上海市政府信息公开规定》要求编制的2007年度政府信息公开年度报告。如对本报告有任何疑问,"
            "请联系:上海市外办信息中心,电话:62550698。\n一、概述\n我办政府信息公开工作是在办领导小组指导下,具体由秘书处负责。")
    assert meta(text).agency == "上海市人民政府外事办公室"
