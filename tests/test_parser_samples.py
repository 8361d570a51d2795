"""End to end: parser.parse over the real legacy samples gives their .expected.json
(metadata, metrics exactly, section headings), with every metric's evidence."""
from __future__ import annotations

import json

import pytest

from parser import parse

from conftest import SAMPLES

NAMES = ["yuhang-2017", "hainan-haitang-2015"]
META_KEYS = ("title", "year", "region", "agency", "published", "format")


@pytest.fixture(scope="module", params=NAMES)
def parsed(request):
    name = request.param
    record = parse((SAMPLES / f"{name}.txt").read_bytes(), "text/plain")
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return record.to_dict(), expected


def test_metadata(parsed):
    got, expected = parsed
    assert {k: got[k] for k in META_KEYS} == {k: expected[k] for k in META_KEYS}


def test_metrics_exact_with_evidence(parsed):
    got, expected = parsed
    assert got["metrics"] == expected["metrics"]
    assert set(got["evidence"]) == set(got["metrics"])
    assert all(e["where"] == "text" and e["snippet"] for e in got["evidence"].values())


def test_section_headings(parsed):
    got, expected = parsed
    assert [s["heading"] for s in got["sections"]] == expected["sections"]


def test_no_findings(parsed):
    got, _ = parsed
    assert got["findings"] == []


def test_yuhang_as_an_html_page_gives_the_same_record():
    """The same report served as a CMS page (title and date in their own blocks, one <p> a paragraph)."""
    import html

    lines = [ln for ln in (SAMPLES / "yuhang-2017.txt").read_text(encoding="utf-8").split("\n") if ln.strip()]
    body = "".join(f"<p>{html.escape(ln)}</p>" for ln in lines[2:])
    page = (f"<html><head><meta charset='utf-8'><title>{lines[0]}</title></head><body>"
            f"<div class='title'>{lines[0]}</div><div class='info'>{lines[1]}</div>"
            f"<div class='TRS_Editor'>{body}</div></body></html>")
    record = parse(page.encode("utf-8"), "text/html").to_dict()
    expected = json.loads((SAMPLES / "yuhang-2017.expected.json").read_text(encoding="utf-8"))
    assert record["metrics"] == expected["metrics"]
    assert {k: record[k] for k in META_KEYS} == {k: expected[k] for k in META_KEYS}
