"""Issue 13 as a table: every fault, made with real processes and real bytes, and what xxgk did.

    .venv/bin/python bench/bench_faults.py [--only NAME ...] [--skip-crawler]

Each fault runs the real ``xxgk`` in a subprocess (``tests/fault_files.run_measured``: wall seconds
and the process's peak memory) on crafted files (``tests/fault_files.py``) or loopback sites
(``tests/fixtures/fault_sites.py``), and gives a row: fault, outcome, ok (the issue's "done when"
holds), seconds, peak MB. The crawler's hostile-server faults (slowloris, the "2" trap, another
port, two crawls at once) come from ``bench/faults_crawler.py``. Faults that need root (a 2 MB
tmpfs, a read-only bind mount) say "skipped" without it. Nothing outside a temporary folder is
written.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tests", ROOT / "tests" / "fixtures", ROOT / "bench"):
    sys.path.insert(0, str(p))

from conftest import XXGK  # noqa: E402
from fault_files import (big_text_html, deep_html, dense_ruled_pdf, kill_when, report_text,  # noqa: E402
                         run_measured, zip_bomb_docx)
from fault_sites import SPOOF_HOST, YUHANG_HOST, SpoofSites, TimeoutSites, crawl_args, serve, slow_pdf  # noqa: E402

__all__ = ["archive_faults", "FAULTS"]


def _row(fault: str, ok: bool, outcome: str, seconds: float, peak: float) -> dict:
    return {"fault": fault, "outcome": outcome, "ok": bool(ok), "seconds": round(seconds, 2),
            "peak_mb": round(peak, 1)}


def _xxgk(*args: str, env: dict | None = None, timeout: float = 600):
    return run_measured([str(XXGK), *args], env=env, timeout=timeout)


def _sql(home: Path, sql: str, *args):
    with sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True, timeout=10) as c:
        return c.execute(sql, args).fetchone()[0]


def _corpus(folder: Path, n: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"r{i:03d}.txt").write_text(report_text(i), encoding="utf-8")
    return folder


def _file(work: Path, name: str, data: bytes) -> Path:
    p = work / name
    p.write_bytes(data)
    return p


# -- the parser's inputs (items 1, 2, 12, 14) ------------------------------------------------------
def zip_bomb(work: Path) -> dict:
    rc, _, err, s, peak = _xxgk("parse", str(_file(work, "bomb.docx", zip_bomb_docx(3 * 10**9))))
    ok = rc == 2 and "zip bomb" in err and s < 5 and peak < 300
    return _row("zip bomb: 10 MB DOCX inflating to 3 GB", ok, err.strip().splitlines()[-1][:90], s, peak)


def dense_pdf(work: Path) -> dict:
    rc, _, err, s, peak = _xxgk("parse", str(_file(work, "dense.pdf", dense_ruled_pdf(300))))
    return _row("one-page PDF, 300×300 ruled table", s < 10, f"finder refused the page; exit {rc}", s, peak)


def slow_pdf_import(work: Path) -> dict:
    home = work / "home"
    path = _file(work, "slow.pdf", slow_pdf())
    rc, _, err, s, peak = _xxgk("import", str(path), "--home", str(home), "--no-index",
                                env={"XXGK_PARSE_TIME_BUDGET": "3"})
    reason = _sql(home, "SELECT group_concat(reason) FROM errors")
    return _row("PDF that outlasts a 3 s budget (import)", reason == "parse_timeout" and s < 20,
                f"error row {reason}", s, peak)


def slow_pdf_crawl(work: Path) -> dict:
    home = work / "home"
    slow_pdf()
    with serve(TimeoutSites) as port:
        args = crawl_args(XXGK, home, port, "www.slow.gov.cn", "www.fast.gov.cn") + ["--no-index"]
        rc, out, err, s, peak = run_measured(args, env={"XXGK_PARSE_TIME_BUDGET": "6"}, timeout=300)
    slow_at = _sql(home, "SELECT at FROM fetches WHERE url LIKE '%.pdf'")
    timeout_at = _sql(home, "SELECT at FROM errors WHERE reason = 'parse_timeout'")
    during = _sql(home, "SELECT COUNT(*) FROM fetches WHERE site = 'www.fast.gov.cn' AND document_id IS NOT NULL "
                        "AND at > ? AND at < ?", slow_at, timeout_at or "")
    reports = _sql(home, "SELECT COUNT(*) FROM reports")
    ok = bool(timeout_at) and reports == 12 and during >= 2
    return _row("crawl: slow PDF (6 s budget) beside a 12-report site", ok,
                f"parse_timeout; {during} stored meanwhile; {reports}/12 reports", s, peak)


def html_limits(work: Path) -> dict:
    outcomes, ok, secs, peak = [], True, 0.0, 0.0
    for name, data in (("deep.html", deep_html(200_000)), ("big.html", big_text_html(20 * 10**6))):
        rc, out, err, s, p = _xxgk("parse", str(_file(work, name, data)), "--json")
        record = json.loads(out) if rc == 0 else {}
        warned = [f["message"][:40] for f in record.get("findings", []) if f["rule"] == "parse.warning"]
        ok = ok and rc == 0 and bool(record.get("metrics")) and bool(warned)
        outcomes.append(f"{name}: {len(record.get('metrics', {}))} metrics, warned")
        secs, peak = secs + s, max(peak, p)
    return _row("200,000 nested divs; a 20 MB text node", ok, "; ".join(outcomes), secs, peak)


def parse_huge_file(work: Path) -> dict:
    big = work / "huge.pdf"
    with open(big, "wb") as f:
        f.truncate(1 << 30)
    rc, _, err, s, peak = _xxgk("parse", str(big))
    return _row("xxgk parse of a 1 GiB file", rc == 2 and "size limit" in err and s < 10 and peak < 200,
                "refused before reading", s, peak)


def hostile_names(work: Path) -> dict:
    src = work / "in"
    src.mkdir()
    for raw in (b"\x1b[31mred.txt", b"two\nlines.txt", b"bad\xffbyte.txt"):
        with open(os.path.join(os.fsencode(src), raw), "wb") as f:
            f.write(report_text(len(raw)).encode())
    t0 = time.monotonic()
    p = subprocess.run([str(XXGK), "import", str(src), "--home", str(work / "home"), "--json", "--no-index"],
                       capture_output=True, timeout=300)
    s = time.monotonic() - t0
    try:
        json.loads(p.stdout.decode("utf-8"))
        ok = b"\x1b" not in p.stdout + p.stderr
    except (UnicodeDecodeError, ValueError):
        ok = False
    return _row("file names with ESC, newline, 0xFF", ok, "escaped; --json valid UTF-8", s, 0.0)


# -- the archive (items 5, 7, 8, 9, 10, 11, 15) -----------------------------------------------------
def spoofed_correction(work: Path) -> dict:
    home = work / "home"
    with serve(SpoofSites) as port:
        rc, _, err, s, peak = run_measured(crawl_args(XXGK, home, port, SPOOF_HOST, YUHANG_HOST), timeout=300)
    r = subprocess.run([str(XXGK), "compare", "--region", "余杭", "--metrics", "applications.new.total",
                        "--headers", "keys", "--format", "csv", "--home", str(home)], capture_output=True, text=True)
    lines = r.stdout.splitlines()
    value = lines[1].split(",")[lines[0].split(",").index("applications.new.total")] if len(lines) > 1 else "?"
    flagged = "provenance.host_mismatch" in subprocess.run(
        [str(XXGK), "check", "--json", "--home", str(home)], capture_output=True, text=True).stdout
    return _row("another host's 余杭区 2017 (更正), 91,984 requests", value == "1984" and flagged,
                f"compare keeps {value}; check flags the host", s, peak)


def _search_total(home: Path) -> int:
    r = subprocess.run([str(XXGK), "search", "依申请公开", "--home", str(home), "--json", "--limit", "1",
                        "--all-copies"],
                       capture_output=True, text=True)
    return json.loads(r.stdout)["total"] if r.returncode == 0 else -1


def index_kills(work: Path) -> dict:
    n, src = 150, _corpus(work / "in", 150)
    home = work / "home"
    args = [str(XXGK), "import", str(src), "--home", str(home)]

    def parsed() -> bool:
        try:
            return _sql(home, "SELECT COUNT(*) FROM reports") >= n
        except sqlite3.Error:
            return False

    killed = kill_when(args, parsed)
    lag = json.loads(subprocess.run([str(XXGK), "status", "--home", str(home), "--json"], capture_output=True,
                                    text=True).stdout)
    rc, _, err, s, peak = run_measured(args, timeout=600)
    after_import = _search_total(home)
    for delay in (0.5, 1.5):
        kill_when([str(XXGK), "index", "--rebuild", "--home", str(home)], lambda: True, delay)
    after_rebuild = _search_total(home)
    subprocess.run([str(XXGK), "index", "--home", str(home)], capture_output=True)  # the next command
    leftovers = [p.name for p in home.iterdir() if p.name.startswith(".index.") and p.is_dir()]
    ok = after_import == n and after_rebuild == n and not leftovers
    said = "status said behind" if lag.get("index_behind") or lag.get("index_missing") else "status said nothing"
    return _row("kill -9 in import's index phase, then in index --rebuild", ok,
                f"{'killed' if killed else 'ended'}; {said}; search {after_import}, after rebuild kills {after_rebuild}",
                s, peak)


def reparse_index_kill(work: Path) -> dict:
    n, home = 150, work / "home"
    subprocess.run([str(XXGK), "import", str(_corpus(work / "in", n)), "--home", str(home)], capture_output=True)
    with sqlite3.connect(home / "catalog.sqlite") as c:
        c.execute("UPDATE documents SET parser_version = 'old'")
    args = [str(XXGK), "reparse", "--home", str(home)]
    killed = kill_when(args, lambda: _sql(home, "SELECT COUNT(*) FROM documents WHERE parser_version != 'old'") >= n,
                       0.3)
    lag = json.loads(subprocess.run([str(XXGK), "status", "--home", str(home), "--json"], capture_output=True,
                                    text=True).stdout)
    rc, _, err, s, peak = run_measured(args, timeout=600)
    total = _search_total(home)
    said = "status said behind" if lag.get("index_behind") else "status said nothing"
    return _row("kill -9 in reparse's index phase", rc == 0 and total == n,
                f"{'killed' if killed else 'ended'}; {said}; next reparse: search {total}", s, peak)


def memory_bomb(work: Path) -> dict:
    """A parse that wants more memory than a worker may have: that document fails, the run goes on."""
    from archive.parse_pool import ParsePool
    from parser import ParseError

    t0 = time.monotonic()
    with ParsePool(1, memory=512 << 20) as pool:
        try:
            pool.call(bytearray, 8 << 30, timeout=60)
            reason = "allocated"
        except ParseError as e:
            reason = e.reason
        after = pool.parse(report_text(0).encode(), "text/plain").year
    return _row("a parse allocating 8 GiB (worker cap 512 MB)", reason == "parse_memory" and after == 2017,
                f"{reason}; the next document parsed", time.monotonic() - t0, 0)


def damaged_texts(work: Path) -> dict:
    home = work / "home"
    env = {"XXGK_INDEX_BACKEND": "whoosh"}
    subprocess.run([str(XXGK), "import", str(_corpus(work / "in", 5)), "--home", str(home)], capture_output=True,
                   env={**os.environ, **env})
    texts = home / "index" / "texts.dat"
    texts.write_bytes(texts.read_bytes()[: texts.stat().st_size // 2])
    rc, out, err, s, peak = _xxgk("search", "政府信息公开工作年度报告", "--home", str(home), env=env)
    verify = subprocess.run([str(XXGK), "verify", "--home", str(home)], capture_output=True, text=True,
                            env={**os.environ, **env})
    ok = rc != 0 and "xxgk index --rebuild" in err and verify.returncode == 1 and "damaged" in verify.stdout
    return _row("texts.dat of the index cut in half", ok, (err.strip().splitlines() or ["?"])[-1][:90], s, peak)


def full_disk(work: Path) -> dict:
    disk = work / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True).returncode:
        return _row("full disk (2 MB tmpfs)", True, "skipped: mounting a tmpfs needs root", 0, 0)
    try:
        src = _corpus(work / "in", 30)
        rc1, _, err1, s1, _ = _xxgk("import", str(src), "--home", str(disk / "home"))
        rc, _, err, s, peak = _xxgk("import", str(src), "--home", str(disk / "home"), env={"XXGK_MIN_FREE_SPACE": "0"})
        ok = (rc1 == 1 and "not enough free space" in err1 and rc == 1 and "disk is full" in err
              and "Traceback" not in err + err1)
        return _row("full disk (2 MB tmpfs)", ok, "refused up front; mid-import: " + err.strip().splitlines()[-1][:60],
                    s1 + s, peak)
    finally:
        for _ in range(50):
            if subprocess.run(["umount", str(disk)], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)


def fixity(work: Path) -> dict:
    home = work / "home"
    subprocess.run([str(XXGK), "import", str(_corpus(work / "in", 3)), "--home", str(home)], capture_output=True)
    shas = [r[0] for r in sqlite3.connect(home / "catalog.sqlite").execute("SELECT sha256 FROM documents ORDER BY id")]
    blob = lambda sha: home / "blobs" / sha[:2] / sha[2:4] / sha  # noqa: E731
    data = bytearray(blob(shas[1]).read_bytes())
    data[100] ^= 1
    blob(shas[1]).write_bytes(bytes(data))
    blob(shas[2]).unlink()
    rc, out, err, s, peak = _xxgk("verify", "--home", str(home))
    r = subprocess.run([str(XXGK), "reparse", "--all", "--home", str(home)], capture_output=True, text=True)
    rows = sqlite3.connect(home / "catalog.sqlite").execute("SELECT reason FROM errors WHERE stage = 'fixity'").fetchall()
    ok = rc == 1 and "altered" in out and "missing" in out and "Traceback" not in r.stderr and len(rows) == 2
    return _row("a blob altered, another deleted", ok, "verify exit 1 names both; reparse: 2 error rows", s, peak)


def damaged_catalog(work: Path) -> dict:
    home = work / "home"
    subprocess.run([str(XXGK), "import", str(_corpus(work / "in", 3)), "--home", str(home)], capture_output=True)
    cat = home / "catalog.sqlite"
    data = bytearray(cat.read_bytes())
    data[4096:12288] = os.urandom(8192)
    cat.write_bytes(bytes(data))
    rc, _, err, s, peak = _xxgk("reports", "--home", str(home))
    lines = err.strip().splitlines()
    ok = rc == 1 and len(lines) == 1 and "restore it from a backup" in lines[0]
    return _row("damaged catalog", ok, lines[0][:90] if lines else "", s, peak)


def read_only(work: Path) -> dict:
    home = work / "data" / "home"
    home.parent.mkdir()
    subprocess.run([str(XXGK), "import", str(_corpus(work / "in", 3)), "--home", str(home)], capture_output=True)
    view = work / "ro"
    view.mkdir()
    if subprocess.run(["mount", "--bind", str(home.parent), str(view)], capture_output=True).returncode or \
            subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True).returncode:
        subprocess.run(["umount", str(view)], capture_output=True)
        return _row("read-only archive", True, "skipped: a read-only bind mount needs root", 0, 0)
    try:
        rcs = []
        for args in (["reports"], ["search", "依申请公开"], ["check"], ["verify"]):
            rc, _, _, s, peak = _xxgk(*args, "--home", str(view / "home"))
            rcs.append(rc)
        return _row("read-only archive (ro bind mount)", rcs == [0, 0, 0, 0],
                    "reports, search, check, verify: exit " + ",".join(map(str, rcs)), s, peak)
    finally:
        subprocess.run(["umount", str(view)], capture_output=True)


def concurrent_imports(work: Path) -> dict:
    src, home = _corpus(work / "in", 100), work / "home"
    subprocess.run([str(XXGK), "import", str(_corpus(work / "warm", 1, 900)), "--home", str(home), "--no-index"],
                   capture_output=True)
    t0 = time.monotonic()
    procs = [subprocess.Popen([str(XXGK), "import", str(src), "--home", str(home), "--no-index"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    rcs = [p.wait(600) for p in procs]
    s = time.monotonic() - t0
    parses = _sql(home, "SELECT COUNT(*) FROM report_changes WHERE op = 'upsert'") - 1
    return _row("two imports of the same 100 files at once", rcs == [0, 0] and parses == 100,
                f"{parses} parses for 100 files", s, 0.0)


def backup_live(work: Path) -> dict:
    home = work / "home"
    subprocess.run([str(XXGK), "import", str(_corpus(work / "in", 5)), "--home", str(home)], capture_output=True)
    writer = subprocess.Popen([str(XXGK), "import", str(_corpus(work / "more", 80, 100)), "--home", str(home)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while _sql(home, "SELECT COUNT(*) FROM documents") < 15 and writer.poll() is None:
        time.sleep(0.05)
    rc, out, err, s, peak = _xxgk("backup", str(work / "bk"), "--home", str(home), "--json")
    writer.wait(600)
    check = sqlite3.connect(work / "bk" / "catalog.sqlite").execute("PRAGMA integrity_check").fetchone()[0]
    docs = _sql(work / "bk", "SELECT COUNT(*) FROM documents")
    return _row("backup while an import writes", rc == 0 and check == "ok",
                f"integrity {check}; {docs} documents in the snapshot", s, peak)


FAULTS = [zip_bomb, dense_pdf, slow_pdf_import, slow_pdf_crawl, html_limits, parse_huge_file, hostile_names,
          spoofed_correction, index_kills, reparse_index_kill, memory_bomb, damaged_texts, full_disk, fixity, damaged_catalog, read_only, concurrent_imports,
          backup_live]


def archive_faults(only: list[str] | None = None) -> list[dict]:
    rows = []
    for fault in FAULTS:
        if only and fault.__name__ not in only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"xxgk-fault-{fault.__name__}-") as tmp:
            try:
                rows.append(fault(Path(tmp)))
            except Exception as e:  # noqa: BLE001 — one broken fault is a row, not the end of the table
                rows.append(_row(fault.__name__, False, f"bench error: {type(e).__name__}: {e}"[:90], 0, 0))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="fault function names (e.g. zip_bomb fixity)")
    ap.add_argument("--skip-crawler", action="store_true", help="leave out bench/faults_crawler.py's rows")
    args = ap.parse_args()
    rows = archive_faults(args.only)
    if not args.skip_crawler and not args.only:
        from faults_crawler import crawler_faults

        rows += crawler_faults()
    print("| fault | outcome | ok | seconds | peak MB |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['fault']} | {r['outcome']} | {'yes' if r['ok'] else 'NO'} | {r['seconds']} | {r['peak_mb']} |")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
