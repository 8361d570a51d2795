"""The labels of the template tables (2, 3, 4) as data, and the consistency rules built from them.

Takes nothing, does no I/O. ``parser.templates`` matches table cells against these specs after
``norm_label`` (full width to half width, whitespace, quotes and brackets removed); a spec
matches when any of its phrases is contained in the normalized label (or equals it when
``exact``). Specs are tried in order, so the more specific come first. The ``*_RULES`` lists are
the SumRules of SCHEMA.md for the templates, built from the key lists rather than written out.
Reads no settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .numbers import normalize_width
from .rules import SumRule

__all__ = [
    "LabelSpec", "norm_label", "strip_numbering", "match_spec",
    "T2_ITEMS", "T2_COLUMNS", "T2_KEYS", "T2_UNITS",
    "T3_GROUPS", "T3_ROWS", "T3_COLUMNS", "T3_ROW_KEYS", "T3_COL_KEYS", "T3_GROUP_SUBTOTAL",
    "T3_TOP_ORDER", "T3_RESULTS_ORDER",
    "T4_GROUPS", "T4_LEAVES", "T4_GROUP_KEYS", "T4_LEAF_KEYS",
    "T3_NOTE_PHRASES", "FORMAT_MARKERS",
    "template_rules", "GB2019_RULES", "GB2021_RULES",
]


@dataclass(frozen=True, slots=True)
class LabelSpec:
    key: str
    phrases: tuple[str, ...]
    exact: bool = False  # the label (numbering stripped) must equal a phrase
    group: str | None = None  # the table-3 group this row belongs to (denied, unable, …)


# --- normalization -------------------------------------------------------------------------

_DROP = re.compile(r"[\s\u00a0\u3000\u200b\ufeff\"'“”‘’「」『』《》〈〉【】\[\]:;,.、·•\-—_*]+")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[.、．)）]|第[一二三四五六七八九十]+[项部分])\s*"
)


@lru_cache(maxsize=16384)
def strip_numbering(text: str) -> str:
    """'（三）不予公开' -> '不予公开', '1.属于国家秘密' -> '属于国家秘密', '一、本年新收…' -> '本年新收…'."""
    s = normalize_width(text).strip()
    while True:
        t = _NUMBERING.sub("", s, count=1)
        if t == s:
            return s
        s = t.strip()


@lru_cache(maxsize=16384)
def norm_label(text: str) -> str:
    """A label reduced to what carries its meaning: numbering, spaces, punctuation and brackets gone."""
    s = strip_numbering(text)
    s = _DROP.sub("", s)
    # 增/减 and 增\减 (a real table's backslash) alike
    return s.replace("(", "").replace(")", "").replace("/", "").replace("\\", "")


_MATCHED: dict[tuple[int, str], LabelSpec | None] = {}


def match_spec(label_norm: str, specs: tuple[LabelSpec, ...]) -> LabelSpec | None:
    """The first spec whose phrase the normalized label contains (or equals, for exact specs)."""
    if not label_norm:
        return None
    key = (id(specs), label_norm)  # spec lists are module constants: their id is stable
    if key in _MATCHED:
        return _MATCHED[key]
    found = next((spec for spec in specs for p in spec.phrases
                  if ((label_norm == p) if spec.exact else (p in label_norm))), None)
    if len(_MATCHED) < 50_000:  # bounded: labels repeat across reports, junk should not grow it forever
        _MATCHED[key] = found
    return found


# --- table 2: 主动公开政府信息情况 ----------------------------------------------------------------

# rows (信息内容); the order matters: 其他对外管理服务事项 before anything containing 管理
T2_ITEMS: tuple[LabelSpec, ...] = (
    LabelSpec("rules", ("规章",)),
    LabelSpec("normative_docs", ("规范性文件", "规范性档案")),  # 檔案: a Taiwan-vocabulary mirror's 文件
    LabelSpec("other_services", ("其他对外管理服务", "对外管理服务", "管理服务")),
    LabelSpec("licensing", ("行政许可",)),
    LabelSpec("penalty", ("行政处罚",)),
    LabelSpec("coercion", ("行政强制",)),
    LabelSpec("fees", ("行政事业性收费", "事业性收费")),
    LabelSpec("procurement", ("政府集中采购", "集中采购")),
)

# columns; 本年处理决定数量 and 处理决定数量 both mean decisions
T2_COLUMNS: tuple[LabelSpec, ...] = (
    LabelSpec("made", ("本年新制作数量", "新制作数量", "本年新制作", "新制作")),
    LabelSpec("published", ("本年新公开数量", "新公开数量", "本年新公开", "新公开")),
    LabelSpec("total_public", ("对外公开总数量", "公开总数量", "对外公开总数", "公开总数")),
    LabelSpec("issued", ("本年制发件数", "制发件数", "本年制发")),
    LabelSpec("repealed", ("本年废止件数", "废止件数", "本年废止")),
    LabelSpec("in_force", ("现行有效件数", "现行有效")),
    LabelSpec("prev_items", ("上一年项目数量", "上年项目数量", "上一年项目数", "上年项目")),
    LabelSpec("change", ("本年增减", "增减", "增加减少", "增加或减少")),
    LabelSpec("decisions", ("处理决定数量", "处理决定数", "决定数量", "处理决定")),
    LabelSpec("items", ("采购项目数量", "采购项目数", "采购项目")),
    LabelSpec("amount", ("采购总金额", "本年收费金额", "收费金额", "总金额", "采购金额")),
)

# (item, column) -> metric key, per format (SCHEMA.md table 2)
T2_KEYS: dict[str, dict[tuple[str, str], str]] = {
    "gb2019": {
        **{(i, c): f"{i}.{c}" for i in ("rules", "normative_docs") for c in ("made", "published", "total_public")},
        **{(i, c): f"{i}.{c}" for i in ("licensing", "other_services", "penalty", "coercion")
           for c in ("prev_items", "change", "decisions")},
        ("fees", "prev_items"): "fees.prev_items",
        ("fees", "change"): "fees.change",
        ("procurement", "items"): "procurement.items",
        ("procurement", "amount"): "procurement.amount_yuan",
    },
    "gb2021": {
        **{(i, c): f"{i}.{c}" for i in ("rules", "normative_docs") for c in ("issued", "repealed", "in_force")},
        **{(i, "decisions"): f"{i}.decisions" for i in ("licensing", "penalty", "coercion")},
        ("fees", "amount"): "fees.amount_wan_yuan",
    },
}

# the unit a money key is stored in: "元" or "万元" (a cell or header in the other unit is converted)
T2_UNITS: dict[str, str] = {"procurement.amount_yuan": "元", "fees.amount_wan_yuan": "万元"}


# --- table 3: 收到和处理政府信息公开申请情况 --------------------------------------------------------

# group headings of 三、本年度办理结果 (a heading alone on a row with numbers is the group's subtotal)
T3_GROUPS: tuple[LabelSpec, ...] = (
    LabelSpec("denied", ("不予公开",)),
    LabelSpec("unable", ("无法提供",)),
    LabelSpec("rejected", ("不予处理",)),
    LabelSpec("other", ("其他处理",)),
    LabelSpec("results", ("本年度办理结果", "办理结果")),
)
T3_GROUP_SUBTOTAL = {"denied": "denied", "unable": "unable", "rejected": "rejected", "other": "other.total"}
# the template's numbering of table 3 (a group's name where the numbered row is its heading): the rows
# 一、…四、 and the rows of 三 （一）…（七）; a group's items 1. 2. … are its T3_ROWS below, in order.
# A damaged label is placed by its number only where this says which row it is.
T3_TOP_ORDER = ("new", "carried_in", "results", "carried_out")
T3_RESULTS_ORDER = ("granted", "partial", "denied", "unable", "rejected", "other", "processed_total")

# rows; group=None rows stand on their own and end any open group
T3_ROWS: tuple[LabelSpec, ...] = (
    LabelSpec("new", ("本年新收", "新收政府信息公开申请", "本年收到", "新收申请")),
    LabelSpec("carried_in", ("上年结转", "上年度结转")),
    LabelSpec("carried_out", ("结转下年", "下年度继续办理", "继续办理")),
    LabelSpec("partial", ("部分公开",)),
    LabelSpec("granted", ("予以公开",)),
    LabelSpec("processed_total", ("总计", "合计")),
    LabelSpec("denied.state_secret", ("国家秘密",), group="denied"),
    LabelSpec("denied.law_forbidden", ("法律行政法规禁止", "行政法规禁止", "禁止公开"), group="denied"),
    LabelSpec("denied.three_safety", ("三安全一稳定", "三安全", "危及"), group="denied"),
    LabelSpec("denied.third_party", ("第三方",), group="denied"),
    LabelSpec("denied.internal", ("内部事务",), group="denied"),
    LabelSpec("denied.process", ("过程性",), group="denied"),
    LabelSpec("denied.enforcement_file", ("执法案卷",), group="denied"),
    LabelSpec("denied.query", ("行政查询", "查询事项"), group="denied"),
    LabelSpec("unable.not_held", ("不掌握",), group="unable"),
    LabelSpec("unable.need_create", ("另行制作", "没有现成"), group="unable"),
    LabelSpec("unable.unclear", ("仍不明确", "补正后", "不明确"), group="unable"),
    LabelSpec("rejected.petition", ("信访", "举报投诉"), group="rejected"),
    LabelSpec("rejected.duplicate", ("重复申请",), group="rejected"),
    LabelSpec("rejected.publication", ("出版物",), group="rejected"),
    LabelSpec("rejected.mass_repeat", ("大量反复",), group="rejected"),
    LabelSpec("rejected.confirm", ("重新出具", "确认"), group="rejected"),
    LabelSpec("other.no_correction", ("逾期不补正", "不补正"), group="other"),
    LabelSpec("other.unpaid_fee", ("缴纳费用", "收费通知", "未按收费", "缴费"), group="other"),
    LabelSpec("other.other", ("其他", "其他情形"), exact=True, group="other"),
)
T3_ROW_KEYS_GB2019 = tuple(s.key for s in T3_ROWS if not s.key.startswith("other.")) + ("other.total",)
T3_ROW_KEYS_GB2021 = tuple(s.key for s in T3_ROWS)
T3_ROW_KEYS = {"gb2019": T3_ROW_KEYS_GB2019, "gb2021": T3_ROW_KEYS_GB2021}

# columns (申请人情况); 其他 is the last sub-column of 法人或其他组织
T3_COLUMNS: tuple[LabelSpec, ...] = (
    LabelSpec("natural", ("自然人",)),
    LabelSpec("commercial", ("商业企业", "企业")),
    LabelSpec("research", ("科研机构", "科研")),
    LabelSpec("social", ("社会公益组织", "公益组织")),
    LabelSpec("legal", ("法律服务机构", "法律服务")),
    LabelSpec("total", ("总计", "合计")),
    # a table without the sub-columns: 法人或其他组织 stands for the commercial column (SCHEMA.md)
    LabelSpec("commercial", ("法人或其他组织", "法人或者其他组织"), exact=True),
    # exact: a damaged 法人或其他组织 must not become this sibling
    LabelSpec("other_org", ("其他", "其他组织", "其它", "其它组织"), exact=True),
)
T3_COL_KEYS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")

# the corner note of table 3, never a column
T3_NOTE_PHRASES = ("勾稽关系", "第一项加第二项")


# --- table 4: 政府信息公开行政复议、行政诉讼情况 ------------------------------------------------------

T4_GROUPS: tuple[LabelSpec, ...] = (
    LabelSpec("litigation_after_review", ("复议后起诉",)),
    LabelSpec("litigation_direct", ("未经复议直接起诉", "直接起诉", "未经复议")),
    LabelSpec("review", ("行政复议",)),
)
T4_LEAVES: tuple[LabelSpec, ...] = (
    LabelSpec("upheld", ("结果维持", "维持")),
    LabelSpec("corrected", ("结果纠正", "纠正")),
    LabelSpec("other", ("其他结果",)),
    LabelSpec("pending", ("尚未审结", "未审结")),
    LabelSpec("total", ("总计", "合计")),
)
T4_GROUP_KEYS = ("review", "litigation_direct", "litigation_after_review")
T4_LEAF_KEYS = ("upheld", "corrected", "other", "pending", "total")


# --- format markers (recognize.detect_format) ------------------------------------------------

FORMAT_MARKERS: dict[str, tuple[str, ...]] = {
    "gb2021": ("本年制发件数", "本年废止件数", "现行有效件数", "逾期不补正", "收费通知要求缴纳费用", "本年收费金额"),
    "gb2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "采购总金额"),
}


# --- consistency rules (SCHEMA.md, 勾稽关系) -----------------------------------------------------

def _app(row: str, col: str) -> str:
    return f"applications.{row}.{col}"


def template_rules(fmt: str) -> list[SumRule]:
    """The within-report SumRules of one template format, built from the key lists above."""
    rows = T3_ROW_KEYS[fmt]
    parts_cols = T3_COL_KEYS[:-1]
    rules: list[SumRule] = []
    for row in rows:
        rules.append(SumRule("applications.row_sum", (_app(row, "total"),), tuple(_app(row, c) for c in parts_cols)))
    outcome_rows = [r for r in rows if r in ("granted", "partial") or r.split(".")[0] in ("denied", "unable", "rejected", "other")]
    for col in T3_COL_KEYS:
        rules.append(SumRule("applications.balance", (_app("new", col), _app("carried_in", col)),
                             (_app("processed_total", col), _app("carried_out", col))))
        rules.append(SumRule("applications.outcomes", (_app("processed_total", col),),
                             tuple(_app(r, col) for r in outcome_rows)))
    for group in T4_GROUP_KEYS:
        rules.append(SumRule(f"{group}.sum", (f"{group}.total",),
                             tuple(f"{group}.{leaf}" for leaf in T4_LEAF_KEYS[:-1])))
    return rules


GB2019_RULES: list[SumRule] = template_rules("gb2019")
GB2021_RULES: list[SumRule] = template_rules("gb2021")
