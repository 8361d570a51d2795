"""Title, author and creation time of an OLE2 Office file, from its SummaryInformation stream.

    summary_meta(stream_bytes) -> {"doc_title": …, "doc_author": …, "doc_created": ISO time}

A bounded reader of the property set ([MS-OLEPS]): one section, the three properties the
metadata stage can use, every offset checked. olefile's own ``get_metadata`` walks vector
counts read from the file and can spin for minutes on a damaged stream, so it is not used.
Strings in the section's code page (Chinese Word writes 936, read as gb18030). Pure; a
damaged stream gives fewer keys, never an error.
"""
from __future__ import annotations

import datetime as dt
import struct

__all__ = ["summary_meta"]

_PID_CODEPAGE, _PID_TITLE, _PID_AUTHOR, _PID_CREATED = 1, 2, 4, 12
_VT_I2, _VT_LPSTR, _VT_LPWSTR, _VT_FILETIME = 2, 0x1E, 0x1F, 0x40
_MAX_PROPERTIES = 256
_MAX_STRING = 4096
_FILETIME_EPOCH = dt.datetime(1601, 1, 1)
_KEYS = {_PID_TITLE: "doc_title", _PID_AUTHOR: "doc_author"}


def summary_meta(stream: bytes) -> dict[str, str]:
    try:
        return _read(stream)
    except (struct.error, ValueError, OverflowError):
        return {}


def _read(stream: bytes) -> dict[str, str]:
    if len(stream) < 48 or struct.unpack_from("<H", stream, 0)[0] != 0xFFFE:
        return {}
    section = struct.unpack_from("<I", stream, 44)[0]
    count = struct.unpack_from("<I", stream, section + 4)[0]
    entries = {}
    for i in range(min(count, _MAX_PROPERTIES)):
        pid, offset = struct.unpack_from("<II", stream, section + 8 + 8 * i)
        entries[pid] = section + offset
    codepage = 936
    if _PID_CODEPAGE in entries:
        vt, value = struct.unpack_from("<Ih", stream, entries[_PID_CODEPAGE])
        if vt & 0xFFFF == _VT_I2:
            codepage = value & 0xFFFF
    meta: dict[str, str] = {}
    for pid, key in _KEYS.items():
        text = _string(stream, entries[pid], codepage) if pid in entries else ""
        if text:
            meta[key] = text
    if _PID_CREATED in entries:
        vt, ticks = struct.unpack_from("<IQ", stream, entries[_PID_CREATED])
        if vt & 0xFFFF == _VT_FILETIME and ticks:
            created = _FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10)
            if created.year > 1980:
                meta["doc_created"] = created.isoformat()
    return meta


def _string(stream: bytes, at: int, codepage: int) -> str:
    vt, size = struct.unpack_from("<II", stream, at)
    size = min(size, _MAX_STRING)
    if vt & 0xFFFF == _VT_LPSTR:
        raw = stream[at + 8:at + 8 + size]
        encoding = "gb18030" if codepage in (936, 0xFFFF) else "utf-8" if codepage == 65001 else f"cp{codepage}"
        try:
            text = raw.decode(encoding, errors="replace")
        except LookupError:
            text = raw.decode("gb18030", errors="replace")
    elif vt & 0xFFFF == _VT_LPWSTR:
        text = stream[at + 8:at + 8 + 2 * size].decode("utf-16-le", errors="replace")
    else:
        return ""
    return text.split("\x00", 1)[0].strip()
