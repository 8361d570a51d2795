"""Issue 14, item 8: exports for people -- Chinese headers by default (--headers zh|keys|both), rates
as percentages, an autofilter, frozen panes, fitted widths, URLs as links, the template's column
order, and a sheet that explains each column."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from archive.compare.codebook import codebook_order
from cli_homes import demo_home
from conftest import run_cli


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(demo_home(tmp_path_factory))


def test_workbook_for_people(home: str, tmp_path: Path):
    out = tmp_path / "jiangning.xlsx"
    r = run_cli("compare", "--region", "江宁", "--metrics", "headline,derived", "--shape", "all", "--change",
                "-o", str(out), "--home", home)
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["wide", "by-year", "long", "merged", "columns", "notes"]
    wide = wb["wide"]
    head = [c.value for c in wide[1]]
    assert head[:4] == ["报告编号", "地区", "机关", "年度"] and "新收申请" in head and "公开率" in head
    assert wide.freeze_panes == "E2" and wide.auto_filter.ref.startswith("A1:")
    rate = head.index("公开率")
    rates = [row[rate] for row in wide.iter_rows(min_row=2) if row[rate].value is not None]
    assert rates and all(c.number_format == "0.0%" and 0 <= c.value <= 1 for c in rates)
    url = head.index("来源网址")
    links = [row[url] for row in wide.iter_rows(min_row=2)]
    assert all(c.hyperlink is not None and c.hyperlink.target == c.value for c in links)
    # a run of columns of one width is one <col min max> element, under the letter of its first column
    spans = [(d.min, d.max, d.width) for d in wide.column_dimensions.values()]
    widths = {h: next(w for lo, hi, w in spans if lo <= i + 1 <= hi) for i, h in enumerate(head[:8])}
    assert widths["标题"] > 40 and widths["年度"] <= 8  # fitted to the content, not one width for all
    by_year = wb["by-year"]
    yhead = [c.value for c in by_year[1]]
    assert yhead[:4] == ["地区", "机关", "指标代码", "指标"] and "2020年" in yhead and "2020年增减（%）" in yhead
    rate_row = next(r for r in by_year.iter_rows(min_row=2) if r[2].value == "denial_rate")
    assert all(c.number_format == "0.0%" for c in rate_row[6:6 + 3] if c.value is not None)
    columns = wb["columns"]
    described = {(r[0].value, r[2].value): (r[1].value, r[3].value, r[5].value) for r in columns.iter_rows(min_row=2)}
    assert described[("wide", "applications.new.total")][0] == "新收申请"
    assert "三、收到和处理政府信息公开申请情况" in described[("wide", "applications.new.total")][2]
    assert described[("wide", "year")][1].startswith("the year the report covers")
    assert len([k for k in described if k[0] == "wide"]) == len(head)


def test_headers_modes_and_template_order(home: str, tmp_path: Path):
    out = tmp_path / "both.xlsx"
    assert run_cli("compare", "--region", "江宁", "--headers", "both", "-o", str(out), "--home", home).returncode == 0
    wide = load_workbook(out)["wide"]
    assert [c.value for c in wide[1]][:2] == ["报告编号", "地区"]
    assert [c.value for c in wide[2]][:2] == ["report_id", "region"]
    assert wide.freeze_panes == "E3" and wide.auto_filter.ref.startswith("A2:")
    csv_out = tmp_path / "x.csv"
    assert run_cli("compare", "--region", "江宁", "-o", str(csv_out), "--home", home).returncode == 0
    assert csv_out.read_text(encoding="utf-8-sig").startswith("报告编号,地区,机关,年度,模板,标题,来源网址")
    r = run_cli("export", "--shape", "wide", "--headers", "keys", "--home", home)
    header = next(csv.reader(io.StringIO(r.stdout)))
    metrics = header[9:]
    order = codebook_order()
    assert metrics == sorted(metrics, key=lambda k: order[k])  # the report's own table order
    assert metrics != sorted(metrics)  # not alphabetical
    r = run_cli("compare", "--headers", "nope", "--home", home)
    assert r.returncode == 1 and "--headers 'nope'" in r.stderr


def test_report_text_in_a_workbook_stays_text(tmp_path: Path):
    """A title or agency from a report is never read as a formula, a link or a number by Excel's
    writer: text starting with '=' (a formula injection), 'http' outside the URL column, or digits
    with a leading zero stays the text it was."""
    import xlsxwriter

    from archive.compare.workbook import _Formats, _sheet

    out = tmp_path / "t.xlsx"
    tricky = ["=HYPERLINK(\"http://evil\",\"x\")", "http://not-a-link.example/", "00123", "+1", "@SUM(A1)"]
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    n, _ = _sheet(wb, _Formats(wb), "wide", ["title", "agency", "year"],
                  [[t, t, 2020] for t in tricky], headers="keys", styled=True, table_name="wide")
    wb.close()
    ws = load_workbook(out)["wide"]
    rows = [[c for c in r] for r in ws.iter_rows(min_row=2)]
    assert n == len(rows) == len(tricky)
    for row, text in zip(rows, tricky):
        assert [c.value for c in row] == [text, text, 2020]
        assert row[0].data_type == "s" and row[1].hyperlink is None and row[2].data_type == "n"


def test_links_past_excels_limit_are_text_and_the_notes_say_from_which_row(home: str, tmp_path: Path,
                                                                          monkeypatch):
    """Excel opens at most 65,530 hyperlinks a sheet (a national wide sheet has more): the URLs past
    the limit are written as text, and the notes sheet says from which row. The limit set to 3 here."""
    from archive.compare import Selection, WorkbookSheets, build_comparison, workbook, write_xlsx
    from archive.home import Home

    monkeypatch.setattr(workbook, "MAX_LINKS", 3)
    out = tmp_path / "links.xlsx"
    with Home.open(Path(home)) as h:
        sheets = WorkbookSheets(lambda: build_comparison(h.catalog.conn, Selection(regions=("江宁",)), ["headline"],
                                                         stream=True), ["wide"])
        counts = write_xlsx(out, sheets, headers="keys")
    wb = load_workbook(out)
    wide = wb["wide"]
    url = [c.value for c in wide[1]].index("url")
    cells = [row[url] for row in wide.iter_rows(min_row=2)]
    assert counts["wide"] == len(cells) > 3
    assert all(c.hyperlink is not None and c.hyperlink.target == c.value for c in cells[:3])
    assert all(c.hyperlink is None and c.value.startswith("http") for c in cells[3:])
    notes = {r[1].value for r in wb["notes"].iter_rows(min_row=2) if r[0].value == "links"}
    assert notes == {"Excel holds at most 3 links a sheet: the URLs of the wide sheet from row 5 on are text, "
                     "not links."}
