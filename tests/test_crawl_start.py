"""Start anywhere on a site: column and hub candidates, trees built by scripts and data files, the
walk from a home page to the columns (hops, budget, scope), embedded viewers, the site's scope.

Pure functions over page text, and the walk over an in-memory site (a dict of pages).
"""
from __future__ import annotations

import json

import pytest

from scraper.discovery.base import Page
from scraper.discovery.scope import in_domain, site_domain
from scraper.discovery.start import (column_url_word, is_column_name, is_hub_name,
                                     names_column, read_start_page, read_tree_data, site_name)
from scraper.discovery.viewers import embedded_files, unsupported_files
from scraper.discovery.walk import find_columns
from scraper.profiles import adhoc_profile

HOME = "http://www.demo.gov.cn/"


def _page(body: str, url: str = HOME, title: str = "演示县人民政府") -> Page:
    return Page(url, f'<html><head><meta charset="utf-8"><title>{title}</title></head>'
                     f"<body>{body}</body></html>")


# -- names -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["政府信息公开年报", "政府信息公开工作年度报告", "年度报告", "工作年报",
                                  "信息公开年报", "政府信息公开年度报告", "年度信息公开报告",
                                  "区政府信息公开年度报告", "政务公开工作年度报告"])
def test_column_names(text):
    assert is_column_name(text)


@pytest.mark.parametrize("text", ["2023年政府信息公开工作年度报告", "二〇二三年度报告", "政府工作报告",
                                  "统计年报", "企业年报公示", "政府信息公开年报解读", "政府信息公开指南",
                                  "信息公开目录", "部门预算决算", "首页", ""])
def test_not_column_names(text):
    assert not is_column_name(text)


def test_hub_names():
    assert all(is_hub_name(t) for t in ("政府信息公开", "信息公开目录", "政务公开", "法定主动公开内容"))
    assert not any(is_hub_name(t) for t in ("政府信息公开指南", "依申请公开", "政府信息公开制度",
                                            "政府信息公开年报", "新闻中心"))


def test_column_url_words():
    for url in ("http://x.gov.cn/zwgk/gknb/", "http://x.gov.cn/xxgk/zfxxgknb/index.html",
                "http://x.gov.cn/zdgk/szfbgtzfxxgkndbg/", "http://x.gov.cn/a/nb/index.shtml",
                "http://x.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=1"):
        assert column_url_word(url), url
    for url in ("http://x.gov.cn/news/index.html", "http://x.gov.cn/nbxw/", "http://x.gov.cn/"):
        assert column_url_word(url) is None, url


# -- what a page says ------------------------------------------------------------------------
def test_anchor_image_and_title_candidates():
    page = _page('<a href="/xxgk/">政府信息公开</a> <a href="zwgk/"><img alt="政务公开" src="a.png"></a>'
                 '<a href="/xxgk/gknb/" title="政府信息公开年报">more</a>'
                 '<a href="/xxgk/gkzn/">政府信息公开指南</a>'
                 '<a href="/xxgk/gknb/202301/t20230105_1.html">2022年政府信息公开工作年度报告</a>')
    reading = read_start_page(page)
    assert [c.url for c in reading.columns] == ["http://www.demo.gov.cn/xxgk/gknb/"]
    assert {c.url for c in reading.hubs} == {"http://www.demo.gov.cn/xxgk/", "http://www.demo.gov.cn/zwgk/"}
    assert all("gkzn" not in c.url and "t2023" not in c.url for c in reading.candidates)


def test_tree_in_a_script_and_in_document_write():
    nodes = [{"id": 1, "name": "法规文件", "url": "/xxgk/fgwj/"},
             {"id": 2, "name": "\u653f\u5e9c\u4fe1\u606f\u516c\u5f00\u5e74\u62a5", "url": "/xxgk/c123/"}]
    script = "var zNodes = " + json.dumps(nodes) + ";"   # unicode escapes, as JSON writes them
    page = _page(f"<script>{script}</script>"
                 "<script>document.write('<li><a href=\"/xxgk/nb2/\">年度报告</a></li>');</script>"
                 "<script>var t = [{text: '工作年报', href: '/xxgk/c9/'}];</script>")
    found = {c.url: c for c in read_start_page(page).columns}
    assert set(found) == {"http://www.demo.gov.cn/xxgk/c123/", "http://www.demo.gov.cn/xxgk/nb2/",
                          "http://www.demo.gov.cn/xxgk/c9/"}
    assert found["http://www.demo.gov.cn/xxgk/c123/"].where == "script"


def test_tree_data_sources_json_and_xml():
    page = _page('<div id="tree"></div><script>$.getJSON("/xxgk/tree.json", f);'
                 "loadXmlTree('catalog.xml');</script><script src=\"/js/jquery.js\"></script>",
                 url="http://www.demo.gov.cn/xxgk/index.html")
    data = {c.url for c in read_start_page(page).data}
    assert data == {"http://www.demo.gov.cn/xxgk/tree.json", "http://www.demo.gov.cn/xxgk/catalog.xml"}
    tree = [{"id": 0, "title": "政府信息公开", "link": "", "children": [
        {"title": "政府信息公开指南", "link": "/xxgk/gkzn/"},
        {"title": "政府信息公开年报", "link": "/xxgk/gknb/index.html"}]}]
    got = read_tree_data(Page("http://www.demo.gov.cn/xxgk/tree.json", json.dumps(tree)))
    assert [c.url for c in got if c.role == "column"] == ["http://www.demo.gov.cn/xxgk/gknb/index.html"]
    xml = ('<?xml version="1.0"?><tree><node text="政府信息公开"><node text="年报" href="/xxgk/nb/"/>'
           '</node><item><title>信息公开年报</title><link>http://www.demo.gov.cn/xxgk/c77/</link></item></tree>')
    got = read_tree_data(Page("http://www.demo.gov.cn/xxgk/catalog.xml", xml))
    assert {c.url for c in got if c.role == "column"} == {"http://www.demo.gov.cn/xxgk/nb/",
                                                          "http://www.demo.gov.cn/xxgk/c77/"}


def test_a_shell_home_page_sends_its_reader_on():
    page = Page(HOME, "<html><head><script>window.location.replace('/xxgk/zfxxgkndbg/index.html');"
                      "</script></head><body></body></html>")
    [cand] = read_start_page(page).candidates
    assert cand.url == "http://www.demo.gov.cn/xxgk/zfxxgkndbg/index.html" and cand.role == "column"


def test_a_page_names_itself_a_column():
    assert "title" in names_column(_page("", title="政府信息公开年报_演示县人民政府"))
    meta = Page(HOME, '<html><head><meta name="ColumnName" content="年度报告"></head><body></body></html>')
    assert "ColumnName" in names_column(meta)
    crumb = _page('<div class="location">首页 &gt; 政务公开 &gt; 工作年报</div>')
    assert "location" in names_column(crumb)
    assert names_column(_page("<h1>演示县2023年政府信息公开工作年度报告</h1>")) == ""
    assert "URL word" in names_column(Page("http://www.demo.gov.cn/zwgk/gknb/index.html", ""))


def test_site_name():
    assert site_name(_page("", title="首页_演示县人民政府")) == "演示县人民政府"
    meta = Page(HOME, '<html><head><meta name="SiteName" content="演示市教育局"><title>x</title></head></html>')
    assert site_name(meta) == "演示市教育局"


# -- viewers ------------------------------------------------------------------------------------
def test_files_in_embedded_viewers():
    page = ('<iframe src="/static/pdfjs/web/viewer.html?file=%2Fupload%2F2023%2Fnb.pdf"></iframe>'
            '<embed src="../files/nb2.pdf" type="application/pdf">'
            '<object data="nb3.docx"></object>'
            '<iframe src="/web/viewer.html?file=../../upload/nb4.pdf"></iframe>'
            '<a href="/pdfjs/viewer.html?file=http%3A%2F%2Fwww.demo.gov.cn%2Fa%2Fnb5.pdf">在线阅读</a>'
            "<script>var pdfurl = '/attach/0/nb6.pdf';</script>"
            '<iframe src="/map/index.html"></iframe><iframe src="/video/view.html?url=/v.mp4"></iframe>')
    got = [u for u, _ in embedded_files(page, "http://www.demo.gov.cn/a/b/t1.html")]
    assert got == ["http://www.demo.gov.cn/upload/2023/nb.pdf", "http://www.demo.gov.cn/a/files/nb2.pdf",
                   "http://www.demo.gov.cn/a/b/nb3.docx", "http://www.demo.gov.cn/upload/nb4.pdf",
                   "http://www.demo.gov.cn/a/nb5.pdf", "http://www.demo.gov.cn/attach/0/nb6.pdf"]


@pytest.mark.parametrize("script", [
    'PDFObject.embed("/attach/nb.pdf", "#v")', "var PdfUrl = '/attach/nb.pdf';", 'pdf_url="/attach/nb.pdf"',
    "var FILEURL = '/attach/nb.pdf'", "file_url = ( '/attach/nb.pdf' )"])
def test_files_named_in_viewer_scripts_whatever_their_case(script):
    page = f"<html><body><p>年报</p><script>{script}</script></body></html>"
    assert embedded_files(page, "http://www.demo.gov.cn/a/t.html") == [
        ("http://www.demo.gov.cn/attach/nb.pdf", "script viewer")]


def test_ofd_is_noted_not_taken():
    page = '<a href="./P0123.ofd">年报（OFD版）</a><iframe src="/ofdview.html?file=/x/y.ofd"></iframe>'
    assert unsupported_files(page, "http://www.demo.gov.cn/a/t.html") == [
        "http://www.demo.gov.cn/a/P0123.ofd", "http://www.demo.gov.cn/x/y.ofd"]
    assert embedded_files(page, "http://www.demo.gov.cn/a/t.html") == []
    assert unsupported_files(page.replace(".ofd", ".OFD"), "http://www.demo.gov.cn/a/t.html") == [
        "http://www.demo.gov.cn/a/P0123.OFD", "http://www.demo.gov.cn/x/y.OFD"]


def test_download_links_named_by_their_file():
    from scraper.discovery.base import attachment_links

    profile = adhoc_profile(HOME)
    text = ('<a href="/attach/get?id=9">演示县2023年报告.pdf</a><a href="/news/1.html">新闻.pdf的说明</a>'
            '<iframe src="/files/nb.pdf"></iframe>')
    got = [link.url for link in attachment_links(text, HOME, profile)]
    assert got == ["http://www.demo.gov.cn/attach/get?id=9", "http://www.demo.gov.cn/files/nb.pdf"]


# -- scope ------------------------------------------------------------------------------------
def test_site_domains():
    assert site_domain("www.gaochun.gov.cn") == "gaochun.gov.cn"
    assert site_domain("xxgk.gaochun.gov.cn") == "gaochun.gov.cn"
    assert site_domain("renhe.yuhang.gov.cn") == "renhe.yuhang.gov.cn"   # a town, not the district
    assert site_domain("www.gov.cn") == "www.gov.cn"
    assert in_domain("zwgk.gaochun.gov.cn", ("gaochun.gov.cn",))
    assert not in_domain("gaochun.gov.cn.evil.com", ("gaochun.gov.cn",))


def test_the_generic_profile_scope():
    p = adhoc_profile("http://www.demo.gov.cn/")
    assert p.in_scope("http://xxgk.demo.gov.cn/a.html") and p.in_scope("https://www.demo.gov.cn/")
    assert not p.in_scope("http://www.other.gov.cn/a.pdf")
    assert p.in_scope("http://oss.cloud.zj.gov.cn/a.pdf", attachment=True)   # a gov.cn file host
    assert not p.in_scope("http://cdn.example.com/a.pdf", attachment=True)


# -- the walk -----------------------------------------------------------------------------------
def _site(pages: dict[str, str]):
    asked: list[str] = []

    def fetch(url: str, referrer):
        asked.append(url)
        text = pages.get(url)
        return Page(url, text) if text is not None else None
    return fetch, asked


def _html(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


COLUMN = _html("演示县人民政府", '<ul><li><a href="t1.html" title="演示县2023年政府信息公开工作年度报告">'
                               '演示县2023年…</a><span>2024-01-20</span></li></ul>')


def test_walk_home_hub_tree_column():
    o = "http://www.demo.gov.cn"
    pages = {
        f"{o}/": _html("首页", '<a href="/zwgk/">政务公开</a><a href="http://www.other.gov.cn/xxgk/">信息公开</a>'),
        f"{o}/zwgk/": _html("政务公开", '<a href="/gkml/index.html">信息公开目录</a>'
                                     '<a href="/search/?q=年报">政府信息公开年报</a>'),
        f"{o}/gkml/index.html": _html("目录", '<script>$.getJSON("/gkml/tree.json", f)</script>'),
        f"{o}/gkml/tree.json": json.dumps([{"name": "年报", "url": "/c4417/index.html"}]),
        f"{o}/c4417/index.html": COLUMN,
    }
    fetch, asked = _site(pages)
    profile = adhoc_profile(f"{o}/")
    result = find_columns(f"{o}/", fetch, profile, in_scope=profile.in_scope)
    assert [c.url for c in result.columns] == [f"{o}/c4417/index.html"]
    column = result.columns[0]
    assert column.found_on == f"{o}/gkml/tree.json" and column.hop == 3
    assert "reached by link '年报'" in column.why[0]
    assert "http://www.other.gov.cn/xxgk/" not in asked                     # another host: not asked
    assert f"{o}/search/?q=年报" in asked    # a candidate; robots.txt is the fetcher's to refuse
    assert not result.fallback and result.pages == len(asked)


def test_walk_keeps_to_hops_and_budget():
    o = "http://www.demo.gov.cn"
    chain = {f"{o}/": _html("首页", '<a href="/h1/">政府信息公开</a>')}
    for i in range(1, 8):
        chain[f"{o}/h{i}/"] = _html("政务公开", f'<a href="/h{i + 1}/">政府信息公开</a>')
    fetch, asked = _site(chain)
    profile = adhoc_profile(f"{o}/")
    result = find_columns(f"{o}/", fetch, profile, in_scope=profile.in_scope, max_hops=3)
    assert asked == [f"{o}/", f"{o}/h1/", f"{o}/h2/", f"{o}/h3/"]
    assert result.fallback and result.columns[0].url == f"{o}/"   # nothing found: the page given
    fetch, asked = _site(chain)
    result = find_columns(f"{o}/", fetch, profile, in_scope=profile.in_scope, max_hops=9, budget=2)
    assert len(asked) == 2 and result.exhausted


def test_a_column_url_given_is_read_as_it_is():
    url = "http://www.demo.gov.cn/zwgk/gknb/index.html"
    fetch, asked = _site({url: COLUMN})
    profile = adhoc_profile(url)
    result = find_columns(url, fetch, profile, in_scope=profile.in_scope)
    assert asked == [url] and [c.url for c in result.columns] == [url] and not result.fallback
    assert "URL word gknb" in result.columns[0].why[0]


def test_hubs_are_not_opened_once_a_column_is_found():
    o = "http://www.demo.gov.cn"
    pages = {f"{o}/": _html("首页", '<a href="/xxgk/">政府信息公开</a><a href="/zwgk/">政务公开</a>'
                                   '<a href="/nb/">年度报告</a>'),
             f"{o}/nb/": COLUMN}
    fetch, asked = _site(pages)
    profile = adhoc_profile(f"{o}/")
    result = find_columns(f"{o}/", fetch, profile, in_scope=profile.in_scope)
    assert asked == [f"{o}/", f"{o}/nb/"]
    assert {v.outcome for v in result.visits if v.url != f"{o}/" and v.url != f"{o}/nb/"} == {"not opened"}


def test_links_in_onclick_handlers_select_menus_and_frames():
    page = _page('<a href="javascript:;" onclick="window.open(\'/xxgk/c88/\')">政府信息公开年报</a>'
                 '<li onclick="location.href=\'/zwgk/\'">政务公开</li>'
                 '<select><option value="">请选择</option><option value="/xxgk/nb/">年度报告</option></select>'
                 '<frameset><frame src="main.html"></frameset>'
                 '<iframe src="http://weather.example.com/w.html"></iframe>')
    reading = read_start_page(page)
    assert {c.url for c in reading.columns} == {"http://www.demo.gov.cn/xxgk/c88/",
                                                "http://www.demo.gov.cn/xxgk/nb/"}
    hubs = {c.url: c for c in reading.hubs}
    assert set(hubs) == {"http://www.demo.gov.cn/zwgk/", "http://www.demo.gov.cn/main.html"}
    assert "<frame>" in hubs["http://www.demo.gov.cn/main.html"].why


def test_a_tree_written_by_a_script_file():
    page = _page('<div id="div1396"></div><script src="/js/jquery.ztree.core.min.js"></script>'
                 '<script src="/module/xxgk/tree.jsp?divid=div1396&area=11330000"></script>'
                 "<script>$('#x').load('/xxgk/lanmuTree.do?siteId=3');</script>",
                 url="http://www.demo.gov.cn/xxgk/index.html")
    data = {c.url for c in read_start_page(page).data}
    assert data == {"http://www.demo.gov.cn/module/xxgk/tree.jsp?divid=div1396&area=11330000",
                    "http://www.demo.gov.cn/xxgk/lanmuTree.do?siteId=3"}
    js = ("document.write('<ul>');\n"
          "document.write('<li><a href=\"/col/col1229000001/index.html\">政府信息公开指南</a></li>');\n"
          "document.write('<li><a href=\"/col/col1229000009/index.html\">政府信息公开年报</a></li>');\n"
          "document.write('</ul>');")
    got = read_tree_data(Page("http://www.demo.gov.cn/module/xxgk/tree.jsp?divid=div1396", js))
    assert [c.url for c in got if c.role == "column"] == ["http://www.demo.gov.cn/col/col1229000009/index.html"]
