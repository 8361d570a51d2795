"""The replica site, served for real on 127.0.0.1 and read with the real Fetcher."""
from __future__ import annotations

import io
import json
import re
import time

import pytest

from replica import ReplicaServer, build_world
from replica.families.hanweb import datastore
from scraper.errors import FetchTimeoutError, RobotsDisallowedError
from scraper.fetcher import Fetcher
from scraper.models import FetchRequest
from scraper.settings import FetchSettings


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer(seed=3, delays=0.4, throttle=False) as rep:
        yield rep


def fetcher_for(rep, **settings):
    base = dict(delay=0.0, backoff_base=0.01, timeout=5.0)
    base.update(settings)
    return Fetcher(FetchSettings(**base), rep.info.hosts, resolve=rep.info.resolve)


@pytest.fixture
def fetcher(replica):
    with fetcher_for(replica) as f:
        yield f


# --- the truth --------------------------------------------------------------------------------
def test_truth_covers_years_eras_levels_and_formats(replica):
    truth = replica.truth
    expected = truth.expected()
    last = replica.world.last_year
    years = {r.year for r in expected}
    assert min(years) == 2008 and max(years) == last
    assert {r.format for r in expected} == {"legacy", "gb2019", "gb2021"}
    assert {r.level for r in expected} >= {"province", "city", "district", "town", "department"}
    media = {r.primary_media_type for r in expected} | {a.media_type for r in expected for a in r.attachments}
    assert {"text/html", "application/pdf"} <= media and any("wordprocessingml" in m for m in media)
    assert any(r.page_url is None for r in expected)                 # published only as attachment
    assert any(r.copies for r in expected)                           # listed on the parent portal
    kinds = {(n.site, n.kind) for n in truth.noise}
    assert {("yuhang", "图解"), ("yuhang", "解读"), ("yuhang", "通知")} <= kinds
    assert {r.unreachable for r in truth.unreachable()} == {"robots", "blocked:ruishu"}
    pairs = [(r.publisher, r.year) for r in expected]
    assert len(pairs) == len(set(pairs))                              # one report per publisher-year
    assert 40 <= len(expected) <= 160   # issue 8 added the jpaas, gkmlpt, Shanghai, Epoint, per-unit and document.write sites


def test_same_seed_same_world_and_consistent_tables():
    a, b, c = build_world(1), build_world(1), build_world(2)
    assert a.truth.as_dict() == b.truth.as_dict()
    assert [r.metrics for r in a.truth.reports] != [r.metrics for r in c.truth.reports]
    for r in a.truth.reports:
        m = r.metrics
        if r.format == "legacy":
            assert m["applications.new.total"] == sum(
                m[f"applications.channel.{k}"] for k in ("in_person", "online", "letter"))
            continue
        for col in ("natural", "commercial", "research", "social", "legal", "other_org", "total"):
            g = lambda row: m.get(f"applications.{row}.{col}", 0)  # noqa: E731 (blank = 0 in a template)
            assert g("new") + g("carried_in") == g("processed_total") + g("carried_out")


# --- serving ------------------------------------------------------------------------------------
def test_every_expected_url_is_served(replica, fetcher):
    for report in replica.truth.expected():
        for url in report.urls():
            res = fetcher.fetch(url)
            assert res.ok, (url, res.status, res.blocked)
            if url == report.primary_url:
                assert res.media_type == report.primary_media_type
                if res.media_type == "text/html":
                    assert report.title in res.text()
    assert replica.forbidden_requests() == []


def test_pdf_and_docx_attachments_hold_the_report(replica, fetcher):
    import docx
    import pdfplumber
    pdf = next(r for r in replica.truth.expected() if r.primary_media_type == "application/pdf")
    res = fetcher.fetch(pdf.primary_url)
    with pdfplumber.open(io.BytesIO(res.body)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert pdf.title in text and "三、收到和处理政府信息公开申请情况" in text
    word = next(r for r in replica.truth.expected() if "wordprocessingml" in r.primary_media_type)
    res = fetcher.fetch(word.primary_url)
    d = docx.Document(io.BytesIO(res.body))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert str(word.metrics["applications.new.total"]) in cells


def test_trs_pager_script_counts_the_pages(replica, fetcher):
    site = replica.info.sites["nanjing"]
    first = fetcher.fetch(site.entry_url).text()
    total = int(re.search(r"createPageHTML\((\d+), 0, \"index\", \"html\"\)", first).group(1))
    listed = set(re.findall(r'href="(\./\d{6}/t\d{8}_\d+\.html)"', first))
    for n in range(1, total):
        page = fetcher.fetch(site.entry_url.replace("index.html", f"index_{n}.html"))
        assert page.status == 200 and f"createPageHTML({total}, {n}," in page.text()
        listed |= set(re.findall(r'href="(\./\d{6}/t\d{8}_\d+\.html)"', page.text()))
    past = fetcher.fetch(site.entry_url.replace("index.html", f"index_{total}.html"))
    assert 'http-equiv="refresh"' in past.text()
    own = [r for r in replica.truth.expected("nanjing") if r.page_url]
    assert {"./" + r.page_url.split("zfxxgkndbg/")[1] for r in own} <= listed


def test_trs_layout_variants(replica, fetcher):
    jyj = fetcher.fetch(replica.info.entry_url("nanjing-jyj")).text()
    assert re.search(r"createPageHTML\('page_div', \d+, 1, 'index', 'htm', \d+\)", jyj)
    jn = fetcher.fetch(replica.info.entry_url("jiangning")).text()
    assert re.search(r'createPageHTML\(\d+, 0, "index", "html", "black2", \d+\)', jn)
    assert re.search(r'href="\./\d{6}/P0\d{20}\.pdf"', jn)           # a list row straight to a PDF


def test_hanweb_datastore_and_proxy_give_every_record(replica, fetcher):
    site = replica.info.sites["yuhang"]
    p = site.params
    page = fetcher.fetch(site.entry_url).text()
    block = re.search(r'<script type="text/xml">(.*?)</script>', page, re.S).group(1)
    total = int(re.search(r"<totalrecord>(\d+)</totalrecord>", block).group(1))
    hrefs = re.findall(r'<record><!\[CDATA\[<li><a href="([^"]+)"', block)
    assert len(hrefs) == site.perpage and "dataproxy.jsp?page=1" in block
    form = {"col": "1", "appid": "1", "webid": p["webid"], "path": "/", "columnid": p["columnid"],
            "sourceContentType": "1", "unitid": p["unitid"], "webname": site.name, "permissiontype": "0"}
    start = site.perpage + 1
    while start <= total:
        end = start + site.perpage - 1
        res = fetcher.fetch(FetchRequest(
            f"http://{site.host}{p['proxy']}?startrecord={start}&endrecord={end}&perpage={site.perpage}",
            method="POST", data=form, referer=site.entry_url,
            headers={"X-Requested-With": "XMLHttpRequest"}))
        assert res.media_type == "application/xml"
        hrefs += re.findall(r'<a href="([^"]+)"', res.body.decode())
        start = end + 1
    assert len(hrefs) == total == len(replica.world.listings["yuhang"])
    own = {r.page_url.split(site.host)[1] for r in replica.truth.expected("yuhang")}
    assert own <= set(hrefs)
    wrong = fetcher.fetch(FetchRequest(f"http://{site.host}{p['proxy']}?startrecord=1&endrecord=5",
                                       method="POST", data={**form, "columnid": "1"}))
    assert "<totalrecord>0</totalrecord>" in wrong.body.decode()


def test_hanweb_downfile_redirects_to_the_attachment_host(replica, fetcher):
    report = replica.truth.by_key("yuhang-2020")
    att = report.attachments[0]
    res = fetcher.fetch(FetchRequest(att.url, referer=report.page_url))
    assert res.status == 200 and res.media_type == "application/pdf"
    assert res.redirects == [(302, att.url)] and res.final_url == att.final_url


def test_gbk_host_and_charset_mismatch(replica, fetcher):
    listing = fetcher.fetch(replica.info.entry_url("nanjing-jyj"))
    assert listing.charset is None and b"charset=gb2312" in listing.body
    assert "南京市教育局" in listing.text()
    mismatch = replica.truth.by_key("nanjing-jyj-2020")
    res = fetcher.fetch(mismatch.page_url)
    assert res.charset == "utf-8"                                   # the header says so …
    with pytest.raises(UnicodeDecodeError):
        res.body.decode("utf-8")                                    # … the bytes are GBK
    assert mismatch.title in res.text()


def test_robots_disallow_all_is_obeyed(replica, fetcher):
    report = next(r for r in replica.truth.unreachable() if r.unreachable == "robots")
    with pytest.raises(RobotsDisallowedError):
        fetcher.fetch(report.page_url)
    paths = [r.path for r in replica.requests(host="sfj.nanjing.gov.cn")]
    assert set(paths) <= {"/robots.txt"} and replica.forbidden_requests() == []


def test_ruishu_host_and_soft_404_are_recorded(replica, fetcher):
    blocked = next(r for r in replica.truth.unreachable() if r.unreachable == "blocked:ruishu")
    res = fetcher.fetch(blocked.page_url)
    assert res.status == 412 and res.blocked == "ruishu" and res.attempts == 1
    missing = next(n for n in replica.truth.noise if n.kind == "missing")
    res = fetcher.fetch(missing.url)
    assert res.status == 200 and res.blocked == "soft404"


def test_redirects_http_to_https_and_moved_host(replica, fetcher):
    zj = replica.info.sites["zhejiang"]
    res = fetcher.fetch(zj.entry_url.replace("https://", "http://"))
    assert res.final_url == zj.entry_url and res.redirects[0][0] == 301
    log = replica.requests(host=zj.host, path_prefix=zj.column)
    assert [(r.scheme, r.status) for r in log[-2:]] == [("http", 301), ("https", 200)]
    res = fetcher.fetch("http://xxgk.yuhang.gov.cn/col/col1229179150/index.html")
    assert res.final_url == replica.info.entry_url("yuhang")


def test_500_heals_on_retry():
    with ReplicaServer(seed=0, delays=0) as rep, fetcher_for(rep) as fetcher:
        (host, path), = [k for k, v in rep.world.faults.items() if v == "flaky"]
        res = fetcher.fetch(f"http://{host}{path}")
        assert res.status == 200 and res.attempts == 2
        assert [r.status for r in rep.requests(host=host, path_prefix=path)] == [500, 200]


def test_slow_page_takes_its_time_and_can_time_out(replica):
    (host, path), = [k for k, v in replica.world.faults.items() if v == "slow"]
    with fetcher_for(replica) as f:
        assert f.fetch(f"http://{host}{path}").elapsed >= 0.35
    with fetcher_for(replica, timeout=0.1, max_retries=0) as f:
        with pytest.raises(FetchTimeoutError):
            f.fetch(f"http://{host}{path}")


def test_throttle_answers_429_and_retry_after_is_honoured():
    with ReplicaServer(seed=0, delays=0, throttle_burst=4, throttle_window=5.0, retry_after=1) as rep:
        with fetcher_for(rep) as f:
            url = rep.info.entry_url("yuhang")
            started = time.monotonic()
            results = [f.fetch(url) for _ in range(5)]
            assert all(r.status == 200 for r in results)
            assert f.stats.get("fetch/retry/reason/429") >= 1
            statuses = [r.status for r in rep.requests(host="www.yuhang.gov.cn")]
            assert 429 in statuses
            assert time.monotonic() - started >= 0.95


def test_conditional_get_and_changes_between_crawls(replica, fetcher):
    site = replica.info.sites["renhe"]
    report = replica.truth.expected("renhe")[0]
    first = fetcher.fetch(report.page_url)
    listing = fetcher.fetch(site.entry_url)
    again = fetcher.fetch(FetchRequest(report.page_url, etag=first.etag))
    assert again.not_modified and again.status == 304
    by_date = fetcher.fetch(FetchRequest(report.page_url, last_modified=first.last_modified))
    assert by_date.not_modified
    changed = replica.change_report(report.key)
    res = fetcher.fetch(FetchRequest(report.page_url, etag=first.etag))
    assert res.status == 200 and res.etag != first.etag
    assert str(changed.metrics["applications.new.total"]) in res.text()
    new = replica.publish_report("renhe")
    assert new in replica.truth.expected("renhe") and new.agency
    res = fetcher.fetch(FetchRequest(site.entry_url, etag=listing.etag))
    assert res.status == 200 and new.title in res.text()
    assert fetcher.fetch(new.page_url).ok
    untouched = replica.truth.expected("renhe")[-2]
    first_u = fetcher.fetch(untouched.page_url)
    assert fetcher.fetch(FetchRequest(untouched.page_url, etag=first_u.etag)).not_modified


def test_access_log_records_and_writes_jsonl(tmp_path):
    path = tmp_path / "access.jsonl"
    with ReplicaServer(seed=0, delays=0, log_path=path) as rep:
        with fetcher_for(rep) as f:
            f.fetch(FetchRequest(rep.info.entry_url("renhe"), etag='"x"'))
        rows = rep.requests(host="renhe.yuhang.gov.cn")
        assert [r.path for r in rows] == ["/robots.txt", "/zwgk/gknb/index.html"]
        assert rows[1].if_none_match == '"x"' and "xxgk" in rows[1].user_agent
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert lines[1]["path"] == "/zwgk/gknb/index.html" and lines[1]["status"] == 200


def test_datastore_pages_are_inclusive_and_one_based():
    world = build_world(0)
    site = world.sites["yuhang"]
    items = sorted(world.listings["yuhang"], key=lambda it: it.date, reverse=True)
    xml = datastore(site, items, 2, 3)
    assert xml.count("<record>") == 2 and items[1].title in xml


def test_bytes_are_the_same_in_another_process():
    """ETags must survive a restart of the replica (resume and re-crawl tests restart it)."""
    import hashlib
    import subprocess
    import sys
    code = ("from replica.server import ReplicaServer\nimport hashlib\n"
            "rep = ReplicaServer(seed=3)\n"
            "for host in rep.hosts:\n"
            "    for path in rep.paths(host):\n"
            "        if path.endswith(('.html', '.htm', '.shtml')):\n"
            "            print(host, path, hashlib.sha1(rep.resource(host, path).body).hexdigest())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin"}).stdout
    replica = ReplicaServer(seed=3)   # built, not started: the same files
    mine = [f"{host} {path} {hashlib.sha1(replica.resource(host, path).body).hexdigest()}"
            for host in replica.hosts for path in replica.paths(host)
            if path.endswith((".html", ".htm", ".shtml"))]
    assert out.splitlines() == mine and len(mine) > 50


def test_python_m_replica_runs_standalone():
    import subprocess
    import sys
    proc = subprocess.Popen([sys.executable, "-m", "replica", "--delays", "0"],
                            stdout=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("}"):
                break
        info = json.loads("".join(lines))
        assert info["resolve"]["www.nanjing.gov.cn"].startswith("127.0.0.1:")
        assert info["entry_urls"]["yuhang"] == "http://www.yuhang.gov.cn/col/col1229179150/index.html"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_home_pages_link_the_column_or_are_js_shells(replica, fetcher):
    shell = fetcher.fetch("http://www.nanjing.gov.cn/")
    assert len(shell.body) < 400 and b"location.replace('/xxgk/zfxxgkndbg/index.html')" in shell.body
    home = fetcher.fetch("http://www.yuhang.gov.cn/").text()
    assert 'href="/col/col1229179150/index.html"' in home
