"""A DOCX report -> ``Document`` (python-docx, reading the body XML in order).

Paragraphs and tables come in body order (content controls ``w:sdt`` opened), so each table
sits where it is and its caption is the paragraph just before it. Merged cells are expanded:
``w:gridSpan`` repeats a cell across the columns it spans, ``w:vMerge`` continuation cells take
the text of the cell that starts the merge, ``w:gridBefore`` leaves leading slots blank. A
table nested in a cell is read as a table of its own, after its outer table. Core properties
go to ``meta`` (``docx_title``, ``docx_author``, ``docx_created`` in ISO form); bylines in the
first paragraphs go to ``meta`` through the shared label parser. The container is checked by
``zipguard`` first (member count, inflated sizes, ratios): python-docx inflates every part, and
``zipfile`` never past the size the checked directory declares, so a zip bomb is refused unread.
"""
from __future__ import annotations

import io
import zipfile

from ..document import Document, Table
from ..errors import UnreadableError
from ..settings import ParseSettings
from .budget import Deadline
from .cjk import fold_lines, fold_spaces
from .labels import add_meta, read_byline
from .lines import pick_title
from .sniff import DOCX
from .zipguard import open_zip

__all__ = ["read_docx"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BYLINE_PARAGRAPHS = 12
_MAX_SPAN = 100


def read_docx(data: bytes, deadline: Deadline, settings: ParseSettings | None = None) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    open_zip(data, settings).close()  # refuses a bomb before python-docx inflates anything
    try:
        d = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableError(f"the DOCX file cannot be read ({exc})", reason="damaged_docx") from exc
    except Exception as exc:  # lxml.etree.XMLSyntaxError and the like from a damaged part
        raise UnreadableError(f"the DOCX file cannot be read ({type(exc).__name__})", reason="damaged_docx") from exc
    lines: list[str] = []
    tables: list[Table] = []
    last_was_table = False
    for kind, value in _body_items(d.element.body, deadline):
        if kind == "p":
            # a line break inside a paragraph (w:br) starts a new line, as <br> does in HTML
            new = [t for t in (fold_spaces(x) for x in value.split("\n")) if t]
            if new:
                lines.extend(new)
                last_was_table = False
            continue
        caption = "" if last_was_table or not lines else lines[-1]
        tables.append(Table(grid=value, index=len(tables), caption=caption))
        lines.extend("\t".join(row) for row in value)
        last_was_table = True
    meta: dict[str, str] = {}
    props = d.core_properties
    title = (props.title or "").strip()
    if title:
        meta["docx_title"] = title
    if (props.author or "").strip():
        meta["docx_author"] = props.author.strip()
    if props.created is not None:
        meta["docx_created"] = props.created.isoformat()
    prose = [ln for ln in lines if "\t" not in ln]
    for line in prose[:_BYLINE_PARAGRAPHS]:
        add_meta(meta, read_byline(line))
    doc = Document(text="\n".join(lines), media_type=DOCX, tables=tables, title=pick_title(prose[:8]),
                   meta=meta)
    images = [rel.target_part.blob for rel in d.part.rels.values() if rel.reltype.endswith("/image")
              and not rel.is_external]
    if images:  # a table pasted as a picture: read by OCR (parser.extract.ocr)
        from .ocr import add_image_tables, is_image

        doc = add_image_tables(doc, [b for b in images if is_image(b)], deadline)
    return doc


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr"):
        if el.tag == _W + "t":
            parts.append(el.text or "")
        elif el.tag == _W + "tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _body_items(container, deadline: Deadline):
    """('p', text) and ('t', grid) in document order."""
    for el in container:
        if el.tag == _W + "p":
            yield "p", _paragraph_text(el)
        elif el.tag == _W + "tbl":
            yield from _table_items(el, deadline)
        elif el.tag == _W + "sdt":
            content = el.find(_W + "sdtContent")
            if content is not None:
                yield from _body_items(content, deadline)


def _table_items(tbl, deadline: Deadline):
    deadline.check("DOCX tables")
    grid, nested = _table_grid(tbl)
    if grid:
        yield "t", grid
    for inner in nested:
        yield from _table_items(inner, deadline)


def _int_val(el, default: int = 1) -> int:
    if el is None:
        return default
    try:
        return max(0, min(int(el.get(_W + "val", default)), _MAX_SPAN))
    except ValueError:
        return default


def _table_grid(tbl) -> tuple[list[list[str]], list]:
    rows: list[list[str]] = []
    nested = []
    for tr in tbl.iter(_W + "tr"):
        if _owner_table(tr) is not tbl:
            continue
        row: list[str] = []
        trpr = tr.find(_W + "trPr")
        before = _int_val(trpr.find(_W + "gridBefore") if trpr is not None else None, 0)
        row.extend([""] * before)
        for tc in tr.findall(_W + "tc"):
            tcpr = tc.find(_W + "tcPr")
            span = max(1, _int_val(tcpr.find(_W + "gridSpan") if tcpr is not None else None))
            vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
            continues = vmerge is not None and vmerge.get(_W + "val", "continue") == "continue"
            col = len(row)
            if continues and rows and col < len(rows[-1]):
                text = rows[-1][col]
            else:
                paragraphs = [_paragraph_text(p) for p in tc if p.tag == _W + "p"]
                text = fold_lines("\n".join(paragraphs).splitlines())
            nested.extend(tc.findall(_W + "tbl"))
            row.extend([text] * span)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    grid = [r + [""] * (width - len(r)) for r in rows if any(r)]
    return grid, nested


def _owner_table(tr):
    parent = tr.getparent()
    while parent is not None and parent.tag != _W + "tbl":
        parent = parent.getparent()
    return parent
