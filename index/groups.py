"""Copies of one report shown once: the collapse rule, the same for every backend.

A document may name its ``group`` (documents.py): the report id that stands for all copies of one
report (the archive's canonical copy). Only documents with a group are "linked"; every other
document is its own group. Given the linked documents that match a query, as (report_id, group)
pairs, ``representatives`` picks the one report each group shows and counts by: the canonical
(report_id == group) when it matches, else the lowest matching report id. ``collapse_ranked``
turns a ranking of report ids into a ranking of groups: a group takes the place and score of its
best-ranked member and shows its representative. Pure functions, no I/O.
"""
from __future__ import annotations

from typing import Iterable

__all__ = ["representatives", "collapse_ranked", "surplus"]


def representatives(linked: Iterable[tuple[int, int]]) -> dict[int, int]:
    """report_id -> the representative report id of its group, for matching linked documents."""
    members: dict[int, list[int]] = {}
    for rid, group in linked:
        members.setdefault(group, []).append(rid)
    out: dict[int, int] = {}
    for group, rids in members.items():
        rep = group if group in rids else min(rids)
        out.update(dict.fromkeys(rids, rep))
    return out


def surplus(rep_of: dict[int, int]) -> set[int]:
    """The matching report ids that are not their group's representative (not shown, not counted)."""
    return {rid for rid, rep in rep_of.items() if rid != rep}


def collapse_ranked(ranked: Iterable[tuple[int, float]], rep_of: dict[int, int],
                    stop: int | None = None) -> list[tuple[int, float]]:
    """(report_id, score) best first -> (representative id, best member's score), each group once;
    stops after ``stop`` groups."""
    seen: set[int] = set()
    out: list[tuple[int, float]] = []
    for rid, score in ranked:
        rep = rep_of.get(rid, rid)
        if rep in seen:
            continue
        seen.add(rep)
        out.append((rep, score))
        if stop is not None and len(out) >= stop:
            break
    return out
