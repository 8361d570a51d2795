"""PDF reader on reportlab-made reports: a built-in CID font and an embedded TrueType CJK font,
a table cut across pages (with and without its header repeated), a table without vertical
rules, a fake bold, and the bad cases (encrypted, image-only, truncated)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from extract_samples import (TABLE2_GB2021, TABLE3_ROWS, TABLE4, boxed_table_pdf, cjk_ttf_path, encrypted_pdf,  # noqa: E402
                             fake_bold_pdf, image_only_pdf, report_pdf)
from parser.errors import UnreadableError  # noqa: E402
from parser.extract import extract  # noqa: E402
from parser.settings import ParseSettings  # noqa: E402

FONTS = ["cid", pytest.param("ttf", marks=pytest.mark.skipif(
    cjk_ttf_path() is None, reason="no CJK TrueType font: pip install paperang-p2-fonts-cjk (a dev dependency)"))]


@pytest.fixture(scope="module", params=FONTS)
def report(request):
    return extract(report_pdf(request.param), "application/pdf")


def test_three_tables_with_captions_and_pages(report):
    assert [len(t.grid) for t in report.tables] == [4, 3 + len(TABLE3_ROWS), 4]
    assert [t.caption for t in report.tables] == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                                  "四、政府信息公开行政复议、行政诉讼情况"]
    t2, t3, t4 = report.tables
    assert t3.page == t2.page + 1 and set(t3.row_pages) == {t3.page, t3.page + 1}
    assert t3.page_of_row(len(t3.grid) - 1) == t3.page + 1
    assert report.meta["pdf_title"] == "某某市2020年政府信息公开工作年度报告"
    assert len(report.page_texts) >= t4.page and report.page_texts[-1].endswith("2021年1月28日")
    assert report.title == "某某市2020年政府信息公开工作年度报告"


def test_ruled_table_grid_has_merged_cells_repeated(report):
    t2, t3, t4 = report.tables
    assert t2.grid[0] == ["第二十条第（一）项"] * 4
    assert t2.grid[1:] == TABLE2_GB2021[1:]
    assert t4.grid[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert t4.grid[2][5:10] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert t4.grid[3] == TABLE4[3]


def test_table_cut_across_pages_is_one_table_with_its_header_once(report):
    t3 = report.tables[1]
    assert all(len(r) == 10 for r in t3.grid)
    assert t3.grid[2][3:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    body = t3.grid[3:]
    assert [r[3:] for r in body] == [r[3:] for r in TABLE3_ROWS]
    assert body[0][:3] == ["一、本年新收政府信息公开申请数量"] * 3
    assert body[6][1:3] == ["（三）不予公开", "3.危及“三安全一稳定”"]
    assert body[-1][0] == "四、结转下年度继续办理"
    assert sum(1 for r in t3.grid if r[3] == "申请人情况") == 1


def test_text_reads_in_order_with_tables_as_tab_lines(report):
    lines = report.text.splitlines()
    assert lines[0] == "某某市2020年政府信息公开工作年度报告"
    i = lines.index("二、主动公开政府信息情况")
    assert lines[i + 2] == "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"
    assert lines[-2:] == ["某某市人民政府办公室", "2021年1月28日"]
    # wrapped lines are joined into paragraphs; no paragraph is lost or doubled
    assert sum("全年共主动公开政府信息一万余条。" in ln for ln in lines) == 6 * 7 + 1
    assert sum(ln.startswith("（本列数据") for ln in lines) == 3


def test_table_continued_without_repeated_header():
    doc = extract(report_pdf(repeat_header=False), None)
    t3 = doc.tables[1]
    assert len(t3.grid) == 3 + len(TABLE3_ROWS)
    assert [r[3:] for r in t3.grid[3:]] == [r[3:] for r in TABLE3_ROWS]


def test_table_without_vertical_rules():
    doc = extract(report_pdf(ruled=False), None)
    t2 = doc.tables[0]
    assert t2.caption == "二、主动公开政府信息情况"
    assert t2.grid[1:] == TABLE2_GB2021[1:]


def test_fake_bold_and_spaced_characters_are_repaired():
    for font in ("cid", "ttf") if cjk_ttf_path() else ("cid",):
        lines = extract(fake_bold_pdf(font), None).text.splitlines()
        assert lines[0] == "一、总体情况" and lines[2] == "二、主动公开政府信息情况"
        assert lines[-1] == "宿州市人民政府"


def test_encrypted_pdf():
    with pytest.raises(UnreadableError) as exc:
        extract(encrypted_pdf(), None)
    assert exc.value.reason == "encrypted_pdf"


def test_image_only_pdf():
    with pytest.raises(UnreadableError) as exc:
        extract(image_only_pdf(), None)
    assert exc.value.reason == "image_only_pdf"


@pytest.mark.parametrize("share", [0.1, 0.5, 0.95])
def test_truncated_pdf(share):
    data = report_pdf(filler_pages=2)
    with pytest.raises(UnreadableError) as exc:
        extract(data[:int(len(data) * share)], None)
    assert exc.value.reason == "truncated_pdf"


def test_page_limit_reads_the_first_pages_with_a_warning():
    doc = extract(report_pdf(filler_pages=4), None, settings=ParseSettings(max_pdf_pages=2))
    assert len(doc.page_texts) == 2 and doc.tables == []
    assert any("first 2 of" in w for w in doc.warnings)


@pytest.mark.parametrize("in_form", [False, True])
def test_borders_drawn_as_thin_boxes_on_the_page_or_in_a_form(in_form):
    doc = extract(boxed_table_pdf("ttf" if cjk_ttf_path() else "cid", in_form=in_form), None)
    assert [t.grid for t in doc.tables] == [TABLE2_GB2021[1:]]
    assert doc.tables[0].caption == "二、主动公开政府信息情况"


@pytest.mark.skipif(cjk_ttf_path() is None, reason="needs the embedded TrueType font (paperang-p2-fonts-cjk): "
                    "with a font that is not embedded pdfium loses text and the reader uses pdfplumber")
def test_pdfium_page_view_finds_the_same_tables_as_pdfplumber():
    """The fast path (pdfplumber's finder over pdfium's edges and chars) against pdfplumber proper."""
    import io

    import pdfplumber
    import pypdfium2 as pdfium

    from parser.extract.pdf_fastpage import fast_page
    from parser.extract.pdf_tables import page_tables

    data = report_pdf("ttf")
    pdf = pdfium.PdfDocument(data)
    with pdfplumber.open(io.BytesIO(data)) as pl:
        compared = 0
        for i, page in enumerate(pl.pages):
            slow = page_tables(page, i + 1)
            view = fast_page(pdf[i], pdf[i].get_textpage())
            if view is None or not slow:
                continue
            fast = page_tables(view, i + 1)
            assert [t.grid for t in fast] == [t.grid for t in slow]
            compared += 1
    assert compared >= 3


def test_rules_drawn_as_one_path():
    from extract_samples import one_path_grid_pdf
    doc = extract(one_path_grid_pdf("ttf" if cjk_ttf_path() else "cid"), None)
    assert [t.grid for t in doc.tables] == [TABLE2_GB2021[1:]]


def test_table_with_rules_above_rows_only_and_a_merged_header():
    from extract_samples import open_table_pdf
    doc = extract(open_table_pdf("ttf" if cjk_ttf_path() else "cid"), None)
    (t4,) = doc.tables
    assert t4.caption == "四、政府信息公开行政复议、行政诉讼情况"
    # merged header cells without rules around them are spread over the columns they centre on
    assert t4.grid[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert t4.grid[1][5:] == ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert t4.grid[2][5:10] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert t4.grid[-1] == TABLE4[3]
