"""Benchmark: the archivists' formats (issue 17) — seconds and peak memory of each real command.

Two archives: the demo home (`xxgk demo`: the replica crawled, ~190 pages and files, ~150 reports),
and one holding a single 300 MB file (streaming: the peak must not grow with the file). For each,
`xxgk export --warc`, `--wacz`, `--parquet` and `xxgk import` of the WARC into a fresh home (the
demo's with every report parsed again), each in its own process; peak RSS is that process's.

    .venv/bin/python bench/bench_warc.py [--big-mb 300] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

XXGK = Path(sys.executable).parent / "xxgk"
GOAL_BIG_PEAK_MB = 150.0  # streaming: far below the file's size


def measured(*args: str) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of one command, in a child that reports its own child's peak."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, rc)")
    out = subprocess.run([sys.executable, "-c", probe, str(XXGK), *args], capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def big_home(root: Path, mb: int) -> Path:
    from archive.home import Home

    home = root / "big"
    h = Home.open(home)
    data = root / "big.bin"
    with open(data, "wb") as f:
        block = os.urandom(1 << 20)
        for i in range(mb):
            f.write(block[:-8] + i.to_bytes(8, "big"))
    sha, _ = h.blobs.put_file(data)
    h.catalog.add_document(sha, data.stat().st_size, "application/pdf", source={
        "kind": "crawl", "url": "http://www.example.gov.cn/big.pdf", "http_status": 200,
        "headers": {"content-type": "application/pdf"}})
    data.unlink()
    h.close()
    return home


def run(root: Path, big_mb: int) -> list[tuple]:
    rows = []
    demo = root / "demo"
    subprocess.run([str(XXGK), "demo", "--home", str(demo)], check=True, capture_output=True)
    for name, home, limit in (("demo", demo, None), (f"{big_mb} MB file", big_home(root, big_mb), f"{big_mb + 50}MB")):
        out = root / f"out-{home.name}"
        out.mkdir()
        warc = out / "a.warc.gz"
        for label, args in (("export --warc", ["export", "--warc", str(warc)]),
                            ("export --wacz", ["export", "--wacz", str(out / "a.wacz")]),
                            ("export --parquet", ["export", "--parquet", str(out / "pq")])):
            secs, peak, rc = measured(*args, "--home", str(home))
            rows.append((name, label, secs, peak, rc, warc.stat().st_size if warc.exists() else 0))
        extra = ["--max-file-size", limit] if limit else []
        rows.append((name, "import the WARC", *measured("import", str(warc), "--home", str(out / "again"),
                                                        "--no-index", *extra), warc.stat().st_size))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big-mb", type=int, default=300)
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-warc-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        rows = run(root, args.big_mb)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{'archive':<14} {'command':<18} {'seconds':>8} {'peak MB':>8} {'exit':>4} {'WARC MB':>8}")
    for name, label, secs, peak, rc, size in rows:
        print(f"{name:<14} {label:<18} {secs:>8.2f} {peak:>8.1f} {rc:>4} {size / 2**20:>8.1f}")
    big_peak = max(peak for name, _, _, peak, _, _ in rows if name != "demo")
    print(f"largest peak with the {args.big_mb} MB file: {big_peak:.1f} MB (goal < {GOAL_BIG_PEAK_MB:.0f} MB: "
          f"{'met' if big_peak < GOAL_BIG_PEAK_MB else 'MISSED'})")


if __name__ == "__main__":
    main()
