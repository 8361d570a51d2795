"""`xxgk catalog copy` between SQLite and PostgreSQL (real server), and a home on a PostgreSQL catalog:
the same answers from the commands, every row back byte for byte after a round trip, a refusal of a
non-empty destination, and no password in any message."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli

TABLES_WITH_KEYS = {  # what makes a row unique, to compare tables in a stable order
    "documents": "id", "sources": "id", "reports": "id", "metric_keys": "id", "metrics": "report_id, key", "sections": "report_id, ord",
    "findings": "report_id, ord", "errors": "id", "report_texts": "report_id", "report_changes": "seq",
    "crawl_runs": "id", "frontier": "run_id, key", "fetches": "id", "report_links": "report_id",
    "parse_claims": "document_id",
}


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY {k}").fetchall() for t, k in TABLES_WITH_KEYS.items()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def sqlite_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("sqlite") / "home"
    r = run_cli("import", str(EXAMPLES), "--home", str(home), "--no-index", env={"XXGK_CATALOG": ""})
    assert r.returncode == 0, r.stderr
    return home


def answers(home: Path) -> dict:
    env = {"XXGK_CATALOG": ""}
    reports = json.loads(run_cli("reports", "--home", str(home), "--json", env=env).stdout)
    shown = {r["id"]: json.loads(run_cli("show", str(r["id"]), "--home", str(home), "--json", env=env).stdout)
             for r in reports}
    return {"reports": reports, "shown": shown}


def test_round_trip_sqlite_postgres_sqlite_keeps_every_row_and_answer(sqlite_home, pg_url, tmp_path):
    r = run_cli("catalog", "copy", str(sqlite_home), pg_url, "--json")
    assert r.returncode == 0, r.stderr
    copied = json.loads(r.stdout)
    assert copied["rows"]["reports"] == len(list(EXAMPLES.glob("*.txt"))) and copied["rows"]["metric_values"] > 30

    # a home made on that database answers as the SQLite home does (its blobs are not needed to list/show)
    pg_home = tmp_path / "pg-home"
    made = run_cli("status", "--home", str(pg_home), "--json", env={"XXGK_CATALOG": pg_url})
    assert made.returncode == 0, made.stderr
    assert (pg_home / "catalog.url").read_text().strip() == pg_url and not (pg_home / "catalog.sqlite").exists()
    assert answers(pg_home) == answers(sqlite_home)

    back = tmp_path / "back.sqlite"
    r = run_cli("catalog", "copy", pg_url, str(back))
    assert r.returncode == 0, r.stderr
    assert dump(back) == dump(sqlite_home / "catalog.sqlite")


def test_a_destination_with_rows_is_refused_unless_replace(sqlite_home, pg_url):
    assert run_cli("catalog", "copy", str(sqlite_home), pg_url).returncode == 0
    again = run_cli("catalog", "copy", str(sqlite_home), pg_url)
    assert again.returncode == 1 and "--replace" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    replaced = run_cli("catalog", "copy", str(sqlite_home), pg_url, "--replace", "--json")
    assert replaced.returncode == 0, replaced.stderr
    assert json.loads(replaced.stdout)["rows"]["reports"] == len(list(EXAMPLES.glob("*.txt")))


def test_an_unreachable_server_is_one_line_without_the_password(sqlite_home, tmp_path):
    url = "postgresql://xxgk:s3cret-word@127.0.0.1:1/nowhere"
    r = run_cli("catalog", "copy", str(sqlite_home), url)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "s3cret-word" not in r.stderr and "xxgk:***@127.0.0.1:1/nowhere" in r.stderr
    r = run_cli("status", "--home", str(tmp_path / "h"), env={"XXGK_CATALOG": url})
    assert r.returncode == 1 and "s3cret-word" not in r.stderr + r.stdout, r.stderr


def test_a_home_keeps_its_catalog(sqlite_home, pg_url):
    r = run_cli("status", "--home", str(sqlite_home), env={"XXGK_CATALOG": pg_url})
    assert r.returncode == 1 and "catalog copy" in r.stderr and len(r.stderr.strip().splitlines()) == 1
