"""Errors of the parser.

    ParseError                 a document could not be parsed; carries ``reason``
    ├── NotAReportError        readable, but not an annual disclosure report
    ├── UnreadableError        bytes that no reader accepts (truncated, encrypted, junk)
    └── ParseTimeoutError      the document ran over its time budget

The parser imports no other package of ours (DESIGN.md), so its base is its own; ``archive.errors``
gathers the four package bases into ``XXGK_ERRORS`` for the CLI's one-line handler.

``reason`` is a stable short key (``not_a_report``, ``encrypted_pdf``, ``empty``…) used in
counters and the catalog's error rows.
"""
from __future__ import annotations

__all__ = ["ParseError", "NotAReportError", "UnreadableError", "ParseTimeoutError"]


class ParseError(Exception):
    reason = "parse_error"

    def __init__(self, message: str, *, reason: str | None = None):
        super().__init__(message)
        if reason:
            self.reason = reason


class NotAReportError(ParseError):
    reason = "not_a_report"


class UnreadableError(ParseError):
    reason = "unreadable"


class ParseTimeoutError(ParseError):
    reason = "timeout"
