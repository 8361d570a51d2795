"""The statistics appendix's row labels as data (research/legacy.md §1, §4): label variants -> keys.

Takes nothing, does nothing. ``ROW_LABELS`` is searched in order, first match wins, so the narrow
labels stand before the broad ones (同意部分公开 before 同意公开, 主要负责同志参加新闻发布会 before
新闻发布会). A row's key may hold ``{block}`` (the 维持/纠错/其他情形 rows of the review, litigation and
complaints blocks); ``key=None`` marks a known row that has no key (历年累计-like or deliberately
unmapped rows such as the old form's 否决公开 total, trap 3.17). ``block`` is the block a heading
row opens. Labels are matched after ``clean_label``: width folded, ordinals ("一、", "(三)", "1.",
"01", "其中:") and notes in brackets removed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..numbers import normalize_width
from ..regex_cache import cached
from .patterns import TRAD_TO_SIMP

__all__ = ["RowLabel", "ROW_LABELS", "clean_label", "match_label", "OUTCOME_BLOCKS",
           "HEADER_LABEL_RX", "HEADER_UNIT_RX", "HEADER_SKIP_RX", "VALUE_HEADER_PREFERENCE"]

OUTCOME_BLOCKS = ("review", "litigation", "complaints")


@dataclass(frozen=True, slots=True)
class RowLabel:
    regex: re.Pattern[str]
    key: str | None
    block: str | None = None  # the block this row opens
    within: tuple[str, ...] = ()  # only inside these blocks (empty: anywhere)
    unit_keys: tuple[tuple[str, str], ...] = ()  # unit -> key, for money rows
    rank: int = 0  # two rows for one key (old form 收取费用总数 vs 依申请公开收费总数): lower wins


def _r(pattern: str, key: str | None, **kw) -> RowLabel:
    return RowLabel(cached(pattern), key, **kw)


_FEE_UNITS = (("万元", "fees.collected_wan_yuan"), ("元", "fees.collected_yuan"))

ROW_LABELS: tuple[RowLabel, ...] = (
    # block headings
    _r(r"^主动公开(?:政府信息)?情况$", None, block="proactive"),
    _r(r"^回应解读情况$", None, block="response"),
    _r(r"^依申请公开(?:政府信息)?情况$", None, block="applications"),
    _r(r"^(?:政府信息公开)?行政复议(?:数量|数|情况|案件数)?$", "review.total", block="review"),
    _r(r"^(?:政府信息公开)?行政诉讼(?:数量|数|情况|案件数)?$", "litigation.total", block="litigation"),
    _r(r"被举报投诉(?:数量|数)?$|^举报投诉(?:数量|数|情况)?$", "complaints.total", block="complaints"),
    _r(r"首次处理不满意", None),
    _r(r"^行政申诉数?$", "appeals.total", block="appeals"),
    _r(r"机构建设|保障经费情况", None, block="org"),
    _r(r"会议和培训|培训情况", None, block="meetings"),
    # proactive disclosure
    _r(r"全文电子化|提供服务类|访问量|重点领域|依申请公开信息目录", None),
    _r(r"主动公开(?:行政)?规范性文件数", "proactive.normative_docs"),
    _r(r"制发(?:行政)?规范性文件(?:总)?数|新增的?(?:行政)?规范性文件数", "normative_docs.issued"),
    _r(r"通过不同渠道和方式", None),
    _r(r"^主动公开(?:政府)?(?:信息|文件)(?:总)?数", "proactive.items", block="proactive"),  # (文件: 福建's form)
    # 政府公报公开政府信息数 · 政府公报公开数 · 政府公报公开 · 网站公开 (福建's forms, 2012 and 2018)
    _r(r"政府公报(?:公开(?:政府)?(?:信息)?数?)?$", "proactive.channel.gazette", within=("proactive",)),
    _r(r"(?:^|政府)网站(?:公开(?:政府)?(?:信息)?数?)?$", "proactive.channel.website", within=("proactive",)),
    _r(r"政务微博公开", "proactive.channel.weibo"),
    _r(r"政务微信公开", "proactive.channel.wechat"),
    _r(r"其他方式公开(?:政府)?信息数", "proactive.channel.other"),
    # response and interpretation
    _r(r"回应公众关注热点|重大舆情数", "response.hot_topics", block="response"),
    _r(r"主要负责同志参加(?:或举办)?新闻发布会", "response.press_conferences_by_head"),
    _r(r"新闻发布会", "response.press_conferences"),
    _r(r"主要负责同志参加(?:政府网站)?在线访谈", "response.online_interviews_by_head"),
    _r(r"在线访谈", "response.online_interviews"),
    _r(r"政策解读稿件|解读稿件发布数", "response.interpretations"),
    _r(r"微博微信回应", "response.weibo_wechat"),
    _r(r"其他方式回应", "response.other"),
    # applications
    _r(r"^(?:收到|受理)?(?:政府信息公开)?申请(?:总)?(?:数|次数|数量)$|^受理依申请公开信息总数$", "applications.new.total",
       block="applications"),
    _r(r"当面申请", "applications.channel.in_person"),
    _r(r"传真申请", "applications.channel.fax"),
    _r(r"电子邮件申请", "applications.channel.email"),
    _r(r"网络申请|网上申请", "applications.channel.online"),
    _r(r"信函申请", "applications.channel.letter"),
    _r(r"其他形式申请|其它形式申请", "applications.channel.other"),
    _r(r"按时办结", "applications.closed.on_time"),
    _r(r"延期办结", "applications.closed.extended"),
    _r(r"申请办结数|^办结数$", "applications.closed.total"),
    _r(r"申请答复数|对申请的答复(?:总)?数|^答复总数$", "applications.replied"),
    _r(r"已主动公开范围", "applications.already_public"),
    _r(r"同意部分公开", "applications.partial.total"),
    _r(r"不同意公开|^不予公开答复(?:总)?数$", "applications.denied.total"),
    _r(r"否决公开", None),
    _r(r"同意公开", "applications.granted.total"),
    _r(r"国家秘密|免予公开范围1", "applications.denied.state_secret.total"),
    _r(r"商业秘密|免予公开范围2", "applications.denied.commercial_secret.total"),
    _r(r"个人隐私|免予公开范围3", "applications.denied.privacy.total"),
    _r(r"免予公开范围[45]", None),
    _r(r"危及国家安全|三安全一稳定", "applications.denied.three_safety.total"),
    _r(r"(?:不是|非)《(?:条例|规定)》所指", "applications.denied.not_gov_info.total"),
    _r(r"法律法规规定的其他情形|免予公开范围6", "applications.denied.law_other.total"),
    _r(r"不属于本(?:行政)?机关|非本部门|非本机关", "applications.not_own"),
    _r(r"信息不存在", "applications.not_exist"),
    _r(r"告知作出更改补充|申请内容不明确", "applications.need_correction"),
    _r(r"告知通过其他途径", "applications.other_channel"),
    _r(r"其它原因", None),
    # outcomes of review, litigation, complaints
    _r(r"维持", "{block}.upheld", within=OUTCOME_BLOCKS),
    _r(r"纠错|纠正", "{block}.corrected", within=OUTCOME_BLOCKS),
    _r(r"其他情形|其他结果", "{block}.other", within=OUTCOME_BLOCKS),
    # fees (unit decides the key; the old form has a total and the on-application part)
    _r(r"依申请公开收费总数", "fees", unit_keys=_FEE_UNITS),
    _r(r"依申请公开信息收取的费用|收取(?:的)?费用$", "fees", unit_keys=_FEE_UNITS, block="fees"),
    _r(r"收取费用总数", "fees", unit_keys=_FEE_UNITS, rank=1),
    _r(r"检索费|邮寄费|递送费|复制费|其他收费|主动公开收费", None),
    # organisation, staff, money, meetings, training, consultations
    _r(r"专门机构数", "org.offices"),
    _r(r"查阅点数|查阅场所|查阅点$", "org.reading_points"),
    _r(r"指定专职人员数|工作人员数$", "staff.total"),
    _r(r"专职人员|全职人员", "staff.full_time"),
    _r(r"兼职人员", "staff.part_time"),
    _r(r"专项经费", "funding", unit_keys=(("万元", "funding.special_wan_yuan"),)),
    _r(r"实际支出|与诉讼有关", None),
    _r(r"工作会议|专题会议", "meetings.total"),
    _r(r"培训班数|举办.*培训", "training.sessions"),
    _r(r"接受培训人员|培训人员数|培训人次", "training.attendees"),
    _r(r"现场接待人数", "consultations.onsite"),
    _r(r"网上咨询数", "consultations.online"),
    _r(r"咨询电话接听数", "consultations.phone"),
)

# header cells
HEADER_LABEL_RX = re.compile(r"指标|项目|名称|内容")
HEADER_UNIT_RX = re.compile(r"^(?:计量)?单位$")
HEADER_SKIP_RX = re.compile(r"序号|代码|编号|备注|说明|历年|(?<!本年)累计|上年|同比")
# value columns, best first: a total over split columns, the form's own header, the year's
VALUE_HEADER_PREFERENCE = tuple(re.compile(p) for p in (
    r"合计|总计|总数", r"统计数", r"本年累计", r"(?:19|20)\d\d年", r"本期|本年|年度", r"数量|数值|数据|数",
))

_ORDINAL = re.compile(
    r"^(?:\d{1,2}(?![\d.年])|[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[.、](?!\d)|其中[:,]?|[:,、.])"
)
_NOTE = re.compile(r"\([^)]*\)")
_QUOTES = re.compile(r"[“”\"'‘’「」『』\s]")


def clean_label(text: str) -> str:
    s = _QUOTES.sub("", normalize_width(text).translate(TRAD_TO_SIMP))
    while True:
        stripped = _ORDINAL.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return _NOTE.sub("", s)


def match_label(label: str, block: str | None) -> RowLabel | None:
    for row in ROW_LABELS:
        if row.within and block not in row.within:
            continue
        if row.regex.search(label):
            return row
    return None
