"""What a search returns: ``SearchResults`` (total, page of ``Hit``s, facets), the same for every backend.

A ``Snippet`` is a piece of normalized text with the character spans the query matched; it renders
itself for the terminal (``rich()``: Rich markup, escaped) and for JSON (``to_dict()``: text and
spans). ``str(snippet)`` marks matches with 【】.
"""
from __future__ import annotations

from typing import Any, Callable

from .value_class import Factory, value_class

__all__ = ["Snippet", "Hit", "SearchResults"]


@value_class(frozen=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def marked(self, open_: str = "【", close: str = "】", escape=lambda s: s) -> str:
        out, last = [], 0
        for a, b in self.spans:
            out.append(escape(self.text[last:a]))
            out.append(open_ + escape(self.text[a:b]) + close)
            last = b
        out.append(escape(self.text[last:]))
        return "".join(out)

    def rich(self, style: str = "bold red") -> str:
        from rich.markup import escape

        return self.marked(f"[{style}]", f"[/{style}]", escape)

    def __str__(self) -> str:
        return self.marked()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "spans": [list(s) for s in self.spans], "marked": self.marked()}


@value_class
class Hit:
    """One report found. ``score`` is the backend's relevance (its own scale; 0 from tantivy when
    sorted by year); ``snippets`` are windows of the normalized text with the matched spans;
    ``copies`` the other copies of the same report (collapsed into this hit)."""

    report_id: int
    title: str
    region: str
    agency: str | None
    year: int | None
    url: str
    score: float
    snippets: list[Snippet] = Factory(list)
    published: str | None = None
    format: str | None = None
    copies: list[dict[str, Any]] = Factory(list)  # other copies: {"report_id", "url"}

    def to_dict(self) -> dict[str, Any]:
        # as dataclasses.asdict gave it (the fields in order, the copies copied), score rounded
        return {"report_id": self.report_id, "title": self.title, "region": self.region, "agency": self.agency,
                "year": self.year, "url": self.url, "score": round(self.score, 4),
                "snippets": [s.to_dict() for s in self.snippets], "published": self.published,
                "format": self.format, "copies": [dict(c) for c in self.copies]}


class SearchResults:
    """``facets`` ({"year": {2017: n}, "province": {...}} over all matches) may be computed on first
    use: the tantivy backend aggregates only when asked, as that runs the query a second time."""

    __slots__ = ("total", "hits", "_facets", "page", "limit", "query")

    def __init__(self, total: int, hits: list[Hit], facets: dict[str, dict[Any, int]] | Callable[[], dict],
                 page: int = 1, limit: int = 20, query: str = ""):
        self.total, self.hits, self._facets = total, hits, facets
        self.page, self.limit, self.query = page, limit, query

    @property
    def facets(self) -> dict[str, dict[Any, int]]:
        if callable(self._facets):
            self._facets = self._facets()
        return self._facets

    @property
    def pages(self) -> int:
        return (self.total + self.limit - 1) // self.limit if self.limit else 0

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "page": self.page, "limit": self.limit,
                "pages": self.pages, "facets": {k: {str(a): n for a, n in v.items()} for k, v in self.facets.items()},
                "hits": [h.to_dict() for h in self.hits]}
