"""Charset order: BOM, declared (header, meta), sniffing; GB read as gb18030; lying declarations."""
from __future__ import annotations

import codecs

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
