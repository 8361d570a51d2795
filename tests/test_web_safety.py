"""`xxgk serve` is safe from what reports and sites wrote: a hostile title, agency, snippet,
finding and URLs render as text (links only for http/https); no path leaves the home (encoded
``..`` anywhere); originals of web pages are sandboxed; a slow query is bounded (503)."""
from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from web_homes import HOSTILE, hostile_home, app_client


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, int]:
    return hostile_home(tmp_path_factory.mktemp("hostile") / "home")


@pytest.fixture(scope="module")
def client(hostile):
    with app_client(hostile[0]) as c:
        yield c


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _no_live_markup(html: str) -> None:
    """Nothing the attacker wrote is markup: no script but ours, no handler attribute, no bad link."""
    p = _Tags()
    p.feed(html)
    assert [a for t, a in p.tags if t == "script"] in ([{"src": "/static/htmx.min.js", "defer": None}], [])
    assert not [(t, a) for t, a in p.tags if any(k.startswith("on") for k in a)], "an event handler attribute"
    assert not [t for t, _ in p.tags if t == "b"] and not [a for t, a in p.tags if t == "img" and a.get("src") == "x"]
    for t, a in p.tags:
        for k in ("href", "src", "action"):
            if a.get(k):
                assert not re.match(r"\s*(javascript|vbscript|data:text)", a[k], re.I), (t, a)


def test_hostile_report_renders_as_text(client, hostile):
    _, rid = hostile
    page = client.get(f"/reports/{rid}")
    assert page.status_code == 200
    _no_live_markup(page.text)
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in page.text  # the title, shown as written
    assert "&lt;b onmouseover=&#34;alert(2)&#34;&gt;教育局&lt;/b&gt;" in page.text
    assert HOSTILE["url"] in page.text  # shown, as text
    assert f'href="{HOSTILE["url"]}"' not in page.text
    assert "&lt;script&gt;rule&lt;/script&gt;" in page.text  # a finding


def test_hostile_search_hit_and_snippet_render_as_text(client, hostile):
    _, rid = hostile
    for url in ("/search?q=依申请公开", "/search?q=alert"):
        r = client.get(url)
        assert r.status_code == 200 and f'href="/reports/{rid}"' in r.text, url
        _no_live_markup(r.text)
    r = client.get("/search?q=alert")
    assert "&lt;script&gt;" in r.text and "<script>alert" not in r.text
    api = client.get("/api/search", params={"q": "alert"}).json()
    assert any(h["title"] == HOSTILE["title"] for h in api["hits"])  # JSON keeps the data as it is


def test_hostile_values_in_compare_and_coverage(client):
    for url in ("/compare?region=海南", "/coverage", "/compare?region=安徽&shape=long"):
        r = client.get(url)
        assert r.status_code == 200, url
        _no_live_markup(r.text)


def test_every_page_forbids_inline_scripts(client, hostile):
    _, rid = hostile
    for url in ("/", "/search?q=x", f"/reports/{rid}", "/coverage", "/static/style.css", "/nope"):
        csp = client.get(url).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], url
    r = client.get(f"/reports/{rid}")
    assert r.headers["x-content-type-options"] == "nosniff"


def test_an_archived_page_shown_inline_is_sandboxed(client, hostile):
    _, rid = hostile
    r = client.get(f"/reports/{rid}/original", params={"inline": "1"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert r.headers["content-security-policy"].startswith("sandbox")
    assert r.headers["content-disposition"].startswith("inline")
    assert client.get(f"/reports/{rid}/original").headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize("path", [
    "/static/..%2f..%2fcatalog.sqlite", "/static/%2e%2e/%2e%2e/catalog.sqlite", "/static/..%5c..%5ccatalog.sqlite",
    "/static/%252e%252e/catalog.sqlite", "/reports/..%2f..%2fcatalog.sqlite/original", "/reports/1%2f..%2f..%2fx/original",
    "/reports/%2e%2e/pages/1.png", "/reports/0/pages/..%2f..%2fcatalog.sqlite.png",
    "/reports/0/evidence/..%2f..%2fcatalog.sqlite", "/static/../../archive/home.py", "/api/reports/..%2f1",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd",
])
def test_no_path_leaves_the_home(client, hostile, path):
    r = client.get(path)
    assert r.status_code in (400, 404), (path, r.status_code)
    assert b"SQLite format" not in r.content and b"root:" not in r.content and b"__future__" not in r.content


def test_blob_ids_are_checked_as_hashes(hostile):
    from archive.blobs import BlobStore
    from archive.web.safety import blob_source

    store = BlobStore(hostile[0] / "blobs")
    for bad in ("../../catalog.sqlite", "a" * 63, "A" * 64, "0" * 64 + "/..", ""):
        with pytest.raises(LookupError):
            blob_source(store, bad)
    sha = next(iter(store.iter_shas()))
    assert blob_source(store, sha).is_file()


def test_safe_href_allows_only_http_and_https():
    from archive.web.safety import safe_href

    assert safe_href("https://www.gov.cn/a?b=1") == "https://www.gov.cn/a?b=1"
    assert safe_href("http://x.gov.cn/") == "http://x.gov.cn/"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                "//evil.example/x", "/relative", "http:///nohost", "java\nscript:x", "https://a\r\nb", None, 12):
        assert safe_href(bad) is None, bad


def test_a_slow_query_is_stopped_with_503(hostile):
    import asyncio

    from archive.web.app import Web, WebError
    from archive.web.settings import WebSettings

    web = Web(hostile[0], WebSettings(query_timeout=0.3, readers=1))
    try:
        def slow(reader):  # a real statement that runs for long: a recursive count to 10^9
            return reader.conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                                       "WHERE x < 1000000000) SELECT COUNT(*) FROM c").fetchone()

        started = time.monotonic()
        with pytest.raises(WebError) as e:
            asyncio.run(web.run(slow))
        assert e.value.status == 503 and "longer than 0.3 s" in e.value.message
        assert time.monotonic() - started < 2
        # the statement was interrupted: the one reader is free again at once
        started = time.monotonic()
        assert asyncio.run(web.run(lambda r: r.conn.execute("SELECT 1").fetchone()[0])) == 1
        assert time.monotonic() - started < 2
    finally:
        web.close()
