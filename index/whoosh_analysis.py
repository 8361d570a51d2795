"""The Whoosh composables of the analysis of ``index.analysis``: ``CJKTokenizer | NFKCFilter |
CJKBigramFilter`` (``chinese_analyzer``), kept in the Whoosh schema.

Apart from ``index.analysis`` so that a process searching a tantivy index never imports Whoosh;
the classes keep ``index.analysis`` as their module, the name the pickled schemas of existing
Whoosh indexes know them by (``index.analysis`` hands them out).
"""
from __future__ import annotations

from typing import Iterator

from whoosh.analysis import Filter, Token, Tokenizer

from .analysis import _CHAR_RE, is_unit, normalize_text

__all__ = ["CJKTokenizer", "NFKCFilter", "CJKBigramFilter", "chinese_analyzer"]


class CJKTokenizer(Tokenizer):
    """One token per unit (CJK character, letter, digit); gaps skip a position.

    Offsets index the text as given (not normalized), so highlights land on the original. They
    are set even when not asked for, because ``CJKBigramFilter`` tells adjacency by them.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos, last_end = start_pos - 1, None
        for m in _CHAR_RE.finditer(value):
            start, end = m.span()
            pos += 1 if last_end is None or start == last_end else 2
            last_end = end
            t.text = m.group()
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            # positions and offsets are always set: the bigram filter needs adjacency
            t.pos = pos
            t.startchar, t.endchar = start_char + start, start_char + end
            yield t


class NFKCFilter(Filter):
    """Width and case normalization of each token (NFKC, then lower case)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = normalize_text(t.text)
            yield t


class CJKBigramFilter(Filter):
    """Unigram + bigram branches: after each unit, the bigram it starts with the next one.

    A bigram needs the next token to be a unit and adjacent (no gap); it gets the first character's
    position and spans both characters. ``unigrams=False`` drops the single characters.
    """

    def __init__(self, unigrams: bool = True):
        self.unigrams = unigrams

    def __call__(self, tokens):
        prev = None  # (text, pos, startchar, endchar, mode, positions, chars)
        for t in tokens:
            cur_cjk = len(t.text) == 1 and is_unit(t.text)
            if prev is not None and cur_cjk and prev.adjacent(t):
                yield prev.bigram(t)
            prev = _Pending.of(t) if cur_cjk else None
            if not cur_cjk or self.unigrams:
                yield t


class _Pending:
    """A copy of the previous CJK token (filters must not hold the shared Token object)."""

    __slots__ = ("text", "pos", "startchar", "endchar", "token")

    @classmethod
    def of(cls, t: Token) -> "_Pending":
        p = cls()
        p.text = t.text
        p.pos = getattr(t, "pos", None)
        p.startchar = getattr(t, "startchar", None)
        p.endchar = getattr(t, "endchar", None)
        p.token = t.copy()
        return p

    def adjacent(self, t: Token) -> bool:
        """Adjacent to t (no gap between them)."""
        return self.endchar == t.startchar

    def bigram(self, t: Token) -> Token:
        b = self.token
        b.text = self.text + t.text
        if self.endchar is not None and getattr(t, "endchar", None) is not None:
            b.endchar = t.endchar
        return b


def chinese_analyzer(unigrams: bool = True):
    """``CJKTokenizer() | NFKCFilter() | CJKBigramFilter()``, the analyzer kept in the Whoosh schema.

    >>> [t.text for t in chinese_analyzer()("土地征收")]
    ['土', '土地', '地', '地征', '征', '征收', '收']
    """
    return CJKTokenizer() | NFKCFilter() | CJKBigramFilter(unigrams=unigrams)


for _cls in (CJKTokenizer, NFKCFilter, CJKBigramFilter):  # pickled as index.analysis.<name>
    _cls.__module__ = "index.analysis"
