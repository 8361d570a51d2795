"""The template-era prose patterns as data: which sentence shapes of a 2019+ report carry which table total.

Takes nothing, does nothing: ``PROSE_PATTERNS`` lists one ``ProsePattern`` per phrasing. Where a
template-era sentence is phrased as a legacy one (收到政府信息公开申请N件, 行政复议N件, 收取…费N元, the
worded zeros) the legacy pattern itself is taken (``parser.legacy.patterns``, by name), so both eras
read it alike; the template's own totals (上年结转, 结转下年度, 办结, 自然人, 依申请公开N件) are added
here from the same vocabulary. ``parser.template_prose`` applies them to text normalized as the
legacy reader does (NFKC, 繁体 folded, no spaces: ``,;:()`` in ASCII).

A pattern with the group ``n`` reads that number (unit directly after it: %, 万, 余 are no match); one
without it is a worded zero. The group ``lab`` marks the words of a carried-over phrase (上年度结转,
结转至2022年): they name another year on purpose, so the guards (another year, 上年/同比) do not see
them, and ``y`` inside must be the report's year plus ``year_offset``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .legacy.patterns import (
    CASES_AFTER, CLASSIFICATION, COMBINED_CASES, OWN_BODY_RX, GAP, METRIC_PATTERNS, NOT_TOTAL, NUM, OF, Q, SHORT_GAP, U_APP, U_CASE,
    ZERO_REJECT,
)

__all__ = ["ProsePattern", "PROSE_PATTERNS", "PROSE_KEYS", "TEMPLATE_OWN_RX", "TEMPLATE_SUBLEVEL_RX"]


@dataclass(frozen=True, slots=True)
class ProsePattern:
    """One phrasing of one template total (the fields of ``parser.legacy.patterns.MetricPattern`` it
    shares mean the same), plus what the template era needs: the year of a carried-over phrase, and
    what must or must not follow the number ("(含上年度结转8件)")."""

    name: str
    key: str
    regex: re.Pattern[str]
    tier: int = 0  # 0 a stated figure, 2 a worded zero (a stated figure wins)
    reject: re.Pattern[str] | None = None  # searched in the clause up to the match end (see reject_reach)
    reject_reach: int | None = None  # how far before the match ``reject`` looks (None: the clause's start)
    reject_before: re.Pattern[str] | None = None  # searched in the clause before the match (anchor with $)
    reject_sentence: re.Pattern[str] | None = None
    needs: re.Pattern[str] | None = None  # in the sentence or its paragraph, or ``needs_heading`` in its heading
    needs_heading: re.Pattern[str] | None = None
    keys_from_words: tuple[tuple[str, str], ...] = ()
    zero_only: bool = False
    year_offset: int = 0  # the group ``y`` (a year) is the report's year plus this
    after: re.Pattern[str] | None = None  # must match the sentence right after the match
    reject_after: re.Pattern[str] | None = None  # must not match the sentence right after the match
    delta_ok: bool = False  # a worded zero: 上年/同比 in its clause does not make it a change
    dated: bool = False  # the phrase fixes its own year (结转下年度): 累计/截至 before it cannot make it cumulative
    needs_before: re.Pattern[str] | None = None  # must match the sentence before the match (its topic: 复议…$)
    # the key from the word nearest before the match in its sentence (制发…规章2件、…规范性文件2件,废止规章17件)
    keys_from_before: tuple[tuple[str, str], ...] = ()
    era: str | None = None  # gb2019 / gb2021: a key of that template only, read in a report on its years

    @property
    def counts(self) -> bool:
        return "n" in self.regex.groupindex


def _p(name: str, key: str, *parts: str, **kw) -> ProsePattern:
    return ProsePattern(name, key, re.compile("".join(parts)), **kw)


_LEGACY = {p.name: p for p in METRIC_PATTERNS}


def _legacy(name: str, **kw) -> ProsePattern:
    """A legacy pattern, taken as it is (its key and guards), for a sentence both eras phrase alike."""
    p = _LEGACY[name]
    fields = dict(tier=p.tier, reject=p.reject, reject_sentence=p.reject_sentence, needs=p.needs,
                  needs_heading=p.needs_heading, keys_from_words=p.keys_from_words, zero_only=p.zero_only,
                  reject_before=p.reject_before, reject_after=p.reject_after)
    return ProsePattern(f"legacy.{name}", p.key, p.regex, **{**fields, **kw})


# ---- shared fragments --------------------------------------------------------------------------

RECV = r"(?:收到|接到|(?<!不予)受理|接收|接受|新收|(?<![接新])收(?=政府信息公开申请))"  # 全年收政府信息公开申请464件
# a count that includes last year's carried-over applications is not the year's new applications
INCLUDES_CARRIED = re.compile(r"^\)?\(?(?:其中)?(?:含|包含|包括)(?:了)?" + r"(?:上一?年度?|\d{4}年度?)(?:末)?(?:结转|转结)")
# (上一年度转办15件: carried over, where 转办 after a year of its own could be that year's forwarding)
LAST_YEAR = (r"(?P<lab>(?:上一?年度?(?:末)?(?:结转|转结|遗留|转办)|(?P<y>(?:19|20)\d\d)年度?(?:末)?(?:结转|转结|遗留)"
             r"|结转上一?年度?(?:的)?))")  # 结转上年度2件
# a total's unit, or none where the clause ends right after it (已办结18,结转下年度继续办理5。)
U_APP_OR_END = r"(?:件|条|宗|起|个|份|项|(?=[,;。(]|$))"
NEXT_YEAR = r"(?P<lab>(?:结转|转结|顺延)(?:至|到|入)?(?:下一?年度?|(?P<y>(?:19|20)\d\d)年度?))"
# 法人或其他组织 alone: a zero for organisations says nothing of natural persons
ORGS_ONLY = re.compile(r"(?<!公民、)(?<!公民)(?<!自然人、)(?<!自然人和)(?<!个人、)(?<!群众或者)(?<!群众或)(?<!群众、)(?<!群众和)法人")
# another answer category joined to this one: "予以公开及部分公开42件" is a combined figure
JOINED_OUTCOME = re.compile(r"(?:公开|提供|处理)(?:的)?(?:及|和|与|或|、)$")
# a count of something handled that is not an application (12345 hotline, 市长信箱, 提案…)
NOT_APPLICATION_WORK = re.compile(r"热线|信箱|留言|建议|提案|投诉|举报|信访|咨询|交办|诉求|来电|来信")
HANDLED_VERBS = re.compile(r"办理|处理|答复|办结|完成|回复")
# "办结上年结转申请8件": those closed, not all that were carried over
HANDLED_BEFORE = re.compile(r"(?:" + HANDLED_VERBS.pattern + r")(?:了)?$")
# "没有…行政诉讼、行政复议败诉": no case lost, not no case
LOST_CASES = re.compile(r"[败敗]诉|[胜勝]诉|纠错")
_NEAR = 2  # a receive verb's own words: "通过网络收到" is a channel, "信访局共收到" is the subject
_CONTINUE = r"(?:继续|繼續)?(?:办理|答复|處理|处理|辦理)?"

# ---- applications received this year --------------------------------------------------------------

_NEW = [
    # 共受理政府信息公开申请95件 · 共收到公开政府信息申请1件 · 收到社会公众提出的政府信息公开申请1条
    _legacy("new.verb_noun_num", reject_reach=_NEAR, reject_after=INCLUDES_CARRIED),
    # 收到12起政府信息依申请公开
    _legacy("new.verb_num_noun", reject_reach=_NEAR, reject_after=INCLUDES_CARRIED),
    # 新收/接收/接受(办理)… 申请N件 · 接收到申请书55份 · 收到信息公开申请事项0件 · 收到申请公开政府信息的要求31件
    # · 收到《政府信息公开申请表》5件
    _p("new.received", "applications.new.total",
       RECV, r"(?:到)?(?:并)?(?:处理|办理|答复)?", GAP, r"申请(?!人)(?:书|事项|办件|表)?》?", r"(?:公开[^,;:。\d]{0,12}?要求|公开)?",
       OF, NUM, U_APP, reject=NOT_TOTAL, reject_reach=_NEAR, reject_after=INCLUDES_CARRIED),
    # 共收到政府信息依申请公开1641件 · 收到依申请公开信息7件 · 共收到依申请公开办件0条 · 受理依申请公开1137件
    _p("new.received_yishenqing", "applications.new.total",
       RECV, r"(?:到)?(?:并)?(?:处理|办理)?", GAP, r"依申请(?:公开)?", SHORT_GAP, OF, NUM, U_APP,
       reject=NOT_TOTAL, reject_reach=_NEAR, reject_after=INCLUDES_CARRIED),
    # 共收到0条依申请公开
    _p("new.received_num_first", "applications.new.total",
       RECV, r"(?:了)?", NUM, U_APP, r"(?:的)?依申请公开", reject=NOT_TOTAL, reject_reach=_NEAR,
       reject_after=INCLUDES_CARRIED),
    # 依申请公开0件 · 依申请公开政务信息数3件 · 我苏木依申请公开政府信息共4件 (no verb: never a handled count)
    _p("new.yishenqing_count", "applications.new.total",
       r"(?<!主动公开)(?<!不予)依申请公开(?:政府|政务|财政)?(?:信息)?(?:数|数量)?", OF, NUM, U_APP,
       reject=re.compile(NOT_TOTAL.pattern + "|" + HANDLED_VERBS.pattern + r"|率"), reject_after=INCLUDES_CARRIED),
    # 全年未收到政府信息公开申请 · 未收到和处理政府信息公开申请 · 本年度没有收到…申请
    _legacy("new.zero_verb", reject_sentence=ORGS_ONLY, reject_after=CASES_AFTER, delta_ok=True),
    _legacy("new.zero_none", reject_sentence=ORGS_ONLY, reject_after=CASES_AFTER, delta_ok=True),
    _legacy("new.zero_requests", reject_sentence=ORGS_ONLY, reject_after=CASES_AFTER, delta_ok=True),
    # 无依申请公开政府信息 · 未收到依申请公开的相关信息 · 未接到依申请信件 · 无依申请公开件
    _p("new.zero_yishenqing", "applications.new.total",
       r"(?:未|没有|无)(?:收到|受理|接到|接收|发生|出现|有)?(?:过)?(?:任何形式的)?(?:政府信息)?依申请(?!公开的?方式|人)",
       tier=2, reject=ZERO_REJECT, reject_sentence=ORGS_ONLY, reject_after=CASES_AFTER, delta_ok=True),
]

# ---- applicants --------------------------------------------------------------------------------

_NATURAL = [
    # 其中自然人申请89件 · 自然人申请办件量0件 · 公民个人提出申请1030件 (in a sentence, or after one, that
    # says what was received)
    _p("new.natural", "applications.new.natural",
       r"(?:其中)?(?:来自)?(?:自然人|公民个人)(?:提出)?(?:的)?(?:申请)?(?:办件量|数量|数)?", OF, NUM, U_APP,
       needs=re.compile(RECV), reject=HANDLED_VERBS),
]

# ---- carried over ------------------------------------------------------------------------------

_CARRIED = [
    # 上年度结转8件 · 2020年结转312件 · 上年结转的8件政府信息公开申请 · (含上年度转结申请8件) · (包含上年结转76件)
    _p("carried_in", "applications.carried_in.total",
       LAST_YEAR, r"(?:至本年度?|到本年度?)?(?:的)?(?:政府信息公开)?(?:信息公开)?(?:申请)?(?:件)?", OF, NUM, U_APP_OR_END,
       year_offset=-1, dated=True, reject_before=HANDLED_BEFORE),
    # 2021年未转结政府信息公开申请 · 上年度无结转 · 无上年结转
    _p("carried_in.zero", "applications.carried_in.total",
       r"(?P<lab>(?:上一?年度?|(?P<y>(?:19|20)\d\d)年度?))(?:末)?(?:无|未|没有)(?:结转|转结)", tier=2, year_offset=-1,
       delta_ok=True),
    _p("carried_in.zero_first", "applications.carried_in.total",
       r"(?:无|没有)(?P<lab>(?:上一?年度?|(?P<y>(?:19|20)\d\d)年度?))(?:结转|转结)", tier=2, year_offset=-1, delta_ok=True),
    # 结转下年度继续办理0件 · 结转下年3件 · 结转至2022年19件 · 结转下年度继续办理的12件
    _p("carried_out", "applications.carried_out.total",
       NEXT_YEAR, _CONTINUE, r"(?:的)?(?:政府信息公开)?(?:申请)?(?:件)?", OF, NUM, U_APP_OR_END, year_offset=1, dated=True),
    # 另有5件申请转结下年度继续办理 · 另外33件申请依法顺延到下年度答复 · 71件结转下年答复 (not across a list's
    # 、: in 予以公开55件、结转下年度继续办理7件 the 55 is the item before)
    _p("carried_out.num_first", "applications.carried_out.total",
       NUM, U_APP, r"(?:政府信息公开)?(?:申请)?", r"[^,;:。、\d]{0,14}?", r"(?:依法)?", NEXT_YEAR, year_offset=1, dated=True),
    # 无“结转下年度继续办理”申请件
    _p("carried_out.zero", "applications.carried_out.total",
       r"(?:无|没有|未)(?:需)?", Q, NEXT_YEAR, tier=2, year_offset=1, delta_ok=True),
]

# ---- processed this year (三(七)总计) ------------------------------------------------------------------

_PROCESSED = [
    # 办结16件 · 全年依法办结41件 · 其中办结政府信息公开申请0件 (not 按时办结: on time only)
    _p("processed.closed", "applications.processed_total.total",
       r"(?<!按时)(?<!按期)(?<!及时)(?<!延期)(?<!逾期)(?<!超期)(?:依法)?办结(?:了)?(?:政府信息公开)?(?:申请)?(?:件)?",
       OF, NUM, U_APP_OR_END, reject=NOT_APPLICATION_WORK, reject_sentence=NOT_APPLICATION_WORK,
       needs=re.compile("申请")),
    # 答复政府信息公开申请805件(含上年度结转申请18件…) · 已答复1136件(含上年度结转32件)
    _p("processed.answered_incl_carried", "applications.processed_total.total",
       r"(?<!未)(?:已|共|予以)?(?:答复|办理)(?:了)?(?:政府信息公开)?(?:申请)?", OF, NUM, U_APP,
       after=INCLUDES_CARRIED, reject=NOT_APPLICATION_WORK),
    # 1646件已按规定在法定期限内予以答复,71件结转下年答复 · 全年办理1503件,结转2025年183件
    _p("processed.answered_then_carried", "applications.processed_total.total",
       r"(?:全年|当年|本年度?)(?:共)?(?:办理|答复)(?:了)?(?:政府信息公开)?(?:申请)?", OF, NUM, U_APP,
       after=re.compile(r"^[,;]?[^。]{0,30}?(?:结转|转结|顺延)"), reject=NOT_APPLICATION_WORK),
    _p("processed.num_first_then_carried", "applications.processed_total.total",
       r"(?<![\d.])", NUM, U_APP, r"已(?:按规定)?(?:在法定期限内)?(?:予以)?(?:答复|办结)",
       after=re.compile(r"^[,;]?[^。]{0,30}?(?:结转|转结|顺延)"), reject=NOT_APPLICATION_WORK),
    # 共受理依申请公开136件,按时办结130件,结转2020年继续办理的6件: the received split into closed and
    # carried over, so all closed were closed on time (never with 延期/逾期 办结 in the sentence)
    _p("processed.on_time_then_carried", "applications.processed_total.total",
       r"按时办结(?:了)?(?:政府信息公开)?(?:申请)?", OF, NUM, U_APP,
       after=re.compile(r"^[,;]?(?:结转|转结|顺延)"), needs_before=re.compile(RECV + r"[^。]*\d+[件条宗起个份项]"),
       reject_sentence=re.compile(r"延期|逾期|超期|未按时|未能按时")),
]

# ---- answers ------------------------------------------------------------------------------------

_OUTCOMES = [
    # 予以公开260件,部分公开15件,因“属于国家秘密”等原因不予公开21件 (never 予以公开及部分公开42件)
    _legacy("granted", reject_before=JOINED_OUTCOME),
    _legacy("partial", reject_before=JOINED_OUTCOME),
    _legacy("denied", reject_before=JOINED_OUTCOME),
    # 1件属于部分公开 · 2件予以公开
    _p("granted.num_first", "applications.granted.total",
       r"(?<![\d.])", NUM, U_APP, r"(?:属于|为)?(?:同意|予以)公开(?!及|和|与|、)", reject_sentence=CLASSIFICATION),
    _p("partial.num_first", "applications.partial.total",
       r"(?<![\d.])", NUM, U_APP, r"(?:属于|为)?(?:同意)?部分(?:予以)?公开(?!及|和|与|、)", reject_sentence=CLASSIFICATION),
]

# ---- review and litigation -----------------------------------------------------------------------

_LITIGATION_KIND = r"(?:提起)?(?:行政)?(?:诉讼|起诉)(?:案件|案)?"
_CASES = [
    # 因政府信息公开申请引发行政复议2件 · 被申请行政复议共1件 · 行政复议案件0宗 · 有12件行政复议案件
    _legacy("review.total"),
    _legacy("review.num_first"),
    # 行政诉讼案件1件: the template splits it (direct / after review); unsaid, it is the headline total
    _legacy("litigation.total", reject=re.compile(COMBINED_CASES.pattern + r"|直接|复议后|经复议")),
    _legacy("litigation.num_first", reject=re.compile(COMBINED_CASES.pattern + r"|直接|复议后|经复议")),
    _p("litigation_direct.total", "litigation_direct.total",
       r"(?:未经复议)?直接", _LITIGATION_KIND, OF, NUM, U_CASE, reject=COMBINED_CASES,
       needs=re.compile("公开"), needs_heading=re.compile("复议|诉讼")),
    _p("litigation_after_review.total", "litigation_after_review.total",
       r"(?:经)?复议后", _LITIGATION_KIND, OF, NUM, U_CASE,
       needs=re.compile("公开"), needs_heading=re.compile("复议|诉讼")),
    # 行政复议、行政诉讼案件为0件 · 进入行政复议程序和行政诉讼程序均为0件: 0 for both, nothing otherwise
    _legacy("cases.combined_zero", keys_from_words=(("复议", "review.total"), ("诉讼", "litigation.total"))),
    _p("cases.combined_zero_program", "review.total",
       r"复议(?:程序)?[、和及与或]+[^\d,;:。]{0,8}诉讼(?:程序)?(?:案件)?(?:均|都)?(?:为)?", NUM, r"(?:件|起|宗)?",
       keys_from_words=(("复议", "review.total"), ("诉讼", "litigation.total")), zero_only=True),
    # 未发生…行政复议和行政诉讼 · 没有因政府信息公开而被申请行政复议、提起行政诉讼
    _legacy("cases.zero_verbal", delta_ok=True, reject_sentence=LOST_CASES,
            keys_from_words=(("复议", "review.total"), ("诉讼", "litigation.total"))),
    _legacy("cases.zero_word", delta_ok=True, reject_sentence=LOST_CASES),
]

# ---- fees --------------------------------------------------------------------------------------

_FEES = [
    _legacy("fees.collected"),  # 收取信息处理费0元 (never a fee schedule: 100元/件)
    _legacy("fees.charged"),
    _legacy("fees.zero_not_collected", delta_ok=True),
    # 未对政府信息公开申请收取任何费用 · 未收取信息处理费
    _p("fees.zero_not_charged", "fees.collected_yuan",
       r"(?:未|没有|不曾)(?:对|向)?[^,;:。\d]{0,25}?收取(?:任何|相关)?(?:信息处理)?费", tier=2,
       needs=re.compile(r"申请|信息处理费|减免"), needs_heading=re.compile(r"收费|费用"), delta_ok=True),
    _legacy("fees.zero_waived", delta_ok=True),
    _legacy("fees.zero_no_cost", delta_ok=True),
]

PROSE_PATTERNS: tuple[ProsePattern, ...] = (*_NEW, *_NATURAL, *_CARRIED, *_PROCESSED, *_OUTCOMES, *_CASES, *_FEES)

# the keys template-era prose may give (SCHEMA.md): the table totals and the headline keys
PROSE_KEYS = frozenset({
    "applications.new.total", "applications.new.natural", "applications.carried_in.total",
    "applications.carried_out.total", "applications.processed_total.total", "applications.granted.total",
    "applications.partial.total", "applications.denied.total", "review.total", "litigation.total",
    "litigation_direct.total", "litigation_after_review.total",
    # the information-processing fee (信息处理费) that section 六 of the 2021 template asks for, which
    # real reports of both templates state ("华丰镇未因政府信息公开而收取费用"): no table has it
    "fees.collected_yuan",
})

# whose figure: a template report's tables are the body's own (本机关), so 区本级政府及政府办 is the report's
# subject, not a level inside an area as in a legacy report (市本级4件 of a city's 23)
TEMPLATE_OWN_RX = re.compile(OWN_BODY_RX.pattern + r"|本级")
TEMPLATE_SUBLEVEL_RX = re.compile(r"(?<!各级)(?<!各)政府及其(?:工作)?部门|直属(?:机关|部门|单位)|各行署")

assert {p.key for p in PROSE_PATTERNS} | {k for p in PROSE_PATTERNS for _, k in p.keys_from_words} <= PROSE_KEYS