"""What a fresh parsing process pays before its first document, with and without the pattern cache.

    .venv/bin/python bench/bench_warmup.py [--rounds 5]

Each round runs, in fresh interpreters, ``parser.pipeline.preload()`` (the warm-up a parse worker
does before its first document's clock starts: the imports, the prose readers' pattern unions, the
place index) three ways, interleaved so all see the same load:

* ``no cache``: ``XXGK_CACHE_DIR=off``, every pattern compiled by ``re``;
* ``first``: a new empty cache folder, the process that fills it;
* ``cached``: a folder filled before the rounds (every later process on the machine).

The three take turns at going first.

Prints the median CPU seconds of each (the child's own user + system time) and the ratio to
``no cache``, then ``xxgk parse`` of one real report the same three ways (a one-shot command: its
process and its parse worker), and of one PDF report (the replica's first PDF: the PDF stack's
imports on top, which once pulled in matplotlib for a fonts folder's path).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
XXGK = Path(sys.executable).with_name("xxgk")
REPORT = ROOT / "tests" / "data" / "real" / "anhui-2011.txt"
WARM_UP = "from parser.pipeline import preload; preload()"


def _cpu_of(cmd: list[str], cache: str) -> float:
    """CPU seconds of ``cmd`` and its children (user + system), run to the end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env={**os.environ, "XXGK_CACHE_DIR": cache}, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _measure(cmd: list[str], rounds: int) -> dict[str, list[float]]:
    ways = ["no cache", "first", "cached"]
    times: dict[str, list[float]] = {way: [] for way in ways}
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-warmup-") as tmp:
        filled = str(Path(tmp) / "filled")
        _cpu_of(cmd, filled)  # the cache every "cached" run reads
        for r in range(rounds):
            for way in ways[r % 3:] + ways[:r % 3]:  # each way first in turn: no order favours one
                folder = {"no cache": "off", "first": str(Path(tmp) / f"empty-{r}"), "cached": filled}[way]
                times[way].append(_cpu_of(cmd, folder))
    return times


def _print(title: str, times: dict[str, list[float]]) -> None:
    base = statistics.median(times["no cache"])
    print(title)
    for way, values in times.items():
        median = statistics.median(values)
        print(f"  {way:<9} {median:6.2f} s CPU  ({median / base:4.2f}x no cache; rounds {', '.join(f'{v:.2f}' for v in values)})")


def _replica_pdf(folder: Path) -> Path:
    """The replica's first report drawn as a PDF (no PDF is kept in the repository but scans)."""
    from replica.render import pdf_bytes
    from replica.world import build_world

    world = build_world()
    report = next(r for r in world.truth.reports if any(a.media_type == "application/pdf" for a in r.attachments))
    path = folder / "report.pdf"
    path.write_bytes(pdf_bytes(report))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    _print("a parse worker's warm-up (python -c preload())", _measure([PY, "-c", WARM_UP], args.rounds))
    _print(f"xxgk parse {REPORT.name} (the command and its worker)",
           _measure([str(XXGK), "parse", str(REPORT)], args.rounds))
    with tempfile.TemporaryDirectory() as tmp:
        pdf = _replica_pdf(Path(tmp))
        _print("xxgk parse of a PDF report (the command and its worker)",
               _measure([str(XXGK), "parse", str(pdf)], args.rounds))
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
