"""parser.sections: top-level headings of real samples and of the shapes reports use."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES

from parser.document import Document, Table
from parser.extract import extract
from parser.record import Section
from parser.sections import heading_number, split_sections
from parser.settings import ParseSettings

WITH_SECTIONS = [p for p in sorted(SAMPLES.glob("*.txt"))
                 if "sections" in json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8"))]
EXCERPTS = sorted((SAMPLES / "excerpts").glob("*.txt"))


def sections_of(path: Path) -> list[Section]:
    return split_sections(extract(path.read_bytes(), "text/plain", None, ParseSettings()))


@pytest.mark.skipif(not WITH_SECTIONS, reason="shared/samples not beside the repo")
@pytest.mark.parametrize("path", WITH_SECTIONS, ids=lambda p: p.stem)
def test_real_samples_give_their_expected_headings(path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))["sections"]
    assert [s.heading for s in sections_of(path)] == expected


def test_a_sample_section_holds_its_own_text_only():
    path = SAMPLES / "hainan-haitang-2015.txt"
    if not path.exists():
        pytest.skip("shared/samples not beside the repo")
    secs = sections_of(path)
    assert secs[1].text == "全年未收到或其他形式要求公开政府信息的申请。"
    assert secs[-1].text.endswith("三亚市海棠区人民政府\n2015年3月15日")
    assert "编制了2015年政府信息公开工作年度报告" not in "".join(s.text for s in secs)  # the preamble


@pytest.mark.skipif(not EXCERPTS, reason="shared/samples not beside the repo")
@pytest.mark.parametrize("path", EXCERPTS, ids=lambda p: p.stem)
def test_excerpts_start_with_section_one(path):
    secs = sections_of(path)
    assert secs and secs[0].heading.startswith("一、")
    # table rows and sub-headings of the excerpts are never top-level
    assert all(not s.heading.startswith(("（", "(", "第二十条")) for s in secs)


def doc(text: str, tables: list[Table] | None = None) -> Document:
    return Document(text=text, media_type="text/plain", tables=tables or [])


@pytest.mark.parametrize("line, expected", [
    ("一、总体情况", ("item", 1, "一、总体情况")),
    ("二．主动公开政府信息情况", ("item", 2, "二．主动公开政府信息情况")),
    ("三. 收到和处理政府信息公开申请情况", ("item", 3, "三. 收到和处理政府信息公开申请情况")),
    ("四，政府信息公开行政复议情况", ("item", 4, "四，政府信息公开行政复议情况")),
    ("五 存在的主要问题及改进情况", ("item", 5, "五 存在的主要问题及改进情况")),
    ("十一、其他", ("item", 11, "十一、其他")),
    ("第三部分 政府信息公开申请情况", ("part", 3, "第三部分 政府信息公开申请情况")),
    ("一、概述。2014年，全省政府信息公开工作围绕中心工作，坚持改革创新，强化组织推进，加强平台建设。", ("item", 1, "一、概述")),
    ("（一）主动公开情况", None),
    ("一是严格审查公文公开属性", None),
    ("一年来，我委积极回应群众关切", None),
    ("一、本年新收政府信息公开申请数量", None),
    ("四、结转下年度继续办理", None),
    ("一、本年新收政府信息公开申请数量\t3\t0", None),
    ("", None),
])
def test_heading_number(line, expected):
    assert heading_number(line) == expected


def test_numbers_must_run_in_order():
    text = ("前言\n一、总体情况\n内容一\n二、主动公开\n（一）规章\n内容二\n三、依申请公开\n"
            "二、这一行是列表里的\n四、复议诉讼\n内容四\n六、跳号的一行\n五、问题\n内容五")
    secs = split_sections(doc(text))
    assert [s.heading for s in secs] == ["一、总体情况", "二、主动公开", "三、依申请公开", "四、复议诉讼", "五、问题"]
    assert secs[1].text == "（一）规章\n内容二"
    assert "二、这一行是列表里的" in secs[2].text


def test_a_stray_numbered_line_before_the_report_does_not_hide_its_headings():
    text = "一、附件说明\n导言\n一、总体情况\n甲\n二、主动公开\n乙\n三、依申请公开\n丙"
    assert [s.heading for s in split_sections(doc(text))] == ["一、总体情况", "二、主动公开", "三、依申请公开"]


def test_parts_are_the_top_level_when_a_report_uses_them():
    text = ("第一部分 概述\n一、组织领导\n甲\n二、制度建设\n乙\n第二部分 主动公开情况\n一、规范性文件\n丙\n"
            "第三部分 存在的问题\n丁")
    secs = split_sections(doc(text))
    assert [s.heading for s in secs] == ["第一部分 概述", "第二部分 主动公开情况", "第三部分 存在的问题"]
    assert secs[0].text == "一、组织领导\n甲\n二、制度建设\n乙"


def test_template_table_rows_are_not_headings():
    # a PDF's text: table 3's numbered row labels stand on lines of their own
    grid = [["一、本年新收政府信息公开申请数量", "5"], ["三、本年度办理结果", ""], ["四、结转下年度继续办理", "0"]]
    text = ("一、总体情况\n甲\n二、主动公开政府信息情况\n乙\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\t0\n三、本年度办理结果\n"
            "四、结转下年度继续办理\n四、政府信息公开行政复议、行政诉讼情况\n丁\n五、存在的主要问题及改进情况\n戊")
    secs = split_sections(doc(text, [Table(grid=grid)]))
    assert [s.heading for s in secs] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况"]
    assert "四、结转下年度继续办理" in secs[2].text


def test_a_report_laid_out_in_a_one_column_table_keeps_its_headings():
    grid = [["一、总体情况"], ["甲"], ["二、主动公开"], ["乙"]]
    secs = split_sections(doc("一、总体情况\n甲\n二、主动公开\n乙", [Table(grid=grid)]))
    assert [s.heading for s in secs] == ["一、总体情况", "二、主动公开"]


def test_rows_of_a_saved_text_table_are_not_headings():
    text = "一、总体情况\n甲\n二、主动公开\n一、本年新收 | 1 | 2\n三、问题 | 3\n三、存在的问题\n丙"
    assert [s.heading for s in split_sections(doc(text))] == ["一、总体情况", "二、主动公开", "三、存在的问题"]


def test_full_width_numerals_and_an_inline_heading():
    text = "一、概述。本年度我局主动公开信息一百二十条，办理申请十件，全部按时答复，没有发生行政复议。\n二、问题\n无"
    secs = split_sections(doc(text))
    assert secs[0] == Section("一、概述", "本年度我局主动公开信息一百二十条，办理申请十件，全部按时答复，没有发生行政复议。")
    assert secs[1] == Section("二、问题", "无")


def test_no_headings_no_sections():
    assert split_sections(doc("本报告没有编号的标题。\n只有段落。")) == []
    assert split_sections(doc("")) == []


def test_docstring_examples():
    import doctest

    import parser.sections

    result = doctest.testmod(parser.sections)
    assert result.attempted >= 1 and result.failed == 0
