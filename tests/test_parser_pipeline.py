"""parser.parse end to end: fixture reports (tests/fixtures/reportgen.py) in every layout and both
template formats must come back exactly: every cell, the derived headline metrics, the metadata."""
from __future__ import annotations

import hashlib
import importlib.util

import pytest

from fixtures.reportgen import FORMATS, LAYOUTS, PROSE_METRICS, break_record, parsed_metrics, random_record, render, ttf_font_path
from parser import NotAReportError, ParseError, ParseTimeoutError, parse, parse_debug
from parser.pipeline import PARSER_VERSION

META = ("title", "year", "region", "region_code", "agency", "published", "format")
DERIVED = ("applications.denied.total", "litigation.total")


def _reader_available(layout: str) -> bool:
    kind = LAYOUTS[layout].renderer
    return kind in ("html", "text") or importlib.util.find_spec(f"parser.extract.{kind}") is not None


def _render_or_skip(record: dict, layout: str) -> tuple[bytes, str]:
    if not _reader_available(layout):
        pytest.skip(f"no {LAYOUTS[layout].renderer} reader in parser.extract yet")
    if LAYOUTS[layout].font == "ttf" and ttf_font_path() is None:
        pytest.skip("no TrueType CJK font installed (dev dependency paperang-p2-fonts-cjk)")
    return render(record, layout)


def _assert_same(record, truth: dict, cells_from: str = "table") -> None:
    assert {k: getattr(record, k) for k in META} == {k: truth[k] for k in META}
    assert record.metrics == parsed_metrics(truth)
    for key, ev in record.evidence.items():
        assert ev.where == ("derived" if key in DERIVED else "text" if key in PROSE_METRICS else cells_from), key
    assert set(record.evidence) == set(record.metrics)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", [name for name in LAYOUTS if LAYOUTS[name].renderer == "html"])
def test_html_layouts_parse_back_exactly(fmt, layout):
    truth = random_record(fmt, seed=11, blanks=0.4)
    data, media_type = render(truth, layout)
    record = parse(data, media_type, url="https://www.example.gov.cn/art/2022/1/1/art_1.html")
    _assert_same(record, truth)
    assert record.findings == []
    assert record.parser_version == PARSER_VERSION
    assert record.source.url.endswith("art_1.html")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", [name for name in LAYOUTS if LAYOUTS[name].renderer != "html"])
def test_pdf_and_docx_layouts_parse_back_exactly(fmt, layout):
    truth = random_record(fmt, seed=12, blanks=0.3)
    data, media_type = _render_or_skip(truth, layout)
    record = parse(data, media_type)
    # a text copy has no grids: its rows are lines, and the lines are the evidence
    _assert_same(record, truth, "text" if LAYOUTS[layout].renderer == "text" else "table")
    assert record.findings == []


@pytest.mark.slow
def test_pdf_evidence_names_the_page_of_a_table_cut_across_pages():
    truth = random_record("gb2021", seed=5)
    data, media_type = _render_or_skip(truth, "pdf_pagecut")
    record = parse(data, media_type)
    pages = {record.evidence[f"applications.{row}.total"].page for row in ("new", "carried_out")}
    assert pages == {2, 3}


def test_evidence_of_a_cell_names_table_row_and_column_as_written():
    truth = random_record("gb2019", seed=3)
    record = parse(*render(truth, "html_word"))
    ev = record.evidence["applications.denied.process.social"]
    assert ev.row == "三、本年度办理结果 / （三）不予公开 / 6.属于四类过程性信息"
    assert ev.column == "申请人情况 / 法人或其他组织 / 社会公益组织"
    proc = record.evidence["procurement.amount_yuan"]
    assert proc.snippet.endswith("万元")  # written in 万元, stored in 元
    derived = record.evidence["litigation.total"]
    assert derived.snippet == "litigation.total = litigation_direct.total + litigation_after_review.total"


def test_a_2022_report_that_fills_the_2019_tables_is_gb2019():
    truth = random_record("gb2019", seed=4)
    truth["year"], truth["published"] = 2022, "2023-01-20"
    truth["title"] = truth["title"].replace("2019年", "2022年").replace("2020年", "2022年")
    record = parse(*render(truth, "html_clean"))
    assert (record.year, record.format) == (2022, "gb2019")


def test_inconsistent_report_gives_its_findings_and_keeps_its_numbers():
    truth, expected = break_record(random_record("gb2021", seed=8), "review_sum")
    record = parse(*render(truth, "html_split3"))
    assert record.metrics == parsed_metrics(truth)
    assert [(f.rule, f.values["review.total"]) for f in record.findings] == [("review.sum", truth["metrics"]["review.total"])]


def test_debug_keeps_every_stage():
    dbg = parse_debug(*render(random_record("gb2021", seed=2), "html_clean"))
    assert dbg.recognized[0] is True and dbg.format == "gb2021"
    assert len(dbg.document.tables) >= 3 and dbg.record.metrics


@pytest.mark.parametrize("page", [
    "<html><body><ul>" + "".join(f'<li><a href="/{y}.html">某某区{y}年政府信息公开工作年度报告</a> {y + 1}-01-20</li>'
                                 for y in range(2008, 2024)) + "</ul></body></html>",
    "<html><head><title>某某区2023年政府信息公开工作年度报告的问答解读</title></head><body><h1>某某区2023年政府信息公开工作年度报告的问答解读</h1>"
    "<p>问：本年度报告有哪些亮点？答：本年度报告全面反映了我区政府信息公开工作情况，依据《中华人民共和国政府信息公开条例》编制。</p></body></html>",
    "<html><head><title>关于做好2023年政府信息公开工作年度报告编制发布工作的通知</title></head><body>"
    "<h1>关于做好2023年政府信息公开工作年度报告编制发布工作的通知</h1><p>各镇人民政府、街道办事处，区政府各部门：</p>"
    "<p>根据《中华人民共和国政府信息公开条例》规定，现就做好2023年政府信息公开工作年度报告编制发布工作通知如下：年度报告统计期限为"
    "2023年1月1日至12月31日，请于2024年1月31日前在政府网站发布。</p></body></html>",
])
def test_near_miss_pages_are_not_reports(page):
    with pytest.raises(NotAReportError):
        parse(page.encode("utf-8"), "text/html")


def test_strict_mode_refuses_a_cell_it_cannot_place():
    truth = random_record("gb2021", seed=6)
    html = render(truth, "html_clean")[0].decode("utf-8")
    # a row no template has, with a number in it
    html = html.replace("<tr><td>（七）总计</td>", "<tr><td>（八）其他情况说明</td>" + "<td>1</td>" * 7 + "</tr><tr><td>（七）总计</td>", 1)
    record = parse(html.encode("utf-8"), "text/html")
    assert [f.rule for f in record.findings] == ["table.unplaced"] * 7
    assert record.metrics == parsed_metrics(truth)
    with pytest.raises(ParseError) as err:
        parse(html.encode("utf-8"), "text/html", settings={"strict": True})
    assert err.value.reason == "unplaced_cell"


def test_a_template_report_without_readable_tables_says_so():
    truth = random_record("gb2019", seed=6)
    html = render(truth, "html_clean")[0].decode("utf-8")
    text_only = html.replace("<table", "<div").replace("</table>", "</div>").replace("<td", "<span").replace(
        "</td>", "</span>").replace("<tr>", "<p>").replace("</tr>", "</p>")
    record = parse(text_only.encode("utf-8"), "text/html")
    assert record.format == "gb2019"
    assert "tables.missing" in [f.rule for f in record.findings]


def test_source_time_budget_and_stage_notes():
    data, media_type = render(random_record("gb2021", seed=7), "html_clean")
    dbg = parse_debug(data, media_type)
    assert dbg.record.source.sha256 == hashlib.sha256(data).hexdigest()
    assert dbg.record.source.media_type == "text/html"
    assert [n.split(":")[0] for n in dbg.notes][:3] == ["extract", "recognizing", "reading metadata"]
    with pytest.raises(ParseTimeoutError):
        parse(data, media_type, settings={"time_budget": 1e-9})


@pytest.mark.slow
def test_the_replicas_template_reports_parse_back_exactly():
    """An independent renderer (replica/, which powers `xxgk demo`) drawing the same templates."""
    from replica import ReplicaServer
    from scraper.fetcher import Fetcher
    from scraper.settings import FetchSettings

    checked = 0
    with ReplicaServer(seed=0, delays=0, throttle=False) as rep, \
            Fetcher(FetchSettings(delay=0.0, timeout=5.0), rep.info.hosts, resolve=rep.info.resolve) as fetcher:
        for truth in rep.truth.reports:
            if not truth.reachable or truth.format == "legacy":
                continue
            got = fetcher.fetch(truth.primary_url)
            record = parse(got.body, got.headers.get("content-type"), url=truth.primary_url)
            assert (record.format, record.year) == (truth.format, truth.year), truth.key
            assert record.metrics == truth.metrics, truth.key
            assert record.findings == [], truth.key
            checked += 1
    assert checked >= 20
