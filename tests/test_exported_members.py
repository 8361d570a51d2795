"""Every module states its public surface in __all__, and every name there exists (httpx's habit)."""
from __future__ import annotations

import importlib
import pkgutil

import pytest

PACKAGES = ("parser", "scraper", "index", "archive", "replica")
SKIP = ("__main__", "build_regions")


def all_modules() -> list[str]:
    names = []
    for pkg in PACKAGES:
        root = importlib.import_module(pkg)
        names.append(pkg)
        names += [i.name for i in pkgutil.walk_packages(root.__path__, pkg + ".")
                  if not i.name.endswith(SKIP)]
    return names


@pytest.mark.parametrize("name", all_modules())
def test_module_declares_its_exports(name: str):
    mod = importlib.import_module(name)
    assert hasattr(mod, "__all__"), f"{name} has no __all__"
    missing = [n for n in mod.__all__ if not hasattr(mod, n)]
    assert not missing, f"{name}.__all__ names what it does not define: {missing}"


def test_dependencies_run_one_way():
    """scraper, parser and index never import each other or archive (DESIGN.md)."""
    import ast
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    forbidden = {"parser": {"scraper", "index", "archive", "replica"},
                 "scraper": {"parser", "index", "archive", "replica"},
                 "index": {"parser", "scraper", "archive", "replica"}}
    offenders = []
    for pkg, banned in forbidden.items():
        for path in (repo / pkg).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                mods = []
                if isinstance(node, ast.Import):
                    mods = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    mods = [node.module]
                offenders += [f"{path.relative_to(repo)} imports {m}" for m in mods if m.split(".")[0] in banned]
    assert not offenders, offenders
