"""Every publish-date placement of sites.md §5.3, read from real-shaped HTML pages, in the priority
order sites.md gives (byline / metadata table, then the PubDate meta, then the signature), and never
from the URL (whose date is a migration's)."""
from __future__ import annotations

import pytest

from parser.extract.budget import Deadline
from parser.extract.html import read_html
from parser.metadata import read_metadata

BODY = ("<p>一、总体情况</p><p>2019年，我区认真贯彻落实条例。本报告所列数据的统计期限自2019年1月1日起至"
        "2019年12月31日止。</p><p>二、主动公开政府信息情况</p><p>本年新制作数量 12</p>")
TITLE = "某某区人民政府2019年政府信息公开工作年度报告"
# a migration's URL: its date must never be the publish date
URL = "http://www.example.gov.cn/zfxxgknb/202102/t20210224_2287619.html"


def published(head: str = "", before: str = "", after: str = "") -> str | None:
    page = (f'<html><head><meta charset="utf-8"><title>{TITLE}</title>{head}</head><body>'
            f'<div class="nav"><a href="/">首页</a> <a href="/x">政务公开</a></div><h1>{TITLE}</h1>'
            f'{before}<div id="zoom">{BODY}{after}</div></body></html>')
    return read_metadata(read_html(page.encode(), URL, None, Deadline(10))).published


@pytest.mark.parametrize("byline, date", [
    ("发布时间:2020-01-15 15:28 来源:政府办", "2020-01-15"),                       # 五通桥
    ("时间:2020-01-23 来源:本网", "2020-01-23"),                                    # 梅县
    ("发布时间:2020-01-23 11:07 来源:南京市人民政府办公厅 浏览次数:", "2020-01-23"),
    ("时间: 2019-03-05 09:43 来源: 苏州市人民政府办公室 访问量:", "2019-03-05"),
    ("来源:区人民政府办公室 时间:2017-01-12 10:01", "2017-01-12"),                  # 晋安, source first
    ("信息来源:深圳市人民政府办公厅 信息提供日期:2021-03-10 18:07", "2021-03-10"),
    ("日期:2019-03-19 10:00 来源:北京市海淀区人民政府", "2019-03-19"),
    ("公开部门:区府办 发布时间:2017/2/23", "2017-02-23"),                            # 黄浦, slashes
    ("发布日期:2023/01/18 11:34:01", "2023-01-18"),
    ("信息来源:市政府办 · 发布日期:2026-01-29 17:15 · 浏览次数:", "2026-01-29"),    # 泰州 jpaas
    ("浏览次数: 信息来源: 市政府办 发布时间:2023-03-03 15:09 字号:", "2023-03-03"),  # 淮北
    ("信息来源:正阳镇 作者:佚名 发布时间:2022-01-26 16:32", "2022-01-26"),
    ("发布时间：2020年1月15日", "2020-01-15"),
])
def test_bylines(byline, date):
    assert published(before=f'<div class="info">{byline}</div>') == date


@pytest.mark.parametrize("table, date", [
    ("<tr><td>索 引 号</td><td>014416330/2018-04736</td><td>分　　类</td><td>年报</td></tr>"
     "<tr><td>发布机构</td><td>市政府办</td><td>发 文 日 期</td><td>2020-02-28</td></tr>", "2020-02-28"),
    ("<tr><td>索引号</td><td>113213000/2025-0001</td><td>公开日期</td><td>2025-01-13</td></tr>", "2025-01-13"),
    ("<tr><td>发布机构</td><td>安庆市</td><td>发布日期</td><td>2015-10-15 10:06:36</td></tr>", "2015-10-15"),
    ("<tr><td><b>成文日期：</b></td><td>2020-01-10</td><td><b>发布日期：</b></td><td>2020-01-16</td></tr>",
     "2020-01-16"),                                                                   # gov.cn: 发布 over 成文
    ("<tr><td>索引号：113212000141/2020-00012</td><td>发文日期：2020-01-21</td></tr>", "2020-01-21"),
])
def test_metadata_tables_with_spaced_labels(table, date):
    assert published(before=f'<table class="xxgk_top">{table}</table>') == date


@pytest.mark.parametrize("meta, date", [
    ('<meta name="PubDate" content="2023-01-29 10:00">', "2023-01-29"),
    ('<meta name="firstpublishedtime" content="2026-09-28-21:50:00">', "2026-09-28"),
])
def test_meta_tags(meta, date):
    assert published(head=meta) == date


@pytest.mark.parametrize("signature, date", [
    ("<p>宿迁市人民政府办公室</p><p>（2020年1月21日）</p>", "2020-01-21"),
    ("<p>宿 州 市 人 民 政 府</p><p>2020年3月27日</p>", "2020-03-27"),
    ("<p>二〇二〇年一月二十日</p>", "2020-01-20"),
])
def test_signatures(signature, date):
    assert published(after=signature) == date


def test_priority_byline_then_pubdate_then_signature_never_the_url():
    pub = '<meta name="PubDate" content="2021-05-05 10:00">'
    sig = "<p>2020年1月1日</p>"
    assert published(head=pub, before="<div>发布时间：2020-02-02</div>", after=sig) == "2020-02-02"
    assert published(head=pub, after=sig) == "2021-05-05"
    assert published(after=sig) == "2020-01-01"
    assert published() is None   # the URL's 2021-02-24 is never taken


@pytest.mark.parametrize("before, after, date", [
    ('<div class="date">2024-02-18</div>', "", "2024-02-18"),             # 杨浦, under the title
    ('<span>[2026-09-12]</span>', "", "2026-09-12"),                       # bracketed, as list rows print it
    ('<p class="time">发布于 2023年3月1日</p>', "", "2023-03-01"),
    ('<div>2024-02-18 10:30</div>', "<p>2020年1月1日</p>", "2024-02-18"),   # over the signature
])
def test_a_bare_date_under_the_title_outside_the_content(before, after, date):
    assert published(before=before, after=after) == date


def test_a_bare_date_on_the_title_line():
    page = (f'<html><head><meta charset="utf-8"></head><body><div class="tit">{TITLE} 2024-02-18</div>'
            f'<div id="zoom">{BODY}</div></body></html>')
    assert read_metadata(read_html(page.encode(), URL, None, Deadline(10))).published == "2024-02-18"


def test_a_bare_date_is_below_labelled_bylines_and_page_meta():
    pub = '<meta name="PubDate" content="2021-05-05 10:00">'
    assert published(before="<div>发布时间：2020-02-02</div><div>2024-02-18</div>") == "2020-02-02"
    assert published(head=pub, before="<div>2024-02-18</div>") == "2021-05-05"


@pytest.mark.parametrize("before", [
    "<div>截至2024年2月18日，我区共收到申请</div>",       # prose, not a date line
    "<div>2024年2月18日 星期日 天气晴</div>",             # a header's date widget
    "<div>更新于 2024-02-18</div>",                      # an update time is not a publish date
])
def test_prose_and_widgets_next_to_the_title_are_not_a_publish_date(before):
    assert published(before=before) is None


def test_a_bare_date_far_from_the_title_is_not_taken():
    page = (f'<html><head><meta charset="utf-8"></head><body><div class="top">2024-02-18</div>'
            f'<div class="nav"><a href="/">首页</a></div><div>网站导航</div><div>政务公开</div>'
            f'<h1>{TITLE}</h1><div id="zoom">{BODY}</div></body></html>')
    assert read_metadata(read_html(page.encode(), URL, None, Deadline(10))).published is None
