"""What only the PostgreSQL backend has: a report too large for one tsvector still found by its text,
NUL characters kept out of PostgreSQL without moving a snippet, the old table of a rebuilt index
dropped, a missing database said in one line. (The shared search suite runs on it too:
test_index_search.py, test_index_traditional.py, test_fulltext_search.py, test_archive_indexing.py.)"""
from __future__ import annotations

import random

import pytest

from index import SearchIndex
from index.errors import BackendUnavailableError, IndexMissingError
from search_backends import pg_search_url, pg_server  # noqa: F401


def _tables(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE tablename ~ '^xxgk_search_[0-9a-f]{12}$'")}


def test_a_report_past_the_tsvector_limit_is_found_by_its_text(tmp_path, pg_search_url):
    rng = random.Random(3)
    # ~130,000 distinct bigrams: more than 1 MB of lexemes, which one tsvector cannot hold
    noise = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(130_000))
    big = {"report_id": 1, "title": "某县年度报告", "text": noise[:60_000] + "土地征收信息公开" + noise[60_000:]}
    small = {"report_id": 2, "title": "某市年度报告", "text": "行政复议案件。土地征用。"}
    ix = SearchIndex.open(tmp_path / "ix", "postgres", create=True)
    ix.upsert([big, small])
    assert {h.report_id for h in ix.search("土地征收").hits} == {1}
    assert {h.report_id for h in ix.search("土地").hits} == {1, 2}
    assert {h.report_id for h in ix.search("土地 -征收").hits} == {2}
    assert {h.report_id for h in ix.search('"征收信息"').hits} == {1}
    assert ix.search("行政复议").total == 1
    hit = ix.search("土地征收信息公开").hits[0]
    assert any("土地征收信息公开" in s.text for s in hit.snippets)
    ix.close()


def test_nul_characters_are_stored_without_moving_the_text(tmp_path, pg_search_url):
    ix = SearchIndex.open(tmp_path / "ix", "postgres", create=True)
    ix.upsert([{"report_id": 7, "title": "某县\x00年度报告", "text": "前言\x00\x00主动公开政府信息。",
                "sections": [{"heading": "一、总体情况", "text": "主动公开政府信息。"}]}])
    hit = ix.search("主动公开").hits[0]
    assert hit.snippets[0].text[slice(*hit.snippets[0].spans[0])] == "主动公开"
    assert ix.search("主动公开", section="总体情况").total == 1
    ix.close()


def test_a_rebuild_drops_the_table_no_index_names(tmp_path, pg_search_url):
    from archive.catalog import Catalog
    from archive.indexing import sync_index

    cat = Catalog(tmp_path / "catalog.sqlite")
    row, _ = cat.add_document("a" * 64, 10, "text/html")
    rid = cat.save_record(row.id, {"title": "余杭区2017年度报告", "year": 2017, "region": "浙江省杭州市余杭区",
                                   "region_code": "330110", "agency": None, "published": "2018-03-01",
                                   "format": "legacy", "parser_version": "t", "metrics": {}, "findings": [],
                                   "sections": [{"heading": "一、总体情况", "text": "推进土地征收信息公开"}]},
                          "http://example.gov.cn/a.html")
    before = _tables(pg_search_url)
    sync_index(cat, tmp_path / "index", "postgres")
    first = _tables(pg_search_url) - before
    for _ in range(2):
        sync_index(cat, tmp_path / "index", "postgres", rebuild=True)
    now = _tables(pg_search_url) - before
    # the live table and at most the one it replaced (dropped by the next rebuild), never a pile
    assert len(first) == 1 and len(now) == 2 and not first <= now
    with SearchIndex.open(tmp_path / "index") as ix:
        assert [h.report_id for h in ix.search("土地征收", region="浙江省").hits] == [rid]
    cat.close()


def test_without_a_database_or_table_the_error_is_one_line(tmp_path, pg_search_url, monkeypatch):
    monkeypatch.delenv("XXGK_INDEX_URL")
    monkeypatch.delenv("XXGK_CATALOG", raising=False)
    with pytest.raises(BackendUnavailableError, match="--index-url"):
        SearchIndex.open(tmp_path / "none", "postgres", create=True)
    monkeypatch.setenv("XXGK_INDEX_URL", pg_search_url)
    ix = SearchIndex.open(tmp_path / "ix", "postgres", create=True)
    ix.upsert([{"report_id": 1, "title": "甲", "text": "土地征收"}])
    import psycopg

    with psycopg.connect(pg_search_url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE {ix.backend.table}")
    with pytest.raises(IndexMissingError, match="xxgk index --rebuild"):
        ix.search("土地征收")
    ix.close()
    # the URL stored beside the index (without its password) is used when none is given
    monkeypatch.delenv("XXGK_INDEX_URL")
    with pytest.raises(IndexMissingError):
        SearchIndex.open(tmp_path / "ix").search("土地")


def test_a_search_past_its_time_limit_is_cancelled_in_one_line(tmp_path, pg_search_url, monkeypatch):
    from index.errors import SearchIndexError

    ix = SearchIndex.open(tmp_path / "ix", "postgres", create=True)
    ix.upsert([{"report_id": i, "title": "甲", "text": "土地征收信息公开。" * 2000} for i in range(1, 41)])
    ix.close()
    monkeypatch.setenv("XXGK_SEARCH_TIMEOUT", "0.001")
    ix = SearchIndex.open(tmp_path / "ix")
    with pytest.raises(SearchIndexError, match="time limit"):
        ix.search('"征收信息公开"')
    ix.close()
