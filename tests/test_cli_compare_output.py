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
