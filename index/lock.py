"""One writer at a time: an exclusive ``fcntl`` lock on ``.<index dir name>.write.lock`` beside the index.

``WriterLock(path, timeout=…)`` is a context manager. A second process (or thread) waits, polling
every ``poll`` seconds, until the holder releases the lock or ``timeout`` seconds pass, then raises
``IndexLockedError`` naming the holder's pid. The lock dies with its process (the kernel drops it),
so a killed writer never leaves a stale lock behind. Readers take no lock.
"""
from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path

from .errors import IndexLockedError

__all__ = ["WriterLock", "DEFAULT_LOCK_TIMEOUT", "LOCK_FILENAME"]

DEFAULT_LOCK_TIMEOUT = 600.0
LOCK_FILENAME = "write.lock"


class WriterLock:
    def __init__(self, index_dir: Path | str, *, timeout: float = DEFAULT_LOCK_TIMEOUT, poll: float = 0.05):
        # beside the directory, not in it: a rebuild swaps the directory, and a lock inside it
        # would let a waiter lock the swapped-out copy while another process locks the new one
        d = Path(index_dir)
        self.path = d.parent / f".{d.name}.{LOCK_FILENAME}"
        self.timeout = timeout
        self.poll = poll
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    os.close(fd)
                    raise IndexLockedError(
                        f"the index at {self.path.parent} is being written by another process (pid {holder}); "
                        f"gave up after {self.timeout:g} s") from None
                time.sleep(self.poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> "WriterLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
