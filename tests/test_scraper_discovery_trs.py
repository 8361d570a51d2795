"""TRS discovery on pages shaped like real TRS columns (sites.md §1.1)."""
from __future__ import annotations

import pytest

from scraper.discovery.base import Page, PageRequest
from scraper.discovery.trs import document_write_html, page_count, read_article, read_list
from scraper.profiles import profile_from_dict

COLUMN = "https://www.jiangning.gov.cn/jnqrmzf/xxgkzl/zfxxgkndbg/index.html"


def profile(**extra):
    return profile_from_dict({
        "name": "t", "title": "T", "region": "江苏省南京市江宁区", "level": "district",
        "family": "trs", "hosts": ["www.jiangning.gov.cn"], "entry": [{"url": COLUMN}], **extra},
        "test")


LIST_PAGE = """<html><head><meta charset="utf-8"><title>政府信息公开年度报告</title></head><body>
<div class="nav"><a href="/">首页</a><a href="../">信息公开</a></div>
<ul class="list">
 <li><a href="./202502/t20250211_5071981.html" title="南京市江宁区2024年政府信息公开工作年度报告"
        target="_blank">南京市江宁区2024年政府信息公开工作年度…</a><span>2025-02-11</span></li>
 <li><a href="./202402/t20240201_4123456.html" title="关于做好年报工作的通知">关于做好年报工作的通知</a>
     <span>[2024/2/1]</span></li>
 <li><a href="../../zfxxgkndbg/202302/t20230131_3777777.shtml">南京市江宁区2022年政府信息公开工作年度报告</a>
     <span>2023-01-31</span></li>
 <li><a href="./202202/P020220210123456789012.pdf">南京市江宁区2021年政府信息公开工作年度报告.pdf</a>
     <span>2022-02-10</span></li>
 <li><a href="https://www.baidu.com/">外部链接</a></li>
</ul>
<div id="page_div"></div>
<script language="JavaScript">createPageHTML(4, 0, "index", "html");</script>
</body></html>"""


def test_list_rows_titles_dates_and_positions():
    listing = read_list(Page(COLUMN, LIST_PAGE), profile(), PageRequest(COLUMN))
    urls = [l.url for l in listing.links]
    assert urls == [
        "https://www.jiangning.gov.cn/jnqrmzf/xxgkzl/zfxxgkndbg/202502/t20250211_5071981.html",
        "https://www.jiangning.gov.cn/jnqrmzf/xxgkzl/zfxxgkndbg/202402/t20240201_4123456.html",
        "https://www.jiangning.gov.cn/jnqrmzf/zfxxgkndbg/202302/t20230131_3777777.shtml",
        "https://www.jiangning.gov.cn/jnqrmzf/xxgkzl/zfxxgkndbg/202202/P020220210123456789012.pdf",
    ]
    first = listing.links[0]
    assert first.title == "南京市江宁区2024年政府信息公开工作年度报告"   # title= beats the cut text
    assert first.date == "2025-02-11" and first.position == 1
    assert listing.links[1].date == "2024-02-01"


def test_pages_are_synthesised_from_the_script_only_on_the_first_page():
    listing = read_list(Page(COLUMN, LIST_PAGE), profile(), PageRequest(COLUMN))
    assert [(r.url.rsplit("/", 1)[1], r.page_no) for r in listing.next_pages] == [
        ("index_1.html", 2), ("index_2.html", 3), ("index_3.html", 4)]
    later = read_list(Page(COLUMN.replace("index", "index_2"), LIST_PAGE), profile(),
                      PageRequest(COLUMN.replace("index", "index_2"), page_no=3))
    assert later.next_pages == []


@pytest.mark.parametrize("script, expected", [
    ('createPageHTML(9, 0, "index", "html");', (9, "index", "html")),
    ('createPageHTML(89, 1, "index", "shtml", "black2", 621);', (89, "index", "shtml")),
    ("createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89);", (5, "fg", "shtml")),
    ('pageControl(4, 2, "index", "shtml", 10, \'pages-nav\');', (4, "index", "shtml")),
    ('var countPage = 7//共多少页\nvar currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", "htm");',
     (7, "index", "htm")),
    ("no pager here", None),
])
def test_pager_argument_layouts(script, expected):
    assert page_count(f"<script>{script}</script>") == expected


def test_hunan_layout_pages_use_its_prefix():
    page = LIST_PAGE.replace('createPageHTML(4, 0, "index", "html");',
                             "createPageHTML('page_div', 3, 1, 'fg', 'shtml', 40);")
    listing = read_list(Page(COLUMN, page), profile(), PageRequest(COLUMN))
    assert [r.url.rsplit("/", 1)[1] for r in listing.next_pages] == ["fg_1.shtml", "fg_2.shtml"]


def test_links_written_by_document_write_are_found():
    page = """<ul><script>
document.write('<li><a href="./202102/t20210224_2287619.shtml" title="北京市海淀区人民政府2020年政府信息公开工作年度报告">北京市海淀区…</a><span>2021-02-24</span></li>');
document.write("<li><a href=\\"./201903/t20190319_1111.shtml\\">海淀区2018年政府信息公开工作年度报告</a> 2019-03-19</li>");
</script></ul>"""
    assert "t20210224_2287619" in document_write_html(page)
    listing = read_list(Page(COLUMN, page), profile(), PageRequest(COLUMN))
    assert [l.title for l in listing.links] == [
        "北京市海淀区人民政府2020年政府信息公开工作年度报告", "海淀区2018年政府信息公开工作年度报告"]
    assert listing.links[1].date == "2019-03-19"


def test_profile_can_turn_pagination_off_or_use_next_links():
    p = profile(pagination={"kind": "none"})
    assert read_list(Page(COLUMN, LIST_PAGE), p, PageRequest(COLUMN)).next_pages == []
    page = LIST_PAGE + '<a href="index_1.html">下一页</a>'
    p = profile(pagination={"kind": "next_link"})
    nxt = read_list(Page(COLUMN, page), p, PageRequest(COLUMN)).next_pages
    assert [r.url.rsplit("/", 1)[1] for r in nxt] == ["index_1.html"]


def test_article_attachments_beside_the_article():
    article = """<div class="trs_editor_view TRS_UEDITOR trs_paper_default"><p>正文</p>
    <p><a href="./P020250211602708033967.pdf" appendix="true">南京市江宁区2024年政府信息公开工作年度报告.pdf</a></p>
    <p><a href="./P020250211602708033968.xlsx">附表.xlsx</a></p>
    <p><a href="../index.html">返回</a></p></div>"""
    url = "https://www.jiangning.gov.cn/jnqrmzf/xxgkzl/zfxxgkndbg/202502/t20250211_5071981.html"
    links = read_article(Page(url, article), profile())
    assert [l.url.rsplit("/", 1)[1] for l in links] == ["P020250211602708033967.pdf",
                                                        "P020250211602708033968.xlsx"]
    assert links[0].title.endswith(".pdf")
