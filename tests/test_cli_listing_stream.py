"""A listing in a pipe streams (issue 18: no command holds a national archive in memory).

`xxgk reports` in tsv, csv or json wrote nothing until it had every report's row in a list: 87 MB at
20,000 reports, ~6 GB projected at 1.5 M. It now reads the reports one publisher-year at a time and
their rows a thousand at a time, and writes them as they come. These tests hold the streamed bytes
to what ``emit`` prints of the whole list, and the listing to its chunks.
"""
from __future__ import annotations

import contextlib
import io
import json

import pytest

from archive.output import Column, emit, stream

COLUMNS = (Column("id", "id"), Column("title", "title"), Column("value", "value"))
_TITLES = ["a\tb", '中文,"引号"', None, "第一行\n第二行", "", "  spaces  "]
_VALUES = [1.5, None, [1, 2], [], {"a": [1, {"b": None}]}, 0, -0.0, True, "文本"]


def _rows(n: int) -> list[dict]:
    return [{"id": i, "title": _TITLES[i % len(_TITLES)], "value": _VALUES[i % len(_VALUES)], "extra": [i, "额外"]}
            for i in range(n)]


@pytest.mark.parametrize("fmt", ["tsv", "csv", "json"])
@pytest.mark.parametrize("n", [0, 1, 999, 1000, 1001, 2500])
@pytest.mark.parametrize("whole_rows", [False, True], ids=["columns", "whole rows"])
def test_a_streamed_listing_is_byte_for_byte_what_emit_prints(fmt: str, n: int, whole_rows: bool):
    rows = _rows(n)
    at_once, streamed = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(at_once):
        emit(rows, COLUMNS, fmt, console=None, json_rows=rows if whole_rows else None)
    with contextlib.redirect_stdout(streamed):
        stream(iter(rows), COLUMNS, fmt, whole_rows=whole_rows)
    assert streamed.getvalue() == at_once.getvalue()
    if fmt == "json":
        assert len(json.loads(streamed.getvalue())) == n


def test_a_stream_takes_its_rows_a_chunk_at_a_time():
    taken: list[int] = []
    seen_at_write: list[int] = []

    class Probe(io.StringIO):
        def write(self, text: str) -> int:
            seen_at_write.append(len(taken))
            return super().write(text)

    def rows():
        for row in _rows(2500):
            taken.append(row["id"])
            yield row

    out = Probe()
    with contextlib.redirect_stdout(out):
        stream(rows(), COLUMNS, "tsv", chunk=1000)
    assert out.getvalue().count("\n") == 2501
    assert seen_at_write == [0, 1000, 2000, 2500]  # the header, then each chunk as soon as it is read
    with pytest.raises(ValueError, match="cannot stream 'table'"):
        stream(iter(()), COLUMNS, "table")


def test_xxgk_reports_in_a_pipe_reads_the_rows_a_chunk_at_a_time(tmp_path, monkeypatch):
    """2,500 reports (copies among them): every format lists them as the whole listing did, and
    each query for their rows asks for at most a thousand."""
    from archive.catalog import Catalog
    from archive.commands import reports_command
    from archive.compare import Selection
    from archive.home import Home
    from archive.status import distinct_reports

    home = tmp_path / "home"
    with Home.open(home) as h:
        with h.catalog.write() as c:
            for i in range(2500):
                c.execute("INSERT INTO documents(id, sha256, size, media_type, created_at, status) "
                          "VALUES (?, ?, 1, 'text/html', 'now', 'parsed')", (i + 1, f"{i:064x}"))
                c.execute("INSERT INTO reports(id, document_id, title, year, region, region_code, agency, format, "
                          "parser_version, parsed_at, record_json) VALUES (?, ?, ?, ?, ?, ?, '', 'gb2021', 't', 'now', "
                          "'{}')", (i + 1, i + 1, f"报告{i}", 2015 + i % 8, f"浙江省杭州市第{i // 16}区",
                                    f"{330100 + i // 16:06d}"))
        whole = distinct_reports(h.catalog.conn, Selection())
        rows_of = {r["id"]: r for r in h.catalog.list_reports(ids=[k.id for k in whole])}
    assert len(whole) < 2500  # the copies (publisher-years of two reports) stand behind one

    asked: list[int] = []
    real = Catalog.list_reports

    def counting(self, flt=None, *, ids=None, **kw):
        asked.append(len(ids or ()))
        return real(self, flt, ids=ids, **kw)

    monkeypatch.setattr(Catalog, "list_reports", counting)
    for fmt in ("tsv", "csv", "json"):
        asked.clear()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            reports_command.reports(home=home, fmt=fmt)
        expected = [{**rows_of[k.id], "copies": 1 + len(k.merged), "merged_report_ids": k.merged} for k in whole]
        at_once = io.StringIO()
        with contextlib.redirect_stdout(at_once):
            emit(expected, reports_command.REPORT_COLUMNS, fmt, console=None,
                 json_rows=expected if fmt == "json" else None)
        assert out.getvalue() == at_once.getvalue()
        assert asked and max(asked) <= 1000 and sum(asked) == len(whole), asked
