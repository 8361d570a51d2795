"""Catalog size against the text it holds, and catalog-write throughput on SQLite vs PostgreSQL.

    .venv/bin/python bench/bench_catalog.py                 # demo home + 10,000 generated reports
    .venv/bin/python bench/bench_catalog.py --reports 2000  # a smaller generated corpus
    .venv/bin/python bench/bench_catalog.py --pg postgresql://user@host/db

* **size** (issue 18 goal: catalog bytes ≤ 2× the extracted text bytes): the demo home (`xxgk demo`),
  the real corpus (tests/data/real: 327 documents collected from government sites, imported as they are)
  and N generated reports (bench/corpus.py, written as .txt files and imported); catalog bytes are
  the SQLite file after a checkpoint, text bytes the UTF-8 bytes of every report's extracted text;
  the bytes are also split per table (SQLite's dbstat, indexes under their own names) and per
  column so the biggest duplication is named.
* **writes**: the same import of the generated reports into a SQLite home and into a home whose
  catalog is PostgreSQL (XXGK_CATALOG; ``--pg URL`` or a throwaway cluster from tests/pg_server.py,
  fsync off: upper bounds); files/s of each, and the PostgreSQL catalog's bytes.
Prints a table and writes bench/out/bench_catalog.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import XXGK, Postgres, _env, time_import  # noqa: E402
from corpus import full_text, generate_documents  # noqa: E402

COLUMNS = {  # where the bytes go: (table, column); a column a catalog lacks counts 0
    "reports.record_json": ("reports", "record_json"), "report_texts.text": ("report_texts", "text"),
    "metrics.evidence_json": ("metrics", "evidence_json"), "metrics.key": ("metrics", "key"),
    "sections.text (own)": ("section_spans", "text"), "sections.text (old table)": ("sections", "text"),
    "evidence_labels.label": ("evidence_labels", "label"),
    "findings.values_json": ("findings", "values_json"), "findings.message": ("findings", "message"),
}


def _column_bytes(conn: sqlite3.Connection, table: str, col: str) -> int:
    kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    if not kind or kind[0] != "table":
        return 0
    return conn.execute(f"SELECT COALESCE(SUM(LENGTH(CAST({col} AS BLOB))), 0) FROM {table}").fetchone()[0]


def _table_bytes(conn: sqlite3.Connection) -> dict[str, int]:
    try:
        return dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"))
    except sqlite3.OperationalError:  # a SQLite built without dbstat
        return {}


def sqlite_sizes(catalog: Path) -> dict:
    conn = sqlite3.connect(catalog)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        used = page * (conn.execute("PRAGMA page_count").fetchone()[0] - conn.execute("PRAGMA freelist_count").fetchone()[0])
        text = conn.execute("SELECT COALESCE(SUM(LENGTH(CAST(text AS BLOB))), 0) FROM report_texts").fetchone()[0]
        parts = {name: _column_bytes(conn, table, col) for name, (table, col) in COLUMNS.items()}
        tables = _table_bytes(conn)
        reports = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    finally:
        conn.close()
    return {"reports": reports, "catalog_bytes": used, "text_bytes": text,
            "ratio": round(used / text, 2) if text else None, "bytes_by_column": parts, "bytes_by_table": tables}


def pg_sizes(url: str) -> dict:
    """The PostgreSQL catalog's bytes (tables with their TOAST and indexes), per table, and its text bytes."""
    import psycopg

    with psycopg.connect(url) as conn:
        tables = {name: int(n) for name, n in conn.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 2 DESC").fetchall()}
        text = int(conn.execute("SELECT COALESCE(SUM(octet_length(text)), 0) FROM report_texts").fetchone()[0])
    used = sum(tables.values())
    return {"catalog_bytes": used, "text_bytes": text, "ratio": round(used / text, 2) if text else None,
            "bytes_by_table": tables}


def demo_home(work: Path) -> dict:
    home = work / "demo"
    r = subprocess.run([str(XXGK), "demo", "--home", str(home)], capture_output=True, text=True, env=_env(),
                       timeout=3600)
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["?"])[-1]}
    return sqlite_sizes(home / "catalog.sqlite")


def real_home(work: Path) -> dict:
    """The real corpus imported as it is (its labels, the .json files, left out)."""
    files = work / "real-in"
    files.mkdir(parents=True, exist_ok=True)
    for f in sorted((ROOT / "tests" / "data" / "real").iterdir()):
        if f.suffix in (".txt", ".html"):
            shutil.copy2(f, files / f.name)
    run = time_import(files, work / "real", [], _env())
    if "error" in run:
        return run
    return sqlite_sizes(work / "real" / "catalog.sqlite")


def write_generated(n: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in generate_documents(n):
        text = full_text(doc["title"], doc["sections"])
        (folder / f"g{doc['report_id']:06d}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=10_000, help="generated reports (0: none) [10000]")
    ap.add_argument("--pg", help="a PostgreSQL database URL [default: a throwaway cluster]")
    ap.add_argument("--no-demo", action="store_true", help="skip the demo home")
    ap.add_argument("--no-real", action="store_true", help="skip the real corpus (tests/data/real)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-catalog-"))
    pg = Postgres(args.pg)
    out: dict = {}
    try:
        if not args.no_demo:
            out["demo"] = demo_home(work)
        if not args.no_real:
            out["real"] = real_home(work)
        if args.reports > 0:  # --reports 0: the demo and real homes only
            files = work / "in"
            write_generated(args.reports, files)
            sqlite_run = time_import(files, work / "sqlite", [], _env())
            out["generated"] = {"import": sqlite_run, **sqlite_sizes(work / "sqlite" / "catalog.sqlite")}
            url = pg.database()
            if url:
                pg_run = time_import(files, work / "pg", [], _env(XXGK_CATALOG=url))
                out["postgres"] = {"import": pg_run, **pg_sizes(url)}
            else:
                out["postgres"] = "not available"
    finally:
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)
    print_table(out)
    dest = ROOT / "bench" / "out" / "bench_catalog.json"
    dest.parent.mkdir(exist_ok=True)
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


def print_table(out: dict) -> None:
    for name in ("demo", "real", "generated"):
        s = out.get(name)
        if s is None:
            continue
        if "error" in s:
            print(f"{name}: {s}")
            continue
        print(f"{name}: {s['reports']} reports, catalog {s['catalog_bytes'] / 1e6:.2f} MB, text "
              f"{s['text_bytes'] / 1e6:.2f} MB: catalog/text = {s['ratio']}")
        for col, n in sorted(s["bytes_by_column"].items(), key=lambda kv: -kv[1]):
            if n:
                print(f"    column {col:28} {n / 1e6:8.2f} MB")
        for table, n in list(s.get("bytes_by_table", {}).items())[:8]:
            print(f"    table  {table:28} {n / 1e6:8.2f} MB")
    gen, pg = out.get("generated", {}), out.get("postgres")
    if gen.get("import"):
        print(f"writes (import, serial): SQLite {gen['import'].get('files_per_s')} files/s", end="")
        if isinstance(pg, dict):
            print(f", PostgreSQL {pg['import'].get('files_per_s')} files/s "
                  f"(catalog {pg['catalog_bytes'] / 1e6:.2f} MB, text {pg['text_bytes'] / 1e6:.2f} MB: "
                  f"catalog/text = {pg['ratio']})")
            for table, n in list(pg["bytes_by_table"].items())[:6]:
                print(f"    table  {table:28} {n / 1e6:8.2f} MB")
        else:
            print(f", PostgreSQL {pg}")


if __name__ == "__main__":
    main()
