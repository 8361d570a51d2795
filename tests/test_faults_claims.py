"""Two imports of the same files at once: each document is claimed before it is parsed, so it is
parsed once (issue 13: 554 parses for 300 files); a claim of a killed process is taken over."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from archive.claims import claim_parse, release_claim  # noqa: E402
from archive.home import Home  # noqa: E402
from conftest import XXGK, catalog_conn  # noqa: E402
from fault_files import report_text  # noqa: E402
from parser import PARSER_VERSION  # noqa: E402


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(report_text(i), encoding="utf-8")


def test_two_imports_of_the_same_files_parse_each_once(tmp_path: Path):
    src, home = tmp_path / "in", tmp_path / "home"
    _corpus(src, 80)
    Home.open(home, create=True).close()  # both start on a migrated catalog
    procs = [subprocess.Popen([str(XXGK), "import", str(src), "--home", str(home), "--no-index"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0 and "Traceback" not in err, err
    conn = catalog_conn(home)
    parses = conn.execute("SELECT COUNT(*) FROM report_changes WHERE op = 'upsert'").fetchone()[0]
    assert parses == 80  # every stored parse is one upsert in the change feed
    assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 80
    assert conn.execute("SELECT COUNT(*) FROM parse_claims").fetchone()[0] == 0


def test_a_claim_of_a_dead_process_is_taken_over_and_a_live_one_is_respected(tmp_path: Path):
    with Home.open(tmp_path / "home", create=True) as h:
        doc, _ = h.catalog.add_document("ab" * 32, 10, "text/plain")
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout.strip()
        with h.catalog.write() as c:
            c.execute("INSERT INTO parse_claims VALUES (?, ?, ?, strftime('%s','now'))",
                      (doc.id, int(dead), os.uname().nodename))
        assert claim_parse(h.catalog, doc.id, parser_version=PARSER_VERSION) == (True, "")
        release_claim(h.catalog, doc.id)
        live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            with h.catalog.write() as c:
                c.execute("INSERT INTO parse_claims VALUES (?, ?, ?, strftime('%s','now'))",
                          (doc.id, live.pid, os.uname().nodename))
            ok, why = claim_parse(h.catalog, doc.id, parser_version=PARSER_VERSION)
            assert not ok and f"pid {live.pid}" in why
        finally:
            live.kill()
            live.wait()
        assert claim_parse(h.catalog, doc.id, parser_version=PARSER_VERSION)[0]
