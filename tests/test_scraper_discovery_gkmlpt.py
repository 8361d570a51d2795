"""gkmlpt discovery on an index, API answers and a detail page shaped like Guangdong's (sites.md §1.4)."""
from __future__ import annotations

import json

import pytest

from scraper.discovery.base import Page, PageRequest
from scraper.discovery.gkmlpt import (detail_of, epoch_date, read_article, read_config, read_list,
                                      report_categories)
from scraper.profiles import profile_from_dict

INDEX = "http://www.zhaoqing.gov.cn/gkmlpt/index"


def profile(**extra):
    return profile_from_dict({
        "name": "g", "title": "G", "region": "广东省肇庆市", "level": "city", "family": "gkmlpt",
        "hosts": ["www.zhaoqing.gov.cn"], "entry": [{"url": INDEX}], **extra}, "test")


TREE = [{"id": 2140, "name": "政策法规", "children": [{"id": 2141, "name": "政策解读", "children": []}]},
        {"id": 2150, "name": "政府信息公开", "children": [
            {"id": 2151, "name": "政府信息公开指南", "children": []},
            {"id": 2160, "name": "政府信息公开年报", "post_count": 9,
             "children": [{"id": 2161, "name": "部门", "children": []}]}]}]
INDEX_PAGE = (f"<html><body><div id='app'></div><script>window._CONFIG = {{\n  SID: '758001',\n"
              f"  SITE_NAME: '肇庆市人民政府',\n  TREE: {json.dumps(TREE, ensure_ascii=False)},\n"
              "  TYPE: 'index'\n};</script></body></html>")


def api(cat: int, page: int) -> str:
    return f"http://www.zhaoqing.gov.cn/gkmlpt/api/all/{cat}?page={page}&sid=758001"


def answer(n: int, total: int) -> str:
    arts = [{"id": 11962319 + i, "title": f"肇庆市人民政府{2024 - i}年政府信息公开工作年度报告",
             "url": f"http://www.zhaoqing.gov.cn/gkmlpt/content/11/11962/post_{11962319 + i}.html",
             "display_publish_time": 1674000000 - i * 86400 * 365, "created_at": "2023-01-18 08:00:00"}
            for i in range(n)]
    return json.dumps({"total": total, "classify": {"post_count": total}, "articles": arts})


def test_config_sid_and_tree():
    sid, tree = read_config(INDEX_PAGE)
    assert sid == "758001" and [n["id"] for n in tree] == [2140, 2150]
    assert report_categories(tree) == ["2160", "2161"]   # a report category's children too
    assert report_categories(tree, "指南") == ["2151"]
    assert read_config("<html></html>") == (None, [])


def test_the_index_asks_for_the_report_categories_only():
    listing = read_list(Page(INDEX, INDEX_PAGE), profile(), PageRequest(INDEX))
    assert listing.links == [] and [r.url for r in listing.next_pages] == [api(2160, 1), api(2161, 1)]
    chosen = read_list(Page(INDEX, INDEX_PAGE), profile(options={"categories": ["2151"]}), PageRequest(INDEX))
    assert [r.url for r in chosen.next_pages] == [api(2151, 1)]
    assert read_list(Page(INDEX, "<html>shell</html>"), profile(), PageRequest(INDEX)).next_pages == []


def test_an_api_page_lists_articles_with_their_dates_and_asks_for_the_rest():
    listing = read_list(Page(api(2160, 1), answer(3, 7)), profile(), PageRequest(api(2160, 1)))
    assert [l.url.rsplit("/", 1)[1] for l in listing.links] == [
        "post_11962319.html", "post_11962320.html", "post_11962321.html"]
    assert listing.links[0].date == "2023-01-18" and listing.links[0].position == 1
    assert listing.links[0].title == "肇庆市人民政府2024年政府信息公开工作年度报告"
    assert [(r.url, r.page_no) for r in listing.next_pages] == [(api(2160, 2), 2), (api(2160, 3), 3)]
    second = read_list(Page(api(2160, 2), answer(3, 7)), profile(), PageRequest(api(2160, 2), page_no=2))
    assert second.next_pages == [] and second.links[0].position == 4


def test_a_single_page_list_asks_for_nothing_more():
    # sites that answer page >= 2 with a 404 put every article on page 1
    listing = read_list(Page(api(2160, 1), answer(7, 7)), profile(), PageRequest(api(2160, 1)))
    assert len(listing.links) == 7 and listing.next_pages == []
    assert read_list(Page(api(2160, 1), "not json"), profile(), PageRequest(api(2160, 1))).links == []


def test_epoch_and_string_dates():
    assert epoch_date(1674000000) == "2023-01-18" and epoch_date("1674000000000") == "2023-01-18"
    assert epoch_date("2021-03-10 18:07:00") == "2021-03-10" and epoch_date(None) is None


DETAIL_PAGE = ("<html><body><div id='app'><div class='article-content'></div></div><script>"
               "window._CONFIG = {SID: '758001', TYPE: 'detail'};\nwindow._CONFIG.DETAIL = "
               + json.dumps({"title": "肇庆市人民政府2024年政府信息公开工作年度报告",
                             "content": '<p>\u5168\u6587\u8be6\u89c1\u9644\u4ef6</p><a href="/attachment/0/12/12345/11962319.pdf">\u9644\u4ef6</a>'
                                        '<a href="/attachment/0/12/12345/11962320.docx">docx</a>',
                             "attachment": [{"name": "年报.pdf", "url": "/attachment/0/12/12345/11962319.pdf"}]},
                            ensure_ascii=True).replace("/", "\\/")
               + ";</script></body></html>")


def test_detail_json_and_its_attachments():
    assert detail_of(DETAIL_PAGE)["title"] == "肇庆市人民政府2024年政府信息公开工作年度报告"
    url = "http://www.zhaoqing.gov.cn/gkmlpt/content/11/11962/post_11962319.html"
    links = read_article(Page(url, DETAIL_PAGE), profile())
    assert [(l.url, l.title) for l in links] == [
        ("http://www.zhaoqing.gov.cn/attachment/0/12/12345/11962319.pdf", "年报.pdf"),
        ("http://www.zhaoqing.gov.cn/attachment/0/12/12345/11962320.docx", "docx")]
    assert detail_of("<script>window._CONFIG.DETAIL = {broken</script>") == {}


@pytest.mark.parametrize("family", ["gkmlpt", "jpaas", "shanghai", "epoint", "zj_annual"])
@pytest.mark.parametrize("text", ["", "\x00\xff garbage <<<", "[]", '{"articles": [1, {"url": 5, "title": 7}]}',
                                  '{"total": "x", "articles": [{"url": "/gkmlpt/content/1/1/post_1.html", '
                                  '"display_publish_time": "soon"}]}',
                                  '{"success": true, "data": {"html": "<li><a href=\'/art/2020/art_1.html\'>x"}}',
                                  "window._CONFIG = {SID: '1', TREE: [{]}; window._CONFIG.DETAIL = {\"attachment\": 5}"])
def test_new_families_read_junk_without_raising(family, text):
    from scraper.discovery import family_module

    module = family_module(family)
    prof = profile_from_dict({"name": "j", "title": "J", "region": "R", "level": "city", "family": family,
                              "hosts": ["www.zhaoqing.gov.cn"], "entry": [{"url": INDEX}]}, "test")
    for url in (INDEX, api(2160, 1), "http://www.zhaoqing.gov.cn" + "/api-gateway/jpaas-publish-server/front/page/build/unit?pageId=1"):
        listing = module.read_list(Page(url, text), prof, PageRequest(url))
        assert isinstance(listing.links, list) and isinstance(listing.next_pages, list)
        assert isinstance(module.read_article(Page(url, text), prof), list)
