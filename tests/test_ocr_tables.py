"""OCR boxes -> lines and ruled grids, OCR evidence and findings, ``compare --no-ocr``: no engine needed.

The boxes are the shapes RapidOCR gives (a word's box in points, its confidence); the grid comes
from ruling lines drawn on a real image (numpy), as a scan's table has them.
"""
from __future__ import annotations

import numpy as np
import pytest

from parser.extract.ocr import OcrDocument
from parser.extract.ocr_tables import (OcrWord, fix_digit_confusions, ink_without_words, line_text,
                                       page_items_from_words, rotate, ruled_cells, skew_angle, unrotate_box,
                                       words_to_lines)
from parser.ocr_evidence import OCR_MIN_CONFIDENCE, review_ocr
from parser.record import Evidence, Finding, Record


def _word(text, x0, top, x1, bottom, conf=0.99, page=1):
    return OcrWord(text, (x0, top, x1, bottom), conf, page)


def test_words_are_lines_by_baseline_and_wide_gaps_are_tabs():
    words = [_word("12", 300, 101, 312, 111), _word("申请人", 50, 100, 90, 112), _word("3", 200, 102, 206, 111),
             _word("总计", 50, 130, 76, 142)]
    lines = words_to_lines(words)
    assert [[w.text for w in ln] for ln in lines] == [["申请人", "3", "12"], ["总计"]]
    assert line_text(lines[0]) == "申请人\t3\t12"
    assert line_text([_word("本年", 0, 0, 24, 12), _word("新收", 26, 0, 50, 12)]) == "本年新收"


def test_letters_read_for_digits_become_digits_with_a_doubtful_confidence():
    assert fix_digit_confusions("o", 0.95) == ("0", 0.5)
    assert fix_digit_confusions("1O", 0.9) == ("10", 0.5)
    assert fix_digit_confusions("12", 0.9) == ("12", 0.9)
    assert fix_digit_confusions("总计", 0.9) == ("总计", 0.9)


@pytest.fixture(scope="module")
def ruled_page():
    """A 3x3 ruled table (cells 100 px) on a white 600x500 page; one cell with ink and no word."""
    img = np.full((500, 600), 255, np.uint8)
    for y in (100, 200, 300, 400):
        img[y:y + 2, 100:402] = 0
    for x in (100, 200, 300, 400):
        img[100:402, x:x + 2] = 0
    img[340:360, 340:350] = 0  # a digit the detector missed
    return img


def test_ruling_lines_give_the_cells_and_words_fill_the_grid(ruled_page):
    cells = ruled_cells(ruled_page)
    assert len(cells) == 9 and {c.table for c in cells} == {0}
    scale = 2.0  # pixels per point
    boxes = [(c.table, tuple(v / scale for v in c.box)) for c in cells]
    words = [_word("项目", 60, 60, 90, 70), _word("5", 120, 60, 125, 70), _word("7", 170, 110, 175, 120),
             _word("标题行", 60, 20, 120, 30)]
    items, parts = page_items_from_words(words, boxes, page=1)
    assert items == ["标题行", 0]
    grid = parts[0].grid
    assert grid[0][:2] == ["项目", "5"] and grid[1][2] == "7"
    x0, top, x1, bottom = parts[0].boxes[0][1]
    assert x0 <= 122 <= x1 and top <= 65 <= bottom
    px_words = [tuple(v * scale for v in w.bbox) for w in words]
    missing = ink_without_words(ruled_page, cells, px_words)
    assert len(missing) == 1 and missing[0].box[0] >= 300 and missing[0].box[1] >= 300


def test_a_tilted_scan_is_straightened_and_its_boxes_mapped_back(ruled_page):
    assert skew_angle(ruled_page) == 0.0
    tilted = rotate(ruled_page, 1.2)
    angle = skew_angle(tilted)
    assert angle == pytest.approx(-1.2, abs=0.15)
    straight = rotate(tilted, angle)
    assert len(ruled_cells(straight)) == 9  # the grid is whole again
    box = (100.0, 100.0, 200.0, 200.0)
    assert unrotate_box(box, 0.0, (600, 500)) == box
    x0, top, x1, bottom = unrotate_box(box, angle, (600, 500))
    assert x0 < 100 < 200 < x1 + 5 and top < 200 and bottom > 100 and (x1 - x0) < 110


def _ocr_record():
    record = Record(format="gb2021")
    record.set_metric("applications.new.total", 42, Evidence("table", page=2, table=0, row="本年新收",
                                                             column="总计", bbox=(100, 200, 140, 220)))
    record.set_metric("applications.carried_in.total", 7, Evidence("text", snippet="上年结转7件"))
    record.set_metric("review.total", 3, Evidence("table", page=1, table=1, row="行政复议", column="总计"))
    record.set_metric("applications.total", 49, Evidence("derived", snippet="a + b"))
    words = [OcrWord("42", (110, 202, 130, 218), 0.97, 2), OcrWord("上年结转7件", (50, 50, 200, 62), 0.6, 2),
             OcrWord("3", (10, 10, 14, 20), 0.99, 1)]
    doc = OcrDocument(text="", media_type="application/pdf", ocr_words=words, ocr_pages=[2])
    return record, doc


def test_numbers_from_ocr_pages_get_ocr_evidence_and_doubtful_ones_findings():
    record, doc = _ocr_record()
    rule = Finding("applications.balance", "error", "x", {"applications.new.total": 42, "other": 1})
    findings = review_ocr(record, doc, [rule])
    ev = record.evidence["applications.new.total"]
    assert (ev.where, ev.confidence, ev.bbox) == ("ocr", 0.97, (100, 200, 140, 220))
    prose = record.evidence["applications.carried_in.total"]
    assert (prose.where, prose.page, prose.confidence, prose.bbox) == ("ocr", 2, 0.6, (50, 50, 200, 62))
    assert record.evidence["review.total"].where == "table"  # page 1 has a text layer
    assert record.evidence["applications.total"].where == "derived"
    rules = [f.rule for f in findings]
    assert rules.count("ocr.low_confidence") == 1 and prose.confidence < OCR_MIN_CONFIDENCE
    assert "ocr.rule_failed" in rules and "ocr.read" in rules
    failed = next(f for f in findings if f.rule == "ocr.rule_failed")
    assert failed.values == {"applications.new.total": 42}


def test_a_record_without_ocr_gets_no_ocr_findings():
    record, _ = _ocr_record()
    from parser.document import Document

    assert review_ocr(record, Document(text="", media_type="text/html"), []) == []
    assert record.evidence["applications.new.total"].where == "table"


def test_compare_no_ocr_leaves_out_the_numbers_read_by_ocr(tmp_path):
    import csv
    import hashlib

    from archive.home import Home
    from conftest import run_cli

    home = tmp_path / "home"
    record, doc = _ocr_record()
    review_ocr(record, doc, [])
    record.title, record.year, record.region, record.agency = "某县2023年政府信息公开工作年度报告", 2023, "浙江省某县", None
    data = record.to_dict()
    sha = hashlib.sha256(b"scan").hexdigest()
    data["source"] = {"url": "https://www.example.gov.cn/scan.pdf", "sha256": sha, "media_type": "application/pdf",
                      "fetched_at": None}
    with Home.open(home, create=True) as h:
        d, _ = h.catalog.add_document(sha, 4, "application/pdf",
                                      source={"kind": "crawl", "url": data["source"]["url"], "site": "s"})
        h.catalog.save_record(d.id, data, data["source"]["url"])

    def compare(*extra):
        out = tmp_path / f"out{len(extra)}.csv"
        r = run_cli("compare", "--metrics", "all", "--shape", "long", "--headers", "keys", "-o", str(out),
                    "--home", str(home), *extra)
        assert r.returncode == 0, r.stderr
        with out.open(encoding="utf-8-sig") as fh:
            return {row["metric"]: row for row in csv.DictReader(fh)}

    every, without = compare(), compare("--no-ocr")
    assert {"applications.new.total", "applications.carried_in.total", "review.total"} <= set(every)
    assert every["applications.new.total"]["evidence"].startswith("ocr p.2")
    assert "applications.new.total" not in without and "applications.carried_in.total" not in without
    assert "applications.total" in every and "applications.total" not in without  # derived from OCR parts
    assert without["review.total"]["value"] == "3"


def test_a_change_read_by_ocr_without_a_minus_sign_is_a_finding():
    record = Record(format="gb2019")
    record.set_metric("penalty.change", 4, Evidence("table", page=1, table=0, row="行政处罚", column="本年增减",
                                                    bbox=(0, 0, 20, 20)))
    record.set_metric("licensing.change", -3, Evidence("table", page=1, table=0, row="行政许可", column="本年增减",
                                                       bbox=(0, 30, 20, 50)))
    doc = OcrDocument(text="", media_type="application/pdf", ocr_pages=[1],
                      ocr_words=[OcrWord("4", (5, 5, 10, 15), 0.99, 1), OcrWord("-3", (5, 35, 12, 45), 0.99, 1)])
    findings = review_ocr(record, doc, [])
    assert [f.values for f in findings if f.rule == "ocr.sign_unsure"] == [{"penalty.change": 4, "page": 1}]
