"""The hosts each site profile speaks for, kept between processes.

    scopes(home, compute) -> {host: [Scope]}    from the cache when no profile file changed

Every command that lists or shows reports weighs their provenance (``archive.provenance``), which needs
the hosts and places of every site profile: reading 33 TOML files and importing the profile loader
cost ~90 ms a call, a third of `xxgk reports`. The answer depends only on the profile files (the
built-in ones and ``<home>/sites``) and on the code that reads them, so it is kept in the cache folder
(``XXGK_CACHE_DIR``; ``off``: none) under a key made of their paths, sizes and modification times. A
damaged, foreign or unwritable cache is the same as none: the scopes are computed as before.
"""
from __future__ import annotations

import hashlib
import json
import os
from importlib.util import find_spec
from pathlib import Path
from typing import Callable

__all__ = ["scopes", "profile_files"]

_FILE = "site-scopes.json"
_FORMAT = 1
_KEEP = 16  # homes with their own sites/ folders each have a key; the oldest go first


def _profiles_package() -> Path | None:
    try:
        spec = find_spec("scraper.profiles")  # imports the light ``scraper`` package, not the loader
    except ImportError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def profile_files(home: str | None) -> list[Path] | None:
    """The profile files ``load_profiles`` reads for ``home``, in its order; None without the crawler."""
    package = _profiles_package()
    if package is None:
        return None
    folders = [package / "sites"] + ([Path(home) / "sites"] if home else [])
    return [f for folder in folders if folder.is_dir() for f in sorted(folder.glob("*.toml"))]


def _key(files: list[Path]) -> str | None:
    # the code that turns files into scopes is part of the key: a changed rule is never served stale
    package = _profiles_package()
    if package is None:
        return None
    code = [Path(__file__).with_name("provenance.py"), package / "loader.py", package / "model.py"]
    parts = []
    for f in [*code, *files]:
        try:
            st = f.stat()
        except OSError:
            return None
        parts.append(f"{f}\t{st.st_size}\t{st.st_mtime_ns}")
    return hashlib.sha256(f"{_FORMAT}\n".encode() + "\n".join(parts).encode()).hexdigest()


def scopes(home: str | None, compute: Callable[[], dict], scope_type: type) -> dict:
    """``compute()`` (host -> [scope_type]) or the same answer kept by an earlier process."""
    from parser.regex_cache import cache_folder

    folder = cache_folder()
    files = profile_files(home) if folder is not None else None
    key = _key(files) if files is not None else None
    if key is None:
        return compute()
    path = folder / _FILE
    entries = _read(path)
    kept = entries.get(key)
    if kept is not None:
        try:
            return {host: [scope_type(*row) for row in rows] for host, rows in kept.items()}
        except TypeError:  # rows of another shape: computed again below
            pass
    value = compute()
    entries.pop(key, None)
    entries[key] = {host: [list(_fields(s)) for s in ss] for host, ss in value.items()}
    _write(path, dict(list(entries.items())[-_KEEP:]))
    return value


def _fields(scope) -> tuple:
    return tuple(getattr(scope, name) for name in scope.__dataclass_fields__)


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(data.get("entries"), dict):
        return {}
    return data["entries"]


def _write(path: Path, entries: dict) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_FILE, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"format": _FORMAT, "entries": entries}, f, ensure_ascii=False)
            os.replace(tmp, path)  # readers see the old file or the new one
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:  # read-only or full: the next process computes again
        pass
