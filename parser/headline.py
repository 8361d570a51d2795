"""The headline metrics of SCHEMA.md, comparable across all eras, derived where a report does not state them.

``add_headline_metrics(record)`` adds, for each of ``HEADLINE_KEYS`` the record lacks, the sum of
its parts when the parts allow it, with ``Evidence(where="derived", snippet=<formula>)``. A stated
value is never overwritten. Template formats (gb2019, gb2021) sum the parts that are present as soon
as one is: a blank template cell means nothing to report (0), the same ``partial_ok`` reading the
consistency rules use. Legacy records derive only when every part was read: prose that names two
outcomes says nothing about a third. Reads no settings.
"""
from __future__ import annotations

from dataclasses import dataclass

from .labels import T3_COL_KEYS, T3_ROWS, T4_LEAF_KEYS
from .record import Evidence, Record

__all__ = ["HEADLINE_KEYS", "Derivation", "DERIVATIONS", "add_headline_metrics"]

HEADLINE_KEYS = (
    "applications.new.total", "applications.granted.total", "applications.partial.total",
    "applications.denied.total", "review.total", "litigation.total",
)
_GB = ("gb2019", "gb2021")


@dataclass(frozen=True, slots=True)
class Derivation:
    key: str
    parts: tuple[str, ...]
    formats: tuple[str, ...]
    all_parts: bool  # True: derive only when every part is present


def _gb_derivations() -> list[Derivation]:
    denied = tuple(f"applications.{s.key}.total" for s in T3_ROWS if s.key.startswith("denied."))
    out = [Derivation(f"applications.{row}.total", tuple(f"applications.{row}.{c}" for c in T3_COL_KEYS[:-1]),
                      _GB, False) for row in ("new", "granted", "partial")]
    out += [
        Derivation("applications.denied.total", denied, _GB, False),
        Derivation("review.total", tuple(f"review.{leaf}" for leaf in T4_LEAF_KEYS[:-1]), _GB, False),
        Derivation("litigation.total", ("litigation_direct.total", "litigation_after_review.total"), _GB, False),
    ]
    return out


DERIVATIONS: list[Derivation] = _gb_derivations() + [
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
        if not present or (d.all_parts and len(present) < len(d.parts)):
            continue
        value = sum(record.metrics[k] for k in present)
        record.set_metric(d.key, value, Evidence(where="derived", snippet=f"{d.key} = {' + '.join(present)}"))
