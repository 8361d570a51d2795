"""The time budget is a budget: each parse runs in a worker process killed at its budget
(``parse_timeout``), outside any lock the crawl's fetchers need. Real processes, real bytes."""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from archive.parse_pool import ParsePool  # noqa: E402
from conftest import XXGK  # noqa: E402
from fault_files import report_text, run_measured  # noqa: E402
from fixtures.fault_sites import TimeoutSites, crawl_args, serve, slow_pdf  # noqa: E402
from parser import ParseError, ParseSettings, ParseTimeoutError  # noqa: E402

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


def test_a_new_workers_first_document_does_not_pay_for_the_parsers_warm_up():
    """A fresh worker imports every stage and builds what they build on first use (the prose
    patterns' unions, the place index: over a second of CPU) before its first job's clock starts,
    so a 20 ms report fits a 1 s budget even as the first document of a just started worker."""
    with ParsePool(1) as pool:
        record = pool.parse(report_text(3).encode(), "text/plain", None, ParseSettings(time_budget=1.0))
        assert record.year == 2017 and record.metrics


def test_the_slow_pdf_ends_with_parse_timeout_within_its_budget():
    with ParsePool(1) as pool:
        pool.parse(report_text(0).encode(), "text/plain")  # the worker is up
        t0 = time.monotonic()
        with pytest.raises(ParseTimeoutError) as e:
            pool.parse(slow_pdf(), None, None, ParseSettings(time_budget=2.0))
        # stopped at 2 s (by itself at 1.8 s between pages, or killed); a busy machine adds a moment
        assert e.value.reason == "parse_timeout" and time.monotonic() - t0 < 4.0


@pytest.fixture
def sites():
    with serve(TimeoutSites) as port:
        yield port


def test_a_crawl_keeps_storing_other_sites_while_one_document_runs_out_its_budget(sites, tmp_path: Path):
    home = tmp_path / "home"
    slow_pdf()
    args = crawl_args(XXGK, home, sites, "www.slow.gov.cn", "www.fast.gov.cn") + ["--no-index"]
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
