"""Legacy prose made matchable: normalized text that still points into the original, cut into sentences.

``normalize(text)`` folds full-width forms (NFKC), the 繁体 characters of the patterns, mirror
noise ("@@", pinyin in brackets) and the whitespace and thousands separators inside numbers
("2030 条", "5928\\n条" in PDF text, "1,984件"), and returns the new text with, for each of its
characters, the index of the character it came from: evidence quotes the report as written.
``paragraphs(text)`` yields the paragraphs (PDF line breaks inside a sentence joined, table rows
— lines with a tab or with cells between | — left out) with their section heading and the
(一)/(二) heading under it;
``sentences`` and ``clauses`` cut further. Pure, reads no settings.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

from .patterns import HEADING_RX, TRAD_TO_SIMP, WORD_FOLDS

__all__ = ["Normalized", "Paragraph", "normalize", "paragraphs", "sentences", "clauses", "is_text_row"]

_SPACE = "[ \u00a0\u200b\u200c\ufeff]"
_DROP_RXS = (
    re.compile(r"@@"),
    re.compile(r"\((?<=[\u4e00-\u9fff]\()[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"),  # "關(guan) 於(yu)", "報(bào)"
    re.compile(rf"{_SPACE}(?<![A-Za-z]{_SPACE}){_SPACE}*|{_SPACE}+(?![A-Za-z])"),
    re.compile(r",(?<=\d,)(?=\d{3}(?!\d))"),  # (each starts with its character: a search looks only there)
)
_SENTENCE_END = re.compile(r"[。!?]")
# a colon cuts a clause, except in a time (10:30) and after 其中 ("其中:区政府办公室…120条" is a part)
_CLAUSE_SPLIT = re.compile(r"[,;]|(?<!其中)(?<!\d):|(?<!其中)(?<=\d):(?!\d)")
_LINE_END = re.compile(r"[。!?;:]$")
_NUMBER_THEN_UNIT = re.compile(r"\d[件条宗起个只次人名元篇场期项]")
_WRAP_MIN = 20
SUBHEADING_RX = re.compile(r"^\([一二三四五六七八九十]{1,3}\)")  # a PDF line cut by the page width is long; a title or heading line is short


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    source: str
    offsets: tuple[int, ...]  # offsets[i]: index in ``source`` of text[i]

    def original(self, start: int, end: int) -> str:
        """The source text behind ``text[start:end]``."""
        if start >= end:
            return ""
        return self.source[self.offsets[start]: self.offsets[end - 1] + 1]


# the characters NFKC may change: ASCII and the CJK block are left alone, so only these are looked at
_MAY_FOLD = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")


# a character the 繁体 folding changes (收 maps to itself): a text without one (most) is not translated
_TRADITIONAL = re.compile("[" + "".join(re.escape(chr(c)) for c, s in TRAD_TO_SIMP.items() if s != c) + "]")


def normalize(text: str) -> Normalized:
    folded, offsets = _fold_width(text)
    if _TRADITIONAL.search(folded):
        folded = folded.translate(TRAD_TO_SIMP)  # one to one: offsets stay valid
    for rx in _DROP_RXS:
        folded, offsets = _drop(folded, offsets, [(m.start(), m.end()) for m in rx.finditer(folded)])
    folded, offsets = _drop(folded, offsets, _wrapped_line_breaks(folded))
    for old, new in WORD_FOLDS:  # same length, so offsets stay valid
        folded = folded.replace(old, new)
    return Normalized(folded, text, tuple(offsets))


def _fold_width(text: str) -> tuple[str, Sequence[int]]:
    """Each character NFKC-folded on its own, with the index each folded character came from."""
    # the distinct characters NFKC may change (a set of the text, not a list of every match)
    folds = {c: _nfkc_char(c) for c in set(text) if c > "\x7f" and not "\u4e00" <= c <= "\u9fff"}
    if all(len(f) == 1 for f in folds.values()):  # one for one (，→, （→( …): offsets unmoved
        # one replace per distinct character: str.translate with a dict calls back per character
        for c, f in folds.items():
            if f != c:
                text = text.replace(c, f)
        return text, range(len(text))  # (a range: sliced and copied as a list would be)
    pieces: list[str] = []
    offsets: list[int] = []
    done = 0
    for m in _MAY_FOLD.finditer(text):
        i = m.start()
        folded = folds[m.group()]
        pieces += (text[done:i], folded)
        offsets += range(done, i)
        offsets += [i] * len(folded)
        done = i + 1
    pieces.append(text[done:])
    offsets += range(done, len(text))
    return "".join(pieces), offsets


@lru_cache(maxsize=8192)
def _nfkc_char(c: str) -> str:
    """One character's NFKC form (the few hundred characters reports write recur in every one)."""
    return unicodedata.normalize("NFKC", c)


def _drop(text: str, offsets: Sequence[int], spans: list[tuple[int, int]]) -> tuple[str, Sequence[int]]:
    """``text`` and ``offsets`` without the characters of ``spans`` (in order, not overlapping)."""
    if not spans:
        return text, offsets
    kept_text: list[str] = []
    kept_offsets: list[int] = []
    done = 0
    for start, end in spans:
        kept_text.append(text[done:start])
        kept_offsets += offsets[done:start]
        done = max(done, end)
    kept_text.append(text[done:])
    kept_offsets += offsets[done:]
    return "".join(kept_text), kept_offsets


def is_text_row(line: str) -> bool:
    """A table row kept as one line of text: "收到申请数 | 件 | 20", cells between tabs (saved copies,
    legacy.md §1.3). A tab before or after the text is a paragraph's indent, not a cell's edge: a
    real report indents every paragraph with one (sichuan-guangyuan-tjj-2024)."""
    return line.count("|") >= 2 or "\t" in line.strip()


def _wrapped_line_breaks(text: str) -> list[tuple[int, int]]:
    """The line breaks a PDF put inside a sentence ("…共主动公开政府信息5928\n条"): to be dropped."""
    spans: list[tuple[int, int]] = []
    lines = text.split("\n")
    pos = 0
    for line, nxt in zip(lines, lines[1:]):
        pos += len(line)
        cur, following = line.strip(), nxt.strip()
        table_row = is_text_row(line) or is_text_row(nxt)
        split_number = _NUMBER_THEN_UNIT.search(cur[-1:] + following[:1]) is not None
        wrapped = (len(cur) >= _WRAP_MIN and not _LINE_END.search(cur)
                   and not HEADING_RX.match(cur) and not HEADING_RX.match(following))
        if following and not table_row and (split_number or wrapped):
            spans.append((pos, pos + 1))
        pos += 1
    return spans


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str  # normalized
    start: int  # offset in the normalized document
    heading: str  # the top-level section heading it sits under ("" before the first)
    subheading: str = ""  # the (一)/(二) heading under it, if any ("(二)依申请公开")


def paragraphs(norm: Normalized) -> Iterator[Paragraph]:
    """The prose lines, each with its section heading; table rows (a tab, or cells between |) are left out."""
    heading = subheading = ""
    pos = 0
    for line in norm.text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped or is_text_row(stripped):  # table rows are the appendix reader's
            continue
        if len(stripped) <= 40 and HEADING_RX.match(stripped):
            heading, subheading = stripped, ""
        elif len(stripped) <= 40 and SUBHEADING_RX.match(stripped):
            subheading = stripped
        yield Paragraph(line, line_start, heading, subheading)


def sentences(par: Paragraph) -> Iterator[tuple[int, str]]:
    """(offset in the document, sentence) pairs; the end mark stays with its sentence."""
    start = 0
    for m in _SENTENCE_END.finditer(par.text):
        if par.text[start: m.end()].strip():
            yield par.start + start, par.text[start: m.end()]
        start = m.end()
    if par.text[start:].strip():
        yield par.start + start, par.text[start:]


def clauses(sentence: str) -> Iterator[tuple[int, str]]:
    """(offset in the sentence, clause) pairs, cut at , ; and : (not a time's colon)."""
    start = 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        yield start, sentence[start: m.start()]
        start = m.end()
    yield start, sentence[start:]
