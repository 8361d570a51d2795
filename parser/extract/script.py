"""繁體 documents read as 简体: which script a text is written in, and traditional -> simplified.

Government sites offer 繁體 copies (Big5 gateways such as ``/gate/big5/``, "繁體" buttons, mirrors)
and archives keep them; every later stage (recognition, metadata, tables, prose, sections) reads
simplified text, so the extract stage converts a traditional document once (``parser.extract``).

* ``detect_script(text)``: ``"traditional"`` when the characters that exist only in traditional
  form outnumber twice those that exist only in simplified form (開 報 於 vs 开 报 这). A
  simplified report has about a third of its characters simplified-only and none or one or two
  traditional-only (a name, a quoted 乾隆); a traditional copy the reverse (measured on the real
  corpus: 150–200 against at most 8 in a 600-character excerpt). Characters shared by both
  scripts (政 府 信 息) count for neither, so a short title decides on the few it has
  (「政府信息公開工作年度報告」: 開 報 -> traditional).
* ``to_simplified(text)``: OpenCC's Hong Kong and Taiwan variants read as OpenCC's standard forms
  (``hk2t``, ``tw2t``: 衞 -> 衛, 著力 -> 着力 while 著名, 顯著 stay), then ``t2s``: characters, plus
  the phrases that settle a character with several simplified forms (乾淨 -> 干净 but 乾隆, 於潛
  stay; 答覆 -> 答复; 複議 -> 复议). Script only, never vocabulary: not ``tw2sp``, which also swaps
  regional words (檔案 -> 文件, 資訊 -> 信息), and a report that says 档案 must stay 档案. Measured
  on the real simplified excerpts converted by OpenCC's s2t / s2tw / s2hk and back: 1 / 2 / 1
  characters differ in 152,000 (plain t2s: 1 / 31 著力 / 20 衞生). The result has the input's length.
  The search index folds documents and queries with the same conversion one character for one
  (``index.analysis.script_fold``: index may not import parser, a test keeps the two in step).
* ``simplify_document(doc)``: a Document with every text field converted (text, page texts,
  title, meta keys and values, breadcrumbs, table cells and captions, link texts; never hrefs),
  ``original_text`` and ``script`` set.

The package: ``opencc`` (OpenCC's own binding, data built in; wheels for CPython 3.11-3.14 on
Linux x86_64/aarch64 and macOS). ``t2s`` of a 50 KB traditional report: opencc 0.6 ms (1.2 ms
for the three steps above); ``opencc-py`` (OpenCC's pure-Python port, same output) 15 ms;
``opencc-python-reimplemented`` (last release 2023, older data, same output on our cases) 26 ms;
``zhconv`` (MediaWiki's tables, not OpenCC's) 4 ms, but its zh-cn mode also rewrites Taiwan
vocabulary (軟體 -> 软件). All four give 政府信息公开, 档案 for 檔案 and 资讯 for 資訊.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from pathlib import Path

from ..document import Document
from ..regex_cache import cached

__all__ = ["SIMPLIFIED", "TRADITIONAL", "detect_script", "to_simplified", "simplify_document"]

SIMPLIFIED = "simplified"
TRADITIONAL = "traditional"

# Extension A and the Unified block: the characters reports are written with. (Compatibility
# ideographs are NFKC's business; the supplementary planes hold no characters of these reports.)
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
# Hong Kong and Taiwan variants to OpenCC's standard traditional forms, then to simplified
_TO_SIMPLIFIED = ("hk2t", "tw2t", "t2s")
# variants real 繁體 pages write that OpenCC leaves as they are, each to its simplified form (the
# search index folds the same pairs: ``index.analysis.EXTRA_FOLDS``, a test keeps the two equal).
# 陜 (U+965C) for 陝 (Shaanxi): the province's own 繁體 pages (shaanxi-office-2022-traditional)
EXTRA_FOLDS = {"陜": "陕"}
_EXTRA = str.maketrans(EXTRA_FOLDS)
# enough text to decide; a long report says the same thing in its first 200,000 characters
_DETECT_CHARS = 200_000


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def _changed_alone(config: str) -> set[str]:
    """The CJK characters that OpenCC's ``config`` changes when converted on their own.

    One call converts every character on its own line: no phrase spans a line break.
    """
    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi + 1)]
    converted = _converter(config).convert("\n".join(chars)).split("\n")
    return {c for c, o in zip(chars, converted) if o != c}


# _script_only()'s two sets, one line each (traditional-only, then simplified-only): working them
# out from OpenCC costs ~110 ms a process, more than parsing a report (a test keeps the file equal to
# what OpenCC gives; ``write_script_chars()`` writes it anew after an OpenCC upgrade)
SCRIPT_CHARS_FILE = Path(__file__).resolve().parent.parent / "data" / "script_chars.txt"


def script_only_from_opencc() -> tuple[frozenset[str], frozenset[str]]:
    """(characters only traditional text uses, characters only simplified text uses), from OpenCC."""
    trad, simp = _changed_alone("t2s"), _changed_alone("s2t")
    both = trad & simp  # a character both tables change tells nothing
    return frozenset(trad - both), frozenset(simp - both)


def write_script_chars(path: Path = SCRIPT_CHARS_FILE) -> None:
    path.write_text("".join("".join(sorted(chars)) + "\n" for chars in script_only_from_opencc()), "utf-8")


@lru_cache(maxsize=1)
def _script_only() -> tuple[frozenset[str], frozenset[str]]:
    """(characters only traditional text uses, characters only simplified text uses)."""
    try:
        trad, simp, rest = SCRIPT_CHARS_FILE.read_text("utf-8").split("\n")
        if rest or not trad or not simp:
            raise ValueError(f"{SCRIPT_CHARS_FILE} is not two lines of characters")
        return frozenset(trad), frozenset(simp)
    except (OSError, ValueError):  # no file (a trimmed copy): from OpenCC
        return script_only_from_opencc()


@lru_cache(maxsize=1)
def _traditional_only() -> re.Pattern[str]:
    """A pattern of the characters only traditional text uses (a class of ~2,700: compiled once a
    machine, ``regex_cache``)."""
    return cached("[" + "".join(map(re.escape, sorted(_script_only()[0]))) + "]")


def detect_script(text: str) -> str:
    """``"traditional"`` or ``"simplified"`` (the default, also for text without Chinese)."""
    sample = text[:_DETECT_CHARS]
    if not _traditional_only().search(sample):  # most documents: one search, no count
        return SIMPLIFIED
    trad, simp = _script_only()
    n_trad = sum(map(trad.__contains__, sample))
    if not n_trad:
        return SIMPLIFIED
    n_simp = sum(map(simp.__contains__, sample))
    return TRADITIONAL if n_trad > 2 * n_simp else SIMPLIFIED


def to_simplified(text: str) -> str:
    """``text`` in simplified characters (see the module doc).

    For traditional text only: on simplified text the Taiwan step reads 显著 as 显着 (its phrase
    list knows 顯著 only), which is why only a document detected as traditional is converted.
    """
    if not text:
        return text
    for config in _TO_SIMPLIFIED:
        text = _converter(config).convert(text)
    return text.translate(_EXTRA)


def simplify_document(doc: Document, original_text: str | None = None) -> Document:
    """``doc`` with every text field in simplified characters (a new Document).

    ``original_text``: the text as written, when ``doc`` was already read from converted text.
    """
    conv = to_simplified
    tables = [dataclasses.replace(t, grid=[[conv(c) for c in row] for row in t.grid], caption=conv(t.caption))
              for t in doc.tables]
    meta = {conv(k): v if k == "charset" else conv(v) for k, v in doc.meta.items()}
    return dataclasses.replace(
        doc, text=conv(doc.text), tables=tables, page_texts=[conv(p) for p in doc.page_texts],
        title=conv(doc.title) if doc.title else doc.title, meta=meta,
        breadcrumbs=[conv(b) for b in doc.breadcrumbs],
        attachments=[(conv(label), href) for label, href in doc.attachments],
        original_text=doc.text if original_text is None else original_text, script=TRADITIONAL)
