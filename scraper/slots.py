"""Per-host politeness: a slot per host name holds a concurrency limit and a delay.

Takes ``FetchSettings.delay`` and ``concurrency_per_host`` as defaults; ``Slots.configure`` tunes
one host (a profile's request policy, a robots Crawl-delay). The delay is measured between request
starts on the same host. ``HostSlot.defer`` pushes the next start back (Retry-After, backoff), so a
host that asked us to wait is left alone by every thread, not only the one that was told.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["HostSlot", "Slots"]


class HostSlot:
    def __init__(self, delay: float, concurrency: int,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.delay = delay
        self.concurrency = concurrency
        self._sem = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._next_start = 0.0
        self._clock = clock
        self._sleep = sleep

    @contextmanager
    def acquire(self) -> Iterator[float]:
        """Hold one of the host's connections; yields the seconds waited for the delay."""
        self._sem.acquire()
        try:
            with self._lock:
                now = self._clock()
                start = max(now, self._next_start)
                self._next_start = start + self.delay
            waited = start - now
            if waited > 0:
                self._sleep(waited)
            yield waited
        finally:
            self._sem.release()

    def defer(self, seconds: float) -> None:
        with self._lock:
            self._next_start = max(self._next_start, self._clock() + seconds)


class Slots:
    def __init__(self, delay: float, concurrency: int):
        self._default = (delay, concurrency)
        self._overrides: dict[str, tuple[float | None, int | None]] = {}
        self._slots: dict[str, HostSlot] = {}
        self._lock = threading.Lock()

    def configure(self, host: str, *, delay: float | None = None,
                  concurrency: int | None = None) -> None:
        """Set one host's delay/concurrency; takes effect for a slot not yet built, or the delay now."""
        host = host.lower()
        if delay is not None and delay < 0:
            raise ValueError("delay must not be negative")
        if concurrency is not None and concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        with self._lock:
            old_delay, old_conc = self._overrides.get(host, (None, None))
            self._overrides[host] = (delay if delay is not None else old_delay,
                                     concurrency if concurrency is not None else old_conc)
            slot = self._slots.get(host)
            if slot is not None and delay is not None:
                slot.delay = delay

    def get(self, host: str) -> HostSlot:
        host = host.lower()
        with self._lock:
            slot = self._slots.get(host)
            if slot is None:
                delay, conc = self._default
                o_delay, o_conc = self._overrides.get(host, (None, None))
                slot = HostSlot(o_delay if o_delay is not None else delay,
                                o_conc if o_conc is not None else conc)
                self._slots[host] = slot
            return slot
