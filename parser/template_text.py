"""Template tables written as text: the fallback when a Document has no template-table grids.

Real pages and text copies carry tables 2, 3 and 4 as text in many shapes: a row a line with cells
joined by ``|`` or a tab, one cell a line (blank lines between, or each line ending in `` |``),
cells split at runs of spaces, headers split over lines ("本年新" / "制作数量", "商业" / "企业") or
cut short ("现行有效件"), a group label split ("（三）" / "不予公开"), the text cut mid-table.
``read_text_tables(text, fmt)`` reads the cell stream of ``parser.text_grid`` and rebuilds the
rows from the template: a header is matched against the template's columns in order
(``parser.template_text_layout``), a row is its label cells (``parser.labels``) followed by its
value cells up to the next label. A value is taken only where the count and order of the cells
leave no doubt: as many cells as columns (the last one perhaps cut by the text's end, and then
not read), or fewer between explicit delimiters (a blank shows as an empty cell there; one cell a
line, a blank leaves no trace). Digits glued or split by a space are never read. Every value
gets ``Evidence(where="text")`` with its line(s) as snippet, its row and its column; a row that
cannot be placed is a ``table.unplaced`` finding. Reads no settings.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .labels import (
    T2_COLUMNS, T2_ITEMS, T2_KEYS, T2_UNITS, T3_COL_KEYS, T3_COLUMNS, T3_GROUP_SUBTOTAL, T3_GROUPS,
    T3_NOTE_PHRASES, T3_ROW_KEYS, T3_ROWS, T4_GROUP_KEYS, T4_GROUPS, T4_LEAF_KEYS, T4_LEAVES, LabelSpec,
    match_spec, norm_label,
)
from .record import Evidence, Finding, Reading
from .template_cells import MAX_LABEL_LEN, convert_money, put_metric, unit_of
from .template_text_layout import (
    T2_BLOCK_COLUMNS, T2_COLUMN_NAMES, T2_HEADER_START, T3_COLUMN_ORG, T3_HEADER_WORDS, T3_TEMPLATE_WORDS,
    T4_HEADER_WORDS, T4_TEMPLATE_WORDS,
)
from .text_grid import TextCell, text_cells

__all__ = ["read_text_tables"]

_T3_TOP = tuple(s for s in T3_ROWS if s.group is None)
_T3_IN_GROUP_LOOSE = tuple(s for s in T3_ROWS if s.group is not None and not s.exact)
_SNIPPET = 300
_MAX_HEADER_FRAGMENTS = 24  # a table-2 header has at most three columns, each in a few pieces
_RULES = next(s for s in T2_ITEMS if s.key == "rules")
_RULES_BLOCK = ("issued", "repealed", "in_force")  # gb2021's 规章 / 行政规范性文件 columns
_LONE_T3 = "t3-lone"  # a table-3 row's label seen with no table open (its values may follow)
_T4_LITIGATION = "行政诉讼"  # the heading over both litigation groups
_BRACKET = re.compile(r"[（(]")
_LONE_DIGIT = re.compile(r"^[1-9]$")  # how a numbered row label (1.属于国家秘密) begins
# a number with a note after it, "13000000(预算": a value cell, not a label, even when cut
_NOTED_NUMBER = re.compile(r"^[+\-]?[0-9０-９][0-9０-９,，.．]*\s*(?:万元|元)?\s*[（(]")


@dataclass(frozen=True, slots=True)
class _Column:
    key: str | None  # None: a column the template does not have (its cells are findings, never metrics)
    label: str  # as written
    unit: str | None = None


@dataclass
class _Row:
    labels: list[TextCell]
    cells: list[TextCell] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join(c.text for c in self.labels)


def _norm(cell: TextCell) -> str:
    return norm_label(cell.text)


def _is_note(cell: TextCell) -> bool:
    return any(n in _norm(cell) for n in T3_NOTE_PHRASES)


# --- headers --------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _fits(group: str, key: str) -> bool:
    """A header group can be column ``key``: its name, whole or cut short ("现行有效件", "本年新"),
    or followed by a note or unit in brackets ("上一年项目数量（指2018年事项数）", "本年收费金额（单位：万元）")."""
    text = norm_label(group)
    if len(text) < 2:
        return False
    if any(name.startswith(text) for name in T2_COLUMN_NAMES[key]):
        return True
    phrases = T2_COLUMN_NAMES[key] + next(s.phrases for s in T2_COLUMNS if s.key == key)
    return bool(_BRACKET.search(group)) and any(text.startswith(p) for p in phrases)


def _partitions(frags: list[str], keys: tuple[str, ...], limit: int = 2) -> list[list[str]]:
    """The ways (up to ``limit``) to cut the header fragments, in order, into one group per column."""
    found: list[list[str]] = []

    def walk(i: int, k: int, groups: list[str]) -> None:
        if len(found) >= limit:
            return
        if k == len(keys):
            if i == len(frags):
                found.append(list(groups))
            return
        for j in range(i + 1, len(frags) - (len(keys) - k - 1) + 1):
            group = " ".join(frags[i:j])
            if _fits(group, keys[k]):
                walk(j, k + 1, groups + [group])

    walk(0, 0, [])
    return found


_COLUMN_TITLE = re.compile(r"(?:数量|件数|数|金额)$")


def _t2_columns(header: list[TextCell], fmt: str) -> list[_Column] | None:
    """The columns of a table-2 header: the one template block its fragments fit in a single way
    (the report's template's blocks, else the other template's); else, when every header cell
    names a column of its own, those."""
    frags = [piece for c in header for piece in c.text.split() if norm_label(piece) not in ("", T2_HEADER_START)]
    if len(frags) > _MAX_HEADER_FRAGMENTS:
        return None  # labels run on under 信息内容 with no row: no table header
    # the report's own template first; a 2021 report may still draw the 2019 table (本年新制作数量…)
    for f in [fmt] + [f for f in T2_BLOCK_COLUMNS if f != fmt]:
        fits = [(keys, ways[0]) for keys in T2_BLOCK_COLUMNS[f] if len(ways := _partitions(frags, keys)) == 1]
        if len(fits) == 1:
            keys, groups = fits[0]
            return [_Column(k, g, unit_of(g)) for k, g in zip(keys, groups)]
    cells = [c for c in header if _norm(c) not in ("", T2_HEADER_START)]
    specs = [match_spec(_norm(c), T2_COLUMNS) for c in cells]
    named = [s for s in specs if s]
    if not cells or len({s.key for s in named}) != len(named):
        return None
    # one column after a named one that the template lacks ("上一年项目数量 | 本年数量 | 处理决定数量"): it
    # keeps the others' places, and its cells are read into no key
    odd = [i for i, s in enumerate(specs) if s is None]
    if odd and not (len(odd) == 1 and odd[0] > 0 and _COLUMN_TITLE.search(_norm(cells[odd[0]]))):
        return None
    return [_Column(s.key if s else None, c.text, unit_of(c.text)) for s, c in zip(specs, cells)]


def _t3_columns(header: list[TextCell]) -> list[str] | None:
    """The seven applicant columns left to right: a header line naming all seven in its own order,
    or the template's order when the header (its words joined) shows every template column."""
    cells = [c for c in header if not _is_note(c)]
    for line in sorted({c.line for c in cells}):
        keys = [s.key for c in cells if c.line == line and (s := match_spec(_norm(c), T3_COLUMNS))]
        if len(keys) == len(T3_COL_KEYS) and sorted(keys) == sorted(T3_COL_KEYS):
            return keys
    words = "".join(_norm(c) for c in cells)
    for org in T3_COLUMN_ORG:
        words = words.replace(org, "")
    if all(any(w in words for w in ws) for ws in T3_TEMPLATE_WORDS.values()):
        return list(T3_COL_KEYS)
    return None


@dataclass(frozen=True, slots=True)
class _T4Plan:
    keys: tuple[str, ...]  # the wide template row: review.upheld … litigation_after_review.total
    leaves: tuple[str, ...] = ()  # a table drawn the other way round: one row per group, these columns


def _vertical_words(header: list[TextCell]) -> list[str]:
    """The words a header writes down its columns, a character a line ("结 结 其 尚" / "果 果 他 未" /
    "维 纠 结 审" / "持 正 果 结": 结果维持, 结果纠正, 其他结果, 尚未审结), read from the lines that hold only
    single characters, taken together by how many they hold."""
    by_line: dict[int, list[str]] = {}
    for c in header:
        by_line.setdefault(c.line, []).extend(c.text.split())
    rows: dict[int, list[list[str]]] = {}
    for line in sorted(by_line):
        tokens = by_line[line]
        if len(tokens) > 1 and all(len(t) == 1 for t in tokens):
            rows.setdefault(len(tokens), []).append(tokens)
    return ["".join(r[i] for r in group) for n, group in rows.items() if len(group) > 1 for i in range(n)]


def _t4_plan(header: list[TextCell]) -> tuple[_T4Plan | None, list[TextCell]]:
    """(how to read the values under a table-4 header, the labels that open the first row)."""
    texts = [_norm(c) for c in header] + _vertical_words(header)
    shown = {i for t in texts for i, forms in enumerate(T4_TEMPLATE_WORDS) if any(w in t for w in forms)}
    if len(shown) == len(T4_TEMPLATE_WORDS):
        return _T4Plan(tuple(f"{g}.{leaf}" for g in T4_GROUP_KEYS for leaf in T4_LEAF_KEYS)), []
    # one row per group: the header names the five results, the first group label follows them
    first = len(header)
    while first > 0 and match_spec(_norm(header[first - 1]), T4_GROUPS):
        first -= 1
    leaves = [s.key for c in header[:first] if (s := match_spec(_norm(c), T4_LEAVES))]
    if first < len(header) and len(leaves) == len(T4_LEAF_KEYS) == len(set(leaves)):
        return _T4Plan((), tuple(leaves)), header[first:]
    return None, []


def _strip_closing_blanks(cells: list[TextCell]) -> list[TextCell]:
    """Without the empty cells that close a row (or stand for merged cells) between delimiters."""
    cells = list(cells)
    while cells and cells[-1].kind == "blank" and cells[-1].delimited:
        cells.pop()
    return cells


@dataclass(frozen=True, slots=True)
class _Fit:
    placed: list[tuple[int, TextCell]]  # (column index, cell)
    why: str  # why the row cannot be placed, or ""
    whole: bool  # every column's cell is there


def _values(placed: list[tuple[int, TextCell]]) -> list[tuple[int, int | float]]:
    return [(j, c.value) for j, c in placed if c.value is not None]


def _starts_next_row(cut: TextCell, before: list[TextCell], start: int | None) -> bool:
    """The cell the text's end cut may be the start of the next row's label: a label ("行政" of
    行政强制; not a number with a note, "13000000(预算"), a lone digit on a line of its own ("7" of
    7.属于行政执法案卷), anything on a new line after a row written on one line."""
    if cut.kind == "label":
        return not _NOTED_NUMBER.match(cut.text)
    lines = {c.line for c in before} | ({start} if start is not None else set())
    if not lines or cut.line <= max(lines):
        return False
    return len(lines) == 1 or bool(_LONE_DIGIT.match(cut.text))


def _fit_row(cells: list[TextCell], n: int, start: int | None = None) -> _Fit:
    """Where a row's value cells go among ``n`` columns, if the count and the delimiters say so.

    Between delimiters an empty cell shows, so fewer cells than columns are the first ones; one
    cell a line or cells split at spaces lose empty cells without a trace (a real copy writes a row
    of three blanks as nothing at all), so there every column's cell must be there, the last one
    perhaps cut by the text's end (and then not read: "12" may be "125")."""
    cells = _strip_closing_blanks(cells)
    cut = cells[-1] if cells and not cells[-1].complete else None
    if cut is not None and _starts_next_row(cut, cells[:-1], start):
        cells, cut = _strip_closing_blanks(cells[:-1]), None
    if len(cells) > n:
        return _Fit([], f"{len(cells)} cells for {n} columns", False)
    if cut is not None:
        cells = cells[:-1]
    if any(c.kind == "junk" and not c.delimited for c in cells):
        return _Fit([], "digits split by a space: the cells cannot be counted", False)
    placed = list(enumerate(cells))
    if cut is None and len(cells) == n:
        return _Fit(placed, "", True)
    if all(c.delimited for c in cells):
        return _Fit(placed, "", False)
    if cut is not None and len(cells) + 1 == n:
        return _Fit(placed, "", False)
    return _Fit([], f"{len(cells)} cells for {n} columns: a blank cell may have vanished, or digits are glued", False)


# --- the reader -----------------------------------------------------------------------------------

class _TextReader:
    def __init__(self, fmt: str, lines: list[str]):
        self.fmt, self.lines, self.reading = fmt, lines, Reading()
        self.mode: str | None = None  # the table whose rows are being read: t2, t3, t4
        self.header: list[TextCell] | None = None  # a header being collected
        self.header_kind: str | None = None
        self.held: list[TextCell] = []  # empty cells after a header, before its first value
        self.pending: list[TextCell] = []  # labels since the last value
        self.row: _Row | None = None
        self.t2_cols: list[_Column] | None = None
        self.t2_rows = 0  # rows read under the table-2 header
        self.t2_unlabelled: tuple[_Row, bool] | None = None  # a first row without a label, held
        self.t3_cols: list[str] | None = None
        self.t4: _T4Plan | None = None
        self.context: str | None = None  # table 3's open group (不予公开…)

    # -- the stream

    def feed(self, cell: TextCell) -> None:
        if cell.kind == "label":
            self._label(cell)
        else:
            self._value(cell)

    def finish(self) -> None:
        self._close_row(at_end=True)
        if self.t2_unlabelled is not None:
            self._unplaced(self.t2_unlabelled[0], "no table-2 item in its label")

    def _trigger(self, cell: TextCell) -> str | None:
        text = _norm(cell)
        if self.mode == "t4" and self.t4 is not None and self.t4.leaves and (
                match_spec(text, T4_GROUPS) or _T4_LITIGATION in text):
            return None  # a table drawn one row per group: the group labels are its rows
        if any(w in text for w in T4_HEADER_WORDS):
            return "t4"
        if any(w in text for w in T3_HEADER_WORDS):
            return "t3"
        for piece in cell.text.split():  # a header on one line split at single spaces is one cell
            part = norm_label(piece)
            if part == T2_HEADER_START or (self.mode != "t3" and len(part) <= 20 and match_spec(part, T2_COLUMNS)):
                return "t2"
        return None

    def _ends_header(self, cell: TextCell) -> bool:
        """A row label under the header being collected (the header is complete)."""
        text = _norm(cell)
        if self.header_kind == "t2":
            return match_spec(text, T2_ITEMS) is not None
        if self.header_kind == "t3":
            # 总计 and 其他 are columns too: only a row that is no column word ends the header
            row = match_spec(text, _T3_TOP) or match_spec(text, T3_GROUPS) or match_spec(text, _T3_IN_GROUP_LOOSE)
            return row is not None and match_spec(text, T3_COLUMNS) is None
        return False

    def _label(self, cell: TextCell) -> None:
        if not cell.complete and self.row is not None:
            # the text stops inside this cell: the next row's label ("行政") or this row's last cell
            # with a note ("13000000(预算"); _fit_row tells which
            self.row.cells.append(cell)
            self._close_row(at_end=True)
            return
        if len(cell.text) > MAX_LABEL_LEN:  # prose: whatever table was open has ended
            self._close_row()
            self.header = self.mode = None
            self.pending = []
            return
        kind = self._trigger(cell)
        if self.header is not None:
            if self._ends_header(cell):
                self._end_header()
            elif kind in (None, self.header_kind):
                self.header.append(cell)
                self.held = []
                return
        if kind is not None:
            self._close_row()
            self.header, self.header_kind, self.held, self.pending = [cell], kind, [], []
            return
        if self.mode is None or self.mode == _LONE_T3:
            self._close_row()
            # a table-3 row's label with no table open: its values may follow on its line (_lone_t3_row)
            lone = match_spec(_norm(cell), _T3_TOP) is not None
            self.mode, self.pending = (_LONE_T3, [cell]) if lone else (None, [])
            return
        self._close_row()
        self.pending.append(cell)

    def _value(self, cell: TextCell) -> None:
        if self.header is not None:
            if cell.kind == "blank":
                self.held.append(cell)
                return
            self._end_header()
            # empty cells before the first value: the row's first cells, or placeholders closing the
            # header's lines (those on another line are either: the row is read both ways)
            held = [c if c.line == cell.line else dataclasses.replace(c, doubtful=True) for c in self.held]
            self.held = []
            self.row, self.pending = _Row(self.pending, held), []
        if self.mode is None:
            return
        if self.pending:
            self._close_row()
            self.row, self.pending = _Row(self.pending), []
        if self.row is None:
            self.row = _Row([])
        self.row.cells.append(cell)

    def _end_header(self) -> None:
        header, kind = self.header or [], self.header_kind
        self.header, self.mode, self.context = None, kind, None
        if kind == "t2":
            self.t2_cols = _t2_columns(header, self.fmt)
            if self.t2_unlabelled is not None:
                self._unplaced(self.t2_unlabelled[0], "no table-2 item in its label")
            self.t2_rows, self.t2_unlabelled = 0, None
        elif kind == "t3":
            self.t3_cols = _t3_columns(header)
        else:
            self.t4, self.pending = _t4_plan(header)

    # -- rows

    def _close_row(self, at_end: bool = False) -> None:
        row, self.row = self.row, None
        if row is None:
            return
        if self.mode == "t2":
            self._t2_row(row, at_end)
        elif self.mode == "t3":
            self._t3_row(row, at_end)
        elif self.mode == "t4":
            self._t4_row(row, at_end)
        elif self.mode == _LONE_T3:
            self.mode = None
            self._lone_t3_row(row)

    def _lone_t3_row(self, row: _Row) -> None:
        """A table-3 row with no header above it (a page of a flipbook that starts inside the table):
        read only when its label is a table-3 row's and it holds all seven values on its line, which
        then stand in the template's column order (自然人 … 其他, 总计) in both templates."""
        key, label, _ = self._t3_key(row)
        if key is None or key not in set(T3_ROW_KEYS[self.fmt]) | set(T3_GROUP_SUBTOTAL.values()):
            return
        cells = row.cells
        if len(cells) != len(T3_COL_KEYS) or len({c.line for c in cells}) != 1 \
                or any(c.value is None or c.doubtful for c in cells):
            return
        for col, cell in zip(T3_COL_KEYS, cells):
            put_metric(self.reading, f"applications.{key}.{col}", cell.value,
                       Evidence(where="text", snippet=self._snippet(row, cell), row=label, column=col))

    def _place(self, row: _Row, n: int, at_end: bool) -> list[tuple[int, TextCell]] | None:
        """(column index, cell) for every cell whose place is certain; None (and a finding) when none is.

        A doubtful cell (a pipe opening a line, "| 5 | 2 |" or " | 1 | 2"; a line of spaces) may be an
        empty cell or none: the row is read both ways, and kept only where both agree or one of them
        fits exactly (the one with the empty cells not in a row at the text's end, whose last cell
        may be cut off)."""
        start = row.labels[-1].line if row.labels else None
        fit = _fit_row(row.cells, n, start)
        if any(c.doubtful for c in row.cells):
            value_lines = {c.line for c in row.cells}
            if at_end and len(value_lines) == 1 and max(value_lines) < len(self.lines) - 1:
                at_end = False  # a row on one line, and a line break after it: the row is whole
            other = _fit_row([c for c in row.cells if not c.doubtful], n, start)
            if not fit.why and not other.why and _values(fit.placed) == _values(other.placed):
                pass
            elif other.whole and not fit.whole:
                fit = other  # a row has no more cells than columns: the doubtful ones were none
            elif fit.whole and not other.whole and not at_end:
                pass
            else:
                fit = _Fit([], "a pipe opening a line or a line of spaces may be an empty cell or none", False)
        if fit.why:
            self._unplaced(row, fit.why)
            return None
        return fit.placed

    def _snippet(self, row: _Row, cell: TextCell) -> str:
        first = row.labels[0].line if row.labels else (row.cells[0].line if row.cells else cell.line)
        lines = [ln.strip() for ln in self.lines[first:cell.line + 1] if ln.strip()]
        return "\n".join(lines)[:_SNIPPET]

    def _row_text(self, row: _Row) -> str:
        first = min([c.line for c in row.labels + row.cells], default=0)
        last = max([c.line for c in row.labels + row.cells], default=0)
        return " ".join(ln.strip() for ln in self.lines[first:last + 1] if ln.strip())[:_SNIPPET]

    def _unplaced(self, row: _Row, why: str) -> None:
        text = self._row_text(row)
        self.reading.findings.append(Finding(
            "table.unplaced", "warning", f"text row {text[:80]!r} not placed: {why}", {"text": text}))

    @staticmethod
    def _has_values(row: _Row) -> bool:
        return any(c.kind in ("value", "junk") for c in row.cells)

    @staticmethod
    def _item(row: _Row, specs: tuple[LabelSpec, ...]) -> tuple[LabelSpec | None, str, list[TextCell]]:
        """(the row's item, its label as written, the label cells after it that are no part of it).

        The label is the last label cell, or more of them joined (a label split over lines); cells
        between delimiters after a label that names the item alone ("政府集中采购 | 阎良区公务用车10辆 |
        1530000元") stand where values belong."""
        line = [c for c in row.labels if c.delimited and row.cells and c.line == row.cells[0].line]
        if len(line) > 1 and (spec := match_spec(_norm(line[0]), specs)):
            return spec, line[0].text, line[1:]
        for k in range(1, len(row.labels) + 1):
            window = row.labels[-k:]
            spec = match_spec(norm_label("".join(c.text for c in window)), specs)
            if spec:
                if k > 1 and match_spec(_norm(window[0]), specs) == spec and all(c.delimited for c in window[1:]):
                    return spec, window[0].text, window[1:]
                return spec, " ".join(c.text for c in window), []
        return None, row.label, []

    def _t2_row(self, row: _Row, at_end: bool) -> None:
        if not self._has_values(row):
            return
        item, label, texts = self._item(row, T2_ITEMS)
        held, self.t2_unlabelled = self.t2_unlabelled, None
        if held is not None:
            if item is not None and item.key == "normative_docs":
                self._t2_values(*held, _RULES, "(规章: the unlabelled row before 行政规范性文件)")
            else:
                self._unplaced(held[0], "no table-2 item in its label")
        self.t2_rows += 1
        if item is None:
            if self.t2_rows == 1 and not row.labels and self.t2_cols is not None \
                    and [c.key for c in self.t2_cols] == list(_RULES_BLOCK):
                # the first row of the template's 规章/行政规范性文件 block with its label lost: 规章 when
                # 行政规范性文件 follows it (the template's order), else a finding
                self.t2_unlabelled = (row, at_end)
                return
            return self._unplaced(row, "no table-2 item in its label")
        if texts:
            return self._unplaced(row, f"text where a number belongs: {texts[0].text!r}")
        if self.t2_cols is None:
            return self._unplaced(row, "no template header above the row")
        self._t2_values(row, at_end, item, label)

    def _t2_values(self, row: _Row, at_end: bool, item: LabelSpec, label: str) -> None:
        assert self.t2_cols is not None
        for j, cell in self._place(row, len(self.t2_cols), at_end) or ():
            if cell.value is None:
                continue
            col = self.t2_cols[j]
            if col.key is None:
                self._unplaced(_Row(row.labels, [cell]), f"column {col.label!r} is not a template column")
                continue
            pair = (item.key, col.key)
            # the key the column names, in the report's template or (a table drawn as the other) in that one
            key = T2_KEYS[self.fmt].get(pair) or next((k[pair] for k in T2_KEYS.values() if pair in k), None)
            if key is None:
                self._unplaced(_Row(row.labels, [cell]), f"{item.key} has no column {col.key}")
                continue
            value = convert_money(cell.text, cell.value, T2_UNITS[key], col.unit) if key in T2_UNITS else cell.value
            put_metric(self.reading, key, value, Evidence(where="text", snippet=self._snippet(row, cell),
                                                          row=label, column=col.label))

    def _t3_key(self, row: _Row) -> tuple[str | None, str, str]:
        from .templates import t3_row_key  # the same row labels and group context as the grid reader

        segments = [c for c in row.labels if not _is_note(c)]
        context = self.context
        key, why = None, "no row label"
        for k in range(1, len(segments) + 1):
            key, context, why = t3_row_key(["".join(c.text for c in segments[-k:])], self.context)
            if key is not None:
                self.context = context
                return key, " ".join(c.text for c in segments[-k:]), ""
        if segments:  # a group heading alone still opens its group
            _, self.context, _ = t3_row_key([c.text for c in segments], self.context)
        return None, row.label, why

    def _t3_row(self, row: _Row, at_end: bool) -> None:
        key, label, why = self._t3_key(row)
        if not self._has_values(row):
            return
        if key is None:
            return self._unplaced(row, why or "row label not recognised")
        if key not in set(T3_ROW_KEYS[self.fmt]) | set(T3_GROUP_SUBTOTAL.values()):
            return self._unplaced(row, f"row {key} is not part of {self.fmt}")
        if self.t3_cols is None:
            return self._unplaced(row, "no template header (the seven applicant columns) above the row")
        for j, cell in self._place(row, len(self.t3_cols), at_end) or ():
            if cell.value is not None:
                col = self.t3_cols[j]
                put_metric(self.reading, f"applications.{key}.{col}", cell.value,
                           Evidence(where="text", snippet=self._snippet(row, cell), row=label, column=col))

    def _t4_row(self, row: _Row, at_end: bool) -> None:
        if not self._has_values(row):
            return
        plan = self.t4
        if plan is None:
            return self._unplaced(row, "not under the template's table-4 header")
        if plan.keys:
            self.mode = None  # the wide table has one data row
            keys, group_label = list(plan.keys), ""
        else:
            group, group_label, _ = self._item(row, T4_GROUPS)
            if group is None:
                return self._unplaced(row, "no review or litigation group in its label")
            keys = [f"{group.key}.{leaf}" for leaf in plan.leaves]
        for j, cell in self._place(row, len(keys), at_end) or ():
            if cell.value is not None:
                group, leaf = keys[j].split(".")
                put_metric(self.reading, keys[j], cell.value,
                           Evidence(where="text", snippet=self._snippet(row, cell), row=group_label or group, column=leaf))


def read_text_tables(text: str, fmt: str) -> Reading:
    """The template metrics that tables written as text allow, with their lines as evidence."""
    reader = _TextReader(fmt, text.split("\n"))
    for cell in text_cells(text):
        reader.feed(cell)
    reader.finish()
    return reader.reading
