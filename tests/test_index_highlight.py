"""index.highlight and index.results: snippet windows, spans, and their renderings."""
from __future__ import annotations

from index.highlight import make_snippets
from index.query import Leaf
from index.results import Hit, SearchResults, Snippet


def test_snippets_hold_the_matches_with_exact_spans():
    text = "前言。" + "无关的内容。" * 30 + "推进土地征收信息公开,做好补偿工作。" + "其他内容。" * 30
    snips = make_snippets(text, [Leaf("土地征收"), Leaf("补偿")], top=2, width=40)
    assert snips
    best = snips[0]
    marked = [best.text[a:b] for a, b in best.spans]
    assert "土地征收" in marked and "补偿" in marked
    assert len(best.text) <= 40


def test_windows_do_not_overlap_and_follow_text_order():
    text = ("土地征收。" + "填充文字。" * 40) * 3
    snips = make_snippets(text, [Leaf("土地征收")], top=3, width=30)
    assert len(snips) == 3
    assert all(s.spans for s in snips)


def test_no_match_gives_the_opening_unmarked():
    snips = make_snippets("标题\n正文内容", [Leaf("征收")], width=10)
    assert snips == [Snippet("标题 正文内容", ())]
    assert make_snippets("", [Leaf("征收")]) == []


def test_snippet_renderings():
    s = Snippet("推进土地征收[bold]", ((2, 6),))
    assert str(s) == "推进【土地征收】[bold]"
    assert s.rich() == "推进[bold red]土地征收[/bold red]\\[bold]"  # text that looks like markup is escaped
    assert s.to_dict() == {"text": "推进土地征收[bold]", "spans": [[2, 6]], "marked": "推进【土地征收】[bold]"}


def test_results_to_dict():
    hit = Hit(7, "标题", "浙江省", None, 2017, "http://x", 1.23456, [Snippet("土地", ((0, 2),))])
    res = SearchResults(41, [hit], {"year": {2017: 41}, "province": {"浙江省": 41}}, page=2, limit=20, query="土地")
    d = res.to_dict()
    assert d["pages"] == 3 and d["facets"]["year"] == {"2017": 41} and d["hits"][0]["score"] == 1.2346
