"""A parsed record as the catalog stores it: each fact once (issue 18, a lean catalog).

    prepare_record(c, record, full_text) -> StoredRecord   the record_json to put in reports and
                                                          the rows of metric_values/section_spans/findings
    record_parts(record, full_text) -> RecordParts         the costly part of it, without a catalog (a worker)
    write_rows(c, report_id, stored)                      replaces the report's rows by those
    load_record(conn, report_id, record_json, evidence_reader) -> the record as it was saved

A record's metrics, evidence, sections and findings live in their own tables, which queries and
exports read; ``record_json`` keeps the rest and names each part kept in a table by a mark
(``"@metrics"`` …) in the key's place, so the record comes back with its keys in their order. A
part the rows cannot give back exactly (a whole float such as 12.0, which a NUMERIC column returns
as 12; findings with more fields; evidence of a number the record does not state) stays inline,
as every record saved before did. A section's text is where it is in the report's text
(``report_texts``): the ``sections`` view cuts it out, so it is stored once.
"""
from __future__ import annotations

import json
import math
from typing import Any

from index.value_class import Factory, value_class

from .catalog_evidence import EvidenceEncoder, EvidenceReader, label_ids, labels_of, with_label_ids
from .name_ids import name_ids

__all__ = ["METRICS_IN_TABLE", "EVIDENCE_IN_TABLE", "SECTIONS_IN_TABLE", "FINDINGS_IN_TABLE", "StoredRecord", "marked_record",
           "RecordParts", "record_parts", "finish_record", "split_record", "prepare_record", "write_rows", "load_record",
           "relayout_records"]

METRICS_IN_TABLE, EVIDENCE_IN_TABLE = "@metrics", "@evidence"
SECTIONS_IN_TABLE, FINDINGS_IN_TABLE = "@sections", "@findings"


@value_class  # made on every command's way to the catalog: no dataclass to compile
class StoredRecord:
    record_json: str
    metrics: list[tuple] = Factory(list)  # (key, value, derived, evidence_json, ord)
    sections: list[tuple] = Factory(list)  # (ord, heading, text_at, text_len, text)
    findings: list[tuple] = Factory(list)  # (ord, rule, severity, message, values_json)


def _as_stored(value: Any) -> bool:
    """Whether a NUMERIC column gives this value back as it is (SQLite turns 12.0 into 12)."""
    if type(value) is int:
        return -2**63 <= value < 2**63
    return type(value) is float and math.isfinite(value) and not value.is_integer()


def _sections_by_mark(sections: Any) -> bool:
    return bool(sections) and isinstance(sections, list) and all(
        isinstance(s, dict) and list(s) == ["heading", "text"] and isinstance(s["heading"], str)
        and isinstance(s["text"], str) for s in sections)


def _finding_row(i: int, f: dict[str, Any]) -> tuple:
    return (i, f["rule"], f["severity"], f["message"],
            json.dumps(f.get("values"), ensure_ascii=False) if f.get("values") else None)


def _finding_of(rule: str, severity: str, message: str, values_json: str | None) -> dict[str, Any]:
    f: dict[str, Any] = {"rule": rule, "severity": severity, "message": message}
    if values_json:
        f["values"] = json.loads(values_json)
    return f


def _section_rows(sections: list[dict[str, Any]], text: str) -> list[tuple]:
    """Each section as a span of the report's text when it is there, in order; else its own text."""
    rows, cursor = [], 0
    spans_ok = "\x00" not in text  # SQL string functions stop at NUL
    for i, s in enumerate(sections):
        body = s.get("text", "")
        at = -1
        if body and spans_ok:
            at = text.find(body, cursor)
            if at < 0:
                at = text.find(body)
        if at >= 0:
            rows.append((i, s["heading"], at + 1, len(body), None))  # 1-based, as SQL's substr counts
            cursor = at + len(body)
        else:
            rows.append((i, s["heading"], None, None, body))
    return rows


@value_class  # made in a parse worker and sent to the process that writes the catalog
class RecordParts:
    """What a record's metrics, evidence and sections become in the catalog's tables, made from the
    parser's output alone (no catalog needed: a parse worker makes it, the catalog writer finishes it).

    ``metrics`` rows hold their evidence ``unlabelled`` (``catalog_evidence``); ``labels``: the row and
    column labels those name; the ``*_mark`` flags: whether that part of the record is kept in its table.
    """
    metrics: list[tuple] = Factory(list)  # (key, value, derived, unlabelled evidence or None, ord)
    sections: list[tuple] = Factory(list)  # (ord, heading, text_at, text_len, text)
    labels: list[str] = Factory(list)
    metrics_mark: bool = False
    evidence_mark: bool = False
    sections_mark: bool = False


def record_parts(record: dict[str, Any], text: str) -> RecordParts:
    """The table rows of a record's metrics (evidence included) and sections; ``text``: the report's."""
    metrics = record.get("metrics") or {}
    evidence = record.get("evidence") or {}
    parts = RecordParts()
    encoder = EvidenceEncoder(text)
    labels: set[str] = set()
    for i, (k, v) in enumerate(metrics.items()):
        ev = evidence.get(k)
        encoded = encoder.unlabelled(ev) if k in evidence else None
        if encoded is not None:
            labels.update(labels_of(encoded))
        parts.metrics.append((k, v, int((ev or {}).get("where") == "derived") if isinstance(ev, dict) else 0,
                              encoded, i))
    parts.labels = sorted(labels)
    if isinstance(record.get("metrics"), dict) and all(_as_stored(v) for v in metrics.values()):
        parts.metrics_mark = True
        parts.evidence_mark = isinstance(record.get("evidence"), dict) and list(evidence) == [
            k for k in metrics if k in evidence]
    sections = record.get("sections") or []
    parts.sections = _section_rows(sections, text)
    parts.sections_mark = _sections_by_mark(sections)
    return parts


def marked_record(record: dict[str, Any], parts: RecordParts) -> dict[str, Any]:
    """A copy of ``record`` with the marks of its stored form in place of what ``parts`` holds as rows
    (metrics, their evidence, sections): each key keeps its place, so show --json is unchanged."""
    lean = dict(record)
    if parts.metrics_mark:
        lean["metrics"] = METRICS_IN_TABLE
        if parts.evidence_mark:
            lean["evidence"] = EVIDENCE_IN_TABLE
    if parts.sections_mark:
        lean["sections"] = SECTIONS_IN_TABLE
    return lean


def finish_record(record: dict[str, Any], parts: RecordParts, labels: dict[str, int]) -> StoredRecord:
    """The rows and the lean ``record_json`` of a record (without its ``text``) from its ``parts``
    (``record_parts`` of the same metrics, evidence and sections); ``labels``: ids of ``parts.labels``.
    Findings are read here: the writer may have added some (``published.from_list``)."""
    lean = marked_record(record, parts)
    out = StoredRecord("")
    out.metrics = [(k, v, derived, None if ev is None else with_label_ids(ev, labels), i)
                   for k, v, derived, ev, i in parts.metrics]
    out.sections = parts.sections
    findings = record.get("findings") or []
    out.findings = [_finding_row(i, f) for i, f in enumerate(findings)]
    if isinstance(record.get("findings"), list) and findings and json.dumps(
            [_finding_of(*row[1:]) for row in out.findings], ensure_ascii=False) == json.dumps(findings, ensure_ascii=False):
        lean["findings"] = FINDINGS_IN_TABLE
    out.record_json = json.dumps(lean, ensure_ascii=False)
    return out


def split_record(record: dict[str, Any], text: str, labels: dict[str, int]) -> StoredRecord:
    """The rows and the lean ``record_json`` of a record (without its ``text``); ``labels``: the ids of
    the evidence labels it names."""
    return finish_record(record, record_parts(record, text), labels)


def prepare_record(c: Any, record: dict[str, Any], text: str, parts: RecordParts | None = None) -> StoredRecord:
    """The stored form of a record, the ids of its evidence labels read (new ones added: in a write);
    ``parts``: its ``record_parts`` when a parse worker made them already."""
    parts = parts or record_parts(record, text)
    return finish_record(record, parts, label_ids(c, parts.labels))


def write_rows(c: Any, report_id: int, stored: StoredRecord, *, metric_keys: bool = True) -> None:
    """Replace the report's metrics, sections and findings rows by the stored record's.

    ``metric_keys``: metrics as ``metric_values`` rows naming their key by its id (schema 8); False for
    the ``metrics`` table of schemas 6 and 7, which migration 6 rewrites its records into.
    """
    for table in ("metric_values" if metric_keys else "metrics", "section_spans", "findings"):
        c.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
    if metric_keys:
        ids = name_ids(c, "metric_keys", "key", (row[0] for row in stored.metrics))
        c.executemany("INSERT INTO metric_values(report_id, key_id, value, derived, evidence_json, ord) "
                      "VALUES (?, ?, ?, ?, ?, ?)", [(report_id, ids[k], *rest) for k, *rest in stored.metrics])
    else:
        c.executemany("INSERT INTO metrics(report_id, key, value, derived, evidence_json, ord) VALUES (?, ?, ?, ?, ?, ?)",
                      [(report_id, *row) for row in stored.metrics])
    c.executemany("INSERT INTO section_spans(report_id, ord, heading, text_at, text_len, text) "
                  "VALUES (?, ?, ?, ?, ?, ?)", [(report_id, *row) for row in stored.sections])
    c.executemany("INSERT INTO findings(report_id, ord, rule, severity, message, values_json) VALUES (?, ?, ?, ?, ?, ?)",
                  [(report_id, *row) for row in stored.findings])


def load_record(conn: Any, report_id: int, record_json: str, reader: EvidenceReader | None = None) -> dict[str, Any]:
    """The record as saved (without its ``text``): the parts kept in tables put back in their place."""
    record = json.loads(record_json)
    if record.get("metrics") == METRICS_IN_TABLE:
        rows = conn.execute("SELECT key, value, evidence_json FROM metrics WHERE report_id = ? ORDER BY ord, key",
                            (report_id,)).fetchall()
        record["metrics"] = {k: v for k, v, _ in rows}
        if record.get("evidence") == EVIDENCE_IN_TABLE:
            reader = reader or EvidenceReader(conn)
            record["evidence"] = reader.decode_many(report_id, {k: raw for k, _, raw in rows if raw is not None})
    if record.get("sections") == SECTIONS_IN_TABLE:
        record["sections"] = [{"heading": h, "text": t} for h, t in conn.execute(
            "SELECT heading, text FROM sections WHERE report_id = ? ORDER BY ord", (report_id,)).fetchall()]
    if record.get("findings") == FINDINGS_IN_TABLE:
        record["findings"] = [_finding_of(*row) for row in conn.execute(
            "SELECT rule, severity, message, values_json FROM findings WHERE report_id = ? ORDER BY ord",
            (report_id,)).fetchall()]
    return record


def relayout_records(c: Any) -> None:
    """Rewrite every report saved before the lean layout into it (migration 6, in its transaction; its
    ``metrics`` table still names each key: migration 8 moves them to ``metric_keys``).

    The records read back as they did; the change feed gets no entries (nothing a reader sees changed).
    """
    last_change = c.execute("SELECT COALESCE(MAX(seq), 0) FROM report_changes").fetchone()[0]
    reader = EvidenceReader(c)
    for (report_id,) in c.execute("SELECT id FROM reports ORDER BY id").fetchall():
        (raw,) = c.execute("SELECT record_json FROM reports WHERE id = ?", (report_id,)).fetchone()
        text_row = c.execute("SELECT text FROM report_texts WHERE report_id = ?", (report_id,)).fetchone()
        text = text_row[0] if text_row else ""
        record = load_record(c, report_id, raw, reader)
        stored = prepare_record(c, record, text)
        write_rows(c, report_id, stored, metric_keys=False)
        c.execute("UPDATE reports SET record_json = ? WHERE id = ?", (stored.record_json, report_id))
    c.execute("DELETE FROM report_changes WHERE seq > ?", (last_change,))
