"""Two importers on two machines (two home folders) write one PostgreSQL catalog at once; one is
killed with SIGKILL mid-way. The survivor and a rerun of the killed one leave the catalog exactly as
one clean import does: nothing lost, nothing doubled, no claim left behind."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO, XXGK, run_cli

FILES = sorted((REPO / "tests" / "data" / "real").glob("*.txt"))[:48]
SUMMARY = ("SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM reports), "
           "(SELECT COUNT(*) FROM metrics), (SELECT COUNT(*) FROM sources), (SELECT COUNT(*) FROM errors), "
           "(SELECT COUNT(*) FROM documents WHERE status = 'pending'), (SELECT COUNT(*) FROM parse_claims)")
REPORTS = "SELECT d.sha256, r.id, r.year, r.region, r.title FROM reports r JOIN documents d ON d.id = r.document_id"


def _importer(src: Path, home: Path, url: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "XXGK_HOME"} | {"XXGK_CATALOG": url}
    return subprocess.Popen([str(XXGK), "import", str(src), "--home", str(home), "--no-index", "--workers", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


@pytest.mark.slow
def test_kill_9_of_one_of_two_importers_loses_and_doubles_nothing(pg_url, tmp_path):
    import psycopg

    src = tmp_path / "reports"
    src.mkdir()
    for f in FILES:
        shutil.copy(f, src / f.name)
    ref = run_cli("import", str(src), "--home", str(tmp_path / "ref"), "--no-index", env={"XXGK_CATALOG": ""})
    assert ref.returncode == 0, ref.stderr
    with sqlite3.connect(tmp_path / "ref" / "catalog.sqlite") as conn:
        want, want_reports = conn.execute(SUMMARY).fetchone(), sorted(conn.execute(REPORTS).fetchall())
    assert want[1] > 20 and want[5] == want[6] == 0

    a = _importer(src, tmp_path / "a", pg_url)
    b = _importer(src, tmp_path / "b", pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and a.poll() is None:
            tables = conn.execute("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'reports'").fetchone()[0]
            if tables and conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] >= want[1] // 3:
                break
            time.sleep(0.05)
        assert a.poll() is None, "the first importer finished before it could be killed"
        os.killpg(a.pid, signal.SIGKILL)
        a.wait(30)
        assert b.wait(600) == 0, b.stderr.read().decode()
        b.stderr.close()
        a.stderr.close()
        rerun = run_cli("import", str(src), "--home", str(tmp_path / "a"), "--no-index", env={"XXGK_CATALOG": pg_url})
        assert rerun.returncode == 0, rerun.stderr
        got, got_reports = conn.execute(SUMMARY).fetchone(), sorted(conn.execute(REPORTS).fetchall())
    assert got == want
    assert got_reports == want_reports
