"""Slowloris (issue 13, item 3): every response has an overall deadline and a minimum rate.

Real servers on loopback (``fixtures/hostile_servers.py``) drip a body or its headers; the real
``xxgk crawl`` abandons the answer within its deadline, records ``too_slow`` and finishes.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "fixtures"))

from conftest import XXGK  # noqa: E402
from fault_files import run_measured  # noqa: E402
from hostile_servers import REPORT_TITLE, HostileServer, drip, drip_headers, page  # noqa: E402
from scraper.errors import FetchTooSlowError  # noqa: E402
from scraper.fetcher import Fetcher  # noqa: E402
from scraper.settings import FetchSettings  # noqa: E402

HOST = "www.slow.test"
COLUMN = f'<html><body><ul><li><a href="/r.html">{REPORT_TITLE}</a><span>2023-01-05</span></li></ul></body></html>'


def _crawl(srv: HostileServer, home: Path, env: dict[str, str]):
    return run_measured([str(XXGK), "crawl", f"http://{HOST}/col/", "--home", str(home), "--json",
                         "--no-index", "--delay", "0", "--resolve", f"{HOST}=127.0.0.1:{srv.port}"],
                        env=env, timeout=120)


def test_crawl_abandons_a_dripping_body_within_its_deadline(tmp_path: Path):
    with HostileServer({"/col/": page(COLUMN), "/r.html": drip(b"<html>" + b"x" * 2000, every=2.0)}) as srv:
        rc, out, err, seconds, peak_mb = _crawl(srv, tmp_path / "home", {"XXGK_FETCH_RESPONSE_DEADLINE": "4"})
        hits = srv.paths()
    assert rc == 0, err
    summary = json.loads(out)
    assert [f["reason"] for f in summary["failures"]] == ["too_slow"], summary["failures"]
    assert hits.count("/r.html") == 1, hits        # abandoned, not retried
    # the crawl's own time: the 4 s deadline and a little; the process's: start-up under load too
    assert summary["elapsed"] < 4 + 2 and seconds < 60 and peak_mb < 400, (summary["elapsed"], seconds, peak_mb)


def test_crawl_abandons_a_body_under_the_minimum_rate_before_the_deadline(tmp_path: Path):
    env = {"XXGK_FETCH_MIN_RATE": "200", "XXGK_FETCH_RATE_WINDOW": "2"}   # deadline stays 300 s
    with HostileServer({"/col/": page(COLUMN), "/r.html": drip(b"x" * 5000, every=0.1)}) as srv:
        rc, out, err, seconds, peak_mb = _crawl(srv, tmp_path / "home", env)
    assert rc == 0, err
    summary = json.loads(out)
    assert [f["reason"] for f in summary["failures"]] == ["too_slow"]
    # at most two 2 s windows (the first one holds the headers), far below the 300 s deadline
    assert summary["elapsed"] < 2 * 2 + 2 and seconds < 60 and peak_mb < 400, (summary["elapsed"], seconds, peak_mb)


@pytest.mark.parametrize("route, limits, why", [
    (drip_headers(0.5), dict(response_deadline=2.5, min_rate=0), "deadline"),
    (drip_headers(0.5), dict(response_deadline=60, min_rate=100, rate_window=1.0), "rate"),
    (drip(b"x" * 1000, every=0.5), dict(response_deadline=2.5, min_rate=0), "deadline"),
])
def test_the_fetcher_stops_dripping_headers_and_bodies_on_time(route, limits, why):
    limit = limits["response_deadline"] if why == "deadline" else 2 * limits["rate_window"]
    with HostileServer({"/slow": route}) as srv, \
            Fetcher(FetchSettings(delay=0, timeout=5, **limits), [srv.origin]) as f:
        f.fetch(srv.url("/robots.txt"))   # robots.txt is asked first: out of the timing
        t0 = time.monotonic()
        with pytest.raises(FetchTooSlowError) as e:
            f.fetch(srv.url("/slow"))
        took = time.monotonic() - t0
    assert e.value.why == why and e.value.reason == "too_slow"
    assert took < limit + 1.5, took
    assert f.stats.snapshot().get(f"fetch/too_slow/{why}") == 1


def test_a_fast_answer_and_the_per_read_timeout_are_unchanged():
    async def stall(req, w):
        import asyncio
        await asyncio.sleep(3)

    with HostileServer({"/ok": page("ok"), "/stall": stall}) as srv, \
            Fetcher(FetchSettings(delay=0, timeout=1, max_retries=0), [srv.origin]) as f:
        assert f.fetch(srv.url("/ok")).body == b"ok"
        from scraper.errors import FetchTimeoutError

        with pytest.raises(FetchTimeoutError) as e:
            f.fetch(srv.url("/stall"))
        assert not isinstance(e.value, FetchTooSlowError)
