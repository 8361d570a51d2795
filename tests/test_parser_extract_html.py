"""HTML reader: content containers of several CMS families, tables of Word-pasted markup, meta,
bylines, breadcrumbs, attachments, charsets, malformed markup."""
from __future__ import annotations

from parser.extract import extract
from parser.extract.html_tables import table_grid
import lxml.html

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
DENIED = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
          "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
REJECTED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息"]
PROSE = "2019年，我区认真贯彻落实新修订的《中华人民共和国政府信息公开条例》，围绕区委区政府中心工作，扎实推进政务公开。" * 3


def td(text: str, **attrs) -> str:
    """A Word-pasted cell: nowrap, a width style, the text in <p align="center"><span>."""
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<td nowrap style="width:64px"{extra}><p align="center"><span lang="EN-US">{text}</span></p></td>'


def numbers(k: int) -> str:
    # blanks written as &nbsp; in some cells, as on real pages
    return "".join(td("&nbsp;" if (k + j) % 5 == 0 else str(k + j)) for j in range(7))


def word_table3() -> str:
    rows = [
        "<tr>" + td(NOTE, rowspan=3, colspan=3) + td("申请人情况", colspan=7) + "</tr>",
        "<tr>" + td("自然人", rowspan=2) + td("法人或其他组织", colspan=5) + td("总计", rowspan=2) + "</tr>",
        "<tr>" + "".join(td(h) for h in ["商业<br />企业", "科研<br>机构", "社会公益<br/>组织", "法律服务<br>机构", "其他"]) + "</tr>",
        "<tr>" + td("一、本年新收政府信息公开申请数量", colspan=3) + numbers(1) + "</tr>",
        "<tr>" + td("二、上年结转政府信息公开申请数量", colspan=3) + numbers(2) + "</tr>",
        "<tr>" + td("三、本年度办理结果", rowspan=20) + td("（一）予以公开", colspan=2) + numbers(3) + "</tr>",
        "<tr>" + td("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2) + numbers(4) + "</tr>",
    ]
    rows += ["<tr>" + (td("（三）不予公开", rowspan=8) if i == 0 else "") + td(t) + numbers(5 + i) + "</tr>"
             for i, t in enumerate(DENIED)]
    rows += ["<tr>" + (td("（四）无法提供", rowspan=3) if i == 0 else "") + td(t) + numbers(13 + i) + "</tr>"
             for i, t in enumerate(UNABLE)]
    rows += ["<tr>" + (td("（五）不予处理", rowspan=5) if i == 0 else "") + td(t) + numbers(16 + i) + "</tr>"
             for i, t in enumerate(REJECTED)]
    rows += ["<tr>" + td("（六）其他处理", colspan=2) + numbers(21) + "</tr>",
             "<tr>" + td("（七）总计", colspan=2) + numbers(22) + "</tr>",
             "<tr>" + td("四、结转下年度继续办理", colspan=3) + numbers(23) + "</tr>"]
    return ('<table class="MsoNormalTable" align="center" border="1" cellspacing="1">'
            + "\n".join(rows) + "</table>")


def word_table2() -> str:
    return ('<table class="MsoNormalTable" border="1"><tbody>'
            "<tr>" + td("第二十条第（一）项", colspan=4) + "</tr>"
            "<tr>" + td("信息内容") + td("本年新<br />制作数量") + td("本年新<br />公开数量") + td("对外公开<br />总数量") + "</tr>"
            "<tr>" + td("规章") + td("0") + td("&nbsp;") + td("１２") + "</tr>"
            "<tr>" + td("规范性文件") + td("3") + td("3") + td("40") + "</tr></tbody></table>")


def page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}">{head}'
            "<title>上海市某某区2019年政府信息公开工作年度报告_某某区人民政府</title></head><body>"
            '<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/hd/">互动交流</a></li></ul></div>' + body
            + '<div class="footer">主办单位：某某区人民政府办公室 网站标识码3100000087 沪ICP备12345号 网站地图 联系我们</div>'
            "</body></html>")


SHANGHAI = page(
    '<div class="crumbs">您的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
    '<a href="/zwgk/nb/">政府信息公开年报</a></div>'
    '<h2 class="Article-title">上海市某某区2019年政府信息公开工作年度报告</h2>'
    '<div class="Article-time">发布时间：2020-03-26 10:24 来源：区政府办公室 浏览次数：<span>56</span></div>'
    '<div id="ivs_content" class="Article_content">'
    f"<p>一、总体情况</p><p>{PROSE}</p><p>二、主动公开政府信息情况</p>{word_table2()}"
    f"<p>三、收到和处理政府信息公开申请情况</p>{word_table3()}<p>四、存在的主要问题及改进情况</p><p>{PROSE}</p>"
    '<div class="bdsharebuttonbox">分享到：<a href="#">微信</a><a href="#">微博</a></div>'
    '<p>附件：<a href="/upload/2020/nb2019.pdf">某某区2019年年报（PDF版）</a></p></div>'
    '<div class="xgwz"><h3>相关文章</h3><ul><li><a href="/a/1.html">某某区2018年政府信息公开工作年度报告</a></li></ul></div>',
    head='<meta name="ArticleTitle" content="上海市某某区2019年政府信息公开工作年度报告">'
         '<meta name="PubDate" content="2020-03-26 10:24"><meta name="SiteName" content="上海某某">'
         '<meta name="ContentSource" content="区政府办公室"><meta name="ColumnName" content="政府信息公开年报">')


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
    el = lxml.html.fromstring('<table><tr><td rowspan="999" colspan="abc">甲</td><td>乙</td></tr>'
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
