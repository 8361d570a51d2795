"""Crawl into the archive against fetch only: what storing and parsing cost a crawl.

    .venv/bin/python bench/bench_crawl_archive.py [--rounds 5] [--workers N] [--delay SECONDS]

The replica in its own process (its delays and throttling off); every replica site crawled by the
engine into a ``MemorySink`` (discovery and fetching only) and into a real archive home (blobs,
catalog, parsing behind the fetchers in ``--workers`` worker processes, default one a core),
rounds interleaved so both see the same load. One untimed round of each first: the replica
builds its PDFs, the parse workers start (a long crawl starts them once).

Prints, per round and as the median of the per-round ratios, pages/s (``crawl/fetch/count``: the
pages and files the engine fetched, the same on both sides) of

* the fetch phase: until the archive crawl's last fetch was done (goal: ≥ 0.5× fetch only);
* end to end: until every fetched document is parsed and stored, which is what ``xxgk crawl``
  waits for; its bound is the parse tail (documents parsed per second by the workers, printed).

and the CPU seconds a round of each side: the crawler's process (all its threads: fetching,
storing, catalog writes), the parse workers and the replica; their sum over the cores is the
fastest the end-to-end crawl could be on this machine, whatever the overlap.

``--delay``: the crawler's own delay between requests to one host, on both sides (0 by default: the
machine's limits; ``xxgk crawl`` waits 1 s, which is what a real crawl's pages/s look like).

The load (``os.getloadavg``) is printed before and after: on a shared 2-core machine the figures
move with it.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_crawl import CrawlRound, _ReplicaProcess, _archive_round, _engine_round  # noqa: E402


def _rate(r: CrawlRound, seconds: float) -> float:
    return r.pages / seconds


class CpuMeter:
    """CPU seconds of this process (all its threads), of its other descendants (the parse workers)
    and of the replica, between two readings; psutil (installed with the dask extra) reads the
    children, without it only this process is measured."""

    def __init__(self, replica_pid: int):
        self.replica_pid = replica_pid
        try:
            import psutil
            self._me = psutil.Process()
        except ImportError:
            self._me = None

    def reading(self) -> dict[str, float]:
        out = {"main": time.process_time(), "workers": 0.0, "replica": 0.0}
        if self._me is not None:
            import psutil
            for child in self._me.children(recursive=True):
                try:
                    t = child.cpu_times()
                except psutil.Error:  # gone between the listing and the reading
                    continue
                out["replica" if child.pid == self.replica_pid else "workers"] += t.user + t.system
        return out

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {k: after[k] - before[k] for k in before}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    logging.disable(logging.WARNING)  # blocked pages are expected; their warnings are noise here
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=None, help="parse worker processes (default one a core)")
    ap.add_argument("--delay", type=float, default=0.0,
                    help="seconds between requests to one host, on both sides (default 0; a crawl's is 1)")
    args = ap.parse_args(argv)
    from archive.commands.demo import replica_profiles
    from replica import SITES

    print(f"load before: {_load()} ({os.cpu_count()} cores); delay between requests to a host: {args.delay:g} s")
    server = _ReplicaProcess()
    try:
        rep = SimpleNamespace(info=SimpleNamespace(resolve=server.info["resolve"], sites={s.id: s for s in SITES}))
        profiles = replica_profiles(rep.info)
        _engine_round(rep, profiles)  # the replica builds its PDFs on first ask
        _archive_round(rep, profiles, args.workers)  # the parse workers start
        rounds: list[tuple[CrawlRound, CrawlRound]] = []
        meter = CpuMeter(server.proc.pid)
        cpu: list[tuple[dict, dict]] = []
        for _ in range(args.rounds):  # interleaved: both see the same load on a shared machine
            t0 = meter.reading()
            fetch_only = _engine_round(rep, profiles, args.delay)
            t1 = meter.reading()
            into_archive = _archive_round(rep, profiles, args.workers, args.delay)
            t2 = meter.reading()
            rounds.append((fetch_only, into_archive))
            cpu.append((meter.spent(t0, t1), meter.spent(t1, t2)))
    finally:
        server.close()
    fetch_phase, end_to_end = [], []
    for n, (f, a) in enumerate(rounds, 1):
        only = _rate(f, f.seconds)
        fetch_phase.append(_rate(a, a.fetching) / only)
        end_to_end.append(_rate(a, a.seconds) / only)
        tail = a.seconds - a.fetching
        print(f"round {n}: fetch only {f.pages} pages in {f.seconds:.2f} s = {only:.1f} pages/s; "
              f"into an archive: fetched in {a.fetching:.2f} s = {_rate(a, a.fetching):.1f} pages/s, "
              f"all {a.parsed} parsed and stored at {a.seconds:.2f} s = {_rate(a, a.seconds):.1f} pages/s "
              f"(parse tail {tail:.2f} s)")
    parse_rate = statistics.median(a.parsed / a.seconds for _, a in rounds)
    cores = os.cpu_count() or 1

    def med(side: int, part: str) -> float:
        return statistics.median(c[side][part] for c in cpu)

    floor = (med(1, "main") + med(1, "workers") + med(1, "replica")) / cores
    print(f"CPU seconds a round (median): fetch only: crawler {med(0, 'main'):.2f}, replica {med(0, 'replica'):.2f}; "
          f"into an archive: crawler {med(1, 'main'):.2f}, parse workers {med(1, 'workers'):.2f}, replica "
          f"{med(1, 'replica'):.2f}: on {cores} cores no faster than {floor:.2f} s end to end, "
          f"{statistics.median(f.pages for f, _ in rounds) / floor:.1f} pages/s")
    print(f"load after: {_load()}")
    print(f"fetch phase, archive / fetch only: median {statistics.median(fetch_phase):.2f}x "
          f"(rounds {', '.join(f'{r:.2f}' for r in fetch_phase)}; goal >= 0.5x)")
    print(f"end to end (every document parsed and stored), archive / fetch only: median "
          f"{statistics.median(end_to_end):.2f}x (rounds {', '.join(f'{r:.2f}' for r in end_to_end)}); "
          f"bound: parsing, {parse_rate:.1f} documents/s end to end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
