"""`xxgk serve`: the archive in a web page, read-only, over the CLI's own engines.

    app.py        the Starlette application: routes, templates, errors, security headers
    pages.py      the HTML pages (/, /search, /reports/{id}, evidence, originals, page images,
                  /compare and its CSV/XLSX, /coverage)
    api.py        the JSON API (/api/…) and /openapi.json (openapi.py)
    views.py      what each page shows, as data, from archive's library functions
    evidence.py   where a report states a number: a PDF page with the cell outlined, a table with
                  the cell marked, or the sentence
    params.py     query strings -> the engines' requests, checked as the CLI checks its options
    readers.py    a bounded pool of read-only catalog + index readers
    pdf_pages.py  PDF pages rendered by pypdfium2, cached within a byte bound
    safety.py     http(s)-only links, hash-only blob ids, download headers
    settings.py   every knob with its default (WebSettings)

Nothing imports this package but ``archive.commands.serve``; it imports starlette, jinja2 and
uvicorn only when a server is made.
"""
from __future__ import annotations

from .settings import DEFAULT_HOST, DEFAULT_PORT, WebSettings

__all__ = ["create_app", "WebSettings", "DEFAULT_HOST", "DEFAULT_PORT"]


def create_app(home_path, settings: WebSettings | None = None):
    from .app import create_app as make

    return make(home_path, settings)
