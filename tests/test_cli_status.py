"""Issue 14, item 3: one definition of "report" everywhere; `status` tells documents, reports, pages,
errors and orphans, and what each is; `xxgk errors` lists every error."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archive.home import Home
from cli_homes import demo_home
from conftest import run_cli


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(demo_home(tmp_path_factory))


def _json(*args: str):
    r = run_cli(*args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_the_same_report_count_in_every_command(home: str):
    listed = _json("reports", "--home", home)
    status = _json("status", "--home", home)["status"]
    compared = json.loads(run_cli("compare", "--format", "json", "--home", home).stdout)
    exported = json.loads(run_cli("export", "--shape", "wide", "--merge-duplicates", "--format", "json",
                                  "--home", home).stdout)
    searched = _json("search", "报告", "--home", home)  # every report's text says 报告
    assert len(listed) == status["reports"] == len(compared) == len(exported) == searched["total"]
    assert sum(searched["facets"]["year"].values()) == len(listed)
    copies = _json("reports", "--all-copies", "--home", home)
    assert len(copies) == status["report_documents"] > len(listed)
    assert sum(r["copies"] for r in listed) == len(copies)  # every copy stands behind one listed report


def test_status_tells_documents_reports_pages_errors_orphans(home: str, tmp_path: Path):
    r = run_cli("status", "--home", home)
    assert r.returncode == 0, r.stderr
    out = " ".join(r.stdout.split())
    for word in ("documents", "reports", "pages", "errors", "orphans", "`xxgk errors` lists them"):
        assert word in out, word
    st = _json("status", "--home", home)["status"]
    assert st["pages"] > 0 and st["orphans"] == 0  # the crawl's list pages are pages, not orphans
    assert f"{st['pages']} list pages kept from crawls" in out
    errors = _json("errors", "--home", home)
    assert len(errors) == st["errors"] > 0
    assert all(e["stage"] == "fetch" for e in _json("errors", "--stage", "fetch", "--home", home))
    assert len(_json("errors", "--not-reports", "--home", home)) == st["errors"] + st["not_reports"]
    # the filters and --limit are SQL's: the newest first, the same rows as the whole listing's head
    every = _json("errors", "--not-reports", "--home", home)
    assert [e["message"] for e in _json("errors", "--not-reports", "--limit", "2", "--home", home)] == \
        [e["message"] for e in every[:2]]
    reason = every[-1]["reason"]
    assert _json("errors", "--not-reports", "--reason", reason, "--home", home) == [e for e in every if e["reason"] == reason]
    assert _json("errors", "--stage", "nothing", "--home", home) == []
    table = run_cli("errors", "--limit", "1", "--format", "table", "--home", home)
    assert table.returncode == 0 and f"{st['errors']} errors, 1 shown" in " ".join(table.stdout.split()), table.stderr
    # an orphan: a file in blobs/ that no document and no page uses
    copy = tmp_path / "h"
    shutil.copytree(home, copy)
    with Home.open(copy, create=False) as h:
        h.blobs.put_bytes(b"left behind by a killed import")
    st = _json("status", "--home", str(copy))["status"]
    assert st["orphans"] == 1


def test_the_report_count_read_from_the_catalog_is_the_comparison_s(home: str, tmp_path: Path):
    """``count_reports`` (status, crawl) counts what ``distinct_reports`` (reports, compare) keeps,
    without building the comparison: on the demo home, with its copies, and on a catalog of edge cases."""
    from archive.catalog import Catalog
    from archive.status import count_reports, distinct_reports
    from conftest import catalog_at

    with Home.open(Path(home), create=False) as h:
        assert count_reports(h.catalog.conn) == len(distinct_reports(h.catalog.conn)) < h.catalog.counts()["reports"]
    cat = Catalog(catalog_at(tmp_path))
    rows = [  # (year, region, code, agency): copies under one publisher-year, and what never merges
        (2019, "江苏省南京市", "320100", None), (2019, "江苏省南京市", "320100", ""),  # no agency, spelt two ways
        (2019, "江苏省南京市", "320100", "南京市教育局"), (2020, "江苏省南京市", "320100", None),
        (None, "江苏省南京市", "320100", None), (None, "江苏省南京市", "320100", None),  # no year: each its own
        (2019, "", None, None), (2019, None, None, None),  # no place: each its own
        (2021, "全国", "100000", "水利部"), (2021, "全国", None, "水利部"),  # 全国 sorts first whatever its code
    ]
    for i, (year, region, code, agency) in enumerate(rows):
        doc, _ = cat.add_document(f"{i:064x}", 1, "text/html")
        rid = cat.save_record(doc.id, {"title": f"报告{i}", "year": year, "region": region, "agency": agency,
                                       "format": "gb2019", "metrics": {}, "parser_version": "1"}, None)
        with cat.write() as c:
            c.execute("UPDATE reports SET region_code = ? WHERE id = ?", (code, rid))
    assert count_reports(cat.conn) == len(distinct_reports(cat.conn)) == 8
    with cat.write() as c:  # one place under two codes (the division table changed): the comparison decides
        c.execute("UPDATE reports SET region_code = '320000' WHERE title = '报告3'")
        c.execute("UPDATE reports SET region_code = '999998' WHERE title = '报告1'")
    assert count_reports(cat.conn) == len(distinct_reports(cat.conn))
    cat.close()


def test_status_lists_blobs_for_orphans_only_up_to_its_limit_or_when_asked(home: str, tmp_path: Path, monkeypatch):
    from archive import status
    from archive.commands.status_command import status_lines

    copy = tmp_path / "h"
    shutil.copytree(home, copy)
    with Home.open(copy, create=False) as h:
        h.blobs.put_bytes(b"left behind by a killed import")
        counted = status.archive_status(h)
        assert counted.orphans == 1
        monkeypatch.setattr(status, "ORPHAN_LISTING_LIMIT", counted.documents + counted.pages - 1)
        listed = []
        monkeypatch.setattr(type(h.blobs), "iter_shas", lambda self: listed.append(1) or iter(()))
        big = status.archive_status(h)
        assert big.orphans is None and not listed  # past the limit blobs/ is not listed at all
        assert (big.documents, big.pages, big.reports) == (counted.documents, counted.pages, counted.reports)
        line = " ".join(" ".join(status_lines(big)).split())
        assert "orphans not counted" in line and "`xxgk status --orphans`" in line
        monkeypatch.undo()
    st = _json("status", "--orphans", "--home", str(copy))["status"]
    assert st["orphans"] == 1


def test_compare_s_order_comes_from_sql_and_a_listing_s_head_is_the_whole_listing_s(home: str, tmp_path: Path):
    """``iter_reports`` gives the rows in compare's order as SQL sorts them (no sort in Python needed),
    so `reports --limit N` reads only as far as its N reports: the same rows as the whole listing's
    first N, copies merged alike, on the demo home and on a catalog of edge cases."""
    from archive.catalog import Catalog
    from archive.compare import Selection
    from archive.compare.selection import _order_key, iter_reports
    from archive.status import distinct_reports, distinct_reports_head
    from conftest import catalog_at

    def check(conn) -> None:
        rows = list(iter_reports(conn, Selection()))
        assert [r.id for r in rows] == [r.id for r in sorted(rows, key=_order_key)]
        whole = distinct_reports(conn)
        for n in (1, 2, 3, 5, len(whole), len(whole) + 5):
            head = distinct_reports_head(conn, Selection(), n)
            assert [(r.id, r.merged) for r in head] == [(r.id, r.merged) for r in whole[:n]]

    with Home.open(Path(home), create=False) as h:
        check(h.catalog.conn)
    cat = Catalog(catalog_at(tmp_path))
    for i, (year, region, code, agency) in enumerate([
        (2019, "江苏省南京市", "320100", None), (2019, "江苏省南京市", "320100", ""), (None, "江苏省南京市", "320100", None),
        (2019, "", None, None), (2019, None, "320100", None), (2018, "全国", "100000", "水利部"), (2018, "全国", None, "水利部"),
        (2020, "江苏省南京市", None, "南京市教育局"), (2020, "北京市", "110000", "北京市财政局"), (None, None, None, None),
        (2017, "江苏省南京市", "", None), (2017, "江苏省南京市", "320100", None),
    ]):
        doc, _ = cat.add_document(f"{i:064x}", 1, "text/html")
        rid = cat.save_record(doc.id, {"title": f"报告{i}", "year": year, "region": region, "agency": agency,
                                       "format": "gb2019", "metrics": {}, "parser_version": "1"}, None)
        with cat.write() as c:
            c.execute("UPDATE reports SET region_code = ? WHERE id = ?", (code, rid))
    check(cat.conn)
    cat.close()


def test_a_province_of_a_thousand_places_is_selected_in_sql_as_in_python(tmp_path: Path, monkeypatch):
    """A province of a national archive names over a thousand places: they are bound in one query
    (through the region index) where the catalog allows, not filtered from every report in Python;
    the rows are the same either way, in the same order."""
    from archive.catalog import Catalog
    from archive.compare import Selection
    from archive.compare import selection as selection_module
    from archive.status import distinct_reports_head
    from conftest import catalog_at

    cat = Catalog(catalog_at(tmp_path))
    towns = [(f"浙江省杭州市余杭区第{i}街道", "330110") for i in range(1100)] + [("江苏省南京市", "320100"), ("浙江省", "330000")]
    with cat.write() as c:
        for i, (region, code) in enumerate(towns * 2):
            c.execute("INSERT INTO documents(id, sha256, size, media_type, created_at, status) "
                      "VALUES (?, ?, 1, 'text/html', 'now', 'parsed')", (i + 1, f"{i:064x}"))
            c.execute("INSERT INTO reports(id, document_id, title, year, region, region_code, agency, parser_version, "
                      "parsed_at, record_json) VALUES (?, ?, ?, ?, ?, ?, '', 't', 'now', '{}')",
                      (i + 1, i + 1, f"r{i}", 2020 + i // len(towns), region, code))
    sel = Selection(regions=("浙江",))
    assert selection_module._in_sql_limit(cat.conn) > 1101
    bound = list(selection_module.iter_reports(cat.conn, sel))
    head = distinct_reports_head(cat.conn, sel, 7)
    monkeypatch.setattr(selection_module, "_in_sql_limit", lambda conn: 10)  # every report read, filtered here
    assert list(selection_module.iter_reports(cat.conn, sel)) == bound
    assert distinct_reports_head(cat.conn, sel, 7) == head
    assert len(bound) == 2 * 1101 and all(r.region.startswith("浙江") for r in bound)
    cat.close()


def test_the_pages_kept_are_counted_from_the_bodies_the_log_names_once(home: str, tmp_path: Path):
    """``fetched_blobs`` (migration 12, kept by a trigger on the crawl's log) counts the list pages as a
    DISTINCT over the whole log does, and a body fetched again is kept once."""
    from archive import status

    copy = tmp_path / "h"
    shutil.copytree(home, copy)
    with Home.open(copy, create=False) as h:
        conn = h.catalog.conn
        pages = conn.execute(status._PAGES).fetchone()[0]
        assert pages == conn.execute(status._PAGES_FROM_THE_LOG).fetchone()[0] > 0
        with h.catalog.write() as c:  # a re-crawl logs a list page it fetched before: no new page
            c.execute("INSERT INTO fetches(run_id, site, url, method, kind, status, sha256, not_modified, at) "
                      "SELECT run_id, site, url, method, kind, status, sha256, 1, at FROM fetches "
                      "WHERE sha256 IS NOT NULL AND document_id IS NULL ORDER BY id LIMIT 1")
            c.execute("INSERT INTO fetches(run_id, site, url, method, kind, status, sha256, not_modified, at) "
                      "VALUES (NULL, 's', 'http://x/list_9.html', 'GET', 'list', 200, ?, 0, 'now')", ("f" * 64,))
        assert conn.execute(status._PAGES).fetchone()[0] == conn.execute(status._PAGES_FROM_THE_LOG).fetchone()[0] \
            == pages + 1
        assert status.archive_status(h, orphans=False).pages == pages + 1
