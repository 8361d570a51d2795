"""The normalized text of every indexed report, for exact phrase checks without decoding.

An append-only file (``texts.dat``) of UTF-8 normalized texts; the index keeps each report's
(offset, length). Checking a phrase is then ``mmap.find`` over that byte range: no read, no
decode, no copy, which is what lets Whoosh verify thousands of candidates per query. Replaced
and deleted reports leave dead bytes behind until the index is rebuilt (``size`` against the live
texts tells how much). ``find_in_span`` finds a query word's exact bytes, respecting
word edges (a Latin word or number must not continue past the match). Appends happen under the writer lock; readers map the file and remap when the
index points past what they mapped.

Damage is detected, never read as text: each append also writes, to ``texts.sum``, the (offset,
length, CRC-32) of every text. ``check()`` compares the file's length with them and the CRC of the
last texts (``full=True``: of every text); a read past the end of the file, or bytes that are no
UTF-8, raise ``TextStoreDamagedError`` (an ``IndexFormatError`` naming ``xxgk index --rebuild``).
An index made before ``texts.sum`` existed is checked by length only where it can be.
"""
from __future__ import annotations

import mmap
import os
import struct
import zlib
from pathlib import Path

from .analysis import WORD_CHAR_RE
from .errors import IndexFormatError

__all__ = ["TextStore", "TextStoreDamagedError", "TEXTS_FILENAME", "SUMS_FILENAME", "find_in_span"]

TEXTS_FILENAME = "texts.dat"
SUMS_FILENAME = "texts.sum"
_SUM = struct.Struct("<QQI")  # offset, length, CRC-32 of one text
# texts whose CRC a quick check reads (the newest: where a torn or truncated write shows first)
_QUICK_CHECK = 16


class TextStoreDamagedError(IndexFormatError):
    """The text store does not hold what the index says it does."""


class TextStore:
    def __init__(self, directory: Path | str):
        self.path = Path(directory) / TEXTS_FILENAME
        self.sums_path = Path(directory) / SUMS_FILENAME
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
        # after the texts: a crash between the two leaves texts no sum names (dead bytes), never the reverse
        with self.sums_path.open("ab") as f:
            f.write(b"".join(_SUM.pack(o, n, zlib.crc32(b)) for (o, n), b in zip(spans, texts)))
            f.flush()
            os.fsync(f.fileno())
        return spans

    # -- checking --
    def check(self, *, full: bool = False) -> str | None:
        """What is wrong with the file (a sentence), or None; ``full``: every text's CRC, else the newest."""
        try:
            sums = self.sums_path.read_bytes() if self.sums_path.exists() else b""
        except OSError as e:
            return f"{self.sums_path.name} cannot be read ({e.strerror or e})"
        n = len(sums) // _SUM.size
        if len(sums) % _SUM.size:  # a torn last record: the texts it names are dead bytes anyway
            sums = sums[: n * _SUM.size]
        first = 0 if full else max(0, n - _QUICK_CHECK)
        records = [_SUM.unpack_from(sums, i * _SUM.size) for i in range(first, n)]
        end = max((o + k for o, k, _ in records), default=0)
        size = self.size()
        if size < end:
            return f"{self.path.name} is {size:,} bytes, its texts need {end:,}"
        if not records:
            return None
        try:
            with self.path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                for off, length, crc in records:
                    if zlib.crc32(mm[off:off + length]) != crc:
                        return f"the text at byte {off:,} of {self.path.name} is not what was written"
        except (OSError, ValueError) as e:
            return f"{self.path.name} cannot be read ({e})"
        return None

    def _damaged(self, what: str) -> TextStoreDamagedError:
        return TextStoreDamagedError(f"the search index's text store {self.path} is damaged ({what}); "
                                     "rebuild it: xxgk index --rebuild")

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
        """The mapped file, remapped if it is shorter than ``need`` bytes (shorter still: damaged)."""
        mm = self._map(need)
        if need > (len(mm) if mm is not None else 0):
            raise self._damaged(f"{self.size():,} bytes where the index points to byte {need:,}")
        return mm

    def text(self, off: int, length: int) -> str:
        if length <= 0:
            return ""
        mm = self.view(off + length)
        try:
            return mm[off:off + length].decode("utf-8")
        except UnicodeDecodeError as e:
            raise self._damaged(f"the text at byte {off:,} is no UTF-8: {e.reason}") from None

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
