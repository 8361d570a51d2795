"""OCR of image-only reports (issue 17): scans and table images read with RapidOCR, never trusted silently.

Real parts only: the scans in ``tests/data/ocr/`` are a generated gb2021 report drawn in an embedded
CJK font and rendered to image-only PDFs (``bench/bench_ocr.py --write-test-data``; the truth of
their metrics beside them), read by the real engine. OCR is slow on two cores: each document is
parsed once per session, the noisy scan only in the slow run.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parser.document import Attachment
from parser.errors import UnreadableError
from parser.pipeline import parse_debug
from parser.settings import ParseSettings

DATA = Path(__file__).parent / "data" / "ocr"
EXPECTED = json.loads((DATA / "gb2021-scan.expected.json").read_text(encoding="utf-8"))["metrics"]
SETTINGS = ParseSettings(time_budget=900)  # a loaded 2-core machine reads a scanned page in 5-40 s
ROOT = Path(__file__).resolve().parent.parent


def _need_ocr() -> None:
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed (pip install 'xxgk[ocr]')")


@pytest.fixture(scope="session")
def scan_record():
    _need_ocr()
    return parse_debug((DATA / "gb2021-scan.pdf").read_bytes(), "application/pdf", settings=SETTINGS).record


@pytest.fixture(scope="session")
def noisy_record():
    _need_ocr()
    return parse_debug((DATA / "gb2021-noisy.pdf").read_bytes(), "application/pdf", settings=SETTINGS).record


def _flagged(record) -> set[str]:
    """Metric keys some finding names (low confidence, a failed rule, an unplaced cell's row)."""
    keys = {k for f in record.findings for k in f.values}
    return keys | {str(f.values.get("row")) for f in record.findings if f.rule == "table.unplaced"}


def test_image_only_pdf_of_a_2021_table_reads_the_numbers_with_ocr_evidence(scan_record):
    record = scan_record
    assert record.format == "gb2021" and record.year == 2023
    right = [k for k, v in EXPECTED.items() if record.metrics.get(k) == v]
    assert len(right) >= 0.98 * len(EXPECTED), sorted(set(EXPECTED) - set(right))
    wrong = [k for k, v in EXPECTED.items() if k in record.metrics and record.metrics[k] != v]
    assert not set(wrong) - _flagged(record), f"wrong numbers without a finding: {wrong}"
    ev = record.evidence["applications.new.total"]
    assert ev.where == "ocr" and ev.page in (1, 2) and 0 < ev.confidence <= 1
    x0, top, x1, bottom = ev.bbox  # PDF points from the page's top-left, inside an A4 page
    assert 0 <= x0 < x1 <= 595.3 and 0 <= top < bottom <= 841.9
    stated = [k for k, e in record.evidence.items() if e.where != "derived"]
    assert stated and all(record.evidence[k].where == "ocr" for k in stated)
    assert any(f.rule == "ocr.read" for f in record.findings)
    assert record.to_dict()["evidence"]["applications.new.total"]["confidence"] == round(ev.confidence, 3)


def test_low_confidence_numbers_are_findings(scan_record):
    low = [f for f in scan_record.findings if f.rule == "ocr.low_confidence"]
    for f in low:
        key = next(k for k in f.values if "." in k)
        assert f.values["confidence"] < 0.8 and scan_record.evidence[key].confidence == pytest.approx(
            f.values["confidence"], abs=1e-3)
    doubtful = [k for k, e in scan_record.evidence.items() if e.where == "ocr" and e.confidence < 0.8]
    assert len(low) == len(doubtful)


@pytest.mark.slow
def test_a_noisy_scan_gives_findings_not_silent_wrong_numbers(noisy_record):
    record = noisy_record
    wrong = [k for k, v in EXPECTED.items() if k in record.metrics and record.metrics[k] != v]
    assert not set(wrong) - _flagged(record), f"wrong numbers without a finding: {wrong}"
    right = [k for k in EXPECTED if record.metrics.get(k) == EXPECTED[k]]
    assert len(right) >= 0.4 * len(EXPECTED)  # 150 dpi, tilted, blurred and grainy: 46% measured


@pytest.mark.slow
def test_an_html_report_with_a_table_image_reads_it_by_ocr():
    _need_ocr()
    page = (DATA / "table3.html").read_bytes()
    image = Attachment((DATA / "table3.png").read_bytes(), "image/png", "http://www.example.gov.cn/a/table3.png")
    record = parse_debug(page, "text/html", "http://www.example.gov.cn/a/table3.html", settings=SETTINGS,
                         attachments=[image]).record
    ocr = {k: e for k, e in record.evidence.items() if e.where == "ocr"}
    assert len(ocr) >= 60, sorted(record.metrics)
    key = "applications.new.total"
    assert record.metrics[key] == EXPECTED[key] and ocr[key].page is None and ocr[key].confidence > 0
    assert ocr[key].bbox is not None  # in the image's own pixels
    wrong = [k for k in ocr if k in EXPECTED and record.metrics[k] != EXPECTED[k]]
    assert not set(wrong) - _flagged(record)


def _parse_without_extra(name: str) -> subprocess.CompletedProcess:
    code = ("import sys; sys.modules['rapidocr_onnxruntime'] = None\n"
            "from parser.pipeline import parse_debug\n"
            "from parser.errors import ParseError\n"
            f"data = open({str(DATA / name)!r}, 'rb').read()\n"
            "try:\n    parse_debug(data, 'application/pdf')\n"
            "except ParseError as e:\n    print(e.reason, e, sep='|')\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_without_the_extra_the_error_says_how_to_enable_ocr():
    r = _parse_without_extra("gb2021-scan.pdf")
    assert r.returncode == 0, r.stderr
    reason, _, message = r.stdout.strip().partition("|")
    assert reason == "image_only_pdf"
    assert "pip install 'xxgk[ocr]'" in message and "\n" not in message


def test_a_pdf_with_text_is_not_read_by_ocr():
    from fixtures.reportgen import random_record, render

    data, _ = render(random_record("gb2021", seed=3), "pdf_cid")
    record = parse_debug(data, "application/pdf").record
    assert record.metrics and all(e.where != "ocr" for e in record.evidence.values())
    assert not any(f.rule.startswith("ocr.") for f in record.findings)


def test_a_blank_pdf_is_still_image_only_and_reads_nothing():
    from reportlab.pdfgen import canvas
    import io

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.showPage()
    c.save()
    with pytest.raises(UnreadableError) as info:
        parse_debug(buf.getvalue(), "application/pdf")
    assert info.value.reason == "image_only_pdf"


def test_the_engine_loads_and_reads_offline():
    """The models ship in the wheel: with every socket refused, the engine starts and reads an image."""
    _need_ocr()
    code = ("import socket\n"
            "def refuse(*a, **k):\n    raise OSError('network used')\n"
            "socket.socket.connect = refuse\nsocket.create_connection = refuse\nsocket.getaddrinfo = refuse\n"
            "import numpy as np\n"
            "from parser.extract.ocr import _get_engine\n"
            "img = np.full((48, 160, 3), 255, np.uint8)\n"
            "result, _ = _get_engine()(img)\n"
            "print('ok', result)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0 and r.stdout.startswith("ok"), r.stderr[-2000:]


def test_each_parse_worker_gives_its_ocr_engine_its_share_of_the_cores(monkeypatch):
    """Left to itself onnxruntime spins a thread on every core in every parse worker: two workers
    reading scans at once took 50 s each against 33 s with one thread each (same words). A pool of N
    workers gives each engine cores // N threads (XXGK_OCR_THREADS, which a user's own setting wins
    over); a document read alone keeps every core."""
    import os

    from archive.parse_pool import ParsePool, ocr_threads_for
    from parser.extract import ocr

    cores = os.cpu_count() or 1
    assert ocr_threads_for(1) == cores and ocr_threads_for(cores * 2) == 1 and ocr_threads_for(2) == max(1, cores // 2)
    monkeypatch.delenv("XXGK_OCR_THREADS", raising=False)
    assert ocr._thread_options() == {}
    for raw, want in (("3", {"intra_op_num_threads": 3, "inter_op_num_threads": 1}), ("0", {}), ("x", {}), (" 1 ", {
            "intra_op_num_threads": 1, "inter_op_num_threads": 1})):
        monkeypatch.setenv("XXGK_OCR_THREADS", raw)
        assert ocr._thread_options() == want, raw
    for setting, workers, want in ((None, 2, str(ocr_threads_for(2))), ("5", 2, "5")):
        if setting is None:
            monkeypatch.delenv("XXGK_OCR_THREADS", raising=False)
        else:
            monkeypatch.setenv("XXGK_OCR_THREADS", setting)
        pool = ParsePool(workers=workers)
        try:
            assert pool.call(os.getenv, "XXGK_OCR_THREADS", timeout=60) == want
        finally:
            pool.close()
