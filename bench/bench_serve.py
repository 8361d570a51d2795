"""`xxgk serve` under load: p50/p95 of the search page and the search API at 20k reports, 20
concurrent clients over loopback, next to the same queries straight through ``SearchIndex.search``.

    .venv/bin/python bench/bench_serve.py                      # 20k reports, 20 clients
    .venv/bin/python bench/bench_serve.py --size 2000 --clients 8 --rounds 1

The home is built once and reused (``bench/out/serve-home-<size>``): a real catalog (documents,
reports, sections and texts of ``bench/corpus.py``'s report-like documents, inserted through the
catalog's own schema) and its index built by ``archive.indexing.sync_index``, as `xxgk index` does.
Then `xxgk serve` runs as a process on a free loopback port, and ``--clients`` threads, each with
its own HTTP connection, send ``bench_search``'s queries (one-word, two-word, phrase, filtered by
province and years) to ``/search`` (the HTML page) and ``/api/search``. The engine column runs the
same queries, with the same number of threads, each thread with its own open ``SearchIndex``;
"the server's engine call" runs them through ``archive.searching.run_search`` as the server does
(places resolved and copies computed once, readable snippets), and "as `xxgk search` runs" as the
CLI does (the places resolved for every query). The web layer's overhead is the server's p95 over
the server's engine call. Every path is warmed with the whole query set first. Sequential runs (one client) time it without
queueing. Goal (issue 15): the web layer adds < 20 ms at p95. Prints a markdown table; writes ``bench/out/serve-<size>.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

from bench.bench_search import make_queries  # noqa: E402
from bench.corpus import cached_corpus, read_corpus  # noqa: E402

GOAL_MS = 20.0


def build_home(size: int, backend: str | None, *, numbers: int = 0) -> Path:
    """A real home of ``size`` corpus reports with its index (built once; reused while complete).
    ``numbers``: each report also holds that many metrics with their evidence (real keys of the
    2019/2021 tables) and its text as a blob, as an imported report does."""
    from archive.catalog import Catalog
    from archive.home import Home
    from archive.indexing import sync_index

    home = OUT / (f"serve-home-{size}-v3" if not numbers else f"commands-home-{size}-{numbers}")
    if (home / ".complete").exists():
        return home
    if home.exists():
        import shutil

        shutil.rmtree(home)
    corpus = cached_corpus(size, OUT)
    home.mkdir(parents=True)
    blobs = Home.open(home, create=True)
    blobs.close()
    cat = Catalog(home / "catalog.sqlite")
    keys = _metric_keys(cat, numbers)
    started = time.perf_counter()
    batch: list[dict] = []
    # the corpus draws publishers from a few names: two reports of one publisher and year would be
    # copies by the catalog's definition (three in four of them, at 20k). An archive holds few
    # copies; each report here gets its own publisher-year (a numbered agency where they collide)
    seen: dict[tuple, int] = {}
    codes: dict[str, str] = {}

    def own_publisher(d: dict) -> dict:
        key = (d["region"], d["agency"], d["year"])
        n = seen[key] = seen.get(key, 0) + 1
        if n > 1:
            d["agency"] = f"{d['agency'] or '政府'}第{n}处"
        # one division code a place, as the parser gives (the corpus draws one a document)
        d["region_code"] = codes.setdefault(d["region"], d["region_code"])
        return d

    def flush() -> None:
        shas = {d["report_id"]: blobs.blobs.put_bytes(d["text"].encode())[0] if numbers else f"{d['report_id']:064x}"
                for d in batch}
        with cat.write() as w:
            w.executemany("INSERT INTO documents(id, sha256, size, media_type, created_at, status) VALUES "
                          "(?,?,?,?,?,?)", [(d["report_id"], shas[d["report_id"]], len(d["text"].encode()),
                                             "text/html", "2024-01-01T00:00:00+00:00", "parsed") for d in batch])
            w.executemany("INSERT INTO reports(id, document_id, title, year, region, region_code, agency, published, "
                          "format, url, parser_version, parsed_at, record_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                          [(d["report_id"], d["report_id"], d["title"], d["year"], d["region"], d["region_code"],
                            d["agency"], d["published"], d["format"], d["url"], "bench", "2024-01-01T00:00:00+00:00",
                            json.dumps({"title": d["title"], "year": d["year"], "region": d["region"]},
                                       ensure_ascii=False)) for d in batch])
            # a section is a span of the report's text (``sections`` is a view over them since the lean catalog)
            w.executemany("INSERT INTO section_spans(report_id, ord, heading, text_at, text_len) VALUES (?,?,?,?,?)",
                          [(d["report_id"], i, s["heading"], d["text"].find(s["text"]) + 1, len(s["text"]))
                           for d in batch for i, s in enumerate(d["sections"])])
            w.executemany("INSERT INTO report_texts(report_id, text) VALUES (?,?)",
                          [(d["report_id"], d["text"]) for d in batch])
            # a table cell's evidence, as the writer stores it: [kind, page, …, row, column, …, [labels]],
            # its row and column labels by their ids in evidence_labels
            w.executemany("INSERT OR IGNORE INTO evidence_labels(id, label) VALUES (?, ?)",
                          [(i, f"标签{i}") for i in range(2, 17)])
            w.executemany("INSERT INTO metric_values(report_id, key_id, value, derived, evidence_json, ord) "
                          "VALUES (?,?,?,?,?,?)",
                          [(d["report_id"], key_id, (d["report_id"] * 7 + i * 13) % 500, 0,
                            f"[0,null,null,1,{i // 8 + 2},{i % 8 + 2},null,[4,{i % 9 + 1}]]", i)
                           for d in batch for i, key_id in enumerate(keys)])
        batch.clear()

    for doc in read_corpus(corpus):
        batch.append(own_publisher(doc))
        if len(batch) >= 1000:
            flush()
    flush()
    cat.conn.execute("ANALYZE")
    cat.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cat.close()
    print(f"catalog: {size} reports in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    with Home.open(home) as h:
        stats = sync_index(h.catalog, h.index_dir, backend, rebuild=True)
    print(f"index ({stats.backend}): {stats.upserted} reports in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    (home / ".complete").write_text("ok")
    return home


def _metric_keys(cat, n: int) -> list[int]:
    """The ids of ``n`` real metric keys (the codebook's, tables 2019/2021), made in ``metric_keys``."""
    if not n:
        return []
    from archive.compare.codebook import CODEBOOK

    names = [e.key for e in CODEBOOK][:n]
    with cat.write() as w:
        w.executemany("INSERT INTO metric_keys(key) VALUES (?) ON CONFLICT DO NOTHING", [(k,) for k in names])
    ids = dict(cat.conn.execute("SELECT key, id FROM metric_keys").fetchall())
    return [ids[k] for k in names]


def query_text(q: dict) -> str:
    return " ".join(f'"{w}"' if q.get("phrase") else w for w in q["words"])


def url_params(q: dict) -> dict[str, str]:
    params = {"q": query_text(q)}
    if q.get("region"):
        params["region"] = q["region"]
    if q.get("year"):
        params["year"] = f"{q['year'][0]}-{q['year'][1]}"
    return params


def percentiles(times: list[float]) -> dict[str, float]:
    qs = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": round(qs[49], 1), "p95": round(qs[94], 1), "n": len(times)}


def run_load(work, items: list, pool: ThreadPoolExecutor) -> list[float]:
    """Each item run once by one of the pool's threads (kept for the whole run: a thread's open
    index, catalog and HTTP connection serve it from one call to the next); the ms each took."""
    times: list[float] = []
    lock = threading.Lock()

    def one(item) -> None:
        t = time.perf_counter()
        work(item)
        ms = (time.perf_counter() - t) * 1000
        with lock:
            times.append(ms)

    list(pool.map(one, items))
    return times


def web_worker(base: str, path: str):
    import httpx

    local = threading.local()

    def work(q: dict) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=base, timeout=120)
        r = client.get(path, params=url_params(q))
        if r.status_code != 200:
            raise RuntimeError(f"{path} {url_params(q)}: HTTP {r.status_code} {r.text[:200]}")
    return work


def engine_worker(home: Path):
    """The same query straight through ``SearchIndex.search`` (top 20, snippets, facets read), each
    thread with its own open index, as each reader of `xxgk serve` has."""
    from index import SearchIndex

    local = threading.local()
    opened: list = []

    def work(q: dict) -> None:
        ix = getattr(local, "ix", None)
        if ix is None:
            ix = local.ix = SearchIndex.open(home / "index")
            opened.append(ix)
        lo, hi = q.get("year", (None, None))
        res = ix.search(query_text(q), region=q.get("region"), year_from=lo, year_to=hi, limit=20)
        res.facets  # noqa: B018 — what a page shows
    work.opened = opened  # type: ignore[attr-defined]
    return work


def cli_engine_worker(home: Path, *, keep_filters: bool = True):
    """The same query as `xxgk search` runs it (``archive.searching.run_search``: the places
    resolved, copies counted once by the catalog's definition, readable snippets), each thread with
    its own catalog connection and index; the copies computed once, and with ``keep_filters`` the
    resolved places kept per region, as the server keeps them (the CLI resolves them each time)."""
    from archive.home import Home
    from archive.places import resolve_filters
    from archive.searching import SearchRequest, run_search
    from archive.status import copies_unlinked
    from index import SearchIndex

    local = threading.local()
    opened: list = []
    shared: dict = {"filters": {}}

    def work(q: dict) -> None:
        if getattr(local, "ix", None) is None:
            local.home = Home.open(home, create=False, readonly=True)
            local.ix = SearchIndex.open(home / "index")
            opened.append((local.home, local.ix))
        conn = local.home.catalog.conn
        if "behind" not in shared:
            shared["behind"] = copies_unlinked(conn)
        lo, hi = q.get("year", (None, None))
        regions = (q["region"],) if q.get("region") else ()
        filters = shared["filters"].get(regions) if keep_filters else None
        if keep_filters and filters is None:
            filters = shared["filters"][regions] = resolve_filters(conn, list(regions) or None, None)
        req = SearchRequest(query_text(q), regions, year_from=lo, year_to=hi)
        res = run_search(conn, local.ix, req, behind=shared["behind"], filters=filters)
        res.facets  # noqa: B018 — what a page shows
    work.opened = opened  # type: ignore[attr-defined]
    return work


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    xxgk = Path(sys.executable).parent / "xxgk"
    proc = subprocess.Popen([str(xxgk), "serve", "--home", str(home), "--port", "0", "--timeout", "120"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"at (http://\S+/)", line)
    if not m:
        proc.kill()
        raise RuntimeError(f"xxgk serve did not start: {line}{proc.stderr.read()}")
    return proc, m.group(1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=2, help="times each query set is sent down each path")
    ap.add_argument("--backend", default=None, help="whoosh or tantivy [default: the index's own, else sync_index's]")
    args = ap.parse_args(argv)
    home = build_home(args.size, args.backend)
    queries = [q for qs in make_queries(cached_corpus(args.size, OUT)).values() for q in qs]
    engine, cli, cold = engine_worker(home), cli_engine_worker(home), cli_engine_worker(home, keep_filters=False)
    proc, base = start_server(home)
    paths = {"engine": engine, "the server's engine call": cli, "/api/search": web_worker(base, "/api/search"),
             "/search": web_worker(base, "/search")}
    times: dict[str, list[float]] = {}
    many, one = ThreadPoolExecutor(args.clients), ThreadPoolExecutor(1)
    try:
        for work in paths.values():  # warm: indexes open, columns loaded, every region resolved once
            run_load(work, queries, many)
            run_load(work, queries[:20], one)
        # rounds interleave the paths, so a machine whose load changes meanwhile weighs on each alike
        for _ in range(args.rounds):
            for label, work in paths.items():
                times.setdefault(label, []).extend(run_load(work, queries, many))
            for q in queries:  # one client: each query through every path in turn
                for label, work in paths.items():
                    times.setdefault(f"{label}, one client", []).extend(run_load(work, [q], one))
                times.setdefault("as `xxgk search` runs, one client", []).extend(run_load(cold, [q], one))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        many.shutdown()
        one.shutdown()
    for w in (engine, cli, cold):
        for opened in w.opened:
            (opened[1] if isinstance(opened, tuple) else opened).close()
    order = ["engine", "engine, one client", "the server's engine call", "the server's engine call, one client",
             "as `xxgk search` runs, one client", "/api/search", "/api/search, one client", "/search",
             "/search, one client"]
    results = {label: percentiles(times[label]) for label in order}
    queries = queries * args.rounds
    backend = json.loads((home / "index" / "meta.json").read_text())["backend"]
    print(f"\n{args.size} reports, {backend}, {len(queries)} queries a path, {args.clients} concurrent clients "
          f"(and one client) over loopback; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("| path | p50 ms | p95 ms | web layer at p95 |")
    print("|---|---:|---:|---:|")

    def base_of(label: str) -> str:
        return "the server's engine call" + (", one client" if label.endswith("one client") else "")

    overhead = {k: round(v["p95"] - results[base_of(k)]["p95"], 1) for k, v in results.items() if k.startswith("/")}
    for label, r in results.items():
        print(f"| {label} | {r['p50']} | {r['p95']} | {f'{overhead[label]:+.1f} ms' if label in overhead else ''} |")
    worst = max(overhead.values())
    print(f"\nweb layer at p95 (over the server's engine call): worst {worst:+.1f} ms (goal < {GOAL_MS:g} ms): "
          f"{'met' if worst < GOAL_MS else 'NOT met'}")
    bare = {k: round(v["p95"] - results["engine" + (", one client" if k.endswith("one client") else "")]["p95"], 1)
            for k, v in results.items() if k.startswith("/")}
    print("over the bare SearchIndex.search at p95: " + ", ".join(f"{k} {v:+.1f} ms" for k, v in bare.items()))
    scoping = round(results["as `xxgk search` runs, one client"]["p95"] - results["engine, one client"]["p95"], 1)
    print(f"`xxgk search`'s own work over the bare engine (places resolved each time, copies once, readable "
          f"snippets), one client, p95: {scoping:+.1f} ms")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"serve-{args.size}.json").write_text(json.dumps(
        {"size": args.size, "backend": backend, "clients": args.clients, "queries": len(queries), "latency_ms": results,
         "web_overhead_p95_ms": overhead, "over_bare_engine_p95_ms": bare, "cli_search_over_engine_p95_ms": scoping,
         "goal_ms": GOAL_MS, "load_average": os.getloadavg()[0]}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
