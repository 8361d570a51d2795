"""`xxgk parse` runs its parse in a worker under the hard time limit, and every parse worker's
memory is capped (XXGK_PARSE_MEMORY): a memory bomb fails that document, never the machine.
Real processes, real bytes."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from archive.parse_pool import ParsePool  # noqa: E402
from conftest import run_cli  # noqa: E402
from fault_files import MemoryErrorOnArrival, report_text  # noqa: E402
from fixtures.fault_sites import slow_pdf  # noqa: E402
from parser import ParseError  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="worker memory caps need Linux's RLIMIT_DATA")


def _one_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def test_parse_stops_a_slow_document_at_its_budget_with_one_line(tmp_path: Path):
    pdf = tmp_path / "dense.pdf"
    pdf.write_bytes(slow_pdf())
    t0 = time.monotonic()
    r = run_cli("parse", str(pdf), env={"XXGK_PARSE_TIME_BUDGET": "2"})
    assert r.returncode == 2 and r.stdout == ""
    assert "budget of 2 s" in _one_line(r)
    assert time.monotonic() - t0 < 20  # 2 s and a worker's start-up, never the half minute the PDF takes


def test_parse_still_prints_the_record_of_a_report(tmp_path: Path):
    txt = tmp_path / "report.txt"
    txt.write_text(report_text(3), encoding="utf-8")
    r = run_cli("parse", str(txt), "--json")
    assert r.returncode == 0 and '"year": 2017' in r.stdout, r.stderr


def test_a_memory_bomb_fails_its_job_with_parse_memory_and_the_worker_is_replaced():
    with ParsePool(1, memory=256 << 20) as pool:
        assert pool.parse(report_text(1).encode(), "text/plain").year == 2017
        first = pool.pids
        t0 = time.monotonic()
        with pytest.raises(ParseError) as e:
            pool.call(bytearray, 4 << 30, timeout=30)  # 4 GiB at once: refused at the cap, not swapped in
        assert e.value.reason == "parse_memory" and "256 MB" in str(e.value)
        assert time.monotonic() - t0 < 10
        assert pool.call(bytearray, 1 << 20, timeout=30) == bytearray(1 << 20)  # a new worker, capped too
        assert pool.pids != first
        with pytest.raises(ParseError) as again:
            pool.call(bytearray, 4 << 30, timeout=30)
        assert again.value.reason == "parse_memory"


def test_a_worker_out_of_memory_before_its_job_starts_answers_parse_memory_and_is_replaced():
    """Under a cap too small for the modules a job needs, the worker runs out while it takes the job
    (unpickling imports them), before the job's clock starts: it still answers, and a new worker takes
    over. Before, the worker died silently and the caller read "the parser process is gone ()"."""
    with ParsePool(1, memory=256 << 20) as pool:
        assert pool.call(len, b"abc", timeout=30) == 3
        first = pool.pids
        with pytest.raises(ParseError) as e:
            pool.call(len, MemoryErrorOnArrival(), timeout=30)
        assert e.value.reason == "parse_memory" and "memory cap of 256 MB (XXGK_PARSE_MEMORY)" in str(e.value)
        assert pool.call(len, b"abcd", timeout=30) == 4 and pool.pids != first


def test_parse_under_a_cap_too_small_for_the_parser_says_so_in_one_line(tmp_path: Path):
    txt = tmp_path / "report.txt"
    txt.write_text(report_text(0), encoding="utf-8")
    r = run_cli("parse", str(txt), env={"XXGK_PARSE_MEMORY": "8MB"})  # the worker cannot even import the parser
    assert r.returncode == 2
    assert "memory cap of 8 MB (XXGK_PARSE_MEMORY)" in _one_line(r)
    bad = run_cli("parse", str(txt), env={"XXGK_PARSE_MEMORY": "lots"})
    assert bad.returncode == 2 and "XXGK_PARSE_MEMORY" in _one_line(bad)


@pytest.mark.skipif(not hasattr(__import__("os"), "nice"), reason="no process priorities on this platform")
def test_a_parse_worker_runs_at_a_lower_cpu_priority_than_its_parent():
    """Parsing is the bulk of a crawl's CPU: its workers run ``PARSE_NICENESS`` lower, so on a busy
    machine the fetchers, the catalog's writer and a web server go first."""
    import os

    from archive.parse_pool import PARSE_NICENESS

    with ParsePool(1) as pool:
        worker = pool.call(os.nice, 0, timeout=60)
    assert worker == min(19, os.nice(0) + PARSE_NICENESS) and worker > os.nice(0)
