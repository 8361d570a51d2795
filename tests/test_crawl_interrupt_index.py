"""A crawl stopped by SIGTERM or Ctrl-C brings the search index up to what it stored on its way
out, within a bound: search finds every report it kept, status says nothing lags. The real CLI
crawling the loopback replica, a real signal."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from archive.commands.demo import replica_profiles  # noqa: E402
from conftest import run_cli  # noqa: E402
from fixtures.crawl_cli import crawl_command, fetched_documents  # noqa: E402
from replica import ReplicaServer  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["term", "ctrl-c"])
def test_an_interrupted_crawl_leaves_the_index_in_step_with_what_it_stored(tmp_path: Path, sig):
    home = tmp_path / "home"
    with ReplicaServer(seed=1, delays=0.3) as rep:
        profiles = [p for p in replica_profiles(rep.info, ("trs",)) if p.name == "nanjing"]
        proc = subprocess.Popen(crawl_command(rep, home, profiles), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        deadline = time.monotonic() + 90
        while fetched_documents(home) < 4 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the crawl ended before it could be stopped"
        stopped = time.monotonic()
        os.kill(proc.pid, sig)
        out, err = proc.communicate(timeout=90)
        assert time.monotonic() - stopped < 60  # the requests in flight, then the sync: bounded
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted:" in err, err
    status = json.loads(run_cli("status", "--home", str(home), "--json").stdout)
    assert status["index_behind"] == 0 and not status["index_missing"], status
    reports = json.loads(out)["reports_in_archive"]
    assert reports >= 1
    r = run_cli("search", "政府信息公开", "--home", str(home), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["total"] == reports, (r.stdout[:300], r.stderr)
