"""parser: bytes in, report record out (SCHEMA.md). Pure: no network, no archive, no I/O of its own.

    >>> from parser import parse
    >>> record = parse(open("report.html", "rb").read(), "text/html", url="https://…")
"""
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Attachment
    from .errors import NotAReportError, ParseError, ParseTimeoutError, UnreadableError
    from .pipeline import PARSER_VERSION, ParseDebug, parse, parse_debug
    from .record import Evidence, Finding, Record, Section, Source
    from .settings import ParseSettings

__all__ = [
    "parse", "parse_debug", "ParseDebug", "PARSER_VERSION", "ParseSettings", "Attachment",
    "Record", "Evidence", "Finding", "Section", "Source",
    "ParseError", "NotAReportError", "UnreadableError", "ParseTimeoutError",
]
# each name imported from its module when first asked for: a process that needs one small module of
# the package (its errors, the pattern cache's folder) does not load the whole pipeline (~35 ms)
_HOMES = {"parse": "pipeline", "parse_debug": "pipeline", "ParseDebug": "pipeline", "PARSER_VERSION": "pipeline",
          "ParseSettings": "settings", "Attachment": "document", "Record": "record", "Evidence": "record",
          "Finding": "record", "Section": "record", "Source": "record", "ParseError": "errors",
          "NotAReportError": "errors", "UnreadableError": "errors", "ParseTimeoutError": "errors"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f".{_HOMES[name]}", __name__), name)
    try:  # ``parser.pipeline`` and the other modules, as after an eager import
        return import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
