"""`xxgk crawl --discover` and `--write-profile`: a dry run that teaches, and the profile it writes.

``run_discovery(profiles, settings, …) -> (CrawlSummary, [site report])`` runs the crawl engine in
dry-run mode over an in-memory sink: the start walk finds each URL's annual-report columns
(``scraper.discovery.walk``), every list page of them is read (robots.txt, scope and delays as in a
crawl), no report page or file is fetched and nothing is stored. ``describe_discovery`` turns one
site of it into a report: how the columns were found, each column's family and why, how it pages,
the report links of its first page, its list pages, and the requests a full crawl makes.
``print_discovery`` says it in words; ``write_profile`` writes ``<home>/sites/NAME.toml``
(``scraper.profiles.writer``), which ``xxgk crawl --site NAME`` then reads.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.discovery import family_module
from scraper.engine import CrawlEngine, CrawlSettings, CrawlSummary, SiteProgress
from scraper.fetcher import Fetcher
from scraper.frontier import PENDING, CrawlRequest
from scraper.profiles import SiteProfile
from scraper.profiles.writer import Discovered, DiscoveredColumn, profile_toml
from scraper.settings import FetchSettings
from scraper.sink import MemorySink
from scraper.unreachable import describe_reason

from ..cli_common import console, err_console, print_json
from ..errors import InputError

__all__ = ["run_discovery", "describe_discovery", "print_discovery", "write_profile",
           "discover_and_report"]

_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")
#: failure reasons of a request that was never sent
_NOT_SENT = ("robots_disallowed", "robots_unavailable", "out_of_scope", "invalid_url")


def run_discovery(profiles: list[SiteProfile], settings: CrawlSettings, *,
                  fetch_settings: FetchSettings | None = None,
                  resolve: dict[str, str] | None = None) -> tuple[CrawlSummary, list[dict[str, Any]]]:
    """The dry run of ``profiles`` (see the module docstring)."""
    sink = MemorySink()
    fetcher = Fetcher(fetch_settings, resolve=resolve)
    try:
        engine = CrawlEngine(profiles, sink, fetcher, replace(settings, dry_run=True, resume=False))
        summary = engine.run()
    finally:
        fetcher.close()
    return summary, [describe_discovery(p, summary, sink) for p in profiles]


def describe_discovery(profile: SiteProfile, summary: CrawlSummary, sink: MemorySink) -> dict[str, Any]:
    """One site of a dry run, as data (``--json`` prints it as it is)."""
    progress = summary.sites.get(profile.name) or SiteProgress(profile.name)
    frontier = list(sink.frontiers.get(profile.name, {}).values())
    children: dict[str | None, list[CrawlRequest]] = defaultdict(list)
    for request, _ in frontier:
        children[request.referrer].append(request)
    columns = dict(progress.columns) or {
        r.url: {"family": profile.family, "why": ["an entry of the profile"]}
        for r, _ in frontier if r.kind == "list" and r.referrer is None}
    walked = {v["url"] for s in progress.start for v in s.get("visits", [])} - set(columns)
    out_columns = []
    for url, found in columns.items():
        family = found.get("family") or profile.family
        pages: list[CrawlRequest] = []
        reports: set[str] = set()
        queue, seen = [url], {url}
        while queue:
            for child in sorted(children.get(queue.pop(0), []),
                                key=lambda r: (r.page_no, r.list_position or 0)):
                if child.kind == "list" and child.url not in seen and child.url not in walked:
                    seen.add(child.url)
                    pages.append(child)
                    queue.append(child.url)
                elif child.kind != "list":
                    reports.add(child.url)
        first = sorted((r for r in children.get(url, []) if r.kind != "list"),
                       key=lambda r: r.list_position or 0)
        try:
            how = family_module(family).PAGINATION
        except Exception:   # noqa: BLE001 — a family without the words
            how = ""
        out_columns.append({
            "url": url, "family": family, "why": found.get("why", []),
            "fallback": found.get("fallback", ""), "found": found.get("found"), "pagination": how,
            "list_pages": [{"method": r.method, "url": r.url, "page_no": r.page_no} for r in pages],
            "first_page_links": [{"title": r.list_title, "url": r.url, "date": r.list_date,
                                  "kind": r.kind} for r in first],
            "report_links": len(reports),
        })
    # pages refused before anything was sent (robots.txt, scope) are no request
    refused = {u for s, u, r in summary.failures if s == profile.name
               and (r in _NOT_SENT or r.startswith("unreachable_"))}
    made = [r for r, st in frontier if r.kind == "list" and st != PENDING and r.url not in refused]
    would = [r for r, _ in frontier if r.kind != "list"]
    hosts = sorted({urlsplit(r.url).hostname or "" for r, _ in frontier} - {""})
    asked = {urlsplit(r.url).hostname or "" for r in made} - {""}
    start_pages = len([v for s in progress.start for v in s.get("visits", [])
                       if v["outcome"] != "not opened" and v["url"] not in refused])
    return {
        "site": profile.name, "entries": [e.url for e in profile.entries],
        "site_name": next((s["site_name"] for s in progress.start if s.get("site_name")), ""),
        "start": progress.start, "columns": out_columns, "hosts": hosts, "failed": progress.failed,
        "failures": [{"url": u, "reason": r} for s, u, r in summary.failures if s == profile.name],
        "requests": {"robots": len(asked), "start_pages": start_pages,
                     "list_pages": max(0, len(made) - start_pages), "reports": len(would),
                     "total": len(asked) + len(made) + len(would), "refused": len(refused)},
    }


def print_discovery(found: list[dict[str, Any]]) -> None:
    """What ``--discover`` found, site by site, in words."""
    def out(text: str) -> None:
        console.print(text, markup=False, soft_wrap=True)

    for site in found:
        out(site["site"] + (f" ({site['site_name']})" if site.get("site_name") else ""))
        if site.get("failed"):
            out(f"  nothing read: {site['failed']}")
        for walk in site.get("start", []):
            out(f"  from {walk['start']}: {walk['pages']} pages tried to find the report columns "
                f"(budget {walk['budget']}{', spent' if walk['exhausted'] else ''})")
            for v in walk["visits"]:
                out(f"    hop {v['hop']} {v['outcome']:<10} {v['url']}  ({v['why']})")
        for c in site["columns"]:
            out(f"  column {c['url']}")
            where = c.get("found") or {}
            if where.get("found_on"):
                out(f"    found on {where['found_on']} (hop {where['hop']})")
            out(f"    family {c['family']} ({'; '.join(c['why'])})"
                + (f"; {c['fallback']}" if c.get("fallback") else ""))
            if c.get("pagination"):
                out(f"    pagination: {c['pagination']}")
            pages = c["list_pages"]
            out(f"    list pages after the first: {len(pages)}")
            for p in pages[:12]:
                out(f"      {p['method']} {p['url']}")
            if len(pages) > 12:
                out(f"      … {len(pages) - 12} more")
            out(f"    report links on the first page: {len(c['first_page_links'])}")
            for link in c["first_page_links"]:
                out(f"      {link['date'] or '':<10} {link['title']}  {link['url']}")
            out(f"    report links on all its pages: {c['report_links']}")
        r = site["requests"]
        pages = (f"{r['start_pages']} pages to find the columns (their first pages among them), "
                 f"{r['list_pages']} more list pages" if r["start_pages"]
                 else f"{r['list_pages']} list pages")
        out(f"  a full crawl makes {r['total']} requests: {r['robots']} robots.txt, {pages}, "
            f"{r['reports']} report pages and files (and the files those pages link)"
            + (f"; {r['refused']} refused before asking (robots.txt, scope)" if r.get("refused") else ""))
        out(f"  hosts: {', '.join(site['hosts'])}")
        for f in site.get("failures", [])[:10]:
            out(f"  {describe_reason(f['reason'])}: {f['url']}")
    out("(dry run: nothing was stored)")


def profile_target(name: str, home: Path | None) -> tuple[str, Path]:
    """(profile name, file) of ``--write-profile``: a NAME goes to ``<home>/sites/NAME.toml``."""
    from ..home import resolve_home_path

    if name.endswith(".toml") or "/" in name or "\\" in name:
        path = Path(name)
        return path.stem, path
    return name, resolve_home_path(home) / "sites" / f"{name}.toml"


def write_profile(name: str, path: Path, found: dict[str, Any], profile: SiteProfile,
                  today: dt.date | None = None) -> Path:
    """Write the profile of one discovered site; return the file."""
    columns = []
    for c in found["columns"]:
        where = c.get("found") or {}
        label = (f"found on {where['found_on']}: " if where.get("found_on") else "") \
            + "; ".join(where.get("why") or c.get("why") or [])
        columns.append(DiscoveredColumn(c["url"], c["family"], label, bool(c.get("fallback"))))
    start_host = urlsplit(profile.entries[0].url).hostname or ""
    hosts = [start_host] + [h for h in found["hosts"] if h != start_host]
    text = profile_toml(name, Discovered(
        profile.entries[0].url, found.get("site_name") or "", columns, hosts,
        list(profile.domains), list(profile.attachments.domains), today or dt.date.today()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def discover_and_report(profiles: list[SiteProfile], settings: CrawlSettings,
                        fetch_settings: FetchSettings, resolve: dict[str, str] | None,
                        write: str | None, home: Path | None, json_out: bool) -> CrawlSummary:
    """``xxgk crawl --discover [--write-profile NAME]``: run, print (or ``--json``), write."""
    import typer

    target = None
    if write:
        if len(profiles) != 1:
            raise InputError("--write-profile writes one profile: give exactly one URL")
        target = profile_target(write, home)
        if not _NAME.fullmatch(target[0]):
            raise InputError(f"--write-profile {write!r}: a profile name is lower-case letters, "
                             "digits, - _ . (e.g. gaochun)")
        if target[1].exists():
            raise InputError(f"{target[1]} exists already: remove it or choose another name")
    summary, found = run_discovery(profiles, settings, fetch_settings=fetch_settings,
                                   resolve=resolve)
    written = None
    if target is not None and found and found[0]["columns"] and not summary.interrupted:
        written = write_profile(target[0], target[1], found[0], profiles[0])
    if json_out:
        print_json({"discover": found, "stats": summary.stats, "interrupted": summary.interrupted,
                    "all_failed": summary.all_failed,
                    **({"profile": str(written)} if written else {})})
    else:
        print_discovery(found)
        if written:
            console.print(f"profile written: {written} (crawl with it: xxgk crawl --site {target[0]})",
                          markup=False, soft_wrap=True)
    if target is not None and written is None and not summary.interrupted:
        err_console.print(f"error: no report column found from {profiles[0].entries[0].url}: "
                          "no profile written", markup=False)
        raise typer.Exit(1)
    return summary
