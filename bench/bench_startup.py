"""Start-up benchmark: `xxgk search` per shell call against a one-shot bare-tantivy process on the same home.

    .venv/bin/python bench/bench_startup.py                      # builds the two homes once
    .venv/bin/python bench/bench_startup.py --home H --rounds 30 # an existing home with a tantivy index

The homes (built once under ``bench/out/``, indexed with tantivy): ``samples``, the sample reports
of ``tests/data/samples`` (one report per publisher-year), and ``real``, the 302 real report texts
of ``tests/data/real``, where some publisher-years hold several copies: there each search also
decides which copies stand behind another (``archive.status.copies_unlinked``, which reads the
crawler's site profiles for their provenance). Each round runs, interleaved, as a shell would:

    xxgk       ``xxgk search WORDS --home H --format tsv`` (the console script, a new process)
    bare       ``python -c <one-shot>``: import tantivy, open the home's tantivy index, the same
               words as term/phrase queries over the same terms, top 20 with the count, stored
               fields of each hit read -- what a minimal script on this index does
    python     ``python -c pass``: the interpreter's own start, for scale

Every process runs as from an install: its bytecode compiled once and kept (``PYTHONPYCACHEPREFIX``
under ``bench/out/``; where PYTHONDONTWRITEBYTECODE is set, every process would compile every module
it imports again). Prints the medians (wall and CPU time), the median of per-round ratios xxgk/bare (the goal: ≤ 2), and
the import time of the pieces of ``xxgk --help`` and ``xxgk search`` (``python -X importtime``); writes
``bench/out/startup.json``. Uses Debian's ``hyperfine`` when it is installed (``--hyperfine``).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
XXGK = BIN / "xxgk"
WORDS = ("政府信息公开", "依申请公开 行政复议", "\"主动公开政府信息\"")

BARE = r"""
import sys, tantivy
path, count = sys.argv[1], 0
ix = tantivy.Index.open(path)
ix.register_tokenizer("xxgk_stream", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
schema, clauses = ix.schema, []
for word in sys.argv[2:]:
    toks = word.split()
    q = (tantivy.Query.term_query(schema, "grams", toks[0]) if len(toks) == 1 else
         tantivy.Query.phrase_query(schema, "grams", toks))
    clauses.append((tantivy.Occur.Must, q))
searcher = ix.searcher()
res = searcher.search(tantivy.Query.boolean_query(clauses), limit=20, count=True)
for _, addr in res.hits:
    searcher.doc(addr)
print(res.count)
"""


HOMES = {"samples": ROOT / "tests" / "data" / "samples", "real": ROOT / "tests" / "data" / "real"}


def build_home(home: Path, source: Path) -> None:
    if (home / ".built").exists():
        return
    shutil.rmtree(home, ignore_errors=True)
    for args in (["import", str(source), "--no-index"], ["index", "--backend", "tantivy"]):
        subprocess.run([str(XXGK), *args, "--home", str(home)], check=True, capture_output=True)
    (home / ".built").write_text("ok")


def bare_terms(words: str) -> list[str]:
    """The query's words as our analyzer turns them into terms: one argument per word, terms spaced."""
    from index.analysis import normalize_text, token_stream

    return [" ".join(token_stream(normalize_text(w.strip('"')))) for w in words.split()]


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall ms, CPU ms) of one run: on a shared machine the CPU time says what a call costs, the
    wall time what it took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = (time.perf_counter() - t) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


# the pieces a search's start-up is made of (cumulative import time, wherever first imported)
PIECES = ("archive.cli", "archive.cli_app", "typer", "pydantic", "rich.console", "archive.options", "archive.home",
          "archive.commands.search", "archive.commands.search_command", "index", "index.analysis", "index.query",
          "archive.indexing", "archive.searching", "archive.places", "archive.status", "archive.compare", "tantivy",
          "whoosh", "numpy", "scraper.profiles")


def import_ms(code: str, env: dict) -> dict[str, float]:
    """Cumulative import time (ms) of the PIECES a process loads, from -X importtime."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                         env=env).stderr
    out: dict[str, float] = {}
    for line in err.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() in PIECES and parts[1].strip().isdigit():
            out.setdefault(parts[2].strip(), round(int(parts[1]) / 1000, 1))
    return out


def measure(home: Path, rounds: int, env: dict, hyperfine: bool) -> dict:
    tdir = str(home / "index" / "tantivy")
    runs = {}
    for words in WORDS:
        cmds = {"xxgk": [str(XXGK), "search", *words.split(), "--home", str(home), "--format", "tsv"],
                "bare": [sys.executable, "-c", BARE, tdir, *bare_terms(words)],
                "python": [sys.executable, "-c", "pass"]}
        for c in cmds.values():  # warm the page cache
            timed(c, env)
        times = {k: [] for k in cmds}
        for _ in range(rounds):
            for k, c in cmds.items():
                times[k].append(timed(c, env))
        run = {}
        for i, what in enumerate(("wall", "cpu")):
            run[what] = {k: round(statistics.median(t[i] for t in v), 1) for k, v in times.items()}
            run[what]["ratio"] = round(statistics.median(x[i] / max(b[i], 0.1) for x, b in
                                                         zip(times["xxgk"], times["bare"])), 2)
        runs[words] = run
        print(f"{home.name} {words}: " + "; ".join(
            f"{what} xxgk {r['xxgk']} ms, bare tantivy {r['bare']} ms, python alone {r['python']} ms: "
            f"xxgk/bare {r['ratio']}x" for what, r in run.items()), flush=True)
        if hyperfine and shutil.which("hyperfine"):
            subprocess.run(["hyperfine", "-N", "--warmup", "2", " ".join(cmds["xxgk"]), " ".join(cmds["bare"][:2])])
    return {"home": str(home), "runs": runs,
            **{f"ratio_{what}": round(statistics.median(r[what]["ratio"] for r in runs.values()), 2)
               for what in ("wall", "cpu")}}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, help="an existing home with a tantivy index [default: the two built once]")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--hyperfine", action="store_true", help="also run Debian's hyperfine, if installed")
    args = ap.parse_args(argv)
    # as installed: bytecode compiled once and kept (pip does it at install), here outside the tree
    env = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    homes = {args.home.name: args.home} if args.home else {n: OUT / f"startup-{n}" for n in HOMES}
    result: dict = {"rounds": args.rounds, "homes": {}}
    for name, home in homes.items():
        if args.home is None:
            build_home(home, HOMES[name])
        result["homes"][name] = measure(home, args.rounds, env, args.hyperfine)
    search = "from archive.cli import main; main(['search', '政府信息公开', '--home', %r, '--format', 'tsv'])"
    result["import_ms"] = {"xxgk --help": import_ms("from archive.cli import main; main(['--help'])", env)}
    result["import_ms"].update({f"xxgk search ({name})": import_ms(search % str(home), env)
                                for name, home in homes.items()})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "startup.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    for name, r in result["homes"].items():
        print(f"{name}: xxgk search per shell call / one-shot bare tantivy: {r['ratio_wall']}x wall, "
              f"{r['ratio_cpu']}x CPU (goal ≤ 2x)")
    for what, mods in result["import_ms"].items():
        print(f"import {what}: " + ", ".join(f"{m} {ms:.0f} ms" for m, ms in mods.items()))


if __name__ == "__main__":
    main()
