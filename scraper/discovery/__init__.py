"""Discovery: one small module per CMS family, found by its ``FAMILY`` name.

Every module of this package that defines ``FAMILY`` is a family (see ``base`` for the contract),
so a new family is a new module plus profiles that name it: nothing to register by hand.
``family_module("trs")`` returns the module; ``families()`` lists the names.

The other modules serve every family and a crawl without a profile: ``detect`` and
``signatures`` (which family wrote a page), ``start`` (which links of a page lead to the
annual-report columns), ``walk`` (from a home page to the columns: the one module that asks for
pages, through the engine's fetch), ``scope`` (a site's own hosts) and ``viewers`` (files shown in
embedded viewers; OFD).
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from ..errors import ProfileError
from .base import ListedLink, Listing, Page, PageRequest

__all__ = ["family_module", "families", "Page", "PageRequest", "ListedLink", "Listing"]

_REQUIRED = ("FAMILY", "OPTIONS", "read_list", "read_article")
_registry: dict[str, ModuleType] | None = None


def _load() -> dict[str, ModuleType]:
    global _registry
    if _registry is None:
        found: dict[str, ModuleType] = {}
        for info in pkgutil.iter_modules(__path__):
            if info.name.startswith("_") or info.name == "base":
                continue
            module = importlib.import_module(f"{__name__}.{info.name}")
            if all(hasattr(module, name) for name in _REQUIRED):
                found[module.FAMILY] = module
        _registry = found
    return _registry


def families() -> list[str]:
    return sorted(_load())


def family_module(name: str) -> ModuleType:
    try:
        return _load()[name]
    except KeyError:
        raise ProfileError(f"unknown CMS family {name!r} (known: {', '.join(families())})") from None
