"""GB/T 2260 administrative divisions, offline: place names in text -> the most specific division.

Takes text candidates (title, agency names, site name, breadcrumbs, body snippets), most reliable
first, and an optional report year; returns ``Resolution(region, code, level)`` with the full name
province first ("浙江省杭州市余杭区", "天津市和平区", "贵州省黔东南苗族侗族自治州凯里市万潮镇").

Data: ``parser/data/divisions.csv`` (every province, prefecture and county-level division since
2008, with the years a historical one was in use) and ``parser/data/towns.tsv`` (乡镇/街道 by
county); see ``parser/data/README.md`` for their source. Both are read once, lazily, into a
module-level index. Reads no settings.

How a name is chosen: the first candidate that names any division is the subject's candidate;
its first mention, extended by the mentions after it that lie inside it ("杭州市" + "余杭区"), is
the subject. An ambiguous name (和平区: 天津 and 沈阳) is decided by the other candidates (a
"天津市" anywhere), then by the report year, then by the smaller number of levels above it (a
直辖市's district, a province over a prefecture of the same bare name); a tie left is no answer.
A town names only itself, so its county comes from the town table (when the name is unique) or
from the other candidates; towns never win a tie by level (82 towns are called 城关镇).

Areas outside GB/T 2260 (新区, 开发区, 高新区, 综合实验区, 自由贸易试验区…片区, and a town in one) are
kept as written, placed under the division named inside their name ("武汉东湖新技术开发区" ->
"湖北省武汉市东湖新技术开发区") or else under the province or city the other candidates name, with
code None; the longest form of the name the document writes wins ("福州高新区" -> "福州高新技术产业开发区").
``agrees_with(resolution, text)`` checks an answer against the places a whole document names: a
county of one province in a document that names only another province's places is refused.
``dominant_division(text, word)`` is the division a level word ("我州", "市外办") means: the one of
that level the text names (most, or alone); ``place_spans(text)`` finds the whole place names a
text writes (for the positions ``parser.metadata`` reads). A town whose county is not the county
the other candidates name is no answer.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress, count
from operator import add
from pathlib import Path

from .memo import per_document
from .numbers import normalize_width

__all__ = [
    "Division", "Resolution", "NATIONAL", "LEVELS", "resolve_region", "division", "full_name",
    "is_central_body", "strip_places", "place_prefix", "names_a_place", "agrees_with", "dominant_division", "place_spans",
    "division_inside", "first_place", "forget_scans", "towns_named", "zones_named", "short_forms",
    "TOWN_SUFFIXES",
    "ZONE_SUFFIXES",
]

DATA_DIR = Path(__file__).parent / "data"
LEVELS = ("national", "province", "prefecture", "county", "town")

# the 56 nationalities as they appear inside autonomous names (族 optional: 哈萨克自治州)
ETHNIC_NAMES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_ETHNIC = "|".join(sorted(ETHNIC_NAMES, key=len, reverse=True))
_AUTONOMOUS_RE = re.compile(rf"^(?P<geo>.{{2,}}?)(?:(?:{_ETHNIC})族?)+自治(?P<kind>州|县|旗)$")
PROVINCE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
# county names that are also plain words (城区改造, 新城区建设): matched only after their parent
GENERIC_COUNTY_NAMES = frozenset(
    "城区 郊区 矿区 东区 西区 新城区 老城区 城中区 城东区 城西区 城北区 市中区 市南区 市北区 新区 "
    "开发区 高新区 经济开发区 经济技术开发区 城关区".split())
TOWN_SUFFIXES = ("街道", "镇", "乡", "苏木")
# a town written after its county but missing from the town table (renamed or merged since)
_TOWN_ALT = "|".join(TOWN_SUFFIXES)
_TOWN_RE = re.compile(rf"^(?:人民政府)?(?P<town>[\u4e00-\u9fff]{{1,8}}?(?:{_TOWN_ALT}))(?:人民政府|政府|办事处)?")
# areas outside GB/T 2260 by the word that ends their name (an 产业园 with its own 管理委员会, as
# 苏银产业园, is one; 园区, 景区, 社区 are not areas: their bodies report as agencies)
ZONE_SUFFIXES = ("综合实验区", "实验区", "试验区", "开发区", "高新区", "新区", "片区", "经济区", "示范区", "保税区", "产业园",
                 "合作区")
# an area's name at the start of a candidate: as long as it runs, never into its body's name
_ZONE_BODY_WORDS = r"管理委员会|管委会|工作委员会|党工委|人民政府|政府|办公室|发展|财政|[局委厅办]"
_ZONE_RE = re.compile(rf"^(?P<zone>(?:(?!{_ZONE_BODY_WORDS})[\u4e00-\u9fff（）()]){{1,40}}(?:{'|'.join(ZONE_SUFFIXES)}))")
# the words of an area's name that say what kind it is, not which one
_ZONE_GENERIC = re.compile(r"国家级?|高新技术产业|高新技术|经济技术|新技术|高新|经济|技术|产业|综合|自由贸易|"
                           + "|".join(ZONE_SUFFIXES))
_CONTEXT_SCAN = 6000  # characters of a document read to settle an ambiguous name
# what may stand between a place and the place inside it when both make one name
_JOINERS = re.compile(r"^(?:人民政府|政府|[·・\-—\s])?$")
# central (national) bodies: no place name, and one of these shapes
_OFFICE_CHARS = frozenset("局委办厅部院会所处室府司队站心")
CENTRAL_PREFIXES = ("国务院", "国家", "中华人民共和国", "中国", "最高人民", "中央")
CENTRAL_SUFFIXES = ("部", "署", "总局")


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    parent: str | None
    since: int | None  # first year in use, None when in use since 2008 or before
    until: int | None  # last year in use, None when still in use

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        return "prefecture" if self.code.endswith("00") else "county"

    def in_use(self, year: int) -> bool:
        return (self.since is None or self.since <= year) and (self.until is None or year <= self.until)


@dataclass(frozen=True, slots=True)
class Resolution:
    region: str | None
    code: str | None
    level: str | None


NATIONAL = Resolution("全国", None, "national")
_NONE = Resolution(None, None, None)


@dataclass(frozen=True, slots=True)
class _Town:
    county: str  # the county's code
    name: str


_Target = Division | _Town


@dataclass(slots=True, frozen=True)  # shared: _scan's answers are memoised
class _Mention:
    start: int
    end: int
    targets: tuple[_Target, ...]


@dataclass(slots=True)
class _Index:
    by_code: dict[str, list[Division]]
    names: dict[str, list[Division]]  # a division's names (full, short, after its parent)
    town_counties: dict[str, list[str]]  # a town's name -> the codes of the counties that have one
    lengths: dict[str, tuple[int, ...]]  # first two characters -> name lengths, longest first
    towns: dict[str, list[str]]  # county code -> town names

    def targets(self, name: str) -> tuple[_Target, ...]:
        """What ``name`` may be: divisions first, then towns in the table's order. A town's target is
        made here, for the names a text holds, not for the ~38,700 towns at start-up."""
        divisions = self.names.get(name, ())
        counties = self.town_counties.get(name)
        if counties is None:
            return tuple(divisions)
        return (*divisions, *(_Town(county, name) for county in counties))


def _int(s: str) -> int | None:
    return int(s) if s else None


def short_forms(d: Division) -> list[str]:
    """The shorter names a division goes by (杭州, 黔东南州, 广西, 长阳县)."""
    name, out = d.name, []
    if d.level == "province":
        for suffix in PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
        return out
    m = _AUTONOMOUS_RE.match(name)
    if m:
        out.append(m["geo"] + m["kind"])
        if d.level == "prefecture":
            out.append(m["geo"])
    elif d.level == "prefecture":
        for suffix in ("地区", "盟", "市"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
    return out


def _add(names: dict[str, list[_Target]], key: str, target: _Target) -> None:
    bucket = names.setdefault(key, [])
    if target not in bucket:
        bucket.append(target)


@lru_cache(maxsize=1)
def _divisions() -> dict[str, list[Division]]:
    """Code -> its divisions (a reused code has several): all that naming a code needs (~20 ms, where
    the name index below takes ~200 ms; a command that only names the regions it stores reads this)."""
    by_code: dict[str, list[Division]] = {}
    with open(DATA_DIR / "divisions.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            d = Division(row["code"], row["name"], row["parent"] or None, _int(row["since"]), _int(row["until"]))
            by_code.setdefault(d.code, []).append(d)
    return by_code


@lru_cache(maxsize=1)
def _index() -> _Index:
    by_code = _divisions()
    names: dict[str, list[_Target]] = {}
    for divs in by_code.values():
        for d in divs:
            if d.name in GENERIC_COUNTY_NAMES:
                for p in by_code.get(d.parent or "", []):
                    for pname in (p.name, *short_forms(p)):
                        _add(names, pname + d.name, d)
                continue
            _add(names, d.name, d)
            for short in short_forms(d):
                _add(names, short, d)
    towns: dict[str, list[str]] = {}
    town_counties: dict[str, list[str]] = {}
    with open(DATA_DIR / "towns.tsv", encoding="utf-8") as f:
        for line in f:
            county, _, rest = line.rstrip("\n").partition("\t")
            towns[county] = list(dict.fromkeys(rest.split()))  # a county's town once
            for t in towns[county]:
                town_counties.setdefault(t, []).append(county)
    # keyed by two characters: one text position in thirty starts a name's first two, so the scan
    # looks at the rest only there (every name has two characters or more; a shorter one is refused)
    lengths: dict[str, set[int]] = {}
    for key in chain(names, town_counties):
        if len(key) < 2:
            raise ValueError(f"a place name of one character cannot be scanned for: {key!r}")
        lengths.setdefault(key[:2], set()).add(len(key))
    return _Index(by_code, names, town_counties, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()},
                  towns)


def division(code: str, year: int | None = None) -> Division | None:
    """The division with this 6-digit code (the one in use in ``year`` when the code was reused)."""
    divs = _divisions().get(code)
    if not divs:
        return None
    return max(divs, key=lambda d: (year is not None and d.in_use(year), d.until is None))


def _chain(d: Division, year: int | None) -> list[Division]:
    out = [d]
    while out[-1].parent:
        p = division(out[-1].parent, year)
        if p is None:
            break
        out.append(p)
    return out[::-1]


def full_name(code: str, year: int | None = None) -> str | None:
    """"浙江省杭州市余杭区" for 330110; a 直辖市's district has no prefecture level ("天津市和平区")."""
    d = division(code, year)
    return "".join(x.name for x in _chain(d, year)) if d else None


# one parse asks for the places of the same texts many times (its title, header lines and body by
# each reader of metadata): ~7x the characters it holds, 40% of an HTML report's parse. Answers are
# kept while one document is read (parser.pipeline forgets them after it)
@per_document(maxsize=512)
def _scan(text: str) -> tuple[_Mention, ...]:
    """Every place name in ``text``, leftmost-longest, not overlapping."""
    idx = _index()
    starts, names, towns = idx.lengths, idx.names, idx.town_counties
    out: list[_Mention] = []
    n = len(text)
    free = 0  # the first position not inside the last name found
    # a name starts only where its first two characters stand: every position's pair is made and
    # tried in C (``add`` over the text and the text a character on), no slice made in Python
    at_pair = compress(count(), map(starts.__contains__, map(add, text, text[1:])))
    for i in at_pair:
        if i < free:
            continue
        for length in starts[text[i:i + 2]]:
            if i + length > n:
                continue
            name = text[i:i + length]
            if name in names or name in towns:
                out.append(_Mention(i, i + length, idx.targets(name)))
                free = i + length
                break
    return tuple(out)


def forget_scans() -> None:
    """Drop the memoised scans (``parser.memo.forget_documents`` drops them with the other memos)."""
    _scan.cache_clear()


def _county_of(t: _Target, year: int | None) -> Division | None:
    return division(t.county, year) if isinstance(t, _Town) else t


def _ancestor_codes(t: _Target, year: int | None) -> set[str]:
    d = _county_of(t, year)
    if d is None:
        return set()
    codes = {x.code for x in _chain(d, year)}
    if isinstance(t, _Town):
        return codes
    return codes - {d.code}


def _code(t: _Target) -> str:
    return t.county if isinstance(t, _Town) else t.code


def _depth(t: _Target, year: int | None) -> int:
    d = _county_of(t, year)
    return len(_chain(d, year)) + (1 if isinstance(t, _Town) else 0) if d else 99


def _pick(targets: tuple[_Target, ...], context: set[str], year: int | None) -> _Target | None:
    """One reading of an ambiguous name: other candidates' places, then year, then fewer levels."""
    if len(targets) == 1:
        return targets[0]

    def key(t: _Target) -> tuple[int, int, int, int]:
        d = _county_of(t, year)
        in_use = int(d is not None and year is not None and d.in_use(year))
        current = int(d is not None and d.until is None)
        # fewer levels above wins a tie between divisions (a 直辖市's 和平区 is written bare),
        # never between towns: 82 城关镇 have no such order
        fewer_levels = 0 if isinstance(t, _Town) else -_depth(t, year)
        return (len(_ancestor_codes(t, year) & context), in_use, current, fewer_levels)

    ranked = sorted(targets, key=key, reverse=True)
    return ranked[0] if key(ranked[0]) != key(ranked[1]) else None


def _subject(text: str, mentions: tuple[_Mention, ...], context: set[str], year: int | None) -> _Target | None:
    """The first mention, narrowed by the mentions right after it that lie inside it."""
    chosen = _pick(mentions[0].targets, context, year)
    upper = {_code(t) for t in mentions[0].targets}
    end = mentions[0].end
    for m in mentions[1:]:
        inside = tuple(t for t in m.targets if _ancestor_codes(t, year) & upper)
        # "杭州市余杭区", "黄浦区人民政府打浦桥街道": one name; a place further on is another matter
        if not inside or not _JOINERS.match(text[end:m.start]):
            break
        chosen = _pick(inside, context | upper, year)
        upper, end = {_code(t) for t in inside}, m.end
    return chosen


def _resolution(t: _Target, year: int | None, town: str | None = None) -> Resolution:
    d = _county_of(t, year)
    if d is None:
        return _NONE
    name = "".join(x.name for x in _chain(d, year))
    if isinstance(t, _Town):
        town = t.name
    if town:
        return Resolution(name + town, d.code, "town")
    return Resolution(name, d.code, d.level)


def _town_at(text: str) -> str | None:
    """A town name at the start of ``text`` ("正阳镇人民政府"), not an office ("教育局乡村…")."""
    m = _TOWN_RE.match(text)
    # "县乡村振兴局" opens with a level word, not with a town called 县乡
    if not m or len(m["town"]) < 2 or any(c in _OFFICE_CHARS for c in m["town"]) \
            or re.fullmatch(rf"[省市区县州旗盟](?:{_TOWN_ALT})", m["town"]):
        return None
    return m["town"]


def _deepest_inside(mentions: tuple[_Mention, ...], year: int | None) -> Division | None:
    """The most specific division among mentions that each lie inside the one before (福建 … 福州)."""
    chosen: Division | None = None
    for m in mentions:
        divs = [t for t in m.targets if isinstance(t, Division)]
        if chosen is not None:
            divs = [d for d in divs if chosen.code in _ancestor_codes(d, year)]
        if len(divs) == 1 or (divs and chosen is None and len({d.code for d in divs}) == 1):
            chosen = divs[0]
    return chosen


def _fuller_form(name: str, texts: list[str]) -> str:
    """The longest form of ``name`` the texts write (its characters in order, same first and last)."""
    best = name
    pattern = re.compile(re.escape(name[0]) + r"[\u4e00-\u9fff（）()]{1,30}?" + re.escape(name[-1]))
    for text in texts:
        for m in pattern.finditer(text):
            chars = iter(m.group(0))
            if len(m.group(0)) > len(best) and all(c in chars for c in name):
                best = m.group(0)
    return best


def _zone_at(text: str, year: int | None) -> tuple[str, Division | None, str | None] | None:
    """(the area's name, the division inside its name, a town after it) when ``text`` opens with an
    area outside GB/T 2260; None for a GB/T 2260 division (滨海新区) or no area."""
    m = _ZONE_RE.match(text)
    if not m:
        return None
    zone = m["zone"]
    mentions = _scan(zone)
    if mentions and mentions[-1].end == len(zone) and any(isinstance(t, Division) for t in mentions[-1].targets):
        return None
    town = _town_at(text[m.end():])
    return zone, _deepest_inside(mentions, year), town


def _zone_resolution(zone: str, inside: Division | None, town: str | None, others: Resolution,
                     texts: list[str], year: int | None) -> Resolution:
    parent = inside
    if parent is None and others.code:
        d = division(others.code, year)
        # an area sits under a province or a city, not under a county the text also names
        parent = division(d.parent, year) if d is not None and d.level == "county" and d.parent else d
    if parent is None:
        return _NONE
    zone = _fuller_form(zone, texts)
    chain = _chain(parent, year)
    # "鄂州市临空经济区" under 鄂州市: the city is not written twice; a short name stays when
    # without it the area has no name of its own ("福州高新技术产业开发区", not "高新技术产业开发区")
    names = {x.name for x in chain}
    names |= {n for x in chain for n in short_forms(x)
              if zone.startswith(n) and len(_ZONE_GENERIC.sub("", zone[len(n):])) >= 2}
    while True:
        lead = next((n for n in sorted(names, key=len, reverse=True) if zone.startswith(n) and len(zone) > len(n) + 2), None)
        if lead is None:
            break
        zone = zone[len(lead):]
    return Resolution("".join(x.name for x in chain) + zone + (town or ""), None, "zone")


def _context_codes(text: str, year: int | None) -> set[str]:
    """Codes (and their ancestors) of the whole, unambiguous place names a text holds."""
    codes: set[str] = set()
    for m in _scan(text):
        if len(m.targets) == 1 and m.end - m.start >= _MIN_CHECKED_NAME:
            codes.add(_code(m.targets[0]))
            codes |= _ancestor_codes(m.targets[0], year)
    return codes


def resolve_region(text_candidates: list[str], year: int | None = None, context: str = "",
                   host_codes: tuple[str, ...] = ()) -> Resolution:
    """The most specific division the candidates name, full name province first; ``context`` (the
    document's text) only settles which of several places a name means (新安镇: 来安县's), it never
    names the subject itself. ``host_codes``: the divisions the document's gov.cn host belongs to
    (``parser.hosts``); they settle an ambiguous name as ``context`` does, and one of them is the
    last candidate, so a report that names no place, or only a town, is placed there.

    >>> resolve_region(["和平区发展改革委2019年政府信息公开工作年度报告"]).region
    '天津市和平区'
    >>> resolve_region(["胡市镇人民政府2019年政府信息公开工作年度报告"], 2019, host_codes=("429006",)).region
    '湖北省天门市胡市镇'
    """
    texts = [normalize_width(t).replace(" ", "") for t in text_candidates if t]
    around = _context_codes(normalize_width(context[:_CONTEXT_SCAN]).replace(" ", ""), year) if context else set()
    for code in host_codes:
        d = division(code, year)
        if d is not None:
            around |= {x.code for x in _chain(d, year)}
    if len(host_codes) == 1 and (name := full_name(host_codes[0], year)):
        texts.append(name)
    for i, text in enumerate(texts):
        zone = _zone_at(text, year)
        if zone:
            others = _resolve(texts[:i] + texts[i + 1:], year, around) if zone[1] is None else _NONE
            return _zone_resolution(*zone, others, [*texts, context[:_CONTEXT_SCAN]], year)
        if any(isinstance(t, Division) for m in _scan(text) for t in m.targets):
            # a candidate before it names a division ("平潭县人民政府", the title's publisher): an area
            # named after it (the site's 平潭综合实验区, which took the county's place) is not the subject
            break
    return _resolve(texts, year, around)


def _resolve(texts: list[str], year: int | None, around: set[str]) -> Resolution:
    found = [(t, _scan(t)) for t in texts]
    context = {_code(x) for _, ms in found for m in ms for x in m.targets if len(m.targets) == 1} | around
    context |= {c for _, ms in found for m in ms for x in m.targets if len(m.targets) == 1
                for c in _ancestor_codes(x, year)}
    pending_town: str | None = None
    idx = _index()
    for text, mentions in found:
        if not mentions:
            pending_town = pending_town or _town_at(text)
            continue
        subject = _subject(text, mentions, context, year)
        if subject is None:
            if all(isinstance(t, _Town) for t in mentions[0].targets) and pending_town is None:
                pending_town = mentions[0].targets[0].name  # an ambiguous town: its county comes later
                continue
            return _NONE
        if isinstance(subject, _Town):
            # a town whose county is not the county the other candidates name is no place at all
            counties = {t.code for _, ms in found for m in ms if len(m.targets) == 1
                        for t in m.targets if isinstance(t, Division) and t.level == "county"}
            return _resolution(subject, year) if not counties or subject.county in counties else _NONE
        last = max((m for m in mentions if subject in m.targets), key=lambda m: m.end, default=None)
        town = _town_at(text[last.end:]) if last and subject.level == "county" else None
        if pending_town and subject.level == "county":
            known = pending_town in idx.town_counties
            if known and pending_town not in idx.towns.get(subject.code, ()):
                return _NONE  # a town the table puts in other counties: the two do not make one place
            town = pending_town
        return _resolution(subject, year, town)
    return _NONE


def towns_named(text: str, county: str, limit: int = 20000) -> list[str]:
    """The towns of the county ``county`` (a code) that ``text`` names, in order, each once."""
    found: list[str] = []
    for m in _scan(normalize_width(text[:limit]).replace(" ", "")):
        for t in m.targets:
            if isinstance(t, _Town) and t.county == county and t.name not in found:
                found.append(t.name)
    return found


def zones_named(text: str, county: str, limit: int = 20000) -> list[str]:
    """The areas outside GB/T 2260 (ZONE_SUFFIXES) whose name opens with the county's name or its
    stem ("来凤经济开发区" for 来凤县), as ``text`` writes them, each once."""
    d = division(county)
    if d is None:
        return []
    stems = {d.name} | ({d.name[:-1]} if len(d.name) >= 3 and d.name[-1] in "县区市旗" else set())
    pattern = re.compile(rf"(?:{'|'.join(map(re.escape, sorted(stems, key=len, reverse=True)))})"
                     rf"[\u4e00-\u9fff]{{0,12}}?(?:{'|'.join(ZONE_SUFFIXES)})")
    found: list[str] = []
    for m in pattern.finditer(normalize_width(text[:limit]).replace(" ", "")):
        if m.group(0) not in found:
            found.append(m.group(0))
    return found


def place_prefix(name: str) -> tuple[str, str]:
    """(the place names at the start of ``name``, the last of them): ("天津市和平区", "和平区") for
    "天津市和平区发展改革委"; ("", "") when it opens with no place."""
    s = normalize_width(name).replace(" ", "")
    pos, last = 0, ""
    for m in _scan(s):
        if m.start != pos:
            break
        pos, last = m.end, s[m.start:m.end]
    return s[:pos], last


def first_place(text: str) -> int | None:
    """Where the first place name in ``text`` starts ("由广西壮族自治区…" -> 1), or None."""
    found = _scan(text)
    return found[0].start if found else None


def names_a_place(text: str) -> bool:
    """Whether ``text`` holds any place name (国家税务总局杭州市税务局: yes; 教育部: no)."""
    return bool(_scan(normalize_width(text).replace(" ", "")))


# the words a whole place name ends with
_LEVEL_ENDINGS = ("省", "市", "区", "县", "旗", "州", "盟", "地区", *TOWN_SUFFIXES)
# place names a document's check counts: whole names (a suffix and two characters before it) and
# provinces' short names; a bare two-character county (和县) proves nothing about a document
_MIN_CHECKED_NAME = 3


def agrees_with(res: Resolution, text: str, limit: int = 20000) -> bool:
    """Whether the places ``text`` names allow ``res``: a county- or town-level answer is refused
    when the text names places of other provinces at least twice and never one of its own."""
    if res.code is None or res.level not in ("county", "town"):
        return True
    d = division(res.code)
    if d is None:
        return True
    province = _chain(d, None)[0].code
    own = other = 0
    for m in _scan(normalize_width(text[:limit]).replace(" ", "")):
        if m.end - m.start < _MIN_CHECKED_NAME and not any(isinstance(t, Division) and t.level == "province"
                                                           for t in m.targets):
            continue
        provinces = {_chain(c, None)[0].code for t in m.targets if (c := _county_of(t, None)) is not None}
        if province in provinces:
            own += 1
        elif len(provinces) == 1:
            other += 1
    return own > 0 or other < 2


# what a bare level word before a body ("自治区人民政府办公厅", "市外办", "县商务局") stands for
_LEVEL_OF_WORD = {"自治区": ("province",), "省": ("province",), "市": ("prefecture", "province"), "州": ("prefecture",),
                  "盟": ("prefecture",), "县": ("county",), "区": ("county",), "旗": ("county",)}


def dominant_division(text: str, word: str, year: int | None = None, limit: int = 20000, *,
                      within: str | None = None, alone: bool = False) -> Resolution:
    """The division a bare level word ("自治区", "市", "县") means in ``text``: the one of that level
    the text names most, at least twice and more than twice as often as any other; else none.
    ``within``: only divisions inside the one with this code count. ``alone``: one mention is
    enough when the text names no other division of that level (a report that speaks as "我州" and
    names one 州)."""
    levels = _LEVEL_OF_WORD.get(word)
    if not levels:
        return _NONE
    counts: dict[str, int] = {}
    for m in _scan(normalize_width(text[:limit]).replace(" ", "")):
        divs = {t for t in m.targets if isinstance(t, Division)}
        if len(divs) != 1 or (m.end - m.start < _MIN_CHECKED_NAME and next(iter(divs)).level != "province"):
            continue
        for d in _chain(next(iter(divs)), year):
            fits = d.level in levels and (d.level != "province" or word != "市" or d.name.endswith("市")) \
                and (word != "自治区" or d.name.endswith("自治区")) and (word != "省" or d.name.endswith("省"))
            if fits and (within is None or within in _ancestor_codes(d, year)):
                counts[d.code] = counts.get(d.code, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    least = 1 if alone and len(ranked) == 1 else 2
    if not ranked or ranked[0][1] < least or (len(ranked) > 1 and ranked[0][1] <= 2 * ranked[1][1]):
        return _NONE
    d = division(ranked[0][0], year)
    return Resolution("".join(x.name for x in _chain(d, year)), d.code, d.level) if d else _NONE


def division_inside(code: str, outer: str, year: int | None = None) -> bool:
    """Whether the division ``code`` lies inside the division ``outer``."""
    d = division(code, year)
    return d is not None and outer in {x.code for x in _chain(d, year)[:-1]}


def place_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each whole place name in ``text`` ("渭南市临渭区", "兰州市", "三江镇"): a name
    of three characters or more ending in its level word, with the names inside it that follow it
    ("渭南市" + "临渭区"); short forms (兰州, 和县) are not whole names."""
    out: list[tuple[int, int]] = []
    for m in _scan(text):
        name = text[m.start:m.end]
        if len(name) < _MIN_CHECKED_NAME or not name.endswith(_LEVEL_ENDINGS):
            continue
        if out and out[-1][1] == m.start:
            out[-1] = (out[-1][0], m.end)
        else:
            out.append((m.start, m.end))
    return out


def strip_places(name: str) -> str:
    """``name`` without the place names at its start ("和平区发展改革委" -> "发展改革委")."""
    s = normalize_width(name).replace(" ", "")
    return s[len(place_prefix(s)[0]):]


def is_central_body(name: str) -> bool:
    """A national body (自然资源部, 国家统计局, 国务院办公厅): no place name, a central shape."""
    s = normalize_width(name).replace(" ", "")
    if not s or names_a_place(s):
        return False
    return s.startswith(CENTRAL_PREFIXES) or s.endswith(CENTRAL_SUFFIXES)
