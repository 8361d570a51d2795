"""`xxgk export --parquet DIR` on the demo home, read back with DuckDB.

The counted reports' metrics are exactly `xxgk compare`'s numbers (same home, every metric, long
shape), every report of the catalog is there with its copies told apart, the evidence is in columns,
the README names every column of every file, and without pyarrow the command says how to get it.
"""
from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from cli_homes import demo_home
from conftest import run_cli

duckdb = pytest.importorskip("duckdb", reason="duckdb (a dev dependency) reads the Parquet files back")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    home = demo_home(tmp_path_factory)
    out = tmp_path_factory.mktemp("parquet") / "pq"
    r = run_cli("export", "--parquet", str(out), "--home", str(home))
    assert r.returncode == 0, r.stderr
    return home, out


def _sql(out, query: str) -> list[tuple]:
    con = duckdb.connect()
    for name in ("reports", "metrics", "findings"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{out / (name + '.parquet')}')")
    return con.execute(query).fetchall()


def test_counted_metrics_are_compares_numbers(exported):
    home, out = exported
    r = run_cli("compare", "--metrics", "all", "--shape", "long", "--format", "csv", "--headers", "keys",
                "--home", str(home))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    compare = {(int(row["report_id"]), row["metric"]): float(row["value"]) for row in rows}
    parquet = {(rid, key): value for rid, key, value in _sql(
        out, "SELECT m.report_id, m.metric, m.value FROM metrics m JOIN reports r ON r.id = m.report_id "
             "WHERE r.counted")}
    assert len(compare) > 1000 and parquet == compare
    derived = {(int(row["report_id"]), row["metric"]) for row in rows if row["derived"] == "1"}
    assert derived == {(rid, key) for rid, key in _sql(
        out, "SELECT m.report_id, m.metric FROM metrics m JOIN reports r ON r.id = m.report_id "
             "WHERE r.counted AND m.derived")}
    # the headline by year and place, as an analyst would ask it
    totals = _sql(out, "SELECT r.year, SUM(m.value) FROM metrics m JOIN reports r ON r.id = m.report_id "
                       "WHERE r.counted AND m.metric = 'applications.new.total' GROUP BY r.year ORDER BY r.year")
    by_year: dict[int, float] = {}
    for row in rows:
        if row["metric"] == "applications.new.total":
            by_year[int(row["year"])] = by_year.get(int(row["year"]), 0) + float(row["value"])
    assert totals == sorted(by_year.items())


def test_every_report_with_copies_told_apart_and_evidence_in_columns(exported):
    home, out = exported
    with sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True) as conn:
        catalog = dict(conn.execute("SELECT id, title FROM reports"))
        findings = conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
        stored = set(conn.execute("SELECT report_id, key, CAST(value AS REAL) FROM metrics"))
    assert dict(_sql(out, "SELECT id, title FROM reports")) == catalog
    copies = _sql(out, "SELECT id, merged_into FROM reports WHERE NOT counted")
    assert copies and all(into is not None for _, into in copies)
    assert _sql(out, "SELECT COUNT(*) FROM reports r JOIN reports c ON c.merged_into = r.id "
                     "WHERE r.counted AND list_contains(r.merged_report_ids, c.id)") == [(len(copies),)]
    assert _sql(out, "SELECT COUNT(*) FROM findings") == [(findings,)]
    assert stored <= set(_sql(out, "SELECT report_id, metric, value FROM metrics"))  # every stored number
    tables = _sql(out, "SELECT evidence_table, evidence_row, evidence_column, evidence FROM metrics "
                       "WHERE evidence_where = 'table' LIMIT 50")
    assert tables and all(t is not None and row and col and text.startswith("table") for t, row, col, text in tables)


def test_readme_names_every_column(exported):
    _, out = exported
    readme = (out / "README.md").read_text(encoding="utf-8")
    for name in ("reports", "metrics", "findings"):
        columns = [c for c, *_ in _sql(out, f"DESCRIBE {name}")]
        assert columns and all(f"| {c} |" in readme for c in columns), name


def test_without_pyarrow_the_error_says_how_to_get_it(tmp_path, exported):
    home, _ = exported
    shadow = tmp_path / "shadow" / "pyarrow"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('no pyarrow here')\n")
    r = run_cli("export", "--parquet", str(tmp_path / "pq"), "--home", str(home),
                env={"PYTHONPATH": str(shadow.parent)})
    assert r.returncode == 1 and "pip install 'xxgk[parquet]'" in r.stderr and "Traceback" not in r.stderr
