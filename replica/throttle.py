"""Throttling after bursts, per host: the replica's 429 with Retry-After."""
from __future__ import annotations

import threading
import time
from collections import deque

__all__ = ["Throttle"]


class Throttle:
    """More than ``burst`` requests to a host within ``window`` seconds trip it: every request
    then gets 429 until ``cool`` seconds have passed (a little less than the Retry-After it
    sends, so a punctual client is not turned away again), and the count starts again. A client that honours Retry-After gets through."""

    def __init__(self, burst: int, window: float, cool: float):
        self.burst, self.window, self.cool = burst, window, cool
        self._times: dict[str, deque[float]] = {}
        self._cool_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def over(self, host: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._cool_until.get(host, 0.0):
                return True
            times = self._times.setdefault(host, deque())
            while times and now - times[0] > self.window:
                times.popleft()
            times.append(now)
            if len(times) > self.burst:
                self._cool_until[host] = now + self.cool
                times.clear()
                return True
            return False
