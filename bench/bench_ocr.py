"""OCR of image-only reports: characters right, cells right/wrong/missed, wrong cells without a finding, s/page.

Renders real-looking reports to text PDFs in a CJK font from the venv (wqy-microhei of the dev
dependency ``paperang-p2-fonts-cjk``, embedded): the fixture generator's template tables
(``tests/fixtures/reportgen``, gb2021 and gb2019) and the replica's legacy prose
(``replica.render.report_paragraphs``). Each is scanned (``bench/ocr_scans.py``: rendered in grey at
150-200 dpi, clean or with tilt/blur/noise) to an image-only PDF and parsed by ``parser.parse``
with OCR; the text PDF's own parse gives the reference text.

Scores per scan: characters of the reference text found in order in the OCR text (difflib),
cells (the truth's metrics) right / wrong / missed, wrong cells accepted without a finding (no
``ocr.low_confidence``, ``ocr.rule_failed``, rule or ``table.unplaced`` finding names the key),
right cells flagged anyway, and seconds per page. Goals: 0 wrong cells without a finding; >= 98%
of cells read on clean scans.

    .venv/bin/python bench/bench_ocr.py                  # all reports x all conditions
    .venv/bin/python bench/bench_ocr.py --quick          # one report, clean and tilt+blur+noise
    .venv/bin/python bench/bench_ocr.py --write-test-data  # (re)make tests/data/ocr/
"""
from __future__ import annotations

import argparse
import difflib
import html
import io
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ocr_scans import CONDITIONS, scan_pdf  # noqa: E402

TEST_DATA = ROOT / "tests" / "data" / "ocr"
_SPACE = re.compile(r"\s+")


@dataclass
class Sample:
    name: str
    pdf: bytes          # the text PDF
    truth: dict         # metric key -> value


@dataclass
class Score:
    sample: str
    condition: str
    dpi: int
    pages: int
    seconds: float
    chars_right: int = 0
    chars: int = 0
    right: int = 0
    wrong: int = 0
    missed: int = 0
    wrong_unflagged: int = 0
    right_flagged: int = 0
    error: str = ""
    wrong_confidences: list = None  # the recogniser's confidence of each wrong number (threshold tuning)
    right_low: int = 0  # right numbers below OCR_MIN_CONFIDENCE
    wrong_keys: list = None  # (key, truth, read, flagged) of each wrong number


def template_sample(fmt: str, seed: int) -> Sample:
    from tests.fixtures.reportgen import random_record, render

    record = random_record(fmt, seed=seed)
    data, _ = render(record, "pdf_ttf")
    return Sample(f"{fmt}-seed{seed}", data, dict(record["metrics"]))


def legacy_sample(seed: int) -> Sample:
    """A legacy (prose) report of the replica world, drawn in the embedded CJK font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from replica.render import report_paragraphs
    from replica.world import build_world
    from tests.fixtures.reportrender import _pdf_font

    world = build_world(seed)
    report = next(r for r in world.truth.reports if r.format == "legacy" and len(r.metrics) >= 6)
    font = _pdf_font("ttf")
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=18, firstLineIndent=21, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, firstLineIndent=0, fontSize=16, leading=24, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)
    flow = [Paragraph(html.escape(report.title), title)]
    for kind, text in report_paragraphs(report):
        flow.append(Paragraph(html.escape(text), right if kind == "sig" else body))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=40, rightMargin=40, topMargin=50, bottomMargin=50,
                      title=report.title).build(flow)
    return Sample(f"legacy-world{seed}", buf.getvalue(), dict(report.metrics))


def score(sample: Sample, condition: str, dpi: int, reference_text: str) -> Score:
    import pypdfium2 as pdfium

    from parser.ocr_evidence import OCR_MIN_CONFIDENCE
    from parser.pipeline import parse_debug
    from parser.settings import ParseSettings

    tilt, blur, noise = CONDITIONS[condition]
    scan = scan_pdf(sample.pdf, dpi, tilt, blur, noise, seed=len(sample.name))
    pages = len(pdfium.PdfDocument(scan))
    t0 = time.perf_counter()
    try:
        dbg = parse_debug(scan, "application/pdf", settings=ParseSettings(time_budget=1200))
    except Exception as exc:  # a scan that cannot be read at all counts every cell as missed
        return Score(sample.name, condition, dpi, pages, time.perf_counter() - t0, missed=len(sample.truth),
                     error=f"{type(exc).__name__}: {exc}")
    s = Score(sample.name, condition, dpi, pages, time.perf_counter() - t0, wrong_confidences=[],
              wrong_keys=[])
    record = dbg.record
    ref, got = _SPACE.sub("", reference_text), _SPACE.sub("", dbg.document.text)
    matcher = difflib.SequenceMatcher(None, ref, got, autojunk=False)
    s.chars, s.chars_right = len(ref), sum(b.size for b in matcher.get_matching_blocks())
    flagged = {k for f in record.findings for k in f.values}
    flagged |= {f.values.get("row", "") for f in record.findings if f.rule == "table.unplaced"}
    derived = {k for k, ev in record.evidence.items() if ev.where == "derived"}
    for key, value in sample.truth.items():
        got_value = record.metrics.get(key)
        if got_value is None or key in derived:
            s.missed += 1
        elif abs(got_value - value) < 1e-6:
            s.right += 1
            s.right_flagged += key in flagged
            s.right_low += (record.evidence[key].confidence or 1.0) < OCR_MIN_CONFIDENCE
        else:
            s.wrong += 1
            s.wrong_unflagged += key not in flagged
            s.wrong_confidences.append(record.evidence[key].confidence)
            s.wrong_keys.append((key, value, got_value, key in flagged))
    for key in record.metrics.keys() - sample.truth.keys() - derived:  # a number placed where none is
        s.wrong += 1
        s.wrong_unflagged += key not in flagged
    return s


def reference_text(pdf: bytes) -> str:
    from parser.pipeline import parse_debug

    return parse_debug(pdf, "application/pdf").document.text


def write_test_data() -> None:
    """tests/data/ocr/: a gb2021 report's first two pages scanned clean (200 dpi) and noisy (150 dpi), the
    truth of their metrics, and page 2's tables as a PNG with an HTML page showing it."""
    import pypdfium2 as pdfium

    from tests.fixtures.reportgen import random_record, render

    TEST_DATA.mkdir(parents=True, exist_ok=True)
    record = random_record("gb2021", seed=3)
    data, _ = render(record, "pdf_ttf")
    (TEST_DATA / "gb2021-scan.pdf").write_bytes(scan_pdf(data, 200, max_pages=2))
    (TEST_DATA / "gb2021-noisy.pdf").write_bytes(scan_pdf(data, 150, *CONDITIONS["tilt+blur+noise"], max_pages=2))
    truth = {"title": record["title"], "year": record["year"], "metrics": record["metrics"]}
    (TEST_DATA / "gb2021-scan.expected.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n")
    _table_image(record).save(TEST_DATA / "table3.png", optimize=True)
    title = html.escape(record["title"])
    (TEST_DATA / "table3.html").write_text(
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><div class='article'>"
        f"<h1>{title}</h1><p>本报告根据《中华人民共和国政府信息公开条例》要求编制。统计期限自{record['year']}年1月1日起至"
        f"{record['year']}年12月31日止。</p><p>三、收到和处理政府信息公开申请情况</p>"
        f"<p><img src='table3.png' width='800'></p><p>四、政府信息公开行政复议、行政诉讼情况</p>"
        f"<p>{html.escape(record['_office'])}</p></div></body></html>\n", encoding="utf-8")
    print(f"wrote {TEST_DATA}")


def _table_image(record: dict):
    """Table 3 of ``record`` whole, as a picture at 150 dpi (a statistics table pasted as an image)."""
    import numpy as np
    import pypdfium2 as pdfium
    from reportlab.platypus import SimpleDocTemplate

    from tests.fixtures.reportgen import LAYOUTS
    from tests.fixtures.reportlayout import build_tables
    from tests.fixtures.reportrender import _pdf_font, _pdf_table

    font = _pdf_font("ttf")
    tables = [_pdf_table(t, font, False) for t in build_tables(record, LAYOUTS["pdf_ttf"].style) if t.section == 3]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=(595, 1100), leftMargin=40, rightMargin=40, topMargin=20,
                      bottomMargin=20).build(tables)
    pdf = pdfium.PdfDocument(buf.getvalue())
    image = pdf[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    pdf.close()
    rows = np.nonzero((np.asarray(image) < 128).any(axis=1))[0]
    return image.crop((0, max(rows[0] - 20, 0), image.width, min(rows[-1] + 20, image.height)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one report, clean and tilt+blur+noise")
    ap.add_argument("--dpi", type=int, action="append", help="scan resolution (repeatable; default 200)")
    ap.add_argument("--condition", action="append", choices=sorted(CONDITIONS), help="repeatable; default all")
    ap.add_argument("--sample", action="append", help="only these reports (gb2021-seed3, gb2019-seed5, legacy-world0)")
    ap.add_argument("--write-test-data", action="store_true", help="(re)make tests/data/ocr/ and stop")
    ap.add_argument("--json", type=Path, help="also write the scores here")
    args = ap.parse_args(argv)
    if args.write_test_data:
        write_test_data()
        return 0
    samples = [template_sample("gb2021", 3)] if args.quick else \
        [template_sample("gb2021", 3), template_sample("gb2019", 5), legacy_sample(0)]
    samples = [s for s in samples if not args.sample or s.name in args.sample]
    conditions = args.condition or (["clean", "tilt+blur+noise"] if args.quick else list(CONDITIONS))
    dpis = args.dpi or [200]
    scores: list[Score] = []
    for sample in samples:
        ref = reference_text(sample.pdf)
        for dpi in dpis:
            for condition in conditions:
                s = score(sample, condition, dpi, ref)
                scores.append(s)
                print(_row(s), flush=True)
    _summary(scores)
    if args.json:
        args.json.write_text(json.dumps([s.__dict__ for s in scores], indent=1))
    return 0


def _row(s: Score) -> str:
    cells = s.right + s.wrong + s.missed
    return (f"{s.sample:18} {s.condition:16} {s.dpi:4} dpi  chars {s.chars_right}/{s.chars} "
            f"({100 * s.chars_right / max(s.chars, 1):.1f}%)  cells right {s.right}/{cells} "
            f"({100 * s.right / max(cells, 1):.1f}%) wrong {s.wrong} missed {s.missed}  "
            f"wrong without finding {s.wrong_unflagged}  right flagged {s.right_flagged} "
            f"(low confidence {s.right_low})  "
            f"wrong confidences {[round(c or 0, 2) for c in s.wrong_confidences or []]}  "
            f"{s.seconds / max(s.pages, 1):.1f} s/page{'  ERROR ' + s.error if s.error else ''}"
            + (f"\n    wrong (key, truth, read, flagged): {s.wrong_keys}" if s.wrong_keys else ""))


def _summary(scores: list[Score]) -> None:
    print("\nby condition (all reports):")
    for condition in dict.fromkeys(s.condition for s in scores):
        group = [s for s in scores if s.condition == condition]
        cells = sum(s.right + s.wrong + s.missed for s in group)
        right, wrong = sum(s.right for s in group), sum(s.wrong for s in group)
        chars, chars_right = sum(s.chars for s in group), sum(s.chars_right for s in group)
        pages, secs = sum(s.pages for s in group), sum(s.seconds for s in group)
        print(f"  {condition:16} chars {100 * chars_right / max(chars, 1):.1f}%  cells read right "
              f"{100 * right / max(cells, 1):.1f}% ({right}/{cells}), wrong {wrong}, wrong without a finding "
              f"{sum(s.wrong_unflagged for s in group)}, right but flagged {sum(s.right_flagged for s in group)}, "
              f"{secs / max(pages, 1):.1f} s/page")
    clean = [s for s in scores if s.condition == "clean"]
    if clean:
        cells = sum(s.right + s.wrong + s.missed for s in clean)
        share = sum(s.right for s in clean) / max(cells, 1)
        print(f"goal: >= 98% of cells on clean scans: {100 * share:.1f}% ({share / 0.98:.3f}x of goal)")
    print(f"goal: 0 wrong cells without a finding: {sum(s.wrong_unflagged for s in scores)}")


if __name__ == "__main__":
    sys.exit(main())
