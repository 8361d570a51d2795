"""Errors of the full-text index.

    SearchIndexError            the index cannot do what was asked
    ├── QuerySyntaxError        a query string that cannot be parsed; carries ``query`` and ``position``
    │   └── EmptyQueryError     a query with no searchable words
    ├── IndexLockedError        another process holds the writer lock past the timeout
    ├── IndexMissingError       no index at the path (and ``create`` was not asked)
    ├── IndexFormatError        the index was written by another backend or an incompatible layout
    └── BackendUnavailableError the backend's library is not installed (``pip install xxgk[tantivy]``)

``index`` imports no other package of ours (DESIGN.md), so its base is its own; ``archive.errors``
gathers every package base for the CLI's one-line handler. Third-party errors (whoosh, tantivy) are
translated at the backend edge with ``raise … from``.
"""
from __future__ import annotations

__all__ = ["SearchIndexError", "QuerySyntaxError", "EmptyQueryError", "IndexLockedError",
           "IndexMissingError", "IndexFormatError", "BackendUnavailableError"]


class SearchIndexError(Exception):
    """Base of the index's own errors."""


class QuerySyntaxError(SearchIndexError):
    def __init__(self, message: str, *, query: str = "", position: int | None = None):
        super().__init__(message)
        self.query = query
        self.position = position


class EmptyQueryError(QuerySyntaxError):
    pass


class IndexLockedError(SearchIndexError):
    pass


class IndexMissingError(SearchIndexError):
    pass


class IndexFormatError(SearchIndexError):
    pass


class BackendUnavailableError(SearchIndexError):
    pass
