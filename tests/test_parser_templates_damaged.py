"""parser.templates with damaged labels: a row is placed by its words, else by the template's numbering or
its position in its group when that is certain (with a ``table.label_by_position`` finding), else left
out (``table.unplaced``); it is never written to another key, and a damaged item is never its group's
subtotal.

The real case: a PDF's table-3 cell 「2.其他法律行政法规禁止公开」 came out as 「2.其他法律行政止公开」
(characters lost where the cell wraps) and its seven values were stored as ``applications.denied.*``.
Here every kind of damage (lost, swapped and OCR-substituted characters, a lost ordinal, two damaged rows
side by side, a damaged group heading, a label that reads as its sibling) is drawn into every fixture
layout of both templates (HTML, PDF, DOCX, text), read back, and compared with the truth.
"""
from __future__ import annotations

import pytest

from fixtures import reportrender
from fixtures.reportgen import FORMATS, LAYOUTS, random_record
from fixtures.reportlayout import build_tables
from parser.document import Document, Table
from parser.extract import extract
from parser.templates import read_template_tables, t3_row, t3_row_key

HEADLINE = ("applications.denied.total", "litigation.total")
_RENDER = {"html": (reportrender.render_html, "text/html"), "pdf": (reportrender.render_pdf, "application/pdf"),
           "text": (reportrender.render_text, "text/plain"),
           "docx": (reportrender.render_docx,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}
# the text copy is read by parser.template_text, which places a row by its words only
GRID_LAYOUTS = tuple(name for name, spec in LAYOUTS.items() if spec.renderer != "text")
# one layout of each label structure and reader (1, 2 and 3 label columns, merged or repeated, short
# labels, a cut table, PDF with and without rules, DOCX, text); the real case runs in every layout
SOME_LAYOUTS = ("html_clean", "html_split3", "html_header3", "html_short", "html_t3split", "pdf_cid", "pdf_open",
                "docx", "txt_copy")


def _read_damaged(fmt: str, layout: str, damage: list[tuple[str, str]], seed: int = 3):
    """(truth cells, metrics read, findings) of a record drawn with ``damage`` applied to every cell's text."""
    truth = random_record(fmt, seed)
    spec = LAYOUTS[layout]
    tables = build_tables(truth, spec.style)
    for table in tables:
        for row in table.rows:
            for cell in row:
                for old, new in damage:
                    cell.text = cell.text.replace(old, new)
    render, media_type = _RENDER[spec.renderer]
    reading = read_template_tables(extract(render(truth, tables, spec), media_type), fmt)
    cells = {k: v for k, v in truth["metrics"].items() if k not in HEADLINE}
    return cells, {k: v for k, (v, _) in reading.metrics.items()}, reading.findings


def _row_keys(row: str) -> set[str]:
    return {f"applications.{row}.{c}" for c in ("natural", "commercial", "research", "social", "legal", "other_org",
                                                "total")}


# (id, replacements, formats, rows placed by numbering or position, rows left out, layouts of the exact check)
SCENARIOS = [
    ("lost_characters", [("其他法律行政法规禁止公开", "其他法律行政止公开")],
     FORMATS, {"denied.law_forbidden"}, set(), GRID_LAYOUTS),
    ("swapped_characters", [("属于四类过程性信息", "属于四类程过性信息")],
     FORMATS, {"denied.process"}, set(), GRID_LAYOUTS),
    ("ocr_substitutions", [("属于行政执法案卷", "属于行政执法案巻"), ("本机关不掌握相关政府信息", "本机关不掌搱相关政府信息")],
     FORMATS, {"denied.enforcement_file", "unable.not_held"}, set(), GRID_LAYOUTS),
    ("missing_ordinal", [("4.保护第三方合法权益", "保护第二方合法权益"), ("保护第三方合法权益", "保护第二方合法权益")],
     FORMATS, {"denied.third_party"}, set(), GRID_LAYOUTS),
    # the last item of its group: certain only when the next row is in the same table (not the cut layout)
    ("missing_ordinal_last_item", [("8.属于行政查询事项", "属于行政查洵事项"), ("属于行政查询事项", "属于行政查洵事项")],
     FORMATS, {"denied.query"}, set(), tuple(x for x in GRID_LAYOUTS if x != "html_t3split")),
    ("two_unnumbered_side_by_side", [("5.属于三类内部事务信息", "属于三类内部事物"), ("属于三类内部事务信息", "属于三类内部事物"),
                                     ("6.属于四类过程性信息", "属于四类过程信息"), ("属于四类过程性信息", "属于四类过程信息")],
     FORMATS, set(), {"denied.internal", "denied.process"}, GRID_LAYOUTS),
    ("other_group_item", [("逾期不补正", "逾期不补")], ("gb2021",), {"other.no_correction"}, set(), GRID_LAYOUTS),
    # rows outside a group: placed by their numbering only (short labels have none: not in the exact check)
    ("top_row", [("四、结转下年度继续办理", "四、结转下午度继绩办理")],
     FORMATS, {"carried_out"}, set(), tuple(x for x in GRID_LAYOUTS if x != "html_short")),
    ("results_row", [("（七）总计", "（七）总")],
     FORMATS, {"processed_total"}, set(), tuple(x for x in GRID_LAYOUTS if x != "html_short")),
    ("gb2019_other_row", [("（六）其他处理", "（六）其他处")],
     ("gb2019",), {"other.total"}, set(), tuple(x for x in GRID_LAYOUTS if x != "html_short")),
    # a label that reads as its sibling (大量重复申请 holds 重复申请): neither row is taken by those words
    ("reads_as_a_sibling", [("无正当理由大量反复申请", "无正当理由大量重复申请")],
     FORMATS, set(), {"rejected.mass_repeat"}, tuple(x for x in GRID_LAYOUTS if x != "html_short")),
]


_CASES = [(s, f, lay) for s in SCENARIOS for f in s[2] for lay in (sorted(LAYOUTS) if s is SCENARIOS[0] else SOME_LAYOUTS)]


@pytest.mark.parametrize("scenario,fmt,layout", _CASES, ids=[f"{s[0]}-{f}-{lay}" for s, f, lay in _CASES])
def test_a_damaged_label_is_placed_where_certain_else_left_out_never_elsewhere(scenario, fmt, layout):
    name, damage, _, numbered, left_out, exact_layouts = scenario
    cells, got, findings = _read_damaged(fmt, layout, damage)
    # whatever the layout: every number read is the truth's number under its own key
    assert {k: v for k, v in got.items() if cells.get(k) != v} == {}
    if layout not in exact_layouts:
        return
    missing = set().union(*(_row_keys(r) for r in left_out)) if left_out else set()
    assert got == {k: v for k, v in cells.items() if k not in missing}
    by_position = {f.values["key"] for f in findings if f.rule == "table.label_by_position"}
    assert by_position == {f"applications.{r}" for r in numbered}
    assert all(f.severity == "warning" for f in findings)
    for f in findings:
        if f.rule == "table.label_by_position":
            assert f.values["row"] and f.values["row"] in f.message  # the label as written
    assert len([f for f in findings if f.rule == "table.unplaced"]) == 7 * len(left_out)
    assert {f.rule for f in findings} <= {"table.label_by_position", "table.unplaced"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", SOME_LAYOUTS)
def test_a_damaged_group_heading_still_opens_its_group(fmt, layout):
    cells, got, findings = _read_damaged(fmt, layout, [("（四）无法提供", "（四）无法提"), ("无法提供", "无法提")])
    assert {k: v for k, v in got.items() if cells.get(k) != v} == {}
    if layout == "txt_copy":
        return
    assert got == cells
    # where the heading shares a row with an item, the item's group came from the heading's number
    assert {f.values["key"] for f in findings} <= {f"applications.unable.{k}" for k in ("not_held", "need_create", "unclear")}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", SOME_LAYOUTS)
@pytest.mark.parametrize("damage", [
    [("社会公益组织", "社会公益组")],  # a sub-column under 法人或其他组织 is not its parent
    [("商业企业", "商止企")],
    [("复议后起诉", "复议后起")],
    [("未经复议直接起诉", "未经复议直接起")],
    [("结果纠正", "结果纠"), ("尚未审结", "尚末审结")],
    [("行政事业性收费", "行政事业收费")],
    [("本年新公开数量", "本年新开数量"), ("本年处理决定数量", "本年处理定数量")],
], ids=["t3_column", "t3_column_first", "t4_group", "t4_group_loose", "t4_leaves", "t2_item", "t2_columns"])
def test_damaged_column_and_table_2_and_4_labels_never_give_a_wrong_key(damage, layout, fmt):
    cells, got, findings = _read_damaged(fmt, layout, damage)
    assert {k: v for k, v in got.items() if cells.get(k) != v} == {}
    if set(got) != set(cells):
        assert any(f.rule == "table.unplaced" for f in findings)


# --- the rules, on grids ------------------------------------------------------------------------

HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "总计"]


def _read(rows: list[list[str]], fmt: str = "gb2021", header: list[str] = HEADER):
    reading = read_template_tables(Document(text="", media_type="text/html", tables=[Table([header, *rows])]), fmt)
    return {k: v for k, (v, _) in reading.metrics.items()}, reading.findings


def test_the_real_case_is_read_as_its_item_by_its_number_with_a_finding():
    m, findings = _read([["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "0", "0"],
                         ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政止公开", "4", "4"]],
                        header=["", "", ""] + HEADER[1:])
    assert m == {"applications.denied.state_secret.natural": 0, "applications.denied.state_secret.total": 0,
                 "applications.denied.law_forbidden.natural": 4, "applications.denied.law_forbidden.total": 4}
    assert [(f.rule, f.severity, f.values["key"]) for f in findings] == [
        ("table.label_by_position", "warning", "applications.denied.law_forbidden")]
    assert "2.其他法律行政止公开" in findings[0].message


def test_a_group_heading_alone_is_still_its_subtotal():
    m, findings = _read([["（三）不予公开", "5", "5"], ["1.属于国家秘密", "5", "5"]])
    assert m["applications.denied.natural"] == 5 and m["applications.denied.state_secret.total"] == 5
    assert findings == []


def test_a_number_beyond_its_group_or_without_a_group_is_left_out():
    m, findings = _read([["（四）无法提供", "", ""], ["4.本机关不掌搱", "1", "1"]])
    assert m == {} and {f.rule for f in findings} == {"table.unplaced"}
    m, findings = _read([["2.其他法律行政止公开", "1", "1"]])  # no group known
    assert m == {} and len(findings) == 2


def test_words_and_number_that_disagree_place_nothing():
    m, findings = _read([["（五）不予处理", "", ""], ["2.重复申请", "1", "1"], ["4.无正当理由大量重复申请", "3", "3"]])
    assert m == {"applications.rejected.duplicate.natural": 1, "applications.rejected.duplicate.total": 1}
    assert all("numbered 4" in f.message for f in findings) and len(findings) == 2


def test_a_number_another_row_already_names_is_not_taken():
    # the group heading is lost: "1." would be item 1 of the group still open, which 属于国家秘密 already is
    m, findings = _read([["（三）不予公开", "", ""], ["1.属于国家秘密", "2", "2"], ["8.属于行政查询事项", "0", "0"],
                         ["1.本机关不掌搱相关政府信息", "7", "7"]])
    assert "applications.denied.state_secret.natural" in m and m["applications.denied.state_secret.natural"] == 2
    assert not any(k.startswith("applications.unable") for k in m)
    assert len([f for f in findings if f.rule == "table.unplaced"]) == 2


def test_a_position_is_certain_only_between_two_known_neighbours():
    rows = [["（三）不予公开", "", ""], ["1.属于国家秘密", "1", "1"], ["其他法律行政止公开", "2", "2"],
            ["3.危及“三安全一稳定”", "3", "3"]]
    m, findings = _read(rows)
    assert m["applications.denied.law_forbidden.natural"] == 2
    assert findings[0].values["key"] == "applications.denied.law_forbidden" and "position" in findings[0].message
    m, findings = _read(rows[:3])  # the last row of the table: what follows is not known
    assert "applications.denied.law_forbidden.natural" not in m and "applications.denied.natural" not in m


def test_a_label_naming_another_groups_later_item_does_not_switch_groups():
    m, findings = _read([["（三）不予公开", "", ""], ["1.属于国家秘密", "1", "1"], ["补正后申请内容仍不明确", "2", "2"]])
    assert not any(k.startswith("applications.unable") for k in m)
    assert len(findings) == 2


def test_a_damaged_gb2021_other_heading_gives_its_group_to_the_item_beside_it():
    header = ["", "", ""] + HEADER[1:]
    row = ["三、本年度办理结果", "（六）其他处", "3.其他", "6", "6"]
    m, findings = _read([row], "gb2021", header)
    assert m == {"applications.other.other.natural": 6, "applications.other.other.total": 6}
    assert findings[0].rule == "table.label_by_position"
    m, findings = _read([["三、本年度办理结果", "（六）其他处", "（六）其他处", "6", "6"]], "gb2019", header)
    assert m == {"applications.other.total.natural": 6, "applications.other.total.total": 6}
    m, findings = _read([["三、本年度办理结果", "（三）不予公", "（三）不予公", "6", "6"]], "gb2019", header)
    assert m == {} and {f.rule for f in findings} == {"table.unplaced"}  # never a subtotal from a damaged heading


def test_a_damaged_parent_column_is_not_its_other_sub_column():
    header = ["项目", "自然人", "法人或其他组", "总计"]
    m, findings = _read([["一、本年新收政府信息公开申请数量", "3", "1", "4"]], header=header)
    assert m == {"applications.new.natural": 3, "applications.new.total": 4}
    assert [f.values["text"] for f in findings] == ["1"]


def test_the_words_only_api_leaves_numbered_rows_to_the_table_reader():
    assert t3_row(["2.其他法律行政止公开"], "denied", "gb2021").key == "denied.law_forbidden"
    key, context, why = t3_row_key(["2.其他法律行政止公开"], "denied")
    assert (key, context) == (None, "denied") and "numbered 2." in why
    assert t3_row_key(["（三）不予公开 2.其他法律行政止公开"], None)[0] is None
    assert t3_row_key(["（三）不予公开"], None) == ("denied", "denied", "")
