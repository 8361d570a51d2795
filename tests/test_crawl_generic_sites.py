"""Issue 12's bar: ``xxgk crawl <home page>`` on sites without a profile, one of every family.

The replica generates, per seed, two sites per family (``ReplicaServer(generated=2)``:
``replica.generated``) with their own list markup, pagination arguments, relative and absolute
links, a GBK page, a PDF-only report (a link, a viewer, or a list row to the PDF itself), a report
whose page carries a PDF copy (and an OFD copy no reader here opens), and a home page that reaches
the column only through one or two intermediate pages (a 信息公开目录 tree drawn as HTML, by a
script, by ``document.write`` or from a JSON/XML file) beside links a crawler must not take
(robots.txt ``/old/`` and ``/search/``, another government's column and report, 统计年报). The real
CLI crawls every site from its home page alone; the catalog and the replica's access log must
show every report and nothing else (recall and precision 100 %), robots.txt and scope obeyed.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import run_cli
from replica import ReplicaServer
from replica.generated import FAMILY_ORDER
from replica.portal import OTHER_COLUMN

pytestmark = pytest.mark.slow

SEEDS = (0, 1)
PER_FAMILY = 2
#: the family a crawl recognises for each replica family (Guangdong portals are read generically)
READ_AS = {f: f for f in FAMILY_ORDER} | {"gd_portal": "generic"}


def _crawl(rep: ReplicaServer, home: Path) -> dict:
    """One ``xxgk crawl`` of every generated site's home page (its --json summary)."""
    sites = [s for s in rep.info.sites.values() if s.params.get("portal")]
    assert len(sites) == PER_FAMILY * len(FAMILY_ORDER)
    args = ["crawl", *[s.home_url for s in sites], "--delay", "0", "--no-index", "--json",
            "--home", str(home)]
    for host, target in rep.info.resolve.items():
        args += ["--resolve", f"{host}={target}"]
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _sites(rep, family):
    return [s for s in rep.info.sites.values() if s.params.get("portal") and s.family == family]


def _stored(db: Path, host: str) -> set[str]:
    with sqlite3.connect(db) as c:
        return {r[0] for r in c.execute(
            "SELECT url FROM sources WHERE kind = 'crawl' AND site = ?", (host,))}


def _distinct_reports(db: Path, host: str) -> int:
    with sqlite3.connect(db) as c:
        return c.execute(
            "SELECT COUNT(DISTINCT COALESCE(l.canonical_id, r.id)) FROM reports r "
            "JOIN sources s ON s.document_id = r.document_id "
            "LEFT JOIN report_links l ON l.report_id = r.id WHERE s.site = ?", (host,)).fetchone()[0]


def _name(spec) -> str:
    """The site's name in a crawl started from its home page: the home page's host."""
    return urlsplit(spec.home_url).hostname


def _check_reports(rep, out: dict, db: Path, spec) -> list[str]:
    """Every report and nothing else, found from the home page alone."""
    problems = []
    site = out["sites"][_name(spec)]
    if not site["done"] or site["failed"]:
        return [f"not done: {site['failed']}"]
    [walk] = site["start"]
    if walk["fallback"] or not all(c["hop"] >= 2 for c in walk["columns"]):   # never linked from home
        problems.append(f"columns not found the way they are linked: {walk['columns']}")
    families = {c["family"] for c in site["columns"].values()}
    if families != {READ_AS[spec.family]}:
        problems.append(f"read as {families}")
    truth = rep.truth.expected(spec.id)
    reports = [r for r in rep.truth.reports if r.site == spec.id]
    true_urls = {u for r in reports for u in r.urls()} | {a.final_url for r in reports
                                                         for a in r.attachments}
    stored = _stored(db, _name(spec))
    primary = {r.primary_url for r in truth}
    if not primary <= stored:                                              # recall 100 %
        problems.append(f"missed {sorted(primary - stored)}")
    if not stored <= true_urls:                                            # precision 100 %
        problems.append(f"not reports {sorted(stored - true_urls)}")
    if not any(r.primary_media_type == "application/pdf" for r in truth):
        problems.append("no PDF-only report in the replica")
    distinct = _distinct_reports(db, _name(spec))
    if distinct != len(truth):                                             # page + PDF copy once
        problems.append(f"{distinct} distinct reports, {len(truth)} expected")
    return problems


def _check_access_log(rep, out: dict, spec) -> list[str]:
    """robots.txt first and obeyed, nothing of another site, no 解读/通知/指南, no OFD."""
    problems = []
    allowed = set(spec.hosts)
    asked = [q for q in rep.requests() if q.host in allowed]
    for host in {q.host for q in asked}:
        first = next(q for q in asked if q.host == host)
        if first.path != "/robots.txt":
            problems.append(f"{host}: {first.path} asked before robots.txt")
    paths = {q.path for q in asked}
    if any(p.startswith(("/old/", "/search/")) for p in paths):
        problems.append("asked what robots.txt disallows")
    if any(p.endswith(".ofd") for p in paths) or not out["sites"][_name(spec)]["unsupported"]:
        problems.append("the OFD copy was asked for or not noted")
    noise = {n.url for n in rep.truth.noise if n.site == spec.id}
    asked_urls = {f"{q.scheme}://{q.host}{q.path}" for q in asked}
    if noise & asked_urls:
        problems.append(f"asked non-reports {sorted(noise & asked_urls)}")
    return problems


@pytest.mark.parametrize("seed", SEEDS)
def test_every_report_and_nothing_else_from_the_home_page(seed: int, tmp_path: Path):
    home = tmp_path / "h"
    with ReplicaServer(seed=seed, delays=0, generated=PER_FAMILY) as rep:
        out = _crawl(rep, home)
        problems = {}
        for family in FAMILY_ORDER:
            for spec in _sites(rep, family):
                found = _check_reports(rep, out, home / "catalog.sqlite", spec) \
                    + _check_access_log(rep, out, spec)
                if found:
                    problems[spec.id] = found
        assert problems == {}
        # nothing outside the generated sites' own hosts: not the other government's column, not
        # the other site's report a column lists, not www.gov.cn
        own = {h for s in rep.info.sites.values() if s.params.get("portal") for h in s.hosts}
        assert {q.host for q in rep.requests()} <= own
        assert OTHER_COLUMN.split("/")[2] not in {q.host for q in rep.requests()}
        assert rep.forbidden_requests() == []
        # the summary says where each column was found and why
        spec = _sites(rep, "trs")[0]
        site = out["sites"][_name(spec)]
        [column] = site["columns"].values()
        assert column["found"]["found_on"] and column["found"]["why"]
        visits = site["start"][0]["visits"]
        assert visits[0]["url"] == spec.home_url and any(v["outcome"] == "column" for v in visits)


def test_a_crawl_from_home_pages_survives_a_kill_9(tmp_path: Path):
    """Killed mid-crawl, the same command walks again (the walk's pages answer 304 from the
    archive), finds the same columns, stores nothing twice and ends with every report."""
    from archive.home import Home
    from conftest import XXGK
    from fixtures.crawl_cli import kill_mid_crawl, rerun_crawl, urls_stored_twice

    home = tmp_path / "h"
    with ReplicaServer(seed=2, delays=0.3, generated=1) as rep:
        sites = [s for s in rep.info.sites.values() if s.params.get("portal")][:4]
        args = [str(XXGK), "crawl", *[s.home_url for s in sites], "--delay", "0", "--json",
                "--no-index", "--home", str(home)]
        for host, target in rep.info.resolve.items():
            args += ["--resolve", f"{host}={target}"]
        kill_mid_crawl(args, home, after=6)
        out = rerun_crawl(args)
        assert all(out["sites"][_name(s)]["resumed"] for s in sites)
        assert out["reports_in_archive"] == sum(len(rep.truth.expected(s.id)) for s in sites)
        assert all(out["sites"][_name(s)]["columns"] for s in sites)
        with Home.open(home) as h:
            assert urls_stored_twice(h.catalog) == []


def test_a_hanweb_column_without_a_profile_gets_its_pdf_from_the_attachment_host(tmp_path: Path):
    """余杭's column crawled as a URL: the report whose text is only the PDF behind downfile.jsp
    (302 to the Zhejiang OSS host, a gov.cn attachment host) is fetched and parsed."""
    home = tmp_path / "h"
    with ReplicaServer(seed=0, delays=0) as rep:
        spec = rep.info.sites["yuhang"]
        r = run_cli("crawl", spec.entry_url, "--delay", "0", "--json", "--no-index", "--home",
                    str(home), *[a for h, t in rep.info.resolve.items() for a in ("--resolve", f"{h}={t}")])
        assert r.returncode == 0, r.stderr
        stub = next(t for t in rep.truth.expected("yuhang") if t.primary_url != t.page_url)
        assert stub.attachments[0].final_url.startswith(f"https://{spec.attachment_host}/")
        assert stub.primary_url in _stored(home / "catalog.sqlite", spec.host)
        assert {q.host for q in rep.requests()} == set(spec.hosts) - set(spec.old_hosts)
        assert json.loads(r.stdout)["sites"][spec.host]["columns"][spec.entry_url]["family"] == "hanweb"


def test_a_per_unit_report_page_given_is_read_as_its_unit_and_kept_as_a_report():
    """A Zhejiang unit's report page of one year (…&fbtime=2023) given as the start: the unit's
    page (without the year) is read for every year's tab, and the page given, a report itself,
    is stored as one, not kept as a list page."""
    from scraper.engine import CrawlEngine, CrawlSettings
    from scraper.fetcher import Fetcher
    from scraper.profiles import adhoc_profile
    from scraper.settings import FetchSettings
    from scraper.sink import MemorySink

    with ReplicaServer(seed=0, delays=0) as rep:
        unit = "002520405"
        url = f"http://www.pinghu.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area={unit}&fbtime=2023"
        sink = MemorySink()
        with Fetcher(FetchSettings(delay=0), resolve=rep.info.resolve) as fetcher:
            summary = CrawlEngine([adhoc_profile(url)], sink, fetcher,
                                  CrawlSettings(delay=0, allow_fast=True)).run()
        truth = {t.primary_url for t in rep.truth.expected("pinghu") if f"area={unit}&" in t.primary_url}
        stored = {q.url for q, _ in sink.stored}
        assert url in truth and truth == stored
        assert list(summary.sites["www.pinghu.gov.cn"].columns) == [url.split("&fbtime")[0]]
