"""Scale figures (issue 16 item 5, issue 18): import, catalog, search at growing N, projected to 1.5M reports.

    .venv/bin/python bench/bench_scale.py                        # minutes: 300 files, search at 2.5k/5k/10k
    .venv/bin/python bench/bench_scale.py --files 1000 --sizes 25000,50000,100000   # the README run
    .venv/bin/python bench/bench_scale.py --pg postgresql://user@host/db             # an existing server

Parts, each run in its own process where memory or start-up matters:

* **import + parse**: ``--files`` real report texts (``tests/data/real/*.txt``, each made unique by
  a line) imported with ``xxgk import --no-index``: serial, ``--workers 2`` and ``--dask local``
  (a Dask LocalCluster of 2 workers) when this xxgk has those options ("not available" otherwise);
  files/s, and catalog bytes per report.
* **catalog writes**: the same import into SQLite and into PostgreSQL (``--catalog postgresql://…``)
  when that option exists.
* **search**: the generated report-like corpus of bench/corpus.py (5–30 KB each) at every size of
  ``--sizes``, on Whoosh, tantivy and PostgreSQL: build docs/s, index MB, p50/p95 of bench_search's
  one-word, two-word, phrase and filtered queries (top 20, snippets, total, facets), substring recall.
* **projection to 1.5M reports**: each step's cost fitted against N over the measured sizes
  (``cost = a · N^b``, least squares on logs) and extrapolated; the step whose projection first
  passes its limit (search p95 > 1 s, a rebuild > 24 h on one node, an import > 7 days on one node)
  is named as the one that breaks first.

PostgreSQL: ``--pg URL`` (a database this bench may create tables in), else a throwaway cluster
started with tests/pg_server.py (fsync off: the write figures are upper bounds). Prints tables and
writes ``bench/out/scale.json`` (``scale-import.json``/``scale-search.json`` when one part is skipped).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
XXGK = Path(sys.executable).parent / "xxgk"
REAL = ROOT / "tests" / "data" / "real"

from bench.bench_search import Ours, _percentiles, dir_size, make_queries, recall_probes  # noqa: E402
from bench.corpus import cached_corpus, read_corpus  # noqa: E402

ENGINES = ("whoosh", "tantivy", "postgres")
TARGET = 1_500_000
LIMITS = {"search_p95_ms": 1000.0, "rebuild_hours": 24.0, "import_days": 7.0}


# -- PostgreSQL ----------------------------------------------------------------------------------

class Postgres:
    """A database URL: the one given, or a throwaway cluster (tests/pg_server.py) stopped on exit."""

    def __init__(self, url: str | None, *, start: bool = True):
        self.url, self._server = url, None
        if url or not start:
            return
        sys.path.insert(0, str(ROOT / "tests"))
        try:
            import pg_server as pg
        except ImportError as e:
            print(f"PostgreSQL: not available ({e})", file=sys.stderr)
            return
        bindir = pg.find_pg_bindir()
        user, _ = pg._server_user()
        if bindir is None or (os.geteuid() == 0 and user is None):
            print("PostgreSQL: not available (no binaries, or no unprivileged user to run them)", file=sys.stderr)
            return
        self._pg, self._bindir, self._user = pg, bindir, user
        self._server = pg._start(bindir, user)
        self.url = pg.fresh_database(self._server)

    def database(self) -> str | None:
        """A fresh database on the throwaway server (the given URL itself otherwise)."""
        if self._server is None:
            return self.url
        return self._pg.fresh_database(self._server)

    def stop(self) -> None:
        if self._server is not None:
            self._pg._stop(self._bindir, self._user, self._server)
            self._server = None


# -- import + parse ------------------------------------------------------------------------------

def _help(*cmd: str) -> str:
    return subprocess.run([str(XXGK), *cmd, "--help"], capture_output=True, text=True, env=_env()).stdout


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    env.update(extra)
    return env


def make_files(n: int, folder: Path) -> int:
    """``n`` real report texts, each unique (a last line), cycling through tests/data/real; their bytes."""
    texts = sorted(p for p in REAL.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        # an ASCII line reads the same in every encoding the real files use (UTF-8, GB18030, Big5)
        data = texts[i % len(texts)].read_bytes() + f"\n(copy {i})\n".encode("ascii")
        (folder / f"r{i:06d}-{texts[i % len(texts)].name}").write_bytes(data)
        total += len(data)
    return total


def time_import(files: Path, home: Path, options: list[str], env: dict) -> dict:
    shutil.rmtree(home, ignore_errors=True)
    t0 = time.perf_counter()
    r = subprocess.run([str(XXGK), "import", str(files), "--home", str(home), "--no-index", *options],
                       capture_output=True, text=True, env=env, timeout=24 * 3600)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["?"])[-1]}
    n = len(list(files.iterdir()))
    out = {"seconds": round(seconds, 1), "files_per_s": round(n / seconds, 1)}
    catalog = home / "catalog.sqlite"
    if catalog.exists():
        out["catalog_bytes_per_file"] = round(sum(p.stat().st_size for p in home.glob("catalog.sqlite*")) / n)
    return out


def bench_import(n_files: int, pg: Postgres) -> dict:
    work = Path(tempfile.mkdtemp(prefix="xxgk-scale-"))
    try:
        files = work / "in"
        text_bytes = make_files(n_files, files)
        import_help = _help("import")
        runs: dict[str, dict | str] = {"serial": time_import(files, work / "h", [], _env())}
        for name, opts, flag in (("workers 2", ["--workers", "2"], "--workers"),
                                 ("dask local (2 workers)", ["--dask", "local"], "--dask")):
            runs[name] = time_import(files, work / "h", opts, _env()) if flag in import_help else "not available"
        # the PostgreSQL catalog is XXGK_CATALOG (also --catalog): tried whenever a server is at hand
        url = pg.database() if pg.url else None
        if url:
            opts = ["--workers", "2"] if "--workers" in import_help else []
            runs["postgres catalog"] = time_import(files, work / "h", opts, _env(XXGK_CATALOG=url))
            runs["sqlite catalog"] = runs["workers 2"] if opts else runs["serial"]
        else:
            runs["postgres catalog"] = "not available"
        return {"files": n_files, "text_mb": round(text_bytes / 1e6, 1), "runs": runs}
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- search --------------------------------------------------------------------------------------

def _pg_size(url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT pg_total_relation_size(%s)", (table,)).fetchone()[0]


def search_worker(engine: str, size: int, corpus: Path, per_kind: int = 40) -> dict:
    """One engine at one size, in this process: build, queries, recall."""
    path = OUT / f"scale-idx-{engine}-{size}"
    shutil.rmtree(path, ignore_errors=True)
    e = Ours(engine, path)
    t0 = time.perf_counter()
    e.build(islice(read_corpus(corpus), size))
    build_s = time.perf_counter() - t0
    if engine == "postgres":
        backend = e.ix.backend
        index_bytes = _pg_size(backend.url, backend.table)
    else:
        index_bytes = dir_size(path)
    result = {"engine": engine, "size": size, "build_s": round(build_s, 1), "docs_per_s": round(size / build_s, 1),
              "index_mb": round(index_bytes / 1e6, 1), "latency_ms": {}}
    queries = make_queries(corpus, per_kind=per_kind)
    for q in queries["one-word"][:5]:  # warm, as a running service would be
        e.query(q)
    everything = []
    for kind, qs in queries.items():
        times = []
        for q in qs:
            t = time.perf_counter()
            e.query(q)
            times.append((time.perf_counter() - t) * 1000)
        everything += times
        result["latency_ms"][kind] = _percentiles(times)
    result["latency_ms"]["all"] = _percentiles(everything)
    probes = recall_probes(corpus, size, count=100)
    result["recall"] = round(sum(e.has(rid, sub) for rid, sub in probes) / len(probes), 4)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    e.ix.close()
    shutil.rmtree(path, ignore_errors=True)  # the next size needs the disk more than this index
    return result


def bench_search(sizes: list[int], engines: list[str], pg: Postgres, whoosh_max: int, per_kind: int) -> list[dict]:
    corpus = cached_corpus(max(sizes), OUT)
    results = []
    for size in sizes:
        for engine in engines:
            if engine == "whoosh" and size > whoosh_max:
                continue
            env = dict(os.environ)
            if engine == "postgres":
                url = pg.database()
                if not url:
                    print("postgres: not available", file=sys.stderr)
                    continue
                env["XXGK_INDEX_URL"] = url
            out = subprocess.run([sys.executable, __file__, "--search-worker", engine, "--size", str(size),
                                  "--corpus", str(corpus), "--queries", str(per_kind)],
                                 capture_output=True, text=True, env=env)
            if out.returncode != 0:
                print(f"{engine} @ {size}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
                continue
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), flush=True)
    return results


# -- projection ----------------------------------------------------------------------------------

def fit_power(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(a, b) of y = a·x^b by least squares on logs; None with fewer than two usable points."""
    pts = [(math.log(x), math.log(y)) for x, y in points if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx, my = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    if sxx == 0:
        return None
    b = sum((x - mx) * (y - my) for x, y in pts) / sxx
    return math.exp(my - b * mx), b


def _crossing(a: float, b: float, limit: float) -> float | None:
    """The N at which a·N^b reaches ``limit`` (None when it never grows)."""
    return (limit / a) ** (1 / b) if b > 0 and a > 0 else None


def project(search: list[dict], imports: dict | None) -> dict:
    """Every step at TARGET reports from its measured growth, the N at which it passes its limit
    (LIMITS), and the step that passes first."""
    steps: list[dict] = []

    def add(step: str, fit: tuple[float, float], unit: str, scale: float, limit: float | None, extra: float = 0.0):
        a, b = fit
        value = a * TARGET ** (b + extra) * scale
        cross = _crossing(a * scale, b + extra, limit) if limit is not None else None
        steps.append({"step": step, "projected": round(value, 1), "unit": unit, "growth_exponent": round(b, 2),
                      "limit": limit, "limit_reached_at": round(cross) if cross else None,
                      "breaks": limit is not None and value > limit})

    for engine in ENGINES:
        rows = sorted((r for r in search if r["engine"] == engine), key=lambda r: r["size"])
        p95 = fit_power([(r["size"], r["latency_ms"]["all"]["p95"]) for r in rows])
        per_doc = fit_power([(r["size"], r["build_s"] / r["size"]) for r in rows])
        size_fit = fit_power([(r["size"], r["index_mb"]) for r in rows])
        if p95:
            add(f"search p95, {engine}", p95, "ms", 1.0, LIMITS["search_p95_ms"])
        if per_doc:  # hours = per-doc seconds(N) · N / 3600
            add(f"index rebuild, {engine} (one node)", per_doc, "h", 1 / 3600, LIMITS["rebuild_hours"], extra=1.0)
        if size_fit:
            add(f"index size, {engine}", size_fit, "GB", 1e-3, None)
    for name, run in ((imports or {}).get("runs") or {}).items():
        if isinstance(run, dict) and run.get("files_per_s"):
            add(f"import + parse, {name} (one node)", (1 / run["files_per_s"] / 86400, 0.0), "days", 1.0,
                LIMITS["import_days"], extra=1.0)
            if run.get("catalog_bytes_per_file"):
                add(f"catalog size, {name}", (run["catalog_bytes_per_file"] / 1e9, 1.0), "GB", 1.0, None)
    crossing = [s for s in steps if s["limit_reached_at"]]
    first = min(crossing, key=lambda s: s["limit_reached_at"], default=None)
    return {"target": TARGET, "steps": steps, "breaks_first": first["step"] if first else None,
            "breaks_first_at": first["limit_reached_at"] if first else None}


# -- output --------------------------------------------------------------------------------------

def search_table(results: list[dict]) -> str:
    rows = ["| engine | docs | build docs/s | index MB | one-word | two-word | phrase | filtered | all p95 | recall |",
            "|" + " --- |" * 10]
    for r in results:
        lat = r["latency_ms"]
        cell = lambda k: f"{lat[k]['p50']} / {lat[k]['p95']}"  # noqa: E731
        rows.append(f"| {r['engine']} | {r['size']:,} | {r['docs_per_s']} | {r['index_mb']:,} | {cell('one-word')} | "
                    f"{cell('two-word')} | {cell('phrase')} | {cell('filtered')} | {lat['all']['p95']} | "
                    f"{r['recall']:.0%} |")
    return "\n".join(rows)


def import_table(imports: dict) -> str:
    rows = [f"import + parse of {imports['files']} real report texts ({imports['text_mb']} MB):",
            "| run | files/s | seconds | catalog bytes/file |", "| --- | --- | --- | --- |"]
    for name, run in imports["runs"].items():
        if isinstance(run, str):
            rows.append(f"| {name} | {run} | | |")
        elif "error" in run:
            rows.append(f"| {name} | failed: {run['error']} | | |")
        else:
            rows.append(f"| {name} | {run['files_per_s']} | {run['seconds']} | {run.get('catalog_bytes_per_file', '')} |")
    return "\n".join(rows)


def projection_table(p: dict) -> str:
    rows = [f"projected to {p['target']:,} reports (cost = a·N^b fitted over the measured sizes):",
            "| step | projected | growth exponent b | limit | limit reached at N | breaks |",
            "| --- | --- | --- | --- | --- | --- |"]
    for s in p["steps"]:
        limit = f"{s['limit']:,} {s['unit']}" if s["limit"] is not None else ""
        at = f"{s['limit_reached_at']:,}" if s["limit_reached_at"] else ""
        rows.append(f"| {s['step']} | {s['projected']:,} {s['unit']} | {s['growth_exponent']} | {limit} | {at} | "
                    f"{'yes' if s['breaks'] else ''} |")
    rows.append(f"breaks first: {p['breaks_first'] or 'nothing within the limits'}"
                + (f" (at about {p['breaks_first_at']:,} reports)" if p["breaks_first"] else ""))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=300, help="report files imported per run (0: skip)")
    ap.add_argument("--sizes", default="2500,5000,10000", help="search corpus sizes, comma-separated (none: skip)")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--whoosh-max", type=int, default=50000,
                    help="largest size Whoosh is built at (it passes 1 s per query near 40k: issue 18)")
    ap.add_argument("--queries", type=int, default=40, help="queries of each kind")
    ap.add_argument("--pg", help="a PostgreSQL database URL [default: a throwaway cluster]")
    ap.add_argument("--search-worker", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.search_worker:
        print(json.dumps(search_worker(args.search_worker, args.size, Path(args.corpus), args.queries)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] if args.sizes.strip() else []
    engines = [e for e in args.engines.split(",") if e]
    pg = Postgres(args.pg, start="postgres" in engines or bool(args.files))
    try:
        imports = bench_import(args.files, pg) if args.files else None
        if imports:
            print(import_table(imports), flush=True)
        search = bench_search(sizes, engines, pg, args.whoosh_max, args.queries) if sizes else []
    finally:
        pg.stop()
    projection = project(search, imports)
    OUT.mkdir(parents=True, exist_ok=True)
    name = "scale.json" if imports and search else "scale-import.json" if imports else "scale-search.json"
    (OUT / name).write_text(json.dumps({"imports": imports, "search": search, "projection": projection},
                                               ensure_ascii=False, indent=1))
    if imports:
        print(import_table(imports))
    if search:
        print(search_table(search))
    print(projection_table(projection))


if __name__ == "__main__":
    main()
