"""The index never silently lags: a kill at every phase of `import`, `reparse` and `index --rebuild`
leaves search complete after the next command; `status` and `search` say when the index is behind;
a rebuild swaps the index in one step and what a killed one left is cleaned."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from archive.index_files import clean_leftovers, swap_in  # noqa: E402
from archive.indexing import index_lag  # noqa: E402
from conftest import XXGK, run_cli  # noqa: E402
from fault_files import kill_when, report_text  # noqa: E402

N = 150


def _corpus(folder: Path, n: int = N) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(report_text(i), encoding="utf-8")
    return folder


def _count(home: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True, timeout=5) as c:
            return c.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return 0


def _search_total(home: Path) -> int:
    r = run_cli("search", "依申请公开", "--home", str(home), "--json", "--limit", "1", "--all-copies")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["total"]


def _no_leftovers(home: Path) -> None:
    assert not [p.name for p in home.iterdir() if p.name.startswith(".index.") and p.is_dir()]


def test_a_kill_in_every_phase_of_import_then_the_next_import_leaves_search_complete(tmp_path: Path):
    src = _corpus(tmp_path / "in")
    lagged = 0
    for n, (phase, delay) in enumerate((("parse", 0.0), ("index", 0.0), ("index", 0.3))):
        home = tmp_path / f"home{n}"
        args = [str(XXGK), "import", str(src), "--home", str(home)]
        if phase == "parse":
            ready = lambda: _count(home, "SELECT COUNT(*) FROM reports") >= 20  # noqa: E731
        else:
            ready = lambda: _count(home, "SELECT COUNT(*) FROM reports") >= N  # noqa: E731
        kill_when(args, ready, delay)
        status = run_cli("status", "--home", str(home), "--json")
        if json.loads(status.stdout)["index_behind"] or json.loads(status.stdout)["index_missing"]:
            lagged += 1
        r = subprocess.run(args, capture_output=True, text=True, timeout=600)  # the same command again
        assert r.returncode == 0, r.stderr
        assert _search_total(home) == N
        assert not index_lag_of(home)
        _no_leftovers(home)
    assert lagged >= 2  # the kills did leave the index behind, and status said so


def index_lag_of(home: Path):
    from archive.home import Home

    with Home.open(home, create=False) as h:
        return index_lag(h)


def test_a_kill_during_reparse_then_the_next_reparse_leaves_search_complete(tmp_path: Path):
    home = tmp_path / "home"
    assert run_cli("import", str(_corpus(tmp_path / "in")), "--home", str(home)).returncode == 0
    with sqlite3.connect(home / "catalog.sqlite") as c:  # records of an older parser: all re-parsed
        c.execute("UPDATE documents SET parser_version = 'old'")
    start = _count(home, "SELECT MAX(seq) FROM report_changes")
    kill_when([str(XXGK), "reparse", "--home", str(home)],
              lambda: _count(home, f"SELECT COUNT(DISTINCT report_id) FROM report_changes WHERE seq > {start}") >= N)
    assert index_lag_of(home)  # re-parsed records the index has not seen
    r = run_cli("reparse", "--home", str(home))
    assert r.returncode == 0, r.stderr
    assert not index_lag_of(home) and _search_total(home) == N


def test_a_kill_in_the_index_phase_of_reparse_is_said_by_status_and_completed_by_the_next_reparse(tmp_path: Path):
    """Every record re-parsed and stored, the kill lands while the index is being brought up: the
    next reparse has nothing to parse and must still bring the index up (issue 13)."""
    home = tmp_path / "home"
    assert run_cli("import", str(_corpus(tmp_path / "in")), "--home", str(home)).returncode == 0
    lagged = 0
    for delay in (0.0, 0.4):
        with sqlite3.connect(home / "catalog.sqlite") as c:
            c.execute("UPDATE documents SET parser_version = 'old'")
        reparsed = lambda: _count(home, "SELECT COUNT(*) FROM documents WHERE parser_version != 'old'") >= N  # noqa: E731
        assert kill_when([str(XXGK), "reparse", "--home", str(home)], reparsed, delay)
        assert _count(home, "SELECT COUNT(*) FROM documents WHERE parser_version = 'old'") == 0  # the index phase
        status = json.loads(run_cli("status", "--home", str(home), "--json").stdout)
        lagged += bool(status["index_behind"])
        r = run_cli("reparse", "--home", str(home), "--json")
        assert r.returncode == 0 and json.loads(r.stdout)["parsed"] == 0, r.stderr  # nothing left to parse
        assert not index_lag_of(home) and _search_total(home) == N
        _no_leftovers(home)
    assert lagged >= 1  # a kill did leave the index behind, and status said so


def test_a_kill_at_any_moment_of_index_rebuild_leaves_a_working_index(tmp_path: Path):
    home = tmp_path / "home"
    assert run_cli("import", str(_corpus(tmp_path / "in")), "--home", str(home)).returncode == 0
    for delay in (0.3, 0.8, 1.5, 3.0):
        kill_when([str(XXGK), "index", "--rebuild", "--home", str(home)], lambda: True, delay)
        assert _search_total(home) == N  # the old index (or the new one, swapped whole) answers
        assert run_cli("index", "--home", str(home)).returncode == 0
        _no_leftovers(home)


def test_search_and_status_say_when_the_index_is_behind(tmp_path: Path):
    home = tmp_path / "home"
    assert run_cli("import", str(_corpus(tmp_path / "in", 4)), "--home", str(home), "--no-index").returncode == 0
    r = run_cli("status", "--home", str(home))
    assert "no search index yet" in r.stdout
    assert run_cli("index", "--home", str(home)).returncode == 0
    assert run_cli("import", str(_corpus(tmp_path / "more", 6)), "--home", str(home), "--no-index").returncode == 0
    r = run_cli("status", "--home", str(home))
    assert "search index is behind the catalog: 2 reports changed" in r.stdout, r.stdout
    r = run_cli("search", "依申请公开", "--home", str(home))
    assert "behind the catalog" in r.stderr, r.stderr


def test_the_swap_without_an_exchange_is_completed_by_the_next_sync(tmp_path: Path):
    """Two renames (where renameat2 is missing): a kill between them leaves no index; the next
    sync puts the finished rebuild in place and removes the old copy."""
    live, old, new = tmp_path / "index", tmp_path / ".index.old-1", tmp_path / ".index.rebuild-2"
    old.mkdir()
    (old / "state.json").write_text('{"last_seq": 1}')
    new.mkdir()
    (new / "state.json").write_text('{"last_seq": 2}')
    clean_leftovers(live, 5)
    assert json.loads((live / "state.json").read_text())["last_seq"] == 2 and not old.exists() and not new.exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "x").write_text("new")
    swap_in(other, live)
    assert (live / "x").read_text() == "new" and not other.exists()
