"""Zhejiang per-unit annual-report pages (xxgkAnnualReport.jsp?area=…&fbtime=…, sites.md §1.2)."""
from __future__ import annotations

from scraper.discovery.base import Page, PageRequest
from scraper.discovery.zj_annual import entry_requests, read_article, read_list
from scraper.profiles import profile_from_dict

BASE = "http://www.pinghu.gov.cn/module/xxgk/xxgkAnnualReport.jsp"
ENTRY = BASE + "?area={unit}"


def profile(**extra):
    return profile_from_dict({
        "name": "z", "title": "Z", "region": "浙江省嘉兴市平湖市", "level": "county",
        "family": "zj_annual", "hosts": ["www.pinghu.gov.cn"],
        "entry": [{"url": ENTRY, "units": ["741033213", "002520405"]}], **extra}, "test")


PAGE = """<html><body><div class="xxgk-nb"><div class="year-tab">
<a href="/module/xxgk/xxgkAnnualReport.jsp?area=741033213&amp;fbtime=2022" title="平湖市发展和改革局2022年度政府信息公开工作年度报告">2022年</a>
<a href="/module/xxgk/xxgkAnnualReport.jsp?area=741033213&amp;fbtime=2021">2021年</a>
<a href="/module/xxgk/xxgkAnnualReport.jsp?area=002520405&amp;fbtime=2021" title="平湖市人民政府2021年政府信息公开工作年度报告">别的单位</a>
<a href="/module/xxgk/search.jsp?area=741033213">信息公开目录</a></div>
<div class="nb-title">平湖市发展和改革局2022年度政府信息公开工作年度报告</div>
<div class="nb-time">发布时间：2023-01-16</div><div id="zoom"><p>…</p>
<a href="/module/download/downfile.jsp?classid=0&amp;filename=1a2b.pdf">附件.pdf</a></div></div></body></html>"""


def test_profile_entries_expand_per_unit():
    assert profile().entries[0].urls(None, None) == [BASE + "?area=741033213", BASE + "?area=002520405"]


def test_year_tabs_of_the_same_unit_are_report_links():
    url = BASE + "?area=741033213"
    listing = read_list(Page(url, PAGE), profile(), PageRequest(url))
    assert [(l.url, l.title) for l in listing.links] == [
        (BASE + "?area=741033213&fbtime=2022", "平湖市发展和改革局2022年度政府信息公开工作年度报告"),
        # a tab without title= takes the shown report's title with its own year
        (BASE + "?area=741033213&fbtime=2021", "平湖市发展和改革局2021年度政府信息公开工作年度报告")]
    assert listing.next_pages == [] and [l.position for l in listing.links] == [1, 2]


def test_article_attachments():
    url = BASE + "?area=741033213&fbtime=2022"
    prof = profile(attachments={"patterns": ["downfile\\.jsp"]})
    assert [l.url for l in read_article(Page(url, PAGE), prof)] == [
        "http://www.pinghu.gov.cn/module/download/downfile.jsp?classid=0&filename=1a2b.pdf"]


def test_a_per_year_entry_is_asked_for_as_the_units_page():
    prof = profile(entry=[{"url": BASE + "?area={unit}&fbtime={year}", "units": ["741033213"]}])
    urls = prof.entries[0].urls(2021, 2022)
    assert urls == [BASE + "?area=741033213&fbtime=2022", BASE + "?area=741033213&fbtime=2021"]
    assert {r.url for u in urls for r in entry_requests(prof, u)} == {BASE + "?area=741033213"}
