"""The tolerant JavaScript literal reader: what gov CMS pages write into <script> (single quotes,
bare keys, trailing commas, comments, escapes), read without running anything."""
from __future__ import annotations

import json

import pytest

from parser.errors import ParseError
from parser.extract.js_object import MAX_DEPTH, JSLiteralError, read_js_value


def test_a_gkmlpt_config_with_bare_keys_single_quotes_and_trailing_commas():
    src = ("{\n  SID: '758001', // the site\n  'SITE_NAME': '肇庆市人民政府',\n"
           "  TREE: [{id: 2160, name: \"年报\", children: [],},],\n  /* detail below */ TYPE: 'detail',\n};")
    value, end = read_js_value(src)
    assert value == {"SID": "758001", "SITE_NAME": "肇庆市人民政府",
                     "TREE": [{"id": 2160, "name": "年报", "children": []}], "TYPE": "detail"}
    assert src[end] == ";"


@pytest.mark.parametrize("src, want", [
    (r'"\u8087\u5e86<\/p>"', "肇庆</p>"),                       # json.dumps(ensure_ascii) with escaped slashes
    (r"'it\'s \x41\u4e2d\n'", "it's A中\n"),                     # single-quoted with JS-only escapes
    ("'a\\\nb'", "ab"),                                           # a line continuation
    (r"'\ud83d\ude00'", "😀"),                                    # a surrogate pair in single quotes
    ("-1.5e2", -150.0), ("0x1F", 31), ("true", True), ("null", None), ("undefined", None),
])
def test_scalars_and_escapes(src, want):
    assert read_js_value(src)[0] == want


def test_code_in_value_position_is_skipped_never_run():
    value, _ = read_js_value("{a: new Date(2024, 1), b: siteId, c: alert('x'), d: window.x[1], e: 2}")
    assert value == {"a": None, "b": None, "c": None, "d": None, "e": 2}


def test_what_json_writes_reads_the_same():
    data = {"title": "年报", "content": "<table><tr><td>1</td></tr></table>", "n": [1, 2.5, None, True]}
    for text in (json.dumps(data), json.dumps(data, ensure_ascii=False).replace("/", "\\/")):
        assert read_js_value(text)[0] == data


@pytest.mark.parametrize("src", ["{a: 'unterminated", "{a 1}", "[1 2]", "", "{a: )", "{a: 1"])
def test_broken_literals_raise_the_parsers_error(src):
    with pytest.raises(JSLiteralError) as err:
        read_js_value(src)
    assert isinstance(err.value, ParseError)


def test_deep_nesting_is_refused_not_a_stack_overflow():
    with pytest.raises(JSLiteralError):
        read_js_value("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
