"""`xxgk compare` / `xxgk export` over a real archive: every shape checked cell by cell against the records."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.cli import app
from archive.compare import Selection, build_comparison, make_table
from archive.compare.duplicates import merge_duplicates
from archive.compare.metric_keys import TABLE3_KEYS
from archive.compare.selection import ReportRow, match_regions
from archive.compare.values import count_metrics
from archive.errors import InputError
from archive.home import Home
from conftest import run_cli
from fixtures.archive_builder import YUHANG, Built, build_archive

HEADLINE = ["applications.new.total", "applications.granted.total", "applications.partial.total",
            "applications.denied.total", "review.total", "litigation.total"]
DERIVED = ["disclosure_rate", "denial_rate", "not_held_rate", "review_correction_rate", "litigation_correction_rate"]
WINNERS = {"yuhang-2017": ["yuhang-2017-tujie"], "yuhang-2020-site2": ["yuhang-2020-site1"],
           "yuhang-2021-fix": ["yuhang-2021"]}
LOSERS = {loser for losers in WINNERS.values() for loser in losers}
# headline metrics the 2019 gb2019 report states only as parts (SCHEMA: derived where not stated)
FILL_INS = {("yuhang-2019", "applications.denied.total"): 10 + 5 + 3 + 7 + 4 + 6 + 2 + 3,
            ("yuhang-2019", "litigation.total"): 2 + 1}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build_archive(tmp_path_factory.mktemp("cmp") / "home")


def xxgk(*args: str) -> "CliRunner.invoke":
    if args[0] in ("compare", "export") and "--headers" not in args:
        args = (*args, "--headers", "keys")  # these tests read columns by key (issue 14: Chinese by default)
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def read_csv(data: bytes, bom: bool = False) -> list[dict[str, str]]:
    """A CSV file (-o x.csv) starts with the BOM Excel needs; CSV piped to stdout has none (issue 14)."""
    assert data.startswith("\ufeff".encode()) == bom, "-o x.csv has the UTF-8 BOM, a pipe has not"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _ratio(values: dict, top: list[str], bottom: str):
    """An oracle written apart from archive.compare.derived: None when an operand is missing or 0."""
    if any(values.get(k) is None for k in top + [bottom]) or not values[bottom]:
        return None
    return round(sum(values[k] for k in top) / values[bottom], 6)


def expected(built: Built, label: str, key: str):
    rec = built.records[label]
    m = dict(rec["metrics"])
    m.update({k: v for (lab, k), v in FILL_INS.items() if lab == label})
    if key not in DERIVED:
        return m.get(key)
    legacy = rec["format"] == "legacy"
    base = "applications.replied" if legacy else "applications.processed_total.total"
    return {
        "disclosure_rate": lambda: _ratio(m, ["applications.granted.total", "applications.partial.total"], base),
        "denial_rate": lambda: _ratio(m, ["applications.denied.total"], base),
        "not_held_rate": lambda: _ratio(m, ["applications.not_exist" if legacy else "applications.unable.not_held.total"],
                                        base),
        "review_correction_rate": lambda: _ratio(m, ["review.corrected"], "review.total"),
        "litigation_correction_rate": lambda: _ratio(
            m, ["litigation.corrected"] if legacy else ["litigation_direct.corrected", "litigation_after_review.corrected"],
            "litigation.total"),
    }[key]()


def cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float) and "e" in repr(v):  # CSV spells numbers as plain decimals
        return f"{v:.12f}".rstrip("0")
    return str(v)


def label_of(built: Built, report_id: str) -> str:
    return next(lab for lab, rid in built.ids.items() if str(rid) == report_id)


def test_wide_csv_cell_by_cell_with_duplicates_merged(built: Built, tmp_path: Path):
    out = tmp_path / "wide.csv"
    xxgk("compare", "--home", str(built.home_path), "--region", "余杭", "--years", "2015-2023",
         "--metrics", "headline,derived", "-o", str(out))
    rows = read_csv(out.read_bytes(), bom=True)
    assert list(rows[0])[:9] == ["report_id", "region", "agency", "year", "format", "title", "url", "merged_report_ids",
                                 "derived_metrics"]
    assert list(rows[0])[9:] == HEADLINE + DERIVED
    labels = [label_of(built, r["report_id"]) for r in rows]
    assert [r["year"] for r in rows] == [str(y) for y in range(2015, 2024)]  # one row per publisher and year
    assert not LOSERS & set(labels) and set(WINNERS) <= set(labels)
    for row, label in zip(rows, labels):
        rec = built.records[label]
        assert (row["region"], row["url"], row["title"]) == (YUHANG, rec["source"]["url"], rec["title"])
        assert row["merged_report_ids"] == " ".join(str(built.ids[x]) for x in WINNERS.get(label, []))
        assert row["derived_metrics"].split() == [k for k in HEADLINE + DERIVED
                                                  if (label, k) in FILL_INS or (k in DERIVED and row[k] != "")]
        for key in HEADLINE + DERIVED:
            assert row[key] == cell(expected(built, label, key)), (label, key)
    by_year = {r["year"]: r for r in rows}
    # hand-checked cells: the legacy denominator, the fill-ins, EMPTY (never 0) when an operand is missing
    assert by_year["2015"]["disclosure_rate"] == "0.736842"  # (60 + 10) / 95 replied
    assert by_year["2019"]["applications.denied.total"] == "40" and by_year["2019"]["litigation.total"] == "3"
    assert by_year["2019"]["denial_rate"] == "0.034783"  # 40 / 1150
    assert by_year["2018"]["not_held_rate"] == "" and by_year["2018"]["litigation.total"] == ""
    assert by_year["2021"]["applications.granted.total"] == "810"  # the corrected version's number
    assert by_year["2015"]["litigation_correction_rate"] == "0"  # a real 0: 0 corrected of 1


def test_empty_when_denominator_is_zero_and_metric_absent_in_a_year(built: Built):
    r = xxgk("compare", "--home", str(built.home_path), "--region", "西湖区",
             "--metrics", "applications.processed_total.total,disclosure_rate,review_correction_rate")
    rows = {row["year"]: row for row in read_csv(r.stdout_bytes)}
    assert rows["2018"]["applications.processed_total.total"] == ""  # legacy year: no such row, not 0
    assert rows["2018"]["review_correction_rate"] == ""  # review.total is 0
    assert rows["2019"]["disclosure_rate"] == ""  # processed_total is 0
    assert rows["2019"]["applications.processed_total.total"] == "0"
    assert rows["2021"]["disclosure_rate"] == str(round(30 / 33, 6))


def test_by_year_with_change_cell_by_cell(built: Built):
    r = xxgk("compare", "--home", str(built.home_path), "--region", "杭州", "--include-children",
             "--metrics", "applications.new.total,applications.denied.total,denial_rate", "--shape", "by-year", "--change")
    rows = read_csv(r.stdout_bytes)
    years = [str(y) for y in range(2015, 2024)]
    header = list(rows[0])
    assert header[:6] == ["region", "agency", "metric", "metric_label", "unit", "derived"] and header[6:15] == years
    assert header[15:17] == ["change_2016", "change_pct_2016"] and header[-3:] == ["report_ids", "urls",
                                                                                    "merged_report_ids"]
    winners = {(built.records[lab]["region"], built.records[lab]["agency"] or "", built.records[lab]["year"]): lab
               for lab in built.records if lab not in LOSERS}
    publishers = {(r["region"], r["agency"]) for r in rows}
    assert publishers == {("浙江省杭州市", ""), ("浙江省杭州市", "杭州市教育局"), (YUHANG, ""), ("浙江省杭州市西湖区", "")}
    for row in rows:
        cells = []
        for y in years:
            lab = winners.get((row["region"], row["agency"], int(y)))
            want = expected(built, lab, row["metric"]) if lab else None
            assert row[y] == cell(want), (row["region"], row["metric"], y)
            cells.append(want)
        for y, prev, cur in zip(years[1:], cells, cells[1:]):
            diff = None if prev is None or cur is None else round(cur - prev, 6)
            pct = None if diff is None or not prev else round((cur - prev) / prev * 100, 2)
            assert row[f"change_{y}"] == cell(diff) and row[f"change_pct_{y}"] == cell(pct), (row["metric"], y)
        assert row["unit"] == ("比例" if row["metric"] == "denial_rate" else "件")
    yuhang = next(r for r in rows if r["region"] == YUHANG and r["metric"] == "applications.new.total")
    assert yuhang["change_2016"] == "800" and yuhang["change_pct_2016"] == "800"
    assert yuhang["report_ids"].split()[0] == f"2015:{built.ids['yuhang-2015']}"
    assert f"{built.ids['yuhang-2021-fix']}<-{built.ids['yuhang-2021']}" in yuhang["merged_report_ids"]
    denied = next(r for r in rows if r["region"] == YUHANG and r["metric"] == "applications.denied.total")
    assert denied["derived"] == "1"  # 2019's value is the sum of its parts


def test_long_shape_every_value_with_its_evidence(built: Built):
    r = xxgk("compare", "--home", str(built.home_path), "--region", "余杭", "--metrics", "headline,derived",
             "--shape", "long", "--no-bom")
    assert not r.stdout_bytes.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.stdout_bytes.decode())))
    assert list(rows[0]) == ["report_id", "region", "agency", "year", "metric", "metric_label", "value", "unit",
                             "derived", "title", "url", "evidence", "merged_report_ids"]
    want = {(str(built.ids[lab]), key): expected(built, lab, key)
            for lab, rec in built.records.items() if rec["region"] == YUHANG and lab not in LOSERS
            for key in HEADLINE + DERIVED}
    got = {(row["report_id"], row["metric"]): row for row in rows}
    assert set(got) == {k for k, v in want.items() if v is not None}  # a missing metric has no row
    for (rid, key), row in got.items():
        lab = label_of(built, rid)
        assert row["value"] == cell(want[(rid, key)]), (lab, key)
        assert row["url"] == built.records[lab]["source"]["url"] and row["year"] == str(built.records[lab]["year"])
        is_derived = key in DERIVED or (lab, key) in FILL_INS
        assert row["derived"] == ("1" if is_derived else "0"), (lab, key)
        if key in DERIVED:
            assert row["evidence"].startswith("derived: ") and "/" in row["evidence"]
        elif not is_derived and built.records[lab]["format"] == "legacy":
            assert row["evidence"] == f"text: {key} in prose"
        elif not is_derived:
            assert row["evidence"].startswith("table 3 p.2: ")
    assert got[(str(built.ids["yuhang-2015"]), "disclosure_rate")]["evidence"] == (
        "derived: (applications.granted.total + applications.partial.total) / applications.replied")


def test_xlsx_sheets_numbers_frozen_header_merged_and_notes(built: Built, tmp_path: Path):
    from openpyxl import load_workbook

    out = tmp_path / "cmp.xlsx"
    xxgk("compare", "--home", str(built.home_path), "--region", "余杭", "--metrics", "headline,derived",
         "--shape", "all", "--change", "-o", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == ["wide", "by-year", "long", "merged", "columns", "notes"]
    for name in ("wide", "by-year", "long", "merged"):
        # issue 14: the header row and the columns that say whose row it is stay in view
        assert wb[name].freeze_panes == {"wide": "E2", "by-year": "E2", "long": "G2", "merged": "A2"}[name], name
    wide = wb["wide"]
    header = [c.value for c in wide[1]]
    for row in wide.iter_rows(min_row=2):
        label = label_of(built, str(row[0].value))
        assert row[0].data_type == "n" and isinstance(row[0].value, int)
        for key in HEADLINE + DERIVED:
            c = row[header.index(key)]
            want = expected(built, label, key)
            if want is None:
                assert c.value is None, (label, key)  # EMPTY, never 0
            else:
                assert c.data_type == "n" and isinstance(c.value, (int, float)) and c.value == pytest.approx(want)
    long_values = [r[6] for r in wb["long"].iter_rows(min_row=2)]
    assert long_values and all(c.data_type == "n" for c in long_values)
    merged = [[c.value for c in r] for r in wb["merged"].iter_rows(min_row=2)]
    assert sorted((m[3], m[4]) for m in merged) == sorted(
        (built.ids[w], " ".join(str(built.ids[x]) for x in losers)) for w, losers in WINNERS.items())
    reasons = {m[3]: m[5] for m in merged}
    assert reasons[built.ids["yuhang-2021-fix"]].startswith("corrected version")
    assert reasons[built.ids["yuhang-2017"]].startswith("most complete record")
    assert reasons[built.ids["yuhang-2020-site2"]].startswith("newest")
    notes = "\n".join(str(r[1].value) for r in wb["notes"].iter_rows(min_row=2))
    assert "disclosure_rate = " in notes and "applications.replied" in notes and "更正/修订" in notes


def test_a_workbook_streams_each_sheet_and_holds_what_the_whole_comparison_holds(built: Built, tmp_path: Path):
    """Each sheet is written from a streamed comparison of its own (the reports walked once, as its
    rows are written); the sheets and the merged sheet hold what one whole comparison gives."""
    from openpyxl import load_workbook

    from archive.compare import WorkbookSheets, write_xlsx
    from archive.compare.comparison import StreamedReports
    from archive.compare.writers import MERGED_COLUMNS

    shapes, asked, sel = ["wide", "by-year", "long"], ["headline", "derived"], Selection(regions=("余杭",))
    made = []
    out = tmp_path / "streamed.xlsx"
    with Home.open(built.home_path) as h:
        def streamed():
            made.append(build_comparison(h.catalog.conn, sel, asked, stream=True))
            return made[-1]

        sheets = WorkbookSheets(streamed, shapes, change=True)
        counts = write_xlsx(out, sheets, headers="keys")
        whole = build_comparison(h.catalog.conn, sel, asked)
        tables = {s: make_table(whole, s, change=True) for s in shapes}
        expected_rows = {s: [list(r) for r in t.rows] for s, t in tables.items()}
    assert len(made) == 3 and all(isinstance(c.reports, StreamedReports) for c in made)
    assert sheets.reports() == len(whole.reports) and sheets.merges() == whole.merges and whole.merges
    wb = load_workbook(out)
    for s in shapes:
        rows = [[c.value for c in r] for r in wb[s].iter_rows(min_row=2)]
        assert [c.value for c in wb[s][1]] == tables[s].header
        assert counts[s] == len(rows) == len(expected_rows[s]) > 0
        for got, want in zip(rows, expected_rows[s]):
            assert got == [pytest.approx(w) if isinstance(w, float) else (w if w != "" else None) for w in want], s
    merged = [[c.value for c in r] for r in wb["merged"].iter_rows(min_row=2)]
    assert merged == [[m.as_row()[c] if m.as_row()[c] != "" else None for c in MERGED_COLUMNS] for m in whole.merges]


def _row(id_, title, n_published="2020-01-01"):
    return ReportRow(id_, title, 2019, "浙江省X市", "", "gb2019", "", n_published, "")


def test_duplicate_rule_order_corrected_then_complete_then_newest():
    counts = {1: 50, 2: 80, 3: 10, 4: 10}
    rows = [_row(1, "报告"), _row(2, "报告（图解）"), _row(3, "报告（更正）"), _row(4, "报告（修订）", "2020-02-01")]
    kept, merges = merge_duplicates(rows, lambda ids: {i: counts[i] for i in ids})
    assert [r.id for r in kept] == [4] and kept[0].merged == [1, 2, 3]  # corrected (the newer of two) beats 80 metrics
    assert merges[0].reason.startswith("corrected version") and "newest of the corrected" in merges[0].reason
    kept, merges = merge_duplicates([_row(1, "报告"), _row(2, "报告（图解）")], lambda ids: {1: 5, 2: 9})
    assert [r.id for r in kept] == [2] and "most complete record (9 metrics)" in merges[0].reason
    no_year = [ReportRow(7, "a", None, "R", "", None, "", "", ""), ReportRow(8, "b", None, "R", "", None, "", "", "")]
    kept, merges = merge_duplicates(no_year, lambda ids: {})
    assert [r.id for r in kept] == [7, 8] and merges == []  # no year: nothing to match on
    no_region = [ReportRow(7, "a", 2019, "", "", None, "", "", ""), ReportRow(8, "b", 2019, "", "", None, "", "", "")]
    assert [r.id for r in merge_duplicates(no_region, lambda ids: {})[0]] == [7, 8]


def test_the_copies_conflicts_are_every_metric_the_kept_one_states_otherwise():
    """``merge_duplicates``' conflicts, worked out in one pass over each copy's values (a national
    comparison weighs tens of thousands of copies), against the rule read off every metric of the
    group: the winner's metrics another copy states otherwise, by key, the copies in group order."""
    import random

    def by_every_key(winner, group, values):
        mine = values.get(winner.id, {})
        out = []
        for key in sorted({k for r in group for k in values.get(r.id, {})} & set(mine)):
            differ = tuple((r.id, values[r.id][key]) for r in group
                           if r is not winner and key in values.get(r.id, {}) and values[r.id][key] != mine[key])
            if differ:
                out.append((key, mine[key], differ))
        return out

    rnd = random.Random(7)
    seen_conflicts = 0
    for _ in range(3000):
        group = [_row(i, "报告") for i in sorted(rnd.sample(range(1, 60), rnd.randint(2, 5)))]
        values = {r.id: {f"k{j}": rnd.choice([0, 1, 2, 1.0, 2.5]) for j in rnd.sample(range(8), rnd.randint(0, 8))}
                  for r in group if rnd.random() < 0.85}
        counts = {r.id: rnd.randint(0, 3) for r in group}
        kept, merges = merge_duplicates(group, lambda ids: {i: counts[i] for i in ids},
                                        metric_values=lambda ids: {i: values[i] for i in ids if i in values})
        got = [(c.key, c.kept, c.others) for c in merges[0].conflicts]
        assert got == by_every_key(kept[0], group, values)
        seen_conflicts += bool(got)
    assert 300 < seen_conflicts < 3000  # groups with and without conflicts both drawn


def test_region_matching_levels_and_children(built: Built):
    archived = [rec["region"] for rec in built.records.values()]
    # issue 14: a place selects the places below it unless --exact (archive/places.py, every command)
    assert match_regions(["杭州"], archived, exact=True) == {"浙江省杭州市"}
    assert match_regions(["杭州市"], archived) == {"浙江省杭州市", YUHANG, "浙江省杭州市西湖区"}
    assert match_regions(["杭州市余杭区", "西湖"], archived) == {YUHANG, "浙江省杭州市西湖区"}
    assert match_regions(["浙江"], archived) == {r for r in archived if r.startswith("浙江省")}
    with pytest.raises(InputError, match="closest in the archive"):
        match_regions(["杭洲"], archived)
    with Home.open(built.home_path, create=False) as h:
        cmp = build_comparison(h.catalog.conn, Selection(regions=("杭州",), agency="教育局"))
        assert [r.id for r in cmp.reports] == [built.ids["edu-2021"]]
        cmp = build_comparison(h.catalog.conn, Selection(formats=("legacy",), year_from=2018))
        assert sorted(r.id for r in cmp.reports) == sorted([built.ids["yuhang-2018"], built.ids["xihu-2018"]])
        assert count_metrics(h.catalog.conn, [built.ids["yuhang-2017-tujie"]]) == {built.ids["yuhang-2017-tujie"]: 2}


def test_metric_groups_and_patterns(built: Built):
    with Home.open(built.home_path, create=False) as h:
        conn = h.catalog.conn
        keys = build_comparison(conn, Selection(), ["review.*"]).metrics
        assert keys[:5] == ["review.upheld", "review.corrected", "review.other", "review.pending", "review.total"]
        table4 = build_comparison(conn, Selection(), ["table4"]).metrics
        assert "litigation_direct.total" in table4 and "review.total" in table4 and "litigation.total" not in table4
        assert "requests_per_10k" not in build_comparison(conn, Selection(), ["derived"]).metrics
        with pytest.raises(InputError, match="unknown metric"):
            build_comparison(conn, Selection(), ["applications.nwe.total"])
        with pytest.raises(InputError, match="--population"):
            build_comparison(conn, Selection(), ["requests_per_10k"])
        # a group keeps the keys some archived report has, in the template's order
        table = make_table(build_comparison(conn, Selection(regions=("宁波",)), ["table3"]), "wide")
        stored = {k for rec in built.records.values() for k in rec["metrics"]}
        assert table.header[9:] == [k for k in TABLE3_KEYS if k in stored]
        assert table.header[9:11] == ["applications.new.total", "applications.carried_in.natural"]
        row = next(table.rows)
        assert row[9] == 3000 and row[10] is None  # 宁波 states no carried_in: EMPTY, not 0


def test_requests_per_10k_with_population_file(built: Built, tmp_path: Path):
    pop = tmp_path / "pop.csv"
    # a row of that year wins; a row without year (and a shorter name) covers the other years
    pop.write_text("region,year,population\n浙江省杭州市余杭区,2019,1000000\n余杭区,1200000\n", encoding="utf-8-sig")
    r = xxgk("compare", "--home", str(built.home_path), "--region", "余杭", "--population", str(pop),
             "--metrics", "applications.new.total,requests_per_10k")
    rows = {row["year"]: row for row in read_csv(r.stdout_bytes)}
    assert rows["2019"]["requests_per_10k"] == "12"  # 1200 / 1,000,000 × 10,000
    assert rows["2020"]["requests_per_10k"] == str(round(1300 / 1_200_000 * 10_000, 6))


def test_export_keeps_every_record(built: Built, tmp_path: Path):
    out = tmp_path / "all.csv"
    xxgk("export", "--home", str(built.home_path), "-o", str(out))
    rows = read_csv(out.read_bytes(), bom=True)
    assert {r["report_id"] for r in rows} == {str(i) for i in built.ids.values()}  # duplicates kept
    got = {(r["report_id"], r["metric"]): r["value"] for r in rows}
    want = {(str(built.ids[lab]), k): cell(v) for lab, rec in built.records.items() for k, v in rec["metrics"].items()}
    want.update({(str(built.ids[lab]), k): cell(v) for (lab, k), v in FILL_INS.items()})  # headline sums
    assert got == want
    out = tmp_path / "all.xlsx"
    xxgk("export", "--home", str(built.home_path), "--shape", "all", "--merge-duplicates", "-o", str(out))
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["long", "wide", "merged", "columns", "notes"]
    assert wb["wide"].max_row == 1 + len(built.ids) - len(LOSERS)


@pytest.mark.slow
def test_user_mistakes_are_one_line_errors(built: Built, tmp_path: Path):
    home = str(built.home_path)
    for args, message in [
        (["compare", "--region", "火星"], "unknown place '火星'"),
        (["compare", "--shape", "tall"], "unknown shape 'tall'"),
        (["compare", "--shape", "wide", "--shape", "long"], "a CSV holds one shape"),
        (["compare", "--metrics", "nope"], "unknown metric 'nope'"),
        (["compare", "--format", "gb2030"], "unknown format 'gb2030'"),
        (["compare", "--years", "2020-2015"], "empty year range"),
        (["compare", "--xlsx"], "--xlsx needs -o"),
        (["compare", "--change"], "--shape by-year"),
        (["compare", "--population", str(tmp_path / "none.csv"), "--metrics", "derived"], "cannot read the population"),
    ]:
        r = run_cli(*args, "--home", home)
        assert r.returncode == 1 and r.stderr.startswith("error: "), args
        assert message in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, args
    r = run_cli("compare", "--help")
    assert "disclosure_rate = " in r.stdout and "Example: xxgk compare" in r.stdout
    assert "Example: xxgk export" in run_cli("export", "--help").stdout


def test_readme_and_help_state_the_formulas_and_the_duplicate_rule():
    from archive.compare import DERIVED_HELP, DUPLICATE_RULE

    readme = (Path(__file__).resolve().parents[1] / "archive" / "compare" / "README.md").read_text(encoding="utf-8")
    for line in DERIVED_HELP.splitlines():
        assert line in readme, line
    assert DUPLICATE_RULE in readme
    for cmd in ("compare", "export", "check", "chart"):
        text = " ".join(CliRunner().invoke(app, [cmd, "--help"], terminal_width=200).stdout.split())
        assert f"Example: xxgk {cmd}" in text, cmd
        if cmd != "check":
            assert "disclosure_rate = (applications.granted.total + applications.partial.total)" in text, cmd
            assert "applications.replied" in text, cmd


def test_population_file_forms_and_mistakes(tmp_path: Path):
    from archive.compare import load_population

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("地区,人口\n浙江省杭州市余杭区,\"1,200,000\"\n西湖区,1000000\n".encode("gb18030"))
    table = load_population(gbk)
    assert table.lookup(YUHANG, 2020) == 1_200_000 and table.lookup("浙江省杭州市西湖区", None) == 1_000_000
    assert table.lookup("浙江省宁波市", 2020) is None
    for text, message in [("a,b,c,d\n", "expected region,population"),
                          ("余杭区,1\n西湖区,abc\n", "not a number"), ("余杭区,20x9,5\n", "not a year"),
                          ("余杭区,-5\n", "must be positive"), ("region,population\n", "no population rows")]:
        bad = tmp_path / "bad.csv"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=message):
            load_population(bad)


def test_derived_formulas_pick_by_format_and_stay_empty_without_operands():
    from archive.compare.derived import compute_derived, fill_headline

    gb = {"applications.granted.total": 6, "applications.partial.total": 2, "applications.processed_total.total": 16,
          "applications.replied": 100, "applications.denied.total": 4}
    got = compute_derived(["disclosure_rate", "denial_rate", "not_held_rate"], gb, "gb2019")
    assert {k: v for k, (v, _) in got.items()} == {"disclosure_rate": 0.5, "denial_rate": 0.25}  # not replied
    assert compute_derived(["disclosure_rate"], gb, "legacy")["disclosure_rate"][0] == 0.08  # (6 + 2) / 100
    # unknown format: the first formula whose operands the report has
    assert compute_derived(["disclosure_rate"], {**gb, "applications.processed_total.total": 0}, None) == {}
    legacy_only = {k: v for k, v in gb.items() if k != "applications.processed_total.total"}
    assert compute_derived(["disclosure_rate"], legacy_only, None)["disclosure_rate"][0] == 0.08
    assert compute_derived(["requests_per_10k"], {"applications.new.total": 50}, "gb2021", 250_000)[
        "requests_per_10k"][0] == 2.0
    assert compute_derived(["requests_per_10k"], {"applications.new.total": 50}, "gb2021", None) == {}
    parts = {"litigation_direct.total": 2}
    assert fill_headline(parts, "gb2021") == [] and "litigation.total" not in parts  # a part missing: EMPTY
    parts["litigation_after_review.total"] = 0
    assert fill_headline(parts, "gb2021") == ["litigation.total"] and parts["litigation.total"] == 2
    assert fill_headline({"litigation_direct.total": 1, "litigation_after_review.total": 1}, "legacy") == []


@pytest.mark.parametrize("keys", [None, HEADLINE], ids=["every metric", "some metrics"])
def test_the_values_stream_out_in_the_selection_order_without_a_sort(built: Built, keys):
    """An export of every number reads them report by report, each by its key, in the order of the
    selection: SQLite sorted them all before the first row when it chose the plan itself (49 -> 26 s
    for 2.4 M numbers). The plan is read from SQLite (PostgreSQL plans its own); the values are
    every stored value of the selected reports, in their order."""
    from archive.compare.selection import select_reports
    from archive.compare.values import iter_report_values
    from archive.db import dialect_of
    from archive.home import Home

    with Home.open(built.home_path) as h:
        conn = h.catalog.conn
        reports = select_reports(conn, Selection())
        statements: list[str] = []
        sqlite = dialect_of(conn) == "sqlite"
        if sqlite:
            conn.set_trace_callback(statements.append)
        stream = iter_report_values(conn, reports, keys, with_evidence=True)
        got = [next(stream)]
        if sqlite:  # while the selection's temporary table is there
            conn.set_trace_callback(None)
            select = next(s for s in statements if s.lstrip().startswith("SELECT s.ord"))
            plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + select)]
            assert plan[0].startswith("SCAN s") and not any("TEMP B-TREE" in step for step in plan), plan
        got += list(stream)
        want = {r.id: {k: v for k, v in conn.execute("SELECT key, value FROM metrics WHERE report_id = ?", (r.id,))
                       if keys is None or k in keys} for r in reports}
    assert [rv.report.id for rv in got] == [r.id for r in reports]
    assert {rv.report.id: rv.values for rv in got} == want
    assert all(set(rv.evidence) <= set(rv.values) for rv in got)


def test_an_export_reads_the_reports_as_it_writes_their_values(built: Built):
    """An export of every report holds a chunk of them, not the archive: the reports come from the
    catalog's cursor as the values are read (a temporary table refilled a chunk at a time, dropped
    only at the end, since SQLite drops no table while a statement reads), and the values are those
    of the whole list, in its order. A walk abandoned half-way leaves the connection usable."""
    from archive.compare.comparison import StreamedReports
    from archive.compare.selection import iter_reports, select_reports
    from archive.compare.values import iter_report_values
    from archive.home import Home

    with Home.open(built.home_path) as h:
        conn = h.catalog.conn
        whole = select_reports(conn, Selection())
        want = [(rv.report.id, rv.values, rv.evidence) for rv in iter_report_values(conn, whole, None, with_evidence=True)]
        pulled: list[int] = []

        def source():
            for row in iter_reports(conn, Selection()):  # a cursor still open between chunks
                pulled.append(row.id)
                yield row

        walk = iter_report_values(conn, source(), None, with_evidence=True, chunk=2)
        first = next(walk)
        assert len(pulled) == 2 and first.report.id == whole[0].id
        got = [(first.report.id, first.values, first.evidence)] + [(rv.report.id, rv.values, rv.evidence) for rv in walk]
        assert got == want and len(whole) > 4
        half = iter_report_values(conn, iter_reports(conn, Selection()), None, chunk=2)
        next(half)
        half.close()  # its table goes with the walk, or with the connection if a cursor still reads
        assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] >= len(whole)

        cmp = build_comparison(conn, Selection(), ["all"], merge=False, stream=True)
        assert isinstance(cmp.reports, StreamedReports) and len(cmp.reports) == 0
        rows = list(make_table(cmp, "long").rows)
        listed = build_comparison(conn, Selection(), ["all"], merge=False)
        assert len(cmp.reports) == len(whole) and rows == list(make_table(listed, "long").rows)
        assert len(rows) >= sum(len(v) for _, v, _ in want)  # every stored number, and the sums filled in


@pytest.mark.parametrize("shape", ["wide", "long", "by-year"])
def test_a_streamed_comparison_merges_its_copies_as_it_writes_them(built: Built, shape: str):
    """``compare`` and ``export --merge-duplicates`` to one CSV read the reports as they write them
    and merge each publisher-year's copies as it comes (they stand together in compare's order): the
    rows and the merges are those of the comparison that holds every report, and the reports are
    pulled from the catalog as the rows are written. The by-year shape asks the catalog for its
    year columns."""
    from archive.compare.comparison import StreamedReports

    with Home.open(built.home_path) as h:
        conn = h.catalog.conn
        listed = build_comparison(conn, Selection(), ["all"])
        streamed = build_comparison(conn, Selection(), ["all"], stream=True)
        assert isinstance(streamed.reports, StreamedReports) and streamed.merges == [] and len(streamed.reports) == 0
        rows = iter(make_table(streamed, shape).rows)
        first = next(rows)
        assert 0 < len(streamed.reports) < len(listed.reports) + len(listed.merges)
        rows = [first, *rows]
        assert rows == list(make_table(build_comparison(conn, Selection(), ["all"]), shape).rows)
        assert streamed.merges == listed.merges and len(streamed.merges) == len(WINNERS)
        assert len(streamed.reports) == len(listed.reports)
        for sel in (Selection(regions=("余杭",)), Selection(year_from=2019), Selection(agency="教育局"),
                    Selection(regions=("宁波",), year_to=2020), Selection(formats=("legacy",))):
            one = build_comparison(conn, sel, None, stream=True)
            table = make_table(one, shape, change=shape == "by-year")
            want = make_table(build_comparison(conn, sel, None), shape, change=shape == "by-year")
            assert table.header == want.header and list(table.rows) == list(want.rows)


def test_the_year_span_is_the_selected_reports_years(built: Built, monkeypatch):
    """``year_span``: the first and last year of the selection, asked of the catalog, the same whether
    SQL names its places or they are checked as the rows come (too many to bind)."""
    import archive.compare.selection as selection
    from archive.compare.selection import select_reports, year_span

    sels = [Selection(), Selection(regions=("余杭",)), Selection(regions=("杭州",), agency="教育局"),
            Selection(year_from=2017, year_to=2020), Selection(regions=("宁波",), formats=("gb2021",)),
            Selection(formats=("legacy",), year_from=2030)]
    with Home.open(built.home_path) as h:
        conn = h.catalog.conn

        def listed(sel):
            years = [r.year for r in select_reports(conn, sel) if r.year is not None]
            return (min(years), max(years)) if years else (None, None)

        spans = [year_span(conn, sel) for sel in sels]
        assert spans == [listed(sel) for sel in sels]
        assert spans[0] == (2015, 2023) and spans[-1] == (None, None)
        monkeypatch.setattr(selection, "_in_sql_limit", lambda conn: 0)  # every name checked in Python
        assert [year_span(conn, sel) for sel in sels] == spans


def test_the_duplicate_rule_decides_the_same_over_a_stream_in_batches_of_any_size():
    """``merge_stream`` decides a batch of groups at a time (their copies' counts, trust and values read
    together): the reports kept, their order and the merges are the list's, whatever the batch."""
    import random

    from archive.compare.duplicates import merge_stream

    rnd = random.Random(11)
    rows, counts, values, trust = [], {}, {}, {}
    rid = 0
    for place in range(40):
        for year in (2019, 2020, 2021):
            for copy in range(rnd.choice([1, 1, 1, 2, 3])):
                rid += 1
                title = "报告（更正）" if rnd.random() < 0.1 else "报告"
                rows.append(ReportRow(rid, title, year, f"浙江省X{place:02d}市", "", "gb2021", "",
                                      f"2020-0{rnd.randint(1, 9)}-01", ""))
                counts[rid] = rnd.randint(0, 3)
                values[rid] = {f"k{j}": rnd.choice([0, 1, 2]) for j in range(rnd.randint(0, 4))}
                trust[rid] = type("P", (), {"trust": rnd.choice([0, 1, 2]), "label": "t"})()
    rule = {"provenance": lambda ids: {i: trust[i] for i in ids},
            "metric_values": lambda ids: {i: values[i] for i in ids}}

    def fresh() -> list[ReportRow]:
        return [ReportRow(r.id, r.title, r.year, r.region, r.agency, r.format, r.url, r.published, r.parsed_at)
                for r in rows]

    kept, merges = merge_duplicates(fresh(), lambda ids: {i: counts[i] for i in ids}, **rule)
    assert 10 < len(merges) < len(rows) // 2
    for batch in (1, 2, 7, 1000):
        streamed: list = []
        asked: list[int] = []

        def count(ids):
            ids = list(ids)
            asked.append(len(ids))
            return {i: counts[i] for i in ids}

        got = list(merge_stream(fresh(), count, streamed, batch=batch, **rule))
        assert [(r.id, r.merged) for r in got] == [(r.id, r.merged) for r in kept]
        assert streamed == merges
        assert max(asked) <= max(batch, 3) + 2  # a batch's copies at once: at most a batch and one group
    # a listing keeps no merges (`xxgk reports`: iter_distinct_reports), and decides each group as it closes
    listed = merge_stream(fresh(), lambda ids: {i: counts[i] for i in ids}, None, batch=1, **rule)
    assert [(r.id, r.merged) for r in listed] == [(r.id, r.merged) for r in kept]


def test_values_are_read_by_key_id_and_a_key_stored_meanwhile_or_lost_is_handled(tmp_path):
    """Values are read from ``metric_values`` by key id (the ``metrics`` view looked each row's key up):
    a key first stored after the ids were read (an import running beside an export) is still named,
    and a row naming a key ``metric_keys`` lost is one clear line naming the mend, not a traceback."""
    from archive.compare.copies import stored_values
    from archive.compare.selection import select_reports
    from archive.compare.values import KeyNames, iter_report_values
    from archive.db import dialect_of
    from archive.errors import CatalogDamagedError
    from fixtures.archive_builder import store_real_report

    with Home.open(tmp_path / "home") as home:
        _, rid, _ = store_real_report(home, "shanghai-office-2019.html")
        conn = home.catalog.conn
        want = dict(conn.execute("SELECT key, value FROM metrics WHERE report_id = ?", (rid,)))
        reports = select_reports(conn, Selection())
        [got] = iter_report_values(conn, reports, None)
        assert got.values == want and len(want) > 20
        stated = dict(conn.execute("SELECT key, value FROM metrics WHERE report_id = ? AND derived = 0", (rid,)))
        assert stored_values(conn, [rid]) == {rid: stated}
        some = sorted(want)[:3]
        [got] = iter_report_values(conn, reports, [*some, "no.such.key"])
        assert got.values == {k: want[k] for k in some}
        [got] = iter_report_values(conn, reports, ["no.such.key"])
        assert got.values == {}

        names = KeyNames(conn)
        conn.execute("INSERT INTO metric_keys(key) VALUES ('stored.meanwhile')")
        new_id = conn.execute("SELECT id FROM metric_keys WHERE key = 'stored.meanwhile'").fetchone()[0]
        assert new_id not in dict(names) and names[new_id] == "stored.meanwhile"
        if dialect_of(conn) != "sqlite":  # PostgreSQL's foreign key keeps a used key: it cannot be lost
            return
        lost_id = conn.execute("SELECT key_id FROM metric_values WHERE report_id = ? LIMIT 1", (rid,)).fetchone()[0]
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM metric_keys WHERE id = ?", (lost_id,))
        conn.commit()
        with pytest.raises(CatalogDamagedError, match=f"metric key {lost_id}.*xxgk reparse --all"):
            list(iter_report_values(conn, reports, None))


def test_the_reports_are_fetched_as_they_are_read_on_either_catalog(built: Built):
    """A streamed selection is read from the catalog as it is walked: psycopg's ordinary cursor
    receives every row at execute, so on PostgreSQL a server-side cursor hands them over a batch at a
    time. Two streams read at once on one connection, and one abandoned half-way closes its cursor."""
    from archive.compare.selection import iter_reports, select_reports
    from archive.db import dialect_of, stream_rows

    def open_cursors(conn) -> int:
        if dialect_of(conn) != "postgres":
            return 0
        return sum(name.startswith("xxgk_stream_") for (name,) in conn.execute("SELECT name FROM pg_cursors"))

    with Home.open(built.home_path) as h:
        conn = h.catalog.conn
        whole = [r.id for r in select_reports(conn, Selection())]
        a, b = iter_reports(conn, Selection()), iter_reports(conn, Selection(regions=("余杭",)))
        first_a, first_b = next(a), next(b)
        assert open_cursors(conn) == (2 if dialect_of(conn) == "postgres" else 0)
        assert [first_a.id, *(r.id for r in a)] == whole
        assert [first_b.id, *(r.id for r in b)] == [r.id for r in select_reports(conn, Selection(regions=("余杭",)))]
        assert open_cursors(conn) == 0
        half = stream_rows(conn, "SELECT id FROM reports ORDER BY id", (), size=2)
        assert [next(half)[0], next(half)[0], next(half)[0]] == sorted(whole)[:3]
        half.close()
        assert open_cursors(conn) == 0
        assert [r[0] for r in stream_rows(conn, "SELECT id FROM reports WHERE year >= ? ORDER BY id", (2020,), size=3)] \
            == [r[0] for r in conn.execute("SELECT id FROM reports WHERE year >= ? ORDER BY id", (2020,))]
        left = iter_reports(conn, Selection())  # `reports --limit 2`: the walk stops, the command ends
        next(left)
    left.close()  # after its connection: no error (it printed one at exit)
