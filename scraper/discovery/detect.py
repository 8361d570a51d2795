"""Which CMS family wrote a page: ``detect_family(url, text) -> Detection``, a pure function.

Every signature (``scraper.discovery.signatures``) that matches counts its weight once for its
family; the family with the highest score at or above ``THRESHOLD`` wins (on a tie, the one whose
strongest trait weighs more, then the table's order). Nothing over the threshold: ``generic``.
The reasons are the winner's matched traits, strongest first, so a crawl can say why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .signatures import SIGNATURES, THRESHOLD, Signature

__all__ = ["Detection", "detect_family", "GENERIC"]

GENERIC = "generic"


@dataclass(frozen=True, slots=True)
class Detection:
    family: str
    score: int
    #: the matched traits of ``family`` in words (or why nothing was recognised)
    reasons: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"family": self.family, "score": self.score, "why": list(self.reasons)}


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def detect_family(url: str, text: str,
                  signatures: tuple[Signature, ...] = SIGNATURES) -> Detection:
    """The family of a page from its URL and text (markup, scripts, links)."""
    matched: dict[str, list[Signature]] = {}
    for sig in signatures:
        haystack = url if sig.where == "url" else text
        if _compiled(sig.pattern).search(haystack):
            matched.setdefault(sig.family, []).append(sig)
    order = {s.family: i for i, s in reversed(list(enumerate(signatures)))}
    ranked = sorted(matched.items(), key=lambda kv: (-sum(s.weight for s in kv[1]),
                                                     -max(s.weight for s in kv[1]), order[kv[0]]))
    if not ranked or sum(s.weight for s in ranked[0][1]) < THRESHOLD:
        hints = [f"{s.what} ({fam}?)" for fam, sigs in ranked for s in sigs]
        return Detection(GENERIC, 0, tuple(["no CMS family recognised"] + hints))
    family, sigs = ranked[0]
    sigs = sorted(sigs, key=lambda s: -s.weight)
    return Detection(family, sum(s.weight for s in sigs), tuple(s.what for s in sigs))
