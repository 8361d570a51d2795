"""The statistics appendix reader over the form's variants (research/legacy.md §1): the national
table of 2014–2018, a local copy with 序号 and columns split by level, the old Shanghai-origin
统计报表 (本期实际 | 本年累计), the 莆田 2009 form (2009年度 | 历年累计), a headerless Beijing copy;
then the same national table as a real HTML page and a real DOCX through ``parser.extract``."""
from __future__ import annotations

import io

import pytest

from parser.document import Table
from parser.extract import extract
from parser.legacy.appendix import read_appendix, read_appendix_table, table_layout, tables_from_text_rows
from parser.legacy.appendix_labels import clean_label, match_label
from parser.settings import ParseSettings

NATIONAL_ROWS = [
    ["一、主动公开情况", "——", "——"],
    ["(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", "条", "179"],
    ["其中:主动公开规范性文件数", "条", "3"],
    ["制发规范性文件总数", "件", "4"],
    ["(二)通过不同渠道和方式公开政府信息的情况", "——", "——"],
    ["1.政府公报公开政府信息数", "条", "0"],
    ["2.政府网站公开政府信息数", "条", "3698"],
    ["3.政务微博公开政府信息数", "条", "120"],
    ["4.政务微信公开政府信息数", "条", "98"],
    ["5.其他方式公开政府信息数", "条", "12"],
    ["二、回应解读情况", "——", "——"],
    ["(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)", "次", "3"],
    ["(二)通过不同渠道和方式回应解读的情况", "——", "——"],
    ["1.参加或举办新闻发布会总次数", "次", "12"],
    ["其中:主要负责同志参加新闻发布会次数", "次", "2"],
    ["2.政府网站在线访谈次数", "次", "0"],
    ["其中:主要负责同志参加政府网站在线访谈次数", "次", "0"],
    ["3.政策解读稿件发布数", "篇", "5"],
    ["4.微博微信回应事件数", "次", "0"],
    ["5.其他方式回应事件数", "次", "3"],
    ["三、依申请公开情况", "——", "——"],
    ["(一)收到申请数", "件", "20"],
    ["1.当面申请数", "件", "5"],
    ["2.传真申请数", "件", "0"],
    ["3.网络申请数", "件", "10"],
    ["4.信函申请数", "件", "5"],
    ["(二)申请办结数", "件", "19"],
    ["1.按时办结数", "件", "18"],
    ["2.延期办结数", "件", "1"],
    ["(三)申请答复数", "件", "19"],
    ["1.属于已主动公开范围数", "件", "3"],
    ["2.同意公开答复数", "件", "8"],
    ["3.同意部分公开答复数", "件", "2"],
    ["4.不同意公开答复数", "件", "2"],
    ["其中:涉及国家秘密", "件", "1"],
    ["涉及商业秘密", "件", "0"],
    ["涉及个人隐私", "件", "1"],
    ["危及国家安全、公共安全、经济安全和社会稳定", "件", "0"],
    ["不是《条例》所指政府信息", "件", "0"],
    ["法律法规规定的其他情形", "件", "0"],
    ["5.不属于本行政机关公开数", "件", "1"],
    ["6.申请信息不存在数", "件", "2"],
    ["7.告知作出更改补充数", "件", "1"],
    ["8.告知通过其他途径办理数", "件", "0"],
    ["四、行政复议数量", "件", "3"],
    ["(一)维持具体行政行为数", "件", "2"],
    ["(二)被依法纠错数", "件", "1"],
    ["(三)其他情形数", "件", "0"],
    ["五、行政诉讼数量", "件", "1"],
    ["(一)维持具体行政行为或者驳回原告诉讼请求数", "件", "1"],
    ["(二)被依法纠错数", "件", "0"],
    ["(三)其他情形数", "件", "——"],
    ["六、因政府信息公开工作被举报投诉数量", "件", "0"],
    ["(一)维持具体行政行为数", "件", ""],
    ["(二)被纠错数", "件", ""],
    ["(三)其他情形数", "件", ""],
    ["七、依申请公开信息收取的费用", "万元", "0.01"],
    ["八、机构建设和保障经费情况", "——", "——"],
    ["(一)政府信息公开工作专门机构数", "个", "1"],
    ["(二)设置政府信息公开查阅点数", "个", "2"],
    ["(三)从事政府信息公开工作人员数", "人", "5"],
    ["1.专职人员数(不包括政府公报及政府网站工作人员数)", "人", "2"],
    ["2.兼职人员数", "人", "3"],
    ["(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)", "万元", "1.5"],
    ["九、政府信息公开会议和培训情况", "——", "——"],
    ["(一)召开政府信息公开工作会议或专题会议数", "次", "2"],
    ["(二)举办各类培训班数", "次", "1"],
    ["(三)接受培训人员数", "人次", "60"],
]

NATIONAL_EXPECTED = {
    "proactive.items": 179, "proactive.normative_docs": 3, "normative_docs.issued": 4,
    "proactive.channel.gazette": 0, "proactive.channel.website": 3698, "proactive.channel.weibo": 120,
    "proactive.channel.wechat": 98, "proactive.channel.other": 12,
    "response.hot_topics": 3, "response.press_conferences": 12, "response.press_conferences_by_head": 2,
    "response.online_interviews": 0, "response.online_interviews_by_head": 0, "response.interpretations": 5,
    "response.weibo_wechat": 0, "response.other": 3,
    "applications.new.total": 20, "applications.channel.in_person": 5, "applications.channel.fax": 0,
    "applications.channel.online": 10, "applications.channel.letter": 5,
    "applications.closed.total": 19, "applications.closed.on_time": 18, "applications.closed.extended": 1,
    "applications.replied": 19, "applications.already_public": 3, "applications.granted.total": 8,
    "applications.partial.total": 2, "applications.denied.total": 2,
    "applications.denied.state_secret.total": 1, "applications.denied.commercial_secret.total": 0,
    "applications.denied.privacy.total": 1, "applications.denied.three_safety.total": 0,
    "applications.denied.not_gov_info.total": 0, "applications.denied.law_other.total": 0,
    "applications.not_own": 1, "applications.not_exist": 2, "applications.need_correction": 1,
    "applications.other_channel": 0,
    "review.total": 3, "review.upheld": 2, "review.corrected": 1, "review.other": 0,
    "litigation.total": 1, "litigation.upheld": 1, "litigation.corrected": 0,
    "complaints.total": 0, "fees.collected_wan_yuan": 0.01,
    "org.offices": 1, "org.reading_points": 2, "staff.total": 5, "staff.full_time": 2, "staff.part_time": 3,
    "funding.special_wan_yuan": 1.5, "meetings.total": 2, "training.sessions": 1, "training.attendees": 60,
}


def _values(reading) -> dict[str, float]:
    return {k: v for k, (v, _) in reading.metrics.items()}


def test_national_form_2014():
    table = Table(grid=[["统计指标", "单位", "统计数"], *NATIONAL_ROWS], index=2, page=7)
    reading = read_appendix_table(table)
    assert _values(reading) == NATIONAL_EXPECTED
    assert reading.findings == []
    evidence = reading.metrics["review.upheld"][1]
    assert (evidence.where, evidence.table, evidence.row, evidence.column, evidence.page) == (
        "table", 2, "(一)维持具体行政行为数", "统计数", 7)


def test_local_copy_with_serial_numbers_and_a_total_over_levels():
    grid = [["序号", "统计指标", "单位", "区政府统计数", "区直单位统计数", "乡镇街道统计数", "合计"],
            ["1", "收到申请数", "件", "3", "10", "2", "15"],
            ["2", "当面申请数", "件", "1", "4", "2", "7"],
            ["3", "网络申请数", "件", "2", "6", "0", "8"],
            ["4", "行政复议数量", "件", "0", "1", "0", "1"],
            ["5", "行政诉讼数量", "件", "0", "0", "0", "0"]]
    reading = read_appendix_table(Table(grid=grid))
    assert _values(reading) == {"applications.new.total": 15, "applications.channel.in_person": 7,
                                "applications.channel.online": 8, "review.total": 1, "litigation.total": 0}
    assert reading.metrics["applications.new.total"][1].column == "合计"


def test_columns_split_by_level_without_a_total_give_nothing_and_say_so():
    grid = [["序号", "统计指标", "单位", "区政府统计数", "区直单位统计数", "乡镇街道统计数"],
            ["1", "收到申请数", "件", "3", "10", "2"],
            ["2", "当面申请数", "件", "1", "4", "2"],
            ["3", "网络申请数", "件", "2", "6", "0"]]
    reading = read_appendix_table(Table(grid=grid))
    assert reading.metrics == {}
    assert [f.rule for f in reading.findings] == ["legacy.appendix_unread"]


def test_old_shanghai_form_with_codes_and_year_to_date_column():
    grid = [["指标名称", "计量单位", "代码", "本期实际", "本年累计"],
            ["主动公开信息数", "条", "01", "30", "120"],
            ["其中:全文电子化的主动公开信息数", "条", "02", "30", "118"],
            ["新增的行政规范性文件数", "条", "03", "1", "4"],
            ["现场接待人数", "人次", "06", "10", "55"],
            ["申请总数", "条", "10", "3", "9"],
            ["其中:1.当面申请数", "条", "11", "1", "3"],
            ["2.传真申请数", "条", "12", "0", "0"],
            ["3.电子邮件申请数", "条", "13", "1", "2"],
            ["4.网上申请数", "条", "14", "1", "3"],
            ["5.信函申请数", "条", "15", "0", "1"],
            ["6.其他形式申请数", "条", "16", "0", "0"],
            ["对申请的答复总数", "条", "17", "3", "9"],
            ["其中:1.同意公开答复数", "条", "18", "2", "5"],
            ["2.同意部分公开答复数", "条", "19", "0", "1"],
            ["3.否决公开答复总数", "条", "20", "1", "3"],
            ["其中:(1)“非《规定》所指政府信息”数", "条", "21", "0", "1"],
            ["(2)“信息不存在”数", "条", "22", "1", "1"],
            ["(3)“非本部门掌握”数", "条", "23", "0", "1"],
            ["行政复议数", "件", "32", "0", "1"],
            ["行政诉讼数", "件", "33", "0", "0"],
            ["行政申诉数", "件", "34", "0", "0"],
            ["收取费用总数", "元", "36", "0", "20"],
            ["其中:依申请公开收费总数", "元", "43", "0", "15"],
            ["处理政府信息公开的专项经费", "万元", "54", "0", "2"]]
    reading = read_appendix_table(Table(grid=grid))
    assert _values(reading) == {
        "proactive.items": 120, "normative_docs.issued": 4, "consultations.onsite": 55,
        "applications.new.total": 9, "applications.channel.in_person": 3, "applications.channel.fax": 0,
        "applications.channel.email": 2, "applications.channel.online": 3, "applications.channel.letter": 1,
        "applications.channel.other": 0, "applications.replied": 9, "applications.granted.total": 5,
        "applications.partial.total": 1, "applications.denied.not_gov_info.total": 1, "applications.not_exist": 1,
        "applications.not_own": 1, "review.total": 1, "litigation.total": 0, "appeals.total": 0,
        "fees.collected_yuan": 15, "funding.special_wan_yuan": 2,
    }
    assert "applications.denied.total" not in reading.metrics  # 否决公开 ≠ 不同意公开 (trap 3.17)
    assert reading.metrics["fees.collected_yuan"][1].row == "其中:依申请公开收费总数"


def test_putian_2009_form_takes_the_year_column_never_the_cumulative_one():
    grid = [["指标名称", "计量单位", "2009年度", "历年累计"],
            ["主动公开信息数", "条", "120", "800"],
            ["其中:1.政府网站", "条", "100", "700"],
            ["2.政府公报", "条", "20", "100"],
            ["受理依申请公开信息总数", "条", "6", "30"],
            ["本年度对申请的答复总数", "条", "6", "30"],
            ["行政复议数", "件", "0", "2"],
            ["行政诉讼数", "件", "0", "1"]]
    reading = read_appendix_table(Table(grid=grid))
    assert _values(reading) == {"proactive.items": 120, "proactive.channel.website": 100,
                                "proactive.channel.gazette": 20, "applications.new.total": 6,
                                "applications.replied": 6, "review.total": 0, "litigation.total": 0}
    assert reading.metrics["proactive.items"][1].column == "2009年度"


def test_headerless_beijing_copy_with_key_area_rows_and_fees_in_yuan():
    grid = [["重点领域公开政府信息数", "条", "24"],
            ["主动公开政府信息数", "条", "104"],
            ["收到申请数", "件", "2"],
            ["同意公开答复数", "件", "2"],
            ["依申请公开信息收取的费用", "元", "0"]]
    reading = read_appendix_table(Table(grid=grid))
    assert _values(reading) == {"proactive.items": 104, "applications.new.total": 2,
                                "applications.granted.total": 2, "fees.collected_yuan": 0}


def test_a_table_that_is_not_the_appendix_gives_nothing():
    grid = [["序号", "栏目", "条数"], ["1", "工作动态", "80"], ["2", "政策文件", "31"], ["3", "财政信息", "2"]]
    reading = read_appendix_table(Table(grid=grid))
    assert reading.metrics == {} and reading.findings == []


def test_channel_rows_against_the_total_when_the_form_lists_every_channel_it_has():
    rows = [["收到申请数", "件", "20"], ["当面申请数", "件", "5"], ["传真申请数", "件", "0"],
            ["网络申请数", "件", "10"], ["信函申请数", "件", "4"]]
    reading = read_appendix_table(Table(grid=[["统计指标", "单位", "统计数"], *rows]))
    assert [f.rule for f in reading.findings] == ["applications.channels"]
    assert reading.findings[0].values["applications.new.total"] == 20


def test_two_tables_disagreeing_keep_the_first():
    head = ["统计指标", "单位", "统计数"]
    rows = [["收到申请数", "件", "20"], ["当面申请数", "件", "5"], ["网络申请数", "件", "15"]]
    other = [["收到申请数", "件", "21"], ["当面申请数", "件", "5"], ["网络申请数", "件", "16"]]
    reading = read_appendix([Table(grid=[head, *rows], index=0), Table(grid=[head, *other], index=1)])
    assert reading.metrics["applications.new.total"][0] == 20
    assert {f.rule for f in reading.findings} == {"legacy.appendix_conflict"}


@pytest.mark.parametrize("label,block,key", [
    ("(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", None, "proactive.items"),
    ("3.同意部分公开答复数", "applications", "applications.partial.total"),
    ("4.不同意公开答复数", "applications", "applications.denied.total"),
    ("其中:主要负责同志参加新闻发布会次数", "response", "response.press_conferences_by_head"),
    ("(三)其他情形数", "litigation", "{block}.other"),
    ("(三)其他情形数", "applications", None),
    ("05 网站专栏页面访问量", None, None),
    # 福建's forms (平潭 2012 and 2018, tests/data/real/fujian-*pingtan-*)
    ("主动公开文件数", None, "proactive.items"),
    ("其中：1.网站公开", "proactive", "proactive.channel.website"),
    ("其中：1.政府网站公开数", "proactive", "proactive.channel.website"),
    ("2.政府公报公开数", "proactive", "proactive.channel.gazette"),
    ("2.政府公报公开", "proactive", "proactive.channel.gazette"),
    ("对申请的答复数", "applications", "applications.replied"),
    ("3.不予公开答复数", "applications", "applications.denied.total"),
    ("3.否决公开答复数", "applications", None),  # trap 3.17: the old 否决 total holds more than denials
])
def test_labels_match_by_meaning(label, block, key):
    spec = match_label(clean_label(label), block)
    assert (spec.key if spec else None) == key


def test_layout_of_the_old_form_skips_codes_and_cumulative_columns():
    layout = table_layout(Table(grid=[["指标名称", "计量单位", "代码", "本期实际", "历年累计"], ["申请总数", "条", "10", "3", "9"]]))
    assert (layout.label_cols, layout.unit_col, layout.value_col) == ((0,), 1, 3)


def _national_html() -> bytes:
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in NATIONAL_ROWS)
    return (
        "<html><head><meta charset='utf-8'><title>某区2016年政府信息公开工作年度报告</title></head><body>"
        "<div class='article'><h1>某区2016年政府信息公开工作年度报告</h1>"
        "<p>2016年,全区共收到政府信息公开申请21件。</p><p>附件:政府信息公开情况统计表</p>"
        f"<table border='1'><tr><td>统计指标</td><td>单位</td><td>统计数</td></tr>{rows}</table>"
        "</div></body></html>"
    ).encode("utf-8")


def test_national_form_in_a_real_html_page():
    doc = extract(_national_html(), "text/html", None, ParseSettings())
    reading = read_appendix(doc.tables)
    assert _values(reading) == NATIONAL_EXPECTED


def test_national_form_in_a_real_docx():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("某区2016年政府信息公开工作年度报告")
    document.add_paragraph("附件:政府信息公开情况统计表")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("统计指标", "单位", "统计数")):
        cell.text = text
    for row in NATIONAL_ROWS:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    doc = extract(buf.getvalue(), media, None, ParseSettings())
    assert _values(read_appendix(doc.tables)) == NATIONAL_EXPECTED


def test_table_rows_kept_as_text_lines_become_tables():
    text = ("附表:\n| 统计指标 | 单位 | 统计数 |\n| (一)收到申请数 | 件 | 20 |\n| 1.当面申请数 | 件 | 5 |\n"
            "| 四、行政复议数量 | 件 | 1 |\n正文。\n索 引 号 | 0144/2018-04736 | 分 类 | 年报 |\n")
    [table] = tables_from_text_rows(text, first_index=3)
    assert table.index == 3 and table.grid[1] == ["(一)收到申请数", "件", "20"]
    assert _values(read_appendix([table])) == {"applications.new.total": 20, "applications.channel.in_person": 5,
                                               "review.total": 1}


def test_a_table_cut_by_a_page_break_continues_with_its_layout_and_block():
    first = Table(grid=[["序号", "统计指标", "单位", "统计数"], ["1", "收到申请数", "件", "20"],
                        ["2", "当面申请数", "件", "5"], ["3", "行政复议数量", "件", "3"],
                        ["4", "(一)维持具体行政行为数", "件", "2"]], index=0, page=3)
    rest = Table(grid=[["5", "(二)被依法纠错数", "件", "1"], ["6", "(三)其他情形数", "件", "0"]], index=1, page=4)
    reading = read_appendix([first, rest])
    assert _values(reading) == {"applications.new.total": 20, "applications.channel.in_person": 5,
                                "review.total": 3, "review.upheld": 2, "review.corrected": 1, "review.other": 0}
    assert reading.metrics["review.other"][1].page == 4
    assert read_appendix_table(rest).metrics == {}  # alone it is no appendix


def test_a_first_column_merged_over_a_block_names_the_block():
    grid = [["统计指标", "统计指标", "单位", "统计数"],
            ["四、行政复议", "(一)维持具体行政行为数", "件", "2"],
            ["四、行政复议", "(二)被依法纠错数", "件", "1"],
            ["五、行政诉讼", "(一)维持具体行政行为或者驳回原告诉讼请求数", "件", "1"],
            ["五、行政诉讼", "(三)其他情形数", "件", "0"]]
    assert _values(read_appendix_table(Table(grid=grid))) == {
        "review.upheld": 2, "review.corrected": 1, "litigation.upheld": 1, "litigation.other": 0}


def test_headerless_copy_with_serial_numbers():
    grid = [["1", "收到申请数", "件", "7"], ["2", "同意公开答复数", "件", "5"], ["3", "不同意公开答复数", "件", "2"],
            ["", "其中:涉及个人隐私", "件", "2"]]
    assert _values(read_appendix_table(Table(grid=grid))) == {
        "applications.new.total": 7, "applications.granted.total": 5, "applications.denied.total": 2,
        "applications.denied.privacy.total": 2}


def test_a_form_on_one_line_with_spaces_between_its_cells_is_read_row_by_row():
    """平潭 2011 and 2013 (tests/data/real/fujian-pingtan-*): the whole 统计表 on one line, its header
    split by spaces (计量 单位, 2011 年度); a row with a cell missing is skipped, never guessed."""
    text = ("七、统计表 指标名称 计量 单位 2011 年度 历年累计 主动公开信息数 条 425 1516 其中：1.网站公开 条 418 1509 "
            "2.政府公报公开 条 7 受理依申请公开信息总数 条 3 9 其中：1.当面申请数 条 1 2 对申请的答复数 条 3 9 "
            "行政复议数 条 0 0 附件下载")
    tables = tables_from_text_rows(text)
    assert [row[:3] for row in tables[0].grid] == [
        ["指标名称", "计量单位", "2011年度"], ["主动公开信息数", "条", "425"], ["其中：1.网站公开", "条", "418"],
        ["受理依申请公开信息总数", "条", "3"], ["其中：1.当面申请数", "条", "1"], ["对申请的答复数", "条", "3"],
        ["行政复议数", "条", "0"]]
    assert _values(read_appendix(tables)) == {
        "proactive.items": 425, "proactive.channel.website": 418, "applications.new.total": 3,
        "applications.channel.in_person": 1, "applications.replied": 3, "review.total": 0}
    # glued cells (条4251516) give no table at all
    assert tables_from_text_rows("指标名称计量单位2011年度历年累计主动公开信息数条4251516其中：1.网站公开条41815092.政府公报公开条77") == []
