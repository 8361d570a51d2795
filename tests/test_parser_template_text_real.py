"""parser.template_text on real copies: the table part of real pages as stored (tests/data/text_tables/,
copied from tests/data/real with each source URL in cases.json), against the cells a person read."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parser.template_text import read_text_tables

DATA = Path(__file__).resolve().parent / "data" / "text_tables"
CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_real_text_tables_read_as_labelled(case):
    text = (DATA / case["file"]).read_text(encoding="utf-8")
    reading = read_text_tables(text, case["format"])
    got = {k: v for k, (v, _) in reading.metrics.items()}
    # every labelled cell read, nothing read that the label does not hold (or holds as unsure)
    assert {k: got.get(k) for k in case["cells"]} == case["cells"]
    assert set(got) <= set(case["cells"]) | set(case["unsure"])
    assert sum(f.rule == "table.unplaced" for f in reading.findings) == case["unplaced"]
    lines = set(text.split("\n"))
    for key, (_, ev) in reading.metrics.items():
        assert ev.where == "text" and ev.row and ev.column, key
        assert all(any(part in line for line in lines) for part in ev.snippet.split("\n")), key


def test_the_cases_cover_the_shapes():
    assert len(CASES) >= 12 and all(c["url"].startswith("http") for c in CASES)
    assert sum(len(c["cells"]) for c in CASES) >= 290
    assert any(c["unplaced"] for c in CASES)  # a table that cannot be placed (five values, seven columns)
