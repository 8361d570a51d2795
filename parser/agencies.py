"""An agency's name as written -> its full official name.

``normalise_agency(written, where, text)`` takes the name a report gives its body ("自治区政府办公厅",
"广州市国资委", "省政府研究室(发展研究中心)", "东丽区水务局"), the report's region
(``parser.regions.Resolution``) and its text, and returns the full name ("广西壮族自治区人民政府办公厅",
"广州市人民政府国有资产监督管理委员会", "湖北省人民政府研究室(发展研究中心)", "天津市东丽区水务局"):

1. noise that sticks to a written name goes (a year, "(以下简称…)", a system's or column's name);
2. a short name the document defines ("广西壮族自治区北部湾经济区规划建设管理办公室(以下简称
   自治区北部湾办)") is the name it stands for; a fuller form of the same name that the document
   itself writes wins ("阎良区文化旅游局" in the title, "阎良区文化和旅游体育局" in the body: the
   short name's characters, in order, inside the longer one, same first and last character; never
   two bodies joined by 及);
3. short forms are expanded (``agency_names.EXPANSIONS``: 国资委, 发改委, 政府办…);
4. the place: a bare level word ("自治区", "省", "县") or no place at all takes the region's name
   at that level; a district of a 直辖市 or a prefecture keeps or gets its city ("天津市东丽区",
   "福州市鼓楼区"), a county drops the prefecture written before it ("阿拉善右旗", not
   "阿拉善盟阿拉善右旗"); a body of a government's own ("参事室", "办公厅") gets 人民政府 after the place;
5. a central body drops the state's name ("中华人民共和国教育部" -> "教育部").

Pure; the rules are DATA in ``parser.agency_names``. Reads no settings.
"""
from __future__ import annotations

import re

from .agency_names import CENTRAL_PREFIX, EXPANSIONS, GOVERNMENT_BODIES, NAME_NOISE
from .numbers import normalize_width
from .extract.lines import NAME_ENDINGS
from .regions import CENTRAL_PREFIXES, Resolution, division, first_place, names_a_place, place_prefix, short_forms

__all__ = ["normalise_agency", "clean_agency"]

# a short form ending in 委 is not one inside a full 委员会 ("发展改革委员会" stays)
_EXPAND = re.compile("|".join(f"(?P<x{i}>{short}{'(?!员会)' if short.endswith('委') else ''})"
                              for i, (short, _) in enumerate(EXPANSIONS)))
_NOISE = tuple(re.compile(p) for p in NAME_NOISE)
# "(以下简称发展改革局)": an alias the report defines, not part of the name
_ALIAS = re.compile(r"[（(](?:以下|下称|简称).*$|[（(][^）)]*$|[（(](?:本级机关|机关本级|本级|本部|机关)[)）]$")
_LEVEL_WORDS = ("自治区", "自治州", "省", "市", "州", "盟", "区", "县", "旗")
_CJK = r"\u4e00-\u9fff"


def clean_agency(name: str) -> str:
    """A written name without what sticks to it: a label, a year, an alias, a system's name."""
    s = normalize_width(name).strip()
    s = re.sub(r"^标[\s\u3000]*题[:：]?", "", s)
    s = _ALIAS.sub("", s)
    changed = True
    while changed:
        changed = False
        for pattern in _NOISE:
            shorter = pattern.sub("", s).strip()
            if shorter != s and len(shorter) >= 2:
                s, changed = shorter, True
    return s


def _expand(core: str) -> str:
    return _EXPAND.sub(lambda m: EXPANSIONS[int(m.lastgroup[1:])][1], core)


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _fuller_in_text(place: str, core: str, text: str) -> str | None:
    """A longer name of the same body the document writes after the same place."""
    if not place or len(core) < 2 or not text:
        return None
    stem = place_prefix(place)[1] or place
    if stem + core[0] not in text:  # what the pattern below starts with: most documents, no compiling
        return None
    pattern = re.compile(re.escape(stem) + rf"(?P<core>{re.escape(core[0])}[{_CJK}]{{1,16}}?{re.escape(core[-1])})")
    for m in pattern.finditer(text):
        longer = m["core"]
        # "沈阳市人民政府及沈阳市人民政府办公厅" is two bodies, not a longer name of one
        if re.search(r"[及与、]", longer) or names_a_place(longer):
            continue
        if len(longer) > len(core) and _is_subsequence(core, longer):
            return longer
    return None


def _canonical_place(written: str, where: Resolution) -> str:
    """The place part of a full name, from the written one and the report's region."""
    d = division(where.code) if where and where.code else None
    if d is None:
        return written
    chain = [d]
    while chain[-1].parent and (p := division(chain[-1].parent)) is not None:
        chain.append(p)
    chain.reverse()  # province first
    by_level = {x.level: x for x in chain}
    if written in ("省", "自治区"):
        return by_level["province"].name if "province" in by_level else written
    if written in ("市", "州", "盟"):
        prefecture = by_level.get("prefecture") or by_level.get("province")
        return prefecture.name if prefecture else written
    county = by_level.get("county")
    if written in ("县", "区", "旗") or not written:
        if county is None:
            return (by_level.get("prefecture") or chain[-1]).name if not written else written
        written = county.name
    # an autonomous prefecture's short form ("昌吉州生态环境局…": 昌吉回族自治州's) is written in full (not a bare
    # "重庆": 重庆解放碑中央商务区 is a name of its own)
    short = next((x.name for x in chain if written != x.name and written[-1:] in "州盟" and written in short_forms(x)), None)
    if short is not None:
        return short
    if county is not None and written.endswith(county.name):
        parent = chain[-2] if len(chain) >= 2 else None
        # a district is written with its city (鼓楼区 is in five cities); a county on its own
        if parent is not None and county.name.endswith("区"):
            return written if written.startswith(parent.name) else parent.name + county.name
        return county.name
    return written


def _defined_by_alias(name: str, text: str) -> str | None:
    """The full name the document defines ``name`` as a short form of: "由广西壮族自治区北部湾经济区
    规划建设管理办公室(以下简称自治区北部湾办)编制" -> the name before the brackets, from its first place."""
    if len(name) < 2 or not text:
        return None
    text = normalize_width(text)
    if "称" not in text or name not in text:  # what the pattern below needs: most documents, no compiling
        return None
    alias = re.compile(rf"(?P<run>[{_CJK}（）()]{{4,80}})[（(](?:以下简称|以下称|下称|简称)[:：]?[“\"「]?{re.escape(name)}[”\"」]?[)）]")
    for m in alias.finditer(text):
        run = re.sub(r"[（(][^（）()]*[)）]", "", m["run"])
        at = first_place(run)
        full = run[at:] if at is not None else re.sub(r"^(?:由|经|是|为|系|对|在)", "", run)
        if len(full) > len(name) and full.endswith(tuple(NAME_ENDINGS)):
            return full
    return None


def normalise_agency(written: str, where: Resolution | None = None, text: str = "") -> str:
    """The full official name of the body written ``written`` (see the module docstring)."""
    name = clean_agency(written)
    name = _defined_by_alias(name, text) or name
    if name.startswith(CENTRAL_PREFIX) and len(name) > len(CENTRAL_PREFIX) + 1:
        return name[len(CENTRAL_PREFIX):]
    place, _ = place_prefix(name)
    if not place:
        # a bare level word before the body ("自治区政府办公厅", "县人民政府办公室")
        m = re.match("|".join(_LEVEL_WORDS), name)
        place = m.group(0) if m and not re.match(r"[市区县]场|区域|市场", name) else ""
    core = name[len(place):]
    core = _fuller_in_text(place, core, text) or core
    core = _expand(core)
    # a name with a place inside ("国家税务总局杭州市税务局") or a central one is complete as it is
    if where is not None and where.code and (place or not (names_a_place(name) or name.startswith(CENTRAL_PREFIXES))):
        place = _canonical_place(place, where)
    if place and core.startswith(GOVERNMENT_BODIES):
        core = "人民政府" + core
    return place + core
