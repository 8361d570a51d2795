"""HTML reader: content containers of several CMS families, tables of Word-pasted markup, meta,
bylines, breadcrumbs, attachments, charsets, malformed markup."""
from __future__ import annotations

import sys
from pathlib import Path

import lxml.etree

sys.path.insert(0, str(Path(__file__).parent))

from parser.extract import extract  # noqa: E402
from parser.extract.html_tables import table_grid  # noqa: E402

from extract_samples import DENIED, NOTE, PROSE_2019 as PROSE, REJECTED, SHANGHAI, page  # noqa: E402


def test_shanghai_page_content_tables_and_meta():
    doc = extract(SHANGHAI.encode("utf-8"), "text/html", url="https://www.example.gov.cn/zwgk/nb/1.html")
    assert doc.title == "上海市某某区2019年政府信息公开工作年度报告"
    assert doc.meta["articletitle"] == "上海市某某区2019年政府信息公开工作年度报告"
    assert doc.meta["pubdate"] == "2020-03-26 10:24"
    assert doc.meta["sitename"] == "上海某某" and doc.meta["columnname"] == "政府信息公开年报"
    assert doc.meta["html_title"].startswith("上海市某某区2019年")
    assert doc.meta["发布时间"] == "2020-03-26 10:24" and doc.meta["来源"] == "区政府办公室"
    assert doc.breadcrumbs == ["首页", "政务公开", "政府信息公开年报"]
    assert doc.attachments == [("某某区2019年年报（PDF版）", "https://www.example.gov.cn/upload/2020/nb2019.pdf")]
    # furniture is gone: navigation, share bar, related links, footer
    for noise in ("互动交流", "分享到", "相关文章", "主办单位", "某某区2018年"):
        assert noise not in doc.text
    assert doc.text.splitlines()[0] == "一、总体情况"
    assert [t.caption for t in doc.tables] == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


def test_word_pasted_table2_breaks_inside_words_and_blanks():
    doc = extract(SHANGHAI.encode("utf-8"), "text/html")
    grid = doc.tables[0].grid
    assert grid[0] == ["第二十条第（一）项"] * 4
    assert grid[1] == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert grid[2] == ["规章", "0", "", "１２"]
    assert "规章\t0\t\t１２" in doc.text.splitlines()


def test_word_pasted_table3_rowspans_of_20_8_and_3_expand_to_a_full_grid():
    grid = extract(SHANGHAI.encode("utf-8"), "text/html").tables[1].grid
    assert len(grid) == 26 and all(len(r) == 10 for r in grid)
    assert grid[0][:3] == [NOTE] * 3 and grid[2][:3] == [NOTE] * 3
    assert grid[0][3:] == ["申请人情况"] * 7
    assert grid[1][3:] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert grid[2][3:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert grid[3][:4] == ["一、本年新收政府信息公开申请数量"] * 3 + ["1"]
    assert all(grid[r][0] == "三、本年度办理结果" for r in range(5, 25))
    assert [grid[r][1] for r in range(7, 15)] == ["（三）不予公开"] * 8
    assert [grid[r][2] for r in range(7, 15)] == DENIED
    assert [grid[r][1] for r in range(15, 18)] == ["（四）无法提供"] * 3
    assert [grid[r][2] for r in range(18, 23)] == REJECTED
    assert grid[24][1:3] == ["（七）总计", "（七）总计"]
    assert grid[25][0] == "四、结转下年度继续办理"
    # "&nbsp;" is a blank cell, not a space
    assert grid[3][3 + 4] == ""


TRS = page(
    '<div class="location">当前位置：<a href="/">首页</a>&gt;&gt;<a href="/xxgk/">信息公开</a>&gt;&gt;'
    '<a href="/xxgk/ndbg/">年度报告</a></div>'
    '<table class="xxgk_meta"><tr><td>索 引 号：</td><td>11370000004/2021-00012</td><td>发布机构：</td><td>县政府办公室</td></tr>'
    "<tr><td>发 文 日 期：</td><td>2021-01-28</td><td>主题分类：</td><td>综合政务</td></tr>"
    '<tr><td>名　　称：</td><td colspan="3">某某县2020年政府信息公开工作年度报告</td></tr></table>'
    '<div id="zoom"><div class="TRS_Editor"><div class="Custom_UnionStyle">'
    f"<p>一、总体情况</p><p>{PROSE}</p>"
    "<table><tr><td><table border=1><tr><td>行政复议</td><td>行政复议</td></tr><tr><td>结果维持</td><td>总计</td></tr>"
    "<tr><td>1</td><td>1</td></tr></table></td></tr></table>"
    f"<p>{PROSE}</p></div></div></div>")


def test_trs_page_with_metadata_table_and_nested_layout_table():
    doc = extract(TRS.encode("utf-8"), None)
    assert doc.meta["索引号"] == "11370000004/2021-00012"
    assert doc.meta["发文日期"] == "2021-01-28"
    assert doc.meta["发布机构"] == "县政府办公室"
    assert doc.meta["名称"] == "某某县2020年政府信息公开工作年度报告"
    assert doc.breadcrumbs == ["首页", "信息公开", "年度报告"]
    # the layout table is not a table; the table inside it counts once
    assert len(doc.tables) == 1
    assert doc.tables[0].grid == [["行政复议", "行政复议"], ["结果维持", "总计"], ["1", "1"]]
    assert doc.text.count("结果维持\t总计") == 1
    assert "索引号" not in doc.text


def test_page_without_known_container_falls_back_to_the_densest_block():
    html = page('<div class="left"><a href="/1">通知公告</a><a href="/2">政策文件</a><a href="/3">领导信息</a></div>'
                f'<div class="wrap"><div class="box"><h1>某某镇2023年政府信息公开工作年度报告</h1>'
                f"<p>{PROSE}</p><p>一、总体情况</p><p>{PROSE}</p></div></div>")
    doc = extract(html.encode(), "text/html")
    assert doc.title == "某某镇2023年政府信息公开工作年度报告"
    assert "通知公告" not in doc.text and "主办单位" not in doc.text
    assert "一、总体情况" in doc.text.splitlines()


def test_gbk_page_declared_in_meta_is_read_as_gb18030():
    html = SHANGHAI.replace('charset="utf-8"', 'charset="gb2312"')
    doc = extract(html.encode("gbk"), "text/html")
    assert doc.meta["charset"] == "gb18030"
    assert doc.title == "上海市某某区2019年政府信息公开工作年度报告"
    assert "本年新制作数量" in doc.text
    # a character outside GB2312 but inside GB18030 survives
    doc = extract(page("<div id='zoom'><p>" + "镕" + PROSE + "</p></div>", charset="gb2312").encode("gb18030"), None)
    assert "镕" in doc.text


def test_header_says_utf8_but_body_is_gbk():
    html = page(f'<div id="zoom"><p>一、总体情况</p><p>{PROSE}</p></div>', charset="utf-8")
    doc = extract(html.encode("gbk"), "text/html; charset=UTF-8")
    assert "一、总体情况" in doc.text and doc.meta["charset"] == "gb18030"


def test_no_declared_charset_is_sniffed():
    html = page(f'<div id="zoom"><p>{PROSE}</p></div>').replace('<meta charset="utf-8">', "")
    assert "政务公开" in extract(html.encode("gbk"), "text/html").text
    assert "政务公开" in extract(html.encode("utf-8"), "text/html; charset=iso-8859-1").text


def test_malformed_markup_is_read_not_refused():
    broken = ("<html><body><div id=zoom><p>一、总体情况<p>" + PROSE + "<table><tr><td>规章<td>0<tr><td>规范性文件"
              "<td>3</table><div><span>未闭合的</b></i>段落" + "</div>" * 50)
    doc = extract(broken.encode(), "text/html")
    assert doc.tables[0].grid == [["规章", "0"], ["规范性文件", "3"]]
    assert "未闭合的段落" in doc.text
    assert extract(b"<html></html>", "text/html").text == ""


def test_colspan_and_rowspan_typos_are_clamped():
    el = lxml.etree.fromstring('<table><tr><td rowspan="999" colspan="abc">甲</td><td>乙</td></tr>'
                              '<tr><td>丙</td></tr><tr><td rowspan="0">丁</td><td colspan="0">戊</td></tr></table>')
    # rowspan 999 stops at the table's end, a bad colspan is 1, colspan="0" is 1
    assert table_grid(el) == [["甲", "乙", ""], ["甲", "丙", ""], ["甲", "丁", "戊"]]


def test_html_speed_is_fine_for_many_pages():
    import time
    data = SHANGHAI.encode()
    start = time.perf_counter()
    for _ in range(20):
        extract(data, "text/html")
    # a loose guard against a pathological slowdown; the real figure is in bench/bench_parse.py
    assert time.perf_counter() - start < 10


def test_old_layout_table_page_keeps_the_data_table_inside_its_content_cell():
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            '<table width="980"><tr><td width="200"><a href="/1">机构概况</a><br><a href="/2">政策法规</a></td>'
            '<td><table width="100%"><tr><td class="bt_content">'
            f"<p>某某县人民政府2012年政府信息公开工作年度报告</p><p>{PROSE}</p><p>附表：统计表</p>"
            "<table border=1><tr><td>指标</td><td>单位</td><td>数量</td></tr><tr><td>收到申请数</td><td>件</td><td>12</td></tr>"
            "</table></td></tr></table></td></tr></table></body></html>")
    doc = extract(html.encode("gbk"), None)
    assert [t.grid for t in doc.tables] == [[["指标", "单位", "数量"], ["收到申请数", "件", "12"]]]
    assert doc.tables[0].caption == "附表：统计表"
    assert doc.title == "某某县人民政府2012年政府信息公开工作年度报告"
    assert "机构概况" not in doc.text


def test_a_page_that_is_only_a_table():
    html = "<html><body><table>" + "<tr>" + "<td>1</td>" * 5 + "</tr>" * 3 + "<tr><td>2</td></tr></table></body></html>"
    doc = extract(html.encode(), "text/html")
    assert len(doc.tables) == 1 and doc.tables[0].grid[0] == ["1"] * 5


def test_density_fallback_keeps_the_prose_around_a_big_table():
    rows = "".join(f"<tr><td>第{i}项统计指标的名称写得很长很长</td><td>{i}</td><td>{i * 2}</td></tr>" for i in range(40))
    html = page('<div class="main"><div class="inner"><p>一、总体情况</p><p>本年度情况如下。</p>'
                f'<table border="1">{rows}</table><p>二、存在的主要问题</p></div></div>')
    doc = extract(html.encode(), "text/html")
    lines = doc.text.splitlines()
    assert lines[0] == "一、总体情况" and lines[-1] == "二、存在的主要问题"
    assert len(doc.tables) == 1 and len(doc.tables[0].grid) == 40


def test_files_shown_in_a_pdf_viewer_or_embed_are_attachments():
    html = page(f'<div id="zoom"><p>{PROSE}</p>'
                '<iframe src="/pdfjs/web/viewer.html?file=/upload/2021/nb.pdf" width="100%"></iframe>'
                '<embed src="files/nb2020.pdf" type="application/pdf"><a href="/upload/fj.docx">附件1</a></div>')
    doc = extract(html.encode(), "text/html", url="http://www.x.gov.cn/art/2021/1/1/a.html")
    assert doc.attachments == [("附件1", "http://www.x.gov.cn/upload/fj.docx"),
                               ("nb.pdf", "http://www.x.gov.cn/upload/2021/nb.pdf"),
                               ("nb2020.pdf", "http://www.x.gov.cn/art/2021/1/1/files/nb2020.pdf")]


def test_nanjing_2008_breadcrumb_is_not_glued_to_a_year_first_title():
    """replica nanjing-2008: a crumb line ("首页 > 政务公开 > 政府信息公开年度报告") right above a
    year-first title that names its publisher is not the title's first half."""
    html = ('<html><head><meta charset="utf-8"><title>x</title></head><body>'
            '<div class="crumb">首页 &gt; 政务公开 &gt; 政府信息公开年度报告</div>'
            '<h1>2008年南京市政府信息公开工作年度报告</h1><div>发布时间：2009-03-17 09:18</div>'
            '<div id="zoom"><p>根据《中华人民共和国政府信息公开条例》规定，编制本报告。</p>'
            '<p>一、主动公开政府信息的情况</p><p>' + "全年主动公开政府信息24264条。" * 20 + '</p></div>'
            '</body></html>')
    doc = extract(html.encode("utf-8"), "text/html")
    assert doc.title == "2008年南京市政府信息公开工作年度报告"
    assert doc.breadcrumbs == ["首页", "政务公开", "政府信息公开年度报告"]
