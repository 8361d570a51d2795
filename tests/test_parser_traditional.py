"""繁體 reports read as their 简体 originals: script detection, conversion (OpenCC), and parse end to end.

Real material: tests/data/real/ (README there) holds traditional copies of real reports as the
archives keep them: Big5 gateway renderings (beijing.gov.cn/gate/big5/…), mirrors, and the same
texts as Big5 / Big5-HKSCS bytes, each beside its label file with its URL. Three of them have their
simplified original in the corpus too (beijing-2019, shanghai-office-2020): the traditional copy
must parse to the same record. The template fixtures (tests/fixtures/reportgen.py) converted
the way a gateway converts (OpenCC s2t over the served bytes) check tables cell by cell.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import opencc
import pytest

from fixtures.reportgen import parsed_metrics, random_record, render
from parser import NotAReportError, parse
from parser.extract import extract
from parser.extract.script import SIMPLIFIED, TRADITIONAL, detect_script, to_simplified

REAL = Path(__file__).parent / "data" / "real"
META = ("title", "year", "region", "region_code", "agency", "published", "format")
# (simplified original, its traditional copies) — all real, see the .json beside each
PAIRS = [
    ("beijing-2019.txt", "beijing-2019-traditional.txt"),  # beijing.gov.cn/gate/big5/ rendering
    ("shanghai-office-2020.txt", "shanghai-office-2020-traditional.txt"),
    ("shanghai-office-2020.txt", "shanghai-office-2020-traditional.big5.txt"),  # the same as Big5 bytes
]
_S2T = opencc.OpenCC("s2t")  # what gateways and "繁體" buttons do to a page


def _labels(name: str) -> dict:
    return json.loads((REAL / re.sub(r"\.txt$", ".json", name)).read_text(encoding="utf-8"))


def _real_texts() -> list[Path]:
    return sorted(p for p in REAL.glob("*.txt") if ".big5" not in p.name)


# --- detection ------------------------------------------------------------------------------------

def test_every_real_document_is_detected_as_its_labels_say():
    """600 real excerpts: those labelled 'traditional' (shapes) are traditional, all others simplified."""
    labelled = [p for p in _real_texts() if p.with_suffix(".json").exists()]
    wrong = []
    for path in labelled:
        want = TRADITIONAL if "traditional" in _labels(path.name).get("shapes", []) else SIMPLIFIED
        if detect_script(path.read_text(encoding="utf-8")) != want:
            wrong.append(path.name)
    assert len(labelled) > 50 and not wrong


def test_short_texts_decide_on_the_characters_they_have():
    assert detect_script("2019年北京市政府信息公開工作年度報告") == TRADITIONAL  # 開 報
    assert detect_script("2019年北京市政府信息公开工作年度报告") == SIMPLIFIED
    assert detect_script("政府信息") == SIMPLIFIED  # nothing to tell: no conversion
    assert detect_script("") == SIMPLIFIED
    assert detect_script("Annual report 2019") == SIMPLIFIED


def test_a_simplified_text_with_a_few_traditional_characters_stays_simplified():
    simplified = (REAL / "beijing-2019.txt").read_text(encoding="utf-8")
    # a quoted name, a traditional 於 and a title in 繁體 pasted into a simplified report
    mixed = simplified[:300] + "乾隆年間，於是《臺灣地區政府資訊公開》" + simplified[300:]
    assert detect_script(mixed) == SIMPLIFIED
    assert detect_script("乾隆年间") == SIMPLIFIED  # 乾 (traditional only) against 间


# --- conversion -----------------------------------------------------------------------------------

@pytest.mark.parametrize("traditional, simplified", [
    ("政府信息公開工作年度報告", "政府信息公开工作年度报告"),
    ("檔案館", "档案馆"),  # script only: the Taiwan phrase table would say 文件
    ("政府資訊資源", "政府资讯资源"),  # a word the gateway swapped stays that word
    ("行政複議", "行政复议"), ("依申請答覆", "依申请答复"), ("乾淨", "干净"), ("乾隆", "乾隆"),
    ("著力推進", "着力推进"), ("顯著提升", "显著提升"), ("著名", "著名"),  # OpenCC's Taiwan variants
    ("公共衞生", "公共卫生"),  # Hong Kong variant
    ("杭州市臨安區於潛鎮", "杭州市临安区於潜镇"), ("陝西省乾縣", "陕西省乾县"),  # place names kept
])
def test_conversion_is_script_not_vocabulary(traditional, simplified):
    assert to_simplified(traditional) == simplified


def test_conversion_of_a_real_gateway_copy_gives_back_the_original():
    """shanghai-office-2020: the real traditional copy converts to the lines of the real simplified page."""
    original = (REAL / "shanghai-office-2020.txt").read_text(encoding="utf-8")
    copy = (REAL / "shanghai-office-2020-traditional.txt").read_text(encoding="utf-8")
    converted = to_simplified(copy)
    assert len(converted) == len(copy)
    lines = [line.strip() for line in converted.split("\n") if len(line.strip()) >= 20]
    missing = [line for line in lines if line not in original]
    assert len(lines) >= 4 and len(missing) == 1
    # that gateway also swapped words the Taiwan way (文件 -> 檔案, 门户网站 -> 入口網站): a script
    # conversion keeps the words it was given, as it must for a report that says 档案
    assert "行政规范性档案43件" in missing[0] and "行政规范性文件43件" in original


# --- extract: the Document ------------------------------------------------------------------------

def test_extract_converts_and_keeps_the_original_text():
    data = (REAL / "beijing-2019-traditional.txt").read_bytes()
    doc = extract(data, "text/plain")
    assert doc.script == TRADITIONAL
    assert doc.original_text == data.decode("utf-8")
    assert doc.text.startswith("2019年北京市政府信息公开工作年度报告")
    assert doc.title == "2019年北京市政府信息公开工作年度报告"
    assert doc.meta["来源"] == "北京市政务服务管理局"  # the byline read as 來源 → 来源


def test_a_simplified_document_is_left_as_it_is():
    data = (REAL / "beijing-2019.txt").read_bytes()
    doc = extract(data, "text/plain")
    assert (doc.script, doc.original_text) == (SIMPLIFIED, None)
    assert doc.text == data.decode("utf-8")


def test_an_html_page_in_big5_has_its_tables_meta_and_links_converted():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">'
            '<title>2020年上海市人民政府辦公廳政府信息公開工作年度報告</title></head><body>'
            '<div class="title">2020年上海市人民政府辦公廳政府信息公開工作年度報告</div>'
            '<div class="info">發布日期：2021-01-29 來源：上海市人民政府辦公廳</div>'
            '<div class="TRS_Editor"><p>本年度報告根據《中華人民共和國政府信息公開條例》編制。</p>'
            '<p>一、總體情況</p><table><tr><td>信息內容</td><td>本年新製發件數</td></tr>'
            '<tr><td>規章</td><td>12</td></tr></table>'
            '<p><a href="/files/年度報告附表.pdf">附表：政府信息公開情況統計表</a></p></div></body></html>')
    doc = extract(page.encode("cp950"), "text/html", url="https://www.shanghai.gov.cn/a.html")
    assert doc.script == TRADITIONAL and doc.meta["charset"] == "big5"
    assert doc.tables[0].grid == [["信息内容", "本年新制发件数"], ["规章", "12"]]
    assert doc.meta.get("来源") == "上海市人民政府办公厅"
    assert doc.meta.get("html_title") == "2020年上海市人民政府办公厅政府信息公开工作年度报告"
    assert [(label, href.rsplit("/", 1)[-1]) for label, href in doc.attachments] == [
        ("附表：政府信息公开情况统计表", "年度報告附表.pdf")]  # the link's text converted, its href as written
    assert "本年度報告根據" in doc.original_text


# --- parse: the same record as the simplified original ---------------------------------------------

def _meta(record) -> dict:
    """The metadata, the title read in simplified characters (metadata keeps a title as written)."""
    return {k: to_simplified(v) if k == "title" and v else v for k, v in ((k, getattr(record, k)) for k in META)}


def _record(data: bytes, media_type: str = "text/plain"):
    try:
        return parse(data, media_type)
    except NotAReportError:
        return None


@pytest.mark.parametrize("original, copy", PAIRS)
def test_a_real_traditional_copy_parses_like_its_original(original, copy):
    want = _record((REAL / original).read_bytes())
    got = _record((REAL / copy).read_bytes())
    assert want is not None and got is not None
    assert _meta(got) == _meta(want)
    assert got.metrics == want.metrics
    assert [s.heading for s in got.sections] == [s.heading for s in want.sections]
    assert [f.rule for f in got.findings] == [f.rule for f in want.findings]


def test_big5_hkscs_bytes_and_a_lying_gb_declaration_parse_like_the_original():
    """The same real copy as Big5-HKSCS bytes, and as a Big5 page that kept a gb2312 <meta>."""
    text = (REAL / "shanghai-office-2020-traditional.txt").read_text(encoding="utf-8")
    want = _record((REAL / "shanghai-office-2020.txt").read_bytes())
    hkscs = _record(text.encode("big5hkscs"))
    page = ('<html><head><meta charset="gb2312"></head><body><div class="TRS_Editor">'
            + "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip()) + "</div></body></html>")
    lying = _record(page.encode("big5"), "text/html")
    for got in (hkscs, lying):
        assert got is not None
        assert _meta(got) == _meta(want)
        assert got.metrics == want.metrics


def _gateway_html(data: bytes, charset: str) -> bytes:
    """A fixture page as a 繁體 gateway serves it: converted by OpenCC s2t, re-encoded in ``charset``."""
    page = data.decode("gb18030")
    page = re.sub(r"charset=[\w-]+", f"charset={charset}", _S2T.convert(page))
    return page.encode(charset, errors="xmlcharrefreplace")


@pytest.mark.parametrize("fmt", ["gb2019", "gb2021"])
@pytest.mark.parametrize("charset", ["big5", "big5-hkscs", "utf-8"])
def test_template_tables_in_traditional_parse_back_exactly(fmt, charset):
    truth = random_record(fmt, seed=23, blanks=0.3)
    data, media_type = render(truth, "html_word")  # Word-pasted markup, served as GBK
    record = parse(_gateway_html(data, charset), media_type)
    assert _meta(record) == {k: truth[k] for k in META}
    assert record.metrics == parsed_metrics(truth)
    assert record.findings == []


def test_a_traditional_docx_is_converted_after_reading():
    """The binary readers' path: a DOCX whose text is 繁體 (its XML converted by s2t)."""
    truth = random_record("gb2021", seed=5, blanks=0.2)
    data, media_type = render(truth, "docx")
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "word/document.xml":
                body = _S2T.convert(body.decode("utf-8")).encode("utf-8")
            dst.writestr(item, body)
    doc = extract(out.getvalue(), media_type)
    assert doc.script == TRADITIONAL and "報告" in doc.original_text and "報" not in doc.text
    assert all("報" not in cell and "開" not in cell for t in doc.tables for row in t.grid for cell in row)
    record = parse(out.getvalue(), media_type)
    assert _meta(record) == {k: truth[k] for k in META}
    assert record.metrics == parsed_metrics(truth)


def test_the_shipped_script_characters_are_what_opencc_gives(tmp_path: Path):
    """parser/data/script_chars.txt spares every parsing process ~110 ms of OpenCC; it must hold what
    OpenCC gives (after an OpenCC upgrade:
    ``python -c 'from parser.extract.script import write_script_chars; write_script_chars()'``)."""
    from parser.extract.script import SCRIPT_CHARS_FILE, _script_only, script_only_from_opencc, write_script_chars

    fresh = tmp_path / "script_chars.txt"
    write_script_chars(fresh)
    assert SCRIPT_CHARS_FILE.read_text("utf-8") == fresh.read_text("utf-8")
    trad, simp = script_only_from_opencc()
    assert _script_only() == (trad, simp) and len(trad) > 3000 and len(simp) > 2000
    assert {"開", "報", "於"} <= trad and {"开", "报", "这"} <= simp and not trad & simp


@pytest.mark.parametrize("name", ["shaanxi-office-2022-traditional.txt", "shaanxi-office-2022-traditional.big5.txt"])
def test_a_variant_opencc_leaves_alone_is_read_as_its_simplified_form(name: str):
    """The Shaanxi government's own 繁體 page writes its province 陜西 (U+965C), which OpenCC leaves
    as it is: the region was missed and the agency kept 陜 until the variant was folded too."""
    labels = _labels(name)
    record = parse((REAL / name).read_bytes(), "text/plain")
    assert (record.region, record.region_code, record.agency) == ("陕西省", "610000", "陕西省人民政府办公厅")
    assert record.agency == labels["meta"]["agency"]
    assert to_simplified("陜西省人民政府辦公廳") == "陕西省人民政府办公厅"


def test_the_search_fold_knows_the_variants_the_parser_folds():
    """index may not import parser: its own copy of the extra pairs must stay the parser's."""
    from index.analysis import EXTRA_FOLDS as INDEX_FOLDS
    from index.analysis import normalize_text
    from parser.extract.script import EXTRA_FOLDS

    assert INDEX_FOLDS == EXTRA_FOLDS
    for variant, simplified in EXTRA_FOLDS.items():
        assert normalize_text(variant + "西省") == to_simplified(variant + "西省") == simplified + "西省"
