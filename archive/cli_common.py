"""Pieces every command shares: the --home and --json options, opening the home, output helpers.

Commands are thin: they parse options, call a library function, and print. Library errors reach
``archive.cli.main``, which prints them as one line and exits non-zero.

The shared options are ``archive.options.Param``s (HOME, JSON, YEARS, FORMAT, ERA, EXACT); their
Typer forms (HomeOpt, JsonOpt, ...) and the rich consoles are made on first use, so a command
that runs without Typer or rich (`xxgk search` on its fast start) never imports them.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .options import Param

if TYPE_CHECKING:  # imported when a command opens a home, not for `xxgk --help`
    from rich.console import Console

    from .home import Home

__all__ = ["HomeOpt", "JsonOpt", "IndexOpt", "keep_index_current", "open_home", "open_home_to_read", "console", "err_console", "print_json",
           "parse_year_range", "YearsOpt", "FormatOpt", "EraOpt", "ExactOpt", "ERAS", "output_and_era",
           "HOME", "JSON", "YEARS", "FORMAT", "ERA", "EXACT"]

ERAS = ("legacy", "gb2019", "gb2021")

HOME = Param("home", ("--home",), Path, envvar="XXGK_HOME", help="archive home folder [default: ./xxgk-data]",
             show_default=False)
JSON = Param("json_out", ("--json",), bool, False, "print JSON instead of a table")
YEARS = Param("year", ("--year", "--years"), help="a year (2017) or a range (2015-2020)")
FORMAT = Param("fmt", ("--format",), help="output: table (default on a terminal), tsv (default in a pipe), csv or "
                                          "json", show_default=False)
ERA = Param("era", ("--era",), help="the report's template: legacy (before 2019), gb2019 or gb2021",
            show_default=False)
EXACT = Param("exact", ("--exact",), bool, False, "only the places named, not the places below them")

_TYPER_FORMS = {"HomeOpt": HOME, "JsonOpt": JSON, "YearsOpt": YEARS, "FormatOpt": FORMAT, "EraOpt": ERA,
                "ExactOpt": EXACT}


def _index_opt() -> Any:
    from typing import Annotated

    import typer

    return Annotated[bool, typer.Option(
        "--index/--no-index", help="keep the search index current afterwards (`xxgk index` does it later)")]


def _console(stderr: bool) -> "Console":
    from rich.console import Console

    # on a terminal, lines wrap at its width; in a pipe or a file, a line stays one line
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, highlight=False, soft_wrap=not stream.isatty())


def __getattr__(name: str) -> Any:
    """The Typer forms of the shared options and the two consoles, made (once) when first asked for."""
    if name in _TYPER_FORMS:
        value = _TYPER_FORMS[name].annotation()
    elif name == "IndexOpt":
        value = _index_opt()
    elif name in ("console", "err_console"):
        value = _console(stderr=name == "err_console")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def output_and_era(fmt: str | None, era: str | None, json_flag: bool = False) -> tuple[str, str | None]:
    """(output format, template era) from --format, --era and --json.

    ``--format legacy|gb2019|gb2021`` (the option's meaning before it chose the output) still
    selects the era."""
    from .output import OUTPUT_FORMATS, resolve_format

    if fmt and fmt.strip().lower() in ERAS:
        if era and era != fmt.strip().lower():
            raise InputError(f"--format {fmt} and --era {era} disagree: give the era once, with --era")
        fmt, era = None, fmt.strip().lower()
    if fmt and fmt.strip().lower() not in OUTPUT_FORMATS:
        raise InputError(f"unknown format {fmt!r}: use {', '.join(OUTPUT_FORMATS)} (output) or {', '.join(ERAS)} "
                         "(the reports' era, as --era)")
    if era is not None and era not in ERAS:
        raise InputError(f"unknown era {era!r}: use {', '.join(ERAS)}")
    return resolve_format(fmt, json_flag=json_flag), era


def open_home(home: Path | None, *, create: bool = False, **overrides: Any) -> "Home":
    from .home import Home

    return Home.open(home, create=create, overrides=overrides or None)


def open_home_to_read(home: Path | None) -> "Home":
    """The home of a command that only reads (`xxgk search`): its catalog opened read-only, so the
    opening neither migrates nor sweeps the blob folders for a killed writer's temporary files (a
    walk over every folder, slow on a large archive). A catalog that needs migrating first, or a
    PostgreSQL catalog being joined (XXGK_CATALOG), is opened as every command opens it."""
    import os

    from .home import Home
    from .migrations import MIGRATIONS

    if os.environ.get("XXGK_CATALOG"):
        return open_home(home)
    h = Home.open(home, create=False, readonly=True)
    if h.catalog.version >= max(m.version for m in MIGRATIONS):  # the version read as the catalog opened
        return h
    h.close()
    return open_home(home)


def keep_index_current(home: Home, *, quiet: bool = False) -> None:
    """After a command that changed records: apply the changes to the search index."""
    from .indexing import sync_index

    stats = sync_index(home)
    if not quiet:
        from .i18n import _

        err_console = sys.modules[__name__].err_console  # made on first use (see __getattr__)
        err_console.print(_("search index {how}: {indexed} reports indexed, {removed} removed",
                            how=_("rebuilt") if stats.rebuilt else _("updated"), indexed=stats.upserted,
                            removed=stats.deleted), markup=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


def parse_year_range(text: str | None) -> tuple[int | None, int | None]:
    """'2017' -> (2017, 2017); '2015-2020' -> (2015, 2020); '2015-' -> (2015, None); None -> (None, None)."""
    if not text:
        return None, None
    s = text.strip().replace("–", "-").replace("—", "-").replace("~", "-")
    try:
        if "-" in s:
            a, b = s.split("-", 1)
            lo, hi = (int(a) if a else None), (int(b) if b else None)
        else:
            lo = hi = int(s)
    except ValueError:
        raise InputError(f"not a year or a year range: {text!r} (try 2017 or 2015-2020)") from None
    for y in (lo, hi):
        if y is not None and not 1990 <= y <= 2100:
            raise InputError(f"year out of range: {y}")
    if lo is not None and hi is not None and lo > hi:
        raise InputError(f"empty year range: {text!r}")
    return lo, hi
