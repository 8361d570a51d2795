"""The parser and the search index on real reports (tests/data/real/, labelled by reading).

Floors live in tests/data/real_floors.json and only rise: when the parser gets better, raise them
(`bench/bench_real.py` prints the figures). The search test archives every real report through the
catalog and the index sync, with each backend, and asks for substrings of each report's text.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.indexing import sync_index
from index import SearchIndex
from tests.real_corpus import Scoreboard, load_corpus, score_document

FLOORS = json.loads((Path(__file__).resolve().parent / "data" / "real_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def board() -> Scoreboard:
    return Scoreboard.run()


def test_the_corpus_is_labelled_and_complete():
    corpus = load_corpus()
    assert len(corpus) >= FLOORS["documents"]
    for doc in corpus:
        assert doc.path.exists(), doc.slug
        labels = doc.labels
        assert set(labels) >= {"file", "source", "report", "meta", "cells"}, doc.slug
        assert labels["source"].get("url") or labels["source"].get("via"), doc.slug  # where it came from
        if labels["report"]:
            assert labels["meta"].get("year"), doc.slug


def test_floors_on_the_real_corpus(board):
    s = board.summary()
    assert s["meta_accuracy"] >= FLOORS["meta_accuracy"], s
    assert s["cells_read"] >= FLOORS["cells_read"], s
    assert s["cells_wrong"] <= FLOORS["max_cells_wrong"], [(x.slug, x.cell_detail) for x in board.scores
                                                           if "wrong" in x.cells.values()]
    assert s["cells_misplaced"] <= FLOORS["max_cells_misplaced"], [
        (x.slug, {k: v for k, v in x.cell_detail.items() if x.cells[k] == "misplaced"})
        for x in board.scores if "misplaced" in x.cells.values()]
    assert s["wrong_regions"] <= FLOORS["max_wrong_regions"], [(x.slug, x.meta_detail) for x in board.wrong_regions]
    assert s["refused"] <= FLOORS["max_refused"], [(x.slug, x.error) for x in board.refused]
    assert s["non_reports_accepted"] == 0, [x.slug for x in board.accepted_non_reports]


_SEARCHABLE = re.compile(r"[\w\u3400-\u9fff]")
_PER_DOCUMENT = 12


def _substrings(text: str, rng: random.Random) -> list[str]:
    """Random 2–6 character pieces of the report's lines that hold a word character."""
    lines = [ln for ln in text.splitlines() if len(ln.strip()) >= 2]
    out: list[str] = []
    for _ in range(200):
        if len(out) >= _PER_DOCUMENT or not lines:
            break
        line = rng.choice(lines)
        n = rng.randint(2, min(6, len(line)))
        start = rng.randrange(0, len(line) - n + 1)
        piece = line[start:start + n]
        if '"' in piece or not piece.strip() or not _SEARCHABLE.search(piece):
            continue
        out.append(piece)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["whoosh", "tantivy"])
def test_every_substring_of_every_real_report_finds_it(tmp_path, backend):
    catalog = Catalog(tmp_path / "catalog.sqlite")
    texts: dict[int, tuple[str, int | None]] = {}
    try:
        for doc in load_corpus():
            _, record = score_document(doc)
            if record is None or not doc.labels.get("report", True):
                continue
            data = doc.path.read_bytes()
            row, _ = catalog.add_document(hashlib.sha256(data).hexdigest(), len(data), doc.media_type)
            rid = catalog.save_record(row.id, record.to_dict(), doc.url)
            texts[rid] = ((record.title or "") + "\n" + record.text, record.year)
        sync_index(catalog, tmp_path / "index", backend)
    finally:
        catalog.close()
    rng = random.Random(20261206)
    misses = []
    with SearchIndex.open(tmp_path / "index") as ix:
        for rid, (text, year) in texts.items():
            for piece in _substrings(text, rng):
                # among the reports of its year: the same question, a quarter of the hits to read
                found = {h.report_id for h in ix.search(f'"{piece}"', year_from=year, year_to=year, limit=1000,
                                                        snippets=0, collapse=False, facets=False).hits}
                if rid not in found:
                    misses.append((rid, piece))
    assert len(texts) >= FLOORS["documents"] - 10
    assert not misses, misses[:20]
