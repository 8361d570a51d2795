"""parser.headline: derived headline metrics, never over a stated one, with the formula as evidence."""
from __future__ import annotations

from parser.headline import HEADLINE_KEYS, add_headline_metrics
from parser.record import Evidence, Record


def _record(fmt: str, **metrics) -> Record:
    r = Record(format=fmt)
    for k, v in metrics.items():
        r.set_metric(k.replace("__", "."), v, Evidence(where="table"))
    return r


def test_gb_denied_total_sums_the_present_reasons():
    r = _record("gb2021", applications__denied__state_secret__total=2, applications__denied__process__total=5)
    add_headline_metrics(r)
    assert r.metrics["applications.denied.total"] == 7
    ev = r.evidence["applications.denied.total"]
    assert ev.where == "derived"
    assert ev.snippet == ("applications.denied.total = applications.denied.state_secret.total"
                          " + applications.denied.process.total")


def test_gb_litigation_total_and_nothing_without_operands():
    r = _record("gb2019", litigation_direct__total=3)
    add_headline_metrics(r)
    assert r.metrics == {"litigation_direct.total": 3, "litigation.total": 3}


def test_a_stated_value_is_never_overwritten():
    r = _record("gb2021", review__total=9, review__upheld=1, applications__new__total=4, applications__new__natural=1)
    add_headline_metrics(r)
    assert r.metrics["review.total"] == 9 and r.evidence["review.total"].where == "table"
    assert r.metrics["applications.new.total"] == 4


def test_gb_row_totals_from_their_columns_when_the_total_is_blank():
    r = _record("gb2021", applications__granted__natural=5, applications__granted__legal=2)
    add_headline_metrics(r)
    assert r.metrics["applications.granted.total"] == 7


def test_legacy_derives_only_from_every_part():
    r = _record("legacy", review__upheld=1, review__corrected=1)
    add_headline_metrics(r)
    assert "review.total" not in r.metrics
    r = _record("legacy", litigation__upheld=1, litigation__corrected=0, litigation__other=2,
                applications__denied__state_secret__total=1)
    add_headline_metrics(r)
    assert r.metrics["litigation.total"] == 3
    assert "applications.denied.total" not in r.metrics  # a legacy reason list is never known complete


def test_headline_keys_are_the_schema_ones():
    assert HEADLINE_KEYS == ("applications.new.total", "applications.granted.total", "applications.partial.total",
                             "applications.denied.total", "review.total", "litigation.total")
