"""Every character of a report is searchable: the header block outside the content container, the
introduction before the first heading, the table cells — not only the sections (issue 11, item 1).

The page below has the shape of a real TRS page (a 索引号 / 发文日期 table above the
``TRS_Editor`` container, an introduction, then the numbered sections with a template table).
It goes through the real pipeline: `xxgk import` into a home, `xxgk index` with each backend,
`xxgk search`.
"""
from __future__ import annotations

import json

import pytest

from parser import parse
from tests.conftest import run_cli
from search_backends import BACKENDS, pg_search_url, pg_server, use_backend  # noqa: F401

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>临安区2020年政府信息公开工作年度报告</title></head><body>
<div class="nav">首页 &gt; 政府信息公开 &gt; 年度报告</div>
<table class="xxgk_info">
<tr><td>索 引 号：</td><td>002504235/2021-01893</td><td>发布机构：</td><td>临安区人民政府办公室</td></tr>
<tr><td>主题分类：</td><td>政务公开</td><td>发文日期：</td><td>2021-01-28</td></tr>
</table>
<h1>临安区2020年政府信息公开工作年度报告</h1>
<div class="TRS_Editor">
<p>本报告由杭州市临安区人民政府办公室根据《中华人民共和国政府信息公开条例》要求编制，统计期限自2020年1月1日起至12月31日止，电子版可在临安区政府门户网站查阅下载。</p>
<p>一、总体情况</p>
<p>2020年，临安区围绕数字化改革深入推进政务公开，天目山下的村社公开栏全部完成标准化改造。</p>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1">
<tr><td colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td>自然人</td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>86</td><td>7</td><td>0</td><td>0</td><td>2</td><td>0</td><td>95</td></tr>
<tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>8</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>8</td></tr>
</table>
<p>五、存在的主要问题及改进情况</p>
<p>部分单位对依申请公开答复的规范性把握不够，下一步将加强业务培训。</p>
</div></body></html>
"""

# (what it is, a phrase a reader sees on the page)
PHRASES = [
    ("header block, outside the content container", "002504235/2021-01893"),
    ("header block label", "主题分类"),
    ("introduction before the first heading", "电子版可在临安区政府门户网站查阅下载"),
    ("body of a section", "天目山下的村社公开栏"),
    ("a table's row label", "上年结转政府信息公开申请数量"),
    ("a table's header cell", "社会公益组织"),
    ("the table's note", "勾稽关系"),
]


def test_record_text_holds_every_part_of_the_page():
    record = parse(PAGE.encode("utf-8"), "text/html", "http://www.linan.gov.cn/art/2021/1/28/art_1.html")
    squeezed = "".join(record.text.split())
    for what, phrase in PHRASES:
        assert "".join(phrase.split()) in squeezed, what
    # the page furniture is not the report's text
    assert "首页" not in record.text
    # the sections stay as they are (for --section): the introduction is in no section
    assert record.sections and all("电子版可在" not in s.text for s in record.sections)
    assert record.to_dict()["text"] == record.text


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_part_of_an_imported_page_is_found(tmp_path, backend, request):
    use_backend(request, backend)  # postgres: XXGK_INDEX_URL names the database the CLI indexes into
    page = tmp_path / "in" / "linan-2020.html"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    home = tmp_path / "home"
    assert run_cli("import", str(page.parent), "--home", str(home), "--no-index").returncode == 0
    built = run_cli("index", "--rebuild", "--backend", backend, "--home", str(home))
    assert built.returncode == 0, built.stderr
    for what, phrase in PHRASES:
        out = run_cli("search", f'"{phrase}"', "--json", "--home", str(home))
        assert out.returncode == 0, (what, out.stderr)
        hits = json.loads(out.stdout)["hits"]
        assert len(hits) == 1, (what, phrase, out.stdout[:500])
    # and the section filter still narrows to the section's own text
    inside = json.loads(run_cli("search", "天目山", "--section", "总体情况", "--json", "--home", str(home)).stdout)
    outside = json.loads(run_cli("search", "勾稽关系", "--section", "存在的主要问题", "--json", "--home", str(home)).stdout)
    assert len(inside["hits"]) == 1 and outside["hits"] == []
