"""Full-text search over the archive's reports: one interface (``SearchIndex``), two backends.

Whoosh (default, pure Python) and tantivy (``pip install 'xxgk[tantivy]'``) index the same terms
(analysis.py), parse the same queries (query.py) and return the same results (results.py).
``index`` imports no other package of ours: ``archive`` hands it plain dicts (documents.py).
"""
from .errors import (BackendUnavailableError, EmptyQueryError, IndexFormatError, IndexLockedError,
                     IndexMissingError, QuerySyntaxError, SearchIndexError)
from .results import Hit, SearchResults, Snippet
from .search import BACKENDS, DEFAULT_BACKEND, LAYOUT_VERSION, SearchIndex, detect_backend, index_layout

__all__ = ["SearchIndex", "SearchResults", "Hit", "Snippet", "BACKENDS", "DEFAULT_BACKEND", "detect_backend",
           "index_layout", "LAYOUT_VERSION",
           "SearchIndexError", "QuerySyntaxError", "EmptyQueryError", "IndexLockedError", "IndexMissingError",
           "IndexFormatError", "BackendUnavailableError"]
