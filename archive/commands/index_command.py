"""`xxgk index`: its parameters, defined once, and what it does and prints.

As `xxgk status` (``archive.commands.status_command``): ``archive.commands.search`` registers it with
Typer, ``archive.cli.main`` runs a plain command line straight (``archive.options.parse_plain``). An
index with nothing to do is the common case (import and crawl index as they go): it costs the
opening of the index to write, not Typer's start-up, and the progress bar (rich) is made only when
the first report is indexed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from index import BACKENDS

from ..cli_common import HOME, JSON, open_home, print_json
from ..errors import InputError
from ..options import Param

__all__ = ["INDEX_PARAMS", "index"]

INDEX_PARAMS = (
    HOME,
    Param("rebuild", ("--rebuild",), bool, False, "build the index again from the whole catalog"),
    Param("backend", ("--backend",), help=f"search backend: {' or '.join(BACKENDS)} [default: the index's own, else "
                                          "tantivy; whoosh where tantivy cannot be imported]", show_default=False),
    JSON,
)


class _LazyBar:
    """The indexing progress bar on stderr, started at the first progress report: a sync with
    nothing to index never loads rich."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            from ..cli_common import err_console

            self._progress = Progress(TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=err_console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task("indexing", total=None)
        self._progress.update(self._task, completed=done, total=total)

    def __enter__(self) -> "_LazyBar":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def index(home: Path | None = None, rebuild: bool = False, backend: str | None = None, json_out: bool = False) -> None:
    """Bring the full-text index up to date with the catalog (new, re-parsed and deleted reports).

    Example: xxgk index --backend tantivy --rebuild
    """
    import gc

    from ..indexing import sync_index

    if backend is not None and backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}: choose {' or '.join(BACKENDS)}")
    # a plain command line runs with the collector off (archive.cli.main); a rebuild of a national
    # archive makes millions of objects, and the cycles among them must not pile up
    gc.enable()
    with open_home(home, create=False) as h, _LazyBar(enabled=not json_out) as bar:
        stats = sync_index(h.catalog, h.index_dir, backend or h.settings.index_backend or None,
                           rebuild=rebuild, progress=bar)
    if json_out:
        print_json(stats.to_dict())
        return
    from .. import cli_common

    how = "rebuilt" if stats.rebuilt else "updated"
    cli_common.console.print(f"index {how} ({stats.backend}): {stats.upserted} indexed, {stats.deleted} removed, "
                             f"{stats.documents} reports searchable, {stats.seconds:g} s")
