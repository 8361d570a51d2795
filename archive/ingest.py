"""The pipeline that joins the engines: file bytes -> blob + document + provenance -> record.

``import_paths`` walks files and folders, stores each file once (content-addressed), records where
it came from, parses it and stores the record. Each step is its own transaction, in an order that
a kill at any moment cannot break: blob (atomic rename) -> document row + source (one
transaction, status ``pending``) -> record (one transaction, status ``parsed``). The next run
finds a pending document and completes it; an orphan blob is reused, never counted.

Parsing (``parse_and_store``): the document is claimed first (``archive.claims``: two imports of
the same files parse each once), its blob read back and hashed (``BlobStore.read_verified``: a
missing or altered blob is an error row, never a record of other bytes), then parsed in a worker
process killed at the time budget (``archive.parse_pool``: reason ``parse_timeout``); only
storing the outcome runs under the caller's ``lock``, never the parse. Before a run, the free
space for the files is checked (``DiskFullError``: the run stops cleanly, nothing half-written).
"""
from __future__ import annotations

import mimetypes
import os
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import parser as report_parser
from parser import Attachment, NotAReportError, ParseError, ParseSettings
from parser.record import Finding

from .catalog import DocumentRow, now_iso
from .claims import claim_parse, release_claim
from .document_kinds import document_kind
from .errors import BlobError
from .home import Home
from .parse_pool import ParsePool, shared_pool
from .provenance import Claim, source_of_record
from .safe_text import safe_text

__all__ = ["ImportSummary", "FileOutcome", "ParseJob", "import_paths", "iter_files", "parse_and_store", "parse_job",
           "store_outcome", "reparse"]

# outcome keys, in the order the summary prints them
OUTCOMES = ("new", "already_archived", "skipped", "parsed", "not_report", "failed")


@dataclass
class FileOutcome:
    path: str
    status: str  # new | already_archived | skipped (not a document) | failed
    parse: str | None = None  # parsed | not_report | failed | None (not attempted)
    message: str = ""
    report_id: int | None = None
    document_id: int | None = None


@dataclass
class ImportSummary:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    outcomes: list[FileOutcome] = field(default_factory=list)

    def add(self, o: FileOutcome) -> None:
        self.outcomes.append(o)
        self.counts[o.status] += 1
        if o.parse:
            self.counts[o.parse] += 1

    @property
    def ok(self) -> bool:
        return self.counts["failed"] == 0


def iter_files(paths: Iterable[str | os.PathLike], on_missing: Callable[[str, str], None]) -> Iterator[Path]:
    """Every file under the given paths, recursively, in a stable order; hidden files skipped."""
    for raw in paths:
        p = Path(raw)
        if not p.exists() and not p.is_symlink():
            on_missing(str(p), "no such file or folder")
            continue
        if p.is_dir():
            for root, dirs, files in os.walk(p, onerror=lambda e: on_missing(e.filename, e.strerror)):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield p


def guess_media_type(path: Path) -> str | None:
    ext = path.suffix.lower()
    if ext in (".htm", ".html", ".shtml", ".jsp", ".asp", ".aspx", ".php"):
        return "text/html"
    if ext == ".txt":
        return "text/plain"
    return mimetypes.guess_type(path.name)[0]


@dataclass(frozen=True)
class StoredFile:
    """A file read into the blob store, not yet in the catalog (``store_file``: no catalog access,
    so many run at once); or why it was not stored (``failure``: reason and message; ``skipped``)."""
    path: Path
    shown: str
    size: int = 0
    sha256: str = ""
    media_type: str | None = None
    failure: tuple[str, str] | None = None
    skipped: str = ""


def store_file(home: Home, path: Path) -> StoredFile:
    shown = safe_text(path)  # a name with ESC, newlines or non-UTF-8 bytes is printed escaped
    try:
        st = path.stat()
    except OSError as e:
        return StoredFile(path, shown, failure=("unreadable", f"cannot read: {e.strerror}"))
    if not path.is_file():
        return StoredFile(path, shown, failure=("not_a_file", "not a regular file"))
    if st.st_size == 0:
        return StoredFile(path, shown, failure=("empty", "empty file (0 bytes)"))
    if st.st_size > home.settings.max_file_size:
        return StoredFile(path, shown, failure=(
            "too_large", f"{st.st_size:,} bytes is over the size limit of {home.settings.max_file_size:,} "
                         "(XXGK_MAX_FILE_SIZE or --max-file-size)"))
    try:
        kind = document_kind(path)  # only documents, told by their content (archive.document_kinds)
        if not kind.is_document:
            return StoredFile(path, shown, skipped=f"not a document: {kind.reason}")
        sha, _ = home.blobs.put_file(path)
    except OSError as e:
        return StoredFile(path, shown, failure=("unreadable", f"cannot read: {e.strerror or e}"))
    return StoredFile(path, shown, st.st_size, sha, kind.media_type or guess_media_type(path))


def import_file(home: Home, path: Path, *, parse: bool = True, since: str | None = None,
                parse_later: Callable[[FileOutcome, DocumentRow, str], None] | None = None,
                stored: StoredFile | None = None) -> FileOutcome:
    """One file stored and parsed; ``parse_later(outcome, doc, url)`` instead parses it elsewhere;
    ``stored``: its blob already written (``store_file``)."""
    stored = stored or store_file(home, path)
    if stored.failure:
        return _fail(home, stored.shown, *stored.failure)
    if stored.skipped:
        return FileOutcome(stored.shown, "skipped", message=stored.skipped)
    shown, sha = stored.shown, stored.sha256
    uri = path.resolve().as_uri()
    doc, is_new = home.catalog.add_document(
        sha, stored.size, stored.media_type,
        source={"kind": "import", "url": uri, "fetched_at": now_iso(), "site": None},
    )
    outcome = FileOutcome(shown, "new" if is_new else "already_archived", document_id=doc.id)
    # a failed parse is tried again (the failure may have been a budget or a since-fixed bug)
    needs_parse = doc.status in ("pending", "failed") or doc.parser_version != report_parser.PARSER_VERSION
    if not is_new and not needs_parse:
        outcome.message = f"already archived (document {doc.id})"
        return outcome
    if parse and parse_later is not None:
        parse_later(outcome, doc, uri)
    elif parse:
        fill_parse(outcome, parse_and_store(home, doc, uri, since=since))
    return outcome


def fill_parse(outcome: FileOutcome, result: tuple[str, str, int | None]) -> None:
    """A file's outcome completed by its parse's (status, message, report id)."""
    status, outcome.message, outcome.report_id = result
    outcome.parse = None if status == "skipped" else status


def parse_and_store(home: Home, doc: DocumentRow, url: str | None, *, pool: ParsePool | None = None,
                    lock: AbstractContextManager | None = None, since: str | None = None,
                    force: bool = False, before_store: Callable[[], None] | None = None) -> tuple[str, str, int | None]:
    """Claim, read back, parse (in a worker) and store one archived document.

    Returns (status, message, report id): status ``parsed``, ``not_report``, ``failed``, or
    ``skipped`` when another process holds the document or it was parsed since ``since``
    (``force``: parse even a current one). ``lock`` is held only while the outcome is stored;
    ``before_store()`` is called between the parse and storing its outcome (a crawl waits there
    for the page an attachment was found on).
    """
    lock = lock or nullcontext()
    with lock:
        claimed, why = claim_parse(home.catalog, doc.id, parser_version=report_parser.PARSER_VERSION,
                                   since=since, force=force)
    if not claimed:
        return "skipped", why, None
    try:
        job = parse_job(home, doc, url)
        outcome = job if isinstance(job, BlobError) else job.run_in(pool or shared_pool())
        if before_store is not None:
            before_store()
    except BaseException:
        with lock:
            release_claim(home.catalog, doc.id)
        raise
    return store_outcome(home, doc, url, outcome, pool=pool, lock=lock)


@dataclass(frozen=True)
class ParseJob:
    """What the parser needs for one document: all of it picklable (a worker process, a Dask task)."""
    data: bytes
    media_type: str | None
    url: str | None
    settings: ParseSettings
    attachments: tuple[Attachment, ...]

    def run_in(self, pool: ParsePool):
        """The ``ParsedRecord``, or the ParseError that is this document's outcome."""
        from .catalog_parse import parse_for_catalog

        try:
            return pool.parse(self.data, self.media_type, self.url, self.settings, self.attachments,
                              fn=parse_for_catalog)
        except ParseError as e:
            return e


def parse_job(home: Home, doc: DocumentRow, url: str | None) -> ParseJob | BlobError:
    """The document's bytes (hash checked) and attachments, or the BlobError that is its outcome."""
    try:
        data = home.blobs.read_verified(doc.sha256)
    except BlobError as e:
        return e
    settings = ParseSettings(time_budget=home.settings.parse_time_budget,
                             max_bytes=max(home.settings.max_file_size, 1))
    parser_url = url if url and not url.startswith("file:") else None
    return ParseJob(data, doc.media_type, parser_url, settings, tuple(_attachments_of(home, doc.id)))


def store_outcome(home: Home, doc: DocumentRow, url: str | None, outcome, *, pool: ParsePool | None = None,
                  lock: AbstractContextManager | None = None) -> tuple[str, str, int | None]:
    """Store a claimed document's parse outcome (a record, ParseError or BlobError): (status, message, report id)."""
    lock = lock or nullcontext()
    with lock:
        result = _store(home, doc, url, outcome)
    if result[0] == "not_report":
        _reparse_pages_linking(home, doc.id, pool, lock)
    return result


def _store(home: Home, doc: DocumentRow, url: str | None, outcome) -> tuple[str, str, int | None]:
    version = report_parser.PARSER_VERSION
    if isinstance(outcome, BlobError):  # the record made from good bytes, if any, stays
        home.catalog.record_error("fixity", outcome.reason, str(outcome), source=url, document_id=doc.id)
        release_claim(home.catalog, doc.id)
        return "failed", str(outcome), None
    if isinstance(outcome, NotAReportError):
        home.catalog.mark_unparsed(doc.id, "not_report", version, outcome.reason, str(outcome), url)
        return "not_report", str(outcome), None
    if isinstance(outcome, ParseError):
        home.catalog.mark_unparsed(doc.id, "failed", version, outcome.reason, str(outcome), url)
        return "failed", str(outcome), None
    record = outcome.record  # a ParsedRecord: the record as a dict and its table rows
    sources = home.catalog.sources(doc.id)
    # the most trusted web source names the record: a file imported later never replaces the official URL
    url = source_of_record(Claim(record["region"], record["region_code"], record["agency"]), sources, url,
                           str(home.path))
    record["source"].update(sha256=doc.sha256, url=url)
    _complete_from_provenance(record, sources, url)
    report_id = home.catalog.save_record(doc.id, record, url, parts=outcome.parts)
    n = len(outcome.parts.metrics)  # the record holds its metrics' mark: they travel as rows
    return ("parsed", f"report {report_id}: {record['year'] or '?'} {record['region'] or ''} {record['format']}, "
            f"{n} metrics", report_id)


# an attachment larger than this is no statistics table: not worth reading with every re-parse
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _attachments_of(home: Home, document_id: int) -> list[Attachment]:
    """Files found on this document's page that are no report of their own (an 附表 .doc, say).

    The parser reads their tables with the page; a file that is itself a report is parsed alone.
    """
    rows = home.catalog.conn.execute(
        "SELECT DISTINCT d.sha256, d.media_type, a.url FROM sources p "
        "JOIN sources a ON a.referrer IN (p.url, p.final_url) AND a.kind = 'crawl' "
        "JOIN documents d ON d.id = a.document_id "
        "WHERE p.document_id = ? AND p.kind = 'crawl' AND d.id != ? AND d.status = 'not_report' "
        "AND d.size <= ? ORDER BY a.url",
        (document_id, document_id, MAX_ATTACHMENT_BYTES),
    ).fetchall()
    found = []
    for sha, media_type, url in rows:
        try:
            found.append(Attachment(home.blobs.read_verified(sha), media_type, url))
        except BlobError as e:  # read without it; the error row says why
            home.catalog.record_error("fixity", e.reason, str(e), source=url)
    return found


def _reparse_pages_linking(home: Home, document_id: int, pool: ParsePool | None,
                           lock: AbstractContextManager | None) -> None:
    """A file that is no report may be a report page's appendix: re-read the pages that link it."""
    pages = home.catalog.conn.execute(
        "SELECT DISTINCT d.id, d.sha256, d.size, d.media_type, d.status, d.parser_version, p.url "
        "FROM sources a JOIN sources p ON a.referrer IN (p.url, p.final_url) AND p.kind = 'crawl' "
        "JOIN documents d ON d.id = p.document_id "
        "WHERE a.document_id = ? AND a.kind = 'crawl' AND d.status = 'parsed' AND d.id != ?",
        (document_id, document_id),
    ).fetchall()
    for row in pages:
        parse_and_store(home, DocumentRow(*row[:6]), row[6], pool=pool, lock=lock, force=True)


def _complete_from_provenance(record: dict[str, Any], sources: list[dict], url: str | None) -> None:
    """Fill what the file itself cannot say from where it was found.

    ``fetched_at`` is the fetch (or import) time of the source the record is for. A page without
    a publish date of its own takes the date its list page showed, which sites.md ranks below the
    page's metadata and the signature (the parser has looked at both by now); a finding says so.
    """
    own = next((s for s in sources if s["url"] == url), sources[0] if sources else None)
    record["source"]["fetched_at"] = own["fetched_at"] if own else now_iso()
    if record["published"] is None:
        listed = next((s for s in sources if s.get("list_date")), None)
        if listed:
            record["published"] = listed["list_date"]
            record["findings"].append(Finding(
                "published.from_list", "info",
                f"publish date {listed['list_date']} taken from the list page {listed['referrer']}").to_dict())


def _fail(home: Home, path: str, reason: str, message: str) -> FileOutcome:
    path = safe_text(path)
    home.catalog.record_error("import", reason, message, source=path)
    return FileOutcome(path, "failed", message=message)


def import_paths(home: Home, paths: Iterable[str | os.PathLike], *,
                 progress: Callable[[FileOutcome], None] | None = None, parse: bool = True,
                 workers: int = 1, dask: str | None = None) -> ImportSummary:
    """Import files and folders; DiskFullError (a clean stop) when the archive's disk cannot take them.

    ``workers`` > 1 or ``dask``: files are parsed ``workers`` at a time (``archive.parallel_parse``),
    their outcomes reported and stored in the serial order; captures of a web archive one by one.
    """
    from .parallel_parse import parse_runner, store_ahead
    summary = ImportSummary()
    since = now_iso()
    paths = list(paths)
    home.blobs.ensure_free(_total_size(paths, home.settings.max_file_size), "this import",
                           home.settings.min_free_space)

    def report(o: FileOutcome) -> None:
        summary.add(o)
        if progress:
            progress(o)

    with parse_runner(home, workers=workers, dask=dask, since=since) as runner:
        handed: set[int] = set()  # outcomes the runner reports once their parse is stored

        def later(o: FileOutcome, doc: DocumentRow, url: str) -> None:
            handed.add(id(o))
            runner.parse(doc, url, lambda result: (fill_parse(o, result), report(o)))

        def in_turn(o: FileOutcome) -> None:
            if runner is None:
                report(o)
            elif id(o) not in handed:
                runner.put(lambda _: report(o))

        files = iter_files(paths, lambda path, why: in_turn(_fail(home, path, "missing", why)))
        # with workers, files are hashed and written to the blob store ahead, several at once
        ahead = store_ahead(home, files, max(workers, 2)) if runner else ((path, None) for path in files)
        for path, stored in ahead:
            for o in _import_one(home, path, parse=parse, since=since, parse_later=later if runner else None,
                                 stored=stored):
                in_turn(o)
    return summary


def _import_one(home: Home, path: Path, *, parse: bool, since: str,
                parse_later: Callable[[FileOutcome, DocumentRow, str], None] | None = None,
                stored: StoredFile | None = None) -> Iterator[FileOutcome]:
    """A file's outcome, or one per capture of a web archive (WARC, WACZ: ``archive.warc_import``)."""
    from .warc_import import import_web_archive, web_archive_kind  # it builds on this module

    if stored is None and web_archive_kind(path):
        yield from import_web_archive(home, path, parse=parse, since=since)
    else:
        yield import_file(home, path, parse=parse, since=since, parse_later=parse_later, stored=stored)


def _total_size(paths: list, limit: int) -> int:
    """What importing ``paths`` may add to the blob store, at most (files over ``limit`` are refused)."""
    total = 0
    for path in iter_files(paths, lambda *_: None):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        if size <= limit:
            total += size
    return total


def reparse(home: Home, *, all_documents: bool = False, progress: Callable[[str, str], None] | None = None,
            workers: int = 1, dask: str | None = None) -> dict[str, int]:
    """Re-parse documents parsed by an older parser (or pending, or all); ``workers``/``dask`` as in import."""
    from .parallel_parse import parse_runner

    counts = {"parsed": 0, "not_report": 0, "failed": 0}
    since = now_iso()
    home.blobs.ensure_free(0, "a re-parse", home.settings.min_free_space)  # records grow the catalog

    def count(result: tuple[str, str, int | None]) -> None:
        status, message, _ = result
        if status in counts:
            counts[status] += 1
        if progress:
            progress(status, message)

    with parse_runner(home, workers=workers, dask=dask, since=since, force=all_documents) as runner:
        for doc in home.catalog.documents_to_parse(report_parser.PARSER_VERSION, all_documents=all_documents):
            sources = home.catalog.sources(doc.id)
            url = next((s["final_url"] or s["url"] for s in sources if s["kind"] == "crawl"), None) or (
                sources[0]["url"] if sources else None)
            if runner is None:
                count(parse_and_store(home, doc, url, since=since, force=all_documents))
            else:
                runner.parse(doc, url, count)
    return counts
