"""`xxgk index` (bring the search index up to date with the catalog) and `xxgk search QUERY`."""
from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.text import Text

from index import BACKENDS, SearchIndex, detect_backend

from ..cli_common import (EraOpt, FormatOpt, HomeOpt, JsonOpt, YearsOpt, console, err_console, open_home,
                          output_and_era, parse_year_range, print_json)
from ..errors import InputError
from ..i18n import _
from ..indexing import damaged_index_says_so, index_lag, sync_index
from ..output import Column, emit, fold
from ..searching import SearchRequest, readable_snippet, run_search

__all__ = ["register", "readable_snippet", "HIT_COLUMNS"]

BackendOpt = Annotated[Optional[str], typer.Option(
    "--backend", help=f"search backend: {' or '.join(BACKENDS)} [default: the index's own, else tantivy; "
                      "whoosh where tantivy cannot be imported]", show_default=False)]


def register(app: typer.Typer) -> None:
    app.command("index")(index_cmd)
    app.command("search")(search_cmd)


def _check_backend(backend: str | None) -> None:
    if backend is not None and backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}: choose {' or '.join(BACKENDS)}")


def index_cmd(
    home: HomeOpt = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="build the index again from the whole catalog")] = False,
    backend: BackendOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Bring the full-text index up to date with the catalog (new, re-parsed and deleted reports).

    Example: xxgk index --backend tantivy --rebuild
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    _check_backend(backend)
    h = open_home(home, create=False)
    with h:
        columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err_console, transient=True, disable=json_out) as bar:
            task = bar.add_task("indexing", total=None)
            stats = sync_index(h.catalog, h.index_dir, backend or h.settings.index_backend or None,
                               rebuild=rebuild,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
    if json_out:
        print_json(stats.to_dict())
    else:
        how = "rebuilt" if stats.rebuilt else "updated"
        console.print(f"index {how} ({stats.backend}): {stats.upserted} indexed, {stats.deleted} removed, "
                      f"{stats.documents} reports searchable, {stats.seconds:g} s")


def search_cmd(
    query: Annotated[list[str], typer.Argument(
        help="words (all of them, ANDed), OR, NOT, \"a phrase\", title:/heading:/region:/year:; a word starting "
             "with - (NOT) goes after --", show_default=False)],
    home: HomeOpt = None,
    region: Annotated[Optional[list[str]], typer.Option(
        help="a place at any level, full or short (余杭, 杭州市, 浙江); places below it count too; repeatable")] = None,
    exact: Annotated[bool, typer.Option("--exact", help="only the places named, not the places below them")] = False,
    year: YearsOpt = None,
    agency: Annotated[Optional[str], typer.Option(help="a part of the publishing agency's name (教育局)")] = None,
    era: EraOpt = None,
    section: Annotated[Optional[str], typer.Option(help="match only in sections whose heading holds these words, "
                                                        "e.g. 五、存在的主要问题")] = None,
    sort: Annotated[str, typer.Option(help="relevance or year")] = "relevance",
    page: Annotated[int, typer.Option(min=1, help="page of results")] = 1,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="results per page")] = 20,
    all_copies: Annotated[bool, typer.Option("--all-copies", help="show every copy of a report (portal copy, "
                                             "图解, corrected version) instead of one hit per report")] = False,
    fmt: FormatOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Search every report's text: highlighted snippets, hits per year and per province.

    Copies of one report linked by the crawler show once (the canonical one, "also at" the others)
    and count once; --all-copies shows each.

    Example: xxgk search 土地征收 拆迁 --region 浙江 --year 2015-2020 --section 存在的主要问题
    """
    words = " ".join(q for q in query if q.strip())
    if not words:
        raise InputError("search for what? give one or more words")
    out_format, era = output_and_era(fmt, era, json_out)
    year_from, year_to = parse_year_range(year)
    h = open_home(home, create=False)
    with h:
        if detect_backend(h.index_dir) is None:
            raise InputError(f"no search index in {h.path} yet: run `xxgk index` first")
        lag = index_lag(h)  # never silently: results that miss reports say so
        if lag:
            err_console.print(f"warning: {lag.message()}", markup=False)
        req = SearchRequest(words, tuple(region or ()), exact, agency, year_from, year_to, era, section, sort, page,
                            limit, all_copies)
        with damaged_index_says_so(h.index_dir), SearchIndex.open(h.index_dir) as ix:
            res = run_search(h.catalog.conn, ix, req)
    if res.total and page > res.pages:
        raise InputError(f"page {page} is past the end: {res.total} reports match, {res.pages} pages of {limit} "
                         f"(--page 1 to {res.pages})")
    hits = res.hits
    if out_format == "json":
        print_json(res.to_dict())
    elif out_format == "table":
        _print_results(res, hits)
    else:
        emit([_hit_row(hit) for hit in hits], HIT_COLUMNS, out_format, console=console)


HIT_COLUMNS = (Column("report_id", "id"), Column("year", "year"), Column("region", "region", wrap=True),
               Column("agency", "agency", priority=2, wrap=True), Column("title", "title", wrap=True, min_width=16),
               Column("url", "url", priority=3), Column("snippet", "snippet", priority=1, wrap=True))


def _hit_row(hit) -> dict:
    return {"report_id": hit.report_id, "year": hit.year, "region": hit.region, "agency": hit.agency,
            "title": hit.title, "url": hit.url, "snippet": str(hit.snippets[0]) if hit.snippets else ""}


def _print_results(res, hits) -> None:
    first = (res.page - 1) * res.limit + 1
    if not res.total:
        console.print(_("no report matches {query}", query=repr(res.query)), markup=False)
        return
    width = console.width

    def say(text: Text | str, indent: str = "    ") -> None:
        for line in fold(text, width, indent):
            console.print(line, soft_wrap=True)

    say(_("{total} reports match; {first}–{last} shown (page {page} of {pages})", total=res.total, first=first,
          last=first + len(hits) - 1, page=res.page, pages=res.pages))
    years = "  ".join(f"{y}: {n}" for y, n in res.facets.get("year", {}).items())
    provinces = "  ".join(f"{p}: {n}" for p, n in list(res.facets.get("province", {}).items())[:12])
    if years:
        say(_("by year") + "  " + years, "  ")
    if provinces:
        say(_("by province") + "  " + provinces, "  ")
    for h in hits:
        publisher = " ".join(x for x in (h.region, h.agency) if x)
        console.print()
        line = Text()
        line.append(f"#{h.report_id} ", style="bold")
        line.append(h.title, style="bold")
        line.append(f"  {publisher} · {h.year or '—'}", style="dim")
        say(line)
        if h.url:
            say(Text("  " + h.url, style="cyan"))
        if h.copies:
            also = ", ".join(c["url"] or f"#{c['report_id']}" for c in h.copies)
            ids = " ".join(f"#{c['report_id']}" for c in h.copies)
            say(Text(f"  {_('also at')}: {also} ({ids})", style="dim"))
        for s in h.snippets:
            say(Text("  … ") + Text.from_markup(s.rich()) + Text(" …"))
