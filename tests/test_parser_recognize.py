"""parser.recognize: report or not (with the reason), and the format by the tables, not the year."""
from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.reportgen import FORMATS, LAYOUTS, grids, random_record, render
from parser.document import Document, Table
from parser.extract import extract
from parser.recognize import detect_format, is_annual_report, report_title_like

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
BODY = ("本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。\n"
        "一、总体情况\n2021年，我区持续深化政务公开，围绕中心工作加强主动公开，规范依申请公开办理，提升政府信息公开质量和实效。\n"
        "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n")


def _doc(text: str, title: str | None = None, tables: list[list[list[str]]] | None = None, **kw) -> Document:
    return Document(text=text, media_type="text/html", title=title,
                    tables=[Table(g, index=i) for i, g in enumerate(tables or [])], **kw)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fixture_tables_give_their_format(fmt, layout):
    doc = _doc(BODY, tables=grids(random_record(fmt, 3), layout))
    assert is_annual_report(doc) == (True, "template tables")
    assert detect_format(doc) == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_html_fixtures_through_the_reader(fmt):
    doc = extract(*render(random_record(fmt, 4), "html_word"))
    assert is_annual_report(doc)[0] and detect_format(doc) == fmt


def test_only_tables_3_and_4_still_tell_the_format():
    tables = grids(random_record("gb2019", 1), "html_clean")[1:]
    assert detect_format(_doc(BODY, tables=tables)) == "gb2019"
    tables = grids(random_record("gb2021", 1), "html_clean")[1:]
    assert detect_format(_doc(BODY, tables=tables)) == "gb2021"


def test_text_copy_with_rows_as_lines_tells_the_format():
    for name, fmt in (("tianjin-heping-fgw-2019", "gb2019"), ("guizhou-kaili-wanchao-2023", "gb2021"),
                      ("anhui-2014", "legacy")):
        doc = extract((SAMPLES / "excerpts" / f"{name}.txt").read_bytes(), "text/plain")
        assert detect_format(doc) == fmt, name


def test_legacy_appendix_is_not_a_template_table():
    appendix = [["指标", "单位", "统计数"], ["收到申请数", "件", "12"], ["涉及国家秘密", "件", "1"],
                ["同意部分公开答复数", "件", "2"], ["危及国家安全、公共安全、经济安全和社会稳定", "件", "0"],
                ["行政复议数", "件", "1"], ["行政诉讼数", "件", "0"], ["维持具体行政行为数", "件", "1"]]
    doc = _doc(BODY.replace("2021", "2013"), tables=[appendix])
    assert detect_format(doc) == "legacy"
    assert is_annual_report(doc)[0]


@pytest.mark.parametrize("path", sorted(SAMPLES.rglob("*.txt")), ids=lambda p: p.stem)
def test_every_real_sample_is_a_report(path):
    ok, why = is_annual_report(extract(path.read_bytes(), "text/plain"))
    assert ok, why


@pytest.mark.parametrize("title", [
    "杭州市余杭区2017年度政府信息公开工作年度报告(图解)", "宿州市2014年政府信息年度工作报告",
    "辽宁省2019年度政府信息公开工作报告", "林业局2008年政府信息公开年度报告", "2022年政府信息公开工作年度报告",
])
def test_real_title_variants(title):
    assert report_title_like(title)
    assert is_annual_report(_doc(title + "\n" + BODY, title=title))[0]


@pytest.mark.parametrize("title,text,reason", [
    ("北京市海淀区人民政府2024年政府信息公开工作年度报告的问答解读", BODY, "解读"),
    ("关于做好2023年政府信息公开工作年度报告编制发布工作的通知", BODY, "通知"),
    ("某某区2022年政务公开工作要点", BODY, "工作要点"),
    ("我市发布2023年政府信息公开工作年度报告", BODY, "news item"),
    ("关于2023年政府信息公开工作年度报告有关情况", BODY, "关于"),
    ("某某市2023年法治政府建设年度报告", "2023年，我市深入推进法治政府建设，完善依法行政制度体系，严格规范公正文明执法。" * 5,
     "no report title"),
    (None, "", "empty"),
    (None, "首页\n" + "\n".join(f"某某区{y}年政府信息公开工作年度报告 {y + 1}-01-20" for y in range(2010, 2024)), "list page"),
    ("某某区2023年政府信息公开工作年度报告", "某某区2023年政府信息公开工作年度报告\n附件：某某区2023年政府信息公开工作年度报告.pdf",
     "attachment"),
])
def test_near_misses_are_rejected_with_a_reason(title, text, reason):
    attachments = [("某某区2023年政府信息公开工作年度报告.pdf", "/files/2023.pdf")] if "附件" in text else []
    ok, why = is_annual_report(_doc(text, title=title, attachments=attachments))
    assert not ok and reason in why


def test_a_column_name_in_the_page_title_is_not_the_pages_title():
    doc = _doc("某某区2023年政府信息公开工作年度报告\n" + BODY, meta={"html_title": "通知公告_某某区2023年政府信息公开工作年度报告"})
    assert is_annual_report(doc)[0]


def test_a_byline_on_the_title_line_is_not_a_news_item():
    text = "杭州市余杭区2017年度政府信息公开工作年度报告(图解) 发布时间:2018-03-29 来源:区政府办\n" + BODY
    assert is_annual_report(_doc(text))[0]


def test_an_illustrated_copy_with_its_numbers_is_a_report():
    text = ("杭州市余杭区2017年度政府信息公开工作年度报告(图解)\n发布时间:2018-03-29\n"
            "2017年,全区共收到政府信息公开申请1984件,同比下降3.27%。其中,当面申请260件,网络申请830件,信函申请894件。\n"
            "主动公开政府信息12345条。行政复议34件。")
    assert is_annual_report(_doc(text, title="杭州市余杭区2017年度政府信息公开工作年度报告(图解)"))[0]
