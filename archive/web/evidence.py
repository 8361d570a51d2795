"""Where a report states one number, ready to draw: the evidence the parser recorded
(``parser.record.Evidence``: ``page``, ``bbox`` [x0, top, x1, bottom] in PDF points from the
page's top-left, ``cell`` [row, column] of the table's grid, ``snippet``) turned into one of

    page     a PDF page image (``/reports/{id}/pages/{n}.png``) with the cell's box outlined: an
             SVG laid over the image whose viewBox is the page in points, so the box needs no scaling
    table    an HTML/DOCX table (the parser's grid of it) with the cell marked
    text     the sentence that states it, highlighted in the paragraph around it
    derived  the formula it was computed by
    none     the parser kept no evidence

Always with the row and column labels as the report writes them, when there are.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from .safety import blob_source, is_sha256
from .views import load_report, number_text

__all__ = ["evidence_view", "TableCache", "CONTEXT_CHARS"]

CONTEXT_CHARS = 160  # text shown on each side of a sentence


class TableCache:
    """The parser's table grids of the last few documents (a table view re-reads none of them)."""

    def __init__(self, size: int = 8):
        self.size = size
        self._grids: OrderedDict[str, dict[int, list[list[str]]]] = OrderedDict()
        self._lock = threading.Lock()

    def grids(self, blobs, sha256: str, media_type: str | None, url: str | None) -> dict[int, list[list[str]]]:
        from ..report_tables import document_tables

        with self._lock:
            if sha256 in self._grids:
                self._grids.move_to_end(sha256)
                return self._grids[sha256]
        grids = document_tables(blobs.read(sha256), media_type, url)
        with self._lock:
            self._grids[sha256] = grids
            while len(self._grids) > self.size:
                self._grids.popitem(last=False)
        return grids


def _box(ev: dict) -> list[float] | None:
    box = ev.get("bbox")
    if not isinstance(box, (list, tuple)) or len(box) != 4:
        return None
    try:
        x0, top, x1, bottom = (float(v) for v in box)
    except (TypeError, ValueError):
        return None
    return [x0, top, x1, bottom] if x1 > x0 and bottom > top else None


def _text_context(text: str, snippet: str) -> dict[str, str] | None:
    """The snippet in the report's text, with what surrounds it (whitespace may differ)."""
    if not snippet or not text:
        return None
    at = text.find(snippet)
    if at < 0:
        squeezed = "".join(snippet.split())
        # match ignoring whitespace: walk the text keeping an index of non-space characters
        chars = [(i, c) for i, c in enumerate(text) if not c.isspace()]
        flat = "".join(c for _, c in chars)
        k = flat.find(squeezed)
        if k < 0 or not squeezed:
            return None
        at, end = chars[k][0], chars[k + len(squeezed) - 1][0] + 1
    else:
        end = at + len(snippet)
    return {"before": text[max(0, at - CONTEXT_CHARS):at], "match": text[at:end],
            "after": text[end:end + CONTEXT_CHARS]}


def evidence_view(reader, renderer, tables: TableCache, report_id: int, key: str) -> dict[str, Any]:
    rep = load_report(reader, report_id)
    record = rep["record"]
    metrics = record.get("metrics") or {}
    if key not in metrics:
        raise LookupError(f"report {report_id} states no {key}")
    from ..compare.codebook import entry

    ev = dict((record.get("evidence") or {}).get(key) or {})
    e = entry(key)
    media = (rep.get("document_media_type") or "").split(";")[0].strip()
    out: dict[str, Any] = {"report_id": report_id, "key": key, "label": e.label if e else key,
                           "value": number_text(metrics[key]), "evidence": ev, "where": ev.get("where") or "none",
                           "row": ev.get("row"), "column": ev.get("column"), "page": ev.get("page"),
                           "confidence": ev.get("confidence"), "kind": "none"}
    sha = rep["sha256"]
    if ev.get("where") == "derived":
        out.update(kind="derived", formula=ev.get("snippet") or "")
        return out
    page = ev.get("page")
    if media == "application/pdf" and isinstance(page, int) and page >= 1 and is_sha256(sha):
        image = renderer.render(blob_source(reader.home.blobs, sha), sha, page)
        out.update(kind="page", image=f"/reports/{report_id}/pages/{page}.png", width_pt=image.width_pt,
                   height_pt=image.height_pt, box=_box(ev))
    elif ev.get("cell") is not None and ev.get("table") is not None and is_sha256(sha):
        grids = tables.grids(reader.home.blobs, sha, media or None, rep.get("url"))
        grid = grids.get(int(ev["table"]))
        row, col = (int(v) for v in ev["cell"])
        if grid is not None and 0 <= row < len(grid) and 0 <= col < len(grid[row]):
            out.update(kind="table", grid=grid, cell=[row, col])
    if out["kind"] == "none" and ev.get("snippet"):
        context = _text_context(record.get("text") or "", ev["snippet"])
        out.update(kind="text", context=context or {"before": "", "match": ev["snippet"], "after": ""})
    return out
