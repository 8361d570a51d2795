"""The Word 97–2003 binary structures the .doc reader needs, from the streams of an OLE2 file.

    read_fib(word_stream) -> Fib            the File Information Block (flags, text length, table offsets)
    read_pieces(table_stream, fib) -> list[Piece]   the piece table inside the CLX
    main_text(word_stream, pieces, ccp) -> str      the main document's characters, CP 0 .. ccp
    ParagraphProps(word, table, data, fib, pieces)  paragraph-end CP -> its grpprl (PAPX in the FKPs)

Follows the published [MS-DOC] layout: FibBase (32 bytes), then counted blocks of 16-bit words,
32-bit longs and (fc, lcb) pairs. Text lives in pieces, each either "compressed" (one byte a
character, cp1252) or UTF-16LE, in any order in the WordDocument stream (a fast-saved file
appends its edits as new pieces). Every offset read from the file is bounds-checked: a damaged
file raises ``DocFormatError`` with what was wrong, never IndexError. Pure, no I/O.
"""
from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass

__all__ = ["DocFormatError", "Fib", "Piece", "read_fib", "read_pieces", "main_text", "ParagraphProps"]

WORD_IDENT = 0xA5EC
NFIB_WORD97 = 193  # Word 6/95 files (nFib 101..105) keep text and tables another way
_FIB_BASE = 32
_CCP_TEXT_INDEX = 3  # FibRgLw97: cbMac, reserved1, reserved2, ccpText, ...
_PLCF_BTE_PAPX_INDEX = 13  # FibRgFcLcb97 pairs: ... fcPlcfBteChpx (12), fcPlcfBtePapx (13) ...
_CLX_INDEX = 33
_FKP_SIZE = 512
_PCD_SIZE = 8
_SPRM_HUGE_PAPX = 0x6646  # the grpprl sits in the Data stream (a long table row's properties)
# compressed bytes are latin-1 except 0x82-0x9F, which [MS-DOC] maps as cp1252 does (Word writes no
# other byte of that range compressed; cp1252's 0x80 euro is taken too, the 5 undefined stay as they are)
_COMPRESSED_HIGH = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}


class DocFormatError(ValueError):
    """The streams do not hold a readable Word 97–2003 document (the message says why)."""


@dataclass(frozen=True, slots=True)
class Fib:
    nfib: int
    encrypted: bool
    obfuscated: bool
    table_stream: str  # "0Table" or "1Table"
    ccp_text: int  # characters of the main document
    clx: tuple[int, int]  # (fc, lcb) in the table stream
    plcf_bte_papx: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Piece:
    cp_start: int
    cp_end: int
    fc: int  # byte offset of the piece's first character in the WordDocument stream
    compressed: bool

    def fc_of(self, cp: int) -> int:
        return self.fc + (cp - self.cp_start) * (1 if self.compressed else 2)


def _u16(buf: bytes, at: int, what: str) -> int:
    if at < 0 or at + 2 > len(buf):
        raise DocFormatError(f"{what} lies outside its stream")
    return struct.unpack_from("<H", buf, at)[0]


def _u32(buf: bytes, at: int, what: str) -> int:
    if at < 0 or at + 4 > len(buf):
        raise DocFormatError(f"{what} lies outside its stream")
    return struct.unpack_from("<I", buf, at)[0]


def read_fib(word: bytes) -> Fib:
    if _u16(word, 0, "the FIB") != WORD_IDENT:
        raise DocFormatError("the WordDocument stream does not start with a Word FIB")
    nfib = _u16(word, 2, "nFib")
    flags = _u16(word, 10, "the FIB flags")
    at = _FIB_BASE
    csw = _u16(word, at, "csw")
    at += 2 + 2 * csw
    cslw = _u16(word, at, "cslw")
    lw_at = at + 2
    at = lw_at + 4 * cslw
    cb_fc_lcb = _u16(word, at, "cbRgFcLcb")
    fc_lcb_at = at + 2
    if cslw <= _CCP_TEXT_INDEX or cb_fc_lcb <= _CLX_INDEX:
        raise DocFormatError(f"a FIB too short for a Word 97 document (nFib {nfib})")

    def pair(index: int) -> tuple[int, int]:
        return (_u32(word, fc_lcb_at + 8 * index, "a FIB offset"),
                _u32(word, fc_lcb_at + 8 * index + 4, "a FIB length"))

    return Fib(nfib=nfib, encrypted=bool(flags & 0x0100), obfuscated=bool(flags & 0x8000),
               table_stream="1Table" if flags & 0x0200 else "0Table",
               ccp_text=_u32(word, lw_at + 4 * _CCP_TEXT_INDEX, "ccpText"),
               clx=pair(_CLX_INDEX), plcf_bte_papx=pair(_PLCF_BTE_PAPX_INDEX))


def _slice(buf: bytes, fc: int, lcb: int, what: str) -> bytes:
    if lcb == 0 or fc + lcb > len(buf):
        raise DocFormatError(f"{what} is missing or runs past its stream")
    return buf[fc:fc + lcb]


def read_pieces(table: bytes, fib: Fib) -> list[Piece]:
    clx = _slice(table, *fib.clx, "the piece table (CLX)")
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: formatting shared by pieces, skipped
        size = struct.unpack_from("<h", clx, at + 1)[0] if at + 3 <= len(clx) else -1
        if size < 0:
            raise DocFormatError("a damaged Prc in the CLX")
        at += 3 + size
    if at >= len(clx) or clx[at] != 0x02:
        raise DocFormatError("the CLX has no piece table (Pcdt)")
    lcb = _u32(clx, at + 1, "the Pcdt length")
    plc = clx[at + 5:at + 5 + lcb]
    if len(plc) != lcb or (lcb - 4) % 12:
        raise DocFormatError("the piece table has a wrong length")
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    pieces = []
    for i in range(n):
        fc_raw = _u32(plc, 4 * (n + 1) + i * _PCD_SIZE + 2, "a piece")
        compressed = bool(fc_raw & 0x40000000)
        fc = fc_raw & 0x3FFFFFFF
        if cps[i + 1] < cps[i]:
            raise DocFormatError("the piece table's positions go backwards")
        pieces.append(Piece(cps[i], cps[i + 1], fc // 2 if compressed else fc, compressed))
    return pieces


def _decode_compressed(raw: bytes) -> str:
    return raw.decode("latin-1").translate(_COMPRESSED_HIGH)


def main_text(word: bytes, pieces: list[Piece], ccp: int) -> str:
    """The characters CP 0 .. ccp (the main document; footnotes and headers follow it)."""
    out: list[str] = []
    for p in pieces:
        if p.cp_start >= ccp:
            break
        end = min(p.cp_end, ccp)
        width = 1 if p.compressed else 2
        raw = word[p.fc:p.fc + (end - p.cp_start) * width]
        if len(raw) != (end - p.cp_start) * width:
            raise DocFormatError("a text piece runs past the WordDocument stream (a truncated file?)")
        out.append(_decode_compressed(raw) if p.compressed else raw.decode("utf-16-le", errors="replace"))
    return "".join(out)


class ParagraphProps:
    """Which grpprl (paragraph/table-row properties) belongs to a paragraph mark.

    The PlcBtePapx lists FKP pages; each page maps runs of FC (stream offsets) to a PAPX.
    A paragraph's properties are those of the run holding its mark's FC.
    """

    def __init__(self, word: bytes, table: bytes, data: bytes, fib: Fib, pieces: list[Piece]):
        self._word, self._data, self._pieces = word, data, pieces
        self._piece_starts = [p.cp_start for p in pieces]
        self._run_starts: list[int] = []
        self._runs: list[tuple[int, int, bytes]] = []  # (fc_start, fc_end, grpprl)
        fc, lcb = fib.plcf_bte_papx
        if lcb < 8 or fc + lcb > len(table) or (lcb - 4) % 8:
            return  # no paragraph properties: tables fall back to text cues
        n = (lcb - 4) // 8
        pns = struct.unpack_from(f"<{n}I", table, fc + 4 * (n + 1))
        runs = []
        for pn in pns:
            runs.extend(self._read_fkp((pn & 0x3FFFFF) * _FKP_SIZE))
        runs.sort()
        self._runs = runs
        self._run_starts = [r[0] for r in runs]

    def _read_fkp(self, at: int) -> list[tuple[int, int, bytes]]:
        page = self._word[at:at + _FKP_SIZE]
        if len(page) != _FKP_SIZE:
            raise DocFormatError("a paragraph-property page lies outside the WordDocument stream")
        crun = page[-1]
        if 4 * (crun + 1) + 13 * crun > _FKP_SIZE - 1:
            raise DocFormatError("a paragraph-property page with an impossible run count")
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        runs = []
        for i in range(crun):
            offset = 2 * page[4 * (crun + 1) + 13 * i]
            runs.append((fcs[i], fcs[i + 1], self._papx(page, offset) if offset else b""))
        return runs

    def _papx(self, page: bytes, offset: int) -> bytes:
        cb = page[offset]
        start, size = (offset + 2, 2 * page[offset + 1]) if cb == 0 else (offset + 1, 2 * cb - 1)
        grpprl = page[start + 2:start + size]  # after the 2-byte style index
        if len(grpprl) >= 6 and struct.unpack_from("<H", grpprl, 0)[0] == _SPRM_HUGE_PAPX:
            fc_data = struct.unpack_from("<I", grpprl, 2)[0]
            if fc_data + 2 <= len(self._data):
                size = struct.unpack_from("<H", self._data, fc_data)[0]
                return self._data[fc_data + 2:fc_data + 2 + size]
        return grpprl

    def grpprl_at(self, cp: int) -> bytes:
        """The grpprl of the paragraph whose mark is at ``cp`` (b"" when none is recorded)."""
        i = bisect.bisect_right(self._piece_starts, cp) - 1
        if i < 0 or not self._runs:
            return b""
        fc = self._pieces[i].fc_of(cp)
        j = bisect.bisect_right(self._run_starts, fc) - 1
        if j >= 0 and fc < self._runs[j][1]:
            return self._runs[j][2]
        return b""
