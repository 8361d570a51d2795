"""Commands started together on a home that does not exist yet (a script starting two imports, a
crawl and an import) each create it: none may fail because another got there first. Eight
processes released at one moment open one new home, a few times over; each must come back with
the home open and writable. Two races were found this way: the folder made by another between the
check and the mkdir, and SQLite's switch to WAL mode, which does not wait for the lock it needs."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.home import CATALOG_URL_FILE

OPEN_WHEN_RELEASED = r"""
import sys, time
from pathlib import Path
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
from archive.home import Home
with Home.open(Path(sys.argv[1])) as h:
    assert not h.readonly
print("ok")
"""


@pytest.mark.slow
def test_eight_commands_creating_one_home_at_once_all_open_it(tmp_path: Path):
    root = Path(__file__).resolve().parent.parent
    for attempt in range(3):
        home, go = tmp_path / f"home{attempt}", tmp_path / f"go{attempt}"
        procs = [subprocess.Popen([sys.executable, "-c", OPEN_WHEN_RELEASED, str(home), str(go)], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
        time.sleep(1.0)  # every process imported Python and waits for the signal
        go.touch()
        results = [p.communicate(timeout=120) for p in procs]
        for p, (out, err) in zip(procs, results):
            assert p.returncode == 0 and out.strip() == "ok", err
        assert (home / "catalog.sqlite").exists() or (home / CATALOG_URL_FILE).exists()  # SQLite or PostgreSQL
