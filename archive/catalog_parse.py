"""A parse in the form the catalog stores, made in the parse worker (``ParseJob``, a Dask task).

    parse_for_catalog(data, media_type, url, settings, attachments) -> ParsedRecord

The worker sends back the record as a plain dict with its ``record_parts``: each number's evidence
encoded and checked, each section found in the text. That was a third of a crawl's own CPU when the
process that fetches and writes did it, and unpickling the parser's objects cost more than a dict
(issue 18). What is left to the writer needs the catalog: label ids, provenance, the row writes.
The metrics, evidence and sections that its rows hold are sent once, as rows: the record carries the
marks its stored form has in their place (a demo report's message 46 KB -> 29 KB, unpickled in
0.18 ms against 0.46 ms by the process that writes).
"""
from __future__ import annotations

from typing import Any, Sequence

from index.value_class import value_class

from .catalog_records import RecordParts, marked_record, record_parts
from .parse_pool import parse_document

__all__ = ["ParsedRecord", "parse_for_catalog"]


@value_class
class ParsedRecord:
    record: dict[str, Any]  # ``parser.Record.to_dict()``, its ``text`` included, what ``parts`` hold marked
    parts: RecordParts      # ``record_parts`` of its metrics, evidence and sections


def parse_for_catalog(data: bytes, media_type: str | None, url: str | None, settings: Any,
                      attachments: Sequence[Any]) -> ParsedRecord:
    """``parser.parse`` and the costly half of storing its record; ParseError as ``parse_document``."""
    record = parse_document(data, media_type, url, settings, attachments).to_dict()
    parts = record_parts(record, record.get("text") or "")
    return ParsedRecord(marked_record(record, parts), parts)
