"""parser.template_text: template tables written as text lines (tab or | separated), read only where one
reading fits, with the line as evidence."""
from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.reportgen import FORMATS, LAYOUTS, random_record
from fixtures.reportlayout import build_tables
from parser.extract import extract
from parser.template_text import read_text_tables, split_row

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
HEADLINE = ("applications.denied.total", "litigation.total")


def _lines(record: dict, layout: str, sep: str = "\t") -> str:
    tables = build_tables(record, LAYOUTS[layout].style)
    return "\n".join(sep.join(c.text.replace("\n", "") for c in row) for t in tables for row in t.rows)


def test_split_row():
    assert split_row("规章 | 0 | 0 | 0 | |") == ["规章", "0", "0", "0"]
    assert split_row("规章\t0\t\t") == ["规章", "0", "", ""]  # a tab line keeps its blank cells
    assert split_row("一、总体情况") is None and split_row("第二十条第(一)项 | ||||") is None


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", ["html_clean", "html_word", "html_split3", "html_header3", "html_t3split"])
def test_browser_copies_of_every_table_layout_read_back_exactly(fmt, layout):
    truth = random_record(fmt, 9, blanks=0.4)
    reading = read_text_tables(_lines(truth, layout), fmt)
    assert {k: v for k, (v, _) in reading.metrics.items()} == {
        k: v for k, v in truth["metrics"].items() if k not in HEADLINE}
    ev = reading.metrics["applications.new.total"][1]
    assert ev.where == "text" and ev.snippet.startswith("一、本年新收政府信息公开申请数量\t")


@pytest.mark.parametrize("fmt", FORMATS)
def test_pipe_copies_never_give_a_wrong_number(fmt):
    for seed in range(6):
        truth = random_record(fmt, seed, blanks=0.5)
        for layout in LAYOUTS:
            got = read_text_tables(_lines(truth, layout, " | "), fmt).metrics
            assert all(truth["metrics"][k] == v for k, (v, _) in got.items()), (seed, layout)


def test_a_header_that_is_not_the_templates_reads_nothing_of_table3():
    text = "\n".join(["项目\t自然人\t法人\t合计", "本年新收申请\t5\t1\t6"])
    assert read_text_tables(text, "gb2021").metrics == {}


def test_real_text_copy_with_truncated_headers_reads_only_what_is_certain():
    doc = extract((SAMPLES / "excerpts" / "tianjin-heping-fgw-2019.txt").read_bytes(), "text/plain")
    m = {k: v for k, (v, _) in read_text_tables(doc.text, "gb2019").metrics.items()}
    # "本年新 | 本年新" could be either 制作 or 公开: neither is read; 对外公开总数量 is
    assert "rules.made" not in m and "rules.published" not in m
    assert m["rules.total_public"] == 0 and m["licensing.decisions"] == 0 and m["fees.change"] == 0


def test_rows_that_cannot_be_placed_are_findings():
    text = "\n".join(["信息内容\t本年新\t本年新\t对外公开总数量", "规章\t1\t2\t3",
                      "项目\t自然人\t法人\t合计", "本年新收申请\t5\t1\t6"])
    reading = read_text_tables(text, "gb2019")
    assert {k: v for k, (v, _) in reading.metrics.items()} == {"rules.total_public": 3}
    assert [f.rule for f in reading.findings] == ["table.unplaced"] * 3
    assert "'1'" in reading.findings[0].message and "本年新收申请" in reading.findings[2].message
