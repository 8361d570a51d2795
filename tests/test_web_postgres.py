"""`xxgk serve` on a home whose catalog is PostgreSQL answers as on SQLite (issue 16: the same
commands at scale; issue 15: the page runs the CLI's engines).

The bundled examples are imported twice, into a SQLite home and into a home whose catalog is a
database on the session's throwaway PostgreSQL server; every API route then gives the same answer on
both, times of import aside, and every page renders. Skips with one line without PostgreSQL.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli
from web_homes import app_client

QUERIES = ["公开", "依申请", "行政复议", "余杭"]
VOLATILE = {"fetched_at", "parsed_at", "imported_at", "index_lag"}  # when, not what


def _imported(folder: Path, catalog: str) -> Path:
    r = run_cli("import", str(EXAMPLES), "--home", str(folder), env={"XXGK_CATALOG": catalog})
    assert r.returncode == 0, r.stdout + r.stderr
    return folder


@pytest.fixture(scope="module")
def homes(tmp_path_factory, pg_server) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("web-pg")
    sqlite_home = _imported(root / "sqlite", "")
    pg_home = _imported(root / "pg", pg_server.url(""))
    assert (pg_home / "catalog.url").exists() and not (pg_home / "catalog.sqlite").exists()
    return sqlite_home, pg_home


def _stable(value):
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _answers(home: Path) -> dict:
    out: dict = {}
    with app_client(home) as c:
        for q in QUERIES:
            r = c.get("/api/search", params={"q": q})
            assert r.status_code == 200, r.text
            out[f"search {q}"] = _stable(r.json())
        ids = sorted({h["report_id"] for key, v in out.items() for h in v["hits"]})
        assert ids, "the examples give search hits"
        for rid in ids:
            r = c.get(f"/api/reports/{rid}")
            assert r.status_code == 200, r.text
            out[f"report {rid}"] = _stable(r.json())
            page = c.get(f"/reports/{rid}")
            assert page.status_code == 200 and "<html" in page.text.lower()
        for params in ({"region": "余杭区"}, {"region": "浙江省", "shape": "long"}):
            r = c.get("/api/compare", params=params)
            assert r.status_code == 200, r.text
            out[f"compare {params}"] = _stable(r.json())
        r = c.get("/api/coverage")
        assert r.status_code == 200, r.text
        out["coverage"] = _stable(r.json())
        for path in ("/", "/search?q=公开", "/compare?region=余杭区", "/coverage", "/compare.csv?region=余杭区"):
            assert c.get(path).status_code == 200, path
    return out


@pytest.mark.slow
def test_every_api_route_answers_the_same_on_postgresql(homes):
    sqlite_home, pg_home = homes
    on_sqlite, on_pg = _answers(sqlite_home), _answers(pg_home)
    assert on_sqlite.keys() == on_pg.keys()
    for key in on_sqlite:
        assert on_pg[key] == on_sqlite[key], key
    assert any(v.get("total") for k, v in on_pg.items() if k.startswith("search")), "searches found reports"
