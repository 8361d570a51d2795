"""Text from outside (file names, paths in messages) made safe to print and to put in JSON.

    safe_text(s) -> str

A control character (C0, DEL, C1) becomes an escape (``\\n``, ``\\t``, ``\\x1b``…), so an ESC
sequence or a newline in a file name can neither drive the terminal nor forge an output line. A
lone surrogate, which is how Python holds a byte of a file name that is not UTF-8
(``os.fsdecode``'s surrogateescape), becomes ``\\xNN`` of that byte. The result is plain, valid
UTF-8 whatever the name was; a name with none of these comes back unchanged.
"""
from __future__ import annotations

import re

__all__ = ["safe_text"]

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte itself
        return f"\\x{code - 0xDC00:02x}"
    if code >= 0xD800:
        return f"\\u{code:04x}"
    return _NAMED.get(ch) or f"\\x{code:02x}"


def safe_text(text: object) -> str:
    s = str(text)
    return _UNSAFE.sub(_escape, s) if _UNSAFE.search(s) else s
