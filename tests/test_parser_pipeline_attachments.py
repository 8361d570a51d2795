"""A legacy report's statistics appendix in an attached file is read with the page."""
from __future__ import annotations

import io

import docx

from conftest import SAMPLES
from parser import Attachment, NotAReportError, parse
from test_parser_legacy_appendix import NATIONAL_EXPECTED, NATIONAL_ROWS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
APPENDIX_URL = "http://www.sanya.gov.cn/htqsite/P020160315.docx"


def appendix_docx(title: str = "海棠区2015年政府信息公开情况统计表") -> bytes:
    d = docx.Document()
    d.add_paragraph(title)
    rows = [["统计指标", "单位", "统计数"], *NATIONAL_ROWS]
    table = d.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_the_appendix_alone_is_not_a_report():
    try:
        parse(appendix_docx(), DOCX)
    except NotAReportError:
        return
    raise AssertionError("an appendix table on its own must not pass as a report")


def test_a_legacy_page_takes_the_metrics_of_its_attached_appendix():
    page = (SAMPLES / "hainan-haitang-2015.txt").read_bytes()
    alone = parse(page, "text/plain")
    record = parse(page, "text/plain", attachments=[Attachment(appendix_docx(), DOCX, APPENDIX_URL)])
    for key, value in NATIONAL_EXPECTED.items():
        assert record.metrics[key] == value, key
    ev = record.evidence["review.total"]
    assert ev.where == "table" and ev.snippet == f"附件 {APPENDIX_URL}" and ev.row
    # the page's own prose stays where the appendix is silent, and disagreements are findings
    assert alone.metrics["proactive.items"] == 23 and record.metrics["proactive.items"] == NATIONAL_EXPECTED["proactive.items"]
    rules = [f.rule for f in record.findings]
    assert "appendix.attachment" in rules and "legacy.prose_vs_appendix" in rules
    assert (record.title, record.year, record.region) == (alone.title, alone.year, alone.region)


def test_an_attachment_that_is_a_report_of_its_own_is_not_read_twice():
    page = (SAMPLES / "hainan-haitang-2015.txt").read_bytes()
    copy = (SAMPLES / "yuhang-2017.txt").read_bytes()  # a whole report: parsed on its own, never merged
    record = parse(page, "text/plain", attachments=[Attachment(copy, "text/plain", "http://x/copy.txt")])
    assert record.metrics == parse(page, "text/plain").metrics


def test_an_unreadable_attachment_is_a_warning_not_a_failure():
    page = (SAMPLES / "hainan-haitang-2015.txt").read_bytes()
    record = parse(page, "text/plain", attachments=[Attachment(b"%PDF-1.4 truncated", "application/pdf", "http://x/a.pdf")])
    assert any("http://x/a.pdf" in f.message for f in record.findings if f.rule == "parse.warning")
    assert record.metrics == parse(page, "text/plain").metrics
