import json
import sqlite3
from pathlib import Path

import pytest

from archive.catalog import Catalog, ReportFilter
from archive.errors import CatalogError
from archive.migrations import MIGRATIONS
from conftest import catalog_at

RECORD = {
    "title": "杭州市余杭区2017年度政府信息公开工作年度报告(图解)", "year": 2017, "region": "浙江省杭州市余杭区",
    "region_code": "330110", "agency": None, "published": "2018-03-29", "format": "legacy",
    "source": {"url": "http://x", "sha256": "ab", "media_type": "text/html", "fetched_at": None},
    "metrics": {"applications.new.total": 1984, "review.total": 34, "fees.amount_wan_yuan": 1.5},
    "evidence": {"applications.new.total": {"where": "text", "page": None, "snippet": "共收到政府信息公开申请1984件"},
                 "review.total": {"where": "derived", "page": None, "snippet": "a+b"}},
    "sections": [{"heading": "一、主动公开政府信息的情况", "text": "……"}],
    "findings": [{"rule": "applications.balance", "severity": "error", "message": "m", "values": {"a": 1}}],
    "parser_version": "1",
}


def test_new_catalog_is_wal_and_migrated(tmp_path: Path):
    cat = Catalog(tmp_path / "c.sqlite")
    assert cat.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [r[0] for r in cat.conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [m.version for m in MIGRATIONS]
    cat.close()
    # reopening applies nothing twice
    Catalog(tmp_path / "c.sqlite").close()


def test_opening_an_up_to_date_catalog_does_not_wait_for_a_writer(tmp_path: Path):
    """Every writing command opens the catalog: an up-to-date one is not migrated, so the opening
    takes no write lock and does not wait for a crawl or an import that is writing."""
    import threading

    Catalog(tmp_path / "c.sqlite").close()
    writer = sqlite3.connect(tmp_path / "c.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    opened: list = []

    def open_it() -> None:
        with Catalog(tmp_path / "c.sqlite") as cat:
            opened.append(cat.version)

    t = threading.Thread(target=open_it, daemon=True)
    t.start()
    t.join(15)  # the catalog's busy timeout is 60 s: an opening that waited would still be waiting
    while_writing = list(opened)
    writer.execute("ROLLBACK")
    writer.close()
    t.join(120)
    assert while_writing == [MIGRATIONS[-1].version]


def test_newer_catalog_is_refused(tmp_path: Path):
    Catalog(tmp_path / "c.sqlite").close()
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(CatalogError, match="newer"):
        Catalog(tmp_path / "c.sqlite")


def test_garbage_file_is_a_clear_catalog_error(tmp_path: Path):
    (tmp_path / "c.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(CatalogError, match="is damaged .* restore it from a backup"):
        Catalog(tmp_path / "c.sqlite")


def test_document_insert_is_idempotent_and_keeps_every_source(tmp_path: Path):
    cat = Catalog(catalog_at(tmp_path))  # SQLite, or PostgreSQL in this module's [postgres] copy
    doc, new = cat.add_document("aa", 10, "text/html", source={"kind": "crawl", "url": "http://a/1",
                                                               "http_status": 200, "headers": {"ETag": "x"}})
    doc2, new2 = cat.add_document("aa", 10, "text/html", source={"kind": "crawl", "url": "http://b/1"})
    assert new and not new2 and doc.id == doc2.id
    srcs = cat.sources(doc.id)
    assert [s["url"] for s in srcs] == ["http://a/1", "http://b/1"]
    assert srcs[0]["headers"] == {"ETag": "x"} and srcs[0]["http_status"] == 200
    with pytest.raises(ValueError, match="unknown source fields"):
        cat.add_source(doc.id, {"kind": "crawl", "url": "u", "bogus": 1})


def test_save_record_explodes_rows_and_keeps_id_on_reparse(tmp_path: Path):
    cat = Catalog(catalog_at(tmp_path))  # SQLite, or PostgreSQL in this module's [postgres] copy
    doc, _ = cat.add_document("aa", 10, "text/html")
    rid = cat.save_record(doc.id, RECORD, "http://x")
    rows = dict(cat.conn.execute("SELECT key, value FROM metrics WHERE report_id = ?", (rid,)).fetchall())
    assert rows == {"applications.new.total": 1984, "review.total": 34, "fees.amount_wan_yuan": 1.5}
    derived = dict(cat.conn.execute("SELECT key, derived FROM metrics").fetchall())
    assert derived["review.total"] == 1 and derived["applications.new.total"] == 0
    got = cat.get_report(rid)
    assert got["record"] == RECORD and got["variant"] == "图解"
    changed = dict(RECORD, metrics={"applications.new.total": 5}, sections=[], findings=[])
    assert cat.save_record(doc.id, changed, "http://x") == rid
    assert cat.conn.execute("SELECT COUNT(*) FROM metrics").fetchone()[0] == 1
    assert cat.conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 0
    ops = [r[0] for r in cat.conn.execute("SELECT op FROM report_changes ORDER BY seq")]
    assert ops == ["upsert", "upsert"]
    cat.mark_unparsed(doc.id, "not_report", "2", "not_a_report", "no")
    assert cat.get_report(rid) is None
    assert [r[0] for r in cat.conn.execute("SELECT op FROM report_changes ORDER BY seq")][-1] == "delete"
    assert cat.errors()[0]["reason"] == "not_a_report"


def test_report_filter(tmp_path: Path):
    cat = Catalog(catalog_at(tmp_path))  # SQLite, or PostgreSQL in this module's [postgres] copy
    for i, (year, region, agency, fmt) in enumerate([
        (2017, "浙江省杭州市余杭区", None, "legacy"), (2020, "浙江省杭州市余杭区", "杭州市余杭区教育局", "gb2019"),
        (2022, "江苏省泰州市", None, "gb2021"),
    ]):
        doc, _ = cat.add_document(f"s{i}", 1, "text/html")
        cat.save_record(doc.id, dict(RECORD, year=year, region=region, agency=agency, format=fmt), None)
    years = lambda f: [r["year"] for r in cat.list_reports(f)]  # noqa: E731
    assert years(ReportFilter(region="余杭")) == [2017, 2020]
    assert years(ReportFilter(year_from=2018, year_to=2021)) == [2020]
    assert years(ReportFilter(agency="教育")) == [2020]
    assert years(ReportFilter(format="gb2021")) == [2022]
    assert years(ReportFilter(region="浙江省", year_from=2020)) == [2020]


def test_distinct_listing_puts_linked_copies_behind_their_canonical_report(tmp_path: Path):
    cat = Catalog(catalog_at(tmp_path))  # SQLite, or PostgreSQL in this module's [postgres] copy
    ids = []
    for i, title in enumerate(["南京市2019年政府信息公开工作年度报告", "南京市2019年政府信息公开工作年度报告(图解)",
                               "南京市2020年政府信息公开工作年度报告"]):
        doc, _ = cat.add_document(f"s{i}", 1, "text/html")
        ids.append(cat.save_record(doc.id, dict(RECORD, title=title, year=2019 + (i == 2)), None))
    with cat.write() as c:  # the crawler links the 图解 copy to the report (migration 2)
        for rid in ids[:2]:
            c.execute("INSERT INTO report_links(report_id, canonical_key, canonical_id, rule) VALUES (?, 'k', ?, 'test')",
                      (rid, ids[0]))
    every = cat.list_reports(ReportFilter())
    once = cat.list_reports(ReportFilter(), distinct=True)
    assert [r["id"] for r in every] == ids and [r["copies"] for r in every] == [2, 2, 1]
    assert [r["id"] for r in once] == [ids[0], ids[2]]
    assert [r["id"] for r in cat.list_reports(ReportFilter(year_from=2019, year_to=2019), distinct=True)] == [ids[0]]


def test_listing_some_reports_by_id_gives_their_rows_as_the_whole_listing_does(tmp_path: Path, monkeypatch):
    """`xxgk reports --limit N` reads the rows of the N reports it lists, not of the whole archive."""
    import archive.catalog as catalog_module

    cat = Catalog(catalog_at(tmp_path))  # SQLite, or PostgreSQL in this module's [postgres] copy
    for i, year in enumerate([2017, 2018, 2019, 2020, 2021]):
        doc, _ = cat.add_document(f"s{i}", 1, "text/html")
        cat.save_record(doc.id, dict(RECORD, year=year), None)
    every = cat.list_reports(ReportFilter())
    wanted = [every[3]["id"], every[0]["id"], every[4]["id"]]
    some = cat.list_reports(ReportFilter(), ids=wanted)
    assert sorted(some, key=lambda r: r["id"]) == sorted([r for r in every if r["id"] in wanted], key=lambda r: r["id"])
    monkeypatch.setattr(catalog_module, "_IDS_AT_ONCE", 2)  # read in statements of two ids: the same rows
    assert sorted(cat.list_reports(ReportFilter(), ids=wanted), key=lambda r: r["id"]) == sorted(some, key=lambda r: r["id"])
    assert cat.list_reports(ReportFilter(year_from=2021), ids=wanted) == [every[4]]
    assert cat.list_reports(ReportFilter(), ids=[]) == []


def _publisher_years_recounted(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute(
        "SELECT region, COALESCE(agency, ''), year, COUNT(*) FROM reports WHERE region IS NOT NULL AND region != '' "
        "AND year IS NOT NULL GROUP BY region, COALESCE(agency, ''), year ORDER BY 1, 2, 3").fetchall()]


def _publisher_years_kept(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute(
        "SELECT region, agency, year, n FROM publisher_years WHERE n > 0 ORDER BY 1, 2, 3").fetchall()]


def test_the_triggers_keep_each_publisher_year_s_count_as_the_reports_are_written(tmp_path: Path):
    """``publisher_years`` (migration 9) always says what grouping every report says, through saves,
    re-saves that move a report to another year or publisher, and deletes; counting from it gives
    the comparison's count."""
    from archive.status import count_reports, distinct_reports

    cat = Catalog(catalog_at(tmp_path))  # SQLite, or PostgreSQL in this module's [postgres] copy
    docs = []
    for i, (year, region, agency) in enumerate([
        (2019, "江苏省南京市", None), (2019, "江苏省南京市", ""), (2019, "江苏省南京市", "南京市教育局"),
        (2020, "江苏省南京市", None), (None, "江苏省南京市", None), (2019, "", None), (2021, "全国", "水利部"),
        (2021, "全国", "水利部"),
    ]):
        doc, _ = cat.add_document(f"p{i}", 1, "text/html")
        docs.append(doc.id)
        cat.save_record(doc.id, dict(RECORD, title=f"报告{i}", year=year, region=region, agency=agency), None)
    assert _publisher_years_kept(cat.conn) == _publisher_years_recounted(cat.conn)
    assert count_reports(cat.conn) == len(distinct_reports(cat.conn)) == 6
    cat.save_record(docs[1], dict(RECORD, title="报告1", year=2020, region="江苏省南京市", agency=None), None)  # re-parsed
    cat.save_record(docs[4], dict(RECORD, title="报告4", year=2019, region="江苏省南京市", agency=None), None)
    with cat.write() as c:
        c.execute("DELETE FROM reports WHERE document_id = ?", (docs[7],))
    assert _publisher_years_kept(cat.conn) == _publisher_years_recounted(cat.conn)
    assert count_reports(cat.conn) == len(distinct_reports(cat.conn)) == 5
    cat.close()


def test_the_triggers_keep_the_archived_places_and_agencies(tmp_path: Path):
    """``places`` and ``agencies`` (migration 10) name what the reports name, through saves, moves and
    deletes: the place and agency filters read them, not every report."""
    from archive.places import archived_agencies, archived_places

    cat = Catalog(catalog_at(tmp_path))  # SQLite, or PostgreSQL in this module's [postgres] copy
    docs = []
    for i, (region, code, agency) in enumerate([
        ("江苏省南京市", "320100", None), ("江苏省南京市", "320100", "南京市教育局"), ("江苏省南京市", None, ""),
        ("浙江省杭州市余杭区", "330110", "余杭区财政局"), ("", None, "水利部"),
    ]):
        doc, _ = cat.add_document(f"q{i}", 1, "text/html")
        docs.append(doc.id)
        cat.save_record(doc.id, dict(RECORD, title=f"报告{i}", region=region, region_code=code, agency=agency), None)
        with cat.write() as c:  # the code as given (the writer may name one from the place itself)
            c.execute("UPDATE reports SET region_code = ? WHERE document_id = ?", (code, doc.id))

    def scanned() -> tuple[set, set]:
        places = {(r, c or None) for r, c in cat.conn.execute("SELECT DISTINCT region, region_code FROM reports") if r}
        agencies = {a for (a,) in cat.conn.execute("SELECT DISTINCT agency FROM reports") if a}
        return places, agencies

    assert (set(archived_places(cat.conn)), set(archived_agencies(cat.conn))) == scanned()
    cat.save_record(docs[3], dict(RECORD, title="报告3", region="江苏省南京市", region_code="320100", agency="南京市财政局"), None)
    with cat.write() as c:
        c.execute("UPDATE reports SET region_code = '320100' WHERE document_id = ?", (docs[3],))
        c.execute("DELETE FROM reports WHERE document_id = ?", (docs[1],))
    assert (set(archived_places(cat.conn)), set(archived_agencies(cat.conn))) == scanned()
    assert "南京市教育局" not in archived_agencies(cat.conn) and ("浙江省杭州市余杭区", "330110") not in archived_places(cat.conn)
    cat.close()
