"""parser.templates: template tables (as Document grids) -> metrics with evidence, unplaced cells -> findings."""
from __future__ import annotations

import pytest

from fixtures.reportgen import FORMATS, LAYOUTS, grids, random_record
from parser.document import Document, Table
from parser.templates import classify_table, read_template_tables

HEADLINE = ("applications.denied.total", "litigation.total")


def _doc(*grids_: list[list[str]], pages: list[int | None] | None = None) -> Document:
    pages = pages or [None] * len(grids_)
    return Document(text="", media_type="text/html",
                    tables=[Table(g, index=i, page=p) for i, (g, p) in enumerate(zip(grids_, pages))])


def _cells(record: dict) -> dict:
    return {k: v for k, v in record["metrics"].items() if k not in HEADLINE}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("seed,blanks", [(1, 0.0), (2, 0.6)])
def test_every_layout_grid_reads_back_exactly(fmt, layout, seed, blanks):
    rec = random_record(fmt, seed, blanks=blanks)
    reading = read_template_tables(_doc(*grids(rec, layout)), fmt)
    got = {k: v for k, (v, _) in reading.metrics.items()}
    assert got == _cells(rec)
    assert reading.findings == []


T3_SPLIT3 = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 3 + ["申请人情况"] * 7,
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 3
    + ["自然人", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "总计"],
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 3
    + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ["一、本年新收政府信息公开申请数量"] * 3 + ["5", "", "——", "1", "0", "/", "6"],
    ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "１", "", "", "", "", "", "１"],
    ["三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确", "2", "", "", "", "", "", "2"],
    ["三、本年度办理结果", "（六）其他处理", "3.其他", "4", "", "", "", "", "", "4"],
]


def test_split_first_column_is_one_row_label_path_and_blanks_are_absent():
    reading = read_template_tables(_doc(T3_SPLIT3, pages=[3]), "gb2021")
    m = {k: v for k, (v, _) in reading.metrics.items()}
    assert m == {
        "applications.new.natural": 5, "applications.new.social": 1, "applications.new.legal": 0,
        "applications.new.total": 6, "applications.denied.state_secret.natural": 1,
        "applications.denied.state_secret.total": 1, "applications.unable.unclear.natural": 2,
        "applications.unable.unclear.total": 2, "applications.other.other.natural": 4,
        "applications.other.other.total": 4,
    }
    ev = reading.metrics["applications.denied.state_secret.natural"][1]
    assert (ev.where, ev.table, ev.page) == ("table", 0, 3)
    assert ev.row == "三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密"
    assert ev.column == "申请人情况 / 自然人"
    assert reading.metrics["applications.other.other.total"][1].column == "申请人情况 / 总计"


def test_gb2019_has_no_split_other_rows_so_they_are_unplaced():
    reading = read_template_tables(_doc(T3_SPLIT3), "gb2019")
    assert "applications.other.other.natural" not in {k for k in reading.metrics}
    rules = {(f.rule, f.values["text"]) for f in reading.findings}
    assert rules == {("table.unplaced", "4")}


def test_a_bare_other_under_the_wrong_group_is_not_guessed():
    grid = [["项目", "自然人", "总计"], ["（四）无法提供", "", ""], ["1.本机关不掌握相关政府信息", "3", "3"],
            ["3.其他", "7", "7"]]
    reading = read_template_tables(_doc(grid), "gb2021")
    assert {k: v for k, (v, _) in reading.metrics.items()} == {
        "applications.unable.not_held.natural": 3, "applications.unable.not_held.total": 3}
    assert len(reading.findings) == 2 and all("其他" in f.message for f in reading.findings)


def test_table3_cut_in_two_borrows_the_header_of_the_first_part():
    first = T3_SPLIT3[:4]
    second = [["三、本年度办理结果", "（五）不予处理", "2.重复申请", "2", "1", "", "", "", "", "3"],
              ["四、结转下年度继续办理", "四、结转下年度继续办理", "四、结转下年度继续办理", "0", "", "", "", "", "", "0"]]
    reading = read_template_tables(_doc(first, second, pages=[4, 5]), "gb2021")
    m = {k: v for k, (v, _) in reading.metrics.items()}
    assert m["applications.rejected.duplicate.commercial"] == 1
    assert m["applications.carried_out.total"] == 0
    ev = reading.metrics["applications.rejected.duplicate.total"][1]
    assert (ev.table, ev.page, ev.column) == (1, 5, "申请人情况 / 总计")


def test_headerless_table3_without_a_first_part_is_left_out_with_findings():
    grid = [["（五）不予处理", "2.重复申请", "2", "1", "3"], ["（五）不予处理", "3.要求提供公开出版物", "", "", ""],
            ["四、结转下年度继续办理", "四、结转下年度继续办理", "1", "", "1"]]
    reading = read_template_tables(_doc(grid), "gb2021")
    assert reading.metrics == {}
    assert len(reading.findings) == 5


GB2019_T2 = [
    ["第二十条第（九）项"] * 4,
    ["信息内容", "采购项目数量", "采购总金额（万元）", "采购总金额（万元）"],
    ["政府集中采购", "12", "123.45", "123.45"],
    ["第二十条第（八）项"] * 4,
    ["信息内容", "上一年项目数量", "本年增/减", "本年增/减"],
    ["行政事业性收费", "3", "－1", "－1"],
]


def test_procurement_in_wan_yuan_is_converted_exactly_and_keeps_the_text():
    reading = read_template_tables(_doc(GB2019_T2), "gb2019")
    value, ev = reading.metrics["procurement.amount_yuan"]
    assert value == 1234500 and isinstance(value, int)
    assert ev.snippet == "123.45" and ev.column == "采购总金额（万元）" and ev.row == "政府集中采购"
    assert reading.metrics["fees.change"][0] == -1
    assert reading.findings == []


def test_units_inside_cells():
    grid = [["信息内容", "采购项目数量", "采购总金额"], ["政府集中采购", "3件", "251000元"]]
    reading = read_template_tables(_doc(grid), "gb2019")
    assert reading.metrics["procurement.amount_yuan"][0] == 251000
    grid[1][2] = "25.1万元"
    assert read_template_tables(_doc(grid), "gb2019").metrics["procurement.amount_yuan"][0] == 251000


def test_gb2021_fee_in_yuan_becomes_wan_yuan():
    grid = [["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "12300元"]]
    value, ev = read_template_tables(_doc(grid), "gb2021").metrics["fees.amount_wan_yuan"]
    assert value == 1.23 and ev.snippet == "12300元"


def test_table2_column_of_the_other_template_is_unplaced():
    grid = [["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "1", "2", "3"]]
    reading = read_template_tables(_doc(grid), "gb2021")
    assert reading.metrics == {}
    assert [f.rule for f in reading.findings] == ["table.unplaced"] * 3


def test_table4_two_row_header_and_a_second_data_row():
    header = [["行政复议"] * 5 + ["行政诉讼（未经复议直接起诉）"] * 5 + ["行政诉讼（复议后起诉）"] * 5,
              ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3]
    data = ["1", "0", "0", "1", "2", "0", "", "", "", "0", "1", "1", "0", "0", "2"]
    reading = read_template_tables(_doc(header + [data, ["9"] * 15]), "gb2019")
    m = {k: v for k, (v, _) in reading.metrics.items()}
    assert m["review.total"] == 2 and m["litigation_direct.upheld"] == 0
    assert "litigation_direct.corrected" not in m
    assert m["litigation_after_review.total"] == 2
    assert len([f for f in reading.findings if "second data row" in f.message]) == 15
    assert reading.metrics["litigation_after_review.total"][1].column == "行政诉讼（复议后起诉） / 总计"


def test_merged_header_over_two_cells_that_disagree_places_neither():
    grid = [["信息内容", "采购项目数量", "采购总金额", "采购总金额"], ["政府集中采购", "2", "100", "200"]]
    reading = read_template_tables(_doc(grid), "gb2019")
    assert "procurement.amount_yuan" not in reading.metrics
    assert reading.metrics["procurement.items"][0] == 2
    assert len(reading.findings) == 2


def test_classify_ignores_prose_and_layout_tables():
    assert classify_table(Table([["发布时间", "2021-01-01"], ["来源", "区政府办"]])) is None
    assert classify_table(Table([["一、总体情况 " + "很长的正文" * 40]])) is None
    assert classify_table(Table(T3_SPLIT3)) == "t3"
    assert classify_table(Table(GB2019_T2)) == "t2"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_fixture_records_hold_every_template_cell(fmt):
    from fixtures.reportgen import cell_keys

    keys = cell_keys(fmt)
    assert len(keys) == len(set(keys)) == {"gb2019": 198, "gb2021": 200}[fmt]
    assert set(random_record(fmt, 0)["metrics"]) == set(keys) | set(HEADLINE)


def test_table2_rows_whose_merged_cells_differ_from_the_header_are_realigned():
    # Word HTML: 信息内容 spans two columns in the header row, the label one in the data rows,
    # and the last value spans two: the grid does not line up by position
    grid = [["信息内容", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "5", "6", "7", "7"],
            ["行政处罚", "行政处罚", "0", "", "12"],
            ["行政强制", "1", "2", "3", "4"]]  # four different values for three columns: no reading fits
    reading = read_template_tables(_doc(grid), "gb2019")
    m = {k: v for k, (v, _) in reading.metrics.items()}
    assert m == {"licensing.prev_items": 5, "licensing.change": 6, "licensing.decisions": 7,
                 "penalty.prev_items": 0, "penalty.decisions": 12}
    assert [f.values["text"] for f in reading.findings] == ["1", "2", "3", "4"]
