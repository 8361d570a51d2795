"""parser: bytes in, report record out (SCHEMA.md). Pure: no network, no archive, no I/O of its own.

    >>> from parser import parse
    >>> record = parse(open("report.html", "rb").read(), "text/html", url="https://…")
"""
from .errors import NotAReportError, ParseError, ParseTimeoutError, UnreadableError
from .document import Attachment
from .pipeline import PARSER_VERSION, ParseDebug, parse, parse_debug
from .record import Evidence, Finding, Record, Section, Source
from .settings import ParseSettings

__all__ = [
    "parse", "parse_debug", "ParseDebug", "PARSER_VERSION", "ParseSettings", "Attachment",
    "Record", "Evidence", "Finding", "Section", "Source",
    "ParseError", "NotAReportError", "UnreadableError", "ParseTimeoutError",
]
