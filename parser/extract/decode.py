"""Bytes of an HTML page or a text file -> str, with the charset that decoded it.

Order (sites.md 3.1, STYLE.md): BOM > declared charset (HTTP header, unless the latin-1
default) > ``<meta charset>`` / ``http-equiv`` > detection (GB18030 and the Big5 variants by
plausibility, then charset-normalizer) > UTF-8 with replacement. gb2312/gbk/cp936 are read as
gb18030 (its superset). A declared charset is only used when the bytes decode under it without
error; a header/meta that lies (utf-8 on a GBK body) falls through to the next candidate. Bytes
that are valid UTF-8 with non-ASCII content are UTF-8 whatever a GB or Big5 declaration says (GB
and Big5 text is practically never valid UTF-8).

GB and Big5 need more: nearly every Big5 byte pair is also a valid GB18030 pair, so Big5 bytes
"decode" as GB18030 without an error, into garbage (a 繁體 gateway page that kept its gb2312
``<meta>``). Big5 comes in three variants: plain Big5, cp950 (Windows: adds €, ETEN symbols) and
Big5-HKSCS (what browsers read "big5" as: adds the Hong Kong characters, and puts ① ⑴ where
cp950 has kana). So a GB or Big5 declaration names a family: each of GB18030, big5, cp950 and
big5hkscs that decodes the bytes without error is scored by how much the result reads as Chinese
text (share of frequent characters, kana and private-use characters against it). The declared
family keeps the bytes unless the other reads clearly better (a margin: right and wrong readings
of the real corpus score about +0.8 and below -2); within a family the best score wins, ties
going to the declared name.
"""
from __future__ import annotations

import codecs
import re

__all__ = ["decode_bytes", "normalize_charset", "declared_meta_charset"]

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: declared names read as a superset (w3lib's DEFAULT_ENCODING_TRANSLATION does the same)
CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
    "euc-cn": "gb18030", "hz-gb-2312": "gb18030", "windows-936": "gb18030", "chinese": "gb18030",
    "utf8": "utf-8", "unicode": "utf-8", "big5-hkscs": "big5hkscs", "x-big5": "big5",
    "cn-big5": "big5", "csbig5": "big5", "x-x-big5": "big5", "big5-eten": "cp950", "ms950": "cp950",
    "windows-950": "cp950", "x-windows-950": "cp950",
}
# double-byte Chinese charsets told apart by plausibility (module doc); the first of a family is its default
_GB_FAMILY = ("gb18030",)
_BIG5_FAMILY = ("big5", "cp950", "big5hkscs")
_DOUBLE_BYTE = _GB_FAMILY + _BIG5_FAMILY
# a reading of the declared family loses only to one that scores this much better
_DECLARED_MARGIN = 0.5
# below this a reading is not taken without a declaration (right readings score about 0.7-0.9)
_PLAUSIBLE = 0.2
# a server's default, not a statement about the page
_IGNORED_DECLARATIONS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_META_SCAN = 8192
_DETECT_SAMPLE = 64 * 1024


def normalize_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:_META_SCAN])
    return m.group(1).decode("ascii", "replace") if m else None


def decode_bytes(data: bytes, declared: str | None = None, *, html: bool = True) -> tuple[str, str]:
    """(text, charset used). Never raises on bad bytes: the last resort replaces them."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc.replace("-sig", "")
    candidates: list[str] = []
    header = normalize_charset(declared)
    if header and (declared or "").strip().lower() not in _IGNORED_DECLARATIONS:
        candidates.append(header)
    if html:
        meta = normalize_charset(declared_meta_charset(data))
        if meta and meta not in candidates:
            candidates.append(meta)
    if candidates and candidates[0] in _DOUBLE_BYTE and _is_multibyte_utf8(data):
        candidates.insert(0, "utf-8")
    for enc in candidates:
        if enc in _DOUBLE_BYTE:
            found = _decode_chinese(data, enc)
            if found:
                return found
            continue
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    if not candidates and _is_multibyte_utf8(data):
        return data.decode("utf-8"), "utf-8"
    detected = _detect(data)
    if detected:
        return data.decode(detected, errors="replace"), detected
    return data.decode("utf-8", errors="replace"), "utf-8"


def _is_multibyte_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


# kana, box drawing, private use: rare in Chinese pages, frequent when Big5 is read as GB
_UNLIKELY = re.compile("[\u3040-\u30ff\u2500-\u257f\ue000-\uf8ff\u3400-\u4dbf]")


# frequent characters of Chinese prose and of these reports, simplified and traditional forms:
# text read in the right charset is full of them, text read in the wrong one has few
_COMMON = frozenset(
    "的一是不了在人有我他这個们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于於"
    "着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天"
    "分还還进進好小部其些主样樣理心本前开開但因只从從想实實日者意无無力与與长長机機十民第公此已工使情明性知"
    "全三又关關点點正业業外将將两兩高间間由问問很最重并並物应應向头頭文体體政相见見被新制果加月话話合回特代内"
    "信表化给給位次度门門任常先海通教原东東提立及比员員解水名真论論处處义義各入几幾口认認条條平系气氣题題活"
    "更别別打变變四总總何电電数數安少报報才结結反受目量再建务務做接必场場件计計管期市直资資指统統区區保至形"
    "社空决決治展基书書非则則界达達放强強即难難且权權象完设設式据據程北边邊张張该該交规規万萬取格确確传傳院"
    "领領共识識带帶导導运運改收根造言联聯持组組每济濟车車服议議往元证證近转轉令准準布始存未单單影具字流备備"
    "调調深商算质質团團集百需价價华華城级級整府况況请請技示复復息究线線官断斷精满滿支视視消器容照须須增研"
    "写寫称稱企功包委乎查易早曾除农農找装裝广廣显顯申办辦年度告公开開政府信息收依予议查诉訴复覆")


def _plausibility(text: str) -> float:
    text = text[:_DETECT_SAMPLE]
    hans = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    common = sum(1 for ch in text if ch in _COMMON)
    unlikely = len(_UNLIKELY.findall(text))
    return (common - 5 * unlikely) / max(1, hans)


def _decode_chinese(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """(text, charset) of the GB18030 or Big5-variant reading of ``data`` that reads best as Chinese.

    ``declared``: the charset the page names (its family wins by ``_DECLARED_MARGIN``), or None
    when detecting (then the best reading must score ``_PLAUSIBLE``). None when nothing fits.
    """
    family = _BIG5_FAMILY if declared in _BIG5_FAMILY else _GB_FAMILY if declared else ()
    order = list(dict.fromkeys([*([declared] if declared else []), *family, *_DOUBLE_BYTE]))
    readings: list[tuple[str, str]] = []
    for enc in order:
        try:
            readings.append((enc, data.decode(enc)))
        except UnicodeDecodeError:
            continue
    if not readings:
        return None
    if declared and all(enc in family for enc, _ in readings) and len({t for _, t in readings}) == 1:
        return readings[0][1], readings[0][0]  # one reading, the declared family's: nothing to weigh
    best: tuple[float, int, str, str] | None = None
    scores: dict[str, float] = {}
    for rank, (enc, text) in enumerate(readings):
        plausible = scores.get(text)
        if plausible is None:
            plausible = scores[text] = _plausibility(text)
        if enc not in family and plausible <= _PLAUSIBLE:
            continue
        score = plausible + (_DECLARED_MARGIN if enc in family else 0.0)
        if best is None or score > best[0]:  # ties: the earlier name (the declared one first)
            best = (score, rank, enc, text)
    return (best[3], best[2]) if best else None


def _detect(data: bytes) -> str | None:
    # GB and Big5 are the common cases on these sites: a strict decode checks them fast and
    # plausibility tells them apart; charset-normalizer for the rest
    found = _decode_chinese(data, None)
    if found:
        return found[1]
    from charset_normalizer import from_bytes

    data = data[:_DETECT_SAMPLE]
    best = from_bytes(data).best()
    if best is None:
        return None
    return normalize_charset(best.encoding)
