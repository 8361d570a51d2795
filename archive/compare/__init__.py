"""Compare reports across years and places: selection, duplicates, derived indicators, shapes, writers.

    selection         which reports (region at any level, agency, years, format)
    duplicates        one report per publisher and year (the documented rule)
    metric_keys       SCHEMA.md keys as data: groups, headline metrics, units, Chinese labels
    metric_selection  ``--metrics`` items -> keys
    derived           derived indicators and headline fill-ins, with their formulas
    population        ``--population FILE`` for requests_per_10k
    values            metric values streamed from the catalog in one SQL pass
    comparison        the above joined: ``build_comparison``
    shapes            wide | by-year | long tables
    writers           CSV (BOM)
    workbook          XLSX (XlsxWriter, row by row)
"""
from __future__ import annotations

from .comparison import Comparison, build_comparison
from .derived import DERIVED, DERIVED_HELP
from .duplicates import DUPLICATE_RULE, Merge, merge_duplicates
from .metric_keys import HEADLINE_METRICS, label_for, unit_for
from .population import PopulationTable, load_population
from .selection import ReportRow, Selection, select_reports
from .shapes import SHAPES, Table, WorkbookSheets, make_table
from .workbook import write_xlsx
from .writers import write_csv

__all__ = ["Comparison", "build_comparison", "DERIVED", "DERIVED_HELP", "DUPLICATE_RULE", "Merge",
           "merge_duplicates", "HEADLINE_METRICS", "label_for", "unit_for", "PopulationTable", "load_population",
           "ReportRow", "Selection", "select_reports", "SHAPES", "Table", "WorkbookSheets", "make_table", "write_csv", "write_xlsx"]
