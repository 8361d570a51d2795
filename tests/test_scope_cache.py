"""The hosts each site profile speaks for, kept between processes (archive.scope_cache): served only while
no profile file and no reading rule changed, and a damaged or missing cache is no cache."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

PROFILE = '''name = "xinqu"
title = "某某市新区管委会"
region = "浙江省杭州市余杭区"
region_code = "330110"
level = "district"
family = "generic"
hosts = ["www.xinqu-example.gov.cn"]

[[entry]]
url = "http://www.xinqu-example.gov.cn/xxgk/ndbg/index.html"
'''

_PROBE = ("import json, sys\n"
          "from archive import provenance\n"
          "scopes = provenance._scopes_for(sys.argv[1])\n"
          "print(json.dumps({'scopes': {h: sorted([s.site, s.region, s.region_code, s.agency] for s in ss)\n"
          "                             for h, ss in scopes.items()},\n"
          "                  'loader': 'scraper.profiles.loader' in sys.modules}))\n")


def _scopes_in_a_new_process(home: Path, cache: str) -> tuple[dict, bool]:
    env = {**os.environ, "XXGK_CACHE_DIR": cache}
    r = subprocess.run([sys.executable, "-c", _PROBE, str(home)], capture_output=True, text=True, cwd=REPO, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    return out["scopes"], out["loader"]


def test_a_second_process_reads_the_scopes_without_the_profile_loader(tmp_path: Path):
    cache, home = tmp_path / "cache", tmp_path / "home"
    home.mkdir()
    computed, loaded = _scopes_in_a_new_process(home, str(cache))
    assert loaded and (cache / "site-scopes.json").is_file()
    kept, loaded_again = _scopes_in_a_new_process(home, str(cache))
    assert kept == computed and not loaded_again
    assert "www.yuhang.gov.cn" in kept
    off, loaded_off = _scopes_in_a_new_process(home, "off")
    assert off == computed and loaded_off


def test_a_profile_added_to_the_home_is_seen_at_once(tmp_path: Path):
    cache, home = tmp_path / "cache", tmp_path / "home"
    (home / "sites").mkdir(parents=True)
    before, _ = _scopes_in_a_new_process(home, str(cache))
    assert "www.xinqu-example.gov.cn" not in before
    (home / "sites" / "xinqu.toml").write_text(PROFILE, encoding="utf-8")
    after, loaded = _scopes_in_a_new_process(home, str(cache))
    assert loaded and after["www.xinqu-example.gov.cn"] == [["xinqu", "浙江省杭州市余杭区", "330110", None]]
    # another home keeps its own answer beside it
    other, loaded_other = _scopes_in_a_new_process(tmp_path / "other", str(cache))
    assert other == before and not loaded_other


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 99, "entries": {}}', b'[1, 2]',
                                    b'{"format": 1, "entries": {"KEY": {"h": [["too", "few"]]}}}'])
def test_a_damaged_cache_is_no_cache(tmp_path: Path, damage: bytes):
    cache, home = tmp_path / "cache", tmp_path / "home"
    home.mkdir()
    good, _ = _scopes_in_a_new_process(home, str(cache))
    path = cache / "site-scopes.json"
    if b"KEY" in damage:  # rows of the wrong shape under the right key
        key = next(iter(json.loads(path.read_text("utf-8"))["entries"]))
        damage = damage.replace(b"KEY", key.encode())
    path.write_bytes(damage)
    again, loaded = _scopes_in_a_new_process(home, str(cache))
    assert again == good and loaded
    assert _scopes_in_a_new_process(home, str(cache)) == (good, False)  # written back whole


def test_an_unwritable_cache_folder_only_costs_the_computing(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    home = tmp_path / "home"
    home.mkdir()
    scopes, loaded = _scopes_in_a_new_process(home, str(blocker / "cache"))
    assert loaded and "www.yuhang.gov.cn" in scopes
