"""Shared fixtures: real temporary archive homes, the repo's paths, the CLI runner.

The archive suites run on both catalogs: each module named in ``BOTH_CATALOGS`` is collected twice,
as itself (SQLite) and as ``<module>.py[postgres]``, where every home it makes (in the test process
and in `xxgk` subprocesses, through ``XXGK_CATALOG``) keeps its catalog in a database of its own on
the session's throwaway PostgreSQL server (``pg_server.py``). Module-scoped homes are built once per
catalog. Without PostgreSQL binaries the second copy skips with one line.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from pg_server import pg_server, pg_url  # noqa: F401  (fixtures for every test module)

REPO = Path(__file__).resolve().parent.parent
# the real samples of shared/samples, copied in: tests never read anything beside the repository
SAMPLES = REPO / "tests" / "data" / "samples"
EXAMPLES = REPO / "archive" / "examples"
XXGK = Path(sys.executable).parent / "xxgk"


@pytest.fixture
def home_path(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def home(home_path: Path):
    from archive.home import Home

    h = Home.open(home_path, create=True)
    yield h
    h.close()


def run_cli(*args: str, env: dict | None = None, input: str | None = None):
    """Run the real console script in a subprocess; return CompletedProcess (text)."""
    import subprocess

    e = dict(os.environ)
    e.pop("XXGK_HOME", None)
    e.update(env or {})
    return subprocess.run([str(XXGK), *args], capture_output=True, text=True, env=e, input=input, timeout=600)


# each xdist worker reads scans in its own process, beside the other workers: its OCR engine gets its
# share of the cores, as archive.parse_pool gives each parse worker's (one spinning thread a core in
# every worker made the OCR tests half again as slow)
if os.environ.get("PYTEST_XDIST_WORKER_COUNT", "").isdigit():
    os.environ.setdefault("XXGK_OCR_THREADS",
                          str(max(1, (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"]))))


# modules whose tests run on SQLite and again on PostgreSQL
BOTH_CATALOGS = re.compile(r"^test_(archive_(?!commands_sites_check).*|cli_(show|status|exports|ordering_ids|places|listing_stream)|faults_claims)\.py$")


# tests of those modules that do not reach the catalog (help, usage mistakes, the bare parser) or repeat
# on PostgreSQL what a cheaper test there already covers (the whole demo): run once, on SQLite
SQLITE_ONLY_TESTS = re.compile(r"help|mistakes|parse_contract|demo_leaves|unknown_site|sites_check|reading_every_place|read_one_by_one|a_stream")


class PostgresCatalogModule(pytest.Module):
    """The same test module again, its homes' catalogs in PostgreSQL (see ``catalog_backend``)."""

    catalog_backend = "postgres"

    def collect(self):
        return [item for item in super().collect() if not SQLITE_ONLY_TESTS.search(item.name)]


def pytest_collect_file(file_path: Path, parent):
    if BOTH_CATALOGS.match(file_path.name) and not os.environ.get("XXGK_TEST_SQLITE_ONLY"):
        name = f"{file_path.name}[postgres]"
        nodeid = f"{parent.nodeid}/{name}" if parent.nodeid else name
        return PostgresCatalogModule.from_parent(parent, path=file_path, name=name, nodeid=nodeid)
    return None


@pytest.fixture(scope="module", autouse=True)
def catalog_backend(request):
    """'sqlite', or 'postgres' in a ``PostgresCatalogModule``: then XXGK_CATALOG names the test server,
    so each new home gets its own database there."""
    backend = getattr(request.node, "catalog_backend", "sqlite")
    if backend == "sqlite":
        yield backend
        return
    server = request.getfixturevalue("pg_server")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XXGK_CATALOG", server.url(""))
        yield backend


def catalog_at(folder: Path):
    """Where a test's own catalog goes: ``folder/c.sqlite``, or in a module's [postgres] copy a fresh
    database on the test server (named after ``folder``)."""
    server = os.environ.get("XXGK_CATALOG")
    if server:
        from archive.db import ensure_database, home_database_name

        return ensure_database(server, home_database_name(folder))
    return folder / "c.sqlite"


def catalog_conn(home: Path):
    """A read connection to a home's catalog, SQLite or PostgreSQL (execute, fetchone, close)."""
    from archive.catalog import Catalog
    from archive.home import catalog_location

    return Catalog(catalog_location(Path(home)), readonly=True).conn


def has_catalog(home: Path) -> bool:
    return (Path(home) / "catalog.sqlite").exists() or (Path(home) / "catalog.url").exists()
