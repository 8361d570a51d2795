"""The legacy prose patterns as data: which clause shapes carry which metric (research/legacy.md §2).

Takes nothing, does nothing: ``METRIC_PATTERNS`` lists one ``MetricPattern`` per phrasing variant,
built from the shared vocabulary of legacy.md §2.8 (receive verbs, channels, answer categories,
units); the guard expressions (trap words of legacy.md §3) sit at the end. ``parser.legacy.prose``
applies them to normalized text: full-width forms folded (NFKC), 繁体 folded to 简体 for the
characters these patterns use, whitespace and thousands separators removed, so every regex here
sees ``,;:()`` in ASCII and no spaces.

Every pattern with a number has the named group ``n`` (Arabic or Chinese numerals, read by
``parser.numbers.parse_count``) directly followed by its unit; a number followed by anything else
(``%``, ``万``, ``余``, ``多``, a decimal part) is no match, which is how percentages and rounded
counts stay out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..regex_cache import cached

__all__ = [
    "MetricPattern", "METRIC_PATTERNS", "TRAD_TO_SIMP", "WORD_FOLDS",
    "JOINED_CHANNEL", "OTHER_WORK", "DELTA_RX", "CUMULATIVE_RX", "RESET_RX", "PERIOD_RX", "APPROX_BEFORE_RX", "NON_GI_RX",
    "OWN_BODY_RX", "AREA_RX", "AREA_BODY_RX", "SUBLEVEL_RX", "CHANNEL_QUALIFIER_RX", "CHANNEL_FIGURE_RX", "PART_MARK_RX", "TOPIC_RX", "HEADING_RX",
    "KEY_FAMILY_HEADINGS", "YEAR_RX", "COMPARED_BEFORE_RX", "CASES_AFTER", "ITEM_START", "ACCOUNT", "OUTCOME_PATTERN_NAMES",
]


@dataclass(frozen=True, slots=True)
class MetricPattern:
    """One phrasing of one metric.

    ``key`` may hold ``{topic}`` (review / litigation / complaints, from the clauses before);
    ``keys_from_words`` instead maps words of the match to keys (one zero statement about several
    things). A pattern without the group ``n`` is a verbal zero (value 0). ``tier`` orders
    candidates of one key: 0 stated for the body as a whole, 1 a channel-qualified figure used only
    when nothing else is stated, 2 a verbal zero (a stated number wins, with a finding).
    """

    name: str
    key: str
    regex: re.Pattern[str]
    tier: int = 0
    reject: re.Pattern[str] | None = None  # searched in the clause up to the match end
    reject_sentence: re.Pattern[str] | None = None  # searched in the whole sentence
    needs: re.Pattern[str] | None = None  # must occur in the sentence, or ``needs_heading`` in the heading
    needs_heading: re.Pattern[str] | None = None  # defaults to ``needs``
    keys_from_words: tuple[tuple[str, str], ...] = ()
    copy_from: str | None = None  # "全部按时回复": the value of this key in the same sentence
    replied_if_outcomes: bool = False  # "共办理N件": replies when an outcome list follows
    zero_only: bool = False  # a combined count is usable only when it is 0
    reject_before: re.Pattern[str] | None = None  # searched in the clause before the match (anchor with $)
    reject_subject: re.Pattern[str] | None = None  # searched in the sentence before the number: what it counts
    reject_after: re.Pattern[str] | None = None  # must not match the sentence right after the match

    @property
    def counts(self) -> bool:
        """Whether the pattern reads a number (else it is a worded zero or a copy)."""
        return "n" in self.regex.groupindex


def _rx(*parts: str) -> re.Pattern[str]:
    return cached("".join(parts))


# ---- shared fragments (legacy.md §2.8) ---------------------------------------------------------

# each alternative starts where its run starts (a lookbehind per kind), so a long run of digits
# is tried once, not from every position in it
_CN = "零〇两一二三四五六七八九十百千"
NUM = rf"(?<!第)(?P<n>(?<![\d.])\d+|(?<![{_CN}])[{_CN}]+)"
# money may have a decimal part: 收取复制费12.5元
MONEY = r"(?<![\d.])(?P<n>\d+(?:\.\d{1,2})?)"
Q = r"[“”\"'‘’「」『』]?"  # the answer categories are often quoted: “同意公开”的5件
# (累计 is the year's only where a year stands before it: the cumulative guard decides, as for any marker)
OF = r"(?:的)?(?:数|数量|件数|条数|总数|数为)?" + Q + r"(?:的)?(?:有)?(?:共|共计|合计|累计|为|是|达)?"
U_APP = r"(?:件|条|宗|起|个|份|项|(?<!人)次)"  # applications are counted with all of these (trap 3.10; 申请65次)
U_CASE = r"(?:件|宗|起|个|例)"
U_ITEM = r"(?:条|件)"
U_PERSON = r"(?:名|人)(?!次)"
U_TIMES = r"(?:次|场|期)"
U_CONSULT = r"(?:人次|次|件|个|人(?!员))"  # 现场咨询3人
RECEIVE = r"(?:收到|接到|(?<!不予)受理)"
HANDLED = r"共(?:办理|处理)(?:了)?"
GAP = r"[^,;:。\d]{0,30}?"
SHORT_GAP = r"[^,;:。\d]{0,14}?"
APPLICATION = r"申请(?!人)"
CLAUSE_START = r"^(?:其中|另外|此外)?(?:\d+\.|\(\d+\)|[一二三四五六七八九十]+、)?"
# an item of a list: a clause's start, or after 、 ("其中:政府网站公开46条、政务微信公开58条")
ITEM_START = r"(?:^|(?<=、))(?:其中:?|另外|此外)?(?:\d+\.|\(\d+\)|[一二三四五六七八九十]+、)?(?:本年度|本年|全年|当年)?(?:通过)?"
# a channel named by its account ("“幸福同田”微信公众号"): the quoted name is no other body
ACCOUNT = r"(?:[“\"「][^”\"」,;:。]{1,12}[”\"」])?"

# words that make an application-looking count something else (traps 3.4–3.6)
NON_APPLICATION = re.compile(r"复议|诉讼|咨询|投诉|举报|信访|审批|许可|建议|提案|留言|来信|诉求|热线|求助")
# a channel's count is not the total ("收到电子邮件申请3件")
# a sentence about approval services (trap 3.6) that names no disclosure application anywhere after
SERVICE_WINDOWS = re.compile(r"(?:审批|办件|服务大厅|窗口)(?![^。]*(?:信息公开|政府信息|依申请)[^。]{0,4}申请)")
NOT_TOTAL = re.compile(NON_APPLICATION.pattern + r"|当面|现场|网络|网上|在线|信函|邮寄|传真|邮件|其他形式|其它形式")
FEE_SCHEDULE = re.compile(r"每件|每页|每张|每份|/件|/页|标准|支出|经费|预算|诉讼")
COMBINED_CASES = re.compile(r"复议[^\d,;:。]{0,12}诉讼|诉讼[^\d,;:。]{0,12}复议")
ZERO_REJECT = re.compile(
    r"复议|诉讼|咨询|投诉|举报|信访|费|当面|现场|信函|邮寄|网上|网络|在线|传真|邮件|不予|不同意|驳回|逾期|"
    r"超期|延期|重复|方面|类|涉及|人大|政协"
)
# a fee sentence about applications, or one under the 收费及减免 heading
FEE_CONTEXT = re.compile(r"申请|减免")
FEE_HEADING = re.compile(r"收费|费用")
# documents classified by disclosure attribute (trap 3.4): their 不予公开 is no answer to an application
CLASSIFICATION = re.compile(r"(?:主动公开|依申请公开|不予公开)(?:政府)?信息\d")
NOT_A_REPLY = re.compile(NON_APPLICATION.pattern + r"|延期|逾期|超期|未|待|正在")
GI_CONTEXT = re.compile(r"公开")
# a list of the proactive channels (two at least), for its "其他方式N条"
CHANNEL_LIST = re.compile(r"(?:网站|微信|微博|公报)[^。\d]{0,40}?\d+条[^。]{0,60}?(?:网站|微信|微博|公报)[^。\d]{0,40}?\d+条")
# a sentence that gives two other channels' application figures (当面递交2件 … 以信函形式申请35件)
APPLICATION_CHANNELS = re.compile(r"(?:当面|现场|网上|网络|互联网|信函|邮寄)[^。\d]{0,16}?\d+件[^。]{0,60}?"
                                  r"(?:当面|现场|网上|网络|互联网|信函|邮寄)[^。\d]{0,16}?\d+件")
# a gazette sentence that also names other channels: its figures may be theirs
OTHER_CHANNELS = re.compile(r"网站|微博|微信|客户端|媒体|报纸|电视|广播")
# "通过网上及电子邮件申请的124件": two channels joined, a combined figure that is neither channel's
_CHANNEL_WORD = r"(?:当面|现场|网络|网上|在线|互联网|信函|邮寄|传真|电子邮件|邮件|其他|其它)(?:形式|方式|平台)?"
JOINED_CHANNEL = re.compile(_CHANNEL_WORD + r"(?:申请)?(?:及|和|与|或者|或|、|以及)$")
# "“县长信箱”留言76条,答复76条": the sentence counts other work than applications, its replies too
OTHER_WORK = re.compile(r"信箱|留言|来信|来电|热线|诉求|咨询|投诉|举报|信访|建议|提案")
CASES_HEADING = re.compile(r"复议|诉讼")
# "未发生因政府信息公开申请行政复议": a zero of cases, not of applications (a list "信息、行政复议" is no cause)
# (not past 以及: "未收到…申请公开政府信息以及有关…的举报、投诉" names two things it did not receive)
CASES_AFTER = re.compile(r"^(?:(?!以及)[^,;:。、]){0,25}?(?:复议|诉讼|投诉|举报)")


def _p(name: str, key: str, *parts: str, **kw) -> MetricPattern:
    return MetricPattern(name, key, _rx(*parts), **kw)


# ---- applications: totals, channels, replies ---------------------------------------------------

_APPLICATIONS = [
    # 共收到政府信息公开申请1984件 · 受理依申请公开政府信息申请12件 · 全省全年受理申请11428件 (not in a
    # sentence of approval windows that names no disclosure application: 入驻审批服务部门…共受理申请136437件)
    _p("new.verb_noun_num", "applications.new.total",
       RECEIVE, GAP, APPLICATION, OF, NUM, U_APP, reject=NOT_TOTAL, reject_sentence=SERVICE_WINDOWS),
    # 共处理政府信息公开申请5件 (replies when the outcome list follows, legacy.md §5)
    _p("new.handled_noun_num", "applications.new.total",
       HANDLED, GAP, APPLICATION, OF, NUM, U_APP, reject=NOT_TOTAL, replied_if_outcomes=True),
    # 收到12起政府信息依申请公开 · 总共收到6485件信息公开申请 · 受理2个申请公开信息事项
    _p("new.verb_num_noun", "applications.new.total",
       r"(?:收到|接到|(?<!不予)受理)(?:了)?", NUM, U_APP, r"(?:的)?", SHORT_GAP, r"申请(?!人)",
       reject=NOT_TOTAL),
    # 兰州市共收到申请政府信息公开26件(次)
    _p("new.verb_apply_noun", "applications.new.total",
       RECEIVE, GAP, r"申请(?:公开政府信息|政府信息公开|公开)", OF, NUM, U_APP, reject=NOT_TOTAL),
    # 共办理23件依申请案件
    _p("new.handled_num_noun", "applications.new.total",
       HANDLED, NUM, U_APP, r"(?:的)?(?:依申请|政府信息公开申请|信息公开申请|申请)",
       reject=NON_APPLICATION, replied_if_outcomes=True),
    # 政府信息依申請公開系統共收到1宗信息
    _p("new.system_received", "applications.new.total",
       r"依申请公开", SHORT_GAP, r"(?:收到|受理)", NUM, U_APP, r"信息", reject=NON_APPLICATION),
    # (一)收到申请数 restated: 申请总数12件 at the start of a clause
    _p("new.row_label", "applications.new.total",
       CLAUSE_START, r"(?:收到)?(?:政府信息公开)?申请(?:总数|数|量|总量)", OF, NUM, U_APP),
    # 当面申请5件 · 当面提交13件 · 当面递交2件
    _p("channel.in_person", "applications.channel.in_person",
       r"(?:当面|现场)(?:形式|方式)?(?:(?:提出|提交|递交)(?:申请)?|申请)", OF, NUM, U_APP, reject_before=JOINED_CHANNEL),
    # 网上申请183件 · 通过委官方网站提交申请表的862件 · 通过互联网提交表单申请形式8件
    _p("channel.online", "applications.channel.online",
       r"(?:(?:网络|网上|在线|互联网)(?:形式|方式|平台)?(?:提出|提交)?申请"
       r"|(?:网站|网上|网络|互联网)(?:提交|递交)(?:申请表|表单申请|表单|申请)(?:形式)?)",
       OF, NUM, U_APP, reject_before=JOINED_CHANNEL),
    _p("channel.letter", "applications.channel.letter",
       r"(?:以|通过)?(?:信函|邮寄)(?:形式|方式)?(?:提出|提交)?申请", OF, NUM, U_APP, reject_before=JOINED_CHANNEL),
    # 收到1件政府信息公开申请,属于网络申请 · …,均为网上申请: every one of the sentence's received
    _p("channel.online_all", "applications.channel.online",
       r"^(?:均|全部|都)?(?:属于|为|是)(?:通过)?(?:网络|网上|在线|互联网)(?:形式|方式|平台)?(?:提出|提交)?(?:的)?申请(?=。?$)",
       copy_from="applications.new.total"),
    _p("channel.fax", "applications.channel.fax",
       r"(?:以|通过)?传真(?:形式|方式)?(?:提出|提交)?申请", OF, NUM, U_APP, reject_before=JOINED_CHANNEL),
    # …当面递交2件,占4.1%,传真4件 (a channel's bare name, among the other channels' figures)
    _p("channel.fax_listed", "applications.channel.fax", r"^(?:以|通过)?传真", NUM, U_APP,
       needs=APPLICATION_CHANNELS),
    _p("channel.email", "applications.channel.email",
       r"(?:以|通过)?电子邮件(?:形式|方式)?(?:提出|提交)?申请", OF, NUM, U_APP, reject_before=JOINED_CHANNEL),
    _p("channel.other", "applications.channel.other",
       r"其他(?:形式|方式)(?:提出|提交)?申请", OF, NUM, U_APP, reject_before=JOINED_CHANNEL),
    # 在2017年完成答复的1970件申请中 · 在對申請答復的1677件中
    _p("replied.frame", "applications.replied",
       r"(?<!公开)答复的", NUM, U_APP, r"(?:申请)?中", reject_subject=OTHER_WORK),
    # 答复6件 · 已答复的申请0件 · 申请答复数N件 · 答复依申请公开2个
    _p("replied.verb_num", "applications.replied",
       r"(?<!公开)(?<!不予)(?:已经|已|完成|共)?答复(?:了)?(?:的)?(?:依申请公开|申请)?", OF, NUM, U_APP,
       reject=NOT_A_REPLY, reject_subject=OTHER_WORK),
    # 共接到…申请4件,全部按时回复 · 均已按时答复
    _p("replied.all", "applications.replied",
       r"(?:全部|均)(?:已)?(?:按时|及时|依法)?(?:予以)?(?:答复|回复)(?!率)", copy_from="applications.new.total",
       reject_subject=OTHER_WORK),
    _p("closed.total", "applications.closed.total", r"申请办结(?:数)?", OF, NUM, U_APP),
    _p("closed.on_time", "applications.closed.on_time", r"按时办结(?:数)?", OF, NUM, U_APP,
       reject=NON_APPLICATION),
    _p("closed.extended", "applications.closed.extended", r"延期办结(?:数)?", OF, NUM, U_APP,
       reject=NON_APPLICATION),
]

# ---- the eight answer categories and the denial reasons ----------------------------------------

def _outcome(name: str, key: str, label: str) -> MetricPattern:
    """An answer category or denial reason: its label, then the count (never in a classification list)."""
    return _p(name, key, Q, label, OF, NUM, U_APP, reject_sentence=CLASSIFICATION)


_OUTCOMES = [
    _outcome("already_public", "applications.already_public", r"(?:属于|属)?已主动公开(?:范围|的范围)?"),
    _outcome("granted", "applications.granted.total", r"(?<!不)(?<!部分)(?<!主动)(?:同意|予以)公开(?:答复)?"),
    _outcome("partial", "applications.partial.total", r"(?:同意)?部分(?:予以)?公开(?:答复)?"),
    _outcome("denied", "applications.denied.total", r"(?:不同意公开|不予公开)(?:答复)?"),
    _outcome("not_own", "applications.not_own",
             r"(?:不属于本(?:行政)?机关(?:公开)?(?:范围)?|非本(?:行政)?机关(?:政府信息|掌握)?|非本部门(?:掌握)?)"),
    _outcome("not_exist", "applications.not_exist", r"(?:申请)?信息不存在"),
    _outcome("need_correction", "applications.need_correction", r"(?:告知(?:作出)?更改补充|(?<!仍)申请内容不明确)"),
    _outcome("other_channel", "applications.other_channel", r"告知通过其他途径办理"),
    _outcome("denied.state_secret", "applications.denied.state_secret.total", r"(?:涉及|属于)国家秘密"),
    _outcome("denied.commercial_secret", "applications.denied.commercial_secret.total", r"涉及商业秘密"),
    _outcome("denied.privacy", "applications.denied.privacy.total", r"涉及个人隐私"),
    _outcome("denied.three_safety", "applications.denied.three_safety.total",
             r"(?:危及国家安全、公共安全、经济安全和社会稳定|危及" + Q + r"三安全一稳定" + Q + r")"),
    _outcome("denied.not_gov_info", "applications.denied.not_gov_info.total", r"(?:不是|非)《条例》所指政府信息"),
    _outcome("denied.law_other", "applications.denied.law_other.total", r"法律法规规定的其他情形"),
]

OUTCOME_PATTERN_NAMES = frozenset(p.name for p in _OUTCOMES[:8])

# ---- review, litigation, complaints ------------------------------------------------------------

# a review or litigation count: one kind at a time, in a sentence (or section) about disclosure
_CASE_GUARDS = {"reject": COMBINED_CASES, "needs": GI_CONTEXT, "needs_heading": CASES_HEADING}

_CASES = [
    # 行政复议案件34件 · 收到…的行政复议3件 · 行政复议申请0件 · 行政复议案0件
    _p("review.total", "review.total", r"(?:行政)?复议(?:案件|申请|案)?", OF, NUM, U_CASE, **_CASE_GUARDS),
    _p("review.num_first", "review.total", NUM, U_CASE, r"(?:政府信息公开)?(?:行政)?复议", **_CASE_GUARDS),
    # …行政诉讼3件 · 办理政府信息公开类行政应诉1件 (the body answering a suit)
    _p("litigation.total", "litigation.total", r"(?:行政)?(?:诉讼|应诉)(?:的)?(?:案件|案)?", OF, NUM, U_CASE, **_CASE_GUARDS),
    _p("litigation.num_first", "litigation.total", NUM, U_CASE, r"(?:政府信息公开)?行政诉讼", **_CASE_GUARDS),
    _p("complaints.total", "complaints.total",
       r"因政府信息公开(?:工作)?被举报投诉(?:的)?(?:案件)?", OF, NUM, U_CASE),
    # 全年发生因政府信息公开而被申请行政复议、提起行政诉讼的案件0件: 0 for both, nothing otherwise
    _p("cases.combined_zero", "review.total",
       r"复议[、和及与或]+[^\d,;:。]{0,6}诉讼[^\d,;:。]{0,10}?", r"(?:均|都)?(?:为)?", NUM, r"(?:件|起|宗)?",
       keys_from_words=(("复议", "review.total"), ("诉讼", "litigation.total"), ("申诉", "appeals.total")),
       zero_only=True),
    # outcomes: the topic comes from the clauses before (行政复议… 其中维持…的17件)
    _p("outcome.upheld", "{topic}.upheld",
       r"维持(?:具体行政行为|原具体行政行为|原行政行为|原决定|原处理决定)?(?:或者?驳回原告(?:的)?诉讼请求)?", OF, NUM, U_CASE),
    _p("outcome.dismissed", "{topic}.upheld", r"(?<!或者)(?<!或)驳回(?:原告)?(?:的)?诉讼请求", OF, NUM, U_CASE),
    _p("outcome.corrected", "{topic}.corrected", r"(?:被)?(?:依法)?纠错", OF, NUM, U_CASE),
    _p("outcome.other", "{topic}.other", r"(?<!规定的)其他情形", OF, NUM, U_CASE),
]

# ---- proactive disclosure ----------------------------------------------------------------------

_PROACTIVE = [
    # 共主动公开政府信息417条 · 主动公开政府信息数 2030 条 · 主動公開政府資訊19條 (tier 1 when 通过…网站) ·
    # 2018年,主动公开政务信息累计42条
    _p("proactive.items", "proactive.items",
       r"(?<!依申请)主动公开(?:了)?(?:各类|各项)?(?:政府|政务)?信息", OF, NUM, U_ITEM),
    _p("proactive.published_items", "proactive.items",
       r"(?:发布|公开)(?:了)?(?:各类)?主动公开(?:政府)?信息", OF, NUM, U_ITEM),
    # 2009年共整理、录入、发布14条主动公开政府信息 (the count before its noun)
    _p("proactive.num_first", "proactive.items",
       r"(?:共|全年)[^,;:。\d]{0,12}?(?:发布|公开)(?:了)?", NUM, r"条(?:主动公开)(?:的)?(?:政府|政务)?信息"),
    _p("proactive.new_items", "proactive.items",
       r"新增(?:主动)?公开(?:政府)?信息", OF, NUM, U_ITEM),
    _p("proactive.total_after_list", "proactive.items",
       r"主动公开[^,;:。\d]{0,20}?信息(?:合计|共计|总计)", NUM, U_ITEM),
    # 全年公开政府信息995845条 (the year's whole output: 全年 or 共 says so)
    _p("proactive.year_total", "proactive.items", r"(?:全年|共)(?:共)?公开(?:各类)?政府信息", OF, NUM, U_ITEM),
    _p("proactive.year_output", "proactive.items",
       r"信息公开(?:工作)?(?:全年|本年度?)(?:共)?发布(?:各类)?(?:政府)?信息", OF, NUM, U_ITEM),
    _p("proactive.normative_docs", "proactive.normative_docs",
       r"主动公开(?:行政)?规范性文件", OF, NUM, U_ITEM),
    _p("normative_docs.issued", "normative_docs.issued", r"制发(?:行政)?规范性文件(?:总数)?", OF, NUM, U_ITEM),
    # the appendix rows restated, as a list: 其中政府网站公开5419条、政务微信公开3914条、其他方式公开4856条
    _p("proactive.channel.gazette", "proactive.channel.gazette",
       ITEM_START, r"(?:政府)?公报(?:主动)?公开(?:政府)?(?:信息)?", OF, NUM, r"条"),
    _p("proactive.channel.website", "proactive.channel.website",
       ITEM_START, r"政府网站(?:主动)?公开(?:政府)?(?:信息)?", OF, NUM, r"条"),
    _p("proactive.channel.weibo", "proactive.channel.weibo",
       ITEM_START, ACCOUNT, r"(?:政务)?微博(?:主动)?(?:公开|转发)(?:政府|政务)?(?:信息)?", OF, NUM, r"条"),
    _p("proactive.channel.wechat", "proactive.channel.wechat",
       ITEM_START, ACCOUNT, r"(?:政务)?微信(?:公众号|公众平台)?(?:主动)?公开(?:政府|政务)?(?:信息)?", OF, NUM, r"条"),
    # "其他方式24条" only in a list that names the other channels
    _p("proactive.channel.other", "proactive.channel.other",
       ITEM_START, r"其他方式(?:主动)?(?:公开)?(?:政府)?(?:信息)?", OF, NUM, r"条", needs=CHANNEL_LIST),
    # 我镇在政府网站上共公开285条信息,在微信公众平台上公开116条信息
    _p("proactive.channel.website_num_first", "proactive.channel.website",
       r"在(?:政府|门户)网站上?(?:共)?(?:主动)?(?:公开|发布)(?:了)?", NUM, r"条(?:政府)?信息"),
    _p("proactive.channel.wechat_num_first", "proactive.channel.wechat",
       r"在", ACCOUNT, r"(?:政务)?微信(?:公众号|公众平台)上?(?:共)?(?:主动)?(?:公开|发布)(?:了)?", NUM, r"条(?:政府)?信息"),
    # (4)《兰州政报》: 共发行《兰州政报》12期,发布政府信息662条 (a sentence about the gazette alone)
    _p("proactive.channel.gazette_issues", "proactive.channel.gazette",
       r"(?:发布|刊登|刊发|公开)(?:了)?(?:政府)?信息", OF, NUM, r"条",
       needs=re.compile(r"(?:公报|政报)》?(?:共)?\d+期"), reject_sentence=OTHER_CHANNELS),
    # 公开规范性文件9621件 (the appendix row 主动公开规范性文件数), a clause of its own or the year's
    _p("proactive.normative_docs_bare", "proactive.normative_docs",
       r"(?:^|全年|共)(?:共)?公开(?:行政)?规范性文件", OF, NUM, U_ITEM),
]

# ---- response, staff, places, training (appendix rows restated in prose, legacy.md §2.7) -------

_ROWS_IN_PROSE = [
    # 回应公众关注热点或重大舆情N次 · 回应社会关注热点信息7条
    _p("response.hot_topics", "response.hot_topics",
       r"回应(?:公众|社会)?关注(?:的)?热点(?:或重大舆情)?(?:信息)?", OF, NUM, r"(?:次|条)"),
    _p("response.press_by_head", "response.press_conferences_by_head",
       r"主要负责同志参加(?:或举办)?新闻发布会(?:次数)?", OF, NUM, r"次"),
    _p("response.press", "response.press_conferences",
       r"(?<!同志)(?:参加或)?(?:举办|召开)(?:了)?新闻发布会(?:总次数)?", OF, NUM, r"(?:次|场)"),
    # 本年度共举办79次新闻发布会
    _p("response.press_num_first", "response.press_conferences",
       r"(?<!同志)(?:举办|召开)(?:了)?", NUM, r"(?:次|场)新闻发布会"),
    _p("response.interviews", "response.online_interviews",
       r"(?<!同志参加)(?<!同志参加政府网站)(?<!政府网站)(?:政府网站)?在线访谈(?:次数)?", OF, NUM, r"次"),
    _p("response.interpretations", "response.interpretations",
       r"政策解读(?:稿件|稿)(?:发布数)?", OF, NUM, r"篇"),
    _p("response.weibo_wechat", "response.weibo_wechat", r"微博微信回应事件", OF, NUM, r"次"),
    _p("response.other", "response.other", r"其他方式回应(?:事件|社会关切(?:信息)?)", OF, NUM, r"(?:次|条)"),
    # 从事政府信息公开工作的专(兼)职工作人员共768人 · 本镇共有政府信息公开工作人员2名 · 全市有…人员551人
    _p("staff.total", "staff.total",
       r"从事(?:政府)?信息公开工作(?:的)?(?:专\(兼\)职|专兼职|专职和兼职)?(?:工作)?人员", OF, NUM, U_PERSON),
    # 全委共确定28名专(兼)职工作人员承担我委的政府信息公开工作
    _p("staff.total_num_first", "staff.total",
       r"共(?:确定|配备|安排|落实)(?:了)?", NUM, r"名(?:专\(兼\)职|专兼职|专职和兼职)(?:工作)?人员",
       needs=re.compile(r"信息公开")),
    # 全县已配备政府信息公开专、兼职工作人员109人
    _p("staff.total_both_kinds", "staff.total",
       r"(?:共有|配备(?:了)?)(?:政府)?信息公开(?:工作)?(?:专、兼职|专兼职|专\(兼\)职)(?:工作)?人员", OF, NUM, U_PERSON),
    _p("staff.total_have", "staff.total",
       r"(?:共有|配备(?:了)?|(?<=[省市县区州旗镇乡局委办])有)(?:专兼职)?(?:政府)?信息公开(?:工作)?人员", OF, NUM, U_PERSON),
    # 专职人员256人 · (其中全职2人,兼职4人)
    _p("staff.full_time", "staff.full_time", r"(?:专职|全职)(?:工作)?(?:人员)?", OF, NUM, U_PERSON),
    _p("staff.full_time_num_first", "staff.full_time",
       NUM, U_PERSON, r"(?:政府信息公开)?(?:专职|全职)(?:(?:工作)?人员|(?=[、和及与]\d+(?:名|人)兼职))"),
    # (never 专、兼职工作人员109人: both kinds, the total)
    _p("staff.part_time", "staff.part_time", r"(?<!专、)(?<!专)(?<!专和)(?<!专\()兼职(?:工作)?(?:人员)?", OF, NUM, U_PERSON),
    _p("staff.part_time_num_first", "staff.part_time",
       NUM, U_PERSON, r"(?:政府信息公开)?兼职(?:工作)?人员"),
    # 共解答网上用户咨询20人次 · 受理…电话咨询105次 · 接听咨询电话30个
    _p("consultations.online", "consultations.online",
       r"(?:网上|网络|在线)(?:用户)?咨询", OF, NUM, U_CONSULT),
    _p("consultations.onsite", "consultations.onsite",
       r"(?:现场|当面|来访)咨询", OF, NUM, U_CONSULT),
    # 本局共接受各类咨询120人次 (the 共 of the whole)
    # · 我办共接受公民、法人及其他组织政府信息公开方面的咨询204人次
    _p("consultations.total", "consultations.total",
       r"共(?:接受|受理|解答|处理)(?:了)?(?:各类|群众|公众|市民|[^,;:。\d]{0,24}?(?:信息公开|政务公开)方面的)?咨询", OF, NUM,
       U_CONSULT),
    _p("consultations.phone", "consultations.phone",
       r"(?:电话咨询|接听(?:了)?(?:群众|公众)?咨询电话)", OF, NUM, U_CONSULT),
    _p("org.reading_points", "org.reading_points", r"查阅(?:场所|点|中心|室)", OF, NUM, r"个"),
    _p("training.sessions", "training.sessions",
       r"(?:举办|开展|组织)(?:了)?[^,;:。\d]{0,12}?培训(?:班|会)?", OF, NUM, U_TIMES),
    _p("training.attendees", "training.attendees", r"培训(?:人员)?", OF, NUM, r"人次"),
    _p("meetings.total", "meetings.total",
       r"(?:召开|举行)(?:了)?(?:政府信息公开)?(?:工作会议|专题会议|工作会议或专题会议)", OF, NUM, r"次"),
]

# ---- fees --------------------------------------------------------------------------------------

# what a fee is charged for, one item or a list of them (检索、复印、邮寄等)
_FEE_ITEMS = r"(?:(?:政府信息公开|信息公开|信息处理|检索|复制|复印|邮寄|邮递|打印|传真|递送|寄送)(?:[、和及]|等)?)*"

_FEES = [
    # 依申请公开收取的费用(检索费、邮寄费、复制费等)为0元 · 收费共计120元
    _p("fees.collected", "fees.collected_yuan",
       r"收取(?:的)?[^,;:。\d]{0,15}?费(?:用)?(?:\([^)]{0,30}\))?", OF, MONEY, r"元", reject=FEE_SCHEDULE),
    # (never 行政事业性收费0元: the administrative fees table 2 counts, not a fee for disclosure)
    _p("fees.charged", "fees.collected_yuan", r"(?<!未)(?<!事业性)收费(?:总额|金额|总数)?", OF, MONEY, r"元",
       reject=FEE_SCHEDULE),
    # 未收取费用 · 未向申请人收取费用 · 沒有向…申請人收費 · 未有收费及减免情况 · 暂未对依申请提供政府信息收取
    # · 没有公民、法人和其他组织的政府信息公开收费和减免情况
    # 检索、复印、邮寄等费用 · 未收取任何复印、邮寄等费用 (the items a fee is for, listed)
    _p("fees.zero_not_collected", "fees.collected_yuan",
       r"(?:未|没有|无|不存在)(?:有|发生|产生|涉及|出现)?(?:[向对][^,;:。]{0,20}?|[^,;:。\d]{2,20}?的)?"
       r"(?:政府信息公开|信息公开|依申请公开)?"
       r"(?:收取|收)(?:任何|相关)?" + _FEE_ITEMS + r"(?:任何|相关)?(?:的)?费",  # 收取复印、传真、递送等任何费用
       tier=2, needs=FEE_CONTEXT, needs_heading=FEE_HEADING),
    _p("fees.zero_free", "fees.collected_yuan",
       r"(?:全部|一律|均)(?:予以)?免费(?:予以)?提供", tier=2, needs=re.compile("申请")),
    _p("fees.zero_waived", "fees.collected_yuan", r"免收(?:任何|相关)?费用", tier=2, needs=re.compile("申请")),
    # 因此未产生依申请信息检索、复印、邮递等成本费用 (but not 诉讼…费用支出)
    _p("fees.zero_no_cost", "fees.collected_yuan",
       r"未产生[^,;:。]{0,25}?费用(?!支出)", tier=2, reject=re.compile(r"诉讼|支出"), needs=re.compile("申请")),
]

# ---- verbal zeros (legacy.md §2.6) -------------------------------------------------------------

_ZEROS = [
    # 全年未收到或其他形式要求公开政府信息的申请 · 2016年没有收到政府信息公开申请 · 没有发生依申请信息公开事件
    _p("new.zero_verb", "applications.new.total",
       r"(?:未|没有|无)(?:收到|受理|接到|发生|出现|有)(?:过)?[^,;:。\d]{0,30}?申请(?!人)", tier=2,
       reject=ZERO_REJECT, reject_after=CASES_AFTER),
    # 本年度,未接到群众要求公开的信息 (under 依申请公开: nobody asked)
    _p("new.zero_requests", "applications.new.total",
       r"(?:未|没有)(?:收到|接到|受理)(?:过)?(?:任何)?[^,;:。\d]{0,12}?要求公开(?:的)?(?:政府)?信息", tier=2,
       reject=ZERO_REJECT, reject_after=CASES_AFTER, needs=re.compile(r"依申请"),
       needs_heading=re.compile(r"依申请|申请公开")),
    # 我镇2016年度无申请 · 本年度沒有申請公開政府信息…的情況
    _p("new.zero_none", "applications.new.total", r"(?:没有|无)申请(?!人|内容|材料|表|书|费|期限|时限)", tier=2,
       reject=ZERO_REJECT, reject_after=CASES_AFTER),
    # 我乡无依申请公开政府信息和不予公开政府信息的情况
    _p("new.zero_yishenqing", "applications.new.total",
       r"(?:未|没有|无)(?:收到|受理|接到|发生|出现|有)?(?:过)?(?:政府信息)?依申请公开(?:政府)?信息(?=和|及|、|的情况|情况|$)",
       tier=2, reject=ZERO_REJECT, reject_after=CASES_AFTER),
    _p("denied.zero", "applications.denied.total",
       r"(?:未|没有|无)(?:发生|出现|有)?(?:[^,;:。\d]{0,15}?(?:和|及|、))?不予公开(?:政府)?信息(?:的)?(?:情况|情形)",
       tier=2),
    # 未收到针对我办政府信息公开的行政复议 · 未发生…的复议、诉讼和申诉 · 无办理行政复议案件
    _p("cases.zero_verbal", "review.total",
       r"(?<!无论)(?:未|没有|无)(?:收到|发生|出现|受理|办理|涉及|有|被|申请|提起)?[^,;:。\d]{0,30}?"
       r"(?:复议|诉讼)(?:[^,;:。\d]{0,12}?(?:复议|诉讼|申诉)){0,3}[^,;:。\d]{0,40}",
       tier=2, reject=re.compile(r"可以|可依法|有权|无论|咨询|未经|直接|申请人|费|支出"),
       needs=GI_CONTEXT, needs_heading=CASES_HEADING,
       keys_from_words=(("复议", "review.total"), ("诉讼", "litigation.total"), ("申诉", "appeals.total"))),
    # 全区未收到有关投诉、举报和复议、诉讼请求: none of the three
    _p("cases.zero_complaints_list", "complaints.total",
       r"(?:未|没有|无)(?:收到|发生|出现|受理)?(?:有关|涉及)?[^,;:。\d]{0,10}?(?:投诉[、和及]?举报|举报[、和及]?投诉)"
       r"(?:[、和及]+[^,;:。\d]{0,6}?(?:复议|诉讼)){1,2}",
       tier=2, needs=GI_CONTEXT, needs_heading=CASES_HEADING,
       keys_from_words=(("投诉", "complaints.total"), ("复议", "review.total"), ("诉讼", "litigation.total"))),
    # 2016年度未收到任何形式的有关信息公开方面的咨询 (the appendix's consultations: none)
    _p("consultations.zero_verb", "consultations.total",
       r"(?:未|没有)(?:收到|接到|受理|接受|发生|有)(?:过)?(?:任何)?[^,;:。\d]{0,20}?咨询(?!电话|方式|服务|窗口|渠道|平台)",
       tier=2, reject=re.compile(r"投诉|举报|复议|诉讼|申请"), needs=re.compile(r"信息公开|政府信息"),
       needs_heading=re.compile(r"咨询")),
    # 行政复议、行政诉讼均为零 · 行政复议案件为无
    _p("cases.zero_word", "review.total",
       r"(?:复议|诉讼)(?:[^\d,;:。]{0,8}?(?:复议|诉讼)){0,3}(?:案件)?(?:数|数量)?(?:均|都)?(?:为|是)(?:零|无)(?:件|起)?"
       r"(?![\u4e00-\u9fff])",
       tier=2, needs=GI_CONTEXT, needs_heading=CASES_HEADING,
       keys_from_words=(("复议", "review.total"), ("诉讼", "litigation.total"))),
]

METRIC_PATTERNS: tuple[MetricPattern, ...] = (
    *_APPLICATIONS, *_OUTCOMES, *_CASES, *_PROACTIVE, *_ROWS_IN_PROSE, *_FEES, *_ZEROS,
)

# ---- guards (legacy.md §3) ---------------------------------------------------------------------

YEAR_RX = re.compile(r"(?<!\d)((?:19|20)\d\d)年")
# what makes the year after it a comparison's ("较2018年", "与2017年相比"): searched up to the year
COMPARED_BEFORE_RX = re.compile(r"(?:较|比|与|同|相较|对比)$")
# a change against another period: the clause's number is a delta or last year's (trap 3.2)
DELTA_RX = re.compile(r"同比|环比|比上年|较上年|上年|去年|上一年|前一年|增加|减少|增长|下降|上升|持平|相比|相较")
# cumulative figures (trap 3.1): the marker governs the rest of the sentence until RESET_RX
CUMULATIVE_RX = re.compile(
    r"历年|自[^,;:。]{0,30}以来|施行以来|实施以来|以来|到目前|目前为止|至今|到年底|截至|截止|(?<![全本当今]年)(?<!年度)累计|"
    r"目前[^,;:。\d]{0,10}?(?:总计|共计|总共)"
)
RESET_RX = re.compile(r"本年度|本年|全年|当年|今年|年度新增|(?:19|20)\d\d年新增")  # 历年累计52条,其中2010年新增…14条
PERIOD_RX = re.compile(r"上半年|下半年|季度|(?<!\d)\d{1,2}月份|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3}月份|1-6月|1至6月")
APPROX_BEFORE_RX = re.compile(r"(?:约|近|逾|超过|大约|将近|上)$")
NON_GI_RX = NON_APPLICATION
# the report's own body (trap 3.3): always its own figures
OWN_BODY_RX = re.compile(
    r"我局|本局|我委|本委|我办|本办|本机关|我机关|本单位|我单位|本部门|我部门|我中心|本中心|我厅|本厅|"
    r"我院|本院|我所|本所|我队|本队|我站|本站|全局|全委|全系统|我署|本署"
)
# an area as subject; group "lvl" is its level, compared with the report's own level
AREA_RX = re.compile(r"(?:全|我|本|各)(?P<lvl>省|自治区|市|区|县|州|盟|旗|镇|乡|街道)|各级|全国")
# an area word qualifying a named government of a lower level ("我区东华门街道办事处…"): that
# government is the subject; group "lvl" is its level
AREA_BODY_RX = re.compile(
    r"(?![^,;:。]{0,12}?(?:各|所有|全部))[\u4e00-\u9fff]{2,8}?(?P<lvl>街道|镇|乡)(?:人民政府|政府|办事处|街道办事处)")
# a level inside an area (省政府及其部门…1784件; 市本级4件): never the area's own total
SUBLEVEL_RX = re.compile(r"(?<!各级)(?<!各)政府及其(?:工作)?部门|本级|直属(?:机关|部门|单位)|各行署")
# one kind of the units an area's report covers (its towns, its county-level departments)
# (区直各部门, 县直单位, 区直、县直各单位; never 市直接…), named by kind
UNIT_GROUP_RX = re.compile(r"(?P<departments>[省市区县旗]直(?:(?:各|属)?(?:部门|单位|机关)|(?=、)))"
                           r"|(?P<towns>各(?:乡镇|乡|镇|街道)(?!办))")
CHANNEL_QUALIFIER_RX = re.compile(r"通过|网站|专栏|微博|微信|公报|报刊|平台|电视|广播|客户端")
# a figure published through a channel ("通过政务微博发布信息270多条"): two in one sentence are channels side by side
CHANNEL_FIGURE_RX = re.compile(
    r"(?:通过|在|利用)[^,;:。\d]{0,40}?(?:公开|发布|刊登|推送)[^,;:。\d]{0,12}?\d+(?:余|多)?条")
# the sentence so far names a whole its figures are parts of
PART_MARK_RX = re.compile(r"其中|分别")
TOPIC_RX = (
    ("complaints", re.compile(r"举报投诉")),
    ("review", re.compile(r"复议")),
    ("litigation", re.compile(r"诉讼")),
)
HEADING_RX = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|第[一二三四五六七八九十]{1,3}[部分章])")
# which section headings make a key family at home (to settle two values of one key)
KEY_FAMILY_HEADINGS = (
    ("applications.", re.compile(r"申请")),
    ("review.", re.compile(r"复议|诉讼")),
    ("litigation.", re.compile(r"复议|诉讼")),
    ("fees.", re.compile(r"收费|费用")),
    ("proactive.", re.compile(r"主动公开")),
)

# 繁体 characters of the vocabulary above (mirrors, big5 gateways: trap 3.16), one to one
_TRAD = (
    "請開復議訴訟條資訊網絡當傳電郵收費維糾錯處結辦屬範圍發佈沒關於鎮縣區務書類個數與對針從為項萬餘報統總"
    "規權機內據較長計歷們來應時間審減隱祕護穩衛實際體檢證過屆選舉級單門並無啟聯係習層亂戶簡歲檔號別額"
    "閱覽職專場訓練設點聞會員經濟國況決認確問題轉載補徑變還稱記錄這種樣須適頁張遞複製產絕駁銷終責該違"
    "訪諮詢談線鄉欄進動態劃財預稅衆眾圖儘盡採獲參與協調應對辦鑒"
    "現後疇臺廢許罰強徵給獎勵業購"
)
_SIMP = (
    "请开复议诉讼条资讯网络当传电邮收费维纠错处结办属范围发布没关于镇县区务书类个数与对针从为项万余报统总"
    "规权机内据较长计历们来应时间审减隐秘护稳卫实际体检证过届选举级单门并无启联系习层乱户简岁档号别额"
    "阅览职专场训练设点闻会员经济国况决认确问题转载补径变还称记录这种样须适页张递复制产绝驳销终责该违"
    "访咨询谈线乡栏进动态划财预税众众图尽尽采获参与协调应对办鉴"
    "现后畴台废许罚强征给奖励业购"
)
TRAD_TO_SIMP = str.maketrans(_TRAD, _SIMP)
# multi-character folds, same length (so offsets into the original stay exact)
WORD_FOLDS = (("资讯", "信息"), ("答覆", "答复"), ("回覆", "回复"))
