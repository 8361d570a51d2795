"""A metric's evidence as the catalog keeps it: one short JSON array instead of the parser's dict.

    EvidenceEncoder(text, label_ids).encode(ev) -> str  what ``metrics.evidence_json`` holds
    EvidenceReader(conn).decode(report_id, raw)    -> dict: the parser's dict again, key for key

The parser's dict (``parser.record.Evidence.to_dict``) repeats its field names in every row and
the template's row and column labels in every report (issue 18: evidence was most of the catalog).
The array keeps the fields by position, ``[where, page, snippet, table, row, column, bbox, cell,
confidence]`` without trailing nulls; ``where`` as a small number, the labels as ids into
``evidence_labels`` (each label stored once for the whole catalog), and a prose snippet found in the
report's text as ``[start, length]`` into ``report_texts``. An evidence the array cannot give back
exactly (another shape, another key order) stays the JSON dict it was: a reader tells them apart by
the first character, so rows written before the change read as they did.

Encoding is split in two so the costly part runs where the record is parsed (a worker process, no
catalog at hand): ``EvidenceEncoder(text).unlabelled(ev)`` checks the array and writes its JSON around
the labels, ``with_label_ids(unlabelled, ids)`` puts the catalog's label ids in their places.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable

from .name_ids import name_ids

__all__ = ["EvidenceEncoder", "with_label_ids", "labels_of", "label_ids", "EvidenceReader", "decode_evidence"]

_WHERE = ("table", "text", "ocr", "derived")
_TABLE_WHERE = ("table", "ocr")
# encoders made once: json.dumps with any option builds a new encoder per call (a fifth of the cost)
_dumps_compact = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _canonical_keys(ev: dict[str, Any]) -> list[str]:
    """The keys ``Evidence.to_dict`` writes, in its order, for this evidence."""
    keys = ["where", "page", "snippet"]
    if ev.get("where") in _TABLE_WHERE:
        keys += ["table", "row", "column"]
    keys += [k for k in ("bbox", "cell", "confidence") if k in ev]
    return keys


def _array(ev: dict[str, Any], text: str) -> list[Any] | None:
    """The stored array of ``ev`` with its labels as written (strings where ids will go)."""
    if list(ev) != _canonical_keys(ev) or ev["where"] not in _WHERE:
        return None
    snippet = ev["snippet"]
    if isinstance(snippet, str) and snippet and ev["where"] != "derived":
        at = text.find(snippet)
        if at >= 0:
            snippet = [at, len(snippet)]
    out = [_WHERE.index(ev["where"]), ev["page"], snippet]
    if ev["where"] in _TABLE_WHERE:
        row, column = ev["row"], ev["column"]
        if not all(v is None or isinstance(v, str) for v in (row, column)):
            return None
        out += [ev["table"], row, column]
    else:
        out += [None, None, None]
    out += [ev.get("bbox"), ev.get("cell"), ev.get("confidence")]
    while out and out[-1] is None:
        out.pop()
    return out


class EvidenceEncoder:
    """Encodes the evidences of one report (its text; the ids of the labels they name, when known: the
    lookup is built once, not once per number, a template report holds a hundred and more)."""

    def __init__(self, text: str, label_ids: dict[str, int] | None = None):
        self.text = text
        self.label_ids = label_ids or {}

    def unlabelled(self, ev: Any) -> tuple[str, tuple, str] | str:
        """The stored JSON with its row and column labels left out, ``(head, labels, tail)``:
        ``with_label_ids`` puts their ids between; the JSON itself when it names no label, and the
        JSON dict when the array would not give the evidence back."""
        return _table_cell(ev) or self.unlabelled_any(ev)

    def unlabelled_any(self, ev: Any) -> tuple[str, tuple, str] | str:
        """``unlabelled`` for any evidence, of any shape."""
        if isinstance(ev, dict):
            array = _array(ev, self.text)
            # the array only where it decodes to this very dict: same keys in the same order, same
            # types (1 and 1.0, a list and a tuple write the same JSON only as the latter pair)
            if array is not None and (_reads_back(ev) or _same(decode_evidence(array, _as_written, lambda: self.text), ev)):
                return _around_labels(array)
        return _dumps(ev)

    def encode(self, ev: Any) -> str:
        """The stored form of one evidence (its labels must be in ``label_ids``)."""
        return with_label_ids(self.unlabelled(ev), self.label_ids)


_TABLE_CELL_KEYS = ["where", "page", "snippet", "table", "row", "column", "cell"]


def _table_cell(ev: Any) -> tuple[str, tuple, str] | None:
    """``unlabelled`` of the commonest evidence, a template table's cell (most of a report's numbers),
    written at once (a fifth of the general path's time); None for any other shape. Exactly what the
    general path writes: ``[0,page,null,table,`` labels ``,null,[row,column]]`` (no bbox)."""
    if type(ev) is not dict or len(ev) != 7 or ev["where"] != "table" or list(ev) != _TABLE_CELL_KEYS:
        return None
    page, table, row, column, cell = ev["page"], ev["table"], ev["row"], ev["column"], ev["cell"]
    if (ev["snippet"] is not None or type(table) is not int or type(row) is not str
            or type(column) is not str or not (page is None or type(page) is int)
            or type(cell) is not list or len(cell) != 2 or type(cell[0]) is not int or type(cell[1]) is not int):
        return None
    return (f"[0,{'null' if page is None else page},null,{table},", (row, column),
            f",null,[{cell[0]},{cell[1]}]]")


def _as_written(label: Any) -> Any:
    return label


def _reads_back(ev: dict[str, Any]) -> bool:
    """Whether the array ``_array`` made of ``ev`` decodes to ``ev`` itself, told from its shape (the
    common case, without decoding: a hundred-odd evidences a report): every value comes back as the
    very object but a ``[start, length]`` snippet (its text, so ``ev`` must not hold a list there),
    ``bbox`` (rebuilt of floats) and ``bbox``, ``cell`` and ``confidence``, which come back only when
    not null. False says nothing: ``_same`` then decides."""
    if isinstance(ev["snippet"], (list, tuple)):
        return False
    if "bbox" in ev:
        bbox = ev["bbox"]
        if not isinstance(bbox, (list, tuple)) or not all(type(v) is float for v in bbox):
            return False
    return all(ev[k] is not None for k in ("cell", "confidence") if k in ev)


def _json_items(values: list[Any]) -> str:
    """The compact JSON of ``values`` without its brackets; nulls, ints and lists of ints (a cell's
    place) written directly, as ``json`` writes them."""
    return ",".join(_json_value(v) for v in values)


def _json_value(v: Any) -> str:
    if v is None:
        return "null"
    if type(v) is int:
        return str(v)
    if type(v) is list and all(type(x) is int for x in v):
        return f"[{','.join(map(str, v))}]"
    return _dumps_compact(v)


def _around_labels(array: list[Any]) -> tuple[str, tuple, str] | str:
    """``array``'s compact JSON cut around its labels (places 4 and 5), written once here so the
    catalog's writer only joins strings (a report's hundred-odd evidences, in the crawler's process)."""
    labels = tuple(array[4:6])
    if not any(isinstance(v, str) for v in labels):
        return f"[{_json_items(array)}]"
    rest = array[6:]
    return f"[{_json_items(array[:4])},", labels, f",{_json_items(rest)}]" if rest else "]"


def labels_of(encoded: tuple[str, tuple, str] | str) -> tuple:
    """The labels an ``unlabelled`` evidence names (none for a finished one)."""
    return () if isinstance(encoded, str) else tuple(v for v in encoded[1] if isinstance(v, str))


def with_label_ids(encoded: tuple[str, tuple, str] | str, label_ids: dict[str, int]) -> str:
    """What ``metrics.evidence_json`` holds for an ``unlabelled`` evidence: its labels named by id."""
    if isinstance(encoded, str):
        return encoded
    head, labels, tail = encoded
    if len(labels) == 2:  # a row and a column: nearly every one, written without a generator
        row, column = labels
        return f"{head}{'null' if row is None else label_ids[row]},{'null' if column is None else label_ids[column]}{tail}"
    return head + ",".join("null" if v is None else str(label_ids[v]) for v in labels) + tail


def _same(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` are written as the same JSON (``json.dumps``), checked without writing."""
    if a is b:  # most of a decoded evidence is the very values it was made of
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(map(_same, a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return repr(a) == repr(b)  # what JSON writes: -0.0 is not 0.0, nan is nan
    return a == b


def decode_evidence(array: list[Any], label: Callable[[int], str], text: Callable[[], str]) -> dict[str, Any]:
    """The parser's evidence dict from its stored array (``label``: id -> text; ``text``: the report's)."""
    full = list(array) + [None] * (9 - len(array))
    where, page, snippet, table, row, column, bbox, cell, confidence = full
    if isinstance(snippet, list):
        at, length = snippet
        snippet = text()[at:at + length]
    ev: dict[str, Any] = {"where": _WHERE[where], "page": page, "snippet": snippet}
    if ev["where"] in _TABLE_WHERE:
        ev.update(table=table, row=label(row) if isinstance(row, int) else row,
                  column=label(column) if isinstance(column, int) else column)
    if bbox is not None:
        ev["bbox"] = [float(v) for v in bbox]
    if cell is not None:
        ev["cell"] = cell
    if confidence is not None:
        ev["confidence"] = confidence
    return ev


def label_ids(c: Any, labels: Iterable[str]) -> dict[str, int]:
    """Ids of these labels in ``evidence_labels``, adding the new ones (inside a write transaction)."""
    return name_ids(c, "evidence_labels", "label", labels)


class EvidenceReader:
    """Decodes stored evidence on one connection; keeps the labels it read (ids never change) and
    the text of the last report (a snippet is an offset into it)."""

    def __init__(self, conn: Any):
        self.conn = conn
        self._labels: dict[int, str] = {}
        self._text: tuple[int, str] | None = None

    def decode(self, report_id: int, raw: str | None) -> Any:
        """The evidence dict (or what else the JSON holds; the text itself when it is not JSON)."""
        if raw is None:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            return raw
        if not isinstance(value, list):
            return value
        self._load_labels([v for v in value[4:6] if type(v) is int])
        return decode_evidence(value, lambda i: self._label(report_id, i), lambda: self._report_text(report_id))

    def _label(self, report_id: int, label_id: int) -> str:
        try:
            return self._labels[label_id]
        except KeyError:  # a row written past the writer (a restored or hand-edited catalog): say so, not a traceback
            from .errors import CatalogDamagedError

            raise CatalogDamagedError(
                f"the catalog is damaged: the evidence of report {report_id} names label {label_id}, which "
                "evidence_labels does not hold; `xxgk reparse --all` writes every record again") from None

    def decode_many(self, report_id: int, raws: dict[str, str | None]) -> dict[str, Any]:
        """Several evidences of one report (one query for the labels they name)."""
        ids = []
        for raw in raws.values():
            if raw and raw.startswith("["):
                ids += [v for v in json.loads(raw)[4:6] if type(v) is int]
        self._load_labels(ids)
        return {k: self.decode(report_id, raw) for k, raw in raws.items()}

    def _load_labels(self, ids: list[int]) -> None:
        missing = sorted({i for i in ids if i not in self._labels})
        for i in range(0, len(missing), 500):
            part = missing[i:i + 500]
            self._labels.update(self.conn.execute(
                f"SELECT id, label FROM evidence_labels WHERE id IN ({', '.join('?' * len(part))})", part).fetchall())

    def _report_text(self, report_id: int) -> str:
        if self._text is None or self._text[0] != report_id:
            row = self.conn.execute("SELECT text FROM report_texts WHERE report_id = ?", (report_id,)).fetchone()
            self._text = (report_id, row[0] if row else "")
        return self._text[1]
