"""The template tables' layout as data, for reading them from text that lost the grid.

A text copy keeps the cells' order but not their places, so ``parser.template_text`` rebuilds
rows from what the templates fix: which columns each block of table 2 has, left to right; the
full column names (a header cut short, "现行有效件", or split over lines, "本年新" / "制作数量",
is matched against them); the words that start table 3's and table 4's headers and the words a
header must show before its cells are read in the template's column order. Row labels and their
variants stay in ``parser.labels``. Data only.
"""
from __future__ import annotations

__all__ = ["T2_BLOCK_COLUMNS", "T2_COLUMN_NAMES", "T3_HEADER_WORDS", "T3_TEMPLATE_WORDS", "T3_COLUMN_ORG",
           "T4_HEADER_WORDS", "T4_TEMPLATE_WORDS", "T2_HEADER_START"]

# table 2, block by block (第二十条第（一）（五）（六）（八）（九）项): the data columns left to right;
# (五) and (六) share their columns, the rows under them say which block it is
T2_BLOCK_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "gb2019": (
        ("made", "published", "total_public"),
        ("prev_items", "change", "decisions"),
        ("prev_items", "change"),
        ("items", "amount"),
    ),
    "gb2021": (
        ("issued", "repealed", "in_force"),
        ("decisions",),
        ("amount",),
    ),
}

# the column names as the templates write them, normalized (parser.labels.norm_label)
T2_COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "made": ("本年新制作数量",),
    "published": ("本年新公开数量",),
    "total_public": ("对外公开总数量",),
    "prev_items": ("上一年项目数量",),
    "change": ("本年增减",),
    "decisions": ("处理决定数量", "本年处理决定数量"),
    "items": ("采购项目数量",),
    "amount": ("采购总金额", "本年收费金额"),
    "issued": ("本年制发件数",),
    "repealed": ("本年废止件数",),
    "in_force": ("现行有效件数",),
}

# the first cell of a table-2 header
T2_HEADER_START = "信息内容"

# a label holding one of these starts table 3's header
T3_HEADER_WORDS = ("申请人情况", "自然人", "商业企业", "法人或其他组织", "法人或者其他组织")
# the template's table-3 columns: a header showing every one of them (the words joined, so "商业" /
# "企业" split over two lines still count) is read in the template's order, T3_COL_KEYS
T3_COLUMN_ORG = ("法人或其他组织", "法人或者其他组织")  # the group heading, whose 其他 is not the 其他 column
T3_TEMPLATE_WORDS: dict[str, tuple[str, ...]] = {
    "natural": ("自然人",),
    "commercial": ("企业",),
    "research": ("科研",),
    "social": ("公益",),
    "legal": ("法律服务",),
    "other_org": ("其他",),
    "total": ("总计", "合计"),
}

# a label holding one of these starts table 4's header
T4_HEADER_WORDS = ("行政复议", "行政诉讼", "结果维持", "结果纠正", "尚未审结", "复议后起诉", "直接起诉")
# all of which the header must show before fifteen values are read in the template's order: each word,
# or its second half where the header stacks a column's label over two lines ("结果 结果 其他 尚未 总" /
# "维持 纠正 结果 审结 计", a real flipbook page)
T4_TEMPLATE_WORDS: tuple[tuple[str, ...], ...] = (
    ("行政复议",), ("行政诉讼",), ("直接起诉",), ("复议后起诉",),
    ("结果维持", "维持"), ("结果纠正", "纠正"), ("其他结果", "其他"), ("尚未审结", "审结"),
)
