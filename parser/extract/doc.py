"""A legacy Word 97–2003 ``.doc`` (or a ``.wps`` saved in the same binary format) -> ``Document``.

    read_doc(data, deadline) -> Document

Opens the OLE2 compound file with ``olefile``, reads the FIB from the WordDocument stream, the
piece table from the 0Table/1Table stream (``doc_binary``) and rebuilds the main document's
text. Paragraph marks (``\\r``) end paragraphs; cell marks (``\\x07``) end table cells, and the
one that carries the row-end property (TTP, from the paragraph properties) ends a row; rows
become one ``Table`` with a rectangular grid (``doc_tables``: horizontal merges expanded from the
cells' edges, vertical merges from their flags). Fields keep their result, not their code
(``\\x13 code \\x14 result \\x15``); pictures, object anchors and other control characters go.
The SummaryInformation stream gives ``meta`` ``doc_title``, ``doc_author``, ``doc_created``
(``doc_summary``).

A table nested in a cell is a table of its own, after its outer table (as the DOCX reader does;
one level deep: deeper tables join the nested one's cells). Limits: a file without
paragraph properties has its rows guessed from the cell marks alone (an empty last cell then
ends the row early); Word 6/95 files (nFib < 193) are refused.
Errors (``UnreadableError``): ``encrypted_doc`` (password or XOR obfuscation, also an encrypted
OOXML file, which is an OLE2 container), ``damaged_doc`` (the container or the Word structures
are broken), ``word95_unsupported``, ``wps_unsupported`` (a WPS/Works file in its own format),
``unsupported_format`` (an Excel or PowerPoint OLE2 file).
"""
from __future__ import annotations

import io
import logging
import re
import struct

from ..document import Document, Table
from ..errors import UnreadableError
from .budget import Deadline
from .cjk import fold_lines, fold_spaces
from .doc_binary import NFIB_WORD97, DocFormatError, ParagraphProps, main_text, read_fib, read_pieces
from .doc_summary import summary_meta
from .doc_tables import RowLayout, build_grid, paragraph_props
from .labels import add_meta, read_byline
from .lines import pick_title
from .sniff import DOC

__all__ = ["read_doc"]

log = logging.getLogger(__name__)

_BYLINE_PARAGRAPHS = 12
_MARKS = re.compile("[\r\x07\x13\x14\x15]")
# characters inside a paragraph: line-like breaks become a line break, the rest of C0 goes
_INLINE = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x0e": "\n", "\t": " ", "\x1e": "-", "\xa0": " "}
                        | {c: None for c in range(32) if c not in (9, 10, 11, 12, 14)})
# which OLE2 files are not Word documents, by a stream they carry
_OTHER_OLE = (("EncryptedPackage", "encrypted_doc", "an encrypted (password-protected) Office file"),
              ("Workbook", "unsupported_format", "an Excel workbook (.xls), not a Word document"),
              ("Book", "unsupported_format", "an Excel workbook (.xls), not a Word document"),
              ("PowerPoint Document", "unsupported_format", "a PowerPoint file (.ppt), not a Word document"),
              ("CONTENTS", "wps_unsupported", "a Works/WPS file in its own format (not Word 97): save it as DOC, DOCX or PDF"),
              ("WksSSWorkBook", "wps_unsupported", "a WPS spreadsheet, not a Word document"))


def read_doc(data: bytes, deadline: Deadline) -> Document:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:  # olefile raises OSError and assorted errors on a broken container
        raise UnreadableError(f"the OLE2 container of this .doc cannot be read ({exc})", reason="damaged_doc") from exc
    with ole:
        _refuse_other_formats(ole)
        try:
            text, props, meta = _read_streams(ole)
            lines, tables = _assemble(text, props, deadline)
        # DocFormatError is a ValueError; OSError is olefile's word for a broken sector chain;
        # struct.error/IndexError would be an offset the checks missed: damaged either way
        except (ValueError, OSError, struct.error, IndexError) as exc:
            raise UnreadableError(f"the .doc file is damaged: {exc}", reason="damaged_doc") from exc
    prose = [ln for ln in lines if "\t" not in ln]
    for line in prose[:_BYLINE_PARAGRAPHS]:
        add_meta(meta, read_byline(line))
    return Document(text="\n".join(lines), media_type=DOC, tables=tables, title=pick_title(prose[:8]), meta=meta)


def _refuse_other_formats(ole) -> None:
    if ole.exists("WordDocument"):
        return
    for stream, reason, message in _OTHER_OLE:
        if ole.exists(stream):
            raise UnreadableError(message, reason=reason)
    raise UnreadableError("an OLE2 file without a WordDocument stream (not a Word document)",
                          reason="unsupported_format")


def _read_streams(ole) -> tuple[str, ParagraphProps, dict[str, str]]:
    word = ole.openstream("WordDocument").read()
    fib = read_fib(word)
    if fib.encrypted or fib.obfuscated:
        raise UnreadableError("the .doc file is password-protected (encrypted)", reason="encrypted_doc")
    if fib.nfib < NFIB_WORD97:
        raise UnreadableError(f"a Word 6/95 file (nFib {fib.nfib}): save it as DOC 97 or DOCX",
                              reason="word95_unsupported")
    if not ole.exists(fib.table_stream):
        raise DocFormatError(f"the {fib.table_stream} stream the FIB names is missing")
    table = ole.openstream(fib.table_stream).read()
    data = ole.openstream("Data").read() if ole.exists("Data") else b""
    pieces = read_pieces(table, fib)
    text = main_text(word, pieces, fib.ccp_text)
    return text, ParagraphProps(word, table, data, fib, pieces), _summary(ole)


def _summary(ole) -> dict[str, str]:
    if not ole.exists("\x05SummaryInformation"):
        return {}
    try:
        return summary_meta(ole.openstream("\x05SummaryInformation").read())
    except OSError:  # a broken sector chain costs the metadata, not the document
        log.debug("unreadable SummaryInformation", exc_info=True)
        return {}


class _Rows:
    """The rows of one table being read: cell paragraphs -> cells -> rows."""

    def __init__(self):
        self.rows: list[tuple[list[str], RowLayout | None]] = []
        self.cells: list[str] = []
        self.parts: list[str] = []

    def cell_end(self, raw: str) -> None:
        self.parts.append(raw)
        self.cells.append(fold_lines("\n".join(self.parts).splitlines()))
        self.parts = []

    def row_end(self, layout: RowLayout | None) -> None:
        if self.parts:
            self.cell_end("")
        if self.cells:
            self.rows.append((self.cells, layout))
        self.cells = []

    def grid(self) -> list[list[str]]:
        self.row_end(None)
        grid = [r for r in build_grid(self.rows) if any(r)]
        self.rows = []
        return grid


class _Builder:
    """Paragraphs and table rows in document order -> text lines and Tables."""

    def __init__(self):
        self.lines: list[str] = []
        self.tables: list[Table] = []
        self.rows: list[tuple[list[str], RowLayout | None]] = []
        self.cells: list[str] = []
        self.cell_parts: list[str] = []
        self.caption = ""
        self.last_was_table = False
        self.nested: list[list[list[str]]] = []  # grids of tables nested in this table's cells
        self.inner = _Rows()

    def inner_paragraph(self, raw: str, props) -> None:
        if props.inner_row_end:
            self.inner.row_end(props.layout)
        elif props.inner_cell_end:
            self.inner.cell_end(raw)
        else:
            self.inner.parts.append(raw)

    def _close_inner(self) -> None:
        grid = self.inner.grid()
        if grid:
            self.nested.append(grid)

    def paragraph(self, raw: str) -> None:
        self.close_table()
        new = [t for t in (fold_spaces(x) for x in raw.split("\n")) if t]
        if new:
            self.lines.extend(new)
            self.last_was_table = False

    def cell_paragraph(self, raw: str) -> None:
        if not self.rows and not self.cells and not self.cell_parts:
            self.caption = "" if self.last_was_table or not self.lines else self.lines[-1]
        self.cell_parts.append(raw)

    def cell_end(self, raw: str) -> None:
        self._close_inner()
        self.cell_paragraph(raw)
        self.cells.append(fold_lines("\n".join(self.cell_parts).splitlines()))
        self.cell_parts = []

    def row_end(self, layout: RowLayout | None) -> None:
        if self.cells or self.cell_parts:
            if self.cell_parts:
                self.cell_end("")
            self.rows.append((self.cells, layout))
        self.cells = []

    def close_table(self) -> None:
        self._close_inner()
        self.row_end(None) if (self.cells or self.cell_parts) else None
        if not self.rows:
            return
        grid = [r for r in build_grid(self.rows) if any(r)]
        self.rows = []
        for i, g in enumerate([grid, *self.nested] if grid else self.nested):
            caption = self.caption if i == 0 and g is grid else ""
            self.tables.append(Table(grid=g, index=len(self.tables), caption=caption))
            self.lines.extend("\t".join(row) for row in g)
            self.last_was_table = True
        self.nested = []


def _assemble(text: str, props: ParagraphProps, deadline: Deadline) -> tuple[list[str], list[Table]]:
    out = _Builder()
    fields: list[bool] = []  # one entry per open field: True while in its code, False in its result
    parts: list[str] = []
    pos = 0
    previous_mark = ""
    for n, m in enumerate(_MARKS.finditer(text)):
        if n % 2000 == 0:
            deadline.check("the .doc text")
        if not any(fields):
            parts.append(text[pos:m.start()])
        pos = m.end()
        mark = m.group()
        if mark == "\x13":
            fields.append(True)
        elif mark == "\x14":
            if fields:
                fields[-1] = False
        elif mark == "\x15":
            if fields:
                fields.pop()
        else:
            raw = "".join(parts).translate(_INLINE)
            parts = []
            _paragraph_end(out, props, m.start(), mark, raw, previous_mark)
            previous_mark = mark
    if not any(fields):
        parts.append(text[pos:])
    out.paragraph("".join(parts).translate(_INLINE))
    out.close_table()
    return out.lines, out.tables


def _paragraph_end(out: _Builder, props: ParagraphProps, cp: int, mark: str, raw: str, previous: str) -> None:
    grpprl = props.grpprl_at(cp)
    p = paragraph_props(grpprl)
    # a cell mark without table properties (none recorded, or a damaged file):
    if mark == "\x07" and (not grpprl or p.depth == 0):
        # an empty cell mark right after a cell mark is taken as the row end
        if not raw.strip() and previous == "\x07" and out.cells and not out.cell_parts:
            out.row_end(None)
        else:
            out.cell_end(raw)
        return
    if p.depth == 0:
        out.paragraph(raw)
    elif p.row_end:
        out.row_end(p.layout)
    elif mark == "\x07" and p.depth == 1:
        out.cell_end(raw)
    elif p.depth >= 2:
        out.inner_paragraph(raw, p)
    else:
        out.cell_paragraph(raw)
