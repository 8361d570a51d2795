"""A Whoosh segment writer that writes bigram postings a block at a time.

Whoosh's own writer sends every posting through a sorting pool and then through
``add_posting`` one by one: about 8 µs each, and a report has ~1,500 distinct terms, which caps
a build near 80 reports/s. ``BulkSegmentWriter`` keeps the postings of ``BigramText`` fields in
per-term arrays (document numbers arrive in order, so no sort is needed) and hands them to the
codec's posting writer in full blocks. The on-disk format is Whoosh's own: any Whoosh reader
reads it, and merges done by a standard writer work unchanged.

It never merges segments itself (``commit`` forces ``merge=False``: a merge would route old
postings through the pool and write those fields twice); the backend merges small segments
with a standard writer when they pile up.
"""
from __future__ import annotations

from array import array

from whoosh.writing import SegmentWriter

from .analysis import term_counts
from .schema import BigramText

__all__ = ["BulkSegmentWriter"]


class BulkSegmentWriter(SegmentWriter):
    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self._bulk_fields = tuple(n for n, f in self.schema.items() if isinstance(f, BigramText))
        self._bulk: dict[str, dict[str, tuple[array, array]]] = {n: {} for n in self._bulk_fields}
        self.added_docs = 0

    def add_document(self, **fields):
        grams = {n: fields.pop(n) for n in self._bulk_fields if n in fields}
        docnum = self.docnum
        super().add_document(**fields)
        self.added_docs += 1
        for name, value in grams.items():
            if not value:
                continue
            table = self._bulk[name]
            for term, freq in term_counts(value).items():
                entry = table.get(term)
                if entry is None:
                    table[term] = entry = (array("I"), array("f"))
                entry[0].append(docnum)
                entry[1].append(freq)

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
        for name in sorted(self._bulk):
            table = self._bulk[name]
            if not table:
                continue
            fw.start_field(name, self.schema[name])
            for term in sorted(table):  # str order == UTF-8 byte order
                ids, weights = table[term]
                fw.start_term(term.encode("utf-8"))
                pw = fw._postwriter
                limit = pw._blocklimit
                for i in range(0, len(ids), limit):
                    pw._ids, pw._weights, pw._values = ids[i:i + limit], weights[i:i + limit], []
                    pw._maxweight = max(pw._weights)
                    pw._minlength, pw._maxlength = None, 0
                    if i + limit < len(ids):
                        pw._write_block()
                fw.finish_term()
            fw.finish_field()
            table.clear()
