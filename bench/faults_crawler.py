"""The crawler's hostile-server faults of issue 13 (items 3, 4, 6, 13), as rows for a fault table.

    .venv/bin/python bench/faults_crawler.py          # prints the four rows
    from faults_crawler import crawler_faults         # bench/bench_faults.py: list of row dicts

Each fault runs the real ``xxgk crawl`` in a subprocess against a server on loopback
(``tests/fixtures/hostile_servers.py``), with the defaults a user gets unless said otherwise, and
gives a row ``{"fault", "outcome", "ok", "seconds", "peak_mb"}``: seconds and peak memory of the
crawl process (the larger of two for the concurrent crawls).

* slowloris: a report page dripping one byte every 2 s: abandoned by the minimum transfer rate
  (512 B/s over 20 s) well before its 300 s deadline;
* label-"2" trap: every list page links to the next labelled "2", ``--max-pages 5``;
* other port: a redirect and an attachment to another port of the same host (a bait server);
* two crawls at once: one site, one home, ``--delay 1``: the smallest gap in the server's log.
"""
from __future__ import annotations

import json
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tests", ROOT / "tests" / "fixtures"):
    sys.path.insert(0, str(p))

from conftest import XXGK  # noqa: E402
from fault_files import run_measured  # noqa: E402
from hostile_servers import REPORT_TITLE, HostileServer, drip, label_two_trap, page, redirect  # noqa: E402

__all__ = ["crawler_faults", "FAULTS"]

HOST = "www.fault.test"


def _column(*hrefs: str) -> str:
    rows = "".join(f'<li><a href="{h}">{REPORT_TITLE}（{i}）</a></li>' for i, h in enumerate(hrefs))
    return f"<html><body><ul>{rows}</ul></body></html>"


def _crawl(srv: HostileServer, home: Path, url: str, *extra: str, resolve: bool = True):
    args = [str(XXGK), "crawl", url, "--home", str(home), "--json", "--no-index", *extra]
    if resolve:
        args += ["--resolve", f"{HOST}=127.0.0.1:{srv.port}"]
    rc, out, err, seconds, peak = run_measured(args, timeout=300)
    try:
        summary = json.loads(out)
    except ValueError:
        summary = {"failures": [], "sites": {}, "stats": {}, "error": err.strip()[-300:]}
    return rc, summary, seconds, peak


def _row(fault: str, ok: bool, outcome: str, seconds: float, peak: float) -> dict:
    return {"fault": fault, "outcome": outcome, "ok": ok, "seconds": round(seconds, 2),
            "peak_mb": round(peak, 1)}


def slowloris(work: Path) -> dict:
    routes = {"/col/": page(_column("/r.html")), "/r.html": drip(b"<html>" + b"x" * 5000, every=2.0)}
    with HostileServer(routes) as srv:
        rc, s, seconds, peak = _crawl(srv, work / "slow", f"http://{HOST}/col/", "--delay", "0")
        asked = srv.paths().count("/r.html")
    reasons = [f["reason"] for f in s["failures"]]
    ok = rc == 0 and reasons == ["too_slow"] and asked == 1
    return _row("slowloris body (1 byte / 2 s)", ok,
                f"abandoned after {s.get('elapsed', 0):.1f} s of crawl (min rate 512 B/s over 20 s; "
                f"deadline 300 s), recorded {','.join(reasons) or 'nothing'}, asked {asked}×", seconds, peak)


def label_two(work: Path) -> dict:
    with HostileServer({"/list": label_two_trap("/list")}) as srv:
        rc, s, seconds, peak = _crawl(srv, work / "trap", f"http://{HOST}/list", "--delay", "0",
                                      "--max-pages", "5")
        lists = sum(1 for p in srv.paths() if p.startswith("/list"))
        total = len(srv.log)
    ok = rc == 0 and lists == 5
    return _row('"2"-labelled next pages, --max-pages 5', ok,
                f"{lists} list pages read, {total} requests in all", seconds, peak)


def other_port(work: Path) -> dict:
    with HostileServer({"/a.pdf": page(b"%PDF-1.4 bait", content_type="application/pdf"),
                        "/m.html": page("bait")}) as bait:
        article = f'<html><body><h1>{REPORT_TITLE}</h1><a href="{bait.url("/a.pdf")}">附件.pdf</a></body></html>'
        routes = {"/col/": page(_column("/r1.html", "/r2.html")), "/r1.html": page(article),
                  "/r2.html": redirect(bait.url("/m.html"))}
        with HostileServer(routes) as site:
            rc, s, seconds, peak = _crawl(site, work / "port", site.url("/col/"), resolve=False)
        baited = len(bait.log)
    refused = sum(1 for f in s["failures"] if f["reason"] == "out_of_scope")
    ok = rc == 0 and baited == 0 and refused == 1
    return _row("redirect + attachment to another port", ok,
                f"redirect refused ({refused} out_of_scope), attachment not queued, other port "
                f"asked {baited}×", seconds, peak)


def two_crawls(work: Path) -> dict:
    from archive.home import Home

    hrefs = [f"/r{i}.html" for i in range(4)]
    routes = {"/col/": page(_column(*hrefs))}
    routes.update({h: page(f"<html><body><h1>{REPORT_TITLE}{h}</h1></body></html>") for h in hrefs})
    home = work / "twice"
    Home.open(home, create=True).close()
    results: list[tuple] = []
    with HostileServer(routes) as srv:
        threads = [threading.Thread(target=lambda: results.append(
            _crawl(srv, home, f"http://{HOST}/col/", "--delay", "1"))) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        times = sorted(h.at for h in srv.log)
    gap = min((b - a for a, b in zip(times, times[1:])), default=0.0)
    ok = all(r[0] == 0 for r in results) and len(times) > 2 and gap >= 1.0
    return _row("two crawls of one site at once (delay 1 s)", ok,
                f"{len(times)} requests, smallest gap {gap:.3f} s", max(r[2] for r in results),
                max(r[3] for r in results))


FAULTS = (slowloris, label_two, other_port, two_crawls)


def crawler_faults(work: Path | None = None) -> list[dict]:
    """Run the four crawler faults; one row each."""
    if work is not None:
        return [fault(Path(work)) for fault in FAULTS]
    with tempfile.TemporaryDirectory(prefix="xxgk-faults-crawler-") as tmp:
        return [fault(Path(tmp)) for fault in FAULTS]


if __name__ == "__main__":
    rows = crawler_faults()
    width = max(len(r["fault"]) for r in rows)
    print(f"{'fault':<{width}}  ok  {'seconds':>7}  {'peak MB':>7}  outcome")
    for r in rows:
        print(f"{r['fault']:<{width}}  {'yes' if r['ok'] else 'NO ':<3} {r['seconds']:>7.2f}  "
              f"{r['peak_mb']:>7.1f}  {r['outcome']}")
    sys.exit(0 if all(r["ok"] for r in rows) else 1)
