"""`import`/`reparse --workers N` and `--dask`: documents parsed at once elsewhere, outcomes stored
in the serial order, so the catalog is the serial run's (records, report ids, findings).
Real files from tests/data/real, real worker processes, a real Dask cluster on loopback."""
from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import XXGK, run_cli  # noqa: E402
from fault_files import report_text  # noqa: E402
from fixtures.fault_sites import slow_pdf  # noqa: E402

REAL = Path(__file__).parent / "data" / "real"
N_FILES = 48


def catalog_dump(home: Path) -> dict[str, list[tuple]]:
    """What a run decided, by content: ids, records, metrics, findings, error rows."""
    conn = sqlite3.connect(home / "catalog.sqlite")
    try:
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        return {
            "documents": q("SELECT id, sha256, status, media_type FROM documents ORDER BY id"),
            "reports": q("SELECT r.id, d.sha256, r.year, r.region, r.region_code, r.agency, r.format, r.title, "
                         "r.variant FROM reports r JOIN documents d ON d.id = r.document_id ORDER BY r.id"),
            "metrics": q("SELECT report_id, key, value, derived FROM metrics ORDER BY report_id, key"),
            "findings": q("SELECT report_id, ord, rule, severity, message FROM findings ORDER BY report_id, ord"),
            "errors": q("SELECT document_id, stage, reason FROM errors ORDER BY document_id, stage, reason"),
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    """Real report texts (and some that are no report) in their own encodings, one a stuck PDF."""
    folder = tmp_path_factory.mktemp("in")
    for path in sorted(REAL.glob("*.txt"))[:N_FILES]:
        shutil.copyfile(path, folder / path.name)
    (folder / "zz-copy.txt").write_text(report_text(7), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def serial(files: Path, tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("serial") / "home"
    r = run_cli("import", str(files), "--home", str(home), "--workers", "1", "--no-index", "--json")
    assert r.returncode in (0, 1), r.stderr
    return {"home": home, "out": json.loads(r.stdout), "dump": catalog_dump(home)}


def _outcomes(out: dict) -> list[tuple]:
    return [(f["path"], f["status"], f["parse"], f["report_id"]) for f in out["files"]]


def test_workers_give_the_serial_catalog_and_outcomes_in_order(files: Path, serial: dict, tmp_path: Path):
    home = tmp_path / "home"
    r = run_cli("import", str(files), "--home", str(home), "--workers", "2", "--no-index", "--json")
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
    out = json.loads(r.stdout)
    assert out["counts"] == serial["out"]["counts"] and out["counts"]["parsed"] >= N_FILES // 2
    assert _outcomes(out) == _outcomes(serial["out"])
    assert catalog_dump(home) == serial["dump"]
    # reparse --all on workers: the same records again, under the same report ids
    r = run_cli("reparse", "--all", "--home", str(home), "--workers", "2", "--no-index", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["parsed"] == out["counts"]["parsed"]
    assert catalog_dump(home) == serial["dump"]


def test_a_document_stuck_in_a_worker_costs_that_document_not_the_run(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-dense.pdf").write_bytes(slow_pdf())
    for i in range(6):
        (folder / f"b-{i}.txt").write_text(report_text(i), encoding="utf-8")
    home = tmp_path / "home"
    t0 = time.monotonic()
    r = run_cli("import", str(folder), "--home", str(home), "--workers", "2", "--no-index", "--json",
                env={"XXGK_PARSE_TIME_BUDGET": "5"})
    assert time.monotonic() - t0 < 90
    out = json.loads(r.stdout)
    assert out["counts"]["parsed"] == 6 and out["counts"]["failed"] == 1, out["files"]
    conn = sqlite3.connect(home / "catalog.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM errors WHERE reason = 'parse_timeout'").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM parse_claims").fetchone()[0] == 0


def test_dask_local_cluster_gives_the_serial_catalog(files: Path, serial: dict, tmp_path: Path):
    pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install 'xxgk[scale]')")
    from archive.home import Home
    from archive.ingest import import_paths

    with Home.open(tmp_path / "home", create=True) as home:
        summary = import_paths(home, [files], dask="local")
    assert summary.counts == serial["out"]["counts"]
    assert catalog_dump(tmp_path / "home") == serial["dump"]


def test_without_dask_the_error_says_what_to_install(files: Path, tmp_path: Path):
    code = ("import sys; sys.modules['dask'] = None; from archive.cli import main; "
            f"sys.exit(main(['import', {str(files)!r}, '--home', {str(tmp_path / 'h')!r}, '--dask', 'local']))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "pip install 'xxgk[scale]'" in r.stderr.strip().splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_dask_scheduler_and_two_workers_started_from_the_cli(files: Path, serial: dict, tmp_path: Path):
    dask = Path(sys.executable).parent / "dask"
    if not dask.exists():
        pytest.skip("the dask command is not installed (pip install 'xxgk[scale]')")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([str(dask), "worker", address, "--nthreads", "1", "--no-dashboard",
                                           "--host", "127.0.0.1"], env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
        from dask.distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        home = tmp_path / "home"
        r = subprocess.run([str(XXGK), "import", str(files), "--home", str(home), "--dask", address, "--no-index",
                            "--json"], capture_output=True, text=True, timeout=600, env=env)
        assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
        assert json.loads(r.stdout)["counts"] == serial["out"]["counts"]
        assert catalog_dump(home) == serial["dump"]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
