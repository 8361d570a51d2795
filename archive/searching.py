"""One search, as every front end runs it (`xxgk search`, `xxgk serve`).

    run_search(conn, index, request) -> SearchResults

Takes an open catalog connection, an open ``index.SearchIndex`` and a ``SearchRequest`` (the
user's words in the query language of ``index.query`` plus the filters). The places and agencies
are resolved by ``archive.places`` (a place selects the places below it unless ``exact``) and
added to the query as filter terms; copies of one report count once by the one definition
(``archive.status.copies_unlinked``) unless ``all_copies``; snippets come back readable (a table's
repeated labels said once). Unknown places raise ``InputError``; the index's own errors pass.
"""
from __future__ import annotations

import re
from operator import eq

from index.results import Hit, SearchResults, Snippet
from index.value_class import value_class

from .status import copies_unlinked

__all__ = ["SearchRequest", "run_search", "scoped_query", "readable_snippet"]


@value_class(frozen=True)
class SearchRequest:
    words: str
    regions: tuple[str, ...] = ()
    exact: bool = False  # only the places named, not the places below them
    agency: str | None = None  # a part of the agency's name
    year_from: int | None = None
    year_to: int | None = None
    era: str | None = None  # legacy | gb2019 | gb2021
    section: str | None = None  # words of a section heading
    sort: str = "relevance"
    page: int = 1
    limit: int = 20
    all_copies: bool = False


def _quoted(value: str) -> str:
    return f'"{value}"' if any(c.isspace() or c in '()"' for c in value) else value


def scoped_query(words: str, conn, places, agencies: set[str] | None, exact: bool) -> str:
    """The user's query AND the places and agencies resolved by ``archive.places`` (as filter terms).

    A place selects its reports and every report below it (the index keeps each report's
    ancestors); ``exact`` selects the reports of the places named only, by their ids."""
    scope = []
    if places is not None:
        if exact:
            ids = [str(r[0]) for r in conn.execute(
                f"SELECT id FROM reports WHERE region IN ({', '.join('?' * len(places.regions))})",
                sorted(places.regions))]
            scope.append(" OR ".join(f"id:{i}" for i in ids) or "id:0")
        else:
            scope.append(" OR ".join(f"region:{_quoted(p)}" for p in places.places))
    if agencies is not None:
        scope.append(" OR ".join(f"agency:{_quoted(a)}" for a in sorted(agencies)))
    return " ".join([f"({words})", *(f"({s})" for s in scope)]) if scope else words


def run_search(conn, index, req: SearchRequest, *, behind: set[int] | None = None, filters: tuple | None = None,
               snippets: int = 3, facets: bool = True) -> SearchResults:
    """One page of results for ``req``. ``behind`` (``copies_unlinked(conn)``) and ``filters``
    (``resolve_filters(conn, regions, agency, exact=…)``) when the caller keeps them (they change
    only when the catalog does); computed here otherwise. ``facets=False``: the caller will likely
    not read the facets (then counted only if read)."""
    if filters is not None:
        places, agencies = filters
    elif req.regions or (req.agency and req.agency.strip()):
        from .places import resolve_filters  # difflib and the place table: only when places are asked for

        places, agencies = resolve_filters(conn, list(req.regions) or None, req.agency, exact=req.exact)
    else:
        places, agencies = None, None
    scoped = scoped_query(req.words, conn, places, agencies, req.exact)
    if not req.all_copies:  # each report once, by the one definition (archive.status), as `reports` counts
        behind = copies_unlinked(conn) if behind is None else behind
        if behind:
            scoped = f"({scoped}) NOT ({' OR '.join(f'id:{i}' for i in sorted(behind))})"
    res = index.search(scoped, year_from=req.year_from, year_to=req.year_to, format=req.era, section=req.section,
                       sort=req.sort, page=req.page, limit=req.limit, collapse=not req.all_copies,
                       snippets=snippets, facets=facets)
    res.query = req.words
    res.hits = [_readable(hit) for hit in res.hits]
    return res


def _readable(hit: Hit) -> Hit:
    """The hit with snippets that read as text: a table's repeated labels said once."""
    hit.snippets = [readable_snippet(s) for s in hit.snippets]
    return hit


def _repeats(words: list[str], max_repeat: int) -> bool:
    """Whether a word equals one of the ``max_repeat`` words before it (a repeated run starts so)."""
    return any(any(map(eq, words, words[k:])) for k in range(1, max_repeat + 1))


def readable_snippet(snippet: Snippet, max_repeat: int = 4) -> Snippet:
    """Spaces collapsed and a run of words repeated right after itself (a label a table's merged
    cells repeat: 行政复议 行政复议 行政复议) kept once; the match spans follow the text."""
    text = snippet.text
    words = text.split()  # the same words as \S+ below
    if text and text == " ".join(words) and not _repeats(words, max_repeat):
        # already readable (one space between words, none equal to one of the max_repeat before it):
        # the text as it is, each span that holds a character
        return Snippet(text, tuple((a, b) for a, b in snippet.spans if 0 <= a < b <= len(text)))
    return _collapsed(snippet, max_repeat)


def _collapsed(snippet: Snippet, max_repeat: int) -> Snippet:
    """``readable_snippet`` word by word: any text."""
    text = snippet.text
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    words = [text[a:b] for a, b in tokens]
    keep = [True] * len(tokens)
    kept: list[str] = []  # the words kept so far: a run is compared with what the reader sees before it
    i = 0
    while i < len(tokens):
        k = next((k for k in range(max_repeat, 0, -1) if len(kept) >= k and words[i:i + k] == kept[-k:]), 0)
        if k:
            keep[i:i + k] = [False] * k
            i += k
        else:
            kept.append(words[i])
            i += 1
    out, mapping = [], {}
    for (a, b), kept_it in zip(tokens, keep):
        if not kept_it:
            continue
        if out:
            out.append(" ")
        pos = sum(len(x) for x in out)
        for c in range(a, b + 1):
            mapping[c] = pos + (c - a)
        out.append(text[a:b])
    new_text = "".join(out)
    spans = []
    for a, b in snippet.spans:
        if a in mapping and b in mapping and mapping[a] < mapping[b]:
            spans.append((mapping[a], mapping[b]))
    return Snippet(new_text, tuple(spans))
