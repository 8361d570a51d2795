"""One pattern that matches where any of several would: the prose readers try their ~80 patterns
only on a clause that one search says some of them match (~7% of clauses in the real corpus).

``any_of(patterns)`` joins the patterns' sources as alternatives, their named groups made plain
(the union is only searched, never read for groups). A search of the union finds a match exactly
when one of the patterns does: every alternative is tried at every position of the same string.
``InRuns(items, regex_of)`` keeps items (patterns with their rules) in order, with the union of
each run of a few: ``may_match(text)`` gives, in order, the items of the runs whose union ``text``
matches, so a clause that matches one pattern in 90 asks a dozen unions and one run, not 90
patterns (an item left out matches nothing in ``text``).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from .regex_cache import cached

__all__ = ["any_of", "InRuns"]

T = TypeVar("T")

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def any_of(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str] | None:
    """The union of ``patterns`` (None for none). They must share their flags and name no group back."""
    patterns = list(patterns)
    if not patterns:
        return None
    flags = {p.flags for p in patterns}
    if len(flags) != 1 or any("(?P=" in p.pattern or "(?(" in p.pattern for p in patterns):
        raise ValueError("patterns with different flags or back-references cannot be joined")
    return cached("|".join(f"(?:{_NAMED_GROUP.sub('(?:', p.pattern)})" for p in patterns), flags.pop())


class InRuns(Generic[T]):
    """``items`` in their order, cut in runs of ``size`` with one union each (``any_of``)."""

    def __init__(self, items: Iterable[T], regex_of: Callable[[T], re.Pattern[str]], size: int = 8):
        items = tuple(items)
        runs = (items[i:i + size] for i in range(0, len(items), size))
        self.runs: tuple[tuple[re.Pattern[str], tuple[T, ...]], ...] = tuple(
            (any_of(regex_of(item) for item in run), run) for run in runs)  # type: ignore[misc]

    def may_match(self, text: str) -> Iterator[T]:
        """The items of every run whose union ``text`` matches, in order."""
        for union, run in self.runs:
            if union.search(text) is not None:
                yield from run
