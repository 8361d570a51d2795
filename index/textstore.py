"""The normalized text of every indexed report, for exact phrase checks without decoding.

An append-only file (``texts.dat``) of UTF-8 normalized texts; the index keeps each report's
(offset, length). Checking a phrase is then ``mmap.find`` over that byte range: no read, no
decode, no copy, which is what lets Whoosh verify thousands of candidates per query. Replaced
and deleted reports leave dead bytes behind until the index is rebuilt (``size`` against the live
texts tells how much). ``find_in_span`` finds a query word's exact bytes, respecting
word edges (a Latin word or number must not continue past the match). Appends happen under the writer lock; readers map the file and remap when the
index points past what they mapped.
"""
from __future__ import annotations

import mmap
import os
from pathlib import Path

from .analysis import WORD_CHAR_RE

__all__ = ["TextStore", "TEXTS_FILENAME", "find_in_span"]

TEXTS_FILENAME = "texts.dat"


class TextStore:
    def __init__(self, directory: Path | str):
        self.path = Path(directory) / TEXTS_FILENAME
        self._mm: mmap.mmap | None = None
        self._fh = None

    # -- writing (under the writer lock) --
    def append(self, texts: list[bytes]) -> list[tuple[int, int]]:
        """Append texts; return their (offset, length). Flushed to disk before returning."""
        spans = []
        with self.path.open("ab") as f:
            off = f.tell()
            for b in texts:
                spans.append((off, len(b)))
                off += len(b)
            f.write(b"".join(texts))
            f.flush()
            os.fsync(f.fileno())
        return spans

    # -- reading --
    def _map(self, need: int) -> mmap.mmap | None:
        if self._mm is None or len(self._mm) < need:
            self.close()
            if not self.path.exists() or self.path.stat().st_size == 0:
                return None
            self._fh = self.path.open("rb")
            self._mm = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ)
        return self._mm

    def view(self, need: int) -> mmap.mmap | None:
        """The mapped file, remapped if it is shorter than ``need`` bytes."""
        return self._map(need)

    def text(self, off: int, length: int) -> str:
        mm = self._map(off + length)
        return mm[off:off + length].decode("utf-8") if mm is not None else ""

    def size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def close(self) -> None:
        if self._mm is not None:
            self._mm.close()
            self._mm = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _char_before(mm, i: int, lo: int) -> str:
    j = i - 1
    while j > lo and (mm[j] & 0xC0) == 0x80:
        j -= 1
    return mm[j:i].decode("utf-8", "replace") if j >= lo else ""


def _char_after(mm, i: int, hi: int) -> str:
    j = i + 1
    while j < hi and (mm[j] & 0xC0) == 0x80:
        j += 1
    return mm[i:j].decode("utf-8", "replace") if i < hi else ""


def _edges_ok(mm, i: int, j: int, lo: int, hi: int, left: bool, right: bool) -> bool:
    return not (left and WORD_CHAR_RE.match(_char_before(mm, i, lo))) and \
        not (right and WORD_CHAR_RE.match(_char_after(mm, j, hi)))


def find_in_span(mm, leaf, lo: int, hi: int) -> bool:
    """Does the leaf occur in mm[lo:hi] (UTF-8 normalized text), respecting word edges?"""
    if mm is None:
        return False
    needle = leaf.needle.encode("utf-8")
    left, right = leaf.needs_word_edges
    i = mm.find(needle, lo, hi)
    while i >= 0:
        if _edges_ok(mm, i, i + len(needle), lo, hi, left, right):
            return True
        i = mm.find(needle, i + 1, hi)
    return False
