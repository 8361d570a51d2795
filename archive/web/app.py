"""The Starlette application of `xxgk serve`: routes, templates, static files, errors.

    app = create_app(home_path, WebSettings())

Read-only: the home is opened read-only by a bounded pool of readers (``readers.py``); each query
runs in a worker thread for at most ``settings.query_timeout`` seconds (then the page says 503
and the SQLite statement is interrupted). Every response carries a Content-Security-Policy that
allows only this server's own scripts (the vendored htmx), so text a report smuggles in cannot
run even where escaping were to fail; Jinja2 escapes every value of every template.

Errors have one shape: a user's mistake (a bad year range, an unknown place, a query that does
not parse) is 400 with its one line, an unknown report 404, a query past its time or a missing
search index 503; an HTML page for a page, ``{"error": …, "status": …}`` for the API.
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any, Callable

from .settings import WebSettings

__all__ = ["create_app", "Web", "WebError", "SECURITY_HEADERS"]

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent

SECURITY_HEADERS = {
    # scripts only from here (htmx); styles may be inline (htmx adds its indicator style); images
    # from here and the chart's data: URI; no frames of this site elsewhere, no plugins
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'self'; frame-src 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "SAMEORIGIN",
}


class WebError(Exception):
    """An answer other than 200, with its one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _templates():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


class Web:
    """What every handler shares: the settings, the readers, the page renderer, the templates."""

    def __init__(self, home_path: Path, settings: WebSettings):
        from .evidence import TableCache
        from .pdf_pages import PageRenderer
        from .readers import ReaderPool

        self.home_path = Path(home_path)
        self.settings = settings
        self.pool = ReaderPool(self.home_path, settings.readers)
        self.renderer = PageRenderer(settings.page_max_pixels, settings.page_cache_bytes)
        self.tables = TableCache()
        self.env = _templates()

    def render(self, name: str, status_code: int = 200, **context: Any):
        from starlette.responses import HTMLResponse

        html = self.env.get_template(name).render(**{"page": "", "q": "", **context})
        return HTMLResponse(html, status_code=status_code, headers={"vary": "HX-Request"})

    async def run(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """``fn(reader, *args)`` on a reader's thread, within the query timeout (or ``timeout``;
        waiting for a free reader included); errors as ``WebError``."""
        import asyncio

        limit = timeout or self.settings.query_timeout

        held: list = []  # the reader while it runs this query (never one that moved on to the next)

        def bound(reader, *a: Any) -> Any:
            held.append(reader)
            try:
                return fn(reader, *a)
            finally:
                held.clear()

        future = self.pool.submit(bound, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), limit)
        except (TimeoutError, asyncio.TimeoutError):
            future.cancel()  # not started yet: it never runs
            for reader in held:  # running: stop its SQLite statement; the thread then takes the next query
                reader.interrupt()
            raise WebError(503, f"the query took longer than {limit:g} s and was stopped: "
                                "narrow it (fewer places, fewer years, more words) and try again") from None
        except Exception as e:
            raise as_web_error(e) from e

    def close(self) -> None:
        self.pool.close()


def as_web_error(e: BaseException) -> WebError:
    import sqlite3

    from index.errors import IndexMissingError, QuerySyntaxError, SearchIndexError

    from ..errors import ArchiveError, HomeError, InputError
    from .pdf_pages import PageNotFound, UnreadablePdf

    if isinstance(e, WebError):
        return e
    if isinstance(e, (InputError, QuerySyntaxError)):
        return WebError(400, str(e))
    if isinstance(e, (LookupError, PageNotFound)):
        return WebError(404, str(e).strip("'\""))
    if isinstance(e, IndexMissingError):
        return WebError(503, "no search index in this archive yet: run `xxgk index`, then reload")
    if isinstance(e, sqlite3.OperationalError) and "interrupt" in str(e):
        return WebError(503, "the query was stopped: it took too long")
    if isinstance(e, (SearchIndexError, HomeError)):
        return WebError(503, str(e))
    if isinstance(e, (ArchiveError, UnreadablePdf)):
        return WebError(500, str(e))
    log.exception("unexpected error in a page")
    return WebError(500, f"internal error ({type(e).__name__}); the log of `xxgk serve` has the details")


def create_app(home_path: Path | str, settings: WebSettings | None = None):
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from ..home import Home
    from . import api, pages

    settings = settings or WebSettings()
    Home.open(home_path, create=False, readonly=True).close()  # a wrong --home is one line now, not a 500 later
    web = Web(Path(home_path), settings)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        web.close()

    routes = pages.routes(web) + api.routes(web) + [
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static")]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(_SecurityHeaders)],
                    exception_handlers={404: pages.not_found(web), 405: pages.not_found(web)})
    app.state.web = web
    return app


class _SecurityHeaders:
    """Pure ASGI middleware: the security headers on every response (static files too)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in have]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
