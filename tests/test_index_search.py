"""index.search over every backend (one suite, parametrized: Whoosh, tantivy, PostgreSQL): recall, exact phrases and filters,
boolean queries, ranking, facets, sections, paging, updates, and the same results on both."""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.corpus import generate_documents  # noqa: E402
from index import SearchIndex  # noqa: E402
from index.analysis import CJK_CLASS, normalize_text  # noqa: E402
from index.documents import prepare_document  # noqa: E402
from index.errors import (EmptyQueryError, IndexFormatError, IndexMissingError, QuerySyntaxError,  # noqa: E402
                          SearchIndexError)
from index.query import FieldTerm, evaluate, parse_query  # noqa: E402
from search_backends import BACKENDS, available, pg_search_url, pg_server, use_backend  # noqa: E402,F401

N_DOCS = 60
_CJK_RUN = re.compile(f"[{CJK_CLASS}]{{6,}}")


@pytest.fixture(scope="module")
def docs():
    return list(generate_documents(N_DOCS, seed=11, min_chars=400, max_chars=2500))


@pytest.fixture(scope="module", params=BACKENDS)
def built(request, docs, tmp_path_factory):
    use_backend(request, request.param)
    ix = SearchIndex.open(tmp_path_factory.mktemp(request.param), request.param, create=True)
    ix.upsert(docs[: N_DOCS // 2], replace=False)
    ix.upsert(docs[N_DOCS // 2:])  # a second batch (second segment) through the replacing path
    yield ix
    ix.close()


def _oracle(docs, query: str, **filters) -> set[int]:
    """The exact answer, by scanning every document's normalized text."""
    node = parse_query(query)
    out = set()
    for d in docs:
        p = prepare_document(d)
        texts = {"all": p.all_norm, "title": p.title_norm, "heading": p.headings_norm}

        def term_ok(ft: FieldTerm) -> bool:
            if ft.field == "region":
                return ft.value in p.region_names
            if ft.field == "year":
                return p.year is not None and int(ft.value) <= p.year <= ft.year_to
            if ft.field == "id":
                return p.report_id == int(ft.value)
            return {"agency": p.agency_key, "format": p.format}[ft.field] == ft.value

        if not evaluate(node, lambda leaf: leaf.matches(texts[leaf.field]), term_ok):
            continue
        if filters.get("region") and normalize_text(filters["region"]) not in p.region_names:
            continue
        if filters.get("year_from") and p.year < filters["year_from"]:
            continue
        if filters.get("year_to") and p.year > filters["year_to"]:
            continue
        out.add(p.report_id)
    return out


def _ids(ix, query, **kw) -> set[int]:
    res = ix.search(query, limit=1000, **kw)
    assert res.total == len(res.hits)
    return {h.report_id for h in res.hits}


def test_recall_every_substring_finds_its_report(built, docs):
    rng = random.Random(6)
    checked = 0
    while checked < 520:
        d = rng.choice(docs)
        runs = _CJK_RUN.findall(normalize_text(d["text"]))
        run = rng.choice(runs)
        n = rng.randint(2, 6)
        i = rng.randrange(0, len(run) - n + 1)
        sub = run[i:i + n]
        res = built.search(f"{sub} id:{d['report_id']}", limit=1)
        assert res.total == 1, (sub, d["report_id"])
        checked += 1


def test_recall_phrases_across_punctuation(built, docs):
    rng = random.Random(7)
    for _ in range(60):
        d = rng.choice(docs)
        text = normalize_text(d["text"])
        m = None
        while m is None:
            i = rng.randrange(0, len(text) - 12)
            m = re.search(f"[{CJK_CLASS}]{{2}}[,。;、:][{CJK_CLASS}]{{2}}", text[i:i + 60])
        phrase = m.group()
        assert d["report_id"] in _ids(built, f'"{phrase}"'), phrase


@pytest.mark.parametrize("query", [
    "土地征收", "征收 补偿", '"政府信息公开工作年度报告"', "征收 OR 征用", "公开 -征收", "(行政复议 OR 行政诉讼) 培训",
    '"申请,依申请"', "2017年", "title:财政局", "heading:存在的主要问题 征收", "region:浙江省 公开",
    "year:2015-2017 公开", "format:gb2021 信息", "公", "发布会",
    "(补偿安置 region:浙江省) OR (补偿安置 year:2017-2019)", "region:江苏省 -补偿安置",
])
def test_results_equal_the_exact_oracle(built, docs, query):
    assert _ids(built, query) == _oracle(docs, query)


def test_phrase_matches_only_exact_text(built, docs):
    ids = _ids(built, '"补偿安置信息"')
    assert ids == {d["report_id"] for d in docs if "补偿安置信息" in d["text"]}
    loose = _ids(built, "补偿 安置")
    assert ids <= loose


def test_filters_are_exact(built, docs):
    by_id = {d["report_id"]: d for d in docs}
    res = built.search("公开", region="浙江省", year_from=2015, year_to=2018, limit=1000)
    assert res.total > 0
    for h in res.hits:
        d = by_id[h.report_id]
        assert "浙江省" in d["region_path"] and 2015 <= d["year"] <= 2018
    assert {h.report_id for h in res.hits} == _oracle(docs, "公开", region="浙江省", year_from=2015, year_to=2018)
    short = built.search("公开", region="余杭区", limit=1000)
    assert {h.report_id for h in short.hits} == {d["report_id"] for d in docs if d["region"].endswith("余杭区")}
    agency = next(d["agency"] for d in docs if d["agency"])
    hits = built.search("公开", agency=agency, limit=1000).hits
    assert hits and all(by_id[h.report_id]["agency"] == agency for h in hits)
    fmt = built.search("公开", format="legacy", limit=1000).hits
    assert fmt and all(by_id[h.report_id]["format"] == "legacy" for h in fmt)


def test_facets_count_years_and_provinces_of_all_matches(built, docs):
    res = built.search("公开", limit=5)
    expect = _oracle(docs, "公开")
    by_id = {d["report_id"]: d for d in docs}
    years: dict[int, int] = {}
    provinces: dict[str, int] = {}
    for rid in expect:
        years[by_id[rid]["year"]] = years.get(by_id[rid]["year"], 0) + 1
        p = by_id[rid]["region_path"][0]
        provinces[p] = provinces.get(p, 0) + 1
    assert res.facets["year"] == dict(sorted(years.items()))
    assert res.facets["province"] == provinces
    assert len(res.hits) == 5 and res.total == len(expect)


def test_section_restricts_matching_to_those_sections(built, docs):
    ids = _ids(built, "加大培训力度", section="五、存在的主要问题")
    expect = set()
    for d in docs:
        for s in d["sections"]:
            if "存在的主要问题" in s["heading"] and "加大培训力度" in s["text"]:
                expect.add(d["report_id"])
    assert ids == expect and ids


def test_ranking_title_and_headings_above_a_passing_mention(tmp_path, request):
    for backend in [b for b in BACKENDS if available(request, b)]:
        ix = SearchIndex.open(tmp_path / backend, backend, create=True)
        filler = "政府信息公开工作稳步推进。" * 40
        ix.upsert([
            {"report_id": 1, "title": "某县2019年度报告", "text": filler + "本年度涉及土地征收事项一件。" + filler,
             "sections": [{"heading": "一、总体情况", "text": filler}]},
            {"report_id": 2, "title": "某县土地征收信息公开工作报告", "text": filler + "土地征收。",
             "sections": [{"heading": "一、土地征收信息公开", "text": "土地征收。"}]},
            {"report_id": 3, "title": "某市2019年度报告", "text": filler + "二、土地征收\n有关土地征收的信息。" + filler,
             "sections": [{"heading": "二、土地征收", "text": "有关土地征收的信息。" + filler}]},
        ])
        hits = ix.search("土地征收").hits
        assert [h.report_id for h in hits][:2] == [2, 3] and hits[-1].report_id == 1, backend
        ix.close()


def test_sort_by_year_and_paging(built, docs):
    res = built.search("公开", sort="year", limit=7)
    years = [h.year for h in res.hits]
    assert years == sorted(years, reverse=True)
    page2 = built.search("公开", sort="relevance", page=2, limit=7)
    page1 = built.search("公开", sort="relevance", page=1, limit=7)
    assert not {h.report_id for h in page1.hits} & {h.report_id for h in page2.hits}
    assert page2.page == 2 and page2.pages == (page2.total + 6) // 7


def test_hits_carry_record_fields_and_highlighted_snippets(built, docs):
    res = built.search("土地征收 补偿")
    h = res.hits[0]
    d = next(d for d in docs if d["report_id"] == h.report_id)
    assert (h.title, h.region, h.year, h.url, h.agency) == (d["title"], d["region"], d["year"], d["url"], d["agency"])
    assert h.snippets and any(s.spans for s in h.snippets)
    for s in h.snippets:
        for a, b in s.spans:
            assert s.text[a:b] in ("土地征收", "补偿") or "土地征收" in s.text[a:b] or "补偿" in s.text[a:b]
    assert "【" in str(h.snippets[0]) and "[bold red]" in h.snippets[0].rich()
    assert res.to_dict()["hits"][0]["snippets"][0]["spans"]


def test_bad_queries_raise_clear_errors(built):
    with pytest.raises(EmptyQueryError):
        built.search("  ")
    with pytest.raises(QuerySyntaxError):
        built.search('"土地')
    with pytest.raises(SearchIndexError):
        built.search("公开", sort="nonsense")
    with pytest.raises(SearchIndexError):
        built.search("公开", limit=0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_upsert_replaces_and_delete_removes(tmp_path, backend, request):
    use_backend(request, backend)
    ix = SearchIndex.open(tmp_path, backend, create=True)
    ix.upsert([{"report_id": 5, "title": "甲", "text": "原来的文本讲土地征收"}])
    assert _ids(ix, "土地征收") == {5}
    ix.upsert([{"report_id": 5, "title": "甲", "text": "重新解析后的文本讲行政复议"}])
    assert _ids(ix, "土地征收") == set() and _ids(ix, "行政复议") == {5}
    assert ix.doc_count() == 1
    ix.delete([5])
    assert _ids(ix, "行政复议") == set() and ix.doc_count() == 0
    ix.close()


def test_open_errors(tmp_path):
    with pytest.raises(IndexMissingError):
        SearchIndex.open(tmp_path / "none")
    SearchIndex.open(tmp_path / "w", "whoosh", create=True).close()
    with pytest.raises(IndexFormatError):
        SearchIndex.open(tmp_path / "w", "tantivy")
    with pytest.raises(SearchIndexError):
        SearchIndex.open(tmp_path / "x", "lucene", create=True)


def test_every_backend_returns_the_same_results(docs, tmp_path, request):
    ixs = [SearchIndex.open(tmp_path / b, b, create=True) for b in BACKENDS if available(request, b)]
    for ix in ixs:
        ix.upsert(docs)
    for q in ["征收", "信息 公开 -土地", '"主动公开政府信息"', "发布会 OR 培训", "2017年", "公"]:
        a, *others = (ix.search(q, limit=1000) for ix in ixs)
        for b in others:
            assert {h.report_id for h in a.hits} == {h.report_id for h in b.hits}, q
            assert a.facets == b.facets, q
    for ix in ixs:
        ix.close()


def test_package_exports():
    import index

    for name in index.__all__:
        assert getattr(index, name) is not None
    assert {"SearchIndex", "SearchResults", "Hit", "SearchIndexError", "QuerySyntaxError"} <= set(index.__all__)


def _copies_corpus():
    """Three reports, two of them copies of one (group 11: 10 is a portal copy, 11 canonical),
    plus copies whose canonical does not match '棚户区'."""
    text = "一、总体情况\n推进土地征收信息公开。二、主动公开\n棚户区改造"
    return [
        {"report_id": 10, "title": "余杭区2017年度报告", "text": text, "region_path": ["浙江省"], "year": 2017,
         "url": "http://portal/10", "group": 11, "sections": [{"heading": "一、总体情况", "text": "推进土地征收信息公开。"}]},
        {"report_id": 11, "title": "余杭区2017年度报告", "text": "推进土地征收信息公开，征收补偿。", "region_path": ["浙江省"],
         "year": 2017, "url": "http://agency/11", "group": 11,
         "sections": [{"heading": "一、总体情况", "text": "推进土地征收信息公开，征收补偿。"}]},
        {"report_id": 12, "title": "余杭区2017年度报告（图解）", "text": "土地征收 图解", "region_path": ["浙江省"],
         "year": 2017, "url": "http://agency/12", "group": 11},
        {"report_id": 20, "title": "南京市2018年度报告", "text": "土地征收；棚户区改造", "region_path": ["江苏省"], "year": 2018,
         "url": "http://nj/20", "sections": [{"heading": "一、总体情况", "text": "土地征收；棚户区改造"}]},
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_copies_of_one_report_show_and_count_once(tmp_path, backend, request):
    use_backend(request, backend)
    ix = SearchIndex.open(tmp_path, backend, create=True)
    ix.upsert(_copies_corpus())
    res = ix.search("土地征收", limit=10)
    assert res.total == 2 and sorted(h.report_id for h in res.hits) == [11, 20]
    canonical = next(h for h in res.hits if h.report_id == 11)
    assert canonical.copies == [{"report_id": 10, "url": "http://portal/10"}, {"report_id": 12, "url": "http://agency/12"}]
    assert res.facets == {"year": {2017: 1, 2018: 1}, "province": {"浙江省": 1, "江苏省": 1}}
    assert ix.search("土地征收", facets=False).facets == res.facets  # counted when read
    every = ix.search("土地征收", limit=10, collapse=False)
    assert every.total == 4 and every.facets["year"] == {2017: 3, 2018: 1} and not any(h.copies for h in every.hits)
    # the canonical does not hold 棚户区: its group shows the lowest matching copy
    res = ix.search("棚户区", limit=10)
    assert sorted(h.report_id for h in res.hits) == [10, 20] and res.total == 2
    # the Python-checked paths (a section search, a word with punctuation inside) collapse the same way
    res = ix.search("土地征收", section="总体情况", limit=10)
    assert sorted(h.report_id for h in res.hits) == [11, 20] and res.facets["province"] == {"浙江省": 1, "江苏省": 1}
    assert {h.report_id for h in ix.search("土地征收 信息公开", limit=10).hits} == {11}
    # paging is over groups: two pages of one hit each, no repeats
    pages = [ix.search("土地征收", limit=1, page=p) for p in (1, 2)]
    assert sorted(h.report_id for p in pages for h in p.hits) == [11, 20] and pages[0].pages == 2
    assert ix.linked_groups() == {10: 11, 11: 11, 12: 11}
    ix.close()
