"""Parsing behind the fetchers (``archive.crawl_parses``): a store returns before its parse, an
attachment's outcome waits for its page's, a stop leaves documents ``pending`` and the next run
parses them, also after a ``kill -9`` in the middle of the parse tail. Real threads, processes, files."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time

import pytest

from archive.crawl import CatalogSink, canonical_reports
from archive.crawl_parses import BackgroundParses, ParseTask
from archive.home import Home
from archive.parse_pool import shared_pool
from scraper.profiles import builtin_profiles

from test_archive_crawl import URL, YUHANG, request, result
from conftest import EXAMPLES


def test_an_attachment_is_stored_after_the_page_it_was_found_on():
    stored: list[str] = []
    lock = threading.Lock()

    def parse_one(task: ParseTask, wait_for_page) -> str:
        time.sleep(0.4 if task.url == "page" else 0.0)   # the page parses longer than its file
        wait_for_page()
        with lock:
            stored.append(task.url)
        return "parsed"

    parses = BackgroundParses(parse_one, workers=2)
    told: list[str] = []
    assert parses.submit(ParseTask(1, "page", None, done=told.append))
    assert parses.submit(ParseTask(2, "file", "page", done=told.append))
    parses.settle()
    assert stored == ["page", "file"] and told == ["parsed", "parsed"]
    parses.close()


def test_a_document_queued_twice_is_parsed_once_and_a_stop_leaves_the_waiting_ones():
    started, release = threading.Event(), threading.Event()
    ran: list[int] = []

    def parse_one(task: ParseTask, wait_for_page) -> str:
        started.set()
        release.wait(10)
        ran.append(task.document_id)
        return "parsed"

    parses = BackgroundParses(parse_one, workers=1)
    assert parses.submit(ParseTask(1, "a", None))
    assert started.wait(10)
    assert parses.submit(ParseTask(2, "b", None)) and not parses.submit(ParseTask(2, "b2", None))
    assert parses.unfinished == 2
    threading.Timer(0.3, release.set).start()
    parses.settle(stop=True)   # 2 never began: dropped; 1 had begun: waited for
    assert ran == [1] and parses.unfinished == 0
    parses.close()


def test_a_store_returns_before_its_parse_and_a_stopped_run_leaves_the_rest_to_the_next(home):
    profile = builtin_profiles()["yuhang"]
    sink = CatalogSink(home, shared_pool(1))
    sink.parse_behind(1)
    sink.open_site("yuhang", True)
    told: list[str] = []
    other = (EXAMPLES / "yuhang-2017.txt").read_bytes().replace(b"2017", b"2016")
    with sink._lock:   # every parse waits to claim its document: the stores cannot wait for a parse
        first = sink.store(result(YUHANG), request(), profile, told.append)
        second = sink.store(result(other, URL + "?2016"), request(URL + "?2016"), profile, told.append)
        statuses = [r[0] for r in home.catalog.conn.execute("SELECT status FROM documents ORDER BY id")]
    assert first.new and first.parse is None and second.new and second.parse is None
    assert statuses == ["pending", "pending"]
    sink.settle(stop=True)   # the first had begun; the second waited in the queue: left pending
    assert told == ["parsed"]
    assert [r[0] for r in home.catalog.conn.execute("SELECT status FROM documents ORDER BY id")] == \
        ["parsed", "pending"]
    sink.close()
    again = CatalogSink(home, shared_pool(1))   # the next run
    again.parse_behind(1)
    assert again.finish_pending({"yuhang": profile}) == 1
    again.settle()
    assert [r[0] for r in home.catalog.conn.execute("SELECT status FROM documents ORDER BY id")] == \
        ["parsed", "parsed"]
    assert home.catalog.counts()["reports"] == 2
    again.close()


def _counts(home) -> tuple[int, int]:
    """(documents stored, of them still pending), read while the crawl writes."""
    try:
        with sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True, timeout=5) as c:
            stored = c.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            pending = c.execute("SELECT COUNT(*) FROM documents WHERE status = 'pending'").fetchone()[0]
            return stored, pending
    except sqlite3.Error:
        return 0, 0


@pytest.mark.slow
def test_kill_9_while_parses_wait_then_the_same_command_parses_them(tmp_path):
    from replica import ReplicaServer

    from archive.commands.demo import replica_profiles
    from fixtures.crawl_cli import crawl_command, rerun_crawl

    home = tmp_path / "home"
    with ReplicaServer(seed=3, delays=0) as rep:
        profiles = [p for p in replica_profiles(rep.info) if p.family in ("trs", "hanweb")]
        args = crawl_command(rep, home, profiles) + ["--workers", "1", "--no-index"]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            stored, pending = _counts(home)
            if stored >= 10 and pending >= 3:   # fetched and stored, their parses still waiting
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the crawl ended before documents waited for their parse"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _counts(home)[1] >= 3
        rerun_crawl(args)
        assert _counts(home)[1] == 0
        expected = [r for r in rep.truth.expected() if r.site in {p.name for p in profiles}]
        with Home.open(home) as h:
            assert len(canonical_reports(h.catalog)) == len(expected)
