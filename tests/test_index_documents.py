"""index.documents: preparing the plain dicts archive hands over."""
from __future__ import annotations

import json

import pytest

from index.documents import DocumentError, prepare_document, region_names, sections_text_matching
from index.query import Leaf


def test_region_names_hold_full_and_short_names():
    assert region_names(["浙江省", "浙江省杭州市", "浙江省杭州市余杭区"]) == (
        "浙江省", "浙江省杭州市", "杭州市", "浙江省杭州市余杭区", "余杭区")


def test_sections_are_located_in_the_text_or_appended():
    doc = {"report_id": 1, "title": "标题", "text": "前言\n一、总体情况\n甲乙丙\n二、问题\n丁戊",
           "sections": [{"heading": "一、总体情况", "text": "甲乙丙"}, {"heading": "二、问题", "text": "丁戊"},
                        {"heading": "附件", "text": "不在正文里的附件"}]}
    p = prepare_document(doc)
    spans = json.loads(p.sections_json)
    assert [p.all_norm[a:b] for _, a, b in spans] == ["一、总体情况\n甲乙丙", "二、问题\n丁戊", "附件\n不在正文里的附件"]
    assert sections_text_matching(p.all_norm, p.sections_json, Leaf("问题", "heading")) == "二、问题\n丁戊"
    assert p.headings_norm == "一、总体情况\n二、问题\n附件"


def test_text_defaults_to_the_sections_and_fields_normalize():
    p = prepare_document({"report_id": 2, "title": "ＡＢＣ报告", "agency": "杭州市教育局", "year": "2019",
                          "sections": [{"heading": "一、概况", "text": "内容"}], "region_path": ["浙江省"]})
    assert p.all_norm == "abc报告\n一、概况\n内容" and p.year == 2019 and p.province == "浙江省"
    assert p.stored()["agency"] == "杭州市教育局"


@pytest.mark.parametrize("rid", [None, "7", True, 1.5])
def test_report_id_must_be_an_int(rid):
    with pytest.raises(DocumentError):
        prepare_document({"report_id": rid, "text": "x"})


def test_piecewise_normalization_equals_looking_sections_up():
    from index.analysis import normalize_text
    from index.documents import _locate_sections

    sections = [{"heading": "一、总体情况", "text": "２０１７年，收到申请１２件。"}, {"heading": "二、问题", "text": "ＰＤＦ格式"}]
    text = "前言：\n" + "\n".join(f"{s['heading']}\n{s['text']}" for s in sections)
    p = prepare_document({"report_id": 3, "title": "标题", "text": text, "sections": sections})
    looked_up = _locate_sections(normalize_text("标题\n" + text), [(s["heading"], s["text"]) for s in sections])
    assert (p.all_norm, json.loads(p.sections_json)) == looked_up
