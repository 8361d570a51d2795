"""The parser is exact on the replica: every report's primary file (page HTML, PDF or DOCX
attachment; legacy, gb2019 and gb2021) gives the truth's title, year, region, agency, publish
date, format and every metric, and no metric the truth lacks. Two worlds: seed 0 today, and
another seed on another date (years, layouts and values move with both)."""
from __future__ import annotations

import datetime as dt

import pytest

from replica import ReplicaServer
from replica_truth import compare_report, compare_world

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("seed, today", [(0, None), (7, dt.date(2025, 2, 1))])
def test_every_replica_report_parses_to_its_truth(seed, today):
    results = compare_world(seed, today)
    wrong = {key: mismatches[:5] for key, mismatches in results.items() if mismatches}
    assert len(results) > 100
    assert wrong == {}


def test_nanjing_2008_year_first_title_under_a_breadcrumb():
    """The legacy page whose crumb line sits right above "2008年南京市…": title, agency and
    all 23 prose metrics."""
    rep = ReplicaServer(seed=0, delays=0, throttle=False)
    assert compare_report(rep, rep.truth.by_key("nanjing-2008")) == []
