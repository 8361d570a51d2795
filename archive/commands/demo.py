"""`xxgk demo`: the main job, offline: crawl the loopback replica, parse, index, search, compare.

Starts the replica (``replica.ReplicaServer``, in-process, on 127.0.0.1) with its sites served
under their real host names, crawls every one of them with delays off (the generic mode for the
site without a profile), parses as it goes, indexes, then shows
a search and a comparison through the same commands a user runs, and imports the bundled example
reports. The home is left for the user to explore with the other commands.
"""
from __future__ import annotations

import shlex
import shutil
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from scraper.discovery import families as discovery_families
from scraper.engine import CrawlSettings
from scraper.profiles import SiteProfile, adhoc_profile, builtin_profiles
from scraper.settings import FetchSettings

from ..cli_common import HomeOpt, console, open_home
from ..indexing import sync_index
from ..ingest import import_paths
from ..status import distinct_reports

__all__ = ["register", "examples_dir", "replica_profiles", "xxgk_command", "DEMO_SEARCH", "DEMO_REGION"]

DEMO_SEARCH = "依申请公开"
DEMO_REGION = "江宁区"


def examples_dir() -> Path:
    return Path(str(resources.files("archive") / "examples"))


def replica_profiles(info, families: tuple[str, ...] | None = None) -> list[SiteProfile]:
    """The shipped profiles of the replica's sites (those of a family the crawler has, or of
    ``families``), and a generic profile for a site the replica serves without one."""
    known = builtin_profiles()
    families = set(families or discovery_families())
    return ([known[name] for name, spec in info.sites.items()
             if spec.profile and name in known and known[name].family in families]
            + [adhoc_profile(spec.entry_url) for spec in info.sites.values() if not spec.profile])


def xxgk_command() -> str:
    """How to run this xxgk as printed: `xxgk` when the shell finds this one, else its path
    (relative to the current folder when inside it: `.venv/bin/xxgk`)."""
    me = Path(sys.argv[0]) if sys.argv and sys.argv[0].endswith("xxgk") else Path(sys.executable).parent / "xxgk"
    found = shutil.which("xxgk")
    if found and me.exists() and Path(found).resolve() == me.resolve():
        return "xxgk"
    if not me.exists():
        return "xxgk"
    try:
        rel = me.resolve().relative_to(Path.cwd().resolve())
        return shlex.quote(str(rel))
    except ValueError:
        return shlex.quote(str(me.resolve()))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)


def _run_command(argv: list[str]) -> None:
    """Run another xxgk command as the user would (its output is the demo's)."""
    from ..cli import app

    try:
        app(args=argv, prog_name="xxgk", standalone_mode=False)
    except Exception as e:   # noqa: BLE001 — the demo goes on without that step
        console.print(f"  ({argv[0]} skipped: {e})", markup=False)


def _index(home_path: Path) -> str:
    with open_home(home_path) as h:
        return f"search index: {sync_index(h)}"


def demo_cmd(
    home: HomeOpt = None,
    seed: Annotated[int, typer.Option(help="the replica's world (same seed, same reports)")] = 0,
) -> None:
    """Crawl the offline replica of government sites, parse, index, search and compare.

    Takes well under a minute and leaves a home to explore.
    Example: xxgk demo --home /tmp/xxgk-demo && xxgk reports --home /tmp/xxgk-demo
    """
    from replica import ReplicaServer

    from .crawl import crawl_with_display, print_summary

    started = time.monotonic()
    h = open_home(home, create=True)
    home_path = h.path
    xxgk, home_arg = xxgk_command(), shlex.quote(str(home_path))
    with h, ReplicaServer(seed=seed, delays=0.2) as rep:
        info = rep.info
        console.print(f"archive home: {home_path}")
        console.print(f"replica: {len(info.hosts)} hosts of {len(info.sites)} sites on "
                      f"{info.address}:{info.port} (https stand-in :{info.https_port}), "
                      f"{len(rep.truth.expected())} reachable reports")
        profiles = replica_profiles(info)
        settings = CrawlSettings(delay=0, allow_fast=True)
        summary = crawl_with_display(h, profiles, settings,
                                     FetchSettings(delay=0, backoff_base=0.1), info.resolve)
        reports = distinct_reports(h.catalog.conn)  # the one count of reports (archive.status)
        print_summary(summary, len(reports), home_path)
        for r in reports[:12]:
            console.print(f"  report {r.id}: {r.year} {r.region or '?'} {r.agency or ''} "
                          f"[{r.format}]" + (f" (+{len(r.merged)} copies)" if r.merged else ""),
                          markup=False)
        if len(reports) > 12:
            console.print(f"  … {len(reports) - 12} more: {xxgk} reports --home {home_arg}", markup=False)
    with open_home(home_path) as h:
        summary_import = import_paths(h, [examples_dir()])
    c = summary_import.counts
    console.print(f"bundled examples: {c['new']} new, {c['parsed']} parsed, "
                  f"{c['not_report']} not a report, {c['failed']} failed")
    console.print(_index(home_path), markup=False)
    console.print(f"\n$ xxgk search {DEMO_SEARCH}")
    _run_command(["search", DEMO_SEARCH, "--home", str(home_path), "--limit", "5"])
    console.print(f"\n$ xxgk compare --region {DEMO_REGION} --metrics headline")
    _run_command(["compare", "--home", str(home_path), "--region", DEMO_REGION, "--metrics", "headline"])
    first = reports[0].id if reports else "ID"
    console.print(f"done in {time.monotonic() - started:.0f} s. Next, as printed:", markup=False)
    for cmd in (f"{xxgk} reports --home {home_arg}", f"{xxgk} show {first} --home {home_arg}",
                f"{xxgk} search {DEMO_SEARCH} --region {DEMO_REGION} --home {home_arg}",
                f"{xxgk} compare --region {DEMO_REGION} --shape by-year --change --home {home_arg}",
                f"{xxgk} serve --home {home_arg}"):  # last: the web page over this home (http://127.0.0.1:8080/)
        console.print(f"  {cmd}", markup=False, soft_wrap=True)
