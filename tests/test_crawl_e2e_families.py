"""End to end over the families of issue 8: jpaas (泰州), gkmlpt (肇庆), Shanghai (上海市, with GBK
legacy pages), Epoint (黄浦), Zhejiang per-unit pages (平湖), a document.write TRS column (海淀) and
a Guangdong ``content/post_`` portal column read in generic mode (深圳).

Each site is crawled through its shipped profile and checked against the replica's truth as
``test_crawl_e2e`` checks the first families (its helpers are reused): every reachable report
found once per publisher and year with its values and publish date, nothing else stored as a
report, robots.txt and the profiles' hosts obeyed (the access log), each family's own list
endpoint used, and a ``kill -9`` in the middle of ``xxgk crawl`` then the same command finishing
without fetching anything twice.
"""
from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from archive.crawl import canonical_reports, run_crawl
from archive.home import Home
from replica import ReplicaServer
from scraper.engine import CrawlSettings
from archive.commands.demo import replica_profiles
from fixtures.crawl_cli import crawl_command, kill_mid_crawl, rerun_crawl, urls_stored_twice
from test_crawl_e2e import FAST, canonical_ids, sources_by_url, stored_report_urls, true_report_urls

pytestmark = pytest.mark.slow

FAMILY_SITES = {"taizhou": "jpaas", "zhaoqing": "gkmlpt", "shanghai": "shanghai",
                "huangpu": "epoint", "pinghu": "zj_annual", "haidian": "trs", "shenzhen": "generic"}
HEADLINE = ("applications.new.total", "review.total")
# the request that shows a family's own list mechanism was used (host, path prefix)
LIST_ENDPOINTS = {
    "taizhou": ("www.taizhou.gov.cn", "/api-gateway/jpaas-publish-server/front/page/build/unit"),
    "zhaoqing": ("www.zhaoqing.gov.cn", "/gkmlpt/api/all/"),
    "shanghai": ("www.shanghai.gov.cn", "/nw12344/index_2.html"),
    "huangpu": ("hpq.sh.gov.cn", "/shhp/ShowInfo/MoreInfo.aspx?CategoryNum=031003003001&pageing=2"),
    "pinghu": ("www.pinghu.gov.cn", "/module/xxgk/xxgkAnnualReport.jsp?area=741033213&fbtime="),
    "haidian": ("zyk.bjhd.gov.cn", "/jbdt/auto10489_51767/zfwj_59297/zfwj_59339/index_1.shtml"),
    "shenzhen": ("www.sz.gov.cn", "/cn/xxgk/ndxxgkbg/index_2.html"),
}


def family_profiles(rep: ReplicaServer) -> list:
    return [p for p in replica_profiles(rep.info, tuple(set(FAMILY_SITES.values())))
            if p.name in FAMILY_SITES]


def expected(rep: ReplicaServer, site: str | None = None) -> list:
    return [r for r in rep.truth.expected(site) if r.site in FAMILY_SITES]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with ReplicaServer(seed=0, delays=0.2) as rep:
        home = Home.open(tmp_path_factory.mktemp("e2e8") / "home")
        summary = run_crawl(home, family_profiles(rep), CrawlSettings(delay=0, allow_fast=True),
                            fetch_settings=FAST, resolve=rep.info.resolve)
        yield rep, home, summary
        home.close()


def test_the_profiles_cover_every_new_family():
    with ReplicaServer(seed=0, delays=0) as rep:
        assert {p.name: p.family for p in family_profiles(rep)} == FAMILY_SITES


@pytest.mark.parametrize("site", sorted(FAMILY_SITES))
def test_every_report_is_found_once_with_its_values_and_date(crawled, site):
    rep, home, summary = crawled
    assert summary.sites[site].done and summary.sites[site].errors == 0
    by_url = sources_by_url(home)
    missing, doubled, wrong = [], [], []
    for truth in expected(rep, site):
        canon = canonical_ids(by_url, truth)
        if not canon:
            missing.append(truth.key)
            continue
        if len(canon) > 1:
            doubled.append((truth.key, canon))
        record = home.catalog.get_report(canon.pop())["record"]
        got = (record["year"], record["region"], record["agency"], record["published"])
        want = (truth.year, truth.region, truth.agency, truth.published)
        if got != want:
            wrong.append((truth.key, got, want))
        for key in HEADLINE:
            if key in truth.metrics and record["metrics"].get(key) != truth.metrics[key]:
                wrong.append((truth.key, key, record["metrics"].get(key), truth.metrics[key]))
    assert expected(rep, site) and missing == [] and doubled == [] and wrong == []


def test_nothing_but_reports_is_stored_as_a_report(crawled):
    rep, home, _ = crawled
    assert len(canonical_reports(home.catalog)) == len(expected(rep))
    stored = stored_report_urls(home)
    assert stored and stored <= true_report_urls(rep)
    noise = {n.url for n in rep.truth.noise if n.site in FAMILY_SITES and n.kind in ("指南", "通知", "解读")}
    asked = {f"{r.scheme}://{r.host}{r.path}" for r in rep.requests()}
    assert noise and not noise & asked, "a 指南/通知/解读 page was fetched"


def test_robots_scope_and_each_familys_list_mechanism(crawled):
    rep, _, _ = crawled
    assert rep.forbidden_requests() == []
    hosts = {h for p in family_profiles(rep) for h in p.hosts}
    log = rep.requests()
    assert log and {r.host for r in log} <= hosts
    for host in {r.host for r in log}:   # robots.txt read before anything else of a host
        assert log[[r.host for r in log].index(host)].path == "/robots.txt"
    for site, (host, prefix) in LIST_ENDPOINTS.items():
        assert any(r.status == 200 for r in rep.requests(host=host, path_prefix=prefix)), site
    # the gkmlpt index names other categories: only the report category's list is asked for
    asked = {r.path.split("?")[0] for r in rep.requests(host="www.zhaoqing.gov.cn", path_prefix="/gkmlpt/api/")}
    assert asked == {"/gkmlpt/api/all/2160"}


def test_gbk_legacy_pages_and_migrated_urls_keep_their_own_titles_and_dates(crawled):
    rep, home, _ = crawled
    by_url = sources_by_url(home)
    legacy = [r for r in expected(rep, "shanghai") if "/nw2/" in (r.page_url or "")]
    migrated = [r for r in expected(rep) if r.key in ("shanghai-2019", "taizhou-2016", "haidian-2018")]
    assert legacy and len(migrated) == 3
    for truth in legacy + migrated:
        report_id = next(row["report_id"] for row in by_url[truth.page_url] if row["report_id"])
        record = home.catalog.get_report(report_id)["record"]
        assert (record["title"], record["published"]) == (truth.title, truth.published)
    for truth in migrated:   # the URL's date is the migration's, not the publication's
        assert truth.published.replace("-", "") not in truth.page_url


def test_kill_9_then_the_same_command_completes_without_fetching_twice(tmp_path):
    home = tmp_path / "home"
    with ReplicaServer(seed=3, delays=0.3) as rep:
        args = crawl_command(rep, home, family_profiles(rep))
        kill_mid_crawl(args, home)   # answers in flight at the kill (a PDF being drawn) reach the log
        resumed_at = time.time()
        rerun_crawl(args)
        with Home.open(home) as h:
            assert len(canonical_reports(h.catalog)) == len(expected(rep))
            twice_stored = urls_stored_twice(h.catalog)
        assert twice_stored == []

        # list API answers carry no validators: they are asked again on resume by design
        def files(records) -> Counter:
            return Counter((r.host, r.path) for r in records if r.status == 200 and r.path != "/robots.txt"
                           and "/api" not in r.path and not re.search(r"\?area=\d+$", r.path))

        first = files(r for r in rep.requests() if r.time < resumed_at)
        second = files(r for r in rep.requests() if r.time >= resumed_at)
        assert [k for k, n in second.items() if n > 1] == []      # the resumed run asks each file once
        again = [k for k in second if k in first]
        # only what was in flight at the kill (its fetch not yet recorded) is asked again
        assert len(again) <= 2 * len(FAMILY_SITES), again
