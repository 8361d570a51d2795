"""index.query: the query language, its errors, and each leaf's analysis."""
from __future__ import annotations

import pytest

from index.errors import EmptyQueryError, QuerySyntaxError, SearchIndexError
from index.query import And, FieldTerm, Leaf, Not, Or, evaluate, parse_query, positive_leaves


def test_and_is_the_default_and_or_binds_looser():
    assert parse_query("土地 征收") == And((Leaf("土地"), Leaf("征收")))
    assert parse_query("土地 AND 征收") == And((Leaf("土地"), Leaf("征收")))
    assert parse_query("征收 OR 征用 补偿") == Or((Leaf("征收"), And((Leaf("征用"), Leaf("补偿")))))
    assert parse_query("(征收 OR 征用) 补偿") == And((Or((Leaf("征收"), Leaf("征用"))), Leaf("补偿")))


def test_not_and_minus_exclude():
    assert parse_query("征收 NOT 补偿") == And((Leaf("征收"), Not(Leaf("补偿"))))
    assert parse_query("征收 -补偿") == And((Leaf("征收"), Not(Leaf("补偿"))))


def test_quoted_phrases_in_ascii_and_chinese_quotes():
    assert parse_query('"政府信息 公开"') == Leaf("政府信息 公开", phrase=True)
    assert parse_query("“政府信息公开”") == Leaf("政府信息公开", phrase=True)


def test_field_filters():
    node = parse_query("title:年度报告 heading:存在的主要问题 region:浙江省 year:2015-2020 format:gb2021 id:7")
    assert node == And((Leaf("年度报告", "title"), Leaf("存在的主要问题", "heading"), FieldTerm("region", "浙江省"),
                        FieldTerm("year", "2015", 2020), FieldTerm("format", "gb2021"), FieldTerm("id", "7")))
    assert parse_query("year:2017") == FieldTerm("year", "2017", 2017)


def test_unknown_field_prefix_is_plain_text():
    assert parse_query("http://x.gov.cn") == Leaf("http://x.gov.cn")


@pytest.mark.parametrize("q", ["", "   ", "，。"])
def test_empty_queries_raise_empty_query_error(q):
    with pytest.raises(EmptyQueryError) as e:
        parse_query(q)
    assert str(e.value)
    assert isinstance(e.value, SearchIndexError)


@pytest.mark.parametrize("q, fragment", [
    ('"土地征收', "unbalanced quote"), ("(土地", "unbalanced parenthesis"), ("土地)", "unbalanced parenthesis"),
    ("OR 土地", "expected a word"), ("土地 OR", "OR needs a word"), ("土地 NOT", "NOT needs a word"),
    ("NOT 土地", "only NOT"), ("year:20x7", "not a year"), ("id:abc", "not a report id"), ("region:", "needs a value"),
])
def test_malformed_queries_raise_with_a_message(q, fragment):
    with pytest.raises(QuerySyntaxError) as e:
        parse_query(q)
    assert fragment in str(e.value)


def test_leaf_analysis():
    leaf = Leaf("土地征收")
    assert leaf.phrase_terms == (("土地", 0), ("地征", 1), ("征收", 2)) and not leaf.exact and not leaf.has_gap
    assert Leaf("征收").exact and Leaf("税").exact and Leaf("PD").exact and not Leaf("PDF").exact
    assert Leaf("信息公开，依法").has_gap
    assert Leaf("2017年").stream_terms == (("20", False), ("01", False), ("17", False), ("7年", False))
    assert Leaf("7").stream_terms == ((".?7.?", True),)
    assert Leaf("税").stream_terms == ((".?税.?", True),)
    assert Leaf("“信息公开”").needle == "信息公开"


def test_leaf_matches_any_substring_letters_and_digits_included():
    assert Leaf("土地征收").matches("推进土地征收工作")
    assert not Leaf("土地征收").matches("土地的征收")
    # a reader searches any piece of what they see: part of a number or a word finds it
    assert Leaf("2017年").matches("在2017年度") and Leaf("017年").matches("在2017年度")
    assert Leaf("ＰＤＦ").matches("下载pdf文件") and Leaf("pd").matches("下载pdf文件")
    assert not Leaf("2018年").matches("在2017年度")


def test_positive_leaves_and_evaluate():
    node = parse_query("征收 OR 征用 -补偿")
    assert positive_leaves(node) == [Leaf("征收"), Leaf("征用")]
    text = "征用土地并补偿"
    assert not evaluate(node, lambda l: l.matches(text), lambda ft: True)
    assert evaluate(node, lambda l: l.matches("征收土地"), lambda ft: True)
