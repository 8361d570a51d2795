"""`xxgk import FILE.warc.gz` (and .warc, .wacz) with WARC files written by real tools.

- wget ``--warc-file`` crawling a column of the replica on loopback (through wget's proxy setting, so
  the records carry the sites' real host names): every report of the column archived with its URL,
  fetch date, status, headers and referrer, parsed to the replica's true values;
- warcio's ``capture_http`` recording urllib against a loopback server that answers gzip-encoded and
  chunked, with a redirect and a 404, plus a revisit record and a Browsertrix-like ``urn:text:``
  resource appended: payloads stored as served (decoded), the redirect chain kept, the revisit
  resolved to its payload, the 404 and the urn: by-product passed over;
- a truncated WARC (plain and gzipped): one clear failed outcome, every record before the cut kept,
  and the whole file imported afterwards completes the archive;
- a WACZ written by `xxgk export --wacz` imported into a fresh home: the same documents, URLs, fetch
  times and statuses, a file imported from disk again an import at its ``file:`` URI.
"""
from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import json
import shutil
import sqlite3
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import EXAMPLES, run_cli

REPORT = (EXAMPLES / "yuhang-2017.txt").read_bytes()
OTHER = (EXAMPLES / "anhui-2014.txt").read_bytes()


def _catalog(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _sources(home: Path) -> dict[str, sqlite3.Row]:
    with _catalog(home) as conn:
        return {r["final_url"] or r["url"]: r for r in conn.execute(
            "SELECT s.*, d.sha256, d.status FROM sources s JOIN documents d ON d.id = s.document_id")}


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers as real servers do: gzip on the wire, chunked, a redirect, a 404."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/old.txt":
            self._send(301, b"", [("Location", "/report.txt")])
        elif self.path == "/report.txt":
            body = gzip.compress(REPORT)
            self.send_response(200)
            for name, value in (("Content-Type", "text/plain; charset=utf-8"), ("Content-Encoding", "gzip"),
                                ("Transfer-Encoding", "chunked"), ("ETag", '"r1"')):
                self.send_header(name, value)
            self.end_headers()
            for i in range(0, len(body), 700):
                part = body[i:i + 700]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/other.txt":
            self._send(200, OTHER, [("Content-Type", "text/plain; charset=utf-8")])
        else:
            self._send(404, b"not found", [("Content-Type", "text/plain")])

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers + [("Content-Length", str(len(body)))]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def captured(tmp_path_factory) -> Path:
    """A WARC written by warcio's capture_http while urllib fetched from a loopback server."""
    from warcio.capture_http import capture_http
    from warcio.warcwriter import WARCWriter

    folder = tmp_path_factory.mktemp("capture")
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    path = folder / "capture.warc.gz"
    try:
        with capture_http(str(path)):
            for name in ("old.txt", "other.txt", "missing.txt"):
                try:
                    urllib.request.urlopen(f"{base}/{name}", timeout=10).read()
                except urllib.error.HTTPError:
                    pass
    finally:
        srv.shutdown()
        srv.server_close()
    with open(path, "rb") as f:  # the capture of other.txt, seen again a day later, as a revisit
        first = next(r for r in ArchiveIterator(f) if r.rec_type == "response"
                     and r.rec_headers.get_header("WARC-Target-URI").endswith("/other.txt"))
        digest = first.rec_headers.get_header("WARC-Payload-Digest")
        date = first.rec_headers.get_header("WARC-Date")
    with open(path, "ab") as f:
        w = WARCWriter(f, gzip=True)
        w.write_record(w.create_revisit_record(f"{base}/other-again.txt", digest, f"{base}/other.txt", date,
                                               warc_headers_dict={"WARC-Date": "2030-01-02T03:04:05Z"}))
        # a crawler's by-product (Browsertrix keeps each page's text so): no document of its own
        w.write_record(w.create_warc_record(f"urn:text:{base}/other.txt", "resource", payload=io.BytesIO(OTHER),
                                            length=len(OTHER), warc_content_type="text/plain"))
    return path


def test_warcio_capture_archived_as_served_with_provenance(captured, tmp_path):
    home = tmp_path / "home"
    r = run_cli("import", str(captured), "--home", str(home), "--no-index", "--json")
    assert r.returncode == 0, r.stderr
    counts = json.loads(r.stdout)["counts"]
    assert counts["new"] == 2 and counts["parsed"] == 2 and counts["skipped"] == 1  # the 404
    base = next(u for u in _sources(home) if u.endswith("/report.txt")).rsplit("/", 1)[0]
    sources = _sources(home)
    report = sources[f"{base}/report.txt"]
    assert report["sha256"] == hashlib.sha256(REPORT).hexdigest()  # de-chunked and decoded
    assert report["url"] == f"{base}/old.txt" and json.loads(report["redirects_json"]) == [[301, f"{base}/old.txt"]]
    headers = json.loads(report["headers_json"])
    assert headers["content-encoding"] == "gzip" and headers["etag"] == '"r1"' and report["etag"] == '"r1"'
    assert report["kind"] == "crawl" and report["http_status"] == 200 and report["status"] == "parsed"
    again = sources[f"{base}/other-again.txt"]
    assert again["sha256"] == hashlib.sha256(OTHER).hexdigest() and again["fetched_at"] == "2030-01-02T03:04:05+00:00"
    r = run_cli("import", str(captured), "--home", str(home), "--no-index", "--json")  # again: nothing new
    assert r.returncode == 0 and json.loads(r.stdout)["counts"]["new"] == 0
    with _catalog(home) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2


def _cut(path: Path, dest: Path, *, gz: bool) -> Path:
    """The WARC cut in the middle of its last response: inside that record's gzip member as written
    (``gz``), or inside its payload once uncompressed."""
    if gz:
        with open(path, "rb") as f:
            it = ArchiveIterator(f)
            for rec in it:
                it.read_to_end(rec)
                if rec.rec_type == "response":
                    end = it.get_record_offset() + it.get_record_length() // 2
        dest.write_bytes(path.read_bytes()[:end])
        return dest
    with open(path, "rb") as f:
        raw = gzip.decompress(f.read())
    dest.write_bytes(raw[: raw.rindex(b" 200 OK\r\n") + 300])
    return dest


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_is_one_clear_error_and_keeps_what_was_complete(captured, tmp_path, gz):
    cut = _cut(captured, tmp_path / ("cut.warc.gz" if gz else "cut.warc"), gz=gz)
    home = tmp_path / "home"
    r = run_cli("import", str(cut), "--home", str(home), "--no-index")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    failed = [line for line in r.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1 and "records before it were imported" in failed[0], r.stderr
    kept = _sources(home)
    assert any(u.endswith("/report.txt") for u in kept)  # the first capture was whole
    r = run_cli("import", str(captured), "--home", str(home), "--no-index")  # the whole file completes it
    assert r.returncode == 0, r.stderr
    assert {u.rsplit("/", 1)[1] for u in _sources(home)} == {"report.txt", "other.txt", "other-again.txt"}


@pytest.fixture(scope="module")
def wget_warc(tmp_path_factory) -> tuple[Path, list]:
    """wget --warc-file crawling one column of the replica (its real host name, by wget's proxy)."""
    if shutil.which("wget") is None:
        pytest.skip("wget is not installed (Debian's wget: apt-get install -y wget)")
    from replica import ReplicaServer

    folder = tmp_path_factory.mktemp("wget")
    with ReplicaServer(seed=0, delays=0, throttle=False) as rep:
        site = rep.info.sites["renhe"]
        proc = subprocess.run(
            ["wget", "--no-verbose", "-e", "use_proxy=on", "-e", f"http_proxy=http://127.0.0.1:{rep.info.port}",
             "-r", "-l", "2", "--no-parent", "-P", str(folder / "mirror"), f"--warc-file={folder / 'renhe'}",
             "--timeout=20", "--tries=2", site.entry_url],
            capture_output=True, text=True, timeout=300)
        assert (folder / "renhe.warc.gz").exists(), proc.stderr[-2000:]
        return folder / "renhe.warc.gz", rep.truth.expected("renhe")


def test_wget_warc_reports_archived_with_their_provenance(wget_warc, tmp_path):
    warc, truth = wget_warc
    home = tmp_path / "home"
    r = run_cli("import", str(warc), "--home", str(home), "--no-index")
    assert r.returncode == 0, r.stderr
    with _catalog(home) as conn:
        rows = conn.execute("SELECT r.year, r.url, s.referrer, s.http_status, s.headers_json, s.fetched_at "
                            "FROM reports r JOIN sources s ON s.document_id = r.document_id").fetchall()
        values = {(y, k): v for y, k, v in conn.execute(
            "SELECT r.year, m.key, m.value FROM metrics m JOIN reports r ON r.id = m.report_id")}
    assert truth and {r["year"] for r in rows} == {t.year for t in truth}
    urls = {u for t in truth for u in t.urls()}
    for row in rows:
        assert row["url"] in urls and row["http_status"] == 200 and row["referrer"].startswith("http://")
        assert json.loads(row["headers_json"])["content-type"].startswith("text/html") and row["fetched_at"]
    for t in truth:
        for key in ("applications.new.total", "review.total"):
            if key in t.metrics:
                assert values[(t.year, key)] == t.metrics[key]


def test_wacz_round_trip(captured, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    local = EXAMPLES / "hainan-haitang-2015.txt"  # a file from disk: a resource record at its file: URI
    assert run_cli("import", str(captured), str(local), "--home", str(first), "--no-index").returncode == 0
    r = run_cli("export", "--wacz", str(tmp_path / "a.wacz"), "--home", str(first))
    assert r.returncode == 0, r.stderr
    r = run_cli("import", str(tmp_path / "a.wacz"), "--home", str(second), "--no-index")
    assert r.returncode == 0, r.stderr

    def seen(home: Path) -> set:
        return {(url, s["kind"], s["sha256"], s["fetched_at"], s["http_status"]) for url, s in _sources(home).items()}

    assert seen(second) == seen(first) and len(seen(first)) == 4
    assert (local.resolve().as_uri(), "import") in {row[:2] for row in seen(second)}


def test_a_file_that_only_looks_like_warc_is_imported_as_what_it_is(tmp_path):
    fake = tmp_path / "notes.warc.gz"
    fake.write_bytes(gzip.compress("这不是 WARC 文件".encode()))
    r = run_cli("import", str(fake), "--home", str(tmp_path / "home"), "--no-index")
    assert "skipped" in r.stderr and "Traceback" not in r.stderr
    assert io.BytesIO(fake.read_bytes()).read(2) == b"\x1f\x8b"


def test_import_killed_midway_is_completed_by_the_same_command(wget_warc, tmp_path):
    import os
    import signal
    import time

    from conftest import XXGK

    warc, _ = wget_warc
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    assert run_cli("import", str(warc), "--home", str(clean), "--no-index").returncode == 0
    proc = subprocess.Popen([str(XXGK), "import", str(warc), "--home", str(killed), "--no-index"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with _catalog(killed) as conn:
                    if conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] >= 2:
                        break
            except sqlite3.Error:  # not made yet
                pass
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the import and its parse workers, mid-way
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    r = run_cli("import", str(warc), "--home", str(killed), "--no-index")
    assert r.returncode == 0, r.stderr

    def state(home: Path) -> set:
        with _catalog(home) as conn:
            return set(conn.execute("SELECT d.sha256, d.status, s.url, s.fetched_at, r.year FROM documents d "
                                    "JOIN sources s ON s.document_id = d.id "
                                    "LEFT JOIN reports r ON r.document_id = d.id"))

    assert state(killed) == state(clean) and len(state(clean)) >= 4
