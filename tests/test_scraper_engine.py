"""The engine over the loopback replica with the in-memory sink: filters, limits, politeness,
stop and resume, a second run that skips what it has."""
from __future__ import annotations

import pytest

from archive.commands.demo import replica_profiles
from replica import ReplicaServer
from scraper.engine import CrawlEngine, CrawlSettings
from scraper.fetcher import Fetcher
from scraper.settings import FetchSettings
from scraper.sink import MemorySink


@pytest.fixture(scope="module")
def rep():
    with ReplicaServer(seed=3, delays=0.1) as server:
        yield server


def run(rep, sink, names=None, progress=None, **settings):
    profiles = [p for p in replica_profiles(rep.info, ("trs", "hanweb", "generic"))
                if names is None or p.name in names]
    fetcher = Fetcher(FetchSettings(delay=0, backoff_base=0.05), resolve=rep.info.resolve)
    engine = CrawlEngine(profiles, sink, fetcher,
                         CrawlSettings(delay=0, allow_fast=True, **settings), progress)
    try:
        return engine, engine.run()
    finally:
        fetcher.close()


def test_a_crawl_finds_every_reachable_report_link_of_a_site(rep):
    rep.clear_log()
    sink = MemorySink()
    _, summary = run(rep, sink, ["jiangning", "nanjing-sfj", "hubei-wlt"])
    expected = [r for r in rep.truth.expected() if r.site == "jiangning"]
    stored = {req.url for req, _ in sink.stored}
    for r in expected:
        assert r.primary_url in stored, r.key
    assert summary.sites["jiangning"].done and summary.sites["jiangning"].found >= len(expected)
    assert summary.stats["crawl/error/robots_disallowed"] == 1
    assert [r.path for r in rep.requests(host="sfj.nanjing.gov.cn")] == ["/robots.txt"]
    assert summary.blocked[0][:2] == ("hubei-wlt", "http://wlt.hubei.gov.cn/zfxxgk/zfxxgknb/index.shtml")
    assert summary.stats["crawl/list/skipped/excluded"] >= 1          # the 通知 in the column


def test_years_and_max_pages_limit_what_is_requested(rep):
    rep.clear_log()
    sink = MemorySink()
    run(rep, sink, ["nanjing"], year_from=2015, year_to=2016, max_pages=1)
    assert {req.year for req, _ in sink.stored} <= {2015, 2016}
    assert not rep.requests(host="www.nanjing.gov.cn", path_prefix="/xxgk/zfxxgkndbg/index_")


def test_stop_then_resume_loses_nothing_and_fetches_nothing_twice(rep):
    rep.clear_log()
    sink = MemorySink()

    def stop_early(progress):
        if progress.fetched >= 4:
            engine.stop()

    engine = None
    profiles = [p for p in replica_profiles(rep.info, ("trs",)) if p.name == "nanjing"]
    fetcher = Fetcher(FetchSettings(delay=0), resolve=rep.info.resolve)
    engine = CrawlEngine(profiles, sink, fetcher, CrawlSettings(delay=0, allow_fast=True), stop_early)
    first = engine.run()
    fetcher.close()
    assert first.interrupted and not first.sites["nanjing"].done
    _, second = run(rep, sink, ["nanjing"])
    assert second.sites["nanjing"].resumed and second.sites["nanjing"].done
    ok = [(r.host, r.path) for r in rep.requests() if r.status == 200 and r.path != "/robots.txt"]
    assert len(ok) == len(set(ok))
    assert {r.primary_url for r in rep.truth.expected() if r.site == "nanjing"} <= {q.url for q, _ in sink.stored}


def test_a_second_run_revalidates_known_files_and_refresh_fetches_them_again(rep):
    sink = MemorySink()
    run(rep, sink, ["nanjing-jyj"])
    rep.clear_log()
    _, again = run(rep, sink, ["nanjing-jyj"])
    assert again.sites["nanjing-jyj"].unchanged >= 5 and again.sites["nanjing-jyj"].fetched == 0
    assert all(r.status == 304 for r in rep.requests() if r.path != "/robots.txt")
    rep.clear_log()
    _, trusting = run(rep, sink, ["nanjing-jyj"], revalidate=False)
    assert trusting.sites["nanjing-jyj"].skipped >= 5
    assert {r.path for r in rep.requests() if r.path != "/robots.txt"} <= {
        "/zwgk/gknb/index.htm", "/zwgk/gknb/index_1.htm", "/zwgk/gknb/index_2.htm"}
    rep.clear_log()
    _, fresh = run(rep, sink, ["nanjing-jyj"], refresh=True)
    assert fresh.sites["nanjing-jyj"].fetched >= 5
    assert all(r.if_none_match is None for r in rep.requests())


def test_delay_below_a_profile_needs_allow_fast():
    from scraper.engine import configure_fetcher
    from scraper.profiles import builtin_profiles

    fetcher = Fetcher(FetchSettings(delay=0))
    profile = builtin_profiles()["mohrss"]
    configure_fetcher(fetcher, [profile], CrawlSettings(delay=0.1))
    assert fetcher._slots.get("www.mohrss.gov.cn").delay == profile.request.delay
    configure_fetcher(fetcher, [profile], CrawlSettings(delay=0.1, allow_fast=True))
    assert fetcher._slots.get("www.mohrss.gov.cn").delay == 0.1
    fetcher.close()
