"""`xxgk demo`: the main job on the bundled offline example.

Imports the example reports shipped in ``archive/examples/`` into a home, then lists them, so a new
user sees the whole path (archive -> parse -> records) without a network.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer

from ..catalog import ReportFilter
from ..cli_common import HomeOpt, console, open_home
from ..ingest import import_paths

__all__ = ["register", "examples_dir"]


def examples_dir() -> Path:
    return Path(str(resources.files("archive") / "examples"))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)


def demo_cmd(home: HomeOpt = None) -> None:
    """Run xxgk on the bundled offline example and leave a home to explore.

    Example: xxgk demo --home /tmp/xxgk-demo && xxgk reports --home /tmp/xxgk-demo
    """
    h = open_home(home, create=True)
    with h:
        console.print(f"archive home: {h.path}")
        console.print(f"importing the bundled example reports from {examples_dir()}")
        summary = import_paths(h, [examples_dir()])
        c = summary.counts
        console.print(f"{c['new']} new, {c['already_archived']} already archived, {c['parsed']} parsed, "
                      f"{c['not_report']} not a report, {c['failed']} failed")
        for r in h.catalog.list_reports(ReportFilter()):
            console.print(f"  report {r['id']}: {r['year']} {r['region'] or '?'} {r['agency'] or ''} "
                          f"[{r['format']}] {r['n_metrics']} metrics, {r['n_findings']} findings", markup=False)
        console.print(f"next: xxgk reports --home {h.path} · xxgk show ID --home {h.path}")
