"""Paragraph and table-row properties of a .doc (sprms), and table rows -> one rectangular grid.

    paragraph_props(grpprl) -> ParaProps      in a table? depth? row end (TTP)? the row's cell layout
    build_grid(rows) -> list[list[str]]        rows of (cell texts, RowLayout | None) -> ``Table.grid``

A Word 97 table has no grid of its own: each row lists its cells' right edges (sprmTDefTable,
in twips) and merge flags. The grid's columns are the union of every row's edges, so a cell as
wide as two cells of another row fills both slots (a horizontal merge, as DOCX ``gridSpan``);
a cell flagged as the continuation of a vertical merge takes the text of the slot above (as
DOCX ``vMerge``); old-style horizontal merges (``fMerged``) repeat the previous cell. A row
whose layout is missing or does not match its cells is padded at the right — the limit of the
format's information, noted in ``doc.py``. Pure.
"""
from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass, field

__all__ = ["ParaProps", "RowLayout", "paragraph_props", "build_grid"]

_SPRM_P_IN_TABLE = 0x2416
_SPRM_P_TTP = 0x2417
_SPRM_P_ITAP = 0x6649
_SPRM_P_INNER_CELL = 0x244B
_SPRM_P_INNER_TTP = 0x244C
_SPRM_P_CHG_TABS = 0xC615
_SPRM_T_DEF_TABLE = 0xD608
_SPRM_T_MERGE = 0x5624
_SPRM_T_SPLIT = 0x5625
_SPRM_T_VERT_MERGE = 0xD62B
_OPERAND_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}  # by the sprm's top three bits (spra)
_TC80_SIZE = 20
# two column edges closer than this (twips, 1/20 pt) are the same edge: Word rounds widths per row
_EDGE_TOLERANCE = 30
_MAX_COLUMNS = 64


@dataclass(slots=True)
class RowLayout:
    edges: list[int]  # itc + 1 positions: the left edge of each cell, then the right edge of the last
    horz_merge: list[int]  # per cell: 0 none, 1 first of a merge, 2/3 merged into the previous cell
    vert_merge: list[int]  # per cell: 0 none, 3 first of a vertical merge, 1 continues the cell above


@dataclass(slots=True)
class ParaProps:
    depth: int = 0  # 0 outside tables, 1 in a table, 2+ in a nested table
    row_end: bool = False  # the mark ends a table row (TTP) at depth 1
    inner_cell_end: bool = False  # the mark ends a cell of a nested table
    inner_row_end: bool = False  # the mark ends a row of a nested table
    layout: RowLayout | None = field(default=None)


def _sprms(grpprl: bytes):
    """(sprm, operand) pairs; stops quietly at a length that runs past the buffer."""
    at = 0
    while at + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, at)[0]
        at += 2
        spra = sprm >> 13
        if spra != 6:
            size = _OPERAND_SIZE[spra]
        elif sprm == _SPRM_T_DEF_TABLE and at + 2 <= len(grpprl):
            size = struct.unpack_from("<H", grpprl, at)[0] + 1  # cb counts itself less one
        elif sprm == _SPRM_P_CHG_TABS and at < len(grpprl) and grpprl[at] == 255:
            return  # the rare long form of tab changes: nothing a table needs follows in practice
        elif at < len(grpprl):
            size = grpprl[at] + 1
        else:
            return
        if at + size > len(grpprl):
            return
        yield sprm, grpprl[at:at + size]
        at += size


def paragraph_props(grpprl: bytes) -> ParaProps:
    props = ParaProps()
    in_table = ttp = False
    itap = None
    for sprm, op in _sprms(grpprl):
        if sprm == _SPRM_P_IN_TABLE:
            in_table = op[0] != 0
        elif sprm == _SPRM_P_TTP:
            ttp = op[0] != 0
        elif sprm == _SPRM_P_ITAP:
            itap = struct.unpack_from("<i", op, 0)[0]
        elif sprm == _SPRM_P_INNER_CELL:
            props.inner_cell_end = op[0] != 0
        elif sprm == _SPRM_P_INNER_TTP:
            props.inner_row_end = op[0] != 0
        elif sprm == _SPRM_T_DEF_TABLE:
            props.layout = _def_table(op)
        elif props.layout is not None and sprm in (_SPRM_T_MERGE, _SPRM_T_SPLIT):
            _merge(props.layout, op[0], op[1], sprm == _SPRM_T_MERGE)
        elif props.layout is not None and sprm == _SPRM_T_VERT_MERGE and len(op) >= 3:
            if op[1] < len(props.layout.vert_merge):
                props.layout.vert_merge[op[1]] = op[2]
    props.depth = max(itap, 0) if itap is not None else int(in_table)
    props.row_end = ttp and props.depth <= 1
    return props


def _def_table(op: bytes) -> RowLayout | None:
    body = op[2:]  # after the 2-byte cb
    if not body:
        return None
    n = body[0]
    if n == 0 or n > _MAX_COLUMNS or len(body) < 1 + 2 * (n + 1):
        return None
    edges = list(struct.unpack_from(f"<{n + 1}h", body, 1))
    horz, vert = [0] * n, [0] * n
    tc_at = 1 + 2 * (n + 1)
    for i in range(n):  # rgTc80 may hold fewer cells than the row: the rest are plain
        at = tc_at + i * _TC80_SIZE
        if at + 2 > len(body):
            break
        grf = struct.unpack_from("<H", body, at)[0]
        horz[i], vert[i] = grf & 0x3, (grf >> 5) & 0x3
    return RowLayout(edges, horz, vert)


def _merge(layout: RowLayout, first: int, lim: int, merge: bool) -> None:
    for i in range(first, min(lim, len(layout.horz_merge))):
        layout.horz_merge[i] = (1 if i == first else 3) if merge else 0


def _columns(layouts: list[RowLayout]) -> list[int]:
    edges: list[int] = []
    for edge in sorted(e for lay in layouts for e in lay.edges):
        if not edges or edge - edges[-1] > _EDGE_TOLERANCE:
            edges.append(edge)
    return edges[:_MAX_COLUMNS + 1]


def _slot(columns: list[int], edge: int) -> int:
    i = bisect.bisect_left(columns, edge - _EDGE_TOLERANCE)
    return min(i, len(columns) - 1)


def _usable(cells: list[str], layout: RowLayout | None) -> bool:
    return (layout is not None and len(layout.edges) == len(cells) + 1
            and all(b > a for a, b in zip(layout.edges, layout.edges[1:])))


def build_grid(rows: list[tuple[list[str], RowLayout | None]]) -> list[list[str]]:
    layouts = [lay for cells, lay in rows if _usable(cells, lay)]
    columns = _columns(layouts) if layouts else []
    grid: list[list[str]] = []
    for cells, layout in rows:
        if not (columns and _usable(cells, layout)):
            grid.append(list(cells))
            continue
        assert layout is not None
        row = [""] * _slot(columns, layout.edges[0])  # a row that starts right of the table's edge
        for i, text in enumerate(cells):
            start, end = _slot(columns, layout.edges[i]), _slot(columns, layout.edges[i + 1])
            if layout.horz_merge[i] in (2, 3) and row:
                text = row[-1]
            elif layout.vert_merge[i] == 1 and grid and len(row) < len(grid[-1]):
                text = grid[-1][len(row)]
            row.extend([text] * max(1, end - start))
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]
