"""bytes -> Record, in stages named like sentences (DESIGN.md, data flow).

    extract (text + table grids)  ->  is it an annual report?  ->  metadata  ->  format
    ->  metrics with evidence (template tables | legacy prose + appendix)  ->  sections
    ->  headline metrics  ->  consistency findings

Pure: no network, no archive, no file access. Every stage takes and returns plain data, so
``parse_debug`` can keep them all for ``xxgk parse --debug``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .errors import NotAReportError
from .record import Record, Source
from .settings import ParseSettings

__all__ = ["parse", "parse_debug", "ParseDebug", "PARSER_VERSION"]

# bump when any stage changes its output: `xxgk reparse` re-parses records made by an older one
PARSER_VERSION = "0.1.0"


@dataclass
class ParseDebug:
    document: Document | None = None
    recognized: tuple[bool, str] | None = None
    format: str | None = None
    record: Record | None = None
    notes: list[str] = field(default_factory=list)


def parse(data: bytes, media_type: str | None = None, url: str | None = None,
          settings: ParseSettings | None = None) -> Record:
    """Parse one file's bytes into a Record, or raise a ParseError subclass."""
    return parse_debug(data, media_type, url, settings).record  # type: ignore[return-value]


def parse_debug(data: bytes, media_type: str | None = None, url: str | None = None,
                settings: ParseSettings | None = None) -> ParseDebug:
    from .extract import extract
    from .headline import add_headline_metrics
    from .metadata import read_metadata
    from .recognize import detect_format, is_annual_report
    from .sections import split_sections
    from .validate import check_record

    settings = ParseSettings.resolve(settings)
    dbg = ParseDebug()
    doc = extract(data, media_type, url, settings)
    dbg.document = doc
    ok, why = is_annual_report(doc)
    dbg.recognized = (ok, why)
    if not ok:
        raise NotAReportError(f"not an annual disclosure report: {why}")

    meta = read_metadata(doc)
    fmt = detect_format(doc)
    dbg.format = fmt
    record = Record(
        title=meta.title, year=meta.year, region=meta.region, region_code=meta.region_code,
        agency=meta.agency, published=meta.published, format=fmt,
        source=Source(url=url, media_type=doc.media_type),
        parser_version=PARSER_VERSION,
    )
    if fmt in ("gb2019", "gb2021"):
        from .templates import read_template_tables
        reading = read_template_tables(doc, fmt)
    else:
        from .legacy import read_legacy
        reading = read_legacy(doc)
    for key, (value, evidence) in reading.metrics.items():
        record.set_metric(key, value, evidence)
    record.findings.extend(reading.findings)
    record.sections = split_sections(doc)
    add_headline_metrics(record)
    record.findings.extend(check_record(record))
    for w in doc.warnings:
        record.add_finding("parse.warning", "warning", w)
    dbg.record = record
    return dbg
