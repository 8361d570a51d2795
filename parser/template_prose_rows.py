"""Template rows named in prose, as data: the cells a 2019+ report restates in its sentences beside the totals.

Takes nothing, does nothing: ``ROW_PATTERNS`` (``ProsePattern``s, applied by ``parser.template_prose``
like ``PROSE_PATTERNS``) read

- table 3's outcome rows (「本机关不掌握的政府信息4件」「4件为“本机关不掌握相关政府信息”」「收到申请1件,为本
  机关不掌握的政府信息」, 没有现成信息, 补正后仍不明确, 要求确认或重新出具, 内部事务, 行政查询, 重复申请),
  label first,
  number first, or a received count that is all one outcome;
- table 4's review outcomes (结果维持6件, 其他结果2件, 尚未审结1件, 「行政复议7件,均获维持」) where the nearest case
  word before them is 复议 (a litigation's outcomes have no template key without its kind);
- table 2's items (制发/废止/现行有效 规章 and 规范性文件, 处理决定数量 after 行政许可/处罚/强制, 行政许可数量,
  集中采购 N 项), keyed by the verb or item nearest before the number and by the template of the report's
  year (gb2021 from 2021 on, gb2019 before);
- the application channels of the legacy reports (邮寄申请277件, 网络申请183件), which template reports
  still state in prose.
"""
from __future__ import annotations

import re

from .legacy.patterns import GI_CONTEXT, NUM, OF, Q, U_APP, U_CASE
from .template_prose_patterns import RECV, ProsePattern, _legacy, _p

__all__ = ["ROW_PATTERNS", "ROW_KEYS"]

# ---- table 3: the outcome rows ---------------------------------------------------------------------

_OWN = r"(?:本机关|本单位|本部门|本局|我局|分局)"
_OUTCOME_ROWS: tuple[tuple[str, str], ...] = (
    # 本机关不掌握的政府信息4件 · 不掌握信息2件 · 本机关不存在相关政府信息的3件 (不存在 only as 本机关's)
    ("applications.unable.not_held.total",
     rf"(?:{_OWN}?不掌握(?:的)?(?:相关)?(?:的)?(?:政府)?信息|{_OWN}不存在(?:的)?(?:相关)?(?:的)?(?:政府)?信息)"),
    ("applications.unable.need_create.total", r"没有现成(?:的)?信息(?:需要)?(?:另行制作)?"),
    ("applications.unable.unclear.total", r"(?:经)?补正后(?:申请内容)?仍(?:然)?不明确"),
    ("applications.rejected.confirm.total", r"要求(?:行政机关)?确认或重新出具已获取(?:的)?信息"),
    ("applications.denied.internal.total", r"(?:属于)?(?:三类)?内部事务(?:信息)?"),
    ("applications.denied.query.total", r"(?:属于)?行政查询(?:事项|范畴|类)"),
    ("applications.rejected.duplicate.total", r"(?:属于)?重复申请"),
)
# what may stand between a row's label and its number: the answer it led to (属于行政查询范畴依法不予公开2件)
_ANSWER = r"(?:(?:依法)?(?:不予公开|无法提供|不予处理)(?:的)?)?"
# a number's outcome named after it: 4件为“…” · 8件办理结果为… · 6件分局不掌握… · 2件属于…
_IS = r"(?:的)?(?:申请)?(?:办理结果)?(?:为|属于|系|是)?" + Q


def _row_patterns(key: str, label: str) -> list[ProsePattern]:
    name = key.split(".")[-2]
    return [
        _p(f"row.{name}", key, label, _ANSWER, OF, NUM, U_APP),
        _p(f"row.{name}.num_first", key, r"(?<![\d.])", NUM, U_APP, _IS, label),
        # 2023年收到政府信息公开申请1件,为本机关不掌握的政府信息: the one outcome of all received
        _p(f"row.{name}.all_received", key, RECV, r"[^,;:。\d]{0,20}?申请(?!人)", OF, NUM, U_APP,
           after=re.compile(r"^[,;]?(?:均|全部)?(?:为|属于|系)" + Q + label)),
    ]


# (其他处理 N件 has no key to go to: gb2021's group has none, and gb2019's row is often a blank cell the
# prose restates as 0, which a blank must stay)
_ROWS = [p for key, label in _OUTCOME_ROWS for p in _row_patterns(key, label)]

# ---- table 4: review outcomes --------------------------------------------------------------------

# the sentence so far ends in a review's clauses: its nearest case word is 复议, not in "复议、诉讼"
REVIEW_TOPIC = re.compile(
    r"(?<!诉讼[、和及与])(?<!诉讼[、和及与]行政)复议(?![、和及与](?:行政)?诉讼)(?:(?!复议|诉讼|起诉).)*$")
_CASE_CONTEXT = {"needs": GI_CONTEXT, "needs_heading": re.compile(r"复议|诉讼"), "needs_before": REVIEW_TOPIC}
_REVIEW = [
    # 行政复议7件,结果维持6件,尚未审结1件 · 维持原决定的2件 · 被纠正1件
    _p("review.upheld", "review.upheld",
       r"(?:结果)?(?:均)?(?:被|获)?维持(?:原(?:具体)?行政行为|原办理结果|原决定|原答复)?(?:的)?", OF, NUM, U_CASE,
       **_CASE_CONTEXT),
    _p("review.corrected", "review.corrected", r"(?:结果)?(?:被)?(?:依法)?纠(?:正|错)(?:的)?", OF, NUM, U_CASE,
       **_CASE_CONTEXT),
    _p("review.pending", "review.pending", r"(?:结果)?尚未审结(?:的)?", OF, NUM, U_CASE, **_CASE_CONTEXT),
    # 结果维持18件,结果纠正62件,其他结果16件 (the template's column, as written: not 其他处理, an application's)
    _p("review.other", "review.other", r"其他结果(?:的)?", OF, NUM, U_CASE, **_CASE_CONTEXT),
    # 引发行政复议2件,均维持原办理结果 · 行政复议7件,诉讼9件,均获维持: all of them upheld
    _p("review.upheld_all", "review.upheld", r"(?:行政)?复议(?:案件|申请|案)?", OF, NUM, U_CASE,
       after=re.compile(r"^(?:[,;、](?:行政)?诉讼(?:案件)?\d+[件起宗])?[,;]?(?:结果)?(?:均|全部)(?:已)?(?:获|被|予以)?(?:依法)?维持"),
       needs=GI_CONTEXT, needs_heading=re.compile(r"复议|诉讼")),
    # 政府信息公开行政复议1(结果维持1): the total and its results in a bracket, no unit
    _p("review.total_bracketed", "review.total", r"(?<!未)(?<!无)行政复议", NUM, r"(?=\((?:结果)?(?:维持|纠正|其他|尚未))",
       needs=GI_CONTEXT, needs_heading=re.compile(r"复议|诉讼")),
    _p("review.upheld_bracketed", "review.upheld", r"(?<=\()(?:结果)?维持", NUM, r"(?=[)、,])",
       needs_before=re.compile(r"行政复议\d+\($")),
]

# ---- table 2: items of the year ------------------------------------------------------------------

_ISSUED = r"制发|制定|印发|出台"  # (not 发布: "发布信息200条,其中规范性文件3件" are published, not issued)
# items of table 2 without a key: their numbers are nobody else's
_NO_KEY_ITEMS = r"行政检查|行政征收|行政确认|行政给付|行政裁决|行政奖励|其他对外管理服务|行政事业性收费"
_NO_KEY_ITEMS_2019 = r"行政检查|行政征收|行政确认|行政给付|行政裁决|行政奖励|行政事业性收费"
# the items whose 处理决定 table 2 counts, in both templates
_DECIDING_ITEMS = ((r"行政许可", "licensing.decisions"), (r"行政处罚", "penalty.decisions"),
                   (r"行政强制", "coercion.decisions"))
# (公开/发布 name no count of the template: "主动公开规章13件(…废止4件),主动公开…规范性文件42件")
_PUBLISHED = (r"(?<!制发)(?<!制定)(?<!印发)(?:公开|发布|公布)|修改|修订", "")  # (制发公开, 制定发布: issued, and so published)
_TABLE2_VERBS_2021 = {
    "rules": ((_ISSUED, "rules.issued"), (r"废止", "rules.repealed"), (r"现行有效", "rules.in_force"), _PUBLISHED),
    "normative_docs": ((_ISSUED, "normative_docs.issued"), (r"废止", "normative_docs.repealed"),
                       (r"现行有效", "normative_docs.in_force"), _PUBLISHED),
}
# inside the bracket that follows an item's count: 规章13件(含新制定5件,修改4件,废止4件)
_IN_ITEM_BRACKET = re.compile(r"(?:规章|规范性文件)\d+件\((?:含|其中)[^()]*$")
_ITEMS_ISSUED = ((r"规章", "rules.issued"), (r"规范性文件", "normative_docs.issued"))
_ITEMS_REPEALED = ((r"规章", "rules.repealed"), (r"规范性文件", "normative_docs.repealed"))
_TABLE2 = [
    # 制发的省政府规章2件、…行政规范性文件2件 · 废止规章17件、行政规范性文件0件 · 现行有效规范性文件1件
    _p("t2.rules", "rules.issued", r"(?<!法)规章", OF, NUM, r"件", keys_from_before=_TABLE2_VERBS_2021["rules"],
       era="gb2021"),
    _p("t2.normative_docs", "normative_docs.issued", r"(?:行政)?规范性文件", OF, NUM, r"件",
       keys_from_before=_TABLE2_VERBS_2021["normative_docs"], era="gb2021"),
    _p("t2.issued_in_bracket", "rules.issued", r"(?:新)?(?:制定|制发)(?:了)?", NUM, r"件",
       needs_before=_IN_ITEM_BRACKET, keys_from_before=_ITEMS_ISSUED, era="gb2021"),
    _p("t2.repealed_in_bracket", "rules.repealed", r"废止(?:了)?", NUM, r"件",
       needs_before=_IN_ITEM_BRACKET, keys_from_before=_ITEMS_REPEALED, era="gb2021"),
    # 2021年未制定行政法规、规章和规范性文件
    _p("t2.none_issued", "rules.issued",
       r"(?:未|没有|无)(?:制定|制发|出台|印发)[^,;:。\d]{0,8}?(?:规章|规范性文件)(?:[、和及与][^,;:。\d]{0,6}?(?:规章|规范性文件))*",
       tier=2, keys_from_words=(("规章", "rules.issued"), ("规范性文件", "normative_docs.issued")), era="gb2021",
       delta_ok=True),
    # 行政许可16项,…,处理决定数量56件 (the nearest item names whose decisions; 行政检查 has no key)
    _p("t2.decisions", "licensing.decisions", r"处理决定(?:数量|数)?", OF, NUM, r"件",
       keys_from_before=(*_DECIDING_ITEMS, (_NO_KEY_ITEMS, "")), era="gb2021"),
    # gb2019's table 2 has a row for 其他对外管理服务 (shanghai sthj 2020: 其他对外管理服务事项处理决定数量496件)
    _p("t2.decisions_2019", "licensing.decisions", r"处理决定(?:数量|数)?", OF, NUM, r"件",
       keys_from_before=(*_DECIDING_ITEMS, (r"其他对外管理服务", "other_services.decisions"),
                         (_NO_KEY_ITEMS_2019, "")), era="gb2019"),
    # 共作出行政处罚29件 · 作出行政强制决定3件 (the decisions, named by the verb)
    _p("t2.decided", "penalty.decisions", r"作出(?:了)?(?:各类)?(?:行政处罚|行政强制)(?:措施|决定)?", OF, NUM, r"件",
       keys_from_words=((r"行政处罚", "penalty.decisions"), (r"行政强制", "coercion.decisions"))),
    # 未作出行政强制措施 · 没有作出行政处罚决定
    _p("t2.none_decided", "penalty.decisions",
       r"(?:未|没有)(?:作出|实施|采取)(?:任何)?(?:行政处罚|行政强制)(?:措施|决定)?(?![\u4e00-\u9fff]{0,2}\d)", tier=2,
       keys_from_words=((r"行政处罚", "penalty.decisions"), (r"行政强制", "coercion.decisions")), delta_ok=True),
    # the table's columns after its item: 行政规范性文件:制发件数2件,废止件数1件,现行有效件数22件
    *(_p(f"t2.column_{col}", f"normative_docs.{col}", word + r"(?:件数|数量|数)", OF, NUM, r"件", era="gb2021",
         keys_from_before=((r"(?<!法)规章", f"rules.{col}"), (r"规范性文件", f"normative_docs.{col}")))
      for col, word in (("issued", r"(?:制发|制定)"), ("repealed", r"废止"), ("in_force", r"现行有效"))),
    # 行政许可2022年处理决定数量450项,行政处罚2项、行政强制0项 (the list after a 处理决定 count: theirs too)
    _p("t2.decisions_items", "licensing.decisions", r"处理决定(?:数量|数)?", OF, NUM, r"项",
       keys_from_before=(*_DECIDING_ITEMS, (_NO_KEY_ITEMS, "")), era="gb2021"),
    _p("t2.decisions_listed", "penalty.decisions", r"(?:^|(?<=[,、]))(?:行政处罚|行政强制)", OF, NUM, r"(?:项|件)",
       needs_before=re.compile(r"处理决定(?:数量|数)?\d+[项件][^。]*$"),
       keys_from_words=((r"行政处罚", "penalty.decisions"), (r"行政强制", "coercion.decisions")), era="gb2021"),
    # 行政事业性收费0元 (a zero, whatever its unit: the table counts 万元)
    _p("t2.fees_zero", "fees.amount_wan_yuan", r"行政事业性收费(?:金额)?", OF, NUM, r"(?:万)?元", zero_only=True,
       era="gb2021"),
    # 2021年行政许可数量73件 (gb2021 counts only its decisions)
    _p("t2.licensing_count", "licensing.decisions", r"行政许可(?:决定)?(?:数量|数)", OF, NUM, r"件", era="gb2021"),
    # 年度政府集中采购36项,采购总金额293.3884万元
    _p("t2.procurement", "procurement.items", r"(?:政府)?集中采购(?:项目)?(?:数量)?", OF, NUM, r"(?:项|个)",
       era="gb2019"),
]

# ---- the application channels (a legacy key, stated by template reports too) --------------------------

_CHANNELS = [_legacy(f"channel.{c}") for c in ("in_person", "online", "letter", "fax", "fax_listed", "email", "other")]

ROW_PATTERNS: tuple[ProsePattern, ...] = (*_ROWS, *_REVIEW, *_TABLE2, *_CHANNELS)

ROW_KEYS = frozenset(
    {p.key for p in ROW_PATTERNS}
    | {k for p in ROW_PATTERNS for _, k in (*p.keys_from_words, *p.keys_from_before) if k}
)
