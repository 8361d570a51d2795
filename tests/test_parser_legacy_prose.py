"""The legacy prose matcher over the sentence corpus (tests/data/legacy_sentences.json).

The corpus holds the real sentences of research/legacy.md §2 (17 provinces, 2007–2018), every trap
of §3 as a near miss, and variations (Chinese numerals, 繁体, units, verbs). Each entry states the
exact metrics its text must give; an empty ``expect`` means nothing may be taken.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parser.legacy.context import ReportContext, context_from_title
from parser.legacy.prose import Candidate, choose, find_candidates, read_prose

CORPUS = json.loads((Path(__file__).parent / "data" / "legacy_sentences.json").read_text(encoding="utf-8"))


def _context(entry: dict) -> ReportContext:
    subject = context_from_title(entry.get("title")) if entry.get("title") else ReportContext()
    return ReportContext(year=entry.get("year"), is_department=subject.is_department, level=subject.level)


def _read(entry: dict) -> dict[str, float]:
    text = (entry["heading"] + "\n" if entry.get("heading") else "") + entry["text"]
    return {k: v for k, (v, _) in read_prose(text, _context(entry)).metrics.items()}


def test_corpus_size_and_shape():
    positives = [e for e in CORPUS if e["expect"]]
    traps = [e for e in CORPUS if not e["expect"] or e.get("trap")]
    assert len(positives) >= 60
    assert len(traps) >= 40
    assert len({e["id"] for e in CORPUS}) == len(CORPUS)


def test_corpus_precision_is_total_and_recall_at_least_95_percent():
    true_pos = false_pos = false_neg = 0
    wrong: list[str] = []
    for entry in CORPUS:
        got, expected = _read(entry), entry["expect"]
        for key, value in got.items():
            if expected.get(key) == value:
                true_pos += 1
            else:
                false_pos += 1
                wrong.append(f"{entry['id']}: {key}={value}")
        false_neg += sum(1 for key, value in expected.items() if got.get(key) != value)
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert precision == 1.0, wrong
    assert recall >= 0.95


@pytest.mark.parametrize("entry", CORPUS, ids=[e["id"] for e in CORPUS])
def test_sentence_gives_exactly_its_metrics(entry):
    assert _read(entry) == entry["expect"]


def test_evidence_quotes_the_report_as_written():
    text = "2009年1月1日至12月31日,我辦共主動公開政府資訊19條,受理政府信息公開申請6件。"
    reading = read_prose(text, ReportContext(year=2009))
    value, evidence = reading.metrics["proactive.items"]
    assert value == 19
    assert evidence.where == "text"
    assert evidence.snippet == text  # 繁体 and full forms kept, not the normalized text


def test_long_sentence_snippet_is_a_window_around_the_number():
    entry = next(e for e in CORPUS if e["id"] == "yuhang-2017-outcomes")
    reading = read_prose(entry["text"], _context(entry))
    snippet = reading.metrics["applications.other_channel"][1].snippet
    assert "告知通过其他途径办理数51件" in snippet
    assert len(snippet) <= 160


def test_stated_number_beats_a_verbal_zero_with_a_finding():
    text = "四、因政府信息公开申请提起行政复议、行政诉讼的情况\n本年度我局办理行政复议案件 1 宗,无办理行政复议案件。"
    reading = read_prose(text, ReportContext())
    assert reading.metrics["review.total"][0] == 1
    assert [f.rule for f in reading.findings] == ["legacy.zero_conflict"]


def test_two_different_statements_of_one_total_give_a_finding_and_no_value():
    text = "本局2016年共收到政府信息公开申请5件。\n本局2016年共收到政府信息公开申请7件。"
    reading = read_prose(text, ReportContext(year=2016))
    assert "applications.new.total" not in reading.metrics
    assert reading.findings[0].rule == "legacy.ambiguous"
    assert reading.findings[0].values["values"] == [5, 7]


def test_the_section_heading_settles_two_values():
    text = ("一、主动公开政府信息情况\n通过平台办理业务,全年共收到申请5件。\n"
            "二、依申请公开政府信息情况\n本局2016年共收到政府信息公开申请7件。")
    reading = read_prose(text, ReportContext(year=2016))
    assert reading.metrics["applications.new.total"][0] == 7


def test_channel_figures_are_a_total_only_alone():
    one = read_prose("2016年我乡通过政府门户网站主动公开信息138条。", ReportContext(year=2016))
    assert one.metrics["proactive.items"][0] == 138
    two = read_prose("通过门户网站主动公开政府信息43条,通过政务微信主动公开政府信息285条。", ReportContext(year=2016))
    assert "proactive.items" not in two.metrics and not two.findings


def test_subject_carries_within_a_paragraph_but_not_past_it():
    ctx = context_from_title("杭州市教育局2017年政府信息公开工作年度报告")
    text = "全市共收到政府信息公开申请5210件。其中,当面申请1200件。\n其中,当面申请12件。"
    got = {k: v for k, (v, _) in read_prose(text, ctx).metrics.items()}
    assert got == {"applications.channel.in_person": 12}


def test_unknown_year_keeps_year_guard_off_but_other_guards_on():
    got = {k: v for k, (v, _) in read_prose(
        "2016年共收到政府信息公开申请12件,同比增加3件,历年累计收到申请40件。", ReportContext()).metrics.items()}
    assert got == {"applications.new.total": 12}


def test_candidates_keep_reading_order_and_pattern_names():
    entry = next(e for e in CORPUS if e["id"] == "yuhang-2017-cases")
    cands = find_candidates(entry["text"], _context(entry))
    assert [c.start for c in cands] == sorted(c.start for c in cands)
    assert {c.pattern for c in cands} >= {"review.total", "outcome.upheld", "outcome.corrected", "outcome.other"}


def test_choose_prefers_the_lowest_tier():
    cands = [Candidate("proactive.items", 43, 1, "a", 0, "", "p"),
             Candidate("proactive.items", 130, 0, "b", 5, "", "p")]
    chosen, findings = choose(cands)
    assert chosen["proactive.items"].value == 130 and findings == []


@pytest.mark.parametrize("junk", ["1" * 100_000, "未收到复议申请" * 15_000, "一二三四五六七八九十" * 10_000,
                                  "行政复议、行政诉讼" * 10_000 + "均为0件"])
def test_run_on_junk_without_punctuation_stays_linear(junk):
    """Bad input never hangs: a 100k-character "sentence" is read in well under the parse budget."""
    import time

    start = time.monotonic()
    reading = read_prose(junk, ReportContext(year=2017))
    assert time.monotonic() - start < 10
    assert set(reading.metrics) <= {"review.total", "litigation.total"}
