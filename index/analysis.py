"""Chinese analysis: text in, index terms out; the one definition of what a "term" is.

Every backend indexes the same terms and every query is analysed the same way:

* ``normalize_text`` — NFKC (full-width → half-width, compatibility ideographs → unified) and
  lower case. Verification of phrases and snippets work on this normalized text.
* units — maximal runs of CJK characters, and words (runs of other letters/digits).
* terms — for every CJK character: the character itself (unigram) and the bigram it starts,
  if the next character is CJK too; every word is one term. Any CJK string of ≥ 2 characters
  that occurs in a text therefore has all its bigrams among the text's terms (recall 100%).
* positions — one per CJK character (its unigram and bigram share it), one per word, and one
  extra at every gap (punctuation, space), so a phrase query over positions matches only
  contiguous text.

Two implementations of the same rules: the Whoosh composables (``CJKTokenizer | NFKCFilter |
CJKBigramFilter``: top-level, picklable classes, kept in the Whoosh schema, with correct
character offsets for highlighting) and the fast functions (``term_counts``,
``positional_terms``) the backends index with, because one Python ``Token`` per character is
what made naive Whoosh slow. A test checks that both give the same terms.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from itertools import chain
from operator import add
from typing import Iterator, NamedTuple

from whoosh.analysis import Filter, Token, Tokenizer

__all__ = ["CJK_CLASS", "WORD_CHAR", "WORD_CHAR_RE", "GAP_TOKEN", "normalize_text", "is_cjk", "PositionalTerm", "term_counts",
           "positional_terms", "token_stream",
           "CJKTokenizer", "NFKCFilter", "CJKBigramFilter", "chinese_analyzer"]

# CJK radicals, 々 〇 〡-〩, Extension A, Unified, Compatibility, Extensions B-H
CJK_CLASS = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_UNIT_RE = re.compile(f"([{CJK_CLASS}]+)|([^\\W_{CJK_CLASS}]+)")
_CJK_RUN_RE = re.compile(f"[{CJK_CLASS}]+")
_WORD_RE = re.compile(f"[^\\W_{CJK_CLASS}]+")
_CHAR_RE = re.compile(f"[{CJK_CLASS}]|[^\\W_{CJK_CLASS}]+")
_ONE_CJK_RE = re.compile(f"[{CJK_CLASS}]")
# a character of a word (letters/digits other than CJK): a match of a word must not extend into one
WORD_CHAR = f"[^\\W_{CJK_CLASS}]"
WORD_CHAR_RE = re.compile(WORD_CHAR)


GAP_TOKEN = "|"


def normalize_text(text: str) -> str:
    """NFKC + lower case: the form every term, phrase check and snippet is taken from."""
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(ch: str) -> bool:
    return bool(_ONE_CJK_RE.fullmatch(ch))


class PositionalTerm(NamedTuple):
    text: str
    position: int
    start: int
    end: int


def term_counts(norm: str) -> Counter:
    """Term → frequency of an already normalized text (unigrams, bigrams, words)."""
    runs = _CJK_RUN_RE.findall(norm)
    counts = Counter("".join(runs))
    counts.update(chain.from_iterable(map(add, r, r[1:]) for r in runs))
    counts.update(_WORD_RE.findall(norm))
    return counts


def positional_terms(norm: str, make=PositionalTerm) -> list:
    """The terms of a normalized text with positions and character offsets (see module doc).

    ``make(text, position, start, end)`` builds each term (``tantivy.Token`` for that backend);
    a run's unigrams come first, then its bigrams, built by ``map`` so a 6,000-character report
    costs a few milliseconds.
    """
    out: list = []
    pos, last_end = -1, None
    for m in _UNIT_RE.finditer(norm):
        start, end = m.span()
        pos += 1 if last_end is None or start == last_end else 2  # a gap costs one position
        run = m.group(1)
        if run:
            n = len(run)
            out.extend(map(make, run, range(pos, pos + n), range(start, end), range(start + 1, end + 1)))
            if n > 1:
                out.extend(map(make, map(add, run, run[1:]), range(pos, pos + n - 1), range(start, end - 1),
                               range(start + 2, end + 1)))
            pos += n - 1
        else:
            out.append(make(m.group(2), pos, start, end))
        last_end = end
    return out


def token_stream(norm: str) -> list[str]:
    """The sequential form of the terms, for a whitespace tokenizer (the tantivy backend).

    Each CJK run of two or more characters gives its bigrams, a run of one character gives that
    character, each word itself, and every gap a ``GAP_TOKEN``; consecutive tokens get consecutive
    positions, so a phrase over this stream matches contiguous text. (Unigrams inside longer runs
    are left out: a query edge that is a single character is matched by a regex term, ``.?年``.)
    """
    out: list[str] = []
    last_end = None
    for m in _UNIT_RE.finditer(norm):
        start, end = m.span()
        if last_end is not None and start != last_end:
            out.append(GAP_TOKEN)
        run = m.group(1)
        if run and len(run) > 1:
            out.extend(map(add, run, run[1:]))
        else:
            out.append(m.group())
        last_end = end
    return out


class CJKTokenizer(Tokenizer):
    """One token per CJK character, one per word of other letters/digits; gaps skip a position.

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
    """Unigram + bigram branches: after each CJK character, the bigram it starts with the next one.

    A bigram needs the next token to be CJK and adjacent (no gap); it gets the first character's
    position and spans both characters. ``unigrams=False`` drops the single characters.
    """

    def __init__(self, unigrams: bool = True):
        self.unigrams = unigrams

    def __call__(self, tokens):
        prev = None  # (text, pos, startchar, endchar, mode, positions, chars)
        for t in tokens:
            cur_cjk = len(t.text) == 1 and is_cjk(t.text)
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
