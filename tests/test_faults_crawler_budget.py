"""``--max-pages`` holds whatever the pages' labels say, and a run has a request budget per site
(issue 13, item 4).

A real ``xxgk crawl`` against loopback traps: a column whose every page links to the next with
the label "2"; a page linking to a hundred "next pages" all labelled "2"; a column of many reports
crawled under ``--max-requests``, then continued by the same command.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "fixtures"))

from conftest import XXGK  # noqa: E402
from fault_files import run_measured  # noqa: E402
from hostile_servers import REPORT_TITLE, HostileServer, label_two_trap, page  # noqa: E402
from scraper.budget import ColumnPages, RequestBudget  # noqa: E402
from scraper.frontier import CrawlRequest  # noqa: E402

HOST = "www.trap.test"


def _crawl(srv: HostileServer, home: Path, url: str, *extra: str):
    return run_measured([str(XXGK), "crawl", url, "--home", str(home), "--json", "--no-index",
                         "--delay", "0", "--resolve", f"{HOST}=127.0.0.1:{srv.port}", *extra], timeout=120)


def test_the_label_two_trap_stops_at_max_pages(tmp_path: Path):
    with HostileServer({"/list": label_two_trap("/list")}) as srv:
        t0 = time.monotonic()
        rc, out, err, seconds, peak_mb = _crawl(srv, tmp_path / "home", f"http://{HOST}/list",
                                                "--max-pages", "5")
        lists = [p for p in srv.paths() if p.startswith("/list")]
        total = len(srv.log)
    assert rc == 0, err
    summary = json.loads(out)
    assert len(lists) == 5, lists                      # ?p=1 … ?p=5, not one more
    assert summary["sites"][HOST]["listed"] == 5
    assert summary["stats"]["crawl/list/max_pages"] >= 1
    assert total <= 1 + 5 + 5, srv.paths()            # robots.txt, 5 list pages, their 5 reports
    assert seconds < 60 and peak_mb < 400, (seconds, peak_mb)
    assert time.monotonic() - t0 < 60


def test_a_hundred_next_pages_all_labelled_two_count_as_pages(tmp_path: Path):
    def fan(req):
        links = "".join(f'<a href="/fan/p{i}.html">2</a> ' for i in range(2, 102))
        return (f'<html><body><ul><li><a href="/r.html">{REPORT_TITLE}</a></li></ul>'
                f'<div class="page">{links}</div></body></html>')

    with HostileServer({"/fan/": page(fan), "/r.html": page(f"<h1>{REPORT_TITLE}</h1>")}) as srv:
        rc, out, err, seconds, _ = _crawl(srv, tmp_path / "home", f"http://{HOST}/fan/", "--max-pages", "3")
        lists = [p for p in srv.paths() if p.startswith("/fan/")]
    assert rc == 0, err
    assert len(lists) == 3, lists                      # the column page and two of its "2"s


def test_the_request_budget_stops_a_run_and_the_next_run_continues(tmp_path: Path):
    rows = "".join(f'<li><a href="/r{i}.html">{REPORT_TITLE}（{i}）</a></li>' for i in range(12))
    routes = {"/col/": page(f"<html><body><ul>{rows}</ul></body></html>")}
    routes.update({f"/r{i}.html": page(f"<html><body><h1>{REPORT_TITLE}（{i}）</h1><p>正文 {i}</p></body></html>")
                   for i in range(12)})
    home = tmp_path / "home"
    with HostileServer(routes) as srv:
        rc, out, err, _, _ = _crawl(srv, home, f"http://{HOST}/col/", "--max-requests", "5")
        first = json.loads(out)
        asked_first = len(srv.log)
        rc2, out2, err2, _, _ = _crawl(srv, home, f"http://{HOST}/col/")
        second = json.loads(out2)
        reports = [p for p in srv.paths() if p.startswith("/r") and p.endswith(".html")]
    assert rc == 0 and rc2 == 0, err + err2
    site = first["sites"][HOST]
    assert not site["done"] and "request budget of 5 reached" in site["budget"], site
    assert asked_first == 1 + 5                        # robots.txt, then 5 requests of the budget
    assert second["sites"][HOST]["done"] and second["sites"][HOST]["resumed"]
    assert sorted(set(reports)) == sorted(f"/r{i}.html" for i in range(12))
    assert len(reports) == 12                          # none fetched twice


def _list(url: str, page_no: int = 1, depth: int = 0) -> CrawlRequest:
    return CrawlRequest(url, "list", "s", page_no=page_no, depth=depth,
                        referrer=None if page_no == 1 and depth == 0 else "http://x/list")


def test_column_pages_count_per_column_and_bound_sub_columns():
    pages = ColumnPages(max_pages=3, max_depth=2)
    seed = _list("http://x/list")
    assert pages.admit(seed, _list("http://x/list?p=2", 2)) is None
    assert pages.admit(seed, _list("http://x/list?p=3", 2)) is None      # a lying "2": page 3
    assert pages.admit(seed, _list("http://x/list?p=4", 2)) == "max_pages"
    assert pages.admit(seed, _list("http://x/list?p=9", 9)) == "max_pages"  # the label, too
    category = _list("http://x/cat1", 1, depth=1)                           # a column of its own
    assert pages.admit(seed, category) is None
    assert pages.admit(category, _list("http://x/cat1?p=2", 2, 1)) is None
    assert pages.admit(category, _list("http://x/deep", 1, depth=3)) == "max_depth"
    assert pages.pages(category) == 2 and pages.pages(seed) == 3


def test_a_resumed_run_counts_its_columns_again_through_referrers():
    chain = [CrawlRequest("http://x/list", "list", "s")]
    for n in range(2, 5):
        chain.append(CrawlRequest(f"http://x/list?p={n}", "list", "s", referrer=chain[-1].url, page_no=2))
    pages = ColumnPages(max_pages=5)
    pages.restore(reversed(chain))
    assert pages.pages(chain[-1]) == 4
    assert pages.admit(chain[-1], CrawlRequest("http://x/list?p=5", "list", "s", page_no=2)) is None
    assert pages.admit(chain[-1], CrawlRequest("http://x/list?p=6", "list", "s", page_no=2)) == "max_pages"


def test_request_budget():
    budget = RequestBudget(2)
    budget.spend()
    assert not budget.spent
    budget.spend()
    assert budget.spent and budget.used == 2
