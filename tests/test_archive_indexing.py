"""archive.indexing: incremental sync from a real catalog (new, re-parsed, deleted reports),
rebuilds, region ancestors, and the `xxgk index` / `xxgk search` commands."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from archive.catalog import Catalog
from archive.cli import app
from archive.indexing import region_path, sync_index
from index import SearchIndex
from search_backends import BACKENDS, pg_search_url, pg_server, use_backend  # noqa: F401


def _record(title, region, code, year, sections):
    return {"title": title, "year": year, "region": region, "region_code": code, "agency": None,
            "published": f"{year + 1}-03-01", "format": "legacy", "parser_version": "t",
            "sections": [{"heading": h, "text": t} for h, t in sections], "metrics": {}, "findings": []}


def _add(cat: Catalog, key: str, record: dict) -> tuple[int, int]:
    row, _ = cat.add_document(key * 64, 10, "text/html")
    return row.id, cat.save_record(row.id, record, f"http://example.gov.cn/{key}.html")


def _ids(index_dir, query, **kw):
    with SearchIndex.open(index_dir) as ix:
        return {h.report_id for h in ix.search(query, limit=100, **kw).hits}


@pytest.fixture
def catalog(tmp_path):
    cat = Catalog(tmp_path / "catalog.sqlite")
    yield cat
    cat.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_sync_applies_new_reparsed_and_deleted_reports(catalog, tmp_path, backend, request):
    use_backend(request, backend)
    idx = tmp_path / "index"
    _, r1 = _add(catalog, "a", _record("余杭区2017年度政府信息公开工作年度报告", "浙江省杭州市余杭区", "330110", 2017,
                                       [("一、总体情况", "推进土地征收信息公开"), ("五、存在的主要问题", "公开形式比较单一")]))
    d2, r2 = _add(catalog, "b", _record("和平区2018年度报告", "天津市和平区", "120101", 2018,
                                        [("一、总体情况", "推进棚户区改造信息公开")]))
    first = sync_index(catalog, idx, backend)
    assert first.rebuilt and first.upserted == 2 and first.documents == 2
    assert _ids(idx, "土地征收", region="浙江省") == {r1}
    assert _ids(idx, "公开", region="杭州市") == {r1} and _ids(idx, "公开", region="天津市") == {r2}

    again = sync_index(catalog, idx)
    assert (again.upserted, again.deleted, again.rebuilt) == (0, 0, False)

    _, r3 = _add(catalog, "c", _record("西湖区2019年度报告", "浙江省杭州市西湖区", "330106", 2019,
                                       [("一、总体情况", "土地征收补偿公开")]))
    catalog.save_record(d2, _record("和平区2018年度报告", "天津市和平区", "120101", 2018,
                                    [("一、总体情况", "行政复议案件公开")]), "http://example.gov.cn/b.html")
    inc = sync_index(catalog, idx)
    assert (inc.upserted, inc.deleted, inc.rebuilt) == (2, 0, False)
    assert _ids(idx, "土地征收") == {r1, r3}
    assert _ids(idx, "棚户区") == set() and _ids(idx, "行政复议") == {r2}

    catalog.mark_unparsed(d2, "not_report", "t", "not_a_report", "gone")
    gone = sync_index(catalog, idx)
    assert gone.deleted == 1 and _ids(idx, "行政复议") == set() and gone.documents == 2
    assert json.loads((idx / "state.json").read_text())["last_seq"] == gone.last_seq


def test_rebuild_and_backend_switch(catalog, tmp_path):
    idx = tmp_path / "index"
    _, r1 = _add(catalog, "a", _record("报告", "浙江省杭州市余杭区", "330110", 2017, [("一、总体情况", "政务公开")]))
    sync_index(catalog, idx, "whoosh")
    switched = sync_index(catalog, idx, "tantivy")
    assert switched.rebuilt and switched.backend == "tantivy" and _ids(idx, "政务公开") == {r1}
    # no rebuild or swapped-out copy left; the writer lock beside the index stays by design
    assert [p.name for p in tmp_path.glob(".index.*")] == [".index.write.lock"]
    again = sync_index(catalog, idx, rebuild=True)
    assert again.rebuilt and again.backend == "tantivy" and again.documents == 1


def test_sync_accepts_a_catalog_path_and_rebuilds_for_a_different_catalog(catalog, tmp_path):
    idx = tmp_path / "index"
    _add(catalog, "a", _record("报告", "浙江省杭州市余杭区", "330110", 2017, [("一、总体情况", "政务公开")]))
    sync_index(catalog.path, idx)
    other = Catalog(tmp_path / "other.sqlite")
    stats = sync_index(other, idx)  # its change feed is behind the index's state: start over
    assert stats.rebuilt and stats.documents == 0
    other.close()


@pytest.mark.parametrize("region, code, expect", [
    ("浙江省杭州市余杭区", "330110", ["浙江省", "浙江省杭州市", "浙江省杭州市余杭区"]),
    ("浙江省杭州市余杭区", None, ["浙江省", "浙江省杭州市", "浙江省杭州市余杭区"]),
    ("天津市和平区", None, ["天津市", "天津市和平区"]),
    ("某某省某市某区", None, ["某某省", "某某省某市", "某某省某市某区"]),
    (None, None, []),
])
def test_region_path(region, code, expect):
    assert region_path(region, code, 2017) == expect


def test_cli_index_and_search(tmp_path):
    home = tmp_path / "home"
    cat = Catalog((home.mkdir() or home) / "catalog.sqlite")
    _, r1 = _add(cat, "a", _record("余杭区2017年度报告", "浙江省杭州市余杭区", "330110", 2017,
                                   [("五、存在的主要问题", "土地征收信息公开不够及时")]))
    cat.close()
    runner = CliRunner()
    res = runner.invoke(app, ["search", "土地征收", "--home", str(home)])
    assert res.exit_code != 0 and "xxgk index" in (res.output + str(res.exception))
    res = runner.invoke(app, ["index", "--home", str(home), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["documents"] == 1
    res = runner.invoke(app, ["search", "土地征收", "--home", str(home), "--region", "浙江省", "--year", "2015-2020",
                              "--section", "存在的主要问题", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["total"] == 1 and out["hits"][0]["report_id"] == r1 and out["facets"]["year"] == {"2017": 1}
    assert out["hits"][0]["snippets"][0]["spans"]
    res = runner.invoke(app, ["search", "土地征收", "--home", str(home), "--format", "table"])  # a pipe gets TSV
    assert res.exit_code == 0 and "余杭区2017年度报告" in res.stdout and "by province" in res.stdout
    res = runner.invoke(app, ["search", '"土地', "--home", str(home)])
    assert res.exit_code != 0


def _link(cat: Catalog, report_ids: list[int]) -> int:
    """Link reports as copies the way the crawler does (archive.crawl.link_report); the canonical id."""
    from archive.crawl import link_report

    canonical = 0
    with cat.write() as c:
        for rid in report_ids:
            canonical = link_report(c, rid, "浙江省杭州市余杭区||2017", "region|agency|year")
    return canonical


@pytest.mark.parametrize("backend", BACKENDS)
def test_linked_copies_show_and_count_once(catalog, tmp_path, backend, request):
    use_backend(request, backend)
    idx = tmp_path / "index"
    secs = [("一、总体情况", "推进土地征收信息公开")]
    _, agency_copy = _add(catalog, "a", _record("余杭区2017年度报告", "浙江省杭州市余杭区", "330110", 2017, secs))
    _, portal_copy = _add(catalog, "b", _record("余杭区2017年度报告（更正）", "浙江省杭州市余杭区", "330110", 2017, secs))
    _, other = _add(catalog, "c", _record("西湖区2017年度报告", "浙江省杭州市西湖区", "330106", 2017, secs))
    sync_index(catalog, idx, backend)
    assert _ids(idx, "土地征收") == {agency_copy, portal_copy, other}  # not linked yet

    canonical = _link(catalog, [agency_copy, portal_copy])
    assert canonical == portal_copy  # the corrected version wins
    stats = sync_index(catalog, idx)  # links fire no change trigger: the sync finds them itself
    assert stats.regrouped == 2 and not stats.rebuilt
    with SearchIndex.open(idx) as ix:
        res = ix.search("土地征收", limit=100)
        assert res.total == 2 and {h.report_id for h in res.hits} == {portal_copy, other}
        hit = next(h for h in res.hits if h.report_id == portal_copy)
        assert [c["report_id"] for c in hit.copies] == [agency_copy] and hit.copies[0]["url"].endswith("/a.html")
        assert res.facets == {"year": {2017: 2}, "province": {"浙江省": 2}}
        every = ix.search("土地征收", limit=100, collapse=False)
        assert every.total == 3 and every.facets["year"] == {2017: 3}
        assert all(not h.copies for h in every.hits)
    assert sync_index(catalog, idx).regrouped == 0

    runner = CliRunner()
    home = tmp_path / "home"
    home.mkdir()
    catalog.conn.execute("VACUUM INTO ?", (str(home / "catalog.sqlite"),))
    assert runner.invoke(app, ["index", "--home", str(home), "--backend", backend]).exit_code == 0
    res = runner.invoke(app, ["search", "土地征收", "--home", str(home), "--json"])
    out = json.loads(res.stdout)
    assert out["total"] == 2 and out["facets"]["year"] == {"2017": 2}
    res = runner.invoke(app, ["search", "土地征收", "--home", str(home), "--json", "--all-copies"])
    assert json.loads(res.stdout)["total"] == 3
    res = runner.invoke(app, ["search", "余杭区", "--home", str(home), "--format", "table"])  # a pipe gets TSV
    assert res.exit_code == 0 and "also at: http://example.gov.cn/a.html" in res.stdout, res.output


def test_an_index_of_an_older_layout_is_rebuilt(catalog, tmp_path):
    idx = tmp_path / "index"
    _, r1 = _add(catalog, "a", _record("报告", "浙江省杭州市余杭区", "330110", 2017, [("一、总体情况", "政务公开")]))
    sync_index(catalog, idx, "whoosh")
    meta = json.loads((idx / "meta.json").read_text())
    (idx / "meta.json").write_text(json.dumps(dict(meta, layout=1)))
    with pytest.raises(Exception, match="rebuild"):
        SearchIndex.open(idx)
    stats = sync_index(catalog, idx)
    assert stats.rebuilt and _ids(idx, "政务公开") == {r1}
