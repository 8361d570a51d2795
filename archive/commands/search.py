"""`xxgk index` (bring the search index up to date with the catalog) and `xxgk search QUERY`."""
from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from index import BACKENDS, SearchIndex, detect_backend

from ..cli_common import HomeOpt, JsonOpt, YearsOpt, console, err_console, open_home, parse_year_range, print_json
from ..errors import InputError
from ..indexing import sync_index

__all__ = ["register"]

BackendOpt = Annotated[Optional[str], typer.Option(
    "--backend", help=f"search backend: {' or '.join(BACKENDS)} [default: the index's own, else whoosh]",
    show_default=False)]


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
    _check_backend(backend)
    h = open_home(home, create=False)
    with h:
        columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err_console, transient=True, disable=json_out) as bar:
            task = bar.add_task("indexing", total=None)
            stats = sync_index(h.catalog, h.index_dir, backend, rebuild=rebuild,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
    if json_out:
        print_json(stats.to_dict())
    else:
        how = "rebuilt" if stats.rebuilt else "updated"
        console.print(f"index {how} ({stats.backend}): {stats.upserted} indexed, {stats.deleted} removed, "
                      f"{stats.documents} reports searchable, {stats.seconds:g} s")


def search_cmd(
    query: Annotated[str, typer.Argument(help="words (AND), OR, NOT or -word, \"a phrase\", title:/heading:/region:/year:")],
    home: HomeOpt = None,
    region: Annotated[Optional[str], typer.Option(help="a region or any ancestor, e.g. 浙江省 or 余杭区")] = None,
    year: YearsOpt = None,
    agency: Annotated[Optional[str], typer.Option(help="the publishing agency's full name")] = None,
    format: Annotated[Optional[str], typer.Option("--format", help="legacy, gb2019 or gb2021")] = None,
    section: Annotated[Optional[str], typer.Option(help="match only in sections whose heading holds these words, "
                                                        "e.g. 五、存在的主要问题")] = None,
    sort: Annotated[str, typer.Option(help="relevance or year")] = "relevance",
    page: Annotated[int, typer.Option(min=1, help="page of results")] = 1,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="results per page")] = 20,
    all_copies: Annotated[bool, typer.Option("--all-copies", help="show every copy of a report (portal copy, "
                                             "图解, corrected version) instead of one hit per report")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Search every report's text: highlighted snippets, hits per year and per province.

    Copies of one report linked by the crawler show once (the canonical one, "also at" the others)
    and count once; --all-copies shows each.

    Example: xxgk search "土地征收" --region 浙江省 --year 2015-2020 --section 存在的主要问题
    """
    year_from, year_to = parse_year_range(year)
    h = open_home(home, create=False)
    with h:
        if detect_backend(h.index_dir) is None:
            raise InputError(f"no search index in {h.path} yet: run `xxgk index` first")
        with SearchIndex.open(h.index_dir) as ix:
            res = ix.search(query, region=region, year_from=year_from, year_to=year_to, agency=agency,
                            format=format, section=section, sort=sort, page=page, limit=limit,
                            collapse=not all_copies)
    if json_out:
        print_json(res.to_dict())
        return
    _print_results(res)


def _print_results(res) -> None:
    first = (res.page - 1) * res.limit + 1
    if not res.total:
        console.print(f"no report matches {res.query!r}", markup=False)
        return
    console.print(f"{res.total} reports match; {first}–{first + len(res.hits) - 1} shown (page {res.page} of {res.pages})",
                  markup=False)
    years = "  ".join(f"{y}: {n}" for y, n in res.facets.get("year", {}).items())
    provinces = "  ".join(f"{p}: {n}" for p, n in list(res.facets.get("province", {}).items())[:12])
    if years:
        console.print(f"by year      {years}", markup=False)
    if provinces:
        console.print(f"by province  {provinces}", markup=False)
    for h in res.hits:
        publisher = " ".join(x for x in (h.region, h.agency) if x)
        console.print()
        console.print(f"[bold]#{h.report_id}[/bold] {escape(h.title)}  [dim]{escape(publisher)} · {h.year or '—'}[/dim]")
        if h.url:
            console.print(f"  {escape(h.url)}", style="cyan")
        if h.copies:
            also = ", ".join(c["url"] or f"#{c['report_id']}" for c in h.copies)
            ids = " ".join(f"#{c['report_id']}" for c in h.copies)
            console.print(f"  also at: {also} ({ids})", style="dim", markup=False)
        for s in h.snippets:
            console.print("  … " + s.rich() + " …")
