"""Issue 15, "every number linked to its evidence": the parser records where each table cell is.

PDF: every metric read from a table cell has its page and the cell's box; pdfplumber's words of
the number lie inside the box and cropping the page at the box reads the number back (ruled
tables, tables ruled by horizontal lines only, a table run over a page break); a number read
from prose has the box of its digits (the real 余杭 2017 report set as a PDF). HTML/DOCX: the
cell's (row, column) in the parser's grid of table ``Evidence.table`` holds the number, and the
archived HTML (read with lxml) has a cell of that text. The new fields survive the record's JSON,
the catalog and `xxgk show --json`; ``archive.page_images.render_page`` draws a page whose box holds ink.
"""
from __future__ import annotations

import io
import json
import sys
import unicodedata
from pathlib import Path

import pdfplumber
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import run_cli  # noqa: E402
from extract_samples import report_docx, report_html, report_pdf  # noqa: E402
from parser import parse  # noqa: E402
from parser.extract import extract  # noqa: E402
from parser.record import Evidence, Record  # noqa: E402

PDF = "application/pdf"


def _squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).replace(",", "")


def _number_text(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@pytest.fixture(scope="module", params=["ruled", "open"])
def pdf_report(request):
    """(bytes, record) of a 9-page template report; "open": table 2 without vertical rules."""
    data = report_pdf(ruled=request.param == "ruled")
    return data, parse(data, PDF)


def _table_metrics(record: Record) -> dict[str, tuple[float, Evidence]]:
    return {k: (v, record.evidence[k]) for k, v in record.metrics.items() if record.evidence[k].where == "table"}


def test_every_pdf_table_metric_has_its_page_and_a_box_that_crops_to_its_number(pdf_report):
    data, record = pdf_report
    metrics = _table_metrics(record)
    assert len(metrics) > 150
    pages = set()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for key, (value, ev) in metrics.items():
            assert ev.page is not None and ev.bbox is not None and ev.cell is None, key  # a box, not a grid index
            x0, top, x1, bottom = ev.bbox
            page = pdf.pages[ev.page - 1]
            assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height, (key, ev.bbox)
            assert _squeeze(page.crop(ev.bbox).extract_text()) == _number_text(value), (key, ev)
            pages.add(ev.page)
    assert len(pages) >= 3  # tables 2, 3 (run over a page break) and 4 are on different pages


def test_the_words_of_a_known_cell_lie_inside_its_box(pdf_report):
    """Table 4's first figure (行政复议 维持 = 1) and a table 3 row on the page after the break."""
    data, record = pdf_report
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for key in ("review.upheld", "applications.granted.total"):
            ev = record.evidence[key]
            words = [w for w in pdf.pages[ev.page - 1].extract_words()
                     if w["text"] == _number_text(record.metrics[key])]
            inside = [w for w in words if ev.bbox[0] <= w["x0"] and w["x1"] <= ev.bbox[2]
                      and ev.bbox[1] <= w["top"] and w["bottom"] <= ev.bbox[3]]
            assert len(inside) == 1, (key, ev, words)


def test_a_row_after_the_page_break_is_on_its_own_page(pdf_report):
    _, record = pdf_report
    t3 = [ev for k, ev in record.evidence.items() if k.startswith("applications.") and ev.where == "table"]
    assert {ev.table for ev in t3} == {1}
    assert len({ev.page for ev in t3}) == 2, "table 3 runs over two pages"


@pytest.fixture(scope="module")
def prose_pdf():
    """The real 余杭 2017 report (tests/data/samples) set as a PDF: its numbers are in prose."""
    import html

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK")
    text = (Path(__file__).parent / "data" / "samples" / "yuhang-2017.txt").read_text(encoding="utf-8")
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(html.escape(ln), style) for ln in text.splitlines() if ln.strip()])
    data = buf.getvalue()
    return data, parse(data, PDF)


def _assert_boxes_spell_the_numbers(data: bytes, record: Record, evidence: dict[str, Evidence]) -> None:
    """The characters whose centres lie in each box (pdfplumber's, not PDFium's) write the value."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for key, ev in evidence.items():
            x0, top, x1, bottom = ev.bbox
            chars = [c for c in pdf.pages[ev.page - 1].chars
                     if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            assert "".join(c["text"] for c in chars) == _number_text(record.metrics[key]), (key, ev)


def test_a_number_of_a_table_written_as_text_lines_has_the_box_of_its_line():
    """A real report's tables pasted as one cell a line (tests/data/text_tables, 雁塔区 2020), set as a
    PDF without rules: every value read by the text-table reader is boxed on its page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    text = (Path(__file__).parent / "data" / "text_tables" / "shaanxi-xian-yanta-tzhzj-2020.txt").read_text(encoding="utf-8")
    buf = io.BytesIO()
    c, y = canvas.Canvas(buf), 800
    c.setFont("STSong-Light", 10)
    for line in filter(str.strip, text.splitlines()):
        c.drawString(50, y, line)
        y -= 14
        if y < 50:
            c.showPage()
            c.setFont("STSong-Light", 10)
            y = 800
    c.save()
    data = buf.getvalue()
    record = parse(data, PDF)
    read = {k: ev for k, ev in record.evidence.items() if ev.where == "text"}
    assert len(read) > 60 and all(ev.bbox is not None for ev in read.values())
    assert len({ev.page for ev in read.values()}) > 1
    _assert_boxes_spell_the_numbers(data, record, read)


def test_a_number_read_from_prose_has_the_box_of_its_digits(prose_pdf):
    data, record = prose_pdf
    prose = {k: ev for k, ev in record.evidence.items() if ev.where == "text"}
    boxed = {k: ev for k, ev in prose.items() if ev.bbox is not None}
    assert len(prose) >= 20 and len(boxed) >= 0.8 * len(prose)
    _assert_boxes_spell_the_numbers(data, record, boxed)
    # 108 is said twice in its sentence (已主动公开 108, 不同意公开 108): which one is not guessed
    assert record.metrics["applications.already_public"] == 108
    assert record.evidence["applications.already_public"].bbox is None


def _grid_value(doc, ev: Evidence) -> str:
    table = next(t for t in doc.tables if t.index == ev.table)
    row, col = ev.cell
    return table.grid[row][col]


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_html_and_docx_cells_index_the_parsers_grid(kind):
    data, media = ((report_html(), "text/html") if kind == "html" else
                   (report_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    record, doc = parse(data, media), extract(data, media)
    metrics = _table_metrics(record)
    assert len(metrics) > 10
    for key, (value, ev) in metrics.items():
        assert ev.cell is not None and ev.bbox is None and ev.page is None, key
        assert _squeeze(_grid_value(doc, ev)) == _number_text(value), (key, ev)
        assert Evidence.from_dict(json.loads(json.dumps(ev.to_dict()))) == ev


def test_the_archived_html_holds_the_cell_the_evidence_names():
    """The grid the parser indexes is the page's own cells: in the archived HTML (read with lxml)
    the row labelled as the evidence says holds a <td> of the number, as many cells in as the grid
    says once the spans before it are counted."""
    from lxml import html as lxml_html

    data = report_html()
    record = parse(data, "text/html")
    ev = record.evidence["applications.new.total"]
    label = ev.row.split(" / ")[-1]
    rows = [tr for tr in lxml_html.fromstring(data).iter("tr")
            if any(_squeeze(td.text_content()) == _squeeze(label) for td in tr)]
    assert len(rows) == 1
    slots = [_squeeze(td.text_content()) for td in rows[0] for _ in range(int(td.get("colspan", 1)))]
    value = _number_text(record.metrics["applications.new.total"])
    assert slots[-1] == value and ev.cell[1] == len(slots) - 1  # the last column: 总计


def test_a_number_from_an_attached_table_points_at_no_cell_of_the_page():
    """The web page looks a cell up in the report's own document: an attachment's cell is not there."""
    from test_parser_pipeline_attachments import APPENDIX_URL, appendix_docx

    from conftest import SAMPLES
    from parser import Attachment

    page = (SAMPLES / "hainan-haitang-2015.txt").read_bytes()
    record = parse(page, "text/plain", attachments=[Attachment(appendix_docx(), None, APPENDIX_URL)])
    attached = [ev for ev in record.evidence.values() if ev.snippet == f"附件 {APPENDIX_URL}"]
    assert len(attached) > 5 and all(ev.cell is None and ev.bbox is None for ev in attached)


def test_a_table_kept_as_text_rows_points_at_no_cell():
    """A copy that keeps its appendix as "a | b | c" lines has no table for a cell to index."""
    from test_parser_legacy_appendix import NATIONAL_ROWS

    from parser.document import Document
    from parser.legacy import read_legacy

    text = "附表:\n" + "\n".join(" | ".join(row) for row in NATIONAL_ROWS) + "\n正文。"
    reading = read_legacy(Document(text=text, media_type="text/html"))
    cells = [ev for _, ev in reading.metrics.values() if ev.where == "table"]
    assert len(cells) > 5 and all(ev.cell is None for ev in cells)


def test_geometry_survives_the_records_json(pdf_report):
    _, record = pdf_report
    d = json.loads(json.dumps(record.to_dict(), ensure_ascii=False))
    ev = d["evidence"]["review.upheld"]
    assert len(ev["bbox"]) == 4 and all(round(v, 1) == v for v in ev["bbox"])
    assert Record.from_dict(d).to_dict() == d
    plain = Evidence(where="text", snippet="收到申请10件", page=2)
    assert "bbox" not in plain.to_dict() and "cell" not in plain.to_dict()  # only where known


@pytest.mark.slow
def test_xxgk_show_json_carries_the_box_from_the_catalog(tmp_path):
    data = report_pdf()
    record = parse(data, PDF)
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    home = str(tmp_path / "home")
    r = run_cli("import", str(path), "--home", home, "--no-index", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(run_cli("reports", "--json", "--home", home).stdout)
    shown = json.loads(run_cli("show", str(rows[0]["id"]), "--json", "--home", home).stdout)
    evidence = shown.get("evidence") or shown["record"]["evidence"]
    assert evidence["review.upheld"]["bbox"] == record.evidence["review.upheld"].to_dict()["bbox"]
    assert evidence["review.upheld"]["page"] == record.evidence["review.upheld"].page


def test_render_page_draws_the_page_and_the_box_holds_ink(pdf_report):
    from PIL import Image

    from archive.page_images import render_page

    data, record = pdf_report
    ev = record.evidence["review.upheld"]
    png, width, height, scale = render_page(data, ev.page)
    image = Image.open(io.BytesIO(png)).convert("L")
    assert max(image.size) == 1600 and abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    assert abs(image.size[0] - width * scale) <= 1
    x0, top, x1, bottom = (round(v * scale) for v in ev.bbox)
    inner = image.crop((x0 + 2, top + 2, x1 - 2, bottom - 2))  # inside the rules: the digit's ink
    assert min(inner.get_flattened_data()) < 160
    blank = image.crop((5, 5, 30, 30))  # the page's corner margin
    assert min(blank.get_flattened_data()) > 240


def test_render_page_refuses_bad_input_with_one_line(pdf_report):
    from archive.errors import InputError
    from archive.page_images import render_page
    from parser.errors import ParseTimeoutError
    from parser.extract.budget import Deadline

    data, _ = pdf_report
    for args, says in (((data, 0), "no page 0"), ((data, 99), "no page 99"), ((b"not a pdf", 1), "cannot be opened")):
        with pytest.raises(InputError, match=says):
            render_page(*args)
    with pytest.raises(InputError, match="between"):
        render_page(data, 1, max_px=100_000)
    with pytest.raises(ParseTimeoutError):
        render_page(data, 1, deadline=Deadline(0.0))
