"""Guangdong gkmlpt detail pages (sites.md 1.4): an empty Vue container, the report only as JSON in
``window._CONFIG`` — read as the content, tables included, with its title and publish date."""
from __future__ import annotations

import json

from lxml import etree

from parser.extract.budget import Deadline
from parser.extract.html import read_html
from parser.extract.html_embedded import fill_empty_container, read_embedded_detail
from parser.metadata import read_metadata

TITLE = "肇庆市人民政府2024年政府信息公开工作年度报告"
BODY = ("<h3>一、总体情况</h3><p>2024年，我市认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进决策、执行、"
        "管理、服务、结果公开。本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。</p>"
        "<h3>二、主动公开政府信息情况</h3><table border=\"1\"><tr><td colspan=\"2\">第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>3</td></tr></table>"
        "<h3>三、收到和处理政府信息公开申请情况</h3><p>本年新收政府信息公开申请12件。</p>")
URL = "http://www.zhaoqing.gov.cn/gkmlpt/content/7/7984/post_7984574.html"
EPOCH_2025_02_17 = 1739754000   # 2025-02-17 09:00 China time


def page(script: str, container: str = "") -> bytes:
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>肇庆市人民政府</title></head><body>'
            '<div class="header"><a href="/">首页</a></div><div id="app"><h1 class="title"></h1>'
            f'<div class="article-content" id="zoom">{container}</div></div><script>{script}</script>'
            '<div class="footer">主办单位：肇庆市人民政府</div></body></html>').encode()


def detail(**extra) -> dict:
    return {"title": TITLE, "content": BODY, "publisher": "肇庆市人民政府办公室",
            "display_publish_time": EPOCH_2025_02_17, "created_at": "2025-02-17 09:00", **extra}


def read(data: bytes):
    return read_html(data, URL, None, Deadline(10))


def test_a_gkmlpt_detail_assigned_after_the_config_is_the_content():
    script = ("window._CONFIG = {SID: '758001', TYPE: 'detail'};\n"
              f"window._CONFIG.DETAIL = {json.dumps(detail()).replace('/', chr(92) + '/')};")
    doc = read(page(script))
    assert "统计期限自2024年1月1日起" in doc.text and "首页" not in doc.text
    assert [t.grid for t in doc.tables] == [[["第二十条第（一）项", "第二十条第（一）项"], ["信息内容", "本年制发件数"],
                                             ["规章", "3"]]]
    meta = read_metadata(doc)
    assert (meta.title, meta.year, meta.published) == (TITLE, 2024, "2025-02-17")
    assert doc.meta["发布机构"] == "肇庆市人民政府办公室"


def test_a_detail_inside_the_config_literal_with_single_quotes_and_trailing_commas():
    body = BODY.replace('"', "'")
    script = (f"window._CONFIG = {{\n  SID: '758001',\n  DETAIL: {{title: '{TITLE}', content: \"{body}\", "
              f"created_at: '2025-02-17 09:00',}},\n}};")
    doc = read(page(script))
    assert len(doc.tables) == 1 and doc.tables[0].grid[2] == ["规章", "3"]
    assert read_metadata(doc).published == "2025-02-17"


def test_an_epoch_written_as_a_float_is_a_date_and_odd_fields_are_skipped():
    script = (f"window._CONFIG = {{DETAIL: {{title: '{TITLE}', content: {json.dumps(BODY)}, "
              f"display_publish_time: {EPOCH_2025_02_17}.0, publisher: null, identifier: ['x'], top: true}}}};")
    doc = read(page(script))
    assert doc.meta["display_publish_time"] == str(EPOCH_2025_02_17)
    assert "发布机构" not in doc.meta and "索引号" not in doc.meta
    assert read_metadata(doc).published == "2025-02-17"


def test_a_container_that_holds_the_report_is_read_as_it_is():
    script = f"window._CONFIG = {{DETAIL: {json.dumps(detail(content='<p>另一份文本</p>'))}}};"
    doc = read(page(script, container=BODY))
    assert "另一份文本" not in doc.text and "统计期限" in doc.text and len(doc.tables) == 1


def test_an_index_shell_or_a_broken_config_adds_nothing():
    index = read(page("window._CONFIG = {SID: '758001', TREE: [{id: 1, name: '年报', children: []}]};"))
    assert index.tables == [] and "统计期限" not in index.text
    broken = page("window._CONFIG = {SID: '758001', DETAIL: {title: 'x', content: '<p>1</p>")
    doc = read(broken)        # unterminated: no detail, no error
    assert doc.tables == [] and "articletitle" not in doc.meta


def test_a_page_without_any_container_gets_the_body_where_its_script_stands():
    root = etree.fromstring(f"<html><body><p>导航</p><script>window._CONFIG = {{DETAIL: {json.dumps(detail())}}};</script>"
                  "<p>页脚</p></body></html>", etree.HTMLParser())
    found = read_embedded_detail(root)
    assert found is not None and fill_empty_container(root, found)
    filled = root.find(".//div[@id='zoom']")
    assert filled is not None and filled.getnext().tag == "script" and filled.find(".//table") is not None
