"""index.analysis: each part's token texts, positions and offsets; the fast paths agree with the chain."""
from __future__ import annotations

import pickle
from collections import Counter

from index.analysis import (GAP_TOKEN, CJKBigramFilter, CJKTokenizer, NFKCFilter, chinese_analyzer, is_cjk, is_unit,
                            normalize_text, positional_terms, term_counts, token_stream)

TEXT = "土地征收，ＡＢＣ 2017年度"


def _toks(analyzer, text):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True)]


def test_tokenizer_gives_one_token_per_unit_with_offsets_and_gap_positions():
    # letters and digits are units like CJK characters: 「201」 of 「2017」 must be searchable
    assert _toks(CJKTokenizer(), TEXT) == [
        ("土", 0, 0, 1), ("地", 1, 1, 2), ("征", 2, 2, 3), ("收", 3, 3, 4),
        ("Ａ", 5, 5, 6), ("Ｂ", 6, 6, 7), ("Ｃ", 7, 7, 8),
        ("2", 9, 9, 10), ("0", 10, 10, 11), ("1", 11, 11, 12), ("7", 12, 12, 13), ("年", 13, 13, 14), ("度", 14, 14, 15)]


def test_nfkc_filter_normalizes_width_and_case_keeping_offsets():
    toks = _toks(CJKTokenizer() | NFKCFilter(), "ＡＢＣ 兀")  # full-width latin; U+FA0C compatibility ideograph
    assert toks == [("a", 0, 0, 1), ("b", 1, 1, 2), ("c", 2, 2, 3), ("兀", 4, 4, 5)]


def test_bigram_filter_adds_bigrams_of_adjacent_units_only():
    toks = _toks(chinese_analyzer(), TEXT)
    assert ("土地", 0, 0, 2) in toks and ("征收", 2, 2, 4) in toks and ("年度", 13, 13, 15) in toks
    assert ("7年", 12, 12, 14) in toks and ("ab", 5, 5, 7) in toks and ("20", 9, 9, 11) in toks
    assert not any(t[0] in ("收a", "c2") for t in toks)  # no bigram across a gap
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
    assert token_stream("土地征收,abc 2017年") == ["土地", "地征", "征收", GAP_TOKEN, "ab", "bc", GAP_TOKEN,
                                                  "20", "01", "17", "7年"]
    assert token_stream("a,年") == ["a", GAP_TOKEN, "年"]
    assert token_stream("") == []


def test_analyzer_parts_pickle_and_compare_equal():
    a = chinese_analyzer()
    assert pickle.loads(pickle.dumps(a)) == a
    for part in (CJKTokenizer(), NFKCFilter(), CJKBigramFilter(unigrams=False)):
        assert pickle.loads(pickle.dumps(part)) == part


def test_is_cjk_and_is_unit():
    assert is_cjk("征") and is_cjk("〇") and not is_cjk("a") and not is_cjk("，")
    assert is_unit("征") and is_unit("a") and is_unit("7") and not is_unit("，") and not is_unit("_")
