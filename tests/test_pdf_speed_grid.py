"""The faster table-finder steps give pdfplumber's own answers: the same crossings (with the same
edges, in the same order), the same cells and the same tables, on the ruling lines of every PDF layout the fixture
renderer draws and on drawn grids full of merged cells, broken rules and near-miss offsets."""
from __future__ import annotations

import io
import random

import pdfplumber
import pytest
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.table import edges_to_intersections as plumber_intersections
from pdfplumber.table import cells_to_tables as plumber_tables
from pdfplumber.table import intersections_to_cells as plumber_cells

from fixtures.reportgen import FORMATS, LAYOUTS, random_record, render
from parser.extract.pdf_grid import cells_to_tables, edges_to_intersections, find_tables, intersections_to_cells
from parser.extract.pdf_tables import LINE_SETTINGS

PDF_LAYOUTS = sorted(name for name, spec in LAYOUTS.items() if spec.renderer == "pdf")


def _same_steps(edges: list[dict], x_tol: float = 3, y_tol: float = 3) -> int:
    expected = plumber_intersections(edges, x_tol, y_tol)
    got = edges_to_intersections(edges, x_tol, y_tol)
    assert list(got) == list(expected)
    assert all(got[p]["v"] == expected[p]["v"] and got[p]["h"] == expected[p]["h"] for p in expected)
    cells = intersections_to_cells(got)
    assert cells == plumber_cells(expected)
    assert cells_to_tables(cells) == plumber_tables(cells)
    return len(cells)


def _rendered_pages(layout: str, fmt: str):
    """pdfplumber's pages of a report drawn in ``layout``."""
    data, _ = render(random_record(fmt, seed=2, blanks=0.2), layout)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        yield from pdf.pages


@pytest.mark.parametrize("layout", PDF_LAYOUTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_layouts_cells_are_pdfplumbers(layout: str, fmt: str):
    cells = 0
    for page in _rendered_pages(layout, fmt):
        finder = TableFinder.__new__(TableFinder)
        finder.page, finder.settings = page, TableSettings.resolve(LINE_SETTINGS)
        cells += _same_steps(finder.get_edges())
        assert [t.cells for t in find_tables(page, LINE_SETTINGS)] == [t.cells for t in TableFinder(page, LINE_SETTINGS).tables]
    if layout != "pdf_open":  # a table without vertical rules has no crossings of its own
        assert cells >= 40


def _h(x0: float, x1: float, y: float) -> dict:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h"}


def _v(x: float, top: float, bottom: float) -> dict:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top, "orientation": "v"}


def _drawn_grid(rng: random.Random) -> list[dict]:
    """A ruled grid drawn segment by segment: some segments left out (merged cells), some rules
    shifted by up to 3.5 points (both sides of the 3-point tolerance), a few stray rules."""
    xs = sorted(rng.sample(range(40, 560, 10), rng.randint(2, 9)))
    ys = sorted(rng.sample(range(40, 800, 12), rng.randint(2, 12)))
    jitter = (0, 0, 0, 0.5, 1.0, 2.9, 3.0, 3.1, 3.5, -3.0)
    edges = []
    for y in ys:
        for a, b in zip(xs, xs[1:]):
            if rng.random() > 0.15:
                edges.append(_h(a + rng.choice(jitter), b + rng.choice(jitter), y + rng.choice(jitter)))
    for x in xs:
        for a, b in zip(ys, ys[1:]):
            if rng.random() > 0.15:
                edges.append(_v(x + rng.choice(jitter), a + rng.choice(jitter), b + rng.choice(jitter)))
    for _ in range(rng.randint(0, 3)):
        edges.append(_h(rng.uniform(0, 300), rng.uniform(300, 600), rng.uniform(0, 800)))
    rng.shuffle(edges)
    return edges


@pytest.mark.parametrize("seed", range(3))
def test_drawn_grids_cells_are_pdfplumbers(seed: int):
    rng = random.Random(seed)
    cells = sum(_same_steps(_drawn_grid(rng), rng.choice((1, 3)), rng.choice((1, 3))) for _ in range(150))
    assert cells > 500
