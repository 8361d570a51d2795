"""`xxgk crawl` and `xxgk sites` through the real console script."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from replica import ReplicaServer


def test_sites_lists_and_checks_every_shipped_profile():
    r = run_cli("sites", "--json")
    assert r.returncode == 0, r.stderr
    names = {p["name"] for p in json.loads(r.stdout)}
    assert {"yuhang", "jiangning", "nanjing", "zhejiang", "mohrss"} <= names
    r = run_cli("sites", "check")
    assert r.returncode == 0 and "FAIL" not in r.stdout, r.stdout


def test_sites_check_fails_on_a_bad_profile(tmp_path: Path):
    (tmp_path / "bad.toml").write_text('name = "bad"\ntitle = "B"\nregion = "R"\nlevel = "city"\n'
                                       'family = "trs"\nhosts = ["b.gov.cn"]\n[[entry]]\n'
                                       'url = "http://elsewhere.gov.cn/"\n', encoding="utf-8")
    r = run_cli("sites", "check", str(tmp_path), "--json")
    assert r.returncode == 1
    assert "not in hosts" in json.loads(r.stdout)[0]["problems"][0]


def test_crawl_mistakes_are_one_line_errors(tmp_path: Path):
    home = str(tmp_path / "h")
    for args, words in ((["--site", "nowhere"], "no site profile"),
                        (["--site", "mohrss", "--delay", "0"], "below the profile delay"),
                        ([], "nothing to crawl"),
                        (["--site", "yuhang", "--resolve", "bogus"], "HOST=ADDRESS:PORT")):
        r = run_cli("crawl", *args, "--home", home)
        assert r.returncode == 1 and words in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)


def test_generic_crawl_of_a_column_url_on_the_replica(tmp_path: Path):
    home = str(tmp_path / "h")
    with ReplicaServer(seed=0, delays=0.1) as rep:
        spec = next(s for s in rep.info.sites.values() if not s.profile)
        resolve = [a for h, t in rep.info.resolve.items() if spec.host in h for a in ("--resolve", f"{h}={t}")]
        r = run_cli("crawl", spec.entry_url, "--delay", "0", "--json", "--home", home, *resolve)
        assert r.returncode == 0, r.stderr
        out = json.loads(r.stdout)
        expected = [t for t in rep.truth.expected() if t.site == spec.id]
        assert out["reports_in_archive"] == len(expected) and out["sites"][spec.host]["done"]
        assert {x.host for x in rep.requests()} == {spec.host}
