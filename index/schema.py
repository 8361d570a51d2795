"""The Whoosh schema, declared once; the tantivy backend mirrors these fields (tantivy_backend.py).

``BigramText`` is the one custom field type: the analyzer it keeps (``chinese_analyzer``) is the
documented, picklable chain, but ``index()`` counts terms with ``analysis.term_counts`` in C-speed
passes instead of one ``Token`` per character, and stores frequencies only (no positions: phrases
are checked against the text store). Values given to it must already be normalized.
"""
from __future__ import annotations

from whoosh import columns, fields, formats

from .analysis import chinese_analyzer, term_counts

__all__ = ["BigramText", "whoosh_schema", "LAYOUT_VERSION"]

from .search import LAYOUT_VERSION  # noqa: E402  (defined by the facade, which writes it to meta.json)


class BigramText(fields.TEXT):
    """Unigram + bigram terms with frequencies, from normalized text."""

    def __init__(self, field_boost: float = 1.0):
        super().__init__(analyzer=chinese_analyzer(), phrase=False, field_boost=field_boost)
        # the posting weight is the term frequency; no per-posting value bytes
        self.format = formats.Existence(field_boost=field_boost)

    def index(self, value, **kwargs):
        return [(t.encode("utf-8"), f, float(f), b"") for t, f in term_counts(value).items()]


def whoosh_schema() -> fields.Schema:
    return fields.Schema(
        report_id=fields.ID(stored=True, unique=True),
        grams=BigramText(),
        title_grams=BigramText(),
        head_grams=BigramText(),
        region=fields.KEYWORD(commas=True, scorable=False),
        agency=fields.ID,
        format=fields.ID,
        # columns only (not indexed): read whole into lists once per searcher
        year=fields.COLUMN(columns.NumericColumn("i", default=0)),
        province=fields.COLUMN(columns.VarBytesColumn()),
        text_off=fields.COLUMN(columns.NumericColumn("Q", default=0)),
        text_len=fields.COLUMN(columns.NumericColumn("I", default=0)),
        rid=fields.COLUMN(columns.NumericColumn("q", default=0)),
        group=fields.COLUMN(columns.NumericColumn("q", default=0)),  # 0: no copies (groups.py)
        shown=fields.STORED,
        sections=fields.STORED,
        title=fields.STORED,
    )
