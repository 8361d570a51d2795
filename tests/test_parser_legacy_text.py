"""Legacy prose normalization (offsets back into the original) and its cuts into paragraphs, sentences, clauses."""
from __future__ import annotations

from parser.legacy.text import clauses, is_text_row, normalize, paragraphs, sentences


def test_normalize_folds_width_traditional_spaces_and_separators():
    norm = normalize("本局共主動公開政府資訊 2,030 條，其中當面申請１２件")
    assert norm.text == "本局共主动公开政府信息2030条,其中当面申请12件"


def test_offsets_point_back_into_the_original():
    source = "我辦共主動公開政府資訊 19 條，受理申請6件。"
    norm = normalize(source)
    start = norm.text.index("受理")
    assert norm.original(start, len(norm.text)) == "受理申請6件。"
    assert norm.original(0, norm.text.index(",")) == "我辦共主動公開政府資訊 19 條"
    assert norm.original(3, 3) == ""


def test_mirror_noise_is_dropped():
    assert normalize("政务@@舆情@@回应").text == "政务舆情回应"
    assert normalize("關(guan) 於(yu)報(bào)告").text == "关于报告"
    assert normalize("visit www.example.gov.cn today").text == "visit www.example.gov.cn today"


def test_a_unit_broken_onto_the_next_line_is_joined_but_headings_are_not():
    norm = normalize("本局共主动公开政府信息数 5928\n条。\n二、依申请公开政府信息情况\n本年度共收到申请3件。")
    assert norm.text == "本局共主动公开政府信息数5928条。\n二、依申请公开政府信息情况\n本年度共收到申请3件。"


def test_a_long_wrapped_pdf_line_is_joined_to_the_next():
    norm = normalize("2017年,全区各职能部门、镇街共收到政府信息公开\n申请1984件,同比下降3.27%。")
    assert "\n" not in norm.text


def test_paragraphs_carry_their_heading_and_skip_table_rows():
    norm = normalize("前言一句。\n一、主动公开情况\n正文一句。\n收到申请数\t件\t20\n二、依申请公开情况\n正文二句。")
    pars = list(paragraphs(norm))
    assert [(p.text, p.heading) for p in pars] == [
        ("前言一句。", ""), ("一、主动公开情况", "一、主动公开情况"), ("正文一句。", "一、主动公开情况"),
        ("二、依申请公开情况", "二、依申请公开情况"), ("正文二句。", "二、依申请公开情况")]
    assert norm.text[pars[2].start: pars[2].start + 5] == "正文一句。"


def test_sentences_and_clauses():
    norm = normalize("甲,乙;丙:丁。戊!己")
    [par] = list(paragraphs(norm))
    assert [s for _, s in sentences(par)] == ["甲,乙;丙:丁。", "戊!", "己"]
    assert [c for _, c in clauses("甲,乙;丙:丁10:30。")] == ["甲", "乙", "丙", "丁10:30。"]


def test_a_paragraph_indented_by_a_tab_is_prose_and_cells_between_tabs_are_a_row():
    """tests/data/real/sichuan-guangyuan-tjj-2024 indents every paragraph with a tab: each line was taken
    for a table row, so the report gave no numbers at all."""
    text = "\t一、总体情况 \n\t(二)依申请公开信息情况。全年共收到依申请公开共9件。 \n收到申请数\t件\t9\n"
    assert [p.text.strip() for p in paragraphs(normalize(text))] == ["一、总体情况", "(二)依申请公开信息情况。全年共收到依申请公开共9件。"]
    assert not is_text_row("\t(一)主动公开 \t") and is_text_row("收到申请数\t件\t9") and is_text_row("\t规章\t0\t0")
    assert is_text_row("收到申请数 | 件 | 9")
