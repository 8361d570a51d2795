"""Listings for people and for pipes: one description of the columns, four renderings.

    table   a terminal (the default there): fitted to its width -- columns of less value are left
            out first, long text wraps inside its column, a title is never cut to a few characters
    tsv     stdout is not a terminal (the default there): a header line of keys, one line per row,
            tabs and newlines inside a cell turned into spaces
    csv     RFC 4180, UTF-8 without a BOM
    json    a list of objects; the keys are the columns' English keys in every language

A command describes its listing as ``Column``s (key, header, priority, wrap) and rows as dicts,
and calls ``emit``. ``resolve_format`` picks the format from ``--format``/``--json`` and whether
stdout is a terminal. Table headers go through ``archive.i18n`` (Chinese with ``--lang zh``);
TSV/CSV headers and JSON keys stay the keys, for scripts.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from index.value_class import value_class

from .errors import InputError

if TYPE_CHECKING:  # rich is imported by the table rendering only: tsv, csv and json do without it
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

__all__ = ["Column", "OUTPUT_FORMATS", "resolve_format", "emit", "stream", "fit_columns", "table_of", "tsv_text",
           "csv_text", "cell_text", "stdout_is_terminal", "check_output_path", "fold", "GAP"]

OUTPUT_FORMATS = ("table", "tsv", "csv", "json")
GAP = 2  # spaces between two columns of a terminal table
_NO_LINE_START = set("，。、；：！？）」』》〉】…,.;:!?)]}%")  # Chinese line breaking: no line starts with these
_NO_LINE_END = set("（「『《〈【([{")
_WRAP_MIN = 12  # cells a wrapping column keeps at least (6 Chinese characters)


@value_class(frozen=True)
class Column:
    """One column of a listing.

    ``priority`` 0 is always shown; a terminal too narrow for every column leaves out the highest
    priority first (the rightmost among equals). ``wrap``: long text that may wrap inside the
    column (at least ``min_width`` cells wide); other columns are as wide as their widest cell.
    """

    key: str
    header: str = ""
    priority: int = 0
    wrap: bool = False
    min_width: int = 0
    justify: str = "left"

    @property
    def title(self) -> str:
        return self.header or self.key


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def resolve_format(fmt: str | None, *, json_flag: bool = False, terminal: bool | None = None) -> str:
    """``--format`` if given (``--json`` is ``--format json``), else table on a terminal, tsv in a pipe."""
    if json_flag:
        return "json"
    if fmt:
        f = fmt.strip().lower()
        if f not in OUTPUT_FORMATS:
            raise InputError(f"unknown format {fmt!r}: use {', '.join(OUTPUT_FORMATS)}")
        return f
    return "table" if (stdout_is_terminal() if terminal is None else terminal) else "tsv"


def cell_text(value: Any) -> str:
    """A cell as text: empty for None, 12 not 12.0, no tabs or newlines."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return " ".join(cell_text(v) for v in value)
    return " ".join(str(value).split()) if any(c in str(value) for c in "\t\r\n") else str(value)


def _widths(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]],
            headers: Mapping[str, str]) -> dict[str, tuple[int, int]]:
    """(natural, least) width of each column: its widest cell; a wrapping column may go down to its minimum."""
    from rich.cells import cell_len

    out = {}
    for c in columns:
        head = cell_len(headers.get(c.key, c.title))
        widest = max((cell_len(cell_text(r.get(c.key))) for r in rows), default=0)
        natural = max(head, widest)
        least = min(natural, max(c.min_width or _WRAP_MIN, head)) if c.wrap else natural
        out[c.key] = (natural, least)
    return out


def fit_columns(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], width: int,
                headers: Mapping[str, str] | None = None) -> list[tuple[Column, int]]:
    """The columns that fit ``width`` terminal cells, each with its width.

    A column of optional value (priority > 0) whose cells are all empty is left out; then, while
    the columns do not fit (or fit only by squeezing an essential wrapping column, a title, below
    twice its least width), the column of highest priority (the rightmost among equals); the room
    left goes to the wrapping columns, those of least value and then the widest giving way first."""
    headers = headers or {}
    widths = _widths(columns, rows, headers)
    shown = [c for c in columns if c.priority == 0 or any(cell_text(r.get(c.key)) for r in rows)]
    while True:
        size = _squeeze(shown, widths, width)
        cramped = sum(size.values()) + GAP * (len(shown) - 1) > width or any(
            c.wrap and c.priority == 0 and size[c.key] < min(widths[c.key][0], 2 * widths[c.key][1]) for c in shown)
        droppable = [c for c in shown if c.priority > 0]
        if not cramped or not droppable or len(shown) <= 1:
            return [(c, size[c.key]) for c in shown]
        shown.remove(max(droppable, key=lambda c: (c.priority, shown.index(c))))


def _squeeze(shown: list[Column], widths: dict[str, tuple[int, int]], width: int) -> dict[str, int]:
    size = {c.key: widths[c.key][0] for c in shown}
    excess = sum(size.values()) + GAP * (len(shown) - 1) - width
    while excess > 0:
        wrapping = [c for c in shown if c.wrap and size[c.key] > widths[c.key][1]]
        if not wrapping:
            break
        # the columns of least value give way first; among equals, the widest
        lowest = max(c.priority for c in wrapping)
        wrapping = [c for c in wrapping if c.priority == lowest]
        widest = max(wrapping, key=lambda c: size[c.key])
        others = [size[c.key] for c in wrapping if c is not widest]
        # down to the next widest (or its own least width), at most what is in excess
        target = max(widths[widest.key][1], max(others, default=0), size[widest.key] - excess)
        if target >= size[widest.key]:
            target = size[widest.key] - 1
        excess -= size[widest.key] - target
        size[widest.key] = target
    return size


def table_of(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], width: int,
             headers: Mapping[str, str] | None = None, title: str | None = None) -> Table:
    """A rich Table of the columns that fit ``width``, each at the width ``fit_columns`` gives it;
    wrapping columns fold long text, the others never break."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if headers is None:  # the headers in the interface's language (archive.i18n)
        from .i18n import _

        headers = {c.key: _(c.title) for c in columns}
        title = _(title) if title else title
    t = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False, collapse_padding=True,
              title=title, title_justify="left", header_style="bold")
    shown = fit_columns(columns, rows, width, headers)
    for c, w in shown:
        t.add_column(headers.get(c.key, c.title), width=w, no_wrap=not c.wrap, overflow="fold",
                     justify=c.justify)  # type: ignore[arg-type]
    for r in rows:
        # wrapping columns are folded here, by terminal cells: Chinese breaks between any two
        # characters, so a cell never leaves a line all but empty before a long sentence
        t.add_row(*(Text("\n").join(fold(cell_text(r.get(c.key)), w)) if c.wrap else Text(cell_text(r.get(c.key)))
                    for c, w in shown))
    return t


def fold(text: Text | str, width: int, indent: str = "") -> list[Text]:
    """Lines of at most ``width`` terminal cells: Chinese breaks between any two characters, a
    run of Latin letters or digits only after a space or a URL's / ? &, or where it must; the lines after the first
    start with ``indent``. Styles are kept."""
    from rich.cells import cell_len
    from rich.text import Text

    t = text if isinstance(text, Text) else Text(text)
    plain = t.plain
    lines: list[Text] = []
    start, used, last_break = 0, 0, None
    limit = width
    i = 0
    while i < len(plain):
        w = cell_len(plain[i])
        if used + w > limit and i > start:
            cut = last_break if last_break is not None and last_break > start else i
            lines.append(t[start:cut])
            start = cut
            while start < len(plain) and plain[start] == " ":
                start += 1
            limit = max(8, width - cell_len(indent))
            used, last_break = 0, None
            i = start
            continue
        used += w
        i += 1
        # a break is allowed after a space or a URL's / ? &, and between characters that are not
        # both Latin letters or digits -- never before closing punctuation nor after opening (，。） （)
        if i < len(plain) and (plain[i - 1] in " /?&-" or not (plain[i - 1].isascii() and plain[i].isascii())) \
                and plain[i] not in _NO_LINE_START and plain[i - 1] not in _NO_LINE_END:
            last_break = i
    lines.append(t[start:])
    return [line if n == 0 else Text(indent) + line for n, line in enumerate(lines)]


def _tsv_line(columns: Sequence[Column], r: Mapping[str, Any]) -> str:
    return "\t".join(cell_text(r.get(c.key)).replace("\t", " ") for c in columns)


def tsv_text(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> str:
    lines = ["\t".join(c.key for c in columns)]
    lines += (_tsv_line(columns, r) for r in rows)
    return "\n".join(lines) + "\n"


def csv_text(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], *, header: bool = True) -> str:
    import csv  # only for csv: a tsv or json listing does without it
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow([c.key for c in columns])
    w.writerows([cell_text(r.get(c.key)) for c in columns] for r in rows)
    return buf.getvalue()


def _json_item(data: Any) -> str:
    """One object of a JSON list as ``json.dumps(the_list, indent=1)`` lays it out."""
    return " " + json.dumps(data, ensure_ascii=False, indent=1, default=str).replace("\n", "\n ")


def stream(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], fmt: str, *, whole_rows: bool = False,
           chunk: int = 1000) -> None:
    """What ``emit`` prints of ``rows`` in tsv, csv or json (``whole_rows``: each row's every key, as
    ``json_rows=rows``), byte for byte, written ``chunk`` rows at a time as they come: a listing of
    every report of a national archive holds one chunk, not the archive."""
    import gc
    from itertools import islice

    # a plain command line starts with the collector off (archive.cli.main); json's indenting encoder
    # leaves a cycle behind every row it lays out, and a national archive has millions of them
    gc.enable()
    out = sys.stdout
    if fmt == "tsv":
        out.write("\t".join(c.key for c in columns) + "\n")
    elif fmt == "csv":
        out.write(csv_text(columns, ()))
    elif fmt != "json":
        raise ValueError(f"cannot stream {fmt!r}: tsv, csv or json")
    rows = iter(rows)
    first = True
    while part := list(islice(rows, chunk)):
        if fmt == "tsv":
            out.write("".join(_tsv_line(columns, r) + "\n" for r in part))
        elif fmt == "csv":
            out.write(csv_text(columns, part, header=False))
        else:
            items = (r if whole_rows else {c.key: r.get(c.key) for c in columns} for r in part)
            out.write(("[\n" if first else ",\n") + ",\n".join(map(_json_item, items)))
        first = False
    if fmt == "json":
        out.write("[]\n" if first else "\n]\n")
    out.flush()


def emit(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], fmt: str, *, console: Console | None,
         json_rows: Any = None, title: str | None = None) -> None:
    """Print ``rows`` in ``fmt``: a table on ``console``, the other formats on stdout (``console``
    may be None for them). JSON prints ``json_rows`` when given (a command's full objects)."""
    if fmt == "json":
        data = json_rows if json_rows is not None else [{c.key: r.get(c.key) for c in columns} for r in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
    elif fmt == "tsv":
        sys.stdout.write(tsv_text(columns, rows))
    elif fmt == "csv":
        sys.stdout.write(csv_text(columns, rows))
    else:
        from .i18n import _

        headers = {c.key: _(c.title) for c in columns}
        console.print(table_of(columns, rows, console.width, headers, title=_(title) if title else None))
    sys.stdout.flush()


def check_output_path(path: Path, *, what: str = "write") -> Path:
    """A file the user asked to write: its folder must exist and be writable, and it must not be a
    folder. Checked before any work, so a bad ``-o`` is one line and nothing is created."""
    import os

    p = Path(path).expanduser()
    if p.exists() and p.is_dir():
        raise InputError(f"cannot {what} {p}: it is a folder, give a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise InputError(f"cannot {what} {p}: no such folder {parent}")
    if not parent.is_dir():
        raise InputError(f"cannot {what} {p}: {parent} is not a folder")
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise InputError(f"cannot {what} {p}: permission denied")
    return p

