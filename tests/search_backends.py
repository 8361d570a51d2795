"""The search backends every search test runs on, and the database the PostgreSQL one uses.

``BACKENDS`` lists all three; ``use_backend(request, name)`` readies what a backend needs before an
index is opened (for postgres: a throwaway server from pg_server.py and one database for the session,
named by XXGK_INDEX_URL; each index makes its own table in it) and skips with one line where
PostgreSQL cannot run. A test module imports ``pg_server`` and ``pg_search_url`` so pytest finds them.
"""
from __future__ import annotations

import os

import pytest

from pg_server import drop_database, fresh_database, pg_server  # noqa: F401  (a fixture, found by name)

BACKENDS = ["whoosh", "tantivy", "postgres"]


@pytest.fixture(scope="session")
def pg_search_url(pg_server):  # noqa: F811
    url = fresh_database(pg_server)
    saved = os.environ.get("XXGK_INDEX_URL")
    os.environ["XXGK_INDEX_URL"] = url
    yield url
    if saved is None:
        os.environ.pop("XXGK_INDEX_URL", None)
    else:
        os.environ["XXGK_INDEX_URL"] = saved
    drop_database(pg_server, url)


def use_backend(request, name: str) -> None:
    """Ready ``name`` (skips the test with one line when its server cannot run here)."""
    if name == "postgres":
        request.getfixturevalue("pg_search_url")


def available(request, name: str) -> bool:
    """Whether ``name`` can run here (for tests that compare every backend at once)."""
    try:
        use_backend(request, name)
    except pytest.skip.Exception:
        return False
    return True
