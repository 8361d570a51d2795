"""The headline metrics of SCHEMA.md, comparable across all eras, derived where a report does not state them.

``add_headline_metrics(record)`` adds, for each ``Derivation`` whose key the record lacks, the sum
of its parts, with ``Evidence(where="derived", snippet=<formula>)``. A stated value is never
overwritten. Only the sums SCHEMA.md defines are derived:

- gb2019/gb2021: ``applications.denied.total`` (Σ ``denied.*.total``) and ``litigation.total``
  (direct + after review): the templates have no cell for them. The other headline keys are cells
  of the template; a blank or unreadable one stays absent, never rebuilt from other cells. A blank
  part means nothing to report (0, the ``partial_ok`` reading of the rules), so the present parts
  are summed, but only when the table they come from was read whole: when a cell of that table
  could not be placed (``table.unplaced``), a missing part may be that cell, and every part is needed.
- legacy: review and litigation totals, only from every part (prose that names two outcomes says
  nothing about a third).

Reads no settings.
"""
from __future__ import annotations

from dataclasses import dataclass

from .labels import T3_ROWS
from .record import Evidence, Record

__all__ = ["HEADLINE_KEYS", "Derivation", "DERIVATIONS", "add_headline_metrics"]

HEADLINE_KEYS = (
    "applications.new.total", "applications.granted.total", "applications.partial.total",
    "applications.denied.total", "review.total", "litigation.total",
)
_GB = ("gb2019", "gb2021")
_UNPLACED = "table.unplaced"


@dataclass(frozen=True, slots=True)
class Derivation:
    key: str
    parts: tuple[str, ...]
    formats: tuple[str, ...]
    all_parts: bool  # True: derive only when every part is present


DERIVATIONS: list[Derivation] = [
    Derivation("applications.denied.total",
               tuple(f"applications.{s.key}.total" for s in T3_ROWS if s.key.startswith("denied.")), _GB, False),
    Derivation("litigation.total", ("litigation_direct.total", "litigation_after_review.total"), _GB, False),
    # the legacy forms have no 尚未审结: total = upheld + corrected + other
    Derivation("review.total", ("review.upheld", "review.corrected", "review.other"), ("legacy",), True),
    Derivation("litigation.total", ("litigation.upheld", "litigation.corrected", "litigation.other"),
               ("legacy",), True),
]


def add_headline_metrics(record: Record) -> None:
    """Add the derived headline metrics a record lacks (in place)."""
    for d in DERIVATIONS:
        if record.format not in d.formats or d.key in record.metrics:
            continue
        present = [k for k in d.parts if record.metrics.get(k) is not None]
        if not present:
            continue
        if len(present) < len(d.parts) and (d.all_parts or _read_in_part(record, present)):
            continue
        value = sum(record.metrics[k] for k in present)
        record.set_metric(d.key, value, Evidence(where="derived", snippet=f"{d.key} = {' + '.join(present)}"))


def _read_in_part(record: Record, keys: list[str]) -> bool:
    """Whether a table the ``keys`` were read from has cells that could not be placed (a text
    copy's rows name no table: any unplaced row counts)."""
    tables = {ev.table for k in keys if (ev := record.evidence.get(k)) is not None}
    for f in record.findings:
        if f.rule == _UNPLACED:
            where = f.values.get("table")
            if where is None or where in tables:
                return True
    return False
