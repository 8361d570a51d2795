"""Generic mode falls back on the generic reader where the recognised family's reader finds no
rows: a TRS column (createPageHTML pager, t-date links) whose rows are table cells, not ``<li>``.
A real HTTP server on loopback, the real engine and fetcher, the in-memory sink.
"""
from __future__ import annotations

import http.server
import threading

import pytest

from scraper.engine import CrawlEngine, CrawlSettings
from scraper.fetcher import Fetcher
from scraper.profiles import adhoc_profile
from scraper.settings import FetchSettings
from scraper.sink import MemorySink

HOST = "www.lishui.gov.cn"
FOLDER = "/zwgk/zfxxgknb/"


def _list_page(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f'<tr><td><a href="{href}">{title}</a></td><td>2024-01-2{i}</td></tr>'
                    for i, (href, title) in enumerate(rows))
    return (f'<html><head><meta charset="utf-8"></head><body><table class="list">{cells}</table>'
            '<script>createPageHTML(2, 0, "index", "html");</script></body></html>')


PAGES = {
    "/robots.txt": "User-agent: *\nDisallow: /admin/\n",
    FOLDER + "index.html": _list_page([("./202401/t20240120_101.html", "南京市溧水区2023年政府信息公开工作年度报告"),
                                       ("./202401/t20240121_102.html", "溧水区政务公开工作要点")]),
    FOLDER + "index_1.html": _list_page([("./202301/t20230120_201.html", "南京市溧水区2022年政府信息公开工作年度报告")]),
}
ARTICLES = (FOLDER + "202401/t20240120_101.html", FOLDER + "202301/t20230120_201.html")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):   # noqa: N802
        self.server.paths.append(self.path)
        body = PAGES.get(self.path)
        if body is None and self.path in ARTICLES:
            body = f"<html><body><h1>年度报告</h1><div id='zoom'>{self.path}</div></body></html>"
        status = 200 if body is not None else 404
        data = (body or "not found").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.paths = []
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_rows_the_family_reader_misses_are_read_by_the_generic_reader(server):
    entry = f"http://{HOST}{FOLDER}index.html"
    profile = adhoc_profile(entry)
    sink = MemorySink()
    with Fetcher(FetchSettings(delay=0), resolve={HOST: f"127.0.0.1:{server.server_address[1]}"}) as fetcher:
        summary = CrawlEngine([profile], sink, fetcher, CrawlSettings(delay=0, allow_fast=True)).run()
    column = summary.sites[HOST].columns[entry]
    assert column["family"] == "trs" and "createPageHTML(…) pager script" in column["why"]
    assert "generic reader" in column["fallback"]
    assert {req.url for req, _ in sink.stored} == {f"http://{HOST}{a}" for a in ARTICLES}
    assert FOLDER + "index_1.html" in server.paths           # the family's pages were still read
    assert FOLDER + "202401/t20240121_102.html" not in server.paths   # not a report: not fetched
