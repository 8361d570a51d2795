"""A JavaScript literal written into a page's ``<script>`` -> Python values, never by running it.

``read_js_value(source, pos) -> (value, end)`` reads one literal starting at ``pos``: objects
(keys quoted with ' or ", or bare), arrays, strings in either quote with JS escapes
(``\\uXXXX``, surrogate pairs, ``\\xXX``, ``\\/``, line continuations), numbers, ``true``,
``false``, ``null``, ``undefined``; trailing commas and comments are allowed. A bare identifier or
a call in value position (``SID: siteId``, ``new Date()``) reads as None, as far as its balanced
brackets reach. Anything else raises ``JSLiteralError``. Strings are matched by one regular
expression each (a body of 100 kB escaped HTML reads in about a millisecond), so a page costs
no per-character Python loop. Gov CMS pages write these literals by hand or by template, so
strict JSON (``json.loads``) refuses many of them.
"""
from __future__ import annotations

import json
import re

from ..errors import ParseError

__all__ = ["JSLiteralError", "read_js_value", "MAX_DEPTH"]

#: nesting deeper than this is not a page's config (and would exhaust the stack)
MAX_DEPTH = 64


class JSLiteralError(ParseError):
    """The text at that position is not a JavaScript literal this reader understands."""

    reason = "js_literal"


_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_STRINGS = {'"': re.compile(r'"(?:[^"\\\n]|\\.|\\\n)*"', re.S), "'": re.compile(r"'(?:[^'\\\n]|\\.|\\\n)*'", re.S)}
_NUMBER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")
_IDENT = re.compile(r"[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*")
_WORDS = {"true": True, "false": False, "null": None, "undefined": None}
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "\n": ""}
_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def _skip(source: str, pos: int) -> int:
    return _SPACE.match(source, pos).end()


def _unescape(body: str) -> str:
    def one(m: re.Match) -> str:
        e = m.group(1)
        if e[0] == "u" and len(e) > 1:
            return chr(int(e[2:-1] if e[1] == "{" else e[1:], 16))
        if e[0] == "x" and len(e) == 3:
            return chr(int(e[1:], 16))
        return _SIMPLE_ESCAPES.get(e, e)
    text = _ESCAPE.sub(one, body)
    # \ud83d\ude00 arrives as two halves: join them into one character
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if re.search(
        "[\ud800-\udfff]", text) else text


def _string(source: str, pos: int) -> tuple[str, int]:
    m = _STRINGS[source[pos]].match(source, pos)
    if not m:
        raise JSLiteralError(f"an unterminated string at {pos}")
    token = m.group()
    if token[0] == '"':
        try:
            return json.loads(token), m.end()   # the common case, in C
        except ValueError:
            pass
    return _unescape(token[1:-1]), m.end()


def _skip_expression(source: str, pos: int) -> int:
    """Past an identifier or call in value position (``new Date(1)``, ``a.b[c]``), brackets balanced."""
    stack: list[str] = []
    n = len(source)
    while pos < n:
        c = source[pos]
        if c in "\"'":
            pos = _string(source, pos)[1]
            continue
        if c in _CLOSERS:
            stack.append(_CLOSERS[c])
        elif c in ")]}":
            if not stack:
                return pos
            if stack.pop() != c:
                raise JSLiteralError(f"unbalanced {c!r} at {pos}")
        elif c in ",;\n" and not stack:
            return pos
        pos += 1
    return pos


def read_js_value(source: str, pos: int = 0, depth: int = 0) -> tuple[object, int]:
    """The literal at ``pos`` (after any blanks) and the position just past it."""
    if depth > MAX_DEPTH:
        raise JSLiteralError("nested too deep")
    pos = _skip(source, pos)
    if pos >= len(source):
        raise JSLiteralError("the text ends before a value")
    c = source[pos]
    if c == "{":
        return _object(source, pos + 1, depth)
    if c == "[":
        return _array(source, pos + 1, depth)
    if c in "\"'":
        return _string(source, pos)
    m = _NUMBER.match(source, pos)
    if m:
        token = m.group()
        try:
            value: object = int(token, 16) if token.lower().lstrip("+-").startswith("0x") else (
                float(token) if any(ch in token for ch in ".eE") else int(token))
        except ValueError:
            value = None
        return value, m.end()
    m = _IDENT.match(source, pos)
    if m:
        if m.group() in _WORDS:
            return _WORDS[m.group()], m.end()
        return None, _skip_expression(source, m.end())
    raise JSLiteralError(f"no value at {pos}: {source[pos:pos + 20]!r}")


def _key(source: str, pos: int) -> tuple[str, int]:
    c = source[pos] if pos < len(source) else ""
    if c in ("'", '"'):
        return _string(source, pos)
    m = _NUMBER.match(source, pos) or _IDENT.match(source, pos)
    if not m:
        raise JSLiteralError(f"no key at {pos}")
    return m.group(), m.end()


def _object(source: str, pos: int, depth: int) -> tuple[dict, int]:
    out: dict = {}
    while True:
        pos = _skip(source, pos)
        if source.startswith("}", pos):
            return out, pos + 1
        key, pos = _key(source, pos)
        pos = _skip(source, pos)
        if not source.startswith(":", pos):
            raise JSLiteralError(f"no ':' after key {key!r}")
        out[key], pos = read_js_value(source, pos + 1, depth + 1)
        pos = _skip(source, pos)
        if source.startswith(",", pos):
            pos += 1
        elif not source.startswith("}", pos):
            raise JSLiteralError(f"no ',' or '}}' at {pos}")


def _array(source: str, pos: int, depth: int) -> tuple[list, int]:
    out: list = []
    while True:
        pos = _skip(source, pos)
        if source.startswith("]", pos):
            return out, pos + 1
        value, pos = read_js_value(source, pos, depth + 1)
        out.append(value)
        pos = _skip(source, pos)
        if source.startswith(",", pos):
            pos += 1
        elif not source.startswith("]", pos):
            raise JSLiteralError(f"no ',' or ']' at {pos}")
