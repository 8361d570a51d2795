"""The query language: a string in, a tree of ``Leaf``/``FieldTerm``/``And``/``Or``/``Not`` out.

    土地征收 信息公开          AND by default (an explicit AND is allowed)
    征收 OR 征用              OR binds looser than AND; parentheses group
    征收 NOT 补偿, 征收 -补偿   NOT (or a leading -) excludes
    "政府信息公开工作"         a quoted phrase ("…" or “…”): only text containing it exactly
    title:年度报告 heading:存在的主要问题     words inside the title or a section heading only
    region:浙江省 agency:杭州市教育局 year:2017 year:2015-2020 format:gb2021 id:12   exact filters

Operators are upper case (``or`` is a word). A CJK word is matched as a contiguous string, so an
unquoted 土地征收 never matches 土地……征收. An empty query, or a malformed one (unbalanced quote
or parenthesis, a dangling operator, only NOT terms) raises a ``QuerySyntaxError`` with a
message and the position. ``Leaf`` carries its analysis (``analysis.py``): the terms a backend
looks up, their phrase offsets, whether those terms alone decide the match (``exact``), and
``matches(text)`` — the exact check against normalized text that settles every other case.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from itertools import islice
from typing import Callable, Union

from .analysis import is_unit, normalize_text, positional_terms, strip_non_word_edges, token_stream
from .errors import EmptyQueryError, QuerySyntaxError
from .value_class import value_class

__all__ = ["Leaf", "FieldTerm", "And", "Or", "Not", "Node", "parse_query", "TEXT_FIELDS", "FILTER_FIELDS",
           "positive_leaves", "evaluate"]

TEXT_FIELDS = {"title": "title", "heading": "heading", "headings": "heading", "text": "all"}
FILTER_FIELDS = ("region", "agency", "year", "format", "id")
_NON_UNIT_RE = re.compile(r"[\W_]")
_QUOTES = {'"': '"', "“": "”", "「": "」"}
_FIELD_RE = re.compile(r"([A-Za-z]+):")


@value_class(frozen=True)
class Leaf:
    """Words to find in a text field ('all', 'title' or 'heading'); ``phrase`` if it was quoted."""

    text: str
    field: str = "all"
    phrase: bool = False

    @cached_property
    def needle(self) -> str:
        return strip_non_word_edges(normalize_text(self.text))

    @cached_property
    def phrase_terms(self) -> tuple[tuple[str, int], ...]:
        """(term, offset) pairs whose presence at those relative positions means "contiguous"."""
        terms = sorted(positional_terms(self.needle), key=lambda t: (t.position, len(t.text)))
        bigram_starts = {t.start for t in terms if len(t.text) == 2 and _is_cjk_pair(t.text)}
        out = []
        for t in terms:
            is_unigram = len(t.text) == 1 and _is_cjk_pair(t.text)
            # a unigram is needed only where no bigram covers it (runs of one character)
            if is_unigram and (t.start in bigram_starts or t.start - 1 in bigram_starts):
                continue
            out.append((t.text, t.position))
        return tuple(out)

    @cached_property
    def stream_terms(self) -> tuple[tuple[str, bool], ...]:
        """(term or regex, is_regex) over ``analysis.token_stream``: a single CJK character at an
        edge of the word may sit inside a longer run in the text, so it matches any bigram holding it."""
        toks = token_stream(self.needle)
        out = [(t, False) for t in toks]
        for i in {0, len(toks) - 1}:
            t = toks[i]
            if len(t) == 1 and is_unit(t):
                out[i] = ((".?" if i == 0 else "") + t + (".?" if i == len(toks) - 1 else ""), True)
        return tuple(out)

    @cached_property
    def term_byte_offsets(self) -> tuple[tuple[str, int], ...]:
        """(term, UTF-8 byte offset of its first place in the needle) for each of ``terms``: where the
        needle occurs at byte p of a text, the term occurs at p + that offset."""
        wanted = set(self.terms)
        first: dict[str, int] = {}
        for t in positional_terms(self.needle):
            if t.text in wanted and t.text not in first:
                first[t.text] = len(self.needle[:t.start].encode("utf-8"))
        return tuple(first.items())

    @cached_property
    def placed_by_first_terms(self) -> bool:
        """Whether finding every one of ``terms`` at its offset from one start proves the needle is
        there: no gap (punctuation is in no term) and no term twice (its second place unchecked)."""
        return not self.has_gap and len(self.terms) == len(self.phrase_terms)

    @cached_property
    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for t, _ in self.phrase_terms))

    @cached_property
    def has_gap(self) -> bool:
        """Characters between units (punctuation, spaces): positions alone cannot check them."""
        return bool(_NON_UNIT_RE.search(self.needle))

    @cached_property
    def exact(self) -> bool:
        """True when one term's presence is the whole match (a word, one CJK char, one bigram)."""
        return len(self.phrase_terms) == 1

    @cached_property
    def _pattern(self) -> re.Pattern:
        # a substring match, letters and digits included: 「202」 finds 「2021」 as 「地征」 finds 「土地征收」
        return re.compile(re.escape(self.needle))

    @cached_property
    def needle_bytes(self) -> bytes:
        return self.needle.encode("utf-8")

    @cached_property
    def needs_word_edges(self) -> tuple[bool, bool]:
        # no edge is checked: every unit (CJK, letter, digit) is matched as a substring
        return False, False

    def matches(self, norm_text: str) -> bool:
        """Exact check against normalized text (a substring match)."""
        return self._pattern.search(norm_text) is not None

    def spans(self, norm_text: str, limit: int | None = None) -> list[tuple[int, int]]:
        return [m.span() for m in islice(self._pattern.finditer(norm_text), limit)]


@value_class(frozen=True)
class FieldTerm:
    """An exact filter: region (any ancestor, full or short name), agency, year(s), format, id."""

    field: str
    value: str
    year_to: int | None = None  # set for year ranges: value is the lower bound


@value_class(frozen=True)
class And:
    children: tuple["Node", ...]


@value_class(frozen=True)
class Or:
    children: tuple["Node", ...]


@value_class(frozen=True)
class Not:
    child: "Node"


Node = Union[Leaf, FieldTerm, And, Or, Not]


def _is_cjk_pair(text: str) -> bool:
    """Every character a unit (the name is historical: letters and digits are units too)."""
    return all(is_unit(ch) for ch in text)


def positive_leaves(node: Node, negated: bool = False) -> list[Leaf]:
    """Leaves whose presence raises a report's score (not under a NOT)."""
    if isinstance(node, Leaf):
        return [] if negated else [node]
    if isinstance(node, Not):
        return positive_leaves(node.child, not negated)
    if isinstance(node, (And, Or)):
        return [leaf for c in node.children for leaf in positive_leaves(c, negated)]
    return []


def evaluate(node: Node, leaf_ok: Callable[[Leaf], bool], term_ok: Callable[[FieldTerm], bool]) -> bool:
    """The boolean value of a tree for one report, given how to check each leaf and filter."""
    if isinstance(node, Leaf):
        return leaf_ok(node)
    if isinstance(node, FieldTerm):
        return term_ok(node)
    if isinstance(node, Not):
        return not evaluate(node.child, leaf_ok, term_ok)
    if isinstance(node, And):
        return all(evaluate(c, leaf_ok, term_ok) for c in node.children)
    return any(evaluate(c, leaf_ok, term_ok) for c in node.children)


# -- parsing -----------------------------------------------------------------------------------

@value_class
class _Tok:
    kind: str  # WORD PHRASE LP RP OR AND NOT
    text: str
    pos: int
    field: str | None = None


def _lex(q: str) -> list[_Tok]:
    toks, i, n = [], 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            toks.append(_Tok("LP" if ch == "(" else "RP", ch, i))
            i += 1
            continue
        start, fld = i, None
        m = _FIELD_RE.match(q, i)
        if m and m.group(1).lower() in (*TEXT_FIELDS, *FILTER_FIELDS):
            fld = m.group(1).lower()
            i = m.end()
        if i < n and q[i] in _QUOTES:
            close = q.find(_QUOTES[q[i]], i + 1)
            if close < 0:
                raise QuerySyntaxError(f"unbalanced quote at position {i}: {q!r}", query=q, position=i)
            toks.append(_Tok("PHRASE", q[i + 1:close], start, fld))
            i = close + 1
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] not in "()" and q[j] not in _QUOTES:
            j += 1
        word = q[i:j]
        if fld is None and word in ("OR", "AND", "NOT", "|"):
            toks.append(_Tok("OR" if word == "|" else word, word, start))
        elif fld is None and word.startswith("-") and len(word) > 1:
            toks.append(_Tok("NOT", "-", start))
            toks.append(_Tok("WORD", word[1:], start + 1))
        elif word or fld:
            if not word:
                raise QuerySyntaxError(f"{fld}: needs a value (position {start})", query=q, position=start)
            toks.append(_Tok("WORD", word, start, fld))
        i = j
    return toks


class _Parser:
    def __init__(self, q: str, toks: list[_Tok]):
        self.q, self.toks, self.i = q, toks, 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def fail(self, msg: str, tok: _Tok | None) -> QuerySyntaxError:
        pos = tok.pos if tok else len(self.q)
        return QuerySyntaxError(f"{msg} at position {pos}: {self.q!r}", query=self.q, position=pos)

    def parse_or(self) -> Node | None:
        parts = [self.parse_and()]
        while (t := self.peek()) and t.kind == "OR":
            self.i += 1
            if self.peek() is None or self.peek().kind in ("OR", "RP"):
                raise self.fail("OR needs a word after it", t)
            parts.append(self.parse_and())
        parts = [p for p in parts if p is not None]
        return None if not parts else parts[0] if len(parts) == 1 else Or(tuple(parts))

    def parse_and(self) -> Node | None:
        parts, seen = [], False
        while (t := self.peek()) and t.kind not in ("OR", "RP"):
            if t.kind == "AND":
                self.i += 1
                continue
            seen = True
            node = self.parse_unary()
            if node is not None:
                parts.append(node)
        if not seen:
            raise self.fail("expected a word", self.peek())
        return None if not parts else parts[0] if len(parts) == 1 else And(tuple(parts))

    def parse_unary(self) -> Node | None:
        t = self.peek()
        if t.kind == "NOT":
            self.i += 1
            if self.peek() is None or self.peek().kind in ("OR", "RP", "AND"):
                raise self.fail("NOT needs a word after it", t)
            child = self.parse_unary()
            return None if child is None else Not(child)
        if t.kind == "LP":
            self.i += 1
            node = self.parse_or()
            if (r := self.peek()) is None or r.kind != "RP":
                raise self.fail("unbalanced parenthesis", t)
            self.i += 1
            return node
        if t.kind == "RP":
            raise self.fail("unbalanced parenthesis", t)
        self.i += 1
        return _leaf_or_filter(t, self.q)


def _leaf_or_filter(t: _Tok, q: str) -> Node | None:
    if t.field in FILTER_FIELDS:
        return _filter_term(t, q)
    leaf = Leaf(unicodedata.normalize("NFKC", t.text), TEXT_FIELDS.get(t.field or "text", "all"), t.kind == "PHRASE")
    return leaf if leaf.needle and leaf.phrase_terms else None


def _filter_term(t: _Tok, q: str) -> FieldTerm:
    value = t.text.strip()
    if t.field == "year":
        m = re.fullmatch(r"(\d{4})(?:\s*[-~–]\s*(\d{4}))?", value)
        if not m:
            raise QuerySyntaxError(f"year:{value} is not a year or a range like 2015-2020", query=q, position=t.pos)
        return FieldTerm("year", m.group(1), int(m.group(2) or m.group(1)))
    if t.field == "id" and not value.isdigit():
        raise QuerySyntaxError(f"id:{value} is not a report id", query=q, position=t.pos)
    return FieldTerm(t.field, value if t.field == "id" else normalize_text(value))


def _has_positive(node: Node) -> bool:
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_has_positive(c) for c in node.children)
    if isinstance(node, Or):
        return all(_has_positive(c) for c in node.children)
    return True


def parse_query(q: str) -> Node:
    """Parse a query string into a tree; raise ``QuerySyntaxError``/``EmptyQueryError`` with a message."""
    if q is None or not q.strip():
        raise EmptyQueryError("empty query: give one or more words, e.g. 土地征收", query=q or "")
    q = unicodedata.normalize("NFKC", q)
    p = _Parser(q, _lex(q))
    node = p.parse_or()
    if p.peek() is not None:
        raise p.fail("unbalanced parenthesis", p.peek())
    if node is None:
        raise EmptyQueryError(f"no searchable words in the query {q!r}", query=q)
    if not _has_positive(node):
        raise QuerySyntaxError(f"the query needs a word that must occur, not only NOT terms: {q!r}", query=q)
    return node
