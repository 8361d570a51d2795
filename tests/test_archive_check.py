"""`xxgk check` over a real archive: cross-year chains, in_force chains, jumps, each report's own findings."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.check import check_archive
from archive.cli import app
from archive.compare import Selection
from archive.home import Home
from fixtures.archive_builder import XIHU, YUHANG, Built, build_archive


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build_archive(tmp_path_factory.mktemp("chk") / "home")


@pytest.fixture(scope="module")
def result(built: Built):
    with Home.open(built.home_path, create=False) as h:
        return check_archive(h.catalog.conn, Selection())


def _by_rule(result, rule):
    return [f for f in result.findings if f.rule == rule]


def test_carried_chain_break_is_the_only_one(built: Built, result):
    [f] = _by_rule(result, "cross_year.carried")
    assert (f.region, f.year, f.report_id, f.severity) == (YUHANG, 2022, built.ids["yuhang-2022"], "error")
    # the corrected 2021 report (the one kept) is the previous year, and only the total column disagrees
    assert f.values["previous_report_id"] == built.ids["yuhang-2021-fix"]
    assert f.values["columns"] == {"total": {"carried_out": 5, "carried_in": 7}}
    assert "total 5 → 7" in f.message
    # 2019 -> 2020 carried 50 (total) and 30 (natural) through: consistent, not flagged; 2020 -> 2021 too


def test_in_force_chain_break(built: Built, result):
    [f] = _by_rule(result, "cross_year.in_force")
    assert (f.year, f.report_id, f.values["body"]) == (2023, built.ids["yuhang-2023"], "rules")
    assert (f.values["in_force"], f.values["expected"]) == (13, 12)  # 10 + 4 issued − 2 repealed
    assert "13 ≠ 12" in f.message
    # normative_docs 2023: 25 + 2 − 2 = 25 holds; 2022: rules 8 + 3 − 1 = 10 holds


def test_jumps_zero_bases_and_format_changes(built: Built, result):
    jumps = {(f.region, f.year, f.values["key"]): f for f in _by_rule(result, "cross_year.jump")}
    assert set(jumps) == {
        (YUHANG, 2016, "applications.new.total"), (YUHANG, 2016, "applications.granted.total"),
        (YUHANG, 2016, "applications.partial.total"), (YUHANG, 2016, "applications.denied.total"),
        (XIHU, 2019, "applications.new.total"), (XIHU, 2019, "applications.granted.total"),
    }
    new = jumps[(YUHANG, 2016, "applications.new.total")]
    assert new.severity == "warning" and new.values["ratio"] == 9.0 and "100 → 900" in new.message
    assert "format changed legacy → gb2019" in jumps[(XIHU, 2019, "applications.new.total")].message
    # 西湖 partial 5 -> 0 and denied 5 -> 0: both under 10, not judged; 杭州市 review 0 -> 12: a zero base
    assert any("review.total: 1 year pair(s) not judged" in n for n in result.notes)


def test_report_findings_are_listed_and_order_is_per_publisher(built: Built, result):
    [own] = [f for f in result.findings if f.source == "report"]
    assert (own.region, own.year, own.rule, own.severity) == (XIHU, 2021, "applications.balance", "error")
    assert own.values == {"column": "total"}
    publishers = [f.region for f in result.findings]
    assert publishers == sorted(publishers)  # grouped per publisher
    assert result.counts() == {"error": 3, "warning": 7} and result.worst() == "error"
    # the corrected 2021 report states 810 granted, the original 800: a conflict, with the value kept
    [conflict] = [f for f in result.findings if f.rule == "duplicate.conflict"]
    assert conflict.report_id == built.ids["yuhang-2021-fix"]
    assert "applications.granted.total kept 810" in conflict.message and "800" in conflict.message
    assert "corrected version" in conflict.message
    assert result.publishers == 5 and result.reports == 16  # 19 reports, 3 duplicates merged


@pytest.mark.parametrize("batch", [1, 2, 3, 7])
def test_a_check_in_batches_finds_and_orders_what_one_batch_does(built: Built, result, monkeypatch, batch: int):
    """The check streams its reports and settles a batch of whole publishers at a time (their own
    findings, their copies' conflicts and hosts); the copies' merges are decided ahead of the values.
    Whatever the batch, the findings, their order, the counts and the notes are those of one batch."""
    import archive.check as check

    assert len(result.findings) > 8 and result.reports > 7  # the whole archive is one batch by default
    monkeypatch.setattr(check, "CHECK_BATCH", batch)
    with Home.open(built.home_path, create=False) as h:
        batched = check_archive(h.catalog.conn, Selection())
    assert batched == result


def test_selection_narrows_the_check(built: Built):
    with Home.open(built.home_path, create=False) as h:
        res = check_archive(h.catalog.conn, Selection(regions=("西湖",), year_from=2020))
    assert [(f.rule, f.year) for f in res.findings] == [("applications.balance", 2021)]


def test_cli_prints_per_publisher_writes_csv_json_and_exit_codes(built: Built, tmp_path: Path):
    home = str(built.home_path)
    r = CliRunner().invoke(app, ["check", "--home", home, "--region", "杭州市", "--format", "table"])  # a pipe: TSV
    assert r.exit_code == 0  # findings are data
    assert YUHANG in r.stdout and XIHU in r.stdout and "cross_year.in_force" in r.stdout
    assert "3 error, 7 warning" in r.stdout
    assert "[total] new 40" in r.stdout  # brackets in a message are text, not rich markup
    out = tmp_path / "findings.csv"
    r = CliRunner().invoke(app, ["check", "--home", home, "--csv", str(out)])
    assert r.exit_code == 0
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == ["region", "agency", "year", "report_id", "source", "rule", "severity", "message", "values"]
    carried = next(r for r in rows if r["rule"] == "cross_year.carried")
    assert json.loads(carried["values"])["columns"]["total"] == {"carried_out": 5, "carried_in": 7}
    r = CliRunner().invoke(app, ["check", "--home", home, "--json"])
    doc = json.loads(r.stdout)
    assert doc["counts"] == {"error": 3, "warning": 7} and len(doc["findings"]) == 10
    assert CliRunner().invoke(app, ["check", "--home", home, "--fail-on", "error"]).exit_code == 1
    assert CliRunner().invoke(app, ["check", "--home", home, "--region", "杭州", "--exact", "--fail-on", "warning"]).exit_code == 0
    assert CliRunner().invoke(app, ["check", "--home", home, "--region", "宁波", "--fail-on", "warning"]).exit_code == 0
    assert CliRunner().invoke(app, ["check", "--home", home, "--region", "余杭", "--fail-on", "warning"]).exit_code == 1


def test_a_finding_as_a_row_is_its_fields_in_the_columns_order(result):
    """``as_row`` is built by hand (``dataclasses.asdict`` deep-copied the values only to dump them):
    every field, in CHECK_COLUMNS' order, the values as JSON."""
    from dataclasses import asdict

    from archive.check import CHECK_COLUMNS

    for f in result.findings:
        row, whole = f.as_row(), asdict(f)
        assert list(row) == list(CHECK_COLUMNS) == list(whole)
        assert {k: v for k, v in row.items() if k != "values"} == {k: v for k, v in whole.items() if k != "values"}
        assert row["values"] == (json.dumps(whole["values"], ensure_ascii=False) if f.values else "")


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_findings_in_a_pipe_are_written_as_they_are_found_as_emit_writes_them(built: Built, result, fmt: str,
                                                                              tmp_path: Path):
    """In a pipe (tsv, csv) and to --csv, the findings are written as they are found, neither they nor
    the reports held: the bytes are what ``emit`` printed of the whole list, and the count said after."""
    from archive.check import CHECK_COLUMNS
    from archive.output import Column, csv_text, tsv_text

    r = CliRunner().invoke(app, ["check", "--home", str(built.home_path), "--format", fmt])
    columns = [Column(c, c) for c in CHECK_COLUMNS]
    rows = [f.as_row() for f in result.findings]
    assert r.exit_code == 0 and r.stdout == (tsv_text if fmt == "tsv" else csv_text)(columns, rows)
    out = tmp_path / "f.csv"
    r = CliRunner().invoke(app, ["check", "--home", str(built.home_path), "--csv", str(out)])
    assert f"wrote {len(rows)} findings to {out}" in r.stderr.replace("\n", "")
    assert list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig")))) == [
        {k: "" if v is None else str(v) for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("argv", [[], ["--region", "西湖", "--years", "2020-"], ["--region", "宁波", "--exact", "--years", "2030-"]],
                         ids=["every finding", "one", "none"])
def test_the_json_is_what_the_whole_result_printed_while_no_finding_is_held(built: Built, tmp_path: Path, argv):
    """``--json`` puts the counts before the findings but knows them last: the findings are laid out
    into a temporary file as they are found and copied after; the bytes are those ``print_json``
    printed of the whole result, and --csv beside writes the same rows."""
    home = str(built.home_path)
    with Home.open(built.home_path, create=False) as h:
        sel = Selection()
        if argv:
            region, years = argv[1], argv[-1]
            lo = int(years.rstrip("-"))
            sel = Selection(regions=(region,), exact="--exact" in argv, year_from=lo)
        whole = check_archive(h.catalog.conn, sel)
    assert (whole.findings == []) == ("2030-" in argv)
    want = json.dumps({"publishers": whole.publishers, "reports": whole.reports, "counts": whole.counts(),
                       "notes": whole.notes, "findings": [f.as_row() for f in whole.findings]},
                      ensure_ascii=False, indent=1, default=str) + "\n"
    r = CliRunner().invoke(app, ["check", "--home", home, "--json", *argv])
    assert r.exit_code == 0 and r.stdout == want
    out = tmp_path / "f.csv"
    r = CliRunner().invoke(app, ["check", "--home", home, "--json", "--csv", str(out), *argv])
    assert r.stdout == want
    assert len(list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))) == len(whole.findings)
