"""Per-host politeness: a slot per host name holds a concurrency limit and a delay, kept across
every process that shares a lock folder.

Takes ``FetchSettings.delay`` and ``concurrency_per_host`` as defaults; ``Slots.configure`` tunes
one host (a profile's request policy, a robots Crawl-delay). The delay is kept between request
starts on the same host, and a request starts no sooner than one delay after the previous answer
began to arrive (``HostSlot.answered``; the end of a turn without an answer counts as one): the
server then sees the delay whatever the network's latency. ``HostSlot.defer`` pushes the next start back (Retry-After, backoff), so a
host that asked us to wait is left alone by every thread, not only the one that was told.

With a folder (``Slots(…, folder=…)``: ``FetchSettings.slot_dir``, ``<home>/locks`` for ``xxgk
crawl``), the slot is shared with every process using the same folder, through ``HostFiles``:
``<host>.next`` holds the wall-clock time before which no request to the host may start (read and
booked under ``fcntl.flock``), and ``<host>.conn<i>`` are its connections, one held (flock) by
whoever has a request in flight. Two crawls of one site at once then keep its delay and its
connection limit between them; a killed process lets go of its locks with its file descriptors.
Where ``fcntl`` or the folder is missing, slots are this process's own (and a warning says so).
"""
from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

try:
    import fcntl
except ImportError:   # not a POSIX system: slots stay per process
    fcntl = None   # type: ignore[assignment]

__all__ = ["HostSlot", "Slots", "HostFiles"]

log = logging.getLogger(__name__)

#: longest a booked start is believed (seconds from now): a clock set back must not stall a host
MAX_BOOKED_WAIT = 600.0
#: seconds between two tries for a connection another process holds
CONNECTION_POLL = 0.02


class HostFiles:
    """One host's lock files in a folder shared by processes (see the module docstring)."""

    def __init__(self, folder: Path, host: str):
        name = re.sub(r"[^a-z0-9.-]", "_", host.lower()) or "_"
        self._next = folder / f"{name}.next"
        self._conn = [folder / f"{name}.conn{i}" for i in range(64)]

    def _book(self, update: Callable[[float, float], tuple[float, float]]) -> float:
        """Under the host's lock: ``update(booked, now) -> (result, new booked)``."""
        fd = os.open(self._next, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                booked = float(os.pread(fd, 64, 0).decode("ascii").strip() or 0)
            except (ValueError, UnicodeDecodeError):
                booked = 0.0
            now = time.time()
            result, booked = update(min(booked, now + MAX_BOOKED_WAIT), now)
            data = f"{booked:.6f}\n".encode("ascii")
            os.pwrite(fd, data, 0)
            os.ftruncate(fd, len(data))
            return result
        finally:
            os.close(fd)   # lets go of the lock

    def reserve(self, earliest: float, delay: float) -> float:
        """Book the next start at or after ``earliest`` (wall clock); return it."""
        def update(booked: float, now: float) -> tuple[float, float]:
            start = max(earliest, booked)
            return start, start + delay
        return self._book(update)

    def push(self, until: float) -> None:
        """No start before ``until`` (wall clock), for every process."""
        self._book(lambda booked, now: (0.0, max(booked, until)))

    @contextmanager
    def connection(self, concurrency: int) -> Iterator[None]:
        """Hold one of the host's ``concurrency`` connections (waits while all are held)."""
        paths = self._conn[:max(1, min(concurrency, len(self._conn)))]
        while True:
            for path in paths:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue
                try:
                    yield
                finally:
                    os.close(fd)
                return
            time.sleep(CONNECTION_POLL)


class HostSlot:
    def __init__(self, delay: float, concurrency: int,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 files: HostFiles | None = None):
        self.delay = delay
        self.concurrency = concurrency
        self._sem = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._next_start = 0.0
        self._clock = clock
        self._sleep = sleep
        self._files = files
        self._turn = threading.local()

    @contextmanager
    def acquire(self) -> Iterator[float]:
        """Hold one of the host's connections; yields the seconds waited for the delay."""
        self._sem.acquire()
        try:
            held = self._files.connection(self.concurrency) if self._files else nullcontext()
            with held:
                with self._lock:
                    now = self._clock()
                    start = max(now, self._next_start)
                    self._next_start = start + self.delay
                waited = start - now
                if self._files is not None:   # other processes' bookings count too
                    wall = time.time()
                    waited = max(0.0, self._files.reserve(wall + waited, self.delay) - wall)
                    with self._lock:
                        self._next_start = max(self._next_start, now + waited + self.delay)
                if waited > 0:
                    self._sleep(waited)
                self._turn.answered = False
                try:
                    yield waited
                finally:
                    if not self._turn.answered:   # no answer came: the delay runs from now
                        self._book_after()
        finally:
            self._sem.release()

    def answered(self) -> None:
        """The answer to this thread's request began to arrive: no start before one delay later."""
        self._turn.answered = True
        self._book_after()

    def _book_after(self) -> None:
        with self._lock:
            self._next_start = max(self._next_start, self._clock() + self.delay)
        if self._files is not None and self.delay > 0:
            self._files.push(time.time() + self.delay)

    def defer(self, seconds: float) -> None:
        with self._lock:
            self._next_start = max(self._next_start, self._clock() + seconds)
        if self._files is not None:
            self._files.push(time.time() + seconds)


class Slots:
    def __init__(self, delay: float, concurrency: int, folder: str | Path | None = None):
        self._default = (delay, concurrency)
        self._overrides: dict[str, tuple[float | None, int | None]] = {}
        self._slots: dict[str, HostSlot] = {}
        self._lock = threading.Lock()
        self._folder = self._shared_folder(folder)

    @staticmethod
    def _shared_folder(folder: str | Path | None) -> Path | None:
        if folder is None:
            return None
        if fcntl is None:
            log.warning("no fcntl here: request delays are kept per process only")
            return None
        path = Path(folder)
        try:
            path.mkdir(exist_ok=True)   # its parent (the archive home) must exist
        except OSError as exc:
            log.warning("lock folder %s unusable (%s): request delays are kept per process only",
                        path, exc)
            return None
        return path

    @property
    def shared(self) -> bool:
        """Whether the slots are shared with other processes (through a lock folder)."""
        return self._folder is not None

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
                files = HostFiles(self._folder, host) if self._folder is not None else None
                slot = HostSlot(o_delay if o_delay is not None else delay,
                                o_conc if o_conc is not None else conc, files=files)
                self._slots[host] = slot
            return slot
