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


def test_gb_template_cells_are_never_rebuilt_from_other_cells():
    # the total column and table 4's 总计 are cells of the template (SCHEMA.md derives only
    # denied.total and litigation.total for gb): blank or unreadable, they stay absent
    r = _record("gb2021", applications__granted__natural=5, applications__granted__legal=2,
                applications__new__natural=3)
    add_headline_metrics(r)
    assert "applications.granted.total" not in r.metrics and "applications.new.total" not in r.metrics


def test_gb_review_total_from_a_single_partial_cell_when_table4_headers_were_unreadable():
    """issue 3(a): table 4's headers unreadable, one cell placed: no review.total made from it."""
    r = Record(format="gb2019")
    r.set_metric("review.upheld", 2, Evidence(where="table", table=3))
    r.set_metric("litigation_direct.total", 4, Evidence(where="table", table=3))
    r.add_finding("table.unplaced", "warning", "table 3: cell '5' not placed: column label not recognised",
                  table=3, row="", column="", text="5")
    add_headline_metrics(r)
    assert "review.total" not in r.metrics
    # litigation_after_review.total may be the unplaced cell: the sum of one part is no total
    assert "litigation.total" not in r.metrics


def test_gb_derived_totals_need_every_part_when_their_table_was_read_in_part():
    r = _record("gb2021", applications__denied__state_secret__total=2, litigation_direct__total=3)
    r.evidence["applications.denied.state_secret.total"].table = 1
    r.evidence["litigation_direct.total"].table = 2
    r.add_finding("table.unplaced", "warning", "table 1: a cell not placed", table=1, text="7")
    add_headline_metrics(r)
    assert "applications.denied.total" not in r.metrics
    assert r.metrics["litigation.total"] == 3  # table 2 was read whole: a blank part is 0
    # a text copy's unplaced row names no table: it may be any part
    r = _record("gb2021", litigation_direct__total=3)
    r.add_finding("table.unplaced", "warning", "text row not placed", text="行政诉讼 1 2")
    add_headline_metrics(r)
    assert "litigation.total" not in r.metrics
    # every part present: the sum is known whatever else was not placed
    r = _record("gb2021", litigation_direct__total=3, litigation_after_review__total=1)
    r.add_finding("table.unplaced", "warning", "text row not placed", text="x")
    add_headline_metrics(r)
    assert r.metrics["litigation.total"] == 4


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
