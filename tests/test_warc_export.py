"""`xxgk export --warc / --wacz` on the demo home (the replica crawled, the examples imported).

The WARC read back with warcio (digests checked): a warcinfo first, every crawled page and file a
response (or a revisit of bytes already written) at its final URL, dated by its fetch, its payload the
archived bytes with their sha256; its request beside it; redirects and list pages; imported files as
resource records. The WACZ checked against the spec: members, datapackage.json's hashes and sizes,
the digest file, a sorted CDXJ whose offsets point at the records it names, pages.jsonl. A blob altered
on disk is left out, said, and the exit code is 1.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from cli_homes import demo_home, examples_home
from conftest import run_cli


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    home = demo_home(tmp_path_factory)
    out = tmp_path_factory.mktemp("warc")
    r = run_cli("export", "--warc", str(out / "demo.warc.gz"), "--wacz", str(out / "demo.wacz"), "--home", str(home))
    assert r.returncode == 0, r.stderr
    return home, out, r.stderr


def _records(stream) -> list[dict]:
    out = []
    for rec in ArchiveIterator(stream, check_digests=True):
        h = rec.rec_headers
        out.append({"type": rec.rec_type, "uri": h.get_header("WARC-Target-URI"), "date": h.get_header("WARC-Date"),
                    "id": h.get_header("WARC-Record-ID"), "to": h.get_header("WARC-Concurrent-To"),
                    "digest": h.get_header("WARC-Payload-Digest"), "version": h.protocol,
                    "refers": (h.get_header("WARC-Refers-To-Target-URI"), h.get_header("WARC-Refers-To-Date")),
                    "status": rec.http_headers.get_statuscode() if rec.http_headers and rec.rec_type != "request"
                    else None,
                    "location": rec.http_headers.get_header("Location") if rec.http_headers else None,
                    "payload": rec.content_stream().read() if rec.rec_type in ("response", "resource") else None})
    return out


def _digest(sha: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(sha)).decode()


def _catalog(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def test_every_fetched_file_is_a_response_with_its_provenance(exported):
    home, out, said = exported
    with open(out / "demo.warc.gz", "rb") as f:
        records = _records(f)
    assert records[0]["type"] == "warcinfo" and all(r["version"] == "WARC/1.1" for r in records)
    kinds = Counter(r["type"] for r in records)
    assert f"{len(records) - 1 - kinds['request']} records" in said  # warcinfo and requests are not counted
    with _catalog(home) as conn:
        sources = conn.execute("SELECT s.url, s.final_url, s.fetched_at, s.http_status, s.redirects_json, d.sha256 "
                               "FROM sources s JOIN documents d ON d.id = s.document_id "
                               "WHERE s.kind = 'crawl'").fetchall()
        imported = conn.execute("SELECT s.url, d.sha256 FROM sources s JOIN documents d ON d.id = s.document_id "
                                "WHERE s.kind = 'import'").fetchall()
        list_pages = dict(conn.execute(  # each list page's newest stored answer
            "SELECT url, sha256 FROM fetches WHERE document_id IS NULL AND sha256 IS NOT NULL AND error IS NULL "
            "AND not_modified = 0 AND url NOT IN (SELECT url FROM sources) ORDER BY id").fetchall())
    assert len(sources) > 100 and imported and list_pages
    by_capture = {(r["uri"], r["date"]): r for r in records if r["type"] in ("response", "revisit")}
    first_payload = {r["digest"]: r for r in records if r["type"] == "response"}
    redirected = 0
    for s in sources:
        rec = by_capture[(s["final_url"] or s["url"], s["fetched_at"].replace("+00:00", "Z"))]
        assert rec["digest"] == _digest(s["sha256"]) and rec["status"] == str(s["http_status"])
        if rec["type"] == "response":
            assert hashlib.sha256(rec["payload"]).hexdigest() == s["sha256"]
        else:  # a revisit names an earlier response of the same bytes
            first = first_payload[rec["digest"]]
            assert (first["uri"], first["date"]) == rec["refers"]
        for status, url in json.loads(s["redirects_json"] or "[]"):
            hop = by_capture[(url, rec["date"])]
            assert hop["status"] == str(status) and hop["location"]
            redirected += 1
    assert redirected and kinds["revisit"]
    answers = {r["id"] for r in records if r["type"] in ("response", "revisit") and r["status"]}
    assert {r["to"] for r in records if r["type"] == "request"} == answers  # one request for each answer
    resources = {r["uri"]: r for r in records if r["type"] == "resource"}
    revisited = {r["uri"] for r in records if r["type"] == "revisit"}
    for row in imported:
        assert row["url"].startswith("file:")
        if row["url"] in resources:
            assert hashlib.sha256(resources[row["url"]]["payload"]).hexdigest() == row["sha256"]
        else:  # bytes also crawled: named, not copied twice
            assert row["url"] in revisited
    by_uri = {r["uri"]: r for r in records if r["type"] in ("response", "revisit")}
    for url, sha in list_pages.items():
        assert by_uri[url]["digest"] == _digest(sha)


def test_wacz_is_a_valid_package(exported):
    _, out, _ = exported
    with zipfile.ZipFile(out / "demo.wacz") as z:
        names = set(z.namelist())
        assert {"archive/data.warc.gz", "indexes/index.cdx", "pages/pages.jsonl", "datapackage.json",
                "datapackage-digest.json"} <= names
        assert z.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED  # range requests read it
        package_bytes = z.read("datapackage.json")
        package = json.loads(package_bytes)
        assert package["profile"] == "data-package" and package["wacz_version"] == "1.1.1"
        assert package["created"].endswith("Z") and package["software"].startswith("xxgk")
        assert {r["path"] for r in package["resources"]} == names - {"datapackage.json", "datapackage-digest.json"}
        for res in package["resources"]:
            data = z.read(res["path"])
            assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest() and res["bytes"] == len(data)
        digest = json.loads(z.read("datapackage-digest.json"))
        assert digest == {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
        warc = z.read("archive/data.warc.gz")
        index = z.read("indexes/index.cdx").decode("utf-8").splitlines()
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").decode("utf-8").splitlines()]
    assert index == sorted(index) and len(index) > 100
    indexed = set()
    for line in index:
        key, ts, fields = line.split(" ", 2)
        entry = json.loads(fields)
        assert len(ts) == 14 and ts.isdigit() and entry["filename"] == "data.warc.gz"
        assert key.split(")/")[0].count(",") >= 1  # a SURT host: cn,gov,…
        start = int(entry["offset"])
        record = next(iter(ArchiveIterator(io.BytesIO(warc[start:start + int(entry["length"])]))))
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == entry["digest"]
        indexed.add(entry["url"])
    assert pages[0]["format"] == "json-pages-1.0" and len(pages) > 100
    for page in pages[1:]:
        assert page["url"] in indexed and page["title"] and page["ts"].endswith("Z")


def test_a_blob_altered_on_disk_is_left_out_and_said(tmp_path):
    home = examples_home(tmp_path / "home")
    with _catalog(home) as conn:
        shas = [r[0] for r in conn.execute("SELECT sha256 FROM documents ORDER BY id")]
    victim = next(home.glob(f"blobs/??/??/{shas[0]}"))
    victim.write_bytes(victim.read_bytes() + b"tampered")
    r = run_cli("export", "--warc", str(tmp_path / "x.warc.gz"), "--home", str(home))
    assert r.returncode == 1
    assert "1 archived files are missing or altered and were left out" in r.stderr and "Traceback" not in r.stderr
    with open(tmp_path / "x.warc.gz", "rb") as f:
        payloads = [hashlib.sha256(r["payload"]).hexdigest() for r in _records(f) if r["type"] == "resource"]
    assert sorted(payloads) == sorted(shas[1:])


def test_an_unwritable_output_is_one_line(tmp_path, exported):
    home, _, _ = exported
    r = run_cli("export", "--warc", str(tmp_path / "no" / "x.warc.gz"), "--home", str(home))
    assert r.returncode == 1 and r.stderr.strip().count("\n") == 0 and "no such folder" in r.stderr
