"""Storage faults with real processes: a damaged catalog says what to do in one line; a read-only
archive is read; `xxgk backup` copies a catalog that another process is writing; a full disk
(a 2 MB tmpfs) stops an import cleanly with the archive's write named as what failed."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import XXGK, run_cli  # noqa: E402
from fault_files import report_text  # noqa: E402


def _corpus(folder: Path, n: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"r{i:03d}.txt").write_text(report_text(i), encoding="utf-8")
    return folder


def _home(tmp_path: Path, n: int = 3) -> Path:
    home = tmp_path / "home"
    assert run_cli("import", str(_corpus(tmp_path / "in", n)), "--home", str(home)).returncode == 0
    return home


def _one_line_error(r) -> str:
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_a_damaged_catalog_is_one_line_with_the_remedy(tmp_path: Path):
    home = _home(tmp_path)
    cat = home / "catalog.sqlite"
    data = bytearray(cat.read_bytes())
    data[4096:4096 + 8192] = os.urandom(8192)  # pages 2-3: schema and tables overwritten
    cat.write_bytes(bytes(data))
    for args in (["reports"], ["status"], ["show", "1"], ["import", str(tmp_path / "in")]):
        line = _one_line_error(run_cli(*args, "--home", str(home)))
        assert "damaged" in line and "restore it from a backup" in line and "xxgk backup" in line, line
    cat.write_bytes(b"this is no database" * 1000)
    assert "damaged" in _one_line_error(run_cli("reports", "--home", str(home)))


def test_a_damaged_index_says_rebuild_and_rebuild_repairs_it(tmp_path: Path):
    home = _home(tmp_path)
    for f in (home / "index").iterdir():
        if f.is_file() and not f.name.startswith("."):
            f.write_bytes(os.urandom(64))
    line = _one_line_error(run_cli("index", "--home", str(home)))
    assert "xxgk index --rebuild" in line, line
    assert run_cli("index", "--rebuild", "--home", str(home)).returncode == 0
    r = run_cli("search", "依申请公开", "--home", str(home), "--json", "--all-copies")
    assert r.returncode == 0 and json.loads(r.stdout)["total"] == 3
    # the search's own reads fail inside the backend (its segment files garbled): one line too
    backend = json.loads((home / "index" / "meta.json").read_text())["backend"]
    for f in (home / "index" / backend).iterdir():
        if f.stat().st_size and f.name != "meta.json":
            f.write_bytes(os.urandom(64))
    line = _one_line_error(run_cli("search", "申请", "--home", str(home)))
    assert "damaged" in line and "xxgk index --rebuild" in line, line


@pytest.fixture
def read_only_view(tmp_path: Path):
    """A read-only bind mount of tmp_path (root cannot write there either)."""
    view = tmp_path.parent / (tmp_path.name + "-ro")
    view.mkdir()
    ok = subprocess.run(["mount", "--bind", str(tmp_path), str(view)], capture_output=True).returncode == 0
    ok = ok and subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], capture_output=True).returncode == 0
    if not ok:
        subprocess.run(["umount", str(view)], capture_output=True)
        pytest.skip("read-only bind mounts need root and mount(8): not available here")
    yield view
    _unmount(view)


def test_reading_commands_work_on_a_read_only_archive(tmp_path: Path, read_only_view: Path):
    home = _home(tmp_path)
    ro = read_only_view / "home"
    assert not os.access(ro, os.W_OK)
    first = json.loads(run_cli("reports", "--json", "--home", str(ro)).stdout)[0]["id"]
    for args in (["reports"], ["show", str(first)], ["status"], ["verify"], ["check"], ["search", "依申请公开"],
                 ["compare", "--region", "余杭"]):
        r = run_cli(*args, "--home", str(ro))
        assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stderr)
    r = run_cli("backup", str(tmp_path / "bk"), "--home", str(ro))  # into writable storage
    assert r.returncode == 0, r.stderr
    line = _one_line_error(run_cli("reparse", "--all", "--home", str(ro)))
    assert "read-only" in line
    assert sorted(p.name for p in (home).iterdir()) == sorted(p.name for p in ro.iterdir())  # nothing added


def test_backup_of_a_catalog_being_written_is_consistent_and_restores(tmp_path: Path):
    home = _home(tmp_path, 5)
    more = _corpus(tmp_path / "more", 60, start=100)
    writer = subprocess.Popen([str(XXGK), "import", str(more), "--home", str(home)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # back up while the import is storing documents
            n = sqlite3.connect(home / "catalog.sqlite").execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            if n >= 10:
                break
            time.sleep(0.05)
        r = run_cli("backup", str(tmp_path / "bk"), "--home", str(home), "--json")
        assert r.returncode == 0, r.stderr
        assert writer.poll() is None, "the import ended before the backup: make it longer"
    finally:
        writer.wait(timeout=600)
    report = json.loads(r.stdout)
    bk = tmp_path / "bk"
    conn = sqlite3.connect(bk / "catalog.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    assert 10 <= docs < 65 and report["blobs"] == docs and not report["missing"]
    manifest = [ln.split("\t") for ln in (bk / "blobs-manifest.tsv").read_text().splitlines() if not ln.startswith("#")]
    assert {m[0] for m in manifest} == {r[0] for r in conn.execute("SELECT sha256 FROM documents")}
    # restore: the backup's catalog and index beside the original blobs
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(bk / "catalog.sqlite", restored / "catalog.sqlite")
    shutil.copytree(bk / "index", restored / "index")
    os.symlink(home / "blobs", restored / "blobs")
    assert run_cli("verify", "--home", str(restored)).returncode == 0
    assert run_cli("index", "--home", str(restored)).returncode == 0
    r = run_cli("search", "依申请公开", "--home", str(restored), "--json", "--all-copies")
    assert json.loads(r.stdout)["total"] == conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]


def _tmpfs(tmp_path: Path, size: str):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip(f"a {size} tmpfs needs root and mount(8): not available here")
    return disk


@pytest.fixture
def small_disk(tmp_path: Path):
    disk = _tmpfs(tmp_path, "2m")
    yield disk
    _unmount(disk)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    disk = _tmpfs(tmp_path, "600k")
    yield disk
    _unmount(disk)


def _unmount(path: Path) -> None:
    """Unmount, waiting a moment for the processes that just wrote there to be gone entirely."""
    for _ in range(50):
        if subprocess.run(["umount", str(path)], capture_output=True).returncode == 0:
            return
        time.sleep(0.1)
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_a_full_disk_stops_an_import_cleanly(tmp_path: Path, small_disk: Path):
    src = _corpus(tmp_path / "in", 30)
    home = small_disk / "home"
    # up front: 64 MB of margin cannot be found on a 2 MB disk
    line = _one_line_error(run_cli("import", str(src), "--home", str(home)))
    assert "not enough free space" in line and "MB free" in line, line
    # when the check passes (no margin) and the disk fills up mid-import: the write is what failed
    r = run_cli("import", str(src), "--home", str(home), env={"XXGK_MIN_FREE_SPACE": "0"})
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 1 and "disk is full" in r.stderr and "cannot read" not in r.stderr, r.stderr
    conn = sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM documents d WHERE status = 'parsed' AND NOT EXISTS "
                        "(SELECT 1 FROM reports r WHERE r.document_id = d.id)").fetchone()[0] == 0


def test_a_full_disk_stops_a_crawl_cleanly_and_it_resumes_there(tiny_disk: Path):
    from fixtures.fault_sites import TimeoutSites, crawl_args, serve

    home = tiny_disk / "home"
    env = {"XXGK_MIN_FREE_SPACE": "0", "XXGK_MAX_FILE_SIZE": "100KB"}  # past the check up front
    with serve(TimeoutSites) as port:
        r = run_cli(*crawl_args(XXGK, home, port, "www.fast.gov.cn")[1:], env=env)
    line = _one_line_error(r)
    assert "disk is full" in line, line
    conn = sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT state FROM crawl_runs").fetchone()[0] == "running"  # the same command resumes
