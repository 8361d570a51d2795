"""The coverage matrix, a page of rows at a time (issue 18): the rows are built as the distinct
reports stream and only the asked page is kept; the counts stay those of every row. Checked
against an oracle written apart from ``archive.coverage`` (the distinct reports held whole, the
numbers read per report), and through the web page and the API on the demo home."""
from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from archive.compare import Selection
from archive.coverage import STATES, coverage_matrix
from archive.status import distinct_reports
from web_homes import app_client, home  # noqa: F401 (home: a fixture)


@pytest.fixture(scope="module")
def client(home):
    with app_client(home) as c:
        yield c


@pytest.fixture(scope="module")
def conn(home):
    c = sqlite3.connect(Path(home) / "catalog.sqlite")
    yield c
    c.close()


def _oracle(conn, selection: Selection) -> dict[tuple[str, str], dict[int, str]]:
    """publisher -> {year: parsed|archived} from every distinct report at once."""
    numbered = {rid for (rid,) in conn.execute("SELECT DISTINCT report_id FROM metric_values")}
    out: dict[tuple[str, str], dict[int, str]] = {}
    for r in distinct_reports(conn, selection):
        if r.year is None:
            continue
        cells = out.setdefault(r.publisher, {})
        parsed = any(i in numbered for i in (r.id, *r.merged))
        if cells.get(r.year) != "parsed":
            cells[r.year] = "parsed" if parsed else "archived"
    return out


@pytest.mark.parametrize("regions", [(), ("江宁",), ("浙江",)])
def test_the_publisher_rows_are_the_oracles_and_pages_cut_them_without_changing_the_counts(conn, regions):
    sel = Selection(regions=regions)
    whole = coverage_matrix(conn, sel)
    want = _oracle(conn, sel)
    publishers = [r for r in whole.rows if r.region]
    assert publishers and {(r.region, r.agency) for r in publishers} == set(want)
    for row in publishers:
        got = {y: s for y, s in row.cells.items() if s in ("parsed", "archived")}
        assert got == {y: s for y, s in want[(row.region, row.agency)].items() if y in whole.years}, row.label
    assert whole.total_rows == len(whole.rows)
    cells = Counter(c for r in whole.rows for c in r.cells.values())
    assert whole.counts() == {s: cells[s] for s in STATES} and whole.counts()["parsed"] > 0
    if regions:  # a narrowed matrix has no site-only rows: such a site has no place
        assert all(r.region for r in whole.rows) and all(regions[0][:2] in r.region for r in whole.rows)
    paged = []
    for offset in range(0, whole.total_rows, 3):
        part = coverage_matrix(conn, sel, offset=offset, limit=3)
        assert part.counts() == whole.counts() and part.total_rows == whole.total_rows and part.years == whole.years
        assert len(part.rows) == min(3, whole.total_rows - offset)
        paged += part.rows
    assert [r.to_dict() for r in paged] == [r.to_dict() for r in whole.rows]
    assert coverage_matrix(conn, sel, offset=whole.total_rows + 5, limit=3).rows == []


def test_the_page_filters_by_region_and_pages_through_the_rows(client):
    everything = client.get("/api/coverage").json()
    assert everything["page"] == 1 and everything["pages"] == 1 and everything["total_rows"] == len(everything["rows"])
    jiangning = client.get("/api/coverage", params={"region": "江宁"}).json()
    assert 0 < jiangning["total_rows"] < everything["total_rows"]
    assert all("江宁" in r["region"] for r in jiangning["rows"])
    first = client.get("/api/coverage", params={"limit": 4}).json()
    second = client.get("/api/coverage", params={"limit": 4, "page": 2}).json()
    assert first["counts"] == second["counts"] == everything["counts"]
    assert first["rows"] + second["rows"] == everything["rows"][:8] and first["pages"] == -(-everything["total_rows"] // 4)
    html = client.get("/coverage", params={"limit": 4, "page": 2}).text
    assert html.count('<th scope="row">') == 4 and "2 / " in html
    assert re.search(r'<a rel="prev" href="/coverage\?limit=4&amp;page=1">', html)
    assert re.search(r'<a rel="next" href="/coverage\?limit=4&amp;page=3">', html)
    none = client.get("/coverage", params={"region": "江宁", "agency": "教育局"}).text  # 南京市教育局: not 江宁's
    assert "没有符合条件的发布机关" in none and "0 行 rows" in none
    for bad in ({"page": "0"}, {"limit": "x"}, {"limit": "99999"}, {"region": "不存在的地方"}, {"agency": "没有这个机关"}):
        r = client.get("/api/coverage", params=bad)
        assert r.status_code == 400 and r.json()["error"], bad
