"""`xxgk crawl` (sites by profile, or any URL of a site in generic mode) and `xxgk sites` (list, check).

Profiles: the built-in ones (``scraper/profiles/sites``) plus ``<home>/sites/*.toml``. A URL
(home page, 政府信息公开 page or column) is crawled without a profile: its annual-report columns
are found from it (``scraper.discovery.walk``). ``--discover`` is a dry run that stores nothing
and says what a crawl would do; ``--write-profile NAME`` writes ``<home>/sites/NAME.toml`` from it.
``--resolve HOST=ADDR`` sends a host to another address (as curl's ``--resolve``): that is how
the loopback replica is crawled; ``--delay`` may go below a profile's delay only when every
host of the crawl is resolved to loopback.
"""
from __future__ import annotations

import ipaddress
import re
import shlex
import signal
import sys
import threading
from contextlib import contextmanager

from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.live import Live
from rich.table import Table

from scraper.engine import CrawlSettings, CrawlSummary, SiteProgress
from scraper.errors import ProfileError
from scraper.profiles import SiteProfile, adhoc_profile, load_profiles, sites_dir
from scraper.settings import FetchSettings
from scraper.unreachable import describe_reason

from ..cli_common import (HomeOpt, IndexOpt, JsonOpt, YearsOpt, console, err_console, keep_index_current, open_home,
                          parse_year_range, print_json)
from ..output import Column, emit, fold, resolve_format, table_of
from ..status import count_reports
from ..crawl import run_crawl
from .archive_cmds import WorkersOpt
from .crawl_discover import discover_and_report
from ..errors import InputError

__all__ = ["register", "select_profiles", "loopback_only", "crawl_with_display", "print_summary",
           "interrupted_line", "all_failed_line", "PROGRESS_COLUMNS"]

PROGRESS_COLUMNS = ("listed", "found", "fetched", "stored", "parsed", "skipped", "unchanged",
                    "errors", "blocked", "queued")

sites_app = typer.Typer(help="The site profiles the crawler knows.", no_args_is_help=False,
                        invoke_without_command=True)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl_cmd)
    app.add_typer(sites_app, name="sites")


def _profiles(home: Path | None) -> dict[str, SiteProfile]:
    from ..home import resolve_home_path

    return load_profiles([resolve_home_path(home) / "sites"])


def select_profiles(known: dict[str, SiteProfile], names: list[str], urls: list[str]) -> list[SiteProfile]:
    """The profiles named (``all`` for every one) plus a generic profile per column URL."""
    chosen: list[SiteProfile] = []
    for name in names:
        if name == "all":
            chosen.extend(known.values())
        elif name in known:
            chosen.append(known[name])
        else:
            raise InputError(f"no site profile {name!r} (see `xxgk sites`)")
    for url in urls:
        try:
            chosen.append(adhoc_profile(url))
        except ProfileError as e:
            raise InputError(f"{url}: not an http(s) column URL") from e
    if not chosen:
        raise InputError("nothing to crawl: give --site NAME (see `xxgk sites`) or a column URL")
    unique = {p.name: p for p in chosen}
    return list(unique.values())


def _parse_resolve(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        m = re.fullmatch(r"\s*([^=\s]+)\s*=\s*(\S+)\s*", item)
        if not m or ":" not in m.group(2).split("//")[-1]:
            raise InputError(f"--resolve {item!r}: expected HOST=ADDRESS:PORT (e.g. www.x.gov.cn=127.0.0.1:8080)")
        out[m.group(1).lower()] = m.group(2)
    return out


def loopback_only(profiles: list[SiteProfile], resolve: dict[str, str]) -> bool:
    """Whether every host of these profiles is resolved to a loopback address."""
    def is_loopback(target: str) -> bool:
        host = target.split("//")[-1].rsplit(":", 1)[0].strip("[]")
        try:
            return host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    for p in profiles:
        for h in p.hosts:
            targets = [t for k, t in resolve.items() if k in (h, f"http://{h}", f"https://{h}")]
            if not targets or not all(is_loopback(t) for t in targets):
                return False
    return True


# what a narrow terminal leaves out first (higher first); the site and what was found stay
_COLUMN_PRIORITY = {"skipped": 6, "unchanged": 5, "queued": 4, "listed": 3, "blocked": 2, "stored": 2, "fetched": 1}


def _site_table(title: str, columns: tuple[str, ...], rows: list[dict], width: int) -> Table:
    """A table per site fitted to ``width`` (archive.output): columns of less use left out first."""
    specs = [Column("site", "site", wrap=True, min_width=12)] + [
        Column(c, c, priority=_COLUMN_PRIORITY.get(c, 0), justify="right") for c in columns]
    return table_of(specs, rows, width, title=title)


def _progress_table(rows: dict[str, SiteProgress]) -> Table:
    data = [{"site": name, **{c: getattr(p, c) for c in PROGRESS_COLUMNS},
             "": "done" if p.done else ("resumed" if p.resumed else "")} for name, p in rows.items()]
    return _site_table("crawling", PROGRESS_COLUMNS + ("",), data, err_console.width)


def crawl_cmd(
    urls: Annotated[Optional[list[str]], typer.Argument(help="URLs of sites without a profile: a home page, its 政府信息公开 page or the report column (generic mode)", show_default=False)] = None,
    site: Annotated[Optional[list[str]], typer.Option("--site", "-s", help="a site profile name (repeatable; `all` for every one)")] = None,
    years: YearsOpt = None,
    max_pages: Annotated[Optional[int], typer.Option(help="list pages read per column at most (counted as read, whatever their labels say)")] = None,
    max_requests: Annotated[Optional[int], typer.Option(help="requests per site in this run at most (default 20000); the rest is left for the next run")] = None,
    refresh: Annotated[bool, typer.Option(help="fetch again what the archive already has, unconditionally")] = False,
    revalidate: Annotated[bool, typer.Option(help="ask with a conditional GET whether archived files changed (--no-revalidate: request nothing the archive has)")] = True,
    delay: Annotated[Optional[float], typer.Option(help="seconds between requests per host (not below a profile's, except on loopback)")] = None,
    resolve: Annotated[Optional[list[str]], typer.Option(help="HOST=ADDRESS:PORT: send a host elsewhere (the loopback replica)")] = None,
    restart: Annotated[bool, typer.Option(help="start over instead of resuming an unfinished crawl")] = False,
    discover: Annotated[bool, typer.Option("--discover", help="dry run: find the report columns and read their list pages, fetch no report, store nothing; say what a crawl would do")] = False,
    write_profile: Annotated[Optional[str], typer.Option("--write-profile", help="with one URL: write <home>/sites/NAME.toml (or a .toml path) from what --discover found (implies --discover)", show_default=False)] = None,
    workers: WorkersOpt = None,
    index: IndexOpt = True,
    home: HomeOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Crawl sites for annual reports into the archive: politely, resumably, parsed as they arrive.

    A URL is any page of a site without a profile (its home page, its 政府信息公开 page or the
    column): the annual-report columns are found from it. Run the same command again after an
    interruption: it continues where it stopped.
    Example: xxgk crawl --site yuhang --site jiangning --years 2015-2023
    Example: xxgk crawl --discover http://www.gaochun.gov.cn/ --write-profile gaochun
    """
    profiles = select_profiles(_profiles(home), site or [], urls or [])
    lo, hi = parse_year_range(years)
    resolve_map = _parse_resolve(resolve or [])
    fast = loopback_only(profiles, resolve_map) if resolve_map else False
    slow = [p.name for p in profiles if delay is not None and delay < p.request.delay]
    if slow and not fast:
        raise InputError(f"--delay {delay} is below the profile delay of {', '.join(slow)}; "
                         "only a crawl of loopback hosts (--resolve to 127.0.0.1) may go faster")
    if max_pages is not None and max_pages < 1:
        raise InputError("--max-pages must be at least 1")
    if max_requests is not None and max_requests < 1:
        raise InputError("--max-requests must be at least 1")
    settings = CrawlSettings(year_from=lo, year_to=hi, max_pages=max_pages, refresh=refresh,
                             **({"max_requests": max_requests} if max_requests else {}),
                             delay=delay, allow_fast=fast, resume=not restart, revalidate=revalidate)
    from ..home import resolve_home_path   # per-host lock files, shared by every crawl of the home

    fetch_settings = FetchSettings.from_env(delay=delay if fast and delay is not None else 1.0,
                                            backoff_base=0.2 if fast else 1.0,
                                            slot_dir=str(resolve_home_path(home) / "locks"))
    if discover or write_profile:
        summary = discover_and_report(profiles, settings, fetch_settings, resolve_map or None,
                                      write_profile, home, json_out)
        if summary.interrupted:
            raise typer.Exit(130)
        if summary.all_failed:
            err_console.print(all_failed_line(summary), markup=False, soft_wrap=True)
            raise typer.Exit(1)
        return
    h = open_home(home, create=True)
    with h:
        with sigterm_as_interrupt():  # a TERM stops the crawl as Ctrl-C does: what came is kept and indexed
            summary = crawl_with_display(h, profiles, settings, fetch_settings, resolve_map or None,
                                         show=not json_out, keep_interrupted=True, workers=workers)
        reports = count_reports(h.catalog.conn)  # the one count of reports (archive.status)
        if index and summary.interrupted:
            sync_on_the_way_out(h, quiet=json_out)
        elif index and not summary.all_failed:
            keep_index_current(h, quiet=json_out)
    if json_out:
        print_json({**summary.to_dict(), "reports_in_archive": reports})
    elif not summary.all_failed:
        print_summary(summary, reports, h.path)
    if summary.interrupted:
        err_console.print(interrupted_line(summary), markup=False, soft_wrap=True)
        raise typer.Exit(130)
    if summary.all_failed:
        err_console.print(all_failed_line(summary), markup=False, soft_wrap=True)
        raise typer.Exit(1)


# how long an interrupted crawl waits for the index's writer lock before leaving the sync to the next command
INTERRUPTED_SYNC_LOCK = 10.0


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt in the main thread (the crawl's own Ctrl-C path) meanwhile."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def sync_on_the_way_out(h, *, quiet: bool) -> None:
    """An interrupted crawl brings the index up to what it stored, in bounded time: the writer lock is
    waited for ``INTERRUPTED_SYNC_LOCK`` s at most, and a second Ctrl-C or TERM (the sync is safe to
    stop at any moment) leaves the rest to the next command; `status` says the index lags until then."""
    from ..errors import ArchiveError
    from ..indexing import sync_index
    from index import SearchIndexError

    try:
        with sigterm_as_interrupt():
            stats = sync_index(h, lock_timeout=INTERRUPTED_SYNC_LOCK)
    except (KeyboardInterrupt, SearchIndexError, ArchiveError) as e:
        why = "interrupted again" if isinstance(e, KeyboardInterrupt) else str(e)
        err_console.print(f"the search index was not brought up to date ({why}): run `xxgk index`", markup=False)
        return
    if not quiet:
        err_console.print(f"search index updated: {stats.upserted} reports indexed, {stats.deleted} removed",
                          markup=False)


def interrupted_line(summary: CrawlSummary) -> str:
    """What a Ctrl-C leaves: what was stored, and how to go on."""
    s = summary.stats
    again = shlex.join(["xxgk", *sys.argv[1:]])
    return (f"interrupted: {s.get('crawl/stored/new', 0)} new files stored "
            f"({s.get('crawl/parse/parsed', 0)} parsed as reports) and kept; the same command "
            f"continues where it stopped: {again}")


def all_failed_line(summary: CrawlSummary) -> str:
    """One line for a crawl in which no site gave anything, each site with its reason."""
    sites = "; ".join(f"{name}: {p.failed}" for name, p in summary.sites.items())
    return f"error: every site failed, nothing was read ({sites})"


def crawl_with_display(h, profiles: list[SiteProfile], settings: CrawlSettings,
                       fetch_settings: FetchSettings, resolve: dict[str, str] | None, *,
                       show: bool = True, keep_interrupted: bool = False,
                       workers: int | None = None) -> CrawlSummary:
    """``run_crawl`` with a live table per site on stderr (pages listed, reports found, …).

    A Ctrl-C lets the requests in flight finish; the summary of what was done comes back with
    ``interrupted`` set when ``keep_interrupted``, else ``KeyboardInterrupt`` goes on up."""
    summary = _crawl_live(h, profiles, settings, fetch_settings, resolve, show, workers)
    if summary.interrupted and not keep_interrupted:
        raise KeyboardInterrupt
    return summary


def _crawl_live(h, profiles: list[SiteProfile], settings: CrawlSettings,
                fetch_settings: FetchSettings, resolve: dict[str, str] | None,
                show: bool, workers: int | None) -> CrawlSummary:
    rows: dict[str, SiteProgress] = {p.name: SiteProgress(p.name) for p in profiles}
    lock = threading.Lock()

    def on_progress(p: SiteProgress) -> None:
        with lock:
            rows[p.site] = p

    if not show:
        return run_crawl(h, profiles, settings, fetch_settings=fetch_settings, resolve=resolve,
                         progress=on_progress, workers=workers)
    with Live(_progress_table(rows), console=err_console, refresh_per_second=6,
              transient=True) as live:
        done = threading.Event()

        def repaint() -> None:
            while not done.wait(0.2):
                with lock:
                    live.update(_progress_table(dict(rows)))

        painter = threading.Thread(target=repaint, daemon=True)
        painter.start()
        try:
            return run_crawl(h, profiles, settings, fetch_settings=fetch_settings,
                             resolve=resolve, progress=on_progress, workers=workers)
        finally:
            done.set()
            painter.join()


SUMMARY_COLUMNS = ("listed", "found", "fetched", "parsed", "skipped", "unchanged", "errors", "blocked")


def _say(text: str) -> None:
    for line in fold(text, console.width, "    "):
        console.print(line, soft_wrap=True)


def print_summary(summary: CrawlSummary, n_reports: int, home: Path) -> None:
    data = [{"site": name + ("" if p.done else " (unfinished)"), **{c: getattr(p, c) for c in SUMMARY_COLUMNS}}
            for name, p in summary.sites.items()]
    console.print(_site_table("crawl summary", SUMMARY_COLUMNS, data, console.width))
    for name, p in summary.sites.items():
        if p.failed:
            _say(f"  {name}: {p.failed}")
        if p.budget:
            _say(f"  {name}: {p.budget}")
        for walk in p.start:
            _say(f"  {name}: from {walk['start']}: " + (
                "no report column found, the page itself was read as one" if walk.get("fallback")
                else f"{len(walk['columns'])} report column(s) found in {walk['pages']} pages"))
        for url, found in p.columns.items():
            fallback = f"; {found['fallback']}" if found.get("fallback") else ""
            where = found.get("found") or {}
            on = f" (found on {where['found_on']})" if where.get("found_on") else ""
            _say(f"  {name}: {url}{on} read as {found['family']} ({'; '.join(found['why'])}{fallback})")
        for url in p.unsupported:
            _say(f"  {name}: not read (OFD is not supported): {url}")
    s = summary.stats
    _say(
        f"{s.get('crawl/list/pages', 0)} list pages, {s.get('crawl/reports/found', 0)} report links, "
        f"{s.get('crawl/fetch/count', 0)} fetches ({s.get('crawl/fetch/not_modified', 0)} unchanged), "
        f"{s.get('crawl/stored/new', 0)} new files, {s.get('crawl/parse/parsed', 0)} parsed, "
        f"{len(summary.failures)} errors, {len(summary.blocked)} blocked in {summary.elapsed:.1f} s")
    for site, url, kind in summary.blocked:
        _say(f"  blocked ({kind}, not evaded): {site}: {url}")
    for site, url, reason in summary.failures[:20]:
        _say(f"  {describe_reason(reason)}: {site}: {url}")
    if len(summary.failures) > 20:
        _say(f"  … {len(summary.failures) - 20} more (xxgk errors --home {home})")
    _say(f"{n_reports} distinct reports in the archive at {home}")


@sites_app.callback()
def sites_cmd(ctx: typer.Context, home: HomeOpt = None, json_out: JsonOpt = False) -> None:
    """List the site profiles (built-in and <home>/sites/*.toml).

    Example: xxgk sites --json
    """
    if ctx.invoked_subcommand is not None:
        return
    profiles = _profiles(home)
    if json_out:
        print_json([{"name": p.name, "title": p.title, "region": p.region, "level": p.level,
                     "family": p.family, "hosts": list(p.hosts), "entries": [e.url for e in p.entries],
                     "verified": p.verified} for p in profiles.values()])
        return
    rows = [{"name": p.name, "title": p.title, "level": p.level, "family": p.family, "hosts": ", ".join(p.hosts),
             "verified": p.verified} for p in profiles.values()]
    columns = (Column("name", "name"), Column("title", "title", wrap=True, min_width=10),
               Column("level", "level", priority=3), Column("family", "family", priority=1),
               Column("hosts", "hosts", wrap=True, priority=4, min_width=16),
               Column("verified", "verified", wrap=True, priority=2, min_width=10))
    out_format = resolve_format(None)
    emit(rows, columns, out_format, console=console)
    if out_format == "table":
        console.print(f"{len(profiles)} profiles (built-in: {sites_dir()})", markup=False, soft_wrap=True)


@sites_app.command("check")
def sites_check_cmd(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="profile files or folders (default: every known profile)")] = None,
    site: Annotated[Optional[list[str]], typer.Option("--site", "-s", help="only this profile (repeatable)")] = None,
    live: Annotated[bool, typer.Option(help="also fetch each entry page now (robots.txt obeyed) and report what changed")] = False,
    year: Annotated[Optional[int], typer.Option(help="the year a templated entry is probed for (default: last year)")] = None,
    resolve: Annotated[Optional[list[str]], typer.Option(help="HOST=ADDRESS:PORT: send a host elsewhere (the loopback replica)")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Validate profiles: schema, hosts, entry URLs, CSS selectors and regexes, family options.

    With --live each entry page is fetched and read: ok, moved, empty (layout changed), blocked,
    robots, http_error or unreachable; the exit code is 2 when an entry is not ok or moved.
    Example: xxgk sites check --live --site shanghai
    """
    from scraper.fetcher import Fetcher
    from scraper.profiles.check import check_files, probe_profiles

    results = check_files(paths or [sites_dir()])
    if site:
        unknown = sorted(set(site) - {r.name for r in results})
        if unknown:
            raise InputError(f"no site profile {', '.join(unknown)} (see `xxgk sites`)")
        results = [r for r in results if r.name in site]
    probes = {}
    if live:
        resolve_map = _parse_resolve(resolve or [])
        profiles = [r.profile for r in results if r.ok]
        fast = bool(resolve_map) and loopback_only(profiles, resolve_map)
        settings = FetchSettings(delay=0 if fast else 1.0, max_retries=1, timeout=15)
        with Fetcher(settings, resolve=resolve_map or None) as fetcher:
            probes = {p.name: p for p in probe_profiles(profiles, fetcher, year)}
    if json_out:
        print_json([{**r.to_dict(), **({"live": probes[r.name].to_dict()} if r.name in probes else {})}
                    for r in results])
    else:
        for r in results:
            console.print(f"{'ok  ' if r.ok else 'FAIL'} {r.file}"
                          + "".join(f"\n     {p}" for p in r.problems), markup=False)
            for e in probes[r.name].entries if r.name in probes else []:
                found = f" ({e.links} report links, {e.pages} more list pages)" if e.status in ("ok", "moved") else ""
                console.print(f"     live {e.status:<12} {e.url}{found}" + (f": {e.detail}" if e.detail else ""),
                              markup=False)
        console.print(f"{sum(r.ok for r in results)} of {len(results)} profiles valid" + (
            f"; live: {sum(p.ok for p in probes.values())} of {len(probes)} answered as expected" if live else ""))
    if not all(r.ok for r in results):
        raise typer.Exit(1)
    if live and not all(p.ok for p in probes.values()):
        raise typer.Exit(2)
