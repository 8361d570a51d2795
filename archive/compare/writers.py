"""Writers of comparison tables for people: CSV and an Excel workbook.

Takes ``Table``s (``archive.compare.shapes``) and a header mode (``archive.compare.headers``:
``zh`` Chinese labels, the default; ``keys``; ``both``, two header rows) and streams them out.

``write_csv`` writes one table to a binary stream (UTF-8; with a BOM when Excel will open it:
``-o x.csv``; without when piped). ``write_xlsx`` writes a workbook through openpyxl's write-only
mode: one sheet per shape with its header rows bold and frozen with the columns that say whose
row it is, an autofilter, column widths fitted to their content (the first rows read), numbers as
numeric cells, rates as percentages, source URLs as hyperlinks; then ``merged`` (the duplicates
merged), ``columns`` (what each column of each sheet holds, its unit and where the report states
it) and ``notes`` (the duplicate rule and the derived formulas). EMPTY cells stay empty, never 0.
Both write to a temporary file beside the target and rename it at the end: a failure leaves
nothing behind.
"""
from __future__ import annotations

import csv
import io
import itertools
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Sequence

from rich.cells import cell_len

from ..errors import InputError
from .duplicates import DUPLICATE_RULE, Merge
from .headers import describe, header_label, header_rows, is_rate_column
from .shapes import ID_COLUMNS, Table

__all__ = ["write_csv", "write_xlsx", "csv_cell", "atomic_output", "BOM", "XLSX_MAX_ROWS", "MERGED_COLUMNS",
           "COLUMNS_SHEET"]

BOM = "\ufeff"
XLSX_MAX_ROWS = 1_048_576
MERGED_COLUMNS = ["region", "agency", "year", "kept_report_id", "merged_report_ids", "reason"]
COLUMNS_SHEET = ["sheet", "header", "key", "meaning", "unit", "where in the report"]
_FLUSH_EVERY = 2000
_WIDTH_SAMPLE = 500  # rows read before the column widths are fixed (write-only sheets need them first)
_MAX_WIDTH = 60
_PERCENT = "0.0%"
_PERCENT_CHANGE = '0.00"%"'


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


def _cell_width(v: Any) -> int:
    if v is None:
        return 0
    if isinstance(v, float):
        return len(f"{v:.4g}") + 1
    return cell_len(str(v))


def _styler(ws: Any, table_name: str, header: Sequence[str]) -> Callable[[list[Any]], list[Any]]:
    """A function that turns a row of values into cells: rates as percentages, URLs as links."""
    from openpyxl.cell import WriteOnlyCell

    rate_cols = [i for i, k in enumerate(header) if is_rate_column(k)]
    url_cols = [i for i, k in enumerate(header) if k == "url"]
    pct_change_cols = [i for i, k in enumerate(header) if k.startswith("change_pct_")]
    metric_col = header.index("metric") if "metric" in header else None
    value_cols = ([i for i, k in enumerate(header) if k.isdigit() or (k.startswith("change_") and
                                                                       not k.startswith("change_pct_"))]
                  if table_name == "by-year" else [header.index("value")] if "value" in header else [])

    def cell(value: Any, fmt: str | None = None, link: bool = False) -> Any:
        c = WriteOnlyCell(ws, value=value)
        if fmt:
            c.number_format = fmt
        if link:
            c.hyperlink = value
            c.style = "Hyperlink"
        return c

    def style(row: list[Any]) -> list[Any]:
        out = list(row)
        for i in rate_cols:
            if isinstance(out[i], (int, float)):
                out[i] = cell(out[i], _PERCENT)
        if metric_col is not None and is_rate_column(str(row[metric_col])):
            for i in value_cols:
                if isinstance(out[i], (int, float)):
                    out[i] = cell(out[i], _PERCENT)
        for i in pct_change_cols:
            if isinstance(out[i], (int, float)):
                out[i] = cell(out[i], _PERCENT_CHANGE)
        for i in url_cols:
            v = out[i]
            if isinstance(v, str) and v.startswith(("http://", "https://", "file://")):
                out[i] = cell(v, link=True)
        return out

    return style


def _sheet(wb: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, headers: str = "zh",
           frozen_columns: int = 0, table_name: str = "", styled: bool = False) -> int:
    """One sheet: header rows, frozen panes, autofilter, fitted widths; return the number of data rows."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title)
    heads = header_rows(list(header), headers)
    it = iter(rows)
    sample = list(itertools.islice(it, _WIDTH_SAMPLE))
    for col in range(len(header)):
        widest = max([cell_len(str(h[col])) for h in heads] + [_cell_width(r[col]) for r in sample if col < len(r)])
        ws.column_dimensions[get_column_letter(col + 1)].width = min(_MAX_WIDTH, max(6, widest + 2))
    # write-only sheets take view settings before the first row
    ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{len(heads) + 1}"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for h in heads:
        cells = []
        for name in h:
            c = WriteOnlyCell(ws, value=name)
            c.font = bold
            c.alignment = wrap
            cells.append(c)
        ws.append(cells)
    style = _styler(ws, table_name, header) if styled else (lambda r: r)
    n = 0
    for row in itertools.chain(sample, it):
        n += 1
        if n + len(heads) > XLSX_MAX_ROWS:
            raise InputError(f"the {title} sheet has more than {XLSX_MAX_ROWS:,} rows, Excel's limit: "
                             "narrow the selection or write CSV")
        ws.append(style(list(row)))
    if header:
        ws.auto_filter.ref = f"A{len(heads)}:{get_column_letter(len(header))}{len(heads) + max(n, 1)}"
    return n


def write_xlsx(path: Path, tables: list[Table], merges: list[Merge], notes: list[str], *,
               headers: str = "zh") -> dict[str, int]:
    """One workbook: a sheet per table, then ``merged``, ``columns`` and ``notes``; return rows per sheet."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    counts: dict[str, int] = {}
    described: list[list[str]] = []
    for table in tables:
        counts[table.name] = _sheet(wb, table.name, table.header, table.rows, headers=headers,
                                    frozen_columns=ID_COLUMNS.get(table.name, 1), table_name=table.name, styled=True)
        for key in table.header:
            meaning, unit, where = describe(key)
            described.append([table.name, header_label(key), key, meaning, unit, where])
    merged_rows = [[m.as_row()[c] for c in MERGED_COLUMNS] for m in merges]
    counts["merged"] = _sheet(wb, "merged", MERGED_COLUMNS, merged_rows, headers="keys", frozen_columns=0)
    counts["columns"] = _sheet(wb, "columns", COLUMNS_SHEET, described, headers="keys", frozen_columns=3)
    note_rows = [["duplicates", DUPLICATE_RULE]] + [["derived", line] for line in notes] + [
        ["empty", "An empty cell is a metric the report does not state; it is never 0."],
        ["units", "Counts are 件 unless the unit column or the key says otherwise (*_yuan 元, *_wan_yuan 万元, "
                  "*_rate a share, shown as a percentage)."],
        ["2019", "From the 2019 reports on, a national template (gb2019, then gb2021) counts requests in tables; "
                 "before, each report counted in its own words (legacy): compare across 2018→2019 with care."],
    ]
    counts["notes"] = _sheet(wb, "notes", ["topic", "note"], note_rows, headers="keys", frozen_columns=1)
    try:
        with atomic_output(path) as tmp:
            wb.save(tmp)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}") from e
    return counts
