"""The template tables of 2019 and 2021 as data, and consistent metric values for a report.

``table_rows(fmt)`` gives tables 2, 3 and 4 of a format as rows of ``Cell`` (text, rowspan,
colspan, or a metric key whose value fills the cell), in the shape Word pastes onto real pages.
``make_metrics(fmt, rng)`` draws values that satisfy every consistency rule of SCHEMA.md;
``legacy_metrics(rng)`` draws the numbers a legacy (prose) report states. ``headline`` adds the
derived headline metrics. Key names are those of SCHEMA.md. Pure; no I/O.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Cell", "table_rows", "make_metrics", "legacy_metrics", "headline", "T3_COLS",
           "t3_row_keys"]


@dataclass(frozen=True, slots=True)
class Cell:
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    #: a metric key: the cell shows that metric's value (blank when absent)
    key: str | None = None
    header: bool = False


T3_COLS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")

# --- table 2 ------------------------------------------------------------------------------------
_T2_2021 = (
    ("第二十条第（一）项", ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
     (("规章", "rules", ("issued", "repealed", "in_force")),
      ("行政规范性文件", "normative_docs", ("issued", "repealed", "in_force")))),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"),
     (("行政许可", "licensing", ("decisions",)),)),
    ("第二十条第（六）项", ("信息内容", "本年处理决定数量"),
     (("行政处罚", "penalty", ("decisions",)), ("行政强制", "coercion", ("decisions",)))),
    ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"),
     (("行政事业性收费", "fees", ("amount_wan_yuan",)),)),
)
_T2_2019 = (
    ("第二十条第（一）项", ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
     (("规章", "rules", ("made", "published", "total_public")),
      ("规范性文件", "normative_docs", ("made", "published", "total_public")))),
    ("第二十条第（五）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
     (("行政许可", "licensing", ("prev_items", "change", "decisions")),
      ("其他对外管理服务事项", "other_services", ("prev_items", "change", "decisions")))),
    ("第二十条第（六）项", ("信息内容", "上一年项目数量", "本年增/减", "处理决定数量"),
     (("行政处罚", "penalty", ("prev_items", "change", "decisions")),
      ("行政强制", "coercion", ("prev_items", "change", "decisions")))),
    ("第二十条第（八）项", ("信息内容", "上一年项目数量", "本年增/减"),
     (("行政事业性收费", "fees", ("prev_items", "change")),)),
    ("第二十条第（九）项", ("信息内容", "采购项目数量", "采购总金额"),
     (("政府集中采购", "procurement", ("items", "amount_yuan")),)),
)


def _t2_rows(fmt: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    width = 4
    for heading, header, items in (_T2_2021 if fmt == "gb2021" else _T2_2019):
        rows.append([Cell(heading, colspan=width, header=True)])
        last = len(header) - 1
        rows.append([Cell(h, header=True, colspan=(width - last) if j == last else 1)
                     for j, h in enumerate(header)])
        for label, item, cols in items:
            rows.append([Cell(label)] + [Cell(key=f"{item}.{c}", colspan=(width - len(cols)) if j == len(cols) - 1 else 1)
                                         for j, c in enumerate(cols)])
    return rows


# --- table 3 ------------------------------------------------------------------------------------
_DENIED = (("state_secret", "1.属于国家秘密"), ("law_forbidden", "2.其他法律行政法规禁止公开"),
           ("three_safety", "3.危及“三安全一稳定”"), ("third_party", "4.保护第三方合法权益"),
           ("internal", "5.属于三类内部事务信息"), ("process", "6.属于四类过程性信息"),
           ("enforcement_file", "7.属于行政执法案卷"), ("query", "8.属于行政查询事项"))
_UNABLE = (("not_held", "1.本机关不掌握相关政府信息"), ("need_create", "2.没有现成信息需要另行制作"),
           ("unclear", "3.补正后申请内容仍不明确"))
_REJECTED = (("petition", "1.信访举报投诉类申请"), ("duplicate", "2.重复申请"),
             ("publication", "3.要求提供公开出版物"), ("mass_repeat", "4.无正当理由大量反复申请"),
             ("confirm", "5.要求行政机关确认或重新出具已获取信息"))
_OTHER_2021 = (("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
               ("unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
               ("other", "3.其他"))


def _t3_groups(fmt: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(group label, ((row key, leaf label) …)); a group of one row with leaf '' spans 2 columns."""
    other = ((("other.total", ""),) if fmt == "gb2019"
             else tuple((f"other.{k}", lab) for k, lab in _OTHER_2021))
    return [
        ("（一）予以公开", (("granted", ""),)),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (("partial", ""),)),
        ("（三）不予公开", tuple((f"denied.{k}", lab) for k, lab in _DENIED)),
        ("（四）无法提供", tuple((f"unable.{k}", lab) for k, lab in _UNABLE)),
        ("（五）不予处理", tuple((f"rejected.{k}", lab) for k, lab in _REJECTED)),
        ("（六）其他处理", other),
        ("（七）总计", (("processed_total", ""),)),
    ]


def t3_row_keys(fmt: str) -> list[str]:
    keys = ["new", "carried_in"]
    for _, rows in _t3_groups(fmt):
        keys += [k for k, _ in rows]
    return keys + ["carried_out"]


def _t3_rows(fmt: str) -> list[list[Cell]]:
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows = [
        [Cell(note, rowspan=3, colspan=3, header=True), Cell("申请人情况", colspan=7, header=True)],
        [Cell("自然人", rowspan=2, header=True), Cell("法人或其他组织", colspan=5, header=True),
         Cell("总计", rowspan=2, header=True)],
        [Cell(t, header=True) for t in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")],
    ]

    def values(row: str) -> list[Cell]:
        return [Cell(key=f"applications.{row}.{c}") for c in T3_COLS]

    rows.append([Cell("一、本年新收政府信息公开申请数量", colspan=3)] + values("new"))
    rows.append([Cell("二、上年结转政府信息公开申请数量", colspan=3)] + values("carried_in"))
    groups = _t3_groups(fmt)
    span = sum(len(r) for _, r in groups)
    first = True
    for label, leaves in groups:
        for i, (key, leaf) in enumerate(leaves):
            row: list[Cell] = []
            if first:
                row.append(Cell("三、本年度办理结果", rowspan=span))
                first = False
            if not leaf:
                row.append(Cell(label, colspan=2))
            else:
                if i == 0:
                    row.append(Cell(label, rowspan=len(leaves)))
                row.append(Cell(leaf))
            rows.append(row + values(key))
    rows.append([Cell("四、结转下年度继续办理", colspan=3)] + values("carried_out"))
    return rows


# --- table 4 ------------------------------------------------------------------------------------
_T4_LEAVES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
              ("pending", "尚未审结"), ("total", "总计"))


def _t4_rows() -> list[list[Cell]]:
    leaves = [Cell(t, header=True) for _, t in _T4_LEAVES]
    return [
        [Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True)],
        [Cell(t, rowspan=2, header=True) for _, t in _T4_LEAVES]
        + [Cell("未经复议直接起诉", colspan=5, header=True), Cell("复议后起诉", colspan=5, header=True)],
        leaves + list(leaves),
        [Cell(key=f"{g}.{k}") for g in ("review", "litigation_direct", "litigation_after_review")
         for k, _ in _T4_LEAVES],
    ]


def table_rows(fmt: str) -> list[tuple[str, list[list[Cell]]]]:
    """[(section heading, rows)] for tables 2, 3 and 4 of ``fmt`` (gb2019 | gb2021)."""
    return [("二、主动公开政府信息情况", _t2_rows(fmt)),
            ("三、收到和处理政府信息公开申请情况", _t3_rows(fmt)),
            ("四、政府信息公开行政复议、行政诉讼情况", _t4_rows())]


# --- values ---------------------------------------------------------------------------------------
def _some(rng: random.Random, hi: int, zero_share: float = 0.5) -> int:
    return 0 if rng.random() < zero_share else rng.randint(1, hi)


def make_metrics(fmt: str, rng: random.Random, scale: int = 1) -> dict[str, int | float]:
    """Every table cell of ``fmt``, consistent with all template rules; ``scale`` grows the counts."""
    m: dict[str, int | float] = {}
    if fmt == "gb2021":
        for item in ("rules", "normative_docs"):
            m[f"{item}.issued"], m[f"{item}.repealed"] = _some(rng, 12, 0.3), _some(rng, 4)
            m[f"{item}.in_force"] = m[f"{item}.issued"] + rng.randint(0, 90)
        for item in ("licensing", "penalty", "coercion"):
            m[f"{item}.decisions"] = _some(rng, 3000 * scale, 0.2)
        m["fees.amount_wan_yuan"] = rng.choice((0, 0, 1.5, 12.34))
    else:
        for item in ("rules", "normative_docs"):
            made = _some(rng, 12, 0.3)
            m[f"{item}.made"] = m[f"{item}.published"] = made
            m[f"{item}.total_public"] = made + rng.randint(0, 120)
        for item in ("licensing", "other_services", "penalty", "coercion"):
            m[f"{item}.prev_items"] = _some(rng, 200, 0.2)
            m[f"{item}.change"] = rng.randint(-4, 9)
            m[f"{item}.decisions"] = _some(rng, 3000 * scale, 0.2)
        m["fees.prev_items"], m["fees.change"] = _some(rng, 20), rng.randint(-2, 2)
        m["procurement.items"] = _some(rng, 60, 0.2)
        m["procurement.amount_yuan"] = rng.randint(1, 9999) * 100 if m["procurement.items"] else 0
    rows = t3_row_keys(fmt)
    outcomes = [r for r in rows if r not in ("new", "carried_in", "processed_total", "carried_out")]
    for col in T3_COLS[:-1]:
        hi = (120 if col == "natural" else 12) * scale
        for r in outcomes:
            m[f"applications.{r}.{col}"] = _some(
                rng, hi if r in ("granted", "partial") else max(2, hi // 8), 0.6)
        processed = sum(int(m[f"applications.{r}.{col}"]) for r in outcomes)
        m[f"applications.processed_total.{col}"] = processed
        m[f"applications.carried_out.{col}"] = _some(rng, 4, 0.6)
        carried_in = rng.randint(0, processed + int(m[f"applications.carried_out.{col}"])) // 3
        m[f"applications.carried_in.{col}"] = carried_in
        m[f"applications.new.{col}"] = processed + int(m[f"applications.carried_out.{col}"]) - carried_in
    for r in rows:
        m[f"applications.{r}.total"] = sum(int(m[f"applications.{r}.{c}"]) for c in T3_COLS[:-1])
    for group in ("review", "litigation_direct", "litigation_after_review"):
        parts = [_some(rng, 5, 0.5) for _ in range(4)]
        for leaf, v in zip(("upheld", "corrected", "other", "pending"), parts):
            m[f"{group}.{leaf}"] = v
        m[f"{group}.total"] = sum(parts)
    return m


def legacy_metrics(rng: random.Random, scale: int = 1) -> dict[str, int]:
    """The numbers a legacy prose report states (SCHEMA.md, legacy keys), mutually consistent."""
    m: dict[str, int] = {}
    channels = {"in_person": rng.randint(5, 60) * scale, "online": rng.randint(10, 200) * scale,
                "letter": rng.randint(0, 40) * scale}
    for k, v in channels.items():
        m[f"applications.channel.{k}"] = v
    new = sum(channels.values())
    m["applications.new.total"] = new
    replied = new - rng.randint(0, min(5, new))
    m["applications.replied"] = replied
    parts = ["already_public", "granted.total", "partial.total", "denied.total", "not_own",
             "not_exist", "need_correction"]
    left = replied
    for key in parts:
        v = rng.randint(0, left // 3)
        m[f"applications.{key}"] = v
        left -= v
    m["applications.other_channel"] = left
    m["proactive.items"] = rng.randint(300, 9000) * scale
    for group in ("review", "litigation"):
        parts3 = [rng.randint(0, 6) for _ in range(3)]
        for leaf, v in zip(("upheld", "corrected", "other"), parts3):
            m[f"{group}.{leaf}"] = v
        m[f"{group}.total"] = sum(parts3)
    m["fees.collected_yuan"] = 0
    return m


def headline(m: dict[str, int | float]) -> dict[str, int | float]:
    """Derived headline metrics of a template record (SCHEMA.md) not already stated, written
    independently of the parser: a sum over the present operands when at least one is present
    (blank cells are 0 in a template)."""
    out: dict[str, int | float] = {}
    denied = [v for k, v in m.items()
              if k.startswith("applications.denied.") and k.endswith(".total")
              and k != "applications.denied.total"]
    if denied and "applications.denied.total" not in m:
        out["applications.denied.total"] = sum(denied)
    lit = [m[k] for k in ("litigation_direct.total", "litigation_after_review.total") if k in m]
    if lit and "litigation.total" not in m:
        out["litigation.total"] = sum(lit)
    return out
