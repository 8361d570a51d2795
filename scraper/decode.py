"""Decode an HTML page's bytes to text, in one documented order.

``decode_html(body, declared_charset) -> (text, charset)`` tries: a BOM; the HTTP charset (unless
it is the iso-8859-1 default servers add blindly); the ``<meta>`` charset of the first 4 KiB;
detection with charset-normalizer; UTF-8 with replacement as the last resort. A declared charset
is only taken if the bytes decode under it without error (header/meta mismatches are common).
gb2312/gbk are read as gb18030, their superset. The raw bytes are not touched: the archive keeps
them as fetched. (``parser`` has its own decoder; the two packages never import each other.)
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["decode_html", "normalize_charset"]

# same mapping as w3lib's DEFAULT_ENCODING_TRANSLATION for the Chinese family
_TRANSLATE = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
    "csgb2312": "gb18030", "cp936": "gb18030", "ms936": "gb18030", "euc-cn": "gb18030",
    "windows-936": "gb18030", "gb18030": "gb18030",
    "ascii": "utf-8", "us-ascii": "utf-8", "utf8": "utf-8",
}
# servers add these when nobody configured a charset: not evidence of the real one
_BLIND_DEFAULTS = frozenset({"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"})
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)


def normalize_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset (gbk -> gb18030), or ``None`` if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _TRANSLATE.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(body: bytes, charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, declared_charset: str | None = None) -> tuple[str, str]:
    """(text, charset used) for an HTML page's bytes."""
    for bom, charset in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(charset, "replace"), charset
    declared = normalize_charset(declared_charset)
    if declared and declared_charset.strip().lower() not in _BLIND_DEFAULTS:
        text = _try(body, declared)
        if text is not None:
            return text, declared
    meta = _META.search(body[:4096])
    meta_charset = normalize_charset(meta.group(1).decode("ascii", "ignore")) if meta else None
    text = _try(body, meta_charset)
    if text is not None:
        return text, meta_charset
    text = _try(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        guessed = normalize_charset(best.encoding) or best.encoding
        return body.decode(guessed, "replace"), guessed
    return body.decode("utf-8", "replace"), "utf-8"
