"""What every reader (HTML, PDF, DOCX, text) hands to the later stages: one ``Document``.

The readers in ``parser/extract/`` turn bytes into a ``Document``; recognition, metadata, the
template tables, legacy prose and sections only ever look at a ``Document``, never at bytes or
at the file type. Pure data, no behaviour beyond small conveniences.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Table", "Document", "Attachment"]


@dataclass(slots=True)
class Table:
    """One logical table as a full grid.

    ``grid`` has every rowspan/colspan expanded (a merged cell's text repeated in each slot it
    covers), every row padded to the same width, cell text with whitespace folded (a ``<br>`` or a
    line break inside a cell becomes nothing between CJK characters, a space otherwise). A table
    continued on the next PDF page, or split in two in HTML, is joined by the reader only when it
    is sure; otherwise later stages see two tables. ``page`` is the 1-based PDF page where the
    table starts (None for HTML/DOCX); ``row_pages`` the page of each row, when known.

    ``boxes`` (PDF tables only; empty elsewhere) has the grid's shape: each slot's cell box on its
    row's page, ``(x0, top, x1, bottom)`` in points from the page's top-left (pdfplumber's
    convention), a merged cell's box repeated in each slot it covers, None where no cell was drawn.
    A ``(row, column)`` index into ``grid`` is what ``Evidence.cell`` records, and ``index`` (the
    table's place in ``Document.tables``) what ``Evidence.table`` records.
    """

    grid: list[list[str]]
    index: int = 0
    page: int | None = None
    row_pages: list[int | None] = field(default_factory=list)
    # the text just before the table (a caption or heading such as 三、收到和处理政府信息公开申请情况)
    caption: str = ""
    boxes: list[list[tuple[float, float, float, float] | None]] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.grid)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.grid), default=0)

    def page_of_row(self, i: int) -> int | None:
        if 0 <= i < len(self.row_pages) and self.row_pages[i] is not None:
            return self.row_pages[i]
        return self.page

    def box_of(self, i: int, j: int) -> tuple[float, float, float, float] | None:
        """The box of slot (i, j) on page ``page_of_row(i)``, when the reader knows it."""
        if 0 <= i < len(self.boxes) and 0 <= j < len(self.boxes[i]):
            return self.boxes[i][j]
        return None


@dataclass(slots=True)
class Document:
    """A report's content, independent of its file type.

    ``text`` is the main content in reading order, one paragraph a line; tables appear in it as
    one line per row with cells joined by a tab, so prose-only stages still see their numbers.
    ``page_texts`` holds each PDF page's text (empty for HTML/DOCX). ``meta`` holds what the page
    says about itself: HTML ``<meta>`` tags by lower-cased name (``articletitle``, ``pubdate``,
    ``sitename``, ``columnname``, ``contentsource``…), ``<title>`` under ``html_title``, values
    of a metadata table or byline (``发布日期``, ``发文机关``, ``来源``…) under their label with inner
    spaces removed, the DOCX/PDF core properties (``pdf_title``, ``docx_title``…).
    ``breadcrumbs`` is the page's location path (首页 > 信息公开 > 年度报告), outermost first.
    ``attachments`` lists the (link text, href) pairs of files linked from the content.
    """

    text: str
    media_type: str
    tables: list[Table] = field(default_factory=list)
    page_texts: list[str] = field(default_factory=list)
    title: str | None = None  # the content's own title line when the reader can tell it
    meta: dict[str, str] = field(default_factory=dict)
    breadcrumbs: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)
    url: str | None = None
    warnings: list[str] = field(default_factory=list)
    # a 繁體 document is converted to simplified characters by the extract stage (extract/script.py):
    # ``text`` and every other field are then simplified, ``original_text`` is the text as written
    original_text: str | None = None
    script: str = "simplified"  # "simplified" or "traditional": the script the document is written in
    # PDF pages read from PDFium's text (no ruling lines): page -> (that text, each run of digits in
    # it as (start, end, box on the page)); where a number read from the text is drawn
    page_numbers: dict[int, tuple[str, list[tuple[int, int, tuple[float, float, float, float]]]]] = \
        field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file linked from a report page (an 附表 statistics table as .doc/.docx/.xls-like PDF…).

    Handed to ``parser.parse(..., attachments=…)`` by whoever fetched it; the parser reads its
    tables as part of the page's report when the attachment is not a report of its own.
    """

    data: bytes
    media_type: str | None = None
    url: str | None = None
