"""The tables of an archived document as grids, for showing a number's cell in its table.

    document_tables(data, media_type, url) -> {table index: grid}

The grids are the parser's own (``parser.extract``: spans expanded, rectangular), so an
evidence's ``table`` (``Table.index``) and ``cell`` (row, column of the grid) point into them.
"""
from __future__ import annotations

__all__ = ["document_tables"]


def document_tables(data: bytes, media_type: str | None = None, url: str | None = None) -> dict[int, list[list[str]]]:
    from parser.extract import extract

    doc = extract(data, media_type, url)
    return {t.index: t.grid for t in doc.tables}
