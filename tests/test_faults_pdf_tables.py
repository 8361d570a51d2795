"""A page ruled too densely for pdfplumber's quadratic table finder is measured first and skipped, saying so."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fault_files import dense_ruled_pdf  # noqa: E402
from parser.extract import extract  # noqa: E402
from parser.extract.pdf_tables import page_tables  # noqa: E402


def test_a_300_by_300_ruled_table_is_refused_in_a_second_with_a_warning():
    data = dense_ruled_pdf(300)  # before the bound: 95 s (issue 13); 120 × 120 took 14 s
    t0 = time.monotonic()
    doc = extract(data, None)
    assert time.monotonic() - t0 < 5
    assert any("301 × 301 ruling lines" in w and "not read" in w for w in doc.warnings), doc.warnings
    assert doc.tables == []


def test_the_limit_counts_real_crossings_and_a_table_under_it_is_read():
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(dense_ruled_pdf(40))) as pdf:
        page = pdf.pages[0]
        warnings: list[str] = []
        assert page_tables(page, 1, max_crossings=1000, warnings=warnings) == []
        assert "1,681 crossings" in warnings[0]
        tables = page_tables(page, 1, max_crossings=2000, warnings=warnings)
        assert len(tables) == 1 and len(tables[0].grid) >= 2 and len(warnings) == 1
