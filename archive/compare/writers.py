"""Writers of comparison tables for people: CSV (the workbook: ``archive.compare.workbook``).

Takes ``Table``s (``archive.compare.shapes``) and a header mode (``archive.compare.headers``:
``zh`` Chinese labels, the default; ``keys``; ``both``, two header rows) and streams them out.

``write_csv`` writes one table to a binary stream (UTF-8; with a BOM when Excel will open it:
``-o x.csv``; without when piped). ``atomic_output`` gives the temporary file beside the target
that the CSV and the workbook are written to and that is renamed at the end: a failure leaves
nothing behind.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from .headers import header_rows
from .shapes import Table

__all__ = ["write_csv", "csv_cell", "atomic_output", "BOM", "XLSX_MAX_ROWS", "MERGED_COLUMNS",
           "COLUMNS_SHEET"]

BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576
MERGED_COLUMNS = ["region", "agency", "year", "kept_report_id", "merged_report_ids", "reason"]
COLUMNS_SHEET = ["sheet", "header", "key", "meaning", "unit", "where in the report"]
_FLUSH_EVERY = 2000


def csv_cell(v: Any) -> Any:
    """A cell as the CSV spells it: EMPTY for None, 12 not 12.0, plain decimals."""
    if v is None:
        return ""
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        if 1e-4 <= abs(v) < 1e15:
            return v  # csv spells it with repr: plain decimals in this range
        # plain decimals: 1e-05 is a number to Excel but not to every reader of a CSV
        text = repr(v)
        return f"{v:.12f}".rstrip("0").rstrip(".") if "e" in text else text
    return v


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it when the block ends well, removed otherwise."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_csv(table: Table, out: BinaryIO, *, bom: bool = True, headers: str = "zh") -> int:
    """Write one table; return the number of data rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        if bom:
            text.write(BOM)
        w = csv.writer(text)
        w.writerows(header_rows(table.header, headers))
        n = 0
        batch: list[list[Any]] = []
        for row in table.rows:
            # csv writes None as empty and ints as digits itself; only floats need spelling
            batch.append([csv_cell(v) if type(v) is float else v for v in row])
            if len(batch) >= _FLUSH_EVERY:
                w.writerows(batch)
                n += len(batch)
                batch.clear()
        w.writerows(batch)
        n += len(batch)
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open
    return n
