"""Documents in: the plain dicts ``index`` takes, checked and prepared once for every backend.

Input (built by ``archive`` from the catalog; keys as in SCHEMA.md)::

    {"report_id": 12, "title": "...", "region": "浙江省杭州市余杭区",
     "region_path": ["浙江省", "浙江省杭州市", "浙江省杭州市余杭区"], "region_code": "330110",
     "agency": null, "year": 2017, "format": "legacy", "published": "2018-03-29", "url": "...",
     "sections": [{"heading": "...", "text": "..."}], "text": "full text",
     "group": 10}   # optional: the report id standing for all copies of this report (groups.py)

``prepare_document`` returns a ``PreparedDoc``: normalized texts (the searchable "all" text is the
title and the full text), every region name a filter may use (each ancestor's full name and its
own short name: 浙江省杭州市余杭区 → 余杭区), the province for facets, and each section's span in the
searchable text (a section the full text lacks is appended to it). A document without an
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
    sections_json: str  # [[heading, start, end], ...]: each section's span in all_norm
    all_norm: str
    title_norm: str
    headings_norm: str
    group: int = 0  # the group's report id; the report's own id when it has no copies
    linked: bool = False  # one of several copies of a report (a "group" was given)

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
    sections = [(s.get("heading") or "", s.get("text") or "") for s in doc.get("sections") or []]
    text = doc.get("text") or "\n".join(f"{h}\n{t}" for h, t in sections)
    title = doc.get("title") or ""
    region = doc.get("region") or ""
    path = list(doc.get("region_path") or ([region] if region else []))
    year = doc.get("year")
    agency = doc.get("agency") or ""
    all_norm, spans = _normalize_with_sections(title, text, sections)
    group = doc.get("group")
    if group is not None and (isinstance(group, bool) or not isinstance(group, int)):
        raise DocumentError(f"report {rid}: group must be an integer report id, got {group!r}")
    return PreparedDoc(
        report_id=rid, title=title, region=region, region_names=region_names(path),
        province=path[0] if path else "", region_code=doc.get("region_code") or "",
        agency=agency, agency_key=normalize_text(agency), year=int(year) if year is not None else None,
        format=doc.get("format") or "", published=str(doc.get("published") or ""), url=doc.get("url") or "",
        sections_json=json.dumps(spans, ensure_ascii=False), all_norm=all_norm, title_norm=normalize_text(title),
        headings_norm=normalize_text("\n".join(h for h, _ in sections)),
        group=rid if group is None else group, linked=group is not None,
    )


def _normalize_with_sections(title: str, text: str, sections: list[tuple[str, str]]) -> tuple[str, list]:
    """The searchable text (title + full text, normalized) and each section's span in it.

    When the full text ends with the sections (as the archive builds it), the pieces are
    normalized once each and joined, which gives the spans for free; otherwise the sections
    are looked up in the normalized text."""
    joined = "\n".join(f"{h}\n{t}" for h, t in sections)
    if not sections or not text.endswith(joined):
        return _locate_sections(normalize_text(title + "\n" + text), sections)
    parts = [normalize_text(title + "\n" + text[:len(text) - len(joined)])]
    pos, spans = len(parts[0]), []
    for i, (heading, body) in enumerate(sections):
        h, t = normalize_text(heading), normalize_text(body)
        piece = ("\n" if i else "") + h + "\n" + t
        start = pos + (1 if i else 0)
        spans.append([h, start, start + len(h) + 1 + len(t)])
        parts.append(piece)
        pos += len(piece)
    return "".join(parts), spans


def _locate_sections(all_norm: str, sections: list[tuple[str, str]]) -> tuple[str, list]:
    """Each section's [heading, start, end] in the searchable text; a section the full text
    lacks is appended to it, so every section is searchable and stored only once."""
    spans, pos = [], 0
    for heading, text in sections:
        h, t = normalize_text(heading), normalize_text(text)
        start = all_norm.find(h, pos) if h else pos
        body_at = all_norm.find(t, start + len(h)) if start >= 0 else -1
        if start < 0 or body_at < 0 or (t and body_at - (start + len(h)) > 8):
            all_norm += "\n" + h + "\n" + t
            start, body_at = len(all_norm) - len(t) - len(h) - 1, len(all_norm) - len(t)
        end = body_at + len(t)
        spans.append([h, start, end])
        pos = end
    return all_norm, spans


def sections_text_matching(all_norm: str, sections_json: str, heading_leaf) -> str:
    """Normalized text of the sections whose heading holds ``heading_leaf`` ('' when none)."""
    return "\n".join(all_norm[a:b] for h, a, b in json.loads(sections_json or "[]") if heading_leaf.matches(h))
