"""`xxgk metrics`: the codebook, its parameters defined once.

As `xxgk compare` (``archive.commands.compare_command``): ``archive.commands.compare`` registers it
with Typer, ``archive.cli.main`` runs a plain command line straight (``archive.options.parse_plain``),
without Typer, Click or pydantic: looking a key up is a call researchers make often.
"""
from __future__ import annotations

from .. import cli_common
from ..cli_common import JSON
from ..compare.metric_selection import split_items
from ..compare.selection import FORMATS
from ..errors import InputError
from ..i18n import _
from ..options import Param
from ..output import Column, emit, resolve_format

__all__ = ["METRICS_LIST_PARAMS", "METRIC_COLUMNS", "metrics"]

METRIC_COLUMNS = (Column("key", "key"), Column("label", "label", wrap=True, min_width=10),
                  Column("table", "table", priority=3), Column("row", "row", priority=2, wrap=True),
                  Column("column", "column", priority=4, wrap=True), Column("eras", "eras", priority=1),
                  Column("unit", "unit", priority=5))


METRICS_LIST_PARAMS = (
    Param("group", ("--group",), multiple=True,
          help="only these groups: headline, table2, table3, table4, legacy, appendix, derived (or 核心, 表三 …)"),
    Param("era", ("--era",), help="only the keys reports of this era have"),
    Param("find", ("--find",), help="only keys or labels holding these characters (复议)"),
    Param("fmt", ("--format",), help="table, tsv, csv or json"),
    JSON,
)


def metrics(group: list[str] | None = None, era: str | None = None, find: str | None = None, fmt: str | None = None,
            json_out: bool = False) -> None:
    """The codebook: every metric key with its Chinese label, the table, row and column of the
    report that states it, the template eras that have it, and its unit.

    --metrics (compare, export, chart) takes a key, its Chinese label, a pattern or a group.
    Example: xxgk metrics --group table4
    """
    from ..compare.codebook import CODEBOOK, GROUP_ALIASES, TABLE_NAMES
    from ..compare.metric_keys import metric_groups

    out_format = resolve_format(fmt, json_flag=json_out)
    groups = metric_groups()
    entries = list(CODEBOOK)
    if group:
        names = [GROUP_ALIASES.get(g, g) for g in split_items(group)]
        bad = [g for g in names if g not in groups]
        if bad:
            raise InputError(f"unknown group {bad[0]!r}: use {', '.join(groups)}")
        keys = {k for g in names for k in groups[g]}
        entries = [e for e in entries if e.key in keys]
    if era:
        if era not in FORMATS:
            raise InputError(f"unknown era {era!r}: use {', '.join(FORMATS)}")
        entries = [e for e in entries if era in e.eras]
    if find:
        entries = [e for e in entries if find in e.key or find in e.label or find in e.row]
    rows = [e.as_row() for e in entries]
    if out_format == "table":
        for r in rows:
            r["table"] = {"table2": "表二", "table3": "表三", "table4": "表四", "legacy": "正文", "appendix": "附表",
                          "derived": "推算"}.get(str(r["table"]), r["table"])
    if out_format != "table":  # plain lines on stdout: no console, no rich
        emit(rows, METRIC_COLUMNS, out_format, console=None)
        return
    console = cli_common.console
    emit(rows, METRIC_COLUMNS, out_format, console=console)
    if out_format == "table":
        console.print(_("{n} metrics; tables: {tables}", n=len(rows),
                        tables="; ".join(f"{k} {v}" for k, v in TABLE_NAMES.items())), markup=False)
