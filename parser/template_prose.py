"""Template-era prose (reports on 2019 on): the totals a report states in its sentences, beside its tables.

Many template reports restate table 3's and table 4's totals in the 总体情况 paragraphs (「共受理政府信息
公开申请95件,其中自然人89件」「上年度结转8件」「结转下年度5件」「办结98件」「行政复议2件」「未收取信息
处理费」), and some have no readable table at all (drawn as images, cut off). ``read_template_prose(text,
ctx)`` reads them with the patterns of ``parser.template_prose_patterns`` (the totals) and
``parser.template_prose_rows`` (rows the prose names: outcome rows, review outcomes, table 2 items,
channels; a key of one template only where the report's year fills it) and the trap guards of the
legacy reader (another year, 同比/上年 changes, cumulative 截至/以来 figures, another body's 全市 figure,
约/近 figures, quarters): ``Evidence(where="text", snippet=<the sentence as written>)``.
``with_template_prose(tables, doc)`` adds them to what the tables gave: a table's number always
wins, and a sentence that says otherwise is a ``prose.table_disagree`` finding with both numbers; a
report whose tables gave nothing keeps its ``tables.missing`` finding. Pure, reads no settings.
"""
from __future__ import annotations

import re

from .document import Document
from .legacy.context import ReportContext, report_context
from .legacy.patterns import APPROX_BEFORE_RX, DELTA_RX, PERIOD_RX
# the legacy trap guards, shared: another year, a cumulative figure, another body's figure
from .legacy.prose import Candidate, _cumulative, _subject_is_own, _year_is_own, choose
from .legacy.text import Normalized, Paragraph, clauses, normalize, paragraphs, sentences
from .numbers import parse_count
from .pattern_union import InRuns, any_of
from .record import Evidence, Finding, Reading
from .template_prose_patterns import PROSE_PATTERNS, TEMPLATE_OWN_RX, TEMPLATE_SUBLEVEL_RX, ProsePattern
from .template_prose_rows import ROW_PATTERNS

__all__ = ["find_prose_candidates", "read_template_prose", "with_template_prose"]

_LOOKBACK = 400  # how far back of a number the guards look (bounded: a run-on junk "sentence" stays linear)
_AHEAD = 40  # what follows a number that a pattern may ask about ("(含上年度结转8件)")
_SNIPPET_MAX = 200
_HAS_COUNT = re.compile(r"\d|[零〇两一二三四五六七八九十百千][件条宗起个次项份例]")
_HAS_NONE = re.compile(r"未|没有|无|不曾")
_STRESSED = re.compile(r"共|总|合计|全年")
_CLAUSE_GOES_ON = re.compile(r"[,;。()、]")
PATTERNS = (*PROSE_PATTERNS, *ROW_PATTERNS)
# the patterns a clause can match, by (it holds a count, it holds a worded "none"), in PATTERNS' order
_PATTERNS_FOR = {(has_count, has_none): tuple(p for p in PATTERNS if (has_count if p.counts else has_none))
                 for has_count in (False, True) for has_none in (False, True)}
# and one search for "does any of them match": most clauses match none
_ANY_FOR = {kind: any_of(p.regex for p in pats) for kind, pats in _PATTERNS_FOR.items()}
# then a union per run of a few: a clause that matches tries only the runs it matches
_RUNS_FOR = {kind: InRuns(pats, lambda p: p.regex) for kind, pats in _PATTERNS_FOR.items()}
_CARRIED_PHRASES = tuple(p for p in PROSE_PATTERNS if "lab" in p.regex.groupindex)
_KEY_WORD_REACH = 40  # how far before a number the word that names its key may stand (same ;-part)
_BLANK = "□"  # what a carried-over phrase's words become for the guards (same length: offsets hold)


def read_template_prose(text: str, ctx: ReportContext) -> Reading:
    """The template totals the prose of ``text`` states, one value per key (``legacy.prose.choose``)."""
    norm = normalize(text)
    chosen, findings = choose(find_prose_candidates(text, ctx, norm))
    reading = Reading(findings=[_renamed(f) for f in findings])
    for key, c in sorted(chosen.items(), key=lambda kv: kv[1].start):
        reading.put(key, c.value, Evidence(where="text", snippet=c.snippet))
    return reading


def find_prose_candidates(text: str, ctx: ReportContext, norm: Normalized | None = None) -> list[Candidate]:
    norm = norm or normalize(text)
    found: list[Candidate] = []
    for par in paragraphs(norm):
        for s_start, sentence in sentences(par):
            guarded = _blank_carried_phrases(sentence, ctx)
            seen: set[str] = set()
            for c_start, clause in clauses(sentence):
                kind = (_HAS_COUNT.search(clause) is not None, _HAS_NONE.search(clause) is not None)
                if _ANY_FOR[kind] is None or not _ANY_FOR[kind].search(clause):
                    continue
                for pat in _RUNS_FOR[kind].may_match(clause):
                    for m in pat.regex.finditer(clause):
                        for key, value in _readings(pat, m, sentence, guarded, c_start, par, ctx):
                            if clause.startswith("其中") and key in seen and pat.counts:
                                continue  # "共收到…95件,其中…收到20件": a part, not a second total
                            seen.add(key)
                            pos = c_start + (m.start("n") if pat.counts else m.start())
                            stressed = _STRESSED.search(guarded[c_start: c_start + m.end()]) is not None
                            found.append(Candidate(key, value, pat.tier, _snippet(norm, sentence, s_start, pos),
                                                   s_start + pos, par.heading, pat.name, stressed))
    return found


def _blank_carried_phrases(sentence: str, ctx: ReportContext) -> str:
    """The sentence with the words of its carried-over phrases (上年度结转, 结转至2022年) blanked: they
    name last or next year on purpose, and must not make the guards think a number is another year's."""
    spans = [m.span("lab") for p in _CARRIED_PHRASES for m in p.regex.finditer(sentence) if _year_fits(p, m, ctx)]
    if not spans:
        return sentence
    chars = list(sentence)
    for a, b in spans:
        chars[a:b] = _BLANK * (b - a)
    return "".join(chars)


def _year_fits(pat: ProsePattern, m: re.Match[str], ctx: ReportContext) -> bool:
    year = m.groupdict().get("y")
    return year is None or (ctx.year is not None and int(year) == ctx.year + pat.year_offset)


def _readings(pat: ProsePattern, m: re.Match[str], sentence: str, guarded: str, c_start: int, par: Paragraph,
              ctx: ReportContext) -> list[tuple[str, int]]:
    """(key, value) pairs one match stands for once every guard let it through; empty otherwise."""
    if not _year_fits(pat, m, ctx) or not _sentence_allows(pat, sentence, par):
        return []
    if pat.era is not None and pat.era != _era(ctx):
        return []
    before = sentence[max(0, c_start + m.start() - _LOOKBACK): c_start + m.start()]
    if pat.needs_before is not None and not pat.needs_before.search(before):
        return []
    end = c_start + m.end()
    ahead = sentence[end: end + _AHEAD]
    if (pat.after and not pat.after.search(ahead)) or (pat.reject_after and pat.reject_after.search(ahead)):
        return []
    if pat.counts and m.group(0)[-1:].isdigit() and not _CLAUSE_GOES_ON.match(ahead):
        return []  # a count with no unit, where the text is cut right after it ("结转至2022年19"): not read
    pos = c_start + (m.start("n") if pat.counts else m.start())
    head = guarded[max(c_start, end - _LOOKBACK): end]
    if pat.counts and APPROX_BEFORE_RX.search(guarded[max(0, pos - 4): pos]):
        return []
    reach = max(c_start, end - _LOOKBACK) if pat.reject_reach is None else max(c_start, c_start + m.start() - pat.reject_reach)
    if (pat.reject and pat.reject.search(guarded, reach, end)) or PERIOD_RX.search(head):
        return []
    if pat.reject_before and pat.reject_before.search(guarded[c_start: c_start + m.start()]):
        return []
    if not pat.delta_ok and DELTA_RX.search(head):
        return []
    prefix = guarded[max(0, pos - _LOOKBACK): pos]
    if not _year_is_own(prefix, ctx) or (not pat.dated and _cumulative(prefix, ctx)):
        return []
    if not _subject_is_own(guarded, pos, ctx, True, own=TEMPLATE_OWN_RX, sublevel=TEMPLATE_SUBLEVEL_RX):
        return []
    value = parse_count(m.group("n")) if pat.counts else 0
    if value is None or (pat.zero_only and value != 0):
        return []
    if pat.keys_from_words:
        return [(key, value) for word, key in pat.keys_from_words if word in m.group(0)]
    if pat.keys_from_before:
        key = _key_from_before(pat, before)
        return [(key, value)] if key else []
    return [(pat.key, value)]


def _era(ctx: ReportContext) -> str | None:
    """The template a report on ``ctx.year`` fills (SCHEMA.md: gb2019 for 2019–2020, gb2021 from 2021)."""
    if ctx.year is None or ctx.year < 2019:
        return None
    return "gb2021" if ctx.year >= 2021 else "gb2019"


def _key_from_before(pat: ProsePattern, before: str) -> str | None:
    """The key of the word nearest before the number in its ;-part ("制发规章2件、规范性文件3件,废止规章1件")."""
    window = before[-_KEY_WORD_REACH:].rsplit(";", 1)[-1]
    best, best_end = None, -1
    for word, key in pat.keys_from_before:
        for m in re.finditer(word, window):
            if m.end() > best_end:
                best, best_end = key, m.end()
    return best or None


def _sentence_allows(pat: ProsePattern, sentence: str, par: Paragraph) -> bool:
    """The pattern's conditions on its sentence; what it needs may also be said by the sentences
    around it in its paragraph ("共收到申请132件…。目前依法办结122件"), its (一)/(二) heading or its
    section heading."""
    if pat.reject_sentence is not None and pat.reject_sentence.search(sentence):
        return False
    if pat.needs is None:
        return True
    heading_rx = pat.needs_heading or pat.needs
    return (pat.needs.search(sentence) is not None or pat.needs.search(par.text) is not None
            or pat.needs.search(par.subheading) is not None or heading_rx.search(par.subheading) is not None
            or heading_rx.search(par.heading) is not None)


def _snippet(norm: Normalized, sentence: str, s_start: int, pos: int) -> str:
    """The sentence as the report writes it (a window around the number when it is long)."""
    lo, hi = 0, len(sentence)
    if hi > _SNIPPET_MAX:
        lo = max(0, pos - _SNIPPET_MAX // 2)
        hi = min(len(sentence), lo + _SNIPPET_MAX)
    return norm.original(s_start + lo, s_start + hi).strip()


def _renamed(finding: Finding) -> Finding:
    """``legacy.prose.choose``'s findings, named for this reader (prose.ambiguous, prose.zero_conflict)."""
    return Finding(finding.rule.replace("legacy.", "prose.", 1), finding.severity, finding.message, finding.values)


# --- beside the tables ----------------------------------------------------------------------------

# a prose key whose table cells are its parts: the table's figure is their sum (SCHEMA.md headline keys)
_TABLE_PARTS = {
    "litigation.total": ("litigation_direct.total", "litigation_after_review.total"),
}
_DENIED_PREFIX = "applications.denied."


def _table_figure(key: str, table: dict[str, tuple]) -> int | float | None:
    """What the tables say for ``key``: its cell, or the sum of its parts' cells (None: no table says)."""
    if key in table:
        return table[key][0]
    if key == "applications.denied.total":
        parts = [v for k, (v, _) in table.items() if k.startswith(_DENIED_PREFIX) and k.endswith(".total")]
    else:
        parts = [table[k][0] for k in _TABLE_PARTS.get(key, ()) if k in table]
    return sum(parts) if parts else None


def with_template_prose(tables: Reading, doc: Document, ctx: ReportContext | None = None) -> Reading:
    """The tables' reading with the prose totals no table gives; a disagreement is a finding."""
    prose = read_template_prose(doc.text, ctx or report_context(doc))
    reading = Reading(metrics=dict(tables.metrics), findings=[*tables.findings, *prose.findings])
    for key, (value, evidence) in prose.metrics.items():
        stated = _table_figure(key, tables.metrics)
        if stated is None:
            reading.put(key, value, evidence)
        elif stated != value:
            reading.findings.append(Finding(
                "prose.table_disagree", "warning",
                f"{key}: the prose says {value:g}, the table {stated:g}; the table is kept",
                {"key": key, "prose": value, "table": stated, "snippet": evidence.snippet}))
    from_prose = len(reading.metrics) - len(tables.metrics)
    if not tables.metrics and from_prose:
        reading.findings.append(Finding(
            "tables.missing", "warning",
            f"a template report but no template table could be read; {from_prose} totals read from its prose"))
    return reading
