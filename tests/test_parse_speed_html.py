"""The HTML reader's fast paths give what their plain definitions give: a table's grid (spans
expanded slot by slot into a dict, every cell walked), whitespace folding (always the regex), on
the replica's pages, the test pages and crafted spans."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from parser.extract import html_tables
from parser.extract.cjk import _SPACE_RUN, fold_lines, fold_spaces, is_cjk
from parser.extract.html import _PARSER
from parser.extract.html_tables import _MAX_COLSPAN, _collect, table_grid, table_rows

DATA = Path(__file__).parent / "data"


def _plain_span(cell, attr: str, limit: int) -> int:
    written = cell.get(attr)
    if written is None:
        return 1
    try:
        value = int(str(written).strip().rstrip(";") or 1)
    except ValueError:
        return 1
    if value <= 0:
        return limit if attr == "rowspan" else 1
    return min(value, limit)


def _plain_cell_text(cell) -> str:
    parts: list[str] = [cell.text] if cell.text else []
    _collect(cell, parts)
    return _plain_fold_lines("".join(parts).splitlines())


def _plain_fold_spaces(text: str) -> str:
    return _SPACE_RUN.sub(" ", text).strip()


def _plain_fold_lines(parts: list[str]) -> str:
    pieces = [p for p in map(_plain_fold_spaces, parts) if p]
    out = pieces[:1]
    for prev, piece in zip(pieces, pieces[1:]):
        if not (is_cjk(prev[-1]) and is_cjk(piece[0])):
            out.append(" ")
        out.append(piece)
    return "".join(out)


def _plain_table_grid(table) -> list[list[str]]:
    """Every slot a (row, column) key of a dict; the first cell to reach a slot keeps it."""
    rows = table_rows(table)
    slots: dict[tuple[int, int], str] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in slots:
                c += 1
            text = _plain_cell_text(cell)
            rs = _plain_span(cell, "rowspan", len(rows) - r)
            cs = _plain_span(cell, "colspan", _MAX_COLSPAN)
            for i in range(rs):
                for j in range(cs):
                    slots.setdefault((r + i, c + j), text)
            c += cs
            width = max(width, c)
    grid = [[slots.get((r, c), "") for c in range(width)] for r in range(len(rows))]
    return html_tables._drop_empty(grid)


_CRAFTED = [
    # spans overlapping, clamped, zero, typed wrong; cells starting past a rowspan's slots
    "<tr><td rowspan=3>a</td><td colspan=2>b</td></tr><tr><td>c</td><td rowspan=2 colspan=2>d</td></tr>"
    "<tr><td>e</td><td>f</td></tr>",
    "<tr><td colspan=3>x</td></tr><tr><td rowspan=0>y</td><td colspan=0>z</td><td>w</td></tr><tr><td>v</td></tr>",
    "<tr><td rowspan='2;'>1</td><td colspan=' 2 '>2</td><td colspan=abc>3</td></tr><tr><td colspan=500>4</td></tr>",
    "<tr><td rowspan=5>long</td><td>a</td></tr><tr><td>b</td></tr>",
    "<tr><td></td><td rowspan=2></td><td>x</td></tr><tr><td>y</td><td>z</td></tr>",
    "<tr><th>h</th><TD>u</TD><!-- c --><td>t</td></tr><tr><td colspan=2 rowspan=2>m</td><td>n</td></tr><tr><td>o</td></tr>",
    # text under blocks and inline elements, skipped elements, nested tables, spaces of every kind
    "<tr><td><p>本年新</p><p>制作数量</p></td><td>total<br>12</td><td><span>\u3000a\xa0 b</span>c<script>x</script>d</td></tr>"
    "<tr><td>\u200b</td><td> 0 </td><td><table><tr><td>in</td></tr></table>out</td></tr>",
    "<thead><tr><td>1</td></tr></thead><tbody><tr><td>2</td><td>3</td></tr></tbody><tfoot><tr><td>4</td></tr></tfoot>",
]


def _tables_of(html: str | bytes) -> list:
    root = etree.fromstring(html, _PARSER)
    return list(root.iter("table")) if root is not None else []


def _pages() -> list[bytes | str]:
    from replica import ReplicaServer

    pages: list[bytes | str] = [f"<html><body><table>{t}</table></body></html>" for t in _CRAFTED]
    pages += [p.read_bytes() for p in sorted(DATA.rglob("*.htm*"))]
    rep = ReplicaServer(seed=0, delays=0, throttle=False)
    for truth in rep.truth.reports:
        res = rep.resource(*_host_path(truth.page_url)) if truth.page_url else None
        if res is not None and "html" in res.content_type:
            pages.append(res.body)
    return pages


def _host_path(url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.hostname or "", parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def tables() -> list:
    found = [t for page in _pages() for t in _tables_of(page)]
    assert len(found) > 200
    return found


def test_table_grid_is_its_slot_by_slot_definition(tables):
    spanned = 0
    for table in tables:
        assert table_grid(table) == _plain_table_grid(table), etree.tostring(table, encoding=str)[:300]
        spanned += any(c.get("rowspan") or c.get("colspan") for c in table.iter("td", "th"))
    assert spanned > 50  # the merged cells were tried, not only plain rows


def test_cell_texts_fold_as_their_definition_does(tables):
    cells = [c for t in tables for tr in table_rows(t) for c in tr if isinstance(c.tag, str)]
    assert len(cells) > 5000
    for cell in cells:
        assert html_tables.cell_text(cell) == _plain_cell_text(cell)


def test_fold_spaces_and_fold_lines_skip_only_text_without_a_blank():
    blanks = [" ", "\t", "\n", "\r", "\f", "\v", "\xa0", "\u3000", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff",
              "\x85", "\u2028", "\u2029", "\x1c", "\u1680", "\u202f", "\u205f"]
    texts = ["", "0", "本年新收政府信息公开申请数量", "（一）", "a b", "12.5万元", "——"]
    texts += [f"{a}{b}{c}" for b in blanks for a in ("", "数", "x") for c in ("", "量", "1")]
    texts += [f"本年{b}{b}新收" for b in blanks]
    for text in texts:
        assert fold_spaces(text) == _plain_fold_spaces(text), repr(text)
        assert fold_lines(text) == _plain_fold_lines(text.splitlines()), repr(text)


def test_blanks_cut_by_str_split_are_those_the_whitespace_regexes_fold():
    """Visible lengths, squeezed texts and folded labels use ``str.split``; their definitions, regexes."""
    import re
    import sys

    from parser.extract.html_content import _non_blank_length
    from parser.fulltext import _squeeze
    from parser.template_cells import clean_text

    every_blank = "".join(chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c)))
    assert "\xa0" in every_blank and "\u3000" in every_blank
    texts = ["", " ", "本年 新收\u3000申请\xa0数量\n", every_blank, f"a{every_blank}b", "x" + every_blank[::-1] + "数",
             "\u200b不是空白\ufeff", " (一)  规章 "]
    for text in texts:
        assert _non_blank_length(text) == len(re.sub(r"\s+", "", text)), repr(text)
        assert _squeeze(text) == re.sub(r"\s+", "", text), repr(text)
        assert clean_text(text) == re.sub(r"[\s\u00a0\u3000]+", " ", text).strip(), repr(text)


def test_a_line_without_nian_is_no_report_title_before_its_width_is_folded():
    import sys
    import unicodedata

    from parser.recognize import report_title_like

    # the characters whose NFKC form writes 年: the precheck must know every one
    forms = [chr(c) for c in range(sys.maxunicode + 1) if "年" in unicodedata.normalize("NFKC", chr(c))]
    assert forms == ["年", "\uf98e"]
    assert report_title_like("2020\uf98e政府信息公开工作年度报告".replace("年度", "\uf98e度"))
    assert not report_title_like("政府信息公开工作报告")


def test_a_line_without_a_colon_holds_no_byline_label():
    """read_byline skips a line without : or ： (every label its pattern finds ends with one)."""
    from parser.extract.labels import _BYLINE_RE, _FURNITURE, _MAX_BYLINE, _VALUE_TRIM, normalize_label, read_byline

    def plain(line: str) -> list[tuple[str, str]]:
        hits = list(_BYLINE_RE.finditer(line)) if len(line) <= _MAX_BYLINE else []
        pairs = []
        for i, m in enumerate(hits):
            end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
            value = fold_spaces(line[m.end():end]).strip(_VALUE_TRIM)
            if value and normalize_label(m.group(1)) not in _FURNITURE:
                pairs.append((normalize_label(m.group(1)), value))
        return pairs

    lines = [ln for p in sorted((DATA / "real").glob("*.txt"))[::4]
             for ln in p.read_text(encoding="utf-8", errors="replace").splitlines()]
    lines += ["发布时间：2020-01-15 来源：政府办", "发布时间:2020-01-15", "索 引 号:014416330/2018-04736", "日期：", ""]
    found = 0
    for line in lines:
        assert read_byline(line) == plain(line), line
        found += bool(plain(line))
    assert found > 20


def test_table_evidence_is_its_definition_at_every_slot(tables):
    """The evidence of a cell read where its text stands (most) skips locate_cell: same evidence."""
    from parser.document import Table
    from parser.record import Evidence
    from parser.template_cells import locate_cell, table_evidence

    def plain(table: Table, i: int, j: int | None, text: str | None) -> Evidence:
        page = table.page_of_row(i)
        cell = bbox = None
        if j is not None:
            j = locate_cell(table, i, j, text)
            if j is not None and page is not None:
                bbox = table.box_of(i, j)
            elif j is not None:
                cell = (i, j)
        return Evidence(where="table", table=table.index, row="r", column="c", page=page, snippet=None,
                        cell=cell, bbox=bbox)

    grids = [g for g in (table_grid(t) for t in tables[:120]) if g]
    checked = 0
    for k, grid in enumerate(grids):
        pages = [1 + r // 5 for r in range(len(grid))] if k % 3 == 1 else []  # some tables read from PDF pages
        boxes = [[(float(j), float(r), j + 1.0, r + 1.0) for j in range(len(row))] for r, row in enumerate(grid)]
        table = Table(grid=grid, index=k, page=pages[0] if pages else (2 if k % 3 == 2 else None),
                      row_pages=pages, boxes=boxes if pages or k % 3 == 2 else [])
        for i, row in enumerate(grid):
            for j, text in enumerate(row):
                for jj, tt in ((j, text), (j, text + "x"), (j + 1, text), (None, text), (j, None), (-1, text)):
                    assert table_evidence(table, i, "r", "c", None, jj, tt) == plain(table, i, jj, tt), (k, i, jj, tt)
                    checked += 1
    assert checked > 10000


def _plain_selector_candidates(root) -> list:
    from parser.extract.html_content import _SELECTOR_CLASSES, _SELECTOR_IDS

    return [el for el in root.xpath("//*[@id or @class]") if el.tag not in ("body", "html")
            and (el.get("id") in _SELECTOR_IDS or not _SELECTOR_CLASSES.isdisjoint((el.get("class") or "").split()))]


def _plain_crumb_marked(root) -> list:
    from parser.extract.html_content import _CRUMB_ATTR

    return [el for el in root.xpath("//*[@class or @id]") if _CRUMB_ATTR.search(f"{el.get('class', '')} {el.get('id', '')}")]


def _plain_noise_marked(container) -> list:
    from parser.extract.html_content import _NOISE_RE

    return [el for el in container.xpath("descendant::*[@class or @id]")
            if (m := f"{el.get('class', '')} {el.get('id', '')}").strip() and _NOISE_RE.search(m)]


_MARKED_PAGE = """<html><body class="main"><div id="zoom" class="TRS_Editor x"><p class="share-bar" id="location">a</p>
<div id="Zoom"><span class="pages_content\u3000bt_content" id="x_print">b</span></div></div>
<div class="crumb path" id="dqwz"><a href="/">首页</a></div><div class="foot share" id=""><i class="">c</i></div>
<div class="weizhi_nav" id="bdshare"></div><ul class="zw" id="zw"><li class="close_btn" id="fontsize">d</li></ul></body></html>"""


def test_the_marks_found_by_their_values_are_the_elements_the_element_scan_finds():
    """Content selectors, breadcrumb marks and noise marks read from the class and id values (an
    element whose class and id both match found once) give the elements, in order, that the scan of
    every element with a class or an id gives."""
    from parser.extract.html_content import _CRUMB_ATTR, _MARKS_INSIDE, _NOISE_RE, _marked, find_content, page_marks, \
        selector_candidates

    pages = [_MARKED_PAGE, *_pages()]
    both = 0
    for page in pages:
        root = etree.fromstring(page, _PARSER)
        if root is None:
            continue
        assert selector_candidates(root) == selector_candidates(root, page_marks(root)) == _plain_selector_candidates(root)
        assert _marked(page_marks(root), _CRUMB_ATTR.search) == _plain_crumb_marked(root)
        container = find_content(root)
        assert _marked(_MARKS_INSIDE(container), _NOISE_RE.search) == _plain_noise_marked(container)
        both += sum(1 for el in root.iter() if el.get("class") and el.get("id"))
    assert both > 10
    root = etree.fromstring(_MARKED_PAGE, _PARSER)
    assert [el.get("id") for el in selector_candidates(root)] == ["zoom", "Zoom", "x_print", "zw"]
    assert len(_plain_noise_marked(root.find(".//body"))) >= 5
