"""Documents in: the plain dicts ``index`` takes, checked and prepared once for every backend.

Input (built by ``archive`` from the catalog; keys as in SCHEMA.md)::

    {"report_id": 12, "title": "...", "region": "浙江省杭州市余杭区",
     "region_path": ["浙江省", "浙江省杭州市", "浙江省杭州市余杭区"], "region_code": "330110",
     "agency": null, "year": 2017, "format": "legacy", "published": "2018-03-29", "url": "...",
     "sections": [{"heading": "...", "text": "..."}], "text": "full text"}

``prepare_document`` returns a ``PreparedDoc``: normalized texts (the searchable "all" text is the
title and the full text), every region name a filter may use (each ancestor's full name and its
own short name: 浙江省杭州市余杭区 → 余杭区), the province for facets. A document without an
integer ``report_id`` raises ``DocumentError``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from .analysis import normalize_text
from .errors import SearchIndexError

__all__ = ["PreparedDoc", "DocumentError", "prepare_document", "region_names", "sections_text_matching"]


class DocumentError(SearchIndexError):
    pass


@dataclass(frozen=True, slots=True)
class PreparedDoc:
    report_id: int
    title: str
    region: str
    region_names: tuple[str, ...]
    province: str
    region_code: str
    agency: str
    agency_key: str
    year: int | None
    format: str
    published: str
    url: str
    sections_json: str
    all_norm: str
    title_norm: str
    headings_norm: str

    def stored(self) -> dict[str, Any]:
        """What a hit shows (the same keys for every backend)."""
        return {"report_id": self.report_id, "title": self.title, "region": self.region,
                "agency": self.agency or None, "year": self.year, "url": self.url,
                "published": self.published or None, "format": self.format or None}


def region_names(path: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Full names of the region and its ancestors, plus each one's own short name."""
    names: list[str] = []
    parent = ""
    for full in path:
        full = normalize_text(full or "")
        if not full:
            continue
        names.append(full)
        if parent and full.startswith(parent) and len(full) > len(parent):
            names.append(full[len(parent):])
        parent = full
    return tuple(dict.fromkeys(names))


def prepare_document(doc: Mapping[str, Any]) -> PreparedDoc:
    rid = doc.get("report_id")
    if isinstance(rid, bool) or not isinstance(rid, int):
        raise DocumentError(f"a document needs an integer report_id, got {rid!r}")
    sections = [{"heading": s.get("heading") or "", "text": s.get("text") or ""} for s in doc.get("sections") or []]
    text = doc.get("text") or "\n".join(f"{s['heading']}\n{s['text']}" for s in sections)
    title = doc.get("title") or ""
    region = doc.get("region") or ""
    path = list(doc.get("region_path") or ([region] if region else []))
    year = doc.get("year")
    agency = doc.get("agency") or ""
    return PreparedDoc(
        report_id=rid, title=title, region=region, region_names=region_names(path),
        province=path[0] if path else "", region_code=doc.get("region_code") or "",
        agency=agency, agency_key=normalize_text(agency), year=int(year) if year is not None else None,
        format=doc.get("format") or "", published=str(doc.get("published") or ""), url=doc.get("url") or "",
        sections_json=json.dumps(sections, ensure_ascii=False),
        all_norm=normalize_text(title + "\n" + text), title_norm=normalize_text(title),
        headings_norm=normalize_text("\n".join(s["heading"] for s in sections)),
    )


def sections_text_matching(sections_json: str, heading_leaf) -> str:
    """Normalized text of the sections whose heading holds ``heading_leaf`` ('' when none)."""
    parts = []
    for s in json.loads(sections_json or "[]"):
        if heading_leaf.matches(normalize_text(s.get("heading") or "")):
            parts.append(normalize_text((s.get("heading") or "") + "\n" + (s.get("text") or "")))
    return "\n".join(parts)
