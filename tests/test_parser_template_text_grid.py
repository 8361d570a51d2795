"""parser.text_grid: lines of text -> cells, each saying whether its boundaries and its end are certain."""
from __future__ import annotations

import pytest

from parser.text_grid import text_cells


def _cells(text: str) -> list[tuple]:
    return [(c.text, c.kind, c.delimited, c.complete, c.doubtful) for c in text_cells(text)]


def test_a_pipe_row_keeps_its_empty_cells_and_drops_the_lines_end():
    # tianjin-heping-fgw-2019: "规章 | 0 | 0 | 0 | |"
    assert _cells("规章 | 0 | 0 | 0 | |\n") == [
        ("规章", "label", True, True, False), ("0", "value", True, True, False), ("0", "value", True, True, False),
        ("0", "value", True, True, False), ("", "blank", True, True, False)]


def test_a_pipe_opening_a_line_is_doubtful():
    assert _cells("| 5 | 2 |\n")[0] == ("", "blank", True, True, True)
    assert [c[0] for c in _cells(" | 1 | 2\n")] == ["", "1", "2"]


def test_lone_pipes_close_empty_cells_only_after_a_line_ending_in_a_pipe():
    # shanxi-tianzhen-xfj-2021: "行政规范性文件" / "|" / "0 |" — the pipe closes the label's line
    assert [c[1] for c in _cells("行政规范性文件\n|\n0 |\n")] == ["label", "value"]
    # hubei-tianmen-hushi-2019: "规章 |" / "|" / "|" — each closes an empty cell
    assert [c[1] for c in _cells("规章 |\n|\n||\n")] == ["label", "blank", "blank", "blank"]


def test_one_cell_a_line_and_lines_of_spaces():
    # qinghai-huzhu-zwfw-2020: an empty cell written as a line of one space
    cells = text_cells("行政许可\n\n 148\n\n \n\n")
    assert [(c.text, c.kind, c.doubtful, c.line) for c in cells] == [
        ("行政许可", "label", False, 0), ("148", "value", False, 2), ("", "blank", True, 4)]


@pytest.mark.parametrize("line, cells", [
    ("规章 0 0 0", ["规章", "0", "0", "0"]),  # single spaces between all cells: split
    ("规章    0    12", ["规章", "0", "12"]),
    ("1.属于国家秘密 0 1 2", ["1.属于国家秘密", "0", "1", "2"]),
    ("自 然 人", ["自 然 人"]),  # spaces inside a label stay
    ("规章  12 106  5", ["规章", "12 106", "5"]),  # runs of spaces split; "12 106" in one cell is junk
    ("本年增/减 (指2019年增加或减少的事项数,如-8)", ["本年增/减 (指2019年增加或减少的事项数,如-8)"]),
])
def test_cells_split_at_spaces(line, cells):
    got = text_cells(line + "\n")
    assert [c.text for c in got] == cells
    assert all(not c.delimited for c in got)
    assert [c.kind for c in got if c.text == "12 106"] in ([], ["junk"])


def test_the_texts_last_cell_is_complete_only_with_a_separator_after_it():
    assert text_cells("规章\n\n0\n\n12")[-1].complete is False  # "12" may be "125"
    assert text_cells("规章\n\n0\n\n12\n")[-1].complete is True
    assert text_cells("规章 | 0 | 12 |")[-1].complete is True
    assert text_cells("规章 | 0 | 0 ")[-1].complete is True  # a space after it
    assert text_cells("规章 | 0 | 12")[-1].complete is False


def test_pinyin_readings_are_dropped_from_cells():
    # shaanxi-weinan-linwei-2020 (a mirror annotating characters): 规(guī)章
    assert [c.text for c in text_cells("规(guī)章 | 0 |\n")] == ["规章", "0"]
