"""The archive as a WARC/1.1 file: ``xxgk export --warc FILE.warc.gz``.

    export_warc(home, path) -> WarcSummary           (written atomically: a kill leaves no half file)
    write_warc(home, out, filename) -> WarcSummary   (any binary stream; ``archive.wacz`` uses it)

Records, after a ``warcinfo`` that says what the file holds:

- every crawled page and file (a ``sources`` row of kind ``crawl``): a ``response`` at the URL that
  answered (final URL) with its status and the response headers the crawler keeps, dated by its fetch
  time, and the ``request`` it answered (``WARC-Concurrent-To``); each redirect hop before it as a
  response with its status and ``Location``;
- the list pages the crawl read (``fetches`` rows of no document), with the status, ETag and
  Last-Modified kept for them and the media type their bytes show;
- files imported from disk: ``resource`` records at their ``file:`` URI.

A payload already written is a ``revisit`` (profile identical-payload-digest) naming the first
capture of those bytes. Digests are sha256 (``WARC-Payload-Digest`` of the archived bytes: the
catalog's own hash, base32 as warcio writes them; ``WARC-Block-Digest`` too). The archived bytes are
the payload as served to a browser, decoded, so ``Content-Encoding``/``Transfer-Encoding`` are
kept as ``X-Archive-Orig-*`` and ``Content-Length`` is the payload's; what the catalog does not keep
(request headers other than Host and Referer, response headers outside the crawler's kept list) is
not invented. Blobs are streamed (bounded memory) and re-hashed on the way: a missing or altered
blob is left out and counted, never written as other bytes.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from .catalog import now_iso
from .document_kinds import kind_of_bytes
from .errors import BlobError, InputError
from .home import Home

__all__ = ["WarcSummary", "export_warc", "write_warc", "warc_date", "payload_digest"]

SOFTWARE = "xxgk"
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
            307: "Temporary Redirect", 308: "Permanent Redirect"}
# the archived bytes are decoded: these describe a transfer that is not the stored payload
_TRANSFER_HEADERS = ("content-encoding", "transfer-encoding", "content-length")
_HEAD = 4096


@dataclass
class WarcSummary:
    responses: int = 0
    revisits: int = 0
    redirects: int = 0
    list_pages: int = 0
    resources: int = 0
    missing: list[str] = field(default_factory=list)  # sha256 of blobs missing or altered
    captures: list[dict] = field(default_factory=list)  # url, date, title (pages of a WACZ)

    @property
    def records(self) -> int:
        return self.responses + self.revisits + self.redirects + self.list_pages + self.resources


def warc_date(iso: str | None) -> str:
    """The catalog's ISO time ('2024-01-02T03:04:05+00:00') as a WARC-Date ('2024-01-02T03:04:05Z')."""
    text = (iso or now_iso()).replace("+00:00", "Z")
    return text if text.endswith("Z") else text + "Z"


def payload_digest(sha256_hex: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(sha256_hex)).decode("ascii")


def export_warc(home: Home, path: Path) -> WarcSummary:
    from .compare.writers import atomic_output

    try:
        with atomic_output(path) as tmp, open(tmp, "wb") as out:
            return write_warc(home, out, path.name, gzip=path.name.endswith(".gz"))
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}") from e


def _writer(out: BinaryIO, gzip: bool):
    from warcio.utils import Digester
    from warcio.warcwriter import WARCWriter

    class Sha256WARCWriter(WARCWriter):
        @staticmethod
        def _create_digester():
            return Digester("sha256")

    return Sha256WARCWriter(out, gzip=gzip, warc_version="1.1")


def write_warc(home: Home, out: BinaryIO, filename: str, *, gzip: bool = True) -> WarcSummary:
    from importlib.metadata import version

    writer = _writer(out, gzip)
    summary = WarcSummary()
    writer.write_record(writer.create_warcinfo_record(filename, {
        "software": f"{SOFTWARE} {version('xxgk')} (warcio {version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "description": "政府信息公开工作年度报告: every page and file an xxgk archive fetched or imported",
        "http-header-note": "payloads are the bytes as decoded; Content-Encoding and Transfer-Encoding kept as "
                            "X-Archive-Orig-*; only the response headers the crawler keeps",
        "isPartOf": home.path.name,
    }))
    first: dict[str, tuple[str, str, str]] = {}  # sha256 -> (uri, WARC-Date, media type) of its first capture
    written_redirects: set[tuple[str, str]] = set()
    conn = home.catalog.conn
    for src in conn.execute(_CRAWL_SOURCES):
        date = warc_date(src["fetched_at"])
        hops = json.loads(src["redirects_json"] or "[]")
        target = src["final_url"] or src["url"]
        for i, (status, url) in enumerate(hops):
            following = hops[i + 1][1] if i + 1 < len(hops) else target
            if (url, date) not in written_redirects:
                written_redirects.add((url, date))
                _write_exchange(writer, url, date, int(status), {"location": following}, None, src["referrer"])
                summary.redirects += 1
        headers = json.loads(src["headers_json"] or "{}")
        headers.setdefault("content-type", src["media_type"] or "application/octet-stream")
        if _write_capture(home, writer, target, date, src["http_status"] or 200, headers, src["sha256"],
                          src["size"], src["referrer"], first, summary):
            summary.captures.append({"url": target, "ts": date, "title": src["title"], "report": src["report_id"]})
    for row in conn.execute(_LIST_PAGES):
        date = warc_date(row["at"])
        headers = {k: v for k, v in (("etag", row["etag"]), ("last-modified", row["last_modified"])) if v}
        _write_capture(home, writer, row["final_url"] or row["url"], date, row["status"] or 200, headers,
                       row["sha256"], None, None, first, summary, list_page=True)
    for src in conn.execute(_IMPORTED):
        _write_resource(home, writer, src, first, summary)
    return summary


# what each kind of record is written from, in fetch order
_CRAWL_SOURCES = (
    "SELECT s.url, s.final_url, s.http_status, s.headers_json, s.redirects_json, s.fetched_at, s.referrer, "
    "d.sha256, d.size, d.media_type, r.id AS report_id, r.title FROM sources s "
    "JOIN documents d ON d.id = s.document_id LEFT JOIN reports r ON r.document_id = d.id "
    "WHERE s.kind = 'crawl' ORDER BY s.fetched_at, s.id")
# answers the crawl stored that are no document (list pages), each URL's newest once
_LIST_PAGES = (
    "SELECT f.url, f.final_url, f.status, f.etag, f.last_modified, f.sha256, f.at FROM fetches f "
    "WHERE f.document_id IS NULL AND f.sha256 IS NOT NULL AND f.error IS NULL AND f.not_modified = 0 "
    "AND f.id = (SELECT MAX(g.id) FROM fetches g WHERE g.url = f.url AND g.sha256 IS NOT NULL "
    "AND g.error IS NULL AND g.not_modified = 0) "
    "AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.kind = 'crawl' AND s.url = f.url) ORDER BY f.at, f.id")
_IMPORTED = (
    "SELECT s.url, s.fetched_at, d.sha256, d.size, d.media_type FROM sources s "
    "JOIN documents d ON d.id = s.document_id WHERE s.kind = 'import' ORDER BY s.fetched_at, s.id")


def _http_headers(status: int, headers: dict[str, str], size: int | None):
    from warcio.statusandheaders import StatusAndHeaders

    pairs: list[tuple[str, str]] = []
    for name, value in headers.items():
        for one in str(value).split("\n"):  # the crawler joins repeated headers (Set-Cookie) with newlines
            if name in _TRANSFER_HEADERS:
                if name != "content-length":
                    pairs.append((f"X-Archive-Orig-{name.title()}", one))
            else:
                pairs.append((name.title(), one))
    if size is not None:
        pairs.append(("Content-Length", str(size)))
    return StatusAndHeaders(f"{status} {_REASONS.get(status, 'Status')}", pairs, protocol="HTTP/1.1")


def _request_headers(url: str, referrer: str | None):
    from warcio.statusandheaders import StatusAndHeaders

    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    pairs = [("Host", parts.netloc)] + ([("Referer", referrer)] if referrer else [])
    return StatusAndHeaders(f"GET {target} HTTP/1.1", pairs, is_http_request=True)


def _write_exchange(writer, url: str, date: str, status: int, headers: dict[str, str], payload: BinaryIO | None,
                    referrer: str | None, size: int | None = 0, digest: str | None = None,
                    refers: tuple[str, str] | None = None) -> None:
    """A response (``payload``), a revisit (``refers``: the first capture of these bytes) or a bodiless
    answer (a redirect), with the request it answered."""
    http = _http_headers(status, headers, size)
    if refers:
        response = writer.create_revisit_record(url, digest, *refers, http_headers=http,
                                                warc_headers_dict={"WARC-Date": date})
    else:
        warc_headers = {"WARC-Date": date, **({"WARC-Payload-Digest": digest} if digest else {})}
        response = writer.create_warc_record(url, "response", payload=payload or io.BytesIO(b""),
                                             length=size or 0, http_headers=http, warc_headers_dict=warc_headers)
    request = writer.create_warc_record(url, "request", http_headers=_request_headers(url, referrer),
                                        warc_headers_dict={"WARC-Date": date})
    writer.write_request_response_pair(request, response)


def _write_capture(home: Home, writer, url: str, date: str, status: int, headers: dict, sha: str, size: int | None,
                   referrer: str | None, first: dict, summary: WarcSummary, *, list_page: bool = False) -> bool:
    """A response (or a revisit of bytes already written); False when its blob is missing or altered."""
    digest = payload_digest(sha)
    if sha in first:
        uri, when, media_type = first[sha]
        headers = {"content-type": media_type, **headers}
        _write_exchange(writer, url, date, status, headers, None, referrer, size, digest, refers=(uri, when))
        summary.revisits += 1
        return True
    try:
        with _VerifiedBlob.open(home, sha) as blob:
            if list_page:
                headers = {**headers, "content-type": _media_type(blob.head)}
            _write_exchange(writer, url, date, status, headers, blob, referrer, blob.size, digest)
    except BlobError:
        summary.missing.append(sha)
        return False
    first[sha] = (url, date, headers.get("content-type") or "application/octet-stream")
    if list_page:
        summary.list_pages += 1
    else:
        summary.responses += 1
    return True


def _write_resource(home: Home, writer, src: sqlite3.Row, first: dict, summary: WarcSummary) -> None:
    date, sha = warc_date(src["fetched_at"]), src["sha256"]
    if sha in first:  # the same bytes as a web capture or another file: named, not copied
        record = writer.create_revisit_record(src["url"], payload_digest(sha), *first[sha][:2],
                                              warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)
        summary.revisits += 1
        return
    try:
        with _VerifiedBlob.open(home, sha) as blob:
            record = writer.create_warc_record(
                src["url"], "resource", payload=blob, length=blob.size,
                warc_content_type=src["media_type"] or "application/octet-stream",
                warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": payload_digest(sha)})
            writer.write_record(record)
    except BlobError:
        summary.missing.append(sha)
        return
    first[sha] = (src["url"], date, src["media_type"] or "application/octet-stream")
    summary.resources += 1


def _media_type(head: bytes) -> str:
    from scraper.sniff import sniff_media_type

    kind = kind_of_bytes(head)
    return kind.media_type or sniff_media_type(head)


class _VerifiedBlob(io.RawIOBase):
    """A blob read as a stream, hashed as warcio reads it: its first full pass (the block digest, before
    anything is written) ends in a check, so altered bytes raise BlobError instead of being archived."""

    def __init__(self, fh: BinaryIO, sha256: str, size: int):
        self._fh, self._sha, self.size = fh, sha256, size
        self._hash, self._pos, self._checked = hashlib.sha256(), 0, False
        self.head = fh.read(_HEAD)
        fh.seek(0)

    @classmethod
    def open(cls, home: Home, sha256: str) -> "_VerifiedBlob":
        blobs = home.blobs
        try:
            if hasattr(blobs, "path_for"):  # a local store: streamed from disk
                path = blobs.path_for(sha256)
                return cls(open(path, "rb"), sha256, path.stat().st_size)
            data = blobs.read(sha256)  # a remote store hands whole blobs
            return cls(io.BytesIO(data), sha256, len(data))
        except (FileNotFoundError, OSError) as e:
            raise BlobError(f"the archived file {sha256[:12]}… is missing", sha256=sha256,
                            reason="blob_missing") from e

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._fh.tell()

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        if not self._checked:
            self._hash.update(data)
            self._pos += len(data)
        return data

    def seek(self, pos: int, whence: int = 0) -> int:
        if not self._checked and pos == 0 and whence == 0 and self._pos:
            if self._pos != self.size or self._hash.hexdigest() != self._sha:
                raise BlobError(f"the archived file {self._sha[:12]}… changed on disk", sha256=self._sha,
                                reason="blob_altered")
            self._checked = True
        return self._fh.seek(pos, whence)

    def close(self) -> None:
        self._fh.close()
        super().close()

    def __enter__(self) -> "_VerifiedBlob":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
