"""The parser's fast paths give what their plain definitions give: the place scan (leftmost-longest,
one position at a time), legacy text normalisation (each character folded on its own, dropped
spans removed one by one) and the per-document memos (empty after every parse)."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from parser import parse
from parser.extract.cjk import fold_lines, fold_spaces, is_cjk
from parser.legacy.patterns import TRAD_TO_SIMP, WORD_FOLDS
from parser.legacy.text import _wrapped_line_breaks, normalize
from parser.memo import held
from parser.numbers import normalize_width
from parser.regions import _index, _Mention, _scan, _Town

REAL = Path(__file__).parent / "data" / "real"
SAMPLES = Path(__file__).parents[1].parent / "shared" / "samples"


def _real_texts() -> list[str]:
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in sorted(REAL.glob("*.txt"))]
    assert len(texts) >= 100
    return texts


def _plain_scan(text: str) -> tuple[_Mention, ...]:
    """Every place name, leftmost-longest: each position tries every name length, longest first."""
    idx = _index()
    table = {name: list(divisions) for name, divisions in idx.names.items()}
    for county, towns in idx.towns.items():  # every town of the table, after the divisions, in its order
        for town in towns:
            table.setdefault(town, []).append(_Town(county, town))
    longest = max(map(len, table))
    out, i = [], 0
    while i < len(text):
        for length in range(min(longest, len(text) - i), 1, -1):
            targets = table.get(text[i:i + length])
            if targets:
                out.append(_Mention(i, i + length, tuple(targets)))
                i += length
                break
        else:
            i += 1
    return tuple(out)


# what normalize drops, as first written (the module writes them to be searched faster)
_SPACE = "[ \u00a0\u200b\u200c\ufeff]"
_PLAIN_DROPS = (
    re.compile(r"@@"),
    re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"),
    re.compile(rf"(?<![A-Za-z]){_SPACE}+|{_SPACE}+(?![A-Za-z])"),
    re.compile(r"(?<=\d),(?=\d{3}(?!\d))"),
)


def _plain_normalize(text: str) -> tuple[str, tuple[int, ...]]:
    """The definition ``normalize`` keeps: a list of characters with their source index."""
    chars, offsets = [], []
    for i, c in enumerate(text):
        for d in unicodedata.normalize("NFKC", c):
            chars.append(d)
            offsets.append(i)
    chars = list("".join(chars).translate(TRAD_TO_SIMP))

    def drop(spans):
        nonlocal chars, offsets
        gone = {j for a, b in spans for j in range(a, b)}
        chars = [c for j, c in enumerate(chars) if j not in gone]
        offsets = [o for j, o in enumerate(offsets) if j not in gone]

    for rx in _PLAIN_DROPS:
        drop([(m.start(), m.end()) for m in rx.finditer("".join(chars))])
    drop(_wrapped_line_breaks("".join(chars)))
    joined = "".join(chars)
    for old, new in WORD_FOLDS:
        joined = joined.replace(old, new)
    return joined, tuple(offsets)


def test_the_place_scan_finds_what_trying_every_length_at_every_position_finds():
    texts = _real_texts()[::4]
    texts += ["浙江省杭州市余杭区人民政府", "江苏省南京市江宁区", "和县", "中国南平网站", "", "省", "（余杭区）", "ab北京"]
    found = 0
    for text in texts:
        for variant in (text, normalize_width(text).replace(" ", "")):
            fast = _scan.__wrapped__(variant)
            assert fast == _plain_scan(variant), variant[:40]
            found += len(fast)
    assert found > 500  # the texts name places: the comparison compared something


def test_legacy_normalize_is_the_character_by_character_definition():
    crafted = ["１，９８４件　２０３０ 条 關(guan) 於(yu)@@報(bào)告 ５９２８\n条", "全角ＡＢＣ　ｘ（一）ｙ\u00a0z\u200b",
               "本机关共收到政府信息公开申请1,984件，其中：区政府办公室120条；10:30\n",
               "a  b 中 文 x ,1,234,5678 報(bào)(x)",
               "行政复议案件\t3\t2\n|a|b|c|\n这是一段很长的没有句末标点的文字它会在下一行继续写下去\n继续。", "", "\ufeff", "ﾊﾝｶｸ㍻"]
    for text in crafted + _real_texts()[::2] + [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]:
        norm = normalize(text)
        assert (norm.text, norm.offsets) == _plain_normalize(text), text[:40]
        assert norm.source == text


def test_fold_lines_joins_as_its_definition_does():
    def plain(parts: list[str]) -> str:
        out = ""
        for piece in (fold_spaces(p) for p in parts):
            if piece:
                out += ("" if not out or (is_cjk(out[-1]) and is_cjk(piece[0])) else " ") + piece
        return out

    cases = [[], [""], ["  "], ["本年新", "制作数量"], ["total", "12"], ["", " a\u3000 b ", "", "数"], ["（一）", "“规章”"],
             ["a", "", "b"], ["表", " 1 "], ["\xa0\t"], ["——", "—"]]
    cases += [line.split("\u3000") for text in _real_texts()[:40] for line in text.splitlines()]
    for parts in cases:
        assert fold_lines(parts) == plain(parts), parts
    assert fold_lines("本年新\n制作数量") == "本年新制作数量"


def test_normalize_width_keeps_ascii_and_folds_the_rest():
    assert normalize_width("abc 123,.") == "abc 123,."
    assert normalize_width("１２３，ＡＢ　（一）") == "123,AB (一)"


def test_the_per_document_memos_hold_nothing_after_a_parse():
    files = sorted(REAL.glob("*.html"))[:6] + sorted(REAL.glob("*.txt"))[:6]
    for f in files:
        try:
            parse(f.read_bytes(), None, url=f.as_uri())
        except Exception:  # a look-alike is refused: its memos must be forgotten all the same
            pass
        assert held() == 0, f.name


def test_the_pinyin_aids_found_are_those_the_first_pattern_finds():
    from parser.traditional import _PINYIN

    plain = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-z\u00e0-\u00fc\u0100-\u01dc]{1,6}[)）]")
    texts = ["報(bào)告", "國（guó）", "(bào)", "a(bao)", "報((bao)", "報(bàobàobào)"] + _real_texts()
    found = 0
    for text in texts:
        spans = [m.span() for m in _PINYIN.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)]
        found += len(spans)
    assert found > 10


def test_the_prose_readers_skip_only_clauses_that_no_pattern_matches():
    import json

    from parser import template_prose
    from parser.legacy import prose
    from parser.legacy.text import clauses, paragraphs, sentences

    texts = _real_texts()[::2] + [e["text"] for e in json.loads(
        (Path(__file__).parent / "data" / "legacy_sentences.json").read_text(encoding="utf-8"))]
    matched = 0
    for module in (prose, template_prose):
        for text in texts:
            for par in paragraphs(normalize(text)):
                for _, sentence in sentences(par):
                    for _, clause in clauses(sentence):
                        for kind, patterns in module._PATTERNS_FOR.items():
                            union = module._ANY_FOR[kind]
                            any_matches = any(p.regex.search(clause) for p in patterns)
                            assert (union is not None and union.search(clause) is not None) == any_matches, clause
                            matched += any_matches
    assert matched > 1000


def test_the_prose_readers_try_every_pattern_that_matches_a_clause_in_order():
    """A clause tries only the runs of patterns whose union it matches (``pattern_union.InRuns``):
    no pattern that matches is left out, and the order is the patterns' own."""
    from parser import template_prose
    from parser.legacy import prose
    from parser.legacy.text import clauses, paragraphs, sentences

    tried = matched = 0
    for module in (prose, template_prose):
        for text in _real_texts()[::3]:
            for par in paragraphs(normalize(text)):
                for _, sentence in sentences(par):
                    for _, clause in clauses(sentence):
                        for kind, patterns in module._PATTERNS_FOR.items():
                            may = list(module._RUNS_FOR[kind].may_match(clause))
                            plain = [p for p in patterns if p.regex.search(clause)]
                            assert [p for p in may if p.regex.search(clause)] == plain, clause
                            tried += len(may)
                            matched += len(plain)
    assert matched > 500
    assert tried < 20 * matched  # the runs leave most patterns out


def test_clean_title_is_its_six_substitutions_on_every_line():
    from parser.memo import forget_documents
    from parser.titles import _DATE_AFTER, _FILE_EXTENSION, _FULL_TEXT_TAG, _PAGE_CAPTION, _SITE_IN_BRACKETS, \
        _SPACE_IN_CHINESE, clean_title, strip_title_label

    def plain(title: str) -> str:
        t = strip_title_label(title.strip())
        for rx in (_SITE_IN_BRACKETS, _PAGE_CAPTION, _FILE_EXTENSION, _DATE_AFTER, _FULL_TEXT_TAG, _SPACE_IN_CHINESE):
            t = rx.sub("", t)
        return t.strip(" |｜")

    crafted = ["[某市人民政府]2020年政府信息公开工作年度报告", "【某县】 2019年度报告.PDF", "某区2021年报告 2022-01-15",
               "标题：某 区 政 府 2020 年 报 告", "某局\u3000年度报告\xa0", "报告.html", "2018年报告 2019/1/2 更新", "",
               "Page 8 - 某局2022年政府信息公开工作年度报告", "P. 3: 某县2021年报告", "某省2011年度政府信息公开工作报告/全文"]
    lines = crafted + [ln for text in _real_texts()[::3] for ln in text.splitlines()[:80]]
    changed = 0
    for line in lines:
        assert clean_title(line) == plain(line), line
        changed += plain(line) != line.strip()
    forget_documents()
    assert changed > 50
