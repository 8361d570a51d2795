"""Parser speed: HTML reports/s, PDF pages/s, peak memory, and our PDF time against bare pdfplumber.

    .venv/bin/python bench/bench_parse.py [--rounds 3] [--html 200]

Generates its inputs (tests/extract_samples.py): a Word-pasted HTML report page, and 9-page CJK
PDF reports with the template tables (built-in CID font; embedded TrueType font when the
paperang-p2-fonts-cjk package is installed). For each PDF, in the same run: bare pdfplumber
(``extract_text`` + ``extract_tables`` on every page), our ``parser.extract.extract`` and the
full ``parser.parse``; the ratio ours/bare is the issue-3 goal (<= 1.0). Least CPU time of ``--rounds``.
Prints a table; nothing is written.
"""
from __future__ import annotations

import argparse
import io
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import pdfplumber  # noqa: E402

from extract_samples import cjk_ttf_path, report_html, report_pdf  # noqa: E402
from parser.extract import extract  # noqa: E402


def best_of(rounds: int, fn) -> float:
    """Least CPU time of ``rounds`` runs: CPU time, not wall time, because the machines this runs
    on are shared and wall time swings with the neighbours' load."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def interleaved(rounds: int, fns: dict) -> dict:
    """Best CPU time of each function, run in turn round after round so that they share the load."""
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            best[name] = min(best[name], best_of(1, fn))
    return best


def bare_pdfplumber(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()


def full_parse():
    try:
        from parser import parse
        return parse
    except ImportError:
        return None


def try_parse(parse, data: bytes, media_type: str) -> bool:
    try:
        parse(data, media_type)
        return True
    except Exception as exc:  # the bench reports a pipeline that cannot run yet, it does not crash
        print(f"  (full parse failed: {type(exc).__name__}: {exc})")
        return False


def peak_kib(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--html", type=int, default=200, help="HTML pages per round")
    args = ap.parse_args(argv)
    parse = full_parse()
    rows: list[tuple[str, str]] = []

    html = report_html()
    n = args.html
    t = best_of(args.rounds, lambda: [extract(html, "text/html") for _ in range(n)])
    rows.append(("HTML extract, reports/s", f"{n / t:.0f}"))
    if parse and try_parse(parse, html, "text/html"):
        t = best_of(args.rounds, lambda: [parse(html, "text/html") for _ in range(n)])
        rows.append(("HTML full parse, reports/s", f"{n / t:.0f}"))
    rows.append(("HTML extract peak memory, KiB", f"{peak_kib(lambda: extract(html, 'text/html')):.0f}"))

    fonts = ["cid"] + (["ttf"] if cjk_ttf_path() else [])
    for font in fonts:
        data = report_pdf(font)
        pages = len(pdfplumber.open(io.BytesIO(data)).pages)
        fns = {"bare": lambda: bare_pdfplumber(data), "ours": lambda: extract(data, "application/pdf")}
        if parse and try_parse(parse, data, "application/pdf"):
            fns["full"] = lambda: parse(data, "application/pdf")
        best = interleaved(args.rounds, fns)
        bare, ours = best["bare"], best["ours"]
        label = f"PDF {font} ({pages} p.)"
        rows.append((f"{label} bare pdfplumber, pages/s", f"{pages / bare:.1f}"))
        rows.append((f"{label} our extract, pages/s", f"{pages / ours:.1f}"))
        rows.append((f"{label} extract / bare pdfplumber", f"{ours / bare:.2f}"))
        if "full" in best:
            rows.append((f"{label} full parse, pages/s", f"{pages / best['full']:.1f}"))
            rows.append((f"{label} full parse / bare pdfplumber", f"{best['full'] / bare:.2f}"))
        rows.append((f"{label} extract peak memory, KiB",
                     f"{peak_kib(lambda: extract(data, 'application/pdf')):.0f}"))
    rows.append(("process max RSS, MiB", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"))

    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print("-" * (width + 8))
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
