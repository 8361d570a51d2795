"""Names of a package imported on first use (PEP 562): ``import pkg`` stays cheap, ``pkg.Name`` works.

    __getattr__, __dir__ = lazy_exports(__name__, {"Name": "module", ...}, globals())
"""
from __future__ import annotations

from importlib import import_module

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: dict[str, str], namespace: dict):
    """The package's ``__getattr__`` (imports ``.module`` of ``exports[name]`` once, then keeps the
    name in ``namespace``) and ``__dir__``."""

    def __getattr__(name: str):
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{exports[name]}", package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(namespace.get("__all__", ())))

    return __getattr__, __dir__
