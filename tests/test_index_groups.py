"""index.groups: which copy of a report shows and counts, and a ranking of groups."""
from __future__ import annotations

from index.groups import collapse_ranked, representatives, surplus


def test_representative_is_the_canonical_when_it_matches_else_the_lowest_id():
    rep = representatives([(5, 9), (9, 9), (7, 9), (3, 4), (8, 4)])
    assert rep == {5: 9, 9: 9, 7: 9, 3: 3, 8: 3}
    assert surplus(rep) == {5, 7, 8}


def test_collapse_ranked_keeps_the_best_place_and_shows_the_representative():
    rep = {5: 9, 9: 9, 7: 9}
    ranked = [(5, 3.0), (1, 2.5), (9, 2.0), (7, 1.0), (2, 0.5)]
    assert collapse_ranked(ranked, rep) == [(9, 3.0), (1, 2.5), (2, 0.5)]
    assert collapse_ranked(ranked, rep, stop=2) == [(9, 3.0), (1, 2.5)]
    assert collapse_ranked(ranked, {}) == ranked
