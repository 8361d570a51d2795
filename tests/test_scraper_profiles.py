"""Site profiles: every shipped profile loads and passes its checks; bad ones fail loudly."""
from __future__ import annotations

import re

import pytest

from scraper.errors import ProfileError
from scraper.profiles import adhoc_profile, builtin_profiles, load_profile, parse_years, profile_from_dict

MINIMAL = {
    "name": "demo-site", "title": "某区人民政府", "region": "浙江省杭州市某区", "level": "district",
    "family": "trs", "hosts": ["www.demo.gov.cn"],
    "entry": [{"url": "https://www.demo.gov.cn/zfxxgknb/index.html"}],
}


def with_(**changes):
    data = {**MINIMAL, **changes}
    return profile_from_dict(data, "test")


def test_every_shipped_profile_loads_with_its_entries_on_its_hosts():
    profiles = builtin_profiles()
    assert len(profiles) >= 6
    for p in profiles.values():
        assert p.hosts and p.entries, p.name
        for entry in p.entries:
            for url in entry.urls(2019, 2020):
                assert p.in_scope(url), (p.name, url)
        assert p.request.delay >= 1.0, f"{p.name}: real sites need a delay of at least 1 s"
        assert p.verified, p.name


def test_minimal_profile_defaults():
    p = with_()
    assert p.family == "trs" and p.encoding == "auto"
    assert p.request.delay == 1.0 and p.request.concurrency == 1
    assert p.filter.year_from == 2008
    assert p.in_scope("https://WWW.demo.gov.cn/a/b.html")
    assert not p.in_scope("https://mirror.example.com/a/b.html")


@pytest.mark.parametrize("changes, message", [
    ({"hosts": ["https://www.demo.gov.cn/"]}, "not a host name"),
    ({"entry": [{"url": "https://elsewhere.gov.cn/index.html"}]}, "not in hosts"),
    ({"entry": [{"url": "ftp://www.demo.gov.cn/x"}]}, "not an http"),
    ({"family": "nosuchcms"}, "unknown CMS family"),
    ({"level": "galaxy"}, "level"),
    ({"list": {"item": "li[[["}}, "bad CSS selector"),
    ({"filter": {"include": ["(unclosed"]}}, "bad regex"),
    ({"request": {"obey_robots": False}}, "cannot change robots"),
    ({"robots": "ignore"}, "cannot change robots"),
    ({"colour": "red"}, "unknown key"),
    ({"options": {"webid": "1"}}, "unknown key"),            # a Hanweb option on a TRS site
    ({"region_code": "33"}, "6-digit"),
    ({"encoding": "klingon"}, "unknown codec"),
])
def test_bad_profiles_are_refused_with_the_reason(changes, message):
    with pytest.raises(ProfileError, match=re.escape(message)):
        with_(**changes)


def test_all_problems_are_reported_at_once():
    with pytest.raises(ProfileError) as info:
        with_(hosts=["bad host"], level="x", list={"item": "li[["})
    text = str(info.value)
    assert "host name" in text and "level" in text and "selector" in text


def test_year_templated_entries_expand_newest_first_within_both_ranges():
    p = with_(entry=[{"url": "https://www.demo.gov.cn/gknb{year}/", "years": "2016-"}])
    assert p.entries[0].urls(2010, 2018) == [
        "https://www.demo.gov.cn/gknb2018/", "https://www.demo.gov.cn/gknb2017/",
        "https://www.demo.gov.cn/gknb2016/"]


def test_filter_table_extends_defaults_and_switches_variants():
    p = with_(filter={"exclude_extra": ["草稿"], "skip_variants": ["图解"], "years": "2015-2020"})
    assert "草稿" in p.filter.exclude and "通\\s*知" in p.filter.exclude
    assert not next(v for v in p.filter.variants if v.tag == "图解").keep
    assert (p.filter.year_from, p.filter.year_to) == (2015, 2020)


def test_family_options_are_typed():
    p = with_(family="hanweb", options={"webid": "3095", "perpage": 15})
    assert p.option("webid") == "3095" and p.option("perpage") == 15
    with pytest.raises(ProfileError, match="expected int"):
        with_(family="hanweb", options={"perpage": "fifteen"})


def test_load_profile_from_file_and_bad_toml(tmp_path):
    good = tmp_path / "x.toml"
    good.write_text('name = "x"\ntitle = "X"\nregion = "R"\nlevel = "city"\nfamily = "generic"\n'
                    'hosts = ["x.gov.cn"]\n[[entry]]\nurl = "http://x.gov.cn/"\n', encoding="utf-8")
    assert load_profile(good).name == "x"
    bad = tmp_path / "bad.toml"
    bad.write_text("name = ", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)


def test_parse_years_and_adhoc_profile():
    assert parse_years("2008-") == (2008, None)
    assert parse_years("2015-2023") == (2015, 2023)
    assert parse_years("2017") == (2017, 2017)
    with pytest.raises(ValueError):
        parse_years("2020-2010")
    p = adhoc_profile("https://www.some.gov.cn/col/gknb/index.html")
    assert p.family == "generic" and p.hosts == ("www.some.gov.cn",)
    with pytest.raises(ProfileError):
        adhoc_profile("not a url")


def test_unit_templates_expand_per_unit_and_year():
    p = with_(entry=[{"url": "https://www.demo.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area={unit}&fbtime={year}",
                      "units": ["002510696", "741033213"], "years": "2021-"}])
    assert p.entries[0].urls(None, 2022) == [
        "https://www.demo.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=002510696&fbtime=2022",
        "https://www.demo.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=741033213&fbtime=2022",
        "https://www.demo.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=002510696&fbtime=2021",
        "https://www.demo.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=741033213&fbtime=2021"]
    with pytest.raises(ProfileError, match="needs units"):
        with_(entry=[{"url": "https://www.demo.gov.cn/x?area={unit}"}])
    with pytest.raises(ProfileError, match="may be templated"):
        with_(entry=[{"url": "https://www.demo.gov.cn/{page}/"}])
