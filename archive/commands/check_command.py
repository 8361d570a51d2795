"""`xxgk check`: its parameters, defined once, and what it prints.

As `xxgk compare` (``archive.commands.compare_command``, whose selection options it shares):
``archive.commands.compare`` registers it with Typer, ``archive.cli.main`` runs a plain command line
straight (``archive.options.parse_plain``), without Typer, Click or pydantic.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from .. import cli_common
from ..cli_common import HOME, JSON, open_home
from ..errors import InputError
from ..options import Param
from ..output import Column, check_output_path, stdout_is_terminal, stream, table_of
from .compare_command import NO_BOM, SELECTION_PARAMS, selection_of

__all__ = ["CHECK_PARAMS", "check"]

CHECK_PARAMS = (
    *SELECTION_PARAMS,
    Param("csv_out", ("--csv",), Path, help="write the findings to this CSV file"),
    Param("fail_on", ("--fail-on",), help="exit 1 when a finding is this severe: error or warning"),
    NO_BOM,
    JSON,
    HOME,
)


def check(region: list[str] | None = None, exact: bool = False, include_children: bool = False,
          agency: str | None = None, years: str | None = None, era: list[str] | None = None,
          format: list[str] | None = None, csv_out: Path | None = None, fail_on: str | None = None,
          no_bom: bool = False, json_out: bool = False, home: Path | None = None) -> None:
    """Check the archive across years (its help: ``archive.commands.compare.CHECK_HELP``)."""
    from ..check import CHECK_COLUMNS, SEVERITY_ORDER, CheckTally, iter_findings

    sel, out_format = selection_of(region, exact, include_children, agency, years, era, format, takes_output=True)
    fmt = "json" if json_out else out_format or ("table" if stdout_is_terminal() else "tsv")
    if fail_on and fail_on not in ("error", "warning"):
        raise InputError(f"--fail-on {fail_on!r}: use error or warning")
    if csv_out is not None:
        check_output_path(csv_out)
    with open_home(home) as h:
        # the findings written as they are found: a national archive's are not held (nor its reports)
        tally = CheckTally()
        if fmt == "table" and not csv_out:  # a terminal's tables, a publisher each, fitted to its width
            _print_findings(iter_findings(h.catalog.conn, sel, tally), tally)
        else:
            rows = (f.as_row() for f in iter_findings(h.catalog.conn, sel, tally))
            if fmt == "json":
                _print_json_spooled(rows, tally, csv_out, no_bom)
            elif csv_out:
                _write_findings_csv(csv_out, rows, CHECK_COLUMNS, bom=not no_bom)
                cli_common.err_console.print(f"wrote {tally.severities.total()} findings to {csv_out}", markup=False)
            else:  # a pipe: one line per finding (tsv), or csv: no console, no rich
                stream(rows, [Column(c, c) for c in CHECK_COLUMNS], fmt)
        worst = tally.worst()
    if fail_on and worst and SEVERITY_ORDER[worst] >= SEVERITY_ORDER[fail_on]:
        raise SystemExit(1)


def _print_json_spooled(rows, tally, csv_out: Path | None, no_bom: bool) -> None:
    """What ``print_json`` prints of the whole result, byte for byte, holding no finding: its counts
    come first but are known last, so the findings are laid out into a temporary file as they are
    found (and into --csv beside) and copied after the counts."""
    import gc
    import json
    import shutil
    import tempfile

    from ..check import CHECK_COLUMNS

    gc.enable()  # the plain command line runs without the collector; json's indenting leaves a cycle a row
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        def laid_out():
            for n, row in enumerate(rows):
                item = json.dumps(row, ensure_ascii=False, indent=1, default=str)
                spool.write(("" if n == 0 else ",\n") + "\n".join("  " + line for line in item.split("\n")))
                yield row

        if csv_out:
            _write_findings_csv(csv_out, laid_out(), CHECK_COLUMNS, bom=not no_bom)
        else:
            for _ in laid_out():
                pass
        head = json.dumps({"publishers": tally.publishers, "reports": tally.reports, "counts": dict(tally.severities),
                           "notes": tally.notes, "findings": []}, ensure_ascii=False, indent=1, default=str)
        if not tally.severities:
            sys.stdout.write(head + "\n")
            return
        sys.stdout.write(head.removesuffix("[]\n}") + "[\n")
        spool.seek(0)
        shutil.copyfileobj(spool, sys.stdout)
        sys.stdout.write("\n ]\n}\n")


def _write_findings_csv(path: Path, rows, columns, *, bom: bool) -> None:
    from ..compare.writers import atomic_output

    try:
        with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(columns))
            w.writeheader()
            w.writerows(rows)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}") from e


FINDING_COLUMNS = (Column("year", "year"), Column("report_id", "report", priority=2),
                   Column("rule", "rule", wrap=True, min_width=12), Column("severity", "severity", priority=1),
                   Column("message", "message", wrap=True, min_width=24))


def _print_findings(findings, tally) -> None:
    """A table per publisher as its findings come (a publisher's stand together), then the counts
    of ``tally``, whole once the findings have all been read."""
    from itertools import groupby

    console = cli_common.console
    for (region, agency), group in groupby(findings, key=lambda f: (f.region, f.agency)):
        # a table per publisher, fitted to the terminal; a message's brackets ("[gb2019]") stay text
        rows = [{"year": f.year or "?", "report_id": f.report_id, "rule": f.rule, "severity": f.severity,
                 "message": f.message} for f in group]
        console.print(table_of(FINDING_COLUMNS, rows, console.width, title=f"{region} {agency}".strip()))
    counts = ", ".join(f"{n} {s}" for s, n in sorted(tally.severities.items()) if n) or "no findings"
    console.print(f"{tally.publishers} publishers, {tally.reports} reports: {counts}", markup=False)
    for note in tally.notes:
        console.print(f"note: {note}", markup=False)
