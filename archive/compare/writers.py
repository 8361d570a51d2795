"""Writers of comparison tables: CSV (UTF-8 with BOM so Excel reads the Chinese) and XLSX.

Takes ``Table``s (``archive.compare.shapes``) and streams them out: ``write_csv`` to a binary
stream or a path, ``write_xlsx`` to a path through openpyxl's write-only workbook (one sheet per
shape, frozen header row, numbers as numeric cells, plus a ``merged`` sheet listing the duplicates
merged and a ``notes`` sheet with the duplicate rule and the derived formulas). EMPTY cells stay
empty in both, never 0.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Sequence

from ..errors import InputError
from .duplicates import DUPLICATE_RULE, Merge
from .shapes import Table

__all__ = ["write_csv", "write_xlsx", "csv_cell", "BOM", "XLSX_MAX_ROWS", "MERGED_COLUMNS"]

BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576
MERGED_COLUMNS = ["region", "agency", "year", "kept_report_id", "merged_report_ids", "reason"]
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


def write_csv(table: Table, out: BinaryIO, *, bom: bool = True) -> int:
    """Write one table; return the number of data rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        if bom:
            text.write(BOM)
        w = csv.writer(text)
        w.writerow(table.header)
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


def _sheet(wb: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], widths: dict[int, int]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title)
    ws.freeze_panes = "A2"  # write-only sheets take view settings before the first row
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    bold = Font(bold=True)
    head = []
    for name in header:
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        head.append(c)
    ws.append(head)
    for n, row in enumerate(rows, start=2):
        if n > XLSX_MAX_ROWS:
            raise InputError(f"the {title} sheet has more than {XLSX_MAX_ROWS:,} rows, Excel's limit: "
                             "narrow the selection or write CSV")
        ws.append(row)


def write_xlsx(path: Path, tables: list[Table], merges: list[Merge], notes: list[str]) -> dict[str, int]:
    """One workbook: a sheet per table, then ``merged`` and ``notes``; return rows per sheet."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    counts: dict[str, int] = {}
    for table in tables:
        counter = _Counter(table.rows)
        _sheet(wb, table.name, table.header, counter, {i + 1: 14 for i in range(min(len(table.header), 8))})
        counts[table.name] = counter.n
    merged_rows = [[m.as_row()[c] for c in MERGED_COLUMNS] for m in merges]
    _sheet(wb, "merged", MERGED_COLUMNS, merged_rows, {1: 24, 2: 20, 6: 60})
    counts["merged"] = len(merged_rows)
    note_rows = [["duplicates", DUPLICATE_RULE]] + [["derived", line] for line in notes] + [
        ["empty", "An empty cell is a metric the report does not state; it is never 0."],
        ["units", "Counts are 件 unless the unit column or the key says otherwise (*_yuan 元, *_wan_yuan 万元, "
                  "*_rate a fraction)."],
    ]
    _sheet(wb, "notes", ["topic", "note"], note_rows, {1: 14, 2: 120})
    try:
        wb.save(path)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}") from e
    return counts


class _Counter:
    """Counts the rows a generator yields while a sheet consumes it."""

    def __init__(self, rows: Iterable[Sequence[Any]]):
        self._rows = rows
        self.n = 0

    def __iter__(self):
        for row in self._rows:
            self.n += 1
            yield row
