"""`xxgk status`: its parameters, defined once, and what it prints.

As `xxgk reports` (``archive.commands.reports_command``): ``archive.commands.archive_cmds`` registers it
with Typer, ``archive.cli.main`` runs a plain command line straight (``archive.options.parse_plain``).
Every count is read from the catalog (``archive.status``), the orphans' from a listing of blobs/ that a
plain status makes only up to ``ORPHAN_LISTING_LIMIT`` files.
"""
from __future__ import annotations

from pathlib import Path

from ..cli_common import HOME, JSON, open_home, print_json
from ..i18n import _
from ..options import Param
from ..output import fold
from ..status import NOT_ERRORS, ORPHAN_LISTING_LIMIT, archive_status

__all__ = ["STATUS_PARAMS", "status", "status_lines"]

STATUS_PARAMS = (
    HOME,
    Param("orphans", ("--orphans",), bool, False, "list every file in blobs/ to count the orphans, however many "
                                                  f"there are (a plain status lists them up to {ORPHAN_LISTING_LIMIT:,} files)"),
    JSON,
)


def status(home: Path | None = None, orphans: bool = False, json_out: bool = False) -> None:
    """What the archive holds: documents, reports (each once), pages, errors, orphans.

    A document is a file stored once; a report is one publisher's annual report for one year,
    its copies (portal copy, 图解, corrected version, a local file of it) counted once, as in
    `reports` and `compare`; a page is a list page a crawl kept (not a document); an orphan is a
    file in blobs/ that is neither (left by a killed import: harmless, and the next import of
    the same bytes adopts it). `xxgk errors` lists every error. Every count comes from the
    catalog but the orphans, which need a listing of blobs/: past 10,000 files only with --orphans.
    Example: xxgk status
    """
    from .. import cli_common
    from ..index_health import index_damage, index_lag

    with open_home(home) as h:
        st = archive_status(h, orphans=True if orphans else None)
        counts = h.catalog.counts()
        counts["orphan_blobs"] = st.orphans
        recent = [e for e in h.catalog.errors(limit=50) if (e["stage"], e["reason"]) not in NOT_ERRORS][:5]
        lag = index_lag(h)
        damage = index_damage(h)
    if json_out:
        print_json({"home": str(h.path), "counts": counts, "status": st.to_dict(), "recent_errors": recent,
                    "index_behind": lag.reports, "index_missing": lag.missing, "index_damaged": damage})
        return
    console = cli_common.console
    for line in status_lines(st):
        for part in fold(line, console.width, "      "):
            console.print(part, soft_wrap=True)
    if lag:
        console.print(f"  {lag.message()}", markup=False)
    if damage:
        console.print(f"  {damage}", markup=False)
    if recent:
        console.print(_("  latest errors (xxgk errors lists them all):"), markup=False)
    for e in recent:
        for part in fold(f"    {e['stage']}/{e['reason']}: {e['source'] or ''} {e['message']}", console.width, "      "):
            console.print(part, soft_wrap=True)


def status_lines(st) -> list[str]:
    docs = st.documents_by_status
    copies = st.report_documents - st.reports
    kinds = ", ".join(f"{k} {n}" for k, n in st.errors_by_kind.items()) or _("none")
    return [
        _("archive home {home}", home=st.home),
        _("  documents  {n} files stored: {parsed} reports, {not_report} not reports, {failed} unreadable, "
          "{pending} waiting to be parsed", n=st.documents, parsed=docs.get("parsed", 0),
          not_report=docs.get("not_report", 0), failed=docs.get("failed", 0), pending=docs.get("pending", 0)),
        _("  reports    {n}: each publisher's report for a year once ({copies} more documents are copies of "
          "one: a portal's copy, an 图解 or corrected version, a local file of it)", n=st.reports, copies=copies),
        _("  pages      {n} list pages kept from crawls (read to ask what changed); not documents", n=st.pages),
        _("  errors     {n} ({kinds}); `xxgk errors` lists them", n=st.errors, kinds=kinds),
        _("  orphans    {n} files in blobs/ that are neither a document nor a page (a killed import leaves them; "
          "harmless, the next import of the same bytes adopts them)", n=st.orphans) if st.orphans is not None else
        _("  orphans    not counted: blobs/ holds over {limit} files (`xxgk status --orphans` lists them all to "
          "count them)", limit=f"{ORPHAN_LISTING_LIMIT:,}"),
    ]
