"""Fetcher against real HTTP servers on 127.0.0.1: a small purpose-built handler per behaviour."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scraper.errors import (BlockedError, FetchConnectionError, FetchTimeoutError,
                            HttpStatusError, OutOfScopeError, RobotsDisallowedError,
                            SiteUnreachableError, TooLargeError, TooManyRedirectsError)
from scraper.fetcher import Fetcher
from scraper.models import FetchRequest
from scraper.settings import FetchSettings

HOST = "www.test.gov.cn"


class _Server:
    """Routes: path -> function(handler, hits) -> (status, headers, body)."""

    def __init__(self, routes):
        self.routes = routes
        self.log: list[dict] = []
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.body_in = self.rfile.read(length) if length else b""
                path = self.path.split("?")[0]
                server.hits[path] = server.hits.get(path, 0) + 1
                server.log.append({"host": self.headers.get("Host"), "method": self.command,
                                   "path": self.path, "time": time.monotonic(),
                                   "headers": dict(self.headers)})
                route = server.routes.get(path)
                status, headers, body = (route(self, server.hits[path]) if route
                                         else (404, {}, b"not found"))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                no_length = headers.pop("X-No-Length", None)   # HTTP/1.0: body ends at close
                if "Content-Length" not in headers and not no_length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

            do_GET = do_POST = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def paths(self, host=HOST):
        return [r["path"] for r in self.log if r["host"] == host]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def make(request):
    """make(routes, **settings) -> (server, fetcher) with HOST resolved to the server."""
    made = []

    def _make(routes, allowed=(HOST,), **settings):
        routes.setdefault("/robots.txt", lambda h, n: (404, {}, b""))
        srv = _Server(routes)
        base = dict(delay=0.0, backoff_base=0.01, timeout=2.0)
        base.update(settings)
        fetcher = Fetcher(FetchSettings(**base), allowed,
                          resolve={h: f"127.0.0.1:{srv.port}" for h in (HOST, "evil.example.com")})
        made.append((srv, fetcher))
        return srv, fetcher

    yield _make
    for srv, fetcher in made:
        fetcher.close()
        srv.close()


def ok(body=b"<html><body>ok</body></html>", **headers):
    return lambda h, n: (200, {"Content-Type": "text/html; charset=utf-8", **headers}, body)


def test_500_then_success_is_retried(make):
    srv, f = make({"/flaky": lambda h, n: (500, {}, b"boom") if n == 1 else (200, {}, b"fine")})
    res = f.fetch(f"http://{HOST}/flaky")
    assert (res.status, res.body, res.attempts) == (200, b"fine", 2)
    assert f.stats.get("fetch/retry/reason/500") == 1
    assert srv.paths().count("/flaky") == 2


def test_429_retry_after_is_honoured(make):
    srv, f = make({"/busy": lambda h, n: (429, {"Retry-After": "1"}, b"") if n == 1
                   else (200, {}, b"done")})
    started = time.monotonic()
    res = f.fetch(f"http://{HOST}/busy")
    assert res.status == 200 and res.body == b"done"
    times = [r["time"] for r in srv.log if r["path"] == "/busy"]
    assert times[1] - times[0] >= 0.95
    assert time.monotonic() - started >= 0.95
    assert f.stats.get("fetch/retry/reason/429") == 1


def test_retries_exhausted_returns_last_answer(make):
    srv, f = make({"/down": lambda h, n: (503, {}, b"down")}, max_retries=2)
    res = f.fetch(f"http://{HOST}/down")
    assert res.status == 503 and res.attempts == 3
    assert f.stats.get("fetch/retry/max_reached") == 1
    with pytest.raises(HttpStatusError) as err:
        res.raise_for_status()
    assert err.value.status == 503


def test_404_is_not_retried(make):
    srv, f = make({})
    res = f.fetch(f"http://{HOST}/missing")
    assert res.status == 404 and res.attempts == 1
    assert srv.paths().count("/missing") == 1


def test_redirect_chain_is_recorded(make):
    srv, f = make({"/a": lambda h, n: (301, {"Location": "/b"}, b""),
                   "/b": lambda h, n: (302, {"Location": f"http://{HOST}/c"}, b""),
                   "/c": ok()})
    res = f.fetch(f"http://{HOST}/a")
    assert res.status == 200
    assert res.redirects == [(301, f"http://{HOST}/a"), (302, f"http://{HOST}/b")]
    assert res.final_url == f"http://{HOST}/c" and res.url == f"http://{HOST}/a"


def test_redirect_limit(make):
    srv, f = make({"/loop": lambda h, n: (302, {"Location": f"/loop?{n}"}, b"")}, max_redirects=3)
    with pytest.raises(TooManyRedirectsError) as err:
        f.fetch(f"http://{HOST}/loop")
    assert len(err.value.redirects) == 4
    assert srv.paths().count("/loop?3") == 1 and len(srv.paths()) == 1 + 4  # robots + 4 hops


def test_out_of_scope_redirect_is_refused_and_never_requested(make):
    srv, f = make({"/away": lambda h, n: (301, {"Location": "http://evil.example.com/x"}, b"")})
    with pytest.raises(OutOfScopeError) as err:
        f.fetch(f"http://{HOST}/away")
    assert err.value.host == "evil.example.com"
    assert err.value.url == "http://evil.example.com/x"
    assert err.value.redirects == [(301, f"http://{HOST}/away")]
    assert not [r for r in srv.log if r["host"] != HOST]


def test_out_of_scope_request_sends_nothing(make):
    srv, f = make({})
    with pytest.raises(OutOfScopeError):
        f.fetch("http://evil.example.com/")
    assert srv.log == []


def test_robots_disallow_is_obeyed(make):
    robots = b"User-agent: *\nDisallow: /private/\n"
    srv, f = make({"/robots.txt": lambda h, n: (200, {"Content-Type": "text/plain"}, robots),
                   "/private/x.html": ok(), "/public.html": ok()})
    assert f.fetch(f"http://{HOST}/public.html").status == 200
    with pytest.raises(RobotsDisallowedError):
        f.fetch(f"http://{HOST}/private/x.html")
    assert "/private/x.html" not in srv.paths()
    assert srv.paths().count("/robots.txt") == 1
    assert f.stats.get("fetch/robots/disallowed") == 1


def test_robots_5xx_disallows_all_and_4xx_allows_all(make):
    srv, f = make({"/robots.txt": lambda h, n: (503, {}, b""), "/x": ok()}, max_retries=0)
    with pytest.raises(RobotsDisallowedError):
        f.fetch(f"http://{HOST}/x")
    assert "/x" not in srv.paths()
    srv2, f2 = make({"/robots.txt": lambda h, n: (403, {}, b""), "/x": ok()})
    assert f2.fetch(f"http://{HOST}/x").status == 200


def test_robots_crawl_delay_slows_the_host(make):
    robots = b"User-agent: *\nCrawl-delay: 0.4\n"
    srv, f = make({"/robots.txt": lambda h, n: (200, {}, robots), "/p": ok()})
    f.fetch(f"http://{HOST}/p")
    f.fetch(f"http://{HOST}/p")
    times = [r["time"] for r in srv.log if r["path"] == "/p"]
    assert times[1] - times[0] >= 0.35


def test_size_cap_while_streaming(make):
    big = b"x" * 300_000
    srv, f = make({"/big": ok(big), "/unsized": lambda h, n: (200, {"X-No-Length": "1"}, big)},
                  max_bytes=100_000)
    with pytest.raises(TooLargeError):
        f.fetch(f"http://{HOST}/big")
    with pytest.raises(TooLargeError):
        f.fetch(f"http://{HOST}/unsized")


def test_conditional_get_gives_not_modified(make):
    def page(h, n):
        if h.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}, b"body"
    srv, f = make({"/doc": page})
    first = f.fetch(f"http://{HOST}/doc")
    assert first.etag == '"v1"' and not first.not_modified
    again = f.fetch(FetchRequest(f"http://{HOST}/doc", etag=first.etag,
                                 last_modified=first.last_modified))
    assert again.status == 304 and again.not_modified and again.body == b""
    sent = [r["headers"] for r in srv.log if r["path"] == "/doc"][1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_post_form_and_referer(make):
    srv, f = make({"/proxy": lambda h, n: (200, {"Content-Type": "text/xml"},
                                           h.command.encode() + b" " + h.body_in)})
    res = f.fetch(FetchRequest(f"http://{HOST}/proxy", method="POST",
                               data={"columnid": "1229", "perpage": "15"},
                               referer=f"http://{HOST}/col/index.html"))
    assert res.body == b"POST columnid=1229&perpage=15"
    assert srv.log[-1]["headers"]["Referer"] == f"http://{HOST}/col/index.html"


def test_post_json_body(make):
    srv, f = make({"/api": lambda h, n: (200, {"Content-Type": "application/json"},
                                         h.headers["Content-Type"].encode() + b" " + h.body_in)})
    res = f.fetch(FetchRequest(f"http://{HOST}/api", method="POST", json={"pageNo": 2}))
    assert res.body == b'application/json {"pageNo":2}'
    with pytest.raises(ValueError):
        FetchRequest(f"http://{HOST}/api", data={"a": "1"}, json={"b": 2})


def test_timeout_is_retried_then_raised(make):
    def slow(h, n):
        time.sleep(0.6)
        return 200, {}, b"late"
    srv, f = make({"/slow": slow}, timeout=0.2, max_retries=1)
    with pytest.raises(FetchTimeoutError):
        f.fetch(f"http://{HOST}/slow")
    assert f.stats.get("fetch/retry/reason/timeout") == 1


def test_delay_between_requests_to_one_host(make):
    srv, f = make({"/p": ok()}, delay=0.3)
    for _ in range(3):
        f.fetch(f"http://{HOST}/p")
    times = [r["time"] for r in srv.log if r["path"] == "/p"]
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.27


def test_one_connection_per_host_under_threads(make):
    live, peak, lock = [0], [0], threading.Lock()

    def counted(h, n):
        with lock:
            live[0] += 1
            peak[0] = max(peak[0], live[0])
        time.sleep(0.05)
        with lock:
            live[0] -= 1
        return 200, {}, b"ok"
    srv, f = make({"/c": counted})
    threads = [threading.Thread(target=f.fetch, args=(f"http://{HOST}/c",)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1 and srv.paths().count("/c") == 6


def test_resolve_keeps_real_host_name(make):
    srv, f = make({"/p": ok()})
    res = f.fetch(f"http://{HOST}/p")
    assert res.final_url == f"http://{HOST}/p"
    assert srv.log[-1]["host"] == HOST


def test_defence_is_recorded_not_retried(make):
    page = b'<html><head><meta id="x" r="m"><script>var $_ts=window.$_ts||{};</script></head></html>'
    srv, f = make({"/rs": lambda h, n: (412, {"Content-Type": "text/html"}, page)})
    res = f.fetch(f"http://{HOST}/rs")
    assert res.blocked == "ruishu" and res.attempts == 1 and not res.ok
    assert f.stats.get("fetch/blocked/ruishu") == 1
    with pytest.raises(BlockedError) as err:
        res.raise_for_status()
    assert err.value.kind == "ruishu"


def test_sniffed_and_declared_types(make):
    srv, f = make({"/f": lambda h, n: (200, {"Content-Type": "application/octet-stream"},
                                       b"%PDF-1.4\n...")})
    res = f.fetch(f"http://{HOST}/f")
    assert res.media_type == "application/pdf"
    assert res.declared_type == "application/octet-stream"


def test_connection_refused_is_translated():
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    f = Fetcher(FetchSettings(delay=0, max_retries=1, backoff_base=0.01), [HOST],
                resolve={HOST: f"127.0.0.1:{port}"}, )
    with pytest.raises(SiteUnreachableError):   # robots unreachable: nothing asked (RFC 9309),
        f.fetch(f"http://{HOST}/x")              # and said as "unreachable", not "disallowed"
    f2 = Fetcher(FetchSettings(delay=0, max_retries=0, obey_robots=False), [HOST],
                 resolve={HOST: f"127.0.0.1:{port}"})
    with pytest.raises(FetchConnectionError) as err:
        f2.fetch(f"http://{HOST}/x")
    assert isinstance(err.value.__cause__, Exception)
    assert f2.stats.get("fetch/robots/ignored") == 1


def test_insecure_host_skips_tls_verification_only_for_that_host(tmp_path):
    import ssl
    import subprocess
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=wrong.example"],
                   check=True, capture_output=True, timeout=60)
    srv = _Server({"/robots.txt": lambda h, n: (404, {}, b""), "/p": ok()})
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.httpd.socket = ctx.wrap_socket(srv.httpd.socket, server_side=True)
    try:
        resolve = {f"https://{HOST}": f"https://127.0.0.1:{srv.port}"}
        strict = Fetcher(FetchSettings(delay=0, max_retries=0, obey_robots=False), [HOST],
                         resolve=resolve)
        with pytest.raises(FetchConnectionError):
            strict.fetch(f"https://{HOST}/p")
        lax = Fetcher(FetchSettings(delay=0, max_retries=0), [HOST], resolve=resolve,
                      insecure_hosts=[HOST])
        assert lax.fetch(f"https://{HOST}/p").status == 200
    finally:
        srv.close()


def test_fetchers_share_one_verifying_context_per_ca_setting(tmp_path, monkeypatch):
    """The CA bundle is loaded once a process, yet a certificate is still checked, against the CAs that
    SSL_CERT_FILE names when it is set (a context made for one setting is not reused for another)."""
    import ssl
    import subprocess

    from scraper.fetcher import verifying_context
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    srv = _Server({"/robots.txt": lambda h, n: (404, {}, b""), "/p": ok()})
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.httpd.socket = ctx.wrap_socket(srv.httpd.socket, server_side=True)
    resolve = {f"https://{HOST}": f"https://127.0.0.1:{srv.port}"}
    settings = FetchSettings(delay=0, max_retries=0, obey_robots=False)
    try:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        assert verifying_context() is verifying_context()
        with pytest.raises(FetchConnectionError):  # certifi's CAs do not know our certificate
            Fetcher(settings, [HOST], resolve=resolve).fetch(f"https://{HOST}/p")
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        trusting = verifying_context()
        assert trusting is verifying_context()
        assert Fetcher(settings, [HOST], resolve=resolve).fetch(f"https://{HOST}/p").status == 200
        monkeypatch.delenv("SSL_CERT_FILE")
        assert verifying_context() is not trusting
        with pytest.raises(FetchConnectionError):
            Fetcher(settings, [HOST], resolve=resolve).fetch(f"https://{HOST}/p")
    finally:
        srv.close()
