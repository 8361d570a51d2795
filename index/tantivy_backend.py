"""The tantivy backend (``pip install 'xxgk[tantivy]'``), for large archives.

Files: ``<dir>/tantivy/``. The same terms as every backend (analysis.py) reach tantivy as
a whitespace-separated token stream (analysis.token_stream) with positions: a query word becomes one term query or one phrase query over
(term, offset) pairs, so a CJK string is matched contiguously by tantivy itself and the whole
query tree runs in Rust. Facets come from one aggregation over fast fields, run in a worker
thread beside the search (tantivy releases the GIL) on a lean copy of the query (no scoring
clauses), so asking for them costs little wall time. Copies of one report (documents with a
``group``) collapse by groups.py: the few linked documents that match are fetched by a second,
small query (the query AND linked), and the aggregation's counts are corrected by the copies it
should not have counted. Only two rare cases
are checked in Python against the stored normalized text: a word with punctuation or spaces
inside (positions see a gap, not which characters fill it) and ``section`` searches.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import tantivy

from .analysis import token_stream
from .backend import RELEVANCE_WEIGHTS, RawHit, RawResults, year_bounds
from .errors import IndexFormatError, IndexMissingError, SearchIndexError
from .groups import collapse_ranked, representatives, surplus
from .query import And, FieldTerm, Leaf, Node, Not, Or, evaluate

if TYPE_CHECKING:  # a thread for the facets is started only by a process that searches many times
    from concurrent.futures import ThreadPoolExecutor

    from .documents import PreparedDoc

__all__ = ["TantivyBackend", "tantivy_schema"]

_HEAP_BYTES = 256_000_000
_TEXT_FIELD = {"all": "grams", "title": "title_grams", "heading": "head_grams"}
_Occur = tantivy.Occur
_STORED = ("shown", "body", "extra")
_TOKENIZER = "xxgk_stream"


def tantivy_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("report_id", stored=True, indexed=True, fast=True)
    for name in _TEXT_FIELD.values():
        sb.add_text_field(name, stored=False, index_option="position", tokenizer_name=_TOKENIZER)
    for name in ("region", "agency", "format"):
        sb.add_text_field(name, stored=False, tokenizer_name="raw")
    sb.add_text_field("province", stored=False, fast=True, tokenizer_name="raw")
    sb.add_integer_field("year", stored=False, indexed=True, fast=True)
    sb.add_integer_field("group", stored=False, indexed=True, fast=True)
    sb.add_integer_field("linked", stored=False, indexed=True, fast=True)  # 1: one of several copies
    sb.add_integer_field("province_key", stored=False, fast=True)  # _province_key(province)
    for name in _STORED:  # stored only, never searched
        sb.add_bytes_field(name, stored=True, indexed=False)
    return sb.build()


def _stream(norm: str) -> str:
    # tantivy's whitespace tokenizer turns this back into our terms at C speed; building one
    # Python Token per term (PreTokenizedString) costs ~2 µs each, most of a build
    return " ".join(token_stream(norm))


class TantivyBackend:
    name = "tantivy"

    def __init__(self, directory: Path, *, create: bool = False):
        self.dir = Path(directory)
        tdir = self.dir / "tantivy"
        self.schema = tantivy_schema()
        if not (tdir / "meta.json").exists() and not create:
            raise IndexMissingError(f"no tantivy index in {self.dir}")
        tdir.mkdir(parents=True, exist_ok=True)
        self._shadow: Path | None = None
        try:
            self.ix = tantivy.Index(self.schema, path=str(tdir), reuse=True)
        except ValueError as exc:
            if create or os.access(tdir, os.W_OK):
                raise IndexFormatError(f"cannot open the tantivy index in {tdir}: {exc}") from exc
            self.ix = self._open_read_only(tdir)
        self.ix.register_tokenizer(_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
        self._writer = None
        self._executor: ThreadPoolExecutor | None = None

    def _open_read_only(self, tdir: Path) -> "tantivy.Index":
        """A read-only archive: tantivy takes a lock file beside the index even to read, so it
        reads the index's files through links in a writable temporary folder (removed on close)."""
        import tempfile  # only for an index on read-only storage

        self._shadow = Path(tempfile.mkdtemp(prefix="xxgk-tantivy-ro-"))
        for f in tdir.iterdir():
            if not f.name.endswith(".lock"):
                (self._shadow / f.name).symlink_to(f)
        try:
            return tantivy.Index(self.schema, path=str(self._shadow), reuse=True)
        except ValueError as exc:
            import shutil

            shutil.rmtree(self._shadow, ignore_errors=True)
            raise IndexFormatError(f"cannot open the tantivy index in {tdir}: {exc}") from exc

    # -- writing ------------------------------------------------------------------------------
    def _w(self):
        if self._writer is None:
            self._writer = self.ix.writer(heap_size=_HEAP_BYTES, num_threads=1)
        return self._writer

    def add(self, docs: list[PreparedDoc], *, replace: bool) -> None:
        w = self._w()
        for d in docs:
            if replace:
                w.delete_documents_by_term("report_id", d.report_id)
            doc = tantivy.Document()
            doc.add_integer("report_id", d.report_id)
            doc.add_text("grams", _stream(d.all_norm))
            doc.add_text("title_grams", _stream(d.title_norm))
            doc.add_text("head_grams", _stream(d.headings_norm))
            for name in d.region_names:
                doc.add_text("region", name)
            if d.agency_key:
                doc.add_text("agency", d.agency_key)
            if d.format:
                doc.add_text("format", d.format)
            doc.add_text("province", d.province)
            doc.add_integer("province_key", _province_key(d.province))
            doc.add_integer("group", d.group)
            doc.add_integer("linked", int(d.linked))
            if d.year is not None:
                doc.add_integer("year", d.year)
            doc.add_bytes("shown", _json_bytes(d.stored()))
            doc.add_bytes("body", d.all_norm.encode("utf-8"))
            doc.add_bytes("extra", _json_bytes({"sections": d.sections_json, "title": d.title_norm,
                                              "headings": d.headings_norm, "region": list(d.region_names),
                                              "agency": d.agency_key, "format": d.format,
                                              "group": d.group, "linked": d.linked}))
            w.add_document(doc)

    def delete(self, report_ids: list[int]) -> None:
        w = self._w()
        for rid in report_ids:
            w.delete_documents_by_term("report_id", int(rid))

    def commit(self) -> None:
        if self._writer is not None:
            w, self._writer = self._writer, None
            w.commit()
            w.wait_merging_threads()
            self.ix.reload()

    def rollback(self) -> None:
        if self._writer is not None:
            w, self._writer = self._writer, None
            w.rollback()

    # -- queries ------------------------------------------------------------------------------
    def _words(self, leaf: Leaf, field: str) -> tantivy.Query:
        terms = leaf.stream_terms
        if len(terms) == 1:
            t, is_regex = terms[0]
            if is_regex:
                return tantivy.Query.regex_query(self.schema, field, t)
            return tantivy.Query.term_query(self.schema, field, t, index_option="freq")
        if any(is_regex for _, is_regex in terms):
            return tantivy.Query.regex_phrase_query(self.schema, field,
                                                    [t if r else re.escape(t) for t, r in terms])
        return tantivy.Query.phrase_query(self.schema, field, [t for t, _ in terms])

    def _leaf(self, leaf: Leaf, lean: bool = False) -> tantivy.Query:
        q = self._words(leaf, _TEXT_FIELD[leaf.field])
        if lean:  # matching only: the title/heading clauses below just score
            return q
        if leaf.field != "all":
            return tantivy.Query.boost_query(q, RELEVANCE_WEIGHTS[leaf.field])
        return tantivy.Query.boolean_query([
            (_Occur.Must, q),
            (_Occur.Should, tantivy.Query.boost_query(self._words(leaf, "title_grams"), RELEVANCE_WEIGHTS["title"])),
            (_Occur.Should, tantivy.Query.boost_query(self._words(leaf, "head_grams"), RELEVANCE_WEIGHTS["heading"])),
        ])

    def _term(self, ft: FieldTerm) -> tantivy.Query:
        if ft.field == "year":
            lo, hi = year_bounds(ft)
            return tantivy.Query.range_query(self.schema, "year", tantivy.FieldType.Integer, lo, hi)
        if ft.field == "id":
            return tantivy.Query.term_query(self.schema, "report_id", int(ft.value))
        return tantivy.Query.term_query(self.schema, ft.field, ft.value)

    def _query(self, node: Node, lean: bool = False) -> tantivy.Query:
        if isinstance(node, Leaf):
            return self._leaf(node, lean)
        if isinstance(node, FieldTerm):
            return tantivy.Query.const_score_query(self._term(node), 0.0)
        if isinstance(node, And):
            return tantivy.Query.boolean_query([
                (_Occur.MustNot, self._query(c.child, lean)) if isinstance(c, Not) else (_Occur.Must, self._query(c, lean))
                for c in node.children])
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(_Occur.Should, self._query(c, lean)) for c in node.children])
        return tantivy.Query.boolean_query([(_Occur.Must, tantivy.Query.all_query()),
                                            (_Occur.MustNot, self._query(node.child, lean))])

    def _full_query(self, node: Node, filters: list[FieldTerm], section: Leaf | None, lean: bool) -> tantivy.Query:
        clauses = [(_Occur.Must, self._query(node, lean))] + [
            (_Occur.Must, tantivy.Query.const_score_query(self._term(f), 0.0)) for f in filters]
        if section is not None:
            clauses.append((_Occur.Must, tantivy.Query.const_score_query(self._words(section, "head_grams"), 0.0)))
        return tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else clauses[0][1]

    def search(self, node: Node, filters: list[FieldTerm], section: Leaf | None, *, sort: str,
               offset: int, limit: int, collapse: bool = True, facets: bool = True) -> RawResults:
        q = self._full_query(node, filters, section, lean=False)
        searcher = self.ix.searcher()
        order = {"order_by_field": "year"} if sort == "year" else {}
        try:
            n_linked = self._count(searcher, self._linked_query()) if collapse else 0
            if section is not None or _has_gap(node):
                return self._search_verified(searcher, q, node, section, order, offset, limit, collapse, n_linked)
            lean = self._full_query(node, filters, section, lean=True)
            # facets: counted beside the search when wanted, else only if asked for later
            agg = (self._pool() if facets else _Later).submit(searcher.aggregate, lean, _FACET_AGG)
            linked = self._linked_matches(searcher, lean, n_linked) if n_linked else []
            rep_of = representatives((rid, g) for rid, g, *_ in linked)
            drop = surplus(rep_of)
            if not drop:
                res = searcher.search(q, limit=limit, offset=offset, count=True, **order)
                ranked = res.hits
            else:  # a page of groups: read past the copies that fold into an earlier hit
                res = searcher.search(q, limit=offset + limit + len(drop), count=True, **order)
                rids = searcher.fast_field_values("report_id", [a for _, a in res.hits])
                addr_of = {rid: a for rid, _, _, _, a in linked} | {r: a for r, (_, a) in zip(rids, res.hits)}
                ranked = [(s, addr_of[rep]) for rep, s in collapse_ranked(
                    ((r, s) for r, (s, _) in zip(rids, res.hits)), rep_of)][offset:offset + limit]
            # sorted by year, tantivy hands back the year instead of a score
            hits = self._raw_hits(searcher, [(0.0 if order else s, a) for s, a in ranked], collapse)
            facets = lambda: _minus_copies(_facets(_agg_result(agg)), [l for l in linked if l[0] in drop])  # noqa: E731
            return RawResults(res.count - len(drop), hits, facets)
        except ValueError as exc:
            raise SearchIndexError(f"tantivy could not run the query: {exc}") from exc

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xxgk-facets")
        return self._executor

    def _linked_query(self) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, "linked", 1)

    @staticmethod
    def _count(searcher, q) -> int:
        return searcher.search(q, limit=1, count=True).count

    def _linked_matches(self, searcher, lean, n_linked: int) -> list[tuple]:
        """(report id, group, year, province key, address) of the linked documents matching ``lean``:
        an intersection with the small ``linked`` postings, so cheap however common the words."""
        q = tantivy.Query.boolean_query([(_Occur.Must, lean), (_Occur.Must, self._linked_query())])
        hits = searcher.search(q, limit=n_linked, count=False, order_by_field="report_id").hits
        addrs = [a for _, a in hits]
        cols = [searcher.fast_field_values(f, addrs) for f in ("group", "year", "province_key")]
        return [(rid, g, y, pk, a) for (rid, a), g, y, pk in zip(hits, *cols)]

    def linked_groups(self) -> dict[int, int]:
        """report id -> group of every linked document in the index."""
        self.ix.reload()
        searcher = self.ix.searcher()
        n = self._count(searcher, self._linked_query())
        return {rid: g for rid, g, *_ in self._linked_matches(searcher, tantivy.Query.all_query(), n)} if n else {}

    def _raw_hits(self, searcher, ranked: list[tuple[float, object]], collapse: bool) -> list[RawHit]:
        docs = [searcher.doc(a) for _, a in ranked]
        hits = [RawHit(int(d["report_id"][0]), float(s), _stored(d, "shown"), _stored(d, "body"))
                for (s, _), d in zip(ranked, docs)]
        groups = {i: e["group"] for i, d in enumerate(docs) if (e := _stored(d, "extra")).get("linked")} if collapse else {}
        if groups:
            members = self._members(searcher, set(groups.values()))
            for i, g in groups.items():
                hits[i].copies = [m for m in members.get(g, []) if m["report_id"] != hits[i].report_id]
        return hits

    def _members(self, searcher, groups: set[int]) -> dict[int, list[dict]]:
        q = tantivy.Query.boolean_query([(_Occur.Should, tantivy.Query.term_query(self.schema, "group", g))
                                         for g in sorted(groups)])
        q = tantivy.Query.boolean_query([(_Occur.Must, q), (_Occur.Must, self._linked_query())])
        hits = searcher.search(q, limit=max(1, self._count(searcher, q)), order_by_field="report_id").hits
        out: dict[int, list[dict]] = {}
        for g, (rid, a) in zip(searcher.fast_field_values("group", [a for _, a in hits]), hits):
            out.setdefault(g, []).append({"report_id": rid, "url": _stored(searcher.doc(a), "shown").get("url") or ""})
        for v in out.values():
            v.sort(key=lambda m: m["report_id"])
        return out

    def _search_verified(self, searcher, q, node, section, order, offset, limit, collapse, n_linked) -> RawResults:
        n = searcher.search(q, limit=1, count=True).count
        kept = []
        for score, addr in searcher.search(q, limit=max(n, 1), **order).hits:
            doc = searcher.doc(addr)
            body, extra = _stored(doc, "body"), _stored(doc, "extra")
            if section is not None:
                from .documents import sections_text_matching

                body = sections_text_matching(body, extra["sections"], section)
                if not body:
                    continue
            if evaluate(node, lambda leaf: leaf.matches(_leaf_text(leaf, body, extra)),
                        lambda ft: _term_ok(ft, doc, extra)):
                kept.append((int(doc["report_id"][0]), 0.0 if order else score, addr, doc, extra))
        rep_of = representatives((r, e["group"]) for r, _, _, _, e in kept if e.get("linked")) if n_linked else {}
        drop = surplus(rep_of)
        counted = [k for k in kept if k[0] not in drop]
        years = Counter(y for _, _, _, doc, _ in counted if (y := _stored(doc, "shown").get("year")) is not None)
        provinces = Counter(e["region"][0] for *_, e in counted if e["region"])
        facets = {"year": dict(sorted(years.items())), "province": dict(provinces.most_common())}
        addr_of = {r: a for r, _, a, _, _ in kept}
        ranked = collapse_ranked(((r, s) for r, s, *_ in kept), rep_of)[offset:offset + limit]
        hits = self._raw_hits(searcher, [(s, addr_of[r]) for r, s in ranked], collapse)
        return RawResults(len(counted), hits, facets)

    def doc_count(self) -> int:
        self.ix.reload()
        return self.ix.searcher().num_docs

    def close(self) -> None:
        self.rollback()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._shadow is not None:
            import shutil

            shutil.rmtree(self._shadow, ignore_errors=True)
            self._shadow = None


_FACET_AGG = {"year": {"terms": {"field": "year", "size": 1000}},
              "province": {"terms": {"field": "province", "size": 1000}}}


def _facets(agg: dict) -> dict[str, dict]:
    years = {int(b["key"]): b["doc_count"] for b in agg.get("year", {}).get("buckets", [])}
    provinces = {b["key"]: b["doc_count"] for b in agg.get("province", {}).get("buckets", []) if b["key"]}
    return {"year": dict(sorted(years.items())),
            "province": dict(sorted(provinces.items(), key=lambda kv: -kv[1]))}


class _Later:
    """A call run when its result is first asked for (the executor's interface, no thread)."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    @classmethod
    def submit(cls, fn, *args) -> "_Later":
        return cls(fn, *args)

    def result(self):
        return self.fn(*self.args)


def _agg_result(future) -> dict:
    try:
        return future.result()
    except ValueError as exc:
        raise SearchIndexError(f"tantivy could not count the facets: {exc}") from exc


def _province_key(province: str) -> int:
    """A stable integer for a province name (fast fields hand back integers, not text)."""
    import zlib  # for facets and writes: a search printing tsv or csv counts none

    return zlib.crc32(province.encode("utf-8"))


def _minus_copies(facets: dict[str, dict], dropped: list[tuple]) -> dict[str, dict]:
    """Facets over documents, less the copies (report id, group, year, province key, _) that fold
    into their group's representative."""
    years, provinces = Counter(facets["year"]), Counter(facets["province"])
    names = {_province_key(p): p for p in provinces}
    for _, _, year, pkey, _ in dropped:
        if year is not None:
            years[year] -= 1
        if pkey in names:
            provinces[names[pkey]] -= 1
    return {"year": {y: n for y, n in sorted(years.items()) if n > 0},
            "province": dict(sorted(((p, n) for p, n in provinces.items() if n > 0), key=lambda kv: -kv[1]))}


def _leaf_text(leaf: Leaf, body: str, extra: dict) -> str:
    return body if leaf.field == "all" else extra["title"] if leaf.field == "title" else extra["headings"]


def _term_ok(ft: FieldTerm, doc, extra: dict) -> bool:
    if ft.field == "year":
        lo, hi = year_bounds(ft)
        y = _stored(doc, "shown").get("year")
        return y is not None and lo <= y <= hi
    if ft.field == "id":
        return int(doc["report_id"][0]) == int(ft.value)
    if ft.field == "region":
        return ft.value in extra["region"]
    return extra.get(ft.field) == ft.value


def _json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _stored(doc, name: str):
    """A stored field back: JSON for shown/extra, text for body."""
    raw = bytes(doc[name][0])
    return raw.decode("utf-8") if name == "body" else json.loads(raw)


def _has_gap(node: Node) -> bool:
    if isinstance(node, Leaf):
        return node.has_gap and len(node.phrase_terms) > 1
    if isinstance(node, Not):
        return _has_gap(node.child)
    if isinstance(node, (And, Or)):
        return any(_has_gap(c) for c in node.children)
    return False
