"""A cooperative deadline for one document (settings.time_budget).

Readers call ``deadline.check(stage)`` between units of work (PDF pages, tables, HTML blocks);
past the budget it raises ``ParseTimeoutError``. Cooperative, so a single pdfminer call can
overrun by its own length, but no loop over pages or tables can run on unbounded.
"""
from __future__ import annotations

import time

from ..errors import ParseTimeoutError

__all__ = ["Deadline"]


class Deadline:
    __slots__ = ("budget", "_end")

    def __init__(self, budget: float):
        self.budget = budget
        self._end = time.monotonic() + budget

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() > self._end

    def check(self, stage: str) -> None:
        if time.monotonic() > self._end:
            raise ParseTimeoutError(f"time budget of {self.budget:g}s exceeded while reading {stage}")
