"""End to end: crawl the loopback replica and check the archive against the replica's truth.

Recall and precision per publisher and year, values, robots and scope from the access log, a
``kill -9`` in the middle of ``xxgk crawl`` then the same command again, and a re-crawl after the
replica publishes one more report (only new or changed files are fetched).
"""
from __future__ import annotations

import json
from collections import Counter

import pytest

from archive.commands.demo import replica_profiles as demo_profiles
from archive.crawl import canonical_reports, run_crawl
from archive.home import Home
from replica import ReplicaServer
from scraper.engine import CrawlSettings
from scraper.settings import FetchSettings
from fixtures.crawl_cli import crawl_command, kill_mid_crawl, rerun_crawl, urls_stored_twice

pytestmark = pytest.mark.slow

FAST = FetchSettings(delay=0, backoff_base=0.05, max_retries=3)
HEADLINE = ("applications.new.total", "review.total")
# the share of headline values the parser must get right end to end (it is exact on the replica:
# tests/test_parser_replica_truth.py)
PARSER_FLOOR = 1.0


# the families of the crawler issue; later families have their own end-to-end tests
FAMILIES = ("trs", "hanweb", "generic")


def replica_profiles(rep: ReplicaServer) -> list:
    return demo_profiles(rep.info, FAMILIES)


def expected(rep: ReplicaServer) -> list:
    """The truth of the sites this crawler covers (families of later issues are left out)."""
    crawled = {p.name for p in replica_profiles(rep)} | {
        s.id for s in rep.info.sites.values() if not s.profile}
    return [r for r in rep.truth.expected() if r.site in crawled]


def crawl(rep: ReplicaServer, home: Home, **settings):
    return run_crawl(home, replica_profiles(rep), CrawlSettings(delay=0, allow_fast=True, **settings),
                     fetch_settings=FAST, resolve=rep.info.resolve)


def sources_by_url(home: Home) -> dict[str, list[dict]]:
    rows = home.catalog.conn.execute(
        "SELECT s.url, s.final_url, s.document_id, d.status, r.id AS report_id, "
        "COALESCE(l.canonical_id, r.id) AS canonical_id FROM sources s "
        "JOIN documents d ON d.id = s.document_id LEFT JOIN reports r ON r.document_id = d.id "
        "LEFT JOIN report_links l ON l.report_id = r.id WHERE s.kind = 'crawl'").fetchall()
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["url"], []).append(dict(r))
    return out


def canonical_ids(by_url: dict[str, list[dict]], truth) -> set:
    """The canonical report ids stored from any URL of a true report (page, attachments, copies)."""
    return {row["canonical_id"] for url in truth.urls() for row in by_url.get(url, [])
            if row["report_id"] is not None}


def stored_report_urls(home: Home) -> set[str]:
    """The URLs the archive's reports were read from."""
    rows = home.catalog.conn.execute(
        "SELECT s.url FROM reports r JOIN sources s ON s.document_id = r.document_id").fetchall()
    return {r["url"] for r in rows}


def true_report_urls(rep: ReplicaServer) -> set[str]:
    """Every URL at which the replica serves a report, its copies or its 图解 variants."""
    return {u for r in rep.truth.reports for u in r.urls() + list(r.variants)}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with ReplicaServer(seed=0, delays=0.3) as rep:
        home = Home.open(tmp_path_factory.mktemp("e2e") / "home")
        summary = crawl(rep, home)
        yield rep, home, summary
        home.close()


def test_every_reachable_report_is_found_once_per_publisher_and_year(crawled):
    rep, home, _ = crawled
    by_url = sources_by_url(home)
    missing, doubled = [], []
    for truth in expected(rep):
        canon = canonical_ids(by_url, truth)
        if not canon:
            missing.append(truth.key)
        elif len(canon) > 1:
            doubled.append((truth.key, canon))
    assert missing == [] and doubled == []
    canonical = canonical_reports(home.catalog)
    assert len(canonical) == len(expected(rep))


def test_nothing_but_reports_and_their_copies_is_stored_as_a_report(crawled):
    rep, home, _ = crawled
    stored = stored_report_urls(home)
    assert stored and stored <= true_report_urls(rep)
    noise = {n.url for n in rep.truth.noise if n.kind in ("指南", "通知", "解读")}
    asked = {f"{r.scheme}://{r.host}{r.path}" for r in rep.requests()}
    assert not noise & asked, "a 指南/通知/解读 page was fetched"


def test_values_match_the_truth(crawled):
    rep, home, _ = crawled
    by_url = sources_by_url(home)
    checked = right = 0
    wrong_identity = []
    for truth in expected(rep):
        report_ids = canonical_ids(by_url, truth)
        record = home.catalog.get_report(report_ids.pop())["record"]
        if (record["year"], record["region"], record["agency"]) != (truth.year, truth.region, truth.agency):
            wrong_identity.append((truth.key, record["year"], record["region"], record["agency"]))
        for key in HEADLINE:
            if key in truth.metrics:
                checked += 1
                right += record["metrics"].get(key) == truth.metrics[key]
    print(f"identity wrong: {wrong_identity}; headline values right: {right} of {checked}")
    assert wrong_identity == []
    assert checked > 40 and right >= checked * PARSER_FLOOR, f"{right} of {checked} headline values right"


def test_robots_scope_and_defences(crawled):
    rep, home, summary = crawled
    assert rep.forbidden_requests() == []
    hosts = {h for p in replica_profiles(rep) for h in p.hosts}
    assert {r.host for r in rep.requests()} <= hosts
    assert [r.path for r in rep.requests(host="sfj.nanjing.gov.cn")] == ["/robots.txt"]
    assert ("hubei-wlt", "ruishu") in {(s, k) for s, _, k in summary.blocked}
    blocked = home.catalog.conn.execute("SELECT COUNT(*) FROM fetches WHERE blocked = 'ruishu'").fetchone()[0]
    assert blocked >= 1
    # every request identified itself and said where it came from
    pages = [r for r in rep.requests() if r.path != "/robots.txt"]
    assert all(r.user_agent and r.user_agent.startswith("xxgk/") for r in pages)


def test_provenance_of_a_crawled_report(crawled):
    rep, home, _ = crawled
    truth = next(r for r in expected(rep) if r.page_url and r.site == "jiangning")
    src = home.catalog.conn.execute(
        "SELECT * FROM sources WHERE url = ? AND kind = 'crawl'", (truth.page_url,)).fetchone()
    assert src["referrer"] and src["list_title"] == truth.title and src["list_date"] == truth.published
    assert src["http_status"] == 200 and src["site"] == "jiangning" and src["list_position"] >= 1
    assert json.loads(src["headers_json"])["content-type"].startswith("text/html")


def test_kill_9_then_the_same_command_completes_without_fetching_twice(tmp_path):
    home = tmp_path / "home"
    with ReplicaServer(seed=1, delays=0.3) as rep:
        args = crawl_command(rep, home, replica_profiles(rep))
        kill_mid_crawl(args, home)
        first = rep.requests()
        out = rerun_crawl(args)
        with Home.open(home) as h:
            assert len(canonical_reports(h.catalog)) == len(expected(rep))
            stored = {r[0] for r in h.catalog.conn.execute(
                "SELECT url FROM fetches WHERE sha256 IS NOT NULL AND document_id IS NOT NULL")}
            twice_stored = urls_stored_twice(h.catalog)
        assert twice_stored == []
        # a file answered 200 twice was in flight at the kill (no fetch row from the first run)
        ok = Counter((r.host, r.path) for r in rep.requests() if r.status == 200 and r.path != "/robots.txt"
                     and r.method == "GET")
        twice = [k for k, n in ok.items() if n > 1]
        in_first = Counter((r.host, r.path) for r in first if r.status == 200)
        assert len(twice) <= len(out["sites"]), twice
        assert all(in_first[k] == 1 for k in twice), [(k, in_first[k], ok[k]) for k in twice]
        assert stored


def test_recrawl_fetches_only_what_is_new_or_changed(tmp_path):
    with ReplicaServer(seed=2, delays=0.3) as rep:
        home = Home.open(tmp_path / "home")
        crawl(rep, home)
        before = len(canonical_reports(home.catalog))
        new = rep.publish_report("jiangning")
        changed = rep.change_report(next(r.key for r in expected(rep)
                                         if r.site == "nanjing" and r.page_url and r.year == 2015))
        rep.clear_log()
        summary = crawl(rep, home)
        ok = [r for r in rep.requests() if r.status == 200 and r.path != "/robots.txt"]
        new_paths = {u.split("://", 1)[1].split("/", 1)[1] for u in new.urls() + [changed.page_url]}
        column = rep.info.sites["jiangning"].column
        unexpected = [f"{r.host}{r.path}" for r in ok
                      if r.path.lstrip("/") not in new_paths and not (
                          r.host == "www.jiangning.gov.cn" and r.path.startswith(column.rsplit("/", 1)[0]))
                      and "dataproxy" not in r.path]
        assert unexpected == []
        assert any(r.status == 304 for r in rep.requests()), "no conditional GET on the re-crawl"
        assert summary.stats.get("crawl/fetch/not_modified", 0) > 40
        assert len(canonical_reports(home.catalog)) == before + 1
        # the corrected page is stored and parsed; its report stands for that year now
        row = home.catalog.conn.execute(
            "SELECT r.id, l.canonical_id, r.record_json FROM reports r JOIN sources s ON s.document_id = r.document_id "
            "JOIN report_links l ON l.report_id = r.id WHERE s.url = ? ORDER BY r.document_id DESC LIMIT 1",
            (changed.page_url,)).fetchone()
        assert row["canonical_id"] == row["id"]
        assert home.catalog.get_report(row["id"])["record"]["metrics"]["applications.new.total"] == \
            changed.metrics["applications.new.total"]
        home.close()
