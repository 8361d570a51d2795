"""A Whoosh segment writer that writes bigram postings a block at a time.

Whoosh's own writer sends every posting through a sorting pool and then through
``add_posting`` one by one: about 8 µs each, and a report has ~1,500 distinct terms, which caps
a build near 80 reports/s. ``BulkSegmentWriter`` keeps the postings of ``BigramText`` fields as three
flat arrays (term id, document, frequency), groups them by term with one numpy sort at flush
time, and hands them to the codec's posting writer in full blocks (short lists inline). The on-disk
format is Whoosh's own: any Whoosh reader reads it, and a standard writer can merge it.

Beside them it writes the same postings, with each term's first byte offset in the document, as
flat numpy files (postings_sidecar.py) under ``postings_dir``, which the backend reads by slicing.

Merges go through it too (``merge_segments``; ``small_segment_groups`` picks the segments as Whoosh's
MERGE_SMALL does, in groups no bigger than a build's segment), so a merged segment has its sidecar
like a fresh one: ``add_reader`` copies a segment's stored fields, columns and small
fields as Whoosh does, and takes its bigram postings from its sidecar, renumbered, deleted documents
left out (no posting decoded, no text analysed); a segment without a sidecar (merged by Whoosh's own writer in
an older index) has its bigram fields analysed again from ``texts_of`` (the backend's stored texts).
The new segment's sidecar is published before Whoosh's table of contents names the segment, so a
kill at any moment leaves the old segments, with their sidecars, in use. ``commit`` never merges.
"""
from __future__ import annotations

from array import array
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from pickle import dumps

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.reading import IndexReader, SegmentReader
from whoosh.system import pack_ushort
from whoosh.util import fib
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from . import postings_sidecar
from .analysis import first_byte_offsets, term_counts
from .schema import BigramText

__all__ = ["BulkSegmentWriter", "INLINE_MAX", "TextsOf", "small_segment_groups", "merge_only"]

# the normalized text of each bigram field (name -> text) of these live documents of a segment's reader
TextsOf = Callable[[IndexReader, list[int]], Iterable[dict[str, str]]]

# posting lists this short go inline into the term table (Whoosh reads them with a ListMatcher):
# most bigrams are rare, and a posting block of their own costs ~25 µs each to write
INLINE_MAX = 8


class BulkSegmentWriter(SegmentWriter):
    def __init__(self, ix, postings_dir: Path | None = None, texts_of: TextsOf | None = None, **kwargs):
        super().__init__(ix, **kwargs)
        self.postings_dir = postings_dir
        self.texts_of = texts_of
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
            self._add_text(name, docnum, value)

    def _add_text(self, name: str, docnum: int, value: str) -> None:
        if not value:
            return
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

    def merge_segments(self, policy) -> bool:
        """Merge the segments ``policy`` picks (a Whoosh merge policy: ``merge_only``, OPTIMIZE) into one
        new segment with its sidecar, and commit; when it picks none, write nothing and return False."""
        try:
            remaining = policy(self, self.segments)  # calls add_reader for each segment it merges
        except BaseException:
            self.cancel()  # the write lock released, the segment's files left for Whoosh to clean
            raise
        if not self._added:
            self.cancel()
            return False
        super().commit(mergetype=lambda _writer, _segments: remaining)
        return True

    def add_reader(self, reader) -> None:
        """Append a segment's live documents (called by the merge policy)."""
        self._check_state()
        base = self.docnum
        names = set(self.schema.names()) | {n for n in reader.indexed_field_names() if n in self.schema}
        docmap = self.write_per_doc(names, reader)  # stored fields, lengths, columns; None: nothing deleted
        new_of_old = np.full(reader.doc_count_all(), -1, np.int64)  # -1: deleted
        if docmap is None:
            new_of_old[:] = np.arange(base, base + len(new_of_old))
        elif docmap:
            new_of_old[np.fromiter(docmap.keys(), np.int64, len(docmap))] = np.fromiter(docmap.values(), np.int64, len(docmap))
        self._pool_small_fields(reader, new_of_old)
        side = None
        if self.postings_dir is not None and reader.segment() is not None:
            side = postings_sidecar.SegmentPostings.open(self.postings_dir, reader.segment().segment_id())
        if side is not None:
            self._add_sidecar(side, new_of_old)
        elif self.texts_of is not None:
            live = np.flatnonzero(new_of_old >= 0).tolist()
            for old, texts in zip(live, self.texts_of(reader, live)):
                for name in self._bulk_fields:
                    self._add_text(name, int(new_of_old[old]), texts.get(name) or "")
        else:
            raise ValueError(f"segment {reader.segment()} has no sidecar postings and the writer no texts_of")
        self._added = True

    def _pool_small_fields(self, reader, new_of_old: np.ndarray) -> None:
        """The postings of the fields other than the bigram ones (a few terms a document) through the pool,
        as Whoosh's own add_reader does; the matchers skip deleted documents."""
        add = self.pool.add
        for name in reader.indexed_field_names():
            if name not in self.schema or name in self._bulk_fields:
                continue
            for btext in reader.lexicon(name):
                m = reader.postings(name, btext)
                while m.is_active():
                    add((name, btext, int(new_of_old[m.id()]), m.weight(), m.value()))
                    m.next()

    def _add_sidecar(self, side: postings_sidecar.SegmentPostings, new_of_old: np.ndarray) -> None:
        """A segment's bigram postings from its sidecar, renumbered; a deleted document's left out. Each
        term's documents stay ascending: segments are added in order, each after the ones before."""
        for name in self._bulk_fields:
            field = side.field(name)
            if field is None:
                continue
            new_docs = new_of_old[field.docs]
            live = new_docs >= 0
            owner = np.repeat(np.arange(len(field.terms)), np.diff(field.starts))[live]  # term of each live posting
            present = np.unique(owner)  # a term only deleted documents held is left out, as a rebuild would
            ids = self._term_ids[name]
            term_ids = np.zeros(len(field.terms), np.uint32)
            term_ids[present] = np.fromiter((ids.setdefault(t.decode("utf-8"), len(ids)) for t in field.terms[present].tolist()),
                                            np.uint32, len(present))
            tids, docs, freqs, firsts = self._acc[name]
            tids.frombytes(term_ids[owner].tobytes())
            docs.frombytes(new_docs[live].astype(np.uint32).tobytes())
            freqs.frombytes(np.asarray(field.freqs[live], np.float32).tobytes())
            firsts.frombytes(np.asarray(field.firsts[live], np.uint32).tobytes())
            self.pending_postings += int(np.count_nonzero(live))

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


def small_segment_groups(segments: list, postings_of: Callable[[object], int], limit: int) -> list[list]:
    """The segments Whoosh's MERGE_SMALL would merge (the smallest, while their documents number fewer
    than a Fibonacci bound), cut into groups of at most ``limit`` postings in all, so that merging a
    group holds no more in memory than a build's segment; a group of one segment is left as it is."""
    by_size = sorted(segments, key=lambda s: s.doc_count_all())
    total, picked = 0, []
    for i, seg in enumerate(by_size):
        total += seg.doc_count_all()
        if i > 3 and total < fib(i + 5):
            picked = by_size[:i + 1]
            break
    groups, size = [[]], 0
    for seg in picked:
        n = postings_of(seg)
        if groups[-1] and size + n > limit:
            groups.append([])
            size = 0
        groups[-1].append(seg)
        size += n
    return [g for g in groups if len(g) > 1]


def merge_only(segment_ids: set[str]):
    """A merge policy: merge exactly these segments (in the index's order), keep the others."""
    def policy(writer, segments):
        kept = []
        for seg in segments:
            if seg.segment_id() not in segment_ids:
                kept.append(seg)
                continue
            reader = SegmentReader(writer.storage, writer.schema, seg)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
        return kept
    return policy
