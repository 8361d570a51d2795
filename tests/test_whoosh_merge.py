"""Whoosh merges keep the fast path (issue 18): a merged segment has its sidecar postings like a fresh one.

* An index grown by many small updates, with replaced and deleted reports (enough commits for the
  backend to merge small segments several times), has a sidecar for every segment, its sidecars
  hold what Whoosh's own postings hold, and every query returns exactly the total, hits, order,
  scores, snippets, copies and facets of the same reports indexed in one go;
* a segment merged by Whoosh's own writer (an older index: no sidecar) gets one back from the
  stored texts when merged again;
* small segments are merged in groups of at most a build segment's postings (bounded memory);
* a real writer process killed at moments of a merge leaves an index that reopens and answers as
  the reports it committed, and the next update completes the merge.
"""
from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import PHRASES, generate_documents  # noqa: E402
from index import SearchIndex  # noqa: E402
from index.analysis import normalize_text  # noqa: E402
from index.postings_sidecar import SIDECAR_DIR, SegmentPostings  # noqa: E402
from index.whoosh_backend import _MAX_SEGMENTS  # noqa: E402

BATCH = 10
UPDATES = 20
PER_SEGMENT = 20  # reports in each segment of the index a writer is killed in


def _docs(n: int, seed: int, min_chars: int = 100, max_chars: int = 400) -> list[dict]:
    docs = list(generate_documents(n, seed=seed, min_chars=min_chars, max_chars=max_chars))
    for d in docs[4:40:6]:  # a few pairs of copies of one report (collapsed by group)
        d["group"] = d["report_id"] - 1
        docs[d["report_id"] - 2]["group"] = d["report_id"] - 1
    return docs


def _altered(doc: dict, n: int) -> dict:
    return dict(doc, text=doc["text"] + f"\n第{n}次更正后重新发布", year=doc["year"] + 1)


def _grow(path: Path, docs: list[dict]) -> dict[int, dict]:
    """UPDATES upserts of BATCH reports, each also replacing two reports of the update before; every
    fifth also deletes one: the reports the index holds at the end, by id."""
    ix = SearchIndex.open(path, "whoosh", create=True)
    final: dict[int, dict] = {}
    for u in range(UPDATES):
        part = docs[u * BATCH:(u + 1) * BATCH]
        again = [_altered(d, u) for d in docs[(u - 1) * BATCH:(u - 1) * BATCH + 2]] if u else []
        ix.upsert(part + again)
        final.update({d["report_id"]: d for d in part + again})
        if u % 5 == 4:
            gone = docs[(u - 2) * BATCH + 5]["report_id"]
            ix.delete([gone])
            final.pop(gone)
    ix.close()
    return final


def _rebuild(path: Path, final: dict[int, dict]) -> SearchIndex:
    """The same reports indexed in one go, in report id order, as ``xxgk index --rebuild`` does."""
    ix = SearchIndex.open(path, "whoosh", create=True)
    ix.upsert([final[k] for k in sorted(final)], replace=False)
    return ix


def _queries(docs: list[dict]) -> list[tuple[str, dict]]:
    rng = random.Random(4)
    words = [p[i:i + 2] for p in PHRASES[:30] for i in (0, 3)] + [p[:4] for p in PHRASES[30:60]]
    pieces = []
    for d in rng.sample(docs, 12):  # phrases of real texts
        text = normalize_text(d["text"])
        i = rng.randrange(0, len(text) - 8)
        pieces.append(f'"{text[i:i + rng.randint(3, 8)]}"')
    qs = [w for w in rng.sample(words, 20)] + pieces + [
        "更正后重新发布", "信息公开 NOT 复议", "主动公开 OR 依申请公开", "title:年度报告", "heading:主要问题"]
    options = [{}, {"sort": "year"}, {"region": "浙江省"}, {"year_from": 2015, "year_to": 2019}, {"page": 2},
               {"collapse": False}]
    return [(q, options[i % len(options)]) for i, q in enumerate(qs)]


def _answers(ix: SearchIndex, queries: list[tuple[str, dict]]) -> list[tuple]:
    out = []
    for q, opts in queries:
        res = ix.search(q, limit=15, **opts)
        out.append((q, res.total, [(h.report_id, h.score, h.snippets, h.copies) for h in res.hits], res.facets))
    return out


def _segments(path: Path) -> list:
    return whoosh_index.open_dir(str(path / "whoosh"))._segments()


def _sidecar_of(path: Path, segment) -> SegmentPostings | None:
    return SegmentPostings.open(path / SIDECAR_DIR, segment.segment_id())


def _assert_sidecars_hold_whooshs_postings(ix: SearchIndex) -> None:
    b = ix.backend
    b._fresh()
    assert b._all_sidecar
    for field in ("grams", "title_grams", "head_grams"):
        terms = sorted({t for reader, _, _ in b._leaves for t in reader.lexicon(field)})
        for term in random.Random(3).sample(terms, min(60, len(terms))):
            text = term.decode("utf-8")
            ids, freqs, firsts = b._read(field, text)
            whoosh = [b._read_whoosh(reader, base, field, text) for reader, base, _ in b._leaves]
            w_ids, w_freqs = (np.concatenate(column) for column in zip(*whoosh))
            live, w_live = ~np.isin(ids, list(b._deleted)), ~np.isin(w_ids, list(b._deleted))  # what a search reads
            assert ids[live].tolist() == w_ids[w_live].tolist()
            assert freqs[live].tolist() == w_freqs[w_live].tolist()
            if field == "grams":  # each first offset is where the term first is in the report's text
                for d, off in zip(ids.tolist()[:10], firsts.tolist()[:10]):
                    a = int(b._off[d])
                    assert b.store.text(a, int(b._end[d]) - a).encode("utf-8").find(term) == off


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return _docs(UPDATES * BATCH, seed=31)


def test_an_index_grown_by_small_updates_has_every_sidecar_and_answers_as_a_rebuilt_one(tmp_path, docs):
    final = _grow(tmp_path / "grown", docs)
    segments = _segments(tmp_path / "grown")
    assert len(segments) <= _MAX_SEGMENTS
    assert max(s.doc_count_all() for s in segments) > 2 * BATCH  # small segments were merged
    assert sum(s.doc_count_all() for s in segments) < UPDATES * (BATCH + 2)  # deleted documents merged away
    assert all(_sidecar_of(tmp_path / "grown", s) is not None for s in segments)
    assert sorted(p.name for p in (tmp_path / "grown" / SIDECAR_DIR).iterdir()) == sorted(s.segment_id() for s in segments)
    grown = SearchIndex.open(tmp_path / "grown", "whoosh")
    _assert_sidecars_hold_whooshs_postings(grown)
    rebuilt = _rebuild(tmp_path / "rebuilt", final)
    queries = _queries(list(final.values()))
    got = _answers(grown, queries)
    assert got == _answers(rebuilt, queries)
    assert sum(total > 15 for _, total, _, _ in got) > 10 and any(h[3] for _, _, hits, _ in got for h in hits)
    grown.close()
    rebuilt.close()


def test_a_segment_whoosh_merged_gets_its_sidecar_back_from_the_stored_texts(tmp_path, docs):
    ix = SearchIndex.open(tmp_path / "ix", "whoosh", create=True)
    final = {}
    for i in range(0, 120, 20):
        part = docs[i:i + 20]
        ix.upsert(part)
        final.update({d["report_id"]: d for d in part})
    ix.upsert([_altered(docs[3], 1), _altered(docs[50], 1)])  # deletions in the segments merged next
    final.update({d["report_id"]: _altered(d, 1) for d in (docs[3], docs[50])})
    ix.backend.ix.writer().commit(optimize=True)  # Whoosh's own merge, as an older xxgk did: no sidecar
    ix.upsert(docs[120:130])
    final.update({d["report_id"]: d for d in docs[120:130]})
    path = tmp_path / "ix"
    assert [_sidecar_of(path, s) is not None for s in _segments(path)] == [False, True]
    rebuilt = _rebuild(tmp_path / "rebuilt", final)
    queries = _queries(list(final.values()))
    want = _answers(rebuilt, queries)
    assert _answers(ix, queries) == want  # read through Whoosh meanwhile: the same answers
    ix.backend.optimize()
    ix.backend.commit()
    segments = _segments(path)
    assert len(segments) == 1 and segments[0].doc_count_all() == len(final)
    assert _sidecar_of(path, segments[0]) is not None
    assert _answers(ix, queries) == want
    _assert_sidecars_hold_whooshs_postings(ix)
    ix.close()
    rebuilt.close()


def test_small_segments_are_merged_in_groups_no_bigger_than_a_build_segment(tmp_path, docs, monkeypatch):
    from index import whoosh_backend

    path = tmp_path / "ix"
    ix = SearchIndex.open(path, "whoosh", create=True)
    for i in range(_MAX_SEGMENTS):
        ix.upsert(docs[i * 5:(i + 1) * 5])
    limit = 2 * max(_sidecar_of(path, s).postings_count() for s in _segments(path))
    monkeypatch.setattr(whoosh_backend, "_SEGMENT_POSTINGS", limit)
    ix.upsert(docs[60:65])  # one segment too many: the five smallest are picked, merged two (or three) at a time
    segments = _segments(path)
    merged = [s for s in segments if s.doc_count_all() > 5]
    assert len(merged) >= 2 and len(segments) <= _MAX_SEGMENTS - 1
    assert all(_sidecar_of(path, s).postings_count() <= limit for s in merged)
    queries = _queries(docs[:65])
    with _rebuild(tmp_path / "rebuilt", {d["report_id"]: d for d in docs[:65]}) as rebuilt:
        assert _answers(ix, queries) == _answers(rebuilt, queries)
    ix.close()


_WRITER = """
import json, sys
sys.path.insert(0, {root!r})
from index import SearchIndex
docs = json.loads(open(sys.argv[2], encoding="utf-8").read())
ix = SearchIndex.open(sys.argv[1], "whoosh")
print("ready", flush=True)
ix.upsert(docs)
print("done", flush=True)
"""


def _toc_generations(path: Path) -> set[int]:
    return {int(p.name[len("_MAIN_"):-len(".toc")]) for p in (path / "whoosh").glob("_MAIN_*.toc")}


def _moments(before_gen: int):
    """Conditions on the index folder at which the writer is killed: the update's segment committed
    (its merge starting), the merged segment's sidecar being written, published, the merge committed."""
    def tmp_sidecars(path):
        return [p for p in (path / SIDECAR_DIR).glob(".*.tmp")]
    return {
        "update committed": lambda path: before_gen + 1 in _toc_generations(path),
        "merge writing its sidecar": lambda path: before_gen + 1 in _toc_generations(path) and tmp_sidecars(path),
        "merged sidecar published": lambda path: before_gen + 1 in _toc_generations(path) and len(
            [p for p in (path / SIDECAR_DIR).iterdir() if not p.name.startswith(".")]) > _MAX_SEGMENTS + 1,
        "merge committed": lambda path: before_gen + 2 in _toc_generations(path),
        "at once": lambda path: True,
    }


def test_a_writer_killed_during_a_merge_leaves_an_index_that_reopens_and_answers_the_same(tmp_path):
    docs = _docs(_MAX_SEGMENTS * PER_SEGMENT + 20, seed=8, min_chars=300, max_chars=900)
    prepared = tmp_path / "prepared"
    ix = SearchIndex.open(prepared, "whoosh", create=True)
    for i in range(_MAX_SEGMENTS):  # one segment short of a merge
        ix.upsert(docs[i * PER_SEGMENT:(i + 1) * PER_SEGMENT])
    ix.close()
    assert len(_segments(prepared)) == _MAX_SEGMENTS
    before_gen = max(_toc_generations(prepared))
    update = [_altered(d, 2) for d in docs[:15]] + docs[_MAX_SEGMENTS * PER_SEGMENT:]  # replaces 15, adds 20
    batch = tmp_path / "update.json"
    batch.write_text(json.dumps(update, ensure_ascii=False), "utf-8")
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.format(root=str(ROOT)), "utf-8")
    states = {"before": {d["report_id"]: d for d in docs[:_MAX_SEGMENTS * PER_SEGMENT]}}
    states["after"] = {**states["before"], **{d["report_id"]: d for d in update}}
    queries = _queries(list(states["after"].values()))
    want = {}
    for name, final in states.items():
        with _rebuild(tmp_path / f"rebuilt-{name}", final) as rebuilt:
            want[name] = (rebuilt.doc_count(), _answers(rebuilt, queries))

    killed = []
    for moment, reached in _moments(before_gen).items():
        path = tmp_path / "ix"
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(prepared, path)
        proc = subprocess.Popen([sys.executable, str(script), str(path), str(batch)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 120
        while proc.poll() is None and not reached(path) and time.monotonic() < deadline:
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        if proc.returncode == -signal.SIGKILL:
            killed.append(moment)
        with SearchIndex.open(path, "whoosh") as ix:
            state = "after" if ix.doc_count() == want["after"][0] else "before"
            assert ix.doc_count() == want[state][0], moment
            assert _answers(ix, queries) == want[state][1], moment
            ix.upsert(update)  # the next update brings it to the end state, merged, every sidecar there
            segments = _segments(path)
            assert len(segments) <= _MAX_SEGMENTS, moment
            assert all(_sidecar_of(path, s) is not None for s in segments), moment
            assert not list((path / SIDECAR_DIR).glob(".*")), moment  # torn writes removed
            assert _answers(ix, queries) == want["after"][1], moment
    assert {"update committed", "merge writing its sidecar", "at once"} <= set(killed), killed
