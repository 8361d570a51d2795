"""Chinese analysis: text in, index terms out; the one definition of what a "term" is.

Every backend indexes the same terms and every query is analysed the same way:

* ``normalize_text`` — NFKC (full-width → half-width, compatibility ideographs → unified), lower
  case, and traditional characters folded to simplified ones, one for one (``script_fold``), so
  公開 finds 公开 and the reverse. Verification of phrases and snippets work on this normalized
  text; the fold keeps its length.
* units — every CJK character, letter and digit is a unit; maximal runs of units are runs.
  Letters and digits are units like CJK characters (not whole words), because a reader searches
  any piece of what they see: 「年12月3」, 「202」 of 「2021」, 「gov.c」 of a URL (issue 11: every
  2–6 character substring of a report finds it).
* terms — for every unit: the unit itself (unigram) and the bigram it starts, if the next
  character is a unit too. Any string of ≥ 2 units that occurs in a text therefore has all its
  bigrams among the text's terms (recall 100%).
* positions — one per unit (its unigram and bigram share it), and one extra at every gap
  (punctuation, space), so a phrase query over positions matches only contiguous text.

Two implementations of the same rules: the Whoosh composables (``CJKTokenizer | NFKCFilter |
CJKBigramFilter``: top-level, picklable classes, kept in the Whoosh schema, with correct
character offsets for highlighting; in ``whoosh_analysis.py``, handed out here) and the fast functions (``term_counts``,
``positional_terms``) the backends index with, because one Python ``Token`` per character is
what made naive Whoosh slow. A test checks that both give the same terms.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from collections import Counter
from itertools import chain
from operator import add
from typing import NamedTuple

__all__ = ["CJK_CLASS", "UNIT_CHAR", "is_unit", "WORD_CHAR", "WORD_CHAR_RE", "GAP_TOKEN", "normalize_text", "script_fold",
           "write_script_fold",
           "is_cjk", "PositionalTerm", "term_counts", "first_byte_offsets",
           "positional_terms", "token_stream", "strip_non_word_edges",
           "CJKTokenizer", "NFKCFilter", "CJKBigramFilter", "chinese_analyzer"]

# CJK radicals, 々 〇 〡-〩, Extension A, Unified, Compatibility, Extensions B-H
CJK_CLASS = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# a unit: a CJK character, a letter or a digit (never "_", which is punctuation to a reader)
UNIT_CHAR = f"(?:[{CJK_CLASS}]|[^\\W_])"
_UNIT_CHAR = UNIT_CHAR
# the runs of units, ``_UNIT_RE`` (compiled on first use, see ``__getattr__``: ~1.5 ms) for a long text,
# a loop over is_unit for a short one (a query's words)
_UNIT_RUN = f"({_UNIT_CHAR}+)"
_SHORT_TEXT = 256  # characters


def _code_point_ranges(char_class: str) -> tuple[tuple[int, int], ...]:
    """The (first, last) code points of a regex character class's body such as CJK_CLASS."""
    out, i = [], 0
    while i < len(char_class):
        if i + 2 < len(char_class) and char_class[i + 1] == "-":
            out.append((ord(char_class[i]), ord(char_class[i + 2])))
            i += 3
        else:
            out.append((ord(char_class[i]), ord(char_class[i])))
            i += 1
    return tuple(out)


# is_unit without a regex (compiling UNIT_CHAR costs ~1.5 ms a process): [^\W_] is str.isalnum
_CJK_RANGES = _code_point_ranges(CJK_CLASS)
# a character of a word (letters/digits other than CJK): a match of a word must not extend into one
WORD_CHAR = f"[^\\W_{CJK_CLASS}]"
# WORD_CHAR_RE (``__getattr__``) and is_cjk's pattern are compiled on first use: ~4 ms each, which a
# search does not need


GAP_TOKEN = "|"

# the traditional -> simplified tables, loaded on first use: a dict of the ~3,800 pairs for a short
# text (a query: ~1 ms to load), a list indexed by code point for a long one (a report: faster to
# translate, ~6 ms more to build)
_SCRIPT_FOLD: list[int] = []
_SCRIPT_FOLD_PAIRS: dict[int, int] = {}
_LONG_TEXT = 4096  # characters: from here on the list pays for its building


def normalize_text(text: str) -> str:
    """NFKC + lower case + script fold: the form every term, phrase check and snippet is taken from.

    The fold is ``str.translate``; on a long text with a list indexed by code point: on 1 MB of
    Chinese text normalization takes ~36 ms instead of ~28 ms without it (with a dict table: ~47 ms).
    """
    text = unicodedata.normalize("NFKC", text).lower()
    if len(text) < _LONG_TEXT:
        return text.translate(_SCRIPT_FOLD_PAIRS or _load_fold_pairs())
    return text.translate(_SCRIPT_FOLD or _load_script_fold())


# script_fold()'s pairs, one "繁简" a line: building them from OpenCC costs ~100 ms a process
# (a test keeps the file equal to script_fold(); write_script_fold() writes it anew)
_SCRIPT_FOLD_FILE = Path(__file__).with_name("script_fold.txt")


def _load_fold_pairs() -> dict[int, int]:
    try:
        text = _SCRIPT_FOLD_FILE.read_text("utf-8")
        if not text or text[2::3] != "\n" * (len(text) // 3) or len(text) % 3:
            raise ValueError(f"{_SCRIPT_FOLD_FILE} is not one pair a line")
        pairs = str.maketrans(text[0::3], text[1::3])
    except (OSError, ValueError):  # no file (a trimmed copy): from OpenCC
        pairs = {c: f for c, f in enumerate(script_fold()) if c != f}
    _SCRIPT_FOLD_PAIRS.update(pairs)
    return _SCRIPT_FOLD_PAIRS


def _load_script_fold() -> list[int]:
    pairs = _SCRIPT_FOLD_PAIRS or _load_fold_pairs()
    table = list(range(max(pairs) + 1))
    for c, f in pairs.items():
        table[c] = f
    _SCRIPT_FOLD[:] = table
    return _SCRIPT_FOLD


def write_script_fold(path: Path = _SCRIPT_FOLD_FILE) -> None:
    table = script_fold()
    path.write_text("".join(f"{chr(c)}{chr(f)}\n" for c, f in enumerate(table) if c != f), "utf-8")


# OpenCC's conversion as the parser gives it to a 繁體 document (parser/extract/script.py, which
# index may not import): Hong Kong and Taiwan variants read as standard forms, then t2s
_TO_SIMPLIFIED = ("hk2t", "tw2t", "t2s")
# variants real 繁體 pages write that OpenCC leaves as they are (``parser.extract.script.EXTRA_FOLDS``)
EXTRA_FOLDS = {"陜": "陕"}


def script_fold() -> list[int]:
    """A ``str.translate`` table: code point -> code point of its simplified form (OpenCC).

    Character by character (each character's first simplified form: no phrases, so a query and a
    document fold alike), only one-for-one replacements, and never a character that is itself a
    simplified form (么 stays, though Taiwan reads 么 as 幺): simplified text folds to itself but
    for a few variants (著 -> 着). A list indexed by code point: twice as fast as a dict.
    """
    import opencc

    chars = "\n".join(chr(c) for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF)) for c in range(lo, hi + 1))
    folded = chars
    for config in _TO_SIMPLIFIED:  # no phrase spans a line break: each character converts on its own
        folded = opencc.OpenCC(config).convert(folded)
    as_traditional = opencc.OpenCC("s2t").convert(chars)
    pairs = [(c, f) for c, f, t in zip(chars.split("\n"), folded.split("\n"), as_traditional.split("\n"))
             if f != c and len(f) == 1 and t == c]  # t != c: c is a simplified form
    pairs += EXTRA_FOLDS.items()
    table = list(range(max(ord(c) for c, _ in pairs) + 1))
    for c, f in pairs:
        table[ord(c)] = ord(f)
    return table


def is_cjk(ch: str) -> bool:
    return bool(re.fullmatch(f"[{CJK_CLASS}]", ch))


def is_unit(ch: str) -> bool:
    """A character that makes terms: CJK, a letter or a digit."""
    if len(ch) != 1:
        return False
    if ch.isalnum():
        return True
    point = ord(ch)
    return any(lo <= point <= hi for lo, hi in _CJK_RANGES)


def strip_non_word_edges(text: str) -> str:
    """``text`` without the characters at either end that are neither word characters (``\\w``)
    nor CJK: quotes, brackets, punctuation around a query word."""
    start, end = 0, len(text)
    while start < end and not (text[start] == "_" or is_unit(text[start])):
        start += 1
    while end > start and not (text[end - 1] == "_" or is_unit(text[end - 1])):
        end -= 1
    return text[start:end]


class PositionalTerm(NamedTuple):
    text: str
    position: int
    start: int
    end: int


def term_counts(norm: str) -> Counter:
    """Term → frequency of an already normalized text (unigrams and bigrams of units)."""
    runs = _unit_re().findall(norm)
    counts = Counter("".join(runs))
    counts.update(chain.from_iterable(map(add, r, r[1:]) for r in runs))
    return counts


def first_byte_offsets(norm: str, terms) -> list[int]:
    """The UTF-8 byte offset of each term's first occurrence in an already normalized text that holds
    it (``terms``: those of ``term_counts``). A ``dict`` built over the characters, and over every
    adjacent pair, in reverse keeps each one's earliest start; a pair of units is a bigram wherever it
    stands, so the pairs across gaps do no harm."""
    n = len(norm)
    if not n:
        return []
    import numpy as np  # only a build needs it (a search process may never import numpy)

    singles = dict(zip(reversed(norm), range(n - 1, -1, -1)))
    pairs = dict(zip(reversed(list(map(add, norm, norm[1:]))), range(n - 2, -1, -1)))
    starts = np.fromiter([(pairs if len(t) == 2 else singles)[t] for t in terms], np.int64)
    points = np.frombuffer(norm.encode("utf-32-le"), "<u4")
    byte_at = np.zeros(n + 1, np.int64)
    np.cumsum(1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000), out=byte_at[1:])
    return byte_at[starts].tolist()


def unit_runs(norm: str) -> list[tuple[int, int]]:
    """(start, end) of each run of units (CJK, letters, digits) in ``norm``, in order."""
    if len(norm) > _SHORT_TEXT:
        return [m.span() for m in _unit_re().finditer(norm)]
    runs, start = [], -1
    for i, ch in enumerate(norm):
        if ch.isalnum() or is_unit(ch):
            if start < 0:
                start = i
        elif start >= 0:
            runs.append((start, i))
            start = -1
    if start >= 0:
        runs.append((start, len(norm)))
    return runs


def _unit_re() -> re.Pattern:
    return __getattr__("_UNIT_RE")


def positional_terms(norm: str, make=PositionalTerm) -> list:
    """The terms of a normalized text with positions and character offsets (see module doc).

    ``make(text, position, start, end)`` builds each term (``tantivy.Token`` for that backend);
    a run's unigrams come first, then its bigrams, built by ``map`` so a 6,000-character report
    costs a few milliseconds.
    """
    out: list = []
    pos, last_end = -1, None
    for start, end in unit_runs(norm):
        pos += 1 if last_end is None or start == last_end else 2  # a gap costs one position
        run = norm[start:end]
        n = len(run)
        out.extend(map(make, run, range(pos, pos + n), range(start, end), range(start + 1, end + 1)))
        if n > 1:
            out.extend(map(make, map(add, run, run[1:]), range(pos, pos + n - 1), range(start, end - 1),
                           range(start + 2, end + 1)))
        pos += n - 1
        last_end = end
    return out


def token_stream(norm: str) -> list[str]:
    """The sequential form of the terms, for a whitespace tokenizer (the tantivy backend).

    Each run of two or more units gives its bigrams, a run of one unit gives that unit, and
    every gap a ``GAP_TOKEN``; consecutive tokens get consecutive
    positions, so a phrase over this stream matches contiguous text. (Unigrams inside longer runs
    are left out: a query edge that is a single character is matched by a regex term, ``.?年``.)
    """
    out: list[str] = []
    last_end = None
    for start, end in unit_runs(norm):
        if last_end is not None and start != last_end:
            out.append(GAP_TOKEN)
        run = norm[start:end]
        if len(run) > 1:
            out.extend(map(add, run, run[1:]))
        else:
            out.append(run)
        last_end = end
    return out


# compiled when first asked for (whoosh_analysis tokenizes with _CHAR_RE)
_LAZY_PATTERNS = {"WORD_CHAR_RE": WORD_CHAR, "_CHAR_RE": _UNIT_CHAR, "_UNIT_RE": _UNIT_RUN}
_WHOOSH_NAMES = ("CJKTokenizer", "NFKCFilter", "CJKBigramFilter", "chinese_analyzer")


def __getattr__(name: str):
    """The Whoosh composables live in ``index.whoosh_analysis`` (importing Whoosh costs a tantivy search
    ~10 ms); they are still found here, where the Whoosh schemas already written name them.
    ``WORD_CHAR_RE``, ``_CHAR_RE`` and ``_UNIT_RE`` are compiled when first asked for."""
    if name in _LAZY_PATTERNS:
        globals()[name] = re.compile(_LAZY_PATTERNS[name])
        return globals()[name]
    if name in _WHOOSH_NAMES:
        from . import whoosh_analysis

        return getattr(whoosh_analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
