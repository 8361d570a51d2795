"""The throwaway PostgreSQL fixture itself: a real server, fresh isolated databases, templates copied."""
from __future__ import annotations

from pg_server import fresh_database, pg_server, pg_url  # noqa: F401  (fixtures)


def test_fresh_databases_are_isolated_and_templates_copy(pg_server, pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (42)")
    template = pg_url.rsplit("/", 1)[1]
    copy_url = fresh_database(pg_server, template=template)
    other_url = fresh_database(pg_server)
    with psycopg.connect(copy_url) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(42,)]
    with psycopg.connect(other_url) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE tablename = 't'").fetchone() == (0,)
    assert pg_url.startswith("postgresql://") and "127.0.0.1" in pg_url
