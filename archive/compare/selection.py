"""Which reports a comparison takes: by region (any level), agency, years and format.

Takes an open catalog connection and a ``Selection``; returns ``ReportRow`` metadata (no metrics,
no ``record_json``) ordered by publisher, year, id.

Region matching: ``--region X`` names places, at any level. A region R matches X when R is X, ends
with X (``杭州市余杭区``), or its last level contains X (``余杭`` -> ``浙江省杭州市余杭区``; ``杭州`` ->
``浙江省杭州市`` but not its districts). ``include_children`` adds every region below a matched one
(R starts with it: ``浙江省杭州市%``).
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable

from ..catalog import ReportFilter
from ..errors import InputError

__all__ = ["Selection", "ReportRow", "FORMATS", "select_reports", "match_regions", "last_level"]

FORMATS = ("legacy", "gb2019", "gb2021")
# the suffixes that end one administrative level of a full region name
# (no bare 州: it sits inside city names such as 杭州市; prefecture-level 州 are all 自治州)
_LEVEL_END = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|省|市|盟|县|区|旗|镇|乡)")


@dataclass(frozen=True, slots=True)
class Selection:
    regions: tuple[str, ...] = ()
    include_children: bool = False
    agency: str | None = None  # substring of the agency name
    year_from: int | None = None
    year_to: int | None = None
    formats: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        bad = [f for f in self.formats if f not in FORMATS]
        if bad:
            raise InputError(f"unknown format {bad[0]!r}: use {', '.join(FORMATS)}")


@dataclass(slots=True)
class ReportRow:
    id: int
    title: str
    year: int | None
    region: str
    agency: str
    format: str | None
    url: str
    published: str
    parsed_at: str
    merged: list[int] = field(default_factory=list)  # ids of the duplicates this report stands for

    @property
    def publisher(self) -> tuple[str, str]:
        return (self.region, self.agency)


def last_level(region: str) -> str:
    """'浙江省杭州市余杭区' -> '余杭区'; a name without level suffixes is its own last level."""
    start = 0
    while start < len(region):
        # a level is at least two characters: 市中区 is one level, not 市 + 中区
        m = _LEVEL_END.search(region, start + 1)
        if not m or m.end() >= len(region):
            return region[start:]
        start = m.end()
    return region


def match_regions(wanted: Iterable[str], archived: Iterable[str], include_children: bool) -> set[str]:
    """The archived region names that the user's names select; InputError names one that matches nothing."""
    archived = [r for r in archived if r]
    chosen: set[str] = set()
    for name in wanted:
        name = name.strip()
        hits = {r for r in archived if r == name or r.endswith(name) or name in last_level(r)}
        if not hits:
            near = sorted(r for r in archived if name in r)[:5]
            hint = f" (did you mean {', '.join(near)}? add --include-children for places below it)" if near else ""
            raise InputError(f"no archived report of a region matching {name!r}{hint}")
        chosen |= hits
    if include_children:
        chosen |= {r for r in archived if any(r.startswith(parent) for parent in chosen)}
    return chosen


def select_reports(conn: sqlite3.Connection, sel: Selection) -> list[ReportRow]:
    where, args = ReportFilter(year_from=sel.year_from, year_to=sel.year_to, agency=sel.agency).where()
    if sel.formats:
        where += (" AND " if where else " WHERE ") + f"r.format IN ({', '.join('?' * len(sel.formats))})"
        args.extend(sel.formats)
    regions = None
    if sel.regions:
        archived = [r[0] for r in conn.execute("SELECT DISTINCT region FROM reports")]
        regions = match_regions(sel.regions, archived, sel.include_children)
    cur = conn.execute(
        "SELECT r.id, r.title, r.year, r.region, r.agency, r.format, r.url, r.published, r.parsed_at FROM reports r"
        f"{where} ORDER BY r.region, r.agency, r.year, r.id", args)
    out = []
    for rid, title, year, region, agency, fmt, url, published, parsed_at in cur:
        if regions is not None and region not in regions:
            continue
        out.append(ReportRow(rid, title or "", year, region or "", agency or "", fmt, url or "",
                             published or "", parsed_at or ""))
    return out
