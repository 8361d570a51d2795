"""``/openapi.json``: the OpenAPI 3.1 description of the JSON API and the downloads, written by
hand from the same parameter names ``params.py`` reads (a test checks each route is described and
each described route answers)."""
from __future__ import annotations

from typing import Any

__all__ = ["openapi_document", "API_PATHS"]


def _param(name: str, description: str, schema: dict | None = None, *, required: bool = False,
           where: str = "query", many: bool = False) -> dict[str, Any]:
    schema = schema or {"type": "string"}
    if many:
        schema = {"type": "array", "items": schema}
    p = {"name": name, "in": where, "required": required, "description": description, "schema": schema}
    if many:
        p.update(style="form", explode=True)
    return p


_REGION = _param("region", "a place at any level, full or short (余杭, 杭州市, 浙江); the places below it count "
                 "too unless exact; repeatable or comma-separated", many=True)
_EXACT = _param("exact", "only the places named, not the places below them", {"type": "boolean"})
_AGENCY = _param("agency", "a part of the publishing agency's name (教育局)")
_ERA = {"type": "string", "enum": ["legacy", "gb2019", "gb2021"]}
_ID = _param("report_id", "report id, as search and the catalog give it", {"type": "integer"}, required=True,
             where="path")
_COMPARE_PARAMS = [
    _REGION, _EXACT, _AGENCY,
    _param("years", "a year (2017) or a range (2015-2020)"),
    _param("era", "the reports' template (repeatable)", _ERA, many=True),
    _param("metrics", "keys of SCHEMA.md, Chinese labels, patterns or groups (headline, derived, table2-4, legacy, "
           "appendix, all); comma-separated; default headline", many=True),
    _param("shape", "wide (default), by-year or long; the workbook takes several", many=True),
    _param("change", "by-year: add change and percent change columns", {"type": "boolean"}),
    _param("headers", "column headers of the downloads: zh, keys or both", {"type": "string",
                                                                           "enum": ["zh", "keys", "both"]}),
]
_ERROR = {"description": "one-line error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json_ok(description: str, schema: dict | None = None) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def _get(summary: str, params: list, ok: dict, *errors: int) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": ok}
    for code in errors:
        responses[str(code)] = _ERROR
    return {"get": {"summary": summary, "parameters": params, "responses": responses}}


API_PATHS: dict[str, Any] = {
    "/api/search": _get(
        "Full-text search: a page of hits with highlighted snippets, facets by year, province and era", [
            _param("q", "words (all of them), OR, NOT, \"a phrase\", title:/heading:/region:/year:", required=True),
            _REGION, _EXACT, _AGENCY, _param("year", "a year (2017) or a range (2015-2020)"),
            _param("era", "the report's template", _ERA),
            _param("section", "match only in sections whose heading holds these words"),
            _param("sort", "relevance (default) or year", {"type": "string", "enum": ["relevance", "year"]}),
            _param("page", "page of results, from 1", {"type": "integer", "minimum": 1}),
            _param("limit", "results per page", {"type": "integer", "minimum": 1, "maximum": 100}),
            _param("all_copies", "every copy of a report instead of one hit per report", {"type": "boolean"}),
            _param("era_counts", "add facets.era: the matches of each template (three more searches)",
                   {"type": "boolean"}),
        ], _json_ok("results", {"$ref": "#/components/schemas/SearchResults"}), 400, 503),
    "/api/reports/{report_id}": _get("One report: the stored record (SCHEMA.md), its sources and its document",
                                     [_ID], _json_ok("the report"), 404),
    "/api/reports/{report_id}/evidence/{key}": _get(
        "Where the report states one number: page and box (PDF), cell (HTML/DOCX) or sentence",
        [_ID, _param("key", "a metric key of SCHEMA.md", required=True, where="path")], _json_ok("the evidence"), 404),
    "/api/compare": _get("The table of `xxgk compare` as objects (one per row)", _COMPARE_PARAMS,
                         _json_ok("the comparison"), 400, 503),
    "/api/coverage": _get("Publishers x years: parsed, archived, failed or missing; a page of rows, the counts over all", [
        _REGION, _EXACT, _AGENCY, _param("years", "a year (2017) or a range (2015-2020)"),
        _param("page", "page of rows, from 1", {"type": "integer", "minimum": 1}),
        _param("limit", "rows a page (default and most: 5000)", {"type": "integer", "minimum": 1, "maximum": 5000}),
    ], _json_ok("the matrix"), 400, 503),
    "/compare.csv": _get("The CSV of `xxgk compare -o FILE.csv` (UTF-8 with BOM), byte for byte", _COMPARE_PARAMS,
                         {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}, 400),
    "/compare.xlsx": _get("The workbook of `xxgk compare -o FILE.xlsx`", _COMPARE_PARAMS,
                          {"description": "XLSX", "content": {
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                                  "schema": {"type": "string", "format": "binary"}}}}, 400),
    "/compare.svg": _get("The chart of `xxgk chart` for the comparison (SVG)", _COMPARE_PARAMS,
                         {"description": "SVG", "content": {"image/svg+xml": {"schema": {"type": "string"}}}}, 400),
    "/reports/{report_id}/original": _get(
        "The archived original, byte for byte (inline=1 shows a PDF or page in the browser, sandboxed)",
        [_ID, _param("inline", "show in the browser instead of downloading", {"type": "boolean"})],
        {"description": "the file", "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                       "format": "binary"}}}}, 404),
    "/reports/{report_id}/pages/{n}.png": _get(
        "A PDF page as a PNG image (the longer side at most 1600 px)",
        [_ID, _param("n", "page number, from 1", {"type": "integer", "minimum": 1}, required=True, where="path")],
        {"description": "the page", "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}, 404),
}


def openapi_document() -> dict[str, Any]:
    from importlib import metadata

    try:
        version = metadata.version("xxgk")
    except metadata.PackageNotFoundError:
        version = "0"
    return {
        "openapi": "3.1.0",
        "info": {"title": "xxgk", "version": version,
                 "description": "Read-only JSON API of an xxgk archive of government information disclosure "
                                "annual reports (政府信息公开工作年度报告)."},
        "paths": API_PATHS,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error", "status"],
                      "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
            "SearchResults": {"type": "object", "properties": {
                "query": {"type": "string"}, "total": {"type": "integer"}, "page": {"type": "integer"},
                "limit": {"type": "integer"}, "pages": {"type": "integer"},
                "facets": {"type": "object", "properties": {
                    k: {"type": "object", "additionalProperties": {"type": "integer"}}
                    for k in ("year", "province", "era")}},
                "hits": {"type": "array", "items": {"type": "object"}}}},
        }},
    }
