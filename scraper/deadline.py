"""Every response has an overall deadline and a minimum transfer rate (slowloris answers end).

httpx's timeouts are per read: a server dripping one byte every few seconds, in its headers or its
body, never trips them. ``ResponseClock(deadline, min_rate, window)`` is one response's budget:

* the whole exchange (connect, request, headers, body) must end ``deadline`` seconds after it
  started;
* from the first byte of the answer on, every ``window`` seconds must bring at least
  ``min_rate × window`` bytes (``min_rate`` 0: no minimum).

``guard_transport(transport)`` puts a network backend under an ``httpx.HTTPTransport`` whose
streams read through the clock of the thread's current exchange (``using(clock)``): each socket
read waits no longer than what is left of the deadline or the rate window, so a stalled or
dripping server is abandoned on time, not on its next byte. Breaking a limit raises
``SlowResponse`` (``why``: ``deadline`` or ``rate``) out of httpx; the connection is discarded.
The per-read timeout the transport was given still holds. ``ResponseClock.check()`` is the same
deadline test for transports this cannot guard (the fetcher calls it between body chunks).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

__all__ = ["ResponseClock", "SlowResponse", "guard_transport", "using"]

_local = threading.local()


class SlowResponse(Exception):
    """A response broke its deadline (``why == "deadline"``) or its minimum rate (``"rate"``)."""

    def __init__(self, why: str, message: str, received: int):
        super().__init__(message)
        self.why = why
        self.received = received


class ResponseClock:
    def __init__(self, deadline: float, min_rate: float = 0.0, window: float = 20.0,
                 clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self.started = clock()
        self.deadline = deadline
        self.min_rate = min_rate
        self.window = window
        self.received = 0
        self.first_byte_at: float | None = None
        self._window_start: float | None = None
        self._window_bytes = 0

    @property
    def elapsed(self) -> float:
        return self._clock() - self.started

    def check(self) -> float:
        """Seconds the next read may wait; raises ``SlowResponse`` when a limit is broken."""
        now = self._clock()
        left = self.started + self.deadline - now
        if left <= 0:
            raise SlowResponse("deadline", f"no complete answer within the {self.deadline:g} s "
                               f"response deadline ({self.received} bytes came)", self.received)
        if self.min_rate > 0 and self._window_start is not None:
            end = self._window_start + self.window
            if now >= end:
                span = now - self._window_start
                rate = self._window_bytes / span
                if rate < self.min_rate:
                    raise SlowResponse("rate", f"{rate:.1f} bytes/s over {span:.1f} s, below the "
                                       f"minimum transfer rate of {self.min_rate:g} bytes/s "
                                       f"({self.received} bytes came)", self.received)
                self._window_start, self._window_bytes = now, 0
                end = now + self.window
            left = min(left, end - now)
        return max(left, 0.001)

    def got(self, n: int) -> None:
        if not n:
            return
        if self.first_byte_at is None:
            self.first_byte_at = self._window_start = self._clock()
        self.received += n
        self._window_bytes += n


def current() -> ResponseClock | None:
    return getattr(_local, "clock", None)


@contextmanager
def using(clock: ResponseClock) -> Iterator[ResponseClock]:
    """Make ``clock`` the budget of this thread's exchange (guarded streams read through it)."""
    previous = current()
    _local.clock = clock
    try:
        yield clock
    finally:
        _local.clock = previous


def _bounded(timeout: float | None) -> float | None:
    clock = current()
    if clock is None:
        return timeout
    left = clock.check()
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        clock = current()
        if clock is None:
            return self._inner.read(max_bytes, timeout)
        idle_until = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = clock.check()
            if idle_until is not None:
                idle = idle_until - time.monotonic()
                if idle <= 0:
                    raise httpcore.ReadTimeout(f"no data for {timeout:g} s")
                wait = min(wait, idle)
            try:
                data = self._inner.read(max_bytes, wait)
            except httpcore.ReadTimeout:
                continue   # the loop decides: deadline, rate window, or the per-read timeout
            clock.got(len(data))
            return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend):
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options=None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_tcp(host, port, _bounded(timeout), local_address,
                                               socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options=None) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _bounded(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guard_transport(transport: httpx.BaseTransport) -> bool:
    """Read ``transport``'s sockets through the thread's response clock; whether it could be."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is None or not isinstance(pool, httpcore.ConnectionPool):
        return False
    if not isinstance(backend, _Backend):
        pool._network_backend = _Backend(backend)
    return True
