"""read_legacy: the real samples exact, prose beside the appendix, page evidence, parts past a total."""
from __future__ import annotations

import json

import pytest

from parser.document import Document, Table
from parser.legacy import LEGACY_RULES, read_legacy
from parser.rules import check_sum_rules

from conftest import SAMPLES

# what the issue calls "application, review or litigation metrics": none beyond the expectation
_GUARDED_PREFIXES = ("applications.", "review.", "litigation.")


def _sample(name: str) -> tuple[Document, dict]:
    text = (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return Document(text=text, media_type="text/plain"), expected


@pytest.mark.parametrize("name", ["yuhang-2017", "hainan-haitang-2015"])
def test_sample_metrics_exact(name):
    doc, expected = _sample(name)
    reading = read_legacy(doc)
    got = {k: v for k, (v, _) in reading.metrics.items()}
    assert got == expected["metrics"]
    assert not [k for k in got if k.startswith(_GUARDED_PREFIXES) and k not in expected["metrics"]]
    assert reading.findings == []
    assert all(e.where == "text" and e.snippet for _, e in reading.metrics.values())


def test_yuhang_evidence_is_the_sentence():
    doc, _ = _sample("yuhang-2017")
    metrics = read_legacy(doc).metrics
    assert "共收到政府信息公开申请1984件" in metrics["applications.new.total"][1].snippet
    assert metrics["fees.collected_yuan"][1].snippet == "2017年,我区对政府信息公开申请资料全部免费予以提供,未收取费用。"
    assert "其他情形的13件" in metrics["litigation.other"][1].snippet


def test_yuhang_satisfies_the_legacy_rules():
    doc, _ = _sample("yuhang-2017")
    metrics = {k: v for k, (v, _) in read_legacy(doc).metrics.items()}
    assert check_sum_rules(metrics, LEGACY_RULES) == []
    broken = dict(metrics, **{"applications.granted.total": 975})
    assert [f.rule for f in check_sum_rules(broken, LEGACY_RULES)] == ["applications.legacy_outcomes"]


def test_appendix_value_wins_over_the_prose_with_a_finding():
    grid = [["统计指标", "单位", "统计数"], ["(一)收到申请数", "件", "20"], ["1.当面申请数", "件", "5"],
            ["3.网络申请数", "件", "15"], ["四、行政复议数量", "件", "1"]]
    text = "某局2015年政府信息公开工作年度报告\n本局2015年共收到政府信息公开申请21件,其中当面申请5件。"
    reading = read_legacy(Document(text=text, media_type="text/html", tables=[Table(grid=grid, index=0)]))
    assert reading.metrics["applications.new.total"][0] == 20
    assert reading.metrics["applications.new.total"][1].where == "table"
    assert reading.metrics["applications.channel.in_person"][1].where == "table"  # same number: the cell
    [finding] = reading.findings
    assert finding.rule == "legacy.prose_vs_appendix"
    assert (finding.values["prose"], finding.values["appendix"]) == (21, 20)


def test_table_rows_in_the_text_are_not_read_as_prose():
    text = "某局2015年政府信息公开工作年度报告\n收到申请数\t件\t20\n本局2015年共收到政府信息公开申请20件。"
    reading = read_legacy(Document(text=text, media_type="text/html"))
    assert reading.metrics["applications.new.total"][1].snippet == "本局2015年共收到政府信息公开申请20件。"


def test_prose_evidence_carries_its_pdf_page():
    pages = ["某局2015年政府信息公开工作年度报告\n一、概述", "二、依申请公开情况\n本局2015年共收到政府信息公开申请 7 件。"]
    doc = Document(text="\n".join(pages), media_type="application/pdf", page_texts=pages)
    evidence = read_legacy(doc).metrics["applications.new.total"][1]
    assert evidence.page == 2


def test_parts_past_their_total_are_a_finding_even_with_parts_missing():
    text = ("某市文物局2017年政府信息公开工作年度报告\n"
            "在已经答复的9件申请中,“同意公开”的7件;“同意部分公开”1件;“不予公开”的1件;“信息不存在”的1件;"
            "“非本机关政府信息”的1件;“申请内容不明确”的1件。")
    reading = read_legacy(Document(text=text, media_type="text/html"))
    [finding] = reading.findings
    assert finding.rule == "applications.legacy_outcomes"
    assert finding.values["applications.replied"] == 9


def _legacy_pdf(paragraphs: list[str], table_rows: list[list[str]]) -> bytes:
    """A real PDF (reportlab, embedded CJK TrueType): prose wrapped by the page width, then the appendix."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table as PdfTable, TableStyle

    from fixtures.reportgen import ttf_font_path

    path = ttf_font_path()
    if path is None:
        pytest.skip("no CJK TrueType font")
    pdfmetrics.registerFont(TTFont("WQY", path, subfontIndex=0))
    style = ParagraphStyle("body", fontName="WQY", fontSize=10.5, leading=18, wordWrap="CJK")
    story = [Paragraph(p, style) for p in paragraphs]
    table = PdfTable(table_rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "WQY"), ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    story.append(table)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


@pytest.mark.slow
def test_a_real_pdf_with_wrapped_prose_and_an_appendix():
    from parser import parse

    paragraphs = [
        "杭州市余杭区2017年政府信息公开工作年度报告",
        "二、依申请公开政府信息和不予公开政府信息情况",
        "2017年,全区各职能部门、镇街共收到政府信息公开申请1984件,同比下降3.27%。其中,当面申请260件,"
        "网络申请830件,信函申请894件。在2017年完成答复的1970件申请中,属于已主动公开范围数108件,"
        "属于同意公开答复数974件,属于同意部分公开答复378件,属于不同意公开答复数108件。",
        "四、政府信息公开的收费及减免情况",
        "2017年,我区对政府信息公开申请资料全部免费予以提供,未收取费用。",
    ]
    rows = [["统计指标", "单位", "统计数"], ["四、行政复议数量", "件", "34"], ["(一)维持具体行政行为数", "件", "17"],
            ["(二)被依法纠错数", "件", "6"], ["(三)其他情形数", "件", "11"]]
    record = parse(_legacy_pdf(paragraphs, rows), "application/pdf")
    got = record.metrics
    assert record.format == "legacy"
    assert {k: got.get(k) for k in ("applications.new.total", "applications.channel.letter", "applications.replied",
                                    "applications.denied.total", "fees.collected_yuan", "review.total",
                                    "review.other")} == {
        "applications.new.total": 1984, "applications.channel.letter": 894, "applications.replied": 1970,
        "applications.denied.total": 108, "fees.collected_yuan": 0, "review.total": 34, "review.other": 11}
    assert record.evidence["applications.new.total"].page == 1
    assert record.evidence["review.total"].where == "table"


def test_a_plain_text_copy_with_its_table_as_lines():
    text = ("某市某局2015年政府信息公开工作年度报告\n本局2015年共收到政府信息公开申请21件。\n附表:政府信息公开情况统计表\n"
            "| 统计指标 | 单位 | 统计数 |\n| (一)收到申请数 | 件 | 20 |\n| 1.当面申请数 | 件 | 5 |\n"
            "| 四、行政复议数量 | 件 | 1 |\n")
    reading = read_legacy(Document(text=text, media_type="text/plain"))
    assert {k: v for k, (v, _) in reading.metrics.items()} == {
        "applications.new.total": 20, "applications.channel.in_person": 5, "review.total": 1}
    assert [f.rule for f in reading.findings] == ["legacy.prose_vs_appendix"]


def test_a_whole_department_report_end_to_end():
    """A Beijing-template department report (written for this test from the template's sentences): its own
    figures and consultations in, the city's total, last year's figure, deltas and shares out."""
    from pathlib import Path

    from parser import parse

    record = parse((Path(__file__).parent / "data" / "legacy_department_2013.txt").read_bytes(), "text/plain")
    assert (record.year, record.agency, record.format) == (2013, "北京市园林绿化局", "legacy")
    assert record.metrics == {
        "proactive.items": 312, "applications.new.total": 15, "applications.channel.in_person": 3,
        "applications.channel.fax": 0, "applications.channel.online": 10, "applications.channel.letter": 2,
        "applications.replied": 15, "applications.granted.total": 8, "applications.partial.total": 2,
        "applications.not_exist": 3, "applications.not_own": 2, "fees.collected_yuan": 0,
        "review.total": 0, "litigation.total": 0, "appeals.total": 0, "staff.full_time": 2, "staff.part_time": 5,
        "consultations.total": 120, "consultations.onsite": 50, "consultations.phone": 60, "consultations.online": 10,
    }
    assert record.findings == []
