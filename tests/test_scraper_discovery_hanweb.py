"""Hanweb JCMS discovery: the XML datastore, the jpage proxy requests, downfile.jsp attachments."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from scraper.discovery.base import Page, PageRequest
from scraper.discovery.hanweb import read_article, read_datastore, read_list
from scraper.profiles import profile_from_dict

COLUMN = "https://www.yuhang.gov.cn/col/col1229179150/index.html"


def profile(**options):
    return profile_from_dict({
        "name": "h", "title": "H", "region": "浙江省杭州市余杭区", "level": "district",
        "family": "hanweb", "hosts": ["www.yuhang.gov.cn"], "entry": [{"url": COLUMN}],
        "options": options}, "test")


def record(col, n, year, title, date):
    return (f'<record><![CDATA[<li><a href="/art/{year}/3/{n % 28 + 1}/art_{col}_{n}.html" '
            f'title="{title}" target="_blank">{title[:14]}...</a><i>{date}</i></li>]]></record>')


def column_page(records: list[str], total: int) -> str:
    return f"""<html><body><div class="main">
<div id="4567890"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3095&path=https://www.yuhang.gov.cn/&columnid=1229179150&unitid=4567890&webname=%E4%BD%99%E6%9D%AD&permissiontype=0"></a>]]></nextgroup>
<totalrecord>{total}</totalrecord><recordset>
{chr(10).join(records)}
</recordset></datastore></script>
<script language="javascript" src="/module/web/jpage/jpage.js"></script></div>
</div></body></html>"""


FIRST = [record(1229179150, 1872814 - i, 2024 - i, f"杭州市余杭区{2023 - i}年度政府信息公开工作年度报告",
                f"{2024 - i}-03-{10 + i:02d}") for i in range(3)]


def test_records_of_the_first_page_come_from_the_cdata_datastore():
    listing = read_list(Page(COLUMN, column_page(FIRST, 8)), profile(perpage=3), PageRequest(COLUMN))
    assert [l.url for l in listing.links][:1] == [
        "https://www.yuhang.gov.cn/art/2024/3/7/art_1229179150_1872814.html"]
    assert listing.links[0].title == "杭州市余杭区2023年度政府信息公开工作年度报告"
    assert [l.date for l in listing.links] == ["2024-03-10", "2023-03-11", "2022-03-12"]
    assert [l.position for l in listing.links] == [1, 2, 3]


def test_further_records_are_proxy_posts_with_the_ids_of_the_nextgroup_link():
    listing = read_list(Page(COLUMN, column_page(FIRST, 8)), profile(perpage=3), PageRequest(COLUMN))
    reqs = listing.next_pages
    assert [r.method for r in reqs] == ["POST", "POST"]
    ranges = [parse_qs(urlsplit(r.url).query) for r in reqs]
    assert [(q["startrecord"][0], q["endrecord"][0], q["perpage"][0]) for q in ranges] == [
        ("4", "6", "3"), ("7", "8", "3")]
    assert urlsplit(reqs[0].url).path == "/module/web/jpage/dataproxy.jsp"
    form = dict(reqs[0].data)
    assert form["webid"] == "3095" and form["columnid"] == "1229179150" and form["unitid"] == "4567890"
    assert dict(reqs[0].headers)["X-Requested-With"] == "XMLHttpRequest"
    assert [r.page_no for r in reqs] == [2, 3]


def test_profile_options_choose_the_old_proxy_path_and_override_ids():
    page = column_page(FIRST, 5).replace("webid=3095&", "")
    listing = read_list(Page(COLUMN, page), profile(proxy_path="/module/jpage/dataproxy.jsp", webid="39"),
                        PageRequest(COLUMN))
    assert urlsplit(listing.next_pages[0].url).path == "/module/jpage/dataproxy.jsp"
    assert dict(listing.next_pages[0].data)["webid"] == "39"


def test_proxy_answer_is_read_with_positions_after_its_start_and_asks_nothing_more():
    xml = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><datastore><totalrecord>8</totalrecord>"
           "<totalpage>3</totalpage><recordset>" + record(1229179150, 99, 2019,
           "杭州市余杭区2018年度政府信息公开工作年度报告", "2019-03-29") + "</recordset></datastore>")
    url = "https://www.yuhang.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=6&perpage=3"
    listing = read_list(Page(url, xml), profile(perpage=3), PageRequest(url, "POST", page_no=2))
    assert listing.links[0].position == 4 and listing.links[0].date == "2019-03-29"
    assert listing.next_pages == []


def test_read_datastore_parts():
    records, total, ids = read_datastore(column_page(FIRST, 8))
    assert len(records) == 3 and total == 8 and ids["columnid"] == "1229179150"


def test_article_attachments_downfile_and_viewer_variable():
    page = """<div id="zoom"><!--<$[信息内容]>begin--><p>见附件</p>
    <a href="/module/download/downfile.jsp?classid=0&filename=3f2a9c0e8b7d4c1a9e6f5b4a3c2d1e0f.pdf">余杭区2019年报.pdf</a>
    <!--<$[信息内容]>end--></div>
    <script>var pdfurl = "/module/download/downfile.jsp?classid=0&filename=aaaabbbbccccddddeeeeffff00001111.pdf";</script>"""
    url = "https://www.yuhang.gov.cn/art/2020/3/30/art_1229179150_1.html"
    links = read_article(Page(url, page), profile())
    assert [parse_qs(urlsplit(l.url).query)["filename"][0][:4] for l in links] == ["3f2a", "aaaa"]
    assert links[0].title == "余杭区2019年报.pdf"


def test_proxy_path_is_taken_from_the_nextgroup_link():
    page = column_page(FIRST, 5).replace("/module/web/jpage/dataproxy.jsp", "/module/jpage/dataproxy.jsp")
    listing = read_list(Page(COLUMN, page), profile(), PageRequest(COLUMN))
    assert urlsplit(listing.next_pages[0].url).path == "/module/jpage/dataproxy.jsp"
