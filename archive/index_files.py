"""The search index's directory: swapped in whole, and what a killed rebuild left cleaned up.

    swap_in(new, live)                  put a complete index where the live one is, in one step
    clean_leftovers(index_dir, timeout) remove (or finish) a killed rebuild's directories

A rebuild builds ``.index.rebuild-<pid>`` beside ``index`` and swaps them with Linux
``renameat2(RENAME_EXCHANGE)``: no moment without an index, and a kill before the old copy is
removed leaves only a leftover. Where the exchange is not supported, two renames (``index`` ->
``.index.old-<pid>``, the new one -> ``index``); a kill between them leaves no ``index``, and the
next sync puts the complete rebuild (its state file written) in place. Leftovers are removed only
under the index's writer lock, so a rebuild in progress is never touched.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
from pathlib import Path

from index.lock import WriterLock
from index.search import STATE_FILENAME

__all__ = ["swap_in", "clean_leftovers", "remove_leftovers"]


def swap_in(new: Path, live: Path) -> None:
    """Put the complete index ``new`` where ``live`` is, in one step where the system allows it."""
    if not live.exists():
        new.rename(live)
        return
    if _exchange(new, live):  # ``new`` now holds the old index
        shutil.rmtree(new, ignore_errors=True)
        return
    old = live.parent / f".{live.name}.old-{os.getpid()}"
    live.rename(old)  # a kill here: the next sync puts ``new`` (complete, with its state) in place
    new.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _leftovers(index_dir: Path) -> list[Path]:
    parent = index_dir.parent
    return [p for pattern in (f".{index_dir.name}.rebuild-*", f".{index_dir.name}.old-*")
            for p in parent.glob(pattern) if p.is_dir()]


def clean_leftovers(index_dir: Path, lock_timeout: float) -> None:
    """Finish or undo what a killed rebuild left: cheap when there is nothing (one glob)."""
    if not _leftovers(index_dir) or not index_dir.parent.exists():
        return
    with WriterLock(index_dir, timeout=lock_timeout):
        remove_leftovers(index_dir)


def remove_leftovers(index_dir: Path) -> None:
    """Under the writer lock: a complete rebuild (its state written) that never got swapped in
    takes the place of a missing index; every other leftover goes."""
    leftovers = _leftovers(index_dir)
    if not index_dir.exists():
        complete = [p for p in leftovers if (p / STATE_FILENAME).exists()]
        # a finished rebuild before the old index it was replacing
        complete.sort(key=lambda p: (".rebuild-" in p.name, p.stat().st_mtime), reverse=True)
        if complete:
            complete[0].rename(index_dir)
            leftovers.remove(complete[0])
    for stale in leftovers:
        shutil.rmtree(stale, ignore_errors=True)
    for lock in index_dir.parent.glob(f".{index_dir.name}.rebuild-*.write.lock"):
        lock.unlink(missing_ok=True)
