"""Which reports a comparison takes: by region (any level), agency, years and format.

Takes an open catalog connection and a ``Selection``; returns ``ReportRow`` metadata (no metrics,
no ``record_json``) ordered by region code (GB/T 2260), region, agency, year, id.

Regions and agencies are resolved by ``archive.places``, as in every command: ``--region X`` names
a place at any level, full or short, with or without its level word (余杭, 杭州市余杭区, 浙江); it
selects that place and every place below it unless ``exact``. ``--agency`` is a part of the name.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..catalog import ReportFilter
from ..db import dialect_of, stream_rows
from ..errors import InputError
from ..migrations import COMPARE_ORDER
from ..places import archived_agencies, archived_places, match_agencies, region_sort_key, resolve_places

__all__ = ["Selection", "ReportRow", "FORMATS", "select_reports", "iter_reports", "year_span", "match_regions",
           "last_level"]

FORMATS = ("legacy", "gb2019", "gb2021")
# places or agencies a query names in SQL; more are filtered as the rows come. Where the catalog says
# how many values a statement may bind, up to that many (a province of a national archive names
# thousands of places: filtered in Python, every report of the catalog was read to find them)
_IN_SQL_FLOOR = 500
_IN_SQL_MOST = 30_000  # PostgreSQL binds 65,535 values a statement; SQLite 32,766 since 3.32
# the suffixes that end one administrative level of a full region name
# (no bare 州: it sits inside city names such as 杭州市; prefecture-level 州 are all 自治州)
_LEVEL_END = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|省|市|盟|县|区|旗|镇|乡)")


@dataclass(frozen=True, slots=True)
class Selection:
    regions: tuple[str, ...] = ()
    exact: bool = False  # only the places named, not the places below them
    agency: str | None = None  # a part of the agency name
    year_from: int | None = None
    year_to: int | None = None
    formats: tuple[str, ...] = ()
    no_ocr: bool = False  # leave out every number read by OCR (evidence where="ocr")

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
    region_code: str | None = None

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


def match_regions(wanted: Iterable[str], archived: Iterable[str], exact: bool = False) -> set[str]:
    """The archived region names that the user's names select (``archive.places``); InputError
    names one that matches nothing, with the closest names."""
    return set(resolve_places(wanted, [(r, None) for r in archived if r], exact=exact).regions)


# compare's order (``_order_key``) in SQL, the expressions of its index (migration 11), so that a listing
# stops at its first rows: text compares by code point on both catalogs (PostgreSQL's columns are
# COLLATE "C"), as Python compares it
_ORDER_SQL = ", ".join(COMPARE_ORDER)


def _in_sql_limit(conn) -> int:
    """How many names one query of this catalog may bind (with room for its other values)."""
    if dialect_of(conn) == "postgres":
        return _IN_SQL_MOST
    try:
        return max(_IN_SQL_FLOOR, min(_IN_SQL_MOST, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) - 100))
    except (AttributeError, sqlite3.Error):  # a wrapper or a Python without getlimit: the floor binds anywhere
        return _IN_SQL_FLOOR


def _order_key(r: ReportRow) -> tuple:
    return (*region_sort_key(r.region, r.region_code), r.agency, r.year is None, r.year or 0, r.id)


def select_reports(conn: sqlite3.Connection, sel: Selection) -> list[ReportRow]:
    out = list(iter_reports(conn, sel))
    out.sort(key=_order_key)  # already in this order from SQL: a check in one pass, not a sort
    return out


def iter_reports(conn: sqlite3.Connection, sel: Selection) -> Iterator[ReportRow]:
    """``select_reports``' rows one at a time, in compare's order as SQL sorts them."""
    where, args, regions, agencies = _where(conn, sel)
    cur = stream_rows(  # on PostgreSQL too, a national selection is not fetched whole
        conn, "SELECT r.id, r.title, r.year, r.region, r.agency, r.format, r.url, r.published, r.parsed_at, "
        f"r.region_code FROM reports r{where} ORDER BY {_ORDER_SQL}", args)
    for rid, title, year, region, agency, fmt, url, published, parsed_at, code in cur:
        if regions is not None and region not in regions:
            continue
        if agencies is not None and agency not in agencies:
            continue
        yield ReportRow(rid, title or "", year, region or "", agency or "", fmt, url or "",
                        published or "", parsed_at or "", region_code=code)


def count_publishers(conn: sqlite3.Connection, sel: Selection, *, up_to: int) -> int:
    """The selection's publishers, counted no further than ``up_to + 1``: whether a chart can draw
    them is known from the first reports in compare's order, not from all of a province's."""
    seen: set[tuple[str, str]] = set()
    for r in iter_reports(conn, sel):
        seen.add(r.publisher)
        if len(seen) > up_to:
            break
    return len(seen)


def year_span(conn: sqlite3.Connection, sel: Selection) -> tuple[int | None, int | None]:
    """The first and last year of the selected reports (None, None: none has a year), without holding
    them: what a by-year table's columns are when its reports are streamed."""
    where, args, regions, agencies = _where(conn, sel)
    where += (" AND " if where else " WHERE ") + "r.year IS NOT NULL"
    if regions is None and agencies is None:
        lo, hi = conn.execute(f"SELECT MIN(r.year), MAX(r.year) FROM reports r{where}", args).fetchone()
        return lo, hi
    years = [year for year, region, agency in conn.execute(f"SELECT r.year, r.region, r.agency FROM reports r{where}", args)
             if (regions is None or region in regions) and (agencies is None or agency in agencies)]
    return (min(years), max(years)) if years else (None, None)


def _where(conn: sqlite3.Connection, sel: Selection) -> tuple[str, list, set | None, set | None]:
    """The SQL condition of the selection and its values, and the places and agencies the rows are
    still to be checked against (None: SQL names them, or any will do): those SQL cannot name."""
    where, args = ReportFilter(year_from=sel.year_from, year_to=sel.year_to).where()
    if sel.formats:
        where += (" AND " if where else " WHERE ") + f"r.format IN ({', '.join('?' * len(sel.formats))})"
        args.extend(sel.formats)
    regions = agencies = None
    if sel.regions:
        regions = resolve_places(sel.regions, archived_places(conn, sel.regions), exact=sel.exact,
                                 everywhere=lambda: archived_places(conn)).regions
    if sel.agency:
        agencies = match_agencies(sel.agency, archived_agencies(conn))
    left = []
    for column, names in (("r.region", regions), ("r.agency", agencies)):
        if names is not None and 0 < len(names) <= _in_sql_limit(conn) and None not in names:  # through the index, not every report
            where += (" AND " if where else " WHERE ") + f"{column} IN ({', '.join('?' * len(names))})"
            args.extend(sorted(names))
            names = None
        left.append(names)
    return where, args, left[0], left[1]
