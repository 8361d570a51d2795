"""LEGACY_RULES: the legacy consistency rules of SCHEMA.md, checked by the one SumRule engine."""
from __future__ import annotations

from parser.legacy.rules import CHANNEL_KEYS, LEGACY_RULES, OUTCOME_KEYS
from parser.rules import check_sum_rules

YUHANG = {
    "applications.replied": 1970, "applications.already_public": 108, "applications.granted.total": 974,
    "applications.partial.total": 378, "applications.denied.total": 108, "applications.not_own": 50,
    "applications.not_exist": 210, "applications.need_correction": 91, "applications.other_channel": 51,
    "review.total": 34, "review.upheld": 17, "review.corrected": 6, "review.other": 11,
    "litigation.total": 19, "litigation.upheld": 5, "litigation.corrected": 1, "litigation.other": 13,
}


def test_rule_names_and_silence():
    assert {r.rule for r in LEGACY_RULES} == {
        "applications.channels", "applications.legacy_outcomes", "applications.denied_reasons",
        "applications.closed", "staff.sum", "review.sum", "litigation.sum", "complaints.sum"}
    assert all(not r.partial_ok for r in LEGACY_RULES)


def test_a_consistent_report_has_no_findings():
    assert check_sum_rules(YUHANG, LEGACY_RULES) == []


def test_each_rule_fails_on_its_own_numbers():
    cases = {
        "applications.channels": {"applications.new.total": 10, **{k: 2 for k in CHANNEL_KEYS}},
        "applications.legacy_outcomes": dict(YUHANG, **{"applications.not_exist": 211}),
        "applications.denied_reasons": {
            "applications.denied.total": 3, "applications.denied.state_secret.total": 1,
            "applications.denied.commercial_secret.total": 0, "applications.denied.privacy.total": 1,
            "applications.denied.three_safety.total": 0, "applications.denied.not_gov_info.total": 0,
            "applications.denied.law_other.total": 0},
        "applications.closed": {"applications.closed.total": 5, "applications.closed.on_time": 5,
                                "applications.closed.extended": 1},
        "staff.sum": {"staff.total": 5, "staff.full_time": 2, "staff.part_time": 2},
        "review.sum": {"review.total": 3, "review.upheld": 1, "review.corrected": 1, "review.other": 0},
        "litigation.sum": {"litigation.total": 3, "litigation.upheld": 1, "litigation.corrected": 1,
                           "litigation.other": 2},
        "complaints.sum": {"complaints.total": 1, "complaints.upheld": 1, "complaints.corrected": 1,
                           "complaints.other": 0},
    }
    for rule, metrics in cases.items():
        findings = check_sum_rules(metrics, LEGACY_RULES)
        assert [f.rule for f in findings] == [rule]


def test_three_channels_of_six_say_nothing():
    metrics = {"applications.new.total": 1984, "applications.channel.in_person": 260,
               "applications.channel.online": 800, "applications.channel.letter": 894}
    assert check_sum_rules(metrics, LEGACY_RULES) == []
    assert len(OUTCOME_KEYS) == 8
