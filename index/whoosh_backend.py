"""The default backend: Whoosh, made fast by design (measured in bench/bench_search.py).

Files: ``<dir>/whoosh/`` (the Whoosh index, schema.py) and ``<dir>/texts.dat`` (textstore.py).

* Terms without positions (unigrams, bigrams, words; frequencies only) — small postings, cheap
  writes. A query word's candidates are the intersection of its terms' postings, read a whole
  block at a time.
* Filters (region, agency, year, format) become a document set first, and every posting read
  is intersected with it before anything else happens.
* Exactness: a word that is one term (a bigram, one character, a Latin word) is decided by its
  postings. A longer word is checked in the normalized text (textstore.py) of its candidates
  only, by a bounded ``mmap.find`` of its UTF-8 bytes in each candidate's span: no positions, no
  decoding, and the result is an exact set, so boolean queries are plain set algebra. The find
  starts at the first byte where the word can be: each of its terms' first offset in the report
  (postings_sidecar.py) less the term's offset in the word, so it seldom scans more than the word.
* Bigram postings are sliced from the flat numpy sidecar files the bulk writer writes beside each
  segment (memory-mapped, no decoding). Small segments are merged by the same writer once more than
  ``_MAX_SEGMENTS`` pile up (picked as Whoosh's MERGE_SMALL picks them, merged in groups of at most
  ``_SEGMENT_POSTINGS``, the memory of a build's segment), so a merged segment has its sidecar
  too; a segment without one (merged by Whoosh's own writer in an older index) is read through
  Whoosh, a block at a time, until a merge rewrites it from the stored texts (``_bigram_texts``).
* Posting lists are intersected rarest first, and the intersection stops once few candidates are
  left (reading another list would cost more than checking their text).
* Ranking is computed over the exact set with numpy: per query word, a saturated body frequency
  (of its rarest term, its postings decoded a block at a time into arrays) times idf (from the live
  documents: deleted ones not yet merged away count for nothing), plus title and heading boosts
  (RELEVANCE_WEIGHTS); the top k by ``argpartition``, ties by report id, so an index grown by
  updates and merges ranks as a rebuilt one.
* The per-document columns (year, province, text span, report id, group, deleted) are read from
  Whoosh once per index generation and kept as one numpy file (``columns/``) that every later
  process memory-maps: a search reads no column into Python lists.
* Copies of one report (documents with a ``group``) collapse by groups.py: only the linked
  documents among the matches are looked at (a dict built from the group column).
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.reading import TermNotFound
from whoosh.writing import OPTIMIZE

from .backend import RELEVANCE_WEIGHTS, RawHit, RawResults, year_bounds
from .documents import PreparedDoc, sections_text_matching
from .errors import IndexFormatError, IndexMissingError
from .groups import collapse_ranked, representatives, surplus
from .postings_sidecar import SIDECAR_DIR, SegmentPostings, lookup_first, phrase_start_bound, remove_stale
from .query import And, FieldTerm, Leaf, Node, Not, Or, evaluate, positive_leaves
from .schema import whoosh_schema
from .textstore import TextStore, find_in_span
from .whoosh_writer import BulkSegmentWriter, merge_only, small_segment_groups

__all__ = ["WhooshBackend"]

log = logging.getLogger(__name__)
_TEXT_FIELD = {"all": "grams", "title": "title_grams", "heading": "head_grams"}
_WRITER_LIMIT_MB = 256
# postings held in memory before a segment is written (12 bytes each, plus the sort at flush)
_SEGMENT_POSTINGS = 16_000_000
# below this many candidates a phrase is checked in the text rather than by reading more postings
_VERIFY_DIRECTLY = 500
# a text check (bounded mmap.find in a report's span) costs about as much as decoding this many postings
_FIND_COST = 8
_MAX_SEGMENTS = 12
# a guess at a report's postings, for a segment without a sidecar (a report of 5-30 KB: ~1,500 distinct terms)
_POSTINGS_PER_REPORT = 2_000
_COLUMNS_DIR = "columns"
_SIDECAR_FIELDS = frozenset(_TEXT_FIELD.values())
# one row per document: the columns a search reads, memory-mapped (province: a code into names)
_COLUMN_DTYPE = np.dtype([("year", "<i4"), ("province", "<i4"), ("text_off", "<i8"), ("text_end", "<i8"),
                          ("rid", "<i8"), ("group", "<i8"), ("deleted", "u1")])


def _settled(open_fn, wdir: str, attempts: int = 20):
    """``open_fn(wdir)`` again when a writer in another process committed between Whoosh listing the
    index's latest table of contents and reading it (the old one is deleted: FileNotFoundError)."""
    for attempt in range(attempts):
        try:
            return open_fn(wdir)
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


class WhooshBackend:
    name = "whoosh"

    def __init__(self, directory: Path, *, create: bool = False):
        self.dir = Path(directory)
        wdir = self.dir / "whoosh"
        if not _settled(whoosh_index.exists_in, str(wdir)):
            if not create:
                raise IndexMissingError(f"no Whoosh index in {self.dir}")
            wdir.mkdir(parents=True, exist_ok=True)
            whoosh_index.create_in(str(wdir), whoosh_schema())
        try:
            self.ix = _settled(whoosh_index.open_dir, str(wdir))
        except Exception as exc:  # whoosh raises many kinds on a damaged index
            raise IndexFormatError(f"cannot open the Whoosh index in {wdir}: {exc}") from exc
        self.store = TextStore(self.dir)
        self._writer = None
        self._searcher = None
        self._generation = None
        self._deleted: set[int] = set()
        self._n = 0
        self._dfs: dict[tuple[str, str], int] = {}

    # -- writing ------------------------------------------------------------------------------
    def _w(self):
        if self._writer is None:
            self._writer = self._bulk_writer()
        return self._writer

    def _bulk_writer(self) -> BulkSegmentWriter:
        return BulkSegmentWriter(self.ix, postings_dir=self.dir / SIDECAR_DIR, texts_of=self._bigram_texts,
                                 limitmb=_WRITER_LIMIT_MB)

    def _bigram_texts(self, reader, docnums: list[int]):
        """What ``add`` gave each bigram field of these documents, from what the index keeps: the text
        store (grams), the stored title (title_grams) and the section headings (head_grams)."""
        offsets, lengths = reader.column_reader("text_off"), reader.column_reader("text_len")
        for d in docnums:
            stored = reader.stored_fields(d)
            headings = "\n".join(h for h, _, _ in json.loads(stored.get("sections") or "[]"))
            yield {"grams": self.store.text(offsets[d], lengths[d]), "title_grams": stored.get("title") or "",
                   "head_grams": headings}

    def add(self, docs: list[PreparedDoc], *, replace: bool) -> None:
        if not docs:
            return
        spans = self.store.append([d.all_norm.encode("utf-8") for d in docs])
        w = self._w()
        put = w.update_document if replace else w.add_document
        for d, (off, length) in zip(docs, spans):
            put(report_id=str(d.report_id), grams=d.all_norm, title_grams=d.title_norm,
                head_grams=d.headings_norm, region=",".join(d.region_names) or None,
                agency=d.agency_key or None, format=d.format or None, year=d.year or 0,
                province=d.province.encode("utf-8"), text_off=off, text_len=length, shown=d.stored(),
                rid=d.report_id, group=d.group if d.linked else 0,
                sections=d.sections_json, title=d.title_norm)
        if w.pending_postings >= _SEGMENT_POSTINGS:  # bound the writer's memory: start a new segment
            self.commit()

    def delete(self, report_ids: list[int]) -> None:
        w = self._w()
        for rid in report_ids:
            w.delete_by_term("report_id", str(rid))

    def commit(self) -> None:
        if self._writer is not None:
            w, self._writer = self._writer, None
            w.commit()
            if len(self.ix._segments()) > _MAX_SEGMENTS:
                self._merge_small()
            self._remove_stale_sidecars()

    def _merge_small(self) -> None:
        """Merge the small segments, sidecar and all (whoosh_writer.py), a group of at most a build's
        segment of postings at a time (each group one commit)."""
        root = self.dir / SIDECAR_DIR

        def postings_of(segment) -> int:
            side = SegmentPostings.open(root, segment.segment_id())
            return side.postings_count() if side is not None else segment.doc_count_all() * _POSTINGS_PER_REPORT

        for group in small_segment_groups(self.ix._segments(), postings_of, _SEGMENT_POSTINGS):
            self._bulk_writer().merge_segments(merge_only({s.segment_id() for s in group}))

    def _remove_stale_sidecars(self) -> None:
        # those of merged-away segments, and any a killed writer left (torn, or of a segment never committed)
        remove_stale(self.dir / SIDECAR_DIR, {seg.segment_id() for seg in self.ix._segments()})

    def rollback(self) -> None:
        if self._writer is not None:
            w, self._writer = self._writer, None
            w.cancel()

    def optimize(self) -> None:
        """Merge every segment into one (deleted documents dropped), with its sidecar; in memory, as a
        build of the whole index in one segment would be."""
        self._bulk_writer().merge_segments(OPTIMIZE)
        self._remove_stale_sidecars()

    # -- reading ------------------------------------------------------------------------------
    def _fresh(self):
        # a new searcher per index generation: Searcher.refresh() reuses segment readers and
        # misses deletions made in them since
        gen = self.ix.latest_generation()
        if self._searcher is None or gen != self._generation:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self.ix.searcher()
            self._generation = gen
            self._load_columns()
            # per leaf reader: its doc base and its sidecar postings (None: read through Whoosh)
            self._leaves = [(reader, base, SegmentPostings.open(self.dir / SIDECAR_DIR, reader.segment().segment_id())
                             if reader.segment() is not None else None)
                            for reader, base in self._searcher.reader().leaf_readers()]
            self._all_sidecar = all(side is not None for _, _, side in self._leaves)
        self._dfs = {}  # this query's: it asks a term's df several times, per segment
        return self._searcher

    def _load_columns(self) -> None:
        cols, names = self._cached_columns()
        self._n = len(cols)
        self._year, self._province, self._rid = cols["year"], cols["province"], cols["rid"]
        self._off, self._end = cols["text_off"], cols["text_end"]
        self._deleted = set(np.flatnonzero(cols["deleted"]).tolist())
        self._deleted_mask = cols["deleted"].astype(bool) if self._deleted else None
        self._live = self._n - len(self._deleted)
        # linked docs (copies of one report): doc -> (report id, group); group -> its docs
        group = cols["group"]
        linked = [d for d in np.flatnonzero(group).tolist() if d not in self._deleted]
        self._linked = {d: (int(self._rid[d]), int(group[d])) for d in linked}
        self._members: dict[int, list[int]] = {}
        for d, (_, g) in self._linked.items():
            self._members.setdefault(g, []).append(d)
        self._facet_cols = (self._year, self._province, names)
        self._store_end = int(self._end.max()) if self._n else 0

    def _cached_columns(self) -> tuple[np.ndarray, list[str]]:
        """The columns of this index generation: memory-mapped from ``columns/`` when a process
        wrote them already, else read from Whoosh (8 µs a document) and written there for the next."""
        segments = sorted(f"{s.segment_id()}:{s.deleted_count()}" for s in self.ix._segments())
        key = hashlib.sha1(f"{self._generation}|{'|'.join(segments)}".encode()).hexdigest()[:16]
        folder = self.dir / _COLUMNS_DIR
        npy, names_file = folder / f"{key}.npy", folder / f"{key}.names.json"
        try:
            names = json.loads(names_file.read_text("utf-8"))
            cols = np.load(npy, mmap_mode="r")
            if cols.dtype == _COLUMN_DTYPE:
                return cols, names
        except (OSError, ValueError):
            pass
        cols, names = self._read_columns()
        try:  # a read-only archive keeps them in memory only
            folder.mkdir(exist_ok=True)
            for old in folder.iterdir():
                if not old.name.startswith(key):
                    old.unlink(missing_ok=True)
            _write_atomic(names_file, lambda f: f.write(json.dumps(names, ensure_ascii=False).encode("utf-8")))
            _write_atomic(npy, lambda f: np.save(f, cols))
        except OSError as exc:
            log.debug("search columns not cached: %s", exc)
        return cols, names

    def _read_columns(self) -> tuple[np.ndarray, list[str]]:
        r = self._searcher.reader()
        n = r.doc_count_all()

        def column(name: str) -> list:
            values = list(r.column_reader(name)) if name in r.schema and r.has_column(name) else []
            return [v or 0 for v in values] + [0] * (n - len(values))

        cols = np.zeros(n, _COLUMN_DTYPE)
        for name in ("year", "text_off", "rid", "group"):
            cols[name] = column(name)
        cols["text_end"] = cols["text_off"] + np.array(column("text_len"), np.int64)
        provinces = [p.decode("utf-8") if p else "" for p in column("province")]
        names = [""] + sorted(set(provinces) - {""})
        code = {p: i for i, p in enumerate(names)}
        cols["province"] = [code[p] for p in provinces]
        if r.has_deletions():
            cols["deleted"] = 1
            cols["deleted"][np.fromiter(r.all_doc_ids(), np.int64)] = 0
        return cols, names

    def doc_count(self) -> int:
        return self._fresh().doc_count()

    def _df(self, field: str, term: str) -> int:
        if field not in _SIDECAR_FIELDS:
            return self._searcher.doc_frequency(field, term)
        key = (field, term)
        if key not in self._dfs:
            self._dfs[key] = sum(side.doc_frequency(field, term) if side is not None else reader.doc_frequency(field, term)
                                 for reader, _, side in self._leaves)
        return self._dfs[key]

    def _read(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A term's postings as arrays: docs ascending, frequencies, and the byte offset of the
        term's first occurrence in each doc's text (-1: unknown). Sliced from the sidecar files
        (postings_sidecar.py) where a segment has them, else read through Whoosh."""
        parts = []
        for reader, base, side in self._leaves:
            if side is not None and field in _SIDECAR_FIELDS:
                p = side.postings(field, term)
                if p is not None:
                    parts.append((p.docs.astype(np.int64) + base, p.freqs.astype(np.float64), p.firsts.astype(np.int64)))
                continue
            ids, freqs = self._read_whoosh(reader, base, field, term)
            parts.append((ids, freqs, np.full(len(ids), -1, np.int64)))
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64)
        if len(parts) == 1:
            return parts[0]
        return tuple(np.concatenate(column) for column in zip(*parts))

    def _read_whoosh(self, reader, base: int, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """One segment's postings of a term (docs ascending, frequencies), decoded a whole block at a
        time (the per-posting Matcher API costs ~10x more) into flat lists, made arrays once."""
        deltas: list[int] = []
        freqs: list[float] = []
        starts: list[int] = []  # where each block starts in ``deltas``
        bases: list[int] = []  # the segment's first doc number, per block
        try:
            m = reader.postings(field, term)
        except TermNotFound:
            return np.zeros(0, np.int64), np.zeros(0)
        m = getattr(m, "child", m)  # deletions are removed once, from the final set
        if hasattr(m, "_read_data") and hasattr(m, "_next_block") and not m._byteids:
            while m.is_active():
                if m._data is None:
                    m._read_data()
                ids, weights = m._data[0], m._data[1]
                starts.append(len(deltas))
                bases.append(base)
                deltas.extend(ids)  # the block's ids are delta-encoded, its first one absolute
                if weights is None or isinstance(weights, float):
                    weights = [1.0 if weights is None else weights] * len(ids)
                freqs.extend(weights)
                m._next_block()
        else:
            while m.is_active():  # a short list inline in the term table: ids absolute
                starts.append(len(deltas))
                bases.append(m.id() + base)
                deltas.append(0)
                freqs.append(m.weight())
                m.next()
        ids = np.cumsum(np.array(deltas, np.int64))
        if len(starts) > 1:  # each block sums from its own first id: take off what the blocks before added
            lengths = np.diff(np.append(starts, len(ids)))
            before = np.zeros(len(starts), np.int64)
            before[1:] = ids[np.array(starts[1:]) - 1]
            ids -= np.repeat(before, lengths)
            ids += np.repeat(np.array(bases, np.int64), lengths)
        elif bases:
            ids += bases[0]
        return ids, np.array(freqs, np.float64)

    def _postings(self, field: str, term: str, memo: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        key = (field, term, "w")
        if key not in memo:
            memo[key] = self._read(field, term)
        return memo[key]

    def _doc_ids(self, field: str, term: str, memo: dict) -> set[int]:
        key = (field, term, "s")
        if key not in memo:
            memo[key] = set(self._postings(field, term, memo)[0].tolist())
        return memo[key]

    def _leaf_set(self, leaf: Leaf, within: set[int] | None, memo: dict, text_checked: bool = False,
                  as_array: bool = False):
        """The leaf's candidates: intersect its terms' postings, rarest first, and stop once few
        enough are left that checking their text is cheaper than reading another posting list.
        ``text_checked``: each candidate's text will be searched for the leaf (a ``find`` costs
        about as much as decoding ``_FIND_COST`` postings), so a term is read only if the
        candidates it would rule out (if it were independent of the others) save more than it costs."""
        if not leaf.exact and within is not None and len(within) <= _VERIFY_DIRECTLY:
            return np.sort(np.fromiter(within, np.int64, len(within))) if as_array else set(within)
        field = _TEXT_FIELD[leaf.field]
        terms = sorted(leaf.terms, key=lambda t: self._df(field, t))
        n = max(1, self._n)
        # intersected as arrays through a mask of the index's size (a set per posting list costs ~1 ms)
        docs = self._postings(field, terms[0], memo)[0]
        if within is not None:
            docs = _keep(docs, np.fromiter(within, np.int64, len(within)), n)
        for t in terms[1:]:
            if not len(docs) or (not leaf.exact and len(docs) <= _VERIFY_DIRECTLY):
                break
            df = self._df(field, t)
            # (from the sidecar a list costs next to nothing, and its first offsets shorten the check)
            if text_checked and not leaf.exact and not self._all_sidecar and len(docs) * (1 - df / n) * _FIND_COST < df:
                break
            docs = _keep(docs, self._postings(field, t, memo)[0], n)
        return docs if as_array else set(docs.tolist())

    def _term_set(self, ft: FieldTerm, memo: dict) -> set[int]:
        key = ("ft", ft)
        if key not in memo:
            if ft.field == "year":
                lo, hi = year_bounds(ft)
                y = self._year
                memo[key] = set(np.flatnonzero((y != 0) & (y >= lo) & (y <= hi)).tolist())
            else:
                field = "report_id" if ft.field == "id" else ft.field
                memo[key] = set(self._doc_ids(field, ft.value, memo))
        return memo[key]

    def _candidates(self, node: Node, within: set[int] | None, memo: dict) -> tuple[set[int], bool]:
        """A superset of the matching docs, and whether it is already exact."""
        if isinstance(node, Leaf):
            checked_here = node.field == "all" and not memo.get("section")
            if checked_here and not node.exact:  # candidates stay an array until the text check is done
                return self._exact_leaf(node, self._leaf_set(node, within, memo, True, as_array=True), memo), True
            cand = self._leaf_set(node, within, memo, text_checked=checked_here)
            if node.exact:
                return cand, True
            return cand, False  # title/heading words and section searches: checked per report
        if isinstance(node, FieldTerm):
            s = self._term_set(node, memo)
            return (s if within is None else s & within), True
        if isinstance(node, And):
            pos = [c for c in node.children if not isinstance(c, Not)]
            neg = [c.child for c in node.children if isinstance(c, Not)]
            docs, exact = within, True
            for c in sorted(pos, key=lambda c: self._cost(c)):  # filters first, then the rarest words
                docs, ex = self._candidates(c, docs, memo)
                exact &= ex
            for c in neg:
                s, ex = self._candidates(c, docs, memo)
                if ex:
                    docs = docs - s
                exact &= ex
            return docs, exact
        if isinstance(node, Or):
            docs, exact = set(), True
            for c in node.children:
                s, ex = self._candidates(c, within, memo)
                docs |= s
                exact &= ex
            return docs, exact
        universe = set(range(self._n)) if within is None else set(within)
        s, ex = self._candidates(node.child, universe, memo)
        return (universe - s if ex else universe), ex

    def _cost(self, node: Node) -> int:
        """Order of evaluation inside an AND: exact filters, then words by their rarest term."""
        if isinstance(node, FieldTerm):
            return -1
        if isinstance(node, Leaf):
            return min(self._df(_TEXT_FIELD[node.field], t) for t in node.terms)
        return 1 << 40

    def _exact_leaf(self, leaf: Leaf, cand: np.ndarray, memo: dict) -> set[int]:
        """The candidates (an ascending array) whose normalized text holds the leaf: a bounded
        ``mmap.find`` of its UTF-8 bytes in each candidate's span of the text store (no read, no
        decode, no copy)."""
        key = ("exact", leaf)
        checked, found = memo.get(key, (set(), set()))
        docs = cand[~np.isin(cand, np.fromiter(checked, np.int64, len(checked)))] if checked else cand
        if len(docs):
            todo = set(docs.tolist())
            mm = self.store.view(self._store_end)  # docs ascending are in store order: the reads run forward
            # where each can first hold the leaf (its terms' first offsets); a doc lacking a term holds it nowhere
            start, lacking, placed = self._phrase_starts(leaf, docs, memo)
            found |= set(docs[placed & ~lacking].tolist())  # its terms first where the leaf would be: no find
            rest = ~lacking & ~placed
            docs, start = docs[rest], start[rest]
            if mm is None:
                pass
            elif leaf.needs_word_edges == (False, False):  # CJK at both ends: a plain find decides
                find, needle = mm.find, leaf.needle_bytes
                spans = zip(docs.tolist(), (self._off[docs] + start).tolist(), self._end[docs].tolist())
                found |= {d for d, a, b in spans if find(needle, a, b) >= 0}
            else:  # the edge check looks before the match: search the whole span
                spans = zip(docs.tolist(), self._off[docs].tolist(), self._end[docs].tolist())
                found |= {d for d, a, b in spans if find_in_span(mm, leaf, a, b)}
            memo[key] = (checked | todo, found)
        return found if not checked else found & set(cand.tolist())

    def _phrase_starts(self, leaf: Leaf, docs: np.ndarray, memo: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per doc, the byte (from its text's start) before which the leaf cannot occur, from the first
        offsets of the leaf's terms already read; which docs lack one of those terms; and which
        surely hold the leaf (every term read, each first where the leaf would start)."""
        field = _TEXT_FIELD[leaf.field]
        known = [(lookup_first(*memo[(field, t, "w")][::2], docs), offset)
                 for t, offset in leaf.term_byte_offsets if (field, t, "w") in memo]
        start, lacking, aligned = phrase_start_bound(known, len(docs))
        if not (leaf.placed_by_first_terms and len(known) == len(leaf.terms)):
            aligned[:] = False
        return start, lacking, aligned

    def _verifier(self, memo: dict, section: Leaf | None):
        mm_holder = {}

        def check(d: int, node: Node) -> bool:
            off, end = int(self._off[d]), int(self._end[d])
            length = end - off
            mm = mm_holder.get("mm")
            if mm is None or len(mm) < off + length:
                mm = mm_holder["mm"] = self.store.view(off + length)
            section_text = None
            if section is not None:
                section_text = sections_text_matching(mm[off:off + length].decode("utf-8"),
                                                      self._searcher.stored_fields(d)["sections"], section)
                if not section_text:
                    return False

            def leaf_ok(leaf: Leaf) -> bool:
                if leaf.field == "all" and section_text is not None:
                    return leaf.matches(section_text)
                if leaf.exact:
                    return d in self._doc_ids(_TEXT_FIELD[leaf.field], leaf.terms[0], memo)
                if leaf.field == "all":
                    return find_in_span(mm, leaf, off, off + length)
                return leaf.matches(_stored_text(self._searcher.stored_fields(d), leaf.field))

            return evaluate(node, leaf_ok, lambda ft: d in self._term_set(ft, memo))

        return check

    def search(self, node: Node, filters: list[FieldTerm], section: Leaf | None, *, sort: str,
               offset: int, limit: int, collapse: bool = True, facets: bool = True) -> RawResults:
        s = self._fresh()
        memo: dict = {"section": section is not None}
        within = None
        for ft in filters:
            fs = self._term_set(ft, memo)
            within = set(fs) if within is None else within & fs
        if section is not None:
            within = self._leaf_set(section, within, memo)
        docs, exact = self._candidates(node, within, memo)
        docs -= self._deleted
        if not exact or section is not None:
            check = self._verifier(memo, section)
            docs = {d for d in docs if check(d, node)}
        rep_doc: dict[int, int] = {}  # linked matching doc -> the doc its group shows
        if collapse and self._linked:
            doc_of = {self._linked[d][0]: d for d in docs if d in self._linked}
            rep_of = representatives((rid, self._linked[d][1]) for rid, d in doc_of.items())
            rep_doc = {doc_of[rid]: doc_of[rep] for rid, rep in rep_of.items()}
            docs_shown = docs - {doc_of[rid] for rid in surplus(rep_of)}
        else:
            docs_shown = docs
        facet_cols = self._facet_cols
        counts = lambda: _count_facets(docs_shown, *facet_cols)  # noqa: E731 — on first use (cheap either way)
        ranked = self._rank(docs, node, memo, sort, offset + limit + len(docs) - len(docs_shown))
        if rep_doc:
            ranked = collapse_ranked(ranked, rep_doc)
        hits = []
        for d, score in ranked[offset:offset + limit]:
            stored = s.stored_fields(d)
            off = int(self._off[d])
            text = self.store.text(off, int(self._end[d]) - off)
            hits.append(RawHit(int(stored["report_id"]), score, dict(stored["shown"]), text,
                               self._copies(d) if collapse else []))
        return RawResults(len(docs_shown), hits, counts)

    def _copies(self, d: int) -> list[dict]:
        """The other copies of doc ``d``'s report in the index: report id and URL."""
        if d not in self._linked:
            return []
        return [{"report_id": self._linked[m][0], "url": self._searcher.stored_fields(m)["shown"].get("url") or ""}
                for m in sorted(self._members[self._linked[d][1]], key=lambda m: self._linked[m][0]) if m != d]

    def linked_groups(self) -> dict[int, int]:
        """report id -> group of every linked document in the index."""
        self._fresh()
        return {rid: g for rid, g in self._linked.values()}

    def _live_count(self, ids: np.ndarray) -> int:
        """How many of these postings' documents are not deleted."""
        return len(ids) if self._deleted_mask is None else len(ids) - int(np.count_nonzero(self._deleted_mask[ids]))

    def _rank(self, docs: set[int], node: Node, memo: dict, sort: str, k: int) -> list[tuple[int, float]]:
        n = max(1, self._live)
        d = np.fromiter(docs, np.int64, len(docs))
        d.sort()
        scores = np.zeros(len(d))
        for leaf in positive_leaves(node):
            field = _TEXT_FIELD[leaf.field]
            ids, freqs, _ = self._postings(field, min(leaf.terms, key=lambda t: self._df(field, t)), memo)
            idf = math.log(1 + n / (1 + self._live_count(ids)))
            weight = RELEVANCE_WEIGHTS["body" if leaf.field == "all" else leaf.field]
            tf = _lookup(ids, freqs, d)
            scores += idf * weight * tf / (tf + 1.5)
            if leaf.field == "all":
                for boost_field, w in (("title", RELEVANCE_WEIGHTS["title"]), ("heading", RELEVANCE_WEIGHTS["heading"])):
                    boosted = self._leaf_set(Leaf(leaf.text, boost_field, leaf.phrase), docs, memo)
                    if boosted:
                        scores[np.isin(d, np.fromiter(boosted, np.int64, len(boosted)))] += idf * w
        years = self._year[d] if sort == "year" else None
        top = top_k(np.asarray(self._rid[d]), scores, k, years)
        return list(zip(d[top].tolist(), scores[top].tolist()))

    def close(self) -> None:
        self.rollback()
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self.store.close()


def _keep(docs: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    """The docs (any order, no repeats) that are among ``ids``, every number below ``n``."""
    among = np.zeros(n, bool)
    among[ids] = True
    return docs[among[docs]]


def _lookup(ids: np.ndarray, values: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """values[i] where ids[i] == doc, for each of ``docs`` (0 where a doc is not in ``ids``); ids ascending."""
    if not len(ids) or not len(docs):
        return np.zeros(len(docs))
    at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
    return np.where(ids[at] == docs, values[at], 0.0)


def top_k(docs: np.ndarray, scores: np.ndarray, k: int, years: np.ndarray | None = None) -> np.ndarray:
    """Positions of the best ``k``, best first: highest score, ties by lower ``docs`` key (the report id:
    the same order however the index's segments were written); with ``years``,
    latest year first, then score. ``argpartition`` finds the k-th key; only the docs at or above
    it are sorted, so ties at the boundary are ordered exactly as a full sort would."""
    primary = scores if years is None else years
    if k < len(docs):
        kth = -np.partition(-primary, k - 1)[k - 1]
        keep = np.flatnonzero(primary >= kth)
    else:
        keep = np.arange(len(docs))
    keys = (docs[keep], -scores[keep]) if years is None else (docs[keep], -scores[keep], -years[keep])
    return keep[np.lexsort(keys)][:k]


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        write(f)
    tmp.replace(path)


def _count_facets(docs: set[int], years: np.ndarray, provinces: np.ndarray, names: list[str]) -> dict[str, dict]:
    idx = np.fromiter(docs, np.int64, len(docs))
    by_year = np.bincount(years[idx]) if len(idx) else np.zeros(0, np.int64)
    by_code = np.bincount(provinces[idx], minlength=len(names)) if len(idx) else np.zeros(len(names), np.int64)
    year_counts = {int(y): int(n) for y in np.flatnonzero(by_year) if y and (n := by_year[y])}
    province_counts = sorted(((names[c], int(by_code[c])) for c in np.flatnonzero(by_code) if c), key=lambda kv: -kv[1])
    return {"year": year_counts, "province": dict(province_counts)}


def _stored_text(stored: dict, field: str) -> str:
    if field == "title":
        return stored.get("title") or ""
    return "\n".join(h for h, _, _ in json.loads(stored.get("sections") or "[]"))
