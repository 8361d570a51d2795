"""The time budget is a budget: each parse runs in a worker process killed at its budget
(``parse_timeout``), outside any lock the crawl's fetchers need. Real processes, real bytes."""
from __future__ import annotations

import http.server
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from archive.parse_pool import ParsePool  # noqa: E402
from conftest import XXGK  # noqa: E402
from fault_files import dense_ruled_pdf, report_text, run_measured  # noqa: E402
from parser import ParseError, ParseSettings, ParseTimeoutError  # noqa: E402

SLOW_PDF = None


def slow_pdf() -> bytes:
    global SLOW_PDF
    if SLOW_PDF is None:  # 12 pages of a 68 × 68 ruled table, about a second each for pdfplumber
        SLOW_PDF = dense_ruled_pdf(68, pages=12)
    return SLOW_PDF


def test_a_stuck_worker_is_killed_at_its_budget_and_replaced():
    with ParsePool(1) as pool:
        first = pool.pids
        t0 = time.monotonic()
        with pytest.raises(ParseTimeoutError) as e:
            pool.call(time.sleep, 30, timeout=1.0)
        assert e.value.reason == "parse_timeout" and time.monotonic() - t0 < 3.0  # 1 s, and the kill
        record = pool.parse(report_text(1).encode(), "text/plain")  # a new worker took its place
        assert record.year == 2017 and pool.pids != first
        with pytest.raises(ParseError) as died:
            pool.call(os._exit, 3, timeout=5)
        assert died.value.reason == "parser_died"


def test_the_slow_pdf_ends_with_parse_timeout_within_its_budget():
    with ParsePool(1) as pool:
        pool.parse(report_text(0).encode(), "text/plain")  # the worker is up
        t0 = time.monotonic()
        with pytest.raises(ParseTimeoutError) as e:
            pool.parse(slow_pdf(), None, None, ParseSettings(time_budget=2.0))
        # killed at 2 s; reaping the worker may take a moment on a busy machine
        assert e.value.reason == "parse_timeout" and time.monotonic() - t0 < 3.0


class _Sites(http.server.BaseHTTPRequestHandler):
    """www.slow.gov.cn lists one report, the slow PDF; www.fast.gov.cn lists 12 text reports."""

    def do_GET(self):  # noqa: N802
        host = (self.headers.get("Host") or "").split(":")[0]
        path = self.path
        if path == "/robots.txt":
            return self._send(b"User-agent: *\nAllow: /\n", "text/plain")
        if path == "/col/index.html":
            n = 1 if host.startswith("www.slow") else 12
            ext = "pdf" if host.startswith("www.slow") else "txt"
            items = "".join(f'<li><a href="/art/{i}.{ext}">某区{2010 + i}年政府信息公开工作年度报告</a>'
                            f"<span>2018-03-{i + 1:02d}</span></li>" for i in range(n))
            return self._send(f"<html><body><ul>{items}</ul></body></html>".encode(), "text/html; charset=utf-8")
        if path.endswith(".pdf"):
            return self._send(slow_pdf(), "application/pdf")
        if path.endswith(".txt"):
            time.sleep(0.4)  # a slow server: the fast site's fetches span the slow document's parse
            return self._send(report_text(int(path.rsplit("/", 1)[1].split(".")[0])).encode(),
                              "text/plain; charset=utf-8")
        self.send_error(404)

    def _send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def sites():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Sites)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_a_crawl_keeps_storing_other_sites_while_one_document_runs_out_its_budget(sites, tmp_path: Path):
    home = tmp_path / "home"
    slow_pdf()
    args = [str(XXGK), "crawl", "--home", str(home), "--delay", "0", "--json", "--no-index",
            "http://www.slow.gov.cn/col/index.html", "http://www.fast.gov.cn/col/index.html"]
    for host in ("www.slow.gov.cn", "www.fast.gov.cn"):
        args += ["--resolve", f"{host}=127.0.0.1:{sites}"]
    rc, out, err, seconds, peak_mb = run_measured(args, timeout=300, env={"XXGK_PARSE_TIME_BUDGET": "6"})
    assert "Traceback" not in err, err
    conn = sqlite3.connect(home / "catalog.sqlite")
    timeout_rows = conn.execute("SELECT message, at FROM errors WHERE reason = 'parse_timeout'").fetchall()
    assert len(timeout_rows) == 1 and "6 s" in timeout_rows[0][0], (timeout_rows, err)
    fast = conn.execute("SELECT COUNT(*) FROM fetches WHERE site = 'www.fast.gov.cn' AND document_id IS NOT NULL"
                        ).fetchone()[0]
    assert fast == 12
    slow_at = conn.execute("SELECT at FROM fetches WHERE url LIKE '%slow%.pdf'").fetchone()[0]
    timeout_at = timeout_rows[0][1]
    # the other site fetched and stored while the slow document was being parsed: its store never
    # waited for that parse (one connection per host: a blocked store would hold its next fetch)
    during = conn.execute("SELECT COUNT(*) FROM fetches WHERE site = 'www.fast.gov.cn' AND document_id IS NOT NULL "
                          "AND at > ? AND at < ?", (slow_at, timeout_at)).fetchone()[0]
    assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 12
    assert during >= 2, (slow_at, timeout_at, during)
    assert seconds < 60, seconds
    json.loads(out)
