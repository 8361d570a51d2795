"""The scraper's error tree as drawn in its docstring, and the exports of the fetching layer."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from scraper import errors
from scraper.errors import (BlockedError, FetchTimeoutError, FetchTransportError, HttpStatusError,
                            OutOfScopeError, ScraperError, TooManyRedirectsError)

FETCH_MODULES = ("errors", "settings", "stats", "slots", "retry", "robots", "transport", "models",
                 "sniff", "defences", "decode", "fetcher")


def test_every_error_is_a_scraper_error_with_its_own_reason():
    classes = [getattr(errors, n) for n in errors.__all__]
    assert all(issubclass(c, ScraperError) for c in classes)
    reasons = [c.reason for c in classes]
    assert len(reasons) == len(set(reasons))
    assert issubclass(FetchTimeoutError, FetchTransportError)
    for c in classes:   # the docstring draws every class
        assert c.__name__ in errors.__doc__


def test_errors_carry_their_context():
    e = HttpStatusError("x", url="http://a/", status=503)
    assert (e.url, e.status, e.reason) == ("http://a/", 503, "http_503")
    b = BlockedError("x", url="http://a/", kind="ruishu")
    assert (b.kind, b.reason) == ("ruishu", "blocked_ruishu")
    o = OutOfScopeError("x", url="http://evil/", host="evil", redirects=[(301, "http://a/")])
    assert o.redirects == [(301, "http://a/")] and o.host == "evil"
    assert TooManyRedirectsError("x", redirects=[(302, "u")]).redirects == [(302, "u")]


@pytest.mark.parametrize("name", FETCH_MODULES)
def test_exports_exist(name):
    module = importlib.import_module(f"scraper.{name}")
    assert module.__doc__ and module.__all__
    for export in module.__all__:
        assert hasattr(module, export), f"scraper.{name}.{export}"


@pytest.mark.parametrize("package", ["scraper", "replica"])
def test_no_import_of_sibling_packages(package):
    """scraper imports none of parser/index/archive; the replica never imports tests/."""
    banned = {"parser", "index", "archive", "tests"} if package == "scraper" else {"tests", "archive"}
    root = Path(importlib.import_module(package).__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            for n in names:
                assert n.split(".")[0] not in banned, f"{path}: imports {n}"
