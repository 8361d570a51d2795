"""Honest failures: an unreachable site says why (DNS, connect, TLS, timeout), never "robots.txt";
a crawl in which every site failed exits non-zero with one line; Ctrl-C says what was stored and
that the same command goes on. Real sockets, a real TLS server, the real CLI, a real SIGINT.
"""
from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from archive.commands.demo import replica_profiles
from archive.crawl import canonical_reports
from archive.home import Home
from conftest import run_cli
from fixtures.crawl_cli import crawl_command, fetched_documents, rerun_crawl
from replica import ReplicaServer
from scraper.errors import FetchTransportError, RobotsDisallowedError, SiteUnreachableError
from scraper.fetcher import Fetcher
from scraper.settings import FetchSettings
from scraper.unreachable import describe_reason

HOST = "www.test.gov.cn"
QUICK = FetchSettings(delay=0, max_retries=0, timeout=0.5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):   # noqa: N802
        status = 503 if self.path == "/robots.txt" and self.server.robots_503 else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def https_server(tmp_path):
    """An HTTPS server whose self-signed certificate no client trusts."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", f"/CN={HOST}"],
                   check=True, capture_output=True, timeout=60)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    httpd.robots_503 = False
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel's backlog) and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    yield s.getsockname()[1]
    s.close()


def _kind(url: str, resolve: dict[str, str] | None) -> str:
    with Fetcher(QUICK, [HOST, "www.nosuch.invalid"], resolve=resolve) as f:
        with pytest.raises(SiteUnreachableError) as info:
            f.fetch(url)
    err = info.value
    assert "robots.txt could not be fetched" in str(err) and "disallowed" not in str(err)
    assert isinstance(err, FetchTransportError) and not isinstance(err, RobotsDisallowedError)
    return err.kind


def test_each_way_a_host_cannot_be_reached_is_named(https_server, silent_port):
    assert _kind("http://www.nosuch.invalid/x", None) == "dns"
    assert _kind(f"http://{HOST}/x", {HOST: f"127.0.0.1:{free_port()}"}) == "connect"
    assert _kind(f"https://{HOST}/x", {f"https://{HOST}": f"https://127.0.0.1:{https_server}"}) == "tls"
    assert _kind(f"http://{HOST}/x", {HOST: f"127.0.0.1:{silent_port}"}) == "timeout"


def test_a_name_that_does_not_resolve_is_not_retried():
    with Fetcher(FetchSettings(delay=0, max_retries=3, backoff_base=5), ["www.nosuch.invalid"]) as f:
        started = time.monotonic()
        with pytest.raises(SiteUnreachableError):
            f.fetch("http://www.nosuch.invalid/x")
        assert time.monotonic() - started < 4 and f.stats.get("fetch/retry/count") == 0


def test_a_robots_txt_answering_5xx_is_said_as_such():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    httpd.robots_503 = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with Fetcher(QUICK, [HOST], resolve={HOST: f"127.0.0.1:{httpd.server_address[1]}"}) as f:
            with pytest.raises(RobotsDisallowedError) as info:
                f.fetch(f"http://{HOST}/x")
        assert info.value.reason == "robots_unavailable" and "answered HTTP 503" in str(info.value)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_reasons_in_words():
    assert describe_reason("unreachable_dns") == "unreachable: host name not found (DNS)"
    assert describe_reason("timeout") == "unreachable: timed out"
    assert describe_reason("robots_disallowed") == "disallowed by robots.txt"
    assert describe_reason("http_404") == "HTTP 404"
    assert "ruishu" in describe_reason("blocked_ruishu")


def test_a_crawl_in_which_every_site_failed_exits_non_zero_in_one_line(tmp_path, https_server):
    dead = free_port()
    r = run_cli("crawl", "http://www.nosuch.invalid/gknb/", "http://www.dead.gov.cn/gknb/",
                "https://www.tls.gov.cn/gknb/", "--resolve", f"www.dead.gov.cn=127.0.0.1:{dead}",
                "--resolve", f"https://www.tls.gov.cn=https://127.0.0.1:{https_server}",
                "--home", str(tmp_path / "h"))
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    line = lines[0]
    assert line.startswith("error: every site failed")
    assert "www.nosuch.invalid: unreachable: host name not found (DNS)" in line
    assert "www.dead.gov.cn: unreachable: connection refused" in line
    assert "www.tls.gov.cn: unreachable: TLS" in line
    assert "robots" not in line


def test_one_failed_site_among_good_ones_is_named_and_the_crawl_succeeds(tmp_path):
    with ReplicaServer(seed=0, delays=0) as rep:
        spec = next(s for s in rep.info.sites.values() if not s.profile)
        resolve = [a for h, t in rep.info.resolve.items() if spec.host in h for a in ("--resolve", f"{h}={t}")]
        r = run_cli("crawl", spec.entry_url, "http://www.dead.gov.cn/gknb/", "--delay", "0", "--no-index",
                    "--resolve", f"www.dead.gov.cn=127.0.0.1:{free_port()}", "--home", str(tmp_path / "h"),
                    *resolve)
        assert r.returncode == 0, r.stderr
        assert "www.dead.gov.cn: unreachable: connection refused" in r.stdout
        assert "robots" not in r.stdout + r.stderr


@pytest.mark.slow
def test_ctrl_c_says_what_was_stored_and_the_same_command_continues(tmp_path):
    home = tmp_path / "home"
    with ReplicaServer(seed=1, delays=0.3) as rep:
        profiles = [p for p in replica_profiles(rep.info, ("trs",)) if p.name == "nanjing"]
        args = crawl_command(rep, home, profiles)
        human = [a for a in args if a != "--json"] + ["--no-index"]
        proc = subprocess.Popen(human, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while fetched_documents(home) < 4 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the crawl ended before Ctrl-C"
        os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        line = next(x for x in err.splitlines() if x.startswith("interrupted:"))
        stored = int(line.split("interrupted: ", 1)[1].split(" ", 1)[0])
        assert stored >= 4 and "new files stored" in line
        assert "the same command continues where it stopped: xxgk crawl" in line
        assert "nanjing (unfinish" in out, out
        done = rerun_crawl(args)
        assert done["sites"]["nanjing"]["done"] and not done["interrupted"]
        with Home.open(home) as h:
            expected = [t for t in rep.truth.expected() if t.site == "nanjing"]
            assert len(canonical_reports(h.catalog)) >= len(expected)
