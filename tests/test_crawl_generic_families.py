"""Generic mode end to end: ``xxgk crawl <column URL>`` on a TRS column that has no profile.

The replica's 高淳 column (no profile) pages only through ``createPageHTML(3, 0, "index", "html")``
and carries one report only as the PDF attached to its article page. The real CLI, run against
the replica on loopback, must recognise TRS, read every page, find every report and nothing
else, say which family it read the column as and why, and keep that family across a ``kill -9``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.crawl import canonical_reports
from archive.home import Home
from conftest import XXGK, run_cli
from fixtures.crawl_cli import kill_mid_crawl, rerun_crawl
from replica import ReplicaServer

pytestmark = pytest.mark.slow

SITE = "gaochun"


def _args(rep: ReplicaServer, home: Path, *extra: str) -> list[str]:
    spec = rep.info.sites[SITE]
    resolve = [a for h, t in rep.info.resolve.items() if spec.host in h for a in ("--resolve", f"{h}={t}")]
    return ["crawl", spec.entry_url, "--delay", "0", "--no-index", "--home", str(home), *resolve, *extra]


def _truth(rep: ReplicaServer) -> list:
    return [t for t in rep.truth.expected() if t.site == SITE]


def _stored_urls(home: Path) -> set[str]:
    with Home.open(home) as h:
        return {r[0] for r in h.catalog.conn.execute(
            "SELECT s.url FROM reports r JOIN sources s ON s.document_id = r.document_id")}


def test_a_trs_column_without_a_profile_yields_every_report(tmp_path: Path):
    home = tmp_path / "h"
    with ReplicaServer(seed=0, delays=0) as rep:
        r = run_cli(*_args(rep, home, "--json"))
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        spec = rep.info.sites[SITE]
        site = out["sites"][spec.host]
        column = site["columns"][spec.entry_url]
        assert column["family"] == "trs" and "createPageHTML(…) pager script" in column["why"]
        truth = _truth(rep)
        assert out["reports_in_archive"] == len(truth) and site["done"]
        stub = next(t for t in truth if t.primary_url != t.page_url)
        assert stub.primary_url.endswith(".pdf")
        stored = _stored_urls(home)
        assert {t.primary_url for t in truth} <= stored              # recall: every report, the PDF one too
        true_urls = {u for t in rep.truth.reports if t.site == SITE for u in t.urls()}
        assert stored <= true_urls                                    # precision: nothing else
        paths = [q.path for q in rep.requests()]
        folder = spec.column.rsplit("/", 1)[0]
        assert {f"{folder}/index_1.html", f"{folder}/index_2.html"} <= set(paths)
        assert f"{folder}/index_3.html" not in paths                   # nothing past the last page
        assert {q.host for q in rep.requests()} == {spec.host} and rep.forbidden_requests() == []
        noise = {n.url for n in rep.truth.noise if n.site == SITE}
        assert not noise & {f"http://{spec.host}{p}" for p in paths}  # the 解读 is not fetched


def test_the_summary_says_which_family_and_why(tmp_path: Path):
    with ReplicaServer(seed=0, delays=0) as rep:
        r = run_cli(*_args(rep, tmp_path / "h"))
        assert r.returncode == 0, r.stderr
        spec = rep.info.sites[SITE]
        # the summary wraps to the terminal (80 columns when piped): compare without the line breaks
        said = "".join(r.stdout.split())
        assert "".join(f"{spec.entry_url} read as trs (createPageHTML(…) pager script".split()) in said


def test_the_recognised_family_survives_a_kill_9(tmp_path: Path):
    home = tmp_path / "h"
    with ReplicaServer(seed=3, delays=0.4) as rep:
        args = [str(XXGK), *_args(rep, home, "--json")]
        kill_mid_crawl(args, home, after=2)
        with Home.open(home) as h:   # every queued request remembers the family that reads it
            bodies = [json.loads(r[1]) for r in h.catalog.conn.execute("SELECT url, body_json FROM frontier")
                      if r[0] != rep.info.sites[SITE].entry_url]
        assert len(bodies) > 3 and all(b.get("family") == "trs" for b in bodies)
        out = rerun_crawl(args)
        assert out["reports_in_archive"] == len(_truth(rep))
        spec = rep.info.sites[SITE]
        assert out["sites"][spec.host]["columns"][spec.entry_url]["family"] == "trs"
        with Home.open(home) as h:
            assert len(canonical_reports(h.catalog)) == len(_truth(rep))
