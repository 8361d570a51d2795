"""DOCX reader: body order, merged cells (gridSpan, vMerge), core title, bylines."""
from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import docx  # noqa: E402

from extract_samples import TABLE2_GB2021, TABLE4, report_docx  # noqa: E402
from parser.extract import extract  # noqa: E402


def test_paragraphs_and_tables_in_body_order_with_merges_expanded():
    doc = extract(report_docx(), None)
    assert doc.meta["docx_title"] == "某某县2021年政府信息公开工作年度报告"
    assert doc.meta["docx_created"][:2] == "20"
    assert doc.title == "某某县2021年政府信息公开工作年度报告"
    t2, t4 = doc.tables
    assert t2.caption == "二、主动公开政府信息情况" and t4.caption == "四、政府信息公开行政复议、行政诉讼情况"
    assert t2.grid[0] == ["第二十条第（一）项"] * 4 and t2.grid[1:] == TABLE2_GB2021[1:]
    assert t4.grid[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    # vertical merges: 结果维持 … 总计 of 行政复议 span rows 2 and 3
    assert t4.grid[1][:5] == t4.grid[2][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert t4.grid[1][5:] == ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert t4.grid[3] == TABLE4[3]
    lines = doc.text.splitlines()
    assert lines.index("二、主动公开政府信息情况") + 1 == lines.index("\t".join(t2.grid[0]))
    assert lines[-1] == "无。"


def test_bylines_line_breaks_and_nested_tables():
    d = docx.Document()
    d.add_paragraph("发布日期：2022-01-20    来源：县政府办公室")
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外层"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"内{r}{c}"
    buf = io.BytesIO()
    d.save(buf)
    doc = extract(buf.getvalue(), None)
    assert doc.meta["发布日期"] == "2022-01-20" and doc.meta["来源"] == "县政府办公室"
    assert "第一行\n第二行" in doc.text
    assert [t.grid for t in doc.tables] == [[["外层", ""]], [["内00", "内01"], ["内10", "内11"]]]
