"""Crawl into the archive against fetch only: what storing and parsing cost a crawl.

    .venv/bin/python bench/bench_crawl_archive.py [--rounds 3]

The replica in its own process (delays and throttling off); every replica site crawled by the
engine into a ``MemorySink`` (discovery and fetching only) and into a real archive home (blobs,
catalog, parsing in the pool's worker processes), rounds interleaved, the best of each. Prints
requests/s of each and the ratio (goal: the archive crawl ≥ 0.5× fetch only). No Scrapy needed
(``bench_crawl.py`` adds the comparison with Scrapy).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_crawl import _ReplicaProcess, _archive_round, _engine_round  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    logging.disable(logging.WARNING)  # blocked pages are expected; their warnings are noise here
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    from archive.commands.demo import replica_profiles
    from replica import SITES

    server = _ReplicaProcess()
    try:
        rep = SimpleNamespace(info=SimpleNamespace(resolve=server.info["resolve"], sites={s.id: s for s in SITES}))
        profiles = replica_profiles(rep.info)
        _engine_round(rep, profiles)  # the replica builds its PDFs on first ask
        fetch, archive = [], []
        for _ in range(args.rounds):  # interleaved: both see the same load on a shared machine
            fetch.append(_engine_round(rep, profiles)[:2])
            archive.append(_archive_round(rep, profiles))
    finally:
        server.close()
    n_f, t_f = max(fetch, key=lambda r: r[0] / r[1])
    n_a, t_a = max(archive, key=lambda r: r[0] / r[1])
    print(f"fetch only (memory sink): {n_f} requests in {t_f:.2f} s = {n_f / t_f:.1f} requests/s")
    print(f"crawl into an archive (store + parse): {n_a} fetches in {t_a:.2f} s = {n_a / t_a:.1f} requests/s")
    print(f"ratio archive / fetch only: {(n_a / t_a) / (n_f / t_f):.2f}x (goal >= 0.5x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
