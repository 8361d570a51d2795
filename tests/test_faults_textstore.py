"""A damaged texts.dat (the Whoosh index's text store) is found, never read as text: `search`
stops with one line naming `xxgk index --rebuild`, `status` and `verify` say so, the rebuild
repairs it. A real archive, real files garbled on disk."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import run_cli  # noqa: E402
from fault_files import report_text  # noqa: E402

WHOOSH = {"XXGK_INDEX_BACKEND": "whoosh"}  # the backend that keeps texts.dat


@pytest.fixture
def home(tmp_path: Path) -> Path:
    pytest.importorskip("whoosh", reason="the Whoosh backend is not installed")
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"r{i}.txt").write_text(report_text(i), encoding="utf-8")
    home = tmp_path / "home"
    r = run_cli("import", str(src), "--home", str(home), "--workers", "1", env=WHOOSH)
    assert r.returncode == 0, r.stderr
    assert (home / "index" / "texts.dat").stat().st_size > 0 and (home / "index" / "texts.sum").exists()
    return home


def _one_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def test_garbled_texts_are_found_by_status_and_verify_and_repaired_by_rebuild(home: Path):
    texts = home / "index" / "texts.dat"
    data = bytearray(texts.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = os.urandom(64)  # same length, other bytes
    texts.write_bytes(bytes(data))
    status = run_cli("status", "--home", str(home), "--json", env=WHOOSH)
    damaged = json.loads(status.stdout)["index_damaged"]
    assert damaged and "xxgk index --rebuild" in damaged
    assert "xxgk index --rebuild" in run_cli("status", "--home", str(home), env=WHOOSH).stdout
    verify = run_cli("verify", "--home", str(home), env=WHOOSH)
    assert verify.returncode == 1 and "texts.dat is not what was written" in verify.stdout
    assert "damaged" in verify.stdout and "xxgk index --rebuild" in verify.stdout
    assert run_cli("index", "--rebuild", "--home", str(home), env=WHOOSH).returncode == 0
    assert run_cli("verify", "--home", str(home), env=WHOOSH).returncode == 0
    assert json.loads(run_cli("status", "--home", str(home), "--json", env=WHOOSH).stdout)["index_damaged"] is None


def test_a_truncated_text_store_stops_search_with_one_line_and_the_remedy(home: Path):
    texts = home / "index" / "texts.dat"
    texts.write_bytes(texts.read_bytes()[: texts.stat().st_size // 3])
    r = run_cli("search", "政府信息公开工作年度报告", "--home", str(home), env=WHOOSH)
    assert r.returncode != 0
    line = _one_line(r)
    assert "damaged" in line and "xxgk index --rebuild" in line, line
    assert run_cli("index", "--rebuild", "--home", str(home), env=WHOOSH).returncode == 0
    r = run_cli("search", "政府信息公开工作年度报告", "--home", str(home), "--json", "--all-copies", env=WHOOSH)
    assert r.returncode == 0 and json.loads(r.stdout)["total"] == 3, r.stderr
