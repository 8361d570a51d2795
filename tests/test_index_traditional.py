"""A search in simplified characters finds a 繁體 report and the reverse, in every backend.

``index.analysis.normalize_text`` folds traditional characters to simplified ones, one for one,
for documents and queries alike. Real texts: tests/data/real/beijing-2019-traditional.txt (the
Big5 gateway rendering of beijing.gov.cn's 2019 report, its URL in the .json beside) and
shanghai-office-2020.txt (a simplified page).
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from index import SearchIndex
from index.analysis import chinese_analyzer, normalize_text, positional_terms, script_fold, term_counts
from parser.extract.script import to_simplified
from search_backends import BACKENDS, pg_search_url, pg_server, use_backend  # noqa: F401

REAL = Path(__file__).parent / "data" / "real"
TRAD = (REAL / "beijing-2019-traditional.txt").read_text(encoding="utf-8")
SIMP = (REAL / "shanghai-office-2020.txt").read_text(encoding="utf-8")


def _doc(report_id: int, text: str, title: str, region: str) -> dict:
    return {"report_id": report_id, "title": title, "region": region, "region_path": [region],
            "region_code": "", "agency": None, "year": 2019 + report_id % 2, "format": "gb2019",
            "published": "", "url": f"https://example.gov.cn/{report_id}.html",
            "sections": [], "text": text}


DOCS = [_doc(1, TRAD, TRAD.split("\n", 1)[0], "北京市"),
        _doc(2, SIMP, SIMP.split("\n", 1)[0], "上海市")]


def test_normalize_folds_traditional_to_simplified_one_for_one():
    assert normalize_text("政府信息公開工作年度報告") == normalize_text("政府信息公开工作年度报告") == "政府信息公开工作年度报告"
    assert normalize_text("檔案館ＡＢＣ") == "档案馆abc"  # script, width and case; never 文件
    folded = normalize_text(TRAD)
    assert len(folded) == len(TRAD)
    assert "依据《中华人民共和国政府信息公开条例》" in folded
    assert normalize_text(SIMP) == SIMP.lower()  # a simplified report comes back unchanged


def test_the_fold_is_the_parsers_conversion_character_by_character():
    """index may not import parser: the two build their tables apart, this keeps them in step."""
    table = script_fold()
    chars = [chr(c) for c in range(0x4E00, 0xA000)] + [chr(c) for c in range(0x3400, 0x4DC0)]
    folded = {c: c.translate(table) for c in chars}
    changed = [c for c in chars if folded[c] != c]
    assert len(changed) > 2500
    assert [c for c in changed if to_simplified(c) != folded[c]] == []
    assert "什么".translate(table) == "什么"  # 么 is itself simplified: never folded (Taiwan 么 -> 幺)
    simplified = (REAL / "beijing-2019.txt").read_text(encoding="utf-8")
    assert sum(a != b for a, b in zip(simplified, simplified.translate(table))) <= 2  # 著 -> 着 at most


def test_the_analyzer_and_the_fast_paths_agree_on_traditional_text():
    chain = [t.text for t in chinese_analyzer()(TRAD[:600])]
    fast = term_counts(normalize_text(TRAD[:600]))
    assert sorted(chain) == sorted(fast.elements())
    assert "公开" in fast and "公開" not in fast
    assert [t.text for t in positional_terms(normalize_text("報告"))] == ["报", "告", "报告"]


def test_normalize_stays_fast():
    """1 MB of Chinese in well under a tenth of a second (measured: ~36 ms; NFKC alone ~28 ms)."""
    text = (TRAD + SIMP) * (1_000_000 // len((TRAD + SIMP).encode()) + 1)
    normalize_text("預熱")
    start = time.perf_counter()
    normalize_text(text)
    assert time.perf_counter() - start < 0.25


@pytest.fixture(scope="module", params=BACKENDS)
def built(request, tmp_path_factory):
    use_backend(request, request.param)
    ix = SearchIndex.open(tmp_path_factory.mktemp(request.param), request.param, create=True)
    ix.upsert(DOCS)
    yield ix
    ix.close()


def _ids(ix, query: str) -> set[int]:
    return {h.report_id for h in ix.search(query, limit=10).hits}


@pytest.mark.parametrize("query", ["政府信息公开工作年度报告", '"加强政府资讯资源的规范化"', "北京市 总体情况",
                                   "title:北京市政府信息公开"])
def test_a_simplified_query_finds_the_traditional_report(built, query):
    assert 1 in _ids(built, query)


@pytest.mark.parametrize("query, ids", [
    ('"本年度報告根據"', {2}),  # traditional query, simplified report
    ("上海市人民政府辦公廳", {2}),
    ('"主動公開"', {1, 2}),
    ("政府信息公開 -北京", {2}),
])
def test_a_traditional_query_finds_the_simplified_report(built, query, ids):
    assert _ids(built, query) == ids


def test_snippets_of_a_traditional_report_mark_the_match(built):
    hit = next(h for h in built.search('"信息公开平台建设"', limit=5).hits if h.report_id == 1)
    assert hit.snippets and any("平台建设" in s.to_dict()["text"] for s in hit.snippets)
