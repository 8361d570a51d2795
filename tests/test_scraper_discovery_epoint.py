"""Epoint (新点) discovery on a category list shaped like 黄浦's old site (sites.md §1.5)."""
from __future__ import annotations

from scraper.discovery.base import Page, PageRequest
from scraper.discovery.epoint import page_total, read_article, read_list, with_page
from scraper.profiles import profile_from_dict

COLUMN = "http://hpq.sh.gov.cn/shhp/ShowInfo/MoreInfo.aspx?CategoryNum=031003003001"
UUID = "d5c1f1e4-3b0a-4c3e-9f7e-2f6f2a9d8b11"


def profile(**extra):
    return profile_from_dict({
        "name": "e", "title": "E", "region": "上海市黄浦区", "level": "district", "family": "epoint",
        "hosts": ["hpq.sh.gov.cn"], "entry": [{"url": COLUMN}], **extra}, "test")


LIST = f"""<html><body><div class="ewb-column"><ul class="ewb-list">
<li class="ewb-list-node clearfix"><a href="/shhp/InfoDetail/?InfoID={UUID}&amp;CategoryNum=031003003001"
 title="上海市黄浦区2016年政府信息公开工作年度报告" class="ewb-list-name">上海市黄浦区2016年政府信息…</a>
 <span class="ewb-list-date">2017-02-23</span></li>
<li class="ewb-list-node clearfix"><a href="/shhp/InfoDetail/?InfoID=00000000-0000-0000-0000-000000000001&amp;CategoryNum=031001001"
 title="黄浦区2016年政府信息公开工作年度报告（其他栏目）">其他栏目</a><span class="ewb-list-date">2017-02-20</span></li>
<li class="ewb-list-node clearfix"><a href="/shhp/zwgk/index.html">政务公开</a></li>
</ul><div id="Paging"></div><script>var totalPageNums = 3; var currentPageIndex = 1;</script></div></body></html>"""


def test_rows_with_the_uuid_links_and_dates():
    listing = read_list(Page(COLUMN, LIST), profile(), PageRequest(COLUMN))
    assert len(listing.links) == 2
    first = listing.links[0]
    assert first.url == f"http://hpq.sh.gov.cn/shhp/InfoDetail/?InfoID={UUID}&CategoryNum=031003003001"
    assert (first.title, first.date, first.position) == ("上海市黄浦区2016年政府信息公开工作年度报告", "2017-02-23", 1)
    only = read_list(Page(COLUMN, LIST), profile(options={"category": "031003003001"}), PageRequest(COLUMN))
    assert [l.url for l in only.links] == [first.url]


def test_pages_from_total_page_nums():
    listing = read_list(Page(COLUMN, LIST), profile(), PageRequest(COLUMN))
    assert [(r.url, r.page_no) for r in listing.next_pages] == [
        (COLUMN + "&pageing=2", 2), (COLUMN + "&pageing=3", 3)]
    second = COLUMN + "&pageing=2"
    assert read_list(Page(second, LIST), profile(), PageRequest(second, page_no=2)).next_pages == []
    assert page_total("<html></html>") is None


def test_with_page_replaces_or_appends_the_parameter():
    assert with_page("http://h/a?x=1&pageing=4", 2) == "http://h/a?x=1&pageing=2"
    assert with_page("http://h/moreinfo.html", 5, "pageIndex") == "http://h/moreinfo.html?pageIndex=5"


def test_article_attachments():
    page = Page(f"http://hpq.sh.gov.cn/shhp/InfoDetail/?InfoID={UUID}&CategoryNum=031003003001",
                '<div id="mainContent"><a href="/shhp/AttachStorage/201702/abc.pdf">年报（超链版）.pdf</a></div>')
    assert [l.url for l in read_article(page, profile())] == ["http://hpq.sh.gov.cn/shhp/AttachStorage/201702/abc.pdf"]
