"""Check site profiles: offline (the file loads: schema, hosts, selectors and regexes compile,
entry URLs are well-formed http(s) URLs on the profile's hosts) and live (what each entry page
shows now).

    check_files(paths) -> list[ProfileCheck]                  offline, every problem of each file
    probe_profile(profile, fetcher, year=None) -> ProfileProbe live, one EntryProbe per entry URL
    probe_profiles(profiles, fetcher, year=None) -> list[ProfileProbe]   several, one fetcher

A live probe fetches each entry URL once (a templated entry for one year, the last complete one
by default; at most ``MAX_UNITS`` units of a per-unit entry), through the crawler's own fetcher
(robots.txt obeyed, only the profile's hosts) and reads it with the profile's family module. When
a page lists no report link but asks for further list pages (API-driven families: jpaas,
gkmlpt), the first of those is read too. Each entry gets a stable ``status``:

    ok            report links found (``links``) or further list pages to read (``pages``)
    moved         answered after a redirect to another URL (read anyway; update the profile)
    empty         the page answered but the family module found nothing: the layout changed
    unreachable   no answer (DNS, connection, timeout): nothing can be said
    blocked       a bot defence answered (``detail`` names it); never evaded
    robots        robots.txt forbids the entry
    out_of_scope  a redirect left the profile's hosts
    http_error    4xx/5xx (``http_status``)

Nothing here prints; ``ProfileProbe.ok`` is true when every entry is ``ok`` or ``moved``.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..decode import decode_html
from ..discovery import family_module
from ..discovery.base import Page, PageRequest
from ..errors import (FetchTransportError, OutOfScopeError, ProfileError, RobotsDisallowedError,
                      ScraperError)
from ..fetcher import Fetcher
from ..frontier import normalize_url
from ..models import FetchRequest
from ..report_filter import classify_title
from ..unreachable import describe_reason
from .loader import load_profile
from .model import SiteProfile

__all__ = ["ProfileCheck", "EntryProbe", "ProfileProbe", "check_files", "probe_profile", "probe_profiles",
           "profile_files", "MAX_UNITS", "GOOD_STATUSES"]

MAX_UNITS = 3
GOOD_STATUSES = ("ok", "moved")


@dataclass(slots=True)
class ProfileCheck:
    file: str
    name: str | None
    ok: bool
    problems: list[str] = field(default_factory=list)
    profile: SiteProfile | None = None

    def to_dict(self) -> dict:
        return {"file": self.file, "name": self.name, "ok": self.ok, "problems": self.problems}


@dataclass(slots=True)
class EntryProbe:
    url: str
    status: str
    http_status: int | None = None
    final_url: str | None = None
    #: report links the family module found (after the title filter)
    links: int = 0
    #: further list pages it would read
    pages: int = 0
    detail: str = ""


@dataclass(slots=True)
class ProfileProbe:
    name: str
    entries: list[EntryProbe] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.entries) and all(e.status in GOOD_STATUSES for e in self.entries)

    def to_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "entries": [asdict(e) for e in self.entries]}


def profile_files(paths: Iterable[Path]) -> list[Path]:
    """The ``*.toml`` files of the given files and folders, sorted per folder."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        out.extend(sorted(p.glob("*.toml")) if p.is_dir() else [p])
    return out


def check_files(paths: Iterable[Path]) -> list[ProfileCheck]:
    """Offline check of each profile file: every problem found, one result per file."""
    results = []
    for f in profile_files(paths):
        try:
            prof = load_profile(f)
        except ProfileError as exc:
            problems = str(exc).split(": ", 1)[-1].split("; ")
            results.append(ProfileCheck(str(f), None, False, problems))
            continue
        results.append(ProfileCheck(str(f), prof.name, True, [], prof))
    return results


def _entry_urls(profile: SiteProfile, year: int) -> list[str]:
    urls: list[str] = []
    for entry in profile.entries:
        found = entry.urls(year, year) if entry.templated else entry.urls(None, None)
        urls.extend(found[:MAX_UNITS])
    return urls


def _read(profile: SiteProfile, module, request: PageRequest, result) -> tuple[int, list]:
    text = (result.body.decode(profile.encoding, "replace") if profile.encoding != "auto"
            else decode_html(result.body, result.charset)[0])
    listing = module.read_list(Page(result.final_url, text), profile, request)
    reports = [link for link in listing.links
               if profile.in_scope(link.url) and classify_title(link.title, profile.filter).is_report]
    return len(reports), [p for p in listing.next_pages if profile.in_scope(p.url)]


def _fetch(fetcher: Fetcher, request: PageRequest):
    return fetcher.fetch(FetchRequest(
        request.url, method=request.method, data=dict(request.data) if request.data else None,
        headers=dict(request.headers) or None,
        json=None if request.json_body is None else json.loads(request.json_body)))


def _probe_entry(profile: SiteProfile, module, fetcher: Fetcher, request: PageRequest,
                 unreachable: set[str]) -> EntryProbe:
    probe = EntryProbe(request.url, "unreachable")
    host = urlsplit(request.url).hostname or ""
    try:
        result = _fetch(fetcher, request)
    except RobotsDisallowedError as exc:
        probe.status, probe.detail = "robots", str(exc).split(": ", 1)[-1]
        return probe
    except OutOfScopeError as exc:
        probe.status, probe.detail = "out_of_scope", str(exc)
        return probe
    except FetchTransportError as exc:   # no answer, or robots.txt of the host had none
        unreachable.add(host)
        probe.detail = describe_reason(exc.reason or "connection")
        return probe
    except ScraperError as exc:
        probe.status, probe.detail = "http_error", str(exc)
        return probe
    probe.http_status, probe.final_url = result.status, result.final_url
    if result.blocked:
        probe.status, probe.detail = "blocked", result.blocked
        return probe
    if result.status >= 400:
        probe.status = "http_error"
        return probe
    probe.links, next_pages = _read(profile, module, request, result)
    probe.pages = len(next_pages)
    if probe.links == 0 and next_pages:   # an API-driven list: its first page tells more
        try:
            first = _fetch(fetcher, next_pages[0])
            if first.ok:
                probe.links, more = _read(profile, module, next_pages[0], first)
                probe.pages += len(more)
        except ScraperError as exc:
            probe.detail = f"first list page: {exc.reason or exc}"
    moved = normalize_url(result.final_url) != normalize_url(request.url)
    if probe.links == 0 and probe.pages == 0:
        probe.status = "empty"
        probe.detail = "no report link and no further list page: the page layout or URL changed"
    elif moved:
        probe.status, probe.detail = "moved", f"now at {result.final_url}"
    else:
        probe.status = "ok"
    return probe


def probe_profile(profile: SiteProfile, fetcher: Fetcher, year: int | None = None,
                  unreachable: set[str] | None = None) -> ProfileProbe:
    """Fetch and read each entry of ``profile`` now (see the module docstring for statuses).
    ``unreachable``: hosts already found unreachable through this fetcher (whose robots cache
    then says "disallow all"); ``probe_profiles`` shares it between profiles."""
    module = family_module(profile.family)
    fetcher.allow_hosts(profile.hosts)
    year = year or dt.date.today().year - 1
    ask = getattr(module, "entry_requests", None)
    out = ProfileProbe(profile.name)
    unreachable = set() if unreachable is None else unreachable
    for url in _entry_urls(profile, year):
        requests = ask(profile, url) if ask is not None else [PageRequest(url)]
        for request in requests[:1]:
            out.entries.append(_probe_entry(profile, module, fetcher, request, unreachable))
    return out


def probe_profiles(profiles: Iterable[SiteProfile], fetcher: Fetcher,
                   year: int | None = None) -> list[ProfileProbe]:
    """``probe_profile`` for each profile through one fetcher (profiles may share hosts)."""
    unreachable: set[str] = set()
    return [probe_profile(p, fetcher, year, unreachable) for p in profiles]
