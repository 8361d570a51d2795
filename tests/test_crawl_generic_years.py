"""Year templates stop at the current year: no list URL for a year that has not come yet.

A ``{year}`` column of a replica host (its query names the year; the replica answers the column
for any query) is crawled by the engine with an injected today and by the real ``xxgk crawl``
with the clock's; the replica's access log says which years were asked for.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pytest

from archive.crawl import run_crawl
from archive.home import Home
from conftest import run_cli
from replica import ReplicaServer
from scraper.engine import CrawlSettings
from scraper.profiles import Entry, profile_from_dict
from scraper.settings import FetchSettings

pytestmark = pytest.mark.slow

HOST = "renhe.yuhang.gov.cn"
TEMPLATE = f"http://{HOST}/zwgk/gknb/index.html?nd={{year}}"


def test_entry_years_end_at_the_current_year():
    entry = Entry("https://www.demo.gov.cn/gknb{year}/")
    assert entry.urls(2019, None, current_year=2021) == [
        "https://www.demo.gov.cn/gknb2021/", "https://www.demo.gov.cn/gknb2020/",
        "https://www.demo.gov.cn/gknb2019/"]
    # an explicit later --years does not reach past today either
    assert entry.urls(2020, 2030, current_year=2021)[0].endswith("gknb2021/")
    # by the clock
    assert entry.urls(None, None)[0].endswith(f"gknb{dt.date.today().year}/")
    assert len(entry.urls(None, None)) == dt.date.today().year - 2008 + 1


def _profile_toml() -> str:
    return "\n".join([
        'name = "renhe-years"', 'title = "仁和街道"', 'region = "浙江省杭州市余杭区仁和街道"',
        'level = "town"', 'family = "generic"', f'hosts = ["{HOST}"]',
        '[[entry]]', f'url = "{TEMPLATE}"', '[pagination]', 'kind = "none"', ""])


def _years_asked(rep: ReplicaServer) -> list[int]:
    return sorted(int(m.group(1)) for r in rep.requests(host=HOST)
                  if (m := re.search(r"[?&]nd=(\d{4})", r.path)))


def test_an_injected_today_bounds_the_year_columns(tmp_path: Path):
    profile = profile_from_dict(tomllib.loads(_profile_toml()))
    with ReplicaServer(seed=0, delays=0) as rep, Home.open(tmp_path / "h", create=True) as home:
        run_crawl(home, [profile],
                  CrawlSettings(delay=0, allow_fast=True, today=dt.date(2012, 6, 1), max_pages=1),
                  fetch_settings=FetchSettings(delay=0), resolve=rep.info.resolve)
        assert _years_asked(rep) == list(range(2008, 2013))


def test_a_crawl_without_years_asks_for_no_year_after_this_one(tmp_path: Path):
    home = tmp_path / "h"
    (home / "sites").mkdir(parents=True)
    (home / "sites" / "renhe-years.toml").write_text(_profile_toml(), encoding="utf-8")
    with ReplicaServer(seed=0, delays=0) as rep:
        resolve = [a for h, t in rep.info.resolve.items() if HOST in h for a in ("--resolve", f"{h}={t}")]
        r = run_cli("crawl", "--site", "renhe-years", "--delay", "0", "--json", "--no-index",
                    "--home", str(home), *resolve)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["sites"]["renhe-years"]["done"]
        this_year = dt.date.today().year
        assert _years_asked(rep) == list(range(2008, this_year + 1))
