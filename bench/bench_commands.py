"""Per call, the commands people run against an archive, as the archive grows (issue 18: fast at every size).

    .venv/bin/python bench/bench_commands.py                          # 2,000, 6,000 and 20,000 reports
    .venv/bin/python bench/bench_commands.py --sizes 1000,3000 --rounds 3

Each home is built once and reused (``bench_serve.build_home`` with numbers: every report its own
publisher-year, 120 metrics with table-cell evidence, its text as a blob, the tantivy index). Each
command runs as a shell call, a fresh process as a user's, after one warm-up call; the median wall
time of ``--rounds`` calls is kept, the sizes taking turns in every round. From the smallest and the largest size each command's time is
fitted as ``t = a + b·N`` (a rise within the noise between calls counts as none) and projected to
1.5 M reports: a call that stays near its start-up at every size
does not grow with the archive; one that is projected past 1 s is named, as the step that breaks
first. Prints a markdown table; writes ``bench/out/bench_commands.json``.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_scale import TARGET, XXGK, _env  # noqa: E402
from bench.bench_serve import OUT, build_home  # noqa: E402

NUMBERS = 120  # a 2021 template report holds 100-150 numbers
SLOW_S = 1.0
NOISE_S, NOISE_SHARE = 0.05, 0.25

# (name, command line); {id}: a report of the home, {key}: a metric it holds
COMMANDS = (
    ("status", ["status", "--json"]),
    ("search, a word every report holds", ["search", "公开", "--format", "tsv"]),
    ("search, filtered by place and years", ["search", "信息公开", "--region", "浙江", "--year", "2015-2020",
                                             "--format", "tsv"]),
    ("show a report", ["show", "{id}", "--json"]),
    ("cat a report", ["cat", "{id}"]),
    ("reports, first 20", ["reports", "--limit", "20", "--format", "tsv"]),
    ("compare one district", ["compare", "--region", "余杭", "--metrics", "{key}", "--format", "csv"]),
    ("errors", ["errors", "--json"]),
    ("index, nothing to do (opens to write)", ["index"]),
)


def _one(home: Path, line: list[str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([str(XXGK), *line, "--home", str(home)], capture_output=True, text=True, env=_env(),
                       timeout=3600)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"`xxgk {' '.join(line)}` failed on {home}: {(r.stderr.strip().splitlines() or ['?'])[-1]}")
    return seconds


def _lines(home: Path) -> list[tuple[str, list[str]]]:
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        report_id = conn.execute("SELECT MIN(id) FROM reports").fetchone()[0]
        key = conn.execute("SELECT key FROM metric_keys ORDER BY id LIMIT 1").fetchone()[0]
    return [(name, [a.format(id=report_id, key=key) for a in line]) for name, line in COMMANDS]


def time_commands(homes: dict[int, Path], rounds: int) -> dict[int, dict[str, float]]:
    """The median call of each command on each home. The homes take turns within every round, so
    the machine's drift over the run falls on every size alike, not on the largest."""
    lines = {n: _lines(home) for n, home in homes.items()}
    for n, home in homes.items():  # warm: the page cache, the pattern and scope caches, a migration
        for _, line in lines[n]:
            _one(home, line)
    calls: dict[int, dict[str, list[float]]] = {n: {name: [] for name, _ in COMMANDS} for n in homes}
    for _ in range(rounds):
        for n, home in homes.items():
            for name, line in lines[n]:
                calls[n][name].append(_one(home, line))
    return {n: {name: round(statistics.median(ts), 3) for name, ts in by_name.items()} for n, by_name in calls.items()}


def project(sizes: list[int], times: dict[int, dict[str, float]]) -> dict[str, dict]:
    """Per command: the per-report slope between the smallest and the largest size and the time at
    ``TARGET``. A rise within this machine's noise between calls (under a quarter, or under 50 ms)
    counts as none: projected 75-fold it would name every command."""
    small, large = sizes[0], sizes[-1]
    out = {}
    for name in times[large]:
        rise = times[large][name] - times[small][name]
        grows = rise > max(NOISE_S, NOISE_SHARE * times[small][name])
        slope = rise / (large - small) if grows else 0.0
        at_target = times[large][name] + slope * (TARGET - large)
        out[name] = {"us_per_1000_reports": round(slope * 1000 * 1e6, 1), "projected_s": round(at_target, 2)}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000,6000,20000", help="archive sizes in reports [2000,6000,20000]")
    ap.add_argument("--rounds", type=int, default=7, help="calls of each command a size [7]")
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if len(sizes) < 2:
        raise SystemExit("give at least two sizes: the growth is measured between them")
    homes = {}
    for n in sizes:
        started = time.perf_counter()
        homes[n] = build_home(n, "tantivy", numbers=NUMBERS)
        print(f"home of {n:,} reports ready ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    times = time_commands(homes, args.rounds)
    projected = project(sizes, times)
    head = " | ".join(f"{n:,} reports" for n in sizes)
    print(f"| command | {head} | growth, ms per 1,000 reports | projected at {TARGET:,} |")
    print("|---" * (len(sizes) + 3) + "|")
    for name in times[sizes[0]]:
        cells = " | ".join(f"{times[n][name]:.2f} s" for n in sizes)
        p = projected[name]
        mark = " **past 1 s**" if p["projected_s"] > SLOW_S else ""
        print(f"| {name} | {cells} | {p['us_per_1000_reports'] / 1000:.2f} | {p['projected_s']:,.2f} s{mark} |")
    slow = sorted(((p["projected_s"], name) for name, p in projected.items() if p["projected_s"] > SLOW_S), reverse=True)
    print("\nbreaks first: " + (f"{slow[0][1]} ({slow[0][0]:,.1f} s a call at {TARGET:,} reports)" if slow else
                                f"none: every command is projected under {SLOW_S:g} s a call at {TARGET:,} reports"))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_commands.json").write_text(json.dumps(
        {"sizes": sizes, "rounds": args.rounds, "seconds": {str(n): times[n] for n in sizes}, "projected": projected},
        ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
