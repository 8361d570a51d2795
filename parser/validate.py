"""The within-report consistency rules (勾稽关系, SCHEMA.md) of a parsed record, as findings.

``check_record(record) -> list[Finding]`` runs the template SumRules of ``parser.labels`` for the
gb2019/gb2021 formats and ``parser.legacy.rules.LEGACY_RULES`` for legacy records, through the one
engine ``parser.rules.check_sum_rules``. Each finding carries the numbers that disagree. Derived
metrics take part like stated ones (they were summed from the same cells, so they never add a
contradiction of their own). Reads no settings.
"""
from __future__ import annotations

import dataclasses

from .labels import GB2019_RULES, GB2021_RULES
from .record import Finding, Record
from .rules import SumRule, check_sum_rules

__all__ = ["check_record", "rules_for"]


def rules_for(fmt: str | None) -> list[SumRule]:
    if fmt == "gb2019":
        return GB2019_RULES
    if fmt == "gb2021":
        return GB2021_RULES
    if fmt == "legacy":
        try:
            from .legacy.rules import LEGACY_RULES
        except ImportError:  # the legacy package is written in parallel; no rules until it lands
            return []
        return LEGACY_RULES
    return []


def check_record(record: Record) -> list[Finding]:
    rules = rules_for(record.format)
    # a blank template cell means "nothing", so a table's absent parts count as 0; a total stated
    # in prose (no table row behind it) says nothing of the parts it does not name
    prose = {k for k, ev in record.evidence.items() if ev.where == "text" and ev.row is None}
    if prose and record.format in ("gb2019", "gb2021"):
        rules = [dataclasses.replace(r, partial_ok=False) if prose & {*r.total, *r.parts} else r for r in rules]
    return check_sum_rules(record.metrics, rules)
