"""index.lock and the one-writer rule: two real processes indexing at once never corrupt the index."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from index import SearchIndex
from index.errors import IndexLockedError
from index.lock import WriterLock

REPO = Path(__file__).resolve().parent.parent

_WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from index import SearchIndex
    path, backend, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ix = SearchIndex.open(path, backend, create=True)
    for batch in range(6):  # several commits each, interleaving with the other process
        ids = range(start + batch * 5, start + batch * 5 + 5)
        ix.upsert([{{"report_id": i, "title": f"报告{{i}}", "text": f"第{{i}}号报告讲土地征收和信息公开"}} for i in ids])
    ix.close()
""")


@pytest.mark.parametrize("backend", ["whoosh", "tantivy"])
def test_two_processes_writing_at_once_both_land(tmp_path, backend):
    SearchIndex.open(tmp_path, backend, create=True).close()
    script = _WRITER.format(repo=str(REPO))
    procs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path), backend, str(start)],
                              stderr=subprocess.PIPE, text=True) for start in (1000, 2000)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with SearchIndex.open(tmp_path) as ix:
        assert ix.doc_count() == 60
        res = ix.search("土地征收", limit=100)
        assert res.total == 60
        assert {h.report_id for h in res.hits} == set(range(1000, 1030)) | set(range(2000, 2030))


def test_a_held_lock_makes_another_process_wait_then_give_up_with_a_clear_error(tmp_path):
    code = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(REPO)!r})
        from index.lock import WriterLock
        from index.errors import IndexLockedError
        try:
            WriterLock({str(tmp_path)!r}, timeout=0.3).acquire()
        except IndexLockedError as e:
            print("locked:", e)
    """)
    with WriterLock(tmp_path):
        t = time.monotonic()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert "locked:" in out.stdout and "another process" in out.stdout
        assert time.monotonic() - t >= 0.3
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout == ""  # free again once released


def test_lock_in_one_process_is_exclusive_and_reentrant_through_writer(tmp_path):
    ix = SearchIndex.open(tmp_path, "whoosh", create=True)
    with ix.writer():
        with pytest.raises(IndexLockedError):
            WriterLock(tmp_path, timeout=0.1).acquire()
        ix.upsert([{"report_id": 1, "text": "信息公开"}])  # nested: the held lock is reused
    assert ix.doc_count() == 1
    ix.close()
