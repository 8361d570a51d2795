"""The legacy prose matcher: sentences in, metric candidates out, traps kept out.

``find_candidates(text, ctx)`` applies ``patterns.METRIC_PATTERNS`` clause by clause and keeps a
match only when the trap guards of research/legacy.md §3 let it through: no change against another
period in its clause (同比, 比上年, 增加), no cumulative marker governing it (历年, 截至…, 自…以来,
累计 outside the year), no other year than the report's before it, no half-year or quarter, and the
subject is the report's own (a department's report does not take 全市 figures; a district's takes
全区, not 全市). ``choose(candidates)`` settles one value per key; ``read_prose(text, ctx)`` does both
and returns a ``Reading`` whose evidence quotes the sentence as written. Pure, reads no settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbers import parse_cell, parse_count
from ..pattern_union import InRuns, any_of
from ..record import Evidence, Finding, Reading
from .context import ReportContext
from .patterns import (
    AREA_BODY_RX, AREA_RX, APPROX_BEFORE_RX, CHANNEL_FIGURE_RX, CHANNEL_QUALIFIER_RX, CUMULATIVE_RX, DELTA_RX, KEY_FAMILY_HEADINGS,
    COMPARED_BEFORE_RX, METRIC_PATTERNS, OUTCOME_PATTERN_NAMES, OWN_BODY_RX, PART_MARK_RX, PERIOD_RX, RESET_RX, SUBLEVEL_RX, TOPIC_RX,
    UNIT_GROUP_RX,
    YEAR_RX, MetricPattern,
)
from .text import Normalized, clauses, normalize, paragraphs, sentences

__all__ = ["Candidate", "find_candidates", "choose", "read_prose"]

_SNIPPET_MAX = 160
# how far back (and ahead) of a number the guards look: a sentence's subject, year and markers sit
# within this; bounding it keeps a run-on "sentence" of junk (no punctuation) linear
_LOOKBACK = 400
_SINCE = re.compile(r"截至|截止|到目前|以来|历年")
_FIRST_COUNT = re.compile(r"(?<!\d)\d+[件条宗起个次人名元]")
_COUNT = re.compile(r"\d|[零〇两一二三四五六七八九十百千][件条宗起个只次人名元篇场期项例份]")
_TOTAL_WORDS = re.compile(r"共|总|合计|全年|全(?:省|市|区|县|镇|乡|街道)|各级")
_WORDED = re.compile(r"未|没有|无|不存在|免费|免收|全部|均|零|属于")
_OUTCOME_PATTERNS = tuple(p for p in METRIC_PATTERNS if p.name in OUTCOME_PATTERN_NAMES)
# the patterns a clause can match, by (it holds a count, it holds a worded "none"): each list in
# METRIC_PATTERNS' order, so a clause tries only its kinds without asking every pattern
_PATTERNS_FOR = {(has_count, has_word): tuple(p for p in METRIC_PATTERNS if (has_count if p.counts else has_word))
                 for has_count in (False, True) for has_word in (False, True)}
# and one search for "does any of them match": most clauses match none
_ANY_FOR = {kind: any_of(p.regex for p in pats) for kind, pats in _PATTERNS_FOR.items()}
# then a union per run of a few: a clause that matches tries only the runs it matches
_RUNS_FOR = {kind: InRuns(pats, lambda p: p.regex) for kind, pats in _PATTERNS_FOR.items()}


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    value: int
    tier: int
    snippet: str  # the sentence as the report writes it
    start: int  # position in the normalized text, for reading order
    heading: str
    pattern: str
    stressed: bool = False  # its clause says it is a total (共, 全年, 全区, 合计): wins over unstressed parts


@dataclass(slots=True)
class _State:
    """What a paragraph carries from one sentence to the next."""

    topic: str | None = None  # review / litigation / complaints / applications
    own_subject: bool = True
    totals: frozenset[str] = frozenset()  # the keys the last sentence gave a figure for


def find_candidates(text: str, ctx: ReportContext) -> list[Candidate]:
    norm = normalize(text)
    found: list[Candidate] = []
    for par in paragraphs(norm):
        state = _State()
        for s_start, sentence in sentences(par):
            found.extend(_sentence_candidates(norm, sentence, s_start, par.heading, ctx, state))
    return found


def _sentence_candidates(norm: Normalized, sentence: str, s_start: int, heading: str,
                         ctx: ReportContext, state: _State) -> list[Candidate]:
    out: list[Candidate] = []
    seen: dict[str, set[float]] = {}  # tier-0 values per key so far in this sentence
    # "…主动公开政府信息2949条。其中，区直各部门…2275条": the sentence after a total names its parts
    wholes = set(state.totals) if sentence.startswith("其中") else set()
    state.totals = frozenset()
    if PERIOD_RX.search(sentence):
        return out
    sentence_ok: dict[str, bool] = {}  # per pattern: its sentence-level conditions, checked once
    for c_start, clause in clauses(sentence):
        state.topic = _topic(clause, state.topic)
        kind = (_COUNT.search(clause) is not None, _WORDED.search(clause) is not None)
        if _ANY_FOR[kind] is None or not _ANY_FOR[kind].search(clause):
            continue
        for pat in _RUNS_FOR[kind].may_match(clause):  # most clauses hold no count and no "none"
            for m in pat.regex.finditer(clause):
                if pat.name not in sentence_ok:
                    sentence_ok[pat.name] = _sentence_allows(pat, sentence, heading)
                if not sentence_ok[pat.name]:
                    break
                pos = c_start + (m.start("n") if pat.counts else m.start())
                head = clause[max(0, m.end() - _LOOKBACK): m.end()]
                if not _passes(pat, m, head, sentence, pos, ctx, state):
                    continue
                ahead = sentence[c_start + m.end(): c_start + m.end() + _LOOKBACK]
                if pat.reject_after is not None and pat.reject_after.search(ahead):
                    continue
                behind = sentence[max(0, c_start + m.start() - _LOOKBACK): c_start + m.start()]
                for key, value, tier in _readings(pat, m, clause, behind, ahead, state, seen, wholes):
                    snippet = _snippet(norm, sentence, s_start, pos)
                    stressed = _TOTAL_WORDS.search(head) is not None
                    out.append(Candidate(key, value, tier, snippet, s_start + pos, heading, pat.name, stressed))
                    if tier == 0:
                        seen.setdefault(key, set()).add(value)
    # the sentence's head subject carries to the next ones ("全区…共收到1984件。其中,当面申请260件")
    state.totals = frozenset(seen)
    first = _FIRST_COUNT.search(sentence, 0, _LOOKBACK)
    state.own_subject = _subject_is_own(sentence, first.start() if first else min(len(sentence), _LOOKBACK), ctx,
                                        state.own_subject)
    return out


def _topic(clause: str, current: str | None) -> str | None:
    hits = [name for name, rx in TOPIC_RX if rx.search(clause)]
    if "complaints" in hits:
        return "complaints"
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        return None  # 行政复议、行政诉讼 together: outcomes after it belong to neither
    if "申请" in clause and "公开" in clause:
        return "applications"
    return current


def _sentence_allows(pat: MetricPattern, sentence: str, heading: str) -> bool:
    if pat.reject_sentence is not None and pat.reject_sentence.search(sentence):
        return False
    if pat.needs is None:
        return True
    return pat.needs.search(sentence) is not None or (pat.needs_heading or pat.needs).search(heading) is not None


def _passes(pat: MetricPattern, m: re.Match[str], head: str, sentence: str, pos: int,
            ctx: ReportContext, state: _State) -> bool:
    """The trap guards for one match; ``head`` is its clause up to the match end (bounded)."""
    if pat.counts and APPROX_BEFORE_RX.search(sentence[max(0, pos - 4): pos]):
        return False
    if pat.reject is not None and pat.reject.search(head):
        return False
    if pat.reject_before is not None and pat.reject_before.search(head[: max(0, len(head) - len(m.group(0)))]):
        return False
    if pat.reject_subject is not None and pat.reject_subject.search(sentence[max(0, pos - _LOOKBACK): pos]):
        return False
    if DELTA_RX.search(head):
        return False
    prefix = sentence[max(0, pos - _LOOKBACK): pos]
    # a verbal zero over a span holding the year is the year's zero too ("自开展政府信息公开工作以来,暂未…
    # 收取…费用"); a count over such a span is not the year's count
    verbal_zero = not pat.counts and pat.copy_from is None
    if not _year_is_own(prefix, ctx) or (not verbal_zero and _cumulative(prefix, ctx)):
        return False
    return _subject_is_own(sentence, pos, ctx, state.own_subject)


def _year_is_own(prefix: str, ctx: ReportContext) -> bool:
    """The last year named before the number is the report's; a year compared with ("较2018年无增减")
    dates the comparison, not the figure."""
    years = [m.group(1) for m in YEAR_RX.finditer(prefix) if not COMPARED_BEFORE_RX.search(prefix, 0, m.start())]
    return ctx.year is None or not years or int(years[-1]) == ctx.year


def _cumulative(prefix: str, ctx: ReportContext) -> bool:
    """A cumulative marker before the number, not excused and not reset by 本年度/全年 after it."""
    for m in CUMULATIVE_RX.finditer(prefix):
        if _excused(prefix, m, ctx):
            continue
        if not RESET_RX.search(prefix, m.end()):
            return True
    return False


def _excused(prefix: str, m: re.Match[str], ctx: ReportContext) -> bool:
    word = m.group(0)
    year = str(ctx.year) if ctx.year else r"(?:19|20)\d\d"
    if word in ("截至", "截止"):
        # 截止2015年12月31日 in the 2015 report is the year's count (海棠 2015)
        return re.match(rf"{year}年(?:12月31日|底|末|年底)", prefix[m.end():]) is not None
    if word.endswith("以来") and not word.startswith("自"):
        return re.search(rf"(?:{year}年|今年|本年)$", prefix[: m.start()]) is not None
    if word == "累计":  # "2015年共举办培训6场,累计培训310人次", but not "截至…累计"
        before = prefix[: m.start()]
        return re.search(rf"{year}年|全年|本年|当年|今年|年度", before) is not None and not _SINCE.search(before)
    return False


def _subject_is_own(sentence: str, pos: int, ctx: ReportContext, carried: bool,
                    own: re.Pattern[str] = OWN_BODY_RX, sublevel: re.Pattern[str] = SUBLEVEL_RX) -> bool:
    """Whose figure: the body's own words win, then the first area word, else the paragraph's so far."""
    prefix = sentence[max(0, pos - _LOOKBACK): pos]
    if own.search(prefix):
        return True
    group = UNIT_GROUP_RX.search(prefix)
    if group:
        # "各乡镇主动公开…674条", "区直、县直各单位主动公开…303条": one kind of unit, a part of what the
        # report covers; "区直各部门、各乡镇、县直各单位…主动公开…2949条" lists both kinds: the whole
        around = prefix[max(0, group.start() - 20): group.end() + 20]
        return "、" in around and len({m.lastgroup for m in UNIT_GROUP_RX.finditer(around)}) == 2
    if sublevel.search(prefix):
        return False
    area = AREA_RX.search(prefix)
    if area:
        body = AREA_BODY_RX.match(prefix, area.end())
        return ctx.area_is_own(body.group("lvl") if body else area.group("lvl"))
    return carried


def _readings(pat: MetricPattern, m: re.Match[str], clause: str, behind: str, ahead: str, state: _State,
              seen: dict[str, set[float]], wholes: set[str] = frozenset()) -> list[tuple[str, int, int]]:
    """(key, value, tier) triples one match stands for; empty when it stands for nothing. ``behind``
    and ``ahead`` are the sentence before and after the match (bounded); ``wholes``: keys the
    sentence before gave a total for, when this one opens with 其中."""
    if pat.counts:
        value = parse_count(m.group("n"))
        if value is None and "." in m.group("n"):
            value = parse_cell(m.group("n"))  # a fee in 元 with 角/分
        if value is None or (pat.zero_only and value != 0):
            return []
    elif pat.copy_from:
        same = seen.get(pat.copy_from, set())
        if len(same) != 1:
            return []
        value = next(iter(same))
    else:
        value = 0
    tier = pat.tier
    if pat.keys_from_words:
        keys = [key for word, key in pat.keys_from_words if word in m.group(0)]
        return [(k, value, tier) for k in keys]
    key = pat.key
    if key in wholes or clause.startswith("其中") and key in seen:
        return []  # "全区主动公开…5713条,其中区政府办公室主动公开…120条": a part, not a second total
    if "{topic}" in key:
        if state.topic not in ("review", "litigation", "complaints"):
            return []
        key = key.format(topic=state.topic)
    if pat.replied_if_outcomes and any(p.regex.search(ahead) for p in _OUTCOME_PATTERNS):
        key = "applications.replied"
    if key == "proactive.items" and CHANNEL_QUALIFIER_RX.search(clause[max(0, m.start() - _LOOKBACK): m.start()]):
        # "通过门户网站主动公开…N条": one channel's figure, a total only when nothing else is, and
        # never one of several channels or a part ("其中,…通过省政府门户网站主动公开信息450条")
        if PART_MARK_RX.search(behind) or len(CHANNEL_FIGURE_RX.findall(behind + m.group(0) + ahead)) > 1:
            return []
        tier = 1
    return [(key, value, tier)]


def _snippet(norm: Normalized, sentence: str, s_start: int, pos: int) -> str:
    lo, hi = 0, len(sentence)
    if hi - lo > _SNIPPET_MAX:
        lo = max(0, pos - _SNIPPET_MAX + 40)
        hi = min(len(sentence), lo + _SNIPPET_MAX)
    return norm.original(s_start + lo, s_start + hi).strip()


def choose(candidates: list[Candidate]) -> tuple[dict[str, Candidate], list[Finding]]:
    """One candidate per key: the lowest tier; two values there are settled by the section heading,
    then by which one its clause calls a total, else the key is left out with a finding. A verbal
    zero beside a stated number is a finding."""
    by_key: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_key.setdefault(c.key, []).append(c)
    chosen: dict[str, Candidate] = {}
    findings: list[Finding] = []
    for key, cands in by_key.items():
        tier = min(c.tier for c in cands)
        best = [c for c in cands if c.tier == tier]
        if len({c.value for c in best}) > 1:
            best = [c for c in best if _at_home(key, c.heading)] or best
        if len({c.value for c in best}) > 1:
            best = [c for c in best if c.stressed] or best
        values = sorted({c.value for c in best})
        if len(values) > 1:
            if tier != 1:  # two channel figures and no total is normal, not a contradiction
                findings.append(Finding("legacy.ambiguous", "warning",
                                        f"{key}: the prose gives {values}; none taken",
                                        {"key": key, "values": values}))
            continue
        chosen[key] = best[0]
        zeros = [c for c in cands if c.tier == 2 and c.value != best[0].value]
        if zeros:
            findings.append(Finding("legacy.zero_conflict", "warning",
                                    f"{key}: {best[0].value} is stated, but also that there were none",
                                    {"key": key, "value": best[0].value, "zero_snippet": zeros[0].snippet}))
    return chosen, findings


def _at_home(key: str, heading: str) -> bool:
    return any(key.startswith(prefix) and rx.search(heading) for prefix, rx in KEY_FAMILY_HEADINGS)


def read_prose(text: str, ctx: ReportContext) -> Reading:
    chosen, findings = choose(find_candidates(text, ctx))
    reading = Reading(findings=findings)
    for key, c in sorted(chosen.items(), key=lambda kv: kv[1].start):
        reading.put(key, c.value, Evidence(where="text", snippet=c.snippet))
    return reading
