"""Column headers of the comparison tables for people: Chinese labels, keys, or both.

Takes a table's header (its column keys: ``report_id``, ``applications.new.total``, ``2019``,
``change_pct_2020`` …) and a mode, ``zh`` (the default of every export), ``keys`` (the keys of
SCHEMA.md, for scripts) or ``both`` (two header rows: labels, then keys). ``describe(key)`` says
what a column holds, for the sheet that explains each column. JSON always uses the keys.
"""
from __future__ import annotations

import re

from .codebook import TABLE_NAMES, entry

__all__ = ["HEADER_MODES", "header_label", "header_rows", "describe", "is_rate_column"]

HEADER_MODES = ("zh", "keys", "both")

_FIXED = {
    "report_id": ("报告编号", "the report's id in this archive (xxgk show ID)"),
    "report_ids": ("报告编号", "year:report id of each year's report"),
    "region": ("地区", "the publisher's region, province first (GB/T 2260)"),
    "agency": ("机关", "the publishing agency; empty for a government's own report"),
    "year": ("年度", "the year the report covers (not the year it was published)"),
    "format": ("模板", "legacy (before 2019), gb2019 or gb2021: how the numbers are counted"),
    "title": ("标题", "the report's title"),
    "url": ("来源网址", "where the report was published (the source of record)"),
    "urls": ("来源网址", "year:URL of each year's report"),
    "merged_report_ids": ("合并的报告编号", "copies of this report merged into it (the duplicate rule)"),
    "derived_metrics": ("推算的指标", "the metrics of this row computed by xxgk, not stated by the report"),
    "metric": ("指标代码", "the metric's key (SCHEMA.md; `xxgk metrics` lists them)"),
    "metric_label": ("指标", "the metric's Chinese label"),
    "value": ("数值", "the metric's value (rates as fractions in CSV, percentages in XLSX)"),
    "unit": ("单位", "the unit of the value"),
    "derived": ("推算", "1 when the value is computed by xxgk, 0 when the report states it"),
    "evidence": ("出处", "where in the report the number was read (table, row, column; or the sentence)"),
}
_YEAR = re.compile(r"^(\d{4})$")
_CHANGE = re.compile(r"^change_(pct_)?(\d{4})$")


def header_label(key: str) -> str:
    if key in _FIXED:
        return _FIXED[key][0]
    m = _YEAR.match(key)
    if m:
        return f"{key}年"
    m = _CHANGE.match(key)
    if m:
        return f"{m.group(2)}年增减" + ("（%）" if m.group(1) else "")
    e = entry(key)
    return e.label if e else key


def header_rows(header: list[str], mode: str) -> list[list[str]]:
    if mode == "keys":
        return [list(header)]
    labels = [header_label(k) for k in header]
    return [labels] if mode == "zh" else [labels, list(header)]


def describe(key: str) -> tuple[str, str, str]:
    """(what the column holds, its unit, where the report states it) for the columns sheet."""
    if key in _FIXED:
        return _FIXED[key][1], "", ""
    if _YEAR.match(key):
        return f"the metric's value in {key}", "", ""
    m = _CHANGE.match(key)
    if m:
        what = "percent change" if m.group(1) else "change"
        return f"{what} from {int(m.group(2)) - 1} to {m.group(2)}", "%" if m.group(1) else "", ""
    e = entry(key)
    if e is None:
        return "a metric outside the codebook", "", ""
    where = TABLE_NAMES.get(e.table, e.table)
    cell = " × ".join(x for x in (e.row, e.column) if x)
    return f"{e.label} ({', '.join(e.eras)})", e.unit, f"{where}: {cell}" if cell else where


def is_rate_column(key: str) -> bool:
    e = entry(key)
    return bool(e and e.is_rate)
