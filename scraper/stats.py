"""Counters with stable keys (``fetch/request/count``, ``fetch/retry/reason/429`` …).

A thread-safe bag of integers; components take one and increment keys, the CLI prints a snapshot.
"""
from __future__ import annotations

import threading
from collections import Counter

__all__ = ["Stats"]


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def inc(self, key: str, n: int = 1) -> None:
        with self._lock:
            self._counts[key] += n

    def get(self, key: str) -> int:
        with self._lock:
            return self._counts.get(key, 0)

    def snapshot(self, prefix: str = "") -> dict[str, int]:
        with self._lock:
            return {k: v for k, v in sorted(self._counts.items()) if k.startswith(prefix)}
