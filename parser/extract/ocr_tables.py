"""OCR boxes on a page image -> prose lines and table grids (pure: numpy arrays and boxes in, data out).

Takes the words the recogniser read (``OcrWord``: text, box in PDF points from the page's
top-left, confidence) and the page's grey image, and gives the page's items in reading order,
as the PDF text path has them (``pdf_layout``): prose lines (str) and table parts (``PageTable``),
so the same joining across pages, captions and template/legacy readers serve scans and text.

- Ruled tables (the template's grid, as nearly every report draws it): the ruling lines are found
  on the image (long thin dark runs, OpenCV morphology); each closed box between them is a cell,
  its span over the grid's column and row boundaries gives rowspan/colspan, and a cell's text is
  the words whose centre lies inside it, line by line. ``ink_without_words`` names the cells with
  ink but no word, which the caller reads again one by one (a lone "0" is often not detected).
- Everything else: words grouped into lines by baseline (vertical overlap), left to right; a wide
  gap between two words of a line (a gridless table's columns) becomes a tab, which is how the text
  path hands a flattened table to the cell-stream reader (``template_text``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .cjk import drop_spaces_between_cjk
from .pdf_tables import PageTable

__all__ = ["OcrWord", "Box", "CellBox", "denoised", "skew_angle", "rotate", "unrotate_box", "ruled_cells",
           "page_items_from_words", "ink_without_words",
           "words_to_lines", "line_text", "fix_digit_confusions"]

Box = tuple[float, float, float, float]  # (x0, top, x1, bottom)

_DARK = 160            # grey level: darker is ink
_RULE_DARK = 215       # grey level: darker may be a (blurred, thin) ruling line
_MIN_TABLE_W = 0.25    # share of the page width a ruled table spans at least
_MIN_CELL_PX = 12      # a box smaller than this (either side) is a line's gap, not a cell
_SNAP_PT = 3.0         # points: cell edges closer than this are the same grid boundary
SNAP_PX = 8            # pixels: the same, on an image of unknown resolution
_TAB_GAP = 1.6         # a gap wider than this many line heights separates two cells of a row
_INK_SHARE = 0.004     # a cell with this share of dark pixels holds something


_CONFUSABLE = re.compile(r"^[0-9OoIl|]{1,8}$")
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_DOUBTFUL = 0.5  # the confidence left to a number rebuilt from letters: always a finding


def fix_digit_confusions(text: str, confidence: float) -> tuple[str, float]:
    """A lone number the recogniser read partly as letters ("o", "1O") as digits, its confidence
    lowered to ``_DOUBTFUL`` so it is never trusted silently; other text unchanged."""
    if _CONFUSABLE.match(text) and not text.isdigit() and (any(c.isdigit() for c in text) or len(text) == 1):
        return text.translate(_AS_DIGIT), min(confidence, _DOUBTFUL)
    return text, confidence


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One text box the recogniser read: its text, box (PDF points, top-left origin) and confidence."""

    text: str
    bbox: Box
    confidence: float
    page: int | None = None  # 1-based PDF page; None for an image embedded in HTML/DOCX

    @property
    def centre(self) -> tuple[float, float]:
        return (self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2


@dataclass(frozen=True, slots=True)
class CellBox:
    """A closed box of a ruled table in pixels (x0, y0, x1, y1) and the table it belongs to."""

    table: int
    box: tuple[int, int, int, int]


_NOISY = 4  # median |Laplacian| of a page: a clean render has 0 (flat paper), a grainy scan 10 and more


def denoised(gray: np.ndarray) -> np.ndarray:
    """A grainy scan smoothed for the recogniser (non-local means keeps the strokes); a clean page as is."""
    import cv2

    if np.median(np.abs(cv2.Laplacian(gray, cv2.CV_16S))) < _NOISY:
        return gray
    return cv2.fastNlMeansDenoising(gray, None, h=15, templateWindowSize=7, searchWindowSize=21)


_MAX_SKEW = 3.0   # degrees: a scan tilted more than this is not straightened
_SKEW_STEP = 0.1


def skew_angle(gray: np.ndarray) -> float:
    """The tilt of a scanned page in degrees (counter-clockwise), from the rotation that makes its
    rows of ink sharpest (the variance of the row sums on a small copy); 0 when it is straight."""
    import cv2

    h, w = gray.shape
    f = min(1.0, 1200 / max(h, w))
    small = cv2.resize(gray, (max(int(w * f), 1), max(int(h * f), 1)), interpolation=cv2.INTER_AREA)
    ink = (cv2.medianBlur(small, 3) < _RULE_DARK).astype(np.float32)
    if ink.sum() < 50:
        return 0.0
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        return float(cv2.warpAffine(ink, m, (ink.shape[1], ink.shape[0])).sum(axis=1).var())

    steps = int(_MAX_SKEW / _SKEW_STEP)
    best = max((round(k * _SKEW_STEP, 2) for k in range(-steps, steps + 1)), key=sharpness)
    return 0.0 if abs(best) < _SKEW_STEP / 2 or sharpness(best) <= sharpness(0.0) * 1.05 else best


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """``gray`` turned by ``angle`` degrees about its centre, the corners filled white."""
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def unrotate_box(box: Box, angle: float, size: tuple[int, int]) -> Box:
    """A box found on the straightened image, as the box that covers it on the image as scanned."""
    if not angle:
        return box
    import math

    w, h = size
    cx, cy = w / 2, h / 2
    a = math.radians(angle)  # the image was turned by +angle: turn the corners back
    cos, sin = math.cos(a), math.sin(a)
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * cos - dy * sin)
        ys.append(cy + dx * sin + dy * cos)
    return min(xs), min(ys), max(xs), max(ys)


def ruled_cells(gray: np.ndarray) -> list[CellBox]:
    """The cells of the ruled tables on a grey page image (pixels), tables numbered top to bottom."""
    import cv2

    h, w = gray.shape
    # a scan's thin rules are grey after blur: a lighter threshold (specks never form the long runs kept)
    ink = (gray < _RULE_DARK).astype(np.uint8)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 40, 10), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 80, 10))))
    rules = cv2.dilate(horiz | vert, np.ones((3, 3), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    cells: list[CellBox] = []
    tables = sorted((stats[k] for k in range(1, n) if stats[k][2] >= _MIN_TABLE_W * w and stats[k][3] >= 20),
                    key=lambda s: s[1])
    for t, (x, y, tw, th, _) in enumerate(tables):
        region = 1 - rules[y:y + th, x:x + tw]
        m, _, boxes, _ = cv2.connectedComponentsWithStats(region, connectivity=4)
        for k in range(1, m):
            bx, by, bw, bh, area = boxes[k]
            touches_edge = bx == 0 or by == 0 or bx + bw >= tw or by + bh >= th
            # a closed cell fills its box; the outside of the frame touches the region's edge
            if touches_edge or bw < _MIN_CELL_PX or bh < _MIN_CELL_PX or area < 0.8 * bw * bh:
                continue
            cells.append(CellBox(t, (int(x + bx), int(y + by), int(x + bx + bw), int(y + by + bh))))
    return cells


def ink_without_words(gray: np.ndarray, cells: list[CellBox], words_px: list[Box]) -> list[CellBox]:
    """The cells holding ink (beyond their border) but no word's centre: to be read again alone."""
    import cv2

    out = []
    for c in cells:
        x0, y0, x1, y1 = c.box
        if any(x0 <= (a + b) / 2 <= x1 and y0 <= (t + u) / 2 <= y1 for a, t, b, u in words_px):
            continue
        inner = gray[y0 + 2:y1 - 2, x0 + 2:x1 - 2]
        # specks of a noisy scan are not ink: a median keeps strokes, drops lone dots
        if inner.size >= 9 and (cv2.medianBlur(np.ascontiguousarray(inner), 3) < _DARK).mean() >= _INK_SHARE:
            out.append(c)
    return out


def page_items_from_words(words: list[OcrWord], cells: list[tuple[int, Box]], page: int,
                          snap: float = _SNAP_PT) -> tuple[list, list[PageTable]]:
    """A page's items (prose lines and the local index of each table part) and its table parts.

    ``cells``: (table number, box in points) of every ruled cell on the page; ``snap``: cell edges
    closer than this (the width of a rule between two cells) are one grid boundary.
    """
    by_table: dict[int, list[Box]] = {}
    for t, box in cells:
        by_table.setdefault(t, []).append(box)
    parts: list[PageTable] = []
    inside: set[int] = set()
    for t in sorted(by_table):
        part, used = _grid(by_table[t], words, page, snap)
        if part is not None:
            parts.append(part)
            inside |= used
    prose = [w for k, w in enumerate(words) if k not in inside]
    items: list = []
    lines = [(min(w.bbox[1] for w in ln), line_text(ln)) for ln in words_to_lines(prose)]
    anchors = sorted([(top, text) for top, text in lines] + [(p.top, k) for k, p in enumerate(parts)],
                     key=lambda x: x[0])
    items = [x for _, x in anchors]
    return items, parts


def words_to_lines(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Words grouped into lines by vertical overlap (a baseline), top to bottom, each left to right."""
    lines: list[list[OcrWord]] = []
    for w in sorted(words, key=lambda w: w.centre[1]):
        if lines:
            last = lines[-1]
            top, bottom = min(x.bbox[1] for x in last), max(x.bbox[3] for x in last)
            height = bottom - top
            # the same line when the centre falls within the line's middle band
            if top + 0.25 * height <= w.centre[1] <= bottom - 0.25 * height + 1e-6 or \
                    abs(w.centre[1] - (top + bottom) / 2) < 0.3 * (w.bbox[3] - w.bbox[1]):
                last.append(w)
                continue
        lines.append([w])
    return [sorted(ln, key=lambda w: w.bbox[0]) for ln in lines]


def line_text(line: list[OcrWord]) -> str:
    """A line's words, a tab where the gap is wide (columns of a gridless table), else run together."""
    out = ""
    for k, w in enumerate(line):
        if k:
            prev = line[k - 1]
            height = max(w.bbox[3] - w.bbox[1], prev.bbox[3] - prev.bbox[1], 1.0)
            out += "\t" if w.bbox[0] - prev.bbox[2] > _TAB_GAP * height else " "
        out += w.text
    return drop_spaces_between_cjk(out)


def _grid(boxes: list[Box], words: list[OcrWord], page: int, snap: float) -> tuple[PageTable | None, set[int]]:
    xs = _snap(sorted(v for b in boxes for v in (b[0], b[2])), snap)
    ys = _snap(sorted(v for b in boxes for v in (b[1], b[3])), snap)
    if len(xs) < 3 or len(ys) < 3:
        return None, set()
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    grid = [[""] * n_cols for _ in range(n_rows)]
    slots: list[list[Box | None]] = [[None] * n_cols for _ in range(n_rows)]
    used: set[int] = set()
    for box in boxes:
        held = [k for k, w in enumerate(words) if _inside(w.centre, box)]
        used.update(held)
        text = "".join(line_text(ln) for ln in words_to_lines([words[k] for k in held]))
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                grid[r][c], slots[r][c] = text, box
    kept = [r for r in range(n_rows) if any(grid[r])]
    if len(kept) < 2:
        return None, set()
    part = PageTable(grid=[grid[r] for r in kept], xs=xs, top=ys[0], bottom=ys[-1], page=page,
                     row_pages=[page] * len(kept))
    part.boxes = [slots[r] for r in kept]  # the readers' cell boxes, as the text path gives them
    return part, used


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _snap(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda k: abs(bounds[k] - v))
