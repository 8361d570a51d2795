"""parser.template_text: template tables written as text (rows on lines, one cell a line, pipes, tabs,
runs of spaces, headers split or cut, the text cut mid-table), read only where the count and order
of the cells leave no doubt, every value with its line(s) as evidence."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from fixtures.reportgen import FORMATS, LAYOUTS, random_record
from fixtures.reportlayout import build_tables
from parser.extract import extract
from parser.template_text import read_text_tables

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
HEADLINE = ("applications.denied.total", "litigation.total")
READ_LAYOUTS = ["html_clean", "html_word", "html_split3", "html_header3", "html_t3split", "html_short"]


def _rows(record: dict, layout: str) -> list[list[str]]:
    return [[c.text.replace("\n", "") for c in row] for t in build_tables(record, LAYOUTS[layout].style) for row in t.rows]


# the ways real copies write a table's rows as text
RENDERS = {
    "tab": lambda rows: "".join("\t".join(r) + "\n" for r in rows),
    "pipe": lambda rows: "".join(" | ".join(r) + "\n" for r in rows),
    "markdown": lambda rows: "".join("| " + " | ".join(r) + " |\n" for r in rows),
    "cell_a_line": lambda rows: "\n\n".join(c for r in rows for c in r) + "\n",
    "cell_a_line_piped": lambda rows: "".join(c + " |\n" for r in rows for c in r),
    "spaces": lambda rows: "".join("    ".join(r) + "\n" for r in rows),
}
# where an empty cell leaves a mark (a delimiter), a table with blanks reads back whole too
BLANKS_SHOW = ("tab", "pipe", "markdown", "cell_a_line_piped")


def _values(reading) -> dict:
    return {k: v for k, (v, _) in reading.metrics.items()}


def _truth(record: dict) -> dict:
    return {k: v for k, v in record["metrics"].items() if k not in HEADLINE}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("render", list(RENDERS))
@pytest.mark.parametrize("layout", READ_LAYOUTS)
def test_every_rendering_of_every_layout_reads_back_exactly(fmt, render, layout):
    truth = random_record(fmt, 9, blanks=0.4 if render in BLANKS_SHOW else 0)
    reading = read_text_tables(RENDERS[render](_rows(truth, layout)), fmt)
    assert _values(reading) == _truth(truth)
    assert all(ev.where == "text" and ev.snippet and ev.row is not None and ev.column
               for _, ev in reading.metrics.values())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("render", ["cell_a_line", "spaces"])
def test_where_blank_cells_vanish_no_number_is_wrong(fmt, render):
    unplaced = 0
    for seed in range(4):
        truth = random_record(fmt, seed, blanks=0.4)
        for layout in READ_LAYOUTS:
            reading = read_text_tables(RENDERS[render](_rows(truth, layout)), fmt)
            got = _values(reading)
            assert got and all(truth["metrics"][k] == v for k, v in got.items()), (seed, layout)
            unplaced += sum(f.rule == "table.unplaced" for f in reading.findings)
    assert unplaced > 20  # the rows that lost a blank are findings, not guesses (an &nbsp; blank keeps its line)


@pytest.mark.parametrize("render", list(RENDERS))
def test_a_text_cut_anywhere_never_gives_a_wrong_number(render):
    rnd = random.Random(7)
    for fmt in FORMATS:
        for seed in (1, 2):
            truth = random_record(fmt, seed, blanks=0.2 * seed)
            text = RENDERS[render](_rows(truth, "html_header3" if seed == 1 else "html_t3split"))
            for cut in rnd.sample(range(len(text)), 80):
                got = _values(read_text_tables(text[:cut], fmt))
                assert all(truth["metrics"].get(k) == v for k, v in got.items()), (fmt, seed, cut, text[cut - 40:cut])


# --- the shapes of real copies, one by one -----------------------------------------------------------

def test_a_row_a_line_with_placeholder_pipes():
    # tianjin-heping-fgw-2019 (tests/data/samples/excerpts): header cells cut to 本年新 | 本年新, read in the
    # template's order; the text stops inside the label 政府集中采(购)
    doc = extract((SAMPLES / "excerpts" / "tianjin-heping-fgw-2019.txt").read_bytes(), "text/plain")
    reading = read_text_tables(doc.text, "gb2019")
    assert _values(reading) == {
        "rules.made": 0, "rules.published": 0, "rules.total_public": 0,
        "normative_docs.made": 0, "normative_docs.published": 0, "normative_docs.total_public": 0,
        **{f"{i}.{c}": 0 for i in ("licensing", "other_services", "penalty", "coercion")
           for c in ("prev_items", "change", "decisions")},
        "fees.prev_items": 0, "fees.change": 0,
    }
    ev = reading.metrics["rules.published"][1]
    assert (ev.where, ev.snippet, ev.row, ev.column) == ("text", "规章 | 0 | 0 | 0 | |", "规章", "本年新")
    assert reading.findings == []


def test_one_cell_a_line_with_headers_split_and_cut():
    # the shape of guizhou-kaili-wanchao-2023 (tests/data/samples/excerpts) with xizang-audit-2025's cut header
    text = "\n\n".join([
        "第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件", "规章", "0", "1", "0",
        "行政规范性文件", "1", " 0", "2 ", "第二十条第(五)项", "信息内容", "本年处理决定数量", "行政许可", "3",
        "第二十条第(八)项", "信息内容", "本年收费金额(单位:万元)", "行政事业性收费", "0.5", "三、收到和处理政府信息公开申请情况"])
    reading = read_text_tables(text, "gb2021")
    assert _values(reading) == {"rules.issued": 0, "rules.repealed": 1, "rules.in_force": 0, "normative_docs.issued": 1,
                                "normative_docs.repealed": 0, "normative_docs.in_force": 2, "licensing.decisions": 3,
                                "fees.amount_wan_yuan": 0.5}
    ev = reading.metrics["normative_docs.in_force"][1]
    assert ev.snippet == "行政规范性文件\n1\n0\n2" and ev.row == "行政规范性文件" and ev.column == "现行有效件"


def test_a_header_split_over_lines_is_joined_in_the_templates_order():
    text = "\n".join(["信息内容", "本年新", "制作数量", "本年新", "公开数量", "对外公开总数量", "规章", "2", "0", "83", ""])
    reading = read_text_tables(text, "gb2019")
    assert _values(reading) == {"rules.made": 2, "rules.published": 0, "rules.total_public": 83}
    assert reading.metrics["rules.made"][1].column == "本年新 制作数量"


def test_cells_split_at_runs_of_spaces_and_at_single_spaces():
    text = "信息内容   本年新制作数量   本年新公开数量   对外公开总数量\n规章     0     1     2\n规范性文件 3 4 5\n"
    assert _values(read_text_tables(text, "gb2019")) == {
        "rules.made": 0, "rules.published": 1, "rules.total_public": 2,
        "normative_docs.made": 3, "normative_docs.published": 4, "normative_docs.total_public": 5}


def test_table3_header_and_group_labels_split_over_lines():
    header = ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况", "自 然 人",
              "法人或其他组织", "总计", "商业", "企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows = ["一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "2", "8",
            "三、本年度办理结果", "(一)予以公开", "3", "0", "0", "0", "0", "1", "4",
            "(三)", "不予公开", "1.属于国家秘密", "1", "0", "0", "0", "0", "0", "1",
            "2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0"]
    reading = read_text_tables("\n\n".join(header + rows) + "\n", "gb2021")
    got = _values(reading)
    assert [got[f"applications.new.{c}"] for c in ("natural", "commercial", "other_org", "total")] == [5, 1, 2, 8]
    assert got["applications.granted.total"] == 4
    assert got["applications.denied.state_secret.natural"] == 1
    assert got["applications.denied.law_forbidden.total"] == 0
    assert len(got) == 28 and reading.findings == []
    assert reading.metrics["applications.denied.state_secret.natural"][1].row == "1.属于国家秘密"


def test_table4_one_cell_a_line():
    header = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结",
              "总计", "未经复议直接起诉", "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    values = ["1", "0", "0", "1", "2", "0", "0", "0", "0", "0", "1", "0", "0", "0", "1"]
    reading = read_text_tables("\n\n".join(header + values + ["五、存在的主要问题及改进情况"]), "gb2021")
    got = _values(reading)
    assert len(got) == 15 and got["review.total"] == 2 and got["litigation_after_review.upheld"] == 1
    assert reading.metrics["review.pending"][1].column == "pending"


def test_glued_digits_are_never_split():
    # "206912106" is three cells glued (206 912 106? 2069 12 106?): the row is a finding, no number from it
    text = "\n".join(["申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织",
                      "法律服务机构", "其他", "一、本年新收政府信息公开申请数量", "206912106", "0", "0", "0", "0", ""])
    reading = read_text_tables(text, "gb2021")
    assert _values(reading) == {}
    assert [f.rule for f in reading.findings] == ["table.unplaced"]
    assert "206912106" in reading.findings[0].values["text"]


def test_digits_split_by_a_space_inside_one_cell_are_not_read():
    reading = read_text_tables("信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量\n规章 | 12 106 | 0 | 3 |\n", "gb2019")
    assert _values(reading) == {"rules.published": 0, "rules.total_public": 3}


@pytest.mark.parametrize("tail, read", [
    ("规章\n\n0\n\n1\n\n12", {"rules.made": 0, "rules.published": 1}),  # "12" may be "125"
    ("规章\n\n0\n\n1\n\n12\n", {"rules.made": 0, "rules.published": 1, "rules.total_public": 12}),
    ("规章\n\n0\n\n12\n", {}),  # two of three cells, one a line: a blank may have vanished anywhere
    ("规章\n\n0\n\n1\n\n12(预", {"rules.made": 0, "rules.published": 1}),  # cut inside the last cell's note
    ("规章 | 0 | 12", {"rules.made": 0}),  # between pipes a blank shows: the first cells are certain
    ("规章 | 0 | 12 |", {"rules.made": 0, "rules.published": 12}),
    ("规章 0 1 12", {"rules.made": 0, "rules.published": 1}),
    ("规章 0 12\n", {}),  # split at spaces a blank cell leaves no trace
])
def test_a_row_cut_by_the_texts_end_keeps_only_its_certain_cells(tail, read):
    if "|" in tail:
        head = "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量\n规范性文件 | 1 | 1 | 1 |\n"
    elif "\n\n" in tail:
        head = "\n\n".join(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规范性文件", "1", "1", "1", ""])
    else:
        head = "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规范性文件 1 1 1\n"
    got = _values(read_text_tables(head + tail, "gb2019"))
    assert got.pop("normative_docs.made") == 1 and {k: v for k, v in got.items() if k.startswith("rules.")} == read


def test_the_next_rows_label_cut_by_the_texts_end_leaves_the_row_whole():
    # tianjin-dongli-jinqiao-2020 (tests/data/text_tables): "行政处罚 / 0 / 0 / 0 / 行政" (行政强制 cut)
    text = "\n\n".join(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量", "行政处罚", "0", "3", "5", "行政"])
    assert _values(read_text_tables(text, "gb2019")) == {"penalty.prev_items": 0, "penalty.change": 3, "penalty.decisions": 5}
    # a lone digit may begin the next row's numbered label (7.属于行政执法案卷): never this row's last cell
    header = ["申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    row = ["（三）不予公开", "6.属于四类过程性信息", "1", "0", "0", "0", "0", "1"]  # one blank lost: six cells
    reading = read_text_tables("\n\n".join(header + row + ["7"]), "gb2021")
    assert _values(reading) == {} and reading.findings[0].rule == "table.unplaced"


def test_a_pipe_opening_a_line_is_read_both_ways():
    header = "| 行政复议 | 行政诉讼 |\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |\n"
    markdown = "| 1 | 0 | 0 | 1 | 2 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 |\n"  # the pipe opens the row
    joined = " | 0 | 0 | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1\n"  # the pipe closes an empty first cell
    cut = "| 1 | 0 | 0 | 1 | 2 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |"  # a markdown row cut before its last cell
    assert _values(read_text_tables(header + markdown, "gb2021"))["review.upheld"] == 1
    got = _values(read_text_tables(header + joined, "gb2021"))
    assert "review.upheld" not in got and got["review.corrected"] == 0 and got["review.total"] == 1
    # 14 cells at the text's end: an empty first cell would make 15, but so would the lost last cell
    reading = read_text_tables(header + cut, "gb2021")
    assert _values(reading) == {} and reading.findings[0].rule == "table.unplaced"


def test_rows_that_cannot_be_placed_are_findings():
    text = "\n".join(["信息内容\t本年新\t对外公开总数量", "规章\t1\t2\t3",
                      "项目\t自然人\t法人\t合计", "本年新收申请\t5\t1\t6"])
    reading = read_text_tables(text, "gb2019")
    assert _values(reading) == {}
    assert [f.rule for f in reading.findings] == ["table.unplaced"] * 2
    assert "规章" in reading.findings[0].message and "本年新收申请" in reading.findings[1].message


def test_a_header_that_is_not_the_templates_reads_nothing_of_table3():
    text = "\n".join(["项目\t自然人\t法人\t合计", "本年新收申请\t5\t1\t6"])
    assert read_text_tables(text, "gb2021").metrics == {}


def test_prose_ends_an_open_table():
    text = ("信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量\n规章 | 1 | 2 | 3 |\n"
            + "本机关认真贯彻落实条例要求，" * 10 + "\n规范性文件 | 4 | 5 | 6 |\n")
    assert _values(read_text_tables(text, "gb2019")) == {"rules.made": 1, "rules.published": 2, "rules.total_public": 3}


def test_a_table_4_header_stacked_over_lines_reads_its_fifteen_values():
    """tests/data/real/shandong-weihai-wendeng-xfj-2022, a flipbook page: each column's label stacked
    over two lines (结果 / 维持), cells between single spaces; the one row of fifteen values is table 4's."""
    text = ("四、因政府信息公开工作被申请行政复议提起行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
            "结果 结果 其他 尚未 总\n维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总\n"
            "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计\n1 0 0 2 3 0 0 0 0 0 4 0 0 0 4\n"
            "五、政府信息公开工作存在的主要问题及改进情况\n")
    got = {k: v for k, (v, _) in read_text_tables(text, "gb2021").metrics.items()}
    assert got == {"review.upheld": 1, "review.corrected": 0, "review.other": 0, "review.pending": 2, "review.total": 3,
                   **{f"litigation_direct.{k}": 0 for k in ("upheld", "corrected", "other", "pending", "total")},
                   "litigation_after_review.upheld": 4, "litigation_after_review.corrected": 0,
                   "litigation_after_review.other": 0, "litigation_after_review.pending": 0,
                   "litigation_after_review.total": 4}
    # without the group words the stacked halves say nothing: no value is read
    loose = text.replace("行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n", "")
    assert read_text_tables(loose, "gb2021").metrics == {}


def _real_page(stem: str) -> str:
    return (Path(__file__).parent / "data" / "real" / f"{stem}.txt").read_text(encoding="utf-8")


def test_a_flipbook_page_inside_table_3_and_a_table_4_header_written_down_its_columns():
    """shandong-weihai-wendeng-sjj-2020 (real): the page opens on table 3's last row, its seven values
    on its line and no header above (the template's column order); table 4's header spells 结果维持…
    one character a line down each column, then one line of fifteen values."""
    reading = read_text_tables(_real_page("shandong-weihai-wendeng-sjj-2020"), "gb2019")
    got = {k: v for k, (v, _) in reading.metrics.items()}
    assert {k: v for k, v in got.items() if k.startswith("applications.carried_out.")} == {
        f"applications.carried_out.{c}": 0 for c in ("natural", "commercial", "research", "social", "legal",
                                                     "other_org", "total")}
    assert sum(k.startswith(("review.", "litigation_direct.", "litigation_after_review.")) for k in got) == 15


def test_a_lone_table_3_row_is_read_only_whole():
    # six values on its line: which one is missing cannot be told
    text = "四、结转下年度继续办理 0 0 0 0 0 0\n五、存在的主要问题及改进情况\n"
    assert not read_text_tables(text, "gb2021").metrics


def test_a_column_the_template_lacks_keeps_the_others_in_place():
    """chongqing-hechuan-erlang-2019 (real): 本年数量 where 本年增/减 stands; the two named columns are
    read, the odd one's cells become findings."""
    reading = read_text_tables(_real_page("chongqing-hechuan-erlang-2019"), "gb2019")
    got = {k: v for k, (v, _) in reading.metrics.items()}
    assert got["other_services.prev_items"] == 6 and got["other_services.decisions"] == 122
    assert got["penalty.decisions"] == 2 and not any(k.endswith(".change") for k in got)
    assert any("本年数量" in f.message for f in reading.findings)


_RULES_BLOCK_TEXT = ("信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n"
                     "{first} | 0 | 0 | 2\n{second} | 1 | 0 | 5\n")


def test_the_first_row_of_the_rules_block_without_its_label_is_rules_when_the_template_row_follows():
    """shaanxi-hanzhong-hantai-xuwang-2025 (real): the 规章 label is lost (a blank cell) and 行政规范性文件
    follows: the template's order leaves only 规章 for it. Followed by anything else, it is a finding."""
    got = {k: v for k, (v, _) in read_text_tables(
        _RULES_BLOCK_TEXT.format(first=" ", second="行政规范性文件"), "gb2021").metrics.items()}
    assert got == {"rules.issued": 0, "rules.repealed": 0, "rules.in_force": 2,
                   "normative_docs.issued": 1, "normative_docs.repealed": 0, "normative_docs.in_force": 5}
    reading = read_text_tables(_RULES_BLOCK_TEXT.format(first=" ", second="行政许可"), "gb2021")
    assert not any(k.startswith("rules.") for k in reading.metrics)
    assert any("no table-2 item" in f.message for f in reading.findings)
