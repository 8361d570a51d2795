"""Legacy (2008–2018) reports: metrics from the prose and from the statistics appendix.

Takes a ``parser.document.Document``; returns a ``parser.record.Reading``. Reads no settings.
"""
from __future__ import annotations

from ..document import Document
from ..record import Reading
from .rules import LEGACY_RULES

__all__ = ["read_legacy", "LEGACY_RULES"]


def read_legacy(doc: Document) -> Reading:
    """Metrics of a legacy report (work in progress: the prose and appendix readers land next)."""
    return Reading()
