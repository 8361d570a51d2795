"""Archive settings: every default written here once, with its help text.

Layering (lowest first): these defaults < ``<home>/xxgk.toml`` [archive] table < ``XXGK_*``
environment variables < command-line flags. ``SETTINGS_HELP`` feeds ``--help`` and the README;
a test checks that every setting is documented there.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from index.value_class import value_class

__all__ = ["ArchiveSettings", "load_settings", "parse_size", "SETTINGS_HELP"]


def parse_size(text: str | int) -> int:
    """'200MB', '1.5 GB', '4096' -> bytes."""
    if isinstance(text, int):
        return text
    s = str(text).strip().upper().replace(" ", "")
    for suffix, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("G", 1 << 30),
                           ("M", 1 << 20), ("K", 1 << 10), ("B", 1)):
        if s.endswith(suffix):
            return int(float(s[: -len(suffix)]) * factor)
    return int(s)


# each setting's help, environment variable and parser, in the order of ArchiveSettings' fields
_META: dict[str, dict[str, Any]] = {
    "max_file_size": {"help": "largest file `import` accepts, checked before reading it (e.g. 200MB)",
                      "env": "XXGK_MAX_FILE_SIZE", "parse": parse_size},
    "parse_time_budget": {"help": "seconds the parser may spend on one document before it is recorded as failed",
                          "env": "XXGK_PARSE_TIME_BUDGET", "parse": float},
    "min_free_space": {"help": "free space kept on the archive's disk beyond what a command stores; checked up "
                               "front (e.g. 64MB)", "env": "XXGK_MIN_FREE_SPACE", "parse": parse_size},
    "index_backend": {"help": "search backend of a new index: tantivy (the default, fastest), whoosh (pure Python: "
                              "the default where tantivy cannot be imported) or postgres (a PostgreSQL database: "
                              "--index-url / XXGK_INDEX_URL, many readers and replicas); an existing index keeps "
                              "its own", "env": "XXGK_INDEX_BACKEND", "parse": str},
    "blobs": {"help": "where archived files go: a folder or a URL such as s3://bucket/prefix [default: "
                      "<home>/blobs]", "env": "XXGK_BLOBS", "parse": str},
}


@value_class(frozen=True)  # every command opens a home: no dataclass to compile (index.value_class)
class ArchiveSettings:
    max_file_size: int = 200 * 1024 * 1024
    parse_time_budget: float = 60.0
    min_free_space: int = 64 * 1024 * 1024
    index_backend: str = ""
    blobs: str = ""

    def __post_init__(self) -> None:
        if self.max_file_size <= 0:
            raise ValueError("max_file_size must be positive")
        if self.min_free_space < 0:
            raise ValueError("min_free_space cannot be negative")
        if self.parse_time_budget <= 0:
            raise ValueError("parse_time_budget must be positive")
        if self.index_backend not in ("", "whoosh", "tantivy", "postgres"):
            raise ValueError("index_backend must be whoosh, tantivy or postgres")


SETTINGS_HELP = {name: m["help"] for name, m in _META.items()}


def load_settings(home: Path | None, overrides: dict[str, Any] | None = None) -> ArchiveSettings:
    values: dict[str, Any] = {}
    meta = _META
    if home is not None and (home / "xxgk.toml").is_file():
        import tomllib  # only where a home has the file

        with open(home / "xxgk.toml", "rb") as fh:
            table = tomllib.load(fh).get("archive", {})
        for k, v in table.items():
            if k not in meta:
                raise ValueError(f"{home / 'xxgk.toml'}: unknown setting archive.{k}")
            values[k] = meta[k]["parse"](v)
    for name, m in meta.items():
        env = os.environ.get(m["env"])
        if env:
            try:
                values[name] = m["parse"](env)
            except ValueError as e:
                raise ValueError(f"{m['env']}={env!r}: {e}") from e
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return ArchiveSettings(**values)
