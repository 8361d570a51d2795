"""PDF page items -> one ``Document``: tables joined across page breaks, captions, paragraphs.

A page is a list of items in reading order: a prose line (str) or the index of a table part
(``PageTable``) found on it. ``page_items`` builds a table page's items (the text between the
tables, from pdfium's text page or from pdfplumber's lines, and each table's index);
``strip_furniture`` drops page numbers; ``assemble`` joins the table parts run on across a page
break, gives each table its caption (the prose line just before its first row, empty when a
table comes right before), renders each table as tab-joined rows where it starts, and joins
wrapped lines into paragraphs.
"""
from __future__ import annotations

from ..document import Document, Table
from .pdf_tables import PageTable, join_continued
from .pdf_text import join_wrapped, repair_line, split_lines, strip_page_furniture
from .sniff import PDF

__all__ = ["page_items", "strip_furniture", "assemble"]


def strip_furniture(items: list) -> list:
    """Page numbers off a page's first and last prose lines."""
    lines = [x for x in items if isinstance(x, str)]
    kept = strip_page_furniture(lines)
    if len(kept) == len(lines):
        return items
    head = lines.index(kept[0]) if kept else len(lines)
    drop = set(range(head)) | set(range(head + len(kept), len(lines)))
    out, k = [], 0
    for x in items:
        if isinstance(x, str):
            if k not in drop:
                out.append(x)
            k += 1
        else:
            out.append(x)
    return out


def page_items(page, found: list[PageTable], tp, size, use_plumber: bool) -> list:
    """A table page's items: the text lines between the tables, and each table's index on the page."""
    width, height = size

    plumber_lines = None
    if use_plumber or tp is None:
        # one layout pass for the whole page; each band takes its lines by position
        plumber_lines = [(ln["top"], ln["text"]) for ln in page.extract_text_lines(return_chars=False)]

    def band(top: float, bottom: float) -> list:
        if bottom - top < 1:
            return []
        if plumber_lines is not None:
            text = "\n".join(t for y, t in plumber_lines if top <= y < bottom)
        else:
            text = tp.get_text_bounded(left=0, bottom=height - bottom, right=width, top=height - top)
        return [repair_line(ln) for ln in split_lines(text)]

    items: list = []
    y = 0.0
    for k, t in enumerate(found):
        items += band(y, t.top - 0.5)
        items.append(k)
        y = t.bottom + 0.5
    items += band(y, page.height)
    return items


def assemble(pages: list[list], parts: list[PageTable]) -> Document:
    # join table parts run on across a page break; owner[k] = index of the joined table of part k
    joined: list[PageTable] = []
    owner: dict[int, int] = {}
    for k, part in enumerate(parts):
        merged = None
        if joined and _nothing_between(k - 1, k, parts, pages):
            merged = join_continued(joined[-1], part)
        if merged is not None:
            joined[-1] = merged
        else:
            joined.append(part)
        owner[k] = len(joined) - 1
    first_part = {j: min(k for k, o in owner.items() if o == j) for j in set(owner.values())}
    captions: dict[int, str] = {}
    doc_lines: list[tuple[str, bool]] = []
    last_prose, after_table = "", False
    for items in pages:
        for x in items:
            if isinstance(x, str):
                doc_lines.append((x, False))
                last_prose, after_table = x, False
                continue
            j = owner[x]
            if first_part[j] == x:
                captions[j] = "" if after_table else last_prose
                doc_lines += [("\t".join(row), True) for row in joined[j].grid]
            after_table = True
    tables = [Table(grid=t.grid, index=j, page=t.page, row_pages=list(t.row_pages), caption=captions.get(j, ""),
                    boxes=t.boxes) for j, t in enumerate(joined)]
    page_texts = ["\n".join(join_wrapped(_page_lines(items, parts))) for items in pages]
    return Document(text="\n".join(join_wrapped(doc_lines)), media_type=PDF, tables=tables,
                    page_texts=page_texts)


def _page_lines(items: list, parts: list[PageTable]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for x in items:
        if isinstance(x, str):
            out.append((x, False))
        else:
            out += [("\t".join(row), True) for row in parts[x].grid]
    return out


def _nothing_between(a: int, b: int, parts: list[PageTable], pages: list[list]) -> bool:
    """Part ``a`` ends its page and part ``b`` opens the next: one table run on."""
    pa, pb = parts[a], parts[b]
    if pb.page != pa.page + 1:
        return False
    items_a, items_b = pages[pa.page - 1], pages[pb.page - 1]
    return bool(items_a) and items_a[-1] == a and bool(items_b) and items_b[0] == b
