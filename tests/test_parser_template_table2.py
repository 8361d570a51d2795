"""parser.template_table2: table 2 under its header rows, across small tables, realigned when ragged."""
from __future__ import annotations

from parser.document import Table
from parser.record import Reading
from parser.template_table2 import read_table2


def _read(fmt: str, *grids: list[list[str]]) -> tuple[dict, list]:
    reading = Reading()
    read_table2([Table(g, index=i) for i, g in enumerate(grids)], fmt, reading)
    return {k: v for k, (v, _) in reading.metrics.items()}, reading.findings


def test_header_of_one_small_table_does_not_leak_wrongly_into_the_next():
    first = [["第二十条第（一）项"] * 4, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "0", "9"]]
    second = [["第二十条第（五）项"] * 2, ["信息内容", "本年处理决定数量"], ["行政许可", "40"]]
    m, findings = _read("gb2021", first, second)
    assert m == {"rules.issued": 1, "rules.repealed": 0, "rules.in_force": 9, "licensing.decisions": 40}
    assert findings == []


def test_ragged_rows_take_the_one_reading_that_fits():
    grid = [["信息内容", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "10", "10", "11", "11"],  # the last value spans two columns
            ["规范性文件", "", "3", "40", "40"]]  # blank first value
    m, findings = _read("gb2019", grid)
    assert m == {"rules.made": 10, "rules.published": 10, "rules.total_public": 11,
                 "normative_docs.published": 3, "normative_docs.total_public": 40}
    assert findings == []


def test_a_row_before_any_header_is_a_finding():
    m, findings = _read("gb2019", [["规章", "1", "2", "3"]])
    assert m == {} and len(findings) == 3


def test_a_damaged_column_label_keeps_its_place_and_its_cells_are_findings():
    # "本年新公开数量" with characters lost: its cells are findings, the others still line up
    # (before, 3 | 3 looked like one merged value and the 新公开 cell vanished without a finding)
    grid = [["信息内容", "本年新制作数量", "本年新开数量", "对外公开总数量"], ["规章", "3", "3", "129"],
            ["规范性文件", "1", "2", "7"]]
    m, findings = _read("gb2019", grid)
    assert m == {"rules.made": 3, "rules.total_public": 129, "normative_docs.made": 1, "normative_docs.total_public": 7}
    assert [(f.values["text"], f.values["column"]) for f in findings] == [("3", "本年新开数量"), ("2", "本年新开数量")]


def test_a_header_whose_only_column_is_damaged_still_ends_the_header_before():
    first = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "0", "9"]]
    second = [["信息内容", "本年处理定数量"], ["行政许可", "40"], ["行政处罚", "无"]]
    m, findings = _read("gb2021", first, second)
    assert m == {"rules.issued": 1, "rules.repealed": 0, "rules.in_force": 9}
    assert [f.values["text"] for f in findings] == ["40"] and "not recognised" in findings[0].message
