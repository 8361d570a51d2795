"""Web archives made by other crawlers, into the archive: ``xxgk import FILE.warc.gz`` (also ``.warc``, ``.wacz``).

    web_archive_kind(path) -> 'warc' | 'wacz' | None        (told by content, as every import is)
    import_web_archive(home, path, parse=, since=) -> Iterator[FileOutcome]

Heritrix, Browsertrix, wget ``--warc-file`` and warcio write WARC files; each ``response`` (or
``resource``) whose payload is a document becomes a blob + document + a ``sources`` row of kind
``crawl`` (kind ``import`` for a resource at a ``file:`` URI, as `xxgk export --warc` writes
imported files; ``urn:`` resources are a crawler's by-products, passed over) with the record's
provenance: the URL (the first hop when a redirect record in the same file leads to it, with the
chain in ``redirects``), the WARC-Date as fetch time, the HTTP status and every response header, the Referer of its request record. The payload is stored as served to a
browser: de-chunked and content-decoded, as warcio's ``content_stream`` gives it. A ``revisit`` is
resolved to the payload it names (by digest, else by its refers-to URI and date, in this file or
already in the archive) and adds a source to that document. Each stored response is then parsed
like any imported file. Other records (requests, metadata, warcinfo) and non-documents (images,
scripts, style sheets) are passed over; non-2xx answers are not documents.

Streaming and bounded: a payload goes through a temporary file beside the catalog, hashed on the
way, and one larger than ``max_file_size`` is refused. Each document is stored in its own
transactions, so a kill leaves what was stored and the same import continues (documents already
archived are recognised). A truncated or damaged WARC is one failed outcome naming the record where
it broke; every record before it is kept.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator
from urllib.parse import urljoin, urlsplit

import parser as report_parser

from .catalog import DocumentRow, now_iso
from .document_kinds import document_kind
from .errors import DiskFullError, is_disk_full
from .home import Home
from .ingest import FileOutcome, parse_and_store
from .safe_text import safe_text

__all__ = ["web_archive_kind", "import_web_archive", "WebArchiveError"]

_CHUNK = 1 << 20
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECT_HOPS = 20


class WebArchiveError(Exception):
    """A WARC that cannot be read on (truncated, damaged); carries where it broke."""


def web_archive_kind(path: Path) -> str | None:
    """'warc' for a WARC (plain or gzipped), 'wacz' for a WACZ package, else None: by content."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if head.startswith(b"WARC/"):
                return "warc"
            if head.startswith(b"\x1f\x8b"):
                f.seek(0)
                try:
                    with gzip.GzipFile(fileobj=f) as g:
                        return "warc" if g.read(5) == b"WARC/" else None
                except (OSError, EOFError):
                    return None
            if head.startswith(b"PK"):
                try:
                    with zipfile.ZipFile(path) as z:
                        names = z.namelist()
                except (zipfile.BadZipFile, OSError):
                    return None
                if "datapackage.json" in names and any(_is_warc_member(n) for n in names):
                    return "wacz"
    except OSError:
        return None
    return None


def _is_warc_member(name: str) -> bool:
    return name.startswith("archive/") and name.endswith((".warc", ".warc.gz"))


@dataclass
class _Seen:
    """What one import run learned so far: payloads by digest and by (URI, date), redirects, requests."""

    by_digest: dict[str, int] = field(default_factory=dict)  # WARC-Payload-Digest -> document id
    by_capture: dict[tuple[str, str], int] = field(default_factory=dict)
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)  # URI -> (status, next URI)
    referrers: dict[str, str] = field(default_factory=dict)  # record id (either side) -> Referer


def import_web_archive(home: Home, path: Path, *, parse: bool = True,
                       since: str | None = None) -> Iterator[FileOutcome]:
    """One outcome per stored or refused capture of the WARC/WACZ at ``path``."""
    shown = safe_text(path)
    seen = _Seen()
    try:
        if web_archive_kind(path) == "wacz":
            with zipfile.ZipFile(path) as z:
                for name in sorted(n for n in z.namelist() if _is_warc_member(n)):
                    with z.open(name) as member:
                        yield from _import_stream(home, member, f"{shown}!{name}", z.getinfo(name).file_size, seen,
                                                  parse, since)
        else:
            with open(path, "rb") as f:
                yield from _import_stream(home, f, shown, path.stat().st_size, seen, parse, since)
    except (OSError, zipfile.BadZipFile) as e:
        yield _failed(home, shown, "unreadable", f"cannot read: {getattr(e, 'strerror', None) or e}")


def _failed(home: Home, shown: str, reason: str, message: str) -> FileOutcome:
    home.catalog.record_error("import", reason, message, source=shown)
    return FileOutcome(shown, "failed", message=message)


def _import_stream(home: Home, stream: BinaryIO, shown: str, size: int, seen: _Seen, parse: bool,
                   since: str | None) -> Iterator[FileOutcome]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    it = ArchiveIterator(stream, check_digests=False)
    n = 0
    try:
        for record in it:
            n += 1
            outcome = _import_record(home, record, shown, seen, parse, since)
            it.read_to_end(record)
            if outcome is not None:
                yield outcome
            _check_whole(record)  # warcio reads a cut record as a short one without a word
        if it.offset < size:  # and a record cut inside its headers as the end of the file
            n += 1
            raise WebArchiveError(f"the WARC ends in {size - it.offset:,} bytes that are no whole record "
                                  "(cut short?)")
    except WebArchiveError as e:
        yield _failed(home, shown, "truncated", f"{e}; the {n - 1} records before it were imported, "
                                                 "get the whole file and import it again")
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as e:  # zlib errors are OSError/ValueError
        if is_disk_full(e):  # not the file's fault: the run stops, the same command continues later
            raise DiskFullError("the archive's disk is full: importing stopped, nothing half-written is kept; "
                                "free some space and run the same command again") from e
        yield _failed(home, shown, "damaged", f"not readable as WARC after record {n} ({_first_line(e)}); "
                                              f"the {n} records before it were imported")


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]


def _import_record(home: Home, record, shown: str, seen: _Seen, parse: bool,
                   since: str | None) -> FileOutcome | None:
    kind = record.rec_type
    headers = record.rec_headers
    uri = headers.get_header("WARC-Target-URI") or ""
    if kind == "request":
        _note_request(record, seen)
        return None
    # a file: resource is a file taken from disk (as `xxgk export --warc` writes imports); urn: resources
    # are a crawler's own by-products (Browsertrix's urn:text:, urn:pageinfo:, urn:view: screenshots)
    from_disk = kind != "response" and uri.startswith("file:")
    if kind not in ("response", "resource", "revisit") or not (_is_web(uri) or from_disk):
        return None
    status = _status(record)
    if kind == "response" and status in _REDIRECTS:
        location = record.http_headers.get_header("Location")
        if location:
            seen.redirects[uri] = (status, urljoin(uri, location))
        return None
    where = f"{shown} {uri}"
    if status is not None and not 200 <= status < 300:
        return FileOutcome(where, "skipped", message=f"not a document: HTTP {status}")
    source = _source(record, uri, status, seen)
    if kind == "revisit":
        return _revisit(home, record, uri, where, source, seen, parse, since)
    with _payload_file(home, record) as (tmp, sha, size):
        if size == 0:
            return FileOutcome(where, "skipped", message="not a document: empty payload")
        if size > home.settings.max_file_size:
            return _failed(home, where, "too_large", f"{size:,} bytes is over the size limit of "
                                                     f"{home.settings.max_file_size:,} (XXGK_MAX_FILE_SIZE)")
        doc_kind = document_kind(tmp)
        if not doc_kind.is_document:
            return FileOutcome(where, "skipped", message=f"not a document: {doc_kind.reason}")
        home.blobs.put_file(tmp, sha)
    doc, is_new = home.catalog.add_document(sha, size, doc_kind.media_type, _charset(record), source)
    _remember(seen, record, uri, doc.id)
    return _parsed(home, doc, is_new, where, source["url"], parse, since)


def _parsed(home: Home, doc, is_new: bool, where: str, url: str, parse: bool, since: str | None) -> FileOutcome:
    outcome = FileOutcome(where, "new" if is_new else "already_archived", document_id=doc.id)
    needs_parse = doc.status in ("pending", "failed") or doc.parser_version != report_parser.PARSER_VERSION
    if not is_new and not needs_parse:
        outcome.message = f"already archived (document {doc.id})"
    elif parse:
        status, outcome.message, outcome.report_id = parse_and_store(home, doc, url, since=since)
        outcome.parse = None if status == "skipped" else status
    return outcome


def _revisit(home: Home, record, uri: str, where: str, source: dict, seen: _Seen, parse: bool,
             since: str | None) -> FileOutcome | None:
    headers = record.rec_headers
    digest = headers.get_header("WARC-Payload-Digest")
    refers = (headers.get_header("WARC-Refers-To-Target-URI") or uri, headers.get_header("WARC-Refers-To-Date") or "")
    doc_id = seen.by_digest.get(digest or "") or seen.by_capture.get(refers) or _archived_capture(home, refers[0])
    if doc_id is None:
        return FileOutcome(where, "skipped", message=f"a revisit of {refers[0]} {refers[1]}, whose payload is "
                                                     "neither in this file nor in the archive")
    doc = home.catalog.conn.execute(
        "SELECT id, sha256, size, media_type, status, parser_version FROM documents WHERE id = ?", (doc_id,)).fetchone()
    row = DocumentRow(*doc)
    home.catalog.add_source(row.id, source)
    return _parsed(home, row, False, where, source["url"], parse, since)


def _archived_capture(home: Home, url: str) -> int | None:
    row = home.catalog.conn.execute(
        "SELECT document_id FROM sources WHERE (url = ? OR final_url = ?) AND kind = 'crawl' "
        "ORDER BY fetched_at DESC LIMIT 1", (url, url)).fetchone()
    return row[0] if row else None


def _remember(seen: _Seen, record, uri: str, doc_id: int) -> None:
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if digest:
        seen.by_digest[digest] = doc_id
    seen.by_capture[(uri, record.rec_headers.get_header("WARC-Date") or "")] = doc_id


def _note_request(record, seen: _Seen) -> None:
    referer = record.http_headers.get_header("Referer") if record.http_headers else None
    if not referer:
        return
    for name in ("WARC-Record-ID", "WARC-Concurrent-To"):
        value = record.rec_headers.get_header(name)
        if value:
            seen.referrers[value] = referer


def _is_web(uri: str) -> bool:
    return urlsplit(uri).scheme in ("http", "https")


def _status(record) -> int | None:
    if not record.http_headers or record.rec_type == "resource":
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _source(record, uri: str, status: int | None, seen: _Seen) -> dict:
    """The sources row of a capture: the first hop of a redirect chain seen in this file leads to it."""
    http = record.http_headers if record.rec_type != "resource" else None
    headers: dict[str, str] = {}
    for name, value in (http.headers if http else []):
        key = name.lower()
        headers[key] = f"{headers[key]}\n{value}" if key in headers else value
    chain = _chain_to(uri, seen.redirects)
    ids = [record.rec_headers.get_header(n) for n in ("WARC-Record-ID", "WARC-Concurrent-To")]
    referrer = next((seen.referrers[i] for i in ids if i and i in seen.referrers), None)
    if not _is_web(uri):  # a file taken from disk (``file:``): an import
        return {"kind": "import", "url": uri, "fetched_at": _iso(record), "site": None}
    return {
        "kind": "crawl", "url": chain[0][1] if chain else uri, "final_url": uri, "http_status": status or 200,
        "headers": headers, "redirects": [list(hop) for hop in chain], "fetched_at": _iso(record),
        "site": (urlsplit(uri).hostname or "").lower() or None, "referrer": referrer,
        "etag": headers.get("etag"), "last_modified": headers.get("last-modified"),
    }


def _chain_to(uri: str, redirects: dict[str, tuple[int, str]]) -> list[tuple[int, str]]:
    """[(status, url that answered with it), ...] of the redirects in this file that end at ``uri``."""
    back = {target: (status, source) for source, (status, target) in redirects.items()}
    chain: list[tuple[int, str]] = []
    at = uri
    while at in back and len(chain) < MAX_REDIRECT_HOPS:
        status, source = back[at]
        if any(u == source for _, u in chain):
            break  # a loop
        chain.insert(0, (status, source))
        at = source
    return chain


def _iso(record) -> str:
    """WARC-Date (``2024-01-02T03:04:05Z``, maybe with fractions) as the catalog writes times."""
    raw = record.rec_headers.get_header("WARC-Date") or ""
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return now_iso()
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def _charset(record) -> str | None:
    if record.rec_type == "resource" or not record.http_headers:
        return None
    ctype = record.http_headers.get_header("Content-Type") or ""
    for part in ctype.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"' ").lower()
    return None


def _check_whole(record) -> None:
    """WebArchiveError when the record's block ended before its Content-Length (a cut file)."""
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        uri = record.rec_headers.get_header("WARC-Target-URI") or record.rec_type
        raise WebArchiveError(f"the WARC is cut short inside the record of {uri} ({missing:,} bytes missing)")


@contextmanager
def _payload_file(home: Home, record) -> Iterator[tuple[Path, str, int]]:
    """The payload as served (de-chunked, decoded) in a temporary file: (path, sha256, size).

    Reads at most ``max_file_size`` + 1 bytes; WebArchiveError when the record is cut short.
    """
    limit = home.settings.max_file_size
    fd, name = tempfile.mkstemp(dir=home.path, prefix=".warc-", suffix=".part")
    tmp = Path(name)
    try:
        h, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out:
            stream = record.content_stream()
            while size <= limit:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                h.update(chunk)
                out.write(chunk)
                size += len(chunk)
        if size <= limit:
            _check_whole(record)
        yield tmp, h.hexdigest(), size
    finally:
        tmp.unlink(missing_ok=True)
