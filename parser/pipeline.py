"""bytes -> Record, in stages named like sentences (DESIGN.md, data flow).

    extract (text + table grids)  ->  is it an annual report?  ->  metadata  ->  format
    ->  metrics with evidence (template tables | legacy prose + appendix)  ->  sections
    ->  headline metrics  ->  consistency findings

Pure: no network, no archive, no file access. Every stage takes and returns plain data, so
``parse_debug`` can keep them all for ``xxgk parse --debug`` (with each stage's time in ``notes``).
Reads ``settings.time_budget`` (checked between stages; the readers check it inside) and
``settings.strict`` (a template cell that cannot be placed raises instead of giving a finding).
A bug in a stage surfaces as a ``ParseError`` with reason ``internal_error`` (chained to the
cause), so one bad document never stops a run.
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

from . import regex_cache
from .document import Attachment, Document
from .errors import NotAReportError, ParseError, ParseTimeoutError
from .record import Record, Source
from .settings import ParseSettings

__all__ = ["parse", "parse_debug", "ParseDebug", "PARSER_VERSION", "preload"]

log = logging.getLogger(__name__)
T = TypeVar("T")

# bump when any stage changes its output: `xxgk reparse` re-parses records made by an older one
PARSER_VERSION = "0.3.33"
_TEMPLATE_FORMATS = ("gb2019", "gb2021")


# a short report whose parse imports and builds what every document needs (the legacy prose reader
# and its pattern unions, the place index, the script converter's tables): a parse worker runs it
# before its first job's clock starts, so no document's time budget pays for it; a format's own
# reader (HTML, PDF, DOCX) and the template-prose reader are imported by the first document that
# needs them (0.05-0.4 s), as a worker that only ever reads text never needs them
_WARM_UP = """浙江省杭州市余杭区2017年度政府信息公开工作年度报告
根据《中华人民共和国政府信息公开条例》规定，编制本区2017年度政府信息公开工作年度报告。本年报由主动公开政府信息情况，依申请公开政府信息情况，政府信息公开行政复议、行政诉讼情况，主要问题和改进情况组成。
一、主动公开政府信息情况
2017年，我区主动公开政府信息1200条，其中通过门户网站公开1100条。
二、依申请公开政府信息情况
2017年，共收到政府信息公开申请36件，其中当面申请10件，网络申请20件，信函申请6件。已全部按时答复。
三、政府信息公开行政复议、行政诉讼情况
2017年，因政府信息公开被申请行政复议2件，提起行政诉讼1件。
四、主要问题和改进情况
我区政府信息公开工作还存在一些不足，下一步将进一步加强。
""".encode()


def preload() -> None:
    """Parse a short report once (``_WARM_UP``): what every later parse would otherwise build first."""
    try:
        parse(_WARM_UP, "text/plain")
    except ParseError:  # what the warm-up was for is done either way
        pass
    regex_cache.save()  # now, not at exit: a worker is often killed, never exiting


@dataclass
class ParseDebug:
    document: Document | None = None
    recognized: tuple[bool, str] | None = None
    format: str | None = None
    record: Record | None = None
    notes: list[str] = field(default_factory=list)


class _Stages:
    """Runs the stages in order: times each into ``notes``, enforces the budget, wraps bugs."""

    def __init__(self, dbg: ParseDebug, settings: ParseSettings):
        self.dbg, self.settings = dbg, settings
        self.start = time.monotonic()

    def run(self, name: str, fn: Callable[..., T], *args) -> T:
        elapsed = time.monotonic() - self.start
        if elapsed > self.settings.time_budget:
            raise ParseTimeoutError(f"over the time budget of {self.settings.time_budget:g}s before {name}")
        t0 = time.perf_counter()
        try:
            result = fn(*args)
        except ParseError:
            raise
        except Exception as exc:  # a bug in a stage: record it for this document, keep the run going
            log.exception("parser stage %s failed", name)
            raise ParseError(f"internal error while {name}: {exc!r}", reason="internal_error") from exc
        self.dbg.notes.append(f"{name}: {(time.perf_counter() - t0) * 1000:.1f} ms")
        return result


def parse(data: bytes, media_type: str | None = None, url: str | None = None,
          settings: ParseSettings | None = None, attachments: Sequence[Attachment] = ()) -> Record:
    """Parse one file's bytes into a Record, or raise a ParseError subclass.

    ``attachments``: files linked from this page; a legacy report's statistics appendix often
    sits in one, and its tables are read with the page (``_attach_tables``).
    """
    return parse_debug(data, media_type, url, settings, attachments).record  # type: ignore[return-value]


def parse_debug(data: bytes, media_type: str | None = None, url: str | None = None,
                settings: ParseSettings | None = None, attachments: Sequence[Attachment] = ()) -> ParseDebug:
    try:
        return _parse_debug(data, media_type, url, settings, attachments)
    finally:
        _forget_memos()


def _forget_memos() -> None:
    """The place scans, normalised texts and cleaned titles memoised while one document was read hold
    its texts (a body scanned again is most of them): a worker parsing document after document keeps none."""
    from .memo import forget_documents

    forget_documents()


def _parse_debug(data: bytes, media_type: str | None, url: str | None, settings: ParseSettings | None,
                 attachments: Sequence[Attachment]) -> ParseDebug:
    from .extract import extract
    from .extract.pdf_text import add_text_boxes
    from .fulltext import document_text
    from .headline import add_headline_metrics
    from .metadata import read_metadata
    from .ocr_evidence import review_ocr
    from .recognize import detect_format, is_annual_report
    from .sections import split_sections
    from .validate import check_record

    settings = ParseSettings.resolve(settings)
    dbg = ParseDebug()
    stages = _Stages(dbg, settings)
    doc = extract(data, media_type, url, settings)  # raises UnreadableError / ParseTimeoutError itself
    doc, attachments = _ocr_images(doc, attachments, settings, stages.start)
    dbg.notes.append(f"extract: {(time.monotonic() - stages.start) * 1000:.1f} ms")
    dbg.document = doc
    ok, why = stages.run("recognizing", is_annual_report, doc)
    dbg.recognized = (ok, why)
    if not ok:
        raise NotAReportError(f"not an annual disclosure report: {why}")

    meta = stages.run("reading metadata", read_metadata, doc)
    fmt = stages.run("detecting the format", detect_format, doc)
    dbg.format = fmt
    record = Record(
        title=meta.title, year=meta.year, region=meta.region, region_code=meta.region_code,
        agency=meta.agency, agency_as_written=meta.agency_as_written, published=meta.published, format=fmt,
        source=Source(url=url, sha256=hashlib.sha256(data).hexdigest(), media_type=doc.media_type),
        parser_version=PARSER_VERSION, text=document_text(doc, meta.title),
    )
    if meta.region_from_host:
        record.add_finding("metadata.region_from_host", "info",
                           f"region {meta.region} read with the host {meta.region_from_host}: the text "
                           "alone does not settle it", host=meta.region_from_host)
    attached = {}
    if fmt == "legacy" and attachments:
        attached = stages.run("reading the attachments", _attach_tables, doc, attachments, settings)
    reading = stages.run("reading the metrics", _read_metrics, doc, fmt, meta)
    if doc.page_numbers:  # the page and box of each number read from a PDF's text
        stages.run("locating the text numbers", add_text_boxes, doc.page_numbers, reading)
    _name_attachment_evidence(reading, attached, record)
    for key, (value, evidence) in reading.metrics.items():
        record.set_metric(key, value, evidence)
    record.findings.extend(reading.findings)
    if fmt in _TEMPLATE_FORMATS and not reading.metrics:
        record.add_finding("tables.missing", "warning",
                           f"a {fmt} report but no template table could be read (drawn as images, or in an attachment?)")
    if settings.strict:
        unplaced = [f for f in reading.findings if f.rule == "table.unplaced"]
        if unplaced:
            raise ParseError(f"strict mode: {len(unplaced)} cells not placed, first: {unplaced[0].message}",
                             reason="unplaced_cell")
    record.sections = stages.run("splitting the sections", split_sections, doc)
    stages.run("deriving the headline metrics", add_headline_metrics, record)
    rule_findings = stages.run("checking the rules", check_record, record)
    record.findings.extend(rule_findings)
    record.findings.extend(stages.run("reviewing the OCR numbers", review_ocr, record, doc, rule_findings))
    for w in doc.warnings:
        record.add_finding("parse.warning", "warning", w)
    dbg.record = record
    return dbg


def _attach_tables(doc: Document, attachments: Sequence[Attachment], settings: ParseSettings) -> dict[int, str]:
    """Append the tables of each attachment that is not a report of its own to ``doc.tables``.

    An attachment that is itself a report (a PDF copy of the page) is parsed on its own by the
    caller and left out here, so its numbers are never read twice. Returns table index -> URL.
    """
    from .extract import extract
    from .recognize import is_annual_report

    where: dict[int, str] = {}
    for att in attachments:
        try:
            adoc = extract(att.data, att.media_type, att.url, settings)
        except ParseError as e:
            doc.warnings.append(f"attachment {att.url or '?'} not read: {e}")
            continue
        if not adoc.tables or is_annual_report(adoc)[0]:
            continue
        for table in adoc.tables:
            table.index = len(doc.tables)
            where[table.index] = att.url or "attachment"
            doc.tables.append(table)
    return where


def _ocr_images(doc: Document, attachments: Sequence[Attachment], settings: ParseSettings, start: float):
    """The images among the attachments (a table shown as a picture) read by OCR into ``doc``; the rest."""
    from .extract.ocr import is_image

    images = [a.data for a in attachments if is_image(a.data)]
    if not images:
        return doc, attachments
    from .extract.budget import Deadline
    from .extract.ocr import add_image_tables

    left = max(settings.time_budget - (time.monotonic() - start), 0.001)
    return add_image_tables(doc, images, Deadline(left)), [a for a in attachments if not is_image(a.data)]


def _name_attachment_evidence(reading, attached: dict[int, str], record: Record) -> None:
    """Evidence read from an attachment's table names the file; one finding per file used."""
    used: dict[str, int] = {}
    for _, evidence in reading.metrics.values():
        if evidence.where == "table" and evidence.table in attached:
            evidence.snippet = f"附件 {attached[evidence.table]}"
            evidence.bbox = evidence.cell = None  # the attachment's cell, not one of this document's tables
            used[attached[evidence.table]] = used.get(attached[evidence.table], 0) + 1
    for url, n in used.items():
        record.add_finding("appendix.attachment", "info", f"{n} metrics read from the attached statistics table {url}")


def _read_metrics(doc: Document, fmt: str, meta):
    """``meta``: the metadata already read, which the prose readers' context is made of (not read twice)."""
    if fmt in _TEMPLATE_FORMATS:
        from .legacy.context import report_context
        from .template_prose import with_template_prose
        from .templates import read_template_tables

        # the totals the prose states, where no table gives them (a table's number wins)
        return with_template_prose(read_template_tables(doc, fmt), doc, report_context(doc, meta))
    from .legacy import read_legacy

    return read_legacy(doc, meta)
