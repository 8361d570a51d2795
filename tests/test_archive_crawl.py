"""CatalogSink: provenance rows, the fetch log, the resumable frontier, copies linked once."""
from __future__ import annotations

from scraper.frontier import DONE, CrawlRequest
from scraper.models import FetchResult
from scraper.profiles import builtin_profiles

from archive.crawl import CatalogSink, canonical_reports, link_report
from conftest import EXAMPLES

YUHANG = (EXAMPLES / "yuhang-2017.txt").read_bytes()
URL = "http://www.yuhang.gov.cn/art/2018/3/29/art_1229179150_1.html"


def result(body: bytes, url: str = URL, status: int = 200, **headers) -> FetchResult:
    return FetchResult(url=url, final_url=url, status=status,
                       headers={"content-type": "text/plain; charset=utf-8", **headers},
                       body=body, fetched_at="2026-01-02T03:04:05+00:00", media_type="text/plain",
                       charset="utf-8")


def request(url: str = URL, **kw) -> CrawlRequest:
    return CrawlRequest(url, "article", "yuhang", referrer="http://www.yuhang.gov.cn/col/col1/index.html",
                        list_title="杭州市余杭区2017年度政府信息公开工作年度报告(图解)", list_date="2018-03-29",
                        list_position=3, variant="图解", year=2017, **kw)


def test_store_keeps_provenance_logs_the_fetch_and_parses(home):
    sink = CatalogSink(home)
    sink.open_site("yuhang", True)
    stored = sink.store(result(YUHANG, etag='"abc"'), request(), builtin_profiles()["yuhang"])
    assert stored.new and stored.parse == "parsed" and stored.report_id
    src = home.catalog.sources(home.catalog.find_document(stored.sha256).id)[0]
    assert (src["kind"], src["site"], src["list_position"], src["etag"]) == ("crawl", "yuhang", 3, '"abc"')
    assert src["referrer"].endswith("col1/index.html") and src["list_date"] == "2018-03-29"
    prev = sink.seen(URL)
    assert prev.sha256 == stored.sha256 and prev.etag == '"abc"' and prev.list_date == "2018-03-29"
    assert sink.stored_body(stored.sha256) == YUHANG
    again = sink.store(result(YUHANG), request(), builtin_profiles()["yuhang"])
    assert not again.new and again.parse is None
    sink.close()


def test_failures_and_list_pages_are_logged_not_documents(home):
    sink = CatalogSink(home)
    sink.open_site("yuhang", True)
    listing = CrawlRequest("http://www.yuhang.gov.cn/col/col1/index.html", "list", "yuhang")
    sink.store_list(result(b"<html>list</html>", listing.url), listing)
    sink.record_failure(request("http://www.yuhang.gov.cn/x.html"), "blocked_ruishu", "412",
                        result(b"$_ts", "http://www.yuhang.gov.cn/x.html", 412))
    assert home.catalog.counts()["documents"] == 0
    rows = home.catalog.conn.execute("SELECT kind, status, error FROM fetches ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [("list", 200, None), ("article", 412, "blocked_ruishu")]
    assert sink.seen("http://www.yuhang.gov.cn/x.html") is None
    assert home.catalog.errors()[0]["stage"] == "fetch"
    sink.close()


def test_frontier_survives_a_new_sink_and_a_finished_run_starts_over(home):
    sink = CatalogSink(home)
    assert not sink.open_site("s", True).resumed
    a, b = request("http://x.gov.cn/a.html"), request("http://x.gov.cn/b.html")
    sink.frontier_add("s", [a, b])
    sink.frontier_done("s", a, DONE)
    sink.close()
    again = CatalogSink(home)
    state = again.open_site("s", True)
    assert state.resumed and {(r.url, s) for r, s in state.requests} == {(a.url, "done"), (b.url, "pending")}
    restored = dict((r.url, r) for r, _ in state.requests)[b.url]
    assert restored == b
    again.close_site("s", {})
    assert not again.open_site("s", True).resumed
    again.close()


def test_copies_link_to_one_canonical_report_by_the_compare_rule(home):
    c = home.catalog
    ids = []
    records = [("X区2020年政府信息公开工作年度报告(图解)", {}),
               ("X区2020年政府信息公开工作年度报告", {"review.total": 3, "applications.new.total": 9}),
               ("X区2020年政府信息公开工作年度报告", {"review.total": 3})]
    for n, (title, metrics) in enumerate(records):
        doc, _ = c.add_document(f"{n:064d}", 1, "text/html")
        ids.append(c.save_record(doc.id, {"title": title, "year": 2020, "region": "某省X区",
                                          "metrics": metrics}, None))
    with c.write() as conn:
        for rid in ids:
            canonical = link_report(conn, rid, "某省X区||2020", "test")
    assert canonical == ids[1]                       # the most complete record
    assert [(r["id"], r["copies"]) for r in canonical_reports(c)] == [(ids[1], 3)]
    doc, _ = c.add_document(f"{9:064d}", 1, "text/html")
    fixed = c.save_record(doc.id, {"title": "X区2020年政府信息公开工作年度报告（更正）", "year": 2020,
                                   "region": "某省X区"}, None)
    with c.write() as conn:
        assert link_report(conn, fixed, "某省X区||2020", "test") == fixed   # a correction wins


def test_finish_pending_parses_what_a_killed_run_stored(home):
    sha, _ = home.blobs.put_bytes(YUHANG)
    home.catalog.add_document(sha, len(YUHANG), "text/plain", source={
        "kind": "crawl", "url": URL, "site": "yuhang", "list_title": "杭州市余杭区2017年度政府信息公开工作年度报告"})
    sink = CatalogSink(home)
    assert sink.finish_pending({"yuhang": builtin_profiles()["yuhang"]}) == 1
    assert home.catalog.counts()["reports"] == 1 and len(canonical_reports(home.catalog)) == 1
    assert sink.finish_pending({}) == 0
    sink.close()


def test_a_json_post_request_survives_the_frontier(home):
    sink = CatalogSink(home)
    sink.open_site("j", True)
    api = CrawlRequest("http://x.gov.cn/api/list", "list", "j", "POST",
                       headers=(("X-Requested-With", "XMLHttpRequest"),), page_no=2,
                       json_body='{"pageNo": 2, "pageSize": 15}')
    sink.frontier_add("j", [api])
    sink.close()
    again = CatalogSink(home)
    (restored, state), = again.open_site("j", True).requests
    assert restored == api and restored.key == api.key and state == "pending"
    again.close()
