"""The researcher's codebook: every metric key of SCHEMA.md with its Chinese label, where the
report states it (table, row, column), the template eras that have it, its unit and its group.

Takes nothing, does no I/O; built from the template labels of ``parser.labels`` (which eras have
which table-2 and table-3 cells) and the label words below. ``CODEBOOK`` lists the entries in the
order of the report's own tables (table 2, table 3 row by row, table 4, the legacy prose, the
legacy 附表, then derived indicators): the order every export and ``--metrics all`` use.
``entry(key)`` finds one; ``key_for_label(text)`` reads a Chinese label back to its key.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Entry", "CODEBOOK", "entry", "key_for_label", "codebook_order", "TABLE_NAMES", "GROUP_ALIASES"]

ALL_ERAS = ("legacy", "gb2019", "gb2021")
GB = ("gb2019", "gb2021")

TABLE_NAMES = {
    "table2": "二、主动公开政府信息情况",
    "table3": "三、收到和处理政府信息公开申请情况",
    "table4": "四、政府信息公开行政复议、行政诉讼情况",
    "legacy": "正文（2019年以前的报告）",
    "appendix": "附表：政府信息公开情况统计表（2014–2018）",
    "derived": "推算指标（不是报告所载，由 xxgk 计算）",
}

# Chinese names of the groups of ``--metrics`` (the English names stay valid)
GROUP_ALIASES = {
    "核心": "headline", "核心指标": "headline", "推算": "derived", "推算指标": "derived",
    "表二": "table2", "主动公开": "table2", "表三": "table3", "依申请公开": "table3", "申请": "table3",
    "表四": "table4", "复议诉讼": "table4", "行政复议和行政诉讼": "table4", "旧版": "legacy", "正文": "legacy",
    "附表": "appendix", "全部": "all",
}


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    label: str  # short Chinese label, unique: a column header
    table: str  # table2 | table3 | table4 | legacy | appendix | derived
    row: str  # the row as the template (or the prose) words it
    column: str  # the column as the template words it ("" when the table has none)
    eras: tuple[str, ...]
    unit: str

    @property
    def is_rate(self) -> bool:
        return self.unit == "比例"

    def as_row(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "table": self.table, "row": self.row, "column": self.column,
                "eras": " ".join(self.eras), "unit": self.unit}


_T2_ITEMS = {"rules": "规章", "normative_docs": "规范性文件", "licensing": "行政许可",
             "other_services": "其他对外管理服务事项", "penalty": "行政处罚", "coercion": "行政强制",
             "fees": "行政事业性收费", "procurement": "政府集中采购"}
_T2_COLUMNS = {"made": "本年新制作数量", "published": "本年新公开数量", "total_public": "对外公开总数量",
               "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
               "prev_items": "上一年项目数量", "change": "本年增/减", "decisions": "处理决定数量",
               "items": "采购项目数量", "amount_yuan": "采购总金额（元）", "amount_wan_yuan": "本年收费金额（万元）"}
_T3_ROWS = {
    "new": "本年新收申请", "carried_in": "上年结转申请", "granted": "予以公开", "partial": "部分公开",
    "denied.state_secret": "不予公开：属于国家秘密", "denied.law_forbidden": "不予公开：其他法律行政法规禁止公开",
    "denied.three_safety": "不予公开：危及“三安全一稳定”", "denied.third_party": "不予公开：保护第三方合法权益",
    "denied.internal": "不予公开：属于三类内部事务信息", "denied.process": "不予公开：属于四类过程性信息",
    "denied.enforcement_file": "不予公开：属于行政执法案卷", "denied.query": "不予公开：属于行政查询事项",
    "unable.not_held": "无法提供：本机关不掌握相关政府信息", "unable.need_create": "无法提供：没有现成信息需要另行制作",
    "unable.unclear": "无法提供：补正后申请内容仍不明确", "rejected.petition": "不予处理：信访举报投诉类申请",
    "rejected.duplicate": "不予处理：重复申请", "rejected.publication": "不予处理：要求提供公开出版物",
    "rejected.mass_repeat": "不予处理：无正当理由大量反复申请", "rejected.confirm": "不予处理：要求确认或重新出具已获取信息",
    "other.total": "其他处理", "other.no_correction": "其他处理：逾期不补正",
    "other.unpaid_fee": "其他处理：逾期未按收费通知缴费", "other.other": "其他处理：其他",
    "processed_total": "办理总计", "carried_out": "结转下年度继续办理",
}
_T3_COLUMNS = {"natural": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益组织",
               "legal": "法律服务机构", "other_org": "其他组织", "total": "总计"}
_T4_GROUPS = {"review": "行政复议", "litigation_direct": "行政诉讼（未经复议直接起诉）",
              "litigation_after_review": "行政诉讼（复议后起诉）"}
_T4_LEAVES = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}

# the legacy prose keys (SCHEMA.md), label and the words a report uses
_LEGACY = (
    ("applications.new.total", "新收申请", "收到政府信息公开申请（件）"),
    ("applications.channel.in_person", "当面申请", "当面申请"),
    ("applications.channel.online", "网上申请", "网络/网上申请"),
    ("applications.channel.letter", "信函申请", "信函申请"),
    ("applications.channel.fax", "传真申请", "传真申请"),
    ("applications.channel.email", "电子邮件申请", "电子邮件申请"),
    ("applications.replied", "完成答复", "已完成答复"),
    ("applications.already_public", "属于已主动公开范围", "属于已主动公开范围"),
    ("applications.granted.total", "予以公开", "同意公开"),
    ("applications.partial.total", "部分公开", "同意部分公开"),
    ("applications.denied.total", "不予公开", "不同意公开"),
    ("applications.not_own", "不属于本机关公开", "不属于本行政机关公开"),
    ("applications.not_exist", "申请信息不存在", "申请信息不存在"),
    ("applications.need_correction", "告知更改补充", "告知作出更改补充"),
    ("applications.other_channel", "告知通过其他途径办理", "告知通过其他途径办理"),
    ("review.total", "行政复议", "行政复议（件）"),
    ("review.upheld", "行政复议·维持", "行政复议维持具体行政行为"),
    ("review.corrected", "行政复议·纠正", "行政复议被依法纠错"),
    ("review.other", "行政复议·其他", "行政复议其他情形"),
    ("litigation.total", "行政诉讼", "行政诉讼（件）"),
    ("litigation.upheld", "行政诉讼·维持", "行政诉讼维持具体行政行为"),
    ("litigation.corrected", "行政诉讼·纠正", "行政诉讼被依法纠错"),
    ("litigation.other", "行政诉讼·其他", "行政诉讼其他情形"),
    ("proactive.items", "主动公开信息", "主动公开政府信息（条）"),
    ("fees.collected_yuan", "收取费用（元）", "依申请公开收取的费用（元）：检索、复制、邮寄等费用（2019 年前），信息处理费（2021 年模板起）"),
)
_APPENDIX = (
    ("proactive.normative_docs", "主动公开规范性文件", "其中：主动公开规范性文件数"),
    ("proactive.channel.gazette", "政府公报公开", "通过政府公报主动公开政府信息数"),
    ("proactive.channel.website", "政府网站公开", "通过政府网站主动公开政府信息数"),
    ("proactive.channel.weibo", "政务微博公开", "通过政务微博主动公开政府信息数"),
    ("proactive.channel.wechat", "政务微信公开", "通过政务微信主动公开政府信息数"),
    ("proactive.channel.other", "其他方式公开", "通过其他方式主动公开政府信息数"),
    ("response.hot_topics", "回应热点舆情", "回应公众关注热点或重大舆情数"),
    ("response.press_conferences", "新闻发布会", "参加或举办新闻发布会总次数"),
    ("response.press_conferences_by_head", "主要负责人参加发布会", "其中：主要负责同志参加新闻发布会次数"),
    ("response.online_interviews", "在线访谈", "政府网站在线访谈次数"),
    ("response.online_interviews_by_head", "主要负责人参加访谈", "其中：主要负责同志参加政府网站在线访谈次数"),
    ("response.interpretations", "政策解读稿件", "政策解读稿件发布数"),
    ("response.weibo_wechat", "微博微信回应", "微博微信回应事件数"),
    ("response.other", "其他方式回应", "其他方式回应事件数"),
    ("applications.channel.other", "其他形式申请", "其他形式申请数"),
    ("applications.closed.total", "已办结申请", "对政府信息公开申请作出答复情况：已办结"),
    ("applications.closed.on_time", "按时办结", "按时办结数"),
    ("applications.closed.extended", "延期办结", "延期办结数"),
    ("applications.denied.commercial_secret.total", "不予公开：涉及商业秘密", "涉及商业秘密"),
    ("applications.denied.privacy.total", "不予公开：涉及个人隐私", "涉及个人隐私"),
    ("applications.denied.not_gov_info.total", "不予公开：不是《条例》所指政府信息", "不是《条例》所指政府信息"),
    ("applications.denied.law_other.total", "不予公开：法律法规规定的其他情形", "法律法规规定的其他情形"),
    ("complaints.total", "举报投诉", "举报投诉数量"),
    ("complaints.upheld", "举报投诉·维持", "举报投诉维持具体行政行为数"),
    ("complaints.corrected", "举报投诉·纠正", "举报投诉被纠错数"),
    ("complaints.other", "举报投诉·其他", "举报投诉其他情形数"),
    ("appeals.total", "申诉", "申诉数量"),
    ("fees.collected_wan_yuan", "收取费用（万元）", "依申请提供政府信息收取的费用（万元）"),
    ("org.offices", "工作机构", "设置政府信息公开工作机构数"),
    ("org.reading_points", "查阅点", "政府信息公开查阅点数"),
    ("staff.total", "工作人员", "从事政府信息公开工作人员数"),
    ("staff.full_time", "专职人员", "其中：专职人员数"),
    ("staff.part_time", "兼职人员", "其中：兼职人员数"),
    ("funding.special_wan_yuan", "专项经费（万元）", "政府信息公开专项经费（万元）"),
    ("meetings.total", "专题会议", "召开政府信息公开工作会议或专题会议数"),
    ("training.sessions", "培训班", "举办各类培训班数"),
    ("training.attendees", "接受培训人员", "接受培训人员数"),
    ("consultations.onsite", "现场咨询", "现场接待人数"),
    ("consultations.online", "网上咨询", "网上咨询数"),
    ("consultations.phone", "电话咨询", "咨询电话接听数"),
    ("consultations.total", "咨询总数", "咨询总数"),
)
_DERIVED = (
    ("disclosure_rate", "公开率", "（予以公开＋部分公开）÷ 办理总计（旧版：÷ 完成答复）"),
    ("denial_rate", "不予公开率", "不予公开 ÷ 办理总计（旧版：÷ 完成答复）"),
    ("not_held_rate", "信息不存在率", "本机关不掌握 ÷ 办理总计（旧版：申请信息不存在 ÷ 完成答复）"),
    ("review_correction_rate", "复议纠错率", "行政复议结果纠正 ÷ 行政复议总计"),
    ("litigation_correction_rate", "诉讼纠错率", "行政诉讼结果纠正 ÷ 行政诉讼总计"),
    ("requests_per_10k", "每万人申请数", "新收申请 ÷ 人口 × 10,000（需 --population）"),
)
# headline metrics of template reports that are not a single template cell
_HEADLINE_GB = {"applications.denied.total": ("不予公开", "不予公开（各项之和）"),
                "litigation.total": ("行政诉讼", "行政诉讼总计（直接起诉＋复议后起诉）")}


def _unit(key: str) -> str:
    from .metric_keys import unit_for

    return unit_for(key)


@lru_cache(maxsize=1)
def _build() -> tuple[Entry, ...]:
    from parser.labels import T2_KEYS, T3_ROW_KEYS

    out: dict[str, Entry] = {}

    def add(e: Entry) -> None:
        if e.key in out:  # a key in two places (a legacy key that is also a table cell): eras join
            old = out[e.key]
            out[e.key] = Entry(old.key, old.label, old.table, old.row, old.column,
                               tuple(x for x in ALL_ERAS if x in old.eras or x in e.eras), old.unit)
        else:
            out[e.key] = e

    t2_eras: dict[str, list[str]] = {}
    t2_cells: dict[str, tuple[str, str]] = {}
    for era in GB:
        for (item, col), key in T2_KEYS[era].items():
            t2_eras.setdefault(key, []).append(era)
            t2_cells[key] = (item, col)
    for key, (item, col) in t2_cells.items():
        col_key = key.split(".", 1)[1]
        add(Entry(key, f"{_T2_ITEMS[item]}·{_T2_COLUMNS.get(col_key, _T2_COLUMNS.get(col, col))}", "table2",
                  _T2_ITEMS[item], _T2_COLUMNS.get(col_key, _T2_COLUMNS.get(col, col)), tuple(t2_eras[key]),
                  _unit(key)))
    for row, row_label in _T3_ROWS.items():
        eras = tuple(e for e in GB if row in T3_ROW_KEYS[e])
        for col, col_label in _T3_COLUMNS.items():
            key = f"applications.{row}.{col}"
            label = row_label if col == "total" else f"{row_label}·{col_label}"
            add(Entry(key, label, "table3", row_label, col_label, eras, _unit(key)))
    for group, g_label in _T4_GROUPS.items():
        for leaf, l_label in _T4_LEAVES.items():
            key = f"{group}.{leaf}"
            add(Entry(key, f"{g_label}·{l_label}", "table4", g_label, l_label, GB, _unit(key)))
    for key, (label, row) in _HEADLINE_GB.items():
        add(Entry(key, label, "table3" if key.startswith("applications") else "table4", row, "总计", GB, _unit(key)))
    for key, label, row in _LEGACY:
        add(Entry(key, label, "legacy", row, "", ("legacy",), _unit(key)))
    for key, label, row in _APPENDIX:
        add(Entry(key, label, "appendix", row, "", ("legacy",), _unit(key)))
    for key, label, row in _DERIVED:
        add(Entry(key, label, "derived", row, "", ALL_ERAS, _unit(key)))
    # the headline metrics read the same in every era: their label is the short one
    for key in ("applications.new.total", "applications.granted.total", "applications.partial.total"):
        e = out[key]
        out[key] = Entry(key, {"applications.new.total": "新收申请"}.get(key, e.label), e.table, e.row, e.column,
                         ALL_ERAS, e.unit)
    for key in ("review.total", "litigation.total", "applications.denied.total"):
        e = out[key]
        out[key] = Entry(key, {"review.total": "行政复议", "litigation.total": "行政诉讼",
                               "applications.denied.total": "不予公开"}[key], e.table, e.row, e.column, ALL_ERAS,
                         e.unit)
    return tuple(out.values())


class _Codebook:
    """Lazy: the parser's label tables are read on first use."""

    def __iter__(self):
        return iter(_build())

    def __len__(self) -> int:
        return len(_build())


CODEBOOK = _Codebook()


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Entry]:
    return {e.key: e for e in _build()}


@lru_cache(maxsize=1)
def _by_label() -> dict[str, str]:
    out: dict[str, str] = {}
    # every entry's label, then the other names of a key (a legacy key that is also a table cell)
    named = [(e.key, e.label) for e in _build()] + [(k, label) for k, label, _ in _LEGACY + _APPENDIX + _DERIVED]
    for key, label in named:
        out.setdefault(label, key)
        out.setdefault(label.replace("·", ""), key)
    return out


def entry(key: str) -> Entry | None:
    return _by_key().get(key)


def key_for_label(text: str) -> str | None:
    """The key of a Chinese label (新收申请, 行政复议·结果纠正, 公开率); None when no label is ``text``."""
    t = "".join(text.split()).replace("・", "·").replace(".", "·")
    return _by_label().get(t)


def codebook_order() -> dict[str, int]:
    """key -> position in the codebook (the report's own table order)."""
    return {e.key: i for i, e in enumerate(_build())}
