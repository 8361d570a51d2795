"""index.whoosh_writer: block-written postings read back by plain Whoosh, and survive Whoosh's own merges."""
from __future__ import annotations

from whoosh import index as whoosh_index

from index import SearchIndex
from index.whoosh_backend import _MAX_SEGMENTS
from index.whoosh_writer import INLINE_MAX


def test_bulk_postings_read_back_by_plain_whoosh(tmp_path):
    ix = SearchIndex.open(tmp_path, "whoosh", create=True)
    n = INLINE_MAX + 300  # some terms inline, some over several 128-posting blocks
    ix.upsert([{"report_id": i, "title": f"报告{i}", "text": "信息公开" * (1 + i % 3) + ("罕见词" if i == 5 else "")}
               for i in range(1, n + 1)], replace=False)
    ix.close()
    raw = whoosh_index.open_dir(str(tmp_path / "whoosh"))
    with raw.searcher() as s:
        assert s.doc_frequency("grams", "公开") == n
        assert [m for m in s.postings("grams", "罕见").all_ids()] == [4]
        m, freqs = s.postings("grams", "公开"), {}
        while m.is_active():
            freqs[m.id()] = m.weight()  # the weight is the term frequency
            m.next()
        assert all(freqs[d] == 1 + (d + 1) % 3 for d in range(n))  # doc d is report d + 1


def test_many_small_commits_are_merged_by_whoosh_and_stay_searchable(tmp_path):
    ix = SearchIndex.open(tmp_path, "whoosh", create=True)
    for i in range(1, _MAX_SEGMENTS + 4):
        ix.upsert([{"report_id": i, "title": f"报告{i}", "year": 2000 + i, "region_path": ["浙江省"],
                    "text": f"第{i}号报告:土地征收补偿" + ("重点项目" if i % 2 else "")}])
    ix.upsert([{"report_id": 3, "title": "报告3", "year": 2003, "text": "改写后的文本"}])
    raw = whoosh_index.open_dir(str(tmp_path / "whoosh"))
    assert len(raw._segments()) <= _MAX_SEGMENTS
    n = _MAX_SEGMENTS + 3
    res = ix.search('"土地征收补偿"', limit=100)
    assert {h.report_id for h in res.hits} == set(range(1, n + 1)) - {3}
    assert res.facets["year"] == {2000 + i: 1 for i in range(1, n + 1) if i != 3}
    assert {h.report_id for h in ix.search("重点项目", limit=100).hits} == {i for i in range(1, n + 1) if i % 2 and i != 3}
    assert ix.search("改写", limit=5).hits[0].report_id == 3
    ix.close()
