"""The query string of a page or an API call -> the engines' requests (``SearchRequest``,
``Selection``), the same options as the CLI's, checked the same way (``InputError`` says what is
wrong in one line). The URL holds the whole state of a page: ``url_with`` makes the links that
change one part of it (a facet, a page).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence
from urllib.parse import urlencode

from ..cli_common import ERAS, parse_year_range
from ..compare.metric_selection import split_items
from ..compare.selection import Selection
from ..errors import InputError
from ..searching import SearchRequest

__all__ = ["search_request", "selection", "coverage_request", "CompareOptions", "compare_options", "url_with", "int_param", "flag"]

SEARCH_SORTS = ("relevance", "year")
COMPARE_SHAPES = ("wide", "by-year", "long")


def _multi(params, name: str) -> list[str]:
    return split_items(params.getlist(name)) if hasattr(params, "getlist") else split_items([params.get(name) or ""])


def flag(params: Mapping[str, str], name: str) -> bool:
    return (params.get(name) or "").strip().lower() in ("1", "true", "yes", "on")


def int_param(params: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name}={raw!r} is not a whole number") from None
    if not lo <= value <= hi:
        raise InputError(f"{name}={value} is out of range: {lo} to {hi}")
    return value


def _era(params: Mapping[str, str]) -> str | None:
    era = (params.get("era") or "").strip() or None
    if era is not None and era not in ERAS:
        raise InputError(f"unknown era {era!r}: use {', '.join(ERAS)}")
    return era


def search_request(params, *, per_page: int, max_per_page: int) -> SearchRequest:
    """``q`` (the CLI's query language), ``region`` (repeatable or comma-separated), ``exact``,
    ``year`` (2017 or 2015-2020), ``agency``, ``era``, ``section``, ``sort``, ``page``, ``limit``,
    ``all_copies``."""
    words = " ".join((params.get("q") or "").split())
    if len(words) > 500:
        raise InputError("the query is too long (at most 500 characters)")
    year_from, year_to = parse_year_range(params.get("year") or None)
    sort = (params.get("sort") or "relevance").strip()
    if sort not in SEARCH_SORTS:
        raise InputError(f"unknown sort {sort!r}: use {' or '.join(SEARCH_SORTS)}")
    return SearchRequest(words, tuple(_multi(params, "region")), flag(params, "exact"),
                         (params.get("agency") or "").strip() or None, year_from, year_to, _era(params),
                         (params.get("section") or "").strip() or None, sort,
                         int_param(params, "page", 1, 1, 10_000), int_param(params, "limit", per_page, 1, max_per_page),
                         flag(params, "all_copies"))


def selection(params) -> Selection:
    """The reports a comparison takes: ``region``, ``exact``, ``agency``, ``years``, ``era`` (as
    ``xxgk compare``'s options)."""
    lo, hi = parse_year_range(params.get("years") or params.get("year") or None)
    eras = tuple(dict.fromkeys(_multi(params, "era")))
    bad = [e for e in eras if e not in ERAS]
    if bad:
        raise InputError(f"unknown era {bad[0]!r}: use {', '.join(ERAS)}")
    return Selection(tuple(_multi(params, "region")), flag(params, "exact"),
                     (params.get("agency") or "").strip() or None, lo, hi, eras)


def coverage_request(params, *, per_page: int, max_per_page: int) -> tuple[Selection, int, int]:
    """(selection, page, rows a page) of the coverage matrix: ``region``, ``exact``, ``agency``,
    ``years``, ``era`` as a comparison's, ``page`` and ``limit``."""
    return (selection(params), int_param(params, "page", 1, 1, 1_000_000),
            int_param(params, "limit", per_page, 1, max_per_page))


@dataclass(frozen=True, slots=True)
class CompareOptions:
    selection: Selection
    metrics: tuple[str, ...]
    shapes: tuple[str, ...]
    change: bool
    headers: str

    @property
    def chosen(self) -> bool:
        """Whether the user picked anything to compare (a page opened bare shows only the form)."""
        s = self.selection
        return bool(s.regions or s.agency)


def compare_options(params) -> CompareOptions:
    from ..compare.headers import HEADER_MODES

    shapes = _multi(params, "shape") or ["wide"]
    if "all" in shapes:
        shapes = list(COMPARE_SHAPES)
    bad = [s for s in shapes if s not in COMPARE_SHAPES]
    if bad:
        raise InputError(f"unknown shape {bad[0]!r}: use {', '.join(COMPARE_SHAPES)} or all")
    change = flag(params, "change")
    if change and "by-year" not in shapes:
        raise InputError("change adds columns to the by-year shape: choose shape=by-year")
    headers = (params.get("headers") or "zh").strip()
    if headers not in HEADER_MODES:
        raise InputError(f"headers={headers!r}: use {', '.join(HEADER_MODES)}")
    return CompareOptions(selection(params), tuple(_multi(params, "metrics")) or ("headline",),
                          tuple(dict.fromkeys(shapes)), change, headers)


def url_with(path: str, params: Sequence[tuple[str, str]], **changes: str | None) -> str:
    """``path?query`` with the parameters of ``params`` and ``changes`` (None removes one); the
    page goes back to 1 whenever a filter changes."""
    keep = [(k, v) for k, v in params if k not in changes and v != ""]
    if "page" not in changes:
        keep = [(k, v) for k, v in keep if k != "page"]
    keep += [(k, v) for k, v in changes.items() if v not in (None, "")]
    return path + ("?" + urlencode(keep) if keep else "")
