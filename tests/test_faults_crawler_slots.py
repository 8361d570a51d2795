"""Rate limits hold across processes (issue 13, item 13): two crawls of one site at once keep its
delay between them, through per-host lock files under the home (``scraper.slots``).

Two real ``xxgk crawl`` processes of the same site, one home, started together; the loopback
server logs the wall-clock time of every request, and no two come closer than the site's delay.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "fixtures"))

from conftest import XXGK  # noqa: E402
from hostile_servers import REPORT_TITLE, HostileServer, page  # noqa: E402
from scraper.slots import Slots  # noqa: E402

HOST = "www.twice.test"
DELAY = 0.5   # loopback: below the 1 s default, as --delay allows there; 0.5 s is kept between processes


def _site(n: int) -> dict:
    rows = "".join(f'<li><a href="/r{i}.html">{REPORT_TITLE}（{i}）</a></li>' for i in range(n))
    routes = {"/col/": page(f"<html><body><ul>{rows}</ul></body></html>")}
    routes.update({f"/r{i}.html": page(f"<html><body><h1>{REPORT_TITLE}（{i}）</h1><p>{i}</p></body></html>")
                   for i in range(n)})
    return routes


def _gaps(times: list[float]) -> list[float]:
    times = sorted(times)
    return [b - a for a, b in zip(times, times[1:])]


def test_two_concurrent_crawls_of_one_site_keep_its_delay(tmp_path: Path):
    home = tmp_path / "home"
    with HostileServer(_site(4)) as srv:
        args = [str(XXGK), "crawl", f"http://{HOST}/col/", "--home", str(home), "--json", "--no-index",
                "--delay", str(DELAY), "--resolve", f"{HOST}=127.0.0.1:{srv.port}"]
        from archive.home import Home

        Home.open(home, create=True).close()   # the home exists before both start, as after any crawl
        t0 = time.monotonic()
        procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        took = time.monotonic() - t0
        hits = list(srv.log)
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        json.loads(out)
    assert len(hits) >= 2 + 6, [h.path for h in hits]   # both processes asked (robots.txt twice)
    gaps = _gaps([h.at for h in hits])
    assert min(gaps) >= DELAY - 0.002, (min(gaps), [(round(h.at - hits[0].at, 3), h.path) for h in hits])
    assert took < 60, took
    assert (home / "locks" / f"{HOST}.next").is_file()


def test_slots_share_a_folder_between_fetchers_as_between_processes(tmp_path: Path):
    """Two ``Slots`` on one folder stand for two processes: their requests interleave, one
    delay apart; and a Retry-After told to one is kept by the other."""
    a, b = Slots(0.2, 1, tmp_path), Slots(0.2, 1, tmp_path)
    assert a.shared and b.shared
    starts: list[float] = []
    lock = threading.Lock()

    def run(slots: Slots) -> None:
        for _ in range(4):
            with slots.get("www.x.gov.cn").acquire():
                with lock:
                    starts.append(time.time())
                time.sleep(0.01)

    threads = [threading.Thread(target=run, args=(s,)) for s in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(starts) == 8 and min(_gaps(starts)) >= 0.2 - 0.01, _gaps(starts)
    a.get("www.x.gov.cn").defer(0.6)
    t0 = time.time()
    with b.get("www.x.gov.cn").acquire() as waited:
        assert waited >= 0.5 and time.time() - t0 >= 0.5


def test_a_connection_held_in_one_process_waits_the_other(tmp_path: Path):
    a, b = Slots(0.0, 1, tmp_path), Slots(0.0, 1, tmp_path)
    order: list[str] = []
    def other() -> None:
        with b.get("h").acquire():
            order.append("b")

    with a.get("h").acquire():
        t = threading.Thread(target=other)
        t.start()
        time.sleep(0.3)
        order.append("a done")
    t.join(5)
    assert order == ["a done", "b"]


def test_without_a_folder_slots_are_per_process(tmp_path: Path):
    assert not Slots(1.0, 1).shared
    assert not Slots(1.0, 1, tmp_path / "no" / "such").shared   # the home must exist
