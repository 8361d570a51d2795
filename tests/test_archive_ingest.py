"""Import: each file once, records stored, bad input recorded, kill -9 and concurrency survived."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.home import Home
from archive.ingest import import_paths
from archive.errors import CatalogError
from conftest import EXAMPLES, SAMPLES, XXGK, catalog_conn, has_catalog, run_cli

YUHANG = SAMPLES / "yuhang-2017.txt"


def make_corpus(folder: Path, n: int) -> list[Path]:
    """n distinct report files (the yuhang sample with a distinct trailing line each)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = YUHANG.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        p = folder / f"report-{i:03d}.txt"
        p.write_text(text + f"\n(副本 {i})\n", encoding="utf-8")
        paths.append(p)
    return paths


def catalog_state(home_path: Path) -> dict:
    conn = catalog_conn(home_path)
    try:
        q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": q("SELECT COUNT(*) FROM documents"),
            "distinct_sha": q("SELECT COUNT(DISTINCT sha256) FROM documents"),
            "sources": q("SELECT COUNT(*) FROM sources"),
            "pending": q("SELECT COUNT(*) FROM documents WHERE status = 'pending'"),
            "parsed": q("SELECT COUNT(*) FROM documents WHERE status = 'parsed'"),
            "reports": q("SELECT COUNT(*) FROM reports"),
            "reports_without_metrics": q(
                "SELECT COUNT(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM metrics m WHERE m.report_id = r.id)"),
            "parsed_without_report": q(
                "SELECT COUNT(*) FROM documents d WHERE status = 'parsed' AND NOT EXISTS "
                "(SELECT 1 FROM reports r WHERE r.document_id = d.id)"),
        }
    finally:
        conn.close()


def test_import_stores_once_and_parses(home: Home, tmp_path: Path):
    src = tmp_path / "in"
    make_corpus(src, 3)
    s1 = import_paths(home, [src])
    assert s1.counts == {"new": 3, "already_archived": 0, "skipped": 0, "parsed": 3, "not_report": 0, "failed": 0}
    s2 = import_paths(home, [src, src / "report-000.txt"])
    assert s2.counts["new"] == 0 and s2.counts["already_archived"] == 4 and s2.counts["parsed"] == 0
    assert all("already archived" in o.message for o in s2.outcomes)
    st = catalog_state(home.path)
    assert st["documents"] == 3 and st["reports"] == 3 and st["sources"] == 3
    rep = home.catalog.get_report(s1.outcomes[0].report_id)
    assert rep["record"]["metrics"]["applications.new.total"] == 1984
    assert rep["record"]["source"]["sha256"] == rep["sha256"]
    assert rep["sources"][0]["url"].startswith("file://")


def test_bad_inputs_each_give_one_clear_line_and_the_run_goes_on(tmp_path: Path, home_path: Path):
    src = tmp_path / "in"
    make_corpus(src, 1)
    (src / "empty.txt").write_bytes(b"")
    (src / "big.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 50_000)
    os.symlink(src / "gone.txt", src / "dangling.txt")
    nonreports = tmp_path / "nonreports"
    nonreports.mkdir()
    (nonreports / "notice.html").write_text(
        "<html><head><title>关于开展消防安全检查的通知</title></head><body><p>各单位：请于本周五前完成消防安全自查。</p></body></html>",
        encoding="utf-8")
    (nonreports / "junk.bin").write_bytes(os.urandom(5000))
    r = run_cli("import", str(src), str(nonreports), str(tmp_path / "does-not-exist"),
                "--home", str(home_path), "--max-file-size", "20KB")
    assert r.returncode == 1, r.stderr
    err = r.stderr
    assert "empty file" in err
    assert "over the size limit" in err
    assert "does-not-exist" in err and "no such file" in err
    assert "dangling.txt" in err
    assert "notice.html" in err and "not a report" in err
    assert "junk.bin" in err
    assert "Traceback" not in err + r.stdout
    # junk is no document: skipped, and said so (issue 14: import only documents, told by content)
    assert r.stdout.strip() == ("2 new, 0 already archived, 1 parsed, 1 not a report, 4 failed, "
                                "1 skipped (not documents: listed above)")
    st = catalog_state(home_path)
    assert st["reports"] == 1 and st["pending"] == 0
    conn = catalog_conn(home_path)
    reasons = {row[0] for row in conn.execute("SELECT reason FROM errors")}
    assert {"empty", "too_large", "missing", "unreadable"} <= reasons


@pytest.mark.slow
def test_kill_9_mid_import_then_the_next_import_completes(tmp_path: Path, home_path: Path):
    src = tmp_path / "in"
    n = 120
    make_corpus(src, n)
    proc = subprocess.Popen([str(XXGK), "import", str(src), "--home", str(home_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.05)
        if has_catalog(home_path):
            try:
                if catalog_state(home_path)["documents"] >= 10:
                    break
            except (sqlite3.OperationalError, CatalogError):
                pass
        if proc.poll() is not None:
            break
    assert proc.poll() is None, "import finished before it could be killed: make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    mid = catalog_state(home_path)
    assert 0 < mid["documents"] < n
    assert mid["reports_without_metrics"] == 0 and mid["parsed_without_report"] == 0  # no half record

    r = run_cli("import", str(src), "--home", str(home_path))
    assert r.returncode == 0, r.stderr
    end = catalog_state(home_path)
    assert end["documents"] == end["distinct_sha"] == end["sources"] == n
    assert end["pending"] == 0 and end["parsed"] == n and end["reports"] == n
    assert end["reports_without_metrics"] == 0 and end["parsed_without_report"] == 0


@pytest.mark.slow
def test_two_imports_at_once_on_one_home(tmp_path: Path, home_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    make_corpus(a, 40)
    shutil.copytree(a, b)  # the same bytes from two places: one document, two sources each
    extra = make_corpus(tmp_path / "c", 45)[40:]
    for p in extra:
        shutil.copy(p, b / p.name)
    procs = [subprocess.Popen([str(XXGK), "import", str(d), "--home", str(home_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for d in (a, b)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    st = catalog_state(home_path)
    assert st["documents"] == st["distinct_sha"] == 45
    assert st["sources"] == 85
    assert st["reports"] == 45 and st["pending"] == 0


def test_reparse_replaces_records_of_an_older_parser(home: Home, tmp_path: Path):
    make_corpus(tmp_path / "in", 2)
    import_paths(home, [tmp_path / "in"])
    ids = [r["id"] for r in home.catalog.list_reports()]
    with home.catalog.write() as c:
        c.execute("UPDATE documents SET parser_version = 'old'")
        c.execute("UPDATE reports SET parser_version = 'old'")
    from archive.ingest import reparse

    assert reparse(home) == {"parsed": 2, "not_report": 0, "failed": 0}
    assert reparse(home) == {"parsed": 0, "not_report": 0, "failed": 0}
    assert [r["id"] for r in home.catalog.list_reports()] == ids  # ids survive a re-parse
    assert reparse(home, all_documents=True)["parsed"] == 2


def test_a_page_without_a_date_takes_the_list_date_with_a_finding(home: Home):
    from archive.ingest import parse_and_store
    from archive.blobs import sha256_bytes

    text = YUHANG.read_text(encoding="utf-8").replace("发布时间:2018-03-29\n", "")
    data = text.encode("utf-8")
    sha, _ = home.blobs.put_bytes(data)
    doc, _ = home.catalog.add_document(sha, len(data), "text/plain", source={
        "kind": "crawl", "url": "http://www.yuhang.gov.cn/art/2018/3/29/art_1_1.html",
        "fetched_at": "2026-01-02T03:04:05+00:00", "referrer": "http://www.yuhang.gov.cn/col/col1/index.html",
        "list_date": "2018-03-30"})
    status, _, rid = parse_and_store(home, doc, "http://www.yuhang.gov.cn/art/2018/3/29/art_1_1.html")
    assert status == "parsed" and sha == sha256_bytes(data)
    record = home.catalog.get_report(rid)["record"]
    assert record["published"] == "2018-03-30"
    assert record["source"]["fetched_at"] == "2026-01-02T03:04:05+00:00"
    assert [f["rule"] for f in record["findings"] if f["rule"] == "published.from_list"] == ["published.from_list"]


def test_a_crawled_legacy_page_takes_its_attached_appendix_in_either_order(home: Home):
    """The page first and its 附表 later (the usual crawl order), and the other way round."""
    from archive.ingest import parse_and_store
    from test_parser_legacy_appendix import NATIONAL_EXPECTED
    from test_parser_pipeline_attachments import APPENDIX_URL, DOCX, appendix_docx

    page_url = "http://www.sanya.gov.cn/htqsite/t20160315_1.html"
    page = (SAMPLES / "hainan-haitang-2015.txt").read_bytes()

    def store(data: bytes, media_type: str, url: str, referrer: str | None):
        sha, _ = home.blobs.put_bytes(data)
        doc, _ = home.catalog.add_document(sha, len(data), media_type, source={
            "kind": "crawl", "url": url, "referrer": referrer})
        return parse_and_store(home, doc, url)

    status, _, rid = store(page, "text/plain", page_url, "http://www.sanya.gov.cn/htqsite/list.html")
    assert status == "parsed"
    assert home.catalog.get_report(rid)["record"]["metrics"]["proactive.items"] == 23
    assert store(appendix_docx(), DOCX, APPENDIX_URL, page_url)[0] == "not_report"
    record = home.catalog.get_report(rid)["record"]  # the page was re-read with its appendix
    for key, value in NATIONAL_EXPECTED.items():
        assert record["metrics"][key] == value, key
    assert record["evidence"]["review.total"]["snippet"] == f"附件 {APPENDIX_URL}"
    # re-parsing the page (a parser upgrade) finds the attachment again
    from archive.ingest import reparse

    reparse(home, all_documents=True)
    again = home.catalog.get_report(rid)["record"]
    assert again["metrics"] == record["metrics"]
