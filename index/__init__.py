"""Full-text search over the archive's reports: one interface (``SearchIndex``), three backends.

tantivy (the default: the fastest, wheels for the usual platforms), Whoosh (pure Python: chosen
automatically where tantivy cannot be imported, or with ``--backend whoosh``) and PostgreSQL index
the same terms (analysis.py), parse the same queries (query.py) and return the same results (results.py).
``index`` imports no other package of ours: ``archive`` hands it plain dicts (documents.py).

The names below are imported on first use (PEP 562): importing a small module of the package
(``index.value_class``, ``index.analysis``) does not load the search machinery.
"""
from .lazy import lazy_exports

__all__ = ["SearchIndex", "SearchResults", "Hit", "Snippet", "BACKENDS", "DEFAULT_BACKEND", "FALLBACK_BACKEND",
           "default_backend", "detect_backend", "index_layout", "LAYOUT_VERSION",
           "SearchIndexError", "QuerySyntaxError", "EmptyQueryError", "IndexLockedError", "IndexMissingError",
           "IndexFormatError", "BackendUnavailableError"]

_EXPORTS = {**dict.fromkeys(("BackendUnavailableError", "EmptyQueryError", "IndexFormatError", "IndexLockedError",
                             "IndexMissingError", "QuerySyntaxError", "SearchIndexError"), "errors"),
            **dict.fromkeys(("Hit", "SearchResults", "Snippet"), "results"),
            **dict.fromkeys(("BACKENDS", "DEFAULT_BACKEND", "FALLBACK_BACKEND", "LAYOUT_VERSION", "SearchIndex",
                             "default_backend", "detect_backend", "index_layout"), "search")}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
