"""extract(): type sniffing, limits, and bad input (empty, junk, OLE2, damaged ZIP, time budget)."""
from __future__ import annotations

import io
import os
import sys
import time
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from extract_samples import report_docx, report_pdf  # noqa: E402
from parser.errors import ParseTimeoutError, UnreadableError  # noqa: E402
from parser.extract import extract, sniff_media_type  # noqa: E402
from parser.extract.sniff import DOCX, HTML, PDF, TEXT  # noqa: E402
from parser.settings import ParseSettings  # noqa: E402

PAGE = "<html><head><title>某某县2021年政府信息公开工作年度报告</title></head><body><p>一、总体情况</p></body></html>"


def test_magic_bytes_win_over_the_declared_type():
    assert sniff_media_type(PAGE.encode(), "application/pdf") == HTML
    assert sniff_media_type(report_pdf(filler_pages=1), "text/html") == PDF
    assert sniff_media_type(report_docx(), "application/octet-stream") == DOCX
    assert sniff_media_type("发布时间:2018-03-29\n一、概述".encode("gbk"), None) == TEXT
    assert sniff_media_type("纯文本，没有标记。".encode(), "text/html; charset=utf-8") == HTML


def test_extract_dispatches_to_each_reader():
    assert extract(PAGE.encode(), None).media_type == HTML
    assert extract("一、总体情况\n本年度……".encode(), "text/plain", url="http://x.gov.cn/a.txt").url == \
        "http://x.gov.cn/a.txt"
    assert extract(report_docx(), None).media_type == DOCX


def test_empty_file_is_unreadable():
    with pytest.raises(UnreadableError) as exc:
        extract(b"", "text/html")
    assert exc.value.reason == "empty"


def test_size_limit_is_checked_before_any_work():
    with pytest.raises(UnreadableError) as exc:
        extract(b"x" * 2048, "text/plain", settings=ParseSettings(max_bytes=1024))
    assert exc.value.reason == "too_large"


def test_fifty_megabytes_of_junk_fail_fast(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(50 * 1024 * 1024))
    data = junk.read_bytes()
    start = time.monotonic()
    with pytest.raises(UnreadableError) as exc:
        extract(data, None)
    assert exc.value.reason == "binary"
    assert time.monotonic() - start < 2.0


def test_junk_behind_a_pdf_header_is_a_clear_error():
    with pytest.raises(UnreadableError) as exc:
        extract(b"%PDF-1.7\n" + os.urandom(200_000), "application/pdf")
    assert exc.value.reason == "truncated_pdf"


def test_legacy_word_file_is_refused_with_its_reason():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096
    with pytest.raises(UnreadableError) as exc:
        extract(ole2, "application/msword")
    assert exc.value.reason == "damaged_doc"  # a header with no compound file behind it


def test_zip_files_that_are_not_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnreadableError) as exc:
        extract(buf.getvalue(), None)
    assert exc.value.reason == "unsupported_format"
    with pytest.raises(UnreadableError) as exc:
        extract(b"PK\x03\x04" + os.urandom(500), None)
    assert exc.value.reason == "truncated_zip"


def test_damaged_docx_part_is_unreadable():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><<<")
    with pytest.raises(UnreadableError) as exc:
        extract(buf.getvalue(), None)
    assert exc.value.reason == "damaged_docx"


def test_time_budget_stops_a_pdf_between_pages():
    with pytest.raises(ParseTimeoutError):
        extract(report_pdf(filler_pages=2), None, settings=ParseSettings(time_budget=1e-9))


@pytest.mark.parametrize("kind", ["pdf", "docx", "html"])
def test_corrupted_copies_give_a_document_or_a_parse_error(kind):
    """Cut, overwritten and gouged copies of real files: never a traceback of another kind."""
    import random

    from extract_samples import report_html
    from parser.errors import ParseError

    data = {"pdf": lambda: report_pdf(filler_pages=1), "docx": report_docx, "html": report_html}[kind]()
    rng = random.Random(20240101)
    for k in range(24):
        b = bytearray(data)
        if k % 3 == 0:
            b = b[:rng.randint(1, len(b))]
        elif k % 3 == 1:
            for _ in range(rng.randint(1, 40)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        else:
            start = rng.randrange(len(b))
            del b[start:start + rng.randint(1, 4000)]
        try:
            doc = extract(bytes(b), None)
        except ParseError:
            continue
        assert isinstance(doc.text, str) and all(len(r) == len(t.grid[0]) for t in doc.tables for r in t.grid)
