"""How far a report is trusted, from where its bytes came from and the place it claims.

    report_provenance(conn, report_ids) -> {report id: Provenance}
    classify(claim, sources, scopes) -> Provenance            (pure: the rule itself)
    host_scopes(profiles) -> {host: [Scope]}                  (which places a host speaks for)

Any page can claim to be 余杭区's 2017 report (issue 13). A report is **official** for the place it
claims only when it was fetched from a host of that place's site profile, or from its
government's gov.cn domain (``xxx.yuhang.gov.cn`` when the profile's entry is on
``www.yuhang.gov.cn``, and no other profile's place shares that domain); a department's or a
central body's site is official only for its own agency. A file imported from disk is a **local**
copy; anything fetched elsewhere is a **third-party copy**. Trust orders copies before anything
else (``archive.compare.duplicates``): official (2) > local (1) > copy (0), so a third-party page,
even one titled 更正, never displaces the official report, and a local file never displaces the
official web source.

A report whose host belongs to a known place that is neither the place it claims nor one above it
(a parent portal publishing its districts' reports is fine) is a **mismatch**: ``xxgk check``
flags it. Profiles: the built-in ones plus ``<home>/sites`` (found from the catalog's path).

``source_of_record`` picks the URL a record names among its document's sources: the most trusted
web source, so a file imported later never replaces the official URL (issue 14).
"""
from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

__all__ = ["Scope", "Claim", "Provenance", "OFFICIAL", "LOCAL", "COPY", "TRUST_NAMES", "classify",
           "host_scopes", "report_provenance", "site_profiles", "source_of_record"]

OFFICIAL, LOCAL, COPY = 2, 1, 0
TRUST_NAMES = {OFFICIAL: "official source", LOCAL: "local import", COPY: "third-party copy"}
_AGENCY_LEVELS = ("central", "department")  # sites official for one agency, not for the whole place
_AGENCY_NOISE = re.compile(r"^中华人民共和国|^国家(?=\S{2,}局$)")
_CHUNK = 900


@dataclass(frozen=True, slots=True)
class Scope:
    """A place (and, for a department or central body, an agency) a host speaks for."""

    site: str
    region: str
    region_code: str | None
    agency: str | None  # only for central/department sites


@dataclass(frozen=True, slots=True)
class Claim:
    region: str | None
    region_code: str | None
    agency: str | None


@dataclass(frozen=True, slots=True)
class Provenance:
    trust: int
    host: str | None   # the host that earned the trust (or the first one seen)
    site: str | None   # the profile that host belongs to, if any
    mismatch: str | None = None  # why the claim does not fit its host (for `xxgk check`)

    @property
    def label(self) -> str:
        where = f" ({self.host}{', site ' + self.site if self.site else ''})" if self.host else ""
        return TRUST_NAMES[self.trust] + where


def _gov_domain(host: str) -> str | None:
    """'www.yuhang.gov.cn' -> 'yuhang.gov.cn'; None for a host outside gov.cn."""
    labels = host.lower().split(".")
    if len(labels) >= 3 and labels[-2:] == ["gov", "cn"]:
        return ".".join(labels[-3:])
    return None


def host_scopes(profiles: Iterable) -> dict[str, list[Scope]]:
    """Host (or ``*.domain`` for a gov.cn domain) -> the scopes it is official for."""
    exact: dict[str, list[Scope]] = defaultdict(list)
    domains: dict[str, list[Scope]] = defaultdict(list)
    for p in profiles:
        if not p.region and not p.agency:
            continue  # an ad hoc profile: no place of its own
        scope = Scope(p.name, p.region or "", p.region_code,
                      p.agency if p.level in _AGENCY_LEVELS else None)
        for host in p.hosts:
            exact[host.lower()].append(scope)
        for entry in p.entries:
            domain = _gov_domain(urlsplit(entry.url).hostname or "")
            if domain:
                domains[domain].append(scope)
    out = dict(exact)
    for domain, scopes in domains.items():
        if len({(s.region, s.region_code) for s in scopes}) == 1:  # a domain of one place only
            out["*." + domain] = scopes
    return out


def _scopes_of(host: str, scopes: Mapping[str, list[Scope]]) -> list[Scope]:
    found = list(scopes.get(host, ()))
    domain = _gov_domain(host)
    if domain:
        found += [s for s in scopes.get("*." + domain, ()) if s not in found]
    return found


def _same_place(claim: Claim, s: Scope) -> bool:
    if claim.region_code and s.region_code:
        return claim.region_code == s.region_code
    return bool(claim.region) and claim.region == s.region


def _above(s: Scope, claim: Claim) -> bool:
    """Whether the scope's place is the claimed place's ancestor (a parent portal)."""
    if s.region == "全国":
        return True
    if claim.region_code and s.region_code and len(claim.region_code) >= 6 and len(s.region_code) >= 6:
        a, c = s.region_code[:6], claim.region_code
        if a == c[:6]:
            return len(c) > 6  # a town (9+ digits) under its county
        if a[2:] == "0000":  # a province: every code that starts with its two digits
            return c[:2] == a[:2]
        return a[4:] == "00" and c[:4] == a[:4]  # a city: its districts and counties
    return bool(claim.region and s.region) and claim.region != s.region and claim.region.startswith(s.region)


def _agency_key(name: str | None) -> str:
    return _AGENCY_NOISE.sub("", (name or "").strip())


def _agency_fits(claim: Claim, s: Scope) -> bool:
    if not s.agency or not claim.agency:
        return True
    a, b = _agency_key(claim.agency), _agency_key(s.agency)
    return a in b or b in a


def classify(claim: Claim, sources: Sequence[Mapping], scopes: Mapping[str, list[Scope]]) -> Provenance:
    """The trust of a report claiming ``claim`` whose document was found at ``sources``."""
    best: Provenance | None = None
    mismatch: str | None = None
    for src in sources:
        if src["kind"] != "crawl":
            if best is None or best.trust < LOCAL:
                best = Provenance(LOCAL, None, None)
            continue
        host = (urlsplit(src.get("final_url") or src["url"]).hostname or "").lower()
        found = _scopes_of(host, scopes)
        official = next((s for s in found if _same_place(claim, s) and _agency_fits(claim, s)), None)
        if official is not None:
            return Provenance(OFFICIAL, host, official.site)
        if claim.region and mismatch is None:
            mismatch = _mismatch(claim, host, found, scopes)
        if best is None or best.trust < COPY:
            best = Provenance(COPY, host, found[0].site if found else None)
    best = best or Provenance(COPY, None, None)
    return Provenance(best.trust, best.host, best.site, mismatch)


def _mismatch(claim: Claim, host: str, found: list[Scope], scopes: Mapping[str, list[Scope]]) -> str | None:
    """Why a crawled copy does not fit the place it claims, when that can be told."""
    who = claim.region + (f" {claim.agency}" if claim.agency else "")
    if found and not any(_agency_fits(claim, s) if _same_place(claim, s) else _above(s, claim) for s in found):
        places = ", ".join(sorted({" ".join(x for x in (s.region, s.agency) if x) for s in found}))
        return f"claims {who} but came from {host}, a host of {places}"
    if found:
        return None  # a parent government's portal: a copy, rightly
    own = sorted(h for h, ss in scopes.items()
                 if not h.startswith("*.") and any(_same_place(claim, x) and _agency_fits(claim, x) for x in ss))
    if own:
        return f"claims {who}, whose official hosts are {', '.join(own[:3])}, but came from {host}"
    return None


@lru_cache(maxsize=8)
def site_profiles(home: str | None) -> tuple:
    """The built-in profiles and those of ``<home>/sites``."""
    try:
        from scraper.profiles import load_profiles
    except ImportError:  # a trimmed install without the crawler: no profile, nothing official
        return ()
    extra = [Path(home) / "sites"] if home else []
    # only their hosts, entries and places are read here: selectors are not compiled to check them
    return tuple(load_profiles(extra, full=False).values())


@lru_cache(maxsize=8)
def _scopes_for(home: str | None) -> dict[str, list[Scope]]:
    from .scope_cache import scopes  # kept between processes while no profile file changes

    return scopes(home, lambda: host_scopes(site_profiles(home)), Scope)


def _home_of(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(Path(row[2]).parent) if row and row[2] else None


def report_provenance(conn: sqlite3.Connection, report_ids: Iterable[int]) -> dict[int, Provenance]:
    ids = list(report_ids)
    scopes = _scopes_for(_home_of(conn))
    out: dict[int, Provenance] = {}
    for i in range(0, len(ids), _CHUNK):
        part = ids[i:i + _CHUNK]
        marks = ", ".join("?" * len(part))
        claims = {rid: Claim(region, code, agency) for rid, region, code, agency in conn.execute(
            f"SELECT id, region, region_code, agency FROM reports WHERE id IN ({marks})", part)}
        sources: dict[int, list[dict]] = defaultdict(list)
        for rid, kind, url, final_url in conn.execute(
                f"SELECT r.id, s.kind, s.url, s.final_url FROM reports r JOIN sources s ON s.document_id = r.document_id "
                f"WHERE r.id IN ({marks}) ORDER BY s.id", part):
            sources[rid].append({"kind": kind, "url": url, "final_url": final_url})
        for rid, claim in claims.items():
            out[rid] = classify(claim, sources[rid], scopes)
    return out


def source_of_record(claim: Claim, sources: Sequence[Mapping], given: str | None, home: str | None) -> str | None:
    """The URL a record of these bytes names: the most trusted crawled source, else ``given``."""
    crawled = [src for src in sources if src["kind"] == "crawl"]
    if not crawled:
        return given
    scopes = _scopes_for(home)
    ranked = sorted(crawled, key=lambda src: (classify(claim, [src], scopes).trust, src["url"] == given), reverse=True)
    return ranked[0]["url"]
