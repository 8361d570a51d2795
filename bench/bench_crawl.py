"""Crawl throughput: xxgk's engine vs Scrapy on the loopback replica, same URLs, same concurrency.

    .venv/bin/python bench/bench_crawl.py [--rounds 5]

1. Starts the replica in its own process (delays and throttling off; a server in the bench's
   process would share its GIL with our crawler but not with Scrapy's subprocess) and crawls
   every replica site with the engine
   into a ``MemorySink`` (discovery included, no archive: what Scrapy does too), then once more
   into a real archive home (storing and parsing included, for reference).
2. Hands the exact requests the engine made (method, URL, form body, per-host slot) to Scrapy in
   a subprocess (Twisted's reactor runs once per process) with ``CONCURRENT_REQUESTS_PER_DOMAIN=1``
   keyed by the real host (``download_slot``), the same one connection per host the engine uses.
3. Prints requests, seconds and pages/s of each, and the ratio (goal: xxgk ≥ 1.0× Scrapy).
Rounds alternate between the two; the best of ``--rounds`` counts for each side (loopback
timings are noisy on a shared box).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class CrawlRound:
    """One crawl of the replica, timed."""
    pages: int                  # pages and files the engine fetched (``crawl/fetch/count``)
    seconds: float              # the whole crawl (into an archive: every parse stored)
    fetching: float             # until the last fetch was done
    requests: int = 0           # HTTP requests, robots.txt and redirect hops included (fetch only)
    parsed: int = 0             # documents parsed (into an archive)
    urls: list[dict] = field(default_factory=list)


def _engine_round(rep, profiles, delay: float = 0.0) -> CrawlRound:
    from scraper.engine import CrawlEngine, CrawlSettings
    from scraper.fetcher import Fetcher
    from scraper.frontier import DONE
    from scraper.settings import FetchSettings
    from scraper.sink import MemorySink

    sink = MemorySink()
    fetcher = Fetcher(FetchSettings(delay=delay, max_retries=0), resolve=rep.info.resolve)
    engine = CrawlEngine(profiles, sink, fetcher, CrawlSettings(delay=delay, allow_fast=True))
    started = time.perf_counter()
    summary = engine.run()
    elapsed = time.perf_counter() - started
    requests = fetcher.stats.get("fetch/request/count")
    fetcher.close()
    urls = [{"url": r.url, "method": r.method, "data": list(r.data)}
            for table in sink.frontiers.values() for r, state in table.values() if state == DONE]
    return CrawlRound(summary.stats.get("crawl/fetch/count", 0), elapsed, elapsed, requests, urls=urls)


def _archive_round(rep, profiles, workers: int | None = None, delay: float = 0.0) -> CrawlRound:
    from archive.crawl import run_crawl
    from archive.home import Home
    from scraper.engine import CrawlSettings
    from scraper.settings import FetchSettings

    with tempfile.TemporaryDirectory() as tmp, Home.open(Path(tmp) / "home") as home:
        started = time.perf_counter()
        summary = run_crawl(home, profiles, CrawlSettings(delay=delay, allow_fast=True),
                            fetch_settings=FetchSettings(delay=delay, max_retries=0),
                            resolve=rep.info.resolve, workers=workers)
        elapsed = time.perf_counter() - started
        parsed = sum(n for key, n in summary.stats.items() if key.startswith("crawl/parse/"))
        return CrawlRound(summary.stats.get("crawl/fetch/count", 0), elapsed,
                          summary.fetching + (elapsed - summary.elapsed), parsed=parsed)


SCRAPY_SCRIPT = r'''
import json, sys, time
from urllib.parse import urlsplit, urlencode
import scrapy
from scrapy.crawler import CrawlerProcess

spec = json.load(open(sys.argv[1]))
resolve = spec["resolve"]
result = {"responses": 0}

def target(url):
    parts = urlsplit(url)
    key = f"https://{parts.hostname}" if parts.scheme == "https" else parts.hostname
    addr = resolve.get(key) or resolve[parts.hostname]
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"http://{addr}{path}", parts.hostname

class Replay(scrapy.Spider):
    name = "replay"
    async def start(self):
        for request in self.start_requests():
            yield request

    def start_requests(self):
        result["start"] = time.perf_counter()
        for item in spec["urls"]:
            url, host = target(item["url"])
            meta = {"download_slot": host, "dont_redirect": False}
            headers = {"Host": host}
            if item["method"] == "POST":
                yield scrapy.FormRequest(url, formdata=dict(item["data"]), headers=headers, meta=meta,
                                         dont_filter=True, callback=self.parse)
            else:
                yield scrapy.Request(url, headers=headers, meta=meta, dont_filter=True, callback=self.parse)
    def parse(self, response):
        result["responses"] += 1
        result["end"] = time.perf_counter()

process = CrawlerProcess(settings={
    "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": spec["concurrency"], "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "RETRY_ENABLED": False, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
    "HTTPERROR_ALLOW_ALL": True, "REDIRECT_ENABLED": False,
})
process.crawl(Replay)
process.start()
print(json.dumps({"responses": result["responses"], "elapsed": result["end"] - result["start"]}))
'''


def _scrapy_round(spec_path: Path) -> tuple[int, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(SCRAPY_SCRIPT)
    out = subprocess.run([sys.executable, fh.name, str(spec_path)], capture_output=True, text=True,
                         timeout=300)
    if out.returncode != 0:
        raise SystemExit(f"scrapy failed: {out.stderr[-2000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["responses"], data["elapsed"]


class _ReplicaProcess:
    """The replica in its own process, so neither crawler shares a GIL with the server."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "replica", "--delays", "0", "--no-throttle"],
                                     cwd=ROOT, stdout=subprocess.PIPE, text=True)
        lines = []
        for line in self.proc.stdout:   # the JSON object it prints, up to its closing brace
            lines.append(line)
            if line.startswith("}"):
                break
        self.info = json.loads("".join(lines))

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    import logging
    from types import SimpleNamespace

    logging.disable(logging.WARNING)   # blocked pages are expected; their warnings are noise here
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    try:
        import scrapy
    except ImportError:
        raise SystemExit("scrapy is not installed: .venv/bin/pip install -e '.[bench]'")
    from archive.commands.demo import replica_profiles
    from replica import SITES

    server = _ReplicaProcess()
    try:
        rep = SimpleNamespace(info=SimpleNamespace(resolve=server.info["resolve"],
                                                   sites={s.id: s for s in SITES}))
        profiles = replica_profiles(rep.info)
        _engine_round(rep, profiles)   # warm both sides: the replica builds PDFs on first ask
        ours, theirs = [], []
        urls = _engine_round(rep, profiles).urls
        hosts = {u["url"].split("/")[2] for u in urls}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump({"urls": urls, "resolve": server.info["resolve"], "concurrency": len(hosts)}, fh)
        for _ in range(args.rounds):   # interleaved: both see the same load on a shared machine
            ours.append(_engine_round(rep, profiles))
            theirs.append(_scrapy_round(Path(fh.name)))
        archived = [_archive_round(rep, profiles) for _ in range(max(1, args.rounds // 2))]
    finally:
        server.close()

    def best(rows):
        return max(rows, key=lambda r: r[0] / r[1])

    # pages = the URLs of the list (what Scrapy is given); our robots.txt and redirect hops are
    # extra requests, counted separately so the ratio does not flatter us
    n_req, t_ours = best([(r.requests, r.seconds) for r in ours])
    n_ours = len(urls)
    n_arch, t_arch = best([(r.pages, r.seconds) for r in archived])
    n_scr, t_scr = best(theirs)
    ours_rate, scrapy_rate = n_ours / t_ours, n_scr / t_scr
    print(f"replica (own process): {len(urls)} URLs (lists, articles, attachments) on {len(hosts)} "
          f"hosts, one connection per host, {args.rounds} interleaved rounds, best of each")
    print(f"xxgk engine (discovery, memory sink): {n_ours} pages in {t_ours:.3f} s = {ours_rate:.1f} pages/s "
          f"({n_req} requests with robots.txt and redirect hops = {n_req / t_ours:.1f} requests/s)")
    print(f"xxgk crawl into an archive (store + parse): {n_arch} fetches in {t_arch:.3f} s = "
          f"{n_arch / t_arch:.1f} pages/s")
    print(f"ratio crawl into an archive / fetch only: {(n_arch / t_arch) / (n_req / t_ours):.2f}x (goal >= 0.5x; "
          "requests/s against requests/s)")
    print(f"scrapy {scrapy.__version__} replaying the same URLs: {n_scr} responses in {t_scr:.3f} s = "
          f"{scrapy_rate:.1f} pages/s")
    print(f"ratio xxgk / scrapy: {ours_rate / scrapy_rate:.2f}x (goal >= 1.0x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
