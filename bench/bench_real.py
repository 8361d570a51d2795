"""Scoreboard on the real corpus (tests/data/real/): how the parser does on documents nobody here wrote.

    .venv/bin/python bench/bench_real.py            # the table, the worst documents
    .venv/bin/python bench/bench_real.py -v         # and every fault: label vs parsed
    .venv/bin/python bench/bench_real.py --json     # the summary as JSON

Prints per-field metadata accuracy, cells right / wrong / missed / misplaced, refusals, the
ratios against the issue's goals (≥ 97% of metadata facts, ≥ 98% of cells, 0 wrong, 0 misplaced,
no wrong region, no report refused) and the worst documents with what went wrong.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.real_corpus import META_FIELDS, Scoreboard, load_corpus  # noqa: E402

GOALS = {"meta_accuracy": 0.97, "cells_read": 0.98}


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "—"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="list every fault")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--worst", type=int, default=12, help="how many of the worst documents to show")
    args = ap.parse_args()

    corpus = load_corpus()
    t0 = time.perf_counter()
    board = Scoreboard.run(corpus)
    elapsed = time.perf_counter() - t0
    s = board.summary()
    if args.json:
        print(json.dumps(s, ensure_ascii=False, indent=1))
        return 0

    shapes = Counter(sh for d in corpus for sh in d.labels.get("shapes") or ())
    print(f"real corpus: {s['documents']} documents ({s['reports']} reports), parsed in {elapsed:.1f} s")
    print("shapes: " + ", ".join(f"{k} {v}" for k, v in shapes.most_common()))
    print()
    print(f"{'metadata field':<14} {'right':>6} {'wrong':>6} {'missed':>7} {'accuracy':>9}")
    for name, c in board.meta_counts().items():
        n = sum(c.values())
        print(f"{name:<14} {c['right']:>6} {c['wrong']:>6} {c['missed']:>7} {_pct(c['right'], n):>9}")
    print(f"{'all facts':<14} {s['meta_right']:>6} {s['meta_facts'] - s['meta_right']:>6} {'':>7} "
          f"{_pct(s['meta_right'], s['meta_facts']):>9}   goal ≥ 97%: ratio {s['meta_accuracy'] / GOALS['meta_accuracy']:.3f}")
    print()
    print(f"cells labelled {s['cells_labelled']}: right {s['cells_right']}, wrong {s['cells_wrong']}, "
          f"missed {s['cells_missed']}, misplaced {s['cells_misplaced']}; read {_pct(s['cells_right'], s['cells_labelled'])}"
          f"   goal ≥ 98%: ratio {s['cells_read'] / GOALS['cells_read']:.3f}; goal 0 wrong, 0 misplaced")
    print(f"wrong regions: {s['wrong_regions']} (goal 0)   reports refused: {s['refused']} (goal 0)   "
          f"non-reports accepted: {s['non_reports_accepted']}")
    worst = sorted((x for x in board.scores if x.faults), key=lambda x: -x.faults)[:args.worst]
    if worst:
        print("\nworst documents:")
    for x in worst:
        bits = [x.outcome] if x.outcome != "parsed" else []
        bits += [f"{k} {v}" for k, v in x.meta.items() if v != "right"]
        cells = Counter(v for v in x.cells.values() if v != "right")
        bits += [f"cells {k} {n}" for k, n in cells.items()]
        print(f"  {x.slug:<48} {', '.join(bits)}")
    if args.verbose:
        print("\nevery fault (label → parsed):")
        for x in board.scores:
            if x.outcome in ("refused", "error", "accepted_non_report"):
                print(f"  {x.slug}: {x.outcome} {x.error}")
            for k, (want, got) in x.meta_detail.items():
                print(f"  {x.slug}: {k} {x.meta[k]}: {want!r} → {got!r}")
            for k, (want, got) in x.cell_detail.items():
                print(f"  {x.slug}: {k} {x.cells[k]}: {want!r} → {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
