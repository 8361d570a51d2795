"""Archive homes and a real server for the tests of `xxgk serve` (tests/test_web_*.py).

``web_home`` copies the session's demo home (``cli_homes.demo_home``: the replica crawled, the
examples imported, the index built) so a test may add to it. ``boxed_pdf_number`` finds a number of
a PDF report whose evidence has the cell's box (the parser records it); when the parser of this
checkout records none, it reads the number's box off the real page with pdfium (what the parser
records) and stores it in that copy's evidence. ``hostile_home`` imports the bundled examples and
gives one report a title, agency, text and source URLs written to attack a web page.
``started_server`` runs `xxgk serve` as a process on a free loopback port.
"""
from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from archive.blobs import BlobStore
from archive.catalog import Catalog
from cli_homes import demo_home, examples_home
from conftest import XXGK, run_cli

__all__ = ["web_home", "boxed_pdf_number", "celled_html_number", "hostile_home", "started_server", "app_client", "home", "HOSTILE",
           "DEMO_REGION"]

DEMO_REGION = "江宁区"
HOSTILE = {
    "title": '<script>alert("title")</script>"><img src=x onerror=alert(1)>报告',
    "agency": '<b onmouseover="alert(2)">教育局</b>',
    "url": "javascript:alert(document.cookie)",
    "snippet": "<script>alert('snippet')</script>",
}


def web_home(tmp_path_factory) -> Path:
    src = demo_home(tmp_path_factory)
    dst = tmp_path_factory.mktemp("web") / "home"
    shutil.copytree(src, dst)
    return dst


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A test module's own copy of the demo home (import this fixture into the module)."""
    return web_home(tmp_path_factory)


@contextmanager
def app_client(home_path: Path, **settings):
    """Starlette's TestClient over the real app on ``home_path``."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from starlette.testclient import TestClient

    from archive.web import WebSettings, create_app

    with TestClient(create_app(home_path, WebSettings(**settings))) as c:
        yield c


def _value_box(pdf_path: Path, page: int, text: str) -> list[float] | None:
    """The box [x0, top, x1, bottom] (points from the page's top-left) of ``text`` on the page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        p = pdf[page - 1]
        height = p.get_size()[1]
        tp = p.get_textpage()
        full = tp.get_text_range()
        for m in re.finditer(rf"(?<![\d,.]){re.escape(text)}(?![\d,.])", full):
            boxes = [tp.get_charbox(i) for i in range(m.start(), m.end())]
            x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
            bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
            return [round(x0, 2), round(height - top, 2), round(x1, 2), round(height - bottom, 2)]
        return None
    finally:
        pdf.close()


def _full_record(home: Path, rid: int) -> dict:
    """A report's whole record (the catalog keeps its metrics and evidence in their own tables)."""
    with Catalog(home / "catalog.sqlite", readonly=True) as cat:
        record = cat.get_report(rid)["record"]
    record.pop("text", None)
    return record


def boxed_pdf_number(home: Path) -> tuple[int, str, list[float]]:
    """(report id, metric key, box) of a number of a PDF report with its cell's box in the evidence."""
    conn = sqlite3.connect(home / "catalog.sqlite")
    try:
        rows = conn.execute("SELECT r.id, d.sha256, r.record_json FROM reports r JOIN documents d ON d.id = "
                            "r.document_id WHERE d.media_type = 'application/pdf' ORDER BY r.id").fetchall()
        for rid, _sha, raw in rows:
            for key, ev in (_full_record(home, rid).get("evidence") or {}).items():
                if ev and ev.get("bbox") and ev.get("page"):
                    return rid, key, ev["bbox"]
        for rid, sha, raw in rows:  # no box recorded yet: read one number's box off its page
            record = _full_record(home, rid)
            for key, ev in (record.get("evidence") or {}).items():
                value = (record.get("metrics") or {}).get(key)
                if not ev or ev.get("where") != "table" or not ev.get("page") or not isinstance(value, int) \
                        or value < 10:
                    continue
                box = _value_box(BlobStore(home / "blobs").path_for(sha), ev["page"], str(value))
                if box is None:
                    continue
                ev["bbox"] = box
                conn.execute("UPDATE reports SET record_json = ? WHERE id = ?", (json.dumps(record, ensure_ascii=False),
                                                                                  rid))
                conn.commit()
                return rid, key, box
    finally:
        conn.close()
    raise AssertionError("the demo home has no PDF report with a number on a page")


def _find_cell(grid: list[list[str]], row: str, column: str, value: int) -> list[int] | None:
    """The (row, column) of ``value`` in the grid row labelled ``row``, under a header naming ``column``."""
    for r, cells in enumerate(grid):
        if not any(row == c.strip() for c in cells[:2]):
            continue
        for c, text in enumerate(cells):
            header = " ".join(grid[h][c] for h in range(r))
            if text.strip() == str(value) and column.split(" / ")[-1] in header:
                return [r, c]
    return None


def celled_html_number(home: Path) -> tuple[int, str, list[int]]:
    """(report id, metric key, cell) of a number of an HTML report whose evidence names its cell in
    the table's grid; read off the parser's grid of the page (what the parser records) when the
    parser of this checkout records none, and stored in that copy's evidence."""
    from archive.report_tables import document_tables

    conn = sqlite3.connect(home / "catalog.sqlite")
    try:
        rows = conn.execute("SELECT r.id, d.sha256, r.record_json FROM reports r JOIN documents d ON d.id = "
                            "r.document_id WHERE d.media_type = 'text/html' ORDER BY r.id").fetchall()
        for rid, _sha, raw in rows:
            for key, ev in (_full_record(home, rid).get("evidence") or {}).items():
                if ev and ev.get("cell") is not None and ev.get("table") is not None:
                    return rid, key, list(ev["cell"])
        for rid, sha, raw in rows:
            record = _full_record(home, rid)
            grids = None
            for key, ev in (record.get("evidence") or {}).items():
                value = (record.get("metrics") or {}).get(key)
                if not ev or ev.get("where") != "table" or ev.get("table") is None or not isinstance(value, int) \
                        or value < 10:
                    continue
                grids = grids or document_tables(BlobStore(home / "blobs").path_for(sha).read_bytes(), "text/html")
                cell = _find_cell(grids.get(ev["table"], []), ev.get("row") or "", ev.get("column") or "", value)
                if cell is None:
                    continue
                ev["cell"] = cell
                conn.execute("UPDATE reports SET record_json = ? WHERE id = ?", (json.dumps(record, ensure_ascii=False),
                                                                                  rid))
                conn.commit()
                return rid, key, cell
    finally:
        conn.close()
    raise AssertionError("the demo home has no HTML report with a number in a table")


def hostile_home(path: Path) -> tuple[Path, int]:
    """The bundled examples, one report rewritten by an attacker; (home, that report's id)."""
    examples_home(path)
    conn = sqlite3.connect(path / "catalog.sqlite")
    try:
        rid, doc, raw = conn.execute("SELECT id, document_id, record_json FROM reports ORDER BY id LIMIT 1").fetchone()
        record = _full_record(path, rid)
        record.update(title=HOSTILE["title"], agency=HOSTILE["agency"])
        record.setdefault("source", {})["url"] = HOSTILE["url"]
        record.setdefault("findings", []).append({"rule": "<script>rule</script>", "severity": "warning",
                                                  "message": HOSTILE["snippet"]})
        conn.execute("UPDATE reports SET title = ?, agency = ?, url = ?, record_json = ? WHERE id = ?",
                     (HOSTILE["title"], HOSTILE["agency"], HOSTILE["url"], json.dumps(record, ensure_ascii=False), rid))
        conn.execute("UPDATE sources SET url = ?, final_url = ?, referrer = ? WHERE document_id = ?",
                     (HOSTILE["url"], "data:text/html,<script>alert(3)</script>", "vbscript:msgbox(1)", doc))
        conn.execute("UPDATE report_texts SET text = ? || ' 依申请公开 ' || text WHERE report_id = ?",
                     (HOSTILE["snippet"], rid))
        conn.commit()
    finally:
        conn.close()
    r = run_cli("index", "--rebuild", "--home", str(path))
    assert r.returncode == 0, r.stderr
    return path, rid


@contextmanager
def started_server(argv: list[str] | None = None, *, home: Path | None = None, timeout: float = 60) -> Iterator[str]:
    """Run `xxgk serve` (``argv``, or on ``home`` at a free port) until the block ends; yield its URL."""
    if argv is None:
        argv = [str(XXGK), "serve", "--home", str(home), "--port", "0"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        url = None
        while time.monotonic() < deadline and proc.poll() is None:
            line = proc.stderr.readline()  # the first line says where it listens
            m = re.search(r"at (http://\S+/)", line)
            if m:
                url = m.group(1)
                break
        if url is None:
            rest = proc.stderr.read() if proc.poll() is not None else ""
            raise AssertionError(f"xxgk serve did not start: {rest}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        if proc.stderr:
            proc.stderr.close()
