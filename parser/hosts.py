"""The division a government host belongs to, read from its labels (pure; data in ``parser/data``).

    host_places("http://www.tianmen.gov.cn/zwgk/…")          -> HostPlaces("www.tianmen.gov.cn", ("429006",))
    host_places("http://qionghai.hainan.gov.cn/…")           -> ("469002",)   琼海, inside 海南
    host_places("https://xxgk.shbsq.gov.cn/article.html…")   -> ("310113",)   上海 + 宝山区 (b s q)
    host_places("http://www.gsgz.gov.cn/…")                  -> ("620702", "620922")  甘州区 or 瓜州县

Only ``gov.cn`` hosts are read: that domain is registered to government bodies alone, so its labels
are the body's own word for its place, where any other host (a mirror, a news portal) could be
anyone's. A label is a division's name in pinyin (``tianmen``, ``tianmenshi``), a province's
label (``province_hosts.tsv``: ``zj``, ``gxzf``), or a province's label followed by a division of
that province in pinyin or initials (``gsgz``, ``tjhq``, ``shbsq``), or a prefecture's name or
initials followed by one of its counties (``sgwjq``: 韶关 + 武江区; ``bzqc``: 亳州 + 谯城区) — initials
only ever after a parent, alone they name too many places. Labels are read from the right (the widest) and each
must lie inside the one before it; a label that names nothing there (``xxgk``, ``fgw``, ``sycyy``)
is passed over; a province's label as the widest label is that province (``hainan``, not
乌海's 海南区). Several divisions matching one label end the reading: the host is one of them.

The answer is where the host's government sits, which is the report's region only when the report
names no place of its own: ``parser.metadata`` uses it to settle an ambiguous name (胡市镇: 天门市's)
and, last, as the region of a report that names none.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from .regions import DATA_DIR, division, division_inside

__all__ = ["HostPlaces", "host_places", "gov_host"]

_LABEL = re.compile(r"^[a-z]{2,}$")


@dataclass(frozen=True, slots=True)
class HostPlaces:
    host: str
    codes: tuple[str, ...]  # one: the host's division; several: it is one of them


@dataclass(frozen=True, slots=True)
class _Names:
    alone: dict[str, frozenset[str]]  # label -> codes, a label that names a division by itself
    # (province or prefecture code, rest of the label) -> the codes inside it the rest names
    after_parent: dict[tuple[str, str], frozenset[str]]
    parents: dict[str, frozenset[str]]  # a label's first part -> the provinces/prefectures it names
    provinces: dict[str, str]  # a province's own label -> its code


def _initials(syllables: list[str]) -> set[str]:
    """bao shan -> {"bs"}; dong cheng -> {"dc", "dch"} (zh, ch, sh kept whole, as bjdch.gov.cn does)."""
    plain = "".join(s[0] for s in syllables)
    digraphs = "".join(s[:2] if s[:2] in ("zh", "ch", "sh") else s[0] for s in syllables)
    return {plain, digraphs}


def _frozen(d: dict) -> dict:
    return {k: frozenset(v) for k, v in d.items()}


@lru_cache(maxsize=1)
def _names() -> _Names:
    alone: dict[str, set[str]] = defaultdict(set)
    after: dict[tuple[str, str], set[str]] = defaultdict(set)
    parents: dict[str, set[str]] = defaultdict(set)
    provinces: dict[str, str] = {}
    with open(DATA_DIR / "province_hosts.tsv", encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                code, labels = line.rstrip("\n").split("\t")
                for label in labels.split():
                    provinces[label] = code
                    alone[label].add(code)
                    parents[label].add(code)
    with open(DATA_DIR / "pinyin.tsv", encoding="utf-8") as f:
        for line in f:
            code, _name, readings, suffix = line.rstrip("\n").split("\t")
            suffix_syllables = suffix.split()
            level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
            # where a label may name it after its parent's part: its province, and its prefecture
            outer = {code[:2] + "0000", code[:4] + "00"} - {code}
            for reading in readings.split("|"):
                syllables = reading.split()
                whole = "".join(syllables)
                # 顺河回族区: shunhe, shunhehuizuqu, shunhequ
                for label in {whole, whole + "".join(suffix_syllables), whole + "".join(suffix_syllables[-1:])}:
                    alone[label].add(code)
                    for parent in outer:
                        after[(parent, label)].add(code)
                if level == "province":
                    continue
                for initials in _initials(syllables):
                    for label in (initials, initials + suffix_syllables[-1][0] if suffix_syllables else initials):
                        for parent in outer:
                            after[(parent, label)].add(code)
                if level == "prefecture":  # sgwjq.gov.cn: 韶关 + 武江区, in full or initials
                    for label in (whole, *_initials(syllables)):
                        parents[label].add(code)
    return _Names(_frozen(alone), _frozen(after), _frozen(parents), provinces)


def gov_host(url: str | None) -> str | None:
    """The host of ``url`` when it is a ``gov.cn`` host, lower case; else None."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return host if host.endswith(".gov.cn") and host.count(".") >= 2 else None


def _matches(label: str, names: _Names) -> set[str]:
    found = set(names.alone.get(label, ()))
    for cut in range(2, len(label) - 1):  # a parent's part, then at least two letters of its own
        for parent in names.parents.get(label[:cut], ()):
            found |= names.after_parent.get((parent, label[cut:]), set())
    return found


def _inside(code: str, outer: str, year: int | None) -> bool:
    return code == outer or division_inside(code, outer, year)


def _in_use(codes: set[str], year: int | None) -> set[str]:
    if year is None:
        return codes
    current = {c for c in codes if (d := division(c, year)) is not None and d.in_use(year)}
    return current or codes


@lru_cache(maxsize=4096)
def _read(host: str, year: int | None) -> tuple[str, ...]:
    names = _names()
    labels = [x for x in host.split(".")[:-2] if _LABEL.match(x)]
    scope: str | None = None
    for label in reversed(labels):
        if scope is None and label in names.provinces:  # a province's own host (hainan.gov.cn, not 海南区)
            scope = names.provinces[label]
            continue
        found = {c for c in _matches(label, names) if scope is None or (c != scope and _inside(c, scope, year))}
        found = _in_use(found, year)
        if not found:
            continue
        if len(found) > 1:
            return tuple(sorted(found))
        scope = next(iter(found))
    return (scope,) if scope else ()


def host_places(url: str | None, year: int | None = None) -> HostPlaces | None:
    """The division(s) the ``gov.cn`` host of ``url`` belongs to, None when it is no such host or
    its labels name no division."""
    host = gov_host(url)
    if host is None:
        return None
    codes = _read(host, year)
    return HostPlaces(host, codes) if codes else None
