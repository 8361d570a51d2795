"""parser.labels: label normalization, spec matching, and the template rules built from the key lists."""
from __future__ import annotations

from parser.labels import (
    GB2019_RULES, GB2021_RULES, T2_COLUMNS, T3_COLUMNS, T3_ROWS, match_spec, norm_label, strip_numbering,
)
from parser.rules import check_sum_rules


def test_numbering_is_stripped_in_every_style():
    assert strip_numbering("（三）不予公开") == "不予公开"
    assert strip_numbering("(三) 不予公开") == "不予公开"
    assert strip_numbering("1.属于国家秘密") == "属于国家秘密"
    assert strip_numbering("１．属于国家秘密") == "属于国家秘密"
    assert strip_numbering("一、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量"


def test_norm_label_drops_quotes_spaces_brackets():
    assert norm_label("3.危及“三安全一稳定”") == "危及三安全一稳定"
    assert norm_label("本年增/减") == "本年增减"
    assert norm_label("本年收费金额（单位：万元）") == "本年收费金额单位万元"


def test_row_specs_match_shortened_and_reworded_labels():
    def key(label):
        spec = match_spec(norm_label(label), T3_ROWS)
        return spec.key if spec else None

    assert key("本年新收申请") == "new"
    assert key("上年度结转申请数") == "carried_in"
    assert key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "partial"
    assert key("（一）予以公开") == "granted"
    assert key("2.其他法律行政法规禁止公开") == "denied.law_forbidden"
    assert key("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请") == "other.unpaid_fee"
    assert key("3.其他") == "other.other"
    assert key("其他情况说明") is None


def test_column_specs():
    assert match_spec(norm_label("本年新<br>制作数量".replace("<br>", "")), T2_COLUMNS).key == "made"
    assert match_spec(norm_label("处理决定数量"), T2_COLUMNS).key == "decisions"
    assert match_spec(norm_label("法人或其他组织"), T3_COLUMNS).key == "commercial"
    assert match_spec(norm_label("其他"), T3_COLUMNS).key == "other_org"


def test_rule_lists_cover_every_row_column_and_group():
    def count(rules, name):
        return sum(r.rule == name for r in rules)

    assert count(GB2019_RULES, "applications.row_sum") == 23
    assert count(GB2021_RULES, "applications.row_sum") == 25
    for rules in (GB2019_RULES, GB2021_RULES):
        assert count(rules, "applications.balance") == 7 and count(rules, "applications.outcomes") == 7
        assert {r.rule for r in rules if r.rule.endswith(".sum")} == {
            "review.sum", "litigation_direct.sum", "litigation_after_review.sum"}
    outcomes21 = next(r for r in GB2021_RULES if r.rule == "applications.outcomes")
    assert "applications.other.no_correction.natural" in outcomes21.parts
    assert "applications.other.total.natural" not in outcomes21.parts


def test_balance_rule_reports_the_numbers():
    m = {"applications.new.natural": 5, "applications.carried_in.natural": 1,
         "applications.processed_total.natural": 4, "applications.carried_out.natural": 1}
    findings = check_sum_rules(m, GB2019_RULES)
    assert [f.rule for f in findings] == ["applications.balance"]
    assert findings[0].values == m


def test_a_backslash_between_two_words_of_a_label_is_dropped_as_a_slash_is():
    # jiangsu wuxi xishan dongbeitang 2019 writes table 2's column as 本年增\减
    assert norm_label("本年增\\减") == norm_label("本年增/减") == "本年增减"
    assert match_spec(norm_label("本年增\\减"), T2_COLUMNS).key == "change"
