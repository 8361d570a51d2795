"""parser.validate: the template and legacy consistency rules over a record, with the disagreeing numbers."""
from __future__ import annotations

import pytest

from fixtures.reportgen import FAULTS, FORMATS, break_record, parsed_metrics, random_record, render
from parser import parse
from parser.record import Record
from parser.rules import SumRule
from parser.validate import check_record, rules_for


@pytest.mark.parametrize("fmt", FORMATS)
def test_consistent_records_give_no_findings(fmt):
    for seed in range(5):
        truth = random_record(fmt, seed, blanks=0.5 if seed % 2 else 0.0)
        assert check_record(Record(format=fmt, metrics=dict(truth["metrics"]))) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_gives_exactly_its_findings_after_a_real_parse(fmt, fault):
    truth, expected = break_record(random_record(fmt, seed=21), fault)
    record = parse(*render(truth, "html_header3"))
    assert record.metrics == parsed_metrics(truth)
    got = sorted((f.rule, next(iter(f.values))) for f in record.findings)
    assert got == sorted(expected)
    m = truth["metrics"]
    for f in record.findings:
        # the finding names every number of its rule, exactly as the report states them
        assert all(m[k] == v for k, v in f.values.items())
        left = next(iter(f.values))
        assert f"= {m[left] + (m.get('applications.carried_in' + left[len('applications.new'):], 0) if f.rule == 'applications.balance' else 0)}" in f.message


def test_blank_template_cells_count_as_zero_in_the_rules():
    m = {"review.total": 3, "review.upheld": 3}  # corrected, other, pending left blank
    assert check_record(Record(format="gb2021", metrics=m)) == []
    m["review.total"] = 4
    [finding] = check_record(Record(format="gb2021", metrics=m))
    assert (finding.rule, finding.values) == ("review.sum", {"review.total": 4, "review.upheld": 3})


def test_legacy_records_use_the_legacy_rules():
    rules = rules_for("legacy")
    assert rules and all(isinstance(r, SumRule) and not r.partial_ok for r in rules)
    m = {"applications.closed.total": 10, "applications.closed.on_time": 7, "applications.closed.extended": 2}
    assert [f.rule for f in check_record(Record(format="legacy", metrics=m))] == ["applications.closed"]
    # the template rules do not apply to a legacy record
    m = {"review.total": 3, "review.upheld": 1}
    assert check_record(Record(format="legacy", metrics=m)) == []


def test_unknown_format_has_no_rules():
    assert rules_for(None) == [] and rules_for("other") == []
