"""decode_html: BOM > header (unless a blind latin-1) > meta > detection; gbk read as gb18030."""
from __future__ import annotations

import codecs

from scraper.decode import decode_html, normalize_charset

TEXT = "杭州市余杭区2017年度政府信息公开工作年度报告，共收到申请1984件。"


def page(meta: str | None = None) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"<html><head>{head}<title>年报</title></head><body><p>{TEXT}</p></body></html>"


def test_gbk_meta_read_as_gb18030():
    # 𠀀 and 镕 exist in gb18030 only / beyond gb2312: a gb2312 decoder would fail
    html = page("gb2312").replace("年报", "年报镕𠀀")
    text, charset = decode_html(html.encode("gb18030"), None)
    assert charset == "gb18030" and "镕𠀀" in text and TEXT in text


def test_header_wins_when_the_bytes_agree():
    text, charset = decode_html(page("gb2312").encode("utf-8"), "utf-8")
    assert charset == "utf-8" and TEXT in text


def test_header_meta_mismatch_falls_back_to_meta():
    text, charset = decode_html(page("gbk").encode("gbk"), "utf-8")
    assert charset == "gb18030" and TEXT in text


def test_latin1_header_is_ignored():
    text, charset = decode_html(page().encode("utf-8"), "iso-8859-1")
    assert charset == "utf-8" and TEXT in text


def test_bom_beats_everything():
    text, charset = decode_html(codecs.BOM_UTF8 + page("gbk").encode("utf-8"), "gbk")
    assert charset == "utf-8" and TEXT in text and not text.startswith("\ufeff")


def test_detection_without_any_declaration():
    body = (page() * 3).encode("gbk")
    text, charset = decode_html(body, None)
    assert TEXT in text and charset == "gb18030"


def test_undecodable_bytes_never_raise():
    text, charset = decode_html(b"\xff\xfe\xfa\x00\x81" * 10, "bogus-charset")
    assert isinstance(text, str) and charset


def test_normalize_charset():
    assert normalize_charset("GB2312") == "gb18030"
    assert normalize_charset("x-gbk") == "gb18030"
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("no-such") is None
