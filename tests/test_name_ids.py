"""Ids of names stored once (metric keys, evidence labels): the catalog's writing connection keeps those
it has seen committed and asks the database only for the others; a rolled-back write's ids are forgotten."""
from __future__ import annotations

import pytest

from archive.catalog import Catalog
from archive.name_ids import name_ids


def _statements(catalog: Catalog) -> list[str]:
    seen: list[str] = []
    catalog.conn.set_trace_callback(seen.append)
    return seen


def test_committed_ids_are_not_asked_for_again(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite")
    with catalog.write() as c:
        first = name_ids(c, "metric_keys", "key", ["requests.total", "requests.new"])
    seen = _statements(catalog)
    with catalog.write() as c:
        again = name_ids(c, "metric_keys", "key", ["requests.new", "requests.total"])
        more = name_ids(c, "metric_keys", "key", ["requests.total", "review.total"])
    assert again == first and more["requests.total"] == first["requests.total"]
    lookups = [s for s in seen if "metric_keys" in s]
    assert len(lookups) == 3 and all("review.total" in s for s in lookups)  # one SELECT, INSERT, SELECT
    rows = dict(catalog.conn.execute("SELECT key, id FROM metric_keys").fetchall())
    assert rows == {**first, "review.total": more["review.total"]}


def test_ids_given_in_a_rolled_back_write_are_forgotten(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite")
    with pytest.raises(RuntimeError):
        with catalog.write() as c:
            lost = name_ids(c, "evidence_labels", "label", ["一、本年新收政府信息公开申请数量"])
            raise RuntimeError("the record's write failed")
    with catalog.write() as c:  # SQLite gives the freed id to the next label
        other = name_ids(c, "evidence_labels", "label", ["申请人情况 / 自然人"])
    with catalog.write() as c:
        again = name_ids(c, "evidence_labels", "label", ["一、本年新收政府信息公开申请数量"])
    assert other["申请人情况 / 自然人"] == lost["一、本年新收政府信息公开申请数量"]
    rows = dict(catalog.conn.execute("SELECT id, label FROM evidence_labels").fetchall())
    assert rows[again["一、本年新收政府信息公开申请数量"]] == "一、本年新收政府信息公开申请数量"
    assert rows[other["申请人情况 / 自然人"]] == "申请人情况 / 自然人"


def test_ids_learnt_in_a_write_are_trusted_only_after_it_commits(tmp_path):
    catalog = Catalog(tmp_path / "catalog.sqlite")
    cache = catalog.conn.name_id_cache
    with catalog.write() as c:
        ids = name_ids(c, "metric_keys", "key", ["a"])
        assert cache.known("metric_keys") == {}
    assert cache.known("metric_keys") == ids
