"""One resolver for ``--region`` and ``--agency``, the same in every command.

Takes what the user typed and the places (or agencies) the archive holds; returns the archived
names selected, or raises ``InputError`` saying that the name is unknown (or known but not
archived) with the closest names the archive has.

A place is named in full (浙江省杭州市余杭区), by its last levels (杭州市余杭区, 余杭区) or short (余杭,
杭州余杭), with or without its level word (省/市/区/县/州/盟/旗/自治州…; 余杭县 finds 余杭区 too).
A name selects that place and every place below it (杭州 -> 杭州市 and its districts and towns)
unless ``exact``. Two places of one name (西湖区 of 杭州 and of 南昌) are both selected, each with
its children. Levels come from the GB/T 2260 table of ``parser.regions`` (through
``archive.indexing.region_path``); a place outside it (a 新区, a 开发区) is split at its level words.

An agency is matched as a part of its name, spaces and full-width forms ignored, with or without
the level words of the place in it (杭州教育局 finds 杭州市教育局).
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from .db import table_exists
from .errors import InputError

__all__ = ["Place", "PlaceMatch", "resolve_places", "match_agencies", "resolve_filters", "archived_places",
           "archived_agencies", "place_levels", "level_forms", "region_sort_key", "LEVEL_WORDS"]

# level words at the end of one level of a full name, longest first
LEVEL_WORDS = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
               "地区", "街道", "苏木", "新区", "省", "市", "区", "县", "州", "盟", "旗", "镇", "乡")


@lru_cache(maxsize=1)
def _ethnic_tail() -> re.Pattern[str]:
    """Built on first use: parser.regions is a large table a search without places does not need."""
    try:  # the 56 nationalities as parser.regions knows them
        from parser.regions import ETHNIC_NAMES
    except ImportError:
        ETHNIC_NAMES = ["蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "土家"]
    names = "|".join(sorted(ETHNIC_NAMES, key=len, reverse=True))
    return re.compile(rf"^(?P<geo>.{{2,}}?)(?:(?:{names})族?)+自治(?:州|县|旗)$")


def _norm(text: str) -> str:
    # without its whitespace: str.split takes what a regex's \s takes, at five times the speed
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass(frozen=True, slots=True)
class Place:
    """An archived region: its full name, code (may be None) and the full names of its levels."""

    region: str
    code: str | None
    path: tuple[str, ...]  # ("浙江省", "浙江省杭州市", "浙江省杭州市余杭区")


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    regions: frozenset[str]  # the archived region names selected
    places: tuple[str, ...]  # the places the names were read as (full names), for messages


def _core(level: str) -> str:
    """A level without its level word: 余杭区 -> 余杭; 黔东南苗族侗族自治州 -> 黔东南; 上海市 -> 上海."""
    m = _ethnic_tail().match(level)
    if m:
        return m["geo"]
    for w in LEVEL_WORDS:
        if level.endswith(w) and len(level) - len(w) >= 2:
            return level[: -len(w)]
    return level


@lru_cache(maxsize=65536)
def level_forms(level: str) -> tuple[str, ...]:
    """The names one level goes by: itself, without its level word, an autonomous place's short forms."""
    forms = [level, _core(level)]
    m = _ethnic_tail().match(level)
    if m:
        forms.append(m["geo"] + level[-1])  # 黔东南州, 长阳县
    return tuple(dict.fromkeys(f for f in forms if f))


@lru_cache(maxsize=16384)
def place_levels(region: str, code: str | None) -> tuple[str, ...]:
    """The full names of a region's levels, province first."""
    if not region:
        return ()
    from .indexing import region_path

    path = region_path(region, code) or [region]
    return tuple(path)


def _levels(path: tuple[str, ...]) -> list[str]:
    out, parent = [], ""
    for full in path:
        out.append(full[len(parent):] if full.startswith(parent) else full)
        parent = full
    return out


def _matched_level(name: str, levels: list[str]) -> int | None:
    """The deepest level index ``name`` names: forms of increasing levels, read left to right, that
    use up the whole name and end at that level (杭州余杭 -> 余杭区; 浙江余杭县 -> 余杭区)."""
    best: int | None = None

    def walk(rest: str, start: int) -> None:
        nonlocal best
        for i in range(start, len(levels)):
            for form in level_forms(levels[i]):
                if not rest.startswith(form):
                    continue
                tail = rest[len(form):]
                if form != levels[i]:  # a short form may carry another level word (余杭县)
                    word = next((w for w in LEVEL_WORDS if tail.startswith(w)), "")
                    if word and not any(tail.startswith(f) for j in range(i + 1, len(levels))
                                        for f in level_forms(levels[j])):
                        tail = tail[len(word):]
                if not tail:
                    best = i if best is None else max(best, i)
                else:
                    walk(tail, i + 1)

    walk(name, 0)
    return best


def resolve_places(names: Iterable[str], archived: Iterable[tuple[str, str | None]], *,
                   exact: bool = False, everywhere: Callable[[], Iterable[tuple[str, str | None]]] | None = None
                   ) -> PlaceMatch:
    """The archived regions each name selects (with the places below it unless ``exact``).

    ``archived``: (region, region_code) pairs, all of them or those that can hold the names
    (``archived_places(conn, names)``); then ``everywhere`` gives them all, for the closest places a
    name that selects nothing is told of. Raises InputError for a name that selects nothing.
    """
    archived = [(r, c) for r, c in dict.fromkeys(archived) if r]
    chosen: set[str] = set()
    read_as: list[str] = []
    for raw in names:
        name = _norm(raw)
        if not name:
            continue
        hits: set[str] = set()
        for region, code in archived:
            if name == region:
                hits.add(region)
                read_as.append(region)
                continue
            # every level of a place is a piece of its full name and each form of a level starts
            # with the level's first character: a name whose first character the region lacks
            # names none of its levels. Checked before the levels are worked out (tens of
            # microseconds a place, seconds for a national archive's 40,000 places)
            if name[0] not in region:
                continue
            path = place_levels(region, code)
            i = _matched_level(name, _levels(path))
            if i is None:
                continue
            if exact and i != len(path) - 1:
                continue
            hits.add(region)
            read_as.append(path[i])
        if not hits:
            every = archived if everywhere is None else [(r, c) for r, c in dict.fromkeys(everywhere()) if r]
            raise InputError(_unknown_place(name, every, exact))
        chosen |= hits
    return PlaceMatch(frozenset(chosen), tuple(dict.fromkeys(read_as)))


def _unknown_place(name: str, archived: list[tuple[str, str | None]], exact: bool) -> str:
    if exact:
        below = [r for r, c in archived if name[0] in r and _matched_level(name, _levels(place_levels(r, c))) is not None]
        if below:
            return (f"no archived report of {name!r} itself (--exact leaves out the places below it: "
                    f"{', '.join(sorted(below)[:5])}{' …' if len(below) > 5 else ''})")
    known = _division_name(name)
    close = _close_places(name, [Place(r, c, place_levels(r, c)) for r, c in archived if _may_be_close(name, r)])
    hint = f"; closest in the archive: {', '.join(close)}" if close else ""
    if known:
        return f"no archived report of {known} ({name!r}){hint}"
    return f"unknown place {name!r}: no region of that name, in the archive or in GB/T 2260{hint}"


# characters nearly every place name holds: sharing only these does not make two names close
_GENERIC_CHARS = frozenset("省市区县州盟旗镇乡")


def _may_be_close(name: str, region: str) -> bool:
    """Whether ``region`` can hold a name close to ``name``: it shares one of its telling characters
    (every form of a place is made of its full name's characters), so a typo is answered without
    working out the levels of every place of a national archive."""
    telling = set(name) - _GENERIC_CHARS
    return not telling or any(ch in region for ch in telling)


def _division_name(name: str) -> str | None:
    """The full name of a real division called ``name``, when there is one answer."""
    try:
        from parser import regions
    except ImportError:
        return None
    for cand in (name, name + "区", name + "县", name + "市", name + "省"):
        if regions.place_prefix(cand)[0] == cand:  # the whole name is a place (or places) of the table
            res = regions.resolve_region([cand])
            return res.region or cand  # one answer, or a name several places share (西湖区)
    return None


def _close_places(name: str, places: list[Place], n: int = 5) -> list[str]:
    forms: dict[str, str] = {}
    for p in places:
        for full, level in zip(p.path, _levels(p.path)):
            for f in level_forms(level):
                forms.setdefault(f, full)
            forms.setdefault(full, full)
    core = _core(name)
    out = [forms[f] for f in forms if len(core) >= 2 and (core in f or _core(f) in core and len(_core(f)) >= 2)]
    out += [forms[f] for f in difflib.get_close_matches(name, list(forms), n=n, cutoff=0.5)]
    return list(dict.fromkeys(out))[:n]


def _without_level_chars(text: str) -> str:
    # four replaces: str.translate looks up every character of a CJK string in a dict (40x slower)
    return text.replace("省", "").replace("市", "").replace("区", "").replace("县", "")


# characters most agency names hold: sharing only these does not make two names close
_AGENCY_GENERIC_CHARS = _GENERIC_CHARS | frozenset("人民政府办公室局委员会厅")


def _agency_key(text: str) -> str:
    return _without_level_chars(_norm(text))


def _normalized(texts: list[str]) -> list[str]:
    """``_norm`` of each text, worked on them all in one string: C speed, where a national archive
    names 100,000 agencies and one call a name took most of a second."""
    out = _norm("\x00".join(texts)).split("\x00")
    return out if len(out) == len(texts) else [_norm(t) for t in texts]


def match_agencies(name: str, archived: Iterable[str]) -> set[str]:
    """The archived agency names ``name`` is a part of (level words of places ignored)."""
    wanted, key = _norm(name), _agency_key(name)
    agencies = [a for a in dict.fromkeys(archived) if a]
    normed = _normalized(agencies)
    hits = {a for a, n in zip(agencies, normed) if wanted in n}
    if key:
        hits.update(a for a, n in zip(agencies, _without_level_chars("\x00".join(normed)).split("\x00")) if key in n)
    if not hits:
        telling = set(wanted) - _AGENCY_GENERIC_CHARS
        near = [a for a, n in zip(agencies, normed) if not telling or any(ch in n for ch in telling)]
        close = difflib.get_close_matches(wanted, near, n=5, cutoff=0.4)
        hint = f"; closest in the archive: {', '.join(close)}" if close else ""
        raise InputError(f"no archived report of an agency matching {name!r}{hint}")
    return hits


def region_sort_key(region: str | None, code: str | None) -> tuple[str, str]:
    """Reports in the order of the division table (GB/T 2260 code: provinces north to south-west,
    a parent before its children), central bodies (全国) first, places without a code last."""
    if region == "全国":
        return ("000000", region)
    return (code or "999999", region or "\uffff")


def archived_places(conn, names: Iterable[str] | None = None) -> list[tuple[str, str | None]]:
    """(region, region_code) of every archived report's region: from ``places`` (kept by triggers,
    migration 10), or from every report in a catalog read as it is before it. With ``names``, only
    the places that can hold one of them (``resolve_places``: the name's first character in the full
    name), found by SQL: a national archive's 40,000 places cost 80 ms to read into Python."""
    where, args = "", []
    if names is not None:
        firsts = sorted({n[0] for n in map(_norm, names) if n})
        if not firsts:
            return []
        # LIKE's own wildcards escaped: the character itself, anywhere in the name
        args = ["%" + c.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for c in firsts]
        where = " AND (" + " OR ".join("region LIKE ? ESCAPE '\\'" for _ in firsts) + ")"
    if table_exists(conn, "places"):
        return [(r, c or None) for r, c in conn.execute(f"SELECT region, region_code FROM places WHERE n > 0{where}", args)]
    return [(r, c) for r, c in conn.execute(f"SELECT DISTINCT region, region_code FROM reports WHERE region IS NOT NULL{where}",
                                            args) if r]


def archived_agencies(conn) -> list[str]:
    """Every agency archived reports name (``agencies``, as ``archived_places``)."""
    if table_exists(conn, "agencies"):
        return [r[0] for r in conn.execute("SELECT agency FROM agencies WHERE n > 0")]
    return [r[0] for r in conn.execute("SELECT DISTINCT agency FROM reports") if r[0]]


def resolve_filters(conn, regions: Iterable[str] | None, agency: str | None, *,
                    exact: bool = False) -> tuple[PlaceMatch | None, set[str] | None]:
    """``--region`` (any number) and ``--agency`` against an open catalog: (places or None, agencies or None)."""
    names = [n for n in (regions or ()) if n and n.strip()]
    places = resolve_places(names, archived_places(conn, names), exact=exact,
                            everywhere=lambda: archived_places(conn)) if names else None
    agencies = match_agencies(agency, archived_agencies(conn)) if agency and agency.strip() else None
    return places, agencies
