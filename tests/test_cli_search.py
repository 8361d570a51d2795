"""Issue 14, item 5: `xxgk search` takes every word as the query, says when a page is past the end,
and its snippets read as text (a table's repeated labels said once)."""
from __future__ import annotations

import json

import pytest

from archive.commands.search import readable_snippet
from cli_homes import demo_home, examples_home
from conftest import run_cli
from index.results import Snippet


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(examples_home(tmp_path_factory.mktemp("search") / "home"))


def _total(*args: str) -> int:
    r = run_cli("search", *args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["total"]


def test_all_words_are_the_query(home: str):
    both = _total("政府信息公开", "行政复议", "--home", home)
    assert both == _total("政府信息公开 行政复议", "--home", home) >= 1
    assert _total("政府信息公开", "火星探测器", "--home", home) == 0  # words are ANDed
    r = run_cli("search", "--home", home, "--json", "--", "政府信息公开", "-行政复议")  # a NOT word after --
    assert r.returncode == 0 and json.loads(r.stdout)["total"] == _total("政府信息公开", "--home", home) - both


def test_paging_past_the_end_says_so(home: str):
    total = _total("政府信息公开", "--home", home)
    r = run_cli("search", "政府信息公开", "--page", "99", "--home", home)
    assert r.returncode == 1 and "page 99 is past the end" in r.stderr and f"{total} reports match" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "–" not in r.stdout


def test_snippets_read_as_text():
    table = Snippet("\t行政诉讼\t行政诉讼\t行政诉讼\t行政诉讼 结果维持\t结果纠正\t其他结果\t总计\t未经复议直接起诉\t未经复议直接起诉",
                    ((26, 30),))
    s = readable_snippet(table)
    assert s.text == "行政诉讼 结果维持 结果纠正 其他结果 总计 未经复议直接起诉"
    assert [s.text[a:b] for a, b in s.spans] == ["结果纠正"]
    prose = Snippet("一是 加强 领导 二是 加强 领导", ((3, 5),))
    assert readable_snippet(prose).text == "一是 加强 领导 二是 加强 领导"  # not adjacent: kept


def test_snippets_of_table_text_in_a_real_archive(tmp_path_factory):
    home = str(demo_home(tmp_path_factory))
    r = run_cli("search", "结果纠正", "--home", home, "--limit", "20", "--json")
    hits = json.loads(r.stdout)["hits"]
    assert hits
    for hit in hits:
        for s in hit["snippets"]:
            words = s["text"].split()
            assert all(a != b for a, b in zip(words, words[1:])), s["text"]
            assert "\t" not in s["text"]
            assert all(s["text"][a:b] == "结果纠正" for a, b in s["spans"])
    r = run_cli("search", "结果纠正", "--home", home, "--limit", "3")  # piped: TSV, one line per hit
    lines = r.stdout.splitlines()
    assert lines[0].split("\t")[0] == "report_id" and len(lines) == 4
