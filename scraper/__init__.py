"""scraper: the web side — site profiles, discovery of report pages on list pages, polite fetching.

Imports no other package of ours: fetched files go to a ``Sink`` that ``archive`` implements.
"""
from .errors import ScraperError
from .fetcher import Fetcher
from .models import FetchRequest, FetchResult
from .settings import FetchSettings

__all__ = ["Fetcher", "FetchRequest", "FetchResult", "FetchSettings", "ScraperError"]
