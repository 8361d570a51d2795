"""The legacy Word 97–2003 reader on real .doc files (tests/data/doc, made once by LibreOffice from
python-docx documents; see make_fixtures.py): text by paragraph, tables as grids with their merges,
fields, compressed and UTF-16 pieces of a fast-saved file, and the whole parser on a legacy report
and on a statistics appendix. Damaged, encrypted and non-Word OLE2 files are refused by reason."""
from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import olefile
import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "doc"))

from conftest import SAMPLES  # noqa: E402
from make_fixtures import (APPENDIX_TITLE, MERGED_GRID, MIXED_PARAGRAPHS, write_ole,  # noqa: E402
                           yuhang_paragraphs)
from parser import parse  # noqa: E402
from parser.errors import UnreadableError  # noqa: E402
from parser.extract import extract, sniff_media_type  # noqa: E402
from parser.extract.cjk import fold_spaces  # noqa: E402
from parser.extract.doc_binary import read_fib, read_pieces  # noqa: E402
from parser.extract.doc_summary import summary_meta  # noqa: E402
from parser.extract.doc_tables import RowLayout, build_grid, paragraph_props  # noqa: E402
from parser.legacy.appendix import read_appendix  # noqa: E402
from test_parser_legacy_appendix import NATIONAL_EXPECTED, NATIONAL_ROWS  # noqa: E402

DATA = Path(__file__).parent / "data" / "doc"
DOC = "application/msword"


def _bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _pieces(name: str):
    ole = olefile.OleFileIO(_bytes(name))
    word = ole.openstream("WordDocument").read()
    fib = read_fib(word)
    return fib, read_pieces(ole.openstream(fib.table_stream).read(), fib)


def _reason(data: bytes) -> str:
    with pytest.raises(UnreadableError) as exc:
        extract(data, DOC)
    assert str(exc.value)
    return exc.value.reason


def test_every_ole2_file_goes_to_the_doc_reader():
    assert sniff_media_type(_bytes("mixed.doc"), None) == DOC
    assert sniff_media_type(_bytes("works.wps"), "application/octet-stream") == DOC


def test_a_legacy_report_reads_paragraph_for_paragraph():
    doc = extract(_bytes("yuhang-2017.doc"), DOC)
    assert doc.media_type == DOC
    assert doc.text.split("\n") == [fold_spaces(p) for p in yuhang_paragraphs()]
    assert doc.tables == []
    assert doc.title == "杭州市余杭区2017年度政府信息公开工作年度报告(图解)"
    assert doc.meta["发布时间"] == "2018-03-29"
    assert doc.meta["doc_author"] == "python-docx" and doc.meta["doc_created"][:4].isdigit()


def test_chinese_text_sits_in_utf16_pieces():
    fib, pieces = _pieces("yuhang-2017.doc")
    assert fib.nfib >= 193 and not fib.encrypted
    assert pieces and not any(p.compressed for p in pieces)
    assert pieces[-1].cp_end >= fib.ccp_text


def test_fast_saved_file_joins_compressed_and_utf16_pieces_out_of_stream_order():
    _, pieces = _pieces("fast-saved.doc")
    compressed = [p for p in pieces if p.compressed]
    assert len(pieces) > 10 and 0 < len(compressed) < len(pieces)
    # the compressed pieces were stored after the original text: stream order is not text order
    assert max(p.fc for p in compressed) > max(p.fc for p in pieces if not p.compressed)
    doc = extract(_bytes("fast-saved.doc"), DOC)
    assert doc.text.split("\n") == MIXED_PARAGRAPHS
    assert doc.text == extract(_bytes("mixed.doc"), DOC).text
    assert "£ – ‘quoted’" in doc.text  # compressed bytes 0xA3 (latin-1) and 0x96, 0x91, 0x92 (cp1252 range)


def test_merged_cells_fill_their_slots_and_fields_keep_their_result():
    doc = extract(_bytes("merged.doc"), DOC)
    [table] = doc.tables
    assert table.grid == MERGED_GRID
    assert table.caption == "表一 行政复议、行政诉讼情况"
    lines = doc.text.split("\n")
    assert lines[1:5] == ["\t".join(row) for row in MERGED_GRID]
    assert lines[-1] == "详见政府信息公开专栏。"  # the HYPERLINK field's code is gone
    assert "HYPERLINK" not in doc.text


def test_a_nested_table_is_a_table_of_its_own_after_its_outer_table():
    doc = extract(_bytes("nested.doc"), DOC)
    assert [t.grid for t in doc.tables] == [[["外层", ""], ["下", "右"]], [["内00", "内01"], ["内10", "内11"]]]
    assert [t.caption for t in doc.tables] == ["前言", ""]
    assert doc.text.split("\n") == ["前言", "外层\t", "下\t右", "内00\t内01", "内10\t内11", "后记"]


def test_statistics_appendix_reads_as_the_national_form():
    doc = extract(_bytes("appendix-2016.doc"), DOC)
    [table] = doc.tables
    assert table.grid == [["统计指标", "单位", "统计数"], *NATIONAL_ROWS]
    assert table.caption == "附件:政府信息公开情况统计表"
    assert doc.meta["doc_title"] == APPENDIX_TITLE  # from the SummaryInformation stream
    assert {k: v for k, (v, _) in read_appendix(doc.tables).metrics.items()} == NATIONAL_EXPECTED
    assert doc.text.split("\n")[-1] == "某区人民政府办公室"


def test_parse_of_the_yuhang_doc_equals_the_text_sample():
    record = parse(_bytes("yuhang-2017.doc"), DOC).to_dict()
    expected = json.loads((SAMPLES / "yuhang-2017.expected.json").read_text(encoding="utf-8"))
    assert record["metrics"] == expected["metrics"]
    for key in ("title", "year", "region", "agency", "published", "format"):
        assert record[key] == expected[key], key
    assert [s["heading"] for s in record["sections"]] == expected["sections"]
    assert record["source"]["media_type"] == DOC


def test_parse_of_a_report_with_its_appendix_takes_the_appendix_metrics():
    record = parse(_bytes("appendix-2016.doc"), DOC).to_dict()
    assert record["title"] == APPENDIX_TITLE and record["year"] == 2016 and record["format"] == "legacy"
    for key, value in NATIONAL_EXPECTED.items():
        assert record["metrics"][key] == value, key
    assert record["evidence"]["review.total"]["where"] == "table"


def test_encrypted_doc_is_refused():
    assert _reason(_bytes("encrypted.doc")) == "encrypted_doc"
    assert _reason(write_ole({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\0" * 16})) == "encrypted_doc"


def test_other_ole2_formats_are_refused_by_name():
    assert _reason(_bytes("works.wps")) == "wps_unsupported"
    assert _reason(write_ole({"Workbook": b"\x09\x08"})) == "unsupported_format"
    assert _reason(write_ole({"Whatever": b"x"})) == "unsupported_format"


@pytest.mark.parametrize("cut", [600, 2048, 9000])
def test_truncated_doc_is_damaged_not_a_traceback(cut):
    assert _reason(_bytes("mixed.doc")[:cut]) == "damaged_doc"


def _with_word_stream(edit) -> bytes:
    ole = olefile.OleFileIO(_bytes("mixed.doc"))
    streams = {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}
    word = bytearray(streams["WordDocument"])
    edit(word)
    streams["WordDocument"] = bytes(word)
    return write_ole({k: v for k, v in streams.items() if k in ("WordDocument", "1Table", "0Table")})


def test_damaged_word_structures_are_named():
    assert _reason(_with_word_stream(lambda w: struct.pack_into("<H", w, 0, 0x1234))) == "damaged_doc"
    # the piece table's offset pointed past the table stream
    assert _reason(_with_word_stream(lambda w: struct.pack_into("<I", w, 154 + 33 * 8, 10**8))) == "damaged_doc"
    # the FIB names the other table stream, which is not there
    assert _reason(_with_word_stream(lambda w: struct.pack_into("<H", w, 10, w[10] | (w[11] ^ 0x02) << 8))) \
        == "damaged_doc"
    assert _reason(_with_word_stream(lambda w: struct.pack_into("<H", w, 2, 104))) == "word95_unsupported"


def test_without_paragraph_properties_rows_are_guessed_from_the_cell_marks():
    def no_papx(w):
        struct.pack_into("<I", w, 154 + 13 * 8 + 4, 0)  # lcbPlcfBtePapx = 0

    doc = extract(_with_word_stream(no_papx), DOC)
    assert doc.text.split("\n") == MIXED_PARAGRAPHS
    ole = olefile.OleFileIO(_bytes("merged.doc"))
    streams = {"/".join(p): ole.openstream(p).read() for p in ole.listdir()}
    word = bytearray(streams["WordDocument"])
    no_papx(word)
    data = write_ole({"WordDocument": bytes(word), "1Table": streams["1Table"]})
    doc = extract(data, DOC)
    # a documented limit: a cell of two paragraphs splits the table; the text keeps every cell in order
    cells = [c for row in MERGED_GRID for c in dict.fromkeys(row)]
    found = [doc.text.find(c) for c in cells if c != "总计"]
    assert -1 not in found and found == sorted(found)
    assert doc.tables and all(len(set(map(len, t.grid))) == 1 for t in doc.tables)


def test_sprms_of_a_table_row():
    cells = 3
    edges = struct.pack("<4h", 0, 1000, 2000, 3000)
    tcs = b"".join(struct.pack("<H", grf) + b"\0" * 18 for grf in (0, 0x60, 0x20))
    body = bytes([cells]) + edges + tcs
    grpprl = (struct.pack("<HB", 0x2416, 1) + struct.pack("<HB", 0x2417, 1)
              + struct.pack("<HH", 0xD608, len(body) + 1) + body + struct.pack("<Hi", 0x6649, 1))
    props = paragraph_props(grpprl)
    assert props.depth == 1 and props.row_end
    assert props.layout == RowLayout([0, 1000, 2000, 3000], [0, 0, 0], [0, 3, 1])
    assert paragraph_props(struct.pack("<Hi", 0x6649, 2) + struct.pack("<HB", 0x244C, 1)).inner_row_end
    assert paragraph_props(b"\x16\x24").depth == 0  # a sprm cut short is ignored


def test_grid_from_rows_of_different_widths():
    wide = RowLayout([0, 2000, 3000], [0, 0], [0, 0])
    narrow = RowLayout([0, 1000, 2000, 3000], [0, 0, 0], [0, 0, 0])
    below = RowLayout([0, 1000, 2000, 3000], [0, 0, 0], [0, 0, 1])
    late = RowLayout([1000, 3000], [0], [0])
    rows = [(["头", "尾"], wide), (["a", "b", "c"], narrow), (["d", "e", ""], below), (["x"], late),
            (["no", "layout"], None)]
    assert build_grid(rows) == [["头", "头", "尾"], ["a", "b", "c"], ["d", "e", "c"], ["", "x", "x"],
                                ["no", "layout", ""]]


def test_junk_inside_the_compound_file_gives_text_or_a_reason():
    data = bytearray(_bytes("mixed.doc"))
    data[4096:6000] = bytes(range(256)) * 7 + bytes(1904 - 256 * 7)
    try:
        doc = extract(bytes(data), DOC)
        assert isinstance(doc.text, str)
    except UnreadableError as exc:
        assert exc.reason == "damaged_doc"


def test_summary_information_is_read_within_its_bounds():
    ole = olefile.OleFileIO(_bytes("appendix-2016.doc"))
    stream = ole.openstream("\x05SummaryInformation").read()
    assert summary_meta(stream)["doc_title"] == APPENDIX_TITLE
    assert summary_meta(b"junk") == {} and summary_meta(stream[:60]) == {}
    damaged = bytearray(stream)
    struct.pack_into("<I", damaged, 44, 10**6)  # the section offset points far past the stream
    assert summary_meta(bytes(damaged)) == {}
