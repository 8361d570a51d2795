"""archive: the archive a user works with — blob store + catalog, the pipeline that joins the
scraper, parser and index, and the ``xxgk`` command line (``archive.cli``).

    >>> from archive import Home, import_paths
    >>> with Home.open("xxgk-data") as home:
    ...     summary = import_paths(home, ["reports/"])
"""
from .catalog import Catalog, ReportFilter
from .errors import ArchiveError, CatalogError, HomeError, InputError
from .home import Home
from .ingest import ImportSummary, import_paths, reparse

__all__ = ["Home", "Catalog", "ReportFilter", "import_paths", "reparse", "ImportSummary",
           "ArchiveError", "HomeError", "CatalogError", "InputError"]
