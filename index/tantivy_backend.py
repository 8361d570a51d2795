"""The tantivy backend (``pip install 'xxgk[tantivy]'``), for large archives.

Files: ``<dir>/tantivy/``. The same terms as every backend (analysis.py) reach tantivy as
a whitespace-separated token stream (analysis.token_stream) with positions: a query word becomes one term query or one phrase query over
(term, offset) pairs, so a CJK string is matched contiguously by tantivy itself and the whole
query tree runs in Rust; facets come from one aggregation over fast fields. Only two rare cases
are checked in Python against the stored normalized text: a word with punctuation or spaces
inside (positions see a gap, not which characters fill it) and ``section`` searches.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import tantivy

from .analysis import token_stream
from .backend import RELEVANCE_WEIGHTS, RawHit, RawResults, year_bounds
from .documents import PreparedDoc, sections_text_matching
from .errors import IndexFormatError, IndexMissingError, SearchIndexError
from .query import And, FieldTerm, Leaf, Node, Not, Or, evaluate

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
        try:
            self.ix = tantivy.Index(self.schema, path=str(tdir), reuse=True)
        except ValueError as exc:
            raise IndexFormatError(f"cannot open the tantivy index in {tdir}: {exc}") from exc
        self.ix.register_tokenizer(_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
        self._writer = None

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
            if d.year is not None:
                doc.add_integer("year", d.year)
            doc.add_bytes("shown", _json_bytes(d.stored()))
            doc.add_bytes("body", d.all_norm.encode("utf-8"))
            doc.add_bytes("extra", _json_bytes({"sections": d.sections_json, "title": d.title_norm,
                                              "headings": d.headings_norm, "region": list(d.region_names),
                                              "agency": d.agency_key, "format": d.format}))
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

    def _leaf(self, leaf: Leaf) -> tantivy.Query:
        q = self._words(leaf, _TEXT_FIELD[leaf.field])
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

    def _query(self, node: Node) -> tantivy.Query:
        if isinstance(node, Leaf):
            return self._leaf(node)
        if isinstance(node, FieldTerm):
            return tantivy.Query.const_score_query(self._term(node), 0.0)
        if isinstance(node, And):
            return tantivy.Query.boolean_query([
                (_Occur.MustNot, self._query(c.child)) if isinstance(c, Not) else (_Occur.Must, self._query(c))
                for c in node.children])
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(_Occur.Should, self._query(c)) for c in node.children])
        return tantivy.Query.boolean_query([(_Occur.Must, tantivy.Query.all_query()),
                                            (_Occur.MustNot, self._query(node.child))])

    def search(self, node: Node, filters: list[FieldTerm], section: Leaf | None, *, sort: str,
               offset: int, limit: int) -> RawResults:
        q = self._query(node)
        clauses = [(_Occur.Must, q)] + [(_Occur.Must, tantivy.Query.const_score_query(self._term(f), 0.0))
                                         for f in filters]
        if section is not None:
            clauses.append((_Occur.Must, tantivy.Query.const_score_query(self._words(section, "head_grams"), 0.0)))
        if len(clauses) > 1:
            q = tantivy.Query.boolean_query(clauses)
        searcher = self.ix.searcher()
        order = {"order_by_field": "year"} if sort == "year" else {}
        try:
            if section is None and not _has_gap(node):
                res = searcher.search(q, limit=limit, offset=offset, count=True, **order)
                facets = lambda: _facets(searcher.aggregate(q, _FACET_AGG))  # noqa: E731 — on first use
                # sorted by year, tantivy hands back the year instead of a score
                hits = [self._raw_hit(searcher, 0.0 if order else s, a) for s, a in res.hits]
                return RawResults(res.count, hits, facets)
            return self._search_verified(searcher, q, node, section, order, offset, limit)
        except ValueError as exc:
            raise SearchIndexError(f"tantivy could not run the query: {exc}") from exc

    def _search_verified(self, searcher, q, node, section, order, offset, limit) -> RawResults:
        n = searcher.search(q, limit=1, count=True).count
        kept = []
        for score, addr in searcher.search(q, limit=max(n, 1), **order).hits:
            doc = searcher.doc(addr)
            body, extra = _stored(doc, "body"), _stored(doc, "extra")
            if section is not None:
                body = sections_text_matching(body, extra["sections"], section)
                if not body:
                    continue
            if evaluate(node, lambda leaf: leaf.matches(_leaf_text(leaf, body, extra)),
                        lambda ft: _term_ok(ft, doc, extra)):
                kept.append((0.0 if order else score, doc))
        years = Counter(y for _, doc in kept if (y := _stored(doc, "shown").get("year")) is not None)
        provinces = Counter(p for _, doc in kept if (p := _extra_province(doc)))
        facets = {"year": dict(sorted(years.items())), "province": dict(provinces.most_common())}
        hits = [RawHit(int(doc["report_id"][0]), float(score), _stored(doc, "shown"), _stored(doc, "body"))
                for score, doc in kept[offset:offset + limit]]
        return RawResults(len(kept), hits, facets)

    def _raw_hit(self, searcher, score, addr) -> RawHit:
        doc = searcher.doc(addr)
        return RawHit(int(doc["report_id"][0]), float(score), _stored(doc, "shown"), _stored(doc, "body"))

    def doc_count(self) -> int:
        self.ix.reload()
        return self.ix.searcher().num_docs

    def close(self) -> None:
        self.rollback()


_FACET_AGG = {"year": {"terms": {"field": "year", "size": 1000}},
              "province": {"terms": {"field": "province", "size": 1000}}}


def _facets(agg: dict) -> dict[str, dict]:
    years = {int(b["key"]): b["doc_count"] for b in agg.get("year", {}).get("buckets", [])}
    provinces = {b["key"]: b["doc_count"] for b in agg.get("province", {}).get("buckets", []) if b["key"]}
    return {"year": dict(sorted(years.items())),
            "province": dict(sorted(provinces.items(), key=lambda kv: -kv[1]))}


def _extra_province(doc) -> str:
    regions = _stored(doc, "extra")["region"]
    return regions[0] if regions else ""


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
