"""Whoosh index grown by many small updates against the same reports indexed in one go (issue 18).

    .venv/bin/python bench/bench_whoosh_updates.py                      # 40 updates of 250 reports
    .venv/bin/python bench/bench_whoosh_updates.py --updates 40 --batch 250 --rounds 7 --reuse

An archive indexed after each small crawl or import commits one small segment each time; once more
than 12 pile up the backend merges small ones. A query reads a segment's postings from its sidecar
files (postings_sidecar.py) when it has them, else through Whoosh (several times slower), so what a
merge leaves behind decides the speed of such an index. This bench builds both indexes from the first
``updates × batch`` reports of bench/corpus.py (``upsert`` with replacement, as the archive does;
every update also sends again ``--replaced`` reports of the one before, so merges meet deletions),
prints how many of each index's reports sit in segments with a sidecar, checks that every query
gives both the same total, hits, order and snippets, and queries both ``--rounds`` times, in turn
(the order alternating), printing each round's grown ÷ one-go ratio of the all-query p50 and p95
(wall and CPU) and their medians: load that comes and goes weighs on both sides of a ratio alike.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

from bench.bench_search import Ours, _percentiles, make_queries  # noqa: E402
from bench.corpus import cached_corpus, read_corpus  # noqa: E402
from index.postings_sidecar import SIDECAR_DIR, SegmentPostings  # noqa: E402

_CORPUS_SIZE = 20000  # the search bench's corpus: its first reports are used


def reports(n: int) -> list[dict]:
    return list(itertools.islice(read_corpus(cached_corpus(_CORPUS_SIZE, OUT)), n))


def build(path: Path, docs: list[dict], updates: int, batch: int, replaced: int) -> dict:
    """One go (``updates == 1``) or ``updates`` upserts of ``batch`` reports each, the first ``replaced``
    of the update before sent again (altered) with each; the build's wall and CPU seconds."""
    shutil.rmtree(path, ignore_errors=True)
    ix = Ours("whoosh", path)
    t, c = time.perf_counter(), time.process_time()
    for u in range(updates):
        part = docs[u * batch:(u + 1) * batch]
        again = [dict(d, text=d["text"] + "\n再次发布") for d in docs[(u - 1) * batch:(u - 1) * batch + replaced]] if u else []
        ix.ix.upsert(part + again)
    figures = {"build_s": round(time.perf_counter() - t, 1), "build_cpu_s": round(time.process_time() - c, 1)}
    ix.ix.close()
    (path / ".built").write_text(json.dumps(figures))
    return figures


def final_docs(docs: list[dict], updates: int, batch: int, replaced: int) -> list[dict]:
    """The reports as the grown index holds them at the end (the replaced ones altered)."""
    out = {d["report_id"]: d for d in docs[:updates * batch]}
    for u in range(1, updates):
        for d in docs[(u - 1) * batch:(u - 1) * batch + replaced]:
            out[d["report_id"]] = dict(d, text=d["text"] + "\n再次发布")
    return [out[k] for k in sorted(out)]


def segments(path: Path) -> dict:
    """Segments, and reports (live documents) in segments with and without sidecar postings."""
    from whoosh import index as whoosh_index

    raw = whoosh_index.open_dir(str(path / "whoosh"))
    with_side = without = 0
    for seg in raw._segments():
        live = seg.doc_count()
        if SegmentPostings.open(path / SIDECAR_DIR, seg.segment_id()) is not None:
            with_side += live
        else:
            without += live
    return {"segments": len(raw._segments()), "reports_with_sidecar": with_side, "reports_without": without}


def answers(ix, queries: list[dict]) -> list[tuple]:
    """What each query shows: total, and every hit's report id and snippets, in order."""
    out = []
    for q in queries:
        text = " ".join(f'"{w}"' if q.get("phrase") else w for w in q["words"])
        lo, hi = q.get("year", (None, None))
        res = ix.search(text, region=q.get("region"), year_from=lo, year_to=hi, limit=20)
        out.append((res.total, [(h.report_id, h.snippets) for h in res.hits], res.facets))
    return out


def timed(engine: Ours, queries: list[dict]) -> dict:
    wall, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        engine.query(q)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return {"wall": _percentiles(wall), "cpu": _percentiles(cpu)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--updates", type=int, default=40)
    ap.add_argument("--batch", type=int, default=250)
    ap.add_argument("--replaced", type=int, default=10, help="reports of the update before sent again with each")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--reuse", action="store_true", help="query the indexes an earlier run built, if complete")
    args = ap.parse_args(argv)
    n = args.updates * args.batch
    docs = reports(n)
    paths = {"once": OUT / f"idx-whoosh-once-{n}", "grown": OUT / f"idx-whoosh-grown-{args.updates}x{args.batch}"}
    for kind, path in paths.items():
        if args.reuse and (path / ".built").exists():
            figures = json.loads((path / ".built").read_text())
        elif kind == "once":
            figures = build(path, final_docs(docs, args.updates, args.batch, args.replaced), 1, n, 0)
        else:
            figures = build(path, docs, args.updates, args.batch, args.replaced)
        print(json.dumps({"index": kind, **figures, **segments(path)}), flush=True)

    engines = {kind: Ours("whoosh", path) for kind, path in paths.items()}
    queries = [q for qs in make_queries(paths["once"]).values() for q in qs]
    same = [a == b for a, b in zip(answers(engines["once"].ix, queries), answers(engines["grown"].ix, queries))]
    print(f"same total, hits, order, snippets and facets: {sum(same)} of {len(queries)} queries", flush=True)
    ratios: dict[str, list[float]] = {}
    for r in range(args.rounds):
        order = ("once", "grown") if r % 2 == 0 else ("grown", "once")
        got = {kind: timed(engines[kind], queries) for kind in order}
        for m in ("wall", "cpu"):
            for p in ("p50", "p95"):
                ratios.setdefault(f"{m} {p}", []).append(got["grown"][m][p] / max(got["once"][m][p], 0.01))
        print(f"round {r + 1}: once {got['once']['wall']}, grown {got['grown']['wall']} (wall ms); "
              + ", ".join(f"{k} {v[-1]:.2f}x" for k, v in ratios.items()), flush=True)
    print(f"grown ÷ one go, all {len(queries)} queries, median of {args.rounds} interleaved rounds: "
          + ", ".join(f"{k} {statistics.median(v):.2f}x" for k, v in ratios.items())
          + f" (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
