"""`xxgk serve` in a real browser (Playwright for Python driving Debian's chromium) on the demo
home: type a query, click a facet, open a report, click a number and see its cell outlined on the
PDF page image, build a comparison and download the workbook, open the coverage matrix; at a
phone's width too. Each page's screenshot is written to the run's output folder
(``XXGK_SCREENSHOTS``, else a temporary folder) and checked through the DOM, never by pixels."""
from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from web_homes import DEMO_REGION, boxed_pdf_number, home, started_server  # noqa: F401 (home: a fixture)

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str | None:
    for path in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if path and Path(path).exists():
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright): browser tests skipped")
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium (apt-get install chromium): browser tests skipped")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        except Exception as e:  # noqa: BLE001 — a browser that cannot start here is a skip, not a failure
            pytest.skip(f"chromium at {exe} does not start here ({str(e).splitlines()[0]}): browser tests skipped")
        yield b
        b.close()


@pytest.fixture(scope="module")
def boxed(home):
    return boxed_pdf_number(home)  # before the server starts: the box is in the catalog it reads


@pytest.fixture(scope="module")
def server(home, boxed):
    with started_server(home=home) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ["XXGK_SCREENSHOTS"]) if os.environ.get("XXGK_SCREENSHOTS") else \
        tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    p = context.new_page()
    p.set_default_timeout(30_000)
    refused: list[str] = []  # what the pages' Content-Security-Policy stopped: none of our own doing
    p.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield p
    context.close()
    assert refused == []


def _shot(page, shots: Path, name: str) -> None:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000


def _wait_until(page, js: str, timeout: float = 60) -> None:
    """Poll ``js`` through DevTools (``wait_for_function`` evaluates with ``new Function``, which the
    pages' Content-Security-Policy forbids, as it should)."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(js):
        assert time.monotonic() < deadline, f"still false after {timeout:g} s: {js}"
        page.wait_for_timeout(100)


def _count(page) -> int:
    return int(page.inner_text("#count").split(" ", 1)[0])


def test_type_a_query_click_a_facet_open_a_report(page, server, shots):
    page.goto(server)
    page.fill("input[name=q]", "依申请公开")  # no Enter: the results follow the typing
    page.wait_for_selector("#count")
    assert "q=" in page.url and page.url.startswith(server + "search")
    total = _count(page)
    assert total > 10 and page.locator("ol.hits li.hit").count() > 0
    assert page.locator("ol.hits mark").count() > 0  # highlighted snippets
    _shot(page, shots, "1-search")
    facet = page.locator("ul[data-facet=year] a").first
    year = facet.inner_text()
    facet.click()
    page.wait_for_url(f"**year={year}**")
    _wait_until(page, f"document.querySelector('#count') && !document.querySelector('#count').innerText"
                      f".startsWith('{total} ')")
    assert 0 < _count(page) < total
    metas = page.locator("ol.hits .meta").all_inner_texts()
    assert metas and all(year in m for m in metas)
    _shot(page, shots, "2-facet")
    title = page.locator("ol.hits a.title").first
    name = title.inner_text()
    title.click()
    page.wait_for_selector("article.report h1")
    assert name in page.inner_text("article.report h1") and "/reports/" in page.url
    assert page.locator("a.num").count() > 0
    _shot(page, shots, "3-report")


def test_click_a_number_and_see_its_cell_outlined_on_the_pdf_page(page, server, shots, boxed):
    rid, key, box = boxed
    page.goto(f"{server}reports/{rid}")
    page.click(f"a.num[data-key='{key}']")
    page.wait_for_selector("#evidence .pdfpage rect.box")
    img = page.locator("#evidence .pdfpage img")
    _wait_until(page, "document.querySelector('#evidence .pdfpage img').complete && "
                      "document.querySelector('#evidence .pdfpage img').naturalWidth > 0")
    assert page.url.endswith(f"/reports/{rid}")  # beside the tables, no navigation
    vb = page.get_attribute("#evidence .pdfpage svg", "viewBox").split()
    width_pt, height_pt = float(vb[2]), float(vb[3])
    ib, rb = img.bounding_box(), page.locator("#evidence rect.box").bounding_box()
    # the outline sits where the box is on the page, scaled from points to the image on screen
    sx, sy = ib["width"] / width_pt, ib["height"] / height_pt
    assert rb["x"] - ib["x"] == pytest.approx(box[0] * sx, abs=2)
    assert rb["y"] - ib["y"] == pytest.approx(box[1] * sy, abs=2)
    assert rb["width"] == pytest.approx((box[2] - box[0]) * sx, abs=2)
    assert rb["height"] == pytest.approx((box[3] - box[1]) * sy, abs=2)
    page.locator("#evidence").scroll_into_view_if_needed()
    _shot(page, shots, "4-evidence")


def test_build_a_comparison_and_download_the_workbook(page, server, shots):
    page.goto(f"{server}compare")
    page.fill("form.compare input[name=region]", DEMO_REGION)
    page.fill("form.compare input[name=metrics]", "headline")
    page.select_option("form.compare select[name=shape]", "by-year")
    page.click("form.compare button[type=submit]")
    page.wait_for_selector("table.compare-table tbody tr")
    assert f"region={DEMO_REGION}" in page.url or "region=%E6" in page.url
    _wait_until(page, "document.querySelector('figure.chart img').complete && "
                      "document.querySelector('figure.chart img').naturalWidth > 0", timeout=120)
    assert "新收申请" in page.inner_text("table.compare-table")
    _shot(page, shots, "5-compare")
    with page.expect_download() as info:
        page.click("#download-xlsx")
    data = Path(info.value.path()).read_bytes()
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    assert wb.sheetnames[0] == "by-year" and "notes" in wb.sheetnames
    rows = list(wb["by-year"].iter_rows(values_only=True))
    assert len(rows) > 5 and any(DEMO_REGION in str(c) for r in rows for c in r if c)


def test_open_the_coverage_matrix(page, server, shots):
    page.goto(server)
    page.click("nav >> text=覆盖")
    page.wait_for_selector("table.coverage")
    assert page.url.endswith("/coverage")
    assert page.locator("table.coverage tbody tr").count() > 5
    assert page.locator("td.st.parsed a").count() > 50 and page.locator("td.st.missing").count() > 0
    _shot(page, shots, "6-coverage")


def test_usable_at_a_phone_width(browser, server, shots, boxed):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    try:
        for name, url in (("7-phone-search", f"{server}search?q=依申请公开"), ("8-phone-report", f"{server}reports/{boxed[0]}")):
            page.goto(url)
            # nothing wider than the screen but the tables, which scroll inside their own box
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (url, overflow)
            _shot(page, shots, name)
    finally:
        context.close()
