"""Issue 14, items 6 and 3: an 80-column session of `reports`, `show`, `search` and `crawl` on a real
pseudo-terminal reads cleanly -- no line wider than the terminal, no title cut to a few characters
(no ellipsis), tables that leave out columns rather than break; in a pipe the listings are plain
TSV (or the --format asked)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rich.cells import cell_len
from rich.console import Console

from archive.output import Column, emit, table_of
from cli_homes import demo_home, run_tmux
from conftest import run_cli

WIDTH = 80


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(demo_home(tmp_path_factory))


def _check(text: str, width: int = WIDTH, cut: bool = False) -> list[str]:
    lines = text.splitlines()
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, too_wide[:3]
    if not cut:  # no cell cut short (search snippets say … themselves)
        assert "…" not in text
    return lines


def test_reports_show_search_at_80_columns(home: str):
    code, text = run_tmux("reports", "--home", home)
    assert code == 0, text
    lines = _check(text)
    assert lines[0].split()[:3] == ["id", "year", "region"] and "title" in lines[0]
    assert lines[-1].endswith("reports")
    rid = json.loads(run_cli("reports", "--json", "--region", "江宁", "--home", home).stdout)[0]["id"]
    code, text = run_tmux("show", str(rid), "--home", home)
    assert code == 0 and "三、收到和处理政府信息公开申请情况" in text
    _check(text)
    code, text = run_tmux("show", str(rid), "--evidence", "--home", home)
    _check(text)
    code, text = run_tmux("search", "依申请公开", "行政复议", "--home", home, "--limit", "5")
    assert code == 0 and "reports match" in text
    _check(text, cut=True)
    for cmd in (["status"], ["errors"], ["metrics"], ["sites"], ["compare", "--region", "江宁", "--shape", "by-year"],
                ["check", "--region", "江宁"]):
        code, text = run_tmux(*cmd, "--home", home) if cmd[0] not in ("metrics",) else run_tmux(*cmd)
        assert code == 0, (cmd, text)
        _check(text)


def test_crawl_at_80_columns(tmp_path):
    from replica import ReplicaServer

    with ReplicaServer(seed=0, delays=0.2) as rep:
        args = ["crawl", "--site", "yuhang", "--site", "jiangning", "--delay", "0", "--home", str(tmp_path / "h")]
        for host, target in rep.info.resolve.items():
            args += ["--resolve", f"{host}={target}"]
        code, text = run_tmux(*args)
    assert code == 0, text
    lines = _check(text)
    assert any("crawl summary" in line for line in lines)
    assert "distinct reports in the archive at" in text and "errors" in text


def test_tables_fit_any_width_and_pipes_get_tsv(home: str):
    rows = [{"id": 1, "title": "杭州市余杭区2017年度政府信息公开工作年度报告(图解)" * 2, "region": "浙江省杭州市余杭区",
             "extra": "x" * 30}]
    cols = (Column("id"), Column("region", wrap=True), Column("extra", priority=1), Column("title", wrap=True))
    for width in (40, 60, 80, 120):
        console = Console(width=width, record=True, file=io.StringIO())
        console.print(table_of(cols, rows, width))
        assert max(cell_len(line) for line in console.export_text().splitlines()) <= width
    r = run_cli("reports", "--home", home)  # a pipe: TSV, one line per report, a header of keys
    lines = r.stdout.splitlines()
    assert lines[0].split("\t") == ["id", "year", "region", "agency", "format", "n_metrics", "n_findings", "copies",
                                    "title"]
    assert all(len(line.split("\t")) == 9 for line in lines)
    r = run_cli("reports", "--format", "csv", "--home", home)
    assert next(csv.reader(io.StringIO(r.stdout)))[0] == "id"
    assert json.loads(run_cli("reports", "--format", "json", "--home", home).stdout)
    r = run_cli("check", "--home", home)  # findings in a pipe: one line each
    assert r.stdout.splitlines()[0].split("\t")[:3] == ["region", "agency", "year"]
    assert run_cli("reports", "--region", "余杭,江宁", "--home", home).stdout.count("\n") > 1
    r = run_cli("reports", "--format", "tall", "--home", home)
    assert r.returncode == 1 and "unknown format 'tall'" in r.stderr
    assert emit is not None
