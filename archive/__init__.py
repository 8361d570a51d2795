"""archive: the archive a user works with — blob store + catalog, the pipeline that joins the
scraper, parser and index, and the ``xxgk`` command line (``archive.cli``).

    >>> from archive import Home, import_paths
    >>> with Home.open("xxgk-data") as home:
    ...     summary = import_paths(home, ["reports/"])
"""
from index.lazy import lazy_exports

__all__ = ["Home", "Catalog", "ReportFilter", "import_paths", "reparse", "ImportSummary",
           "ArchiveError", "HomeError", "CatalogError", "InputError"]

# imported on first use (PEP 562): `import archive.cli` must not load the parser and the crawler
_EXPORTS = {"Catalog": "catalog", "ReportFilter": "catalog", "Home": "home", "ImportSummary": "ingest",
            "import_paths": "ingest", "reparse": "ingest", "ArchiveError": "errors", "CatalogError": "errors",
            "HomeError": "errors", "InputError": "errors"}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
