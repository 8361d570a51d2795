"""Profile checks: offline on every shipped profile, live against the loopback replica."""
from __future__ import annotations

import socket
from dataclasses import replace

import pytest

from replica import ReplicaServer
from scraper.fetcher import Fetcher
from scraper.profiles import Entry, builtin_profiles, sites_dir
from scraper.profiles.check import check_files, probe_profile, probe_profiles
from scraper.settings import FetchSettings

QUICK = FetchSettings(delay=0, max_retries=0, timeout=5)


def test_every_shipped_profile_passes_the_offline_check():
    results = check_files([sites_dir()])
    assert len(results) >= 20
    assert [(r.file, r.problems) for r in results if not r.ok] == []
    levels = {r.profile.level for r in results}
    assert {"central", "province", "city", "district", "county", "department"} <= levels


def test_a_bad_file_reports_each_problem(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "Bad Name"\ntitle = "x"\nregion = "y"\nlevel = "planet"\nfamily = "jpaas"\n'
                   'hosts = ["https://www.x.gov.cn/"]\n[[entry]]\nurl = "ftp://www.x.gov.cn/a"\n'
                   '[list]\nitem = "li[["\n[options]\nnope = 1\n', encoding="utf-8")
    (tmp_path / "broken.toml").write_text("name = ", encoding="utf-8")
    results = {r.file.rsplit("/", 1)[1]: r for r in check_files([tmp_path])}
    problems = " | ".join(results["bad.toml"].problems)
    for word in ("name", "level", "hosts", "entry[0].url", "CSS selector", "options.nope"):
        assert word in problems, word
    assert not results["broken.toml"].ok and "TOML" in results["broken.toml"].problems[0]


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer(seed=0, delays=0) as rep:
        yield rep


def _fetcher(rep) -> Fetcher:
    return Fetcher(QUICK, resolve=rep.info.resolve)


def test_live_probe_of_every_replica_profile(replica):
    known = builtin_profiles()
    expected = {"nanjing-sfj": "robots", "hubei-wlt": "blocked"}
    with _fetcher(replica) as fetcher:
        for site in replica.info.sites:
            if site not in known:
                continue
            probe = probe_profile(known[site], fetcher, year=2024)
            statuses = {e.status for e in probe.entries}
            assert statuses == {expected.get(site, "ok")}, (site, probe.entries)
            if site not in expected:
                assert probe.ok and all(e.links > 0 for e in probe.entries), (site, probe.entries)


def test_what_changed_is_reported(replica):
    yuhang = builtin_profiles()["yuhang"]
    moved = replace(yuhang, entries=(Entry("http://xxgk.yuhang.gov.cn/col/col1229179150/index.html"),))
    empty = replace(builtin_profiles()["nanjing"], entries=(Entry("http://www.nanjing.gov.cn/"),))
    gone = replace(builtin_profiles()["jiangning"],
                   entries=(Entry("http://www.jiangning.gov.cn/jnqrmzf/xxgkzl/old/index.html"),))
    with _fetcher(replica) as fetcher:
        (m,) = probe_profile(moved, fetcher).entries
        assert m.status == "moved" and m.final_url.startswith("http://www.yuhang.gov.cn/") and m.links
        (e,) = probe_profile(empty, fetcher).entries
        assert e.status == "empty" and "changed" in e.detail
        (g,) = probe_profile(gone, fetcher).entries
        assert (g.status, g.http_status) == ("http_error", 404)


def test_unreachable_sites_are_reported_cleanly():
    with socket.socket() as s:   # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    profiles = builtin_profiles()
    resolve = {h: f"127.0.0.1:{port}" for p in profiles.values() for h in p.hosts}
    resolve |= {f"https://{h}": f"127.0.0.1:{port}" for p in profiles.values() for h in p.hosts}
    with Fetcher(QUICK, resolve=resolve) as fetcher:
        for name in ("shanghai", "mohrss", "pinghu"):
            probe = probe_profile(profiles[name], fetcher, year=2024)
            assert probe.entries and {e.status for e in probe.entries} == {"unreachable"}
            assert not probe.ok and probe.to_dict()["entries"][0]["detail"]


def test_the_sites_readme_lists_every_profile_with_its_verification():
    text = (sites_dir() / "README.md").read_text(encoding="utf-8")
    assert "None of these profiles has been checked against the live site" in text
    for p in builtin_profiles().values():
        assert f"| `{p.name}` | {p.title} | {p.level} | {p.family} | {p.verified} |" in text, p.name
    assert all(p.verified in ("replica", "replica-family-only") for p in builtin_profiles().values())


def test_profiles_sharing_an_unreachable_host_are_all_unreachable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"127.0.0.1:{s.getsockname()[1]}"
    known = builtin_profiles()
    pair = [known["taizhou"], known["taizhou-js"]]   # both on www.taizhou.gov.cn
    resolve = {"www.taizhou.gov.cn": dead, "https://www.taizhou.gov.cn": dead}
    with Fetcher(QUICK, resolve=resolve) as fetcher:
        probes = probe_profiles(pair, fetcher, 2024)
    assert [{e.status for e in p.entries} for p in probes] == [{"unreachable"}, {"unreachable"}]
