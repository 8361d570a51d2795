"""`xxgk serve` as the user runs it: a real process on a free loopback port, pages and API over
real HTTP (concurrent clients too), a large original streamed, and the one-line errors of a
wrong home or a port in use."""
from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest import run_cli
from web_homes import DEMO_REGION, home, started_server  # noqa: F401 (home: a fixture)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(home):
    with started_server(home=home) as url:
        yield url


def test_serves_pages_and_api_over_loopback(server):
    assert server.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=server, timeout=30) as c:
        assert "搜索政府信息公开工作年度报告" in c.get("/").text
        hits = c.get("/api/search", params={"q": "依申请公开"}).json()
        assert hits["total"] > 0
        rid = hits["hits"][0]["report_id"]
        page = c.get(f"/reports/{rid}")
        assert page.status_code == 200 and f"#{rid}" in page.text
        assert c.get("/coverage").status_code == 200
        assert c.get("/compare", params={"region": DEMO_REGION}).status_code == 200
        assert c.get("/openapi.json").json()["paths"]


def test_twenty_clients_at_once(server):
    def one(i: int) -> int:
        with httpx.Client(base_url=server, timeout=60) as c:
            return c.get("/api/search", params={"q": "依申请公开", "page": str(1 + i % 3), "limit": "5"}).status_code

    with ThreadPoolExecutor(20) as pool:
        assert list(pool.map(one, range(40))) == [200] * 40


def test_an_original_is_streamed_whole(server, home):
    with httpx.Client(base_url=server, timeout=30) as c:
        rid = c.get("/api/search", params={"q": "依申请公开"}).json()["hits"][0]["report_id"]
        sha = c.get(f"/api/reports/{rid}").json()["document"]["sha256"]
        with c.stream("GET", f"/reports/{rid}/original") as r:
            assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
            data = b"".join(r.iter_bytes())
    import hashlib

    assert hashlib.sha256(data).hexdigest() == sha


def test_a_wrong_home_or_a_busy_port_is_one_line(tmp_path, home):
    r = run_cli("serve", "--home", str(tmp_path / "nothing"))
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "no archive at" in r.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = run_cli("serve", "--home", str(home), "--port", str(port))
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and f"cannot listen on 127.0.0.1:{port}" in r.stderr
