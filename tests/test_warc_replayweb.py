"""The WACZ export opened by ReplayWeb.page (Webrecorder's in-browser replay, from npm) in a real
browser (Playwright for Python driving Debian's chromium): an HTML report page of pages.jsonl is
shown, and every archived URL fetched through ReplayWeb.page's service worker gives the same bytes.

ReplayWeb.page is ``npm pack``ed once into pytest's cache folder; the page, its service worker and
the package are served from a loopback HTTP server. Without npm, the registry, playwright or
chromium, the test skips, saying which.
"""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import sqlite3
import subprocess
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import pytest

from cli_homes import demo_home
from conftest import run_cli
from test_web_browser import browser  # noqa: F401 (a fixture: Debian's chromium driven by Playwright)

pytestmark = pytest.mark.slow

REPLAYWEBPAGE = "replaywebpage@2.5.3"
REPLAY_TIMEOUT = 60
INDEX = """<!doctype html><html><head><meta charset="utf-8"><script src="./ui.js"></script></head>
<body><replay-web-page style="display:block;height:600px" source="demo.wacz" url="{url}" embed="replayonly">
</replay-web-page></body></html>"""
# inside the replay frame (its service worker serves the archive): status and sha256 of each URL, as archived
FETCH_ALL = """async ([base, captures]) => {
  const out = [];
  for (const [ts, url] of captures) {
    const r = await fetch(base + ts + 'id_/' + url);
    const digest = await crypto.subtle.digest('SHA-256', await r.arrayBuffer());
    out.push([url, r.status, Array.from(new Uint8Array(digest)).map(b => b.toString(16).padStart(2, '0')).join('')]);
  }
  return out;
}"""


def _replaywebpage(cache: Path) -> Path:
    """The unpacked npm package (ui.js, sw.js), fetched once."""
    folder = cache / REPLAYWEBPAGE.replace("@", "-")
    if (folder / "package" / "sw.js").exists():
        return folder / "package"
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed (apt-get install npm): ReplayWeb.page cannot be fetched")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["npm", "pack", REPLAYWEBPAGE, "--pack-destination", str(folder)], capture_output=True,
                          text=True, timeout=300)
    packs = list(folder.glob("replaywebpage-*.tgz"))
    if done.returncode != 0 or not packs:
        pytest.skip(f"npm pack {REPLAYWEBPAGE} failed (no npm registry?): {done.stderr.strip()[-200:]}")
    with tarfile.open(packs[0]) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


@pytest.fixture(scope="module")
def site(tmp_path_factory, request):
    package = _replaywebpage(Path(request.config.cache.mkdir("xxgk-replaywebpage")))
    home = demo_home(tmp_path_factory)
    root = tmp_path_factory.mktemp("replayweb")
    r = run_cli("export", "--wacz", str(root / "demo.wacz"), "--home", str(home))
    assert r.returncode == 0, r.stderr
    (root / "replay").mkdir()
    for target in (root / "ui.js", root / "replay" / "ui.js"):
        shutil.copy(package / "ui.js", target)
    shutil.copy(package / "sw.js", root / "replay" / "sw.js")
    with zipfile.ZipFile(root / "demo.wacz") as z:
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").decode("utf-8").splitlines()[1:]]
    # an HTML report page (its title is the report's; a PDF's viewer has none), the same whatever the crawl's order
    first = min((p for p in pages if not p["url"].lower().endswith((".pdf", ".doc", ".docx"))), key=lambda p: p["url"])
    (root / "index.html").write_text(INDEX.format(url=first["url"]), encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield home, f"http://127.0.0.1:{srv.server_address[1]}/index.html", first
    finally:
        srv.shutdown()
        srv.server_close()


def _captures(home: Path) -> dict[tuple[str, str], str]:
    """(14-digit time, URL) -> sha256 of every crawled page and file and every list page."""
    with sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT s.fetched_at, COALESCE(s.final_url, s.url), d.sha256 FROM sources s "
            "JOIN documents d ON d.id = s.document_id WHERE s.kind = 'crawl' UNION ALL "
            "SELECT at, url, sha256 FROM fetches WHERE document_id IS NULL AND sha256 IS NOT NULL AND error IS NULL "
            "AND not_modified = 0 AND url NOT IN (SELECT url FROM sources) GROUP BY url HAVING id = MAX(id)").fetchall()
    return {("".join(c for c in at if c.isdigit())[:14], url): sha for at, url, sha in rows}


def test_replaywebpage_opens_the_wacz_and_serves_the_same_bytes(browser, site):
    home, url, first = site
    page = browser.new_page()
    frames: dict[str, object] = {}
    page.on("framenavigated", lambda f: frames.setdefault(f.url, f))
    shown = None
    # the page can stall on its first load (about one run in eight here, however idle the machine): a
    # reader reloads it, and so does the test, once
    for attempt, wait in enumerate((REPLAY_TIMEOUT / 3, REPLAY_TIMEOUT * 2 / 3)):
        page.goto(url) if attempt == 0 else page.reload()
        deadline = time.monotonic() + wait
        while shown is None and time.monotonic() < deadline:
            page.wait_for_timeout(300)  # lets Playwright deliver the frame events
            live = [f for f in page.frames if not f.is_detached()]  # a frame seen once may be gone since
            shown = next((f for f in [*live, *frames.values()] if f"mp_/{first['url']}" in f.url and not f.is_detached()),
                         None)
        if shown is not None:
            break
    assert shown is not None, f"ReplayWeb.page did not show {first['url']} within {REPLAY_TIMEOUT} s (a reload included)"
    shown.wait_for_load_state("domcontentloaded")  # the frame is named at its navigation, its title comes after
    assert shown.evaluate("() => document.title").startswith(first["title"][:10])
    base = shown.url.split("mp_/")[0].rstrip("0123456789")  # …/replay/w/<collection>/<id>/
    captures = _captures(home)
    assert len(captures) > 100
    answers = shown.evaluate(FETCH_ALL, [base, [list(k) for k in captures]])
    assert len(answers) == len(captures)
    wrong = [(u, status) for (ts, u), (_, status, sha) in zip(captures, answers)
             if status != 200 or sha != captures[(ts, u)]]
    assert not wrong
    page.close()
