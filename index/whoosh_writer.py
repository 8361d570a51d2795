"""A Whoosh segment writer that writes bigram postings a block at a time.

Whoosh's own writer sends every posting through a sorting pool and then through
``add_posting`` one by one: about 8 µs each, and a report has ~1,500 distinct terms, which caps
a build near 80 reports/s. ``BulkSegmentWriter`` keeps the postings of ``BigramText`` fields as three
flat arrays (term id, document, frequency), groups them by term with one numpy sort at flush
time, and hands them to the codec's posting writer in full blocks (short lists inline). The on-disk format is Whoosh's own: any Whoosh reader
reads it, and merges done by a standard writer work unchanged.

Beside them it writes the same postings, with each term's first byte offset in the document, as
flat numpy files (postings_sidecar.py) under ``postings_dir``, which the backend reads by slicing.

It never merges segments itself (``commit`` forces ``merge=False``: a merge would route old
postings through the pool and write those fields twice); the backend merges small segments
with a standard writer when they pile up.
"""
from __future__ import annotations

from array import array
from itertools import repeat
from pathlib import Path

import numpy as np
from pickle import dumps

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.util.numeric import length_to_byte
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

from . import postings_sidecar
from .analysis import first_byte_offsets, term_counts
from .schema import BigramText

__all__ = ["BulkSegmentWriter", "INLINE_MAX"]

# posting lists this short go inline into the term table (Whoosh reads them with a ListMatcher):
# most bigrams are rare, and a posting block of their own costs ~25 µs each to write
INLINE_MAX = 8


class BulkSegmentWriter(SegmentWriter):
    def __init__(self, ix, postings_dir: Path | None = None, **kwargs):
        super().__init__(ix, **kwargs)
        self.postings_dir = postings_dir
        self._bulk_fields = tuple(n for n, f in self.schema.items() if isinstance(f, BigramText))
        # per field: term -> term id, and the postings as parallel arrays (term id, doc, freq, first byte)
        self._term_ids: dict[str, dict[str, int]] = {n: {} for n in self._bulk_fields}
        self._acc = {n: _new_acc() for n in self._bulk_fields}
        self.added_docs = 0
        self.pending_postings = 0  # the backend starts a new segment past a bound, to cap memory

    def add_document(self, **fields):
        grams = {n: fields.pop(n) for n in self._bulk_fields if n in fields}
        docnum = self.docnum
        super().add_document(**fields)
        self.added_docs += 1
        for name, value in grams.items():
            if not value:
                continue
            counts = term_counts(value)
            ids = self._term_ids[name]
            tids, docs, freqs, firsts = self._acc[name]
            tids.extend([ids.setdefault(t, len(ids)) for t in counts])
            docs.extend(repeat(docnum, len(counts)))
            freqs.extend(counts.values())
            if self.postings_dir is not None:
                firsts.extend(first_byte_offsets(value, counts))
            self.pending_postings += len(counts)

    def commit(self, mergetype=None, optimize=None, merge=None):
        super().commit(merge=False)

    def _flush_segment(self):
        # as SegmentWriter._flush_segment, with the bulk fields written before the files close
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, pdr, self.pool.iter_postings())
        self._write_bulk_postings()
        self.fieldwriter.close()
        if pdr:
            pdr.close()

    def _write_bulk_postings(self) -> None:
        fw = self.fieldwriter
        segment_id = self.newsegment.segment_id()
        sidecar = None if self.postings_dir is None else self.postings_dir / f".{segment_id}.tmp"
        for name in sorted(self._bulk_fields):
            terms = list(self._term_ids[name])  # index = term id
            if not terms:
                continue
            acc = self._acc[name]
            tids, docs, freqs, firsts = (np.frombuffer(a, dtype=d) for a, d in zip(acc, ("u4", "u4", "f4", "u4")))
            # number the terms in sorted order (str order == UTF-8 byte order), then group the
            # postings by that number in C; a stable sort keeps each term's documents in order
            by_text = sorted(range(len(terms)), key=terms.__getitem__)
            rank = np.empty(len(terms), np.int64)
            rank[by_text] = np.arange(len(terms))
            ranked = rank[tids]
            order = np.argsort(ranked, kind="stable")
            docs, freqs = docs[order], freqs[order]  # stay numpy: a list of 20M ints is ~700 MB
            starts = np.zeros(len(terms) + 1, np.int64)
            np.cumsum(np.bincount(ranked, minlength=len(terms)), out=starts[1:])
            if sidecar is not None:
                postings_sidecar.write_field(sidecar, name, [terms[t] for t in by_text], starts, docs, freqs,
                                             firsts[order])
            del order, ranked
            bounds = starts.tolist()
            fw.start_field(name, self.schema[name])
            for r, tid in enumerate(by_text):
                a, b = bounds[r], bounds[r + 1]
                btext = terms[tid].encode("utf-8")
                if b - a <= INLINE_MAX:
                    fw._tindex.add(pack_ushort(fw._fieldid) + btext,
                                   _inline_terminfo(docs[a:b].tolist(), freqs[a:b].tolist()))
                    continue
                fw.start_term(btext)
                pw = fw._postwriter
                limit = pw._blocklimit
                for i in range(a, b, limit):
                    j = min(b, i + limit)
                    pw._ids, pw._weights, pw._values = docs[i:j].tolist(), freqs[i:j].tolist(), []
                    pw._maxweight = max(pw._weights)
                    pw._minlength, pw._maxlength = None, 0
                    if j < b:
                        pw._write_block()
                fw.finish_term()
            fw.finish_field()
            self._term_ids[name].clear()
            self._acc[name] = _new_acc()
        if sidecar is not None:
            sidecar.mkdir(parents=True, exist_ok=True)
            postings_sidecar.publish(sidecar, self.postings_dir, segment_id)
        self.pending_postings = 0


def _new_acc() -> tuple[array, array, array, array]:
    return array("I"), array("I"), array("f"), array("I")


_TERMINFO = W3TermInfo._struct
_NO_LENGTH = length_to_byte(0)


def _inline_terminfo(ids: list, weights: list) -> bytes:
    """W3TermInfo(...).to_bytes() of an inlined posting list, without building the object."""
    n = len(ids)
    head = _TERMINFO.pack(1, float(sum(weights)), n, 0, _NO_LENGTH, max(weights), ids[0], ids[-1])
    return head + dumps((tuple(ids), tuple(weights), (b"",) * n), 2)
