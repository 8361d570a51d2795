"""`xxgk serve` at the HTTP level (Starlette's TestClient over the real app) on the demo home:
every page and API route, facets that filter, paging, htmx fragments, a report's numbers linked to
their evidence (a PDF page with the cell's box), compare with downloads identical to the CLI's,
coverage, OpenAPI, and the errors' one shape."""
from __future__ import annotations

import csv as csv_module
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run_cli
from web_homes import DEMO_REGION, app_client, boxed_pdf_number, celled_html_number, home  # noqa: F401 (home: a fixture)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(home):
    with app_client(home) as c:
        yield c


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[dict, str]] = []
        self._open: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append((self._open, "".join(self._text).strip()))
            self._open = None


def links(html: str) -> list[tuple[dict, str]]:
    p = _Links()
    p.feed(html)
    return p.links


def test_home_page_has_the_search_box_and_works_without_javascript(client):
    r = client.get("/")
    assert r.status_code == 200
    assert '<form class="search" action="/search" method="get"' in r.text
    assert 'name="viewport"' in r.text and '/static/htmx.min.js' in r.text
    js = client.get("/static/htmx.min.js")
    assert js.status_code == 200 and js.text.startswith("/*! htmx.org 2.") and "Zero-Clause BSD" in js.text


def test_search_facets_filter_when_followed_and_the_url_holds_the_state(client):
    r = client.get("/search", params={"q": "依申请公开"})
    assert r.status_code == 200
    total = int(re.search(r"(\d+) 份报告符合", r.text).group(1))
    assert total > 10
    year_links = [(a, t) for a, t in links(r.text) if re.search(r"[?&]year=\d{4}", a.get("href", ""))]
    assert year_links, "no year facet"
    href, year = year_links[0][0]["href"], year_links[0][1]
    page = client.get(href)
    shown = int(re.search(r"(\d+) 份报告符合", page.text).group(1))
    assert 0 < shown < total
    api = client.get("/api/search", params={"q": "依申请公开", "year": year}).json()
    assert api["total"] == shown and all(h["year"] == int(year) for h in api["hits"])
    province = [a["href"] for a, _ in links(r.text) if "region=" in a.get("href", "")][0]
    narrowed = client.get(province)
    assert int(re.search(r"(\d+) 份报告符合", narrowed.text).group(1)) < total
    era = [a["href"] for a, _ in links(r.text) if "era=" in a.get("href", "")]
    assert era and client.get(era[0]).status_code == 200


def test_search_pages_and_htmx_fragment(client):
    r = client.get("/search", params={"q": "依申请公开", "limit": "5"})
    nxt = [a["href"] for a, _ in links(r.text) if a.get("rel") == "next"]
    assert nxt and "page=2" in nxt[0]
    second = client.get(nxt[0])
    first_ids = re.findall(r'href="/reports/(\d+)" *>', r.text) or re.findall(r'class="title" href="/reports/(\d+)"',
                                                                               r.text)
    second_ids = re.findall(r'class="title" href="/reports/(\d+)"', second.text)
    assert second_ids and not set(second_ids) & set(re.findall(r'class="title" href="/reports/(\d+)"', r.text))
    assert first_ids
    frag = client.get("/search", params={"q": "依申请公开"}, headers={"HX-Request": "true"})
    assert frag.status_code == 200 and "<html" not in frag.text and "份报告符合" in frag.text


def test_search_api_is_the_cli_search(client, home):
    api = client.get("/api/search", params={"q": "申请", "region": DEMO_REGION, "limit": "50", "era_counts": "1"}).json()
    r = run_cli("search", "申请", "--region", DEMO_REGION, "--limit", "50", "--json", "--home", str(home))
    cli = __import__("json").loads(r.stdout)
    assert api["total"] == cli["total"] > 0
    assert [h["report_id"] for h in api["hits"]] == [h["report_id"] for h in cli["hits"]]
    assert set(api["facets"]) == {"year", "province", "era"} and sum(api["facets"]["era"].values()) == api["total"]


def test_report_page_links_every_number_to_its_evidence(client, home):
    rid, key, box = boxed_pdf_number(home)
    r = client.get(f"/reports/{rid}")
    assert r.status_code == 200
    nums = [a for a, _ in links(r.text) if "num" in a.get("class", "")]
    assert nums and all(a["href"].startswith(f"/reports/{rid}/evidence/") for a in nums)
    assert f'/reports/{rid}/evidence/{key}' in r.text
    assert "三、收到和处理政府信息公开申请情况" in r.text or "正文" in r.text
    assert f'/reports/{rid}/original' in r.text
    ev = client.get(f"/reports/{rid}/evidence/{key}")
    assert ev.status_code == 200
    m = re.search(r'<svg viewBox="0 0 ([\d.]+) ([\d.]+)".*?<rect class="box" x="([\d.]+)" y="([\d.]+)" '
                  r'width="([\d.]+)" height="([\d.]+)"', ev.text, re.S)
    assert m, ev.text
    w, h, x, y, bw, bh = map(float, m.groups())
    assert (x, y) == (pytest.approx(box[0]), pytest.approx(box[1]))
    assert (x + bw, y + bh) == (pytest.approx(box[2]), pytest.approx(box[3]))
    assert 0 <= x < x + bw <= w and 0 <= y < y + bh <= h
    page = re.search(r'<img src="(/reports/\d+/pages/\d+\.png)"', ev.text).group(1)
    png = client.get(page)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
    api = client.get(f"/api/reports/{rid}/evidence/{key}").json()
    assert api["kind"] == "page" and api["box"] == pytest.approx(box)
    frag = client.get(f"/reports/{rid}/evidence/{key}", headers={"HX-Request": "true"})
    assert "<html" not in frag.text and 'class="box"' in frag.text


def test_an_html_number_is_marked_in_its_table(client, home):
    rid, key, (row, col) = celled_html_number(home)
    value = client.get(f"/api/reports/{rid}").json()["record"]["metrics"][key]
    ev = client.get(f"/reports/{rid}/evidence/{key}", headers={"HX-Request": "true"})
    assert ev.status_code == 200 and 'data-kind="table"' in ev.text
    rows = re.findall(r"<tr>(.*?)</tr>", ev.text, re.S)
    cells = re.findall(r"<td( class=\"hit\" id=\"hit\")?>(.*?)</td>", rows[row], re.S)
    assert cells[col] == (' class="hit" id="hit"', str(value))
    assert ev.text.count('class="hit"') == 1


def test_report_text_evidence_highlights_the_sentence(client):
    legacy = client.get("/api/search", params={"q": "依申请公开", "era": "legacy", "limit": "50"}).json()["hits"]
    for hit in legacy:
        rep = client.get(f"/api/reports/{hit['report_id']}").json()
        text_keys = [k for k, ev in (rep["record"].get("evidence") or {}).items() if ev and ev.get("where") == "text"]
        if text_keys:
            ev = client.get(f"/reports/{hit['report_id']}/evidence/{text_keys[0]}")
            assert ev.status_code == 200 and 'data-kind="text"' in ev.text and "<mark>" in ev.text
            return
    pytest.fail("no legacy report with a number read from its prose")


def test_report_api_original_and_other_years(client, home):
    rid, _, _ = boxed_pdf_number(home)
    api = client.get(f"/api/reports/{rid}").json()
    assert api["id"] == rid and api["record"]["metrics"] and api["sources"]
    orig = client.get(f"/reports/{rid}/original")
    assert orig.status_code == 200 and orig.headers["content-type"] == "application/pdf"
    assert orig.content.startswith(b"%PDF") and "attachment" in orig.headers["content-disposition"]
    assert "filename*=UTF-8''" in orig.headers["content-disposition"]
    page = client.get(f"/reports/{rid}").text
    others = re.search(r'<nav class="others">(.*?)</nav>', page, re.S)
    assert others and re.search(r'href="/reports/\d+"', others.group(1))


def _cli_file(home: Path, tmp: Path, name: str, *args: str) -> bytes:
    out = tmp / name
    r = run_cli("compare", "--home", str(home), *args, "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out.read_bytes()


def _xlsx_parts(data: bytes) -> dict[str, bytes]:
    """The workbook's parts; docProps/core.xml without its created/modified times (the one thing
    two saves of the same workbook differ in)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"",
                                        parts["docProps/core.xml"])
    return parts


def test_compare_page_chart_and_downloads_identical_to_the_cli(client, home, tmp_path):
    params = {"region": DEMO_REGION, "metrics": "headline,derived", "shape": "by-year", "change": "1"}
    page = client.get("/compare", params=params)
    assert page.status_code == 200
    svg_url = re.search(r'<img src="(/compare\.svg\?[^"]+)"', page.text).group(1)
    svg = client.get(svg_url.replace("&amp;", "&"))
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml") and b"<svg" in svg.content and "sandbox" in \
        svg.headers["content-security-policy"]
    assert 'data-shape="by-year"' in page.text and "新收申请" in page.text
    csv = client.get("/compare.csv", params=params)
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    cli_csv = _cli_file(home, tmp_path, "c.csv", "--region", DEMO_REGION, "--metrics", "headline,derived",
                        "--shape", "by-year", "--change")
    assert csv.content == cli_csv and csv.content.startswith("\ufeff".encode())
    xlsx = client.get("/compare.xlsx", params={**params, "shape": ["by-year", "wide"]})
    assert xlsx.status_code == 200
    cli_xlsx = _cli_file(home, tmp_path, "c.xlsx", "--region", DEMO_REGION, "--metrics", "headline,derived",
                         "--shape", "by-year", "--shape", "wide", "--change")
    assert _xlsx_parts(xlsx.content) == _xlsx_parts(cli_xlsx)
    api = client.get("/api/compare", params=params).json()
    assert api["shape"] == "by-year" and api["rows"] and api["reports"] >= 5


@pytest.mark.parametrize("shape", ["wide", "by-year", "long"])
def test_a_compare_page_streams_its_reports_shows_its_first_rows_and_tells_why_no_chart(home, monkeypatch, shape):
    """The page reads the reports as its rows are made (a province's comparison is not held): it
    shows the first ``MAX_TABLE_ROWS`` (2 here) and counts the rest, and refuses the chart when
    the rows name more publishers than a chart draws lines, counted from the rows themselves."""
    from archive.web import views

    monkeypatch.setattr(views, "MAX_TABLE_ROWS", 2)
    params = {"region": "南京", "metrics": "headline", "shape": shape}
    with app_client(home, chart_max_publishers=2) as few, app_client(home) as many:
        refused, drawn = few.get("/compare", params=params).text, many.get("/compare", params=params).text
        svg_refused, svg = few.get("/compare.svg", params=params), many.get("/compare.svg", params=params)
        rows = list(csv_module.DictReader(io.StringIO(
            many.get("/compare.csv", params={**params, "headers": "keys"}).content.decode("utf-8-sig"))))
    publishers = {(r["region"], r["agency"]) for r in rows}
    assert len(publishers) > 2 and len(rows) > 2
    assert f"还有 {len(rows) - 2} 行未显示" in refused and f"还有 {len(rows) - 2} 行未显示" in drawn
    assert "发布机关太多（至多 2 个）" in refused and '<img src="/compare.svg' not in refused
    assert "没有图表" not in drawn and '<img src="/compare.svg' in drawn
    # the chart itself: refused before its comparison is built, from the first reports
    assert svg_refused.status_code == 400 and "发布机关太多（至多 2 个）" in svg_refused.text
    assert svg.status_code == 200 and b"<svg" in svg.content


@pytest.mark.parametrize("shape", ["wide", "long"])
def test_the_compare_api_is_written_as_its_rows_are_made_and_spells_what_a_whole_comparison_gives(client, home, shape):
    """/api/compare is written to a file as the reports are read, then sent: its bytes are
    ``json.dumps`` of the object a whole comparison gives (rows, reports, metrics, merges)."""
    import json

    from archive.compare import Selection, build_comparison, make_table
    from archive.home import Home

    r = client.get("/api/compare", params={"region": "南京", "metrics": "headline", "shape": shape})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    with Home.open(Path(home), create=False) as h:
        cmp = build_comparison(h.catalog.conn, Selection(regions=("南京",)), ["headline"])
        table = make_table(cmp, shape)
        want = {"shape": table.name, "header": table.header, "rows": [dict(zip(table.header, row)) for row in table.rows],
                "reports": len(cmp.reports), "metrics": cmp.metrics, "merged": [m.as_row() for m in cmp.merges]}
    assert want["rows"] and r.text == json.dumps(want, ensure_ascii=False, default=str)
    assert int(r.headers["content-length"]) == len(r.content)


def test_coverage_matrix_page_and_api(client):
    api = client.get("/api/coverage").json()
    assert api["years"] and api["rows"] and set(api["counts"]) == {"parsed", "archived", "failed", "missing"}
    assert api["counts"]["parsed"] > 50
    # the crawl log's failures: a site whose list page the replica blocks has a row of its own
    assert any(r["failures"] for r in api["rows"])
    page = client.get("/coverage").text
    assert page.count('class="st parsed"') >= api["counts"]["parsed"]
    parsed_link = re.search(r'<td class="st parsed"[^>]*><a href="/reports/(\d+)">', page)
    assert parsed_link and client.get(f"/reports/{parsed_link.group(1)}").status_code == 200


def test_openapi_describes_every_api_route_and_each_answers(client, home):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    api_routes = {r.path for r in client.app.routes if getattr(r, "path", "").startswith("/api/")}
    described = {p.replace("{report_id}", "{report_id:int}").replace("{key}", "{key:str}") for p in doc["paths"]}
    assert api_routes <= described
    rid, key, _ = boxed_pdf_number(home)
    samples = {"/api/search": "/api/search?q=依申请公开", "/api/compare": f"/api/compare?region={DEMO_REGION}",
               "/api/coverage": "/api/coverage", "/api/reports/{report_id}": f"/api/reports/{rid}",
               "/api/reports/{report_id}/evidence/{key}": f"/api/reports/{rid}/evidence/{key}"}
    for path, op in doc["paths"].items():
        assert op["get"]["responses"]["200"] and op["get"]["summary"]
        if path in samples:
            assert client.get(samples[path]).status_code == 200, path


@pytest.mark.parametrize("url,status", [
    ("/reports/1", 404), ("/api/reports/1", 404), ("/search?q=x&year=abc", 400), ("/api/search?q=x&year=1800", 400),
    ("/api/search?q=x&region=不存在的地方", 400), ("/api/search", 400), ("/api/compare", 400),
    ("/api/search?q=x&limit=5000", 400), ("/compare.csv?region=江宁区&shape=wide&shape=long", 400),
    ("/compare.pdf?region=x", 404), ("/no/such/page", 404), ("/api/no/such", 404),
])
def test_errors_are_one_line_with_their_status(client, url, status):
    r = client.get(url)
    assert r.status_code == status
    if url.startswith("/api/"):
        body = r.json()
        assert body["status"] == status and "\n" not in body["error"] and body["error"]
    else:
        assert re.search(rf'<div class="error" role="alert"><strong>{status}</strong> [^<\n]+</div>', r.text)


def test_page_images_are_bounded_in_pixels_and_in_memory(home):
    import sqlite3

    from PIL import Image

    from archive.blobs import BlobStore
    from archive.web.pdf_pages import PageNotFound, PageRenderer

    rid, _, _ = boxed_pdf_number(home)
    with sqlite3.connect(home / "catalog.sqlite") as conn:
        sha = conn.execute("SELECT d.sha256 FROM reports r JOIN documents d ON d.id = r.document_id WHERE r.id = ?",
                           (rid,)).fetchone()[0]
    path = BlobStore(home / "blobs").path_for(sha)
    first = PageRenderer(max_pixels=400).render(path, sha, 1)
    assert max(Image.open(io.BytesIO(first.png)).size) == 400 and first.width_pt > 100 and first.pages >= 1
    bound = int(len(first.png) * 2.5)  # room for two images, not three
    renderer = PageRenderer(max_pixels=400, cache_bytes=bound)
    for key in ("a", "b", "c", "a"):  # one page under three names: three cache entries
        renderer.render(path, key * 64, 1)
    assert len(renderer._cache) == 2 and renderer._size <= bound
    assert [k for k, _ in renderer._cache] == ["c" * 64, "a" * 64]  # the least recently used went
    with pytest.raises(PageNotFound):
        renderer.render(path, sha, first.pages + 1)
