"""The report record of SCHEMA.md as typed dataclasses.

Takes nothing, does no I/O. ``Record.to_dict()`` gives exactly the JSON shape of SCHEMA.md (the
public contract: CLI ``--json``, catalog, index and exports all use those key names);
``Record.from_dict()`` reads it back.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = ["Evidence", "Finding", "Section", "Source", "Metadata", "Record", "Reading", "FORMATS",
           "SEVERITIES"]

FORMATS = ("legacy", "gb2019", "gb2021")
SEVERITIES = ("error", "warning", "info")

Number = int | float


@dataclass(slots=True)
class Evidence:
    """Where one metric was read.

    ``where`` is ``"table"`` (with table index, row and column labels as written, PDF page),
    ``"text"`` (a prose snippet), ``"ocr"`` (read by OCR from a page image: page, box and the
    recogniser's ``confidence``) or ``"derived"`` (computed from other metrics; ``snippet`` holds
    the formula).

    Where the cell can be pointed at, ``bbox`` is its box on the page in PDF points from the page's
    top-left corner ``(x0, top, x1, bottom)`` (pdfplumber's convention; for OCR, on the rendered
    page scaled back to points), and ``cell`` its ``(row, column)`` index in the table's grid
    counted from 0 (HTML/DOCX tables, where there is no page to draw on).
    """

    where: Literal["table", "text", "ocr", "derived"]
    snippet: str | None = None
    page: int | None = None
    table: int | None = None
    row: str | None = None
    column: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    cell: tuple[int, int] | None = None
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        # keep the JSON small: table fields only where they mean something, geometry only where known
        d: dict[str, Any] = {"where": self.where, "page": self.page, "snippet": self.snippet}
        if self.where in ("table", "ocr"):
            d.update(table=self.table, row=self.row, column=self.column)
        if self.bbox is not None:
            d["bbox"] = [round(v, 1) for v in self.bbox]
        if self.cell is not None:
            d["cell"] = list(self.cell)
        if self.confidence is not None:
            d["confidence"] = round(self.confidence, 3)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Evidence":
        bbox, cell = d.get("bbox"), d.get("cell")
        return cls(
            where=d.get("where", "text"),
            snippet=d.get("snippet"),
            page=d.get("page"),
            table=d.get("table"),
            row=d.get("row"),
            column=d.get("column"),
            bbox=tuple(bbox) if bbox else None,
            cell=tuple(cell) if cell else None,
            confidence=d.get("confidence"),
        )


@dataclass(slots=True)
class Finding:
    """A consistency rule that failed, or a parse warning. ``values`` holds the numbers that disagree."""

    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"rule": self.rule, "severity": self.severity, "message": self.message}
        if self.values:
            d["values"] = self.values
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Finding":
        return cls(d["rule"], d.get("severity", "warning"), d.get("message", ""), dict(d.get("values") or {}))


@dataclass(slots=True)
class Section:
    heading: str
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "text": self.text}


@dataclass(slots=True)
class Source:
    url: str | None = None
    sha256: str | None = None
    media_type: str | None = None
    fetched_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Metadata:
    """What a report says about itself (the metadata stage's result); a Record's first fields."""

    title: str | None = None
    year: int | None = None
    region: str | None = None
    region_code: str | None = None
    agency: str | None = None
    published: str | None = None  # ISO date
    agency_as_written: str | None = None  # the agency's name as the report writes it (agency: the full name)
    # the gov.cn host the region was read from, when the text names no place of its own (a finding
    # says so; the record's region is that host's division)
    region_from_host: str | None = None


@dataclass(slots=True)
class Record(Metadata):
    """One parsed report, whatever its era, file type or site (SCHEMA.md)."""

    format: str | None = None  # one of FORMATS
    source: Source = field(default_factory=Source)
    metrics: dict[str, Number] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    parser_version: str = ""
    # every character of the document's text in reading order (title, header block, body, table
    # cells): what search indexes; sections are parts of it
    text: str = ""

    def set_metric(self, key: str, value: Number, evidence: Evidence) -> None:
        self.metrics[key] = value
        self.evidence[key] = evidence

    def drop_metric(self, key: str) -> None:
        self.metrics.pop(key, None)
        self.evidence.pop(key, None)

    def add_finding(self, rule: str, severity: str, message: str, **values: Any) -> None:
        self.findings.append(Finding(rule, severity, message, values))  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "year": self.year,
            "region": self.region,
            "region_code": self.region_code,
            "agency": self.agency,
            "agency_as_written": self.agency_as_written,
            "published": self.published,
            "format": self.format,
            "source": self.source.to_dict(),
            "metrics": dict(self.metrics),
            "evidence": {k: e.to_dict() for k, e in self.evidence.items()},
            "sections": [s.to_dict() for s in self.sections],
            "findings": [f.to_dict() for f in self.findings],
            "parser_version": self.parser_version,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        src = d.get("source") or {}
        return cls(
            title=d.get("title"),
            year=d.get("year"),
            region=d.get("region"),
            region_code=d.get("region_code"),
            agency=d.get("agency"),
            agency_as_written=d.get("agency_as_written"),
            published=d.get("published"),
            format=d.get("format"),
            source=Source(**{k: src.get(k) for k in ("url", "sha256", "media_type", "fetched_at")}),
            metrics=dict(d.get("metrics") or {}),
            evidence={k: Evidence.from_dict(v) for k, v in (d.get("evidence") or {}).items()},
            sections=[Section(s["heading"], s.get("text", "")) for s in d.get("sections") or []],
            findings=[Finding.from_dict(f) for f in d.get("findings") or []],
            parser_version=d.get("parser_version", ""),
            text=d.get("text") or "",
        )


@dataclass(slots=True)
class Reading:
    """What a metrics stage (template tables, legacy prose + appendix) returns to the pipeline."""

    metrics: dict[str, tuple[Number, Evidence]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def put(self, key: str, value: Number, evidence: Evidence) -> None:
        self.metrics[key] = (value, evidence)
