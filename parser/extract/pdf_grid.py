"""pdfplumber's table finder steps from ruling lines to cells, with the same answers, faster.

``edges_to_intersections``, ``intersections_to_cells`` and ``cells_to_tables`` give exactly what
pdfplumber's functions of those names give (the same crossings with the same edges, the same cells
in the same order, the same tables), so ``Table`` builds the same tables from them. pdfplumber's versions cost most
of a table page's finding: its crossing search sorts the horizontal edges again for every vertical
one, and its cell search lists, for every crossing, all the crossings after it to find those below
and to its right, then builds the sets of edges it compares anew at every test. Here the edges are
sorted once, each crossing's edge boxes are sets made once, and the crossings below or to the right
of a point are its own column's and row's (the same points, in the same order).

``find_tables(page, settings)`` is ``TableFinder(page, settings).tables`` built on these.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter
from typing import Any

from pdfplumber.table import Table, TableFinder, TableSettings

__all__ = ["edges_to_intersections", "intersections_to_cells", "cells_to_tables", "find_tables"]

Point = tuple[float, float]
Bbox = tuple[float, float, float, float]
_edge_box = itemgetter("x0", "top", "x1", "bottom")  # pdfplumber's obj_to_bbox
_MARGIN = 1.0  # points: the slice of horizontal edges is this much wider than the tolerance


def edges_to_intersections(edges: list[dict], x_tolerance: float = 1, y_tolerance: float = 1
                           ) -> dict[Point, dict[str, list[dict]]]:
    """pdfplumber's ``edges_to_intersections``: each point where a vertical edge meets a
    horizontal one (within the tolerances), with the edges that meet there, in its order."""
    intersections: dict[Point, dict[str, list[dict]]] = {}
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    h_tops = [h["top"] for h in h_edges]
    for v in v_edges:
        vx, vtop, vbottom = v["x0"], v["top"], v["bottom"]
        # only the horizontal edges level with the vertical one can meet it: a slice of those sorted
        # by top, a point wider than the tolerance (the exact test below decides, as pdfplumber's)
        lo = bisect_left(h_tops, vtop - y_tolerance - _MARGIN)
        hi = bisect_right(h_tops, vbottom + y_tolerance + _MARGIN)
        for h in h_edges[lo:hi]:
            htop = h["top"]
            if vtop <= htop + y_tolerance and vbottom >= htop - y_tolerance \
                    and h["x0"] - x_tolerance <= vx <= h["x1"] + x_tolerance:
                vertex = (vx, htop)
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def intersections_to_cells(intersections: dict[Point, dict[str, list[dict]]]) -> list[Bbox]:
    """pdfplumber's ``intersections_to_cells``: for each crossing in (x, top) order, the smallest
    cell with it as top-left corner: the first crossing below it joined to it by a vertical edge,
    with the first crossing to its right joined by a horizontal edge, whose bottom-right corner
    is a crossing joined to both."""
    v_boxes = {p: {_edge_box(e) for e in d["v"]} for p, d in intersections.items()}
    h_boxes = {p: {_edge_box(e) for e in d["h"]} for p, d in intersections.items()}
    points = sorted(intersections)
    # in (x, top) order the points after a point in its own column are those below it, and the
    # points after it in its own row are those to its right
    columns: dict[float, list[Point]] = {}
    rows: dict[float, list[Point]] = {}
    for p in points:
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    column_at = {p: k for col in columns.values() for k, p in enumerate(col)}
    row_at = {p: k for row in rows.values() for k, p in enumerate(row)}
    cells: list[Bbox] = []
    for pt in points[:-1]:  # the last point starts no cell
        cell = _smallest_cell(pt, columns[pt[0]][column_at[pt] + 1:], rows[pt[1]][row_at[pt] + 1:],
                              v_boxes, h_boxes)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt: Point, below: list[Point], right: list[Point],
                   v_boxes: dict[Point, set], h_boxes: dict[Point, set]) -> Bbox | None:
    pt_v, pt_h = v_boxes[pt], h_boxes[pt]
    for below_pt in below:
        if pt_v.isdisjoint(v_boxes[below_pt]):
            continue
        below_h = h_boxes[below_pt]
        for right_pt in right:
            if pt_h.isdisjoint(h_boxes[right_pt]):
                continue
            corner = (right_pt[0], below_pt[1])
            corner_v = v_boxes.get(corner)
            if corner_v is not None and not corner_v.isdisjoint(v_boxes[right_pt]) \
                    and not h_boxes[corner].isdisjoint(below_h):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def cells_to_tables(cells: list[Bbox]) -> list[list[Bbox]]:
    """pdfplumber's ``cells_to_tables`` for distinct cells (``intersections_to_cells`` gives no
    cell twice): the first cell left starts a table, which takes in pass after pass, in order,
    every cell left that shares a corner with it, until a pass takes none; tables ordered by their
    top-left cell, those of one cell dropped. Its passes remove each cell from a list (quadratic);
    here each pass keeps the cells it did not take."""
    remaining = list(cells)
    tables: list[list[Bbox]] = []
    while remaining:
        corners: set[Point] = set()
        table: list[Bbox] = []
        took = True
        while took:
            took = False
            left: list[Bbox] = []
            for cell in remaining:
                x0, top, x1, bottom = cell
                cell_corners = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
                if not table or any(c in corners for c in cell_corners):
                    corners.update(cell_corners)
                    table.append(cell)
                    took = True
                else:
                    left.append(cell)
            remaining = left
        tables.append(table)
    return [t for t in sorted(tables, key=lambda t: min((c[1], c[0]) for c in t)) if len(t) > 1]


def find_tables(page: Any, settings: dict | TableSettings) -> list[Table]:
    """``pdfplumber.table.TableFinder(page, settings).tables``: the same tables."""
    finder = TableFinder.__new__(TableFinder)
    finder.page, finder.settings = page, TableSettings.resolve(settings)
    s = finder.settings
    intersections = edges_to_intersections(finder.get_edges(), s.intersection_x_tolerance, s.intersection_y_tolerance)
    return [Table(page, group) for group in cells_to_tables(intersections_to_cells(intersections))]
