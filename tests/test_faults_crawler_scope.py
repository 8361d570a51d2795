"""Scope is scheme + host + port (issue 13, item 6): another port of an allowed host is refused.

Two real servers on loopback: the site on one port, a bait server on another port of the same
host. The real ``xxgk crawl`` of the site follows neither a redirect nor an attachment link to the
bait port; the bait server's log stays empty.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "fixtures"))

from conftest import XXGK  # noqa: E402
from fault_files import run_measured  # noqa: E402
from hostile_servers import REPORT_TITLE, HostileServer, page, redirect  # noqa: E402
from scraper.errors import OutOfScopeError  # noqa: E402
from scraper.fetcher import Fetcher  # noqa: E402
from scraper.scope import Scope, origin_of, scope_items  # noqa: E402
from scraper.settings import FetchSettings  # noqa: E402


def _column(*rows: tuple[str, str]) -> str:
    items = "".join(f'<li><a href="{href}">{title}</a><span>2023-01-05</span></li>' for href, title in rows)
    return f"<html><body><ul>{items}</ul></body></html>"


def test_crawl_refuses_a_redirect_and_an_attachment_to_another_port(tmp_path: Path):
    with HostileServer({"/a.pdf": page(b"%PDF-1.4 bait", content_type="application/pdf"),
                        "/moved.html": page("bait")}) as bait:
        article = (f'<html><body><h1>{REPORT_TITLE}</h1><p>正文</p>'
                   f'<a href="{bait.url("/a.pdf")}">附件：{REPORT_TITLE}.pdf</a></body></html>')
        site_routes = {
            "/col/": page(_column(("/r1.html", REPORT_TITLE), ("/r2.html", "2021年政府信息公开工作年度报告"))),
            "/r1.html": page(article),
            "/r2.html": redirect(bait.url("/moved.html")),
        }
        with HostileServer(site_routes) as site:
            rc, out, err, seconds, peak_mb = run_measured(
                [str(XXGK), "crawl", site.url("/col/"), "--home", str(tmp_path / "home"), "--json",
                 "--no-index"], timeout=120)
            asked = site.paths()
        assert bait.log == []   # not even its robots.txt
    assert rc == 0, err
    summary = json.loads(out)
    refused = {f["url"]: f["reason"] for f in summary["failures"]}
    assert refused.get(site.url("/r2.html")) == "out_of_scope", summary["failures"]
    # the attachment link is not even queued: the profile's scope refuses the port (the fetcher
    # would refuse it too: test_the_fetcher_checks_every_hop_by_origin)
    assert bait.url("/a.pdf") not in refused
    assert sorted(asked) == ["/col/", "/r1.html", "/r2.html", "/robots.txt"], asked   # each once
    assert summary["stats"]["crawl/stored/new"] >= 1   # the article itself was kept
    assert seconds < 60 and peak_mb < 400, (seconds, peak_mb)


def test_the_fetcher_checks_every_hop_by_origin():
    with HostileServer({"/x": page("bait")}) as bait, HostileServer({
            "/ok": page("ok"), "/to-port": redirect(bait.url("/x")),
            "/to-https": redirect(f"https://127.0.0.1:{bait.port}/x")}) as site, \
            Fetcher(FetchSettings(delay=0, max_retries=0), [site.origin]) as f:
        assert f.fetch(site.url("/ok")).body == b"ok"
        for path in ("/to-port", "/to-https"):
            with pytest.raises(OutOfScopeError) as e:
                f.fetch(site.url(path))
            assert e.value.redirects == [(302, site.url(path))]
            assert "another port or scheme" in str(e.value)
        with pytest.raises(OutOfScopeError):
            f.fetch(bait.url("/x"))
        assert f.allows(site.url("/y")) and not f.allows(bait.url("/y"))
    assert bait.log == []


@pytest.mark.parametrize("items, url, allowed", [
    (["www.x.gov.cn"], "http://www.x.gov.cn/a", True),
    (["www.x.gov.cn"], "https://WWW.X.GOV.CN:443/a", True),
    (["www.x.gov.cn"], "http://www.x.gov.cn:80/a", True),
    (["www.x.gov.cn"], "http://www.x.gov.cn:8080/a", False),
    (["www.x.gov.cn"], "https://www.x.gov.cn:80/a", False),
    (["www.x.gov.cn"], "http://www.x.gov.cn:443/a", False),
    (["www.x.gov.cn:8080"], "https://www.x.gov.cn:8080/a", True),
    (["www.x.gov.cn:8080"], "http://www.x.gov.cn/a", False),
    (["http://127.0.0.1:8123/col/"], "http://127.0.0.1:8123/r.html", True),
    (["http://127.0.0.1:8123"], "https://127.0.0.1:8123/r.html", False),
    (["http://127.0.0.1:8123"], "http://127.0.0.1:8124/r.html", False),
    (["www.x.gov.cn"], "ftp://www.x.gov.cn/a", False),
    (["www.x.gov.cn"], "http://www.x.gov.cn:99999/a", False),
])
def test_scope_is_scheme_host_and_port(items, url, allowed):
    assert Scope(items).allows(url) is allowed


def test_a_profile_scope_holds_its_hosts_and_its_entries_origins():
    from scraper.profiles import adhoc_profile

    p = adhoc_profile("http://127.0.0.1:8123/col/")
    scope = Scope(scope_items(p))
    assert scope.allows("http://127.0.0.1:8123/a.html") and scope.allows("http://127.0.0.1/a.html")
    assert not scope.allows("http://127.0.0.1:9999/a.html")
    assert p.in_scope("http://127.0.0.1:8123/a.html") and p.in_scope("http://127.0.0.1/a.html")
    assert not p.in_scope("http://127.0.0.1:9999/a.html")
    assert not p.in_scope("https://127.0.0.1:8123/a.html", attachment=True)
    assert origin_of("HTTPS://Www.X.gov.cn./p") == ("https", "www.x.gov.cn", 443)
