"""The JSON API behind every page, described by ``/openapi.json`` (``openapi.py``).

    GET /api/search?q=…          SearchResults.to_dict() of the CLI (`xxgk search --json`); era_counts=1
                                 adds facets.era (three more searches)
    GET /api/reports/{id}        the stored record, its sources, its document (`xxgk show --json`)
    GET /api/reports/{id}/evidence/{key}   where the report states one number (page, box, cell, text)
    GET /api/compare?…           a comparison table as objects (`xxgk compare --format json`)
    GET /api/coverage            the coverage matrix
Errors: ``{"error": "<one line>", "status": n}`` with that HTTP status.
"""
from __future__ import annotations

from .app import Web, WebError, as_web_error
from .params import compare_options, coverage_request, flag, search_request
from .spool import spooled
from .views import coverage_view, report_json, search_json, search_view, write_compare_json

__all__ = ["routes", "error_json"]


def error_json(e: WebError):
    from starlette.responses import JSONResponse

    return JSONResponse({"error": e.message, "status": e.status}, status_code=e.status)


def _json(data):
    import json

    from starlette.responses import Response

    return Response(json.dumps(data, ensure_ascii=False, default=str), media_type="application/json")


def routes(web: Web) -> list:
    from starlette.routing import Route

    s = web.settings

    def guard(handler):
        async def endpoint(request):
            try:
                return await handler(request)
            except Exception as e:  # noqa: BLE001 — every failure answers in the API's one shape
                return error_json(as_web_error(e))
        return endpoint

    @guard
    async def search(request):
        req = search_request(request.query_params, per_page=s.results_per_page, max_per_page=s.max_results_per_page)
        if not req.words:
            raise WebError(400, "search for what? give q=words")
        era_counts = flag(request.query_params, "era_counts")
        return _json(search_json(await web.run(lambda r: search_view(r, req, era_counts=era_counts))))

    @guard
    async def report(request):
        return _json(await web.run(report_json, request.path_params["report_id"]))

    @guard
    async def evidence(request):
        from .evidence import evidence_view

        view = await web.run(evidence_view, web.renderer, web.tables, request.path_params["report_id"],
                             request.path_params["key"])
        view.pop("grid", None)
        return _json(view)

    @guard
    async def compare(request):
        opts = compare_options(request.query_params)
        if not opts.chosen:
            raise WebError(400, "say whose numbers to compare: region (and/or agency)")
        def write(reader, path):
            with open(path, "w", encoding="utf-8") as out:
                write_compare_json(reader, opts, out)

        return await spooled(web, "compare.json", write, media_type="application/json", chunk=s.download_chunk)

    @guard
    async def coverage(request):
        sel, page, per_page = coverage_request(request.query_params, per_page=s.max_coverage_rows,
                                               max_per_page=s.max_coverage_rows)
        view = await web.run(coverage_view, sel, page, per_page)
        return _json({**view["coverage"].to_dict(), "page": view["page"], "pages": view["pages"]})

    async def openapi(request):
        from .openapi import openapi_document

        return _json(openapi_document())

    return [Route("/api/search", search), Route("/api/reports/{report_id:int}", report),
            Route("/api/reports/{report_id:int}/evidence/{key:str}", evidence),
            Route("/api/compare", compare), Route("/api/coverage", coverage), Route("/openapi.json", openapi)]
