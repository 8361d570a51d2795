"""parser.template_cells: blanks, money units converted exactly, a row's cells placed or left out with findings."""
from __future__ import annotations

from parser.document import Table
from parser.record import Reading
from parser.template_cells import CellReading, convert_money, distinct, is_blank, place_row, unit_of


def test_blank_marks_are_blank_and_zero_is_not():
    assert all(is_blank(t) for t in ("", " ", "\u00a0", "——", "—", "/", "／", "无", "-"))
    assert not any(is_blank(t) for t in ("0", "０", "12", "规章"))


def test_money_units_and_exact_conversion():
    assert (unit_of("采购总金额（万元）"), unit_of("251000元"), unit_of("采购总金额")) == ("万元", "元", None)
    assert convert_money("123.45", 123.45, "元", "万元") == 1234500
    assert convert_money("0.01万元", 0.01, "元", None) == 100
    assert convert_money("12300元", 12300, "万元", "万元") == 1.23  # the cell's own unit wins
    assert convert_money("7", 7, "元", None) == 7


def test_distinct_keeps_order_and_drops_repeats():
    assert distinct(["三、本年度办理结果", "（三）不予公开", "（三）不予公开", " ", "1.属于国家秘密"]) == [
        "三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]


def test_place_row_keeps_agreeing_repeats_and_refuses_disagreeing_ones():
    table = Table([["x"]], index=4, page=2)
    reading = Reading()
    place_row(reading, table, 0, "政府集中采购", [
        CellReading("procurement.items", "采购项目数量", "3", 3),
        CellReading("procurement.amount_yuan", "采购总金额", "100", 100),
        CellReading("procurement.amount_yuan", "采购总金额", "100", 100),
        CellReading("fees.change", "本年增/减", "1", 1),
        CellReading("fees.change", "本年增/减", "2", 2),
        CellReading(None, "?", "5", 5, "column label not recognised"),
    ])
    assert {k: v for k, (v, _) in reading.metrics.items()} == {"procurement.items": 3, "procurement.amount_yuan": 100}
    ev = reading.metrics["procurement.items"][1]
    assert (ev.table, ev.page, ev.row, ev.column) == (4, 2, "政府集中采购", "采购项目数量")
    assert sorted(f.values["text"] for f in reading.findings) == ["1", "2", "5"]
    place_row(reading, table, 0, "again", [CellReading("procurement.items", "采购项目数量", "4", 4)])
    assert reading.metrics["procurement.items"][0] == 3 and reading.findings[-1].rule == "table.conflict"
