"""`xxgk show ID` (one report for a reader), `xxgk open ID` (its original file under a readable
name) and `xxgk cat ID` (its extracted text).

``show`` leads with what a reader wants: title, publisher, year, the source of record and its
date, the era, the headline numbers and the findings; then the metrics laid out as the report's
own tables (table 2 items × columns, table 3 rows × applicant columns, table 4 review and
lawsuits × outcomes, the legacy prose and 附表 figures as a list), labelled in Chinese from the
codebook (``archive.compare.codebook``). ``--evidence`` adds, for every number, where the report
states it, and every source. ``--json`` prints the stored record unchanged.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text

from ..cli_common import HOME, JSON, console, open_home, print_json
from ..compare.codebook import TABLE_NAMES, entry
from ..compare.copies import copies_lines
from ..compare.metric_keys import HEADLINE_METRICS
from ..compare.selection import last_level
from ..errors import InputError
from ..i18n import _
from ..options import Param, typer_command
from ..output import Column, check_output_path, emit, fit_columns, fold
from ..report_layout import matrix_of, number_text as _number, tables_of, unplaced

if TYPE_CHECKING:
    import typer

__all__ = ["register", "show_cmd", "open_cmd", "cat_cmd", "print_record", "readable_name", "source_of_record",
           "SHOW_PARAMS", "OPEN_PARAMS", "CAT_PARAMS"]

# the commands' parameters as data (archive.options): Typer builds the commands from them, and a plain
# `xxgk show 12` or `xxgk cat 12` line runs without Typer, Click or pydantic (archive.cli)
ID = Param("report_id", kind=int, help="report id, as `xxgk reports` or `xxgk search` print it", show_default=False)
SHOW_PARAMS = (ID, HOME, Param("evidence", ("--evidence",), bool, False, "say where the report states each number, "
                                                                         "and list every source"), JSON)
OPEN_PARAMS = (ID, HOME,
               Param("output", ("-o", "--output"), Path, help="a folder (or a file name) to save it in [default: the "
                                                              "current folder]", show_default=False),
               Param("launch", ("--launch",), bool, False, "then open it with this computer's viewer"))
CAT_PARAMS = (ID, HOME)
_EXTENSIONS = {"text/html": ".html", "application/pdf": ".pdf", "application/msword": ".doc",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
               "text/plain": ".txt", "application/vnd.ms-excel": ".xls", "application/vnd.ms-works": ".wps",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx"}
# the applicant columns of table 3, as short as a terminal needs them
_SHORT = {"社会公益组织": "公益组织", "法律服务机构": "法律服务", "其他组织": "其他", "结果维持": "维持", "结果纠正": "纠正",
          "其他结果": "其他", "尚未审结": "未审结"}


def register(app: "typer.Typer") -> None:
    app.command("show")(typer_command(show_cmd, SHOW_PARAMS))
    app.command("open")(typer_command(open_cmd, OPEN_PARAMS))
    app.command("cat")(typer_command(cat_cmd, CAT_PARAMS))


def _report(home: Path | None, report_id: int) -> dict[str, Any]:
    with open_home(home) as h:
        rep = h.catalog.get_report(report_id)
    if rep is None:
        raise InputError(f"no report with id {report_id} (see `xxgk reports`)")
    return rep


def source_of_record(sources: list[dict[str, Any]], url: str | None = None) -> dict[str, Any] | None:
    """The source a reader should cite: the report's own URL, else a web source, else a local file."""
    if not sources:
        return None
    own = [s for s in sources if url and url in (s.get("url"), s.get("final_url"))]
    web = [s for s in sources if s.get("kind") == "crawl"]
    return (own or web or sources)[0]


def show_cmd(report_id: int, home: Path | None = None, evidence: bool = False, json_out: bool = False) -> None:
    """One report for a reader: title, publisher, year, source and date, headline numbers,
    findings, then its numbers laid out as the report's own tables.

    Example: xxgk show 12 --evidence
    """
    rep = _report(home, report_id)
    record = rep["record"]
    if json_out:
        print_json({"id": rep["id"], "record": record, "sources": rep["sources"]})
        return
    with open_home(home) as h:  # its trust, and which of its copies counts (archive.compare.copies)
        copies = copies_lines(h.catalog.conn, rep["id"])
    print_record(record, report_id=rep["id"], sources=rep["sources"], evidence=evidence, copies=copies,
                 document=f"sha256 {rep['sha256']} · {rep['size']:,} bytes · {rep['document_media_type']}")


def _say(text: str | Text, indent: str = "  ") -> None:
    for line in fold(text, console.width, indent):
        console.print(line, soft_wrap=True)


def _field(name: str, value: str) -> None:
    head = Text(_("{field}: ", field=_(name)), style="bold")
    _say(head + Text(value), "    ")


def print_record(record: dict, *, report_id: int | None = None, sources: list[dict] | None = None,
                 evidence: bool = False, document: str = "", copies: list[str] | None = None) -> None:
    """A record for people (``show`` and ``parse``)."""
    title = record.get("title") or _("(untitled)")
    head = Text(title, style="bold")
    if report_id is not None:
        head.append(f"  #{report_id}", style="dim")
    _say(head)
    region, agency = record.get("region"), record.get("agency")
    publisher = agency or (_("{region} (the government's own report)", region=region) if region else _("unknown"))
    if agency and region and not agency.startswith(last_level(region)[:2]):
        publisher = f"{agency} ({region})"
    _field("publisher", publisher)
    year = str(record.get("year") or _("unknown"))
    _field("year", year + (_(" · published {date}", date=record["published"]) if record.get("published") else ""))
    src = source_of_record(sources or [], (record.get("source") or {}).get("url"))
    url = (src or {}).get("final_url") or (src or {}).get("url") or (record.get("source") or {}).get("url")
    if url:
        when = (src or {}).get("fetched_at") or (record.get("source") or {}).get("fetched_at") or ""
        how = _("fetched on") if (src or {}).get("kind") == "crawl" else _("imported on")
        more = _(" (+{n} more sources: --evidence)", n=len(sources) - 1) if sources and len(sources) > 1 \
            and not evidence else ""
        _field("source", f"{url} · {how} {when[:10]}{more}")
    era = record.get("format") or "?"
    _field("era", {"legacy": _("legacy (before the 2019 template: counted in the report's own words)"),
                   "gb2019": _("gb2019 (the 2019 template)"), "gb2021": _("gb2021 (the 2021 template)")}.get(era, era))
    metrics = record.get("metrics") or {}
    headline = [f"{entry(k).label if entry(k) else k} {_number(metrics[k])}" for k in HEADLINE_METRICS if k in metrics]
    if headline:
        _field("headline", " · ".join(headline))
    findings = record.get("findings") or []
    if findings:
        console.print(Text(_("{field}: ", field=_("findings") + f" ({len(findings)})").rstrip(), style="bold"))
        for f in findings:
            _say(Text(f"  [{f['severity']}] ", style="red" if f["severity"] == "error" else "yellow")
                 + Text(f"{f['rule']}: {f['message']}"), "      ")
    else:
        _field("findings", _("none"))
    for line in copies or ():  # trust and copies (archive.compare.copies): what the numbers stand on
        _say(Text(line), "    ")
    if metrics:
        _print_metric_tables(metrics, record.get("evidence") or {}, evidence, legacy=era == "legacy")
    if evidence:
        if record.get("sections"):
            console.print(Text(_("sections") + ":", style="bold"))
            for s in record["sections"]:
                _say(f"  § {s['heading']}", "    ")
        for s in sources or []:
            extra = f" HTTP {s['http_status']}" if s.get("http_status") else ""
            via = _(" found on {page}", page=s["referrer"]) if s.get("referrer") else ""
            _say(f"  {s['kind']}: {s['url']} · {s['fetched_at']}{extra}{via}", "    ")
        if document:
            _say(f"  {document}", "    ")
        if record.get("parser_version"):
            _say(f"  parser {record['parser_version']}", "    ")


def _evidence_text(ev: dict | None) -> str:
    if not ev:
        return ""
    page = f" p.{ev['page']}" if ev.get("page") else ""
    if ev.get("where") == "table":
        return f"{_('table')} {(ev.get('table') or 0) + 1}{page}: {ev.get('row')} × {ev.get('column')}"
    if ev.get("where") == "derived":
        return f"{_('derived')}: {ev.get('snippet') or ''}"
    return f"{_('text')}{page}: {ev.get('snippet') or ''}"


def _print_metric_tables(metrics: dict, evidence: dict, with_evidence: bool, legacy: bool = False) -> None:
    tables = tables_of(metrics, legacy)
    for table, entries in tables.items():
        console.print()
        console.print(Text(TABLE_NAMES[table], style="bold"))
        if with_evidence:
            rows = [{"label": e.label, "value": _number(metrics[e.key]), "evidence": _evidence_text(evidence.get(e.key))}
                    for e in entries]
            emit(rows, (Column("label", "metric", wrap=True, min_width=12), Column("value", "value", justify="right"),
                        Column("evidence", "where the report states it", wrap=True, min_width=20)), "table",
                 console=console)
        elif table in ("table3", "table4"):
            _matrix(entries, metrics, table)
        elif table == "table2":  # its items have different columns: one line per item
            items: dict[str, list[str]] = {}
            for e in entries:
                items.setdefault(e.row, []).append(f"{e.column} {_number(metrics[e.key])}")
            for item, cells in items.items():
                _say(Text(f"  {item}: ", style="bold") + Text(" · ".join(cells)), "      ")
        else:
            rows = [{"label": e.label, "value": _number(metrics[e.key]), "unit": e.unit} for e in entries]
            emit(rows, (Column("label", "metric", wrap=True, min_width=12), Column("value", "value", justify="right"),
                        Column("unit", "unit", priority=1)), "table", console=console)
    rest = unplaced(metrics, tables)
    if rest:
        console.print()
        console.print(Text(_("other figures"), style="bold"))
        rows = [{"label": k, "value": _number(metrics[k]), "evidence": _evidence_text(evidence.get(k))} for k in rest]
        emit(rows, (Column("label", "metric"), Column("value", "value", justify="right"),
                    Column("evidence", "where the report states it", wrap=True, priority=1)), "table", console=console)


def _matrix(entries: list, metrics: dict, table: str) -> None:
    """A table of the report: its rows down, its columns across, as the template lays them out."""
    m = matrix_of(entries, table, _("value"))
    data = [{"row": row, **{col: _number(metrics[m.cells[(row, col)]]) for col in m.columns if (row, col) in m.cells}}
            for row in m.rows]
    cols = [Column("row", _("item"), wrap=True, min_width=14)] + [
        Column(c, _SHORT.get(c, c), priority=i, justify="right") for i, c in enumerate(m.columns)]
    emit(data, cols, "table", console=console)
    shown = {c.key for c, _w in fit_columns(cols, data, console.width, {c.key: c.title for c in cols})}
    hidden = [c.title for c in cols if c.key not in shown and any(r.get(c.key) for r in data)]
    if hidden:
        _say(_("  (columns left out at this width: {names}; --evidence lists every number)",
               names=", ".join(hidden)), "    ")


def readable_name(rep: dict[str, Any]) -> str:
    """2017-余杭区-政府信息公开工作年度报告.pdf: year, place, agency, the report's kind, variant."""
    rec = rep["record"]
    parts = [str(rec.get("year") or "")]
    if rec.get("region"):
        parts.append(last_level(rec["region"]))
    if rec.get("agency"):
        parts.append(rec["agency"])
    parts.append("政府信息公开工作年度报告")
    if rep.get("variant"):
        parts.append(rep["variant"])
    name = "-".join(p for p in parts if p)
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name)
    src = source_of_record(rep.get("sources") or [], rep.get("url"))
    ext = _EXTENSIONS.get((rep.get("document_media_type") or "").split(";")[0].strip())
    if ext is None and src:
        ext = os.path.splitext(src.get("url", "").split("?")[0])[1][:6] or None
    return name + (ext or ".bin")


def open_cmd(report_id: int, home: Path | None = None, output: Path | None = None, launch: bool = False) -> None:
    """Save a report's original file, byte for byte, under a readable name
    (2017-余杭区-政府信息公开工作年度报告.pdf) and print where.

    Example: xxgk open 12 -o ~/Downloads --launch
    """
    target = output if output is not None else Path(".")
    with open_home(home) as h:
        rep = h.catalog.get_report(report_id)
        if rep is None:
            raise InputError(f"no report with id {report_id} (see `xxgk reports`)")
        path = target / readable_name(rep) if target.is_dir() else target
        check_output_path(path, what="save the report as")
        data = h.blobs.read(rep["sha256"])
    if path.exists() and path.read_bytes() != data:
        path = path.with_name(f"{path.stem}-{report_id}{path.suffix}")
    path.write_bytes(data)
    console.print(str(path), markup=False, soft_wrap=True)
    if launch:
        _launch(path)


def _launch(path: Path) -> None:
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]
        return
    viewer = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
    if viewer is None:
        raise InputError(f"saved {path}, but found no viewer to open it (xdg-open)")
    subprocess.Popen([viewer, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cat_cmd(report_id: int, home: Path | None = None) -> None:
    """Print the text the parser extracted from a report (what search indexes).

    Example: xxgk cat 12 | less
    """
    with open_home(home) as h:
        if h.catalog.get_report(report_id) is None:
            raise InputError(f"no report with id {report_id} (see `xxgk reports`)")
        text = h.catalog.report_text(report_id)
    if not text:
        raise InputError(f"report {report_id} has no text kept (parsed by an older xxgk): run `xxgk reparse --all`")
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
