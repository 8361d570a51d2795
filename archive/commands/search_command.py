"""`xxgk search QUERY`: its parameters, defined once, and what it prints.

``archive.commands.search`` registers it with Typer (``archive.options.typer_command``);
``archive.cli.main`` runs it straight from a plain command line (``archive.options.parse_plain``),
so a search imports neither Typer, Click, pydantic nor, for tsv, csv and json, rich.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..cli_common import ERA, FORMAT, HOME, JSON, YEARS, open_home_to_read, output_and_era, parse_year_range, print_json
from ..errors import InputError
from ..options import Param
from ..output import Column, emit

__all__ = ["SEARCH_PARAMS", "search", "HIT_COLUMNS", "COPIES_CACHE"]

COPIES_CACHE = "copies_unlinked.json"  # in the index folder: derived data, rebuilt with it

SEARCH_PARAMS = (
    Param("query", multiple=True, help="words (all of them, ANDed), OR, NOT, \"a phrase\", title:/heading:/region:/year:; a word "
                        "starting with - (NOT) goes after --", show_default=False),
    HOME,
    Param("region", ("--region",), multiple=True, help="a place at any level, full or short (余杭, 杭州市, 浙江); "
                                                       "places below it count too; repeatable"),
    Param("exact", ("--exact",), bool, False, "only the places named, not the places below them"),
    YEARS,
    Param("agency", ("--agency",), help="a part of the publishing agency's name (教育局)"),
    ERA,
    Param("section", ("--section",), help="match only in sections whose heading holds these words, e.g. "
                                          "五、存在的主要问题"),
    Param("sort", ("--sort",), str, "relevance", "relevance or year", optional=False),
    Param("page", ("--page",), int, 1, "page of results", optional=False, min=1),
    Param("limit", ("--limit",), int, 20, "results per page", optional=False, min=1, max=1000),
    Param("all_copies", ("--all-copies",), bool, False, "show every copy of a report (portal copy, 图解, corrected "
                                                        "version) instead of one hit per report"),
    FORMAT,
    JSON,
)


def search(query: list[str], home: Path | None = None, region: list[str] | None = None, exact: bool = False,
           year: str | None = None, agency: str | None = None, era: str | None = None, section: str | None = None,
           sort: str = "relevance", page: int = 1, limit: int = 20, all_copies: bool = False,
           fmt: str | None = None, json_out: bool = False) -> None:
    """Search every report's text: highlighted snippets, hits per year and per province.

    Copies of one report linked by the crawler show once (the canonical one, "also at" the others)
    and count once; --all-copies shows each.

    Example: xxgk search 土地征收 拆迁 --region 浙江 --year 2015-2020 --section 存在的主要问题
    """
    from index import SearchIndex, detect_backend

    from .. import cli_common
    from ..index_health import damaged_index_says_so, index_lag
    from ..searching import SearchRequest, run_search
    from ..status import copies_unlinked

    words = " ".join(q for q in query if q.strip())
    if not words:
        raise InputError("search for what? give one or more words")
    out_format, era = output_and_era(fmt, era, json_out)
    year_from, year_to = parse_year_range(year)
    h = open_home_to_read(home)
    with h:
        if detect_backend(h.index_dir) is None:
            raise InputError(f"no search index in {h.path} yet: run `xxgk index` first")
        lag = index_lag(h)  # never silently: results that miss reports say so
        if lag:
            cli_common.err_console.print(f"warning: {lag.message()}", markup=False)
        req = SearchRequest(words, tuple(region or ()), exact, agency, year_from, year_to, era, section, sort, page,
                            limit, all_copies)
        with damaged_index_says_so(h.index_dir), SearchIndex.open(h.index_dir) as ix:
            # the copies standing behind others, kept beside the index while the catalog does not change them
            behind = None if all_copies else copies_unlinked(h.catalog.conn, cache=h.index_dir / COPIES_CACHE)
            # tsv and csv print no facets: they are not counted
            res = run_search(h.catalog.conn, ix, req, behind=behind, facets=out_format in ("json", "table"))
    if res.total and page > res.pages:
        raise InputError(f"page {page} is past the end: {res.total} reports match, {res.pages} pages of {limit} "
                         f"(--page 1 to {res.pages})")
    hits = res.hits
    if out_format == "json":
        print_json(res.to_dict())
    elif out_format == "table":
        _print_results(cli_common.console, res, hits)
    else:  # tsv and csv: plain lines on stdout, no terminal to fit
        emit([_hit_row(hit) for hit in hits], HIT_COLUMNS, out_format, console=None)


HIT_COLUMNS = (Column("report_id", "id"), Column("year", "year"), Column("region", "region", wrap=True),
               Column("agency", "agency", priority=2, wrap=True), Column("title", "title", wrap=True, min_width=16),
               Column("url", "url", priority=3), Column("snippet", "snippet", priority=1, wrap=True))


def _hit_row(hit) -> dict[str, Any]:
    return {"report_id": hit.report_id, "year": hit.year, "region": hit.region, "agency": hit.agency,
            "title": hit.title, "url": hit.url, "snippet": str(hit.snippets[0]) if hit.snippets else ""}


def _print_results(console, res, hits) -> None:
    from rich.text import Text

    from ..i18n import _
    from ..output import fold

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
