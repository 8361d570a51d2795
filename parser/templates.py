"""Tables 2, 3 and 4 of the 2019 and 2021 templates: Document tables -> metrics with evidence.

Takes a ``Document`` (tables as full grids) and the format (``gb2019``/``gb2021``); returns a
``Reading``: every placed cell as a metric with ``Evidence(where="table", table, row, column,
page)``, and a finding for every non-blank cell that could not be placed with confidence (never a
guess). Tables are found by their labels, not their position; a table 3 cut in two (the second
part without its header) borrows the header of the part before, aligned on the right. A table-3
row whose label is damaged (characters lost where the cell wraps, OCR) is placed by the
template's numbering or its position in its group only where that is certain, with a
``table.label_by_position`` finding; it never falls back to its group's subtotal. All label
variants live in ``parser.labels``; every cell goes through ``parser.numbers.parse_cell``; table 2
is read by ``parser.template_table2``. A document without any grid (a plain-text copy) is read by
``parser.template_text`` from its rows written as lines. Reads no settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .document import Document, Table
from .labels import (
    T2_COLUMNS, T2_ITEMS, T3_COLUMNS, T3_GROUP_SUBTOTAL, T3_GROUPS, T3_NOTE_PHRASES, T3_RESULTS_ORDER, T3_ROW_KEYS,
    T3_ROWS, T3_TOP_ORDER, T4_GROUPS, T4_LEAVES, LabelSpec, match_spec, norm_label, strip_numbering,
)
from .memo import per_document
from .numbers import normalize_width, parse_cn_number
from .record import Finding, Reading
from .template_cells import CellReading, distinct, is_blank, label_cells, parse_cell, place_row, unplaced
from .template_table2 import read_table2

__all__ = ["read_template_tables", "classify_table", "t3_row", "t3_row_key", "group_items", "T3Row", "TABLE_KINDS"]

TABLE_KINDS = ("t2", "t3", "t4")
_T3_TOP = tuple(s for s in T3_ROWS if s.group is None)
_T3_IN_GROUP = tuple(s for s in T3_ROWS if s.group is not None)


def read_template_tables(doc: Document, fmt: str) -> Reading:
    """All template-table metrics of ``doc`` read as format ``fmt``."""
    reading = Reading()
    by_kind: dict[str, list[Table]] = {k: [] for k in TABLE_KINDS}
    last: str | None = None
    for table in doc.tables:
        kind = classify_table(table, loose=True)
        if kind is None and last == "t3" and _t3_row_count(table) >= 1:
            kind = "t3"  # the tail of a table 3 cut across pages: a row or two
        if kind:
            by_kind[kind].append(table)
        last = kind
    if not any(by_kind.values()):
        # no grids at all (a plain-text copy): table rows written as lines of text
        from .template_text import read_text_tables

        return read_text_tables(doc.text, fmt)
    read_table2(by_kind["t2"], fmt, reading)
    _read_table3(by_kind["t3"], fmt, reading)
    _read_table4(by_kind["t4"], reading)
    return reading



def _t3_row_keys(labels: set[str]) -> set[str]:
    return {s.key for lab in labels for s in (match_spec(lab, _T3_TOP), match_spec(lab, _T3_IN_GROUP)) if s}


def _t3_row_count(table: Table) -> int:
    return len(_t3_row_keys({norm_label(c) for c in label_cells(list({c for row in table.grid for c in row}))} - {""}))


def classify_table(table: Table, loose: bool = False) -> str | None:
    """``t2``, ``t3``, ``t4`` or None, by the labels a table holds.

    Strict (format detection): a table 3 needs its column header, a table 4 the template's result
    words, so a legacy appendix (涉及国家秘密, 行政复议数…) is never taken for a template table.
    ``loose`` (reading a report already known to be a template one) also takes a table 3 whose
    header is lost when at least three of its rows are table-3 rows."""
    return _classify(frozenset(c for row in table.grid for c in row), loose)


# recognition, format detection and the reader each classify every table: by its set of cell texts
@per_document(maxsize=256)
def _classify(cells: frozenset[str], loose: bool) -> str | None:
    facts = _label_facts(cells)
    # loose: a small table of one 第二十条 item whose item label is damaged is still table 2
    t2_ok = (facts.t2_items and (facts.t2_cols or facts.content_word)) \
        or (loose and facts.t2_cols and facts.content_word)
    t3 = (facts.t3_cols and facts.t3_rows) or (loose and facts.t3_rows >= 3)
    scores = {
        "t3": facts.t3_rows + (3 if facts.t3_cols else 0) if t3 else 0,
        "t4": 5 if facts.t4 else 0,
        "t2": facts.t2_items + facts.t2_cols if t2_ok else 0,
    }
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else None


@dataclass(frozen=True, slots=True)
class _LabelFacts:
    """What a table's labels say, whether it is classified strictly or loosely."""

    t3_rows: int  # distinct table-3 rows named
    t3_cols: bool  # a table-3 column header (自然人, 申请人情况)
    t4: bool  # 行政复议 with the template's result words
    t2_items: int  # distinct table-2 items named
    t2_cols: int  # distinct table-2 columns named
    content_word: bool  # 信息内容, table 2's first header


# the strict and the loose classification of a table read its labels once
@per_document(maxsize=256)
def _label_facts(cells: frozenset[str]) -> _LabelFacts:
    labels = {norm_label(c) for c in label_cells(list(cells))}
    labels.discard("")
    joined = "|".join(labels)  # (searched for words, which hold no "|": the order does not matter)
    return _LabelFacts(
        t3_rows=len(_t3_row_keys(labels)),
        t3_cols="自然人" in joined or "申请人情况" in joined,
        t4="行政复议" in joined and any(w in joined for w in ("结果维持", "结果纠正", "尚未审结")),
        t2_items=len({s.key for lab in labels if (s := match_spec(lab, T2_ITEMS))}),
        t2_cols=len({s.key for lab in labels if (s := match_spec(lab, T2_COLUMNS))}),
        content_word="信息内容" in joined,
    )


# --- table 3 ------------------------------------------------------------------------------------

@dataclass
class _T3Columns:
    columns: list[tuple[str, str] | None]  # per data column, right-aligned: (col key, label as written)


def _t3_header_rows(table: Table) -> int:
    """How many header rows: those before the first row with a number or a row label in its first cell."""
    for i, row in enumerate(table.grid):
        if any(parse_cell(c) is not None for c in row):
            return i
        lab = norm_label(row[0]) if row else ""
        if match_spec(lab, _T3_TOP) or match_spec(lab, _T3_IN_GROUP) or match_spec(lab, T3_GROUPS):
            return i
    return len(table.grid)


@lru_cache(maxsize=4096)  # every row's label cells ask it; the same few dozen labels in every report
def _is_note(text: str) -> bool:
    return any(n in norm_label(text) for n in T3_NOTE_PHRASES)


def _t3_columns(table: Table, n_header: int) -> tuple[int, _T3Columns] | None:
    """(first data column, the data columns' keys) from the header rows, or None."""
    found: dict[int, tuple[str, str]] = {}
    for j in range(table.n_cols):
        path = [r[j] for r in table.grid[:n_header] if j < len(r) and not _is_note(r[j])]
        # the deepest label says which column: a damaged 社会公益组织 under 法人或其他组织 is not that parent
        own = next((t for t in reversed(path) if norm_label(t)), None)
        spec = match_spec(norm_label(own), T3_COLUMNS) if own else None
        if spec:
            found[j] = (spec.key, " / ".join(distinct(path)))
    if not found:
        return None
    first = min(found)
    return first, _T3Columns([found.get(j) for j in range(first, table.n_cols)])


# one cell holding a path: "（三）不予公开 1.属于国家秘密" is split before each inner numbering
_SUBLABEL = re.compile(r"\s*(?=(?<!^)(?:\d+\s*[.、．]|[（(][一二三四五六七八九十\d]+[)）]))")
# a label's own numbering: 一、 (a top row), （一） (a row of 三), 1. or （1） (an item of a group)
_ORDINAL = re.compile(r"\s*(?:(?P<top>[一二三四五六七八九十]+)\s*[、.]|\(\s*(?P<paren>[一二三四五六七八九十]+)\s*\)"
                      r"|(?P<item>\d{1,2})\s*[.、)]|\(\s*(?P<item2>\d{1,2})\s*\))")
_GROUP_KEYS = frozenset(s.key for s in T3_GROUPS)


@dataclass(frozen=True, slots=True)
class _Part:
    """One label of a row's path: what its words name, and its numbering ("top"/"paren"/"item", n)."""

    text: str
    ordinal: tuple[str, int, str] | None  # (kind, n, as written)
    group: LabelSpec | None = None
    spec: LabelSpec | None = None  # a row (top or in a group) named by its words
    residue: bool = False  # words beside the group's name that name nothing ("不予公开 其他法律行政止公开")

    @property
    def unknown(self) -> bool:
        """Its words name no row: neither an item nor a group heading alone."""
        return self.spec is None and (self.group is None or self.residue)


@dataclass(frozen=True, slots=True)
class T3Row:
    """Where one table-3 row goes: its row key (or None, with why), the group context after it,
    and ``numbered`` when the key comes from the label's numbering or position, not its words."""

    key: str | None
    context: str | None
    why: str = ""
    numbered: str = ""
    unread: bool = False  # no words known, no numbering: only its position can place it
    heading: bool = False  # the heading of the group ``context`` (with its subtotal, if any)


def _ordinal(text: str) -> tuple[str, int, str] | None:
    m = _ORDINAL.match(normalize_width(text))
    if not m:
        return None
    kind = next(k for k in ("top", "paren", "item", "item2") if m.group(k))
    n = int(m.group(kind)) if kind.startswith("item") else parse_cn_number(m.group(kind))
    return ("item" if kind.startswith("item") else kind, n, m.group(0).strip()) if n else None


def _parts(segments: tuple[str, ...]) -> list[_Part]:
    parts = []
    for seg in (p for s in segments for p in _SUBLABEL.split(s) if p.strip()):
        lab = norm_label(seg)
        spec, group = match_spec(lab, _T3_TOP), None
        if spec is None:
            # one cell may hold both: "（三）不予公开 1.属于国家秘密"
            group = match_spec(lab, T3_GROUPS)
            if group:
                lab = lab.replace(next(p for p in group.phrases if p in lab), "", 1)  # "其他处理 其他" -> "其他"
            spec = match_spec(lab, _T3_IN_GROUP)
        parts.append(_Part(seg.strip(), _ordinal(seg), group, spec, residue=bool(group and lab and not spec)))
    return parts


def group_items(group: str | None, fmt: str | None = None) -> tuple[LabelSpec, ...]:
    """The items of a table-3 group in the template's order (numbered 1, 2, …); () for none."""
    return tuple(s for s in _T3_IN_GROUP if s.group == group and (fmt is None or s.key in T3_ROW_KEYS[fmt]))


def _number_of(spec: LabelSpec) -> tuple[str, int]:
    """The numbering the template gives a row: ("top", 1) for 一、本年新收…, ("item", 2) for 2.其他法律…"""
    if spec.group is not None:
        return "item", group_items(spec.group).index(spec) + 1
    if spec.key in T3_TOP_ORDER:
        return "top", T3_TOP_ORDER.index(spec.key) + 1
    return "paren", T3_RESULTS_ORDER.index(spec.key) + 1


def t3_row(segments: list[str], context: str | None, fmt: str | None = None) -> T3Row:
    """The row key of one table-3 row from its label cells, given the group context before it.

    Words first (``parser.labels``); a last label whose words name nothing known is placed by its
    numbering when the template says which row that is (``numbered`` says so), and never falls
    back to the group named before it: a damaged item is not its group's subtotal."""
    return _t3_row(tuple(segments), context, fmt)


# every report writes the same ~25 row labels: each (labels, context, format) is read once
@lru_cache(maxsize=4096)
def _t3_row(segments: tuple[str, ...], context: str | None, fmt: str | None) -> T3Row:
    parts = _parts(segments)
    group, numbered = None, ""  # the last group the row names (by its words, or a damaged heading's number)
    for p in parts:
        if p.group:
            group, numbered = p.group.key, ""
        elif p is not parts[-1] and (g := _numbered_group(p)):
            group, numbered = g, f"group {g} by its heading numbered {p.ordinal[2]}"  # type: ignore[index]
    named = next((p for p in reversed(parts) if p.spec), None)
    ctx = group or context
    leaf = parts[-1] if parts else None
    if leaf is not None and leaf.unknown:
        number = None if leaf.group else leaf.ordinal  # beside a group's name, the number is the group's
        if number and named is None:
            return _by_number(leaf, ctx, fmt)
        if named is None or number:
            why = "row label not recognised" if named is None else f"{leaf.text!r} after {named.text!r}"
            return T3Row(None, ctx, why, unread=named is None and number is None)
    if named is None:
        if group in T3_GROUP_SUBTOTAL:
            return T3Row(T3_GROUP_SUBTOTAL[group], group, heading=True)
        return T3Row(None, ctx, "row label not recognised")
    item = named.spec
    if named.ordinal and named.ordinal[0] == _number_of(item)[0] and named.ordinal[1] != _number_of(item)[1]:
        return T3Row(None, ctx, f"{named.text!r} reads as {item.key} but is numbered {named.ordinal[1]}")
    if item.group is None:
        return T3Row(item.key, None)
    if numbered and group == item.group:
        return T3Row(item.key, item.group, numbered=numbered)
    # a label that names its item (不掌握, 重复申请…) is that item, and its group is now the context,
    # unless its own row puts it under another group, or another group is open and it is not the
    # first item of its own; a bare "其他" needs its group to say which
    own_group_ok = group in (None, "results", item.group)
    opens = ctx in (None, "results") or _number_of(item)[1] == 1
    if ctx == item.group or (not item.exact and own_group_ok and opens):
        return T3Row(item.key, item.group)
    return T3Row(None, ctx, f"{strip_numbering(segments[-1])!r} under group {ctx!r}")


def _numbered_group(p: _Part) -> str | None:
    """The group a damaged heading opens by its numbering (（四）无法提 -> unable), or None."""
    if not p.unknown or p.group or not p.ordinal or p.ordinal[0] == "item":
        return None
    order = T3_TOP_ORDER if p.ordinal[0] == "top" else T3_RESULTS_ORDER
    name = order[p.ordinal[1] - 1] if p.ordinal[1] <= len(order) else None
    return name if name in _GROUP_KEYS else None


def _by_number(leaf: _Part, ctx: str | None, fmt: str | None) -> T3Row:
    """A label whose words are lost, placed by its numbering where the template says which row it is."""
    kind, n, written = leaf.ordinal  # type: ignore[misc]
    if kind == "item":
        items = group_items(ctx, fmt) if ctx in T3_GROUP_SUBTOTAL else ()
        if not 1 <= n <= len(items):
            return T3Row(None, ctx, f"{leaf.text!r}: no item {n} in group {ctx!r}")
        return T3Row(items[n - 1].key, ctx, numbered=f"numbered {written} in group {ctx}")
    order = T3_TOP_ORDER if kind == "top" else T3_RESULTS_ORDER
    if not 1 <= n <= len(order):
        return T3Row(None, ctx, f"{leaf.text!r}: no row {n} in the template")
    name = order[n - 1]
    if name not in _GROUP_KEYS:
        return T3Row(name, None, numbered=f"numbered {written} in the template")
    # a group heading: it opens its group; its numbers are a row only where the template has one
    # (gb2019's （六）其他处理), never a subtotal guessed from a damaged heading
    if fmt is not None and T3_GROUP_SUBTOTAL.get(name) in T3_ROW_KEYS[fmt]:
        return T3Row(T3_GROUP_SUBTOTAL[name], name, numbered=f"numbered {written} in the template", heading=True)
    return T3Row(None, name, f"{leaf.text!r}: the heading of group {name!r} by its numbering, not a row", heading=True)


def t3_row_key(segments: list[str], context: str | None) -> tuple[str | None, str | None, str]:
    """(row key or None, the group context after this row, why not placed), by words alone: a row
    that only its numbering places is left out here (``t3_row`` places it, to be reported)."""
    row = t3_row(segments, context)
    if row.numbered:
        return None, row.context, f"{segments[-1]!r} not recognised (only {row.numbered})"
    return row.key, row.context, row.why


@dataclass
class _T3Line:
    table: Table
    i: int
    first: int
    cols: _T3Columns
    label: str
    row: T3Row

    @property
    def has_values(self) -> bool:
        return any(not is_blank(c) for c in self.table.grid[self.i][self.first:])


def _read_table3(tables: list[Table], fmt: str, reading: Reading) -> None:
    allowed = set(T3_ROW_KEYS[fmt]) | set(T3_GROUP_SUBTOTAL.values())
    lines: list[_T3Line] = []
    prev: _T3Columns | None = None
    for table in tables:
        n_header = _t3_header_rows(table)
        found = _t3_columns(table, n_header) if n_header else None
        if found:
            first, cols = found
        elif prev is not None and table.n_cols > len(prev.columns):
            # the second part of a cut table: its header is the first part's, aligned on the right
            cols, first = prev, table.n_cols - len(prev.columns)
        else:
            for row in table.grid:
                label = " / ".join(distinct(label_cells(row)))
                for c in row:
                    if parse_cell(c) is not None:
                        unplaced(reading, table, label, "", c, "table 3 without a column header")
            continue
        prev = cols
        context: str | None = None
        for i in range(n_header, table.n_rows):
            segments = [t for t in distinct(table.grid[i][:first]) if not _is_note(t)]
            row = t3_row(segments, context, fmt)
            context = row.context
            lines.append(_T3Line(table, i, first, cols, " / ".join(segments), row))
    _settle_numbered(lines, fmt)
    for ln in lines:
        key, why = ln.row.key, ln.row.why
        if key is not None and key not in allowed:
            key, why = None, f"row {key} is not part of {fmt}"
        cells: list[CellReading] = []
        for k, col in enumerate(ln.cols.columns):
            text = ln.table.grid[ln.i][ln.first + k] if ln.first + k < len(ln.table.grid[ln.i]) else ""
            if is_blank(text):
                continue
            full_key = f"applications.{key}.{col[0]}" if key and col else None
            cells.append(CellReading(full_key, col[1] if col else "", text, parse_cell(text),
                                     why or ("" if col else "column label not recognised"), ln.first + k))
        if key is not None and ln.row.numbered and cells:
            reading.findings.append(Finding(
                "table.label_by_position", "warning",
                f"table {ln.table.index}: row {ln.label!r} read as {key} ({ln.row.numbered}): its words are not the template's",
                {"table": ln.table.index, "row": ln.label, "key": f"applications.{key}"}))
        place_row(reading, ln.table, ln.i, ln.label, cells)


def _settle_numbered(lines: list[_T3Line], fmt: str) -> None:
    """Check each row placed by its numbering against the rows around it, and place an unnumbered
    row whose words are lost by its position: between items k-1 and k+1 of its group (or after
    item k-1 when k is the group's last and the group ends) it is item k. Anything less certain
    stays unplaced."""
    claims: dict[str, list[int]] = {}
    for n, ln in enumerate(lines):
        if ln.row.key and not ln.row.numbered and ln.has_values:
            claims.setdefault(ln.row.key, []).append(n)
    by_words = {key: ns[0] for key, ns in claims.items()}
    for key, ns in claims.items():
        if len(ns) > 1:  # a damaged label that reads as its sibling: which row is which is not certain
            for n in ns:
                lines[n].row = T3Row(None, lines[n].row.context, f"{len(ns)} rows read as {key}")
    for n, ln in enumerate(lines):
        row = ln.row
        if row.numbered:
            why = _numbering_conflict(lines, n, by_words)
            if why:
                ln.row = T3Row(None, row.context, why)
        elif row.unread and row.context in T3_GROUP_SUBTOTAL:
            k = _position_in_group(lines, n, row.context, fmt)
            if k is not None:
                key = group_items(row.context, fmt)[k - 1].key
                ln.row = T3Row(key, row.context, numbered=f"item {k} of group {row.context} by its position")


def _numbering_conflict(lines: list[_T3Line], n: int, by_words: dict[str, int]) -> str:
    """Why a row placed by its numbering cannot be that row: another row's words name it, or the
    items of its group named by their words stand in another order around it."""
    key, group = lines[n].row.key, lines[n].row.context
    if key in by_words:
        return f"its numbering says {key}, but row {lines[by_words[key]].label!r} is {key}"
    order = [s.key for s in group_items(group)] if group in T3_GROUP_SUBTOTAL else []
    if key not in order:
        return ""
    for m, other in enumerate(lines):
        k = other.row.key
        if k in order and not other.row.numbered and (order.index(k) < order.index(key)) != (m < n):
            return f"its numbering says {key}, out of order with row {other.label!r} ({k})"
    return ""


_UNSURE = -1


def _item_number(ln: _T3Line, group: str) -> int | None:
    """The row's item number in ``group`` by its words (0: the group's heading), _UNSURE for a row
    in the group whose words do not say which, None for a row outside the group."""
    row = ln.row
    if row.key is not None and row.key.startswith(f"{group}.") and not row.numbered:
        return [s.key for s in group_items(group)].index(row.key) + 1
    if row.heading and row.context == group:
        return 0
    if row.context == group or (row.key or "").startswith(f"{group}."):
        return _UNSURE
    return None


def _position_in_group(lines: list[_T3Line], n: int, group: str, fmt: str) -> int | None:
    here = lines[n]
    prev = lines[n - 1] if n > 0 and lines[n - 1].table is here.table else None
    nxt = lines[n + 1] if n + 1 < len(lines) and lines[n + 1].table is here.table else None
    if prev is None or nxt is None:
        return None  # the first or last row of a table (a cut table): nothing to tell by
    before, after = _item_number(prev, group), _item_number(nxt, group)
    if _UNSURE in (before, after) or after == 0:
        return None
    count = len(group_items(group, fmt))
    k = (before or 0) + 1  # the row before is outside the group: this row's own cells opened it
    if after is None:
        after = count + 1  # the row after is outside the group: the group ends here
    return k if after == k + 1 and k <= count else None


# --- table 4 ------------------------------------------------------------------------------------

def _t4_column(path: list[str], row_group: str | None) -> str | None:
    """review.upheld, litigation_direct.total… from a column's header path (the group may be the row's
    label instead, in a table drawn the other way round), or None."""
    group = None
    for seg in path:
        g = match_spec(norm_label(seg), T4_GROUPS)
        group = g.key if g else group
    leaf = match_spec(norm_label(path[-1]), T4_LEAVES) if path else None
    group = group or row_group
    return f"{group}.{leaf.key}" if group and leaf else None


def _read_table4(tables: list[Table], reading: Reading) -> None:
    for table in tables:
        data_rows = [i for i, r in enumerate(table.grid) if any(parse_cell(c) is not None for c in r)]
        if not data_rows:
            continue
        n_header = data_rows[0]
        for i in data_rows:
            row = table.grid[i]
            labels = distinct(label_cells(row))
            groups = [g.key for t in labels if (g := match_spec(norm_label(t), T4_GROUPS))]
            row_group = groups[-1] if groups else None
            # a row without a group of its own is the one data row; a second such row cannot be placed
            second = row_group is None and i != data_rows[0]
            cells: list[CellReading] = []
            for j, text in enumerate(row):
                value = parse_cell(text)
                if value is None:
                    continue
                path = distinct([r[j] for r in table.grid[:n_header] if j < len(r)])
                key = None if second else _t4_column(path, row_group)
                why = "" if key else ("a second data row" if second else "column label not recognised")
                cells.append(CellReading(key, " / ".join(path), text, value, why, j))
            place_row(reading, table, i, " / ".join(labels), cells)
