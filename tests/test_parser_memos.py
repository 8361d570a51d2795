"""The parser's memoised place scans and cleaned titles serve one document: nothing of a document is
held once it is parsed (a parse worker reads document after document), and a record is the same
whether the memos were warm or cold."""
from __future__ import annotations

import json
from pathlib import Path

from parser import parse
from parser.regions import _scan
from parser.titles import clean_title

REAL = Path(__file__).parent / "data" / "real"


def test_nothing_of_a_document_is_held_after_its_parse_and_records_do_not_depend_on_the_memos():
    files = [f for f in sorted(REAL.glob("*.txt"))[:16] + sorted(REAL.glob("*.html"))
             if json.loads(f.with_suffix(".json").read_text(encoding="utf-8")).get("report", True)]
    assert len(files) >= 12
    first = [parse(f.read_bytes(), None, url=f.as_uri()).to_dict() for f in files]
    assert _scan.cache_info().currsize == 0 and clean_title.cache_info().currsize == 0
    # warm memos (a scan and a title of the next document asked before it is parsed) change nothing
    again = []
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        _scan(text)
        clean_title(text.splitlines()[0])
        again.append(parse(f.read_bytes(), None, url=f.as_uri()).to_dict())
    assert again == first
    assert sum(bool(r["region"]) for r in first) >= 8  # the place scan had places to find
