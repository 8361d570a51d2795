"""A place filter as the archive's places grow (issue 18: fast at every size, at a national archive's 40,000 places).

    .venv/bin/python bench/bench_places.py                    # 375, 3,754 and 37,504 places
    .venv/bin/python bench/bench_places.py --rounds 3

A national archive holds reports of every county (GB/T 2260: 3,754 divisions) and of many towns
(about 40,000). ``--region`` reads a name against every archived place (``archive.places``), so a
filter's cost depends on how many places there are, not on how many reports. Each home here holds
one report a place: the whole division table, a tenth of it, and the table with ten towns under
each county (synthetic names below real counties). Each command runs as a shell call, a fresh
process as a user's (so the place caches start cold), after one warm-up call; the median of
``--rounds`` calls is kept, the homes taking turns in every round.

Prints a markdown table (seconds a call; the ratio of the largest home to the smallest);
writes ``bench/out/bench_places.json``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_scale import XXGK, _env  # noqa: E402
from bench.bench_serve import OUT  # noqa: E402

TOWNS_A_COUNTY = 10
# (name, command line, exit status): a county by its short name, a province (its thousands of places below it),
# a prefecture and county written together, a name no place holds (the error names the closest)
COMMANDS = (
    ("reports --region 余杭", ["reports", "--region", "余杭", "--limit", "5", "--format", "tsv"], 0),
    ("reports --region 浙江", ["reports", "--region", "浙江", "--limit", "5", "--format", "tsv"], 0),
    ("search --region 杭州余杭", ["search", "公开", "--region", "杭州余杭", "--format", "tsv"], 0),
    ("compare --region 余杭", ["compare", "--region", "余杭", "--format", "csv"], 0),
    ("reports --region 余航 (a typo)", ["reports", "--region", "余航", "--limit", "5"], 1),
)


def national_places(towns: int) -> list[tuple[str, str]]:
    """(full name, code) of every division of GB/T 2260, with ``towns`` towns under each county."""
    from parser import regions

    out = [(regions.full_name(code), code) for code in sorted(regions._divisions())]
    out = [(name, code) for name, code in out if name]
    out += [(f"{name}第{i + 1}街道", code) for name, code in list(out) if not code.endswith("00")
            for i in range(towns)]
    return out


def build_home(places: list[tuple[str, str]], label: str) -> Path:
    """A home holding one report a place (built once, reused while complete): the catalog's own
    schema and triggers, its rows as a parse writes them (titles, no text), then indexed."""
    from archive.catalog import Catalog
    from archive.home import Home

    home = OUT / f"places-home-{label}"
    if (home / ".complete").exists():
        return home
    if home.exists():
        import shutil

        shutil.rmtree(home)
    home.mkdir(parents=True)
    Home.open(home, create=True).close()
    cat = Catalog(home / "catalog.sqlite")
    now = "2026-01-01T00:00:00"
    with cat.conn:
        cat.conn.executemany(
            "INSERT INTO documents(id, sha256, size, media_type, created_at, status) VALUES (?, ?, 100, 'text/html', ?, 'parsed')",
            [(i + 1, f"{i + 1:064x}", now) for i in range(len(places))])
        cat.conn.executemany(
            "INSERT INTO reports(id, document_id, title, year, region, region_code, agency, format, parser_version, "
            "parsed_at, record_json) VALUES (?, ?, ?, 2021, ?, ?, '', 'html', 'bench', ?, '{}')",
            [(i + 1, i + 1, f"{name}2021年政府信息公开工作年度报告", name, code, now)
             for i, (name, code) in enumerate(places)])
    cat.close()
    subprocess.run([str(XXGK), "index", "--home", str(home)], check=True, capture_output=True, env=_env())
    (home / ".complete").touch()
    return home


def _one(home: Path, line: list[str], status: int) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([str(XXGK), *line, "--home", str(home)], capture_output=True, text=True, env=_env(),
                       timeout=600)
    seconds = time.perf_counter() - t0
    if r.returncode != status:
        raise SystemExit(f"`xxgk {' '.join(line)}` failed on {home}: {(r.stderr.strip().splitlines() or ['?'])[-1]}")
    return seconds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="calls of each command a home [5]")
    args = ap.parse_args(argv)
    counties = national_places(0)
    with_towns = national_places(TOWNS_A_COUNTY)
    homes = {len(p): build_home(p, label) for p, label in
             ((counties[::10], "tenth"), (counties, "divisions"), (with_towns, f"towns{TOWNS_A_COUNTY}"))}
    for home in homes.values():  # warm: the page cache, a migration
        for _, line, status in COMMANDS:
            _one(home, line, status)
    calls = {n: {name: [] for name, _, _ in COMMANDS} for n in homes}
    for _ in range(args.rounds):
        for n, home in homes.items():
            for name, line, status in COMMANDS:
                calls[n][name].append(_one(home, line, status))
    times = {n: {name: round(statistics.median(ts), 3) for name, ts in by.items()} for n, by in calls.items()}
    sizes = sorted(homes)
    print(f"| command | {' | '.join(f'{n:,} places' for n in sizes)} | ratio {sizes[-1]:,} / {sizes[0]:,} |")
    print(f"|---|{'---|' * len(sizes)}---|")
    for name, _, _ in COMMANDS:
        row = [times[n][name] for n in sizes]
        print(f"| {name} | {' | '.join(f'{t:.3f} s' for t in row)} | {row[-1] / row[0]:.2f}× |")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_places.json").write_text(json.dumps({"seconds": times, "rounds": args.rounds}, indent=1))


if __name__ == "__main__":
    main()
