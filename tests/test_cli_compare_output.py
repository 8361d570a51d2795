"""Issue 14, item 7: `compare` without -o shows a table on a terminal and pours CSV without a BOM
into a pipe; -o x.csv keeps the BOM Excel needs; --format chooses."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from cli_homes import examples_home, run_tty
from conftest import run_cli


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(examples_home(tmp_path_factory.mktemp("cmp-out") / "home"))


def test_piped_compare_is_csv_without_bom(home: str):
    r = run_cli("compare", "--region", "余杭", "--home", home)
    assert r.returncode == 0, r.stderr
    assert not r.stdout.startswith("\ufeff") and r.stdout.startswith("报告编号,地区,机关,年度")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 1 and rows[0]["新收申请"] == "1984"
    keys = run_cli("compare", "--region", "余杭", "--headers", "keys", "--home", home).stdout
    assert keys.startswith("report_id,region,agency,year") and "applications.new.total" in keys.splitlines()[0]


def test_on_a_terminal_compare_is_a_table_that_fits(home: str):
    code, text = run_tty("compare", "--region", "余杭", "--home", home, columns=80)
    assert code == 0, text
    assert "\ufeff" not in text and "报告编号,地区" not in text  # no raw CSV
    assert "新收申请" in text and "1984" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert "more columns do not fit this terminal" in text


def test_output_file_keeps_the_bom_and_format_chooses(home: str, tmp_path: Path):
    out = tmp_path / "x.csv"
    assert run_cli("compare", "--region", "余杭", "-o", str(out), "--home", home).returncode == 0
    assert out.read_bytes().startswith("\ufeff".encode())
    data = json.loads(run_cli("compare", "--region", "余杭", "--format", "json", "--home", home).stdout)
    assert data[0]["applications.new.total"] == 1984  # JSON keys stay the keys
    tsv = run_cli("compare", "--region", "余杭", "--format", "tsv", "--home", home).stdout
    assert tsv.splitlines()[0].split("\t")[:2] == ["report_id", "region"]
    # --format still takes an era (its old meaning), --era too
    assert run_cli("compare", "--format", "legacy", "--home", home).returncode == 0
    assert run_cli("compare", "--era", "legacy", "--format", "csv", "--home", home).returncode == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_disagreeing_copies_are_told_for_the_first_groups_and_counted_after(monkeypatch, lang):
    """A comparison of a province merges thousands of groups whose copies disagree: a note each buried
    the output. The first ``CONFLICT_NOTES`` groups are told, the rest counted with where each is listed."""
    from rich.console import Console

    from archive import cli_common
    from archive.commands.compare_command import CONFLICT_NOTES, _say_conflicts
    from archive.compare.duplicates import Conflict, Merge
    from archive.i18n import get_lang, set_lang

    def merge(i: int, disagree: bool) -> Merge:
        conflicts = (Conflict("review.total", 3, ((i * 10 + 1, 4),)),) if disagree else ()
        return Merge(i * 10, (i * 10 + 1,), "newest", f"地{i}", "", 2021, conflicts)

    buf = io.StringIO()
    monkeypatch.setattr(cli_common, "err_console", Console(file=buf, width=400, highlight=False), raising=False)
    before = get_lang()
    set_lang(lang)
    try:
        _say_conflicts([merge(i, i % 3 != 0) for i in range(90)])
    finally:
        set_lang(before)
    lines = buf.getvalue().splitlines()
    told = [m for m in (merge(i, i % 3 != 0) for i in range(90)) if m.conflicts]
    assert len(told) == 60 and len(lines) == CONFLICT_NOTES + 1
    assert lines[0].startswith(f"note: 地1  2021: kept report 10 over 11: newest")
    assert lines[CONFLICT_NOTES - 1].startswith(f"note: {told[CONFLICT_NOTES - 1].region} ")
    assert ("40 more groups" in lines[-1] and "xxgk check" in lines[-1]) if lang == "en" else \
        ("另有 40 组" in lines[-1] and "xxgk check" in lines[-1])

    buf.truncate(0)
    buf.seek(0)
    _say_conflicts(told[:CONFLICT_NOTES])
    assert len(buf.getvalue().splitlines()) == CONFLICT_NOTES  # no count when every group was told


def test_a_terminal_table_shows_its_first_rows_and_counts_the_rest_json_and_tsv_stream_them_all(
        home: str, monkeypatch):
    """A terminal's table of a province held every row for rich (97,000 rows: 35 s, 749 MB): it shows
    the first ``TERMINAL_ROWS`` (2 here) and says how many more and how to get them; json and tsv
    are written as the rows come, every row, the same bytes as when they were held."""
    from typer.testing import CliRunner

    from archive.cli import app
    from archive.cli_common import print_json
    from archive.commands import compare_command

    everything = list(csv.DictReader(io.StringIO(run_cli("compare", "--headers", "keys", "--home", home).stdout)))
    assert len(everything) > 2
    monkeypatch.setattr(compare_command, "TERMINAL_ROWS", 2)
    r = CliRunner().invoke(app, ["compare", "--home", home, "--headers", "keys", "--format", "table"],
                           catch_exceptions=False, terminal_width=200)
    assert r.exit_code == 0, r.output
    ids = [row["report_id"] for row in everything]
    shown = [line.split()[0] for line in r.stdout.splitlines() if line.split()[:1] and line.split()[0] in ids]
    assert shown == ids[:2]
    assert f"{len(everything) - 2} more rows are not shown on the terminal" in r.stdout
    data = json.loads(run_cli("compare", "--format", "json", "--headers", "keys", "--home", home).stdout)
    assert [str(d["report_id"]) for d in data] == [row["report_id"] for row in everything]
    buf = io.StringIO()
    monkeypatch.setattr("sys.stdout", buf)
    print_json(data)  # the bytes of the whole list, as json was written before it streamed
    assert run_cli("compare", "--format", "json", "--headers", "keys", "--home", home).stdout == buf.getvalue()
    tsv = run_cli("compare", "--format", "tsv", "--headers", "keys", "--home", home).stdout.splitlines()
    assert len(tsv) == len(everything) + 1
