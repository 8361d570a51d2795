"""The evidence encoder: an evidence is stored as the short array only where the array reads back as
the very dict (checked without writing JSON twice), else as the dict itself."""
from __future__ import annotations

import json
import math
import sqlite3

import pytest

from archive.catalog_evidence import EvidenceEncoder, EvidenceReader, _same

PAIRS = [
    (1, 1), (1, 1.0), (True, 1), (False, 0), (None, None), (0.0, -0.0), (-0.0, -0.0), (math.nan, math.nan),
    (1.5, 1.5), ("表", "表"), ("a", "b"), ([1, 2], (1, 2)), ([1, [2.0]], [1, [2]]), ([], ()), ([1], [1, 2]),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}), ({"a": 1, "b": [1.0]}, {"a": 1, "b": [1.0]}), ({"a": 1}, {"a": True}),
    ({"a": None}, {}), ("1", 1),
]


@pytest.mark.parametrize("a, b", PAIRS)
def test_same_is_json_equality(a, b):
    assert _same(a, b) == (json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False))


TEXT = "本年度共收到政府信息公开申请1984件。"
LABELS = {"一、本年新收政府信息公开申请数量": 7, "申请人情况 / 自然人": 9}
TABLE = {"where": "table", "page": 2, "snippet": None, "table": 1, "row": "一、本年新收政府信息公开申请数量",
         "column": "申请人情况 / 自然人", "bbox": [10.5, 20.0, 30.25, 40.0]}


@pytest.mark.parametrize("ev, compact", [
    (TABLE, True),
    ({**TABLE, "bbox": [10, 20, 30, 40]}, False),  # integers: the array would read back floats
    ({**TABLE, "bbox": [10.5, -0.0, 30.25, 40.0]}, True),
    ({**TABLE, "cell": [4, 3]}, True),
    ({"where": "text", "page": None, "snippet": "收到政府信息公开申请1984件"}, True),
    ({"where": "text", "page": None, "snippet": "不在文中"}, True),
    ({"page": None, "where": "text", "snippet": "x"}, False),  # another key order
    ({"where": "elsewhere", "page": None, "snippet": None}, False),
    ({"where": "table", "page": 1, "snippet": None, "table": 1, "row": 3, "column": None}, False),
])
def test_encoded_evidence_reads_back_as_it_was(ev, compact):
    stored = EvidenceEncoder(TEXT, LABELS).encode(ev)
    assert stored.startswith("[") == compact
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE evidence_labels (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE)")
    conn.executemany("INSERT INTO evidence_labels VALUES (?, ?)", [(i, s) for s, i in LABELS.items()])
    conn.execute("CREATE TABLE report_texts (report_id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    conn.execute("INSERT INTO report_texts VALUES (1, ?)", (TEXT,))
    back = EvidenceReader(conn).decode(1, stored)
    assert json.dumps(back, ensure_ascii=False) == json.dumps(ev, ensure_ascii=False)


@pytest.mark.parametrize("ev, labelled", [
    (TABLE, True), ({**TABLE, "row": None}, True), ({**TABLE, "column": None}, True),
    ({k: v for k, v in TABLE.items() if k != "bbox"} | {"column": None}, True),  # the array ends at the row ({**TABLE, "cell": [4, 3], "confidence": 0.5}, True),
    ({**TABLE, "row": None, "column": None}, False), ({**TABLE, "bbox": [10, 20, 30, 40]}, False),
    ({"where": "text", "page": None, "snippet": "收到政府信息公开申请1984件"}, False),
])
def test_unlabelled_then_ids_is_the_array_with_ids_in_json(ev, labelled):
    """A worker's half (the JSON cut around the labels) finished with the catalog's ids is the compact
    JSON of the array with the ids in the labels' places (or the dict's JSON when no array fits)."""
    from archive.catalog_evidence import _array, labels_of, with_label_ids

    half = EvidenceEncoder(TEXT).unlabelled(ev)
    assert isinstance(half, tuple) == labelled
    assert list(labels_of(half)) == [v for v in (ev.get("row"), ev.get("column")) if labelled and v is not None]
    array = _array(ev, TEXT)
    if array is not None and ev.get("bbox") != [10, 20, 30, 40]:
        array[4:6] = [LABELS[v] if isinstance(v, str) else v for v in array[4:6]]
        expected = json.dumps(array, ensure_ascii=False, separators=(",", ":"))
    else:
        expected = json.dumps(ev, ensure_ascii=False)
    assert with_label_ids(half, LABELS) == expected == EvidenceEncoder(TEXT, LABELS).encode(ev)


@pytest.mark.parametrize("name", ["shaanxi-xian-yanta-tzhzj-2020.txt", "shanghai-office-2019.html"])
def test_a_record_stored_with_its_worker_parts_reads_back_as_stored_without(tmp_path, name):
    """Real reports parsed as a parse worker does (``parse_for_catalog``): stored with the worker's
    parts, the catalog holds the same rows and the record reads back the same as when the writer
    makes them itself from the whole record. The worker sends what its rows hold once: the record
    carries the stored form's marks in its place."""
    from pathlib import Path

    from archive.catalog_parse import parse_for_catalog
    from archive.catalog_records import EVIDENCE_IN_TABLE, METRICS_IN_TABLE
    from archive.home import Home
    from archive.parse_pool import parse_document
    from parser import ParseSettings

    path = Path(__file__).parent / "data" / "real" / name
    media = "text/html" if name.endswith(".html") else "text/plain"
    parsed = parse_for_catalog(path.read_bytes(), media, None, ParseSettings(), ())
    whole = parse_document(path.read_bytes(), media, None, ParseSettings(), ()).to_dict()
    assert (parsed.record["metrics"], parsed.record["evidence"]) == (METRICS_IN_TABLE, EVIDENCE_IN_TABLE)
    assert list(parsed.record) == list(whole) and parsed.record["text"] == whole["text"]
    assert len(parsed.parts.metrics) > 50
    assert bool(parsed.parts.labels) == name.endswith(".html")  # its table cells name their row and column
    rows = {}
    for with_parts in (True, False):
        with Home.open(tmp_path / str(with_parts)) as home:
            sha, _ = home.blobs.put_bytes(path.read_bytes())
            doc, _ = home.catalog.add_document(sha, path.stat().st_size, media)
            rid = home.catalog.save_record(doc.id, json.loads(json.dumps(parsed.record if with_parts else whole)), None,
                                           parts=parsed.parts if with_parts else None)
            conn = home.catalog.conn
            rows[with_parts] = (
                conn.execute("SELECT record_json FROM reports WHERE id = ?", (rid,)).fetchall(),
                conn.execute("SELECT key, value, derived, evidence_json, ord FROM metrics WHERE report_id = ? "
                             "ORDER BY ord", (rid,)).fetchall(),
                conn.execute("SELECT * FROM sections WHERE report_id = ? ORDER BY ord", (rid,)).fetchall(),
                conn.execute("SELECT label FROM evidence_labels ORDER BY id").fetchall(),
                home.catalog.get_report(rid)["record"])
    assert rows[True] == rows[False]
    back = rows[True][-1]
    assert back["metrics"] == whole["metrics"] and back["evidence"] == whole["evidence"]


_SHAPES = [TABLE, {**TABLE, "bbox": [10, 20, 30, 40]}, {**TABLE, "bbox": (1.5, 2.5)}, {**TABLE, "bbox": None},
           {**TABLE, "bbox": []}, {**TABLE, "bbox": [1.5, True]}, {**TABLE, "cell": None}, {**TABLE, "cell": [4, 3]},
           {**TABLE, "confidence": None}, {**TABLE, "confidence": 0.5}, {**TABLE, "cell": (4, 3)},
           {**TABLE, "snippet": [0, 4]}, {**TABLE, "snippet": (0, 4)}, {**TABLE, "snippet": "收到政府信息公开申请"},
           {"where": "derived", "page": None, "snippet": "收到政府信息公开申请1984件"},
           {"where": "text", "page": 3.0, "snippet": ""}, {**TABLE, "page": [1, 2]}]


@pytest.mark.parametrize("ev", _SHAPES)
def test_an_evidence_said_to_read_back_by_its_shape_does(ev):
    """The shape check that spares decoding says yes only where decoding the array gives ``ev`` back."""
    from archive.catalog_evidence import _array, _as_written, _reads_back, decode_evidence

    array = _array(ev, TEXT)
    if array is not None and _reads_back(ev):
        assert _same(decode_evidence(array, _as_written, lambda: TEXT), ev)


def test_the_shape_check_agrees_with_decoding_on_real_reports():
    from pathlib import Path

    from archive.catalog_evidence import _array, _as_written, _reads_back, decode_evidence
    from parser import parse

    real = Path(__file__).parent / "data" / "real"
    checked = 0
    for name in ("shanghai-office-2019.html", "shaanxi-xian-yanta-tzhzj-2020.txt", "anhui-anqing-2012.txt"):
        record = parse((real / name).read_bytes(), "text/html" if name.endswith(".html") else "text/plain").to_dict()
        for ev in record["evidence"].values():
            array = _array(ev, record["text"])
            if array is not None:
                assert _reads_back(ev) == _same(decode_evidence(array, _as_written, lambda: record["text"]), ev)
                checked += 1
    assert checked > 100


_CELL_SHAPES = _SHAPES + [
    {**TABLE, "cell": [4, 3]}, {**TABLE, "cell": [4, 3], "page": 2}, {**TABLE, "cell": [4, 3], "page": True},
    {**TABLE, "cell": [4, 3], "table": None}, {**TABLE, "cell": [4.0, 3]}, {**TABLE, "cell": [4, 3, 1]},
    {**TABLE, "cell": [4, 3], "row": None}, {**TABLE, "cell": [4, 3], "column": 7},
    {**TABLE, "cell": [4, 3], "where": "ocr"}, dict(reversed(list({**TABLE, "cell": [4, 3]}.items())))]


@pytest.mark.parametrize("ev", _CELL_SHAPES)
def test_the_table_cell_shortcut_writes_what_the_general_path_writes(ev):
    encoder = EvidenceEncoder(TEXT)
    assert encoder.unlabelled(ev) == encoder.unlabelled_any(ev)


def test_the_table_cell_shortcut_serves_most_numbers_of_real_template_reports_and_agrees():
    from pathlib import Path

    from archive.catalog_evidence import _table_cell
    from parser import parse

    real = Path(__file__).parent / "data" / "real"
    taken = {}
    for name in ("shanghai-office-2019.html", "anhui-anqing-zszx-2021.txt", "shaanxi-xian-yanta-tzhzj-2020.txt"):
        record = parse((real / name).read_bytes(), "text/html" if name.endswith(".html") else "text/plain").to_dict()
        encoder = EvidenceEncoder(record["text"])
        for ev in record["evidence"].values():
            assert encoder.unlabelled(ev) == encoder.unlabelled_any(ev)
        taken[name] = sum(_table_cell(ev) is not None for ev in record["evidence"].values()) / len(record["evidence"])
    # the shortcut is for tables; prose-read reports take the general path
    assert taken["shanghai-office-2019.html"] > 0.9 and taken["shaanxi-xian-yanta-tzhzj-2020.txt"] == 0


def test_evidence_naming_a_label_the_catalog_lost_is_a_clear_error_and_a_new_save_mends_it(tmp_path):
    """A catalog restored from a partial copy or edited by hand can hold evidence whose row or column
    label is gone: reading it says which report and what mends it, instead of a KeyError traceback
    in the middle of an export; saving the record again (what reparse does) writes the label back."""
    from archive.catalog_evidence import EvidenceReader
    from archive.errors import CatalogDamagedError
    from archive.home import Home
    from fixtures.archive_builder import store_real_report

    with Home.open(tmp_path / "home") as home:
        doc_id, rid, parsed = store_real_report(home, "shanghai-office-2019.html")
        conn = home.catalog.conn
        key, raw = conn.execute("SELECT key, evidence_json FROM metrics WHERE report_id = ? AND evidence_json "
                                "LIKE '[%' ORDER BY ord LIMIT 1", (rid,)).fetchone()
        row_label = json.loads(raw)[4]
        assert EvidenceReader(conn).decode(rid, raw)["row"]  # whole, it reads
        conn.execute("DELETE FROM evidence_labels WHERE id = ?", (row_label,))
        conn.commit()
    with Home.open(tmp_path / "home") as home:  # a later command: `xxgk export`, then `xxgk reparse --all`
        conn = home.catalog.conn
        with pytest.raises(CatalogDamagedError, match=f"report {rid} names label {row_label}.*xxgk reparse --all"):
            EvidenceReader(conn).decode(rid, raw)
        with pytest.raises(CatalogDamagedError):
            home.catalog.get_report(rid)
        home.catalog.save_record(doc_id, json.loads(json.dumps(parsed.record)), None, parts=parsed.parts)
        back = home.catalog.get_report(rid)["record"]
        assert back["evidence"][key]["row"] == EvidenceReader(conn).decode(rid, conn.execute(
            "SELECT evidence_json FROM metrics WHERE report_id = ? AND key = ?", (rid, key)).fetchone()[0])["row"]
