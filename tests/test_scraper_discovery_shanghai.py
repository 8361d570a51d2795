"""Shanghai discovery on a column shaped like www.shanghai.gov.cn/nw12344/ (sites.md §1.5)."""
from __future__ import annotations

from scraper.discovery.base import Page, PageRequest
from scraper.discovery.shanghai import page_total, read_article, read_list
from scraper.profiles import profile_from_dict

COLUMN = "https://www.shanghai.gov.cn/nw12344/index.html"


def profile(**extra):
    return profile_from_dict({
        "name": "s", "title": "S", "region": "上海市", "level": "province", "family": "shanghai",
        "hosts": ["www.shanghai.gov.cn"], "entry": [{"url": COLUMN}], **extra}, "test")


LIST = """<html><body><div class="main-right"><h3>政府信息公开年报</h3>
<ul class="tadaty-list uli14 nowrapli list-date">
<li><a href="/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html" title="2023年上海市政府信息公开工作年度报告" target="_blank">2023年上海市政府信息公开工作…</a><span class="time">2024-03-29</span></li>
<li><a href="/nw12344/20200813/0001-12344_64595.html" title="2019年上海市政府信息公开工作年度报告">2019年…</a><span class="time">2020-03-27</span></li>
<li><a href="/nw2/nw2314/nw2319/nw12344/u26aw62708.html">2012年上海市政府信息公开工作年度报告</a><span class="time">2013-03-28</span></li>
<li><a href="/nw12344/index.html">首页</a></li>
</ul><div class="pagination"></div>
<script>$(function(){$(".pagination").pagination("setPage", 1, 3);});</script></div></body></html>"""


def test_rows_with_migrated_and_legacy_links():
    listing = read_list(Page(COLUMN, LIST), profile(), PageRequest(COLUMN))
    assert [l.url.split("gov.cn", 1)[1] for l in listing.links] == [
        "/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html",
        "/nw12344/20200813/0001-12344_64595.html",
        "/nw2/nw2314/nw2319/nw12344/u26aw62708.html"]
    # the list date, not the URL's migration date
    assert listing.links[1].date == "2020-03-27" and listing.links[1].title.startswith("2019年上海市")
    assert listing.links[2].title == "2012年上海市政府信息公开工作年度报告"


def test_pages_from_the_jquery_pager_only_on_the_first_page():
    listing = read_list(Page(COLUMN, LIST), profile(), PageRequest(COLUMN))
    assert [(r.url, r.page_no) for r in listing.next_pages] == [
        ("https://www.shanghai.gov.cn/nw12344/index_2.html", 2),
        ("https://www.shanghai.gov.cn/nw12344/index_3.html", 3)]
    later = "https://www.shanghai.gov.cn/nw12344/index_2.html"
    assert read_list(Page(later, LIST), profile(), PageRequest(later, page_no=2)).next_pages == []
    assert read_list(Page(COLUMN, LIST), profile(pagination={"kind": "none"}), PageRequest(COLUMN)).next_pages == []


def test_page_total_variants():
    assert page_total('$(".pagination").pagination("setPage", 2, 17)') == 17
    assert page_total("var opts = {totalPage: 6, current: 1}") == 6
    assert page_total("<html>no pager</html>") is None


def test_a_bureau_list_with_shtml_pages_and_t_links():
    url = "https://rsj.sh.gov.cn/txxgknb_17198/index.shtml"
    page = ('<ul class="uli14 list-date"><li><a href="/txxgknb_17198/20200617/t0035_1372757.html">'
            "上海市人力资源和社会保障局2005年政府信息公开工作年度报告</a><span class='time'>2020-06-17</span></li></ul>"
            "<script>totalPage: 2</script>")
    prof = profile_from_dict({"name": "r", "title": "R", "region": "上海市", "level": "department",
                              "family": "shanghai", "hosts": ["rsj.sh.gov.cn"], "entry": [{"url": url}]})
    listing = read_list(Page(url, page), prof, PageRequest(url))
    assert listing.links[0].url.endswith("/t0035_1372757.html")
    assert [r.url for r in listing.next_pages] == ["https://rsj.sh.gov.cn/txxgknb_17198/index_2.shtml"]


def test_article_attachments():
    page = Page("https://www.shanghai.gov.cn/nw12344/20240329/d7775c.html",
                '<div id="ivs_content"><a href="/cmsres/3f/abc.pdf">2023年报告.pdf</a><a href="/nw12344/">返回</a></div>')
    assert [l.url for l in read_article(page, profile())] == ["https://www.shanghai.gov.cn/cmsres/3f/abc.pdf"]
