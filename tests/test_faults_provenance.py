"""Trust by provenance, with real crawls of loopback hosts: a page on another host claiming
余杭区 2017 (更正) never displaces the report from www.yuhang.gov.cn; `check` flags its claim;
copies that disagree are a finding with the value kept and why; a local file imported later does
not displace the official URL as the source of record."""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from archive.provenance import COPY, LOCAL, OFFICIAL, Claim, classify, host_scopes  # noqa: E402
from conftest import XXGK, run_cli  # noqa: E402
from fixtures.fault_sites import OFFICIAL_TEXT, SPOOF_HOST, YUHANG_HOST, SpoofSites, crawl_args, serve  # noqa: E402



@pytest.fixture(scope="module")
def port():
    with serve(SpoofSites) as p:
        yield p


def _crawl(home: Path, port: int, *hosts: str) -> None:
    r = run_cli(*crawl_args(XXGK, home, port, *hosts)[1:])
    assert r.returncode == 0, r.stderr


def _compare_new_requests(home: Path) -> tuple[str, str]:
    r = run_cli("compare", "--region", "余杭", "--metrics", "applications.new.total", "--headers", "keys",
                "--format", "csv", "--home", str(home))
    assert r.returncode == 0, r.stderr
    row = r.stdout.splitlines()[1].split(",")
    header = r.stdout.splitlines()[0].split(",")
    return row[header.index("applications.new.total")], r.stderr


@pytest.mark.parametrize("order", [(SPOOF_HOST, YUHANG_HOST), (YUHANG_HOST, SPOOF_HOST)])
def test_the_spoofed_correction_does_not_displace_the_official_report(tmp_path: Path, port: int, order):
    home = tmp_path / "home"
    for host in order:  # the spoof first, then the official site; and the other way round
        _crawl(home, port, host)
    conn = sqlite3.connect(home / "catalog.sqlite")
    ids = dict(conn.execute("SELECT url, id FROM reports"))
    official = next(i for u, i in ids.items() if YUHANG_HOST in u)
    spoof = next(i for u, i in ids.items() if SPOOF_HOST in u)
    # xxgk reports: one report, the official one, standing for both copies
    rows = json.loads(run_cli("reports", "--json", "--home", str(home)).stdout)
    assert [(r["id"], r["copies"]) for r in rows] == [(official, 2)]
    # compare keeps the official 1,984 (not 91,984) and says why
    value, note = _compare_new_requests(home)
    assert value == "1984"
    assert f"kept report {official}" in note and "official source (www.yuhang.gov.cn" in note and "91984" in note
    # check flags the claim of the spoof, and the disagreement
    found = json.loads(run_cli("check", "--json", "--home", str(home)).stdout)["findings"]
    rules = {f["rule"]: f for f in found}
    assert SPOOF_HOST in rules["provenance.host_mismatch"]["message"]
    assert "claims 浙江省杭州市余杭区" in rules["provenance.host_mismatch"]["message"]
    assert "applications.new.total kept 1984" in rules["duplicate.conflict"]["message"]
    # search shows the official copy, "also at" the spoof
    hits = json.loads(run_cli("search", "依申请公开", "--home", str(home), "--json").stdout)
    assert [h["report_id"] for h in hits["hits"]] == [official]
    # show says which copy counts and why
    shown = run_cli("show", str(spoof), "--home", str(home)).stdout
    assert f"report {official} counts instead of this one" in shown and "third-party copy" in shown


def test_a_local_import_never_displaces_the_official_source(tmp_path: Path, port: int):
    home = tmp_path / "home"
    _crawl(home, port, YUHANG_HOST)
    same = tmp_path / "local" / "yuhang.txt"
    same.parent.mkdir()
    same.write_text(OFFICIAL_TEXT, encoding="utf-8")  # the same bytes, imported later
    other = tmp_path / "local" / "yuhang-typo.txt"
    other.write_text(OFFICIAL_TEXT.replace("收到政府信息公开申请1984件", "收到政府信息公开申请1948件"), encoding="utf-8")
    assert run_cli("import", str(same.parent), "--home", str(home)).returncode == 0
    assert run_cli("reparse", "--all", "--home", str(home)).returncode == 0  # the import's path is no URL of record
    conn = sqlite3.connect(home / "catalog.sqlite")
    urls = sorted(u for (u,) in conn.execute("SELECT url FROM reports"))
    assert urls[0].startswith("file://") and urls[1] == f"http://{YUHANG_HOST}/art/2017.txt", urls
    value, note = _compare_new_requests(home)
    assert value == "1984" and "over local import" in note
    found = json.loads(run_cli("check", "--json", "--home", str(home)).stdout)["findings"]
    assert any(f["rule"] == "duplicate.conflict" and "kept 1984" in f["message"] and "1948" in f["message"]
               for f in found)


def test_the_rule_itself():
    from scraper.profiles import builtin_profiles

    scopes = host_scopes(builtin_profiles().values())
    yuhang = Claim("浙江省杭州市余杭区", "330110", None)

    def trust(url: str, claim: Claim = yuhang) -> tuple[int, str | None]:
        p = classify(claim, [{"kind": "crawl", "url": url, "final_url": None}], scopes)
        return p.trust, p.mismatch

    assert trust("http://www.yuhang.gov.cn/a")[0] == OFFICIAL
    assert trust("http://tjj.yuhang.gov.cn/a")[0] == OFFICIAL  # its government's gov.cn domain
    assert trust("http://www.hangzhou.gov.cn/a") == (COPY, None)  # the parent portal: a copy, rightly there
    assert "a host of 江苏省南京市" in trust("http://www.nanjing.gov.cn/a")[1]
    assert "whose official hosts are www.yuhang.gov.cn" in trust("http://evil.example.com/a")[1]
    mwr = Claim("全国", None, "水利部")
    assert trust("http://zwgk.mwr.gov.cn/a", mwr)[0] == OFFICIAL
    assert trust("http://www.mohrss.gov.cn/a", mwr)[0] == COPY  # a ministry's site speaks for itself only
    local = classify(yuhang, [{"kind": "import", "url": "file:///x", "final_url": None}], scopes)
    assert local.trust == LOCAL
