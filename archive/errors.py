"""Errors of the archive, and the tuple of every package's base the CLI turns into one line.

    ArchiveError              the archive home or catalog cannot do what was asked
    ├── HomeError             the home folder is missing, unwritable, or not an xxgk home
    ├── CatalogError          the catalog is newer than this xxgk, or corrupt
    └── InputError            a user's input (path, range, filter) is wrong; carries the input
"""
from __future__ import annotations

__all__ = ["ArchiveError", "HomeError", "CatalogError", "InputError", "xxgk_errors"]


class ArchiveError(Exception):
    """Base of the archive's own errors."""


class HomeError(ArchiveError):
    pass


class CatalogError(ArchiveError):
    pass


class InputError(ArchiveError):
    pass


def xxgk_errors() -> tuple[type[Exception], ...]:
    """Every package's error base: what the CLI prints as one line instead of a traceback."""
    from parser.errors import ParseError

    bases: list[type[Exception]] = [ArchiveError, ParseError]
    try:
        from scraper.errors import ScraperError

        bases.append(ScraperError)
    except ImportError:  # the crawler package may be absent in a trimmed install
        pass
    try:
        from index.errors import SearchIndexError

        bases.append(SearchIndexError)
    except ImportError:
        pass
    return tuple(bases)
