"""Issue 18, a lean catalog: each fact stored once, every reader seeing the records as they were saved,
and a catalog of the layout before (schema 5) migrating in place, on SQLite and on PostgreSQL."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.catalog_evidence import EvidenceReader
from archive.compare import Selection, build_comparison
from archive.compare.values import evidence_text
from archive.migrations import MIGRATIONS, apply_migrations
from conftest import EXAMPLES, REPO, run_cli

TEXT = ("一、总体情况\n本年度共收到政府信息公开申请1984件，较上年增加12件。\n"
        "二、主动公开政府信息情况\n主动公开政府信息3500条。\n三、其他\n无。")


def _parsed(path: Path) -> dict:
    r = run_cli("parse", str(path), "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """Real parser records of the bundled examples, and records of every shape the rows cannot hold."""
    out = [_parsed(p) for p in [*sorted(EXAMPLES.glob("*.txt")), REPO / "tests/data/real/shanghai-office-2019.html"]]
    assert sum(bool(r.get("metrics")) for r in out) >= 4  # prose, and a template's tables (evidence by cell)
    base = {"title": "某县2020年政府信息公开工作年度报告", "year": 2020, "region": "某省某县", "region_code": None,
            "agency": None, "published": None, "format": "gb2019", "text": TEXT, "parser_version": "t"}
    table = {"where": "table", "page": 2, "snippet": None, "table": 1, "row": "一、本年新收政府信息公开申请数量",
             "column": "申请人情况 / 自然人", "bbox": [10.5, 20.0, 30.25, 40.0]}
    out.append({**base, "source": {"url": "file:///a"},
                "metrics": {"b.count": 1984, "a.count": 3500, "c.rate": 0.25, "d.cell": 7},
                "evidence": {"b.count": {"where": "text", "page": None, "snippet": "共收到政府信息公开申请1984件"},
                             "a.count": {"where": "text", "page": None, "snippet": "不在正文里的一句话"},
                             "c.rate": {"where": "derived", "page": None, "snippet": "a / b"},
                             "d.cell": {**table, "cell": [3, 4], "confidence": 0.91}},
                "sections": [{"heading": "一、总体情况", "text": "本年度共收到政府信息公开申请1984件，较上年增加12件。"},
                             {"heading": "三、其他", "text": "无。"}, {"heading": "四、附", "text": "正文里没有的段落"}],
                "findings": [{"rule": "r.one", "severity": "warning", "message": "m", "values": {"a": [1, 2]}},
                             {"rule": "r.two", "severity": "info", "message": "n"}]})
    out.append({**base, "title": "另一县2020年政府信息公开工作年度报告",  # nothing of it fits the rows exactly
                "metrics": {"x.whole_float": 12.0, "y.count": 3},
                "evidence": {"y.count": {"where": "text", "snippet": "无。", "page": None},  # another key order
                             "z.gone": {"where": "text", "page": None, "snippet": None}},
                "sections": [{"heading": "一", "text": "无。", "level": 1}],
                "findings": [{"rule": "r", "severity": "error", "message": "m", "values": {}, "extra": True}]})
    out.append({**base, "title": "空", "text": "", "metrics": {}, "evidence": {}, "sections": [], "findings": []})
    return out


def _as_saved(record: dict) -> dict:
    """What ``get_report`` gives back of a saved record: the text last, and only when there is one."""
    rest = {k: v for k, v in record.items() if k != "text"}
    return {**rest, "text": record["text"]} if record.get("text") else rest


def _save_all(cat: Catalog, records: list[dict]) -> list[int]:
    ids = []
    for i, record in enumerate(records):
        doc, _ = cat.add_document(f"{i:064x}", 10, "text/plain")
        ids.append(cat.save_record(doc.id, record, f"file:///{i}"))
    return ids


def _readers_see(cat: Catalog, ids: list[int]) -> dict:
    """Every way the archive reads a record back: whole, by rows, as comparison values with evidence."""
    cmp = build_comparison(cat.conn, Selection(), ["all"], merge=False)
    return {
        "records": {i: json.dumps(cat.get_report(i)["record"], ensure_ascii=False) for i in ids},
        "metrics": [tuple(r) for r in cat.conn.execute(
            "SELECT report_id, key, value, derived FROM metrics ORDER BY report_id, key")],
        "sections": [tuple(r) for r in cat.conn.execute(
            "SELECT report_id, ord, heading, text FROM sections ORDER BY report_id, ord")],
        "findings": [tuple(r) for r in cat.conn.execute(
            "SELECT report_id, ord, rule, severity, message, values_json FROM findings ORDER BY report_id, ord")],
        "values": [(rv.report.id, rv.values, sorted(rv.derived), rv.evidence)
                   for rv in cmp.values(with_evidence=True) if rv.values],
    }


@pytest.fixture(params=["sqlite", "postgres"])
def location(request, tmp_path: Path) -> str:
    if request.param == "postgres":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "c.sqlite")


def test_a_saved_record_reads_back_exactly_through_every_reader(records, location):
    with Catalog(location) as cat:
        ids = _save_all(cat, records)
        seen = _readers_see(cat, ids)
    for i, record in zip(ids, records):
        assert seen["records"][i] == json.dumps(_as_saved(record), ensure_ascii=False)  # keys in their order too
    expected_sections = [(i, n, s["heading"], s["text"]) for i, r in zip(ids, records)
                         for n, s in enumerate(r["sections"])]
    assert seen["sections"] == sorted(expected_sections)
    by_id = dict(zip(ids, records))
    for rid, values, derived, evidence in seen["values"]:
        record = by_id[rid]
        assert values == {k: v for k, v in record["metrics"].items() if k in values}
        for key in values:
            assert evidence[key] == evidence_text((record["evidence"].get(key)))


def test_each_fact_is_stored_once(records, tmp_path: Path):
    with Catalog(tmp_path / "c.sqlite") as cat:
        ids = _save_all(cat, records)
        lean = json.loads(cat.conn.execute("SELECT record_json FROM reports WHERE id = ?", (ids[-3],)).fetchone()[0])
        assert [lean[k] for k in ("metrics", "evidence", "sections", "findings")] == \
            ["@metrics", "@evidence", "@sections", "@findings"]
        # a section found in the report's text is a span of it; the one that is not keeps its text
        spans = cat.conn.execute("SELECT ord, text_at, text_len, text FROM section_spans WHERE report_id = ? "
                                 "ORDER BY ord", (ids[-3],)).fetchall()
        assert [(s[0], s[3]) for s in spans] == [(0, None), (1, None), (2, "正文里没有的段落")]
        # evidence: labels once for the catalog, a snippet of the text as a place in it
        stored = dict(cat.conn.execute("SELECT key, evidence_json FROM metrics WHERE report_id = ?", (ids[-3],)))
        assert stored["b.count"] == f'[1,null,[{TEXT.index("共收到")},{len("共收到政府信息公开申请1984件")}]]'
        assert "一、本年新收政府信息公开申请数量" not in stored["d.cell"]
        assert cat.conn.execute("SELECT COUNT(*) FROM evidence_labels WHERE label = ?",
                                ("一、本年新收政府信息公开申请数量",)).fetchone()[0] == 1
        # a metric key too: once for the catalog, each value naming it by its id
        keys = [k for (k,) in cat.conn.execute("SELECT key FROM metric_keys")]
        assert sorted(keys) == sorted({k for r in records for k in r.get("metrics") or {}})
        assert [c[1] for c in cat.conn.execute("PRAGMA table_info(metric_values)")] == \
            ["report_id", "key_id", "value", "derived", "evidence_json", "ord"]
        # what the rows cannot give back exactly stays inline, as it was
        odd = json.loads(cat.conn.execute("SELECT record_json FROM reports WHERE id = ?", (ids[-2],)).fetchone()[0])
        assert odd["metrics"] == {"x.whole_float": 12.0, "y.count": 3} and isinstance(odd["evidence"], dict)
        assert isinstance(odd["sections"], list) and isinstance(odd["findings"], list)
        # the real reports: no evidence dict left in record_json, and a smaller one
        for rid, record in zip(ids, records[:-3]):
            if not record["metrics"]:
                continue
            raw = cat.conn.execute("SELECT record_json FROM reports WHERE id = ?", (rid,)).fetchone()[0]
            assert '"where"' not in raw
            assert len(raw) < len(json.dumps({k: v for k, v in record.items() if k != "text"}, ensure_ascii=False)) / 2


# ---- a catalog of the layout before: written as the xxgk of schema 5 wrote it ------------------------

def _save_as_schema_5(c, document_id: int, report_id: int, record: dict) -> None:
    """Catalog.save_record of schema 5: the whole record in record_json, evidence again in metrics."""
    text = record.get("text") or ""
    rest = {k: v for k, v in record.items() if k != "text"}
    sections = rest.get("sections")
    if sections and all(list(s) == ["heading", "text"] for s in sections):
        rest["sections"] = "@sections"
    c.execute("INSERT INTO reports(id, document_id, title, year, region, format, url, parser_version, parsed_at, "
              "record_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              (report_id, document_id, record["title"], record.get("year"), record.get("region"), record.get("format"),
               f"file:///{report_id}", record.get("parser_version") or "", "2026-01-01T00:00:00+00:00",
               json.dumps(rest, ensure_ascii=False)))
    evidence = record.get("evidence") or {}
    c.executemany("INSERT INTO metrics(report_id, key, value, derived, evidence_json) VALUES (?, ?, ?, ?, ?)",
                  [(report_id, k, v, int((evidence.get(k) or {}).get("where") == "derived"),
                    json.dumps(evidence.get(k), ensure_ascii=False) if k in evidence else None)
                   for k, v in (record.get("metrics") or {}).items()])
    if text:
        c.execute("INSERT INTO report_texts(report_id, text) VALUES (?, ?)", (report_id, text))
    c.executemany("INSERT INTO sections(report_id, ord, heading, text) VALUES (?, ?, ?, ?)",
                  [(report_id, i, s["heading"], s.get("text", "")) for i, s in enumerate(record.get("sections") or [])])
    c.executemany("INSERT INTO findings(report_id, ord, rule, severity, message, values_json) VALUES (?, ?, ?, ?, ?, ?)",
                  [(report_id, i, f["rule"], f["severity"], f["message"],
                    json.dumps(f.get("values"), ensure_ascii=False) if f.get("values") else None)
                   for i, f in enumerate(record.get("findings") or [])])


def _schema_5_catalog(location: str, records: list[dict]) -> list[int]:
    from archive.db import connect_postgres, is_postgres_url

    if is_postgres_url(location):
        conn = connect_postgres(location)
    else:
        conn = sqlite3.connect(location, isolation_level=None)
    try:
        assert apply_migrations(conn, [m for m in MIGRATIONS if m.version <= 5]) == [1, 2, 3, 4, 5]
        ids = []
        conn.execute("BEGIN IMMEDIATE")
        for i, record in enumerate(records):
            conn.execute("INSERT INTO documents(id, sha256, size, media_type, created_at, status) "
                         "VALUES (?, ?, 10, 'text/plain', 'now', 'parsed')", (i + 1, f"{i:064x}"))
            ids.append(1000 + i)
            _save_as_schema_5(conn, i + 1, 1000 + i, record)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return ids


def test_a_schema_5_catalog_migrates_in_place_and_reads_the_same(records, location):
    ids = _schema_5_catalog(location, records)
    with Catalog(location, readonly=True) as old:  # read as it is, before any migration
        changes = old.conn.execute("SELECT COUNT(*) FROM report_changes").fetchone()[0]
        old_sections = [tuple(r) for r in old.conn.execute(
            "SELECT report_id, ord, heading, text FROM sections ORDER BY report_id, ord")]
    with Catalog(location) as cat:  # migrates
        assert cat.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == MIGRATIONS[-1].version
        seen = _readers_see(cat, ids)
        # nothing a reader sees changed: the index is not sent every report again
        assert cat.conn.execute("SELECT COUNT(*) FROM report_changes").fetchone()[0] == changes
        assert cat.conn.execute("SELECT COUNT(*) FROM metrics WHERE evidence_json LIKE '{%'").fetchone()[0] <= 3
        raw = cat.conn.execute("SELECT record_json FROM reports WHERE id = ?", (ids[0],)).fetchone()[0]
        assert '"@evidence"' in raw and '"@metrics"' in raw
        # each publisher-year counted from the reports there (migration 9), and kept from then on
        from test_archive_catalog import _publisher_years_kept, _publisher_years_recounted

        assert _publisher_years_kept(cat.conn) == _publisher_years_recounted(cat.conn) != []
        # and the places and agencies archived (migration 10)
        from archive.places import archived_agencies, archived_places

        assert set(archived_places(cat.conn)) == {(r, c or None) for r, c in cat.conn.execute(
            "SELECT DISTINCT region, region_code FROM reports") if r} != set()
        assert set(archived_agencies(cat.conn)) == {a for (a,) in cat.conn.execute("SELECT DISTINCT agency FROM reports") if a}
    for i, record in zip(ids, records):
        assert seen["records"][i] == json.dumps(_as_saved(record), ensure_ascii=False)
    assert seen["sections"] == old_sections
    # and a report saved again after the migration reads the same as one migrated
    with Catalog(location) as cat:
        again = cat.save_record(1, records[0], "file:///1000")
        assert again == ids[0]
        assert json.dumps(cat.get_report(again)["record"], ensure_ascii=False) == seen["records"][ids[0]]


def test_an_evidence_reader_keeps_what_is_not_json(tmp_path: Path):
    with Catalog(tmp_path / "c.sqlite") as cat:
        reader = EvidenceReader(cat.conn)
        assert reader.decode(1, None) is None
        assert reader.decode(1, "a snippet kept as words") == "a snippet kept as words"
        assert reader.decode(1, '{"where": "text"}') == {"where": "text"}


def test_sections_kept_with_their_own_text_take_no_overflow_pages(tmp_path: Path):
    """Real traditional reports: their sections are simplified, so they keep their own text. In a table
    that stores such rows whole, the sections' bytes stay close to the text they hold (a WITHOUT ROWID
    table gave every row over ~1 KB a 4 KB overflow page: ~3x)."""
    from parser import parse

    files = sorted((REPO / "tests/data/real").glob("*-traditional.txt"))
    assert len(files) >= 20
    with Catalog(tmp_path / "c.sqlite") as cat:
        ids = _save_all(cat, [parse(f.read_bytes(), "text/plain", url=f.as_uri()).to_dict() for f in files])
        own = cat.conn.execute("SELECT COUNT(*), SUM(LENGTH(CAST(text AS BLOB)) + LENGTH(CAST(heading AS BLOB))) "
                               "FROM section_spans WHERE text IS NOT NULL").fetchone()
        assert own[0] >= 20 and own[1] > 30_000  # long sections, kept whole
        try:
            used = cat.conn.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'section_spans'").fetchone()[0]
        except sqlite3.OperationalError:
            pytest.skip("this SQLite is built without the dbstat table; the sections' bytes cannot be counted")
        assert used <= 1.5 * own[1] + 16_384, (used, own[1])
        # and they read back as saved
        for rid, f in zip(ids, files):
            sections = cat.get_report(rid)["record"]["sections"]
            assert sections == parse(f.read_bytes(), "text/plain", url=f.as_uri()).to_dict()["sections"]
