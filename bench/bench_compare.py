"""Benchmark: export the `wide` comparison of 100,000 synthetic reports to CSV.

Goal (issue 7): under 3 s and under 500 MB peak. Builds a real catalog file with
``archive.catalog.Catalog`` (same schema and migrations as a home) and fills it with a bulk SQL
insert: publishers over 2015-2023, legacy years with prose keys and template years with table 3/4
keys, about 3 % duplicates (图解 copies and corrections). Then, in a fresh child process (so the
peak memory is the export's alone), runs the same library calls as `xxgk compare --shape wide -o`
and prints seconds, rows/s, peak RSS and the ratio to the goal. Then the command itself, as a user
runs it (``xxgk --home H compare --shape wide -o out.csv``: start-up, its notes, all of it), on a home
holding that catalog. Each is run ``--rounds`` times, alternately: this machine's CPU time moves by
±20% from run to run, so the least and the median are printed.

    .venv/bin/python bench/bench_compare.py [--reports 100000] [--keep DIR] [--metrics headline,derived] [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 3.0
GOAL_PEAK_MB = 500.0
YEARS = range(2015, 2024)
LEGACY_KEYS = ("applications.new.total", "applications.replied", "applications.granted.total",
               "applications.partial.total", "applications.denied.total", "applications.not_exist",
               "applications.channel.online", "applications.channel.in_person", "review.total", "review.corrected",
               "litigation.total", "litigation.corrected", "proactive.items", "fees.collected_yuan")
GB_ROWS = ("new", "carried_in", "granted", "partial", "denied.state_secret", "denied.third_party",
           "unable.not_held", "processed_total", "carried_out")
GB_KEYS = tuple(f"applications.{r}.{c}" for r in GB_ROWS for c in ("natural", "commercial", "total")) + tuple(
    f"{b}.{o}" for b in ("review", "litigation_direct", "litigation_after_review")
    for o in ("upheld", "corrected", "other", "pending", "total")) + (
    "applications.denied.total", "litigation.total", "rules.issued", "rules.in_force")


def build_catalog(path: Path, n_reports: int, seed: int = 7) -> None:
    from archive.catalog import Catalog

    rng = random.Random(seed)
    cat = Catalog(path)  # creates the real schema through the migrations
    conn = cat.conn
    n_publishers = max(1, n_reports // len(YEARS))
    docs, reports, metrics = [], [], []
    rid = 0
    for p in range(n_publishers):
        region = f"浙江省测试市{p // 20:04d}区"
        agency = None if p % 20 == 0 else f"测试局{p % 20:02d}"
        for year in YEARS:
            copies = 2 if rng.random() < 0.03 else 1
            for c in range(copies):
                if rid >= n_reports:
                    break
                rid += 1
                title = f"{region}{agency or ''}{year}年政府信息公开工作年度报告" + ("（图解）" if c else "")
                fmt = "legacy" if year < 2019 else ("gb2019" if year < 2021 else "gb2021")
                docs.append((rid, f"{rid:064x}", 1000, "text/html", "2024-01-01T00:00:00+00:00", "parsed"))
                reports.append((rid, rid, title, year, region, agency, f"{year + 1}-03-01", fmt,
                                f"https://example.gov.cn/{rid}.html", "图解" if c else None, "bench",
                                "2024-01-01T00:00:00+00:00", "{}"))
                for key in (LEGACY_KEYS if fmt == "legacy" else GB_KEYS):
                    metrics.append((rid, key, rng.randint(0, 3000), 0, None))
    with cat.write() as w:
        w.executemany("INSERT INTO documents(id, sha256, size, media_type, created_at, status) VALUES (?,?,?,?,?,?)",
                      docs)
        w.executemany("INSERT INTO reports(id, document_id, title, year, region, agency, published, format, url, "
                      "variant, parser_version, parsed_at, record_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", reports)
        from archive.name_ids import name_ids

        ids = name_ids(w, "metric_keys", "key", (m[1] for m in metrics))
        w.executemany("INSERT INTO metric_values(report_id, key_id, value, derived, evidence_json) VALUES (?,?,?,?,?)",
                      [(rid, ids[key], *rest) for rid, key, *rest in metrics])
    conn.execute("ANALYZE")
    # fold the WAL into the file now, so the measured run does not pay for the bulk load's checkpoint
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cat.close()


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, because ru_maxrss survives exec and would report the parent's."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_export(path: Path, out: Path, metrics: str) -> dict:
    """The measured part: what `xxgk compare --shape wide -o out.csv` does after parsing its options."""
    from archive.catalog import Catalog
    from archive.compare import Selection, build_comparison, make_table, write_csv

    t0 = time.perf_counter()
    c0 = time.process_time()
    cat = Catalog(path)
    cmp = build_comparison(cat.conn, Selection(), metrics.split(",") if metrics else None)
    with open(out, "wb") as fh:
        rows = write_csv(make_table(cmp, "wide"), fh)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    cat.close()
    peak_mb = _peak_rss_mb()
    return {"seconds": seconds, "cpu_seconds": cpu, "rows": rows, "peak_mb": peak_mb, "merged": len(cmp.merges),
            "columns": len(cmp.metrics), "bytes": out.stat().st_size}


def _home_of(db: Path, home: Path) -> None:
    """A home folder whose catalog is ``db`` (a hard link where the file system allows one)."""
    home.mkdir(parents=True, exist_ok=True)
    target = home / "catalog.sqlite"
    if target.exists() and target.stat().st_ino == db.stat().st_ino:
        return
    target.unlink(missing_ok=True)
    try:
        os.link(db, target)
    except OSError:
        shutil.copyfile(db, target)


def _library_round(db: Path, metrics: str) -> dict:
    res = subprocess.run([sys.executable, __file__, "--child", str(db), "--metrics", metrics],
                         capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"))
    if res.returncode:
        sys.exit(res.stderr)
    return json.loads(res.stdout)


def _command_round(home: Path, metrics: str) -> dict:
    """``xxgk compare`` in its own process: wall seconds, its CPU seconds and peak RSS (wait4's)."""
    out = home / "wide.csv"
    argv = [sys.executable, "-m", "archive.cli", "--home", str(home), "compare", "--shape", "wide", "-o", str(out)]
    argv += ["--metrics", metrics] if metrics else []
    t = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONHASHSEED="0"))
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(err.decode("utf-8", "replace"))
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="folder to keep (and reuse) the synthetic catalog in")
    ap.add_argument("--metrics", default="", help="--metrics items (default: the headline metrics)")
    ap.add_argument("--rounds", type=int, default=3, help="runs of each, alternately [3]")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_export(args.child, args.child.with_suffix(".wide.csv"), args.metrics)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="xxgk-bench-compare-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"catalog-{args.reports}.sqlite"
    if not db.exists():
        t = time.perf_counter()
        build_catalog(db, args.reports)
        print(f"built {args.reports:,} synthetic reports in {time.perf_counter() - t:.1f} s ({db})")
    home = folder / "home"
    _home_of(db, home)
    library, command = [], []
    for _ in range(max(1, args.rounds)):
        library.append(_library_round(db, args.metrics))
        command.append(_command_round(home, args.metrics))
    r = library[-1]
    print(f"wide export: {r['rows']:,} rows x {r['columns']} metrics ({r['merged']} duplicate groups merged), "
          f"{r['bytes'] / 1e6:.1f} MB CSV")
    for name, runs in (("library calls", library), ("xxgk compare", command)):
        secs = sorted(x["seconds"] for x in runs)
        cpus = sorted(x["cpu_seconds"] for x in runs)
        peak = max(x["peak_mb"] for x in runs)
        best, mid = secs[0], statistics.median(secs)
        print(f"{name}: seconds least {best:.2f} median {mid:.2f} (goal {GOAL_SECONDS} s, ratio {best / GOAL_SECONDS:.2f} / "
              f"{mid / GOAL_SECONDS:.2f}); cpu least {cpus[0]:.2f} median {statistics.median(cpus):.2f} s; "
              f"{r['rows'] / best:,.0f} rows/s; peak RSS {peak:.0f} MB (goal {GOAL_PEAK_MB:.0f} MB, ratio "
              f"{peak / GOAL_PEAK_MB:.2f})")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
