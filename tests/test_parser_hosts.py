"""parser.hosts: the division a gov.cn host belongs to, checked on the real corpus's own URLs, and
its use by the parser where a report's text names no place of its own."""
from __future__ import annotations

import json

import pytest

from parser import parse
from parser.hosts import gov_host, host_places
from parser.regions import full_name
from tests.real_corpus import REAL


def _codes(url: str, year: int | None = None) -> tuple[str, ...] | None:
    found = host_places(url, year)
    return found.codes if found else None


@pytest.mark.parametrize("url, codes", [
    ("http://www.tianmen.gov.cn/zwgk/zfxxgkgz/zfxxgknb/", ("429006",)),         # a county-level city's pinyin
    ("http://qionghai.hainan.gov.cn/zfxxgkzl/xz/yjz/gknb/", ("469002",)),       # inside its province's label
    ("https://xxgk.shbsq.gov.cn/article.html?infoid=d1ad", ("310113",)),        # 上海 + 宝山区's initials
    ("http://www.tjhq.gov.cn/zwgk/", ("120106",)),                              # 天津 + 红桥
    ("https://sycyy.yinchuan.gov.cn/zwgk/", ("640100",)),                       # a park's label names nothing
    ("http://www.dayao.gov.cn/info/", ("532326",)),
    ("https://fgw.henan.gov.cn/", ("410000",)),       # a province's portal, not 河南蒙古族自治县
    ("https://www.hebei.gov.cn/", ("130000",)),       # not 天津's 河北区
    ("http://www.gsgz.gov.cn/gzzfxxgk/", ("620702", "620922")),                 # 甘州区 or 瓜州县: both
    ("https://www.bzqc.gov.cn/XxgkAnnualReport/show/6477.html", ("341602",)),   # 亳州 + 谯城区, initials
    ("http://www.sgwjq.gov.cn/zwgk/", ("440203",)),                             # 韶关 + 武江区 + 区
    ("https://www.bjdch.gov.cn/zfxxgkzl/", ("110101",)),                        # 北京 + 东城 as d-ch
    ("http://www.fzja.gov.cn/xjwz/", ("350111",)),                              # 福州 + 晋安
    ("http://shunhequ.gov.cn/zwgk/", ("410203",)),                              # 顺河回族区: 顺河 + 区
])
def test_host_places(url, codes):
    assert _codes(url, 2024) == codes


@pytest.mark.parametrize("url", [
    "http://www.moe.gov.cn/srcsite/A01/",            # a ministry: no place in its labels
    "https://tjmarcaurele.com/swj/hksswj/zfxxgknb/",  # a mirror: any host could claim anything
    "http://101.230.193.164/article.html?infoid=e1",
    "file:///home/user/reports/2020.pdf",
    "http://tianmen.gov.cn.example.com/",             # gov.cn inside another domain
    "not a url", "", None,
])
def test_no_place_from_other_hosts(url):
    assert host_places(url) is None


def test_gov_host():
    assert gov_host("HTTP://WWW.Tianmen.GOV.CN:8080/a") == "www.tianmen.gov.cn"
    assert gov_host("http://gov.cn/") is None
    assert gov_host("http://[::1/") is None


def test_the_real_corpus_hosts_never_contradict_their_labels():
    """Every real document fetched from a gov.cn host whose labels name one division: that division is
    the labelled region, a place above it, or — a document a place below republished (河南省's notice on
    顺河回族区's shunhequ.gov.cn) — a place inside it; never a place elsewhere. A central body's report
    on a local site (交通运输部's on jtj.cq.gov.cn) names its body, as the republished ones name their
    place: the host is only read where the text settles none."""
    placed = 0
    for label_file in sorted(REAL.glob("*.json")):
        label = json.loads(label_file.read_text(encoding="utf-8"))
        meta = label.get("meta") or {}
        found = host_places((label.get("source") or {}).get("url"), meta.get("year"))
        if found is None or len(found.codes) != 1 or not meta.get("region") or meta["region"] == "全国":
            continue
        name = full_name(found.codes[0], meta.get("year"))
        # an area outside GB/T 2260 is written under its city, even where its host is its district's
        # (五华科技产业园 on kmwh.gov.cn: 昆明 + 五华区)
        city = full_name(found.codes[0][:4] + "00", meta.get("year")) or name
        assert meta["region"].startswith(name) or name.startswith(meta["region"]) \
            or (meta.get("region_code") is None and meta["region"].startswith(city)), (label_file.name, found, meta["region"])
        placed += 1
    assert placed >= 145


def _real(stem: str) -> tuple[bytes, dict]:
    label = json.loads((REAL / f"{stem}.json").read_text(encoding="utf-8"))
    return (REAL / label["file"]).read_bytes(), label


@pytest.mark.parametrize("stem, region", [
    ("neimenggu-tongliao-office-2022", "内蒙古自治区通辽市"),         # names no place: the host's
    ("hubei-tianmen-hushi-2019", "湖北省天门市胡市镇"),               # 胡市镇 is also 泸州's: the host settles it
    ("shanghai-baoshan-youyilu-2025", "上海市宝山区友谊路街道"),      # a street's report, the host's district
    ("ningxia-yinchuan-sycyy-2025", "宁夏回族自治区银川市苏银产业园"),  # an area under the host's city
    # "我区" on a 县's host: the area named after the county, not the county
    ("hubei-laifeng-kfq-2018", "湖北省恩施土家族苗族自治州来凤县来凤经济开发区"),
])
def test_parse_reads_the_region_with_the_host(stem, region):
    data, label = _real(stem)
    record = parse(data, "text/plain", label["source"]["url"])
    assert record.region == region == label["meta"]["region"]
    found = [f for f in record.findings if f.rule == "metadata.region_from_host"]
    assert len(found) == 1 and found[0].severity == "info" and found[0].values["host"] in label["source"]["url"]
    # the same text from a file, or from a host that is not a government's: no place at all
    for url in (None, "https://mirror.example.com/a.html"):
        other = parse(data, "text/plain", url)
        assert other.region is None and other.region_code is None
        assert not [f for f in other.findings if f.rule == "metadata.region_from_host"]


def test_the_text_beats_the_host():
    """A report that names its place keeps it, wherever it was found (a county's report on its city's
    portal, a central body's on a local site)."""
    data, label = _real("central-mot-2015")
    assert host_places(label["source"]["url"]) is not None       # jtj.cq.gov.cn: 重庆市
    record = parse(data, "text/plain", label["source"]["url"])
    assert record.region == "全国"
    assert not [f for f in record.findings if f.rule == "metadata.region_from_host"]


def test_the_pinyin_table_covers_every_division():
    """``pinyin.tsv`` is written from ``divisions.csv`` (build_pinyin.py): one line per name, both ways."""
    import csv

    from parser.regions import DATA_DIR

    with open(DATA_DIR / "divisions.csv", encoding="utf-8", newline="") as f:
        divisions = {(r["code"], r["name"]) for r in csv.DictReader(f)}
    with open(DATA_DIR / "pinyin.tsv", encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    assert {(code, name) for code, name, *_ in rows} == divisions
    assert all(len(r) == 4 and r[2] and all(x.replace(" ", "").isascii() for x in r[2].split("|")) for r in rows)


def test_a_town_on_its_countys_host_still_speaks_for_itself():
    """The host's county is where the report is filed, not the level it speaks as: a town's "我镇…主动公开
    信息568条" stays the town's own figure (tests/data/real/anhui-bengbu-town-2016)."""
    data, label = _real("anhui-bengbu-town-2016")
    record = parse(data, "text/plain", label["source"]["url"])
    assert record.metrics["proactive.items"] == 568 and record.metrics["applications.new.total"] == 0
