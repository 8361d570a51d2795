"""The pattern data itself: well-formed, named once, every count followed by its unit."""
from __future__ import annotations

import re

from parser.legacy.patterns import METRIC_PATTERNS, TRAD_TO_SIMP
from parser.numbers import parse_count


def test_pattern_names_are_unique_and_keys_are_dotted():
    names = [p.name for p in METRIC_PATTERNS]
    assert len(names) == len(set(names))
    for p in METRIC_PATTERNS:
        assert re.fullmatch(r"(?:\{topic\}|[a-z_]+)(?:\.[a-z_]+)+", p.key), p.key
        assert p.tier in (0, 1, 2)


def test_counting_patterns_need_a_unit_right_after_the_number():
    for p in METRIC_PATTERNS:
        if "n" not in p.regex.groupindex:
            assert p.tier == 2 or p.copy_from, p.name  # verbal zeros and copies only
            continue
        for tail in ("%", "万余条", ".5件", "余件", "多条"):
            assert not p.regex.search("收到政府信息公开申请12" + tail), p.name


def test_chinese_numerals_are_counts():
    assert parse_count("一百二十") == 120 and parse_count("两") == 2 and parse_count("零") == 0


def test_traditional_fold_is_one_to_one():
    assert "申請公開條資訊".translate(TRAD_TO_SIMP) == "申请公开条资讯"
