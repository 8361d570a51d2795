"""Search benchmark: our two backends beside SQLite FTS5 (trigram) and bare tantivy, same queries, same run.

    .venv/bin/python bench/bench_search.py --size 20000 --engines whoosh,tantivy,fts5,bare
    .venv/bin/python bench/bench_search.py --size 100000 --engines tantivy,fts5,bare
    .venv/bin/python bench/bench_search.py --size 20000 --engines whoosh,bare --reuse   # query again
    .venv/bin/python bench/bench_search.py --size 20000 --engines whoosh,bare --reuse --rounds 5   # interleaved

Corpus: ``bench/corpus.py`` (deterministic report-like documents of 5–30 KB), cached as JSON lines
under ``bench/out/``. Each engine runs in its own process (clean peak memory): build (docs/s, MB/s of
UTF-8 text, index size), then p50/p95 of one-word, two-word, phrase and filtered queries (top 20
with total; our backends also give snippets, and facets timed apart), and substring recall (random 2–6 character
strings of random documents, each must find its document). Prints a markdown table and writes
``bench/out/search-<size>.json``. ``--rounds N`` (on a shared machine) queries the built indexes N
more times, the engines in turn within each round, and prints each round's ratios to bare tantivy
and their medians: load that comes and goes then weighs on both sides of a ratio alike.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

from bench.corpus import PHRASES, PROVINCES, cached_corpus, read_corpus  # noqa: E402

ENGINES = ("whoosh", "tantivy", "fts5", "bare")
_CJK = re.compile(r"[\u4e00-\u9fff]{6,}")


def iter_docs(path: Path):
    return read_corpus(path)


def make_queries(path: Path, seed: int = 6, per_kind: int = 40) -> dict[str, list[dict]]:
    """Deterministic query sets; each query: words (list), phrase (bool), filters (dict)."""
    rng = random.Random(seed)
    words = sorted({p[i:i + n] for p in PHRASES for n in (2, 3, 4) for i in range(0, len(p) - n + 1, 2)})
    one = [{"words": [rng.choice(words)]} for _ in range(per_kind)]
    two = [{"words": rng.sample(words, 2)} for _ in range(per_kind)]
    phrase = []
    for _ in range(per_kind):
        p = rng.choice(PHRASES)
        n = rng.randint(5, min(10, len(p)))
        i = rng.randint(0, len(p) - n)
        phrase.append({"words": [p[i:i + n]], "phrase": True})
    filtered = []
    for _ in range(per_kind):
        lo = rng.randint(2009, 2020)
        filtered.append({"words": [rng.choice(words)], "region": rng.choice(PROVINCES)[0], "year": (lo, lo + 3)})
    return {"one-word": one, "two-word": two, "phrase": phrase, "filtered": filtered}


def recall_probes(path: Path, n_docs: int, count: int = 200, seed: int = 7) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    wanted = sorted(rng.sample(range(1, n_docs + 1), min(count, n_docs)))
    probes, want = [], set(wanted)
    for doc in iter_docs(path):
        if doc["report_id"] in want:
            run = rng.choice(_CJK.findall(doc["text"]))
            k = rng.randint(2, 6)
            i = rng.randint(0, len(run) - k)
            probes.append((doc["report_id"], run[i:i + k]))
    return probes


# -- engines ---------------------------------------------------------------------------------

class Ours:
    def __init__(self, backend: str, path: Path):
        from index import SearchIndex

        self.ix = SearchIndex.open(path, backend, create=True)

    def build(self, docs) -> None:
        self.ix.upsert(docs, replace=False)

    def query(self, q: dict) -> int:
        """What `xxgk search` gets: top 20 with snippets, the total; facets timed apart (``facet_ms``)."""
        text = " ".join(f'"{w}"' if q.get("phrase") else w for w in q["words"])
        lo, hi = q.get("year", (None, None))
        res = self.ix.search(text, region=q.get("region"), year_from=lo, year_to=hi, limit=20)
        t = time.perf_counter()
        res.facets  # noqa: B018 — tantivy aggregates on first use
        self.facet_ms = (time.perf_counter() - t) * 1000
        return res.total

    def has(self, rid: int, sub: str) -> bool:
        return self.ix.search(f"{sub} id:{rid}", limit=1).total == 1


class Bare:
    """tantivy alone: the same term stream, queries built directly, top 20 with count and titles."""

    def __init__(self, path: Path):
        import tantivy

        from index.analysis import normalize_text, token_stream

        self.t, self.norm, self.stream = tantivy, normalize_text, token_stream
        sb = tantivy.SchemaBuilder()
        sb.add_integer_field("id", stored=True, indexed=True, fast=True)
        sb.add_text_field("body", index_option="position", tokenizer_name="ws")
        sb.add_text_field("province", tokenizer_name="raw")
        sb.add_integer_field("year", indexed=True, fast=True)
        sb.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
        self.schema = sb.build()
        path.mkdir(parents=True, exist_ok=True)
        self.ix = tantivy.Index(self.schema, path=str(path))
        self.ix.register_tokenizer("ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())

    def build(self, docs) -> None:
        w = self.ix.writer(heap_size=256_000_000, num_threads=1)
        for d in docs:
            doc = self.t.Document()
            doc.add_integer("id", d["report_id"])
            doc.add_text("body", " ".join(self.stream(self.norm(d["title"] + "\n" + d["text"]))))
            doc.add_text("province", d["region_path"][0])
            doc.add_integer("year", d["year"])
            doc.add_text("title", d["title"])
            w.add_document(doc)
        w.commit()
        w.wait_merging_threads()
        self.ix.reload()

    def _word(self, w: str):
        toks = self.stream(self.norm(w))
        if len(toks) == 1:
            return self.t.Query.term_query(self.schema, "body", toks[0])
        return self.t.Query.phrase_query(self.schema, "body", toks)

    def _q(self, q: dict):
        t = self.t
        clauses = [(t.Occur.Must, self._word(w)) for w in q["words"]]
        if q.get("region"):
            clauses.append((t.Occur.Must, t.Query.term_query(self.schema, "province", q["region"])))
        if q.get("year"):
            clauses.append((t.Occur.Must, t.Query.range_query(self.schema, "year", t.FieldType.Integer, *q["year"])))
        return t.Query.boolean_query(clauses)

    def query(self, q: dict) -> int:
        s = self.ix.searcher()
        res = s.search(self._q(q), limit=20, count=True)
        for _, addr in res.hits:
            s.doc(addr)
        return res.count

    def has(self, rid: int, sub: str) -> bool:
        t = self.t
        q = t.Query.boolean_query([(t.Occur.Must, self._word(sub)),
                                   (t.Occur.Must, t.Query.term_query(self.schema, "id", rid))])
        return self.ix.searcher().search(q, limit=1, count=True).count == 1


class Fts5:
    """SQLite FTS5 with the trigram tokenizer; strings under 3 characters fall back to LIKE."""

    def __init__(self, path: Path):
        path.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path / "fts.sqlite")
        self.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(title, body, province UNINDEXED, "
                        "year UNINDEXED, tokenize='trigram')")

    def build(self, docs) -> None:
        with self.db:
            self.db.executemany("INSERT INTO docs(rowid, title, body, province, year) VALUES (?,?,?,?,?)",
                                ((d["report_id"], d["title"], d["text"], d["region_path"][0], d["year"]) for d in docs))

    def _where(self, q: dict) -> tuple[str, list]:
        match = [f'"{w}"' for w in q["words"] if len(w) >= 3]
        clauses, args = [], []
        if match:
            clauses.append("docs MATCH ?")
            args.append(" AND ".join(match))
        for w in q["words"]:
            if len(w) < 3:
                clauses.append("(body LIKE ? OR title LIKE ?)")
                args += [f"%{w}%"] * 2
        if q.get("region"):
            clauses.append("province = ?")
            args.append(q["region"])
        if q.get("year"):
            clauses.append("year BETWEEN ? AND ?")
            args += list(q["year"])
        return " AND ".join(clauses), args

    def query(self, q: dict) -> int:
        where, args = self._where(q)
        total = self.db.execute(f"SELECT count(*) FROM docs WHERE {where}", args).fetchone()[0]
        order = "ORDER BY rank" if any(len(w) >= 3 for w in q["words"]) else ""
        self.db.execute(f"SELECT rowid, title FROM docs WHERE {where} {order} LIMIT 20", args).fetchall()
        return total

    def has(self, rid: int, sub: str) -> bool:
        where, args = self._where({"words": [sub]})
        return self.db.execute(f"SELECT count(*) FROM docs WHERE rowid = ? AND {where}", [rid, *args]).fetchone()[0] == 1


def open_engine(name: str, path: Path):
    if name in ("whoosh", "tantivy"):
        return Ours(name, path)
    return Bare(path) if name == "bare" else Fts5(path)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_worker(engine: str, size: int, reuse: bool = False, recall: bool = True) -> dict:
    corpus = cached_corpus(size, OUT)
    path = OUT / f"idx-{engine}-{size}"
    built = path / ".built"  # {"build_s": …, "build_cpu_s": …, "text_bytes": …}: written once a build completed
    if reuse and built.exists():
        e = open_engine(engine, path)
        figures = json.loads(built.read_text())
        build_s, build_cpu = figures["build_s"], figures["build_cpu_s"]
        text_bytes = figures.get("text_bytes") or corpus_text_bytes(corpus)
    else:
        shutil.rmtree(path, ignore_errors=True)
        e = open_engine(engine, path)
        t0, c0 = time.perf_counter(), time.process_time()
        e.build(iter_docs(corpus))
        build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0
        text_bytes = corpus_text_bytes(corpus)
        built.write_text(json.dumps({"build_s": build_s, "build_cpu_s": build_cpu, "text_bytes": text_bytes}))
    result = {"engine": engine, "size": size, "build_s": round(build_s, 1), "docs_per_s": round(size / build_s, 1),
              "mb_per_s": round(text_bytes / build_s / 1e6, 2),
              # the machine is shared: CPU time says what the build costs, wall time what it took
              "build_cpu_s": round(build_cpu, 1), "docs_per_cpu_s": round(size / build_cpu, 1), "text_mb": round(text_bytes / 1e6, 1),
              "index_mb": round(dir_size(path) / 1e6, 1), "latency_ms": {}}
    queries = make_queries(corpus)
    for q in queries["one-word"][:5]:  # warm the caches the way a running service would be
        e.query(q)
    everything, everything_lean, everything_cpu = [], [], []
    for kind, qs in queries.items():
        times, lean, cpu = [], [], []
        for q in qs:
            t, c = time.perf_counter(), time.process_time()
            e.query(q)
            ms = (time.perf_counter() - t) * 1000
            cpu.append((time.process_time() - c) * 1000)  # on a shared machine: what a query costs
            times.append(ms)
            lean.append(ms - getattr(e, "facet_ms", 0.0))
        everything += times
        everything_lean += lean
        everything_cpu += cpu
        result["latency_ms"][kind] = _percentiles(times)
        result.setdefault("latency_without_facets_ms", {})[kind] = _percentiles(lean)
        result.setdefault("cpu_ms", {})[kind] = _percentiles(cpu)
    result["latency_ms"]["all"] = _percentiles(everything)
    result["latency_without_facets_ms"]["all"] = _percentiles(everything_lean)
    result["cpu_ms"]["all"] = _percentiles(everything_cpu)
    if recall:
        probes = recall_probes(corpus, size)
        result["recall"] = round(sum(e.has(rid, sub) for rid, sub in probes) / len(probes), 4)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def corpus_text_bytes(corpus: Path) -> int:
    return sum(len(d["text"].encode("utf-8")) for d in iter_docs(corpus))


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"p50": round(statistics.median(times), 1), "p95": round(times[int(0.95 * (len(times) - 1))], 1)}


def table(results: list[dict]) -> str:
    rows = ["| engine | docs | build docs/s (per CPU s) | MB/s | index MB | peak MB | one-word p50/p95 | two-word | phrase | "
            "filtered | all p95 | recall |", "|" + " --- |" * 12]
    for r in results:
        lat = r["latency_ms"]
        cell = lambda k: f"{lat[k]['p50']} / {lat[k]['p95']}"
        rows.append(f"| {r['engine']} | {r['size']:,} | {r['docs_per_s']} ({r.get('docs_per_cpu_s', '?')}) | {r['mb_per_s']} | {r['index_mb']} | "
                    f"{r['peak_rss_mb']} | {cell('one-word')} | {cell('two-word')} | {cell('phrase')} | "
                    f"{cell('filtered')} | {lat['all']['p95']} | {r.get('recall', 0):.0%} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=20000)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--reuse", action="store_true",
                    help="query the indexes an earlier run built completely (its build figures kept) instead of "
                         "building them again")
    ap.add_argument("--rounds", type=int, default=0,
                    help="then query the built indexes this many more times, the engines in turn, and print the "
                         "median of the per-round ratios to bare tantivy")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--no-recall", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(args.worker, args.size, args.reuse, recall=not args.no_recall)))
        return
    cached_corpus(args.size, OUT)
    engines = args.engines.split(",")
    results = [r for engine in engines if (r := _run_engine(engine, args.size, args.reuse))]
    (OUT / f"search-{args.size}.json").write_text(json.dumps(results, indent=1))
    print(table(results))
    ours = {r["engine"]: r for r in results}
    if "bare" in ours:  # the goals of issue 18, as ratios of this run (wall time, and CPU time per query)
        from index import default_backend

        for engine, p, goal in (("whoosh", "p50", "5x at 20k"), (default_backend(), "p95", "1.25x at 100k")):
            if engine in ours:
                ratio = {m: ours[engine][m]["all"][p] / max(ours["bare"][m]["all"][p], 0.01)
                         for m in ("latency_ms", "cpu_ms") if m in ours["bare"]}
                print(f"{engine} backend / bare tantivy, all-query {p}: "
                      + ", ".join(f"{'wall' if m == 'latency_ms' else 'CPU'} {r:.2f}x" for m, r in ratio.items())
                      + f" (goal ≤ {goal})")
    if "tantivy" in ours and "bare" in ours:
        bare = max(ours["bare"]["latency_ms"]["all"]["p95"], 0.01)
        t = ours["tantivy"]
        print(f"tantivy backend / bare tantivy, all-query p95: with facets "
              f"{t['latency_ms']['all']['p95'] / bare:.2f}x, hits+total+snippets "
              f"{t['latency_without_facets_ms']['all']['p95'] / bare:.2f}x")
    if args.rounds and "bare" in engines:
        interleaved_rounds([e for e in engines if e in ours], args.size, args.rounds)


def _run_engine(engine: str, size: int, reuse: bool, recall: bool = True) -> dict | None:
    """One engine's worker process (its own peak memory); its result, or None when it failed."""
    out = subprocess.run([sys.executable, __file__, "--size", str(size), "--worker", engine,
                          *(["--reuse"] if reuse else []), *([] if recall else ["--no-recall"])],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print(f"{engine}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
        return None
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(result), flush=True)
    return result


def interleaved_rounds(engines: list[str], size: int, rounds: int) -> dict[str, dict[str, float]]:
    """Query the built indexes ``rounds`` times, the engines in turn within a round; print and return,
    per engine, the median over rounds of its all-query p50 and p95 (wall and CPU) divided by bare
    tantivy's in the same round."""
    ratios: dict[str, dict[str, list[float]]] = {e: {} for e in engines if e != "bare"}
    for i in range(rounds):
        got = {e: _run_engine(e, size, reuse=True, recall=False) for e in engines}
        if got.get("bare") is None:
            continue
        for engine, per in ratios.items():
            if got.get(engine) is None:
                continue
            for m, label in (("latency_ms", "wall"), ("cpu_ms", "CPU")):
                for p in ("p50", "p95"):
                    per.setdefault(f"{label} {p}", []).append(
                        got[engine][m]["all"][p] / max(got["bare"][m]["all"][p], 0.01))
        print(f"round {i + 1}: " + "; ".join(f"{e} " + ", ".join(f"{k} {v[-1]:.2f}x" for k, v in per.items())
                                              for e, per in ratios.items() if per), flush=True)
    medians = {e: {k: statistics.median(v) for k, v in per.items()} for e, per in ratios.items() if per}
    for engine, per in medians.items():
        print(f"{engine} / bare tantivy, all queries, median of {rounds} interleaved rounds: "
              + ", ".join(f"{k} {v:.2f}x" for k, v in per.items()))
    return medians


if __name__ == "__main__":
    main()
