"""Fixity: `xxgk verify` finds an altered and a deleted blob; a blob read for parsing is hashed,
no record is made from bytes its sha256 does not name, and a deleted blob is an error row."""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest import catalog_conn, run_cli  # noqa: E402
from fault_files import report_text  # noqa: E402


def _home_with(tmp_path: Path, n: int = 3) -> tuple[Path, Path]:
    src, home = tmp_path / "in", tmp_path / "home"
    src.mkdir()
    for i in range(n):
        (src / f"r{i}.txt").write_text(report_text(i), encoding="utf-8")
    assert run_cli("import", str(src), "--home", str(home)).returncode == 0
    return src, home


def _blob(home: Path, doc_id: int) -> Path:
    conn = catalog_conn(home)
    sha = conn.execute("SELECT sha256 FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    return home / "blobs" / sha[:2] / sha[2:4] / sha


def test_verify_finds_an_altered_and_a_deleted_blob_and_reparse_makes_no_record_of_them(tmp_path: Path):
    src, home = _home_with(tmp_path)
    assert run_cli("verify", "--home", str(home)).returncode == 0
    altered, deleted = _blob(home, 2), _blob(home, 3)
    data = bytearray(altered.read_bytes())
    data[data.index("1984".encode())] = ord("9")  # 1984 new requests become 9984: same size, new bytes
    altered.write_bytes(bytes(data))
    deleted.unlink()
    conn = catalog_conn(home)
    before = conn.execute("SELECT record_json FROM reports WHERE document_id = 2").fetchone()[0]

    r = run_cli("verify", "--home", str(home), "--json")
    assert r.returncode == 1
    found = {p["status"]: p for p in json.loads(r.stdout)["problems"]}
    assert found["altered"]["sha256"] == altered.name and "document 2" in found["altered"]["what"]
    assert found["missing"]["sha256"] == deleted.name and "r2.txt" in found["missing"]["what"]

    r = run_cli("reparse", "--all", "--home", str(home))
    assert "Traceback" not in r.stderr and r.returncode == 0, r.stderr
    assert "1 parsed, 0 not a report, 2 failed" in r.stdout
    reasons = {row[0] for row in conn.execute("SELECT reason FROM errors WHERE stage = 'fixity'")}
    assert reasons == {"blob_altered", "blob_missing"}
    # the record made from the good bytes stays; none was made from the altered ones
    assert conn.execute("SELECT record_json FROM reports WHERE document_id = 2").fetchone()[0] == before
    assert "9984" not in before
    assert not altered.exists() and list(altered.parent.glob(f".altered-{altered.name}-*"))

    # importing the files again restores both blobs, and everything checks out
    assert run_cli("import", str(src), "--home", str(home)).returncode == 0
    assert run_cli("verify", "--home", str(home)).returncode == 0
    assert run_cli("reparse", "--all", "--home", str(home)).stdout.startswith("3 parsed")


def test_a_deleted_attachment_is_read_without_and_said(tmp_path: Path):
    from archive.blobs import sha256_bytes
    from archive.home import Home
    from archive.ingest import _attachments_of

    with Home.open(tmp_path / "home") as h:
        page, att = b"page", b"attachment bytes"
        for data, url, ref in ((page, "http://x.gov.cn/p.html", None),
                               (att, "http://x.gov.cn/a.doc", "http://x.gov.cn/p.html")):
            sha, _ = h.blobs.put_bytes(data)
            h.catalog.add_document(sha, len(data), "text/plain", source={"kind": "crawl", "url": url, "referrer": ref})
        with h.catalog.write() as c:
            c.execute("UPDATE documents SET status = 'not_report' WHERE id = 2")
        assert len(_attachments_of(h, 1)) == 1
        h.blobs.path_for(sha256_bytes(att)).unlink()
        assert _attachments_of(h, 1) == []
        assert h.catalog.errors()[0]["reason"] == "blob_missing"


def test_a_recrawl_restores_deleted_blobs(tmp_path: Path):
    from conftest import XXGK
    from fixtures.fault_sites import YUHANG_HOST, SpoofSites, crawl_args, serve

    home = tmp_path / "home"
    with serve(SpoofSites) as port:
        args = crawl_args(XXGK, home, port, YUHANG_HOST)[1:]
        assert run_cli(*args).returncode == 0
        blobs = [p for p in (home / "blobs").glob("??/??/*") if not p.name.startswith(".")]
        assert len(blobs) == 2  # the list page and the report
        for p in blobs:
            p.unlink()
        assert run_cli("verify", "--home", str(home)).returncode == 1
        assert run_cli(*args).returncode == 0  # asked again unconditionally, stored again
    r = run_cli("verify", "--home", str(home))
    assert r.returncode == 0 and "0 missing" in r.stdout, r.stdout


def test_the_blobs_named_and_the_orphans_are_read_a_chunk_at_a_time(tmp_path: Path):
    """`verify`, `status --orphans` and a backup's manifest walk the catalog's blobs as a stream and
    look blobs/ up in the catalog a chunk at a time (a national archive's names were held, ~150 bytes
    each): every document once, every list page of the log once (a page that is also a document is
    a document), and the orphans counted as a set of every name counts them, whatever the chunk."""
    from archive.home import Home
    from archive.status import count_orphans
    from archive.verify import count_named_blobs, named_blobs

    with Home.open(tmp_path / "home") as h:
        docs = [h.blobs.put_bytes(f"document {i}".encode())[0] for i in range(3)]
        for i, sha in enumerate(docs):
            h.catalog.add_document(sha, 10, "text/plain", source={"kind": "crawl", "url": f"http://x.gov.cn/{i}.html"})
        pages = [h.blobs.put_bytes(f"list page {i}".encode())[0] for i in range(4)]
        orphans = [h.blobs.put_bytes(f"left by a kill {i}".encode())[0] for i in range(5)]
        log = [(p, f"http://x.gov.cn/list_{i}.html", None) for i, p in enumerate(pages)]
        log += [(pages[0], "http://x.gov.cn/again.html", None), (docs[1], "http://x.gov.cn/1.html", 2)]
        log += [(docs[2], "http://x.gov.cn/same-bytes.html", None)]  # a page whose bytes are a document's
        with h.catalog.write() as c:
            c.executemany("INSERT INTO fetches(sha256, url, document_id, at) VALUES (?, ?, ?, '2026-01-01')", log)
        conn = h.catalog.conn
        named = list(named_blobs(conn))
        assert [sha for sha, _ in named] == docs + sorted(pages) and count_named_blobs(conn) == len(named)
        assert dict(named)[pages[0]] == "list page http://x.gov.cn/again.html"  # its first URL
        assert dict(named)[docs[0]] == "document 1 (http://x.gov.cn/0.html)"
        for chunk in (1, 2, 3, 900):
            assert count_orphans(h.blobs, conn, chunk=chunk) == len(orphans)
    r = run_cli("verify", "--home", str(tmp_path / "home"), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["counts"] == {"checked": 7, "missing": 0, "altered": 0,
                                                                    "orphans": 5}
