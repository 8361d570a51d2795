"""The HTML pages: search, a report and a number's evidence, compare (and its downloads),
coverage; the archived original and PDF page images.

Each page is whole without JavaScript (a form that GETs, links); with htmx, the search results
follow the typing and a number's evidence opens beside the tables (the same URLs answer an htmx
request with the fragment only). The URL holds the whole state of a page.
"""
from __future__ import annotations

from pathlib import Path

from .app import Web, WebError
from .params import compare_options, coverage_request, search_request, url_with
from .safety import blob_source, content_disposition, is_sha256
from .spool import spooled
from .views import ERA_NAMES, compare_csv, compare_view, compare_xlsx, coverage_view, report_view, search_view

__all__ = ["routes", "not_found"]

_MEDIA_TYPES = {"application/pdf", "text/html", "text/plain", "application/msword", "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-works"}


def _fragment(request) -> bool:
    """An htmx request for a part of the page (not a boosted whole page)."""
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def _error_page(web: Web, e: WebError, request=None):
    name = "_error.html" if request is not None and _fragment(request) else "error.html"
    return web.render(name, e.status, status=e.status, message=e.message)


def not_found(web: Web):
    async def handler(request, exc):
        status = getattr(exc, "status_code", 404)
        if request.url.path.startswith("/api/"):
            from .api import error_json

            return error_json(WebError(status, "no such page or method"))
        return _error_page(web, WebError(status, "no such page: see 搜索 search, 比较 compare, 覆盖 coverage"))
    return handler


def _guard(web: Web):
    """Turn a handler's failure (a user's bad parameter too) into the error page."""
    from starlette.exceptions import HTTPException

    from .app import as_web_error

    def wrap(handler):
        async def endpoint(request):
            try:
                return await handler(request)
            except HTTPException:
                raise
            except Exception as e:  # noqa: BLE001 — every failure answers as one error page
                return _error_page(web, as_web_error(e), request)
        return endpoint
    return wrap


def _chosen_comparison(request, what: str):
    """The comparison's options, refusing one that names nobody."""
    opts = compare_options(request.query_params)
    if not opts.chosen:
        raise WebError(400, f"say whose numbers to {what}: region (and/or agency)")
    return opts


def routes(web: Web) -> list:
    from starlette.responses import FileResponse, Response
    from starlette.routing import Route

    guard = _guard(web)
    s = web.settings

    @guard
    async def home(request):
        return web.render("index.html", page="search", q="", request_params=[])

    @guard
    async def search(request):
        params = request.query_params
        req = search_request(params, per_page=s.results_per_page, max_per_page=s.max_results_per_page)
        view = await web.run(search_view, req)
        items = list(params.multi_items())
        context = dict(page="search", q=req.words, view=view, req=req, request_params=items, era_names=ERA_NAMES,
                       link=lambda **changes: url_with("/search", items, **changes),
                       eras_url=url_with("/search/eras", items, page=None))
        return web.render("_results.html" if _fragment(request) else "search.html", **context)

    @guard
    async def eras(request):
        """The era facet's counts, loaded by the results once they show (three count-only searches)."""
        from .views import era_view

        req = search_request(request.query_params, per_page=s.results_per_page, max_per_page=s.max_results_per_page)
        counts = await web.run(era_view, req)
        items = list(request.query_params.multi_items())
        return web.render("_eras.html", counts=counts, era_names=ERA_NAMES,
                          link=lambda **changes: url_with("/search", items, **changes))

    @guard
    async def report(request):
        view = await web.run(report_view, request.path_params["report_id"])
        return web.render("report.html", page="report", view=view, q="")

    @guard
    async def evidence(request):
        from .evidence import evidence_view

        rid, key = request.path_params["report_id"], request.path_params["key"]
        view = await web.run(evidence_view, web.renderer, web.tables, rid, key)
        return web.render("_evidence.html" if _fragment(request) else "evidence.html", page="report", ev=view, q="")

    @guard
    async def original(request):
        from ..commands.show import readable_name
        from .views import load_report

        rid = request.path_params["report_id"]
        rep = await web.run(load_report, rid)
        sha = rep["sha256"]
        try:
            source = await web.run(lambda reader: blob_source(reader.home.blobs, sha))
        except WebError as e:
            raise WebError(404 if e.status == 404 else e.status, f"report {rid}: {e.message}") from None
        media = (rep.get("document_media_type") or "").split(";")[0].strip()
        media = media if media in _MEDIA_TYPES else "application/octet-stream"
        inline = request.query_params.get("inline") == "1" and media in ("application/pdf", "text/html", "text/plain")
        headers = {"content-disposition": content_disposition(readable_name(rep), inline=inline)}
        if media in ("text/html", "text/plain"):
            # a page of a government site, shown as it was: sandboxed, its scripts never run here
            headers["content-security-policy"] = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        charset = (rep["record"].get("source") or {}).get("charset")
        if media.startswith("text/") and isinstance(charset, str) and charset.isascii():
            media = f"{media}; charset={charset}"
        if isinstance(source, bytes):  # a remote store's blob
            return Response(source, media_type=media, headers=headers)
        return FileResponse(source, media_type=media, headers=headers)

    @guard
    async def page_image(request):
        from .views import load_report

        rid, n = request.path_params["report_id"], request.path_params["n"]
        if not 1 <= n <= s.max_pdf_page:
            raise WebError(404, f"no page {n}")

        def render(reader):
            rep = load_report(reader, rid)
            if not (rep.get("document_media_type") or "").startswith("application/pdf") or not is_sha256(rep["sha256"]):
                raise WebError(404, f"report {rid} is not a PDF")
            return web.renderer.render(blob_source(reader.home.blobs, rep["sha256"]), rep["sha256"], n)

        image = await web.run(render)
        return Response(image.png, media_type="image/png", headers={"cache-control": "private, max-age=3600"})

    @guard
    async def compare(request):
        opts = compare_options(request.query_params)
        view = await web.run(compare_view, opts, s)
        items = list(request.query_params.multi_items())
        return web.render("compare.html", page="compare", view=view, q="", request_params=items,
                          csv_url=url_with("/compare.csv", items), xlsx_url=url_with("/compare.xlsx", items),
                          svg_url=url_with("/compare.svg", items))

    @guard
    async def compare_svg(request):
        """The chart of `xxgk chart`, as its own request: the table shows while it is drawn."""
        from .views import compare_chart

        opts = _chosen_comparison(request, "draw")
        svg = await web.run(compare_chart, opts, s, timeout=s.render_timeout)
        # opened on its own, an SVG is a document: nothing in it may run
        return Response(svg, media_type="image/svg+xml", headers={
            "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            "cache-control": "private, max-age=600"})

    @guard
    async def compare_download(request):
        kind = request.path_params["kind"]
        opts = _chosen_comparison(request, "compare")

        def write(reader, path: Path):
            if kind == "csv":
                with open(path, "wb") as fh:
                    compare_csv(reader, opts, fh)
            else:
                compare_xlsx(reader, opts, path)

        media = "text/csv; charset=utf-8" if kind == "csv" else \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return await spooled(web, f"compare.{kind}", write, media_type=media, chunk=s.download_chunk,
                             timeout=s.render_timeout,
                             headers={"content-disposition": content_disposition(f"xxgk-compare.{kind}")})

    @guard
    async def coverage(request):
        params = request.query_params
        sel, page, per_page = coverage_request(params, per_page=s.coverage_rows, max_per_page=s.max_coverage_rows)
        view = await web.run(coverage_view, sel, page, per_page)
        items = list(params.multi_items())
        return web.render("coverage.html", page="coverage", view=view, q="", region=", ".join(sel.regions),
                          agency=sel.agency or "", link=lambda **changes: url_with("/coverage", items, **changes))

    return [
        Route("/", home), Route("/search", search), Route("/search/eras", eras), Route("/reports/{report_id:int}", report),
        Route("/reports/{report_id:int}/evidence/{key:str}", evidence),
        Route("/reports/{report_id:int}/original", original),
        Route("/reports/{report_id:int}/pages/{n:int}.png", page_image),
        Route("/compare", compare), Route("/compare.svg", compare_svg),
        Route("/compare.{kind:str}", _only(("csv", "xlsx"), compare_download)),
        Route("/coverage", coverage),
    ]


def _only(kinds: tuple[str, ...], handler):
    async def endpoint(request):
        if request.path_params["kind"] not in kinds:
            from starlette.exceptions import HTTPException

            raise HTTPException(404)
        return await handler(request)
    return endpoint
