"""Charset order: BOM, declared (header, meta), sniffing; GB read as gb18030; lying declarations;
Big5 and its variants (cp950, Big5-HKSCS) told from GB18030 by plausibility."""
from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from parser.extract.decode import decode_bytes, normalize_charset

TEXT = "政府信息公开工作年度报告，本年新收政府信息公开申请四十六件。"


def test_bom_wins():
    assert decode_bytes(codecs.BOM_UTF8 + TEXT.encode(), "gbk") == (TEXT, "utf-8")
    assert decode_bytes(TEXT.encode("utf-16"), None)[0] == TEXT


def test_gb_names_read_as_gb18030():
    for name in ("gb2312", "GBK", "GB2312", "cp936", "x-gbk"):
        assert normalize_charset(name) == "gb18030"
    html = f'<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>{TEXT}</p>'
    assert decode_bytes(html.encode("gbk")) == (html, "gb18030")


def test_a_declaration_that_fails_falls_through():
    html = f'<meta charset="utf-8"><p>{TEXT}</p>'
    assert decode_bytes(html.encode("gbk"), "utf-8") == (html, "gb18030")
    # GB declared, UTF-8 served
    assert decode_bytes(html.replace("utf-8", "gbk").encode("utf-8"), "gbk")[1] == "utf-8"
    # latin-1 is a server default, not a statement about the page
    assert decode_bytes(html.encode("utf-8"), "iso-8859-1")[1] == "utf-8"


def test_sniffing_without_declaration():
    assert decode_bytes(TEXT.encode("gbk"), None, html=False) == (TEXT, "gb18030")
    big5 = "政府資訊公開工作年度報告，本年度收到申請"
    assert decode_bytes(big5.encode("big5"), None, html=False) == (big5, "big5")
    text, used = decode_bytes(b"\xff\xfe\xfd" + TEXT.encode(), None, html=False)
    assert TEXT in text or used  # never raises on bad bytes


# --- Big5 and its variants (real bytes: tests/data/real/*.big5.txt, *.big5hkscs.txt, see the .json beside) ---

REAL = Path(__file__).parent / "data" / "real"
BIG5_FILES = sorted(p.name for p in REAL.glob("*.big5*.txt"))


def _utf8_copy(name: str) -> str:
    return (REAL / re.sub(r"\.big5(hkscs)?\.txt$", ".txt", name)).read_text(encoding="utf-8")


def test_big5_names():
    assert [normalize_charset(n) for n in ("Big5", "x-big5", "cn-big5", "csBig5", "x-x-big5")] == ["big5"] * 5
    assert [normalize_charset(n) for n in ("big5-hkscs", "Big5-HKSCS", "big5hkscs")] == ["big5hkscs"] * 3
    assert [normalize_charset(n) for n in ("cp950", "ms950", "windows-950")] == ["cp950"] * 3


@pytest.mark.parametrize("name", BIG5_FILES)
@pytest.mark.parametrize("declared", [None, "big5", "big5-hkscs", "gb2312"])
def test_real_big5_bytes_decode_to_their_utf8_copy(name, declared):
    """Each is also valid GB18030 (Big5 pairs are GB pairs): a missing or lying declaration must not
    turn it into GB garbage, and a Big5 declaration on HKSCS bytes finds the HKSCS reading."""
    data = (REAL / name).read_bytes()
    text, used = decode_bytes(data, declared, html=False)
    assert text == _utf8_copy(name)
    # HKSCS bytes need the HKSCS reading; plain Big5 reads the same under every variant (first named wins)
    assert used == "big5hkscs" if ".big5hkscs." in name else used in ("big5", "big5hkscs")


def test_big5_bytes_are_valid_gb18030_which_is_why_plausibility_decides():
    data = (REAL / BIG5_FILES[0]).read_bytes()
    garbage = data.decode("gb18030")  # no error raised
    assert garbage != _utf8_copy(BIG5_FILES[0])


def test_a_big5_page_that_kept_its_gb2312_meta():
    text = _utf8_copy(BIG5_FILES[0])
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>{text}</body></html>'
    assert decode_bytes(html.encode("big5hkscs")) == (html, "big5hkscs")
    assert decode_bytes(html.encode("big5hkscs"), "GBK") == (html, "big5hkscs")  # the HTTP header lies too


def test_circled_numbers_where_big5_variants_disagree():
    """cp950 puts ① at C7E9, Big5-HKSCS (and browsers) at C6A1; each reading of the other's bytes gives kana."""
    text = "政府信息公開工作年度報告：①主動公開②依申請公開，⑴網站⑵公報。" * 3
    assert decode_bytes(text.encode("cp950"), "big5", html=False) == (text, "big5")
    assert decode_bytes(text.encode("big5hkscs"), "big5", html=False) == (text, "big5hkscs")
    assert decode_bytes(text.encode("big5hkscs"), None, html=False) == (text, "big5hkscs")
    assert decode_bytes("歐元€".encode("cp950") + TEXT.encode("cp950", "ignore"), "big5", html=False)[1] == "cp950"


def test_utf8_bytes_win_over_a_big5_declaration():
    html = f'<meta charset="big5"><p>{TEXT}</p>'
    assert decode_bytes(html.encode("utf-8"), "big5") == (html, "utf-8")


# --- GBK pages decode exactly as before (every simplified real text, served as GBK) ---

def _gbk_texts() -> list[str]:
    out = []
    for path in sorted(REAL.glob("*.txt")):
        if ".big5" in path.name or "traditional" in path.name:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            text.encode("gbk")
        except (UnicodeDecodeError, UnicodeEncodeError):
            continue
        out.append(text)
    return out


def test_real_gbk_texts_still_decode_as_gb18030():
    texts = _gbk_texts()
    assert len(texts) > 50
    for text in texts:
        data = text.encode("gbk")
        for declared in (None, "gbk", "gb2312"):
            assert decode_bytes(data, declared, html=False) == (text, "gb18030")
        page = f'<meta charset="gb2312"><div>{text}</div>'
        assert decode_bytes(page.encode("gbk")) == (page, "gb18030")
