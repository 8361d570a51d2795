"""Generic discovery: a column without a profile, 下一页 and numbered pages, same host only."""
from __future__ import annotations

from scraper.discovery.base import Page, PageRequest, normalize_date
from scraper.discovery.generic import read_article, read_list
from scraper.profiles import adhoc_profile

COLUMN = "http://www.some.gov.cn/xxgk/gknb/index.html"

PAGE = """<html><body>
<div class="menu"><a href="/">首页</a><a href="/xxgk/">政务公开</a></div>
<table><tr><td><a href="/xxgk/gknb/2023/0301/123.html">某县2022年政府信息公开工作年度报告</a></td><td>2023年3月1日</td></tr>
<tr><td><a href="http://mirror.example.com/copy.html">某县2021年政府信息公开工作年度报告</a></td><td>2022-03-01</td></tr>
<tr><td><a href="/xxgk/gknb/2022/notice.html">政府信息公开指南</a></td><td>2022-01-05</td></tr></table>
<div class="pages"><a href="index.html">1</a> <a href="index_2.html">2</a> <a href="index_3.html">[3]</a>
<a href="index_2.html">下一页</a> <a href="/other/index_9.html">9</a> <a href="javascript:void(0)">尾页</a></div>
</body></html>"""


def test_links_stay_on_the_host_and_keep_their_list_dates():
    listing = read_list(Page(COLUMN, PAGE), adhoc_profile(COLUMN), PageRequest(COLUMN))
    titles = {l.title: l for l in listing.links}
    assert "某县2022年政府信息公开工作年度报告" in titles
    assert titles["某县2022年政府信息公开工作年度报告"].date == "2023-03-01"
    assert all("mirror.example.com" not in l.url for l in listing.links)
    assert [l.position for l in listing.links] == list(range(1, len(listing.links) + 1))


def test_next_and_numbered_pages_under_the_column_folder():
    listing = read_list(Page(COLUMN, PAGE), adhoc_profile(COLUMN), PageRequest(COLUMN))
    urls = sorted({r.url for r in listing.next_pages})
    assert urls == ["http://www.some.gov.cn/xxgk/gknb/index_2.html",
                    "http://www.some.gov.cn/xxgk/gknb/index_3.html"]


def test_article_file_links():
    page = '<p><a href="files/report.pdf">年报全文</a> <a href="/x.docx">附件</a> <a href="/a.html">别的</a></p>'
    links = read_article(Page("http://www.some.gov.cn/xxgk/gknb/2023/0301/123.html", page),
                         adhoc_profile(COLUMN))
    assert [l.url for l in links] == ["http://www.some.gov.cn/xxgk/gknb/2023/0301/files/report.pdf",
                                      "http://www.some.gov.cn/x.docx"]


def test_normalize_date_shapes():
    assert normalize_date("发布时间:2017/2/23") == "2017-02-23"
    assert normalize_date("[2026-09-12]") == "2026-09-12"
    assert normalize_date("2015-10-15 10:06:36") == "2015-10-15"
    assert normalize_date("2023年1月9日") == "2023-01-09"
    assert normalize_date("2023-13-40") is None and normalize_date(None) is None
