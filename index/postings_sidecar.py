"""A segment's bigram postings as flat numpy files beside Whoosh's own, read by slicing a memory map.

Whoosh decodes a posting list 128 postings at a time (a pickle and a zlib block each): ~5 ms for a
term in every one of 20,000 reports. ``BulkSegmentWriter`` also writes, per segment and per bigram
field, five ``.npy`` files under ``<index>/postings/<segment id>/``: the sorted terms (fixed-width
UTF-8), where each term's postings start, and the postings as three arrays — document (segment
numbering), frequency, and the UTF-8 byte offset of the term's first occurrence in the document's
normalized text. Reading a term is then a binary search and three slices.

The first offsets let a phrase check start where the phrase can first be: a phrase occurring at
byte p has each of its terms at p + (the term's offset in the phrase), so p ≥ first(term) − offset
for every term (``phrase_start_bound``), and ``mmap.find`` starts there instead of at the top.

Merges write them too (the bulk writer merges segments from their sidecars, ``SegmentPostings.field``),
so every segment has them; a segment without them (merged by Whoosh's own writer in an older index)
is read through Whoosh until a merge rewrites it. The files of segments gone from the index are
removed by ``remove_stale``.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["SIDECAR_DIR", "SegmentPostings", "FieldPostings", "TermPostings", "write_field", "publish", "remove_stale",
           "lookup_first", "phrase_start_bound"]

SIDECAR_DIR = "postings"
_PARTS = ("terms", "starts", "docs", "freqs", "firsts")
_COMPLETE = "complete"  # written last: a folder without it is a torn write, never read


@dataclass(frozen=True, slots=True)
class TermPostings:
    docs: np.ndarray  # segment document numbers, ascending
    freqs: np.ndarray
    firsts: np.ndarray  # byte offset of the term's first occurrence in each document's text


@dataclass(frozen=True, slots=True)
class FieldPostings:
    """A whole field of a segment's sidecar (memory-mapped): the postings of terms[i] at starts[i]:starts[i+1]."""
    terms: np.ndarray  # sorted UTF-8, fixed width
    starts: np.ndarray
    docs: np.ndarray
    freqs: np.ndarray
    firsts: np.ndarray


class SegmentPostings:
    """The sidecar of one segment; fields load (memory-mapped) on first use."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._fields: dict[str, dict[str, np.ndarray] | None] = {}

    @classmethod
    def open(cls, root: Path, segment_id: str) -> "SegmentPostings | None":
        folder = root / segment_id
        return cls(folder) if (folder / _COMPLETE).exists() else None

    def _field(self, field: str) -> dict[str, np.ndarray] | None:
        if field not in self._fields:
            try:
                # plain views of the maps: slicing a np.memmap costs a Python-level __getitem__ each time
                self._fields[field] = {p: np.load(self.folder / f"{field}.{p}.npy", mmap_mode="r").view(np.ndarray)
                                       for p in _PARTS}
            except FileNotFoundError:  # no document had this field
                self._fields[field] = None
        return self._fields[field]

    def postings_count(self) -> int:
        """How many postings the segment's fields hold together (what merging it costs in memory)."""
        return sum(len(np.load(f, mmap_mode="r")) for f in self.folder.glob("*.docs.npy"))

    def field(self, field: str) -> FieldPostings | None:
        """All of a field's postings (None: no document of the segment had the field)."""
        arrays = self._field(field)
        return None if arrays is None else FieldPostings(**arrays)

    def _range(self, field: str, term: str) -> tuple[dict, int, int] | None:
        arrays = self._field(field)
        if arrays is None:
            return None
        terms, key = arrays["terms"], term.encode("utf-8")
        if len(key) > terms.dtype.itemsize or not len(key):
            return None
        i = int(np.searchsorted(terms, key))
        if i >= len(terms) or terms[i] != key:
            return None
        return arrays, int(arrays["starts"][i]), int(arrays["starts"][i + 1])

    def doc_frequency(self, field: str, term: str) -> int:
        r = self._range(field, term)
        return 0 if r is None else r[2] - r[1]

    def postings(self, field: str, term: str) -> TermPostings | None:
        r = self._range(field, term)
        if r is None:
            return None
        arrays, a, b = r
        return TermPostings(np.asarray(arrays["docs"][a:b]), np.asarray(arrays["freqs"][a:b]),
                            np.asarray(arrays["firsts"][a:b]))


def write_field(folder: Path, field: str, terms: list[str], starts: np.ndarray, docs: np.ndarray,
                freqs: np.ndarray, firsts: np.ndarray) -> None:
    """One field's postings; ``terms`` sorted, the postings of term i at ``starts[i]:starts[i+1]``."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {"terms": np.array([t.encode("utf-8") for t in terms]), "starts": starts.astype(np.int64),
              "docs": docs.astype(np.uint32), "freqs": freqs.astype(np.float32), "firsts": firsts.astype(np.uint32)}
    for part, values in arrays.items():
        np.save(folder / f"{field}.{part}.npy", values)


def publish(tmp: Path, root: Path, segment_id: str) -> None:
    """Move a written sidecar into place and mark it complete."""
    (tmp / _COMPLETE).touch()
    final = root / segment_id
    shutil.rmtree(final, ignore_errors=True)
    tmp.replace(final)


def remove_stale(root: Path, keep: set[str]) -> None:
    """Remove the sidecars of segments no longer in the index (merged away) and torn writes."""
    if not root.is_dir():
        return
    for folder in root.iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def lookup_first(ids: np.ndarray, firsts: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """firsts[i] where ids[i] == doc, per doc; -2 where the doc lacks the term (ids ascending;
    a first offset of -1 means unknown: a segment read through Whoosh)."""
    if not len(ids):
        return np.full(len(docs), -2, np.int64)
    at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
    return np.where(ids[at] == docs, firsts[at], -2)


def phrase_start_bound(term_firsts: list[tuple[np.ndarray, int]], n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From (first offsets per candidate, the term's byte offset in the phrase) of some of a phrase's
    terms: the byte where each candidate's search may start; which candidates lack a term (they
    cannot hold the phrase); and which have every one of these terms first at the same start (if
    they are all the phrase's terms, each once in it, and cover it without a gap, the phrase is there)."""
    start = np.zeros(n_docs, np.int64)
    lowest = np.full(n_docs, np.iinfo(np.int64).max)
    missing = np.zeros(n_docs, bool)
    unknown = np.zeros(n_docs, bool)
    for firsts, offset in term_firsts:
        missing |= firsts == -2
        unknown |= firsts < 0
        at = firsts - offset
        start = np.maximum(start, np.where(firsts >= 0, at, 0))
        lowest = np.minimum(lowest, at)
    aligned = ~unknown & (start == lowest) if term_firsts else np.zeros(n_docs, bool)
    return start, missing, aligned
