"""``xxgk crawl --discover``: a dry run that says what a crawl would do and stores nothing; and
``--write-profile NAME``: a profile from it that crawls the same reports as the run without one.

The replica's generated sites (``ReplicaServer(generated=1)``) are reached from their home pages
through one or two intermediate pages; the real CLI runs against them on loopback and the
replica's access log says what was asked.
"""
from __future__ import annotations

import json
import sqlite3
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import run_cli
from replica import ReplicaServer
from scraper.profiles import profile_from_dict

pytestmark = pytest.mark.slow


def _resolve(rep: ReplicaServer) -> list[str]:
    return [a for h, t in rep.info.resolve.items() for a in ("--resolve", f"{h}={t}")]


def _site(rep: ReplicaServer, family: str):
    return next(s for s in rep.info.sites.values() if s.params.get("portal") and s.family == family)


def _report_urls(rep: ReplicaServer, spec) -> set[str]:
    reports = [r for r in rep.truth.reports if r.site == spec.id]
    return {u for r in reports for u in r.urls()} | {a.final_url for r in reports for a in r.attachments}


def test_discover_says_what_a_crawl_would_do_and_stores_nothing(tmp_path: Path):
    home = tmp_path / "h"
    with ReplicaServer(seed=0, delays=0, generated=1) as rep:
        spec = _site(rep, "trs")
        r = run_cli("crawl", "--discover", spec.home_url, "--delay", "0", "--home", str(home),
                    *_resolve(rep))
        assert r.returncode == 0, r.stderr
        out = r.stdout
        assert f"from {spec.home_url}:" in out and "hop 0" in out
        assert f"column {spec.entry_url}" in out
        assert "family trs (createPageHTML(…) pager script" in out
        assert "pagination: the page count is only in a createPageHTML" in out
        assert "report links on the first page:" in out and "a full crawl makes" in out
        newest = max(rep.truth.expected(spec.id), key=lambda t: t.published)
        assert newest.title in out                                         # on the first page
        assert "(dry run: nothing was stored)" in out
        assert not (home / "catalog.sqlite").exists()                      # nothing stored
        asked = {f"{q.scheme}://{q.host}{q.path}" for q in rep.requests()}
        assert not asked & _report_urls(rep, spec)                         # no report fetched
        assert rep.forbidden_requests() == []


def test_discover_counts_the_requests_of_a_full_crawl(tmp_path: Path):
    with ReplicaServer(seed=0, delays=0, generated=1) as rep:
        spec = _site(rep, "trs")
        r = run_cli("crawl", "--discover", spec.home_url, "--delay", "0", "--json",
                    "--home", str(tmp_path / "d"), *_resolve(rep))
        assert r.returncode == 0, r.stderr
        [found] = json.loads(r.stdout)["discover"]
        [column] = found["columns"]
        assert column["family"] == "trs" and column["found"]["hop"] >= 2
        assert [p["url"].rsplit("/", 1)[1] for p in column["list_pages"]] == [
            f"index_{n}.{spec.params['ext']}" for n in range(1, len(column["list_pages"]) + 1)]
        assert column["first_page_links"] and all(link["title"] for link in column["first_page_links"])
        truth = rep.truth.expected(spec.id)
        assert column["report_links"] == len(truth)       # the column lists each report once
        rep.clear_log()
        r = run_cli("crawl", spec.home_url, "--delay", "0", "--json", "--no-index",
                    "--home", str(tmp_path / "c"), *_resolve(rep))
        assert r.returncode == 0, r.stderr
        pages = {r.page_url for r in rep.truth.reports if r.site == spec.id and r.page_url}
        asked = [q for q in rep.requests() if q.host in spec.hosts]
        from_articles = [q for q in asked if q.referer in pages]    # files found on report pages
        assert len(asked) - len(from_articles) == found["requests"]["total"]


@pytest.mark.parametrize("family", ["trs", "hanweb", "zj_annual"])
def test_a_written_profile_crawls_the_same_reports(family: str, tmp_path: Path):
    with ReplicaServer(seed=0, delays=0, generated=1) as rep:
        spec = _site(rep, family)
        h1, h2 = tmp_path / "profiled", tmp_path / "generic"
        r = run_cli("crawl", "--discover", spec.home_url, "--write-profile", "found",
                    "--delay", "0", "--home", str(h1), *_resolve(rep))
        assert r.returncode == 0, r.stderr
        written = h1 / "sites" / "found.toml"
        assert f"profile written: {written}" in r.stdout
        profile = profile_from_dict(tomllib.loads(written.read_text(encoding="utf-8")), str(written))
        assert profile.name == "found" and profile.verified == "unverified"
        assert profile.title == spec.name and profile.level in ("county", "district", "city")
        assert profile.family in (family, "generic") and not profile.option("start")
        assert profile.attachments.domains == ("gov.cn",)
        assert len(profile.entries) == (2 if family == "zj_annual" else 1)
        by_profile = run_cli("crawl", "--site", "found", "--delay", "0", "--json", "--no-index",
                             "--home", str(h1), *_resolve(rep))
        generic = run_cli("crawl", spec.home_url, "--delay", "0", "--json", "--no-index",
                          "--home", str(h2), *_resolve(rep))
        assert by_profile.returncode == 0 and generic.returncode == 0, by_profile.stderr + generic.stderr
        stored = []
        for home, site in ((h1, "found"), (h2, urlsplit(spec.home_url).hostname)):
            with sqlite3.connect(home / "catalog.sqlite") as c:
                stored.append({u for (u,) in c.execute(
                    "SELECT s.url FROM reports r JOIN sources s ON s.document_id = r.document_id "
                    "WHERE s.site = ?", (site,))})
        assert stored[0] == stored[1] and stored[0]
        assert {r.primary_url for r in rep.truth.expected(spec.id)} <= stored[0]
        assert json.loads(by_profile.stdout)["reports_in_archive"] == \
            json.loads(generic.stdout)["reports_in_archive"] == len(rep.truth.expected(spec.id))


def test_write_profile_wants_one_url_and_a_name(tmp_path: Path):
    r = run_cli("crawl", "--write-profile", "x", "http://www.a.gov.cn/", "http://www.b.gov.cn/",
                "--home", str(tmp_path / "h"))
    assert r.returncode != 0 and "exactly one URL" in r.stderr
    r = run_cli("crawl", "--write-profile", "Bad Name", "http://www.a.gov.cn/", "--home", str(tmp_path / "h"))
    assert r.returncode != 0 and "profile name" in r.stderr
