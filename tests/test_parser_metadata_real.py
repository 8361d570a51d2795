"""parser.metadata on real shapes (issue 11 item 7): a region only from a whole place name in a
place-naming position and checked against the document (null beats wrong), towns and 苏木 under
their county, areas outside GB/T 2260 as written, titles from header lines and deep heads (never a
breadcrumb), 繁體 titles as written, publish dates in more shapes. Snippets are real text (source
in tests/data/real/<slug>.json where named), cut to what the case needs."""
from __future__ import annotations

import pytest

from parser.extract import extract
from parser.metadata import read_metadata
from parser.regions import agrees_with, dominant_division, resolve_region
from parser.traditional import as_written, reading_view

BODY = "\n本报告根据《中华人民共和国政府信息公开条例》编制。\n一、总体情况\n"


def meta(text: str):
    return read_metadata(extract(text.encode("utf-8"), "text/plain"))


# --- region: never wrong -----------------------------------------------------------------------

def test_a_county_inside_a_citation_never_wins():
    # "和县" in "…69号）和县政府办公室《关于…" is "and the county government's office", not 和县 (安徽)
    text = ("根据《中华人民共和国政府信息公开条例》要求，结合《关于印发政务公开工作方案的通知》（某政办〔2020〕69号）"
            "和县政府办公室《关于做好政务公开工作的通知》要求，编制本报告。\n一、总体情况\n2020年，我县深入推进政务公开，"
            "认真落实浙江省、杭州市有关要求。\n")
    got = meta(text)
    assert (got.region, got.region_code) == (None, None)


def test_an_answer_the_document_contradicts_is_refused():
    hexian = resolve_region(["和县政府办公室"])
    assert hexian.region == "安徽省马鞍山市和县"
    assert not agrees_with(hexian, "我县认真落实浙江省、杭州市和余杭区的部署，杭州市政府办公厅……")
    assert agrees_with(hexian, "我县认真落实安徽省、马鞍山市的部署。")
    assert agrees_with(hexian, "我县认真落实上级部署。")  # nothing against it


def test_an_address_is_not_a_signature():
    # beijing 2017: the page ends with the disclosure hall's address in 西城区; the report is the city's
    text = ("本报告根据《中华人民共和国政府信息公开条例》和《北京市政府信息公开规定》要求编制。\n一、概述\n正文。\n"
            "电子邮箱:xxgk@beijing.gov.cn\n联系电话:010-83978888\n地址:北京市西城区枣林前街70号北京市政府信息公开大厅\n")
    assert meta(text).region in (None, "北京市")


# --- region: places under their parents ---------------------------------------------------------

@pytest.mark.parametrize("text, region, code", [
    # hunan youxian fgj 2017: a two-character county
    ("2017年度攸县发展和改革局信息公开年度报告" + BODY, "湖南省株洲市攸县", "430223"),
    # hubei tianmen hushi 2019: a town whose name two counties have; the body's 天门市 settles it
    ("胡市镇人民政府2019年政府信息公开工作年度报告" + BODY + "2019年,胡市镇认真贯彻落实条例。本报告电子版可在天门市人民政府网站下载。",
     "湖北省天门市胡市镇", "429006"),
    # neimenggu kyzq harinuoer 2025: a 苏木
    ("科尔沁右翼中旗哈日诺尔苏木人民政府2025年政府信息公开工作年度报告" + BODY,
     "内蒙古自治区兴安盟科尔沁右翼中旗哈日诺尔苏木", "152222"),
    # anhui laian xinan 2021: no title, a town named by who compiled it, its county in the body
    ("本报告由新安镇人民政府根据《中华人民共和国政府信息公开条例》编制。\n一、总体情况\n2021年,新安镇在来安县委、县政府的领导下扎实推进政务公开。",
     "安徽省滁州市来安县新安镇", "341122"),
])
def test_places_are_placed_under_their_parents(text, region, code):
    got = meta(text)
    assert (got.region, got.region_code) == (region, code)


@pytest.mark.parametrize("text, region, agency", [
    # hubei ezhou lkjjq 2021
    ("鄂州市临空经济区2021年度政府信息公开工作年度报告" + BODY, "湖北省鄂州市临空经济区", None),
    # fujian fuzhou ftz 2022: named only in the contact line
    ("如对本报告有任何疑问,请联系:中国(福建)自由贸易试验区福州片区管理委员会(福州保税港区管理委员会)政府信息公开办公室,"
     "地址:福州市长乐区文武砂街道湖文路201号。\n一、总体情况\n2022年,我委认真贯彻落实《条例》。",
     "福建省福州市中国(福建)自由贸易试验区福州片区", "中国(福建)自由贸易试验区福州片区管理委员会"),
    # fujian fuzhou gxq 2009: the area's longest written form
    ("根据有关规定,现将福州高新区管理委员会2009年度政府信息公开年度工作情况报告如下:\n本报告电子版可在福州高新技术产业开发区管委会网站下载。",
     "福建省福州市福州高新技术产业开发区", "福州高新区管理委员会"),
])
def test_areas_outside_gb2260_are_kept_as_written_without_a_code(text, region, agency):
    got = meta(text)
    assert (got.region, got.region_code, got.agency) == (region, None, agency)


def test_a_bare_level_word_means_the_division_the_document_names():
    # xinjiang office 2022: "自治区人民政府办公厅" and the region only in the body
    text = ("2022年,自治区人民政府办公厅坚持以习近平新时代中国特色社会主义思想为指导,认真落实新疆维吾尔自治区党委部署,"
            "推动新疆维吾尔自治区政务公开工作。" + BODY)
    got = meta(text)
    assert (got.region, got.agency) == ("新疆维吾尔自治区", "新疆维吾尔自治区人民政府办公厅")
    assert dominant_division("浙江省、浙江省、江苏省", "省").region is None  # not twice as often: none


# --- region from the body: place-naming positions and the level the report speaks as ------------

@pytest.mark.parametrize("text, region, code", [
    # hebei xushui 2022 (https://xushui.gov.cn/zfxxgk/zfgknb/2022/666160401539141.html): who compiled it
    ("本报告依据《中华人民共和国政府信息公开条例》要求,由徐水区人民政府综合全区各部门和各乡镇政府信息公开工作年度报告"
     "和统计数据编制而成。\n一、总体情况\n2022年是党的二十大召开之年。", "河北省保定市徐水区", "130609"),
    # shaanxi weinan linwei 2020: the site the report is published on
    ("一、总体情况\n根据省政府信息公开工作安排,我局认真贯彻落实《中华人民共和国政府信息公开条例》。\n(一)主动公开\n"
     "通过陕西政务服务网站、渭南市临渭区政府网站、临渭区政务服务中心微信公众号主动公开信息。", "陕西省渭南市临渭区", "610502"),
    # gansu lanzhou 2011, page 2: the sentence's subject
    ("(二)依申请公开的政府信息情况\n2011年度,兰州市共收到申请政府信息公开26件(次),主要涉及征地。\n"
     "(四)复议、诉讼和申诉情况\n本年度兰州市政府及组成部门共收到有关政府信息公开的行政复议申请。", "甘肃省兰州市", "620100"),
    # xinjiang bayingolin 2017 (http://xjbz.gov.cn/…/d9d60bf59ba94e088ea94eda20b0df7f.shtml): "巴州" is no
    # table name; the report speaks as 我州 and names one 州 (in the rules it issued)
    ("本报告是依据国务院《政府信息公开条例》要求,由巴州人民政府编制的2017年度政府信息公开工作年度报告。\n一、概述\n"
     "2017年,我州深入贯彻自治区党委、政府统一部署。\n印发《巴音郭楞蒙古自治州人民政府工作规则》(巴政发〔2017〕8号)。",
     "新疆维吾尔自治区巴音郭楞蒙古自治州", "652800"),
    # henan 2015: 全省各级行政机关 and the province its text names
    ("一、基本情况概述\n2015年,全省各级行政机关认真贯彻落实《国务院办公厅关于印发2015年政府信息公开工作要点的通知》精神。\n"
     "省政府办公厅制定印发了《河南省人民政府办公厅关于推进重点领域政府信息公开工作的通知》,省政府门户网站推出了"
     "“河南省重点领域政府信息公开”专栏。", "河南省", "410000"),
    # sichuan wangcang sanjiang 2022: a town two counties have, the county site it publishes on settles it
    ("根据《中华人民共和国政府信息公开条例》要求,现将2022年三江镇政府信息公开年度报告向社会公布。\n一、总体情况\n"
     "三江镇2022年主动公开政府信息59条。\n(四)平台建设情况\n三江镇将旺苍县人民政府网站作为信息公开的主要渠道。",
     "四川省广元市旺苍县三江镇", "510821"),
    # chongqing yuzhong jfbcbd 2020: a body named after the city that answers to the district (区人大、区政协)
    ("本报告由重庆解放碑中央商务区管理委员会根据《中华人民共和国政府信息公开条例》编制。\n一、总体情况\n2020年,我委认真贯彻落实"
     "《重庆市渝中区人民政府办公室关于印发渝中区2020年政务公开工作要点任务分工的通知》要求。全年共收到市、区两级交办的"
     "人大建议和政协提案20件,并严格按照区人大、区政协相关工作要求办理。", "重庆市渝中区", "500103"),
    # zhejiang yuecheng donghu 2023: the street that 特编制 the report; 东湖街道办事处通过政府门户网站 names no body
    ("一、总体情况\n根据《中华人民共和国政府信息公开条例》的要求,绍兴市越城区东湖街道特编制2023年政府信息公开年度报告。\n"
     "2023年度东湖街道办事处通过政府门户网站共办理并答复信息公开申请3件。", "浙江省绍兴市越城区东湖街道", "330602"),
    # shandong wendeng zjj 2019: the only place is the short name of the body that 共主动公开
    ("一、总体情况\n文登区住建局高度重视政府信息公开工作。2019年,文登区住建局共主动公开政府信息227条。",
     "山东省威海市文登区", "371003"),
])
def test_the_body_names_the_region_in_place_naming_positions(text, region, code):
    got = meta(text)
    assert (got.region, got.region_code) == (region, code)


@pytest.mark.parametrize("text", [
    # a city's report ranks itself in the province: 全省 in a cited name or a meeting is not the speaker
    "一、总体情况\n2023年,我市认真落实《浙江省人民政府办公厅关于印发2023年全省政务公开工作要点的通知》和2023年全省政务公开"
    "工作会议要求,聚焦便民利民。",
    # a street's report that names only its district: the district is not the street (null beats wrong)
    "2020年,金桥街道办事处信息公开工作以习近平新时代中国特色社会主义思想为指导。\n金桥街道办事处全年主动公开信息98条,"
    "全部在天津市东丽区人民政府网站公开。",
    # a town the table puts in another county than the site named (三江镇 is not 青川县's, though both are 广元市's)
    "现将2022年三江镇政府信息公开年度报告向社会公布。\n一、总体情况\n三江镇2022年主动公开政府信息59条。\n"
    "三江镇将青川县人民政府网站作为信息公开的主要渠道。",
])
def test_the_body_never_gives_a_wrong_region(text):
    got = meta(text)
    assert got.region is None, got.region


def test_we_in_an_autonomous_regions_report_is_not_a_district():
    # 我区 in an autonomous region's report is the 自治区, not the district its address names twice
    got = meta("2013年,我区政府信息公开工作稳步推进。\n联系地址:南宁市青秀区民族大道、南宁市青秀区。"
               "请与自治区政府信息公开领导小组办公室联系。")
    assert got.region in (None, "广西壮族自治区")


def test_a_provinces_office_for_a_zone_is_the_provinces_and_its_alias_is_expanded():
    # guangxi bbwb 2022: "自治区北部湾办" defined in the text as the office's short name
    text = ("自治区北部湾办2022年政府信息公开工作年度报告\n发布日期: 2023-01-31 16:10\n本年度报告根据《中华人民共和国政府信息公开条例》"
            "要求,由广西壮族自治区北部湾经济区规划建设管理办公室(以下简称自治区北部湾办)编制。\n一、总体情况\n2022年,我办坚持以"
            "习近平新时代中国特色社会主义思想为引领。")
    got = meta(text)
    assert (got.region, got.region_code, got.agency, got.agency_as_written) == (
        "广西壮族自治区", "450000", "广西壮族自治区北部湾经济区规划建设管理办公室", "自治区北部湾办")


def test_a_general_office_publishing_the_report_is_not_its_body():
    # neimenggu wulateqianqi 2021 (http://1.25.240.11:8082/sites/wltqq/zwinfo.jsp?id=15652): 发布机构 政府办公室,
    # the text speaks as 我旗
    text = ("索引号 | wqqlzfb/2022-01075 | 效力属性 | |\n发布机构 | 政府办公室 | 文 号 | |\n成文日期 | 发布日期 | 2022-04-06 |\n"
            "根据《中华人民共和国政府信息公开条例》,特向社会公布我旗2021年度信息公开年度报告。\n一、总体情况\n"
            "截至2021年12月底,乌拉特前旗政府网站共发布信息。")
    got = meta(text)
    assert (got.region, got.agency) == ("内蒙古自治区巴彦淖尔市乌拉特前旗", None)


# --- agency from the body's statements ------------------------------------------------------------

@pytest.mark.parametrize("text, agency", [
    # the office's own report: it speaks as 我办 (fujian minhou office 2022)
    ("根据通知要求,闽侯县人民政府办公室编制了本报告。\n一、总体情况\n本年度我办主动公开政府信息144条。", "闽侯县人民政府办公室"),
    # the government's own report, compiled by its office (shandong weishan liangcheng 2020)
    ("本报告是根据《中华人民共和国政府信息公开条例》要求,由两城镇人民政府党政办公室编制。\n如对本报告有任何疑问,"
     "请与两城镇人民政府党政办公室联系。", None),
    # a bureau named in the contact line (fujian fuzhou gulou czj 2022)
    ("本报告在“福州市鼓楼区人民政府门户网站”公布。对本报告如有疑问,可与福州市鼓楼区财政局联系(地址:福州市鼓楼区津泰路98号)。",
     "福州市鼓楼区财政局"),
    # a central body that compiled its own report (moe 2016)
    ("本年度报告是根据《政府信息公开条例》要求,由中华人民共和国教育部编制。\n一、概述\n正文。", "教育部"),
    # the body's office that discloses for it (anhui anqing zszx 2021): the 中心 reports
    ("一、总体情况\n2021年,安庆市招商中心办公室共主动公开各类政府信息82条。", "安庆市招商中心"),
    # a verb is never part of a name (zhejiang yuecheng donghu 2023: a street's own report)
    ("一、总体情况\n2023年度东湖街道办事处通过政府门户网站共办理并答复信息公开申请3件。", None),
])
def test_the_body_names_the_agency(text, agency):
    assert meta(text).agency == agency


def test_a_publication_notice_names_the_reports_own_body():
    got = meta("信息名称: | 教育部办公厅关于2016年教育部政府信息公开工作年度报告的公告 | ||||\n" + BODY)
    assert (got.title, got.year, got.agency, got.region) == (
        "教育部办公厅关于2016年教育部政府信息公开工作年度报告的公告", 2016, "教育部", "全国")


# --- titles ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, title", [
    ("当前位置:首页>政务公开>信息公开目录>信息公开年报>2020年度工作报告\n汇溪镇人民政府2020年信息公开工作年度报告\n年报解读链接\n"
     "2020年,汇溪镇根据《中华人民共和国政府信息公开条例》,将主要做法和成效总结报告。", "汇溪镇人民政府2020年信息公开工作年度报告"),
    ("栏目：政府信息公开年报\n" + BODY, None),  # a column is never a title
    ("名称:广东省人民政府2024年政府信息公开工作年度报告\n" + BODY, "广东省人民政府2024年政府信息公开工作年度报告"),
    ("北京市2018年政府信息公开工作年度报告北京市2018年政府信息公开工作年度报告 2018年,北京市全面贯彻落实条例。",
     "北京市2018年政府信息公开工作年度报告"),
    ("2019年某市政府信息公开 工作告年度报\n" + BODY, None),  # scrambled: no title
    ("[嵊州市人民政府]2012年嵊州市人民政府信息公开工作年报\n" + BODY, "2012年嵊州市人民政府信息公开工作年报"),
    # liaoning 2019: no title line, the opening sentence publishes the report by its name
    ("根据《中华人民共和国政府信息公开条例》(国务院令第711号)规定,现发布《辽宁省2019年度政府信息公开工作报告》。\n一、总体情况\n",
     "辽宁省2019年度政府信息公开工作报告"),
    # neimenggu kyzq harinuoer 2025: split after the year
    ("科尔沁右翼中旗哈日诺尔苏木人民政府2025年\n政府信息公开工作年度报告\n" + BODY,
     "科尔沁右翼中旗哈日诺尔苏木人民政府2025年政府信息公开工作年度报告"),
    # hunan changsha county 2021 on a spam mirror: the site before, junk after
    ("长沙市政府门户网站-长沙县人民政府2021年政府信息公开工作年度报告_足彩app哪个是正规的\n" + BODY,
     "长沙县人民政府2021年政府信息公开工作年度报告"),
    # yunnan kunming 2020 mirror: a hot-words line is not a title
    ("热搜词:王予波政府工作报告COP15爱国卫生\n" + BODY, None),
    # yunnan kunming 2020: split before its year, deep under a menu
    ("热搜词:王予波政府工作报告\n政府信息\n公开制度\n政策文件\n政府信息\n公开年报\n州市和部门\n平台连接\n昆明市人民政府\n"
     "2020年政府信息公开工作年度报告\n来源:昆明市人民政府 2021-03-15 16:28:04\n" + BODY,
     "昆明市人民政府2020年政府信息公开工作年度报告"),
    # shaanxi xian yanliang jgsw 2021: split before the report's name, the year inside it
    ("浏览次数:次\n西安市阎良区机关事务服务中心\n政府信息公开工作2021年度报告\n" + BODY,
     "西安市阎良区机关事务服务中心政府信息公开工作2021年度报告"),
    # xinjiang office 2022: split after a year written without 年
    ("香港免费图库资料大全\n政府信息公开\n自治区人民政府办公厅\n发布时间:2023-01-30 浏览次数: 【字体:\n自治区人民政府办公厅2022\n"
     "政府信息公开工作年度报告\n" + BODY, "自治区人民政府办公厅2022政府信息公开工作年度报告"),
    # the page's title line above the report's own heading: junk after a separator, a site in
    # brackets, a column without a year (central customs hq 2020, zhejiang shengzhou 2012, yunnan 2019)
    ("海关总署(本级机关)2020年政府信息公开工作年度报告-pa凯发国际登录\n您的位置:首页 > 政务公开 > 政府信息公开年报\n"
     "海关总署(本级机关)2020年政府信息公开工作年度报告\n" + BODY, "海关总署(本级机关)2020年政府信息公开工作年度报告"),
    ("[嵊州市人民政府]2012年嵊州市人民政府信息公开工作年报\n发布时间:2015-08-20\n2012年嵊州市人民政府信息公开工作\n年度报告\n"
     "(2013年3月25日)\n" + BODY, "2012年嵊州市人民政府信息公开工作年度报告"),
    ("热搜词:王予波政府工作报告\n云南省政府信息公开工作年度报告\n2019年云南省政府信息公开工作年度报告\n"
     "来源:云南省人民政府办公厅 2020-03-31 17:13:25\n" + BODY, "2019年云南省政府信息公开工作年度报告"),
    # tianjin jizhou 2020: a plain headline above the document's own keeps its place (either is fair)
    ("天津市蓟州区2020年政府信息公开年度报告\n天津市蓟州区2020年政府信息公开工作年度报告\n" + BODY,
     "天津市蓟州区2020年政府信息公开年度报告"),
    # hunan taojiang songmutang 2022: a generic heading above the report's own, split over two lines
    ("2022年政府信息公开工作年度报告\n桃江县松木塘镇人民政府\n2022年政府信息公开工作年度报告\n" + BODY,
     "桃江县松木塘镇人民政府2022年政府信息公开工作年度报告"),
    # shandong wendeng xfj 2022: a flipbook page's caption before the title
    ("Page 8 - 威海市文登区信访局2022年政府信息公开工作年度报告\nP. 8\n" + BODY, "威海市文登区信访局2022年政府信息公开工作年度报告"),
])
def test_titles(text, title):
    assert meta(text).title == title


def test_a_navigation_menu_does_not_hide_the_title():
    menu = "\n".join(["政府信息公开指南", "政府信息公开制度", "政府信息公开年报", "组配分类", *(f"  • 菜单{i}" for i in range(20))])
    got = meta("当前位置:首页 > 市政府办公室 > 信息公开年报\n" + menu + "\n安庆市2012年政府信息公开工作年度报告\n"
               "发布单位:安庆市政府办公室 发布时间:2013-03-18\n" + BODY)
    assert (got.title, got.region, got.agency, got.published) == (
        "安庆市2012年政府信息公开工作年度报告", "安徽省安庆市", None, "2013-03-18")


def test_a_traditional_title_is_kept_as_written():
    # https://www.beijing.gov.cn/gate/big5/www.beijing.gov.cn/gongkai/zfxxgk/gknb/202004/t20200430_1889230.html
    text = ("2019年北京市政府信息公開工作年度報告\n\n日期:2020-03-30 16:30    來源:北京市政務服務管理局\n"
            "依據《中華人民共和國政府信息公開條例》第五十條規定,編制本報告。\n一、總體情況\n")
    got = meta(text)
    assert (got.title, got.region, got.published) == ("2019年北京市政府信息公開工作年度報告", "北京市", "2020-03-30")


def test_reading_aids_go_and_values_are_read_back_as_written():
    assert reading_view(extract("本年度報(bào)告根據".encode(), "text/plain")).text in ("本年度報告根據", "本年度报告根据")
    # a reader that converted the text keeps it as written beside: read back from the same place
    assert as_written("年度报告", [], ("本年度报告", "本年度報告")) == "年度報告"
    assert as_written("年度报告", ["某县年度报告"]) == "年度报告"
    assert as_written("年度报告", ["本年度報(bào)告"], ("本年度报(bào)告", "本年度報(bào)告")) == "年度報告"


# --- publish dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, published", [
    ("某县2022年政府信息公开工作年度报告\n2023-01-28 10:18 来源: 县政府办 作者: 张三 浏览次数: 123\n" + BODY, "2023-01-28"),
    ("某县2022年政府信息公开工作年度报告" + BODY + "正文。\n某县人民政府\n二〇二三年一月二十八日", "2023-01-28"),
    ("某县2022年政府信息公开工作年度报告" + BODY + "正文。\n某县人民政府\n二O二三年一月二十八日", "2023-01-28"),
    ("索引号: | /2021-130547 | ||\n发布机构: | 街头镇 | 发文日期: | 2021-01-20 |\n" + BODY, "2021-01-20"),
    ("某县2022年政府信息公开工作年度报告\n公开日期：2023-02-01\n" + BODY, "2023-02-01"),
    ("标题：某县2022年政府信息公开工作年度报告\n发布时间：2023-01-30 09:30\n发布机构：某县人民政府\n"
     "原文链接：http://www.example.gov.cn/x.html\n" + BODY, "2023-01-30"),
])
def test_publish_dates_in_more_shapes(text, published):
    assert meta(text).published == published


@pytest.mark.parametrize("text, published", [
    # guangxi office 2020: the date line under a title a long menu pushed down
    ("\n".join(["热搜词: 营商环境 学籍 社保", *(f"  • 菜单{i}" for i in range(14)), "当前位置:首页 > 公告公示",
                "广西壮族自治区人民政府办公厅2020年政府信息公开工作年度报告",
                "2021-02-07 18:07     来源:广西壮族自治区人民政府办公厅", "打印"]) + BODY, "2021-02-07"),
    # ningxia yinchuan office 2022: the site's name and address before the date, a long line
    ("无障碍 | 长者版\n当前位置: 首页>政府信息公开>政府信息公开年报\n银川市人民政府办公室2022年政府信息公开工作年度报告\n"
     "银川市人民政府门户网站 www.yinchuan.gov.cn 2023-01-28 \n" + BODY, "2023-01-28"),
    # zhejiang linhai huixi 2020: a URL under the title holds a date; never read from a URL
    ("当前位置:首页>政务公开>信息公开年报\n汇溪镇人民政府2020年信息公开工作年度报告\n年报解读链接\n"
     "http://www.linhai.gov.cn/art/2021/1/8/art_1229488624_48678.html\n" + BODY, None),
    # guangdong panyu 2012: a month under the issuer at the head of an excerpt is not a signature
    ("广州市番禺区人民政府\n2013年2月\n本报告是根据《中华人民共和国政府信息公开条例》要求,由广州市番禺区人民政府编制。\n"
     "一、概述\n", None),
    # xizang 2020 traditional with pinyin aids inside the header's labels (發(fā)布日期)
    ("標(biāo) 題 | 西藏自治區(qū)人民政府2020年政府信息公開工作年度報(bào)告 | ||\n"
     "發(fā)布機(jī)構(gòu) | 自治區(qū)政府辦公廳 | 發(fā)布日期 | 2021-03-31 12:16:33 |\n"
     "本報(bào)告依據(jù)《中華人民共和國(guó)政府信息公開條例》要求編制。\n", "2021-03-31"),
])
def test_publish_dates_under_deep_or_split_titles(text, published):
    assert meta(text).published == published


def test_the_statistics_period_says_the_year_covered():
    # shandong zoucheng tianhuang 2021: the quoted report name keeps last year's number
    text = ("根据《中华人民共和国政府信息公开条例》规定,我镇认真编制了《田黄镇2020年政府信息公开工作年度报告》。所列数据的统计期限"
            "自2021年1月1日起至12月31日止。\n一、总体情况\n截止2021年12月31日,通过网站主动公开政府信息共88条。")
    assert meta(text).year == 2021


def test_an_agency_without_a_place_before_its_level_word_is_no_name():
    """tests/data/real/neimenggu-tongliao-office-2022: the page's source line says 市政府办公室 and the text
    names no place: 市人民政府办公室 would be nobody's name (null is better than wrong); as written, it stays."""
    from pathlib import Path

    text = (Path(__file__).parent / "data" / "real" / "neimenggu-tongliao-office-2022.txt").read_text(encoding="utf-8")
    got = meta(text)
    assert (got.region, got.agency, got.agency_as_written) == (None, None, "市政府办公室")


def test_a_report_name_quoted_inside_the_sections_is_another_years():
    """central-nppa-2022: no title line; its 总体情况 lists 公开发布《国家新闻出版署2021年…报告》 among the
    year's work. Neither the title nor the year comes from that quote; the first sentence's year does."""
    text = ("根据《中华人民共和国政府信息公开条例》有关规定,编制本报告。\n一、总体情况\n2022年,国家新闻出版署深入推进"
            "政府信息公开工作。\n二是稳妥做好主动公开。公开发布《国家新闻出版署2021年政府信息公开工作年度报告》。")
    got = meta(text)
    assert (got.title, got.year) == (None, 2022)


def test_we_in_a_zones_report_is_not_a_district():
    """fujian-pingtan-2014: 平潭综合实验区管委会's report speaks as 我区 and names 平潭县 (whose place the zone
    took): the 区 is the zone's, so no county is made of it."""
    text = ("平潭综合实验区管委会2014年度政府信息公开工作年度报告\n根据《条例》要求,我区管委会办公室编制本报告。\n"
            "一、概述\n2014年,我区认真贯彻落实《条例》,平潭县各部门积极配合。我区主动公开政府信息2543条。")
    got = meta(text)
    assert (got.region, got.region_code) == (None, None)


def test_a_town_names_itself_by_its_own_guide():
    """hainan-haikou-qiongshan-sanmenpo-2023: a town's report (我镇) whose only place names are its own
    documents' titles: its own disclosure guide, cited by name, says whose report it is."""
    text = ("一、总体情况\n2023年,我镇认真贯彻落实政府信息公开的规定,主动公开政务信息。\n(三)政府信息管理\n"
            "我镇修改完善了《海口市琼山区三门坡镇政府信息公开指南》,及时更新公开目录。")
    got = meta(text)
    assert (got.region, got.region_code) == ("海南省海口市琼山区三门坡镇", "460107")


def test_a_street_inside_a_zone_reports_as_its_own_government():
    """hubei-wehdz-guandong-2025: 武汉东湖新技术开发区关东街道办事处 is a town's own government (agency null),
    where the zone's 财政局 or 管委会 is a body."""
    from parser.metadata import is_own_government

    assert is_own_government("武汉东湖新技术开发区关东街道办事处")
    assert not is_own_government("武汉东湖新技术开发区财政局")
    assert not is_own_government("武汉东湖新技术开发区管委会")


def test_the_compilers_leading_group_office_is_not_the_body():
    """guangxi-nanning-liangqing-mzj-2015: 由良庆区民族宗教事务局政务公开政府信息公开工作领导小组办公室编制: the
    bureau reports; its leading group's office only compiled the report."""
    text = ("本年度报告由良庆区民族宗教事务局政务公开政府信息公开工作领导小组办公室编制。\n一、概述\n"
            "2015年,我局认真贯彻落实《条例》,主动公开政府信息52条。")
    assert meta(text).agency == "南宁市良庆区民族宗教事务局"


def test_a_prefecture_bureaus_county_branch_is_in_that_county():
    """xinjiang-changji-jimusaer-sthjj-2024: 昌吉州生态环境局吉木萨尔县分局 works in 吉木萨尔县, and its name
    is written with its prefecture in full; the text's own typo (昌吉州州…) is not its name."""
    text = ("根据《条例》要求,昌吉州生态环境局吉木萨尔县分局编制形成了《2024年政府信息公开工作年度报告》。\n一、总体情况\n"
            "2024年,昌吉州州生态环境局吉木萨尔县分局按照相关要求推进政务公开。")
    got = meta(text)
    assert (got.region_code, got.agency) == ("652327", "昌吉回族自治州生态环境局吉木萨尔县分局")


def test_the_reports_name_opening_its_first_sentence_names_its_publisher():
    """yunnan-eshan-2011: "2011年峨山县政府信息公开工作年度报告是…由县工业商贸和科技信息局…编制而成": the
    county's own report, which a bureau compiled."""
    text = ("2011年峨山县政府信息公开工作年度报告是根据《条例》要求,由县工业商贸和科技信息局综合县级单位编制而成。\n"
            "一、概述\n2011年,全县主动公开政府信息1200条。")
    got = meta(text)
    assert got.agency is None and got.region_code == "530426"
