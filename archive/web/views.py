"""What each page shows, as plain data, from the engines the CLI uses: search
(``archive.searching``), a report (the catalog, ``archive.report_layout``, provenance and copies
as `xxgk show` says them), a comparison (``archive.compare``, ``archive.chart``) and coverage
(``archive.coverage``). The templates render these dicts; the JSON API returns them (or the
engines' own ``to_dict()``). No SQL and no search logic here.

Every function takes a ``Reader`` (``archive.web.readers``) and runs in a worker thread.
"""
from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from ..compare.codebook import TABLE_NAMES, entry
from ..compare.metric_keys import HEADLINE_METRICS
from ..errors import InputError
from ..report_layout import matrix_of, number_text, tables_of, unplaced
from ..searching import SearchRequest, run_search
from .params import CompareOptions
from .safety import safe_href

__all__ = ["search_view", "era_view", "compare_chart", "report_view", "compare_view", "compare_csv", "compare_xlsx", "write_compare_json", "coverage_view",
           "number_text", "snippet_parts", "ERA_NAMES", "MAX_TABLE_ROWS"]

ERA_NAMES = {"legacy": "2019年以前（正文）", "gb2019": "2019年模板", "gb2021": "2021年模板"}
MAX_TABLE_ROWS = 2000  # rows of a comparison shown in the page; the downloads hold them all


def snippet_parts(snippet) -> list[tuple[str, bool]]:
    """A snippet as (text, matched) pieces: the template marks the matches, escaping each piece."""
    out, last = [], 0
    for a, b in snippet.spans:
        if a > last:
            out.append((snippet.text[last:a], False))
        out.append((snippet.text[a:b], True))
        last = b
    if last < len(snippet.text):
        out.append((snippet.text[last:], False))
    return out


# -- search ---------------------------------------------------------------------------------------

def search_view(reader, req: SearchRequest, *, era_counts: bool = False) -> dict[str, Any]:
    """One page of results with facets by year and province, and the index's lag; by era (template)
    too when ``era_counts`` (three more searches: the page loads them apart, ``era_view``)."""
    from ..indexing import damaged_index_says_so, index_lag

    if not req.words:
        return {"request": req, "results": None, "hits": [], "facets": {}, "lag": None}
    lag = index_lag(reader.conn, reader.home.index_dir)
    with damaged_index_says_so(reader.home.index_dir):
        res = run_search(reader.conn, reader.index, req, behind=reader.behind(),
                         filters=reader.filters(req.regions, req.agency, req.exact))
        facets = {"year": res.facets.get("year", {}), "province": res.facets.get("province", {})}
        if era_counts:
            facets["era"] = _era_counts(reader, req, res.total)
    if res.total and req.page > res.pages:
        raise InputError(f"page {req.page} is past the end: {res.total} reports match, {res.pages} pages")
    hits = [{"report_id": h.report_id, "title": h.title, "region": h.region, "agency": h.agency or "",
             "year": h.year, "url": h.url, "href": safe_href(h.url), "format": h.format,
             "snippets": [snippet_parts(s) for s in h.snippets],
             "copies": [{"report_id": c["report_id"], "url": c.get("url") or "", "href": safe_href(c.get("url"))}
                        for c in h.copies]} for h in res.hits]
    return {"request": req, "results": res, "hits": hits, "facets": facets,
            "lag": lag.message() if lag else None}


def _era_counts(reader, req: SearchRequest, total: int | None = None) -> dict[str, int]:
    """How many of the matches each template has: one count-only search per era."""
    if req.era is not None:
        if total is None:
            total = era_total(reader, req, req.era)
        return {req.era: total} if total else {}
    counts = {era: era_total(reader, req, era) for era in ERA_NAMES}
    return {era: n for era, n in counts.items() if n}


def era_total(reader, req: SearchRequest, era: str) -> int:
    return run_search(reader.conn, reader.index, dataclasses.replace(req, era=era, page=1, limit=1),
                      behind=reader.behind(), filters=reader.filters(req.regions, req.agency, req.exact),
                      snippets=0).total


def era_view(reader, req: SearchRequest) -> dict[str, int]:
    from ..indexing import damaged_index_says_so

    if not req.words:
        return {}
    with damaged_index_says_so(reader.home.index_dir):
        return _era_counts(reader, req)


def search_json(view: dict[str, Any]) -> dict[str, Any]:
    res = view["results"]
    if res is None:
        return {"query": "", "total": 0, "page": 1, "pages": 0, "hits": [], "facets": {}}
    out = res.to_dict()
    if "era" in view["facets"]:
        out["facets"]["era"] = dict(view["facets"]["era"])
    out["index_lag"] = view["lag"]
    return out


# -- one report -----------------------------------------------------------------------------------

def _cell(report_id: int, key: str, metrics: dict, evidence: dict) -> dict[str, Any]:
    ev = evidence.get(key) or {}
    return {"key": key, "value": number_text(metrics.get(key)), "href": f"/reports/{report_id}/evidence/{key}",
            "where": ev.get("where") or "", "label": entry(key).label if entry(key) else key}


def _table_blocks(report_id: int, metrics: dict, evidence: dict, legacy: bool) -> list[dict[str, Any]]:
    """The report's own tables: a matrix for tables 3 and 4, items for table 2, a list otherwise."""
    blocks = []
    tables = tables_of(metrics, legacy)
    for table, entries in tables.items():
        block: dict[str, Any] = {"table": table, "title": TABLE_NAMES[table], "keys": [e.key for e in entries]}
        if table in ("table3", "table4"):
            m = matrix_of(entries, table, "数值")
            block.update(kind="matrix", columns=m.columns,
                         rows=[{"name": row, "cells": [_cell(report_id, m.cells[(row, col)], metrics, evidence)
                                                       if (row, col) in m.cells else None for col in m.columns]}
                               for row in m.rows])
        elif table == "table2":
            items: dict[str, list] = {}
            for e in entries:
                items.setdefault(e.row, []).append({"column": e.column, **_cell(report_id, e.key, metrics, evidence)})
            block.update(kind="items", items=[{"name": k, "cells": v} for k, v in items.items()])
        else:
            block.update(kind="list", cells=[{**_cell(report_id, e.key, metrics, evidence), "unit": e.unit}
                                             for e in entries])
        blocks.append(block)
    rest = unplaced(metrics, tables)
    if rest:
        blocks.append({"table": "other", "title": "其他数字 other figures", "kind": "list", "keys": rest,
                       "cells": [{**_cell(report_id, k, metrics, evidence), "label": k, "unit": ""} for k in rest]})
    return blocks


def _place_findings(blocks: list[dict], findings: list[dict]) -> list[dict]:
    """Each finding beside the table holding a number it concerns; the rest are returned."""
    loose = []
    for f in findings:
        keys = set((f.get("values") or {}).keys())
        home = next((b for b in blocks if keys & set(b["keys"])), None)
        if home is None:
            loose.append(f)
        else:
            home.setdefault("findings", []).append(f)
    return loose


def _sources(sources: list[dict]) -> list[dict[str, Any]]:
    out = []
    for s in sources:
        chain = [{"status": st, "url": u, "href": safe_href(u)} for st, u in (s.get("redirects") or [])
                 if isinstance(u, str)]
        out.append({"kind": s.get("kind"), "url": s.get("url"), "href": safe_href(s.get("url")),
                    "final_url": s.get("final_url"), "final_href": safe_href(s.get("final_url")),
                    "fetched_at": s.get("fetched_at"), "http_status": s.get("http_status"),
                    "referrer": s.get("referrer"), "referrer_href": safe_href(s.get("referrer")), "redirects": chain})
    return out


def load_report(reader, report_id: int) -> dict[str, Any]:
    rep = reader.home.catalog.get_report(report_id)
    if rep is None:
        raise LookupError(f"no report with id {report_id}")
    return rep


def report_view(reader, report_id: int) -> dict[str, Any]:
    from ..commands.show import readable_name, source_of_record
    from ..compare.copies import copies_lines
    from ..compare.selection import Selection, select_reports

    rep = load_report(reader, report_id)
    record = rep["record"]
    metrics, evidence = record.get("metrics") or {}, record.get("evidence") or {}
    legacy = record.get("format") == "legacy"
    blocks = _table_blocks(report_id, metrics, evidence, legacy)
    findings = _place_findings(blocks, record.get("findings") or [])
    src = source_of_record(rep["sources"], (record.get("source") or {}).get("url")) or {}
    url = src.get("final_url") or src.get("url") or (record.get("source") or {}).get("url")
    others = []
    if record.get("region"):
        for r in select_reports(reader.conn, Selection((record["region"],), exact=True)):
            if r.agency == (record.get("agency") or "") and r.id != report_id:
                others.append({"id": r.id, "year": r.year, "title": r.title})
    media = (rep.get("document_media_type") or "").split(";")[0].strip()
    return {
        "id": report_id, "record": record, "title": record.get("title") or "（无标题）",
        "headline": [{"label": entry(k).label if entry(k) else k, **_cell(report_id, k, metrics, evidence)}
                     for k in HEADLINE_METRICS if k in metrics],
        "source_url": url, "source_href": safe_href(url), "fetched_at": (src.get("fetched_at") or "")[:19],
        "source_kind": src.get("kind"), "sources": _sources(rep["sources"]), "copies": copies_lines(reader.conn,
                                                                                                 report_id),
        "era": ERA_NAMES.get(record.get("format") or "", record.get("format") or "?"),
        "blocks": blocks, "findings": findings, "others": others,
        "document": {"sha256": rep["sha256"], "size": rep["size"], "media_type": media,
                     "name": readable_name(rep), "inline": media in ("application/pdf", "text/html", "text/plain")},
    }


def report_json(reader, report_id: int) -> dict[str, Any]:
    """As `xxgk show --json`: the stored record unchanged, its sources, and the links of the page."""
    rep = load_report(reader, report_id)
    return {"id": rep["id"], "record": rep["record"], "sources": rep["sources"],
            "document": {"sha256": rep["sha256"], "size": rep["size"], "media_type": rep["document_media_type"],
                         "original": f"/reports/{rep['id']}/original"}}


# -- comparison -----------------------------------------------------------------------------------

def _comparison(reader, opts: CompareOptions, *, stream: bool = False):
    """``stream``: the reports read as the rows are (a table or a CSV walks them once): a page or a
    download of a province's comparison holds a chunk of reports, not all of them."""
    from ..compare import build_comparison

    return build_comparison(reader.conn, opts.selection, list(opts.metrics), stream=stream)


def _chart_refusal(reports: int, metrics: int, publishers: int, settings) -> str | None:
    """Why the comparison gets no chart (too many panels or lines, nothing to draw), else None."""
    if not reports:
        return "没有符合条件的报告 no report matches"
    if metrics > settings.chart_max_metrics:
        return f"{metrics} 个指标画不下（至多 {settings.chart_max_metrics} 个）：少选几个指标"
    if publishers > settings.chart_max_publishers:
        return f"发布机关太多（至多 {settings.chart_max_publishers} 个）：缩小地区或机关"
    return None


def compare_chart(reader, opts: CompareOptions, settings) -> bytes:
    """The SVG `xxgk chart -o out.svg` draws for this comparison (``InputError`` when there is none)."""
    from ..chart import draw_chart

    from ..compare.selection import count_publishers

    most = settings.chart_max_publishers  # refused before the comparison is built, from its first reports
    if count_publishers(reader.conn, opts.selection, up_to=most) > most:
        raise InputError(_chart_refusal(1, 0, most + 1, settings))
    cmp = _comparison(reader, opts)
    why = _chart_refusal(len(cmp.reports), len(cmp.metrics), len({r.publisher for r in cmp.reports}), settings)
    if why:
        raise InputError(why)
    with tempfile.TemporaryDirectory(prefix="xxgk-chart-") as tmp:
        path = Path(tmp) / "chart.svg"
        draw_chart(cmp, path)
        return path.read_bytes()


def compare_view(reader, opts: CompareOptions, settings) -> dict[str, Any]:
    from ..compare import make_table
    from ..compare.headers import header_label
    from ..output import cell_text

    if not opts.chosen:
        return {"options": opts, "chosen": False}
    cmp = _comparison(reader, opts, stream=True)
    table = make_table(cmp, opts.shapes[0], change=opts.change)
    whose = (table.header.index("region"), table.header.index("agency"))
    rows, more, publishers = [], 0, set()
    for row in table.rows:
        publishers.add((row[whose[0]], row[whose[1]]))
        if len(rows) >= MAX_TABLE_ROWS:
            more += 1
            continue
        rows.append([{"text": cell_text(v), "href": safe_href(v) if k == "url" else None,
                      "report": v if k == "report_id" else None, "number": isinstance(v, (int, float))}
                     for k, v in zip(table.header, row)])
    why = _chart_refusal(len(cmp.reports), len(cmp.metrics), len(publishers), settings)
    return {"options": opts, "chosen": True, "shape": table.name, "header": table.header,
            "labels": [header_label(k) if opts.headers != "keys" else k for k in table.header], "rows": rows,
            "more": more, "reports": len(cmp.reports), "merges": len(cmp.merges), "no_chart": why,
            "metrics": cmp.metrics}


def write_compare_json(reader, opts: CompareOptions, out) -> None:
    """``/api/compare``'s object, ``{"shape", "header", "rows", "reports", "metrics", "merged"}`` as
    ``json.dumps`` spells it, written to the text stream ``out`` as the rows are made (the reports are
    read as they are: a province's comparison is not held); what is known once the reports have all
    been read comes after the rows."""
    import json

    from ..compare import make_table

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=str)

    cmp = _comparison(reader, opts, stream=True)
    table = make_table(cmp, opts.shapes[0], change=opts.change)
    out.write(f'{{"shape": {dumps(table.name)}, "header": {dumps(table.header)}, "rows": [')
    for i, row in enumerate(table.rows):
        out.write((", " if i else "") + dumps(dict(zip(table.header, row))))
    out.write(f'], "reports": {len(cmp.reports)}, "metrics": {dumps(cmp.metrics)}, '
              f'"merged": {dumps([m.as_row() for m in cmp.merges])}}}')


def compare_csv(reader, opts: CompareOptions, out) -> None:
    """The CSV `xxgk compare … -o FILE.csv` writes (UTF-8 with a BOM), byte for byte."""
    from ..compare import make_table, write_csv

    if len(opts.shapes) > 1:
        raise InputError("a CSV holds one shape: choose one, or download the workbook for several")
    cmp = _comparison(reader, opts, stream=True)
    write_csv(make_table(cmp, opts.shapes[0], change=opts.change), out, bom=True, headers=opts.headers)


def compare_xlsx(reader, opts: CompareOptions, path: Path) -> None:
    """The workbook `xxgk compare … -o FILE.xlsx` writes."""
    from ..compare import WorkbookSheets, build_comparison, write_xlsx

    def streamed():  # each sheet walks the reports once, as its rows are written
        return build_comparison(reader.conn, opts.selection, list(opts.metrics), stream=True)

    write_xlsx(path, WorkbookSheets(streamed, list(opts.shapes), opts.change), headers=opts.headers)


# -- coverage -------------------------------------------------------------------------------------

def coverage_view(reader, selection=None, page: int = 1, per_page: int | None = None) -> dict[str, Any]:
    """A page of the coverage matrix of the selected publishers (all rows without ``per_page``)."""
    from ..coverage import coverage_matrix

    offset = (page - 1) * per_page if per_page else 0
    cov = coverage_matrix(reader.conn, selection, offset=offset, limit=per_page)
    pages = max(1, -(-cov.total_rows // per_page)) if per_page else 1
    return {"coverage": cov, "page": page, "pages": pages}
