"""`xxgk parse FILE`: its parameters, defined once, and what it does.

As `xxgk import` (``archive.commands.import_command``): ``archive.commands.archive_cmds`` registers it
with Typer, ``archive.cli.main`` runs a plain command line straight (``archive.options.parse_plain``):
a script that parses files one call each does not load Typer, Click and pydantic every time.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..cli_common import JSON
from ..options import Param

__all__ = ["PARSE_PARAMS", "parse_file"]

PARSE_PARAMS = (
    Param("file", (), Path, None, "an HTML, PDF, DOCX or TXT file", optional=False, show_default=False),
    JSON,
    Param("url", ("--url",), str, None, "the URL the file came from (helps find the region)"),
)


def parse_file(file: Path, json_out: bool = False, url: str | None = None) -> None:
    """Parse one local file without touching the archive and print its record.

    Exit 0 when a record was produced, 2 when the file is not an annual report or cannot be read.
    Example: xxgk parse report.pdf --json
    """
    from parser import ParseError, ParseSettings

    from ..ingest import guess_media_type
    from ..parse_pool import shared_pool
    from ..safe_text import safe_text
    from ..settings import load_settings

    try:
        settings = load_settings(None)
        limit = settings.max_file_size
        if not file.is_file():
            raise OSError(f"{file}: no such file" if not file.exists() else f"{file}: not a file")
        if file.stat().st_size > limit:  # before reading a byte of it
            raise ParseError(f"{file}: {file.stat().st_size:,} bytes is over the size limit of {limit:,} "
                             "(XXGK_MAX_FILE_SIZE)", reason="too_large")
        data = file.read_bytes()
        # in a worker process, like import and crawl: a parse stuck in a C library is killed at its budget
        budget = ParseSettings(time_budget=settings.parse_time_budget, max_bytes=limit)
        record = shared_pool().parse(data, guess_media_type(file), url, budget)
    except (OSError, ParseError, ValueError) as e:
        from ..cli_common import err_console

        err_console.print(f"error: {safe_text(e)}", markup=False)
        raise SystemExit(2) from None
    from ..blobs import sha256_bytes

    record.source.sha256 = sha256_bytes(data)
    record.source.url = url or file.resolve().as_uri()
    if json_out:
        sys.stdout.write(json.dumps(record.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return
    from . import show

    show.print_record(record.to_dict())
