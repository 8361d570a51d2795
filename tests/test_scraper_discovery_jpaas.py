"""jpaas discovery on pages shaped like 泰州's jpaas column and publish-API answers (sites.md §1.3)."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from scraper.discovery import family_module
from scraper.discovery.base import Page, PageRequest
from scraper.discovery.jpaas import API_PATH, query_data, read_api_answer, read_article, read_list
from scraper.profiles import profile_from_dict

COLUMN = "https://www.taizhou.gov.cn/zfxxgk/zfxxgknb/index.html"


def profile(**extra):
    return profile_from_dict({
        "name": "t", "title": "T", "region": "江苏省泰州市", "level": "city", "family": "jpaas",
        "hosts": ["www.taizhou.gov.cn"], "entry": [{"url": COLUMN}], **extra}, "test")


COLUMN_PAGE = """<html><head><meta charset="utf-8"></head><body>
<div class="sub-column"><a href="./2016/szf/index.html">2016年</a><a href="/zfxxgk/zfxxgknb/2017n/index.html">2017年</a>
<a href="/zwgk/index.html">政务公开</a></div>
<div class="list-box" id="jpaas_list" queryData="{&quot;webId&quot;:&quot;74&quot;,&quot;tplSetId&quot;:&quot;5d3f0c1ab0e9&quot;,
&quot;pageType&quot;:&quot;column&quot;,&quot;tagId&quot;:&quot;信息列表&quot;,&quot;pageId&quot;:&quot;1700&quot;,&quot;editType&quot;:null}"></div>
<script src="/static/jpaas/publish-front.js"></script></body></html>"""

ROWS = ("<li class='clearfix'><a href='/zfxxgk/zfxxgknb/art/2026/art_2c2f3df6ceb9427e87ef3a508e4ba624.html' "
        "title='泰州市人民政府2025年政府信息公开工作年度报告' target='_blank'>泰州市人民政府2025年政府信息公开…</a>"
        "<span class='bt-right'>2026-01-29</span></li>"
        "<li class='clearfix'><a href='/zfxxgk/zfxxgknb/art/2026/art_683868698.html' title='泰州市信访局2025年政府信息公开工作年度报告'>"
        "泰州市信访局2025年…</a><span class='bt-right'>2026-01-20</span></li>"
        "<li class='clearfix'><a href='https://www.baidu.com/'>外链</a></li>"
        "<div class='pagination' rows='2' count='5'></div>")


def api_url(page_no: int) -> str:
    return ("https://www.taizhou.gov.cn" + API_PATH + "?parseType=bulidstatic&webId=74&tplSetId=5d3f0c1ab0e9"
            "&pageType=column&tagId=%E4%BF%A1%E6%81%AF%E5%88%97%E8%A1%A8&pageId=1700"
            f"&paramJson=%7B%22pageNo%22%3A{page_no}%2C%22pageSize%22%3A2%7D")


def test_the_family_is_registered():
    assert family_module("jpaas").FAMILY == "jpaas"


def test_query_data_is_read_from_the_unescaped_attribute():
    assert query_data(COLUMN_PAGE)["pageId"] == "1700"
    assert query_data("<div>no unit</div>") == {}
    assert query_data('<div queryData="{not json}">') == {}


def test_a_column_page_asks_the_api_for_its_first_page_and_follows_year_subcolumns():
    listing = read_list(Page(COLUMN, COLUMN_PAGE), profile(), PageRequest(COLUMN))
    assert listing.links == []
    api, *subs = listing.next_pages
    parts = urlsplit(api.url)
    assert parts.path == API_PATH and api.page_no == 1
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert (q["webId"], q["pageId"], q["tagId"]) == ("74", "1700", "信息列表")
    assert json.loads(q["paramJson"]) == {"pageNo": 1, "pageSize": 15}
    assert ("X-Requested-With", "XMLHttpRequest") in api.headers
    assert [s.url for s in subs] == ["https://www.taizhou.gov.cn/zfxxgk/zfxxgknb/2016/szf/index.html",
                                     "https://www.taizhou.gov.cn/zfxxgk/zfxxgknb/2017n/index.html"]


def test_profile_ids_stand_in_when_the_page_shows_no_query_data():
    page = Page(COLUMN, "<html><body><div id='list'></div></body></html>")
    assert read_list(page, profile(), PageRequest(COLUMN)).next_pages == []
    given = profile(options={"webId": "74", "pageId": "1700", "tplSetId": "x"})
    assert "pageId=1700" in read_list(page, given, PageRequest(COLUMN)).next_pages[0].url


def test_an_api_answer_gives_rows_and_from_page_one_the_other_pages():
    answer = json.dumps({"success": True, "data": {"html": ROWS}}, ensure_ascii=False)
    listing = read_list(Page(api_url(1), answer), profile(), PageRequest(api_url(1)))
    assert [(l.url.rsplit("/", 1)[1], l.date, l.position) for l in listing.links] == [
        ("art_2c2f3df6ceb9427e87ef3a508e4ba624.html", "2026-01-29", 1),
        ("art_683868698.html", "2026-01-20", 2)]
    assert listing.links[0].title == "泰州市人民政府2025年政府信息公开工作年度报告"
    pages = [(json.loads(parse_qs(urlsplit(r.url).query)["paramJson"][0])["pageNo"], r.page_no)
             for r in listing.next_pages]
    assert pages == [(2, 2), (3, 3)]   # count 5, rows 2
    later = read_list(Page(api_url(2), answer), profile(), PageRequest(api_url(2), page_no=2))
    assert later.next_pages == [] and later.links[0].position == 3   # positions count on (2 a page)


def test_a_failed_or_garbled_answer_lists_nothing():
    for text in ('{"success": false, "message": "页面不存在"}', "<html>502</html>", '{"success": true, "data": {"html": 5}}'):
        listing = read_list(Page(api_url(1), text), profile(), PageRequest(api_url(1)))
        assert listing.links == [] and listing.next_pages == []
    assert read_api_answer("[]") == ("", None, None)


def test_article_attachments():
    page = Page("https://www.taizhou.gov.cn/zfxxgk/zfxxgknb/art/2026/art_2c2f.html",
                '<div class="wzzw-article"><p>全文</p><a href="/attach/0/0a1b2c3d4e5f60718293a4b5c6d7e8f9.pdf">泰州市2025年报告.pdf</a>'
                '<a href="/zwgk/index.html">政务公开</a></div>')
    assert [l.url for l in read_article(page, profile())] == [
        "https://www.taizhou.gov.cn/attach/0/0a1b2c3d4e5f60718293a4b5c6d7e8f9.pdf"]
