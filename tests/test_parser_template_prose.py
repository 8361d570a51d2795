"""parser.template_prose: the totals a template-era report states in its sentences, beside its tables.

The corpus (tests/data/template_prose_sentences.json) holds real sentences of 2019–2025 reports (the
real corpus of tests/data/real, the shared excerpts, pages found by search; each with its address)
and near misses: each entry states exactly the metrics its text must give, an empty ``expect`` means
nothing may be taken. Precision and recall on it are 100%.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixtures.reportgen import random_record, grids
from parser import parse
from parser.document import Document, Table
from parser.legacy.context import ReportContext, context_from_title
from parser.record import Evidence, Reading
from parser.template_prose import find_prose_candidates, read_template_prose, with_template_prose
from parser.template_prose_patterns import PROSE_KEYS, PROSE_PATTERNS
from parser.template_prose_rows import ROW_KEYS, ROW_PATTERNS
from parser.templates import read_template_tables

DATA = Path(__file__).parent / "data"
CORPUS = json.loads((DATA / "template_prose_sentences.json").read_text(encoding="utf-8"))


def _context(entry: dict) -> ReportContext:
    subject = context_from_title(entry.get("title"))
    return ReportContext(year=entry["year"], is_department=subject.is_department, level=subject.level)


def _read(entry: dict) -> dict[str, float]:
    text = (entry["heading"] + "\n" if entry.get("heading") else "") + entry["text"]
    return {k: v for k, (v, _) in read_template_prose(text, _context(entry)).metrics.items()}


def test_corpus_size_and_shape():
    positives = [e for e in CORPUS if e["expect"]]
    traps = [e for e in CORPUS if not e["expect"] or e.get("trap")]
    real = [e for e in CORPUS if e["source"] != "constructed"]
    assert len(positives) >= 50 and len(traps) >= 20 and len(real) >= 50
    assert len({e["id"] for e in CORPUS}) == len(CORPUS)
    assert all(set(e["expect"]) <= PROSE_KEYS | ROW_KEYS for e in CORPUS)
    # every key the reader can give is exercised by some sentence
    assert set().union(*(e["expect"] for e in CORPUS)) == PROSE_KEYS | ROW_KEYS


def test_corpus_precision_and_recall_are_total():
    got = {(e["id"], key, value) for e in CORPUS for key, value in _read(e).items()}
    want = {(e["id"], key, value) for e in CORPUS for key, value in e["expect"].items()}
    assert len(want) >= 140
    assert sorted(got - want) == []  # precision 100%: nothing read that the sentence does not say
    assert sorted(want - got) == []  # recall 100%


@pytest.mark.parametrize("entry", CORPUS, ids=[e["id"] for e in CORPUS])
def test_sentence_gives_exactly_its_metrics(entry):
    assert _read(entry) == entry["expect"]


def test_evidence_quotes_the_sentence_as_written():
    # https://keke.chddh.cn/archives/rd73wboyn0y55lmzxy8v.html (spaces of a flattened .doc kept as written)
    entry = next(e for e in CORPUS if e["id"] == "xiuying-2022-spaced-flow")
    reading = read_template_prose(entry["text"], _context(entry))
    ev = reading.metrics["applications.new.total"][1]
    assert ev.where == "text" and ev.row is None and ev.table is None
    assert ev.snippet == "(二)依法做好依申请公开 2022 年,共收到政府信息公开申请 22 件。"
    entry = next(e for e in CORPUS if e["id"] == "gz-zsj-2019-traditional-on-time")
    ev = read_template_prose(entry["text"], _context(entry)).metrics["applications.carried_out.total"][1]
    assert "結轉2020年繼續辦理的6件" in ev.snippet  # 繁體 as written


def test_a_long_sentence_is_quoted_around_its_number():
    text = "依法依规" * 80 + ",全年共收到政府信息公开申请12件,均已办结。"
    ev = read_template_prose(text, ReportContext(year=2021)).metrics["applications.new.total"][1]
    assert len(ev.snippet) <= 200 and "12件" in ev.snippet


def test_a_year_named_by_a_carried_over_phrase_is_not_another_years_figure():
    # http://js.changchun.gov.cn/… and https://zfcxjs.tj.gov.cn/…: 2023年结转 / 结转2025年 in a 2024 report
    text = "全年接收政府信息公开申请1554件,2023年结转132件;全年办理1503件,结转2025年183件。"
    m = {k: v for k, (v, _) in read_template_prose(text, ReportContext(year=2024)).metrics.items()}
    assert m["applications.carried_in.total"] == 132 and m["applications.carried_out.total"] == 183
    # the same sentence in a report on 2023 names other years: nothing carried is read
    m = {k: v for k, (v, _) in read_template_prose(text, ReportContext(year=2023)).metrics.items()}
    assert "applications.carried_in.total" not in m and "applications.carried_out.total" not in m


def test_two_statements_of_one_total_give_a_finding_and_no_value():
    text = "2021年共收到政府信息公开申请12件。\n2021年共收到政府信息公开申请15件。"
    reading = read_template_prose(text, ReportContext(year=2021))
    assert "applications.new.total" not in reading.metrics
    assert [f.rule for f in reading.findings] == ["prose.ambiguous"]


def test_a_stated_number_beats_a_worded_zero_with_a_finding():
    text = "2021年未收到政府信息公开申请。\n2021年共收到政府信息公开申请3件。"
    reading = read_template_prose(text, ReportContext(year=2021))
    assert reading.metrics["applications.new.total"][0] == 3
    assert [f.rule for f in reading.findings] == ["prose.zero_conflict"]


def test_candidates_name_their_patterns():
    cands = find_prose_candidates("2021年共收到政府信息公开申请12件,上年结转3件。", ReportContext(year=2021))
    # a legacy pattern and a template one may both see a sentence: one value per key is kept
    assert {(c.key, c.pattern) for c in cands} == {("applications.new.total", "legacy.new.verb_noun_num"),
                                                   ("applications.new.total", "new.received"),
                                                   ("applications.carried_in.total", "carried_in")}
    assert {p.name for p in (*PROSE_PATTERNS, *ROW_PATTERNS)} >= {c.pattern for c in cands}


@pytest.mark.parametrize("junk", ["收到申请" * 3000, "上年结转" * 3000 + "5件", "1" * 20000])
def test_run_on_junk_stays_fast(junk):
    import time

    t0 = time.perf_counter()
    read_template_prose(junk, ReportContext(year=2021))
    assert time.perf_counter() - t0 < 2.0


# --- beside the tables ----------------------------------------------------------------------------

def _table_reading(metrics: dict) -> Reading:
    reading = Reading()
    for key, value in metrics.items():
        reading.put(key, value, Evidence(where="table", table=1, row="r", column="c"))
    return reading


def _doc(text: str) -> Document:
    return Document(text=text, media_type="text/html")


CTX = ReportContext(year=2024, is_department=True)


def test_the_table_wins_and_a_disagreeing_sentence_is_a_finding_with_both_numbers():
    tables = _table_reading({"applications.new.total": 96, "applications.carried_in.total": 8})
    text = "2024年,共受理政府信息公开申请95件,上年度结转8件,办结98件。"
    reading = with_template_prose(tables, _doc(text), CTX)
    m = {k: (v, ev.where) for k, (v, ev) in reading.metrics.items()}
    assert m == {"applications.new.total": (96, "table"), "applications.carried_in.total": (8, "table"),
                 "applications.processed_total.total": (98, "text")}
    [f] = reading.findings
    assert f.rule == "prose.table_disagree" and f.severity == "warning"
    assert (f.values["key"], f.values["prose"], f.values["table"]) == ("applications.new.total", 95, 96)
    assert "95件" in f.values["snippet"]


def test_headline_totals_are_compared_with_the_sum_of_their_table_cells():
    tables = _table_reading({"litigation_direct.total": 1, "litigation_after_review.total": 1,
                             "applications.denied.state_secret.total": 1, "applications.denied.third_party.total": 2})
    text = "2024年,予以公开5件,不予公开3件。因政府信息公开引起的行政复议2件、行政诉讼3件。"
    reading = with_template_prose(tables, _doc(text), CTX)
    assert "litigation.total" not in reading.metrics and "applications.denied.total" not in reading.metrics
    assert reading.metrics["review.total"][0] == 2 and reading.metrics["applications.granted.total"][0] == 5
    assert [(f.values["key"], f.values["prose"], f.values["table"]) for f in reading.findings] == [
        ("litigation.total", 3, 2)]


def test_prose_alone_keeps_the_tables_missing_finding_and_its_fee_is_recorded():
    reading = with_template_prose(Reading(), _doc("2024年共收到政府信息公开申请3件,未收取信息处理费。"), CTX)
    assert {k: v for k, (v, _) in reading.metrics.items()} == {"applications.new.total": 3, "fees.collected_yuan": 0}
    assert [f.rule for f in reading.findings] == ["tables.missing"]
    assert read_template_prose("2024年未收取信息处理费。", CTX).metrics["fees.collected_yuan"][0] == 0
    # nothing read at all: the pipeline's own tables.missing finding, not a second one
    assert with_template_prose(Reading(), _doc("一、总体情况"), CTX).findings == []


def test_a_generated_report_with_tables_and_prose_reads_its_tables_and_the_fee_of_its_prose():
    record = random_record("gb2021", 4)
    doc = Document(text="本年度未收取信息处理费。无其他需要报告的事项。", media_type="text/html",
                   tables=[Table(g, index=i) for i, g in enumerate(grids(record, "html_clean"))])
    tables = read_template_tables(doc, "gb2021")
    reading = with_template_prose(tables, doc, ReportContext(year=record["year"]))
    assert {**reading.metrics} == {**tables.metrics, "fees.collected_yuan": reading.metrics["fees.collected_yuan"]}
    assert reading.metrics["fees.collected_yuan"][0] == 0 and reading.findings == tables.findings


# https://www.jiaxing.gov.cn/art/2024/1/17/art_1229779129_5251843.html (the 总体情况 of a report whose
# tables the stored copy lost): the prose gives the totals, the record says no table was read
JIAXING = """嘉兴市人民政府办公室2023年度政府信息公开工作年度报告
一、总体情况
2023年,共收到政府信息公开申请132件,上年结转2件,共计134件。目前依法办结122件,其中予以公开的27件,部分公开的38件,无法提供的48件,不予处理的5件,其他处理的4件。结转下年度继续办理的12件。
因信息公开引发行政争议11件,其中,行政复议7件,结果维持6件,尚未审结1件;行政诉讼4件,结果维持2件,尚未审结2件。
"""


def test_a_template_report_without_readable_tables_gets_its_prose_totals():
    record = parse(JIAXING.encode("utf-8"), "text/plain")
    assert record.format == "gb2021"
    stated = {k: v for k, v in record.metrics.items() if record.evidence[k].where == "text"}
    assert stated == {"applications.new.total": 132, "applications.carried_in.total": 2,
                      "applications.processed_total.total": 122, "applications.granted.total": 27,
                      "applications.partial.total": 38, "applications.carried_out.total": 12,
                      "review.total": 7, "review.upheld": 6, "review.pending": 1, "litigation.total": 4}
    assert record.evidence["review.total"].snippet.startswith("因信息公开引发行政争议11件")
    assert "tables.missing" in {f.rule for f in record.findings}


def test_real_template_reports_never_get_a_wrong_prose_total():
    """On every labelled template report of tests/data/real, a total read from the prose is the
    labelled number whenever the label gives that key."""
    from tests.real_corpus import load_corpus

    checked = 0
    wrong = []
    for doc in load_corpus():
        labels = doc.labels
        if (labels.get("meta") or {}).get("format") not in ("gb2019", "gb2021") or not labels.get("report", True):
            continue
        try:
            record = parse(doc.path.read_bytes(), doc.media_type, doc.url)
        except Exception:  # refusals are the recognizer's business, scored elsewhere
            continue
        for key, value in record.metrics.items():
            ev = record.evidence[key]
            if ev.where != "text" or ev.row is not None or key not in labels["cells"]:
                continue
            checked += 1
            if labels["cells"][key] != value:
                wrong.append((doc.slug, key, value, labels["cells"][key]))
    assert wrong == []
    assert checked >= 150
