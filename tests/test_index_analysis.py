"""index.analysis: each part's token texts, positions and offsets; the fast paths agree with the chain."""
from __future__ import annotations

import pickle
from collections import Counter

from index.analysis import (GAP_TOKEN, CJKBigramFilter, CJKTokenizer, NFKCFilter, chinese_analyzer, is_cjk,
                            normalize_text, positional_terms, term_counts, token_stream)

TEXT = "土地征收，ＡＢＣ 2017年度"


def _toks(analyzer, text):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True)]


def test_tokenizer_gives_characters_and_words_with_offsets_and_gap_positions():
    assert _toks(CJKTokenizer(), TEXT) == [
        ("土", 0, 0, 1), ("地", 1, 1, 2), ("征", 2, 2, 3), ("收", 3, 3, 4),
        ("ＡＢＣ", 5, 5, 8), ("2017", 7, 9, 13), ("年", 8, 13, 14), ("度", 9, 14, 15)]


def test_nfkc_filter_normalizes_width_and_case_keeping_offsets():
    toks = _toks(CJKTokenizer() | NFKCFilter(), "ＡＢＣ 兀")  # full-width latin; U+FA0C compatibility ideograph
    assert toks == [("abc", 0, 0, 3), ("兀", 2, 4, 5)]


def test_bigram_filter_adds_bigrams_of_adjacent_cjk_only():
    toks = _toks(chinese_analyzer(), TEXT)
    assert ("土地", 0, 0, 2) in toks and ("征收", 2, 2, 4) in toks and ("年度", 8, 13, 15) in toks
    assert not any(t[0] == "收a" or t[0] == "7年" for t in toks)  # no bigram across a gap or a word
    assert [t[0] for t in _toks(CJKTokenizer() | NFKCFilter() | CJKBigramFilter(unigrams=False), "土地征收")] == [
        "土地", "地征", "征收"]


def test_bigram_filter_tells_gaps_even_without_asking_for_offsets():
    toks = [t.text for t in chinese_analyzer()("土地 征收")]
    assert "地征" not in toks and "土地" in toks and "征收" in toks


def test_fast_term_counts_equal_the_analyzer_chain():
    text = "一、总体情况\n2017年，我区共收到政府信息公开申请1984件（同比增长12%），ＰＤＦ格式。"
    chain = Counter(t.text for t in chinese_analyzer()(text))
    assert term_counts(normalize_text(text)) == chain


def test_positional_terms_equal_the_chain_positions_and_offsets():
    text = "政府信息公开，依法 2017年度"
    chain = sorted(_toks(chinese_analyzer(), text))
    fast = sorted((t.text, t.position, t.start, t.end) for t in positional_terms(normalize_text(text)))
    assert fast == chain


def test_token_stream_marks_gaps_and_keeps_single_characters():
    assert token_stream("土地征收,abc 2017年") == ["土地", "地征", "征收", GAP_TOKEN, "abc", GAP_TOKEN, "2017", "年"]
    assert token_stream("") == []


def test_analyzer_parts_pickle_and_compare_equal():
    a = chinese_analyzer()
    assert pickle.loads(pickle.dumps(a)) == a
    for part in (CJKTokenizer(), NFKCFilter(), CJKBigramFilter(unigrams=False)):
        assert pickle.loads(pickle.dumps(part)) == part


def test_is_cjk():
    assert is_cjk("征") and is_cjk("〇") and not is_cjk("a") and not is_cjk("，")
