"""`xxgk catalog compact`: the space of deleted reports given back, every answer the same after, a
kill at any moment leaving the catalog as it was, and no catalog made where there was none
(on SQLite and, as a test_archive_ module, again on PostgreSQL)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from archive.catalog import Catalog  # noqa: E402
from archive.home import catalog_location  # noqa: E402
from conftest import EXAMPLES, XXGK, run_cli  # noqa: E402
from fault_files import kill_when, report_text  # noqa: E402


def _build_home_with_deleted_reports(folder: Path) -> Path:
    src = folder / "in"
    src.mkdir(parents=True)
    for f in EXAMPLES.iterdir():
        (src / f.name).write_bytes(f.read_bytes())
    for i in range(24):
        (src / f"copy{i:02d}.txt").write_text(report_text(i), encoding="utf-8")
    home = folder / "home"
    r = run_cli("import", str(src), "--home", str(home), "--no-index")
    assert r.returncode == 0, r.stderr
    with Catalog(catalog_location(home)) as cat, cat.write() as c:  # a user's clean-up: the copies go
        c.execute("DELETE FROM reports WHERE url LIKE '%copy%'")
    return home


@pytest.fixture(scope="module")
def built_home(tmp_path_factory, catalog_backend: str) -> Path:
    """One home with deleted reports per module run (its catalog in SQLite or PostgreSQL)."""
    return _build_home_with_deleted_reports(tmp_path_factory.mktemp("built"))


def _home_with_deleted_reports(tmp_path: Path, built: Path) -> Path:
    """A fresh copy of ``built`` (a SQLite home is a folder); a PostgreSQL home is used as it is: one
    test of the module's [postgres] run uses it."""
    if not (built / "catalog.sqlite").exists():
        return built
    shutil.copytree(built, tmp_path / "home")
    return tmp_path / "home"


def _answers(home: Path) -> dict:
    reports = json.loads(run_cli("reports", "--home", str(home), "--json").stdout)
    shown = {r["id"]: json.loads(run_cli("show", str(r["id"]), "--home", str(home), "--json").stdout)
             for r in reports}
    wide = run_cli("compare", "--shape", "wide", "--home", str(home))
    assert wide.returncode == 0, wide.stderr
    return {"reports": reports, "shown": shown, "wide": wide.stdout}


def test_compact_gives_back_the_space_of_deleted_reports_and_every_answer_stays(tmp_path: Path, built_home: Path):
    home = _home_with_deleted_reports(tmp_path, built_home)
    before = _answers(home)
    assert len(before["reports"]) == len(list(EXAMPLES.iterdir()))
    r = run_cli("catalog", "compact", "--home", str(home), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert 0 < report["bytes_after"] < report["bytes_before"], report
    assert report["bytes_freed"] == report["bytes_before"] - report["bytes_after"]
    assert _answers(home) == before
    # and by its place, in words
    r = run_cli("catalog", "compact", str(home))
    assert r.returncode == 0 and r.stdout.startswith("compacted ") and " MB -> " in r.stdout, r.stdout + r.stderr


def test_compact_mistakes_make_no_catalog_where_there_was_none(tmp_path: Path):
    missing = tmp_path / "typo.sqlite"
    r = run_cli("catalog", "compact", str(missing))
    assert r.returncode == 1 and "no catalog at" in r.stderr, r.stderr
    assert not missing.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_cli("catalog", "compact", str(empty))
    assert r.returncode == 1 and "holds no catalog" in r.stderr, r.stderr
    assert list(empty.iterdir()) == []


@pytest.fixture
def sqlite_only(catalog_backend: str) -> None:
    """Listed before the other fixtures: a [postgres] run skips before building anything."""
    if catalog_backend != "sqlite":
        pytest.skip("SQLite's VACUUM and its file; PostgreSQL's VACUUM FULL is covered by the test above")


def _big_catalog(path: Path, reports: int = 600, text_bytes: int = 60_000) -> None:
    """Reports with long texts (random, so nothing compresses away), then half of them deleted."""
    with Catalog(path) as cat, cat.write() as c:
        for i in range(reports):
            text = os.urandom(text_bytes // 2).hex()
            c.execute("INSERT INTO documents(id, sha256, size, media_type, created_at, status) "
                      "VALUES (?, ?, 1, 'text/plain', 'now', 'parsed')", (i + 1, f"{i:064x}"))
            c.execute("INSERT INTO reports(id, document_id, title, year, parser_version, parsed_at, record_json) "
                      "VALUES (?, ?, ?, 2020, 't', 'now', '{}')", (i + 1, i + 1, f"r{i}"))
            c.execute("INSERT INTO report_texts(report_id, text) VALUES (?, ?)", (i + 1, text))
        c.execute("DELETE FROM reports WHERE id % 2 = 0")


def _contents(path: Path) -> tuple[str, list]:
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = [(rid, hashlib.sha256(t.encode()).hexdigest()) for rid, t in
                conn.execute("SELECT report_id, text FROM report_texts ORDER BY report_id")]
        return ok, rows
    finally:
        conn.close()


@pytest.mark.slow
def test_a_kill_at_any_moment_of_compact_leaves_the_catalog_as_it_was(sqlite_only, tmp_path: Path):
    path = tmp_path / "catalog.sqlite"
    _big_catalog(path)
    ok, rows = _contents(path)
    assert ok == "ok" and len(rows) == 300
    size = path.stat().st_size
    landed = 0
    for delay in (0.2, 0.5, 0.9, 1.4):
        landed += kill_when([str(XXGK), "catalog", "compact", str(path)], lambda: True, delay)
        assert _contents(path) == ("ok", rows)
    assert landed >= 1  # at least one kill came while it ran
    r = run_cli("catalog", "compact", str(path), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["bytes_after"] < size * 0.7 and _contents(path) == ("ok", rows)


def test_compact_without_room_for_the_copy_says_so_and_changes_nothing(sqlite_only, tmp_path: Path,
                                                                       built_home: Path):
    home = _home_with_deleted_reports(tmp_path, built_home)
    catalog = home / "catalog.sqlite"
    before = catalog.read_bytes()
    r = run_cli("catalog", "compact", "--home", str(home), env={"XXGK_MIN_FREE_SPACE": "1000000GB"})
    assert r.returncode == 1 and "not enough free space to compact the catalog" in r.stderr, r.stderr
    assert catalog.read_bytes() == before


def test_compact_while_a_reader_holds_the_old_pages_finishes_and_says_the_file_shrinks_later(
        sqlite_only, tmp_path: Path, built_home: Path):
    """`xxgk serve` or a search reading the catalog keeps its old pages: the compaction is done (and
    read by every new reader), the file keeps its size until a checkpoint can fold it in."""
    home = _home_with_deleted_reports(tmp_path, built_home)
    catalog = home / "catalog.sqlite"
    before = _answers(home)
    reader = sqlite3.connect(catalog, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM reports").fetchone()  # a snapshot of the old pages
        r = run_cli("catalog", "compact", "--home", str(home), "--json")
        assert r.returncode == 0, r.stderr
        held = json.loads(r.stdout)
        assert held["pending"] and held["bytes_after"] < held["bytes_before"], held
        assert held["seconds"] < 30  # it did not wait for the reader
        r = run_cli("catalog", "compact", "--home", str(home))
        assert "keeps its size until the commands still reading it" in r.stdout, r.stdout
    finally:
        reader.execute("COMMIT")
        reader.close()
    r = run_cli("catalog", "compact", "--home", str(home), "--json")
    done = json.loads(r.stdout)
    assert r.returncode == 0 and not done["pending"], r.stdout + r.stderr
    assert catalog.stat().st_size == done["bytes_after"] <= held["bytes_after"]
    assert _answers(home) == before
