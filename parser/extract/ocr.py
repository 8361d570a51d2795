"""Page images -> words by OCR (RapidOCR on onnxruntime, the optional extra ``ocr``).

A PDF page without a text layer (a scan), or a table pasted as a picture into an HTML or DOCX
report, is read here: the page is rendered by pypdfium2 at ``OCR_DPI`` (fewer dots when the page
would exceed ``OCR_MAX_PIXELS``), RapidOCR finds and reads the text boxes, and ``ocr_tables``
turns the boxes into prose lines and ruled table grids, which the PDF layout and the same
template/legacy readers as text then read. Every word keeps its page, its box in PDF points
(top-left origin) and the recogniser's confidence: ``OcrDocument.ocr_words``, from which
``parser.ocr_evidence`` gives each number read by OCR its ``Evidence(where="ocr")``.

The models ship inside the ``rapidocr_onnxruntime`` wheel: nothing is downloaded, it runs offline.
The engine is imported lazily and loaded once per process (a parse worker keeps it). Without the
extra, ``OcrUnavailable`` carries ``OCR_HINT``, which the readers put in their error or warning.
Bounded: the deadline is checked before each page and each image, a page is rendered within the
pixel cap, at most ``OCR_MAX_IMAGES`` embedded images are read per document.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..document import Document, Table
from .budget import Deadline

if TYPE_CHECKING:  # numpy, OpenCV and the table code load only when a page is read by OCR
    import numpy as np

    from .ocr_tables import Box, CellBox, OcrWord

__all__ = ["OcrDocument", "OcrUnavailable", "OCR_HINT", "ocr_available", "ocr_pdf_pages",
           "ocr_image", "image_pages", "with_ocr_words", "ocr_scanned_pages", "add_image_tables",
           "is_image"]

log = logging.getLogger(__name__)

OCR_HINT = "to read it by OCR, install the OCR extra: pip install 'xxgk[ocr]'"
OCR_DPI = 200
OCR_MAX_PIXELS = 5_000_000   # an A4 page at 200 dpi is 3.9 million
OCR_MAX_IMAGES = 8           # embedded images read per document
OCR_MIN_IMAGE_PX = (300, 120)  # smaller images are logos and seals, not tables
_MIN_SCORE = 0.3             # a box read below this is noise (RapidOCR's own default drops < 0.5)
_engine = None
# the cores this process's engine may use: set per parse worker by archive.parse_pool (their share of the
# machine); unset, onnxruntime takes every core, which is right for one document read alone
OCR_THREADS_ENV = "XXGK_OCR_THREADS"


class OcrUnavailable(RuntimeError):
    """The OCR extra is not installed (or its engine cannot start)."""


@dataclass(slots=True)
class OcrDocument(Document):
    """A Document some of whose text was read by OCR, with every word read (page, box, confidence)."""

    ocr_words: list[OcrWord] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # 1-based PDF pages read by OCR
    # tables read from embedded images (HTML/DOCX): table index -> the words of its image
    ocr_tables: dict[int, list[OcrWord]] = field(default_factory=dict)


def with_ocr_words(doc: Document, words: list[OcrWord], pages: list[int]) -> OcrDocument:
    fields = {name: getattr(doc, name) for name in Document.__dataclass_fields__}
    return OcrDocument(**fields, ocr_words=list(words), ocr_pages=list(pages))


def ocr_available() -> bool:
    try:
        _get_engine()
    except OcrUnavailable:
        return False
    return True


def _get_engine():
    """The RapidOCR engine of this process, loaded on first use."""
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable(OCR_HINT) from exc
        # upright scans: the 180° classifier only costs time; thresholds low, the confidence is judged later
        _engine = RapidOCR(use_cls=False, text_score=_MIN_SCORE, print_verbose=False, **_thread_options())
    return _engine


def _thread_options() -> dict[str, int]:
    import os

    raw = os.environ.get(OCR_THREADS_ENV, "").strip()
    if not raw.isdigit() or int(raw) < 1:
        return {}
    return {"intra_op_num_threads": int(raw), "inter_op_num_threads": 1}


def image_pages(pages: list, candidates: list[int]) -> list[int]:
    """The candidate pages (0-based) that draw at least one image: the ones worth reading by OCR."""
    import pypdfium2.raw as pdfium_c

    out = []
    for i in candidates:
        page = pages[i]
        if page is not None and any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))):
            out.append(i)
    return out


def ocr_pdf_pages(pages: list, wanted: list[int], deadline: Deadline
                  ) -> tuple[dict[int, tuple[list, list]], list[OcrWord]]:
    """Per wanted page (0-based): its items and table parts (``ocr_tables.page_items_from_words``);
    and every word read. Raises ``OcrUnavailable`` without the extra."""
    from .ocr_tables import page_items_from_words

    engine = _get_engine()
    found: dict[int, tuple[list, list]] = {}
    words: list[OcrWord] = []
    for i in wanted:
        deadline.check(f"OCR of PDF page {i + 1}")
        gray, scale = _render(pages[i])
        page_words, cells, angle, size = _read_image(engine, gray, scale, i + 1, deadline)
        items, parts = page_items_from_words(page_words, cells, i + 1)
        found[i] = items, parts
        words += _to_scan_frame(page_words, parts, angle, (size[0] / scale, size[1] / scale))
    return found, words


def ocr_image(data: bytes, deadline: Deadline) -> tuple[list, list, list[OcrWord]] | None:
    """An embedded image (PNG, JPEG, GIF, BMP…) -> (items, table parts, words), in points at 72 dpi
    of the image's pixels (so a box is in the image's own pixels); None when it is not an image or
    too small to hold a table. Raises ``OcrUnavailable`` without the extra."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    from .ocr_tables import SNAP_PX, page_items_from_words

    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.width < OCR_MIN_IMAGE_PX[0] or im.height < OCR_MIN_IMAGE_PX[1]:
                return None
            if im.width * im.height > OCR_MAX_PIXELS:
                im.thumbnail((int(im.width * (OCR_MAX_PIXELS / (im.width * im.height)) ** 0.5),) * 2)
            gray = np.asarray(im.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    engine = _get_engine()
    deadline.check("OCR of an embedded image")
    words, cells, angle, size = _read_image(engine, gray, 1.0, None, deadline)
    items, parts = page_items_from_words(words, cells, 1, snap=SNAP_PX)
    return items, parts, _to_scan_frame(words, parts, angle, size)


def _render(page) -> tuple[np.ndarray, float]:
    """The page as a grey image at OCR_DPI (less when over the pixel cap), and pixels per point."""
    import numpy as np

    w, h = page.get_width(), page.get_height()
    scale = min(OCR_DPI / 72, (OCR_MAX_PIXELS / max(w * h, 1.0)) ** 0.5)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        arr = bitmap.to_numpy()
        gray = np.array(arr[:, :, 0] if arr.ndim == 3 else arr, dtype=np.uint8)
    finally:
        bitmap.close()
    return gray, scale


def _read_image(engine, gray: np.ndarray, scale: float, page: int | None, deadline: Deadline
                ) -> tuple[list[OcrWord], list[tuple[int, Box]], float, tuple[int, int]]:
    """Words (boxes in points) and ruled cells (table number, box in points) of one grey image,
    straightened first: the angle it was turned by and its size in pixels come with them."""
    import numpy as np

    from .ocr_tables import (OcrWord, denoised, fix_digit_confusions, ink_without_words, rotate, ruled_cells,
                             skew_angle)

    gray = denoised(gray)
    angle = skew_angle(gray)  # a tilted scan is straightened: rows and rules run level again
    size = (gray.shape[1], gray.shape[0])
    if angle:
        gray = rotate(gray, angle)
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    result, _ = engine(rgb)
    px_words: list[tuple[str, Box, float]] = []
    for quad, text, score in result or []:
        text = text.strip()
        if not text:
            continue
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        px_words.append((text, (min(xs), min(ys), max(xs), max(ys)), float(score)))
    cells = ruled_cells(gray)
    # a lone digit in a cell is often not detected on the whole page: read such cells alone
    for cell in ink_without_words(gray, cells, [b for _, b, _ in px_words]):
        deadline.check("OCR of a table cell")
        read = _read_cell(engine, gray, cell)
        if read is not None:
            px_words.append(read)
    # the grid is built on the straightened image; only the boxes the evidence shows go back to the scan's frame
    words = []
    for text, box, score in px_words:
        text, score = fix_digit_confusions(text, score)
        words.append(OcrWord(text, tuple(v / scale for v in box), score, page))
    return words, [(c.table, tuple(v / scale for v in c.box)) for c in cells], angle, size


def _to_scan_frame(words: list, parts: list, angle: float, size: tuple[float, float]) -> list:
    """Words and cell boxes found on the straightened image, as boxes on the page as scanned
    (the grid itself was built straight); ``size`` in the boxes' units."""
    if not angle:
        return words
    import dataclasses

    from .ocr_tables import unrotate_box

    for part in parts:
        part.boxes = [[unrotate_box(b, angle, size) if b else b for b in row] for row in part.boxes]
    return [dataclasses.replace(w, bbox=unrotate_box(w.bbox, angle, size)) for w in words]


def _read_cell(engine, gray: np.ndarray, cell: CellBox) -> tuple[str, Box, float] | None:
    import numpy as np

    import cv2

    x0, y0, x1, y1 = cell.box
    inner = gray[y0 + 2:y1 - 2, x0 + 2:x1 - 2]
    ys, xs = np.nonzero(cv2.medianBlur(np.ascontiguousarray(inner), 3) < 160)  # the strokes, not specks
    if not len(xs):
        return None
    a, b, c, d = x0 + 2 + xs.min(), y0 + 2 + ys.min(), x0 + 2 + xs.max(), y0 + 2 + ys.max()
    pad = max(4, (d - b) // 3)
    crop = gray[max(b - pad, 0):d + pad, max(a - 2 * pad, 0):c + 2 * pad]
    result, _ = engine(np.repeat(crop[:, :, None], 3, axis=2), use_det=False, use_cls=False)
    if not result:
        return None
    text, score = result[0][0].strip(), float(result[0][1])
    if not text or score < _MIN_SCORE:
        return None
    return text, (float(a), float(b), float(c), float(d)), score


def ocr_scanned_pages(scan, deadline: Deadline, warnings: list[str]
                      ) -> tuple[dict[int, tuple[list, list]], list[OcrWord]]:
    """The PDF reader's hook: the pages of ``scan`` (``pdf._Scan``) with no text but an image, read
    by OCR. Without the extra: an ``image_only_pdf`` error saying how to enable OCR when no page has
    text, else a warning naming the pages left unread."""
    from ..errors import UnreadableError

    blank = [i for i, t in enumerate(scan.texts) if not t.strip() and i not in scan.lost]
    wanted = image_pages(scan.pages, blank)
    if not wanted:
        return {}, []
    try:
        return ocr_pdf_pages(scan.pages, wanted, deadline)
    except OcrUnavailable as exc:
        if not any(t.strip() for t in scan.texts) and not scan.lost:
            raise UnreadableError(f"the PDF holds no text, only page images (a scan); {OCR_HINT}",
                                  reason="image_only_pdf") from exc
        listed = ", ".join(str(i + 1) for i in wanted)
        warnings.append(f"pdf: pages {listed} are images without text, not read; {OCR_HINT}")
        return {}, []


def add_image_tables(doc: Document, images: list[bytes], deadline: Deadline) -> Document:
    """``doc`` with the tables and text read by OCR from ``images`` (pictures embedded in or shown
    by an HTML/DOCX report: a statistics table pasted as an image) appended after its own. Small
    images (logos, seals) and bytes that are no image are skipped; at most ``OCR_MAX_IMAGES``.
    Without the extra: ``doc`` unchanged, with a warning saying how to enable OCR."""
    from .pdf_text import join_wrapped

    images = images[:OCR_MAX_IMAGES]
    if not images:
        return doc
    tables, lines, by_table = list(doc.tables), [], {}
    try:
        for data in images:
            read = ocr_image(data, deadline)
            if read is None:
                continue
            items, parts, words = read
            for x in items:
                if isinstance(x, str):
                    lines.append((x, False))
                    continue
                index = len(tables)
                tables.append(Table(grid=parts[x].grid, index=index, caption=lines[-1][0] if lines else "",
                                    **_cell_boxes(parts[x])))
                lines += [("\t".join(row), True) for row in parts[x].grid]
                by_table[index] = words
    except OcrUnavailable:
        doc.warnings.append(f"the report shows {len(images)} images that may hold its tables, not read; {OCR_HINT}")
        return doc
    if not lines:
        return doc
    out = with_ocr_words(doc, getattr(doc, "ocr_words", []), getattr(doc, "ocr_pages", []))
    out.tables = tables
    out.text = "\n".join([doc.text, *join_wrapped(lines)]) if doc.text else "\n".join(join_wrapped(lines))
    out.ocr_tables = {**getattr(doc, "ocr_tables", {}), **by_table}
    return out


_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")


def is_image(data: bytes) -> bool:
    """PNG, JPEG, GIF or BMP bytes: what a report page shows in an <img>."""
    return data.startswith(_IMAGE_MAGIC)


def _cell_boxes(part) -> dict:
    # the cell boxes go to the Table when the Document contract has them (Table.boxes)
    return {"boxes": part.boxes} if "boxes" in Table.__dataclass_fields__ and getattr(part, "boxes", None) else {}
