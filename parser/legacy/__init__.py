"""Legacy (2008–2018) reports: metrics from the prose and from the statistics appendix.

Takes a ``parser.document.Document``; returns a ``parser.record.Reading``: the prose metrics
(``prose.read_prose``, evidence the sentence as written, with its PDF page when the document has
pages) and the appendix rows (``appendix.read_appendix``, evidence the table cell). Where both give
a key and disagree, the appendix value is kept and a finding ``legacy.prose_vs_appendix`` holds
both numbers. Findings also flag a list of parts that already exceeds its stated total (the
consistency rules proper, ``LEGACY_RULES``, are checked by ``parser.validate``). Reads no settings.
"""
from __future__ import annotations

from ..document import Document
from ..metadata import Metadata
from ..record import Evidence, Finding, Reading
from .appendix import read_appendix, tables_from_text_rows
from .context import ReportContext, report_context
from .prose import read_prose
from .rules import LEGACY_RULES

__all__ = ["read_legacy", "LEGACY_RULES", "ReportContext", "report_context"]


def read_legacy(doc: Document, meta: Metadata | None = None) -> Reading:
    """``meta``: the document's metadata when the caller has read it already (else read here)."""
    prose = read_prose(doc.text, report_context(doc, meta))
    # a plain-text copy keeps its tables as "a | b | c" lines: read them like the readers' grids
    text_tables = [] if doc.tables else tables_from_text_rows(doc.text)
    table = read_appendix([*doc.tables, *text_tables])
    if text_tables:  # rows of the text, not a table of the document: no cell to point at
        for _, evidence in table.metrics.values():
            evidence.cell = None
    reading = Reading(findings=[*prose.findings, *table.findings])
    for key, (value, evidence) in prose.metrics.items():
        if key in table.metrics:
            t_value = table.metrics[key][0]
            if t_value != value:
                reading.findings.append(Finding(
                    "legacy.prose_vs_appendix", "warning",
                    f"{key}: the prose says {value:g}, the appendix {t_value:g}; the appendix is kept",
                    {"key": key, "prose": value, "appendix": t_value, "snippet": evidence.snippet}))
            continue
        reading.put(key, value, _with_page(evidence, doc.page_texts))
    for key, (value, evidence) in table.metrics.items():
        reading.put(key, value, evidence)
    reading.findings.extend(_parts_exceed_total({k: v for k, (v, _) in reading.metrics.items()}))
    return reading


def _with_page(evidence: Evidence, page_texts: list[str]) -> Evidence:
    if not page_texts or not evidence.snippet:
        return evidence
    probe = "".join(evidence.snippet.split())[:24]
    for n, page in enumerate(page_texts, start=1):
        if probe in "".join(page.split()):
            return Evidence(where="text", snippet=evidence.snippet, page=n)
    return evidence


def _parts_exceed_total(metrics: dict[str, float]) -> list[Finding]:
    """Rules whose parts are not all given but already sum past the total (文物局 2017: 12 outcomes
    of 9 replies). Counts are never negative, so this is a contradiction even with parts missing."""
    findings = []
    for rule in LEGACY_RULES:
        total = [metrics[k] for k in rule.total if k in metrics]
        parts = {k: metrics[k] for k in rule.parts if k in metrics}
        if len(total) != len(rule.total) or not parts or len(parts) == len(rule.parts):
            continue
        if sum(parts.values()) > sum(total):
            findings.append(Finding(
                rule.rule, "warning",
                f"{' + '.join(rule.total)} = {sum(total):g} but the parts given already sum to {sum(parts.values()):g}",
                {**{k: metrics[k] for k in rule.total}, **parts}))
    return findings
