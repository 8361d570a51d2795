"""scraper: the web side — site profiles, discovery of report pages on list pages, polite fetching.

Imports no other package of ours: fetched files go to a ``Sink`` that ``archive`` implements.
"""
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import ScraperError
    from .fetcher import Fetcher
    from .models import FetchRequest, FetchResult
    from .settings import FetchSettings

__all__ = ["Fetcher", "FetchRequest", "FetchResult", "FetchSettings", "ScraperError"]
# imported when first asked for: a command that reads site profiles (every listing of reports, for
# their provenance) does not load httpx and the TLS stack with ``scraper.profiles``
_HOMES = {"ScraperError": ".errors", "Fetcher": ".fetcher", "FetchRequest": ".models", "FetchResult": ".models",
          "FetchSettings": ".settings"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'scraper' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name], __name__), name)
