"""parser.recognize on real shapes without a good title (issue 11 items 6 and 4): 繁體 copies, a
title glued to the text, a publication notice around the report, a menu, another crawler's header
dump, a breadcrumb first line, a scrambled title; and the rules, guides and part-year statistics
that stay refused. Snippets are real text (source URL beside each), cut to what the case needs."""
from __future__ import annotations

import pytest

from parser.extract import extract
from parser.recognize import detect_format, is_annual_report


def text_doc(text: str):
    return extract(text.encode("utf-8"), "text/plain")


# http://fs-gm.net/ntsrmzf/sjxxgkzd/content/de6588b5-a4be-4710-b984-ba532c78f472.html (a 繁體 mirror)
JIANGSU_TRADITIONAL = (
    "根據《中華人民共和國政府信息公開條例》(國務院令第711號,以下簡稱新《條例》)規定和國務院辦公廳政府信息與政務公開辦公室"
    "《關于政府信息公開工作年度報告有關事項的通知》(國辦公開辦函〔2019〕60號)要求,現發布《江蘇省2020年政府信息公開工作年度報告》。\n"
    "一、總體情況\n"
    "2020年,江蘇堅持以習近平新時代中國特色社會主義思想為指導,深入貫徹黨的十九大和十九屆二中、三中、四中、五中全會精神,"
    "認真落實習近平總書記對江蘇工作的重要指示要求,按照黨中央、國務院關于政務公開工作的決策部署,深入推進政務信息公開透明。\n")
# a repost printing the title twice, glued to the first paragraph (beijing 2018, third-party copy)
BEIJING_GLUED = (
    "北京市2018年政府信息公开工作年度报告北京市2018年政府信息公开工作年度报告 2018年,北京市全面贯彻落实党的十九大和十九届二中、"
    "三中全会精神,以习近平新时代中国特色社会主义思想为指导,牢固树立\"四个意识\",坚持以人民为中心的发展思想,全力贯彻落实"
    "《中华人民共和国政府信息公开条例》和政务公开系列工作部署,持续着力提升政府信息和政务公开工作实效。\n")
# http://www.moe.gov.cn/srcsite/A01/s7048/201703/t20170330_301456.html (metadata block as text)
MOE_NOTICE = (
    "信息名称: | 教育部办公厅关于2016年教育部政府信息公开工作年度报告的公告 | ||||\n"
    "信息索引: | 360A01-99-2017-0003-1 | 生成日期: | 2017-03-30 | 发文机构: | 教育部办公厅 |\n"
    "发文字号: | 教办厅〔2017〕2号 | 信息类别: | 其他 | ||\n"
    "本年度报告是根据《中华人民共和国政府信息公开条例》(以下简称《政府信息公开条例》)要求,由中华人民共和国教育部编制。"
    "全文内容包括概述、政府信息主动公开情况、政府信息依申请公开情况、政府信息公开咨询情况。本报告中所列数据的统计期限自2016年"
    "1月1日起至2016年12月31日止。\n一、概述\n2016年,教育部深入贯彻落实《政府信息公开条例》。\n")
# page 2 of a chinagate.cn copy of the 西藏自治区 2011 report: a site menu first ("政策解读")
XIZANG_MENU = (
    "- 政策解读\n- 经济发展\n- 社会发展\n- 减贫救灾\n- 法治中国\n- 天下人物\n- 发展报告\n- 项目中心\n|\n"
    "本年度报告由西藏自治区人民政府办公厅根据《中华人民共和国政府信息公开条例》(以下简称《条例》)要求编制。"
    "全文包括工作开展情况、主动公开政府信息情况、依申请公开政府信息情况、政府信息公开的收费及减免情况。\n"
    "二、主动公开政府信息的情况\n各政府机关按照《条例》规定,主动公开政府信息。2011年新增主动公开政府信息53019条。\n")
# another crawler's text dump: labelled header lines, then the body (hunan youxian fgj 2017)
HEADER_DUMP = (
    "标题：2017年度攸县发展和改革局信息公开年度报告\n发布时间：2018-01-20 09:30\n发布机构：攸县发展和改革局\n"
    "原文链接：http://www.youxian.gov.cn/c1234/20180120/i5678.html\n"
    "根据《中华人民共和国政府信息公开条例》要求，现将我局2017年度政府信息公开工作情况报告如下。\n"
    "一、概述\n2017年，我局认真贯彻落实《条例》，主动公开政府信息120条。\n")
BREADCRUMB_FIRST = (
    "栏目：政府信息公开年报\n"
    "2019年某市政府信息公开 工作告年度报\n"  # a scrambled title: never taken for one
    "本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)规定编制。本报告中所列数据的统计期限自2019年1月1日起"
    "至2019年12月31日止。\n一、总体情况\n2019年，我市深入推进政务公开，主动公开政府信息。\n"
    "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n")


# a page stored from the middle of the 水利部 2009 report (http://www.mwr.gov.cn/zwgk/...)
MWR_MIDDLE = (
    "(一)公开的主要内容\n2009年,水利部主动公开政府信息1192条。其中,政策法规类信息2条,水政执法类信息45条,人事管理类信息178条。\n"
    "截止2009年12月底,水利部已主动公开政府信息8400多条。\n(二)公开形式\n"
    "1.水利部门户网站。2009年,水利部对门户网站进行了改版,进一步优化了设计,丰富了内容,及时公开政府信息。\n")
# henan 2015 on an encyclopedia-style site: search-box lines, then section 一
HENAN_SEARCH_BOX = (
    "选择特殊符号\n选择搜索类型\n请输入搜索\n一、基本情况概述\n"
    "2015年,全省各级行政机关认真贯彻落实《国务院办公厅关于印发2015年政府信息公开工作要点的通知》(国办发〔2015〕22号)精神,"
    "紧紧围绕省政府中心工作,深入推进重点领域信息公开,进一步加强信息发布、解读和回应工作,加强政府信息公开平台建设和管理,"
    "强化政府信息公开工作考核和培训交流。\n(一)聚焦重点领域,深化公开内容。\n"
    "省政府办公厅结合全省实际,认真研究,制定印发了《河南省人民政府办公厅关于推进重点领域政府信息公开工作的通知》"
    "(豫政办〔2015〕101号),对全省重点领域政府信息公开工作进行安排部署,并明确工作进度,强化督促检查。\n")


@pytest.mark.parametrize("text", [JIANGSU_TRADITIONAL, BEIJING_GLUED, MOE_NOTICE, XIZANG_MENU, HEADER_DUMP, BREADCRUMB_FIRST,
                                  MWR_MIDDLE, HENAN_SEARCH_BOX],
                         ids=["traditional", "glued-title", "publication-notice", "menu", "header-dump", "breadcrumb",
                              "middle-of-a-report", "search-box-first"])
def test_real_reports_without_a_good_title_are_reports(text):
    ok, why = is_annual_report(text_doc(text))
    assert ok, why


# rules and guides about disclosure, part-year statistics: not reports, whatever their words
@pytest.mark.parametrize("text, reason", [
    # 白山市八道江区: the district's rule on annual reports
    ("第二条 本制度由八道江区政务公开领导小组负责解释。\n"
     "第三条 各镇(街)负责编制本区域的政府信息公开年度报告;区政府各部门负责编制本部门的政府信息公开年度报告;"
     "区政府政务公开办公室负责编制全区政府信息公开年度报告。\n"
     "第四条 各镇(街)、区政府各部门的政府信息公开年度报告主要包括以下内容:政府主动公开政府信息的情况。\n"
     "第八条 本制度自2009年4月1日起施行。\n", "regulation"),
    # 兵团第六师五家渠市: a disclosure guide under a menu that lists 政府信息公开年报
    ("政府信息公开\n法定主动公开内容\n政府信息公开年报\n依申请公开\n第六师五家渠市政务信息公开指南\n"
     "根据《中华人民共和国政府信息公开条例》(国务院令711号)等相关规定,为便于公民、法人或者其他组织依法获取第六师五家渠市"
     "政府信息,编制本指南。本报告所称政府信息公开年度报告另行发布。\n", "guide"),
    # 上海普陀: half-year statistics
    ("正文内容区域请使用tab按钮切换浏览\n2022年上半年政府信息公开数据统计\n2022年07月25日 来源: 上海普陀\n"
     "一、 公文类政府信息公开情况\n2022年上半年,全区各级行政机关共制发公文707件,主动公开673件,平均主动公开率为95.19%。\n"
     "二、依申请公开情况\n2022年上半年,全区共受理政府信息公开申请267件,答复263件。本报告统计期限为上半年。\n", "part of a year"),
    # 郑州: the disclosure guide, its name as the page's first line
    ("政府信息公开指南\n(2021年版)\n根据《中华人民共和国政府信息公开条例》(国务院令第492号公布,国务院令第711号修订)规定,"
     "为了更好地为公民、法人和其他组织提供政府信息公开服务,编制本指南。\n一、目录编排体系\n"
     "本行政机关政府信息公开目录使用电子文档方式编排。依申请公开的政府信息公开申请,请向本机关提出。\n", "guide"),
    # an English machine summary under the report's Chinese title
    ("水利部2017年政府信息公开工作年度报告\nShui Li Bu Wang Zhan·2025-12-02 16:33\n"
     "Overview - The report outlines the efforts of the Ministry of Water Resources in China to enhance government "
     "transparency and public engagement through the implementation of the 2017 government information disclosure plan, "
     "aligning with national policies and public interests [2][3]. Group 1: Information disclosure.\n", "not Chinese"),
])
def test_rules_guides_and_part_year_statistics_stay_refused(text, reason):
    ok, why = is_annual_report(text_doc(text))
    assert not ok and reason in why


@pytest.mark.parametrize("year, fmt", [(2020, "gb2019"), (2019, "gb2019"), (2022, "gb2021"), (2018, "legacy")])
def test_a_report_whose_tables_cannot_be_read_fills_the_template_of_its_year(year, fmt):
    # zhejiang longyou huzhen 2020: prose only, the excerpt ends before any table
    text = (f"{year}年度龙游县湖镇镇政府信息公开工作报告\n发布时间:{year + 1}-01-29\n"
            f"根据《中华人民共和国政府信息公开条例》(以下简称条例)规定,现编制并公布本单位{year}年政府信息公开工作年度报告。"
            f"本报告所列数据的统计期限为{year}年1月1日至{year}年12月31日。\n一 、政府信息公开工作的基本概况\n")
    assert detect_format(text_doc(text)) == fmt


def test_template_wording_beats_the_year_when_the_tables_are_text():
    # a 2019 report's table 2 as lines of text: gb2019's headers, whatever the year says
    text = ("某区2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
            "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n")
    assert detect_format(text_doc(text)) == "gb2019"


def test_without_tables_template_wording_or_a_year_a_report_is_legacy():
    assert detect_format(text_doc("一、概述\n我局认真贯彻落实条例，主动公开政府信息。\n")) == "legacy"


# real heads (tests/data/real/qinghai-huangnan-2012, guangxi-hezhou-2009): a site menu with 解读 and
# 政府工作报告 among its items; a notice whose second line ends "…年度报告的通知", the report after it
def _real_text(stem: str) -> str:
    from tests.real_corpus import REAL
    return (REAL / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("stem, title", [
    ("qinghai-huangnan-2012", "黄南州2012年政府信息公开工作年度报告"),   # not the menu row "在线访谈 政府文件 信息公开年报"
    ("guangxi-hezhou-2009", "贺州市2009年度政府信息公开工作年度报告"),    # the report the notice publishes
])
def test_a_menu_or_a_notice_around_the_report_is_not_its_title(stem, title):
    from parser import parse
    doc = text_doc(_real_text(stem))
    assert is_annual_report(doc)[0]
    assert parse(_real_text(stem).encode("utf-8"), "text/plain").title == title


def test_menu_rows_and_notices():
    from parser.extract.lines import is_menu_line
    from parser.titles import report_below_notice

    assert is_menu_line("首页 主动公开 解读回应 政府工作报告") and is_menu_line("在线访谈 政府文件 信息公开年报")
    assert not is_menu_line("黄南州2012年政府信息公开工作年度报告")
    assert not is_menu_line("三亚市海棠区人民政府 2015年 政府信息公开工作年度报告")   # a year: a title's parts
    notice = "贺州市2009年度政府信息公开工作年度报告的通知"
    assert report_below_notice(["(贺政办发〔2010〕3号)", "贺州市2009年度政府信息公开工作年度报告"], notice) \
        == "贺州市2009年度政府信息公开工作年度报告"
    # a notice page without the report's own heading keeps the notice's title
    moe = "教育部办公厅关于2016年教育部政府信息公开工作年度报告的公告"
    assert report_below_notice(["各省、自治区、直辖市教育厅(教委):", "现将…予以公告。"], moe) == moe


@pytest.mark.parametrize("stem, title", [
    ("fujian-gat-2020", "福建省公安厅2020年政府信息公开工作年度报告"),          # a letter, then the report
    ("guangdong-sthjt-2020", "广东省生态环境厅2020年政府信息公开工作年度报告"),  # the letter's site after a dash; 附件:
])
def test_a_letter_sending_the_report_on_is_read_as_the_report(stem, title):
    from parser import parse
    assert is_annual_report(text_doc(_real_text(stem)))[0]
    assert parse(_real_text(stem).encode("utf-8"), "text/plain").title == title


def test_a_sentence_broken_at_its_citation_is_no_title():
    # shanghai-2012-traditional: "2012年度報告根據《" / "中華人民共和國政府信息公開條例》…"
    from parser.titles import is_title
    assert not is_title("2012年度报告根据《")


@pytest.mark.parametrize("stem, title", [
    ("yunnan-baoshan-shidian-taiping-2025", "太平镇2025年度政府信息公开工作年度报告"),  # "| 公开目录 | 政府信息公开年报 |"
    ("yunnan-honghe-jianshui-miandian-2025", "建水县面甸镇2025年政府信息公开工作年度报告"),  # "• 乡镇政府信息公开年度报告"
])
def test_header_cells_and_a_sites_bulleted_column_are_no_title(stem, title):
    from parser import parse
    assert is_annual_report(text_doc(_real_text(stem)))[0]
    assert parse(_real_text(stem).encode("utf-8"), "text/plain").title == title
