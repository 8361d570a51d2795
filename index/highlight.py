"""Snippets: windows of a report's normalized text around the spans the query's words matched.

``make_snippets(norm_text, leaves, top=3, width=80)`` finds every exact match of each positive leaf
(``Leaf.spans``: the same check that decided the hit), scores windows by how many distinct leaves
they hold, keeps the best ``top`` windows that do not overlap, in text order. A hit matched only by
its title gets the opening of the text, unmarked.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from .results import Snippet

__all__ = ["make_snippets"]

_MAX_SPANS = 60
_MAX_WINDOWS = 40


def make_snippets(norm_text: str, leaves, *, top: int = 3, width: int = 80) -> list[Snippet]:
    spans: list[tuple[int, int, int]] = []  # start, end, leaf index
    for i, leaf in enumerate(leaves):
        for a, b in leaf.spans(norm_text, _MAX_SPANS):
            spans.append((a, b, i))
    if not spans:
        return [_window(norm_text, 0, min(len(norm_text), width), [])] if norm_text else []
    spans.sort()
    starts = [a for a, _, _ in spans]
    candidates = []
    step = max(1, len(spans) // _MAX_WINDOWS)
    for a, b, _ in spans[::step]:
        start = max(0, min(a - width // 3, len(norm_text) - width))
        end = min(len(norm_text), start + width)
        inside = [s for s in spans[bisect_left(starts, start):bisect_right(starts, end)] if s[1] <= end]
        candidates.append((len({k for *_, k in inside}), len(inside), -start, start, end, inside))
    candidates.sort(reverse=True)
    chosen: list[tuple[int, int, list]] = []
    for *_, start, end, inside in candidates:
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, inside))
        if len(chosen) == top:
            break
    chosen.sort()
    return [_window(norm_text, s, e, inside) for s, e, inside in chosen]


def _window(text: str, start: int, end: int, inside) -> Snippet:
    piece = text[start:end].replace("\n", " ")
    merged: list[list[int]] = []
    for a, b, _ in sorted(inside):
        a, b = a - start, b - start
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return Snippet(piece, tuple((a, b) for a, b in merged))
