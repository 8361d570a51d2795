"""Issue 14, item 1: `xxgk import` takes documents only, told by content; the rest is listed as skipped."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from archive.document_kinds import document_kind, kind_of_bytes
from conftest import SAMPLES, run_cli

REPORT = (SAMPLES / "yuhang-2017.txt").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _saved_page(root: Path) -> Path:
    """A web page saved by a browser, plus data files a researcher keeps beside reports."""
    folder = root / "folder"
    files = folder / "报告_files"
    files.mkdir(parents=True)
    (folder / "报告.html").write_text("<html><head><title>余杭</title></head><body><p>正文</p></body></html>",
                                      encoding="utf-8")
    (files / "style.css").write_text("body { margin: 0; }\n.nav a { color: #333; }\n", encoding="utf-8")
    (files / "jquery.min.js").write_text("/*! jQuery v3.6 */\n!function(e,t){\"use strict\";}(window);",
                                        encoding="utf-8")
    (files / "app.js").write_text("var config = {a: 1};\nfunction go() { return 1; }\n", encoding="utf-8")
    (files / "logo.png").write_bytes(PNG)
    (files / "photo.JPG").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    (folder / "metadata.json").write_text(json.dumps({"title": "x", "region": "余杭"}, ensure_ascii=False),
                                          encoding="utf-8")
    (folder / "notes.txt").write_text('{"looks": "like a report name, holds JSON"}', encoding="utf-8")
    (folder / "figures.csv").write_text("year,new,granted\n2017,1984,100\n2018,2000,120\n2019,1,2\n",
                                        encoding="utf-8")
    (folder / "report-as-data.json").write_bytes(REPORT)  # a report's text under a data name: a document
    (folder / "bundle.zip").write_bytes(_zip({"a.txt": b"x"}))
    return folder


def test_kinds_by_content_not_by_name(tmp_path: Path):
    folder = _saved_page(tmp_path)
    kind = {p.name: document_kind(p) for p in folder.rglob("*") if p.is_file()}
    assert kind["报告.html"].kind == "html"
    assert kind["report-as-data.json"].kind == "txt"
    for name, why in (("style.css", "style sheet"), ("jquery.min.js", "script"), ("app.js", "script"),
                      ("logo.png", "image (PNG)"), ("photo.JPG", "image (JPEG)"), ("metadata.json", "JSON"),
                      ("notes.txt", "JSON"), ("figures.csv", "CSV"), ("bundle.zip", "ZIP archive")):
        assert not kind[name].is_document and why in kind[name].reason, name
    assert kind_of_bytes(b"%PDF-1.7\n...").kind == "pdf"
    docx = tmp_path / "a.bin"
    docx.write_bytes(_zip({"word/document.xml": b"<w/>"}))
    assert document_kind(docx).kind == "docx"
    docx.write_bytes(_zip({"xl/workbook.xml": b"<w/>"}))
    assert document_kind(docx).kind == "xlsx"
    assert kind_of_bytes("二〇一七年政府信息公开工作年度报告\n一、概述\n".encode("gb18030")).kind == "txt"
    assert kind_of_bytes(b"").reason == "an empty file"


def test_import_takes_documents_lists_the_skipped_and_exits_0(tmp_path: Path):
    folder = _saved_page(tmp_path)
    home = str(tmp_path / "h")
    r = run_cli("import", str(folder), "--home", home, "--no-index")
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout + r.stderr
    for name in ("style.css", "jquery.min.js", "app.js", "logo.png", "photo.JPG", "metadata.json", "notes.txt", "figures.csv",
                 "bundle.zip"):
        assert f"skipped: {folder}" in out and name in out, name
    assert "9 skipped" in r.stdout
    assert "Traceback" not in out
    rows = json.loads(run_cli("reports", "--home", home, "--json").stdout)
    # the only report is the text saved under a .json name; no JSON file became a "report"
    assert [r["year"] for r in rows] == [2017]
    r = run_cli("import", str(folder), "--home", home, "--json", "--no-index")
    data = json.loads(r.stdout)
    assert data["counts"]["skipped"] == 9 and r.returncode == 0
    skipped = {Path(f["path"]).name: f["message"] for f in data["files"] if f["status"] == "skipped"}
    assert skipped["logo.png"] == "not a document: an image (PNG)"


@pytest.mark.parametrize("failing", [True])
def test_a_real_failure_still_exits_1(tmp_path: Path, failing: bool):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(200))  # a document that cannot be read
    (bad / "logo.png").write_bytes(PNG)
    r = run_cli("import", str(bad), "--home", str(tmp_path / "h"), "--no-index")
    assert r.returncode == 1 and "1 skipped" in r.stdout and "1 failed" in r.stdout


def test_a_style_sheet_is_told_by_its_rules_and_prose_with_braces_is_not():
    """Rules found from their braces (not from every character before them: a report of 4,000 characters
    without braces cost 1.5 ms to sniff); a style sheet whose opening no start pattern knows is still one."""
    css = "#main .box { color: red }\nul li a { margin: 0 }\n".encode()
    assert kind_of_bytes(css).reason.startswith("a style sheet")
    # rule-like braces in Chinese prose ("{说明:见附表}" twice) leave it a report
    prose = ("本机关依申请公开政府信息" * 40 + "\n二、主动公开{说明:见附表}情况{说明:见附表}\n").encode()
    assert kind_of_bytes(prose).kind == "txt"
    assert kind_of_bytes(REPORT).kind == "txt"
