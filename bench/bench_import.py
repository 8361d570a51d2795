"""Import throughput: ``xxgk import --workers 1`` (serial) against ``--workers 2`` (and ``--dask local``).

    .venv/bin/python bench/bench_import.py [--files 500] [--pdfs 100] [--rounds 2] [--dask]

Makes ``--files`` documents in a temporary folder: real report texts of tests/data/real in their own
encodings (each made unique by an ASCII last line) and ``--pdfs`` of them report PDFs of the tests'
generator (a prose report with its three template tables, each under its own title). Imports them
into a fresh home per run (``--no-index``: parsing and storing only), alternating the two ways,
the best of ``--rounds`` for each; checks the catalogs agree (the same reports, metrics and findings
under the same ids) and prints files/s of each and the ratio (goal: ≥ 1.8 on 2 cores).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"
XXGK = Path(sys.executable).parent / "xxgk"


def make_files(folder: Path, n: int, pdfs: int) -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from extract_samples import report_pdf

    folder.mkdir(parents=True, exist_ok=True)
    texts = sorted(REAL.glob("*.txt"))
    total = 0
    for i in range(n):
        if i < pdfs:
            data = report_pdf(filler_pages=2, title=f"某某市第{i}区2020年政府信息公开工作年度报告")
            name = f"p{i:05d}.pdf"
        else:
            src = texts[i % len(texts)]
            data, name = src.read_bytes() + f"\n({i})\n".encode("ascii"), f"t{i:05d}-{src.name}"
        (folder / name).write_bytes(data)
        total += len(data)
    return total


def catalog_digest(home: Path) -> tuple:
    conn = sqlite3.connect(home / "catalog.sqlite")
    try:
        return tuple(conn.execute(sql).fetchall() for sql in (
            "SELECT r.id, d.sha256, r.year, r.region, r.agency, r.title FROM reports r "
            "JOIN documents d ON d.id = r.document_id ORDER BY r.id",
            "SELECT report_id, key, value FROM metrics ORDER BY 1, 2",
            "SELECT report_id, ord, rule FROM findings ORDER BY 1, 2"))
    finally:
        conn.close()


def timed_import(files: Path, home: Path, options: list[str]) -> float:
    shutil.rmtree(home, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    t0 = time.perf_counter()
    r = subprocess.run([str(XXGK), "import", str(files), "--home", str(home), "--no-index", "--json", *options],
                       capture_output=True, text=True, env=env, timeout=3600)
    seconds = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        raise SystemExit(f"xxgk import {' '.join(options)} failed: {r.stderr.strip().splitlines()[-1:]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--pdfs", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--dask", action="store_true", help="also --dask local (a LocalCluster of one worker a core)")
    args = ap.parse_args()
    ways = {"serial": ["--workers", "1"], "workers 2": ["--workers", "2"]}
    if args.dask:
        ways["dask local"] = ["--dask", "local"]
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-import-") as tmp:
        work = Path(tmp)
        size = make_files(work / "in", args.files, args.pdfs)
        print(f"{args.files} files ({args.pdfs} PDF), {size / 1e6:.1f} MB, {os.cpu_count()} CPUs")
        best: dict[str, float] = {}
        digests = {}
        for _ in range(args.rounds):
            for name, options in ways.items():
                seconds = timed_import(work / "in", work / name.replace(" ", "-"), options)
                best[name] = min(best.get(name, seconds), seconds)
                digests[name] = catalog_digest(work / name.replace(" ", "-"))
        same = all(d == digests["serial"] for d in digests.values())
        print(f"{'way':<12} {'seconds':>8} {'files/s':>8} {'ratio':>6}")
        for name, seconds in best.items():
            print(f"{name:<12} {seconds:8.1f} {args.files / seconds:8.1f} {best['serial'] / seconds:6.2f}")
        print(f"catalogs identical to the serial run: {'yes' if same else 'NO'}")
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
