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
  decoding, and the result is an exact set, so boolean queries are plain set algebra.
* Posting lists are intersected rarest first, and the intersection stops once few candidates are
  left (reading another list would cost more than checking their text).
* Ranking is computed over the exact set: per query word, a saturated body frequency (of its
  rarest term) times idf, plus title and heading boosts (RELEVANCE_WEIGHTS).
* Facets and year sorting read year/province columns loaded once per searcher generation.
* Copies of one report (documents with a ``group``) collapse by groups.py: only the linked
  documents among the matches are looked at (a dict built with the columns).
"""
from __future__ import annotations

import heapq
from itertools import accumulate
import json
import logging
import math
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.reading import TermNotFound

from .backend import RELEVANCE_WEIGHTS, RawHit, RawResults, year_bounds
from .documents import PreparedDoc, sections_text_matching
from .errors import IndexFormatError, IndexMissingError
from .groups import collapse_ranked, representatives, surplus
from .query import And, FieldTerm, Leaf, Node, Not, Or, evaluate, positive_leaves
from .schema import whoosh_schema
from .textstore import TextStore, find_in_span
from .whoosh_writer import BulkSegmentWriter

__all__ = ["WhooshBackend"]

log = logging.getLogger(__name__)
_TEXT_FIELD = {"all": "grams", "title": "title_grams", "heading": "head_grams"}
_WRITER_LIMIT_MB = 256
# postings held in memory before a segment is written (12 bytes each, plus the sort at flush)
_SEGMENT_POSTINGS = 16_000_000
# below this many candidates a phrase is checked in the text rather than by reading more postings
_VERIFY_DIRECTLY = 500
_MAX_SEGMENTS = 12


class WhooshBackend:
    name = "whoosh"

    def __init__(self, directory: Path, *, create: bool = False):
        self.dir = Path(directory)
        wdir = self.dir / "whoosh"
        if not whoosh_index.exists_in(str(wdir)):
            if not create:
                raise IndexMissingError(f"no Whoosh index in {self.dir}")
            wdir.mkdir(parents=True, exist_ok=True)
            whoosh_index.create_in(str(wdir), whoosh_schema())
        try:
            self.ix = whoosh_index.open_dir(str(wdir))
        except Exception as exc:  # whoosh raises many kinds on a damaged index
            raise IndexFormatError(f"cannot open the Whoosh index in {wdir}: {exc}") from exc
        self.store = TextStore(self.dir)
        self._writer = None
        self._searcher = None
        self._generation = None
        self._cols: dict[str, list] = {}
        self._deleted: set[int] = set()

    # -- writing ------------------------------------------------------------------------------
    def _w(self):
        if self._writer is None:
            self._writer = BulkSegmentWriter(self.ix, limitmb=_WRITER_LIMIT_MB)
        return self._writer

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
                # merge the small segments through Whoosh's own writer (slow per posting, but small)
                self.ix.writer(limitmb=_WRITER_LIMIT_MB).commit()

    def rollback(self) -> None:
        if self._writer is not None:
            w, self._writer = self._writer, None
            w.cancel()

    def optimize(self) -> None:
        self.ix.optimize()

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
        return self._searcher

    def _load_columns(self) -> None:
        r = self._searcher.reader()
        n = r.doc_count_all()
        self._cols = {}
        for name in ("year", "province", "text_off", "text_len", "rid", "group"):
            values = list(r.column_reader(name)) if name in r.schema and r.has_column(name) else []
            self._cols[name] = values + [None] * (n - len(values))
        self._cols["year"] = [y if y else None for y in self._cols["year"]]  # 0: no year
        self._cols["province"] = [p.decode("utf-8") if p else "" for p in self._cols["province"]]
        self._deleted = set(range(n)) - set(r.all_doc_ids()) if r.has_deletions() else set()
        # linked docs (copies of one report): doc -> (report id, group); group -> its docs
        self._linked = {d: (self._cols["rid"][d], g) for d, g in enumerate(self._cols["group"])
                        if g and d not in self._deleted}
        self._members: dict[int, list[int]] = {}
        for d, (_, g) in self._linked.items():
            self._members.setdefault(g, []).append(d)
        self._text_end = [(o or 0) + (ln or 0) for o, ln in zip(self._cols["text_off"], self._cols["text_len"])]
        # facets count with numpy: years, and provinces as codes into a name list (0: none)
        names = sorted(set(self._cols["province"]) - {""})
        code = {p: i for i, p in enumerate(names, 1)}
        self._facet_cols = (np.array([y or 0 for y in self._cols["year"]], dtype=np.int32),
                            np.array([code.get(p, 0) for p in self._cols["province"]], dtype=np.int32),
                            [""] + names)
        self._store_end = max(self._text_end, default=0)

    def doc_count(self) -> int:
        return self._fresh().doc_count()

    def _df(self, field: str, term: str) -> int:
        return self._searcher.doc_frequency(field, term)

    def _read(self, field: str, term: str, weights: bool):
        """A term's postings, whole blocks at a time (the per-posting Matcher API costs ~10x more):
        a dict doc -> frequency, or with ``weights=False`` a set of docs."""
        out = {} if weights else set()
        for reader, base in self._searcher.reader().leaf_readers():
            try:
                m = reader.postings(field, term)
            except TermNotFound:
                continue
            m = getattr(m, "child", m)  # deletions are removed once, from the final set
            if hasattr(m, "_read_data") and hasattr(m, "_next_block") and not m._byteids:
                while m.is_active():
                    if m._data is None:
                        m._read_data()
                    # the block's ids are delta-encoded: accumulate() decodes them in C
                    ids = accumulate(m._data[0], initial=base) if base else accumulate(m._data[0])
                    if base:
                        next(ids)  # accumulate(initial=...) yields the initial value first
                    if weights:
                        m._read_weights()
                        out.update(zip(ids, m._weights))
                    else:
                        out.update(ids)
                    m._next_block()
            else:
                while m.is_active():
                    if weights:
                        out[m.id() + base] = m.weight()
                    else:
                        out.add(m.id() + base)
                    m.next()
        return out

    def _postings(self, field: str, term: str, memo: dict) -> dict[int, float]:
        key = (field, term, "w")
        if key not in memo:
            memo[key] = self._read(field, term, True)
        return memo[key]

    def _doc_ids(self, field: str, term: str, memo: dict):
        if (field, term, "w") in memo:
            return memo[(field, term, "w")].keys()
        key = (field, term, "s")
        if key not in memo:
            memo[key] = self._read(field, term, False)
        return memo[key]

    def _leaf_set(self, leaf: Leaf, within: set[int] | None, memo: dict) -> set[int]:
        """The leaf's candidates: intersect its terms' postings, rarest first, and stop once few
        enough are left that checking their text is cheaper than reading another posting list."""
        if not leaf.exact and within is not None and len(within) <= _VERIFY_DIRECTLY:
            return set(within)
        field = _TEXT_FIELD[leaf.field]
        terms = sorted(leaf.terms, key=lambda t: self._df(field, t))
        docs = set(self._postings(field, terms[0], memo))
        if within is not None:
            docs &= within
        for t in terms[1:]:
            if not docs or (not leaf.exact and len(docs) <= _VERIFY_DIRECTLY):
                break
            docs.intersection_update(self._doc_ids(field, t, memo))
        return docs

    def _term_set(self, ft: FieldTerm, memo: dict) -> set[int]:
        key = ("ft", ft)
        if key not in memo:
            if ft.field == "year":
                lo, hi = year_bounds(ft)
                memo[key] = {d for d, y in enumerate(self._cols["year"]) if y is not None and lo <= y <= hi}
            else:
                field = "report_id" if ft.field == "id" else ft.field
                memo[key] = set(self._doc_ids(field, ft.value, memo))
        return memo[key]

    def _candidates(self, node: Node, within: set[int] | None, memo: dict) -> tuple[set[int], bool]:
        """A superset of the matching docs, and whether it is already exact."""
        if isinstance(node, Leaf):
            cand = self._leaf_set(node, within, memo)
            if node.exact:
                return cand, True
            if node.field == "all" and not memo.get("section"):
                return self._exact_leaf(node, cand, memo), True
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
        universe = set(range(len(self._cols["year"]))) if within is None else set(within)
        s, ex = self._candidates(node.child, universe, memo)
        return (universe - s if ex else universe), ex

    def _cost(self, node: Node) -> int:
        """Order of evaluation inside an AND: exact filters, then words by their rarest term."""
        if isinstance(node, FieldTerm):
            return -1
        if isinstance(node, Leaf):
            return min(self._df(_TEXT_FIELD[node.field], t) for t in node.terms)
        return 1 << 40

    def _exact_leaf(self, leaf: Leaf, cand: set[int], memo: dict) -> set[int]:
        """The candidates whose normalized text holds the leaf: a bounded ``mmap.find`` of its
        UTF-8 bytes in each candidate's span of the text store (no read, no decode, no copy)."""
        key = ("exact", leaf)
        checked, found = memo.get(key, (set(), set()))
        todo = cand - checked
        if todo:
            mm = self.store.view(self._store_end)
            offs, ends = self._cols["text_off"], self._text_end
            if mm is None:
                pass
            elif leaf.needs_word_edges == (False, False):  # CJK at both ends: a plain find decides
                find, needle = mm.find, leaf.needle_bytes
                found |= {d for d in todo if find(needle, offs[d], ends[d]) >= 0}
            else:
                found |= {d for d in todo if find_in_span(mm, leaf, offs[d], ends[d])}
            memo[key] = (checked | todo, found)
        return found & cand

    def _verifier(self, memo: dict, section: Leaf | None):
        mm_holder = {}

        def check(d: int, node: Node) -> bool:
            off, length = self._cols["text_off"][d], self._cols["text_len"][d]
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
            text = self.store.text(self._cols["text_off"][d], self._cols["text_len"][d])
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

    def _rank(self, docs: set[int], node: Node, memo: dict, sort: str, k: int) -> list[tuple[int, float]]:
        n = max(1, len(self._cols["year"]))
        scores = dict.fromkeys(docs, 0.0)
        for leaf in positive_leaves(node):
            field = _TEXT_FIELD[leaf.field]
            rare = self._postings(field, min(leaf.terms, key=lambda t: self._df(field, t)), memo)
            idf = math.log(1 + n / (1 + len(rare)))
            weight = RELEVANCE_WEIGHTS["body" if leaf.field == "all" else leaf.field]
            for d in docs:
                tf = rare.get(d, 0.0)
                if tf:
                    scores[d] += idf * weight * tf / (tf + 1.5)
            if leaf.field == "all":
                for boost_field, w in (("title", RELEVANCE_WEIGHTS["title"]), ("heading", RELEVANCE_WEIGHTS["heading"])):
                    for d in self._leaf_set(Leaf(leaf.text, boost_field, leaf.phrase), docs, memo):
                        scores[d] += idf * w
        if sort == "year":
            years = self._cols["year"]
            key = lambda d: (years[d] or 0, scores[d], -d)
        else:
            key = lambda d: (scores[d], -d)
        return [(d, scores[d]) for d in heapq.nlargest(k, docs, key=key)]

    def close(self) -> None:
        self.rollback()
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self.store.close()


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
