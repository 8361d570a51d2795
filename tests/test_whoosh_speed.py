"""The Whoosh backend's fast paths (issue 18) agree with the slow ones they stand in for.

* ``first_byte_offsets`` gives each term's first place in the UTF-8 text, as ``bytes.find`` does;
* the sidecar postings (postings_sidecar.py) hold what Whoosh's own postings hold, term for term;
* a phrase check that starts at the bound the first offsets give finds exactly the reports whose
  text holds the phrase (a brute-force scan of every report), for phrases that occur and ones
  whose every bigram occurs but not in that order;
* a segment Whoosh's own writer merged (no sidecar: an older index) answers the same, and merged
  again by the bulk writer it has a sidecar and the sidecars of merged-away segments are removed.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import PHRASES, generate_documents  # noqa: E402
from index import SearchIndex  # noqa: E402
from index.analysis import first_byte_offsets, normalize_text, term_counts  # noqa: E402
from index.documents import prepare_document  # noqa: E402
from index.postings_sidecar import SIDECAR_DIR, lookup_first, phrase_start_bound  # noqa: E402
from index.query import Leaf  # noqa: E402

N_DOCS = 120


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return list(generate_documents(N_DOCS, seed=23, min_chars=300, max_chars=2000))


@pytest.fixture(scope="module")
def built(tmp_path_factory, docs):
    path = tmp_path_factory.mktemp("speed")
    ix = SearchIndex.open(path, "whoosh", create=True)
    ix.upsert(docs[:60], replace=False)
    ix.upsert(docs[60:], replace=False)  # two segments, each with its sidecar
    yield path, ix
    ix.close()


def test_first_byte_offsets_are_where_bytes_find_puts_each_term(docs):
    for doc in docs[:20]:
        norm = normalize_text(doc["title"] + "\n" + doc["text"] + " ABC12 a.b 𠀀字")
        counts = term_counts(norm)
        first = dict(zip(counts, first_byte_offsets(norm, counts)))
        data = norm.encode("utf-8")
        assert all(data.find(t.encode("utf-8")) == off for t, off in first.items())


def test_sidecar_postings_equal_whooshs_own(built):
    path, ix = built
    b = ix.backend
    b._fresh()
    assert (path / SIDECAR_DIR).is_dir() and b._all_sidecar and len(b._leaves) == 2
    for field in ("grams", "title_grams", "head_grams"):
        terms = sorted({t for reader, _, _ in b._leaves for t in reader.lexicon(field)})
        assert terms
        for term in random.Random(5).sample(terms, min(80, len(terms))):
            text = term.decode("utf-8")
            ids, freqs, firsts = b._read(field, text)
            parts = [b._read_whoosh(reader, base, field, text) for reader, base, _ in b._leaves]
            assert ids.tolist() == np.concatenate([p[0] for p in parts]).tolist()
            assert freqs.tolist() == np.concatenate([p[1] for p in parts]).tolist()
            assert b._df(field, text) == b._searcher.doc_frequency(field, text) == len(ids)
            if field == "grams":  # each first offset is where the term first is in the report's text
                for d, off in zip(ids.tolist()[:20], firsts.tolist()[:20]):
                    a = int(b._off[d])
                    assert b.store.text(a, int(b._end[d]) - a).encode("utf-8").find(term) == off


_NORMS: dict[int, str] = {}


def _brute(docs: list[dict], needle: str) -> set[int]:
    """The reports whose normalized text holds the needle, by scanning every one."""
    for d in docs:
        if d["report_id"] not in _NORMS:
            _NORMS[d["report_id"]] = prepare_document(d).all_norm
    return {d["report_id"] for d in docs if needle in _NORMS[d["report_id"]]}


def _phrases(docs: list[dict]) -> list[str]:
    rng = random.Random(9)
    out = []
    for _ in range(40):  # pieces of real texts: they occur
        text = normalize_text(rng.choice(docs)["text"])
        k = rng.randint(3, 9)
        i = rng.randrange(0, max(1, len(text) - k))
        out.append(text[i:i + k])
    for p in PHRASES[:20]:  # every bigram common, the order not always there
        out.append(p[2:5] + p[:3])
        out.append(p[-4:] + p[:2])
    return [w for w in out if Leaf(w).needle and not Leaf(w).exact]


def test_checks_from_the_first_offsets_find_exactly_the_reports_holding_the_phrase(built, docs):
    _, ix = built
    some_absent = 0
    for w in _phrases(docs):
        want = _brute(docs, Leaf(w).needle)
        got = {h.report_id for h in ix.search(f'"{w}"', limit=1000, snippets=0, collapse=False).hits}
        assert got == want, w
        some_absent += not want
    assert some_absent  # the mixed-order phrases include ones no report holds


def test_start_bound_never_passes_the_phrase(docs):
    """The bound is at or before the phrase's first place in every report holding it."""
    for doc in docs[:30]:
        norm = prepare_document(doc).all_norm
        data = norm.encode("utf-8")
        counts = term_counts(norm)
        first = dict(zip(counts, first_byte_offsets(norm, counts)))
        ids = np.array([0])
        for w in _phrases([doc])[:30]:
            leaf = Leaf(w)
            at = data.find(leaf.needle_bytes)
            known = [(lookup_first(ids, np.array([first[t]]), ids) if t in first else np.array([-2]), off)
                     for t, off in leaf.term_byte_offsets]
            start, lacking, aligned = phrase_start_bound(known, 1)
            if aligned[0] and leaf.placed_by_first_terms:  # decided without a find: it must be there
                assert at == start[0]
            if at < 0:
                continue
            assert not lacking[0] and 0 <= start[0] <= at


def test_whoosh_merged_segments_without_sidecars_answer_the_same(tmp_path, docs):
    ix = SearchIndex.open(tmp_path, "whoosh", create=True)
    for i in range(0, N_DOCS, 20):
        ix.upsert(docs[i:i + 20], replace=False)
    words = _phrases(docs)[::4]
    before = [ix.search(f'"{w}"', limit=1000, snippets=0).total for w in words]
    assert len(list((tmp_path / SIDECAR_DIR).iterdir())) == N_DOCS // 20
    ix.backend.ix.writer().commit(optimize=True)  # Whoosh's own merge (an older xxgk): no sidecar
    b = ix.backend
    b._fresh()
    assert not b._all_sidecar
    assert [ix.search(f'"{w}"', limit=1000, snippets=0).total for w in words] == before
    ix.backend.optimize()  # merged again by the bulk writer: a sidecar, the merged-away ones removed
    b._fresh()
    assert b._all_sidecar and len(list((tmp_path / SIDECAR_DIR).iterdir())) == 1
    assert [ix.search(f'"{w}"', limit=1000, snippets=0).total for w in words] == before
    assert before == [len(_brute(docs, Leaf(w).needle)) for w in words]
    ix.close()


def test_a_term_twice_in_the_phrase_or_a_gap_is_never_decided_by_first_places(tmp_path):
    assert not Leaf("公开公开").placed_by_first_terms and not Leaf("信息,公开").placed_by_first_terms
    assert Leaf("政府信息公开").placed_by_first_terms
    ix = SearchIndex.open(tmp_path, "whoosh", create=True)
    # report 1: 公开 and 开公 first where 公开公开 would start, yet 公开公开 is not there
    ix.upsert([{"report_id": 1, "title": "甲", "text": "公开公告。"}, {"report_id": 2, "title": "乙", "text": "再次公开公开。"},
               {"report_id": 3, "title": "丙", "text": "信息。公开"}, {"report_id": 4, "title": "丁", "text": "信息,公开"}])
    assert {h.report_id for h in ix.search('"公开公开"', limit=10).hits} == {2}
    assert {h.report_id for h in ix.search('"信息,公开"', limit=10).hits} == {4}
    ix.close()
