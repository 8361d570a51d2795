"""A comparison as an Excel workbook, written through XlsxWriter row by row.

Takes ``WorkbookSheets`` (``archive.compare.shapes``: one streamed comparison a sheet) and a
header mode; writes one sheet per shape with its header rows bold and frozen with the columns that
say whose row it is, an autofilter, column widths fitted to their content (the first rows read),
numbers as numeric cells, rates as percentages, source URLs as hyperlinks; then ``merged`` (the
duplicates merged), ``columns`` (what each column of each sheet holds, its unit and where the
report states it) and ``notes`` (the duplicate rule and the derived formulas). EMPTY cells stay
empty, never 0.

XlsxWriter, not openpyxl (issue 18, 100,000 reports, wide + by-year): openpyxl's write-only sheets
keep every hyperlink as an object and serialise them all as one XML tree when the file is saved
(9 of 25 s and a 190 MB rise at the save). XlsxWriter's ``constant_memory`` mode writes each row
as the next begins and spells strings inline, so memory stays flat however many rows.

Excel holds at most 65,530 hyperlinks a sheet: URLs past that are written as plain text (the notes
sheet says from which row). A string is never read as a formula or a URL by itself: text from a
report that starts with ``=`` stays text. The file is written beside the target and renamed at the
end: a failure leaves nothing behind.
"""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from rich.cells import cell_len

from ..errors import InputError
from .duplicates import DUPLICATE_RULE
from .headers import describe, header_label, header_rows, is_rate_column
from .shapes import ID_COLUMNS, WorkbookSheets
from .writers import COLUMNS_SHEET, MERGED_COLUMNS, XLSX_MAX_ROWS, atomic_output

__all__ = ["write_xlsx", "MAX_LINKS"]

MAX_LINKS = 65_530  # Excel's hyperlinks a worksheet
_WIDTH_SAMPLE = 500  # rows read before the column widths are fixed
_MAX_WIDTH = 60
_PERCENT = "0.0%"
_PERCENT_CHANGE = '0.00"%"'
_LINK_PREFIXES = ("http://", "https://", "file://")


class _Formats:
    def __init__(self, wb: Any):
        self.header = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.percent = wb.add_format({"num_format": _PERCENT})
        self.percent_change = wb.add_format({"num_format": _PERCENT_CHANGE})
        self.link = wb.get_default_url_format()


def _cell_width(v: Any) -> int:
    if v is None:
        return 0
    if isinstance(v, float):
        return len(f"{v:.4g}") + 1
    return cell_len(str(v))


def _cell_formats(table_name: str, header: Sequence[str], formats: _Formats) -> Callable[[Sequence[Any]], dict]:
    """A function giving a row's special cells: {column: format} (percentages), ``None`` for a link."""
    rate_cols = [i for i, k in enumerate(header) if is_rate_column(k)]
    url_cols = [i for i, k in enumerate(header) if k == "url"]
    pct_change_cols = [i for i, k in enumerate(header) if k.startswith("change_pct_")]
    metric_col = header.index("metric") if "metric" in header else None
    value_cols = ([i for i, k in enumerate(header) if k.isdigit() or (k.startswith("change_") and
                                                                       not k.startswith("change_pct_"))]
                  if table_name == "by-year" else [header.index("value")] if "value" in header else [])

    def special(row: Sequence[Any]) -> dict:
        out: dict[int, Any] = {}
        for i in rate_cols:
            if isinstance(row[i], (int, float)):
                out[i] = formats.percent
        if metric_col is not None and is_rate_column(str(row[metric_col])):
            for i in value_cols:
                if isinstance(row[i], (int, float)):
                    out[i] = formats.percent
        for i in pct_change_cols:
            if isinstance(row[i], (int, float)):
                out[i] = formats.percent_change
        for i in url_cols:
            if isinstance(row[i], str) and row[i].startswith(_LINK_PREFIXES):
                out[i] = None
        return out

    return special


def _sheet(wb: Any, formats: _Formats, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
           headers: str = "zh", frozen_columns: int = 0, table_name: str = "", styled: bool = False) -> tuple[int, int]:
    """One sheet: header rows, frozen panes, autofilter, fitted widths; return (data rows, the first
    data row, 1-based as Excel shows it, whose URL is text past Excel's links a sheet; 0 if none)."""
    ws = wb.add_worksheet(title)
    heads = header_rows(list(header), headers)
    it = iter(rows)
    sample = list(itertools.islice(it, _WIDTH_SAMPLE))
    for col in range(len(header)):
        widest = max([cell_len(str(h[col])) for h in heads] + [_cell_width(r[col]) for r in sample if col < len(r)])
        ws.set_column(col, col, min(_MAX_WIDTH, max(6, widest + 2)))
    ws.freeze_panes(len(heads), frozen_columns)
    for r, h in enumerate(heads):
        ws.write_row(r, 0, h, formats.header)
    special = _cell_formats(table_name, header, formats) if styled else None
    write, links, unlinked_from, n = ws.write, 0, 0, 0
    for row in itertools.chain(sample, it):
        r = len(heads) + n
        n += 1
        if r >= XLSX_MAX_ROWS:
            raise InputError(f"the {title} sheet has more than {XLSX_MAX_ROWS:,} rows, Excel's limit: "
                             "narrow the selection or write CSV")
        marked = special(row) if special is not None else {}
        for c, value in enumerate(row):
            if value is None or value == "":
                continue  # EMPTY stays an empty cell
            if c not in marked:
                write(r, c, value)
            elif marked[c] is not None:
                ws.write_number(r, c, value, marked[c])
            elif links < MAX_LINKS:
                links += 1
                ws.write_url(r, c, value, formats.link, string=value)
            else:
                unlinked_from = unlinked_from or r + 1
                ws.write_string(r, c, value)
    if header:
        ws.autofilter(len(heads) - 1, 0, len(heads) - 1 + max(n, 1), len(header) - 1)
    return n, unlinked_from


def write_xlsx(path: Path, sheets: WorkbookSheets, *, headers: str = "zh") -> dict[str, int]:
    """One workbook: a sheet per table, then ``merged``, ``columns`` and ``notes``; return rows per
    sheet. The tables' rows are written as they come; the merges are read after the last table, once
    its comparison has walked every report."""
    import xlsxwriter
    from xlsxwriter.exceptions import XlsxWriterException

    try:
        with atomic_output(path) as tmp:
            # strings stay strings: report text starting with "=" or "http" is neither a formula nor a link
            wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False,
                                                "strings_to_urls": False, "strings_to_numbers": False,
                                                "nan_inf_to_errors": True})
            try:
                counts = _write_sheets(wb, _Formats(wb), sheets, headers)
            finally:
                wb.close()
    except (OSError, XlsxWriterException) as e:
        cause = e.__context__ if isinstance(e, XlsxWriterException) and e.__context__ else e
        raise InputError(f"cannot write {path}: {getattr(cause, 'strerror', None) or cause}") from e
    return counts


def _write_sheets(wb: Any, formats: _Formats, sheets: WorkbookSheets, headers: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    described: list[list[str]] = []
    unlinked: list[list[str]] = []
    for table in sheets:
        counts[table.name], first = _sheet(wb, formats, table.name, table.header, table.rows, headers=headers,
                                           frozen_columns=ID_COLUMNS.get(table.name, 1), table_name=table.name,
                                           styled=True)
        if first:
            unlinked.append(["links", f"Excel holds at most {MAX_LINKS:,} links a sheet: the URLs of the "
                                      f"{table.name} sheet from row {first:,} on are text, not links."])
        for key in table.header:
            meaning, unit, where = describe(key)
            described.append([table.name, header_label(key), key, meaning, unit, where])
    merged_rows = [[m.as_row()[c] for c in MERGED_COLUMNS] for m in sheets.merges()]
    counts["merged"], _ = _sheet(wb, formats, "merged", MERGED_COLUMNS, merged_rows, headers="keys")
    counts["columns"], _ = _sheet(wb, formats, "columns", COLUMNS_SHEET, described, headers="keys",
                                  frozen_columns=3)
    note_rows = [["duplicates", DUPLICATE_RULE]] + [["derived", line] for line in sheets.notes()] + [
        ["empty", "An empty cell is a metric the report does not state; it is never 0."],
        ["units", "Counts are 件 unless the unit column or the key says otherwise (*_yuan 元, *_wan_yuan 万元, "
                  "*_rate a share, shown as a percentage)."],
        ["2019", "From the 2019 reports on, a national template (gb2019, then gb2021) counts requests in tables; "
                 "before, each report counted in its own words (legacy): compare across 2018→2019 with care."],
    ] + unlinked
    counts["notes"], _ = _sheet(wb, formats, "notes", ["topic", "note"], note_rows, headers="keys", frozen_columns=1)
    return counts
