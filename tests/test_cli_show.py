"""Issue 14, item 10: `xxgk show` leads with what a reader wants and lays out the numbers as the
report's tables (--evidence on demand); `xxgk open ID` saves the original file under a readable
name; `xxgk cat ID` prints the extracted text."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cli_homes import demo_home
from conftest import EXAMPLES, run_cli


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(demo_home(tmp_path_factory))


def _report(home: str, **want) -> dict:
    rows = json.loads(run_cli("reports", "--all-copies", "--json", "--home", home).stdout)
    return next(r for r in rows if all(r.get(k) == v for k, v in want.items()))


def test_show_leads_with_what_a_reader_wants(home: str):
    rep = _report(home, region="江苏省南京市江宁区", year=2019)
    r = run_cli("show", str(rep["id"]), "--home", home)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(rep["title"])
    head = "\n".join(lines[:10])
    for part in ("publisher: 江苏省南京市江宁区", "year: 2019 · published", "source: ", rep["url"][:40],
                 "era: gb2019", "headline: 新收申请 296", "findings: "):
        assert part in head, part
    assert "None" not in r.stdout and "table 0" not in r.stdout
    # the numbers as the report's tables, labelled in Chinese
    assert "二、主动公开政府信息情况" in r.stdout and "三、收到和处理政府信息公开申请情况" in r.stdout
    t3 = r.stdout.split("三、收到和处理政府信息公开申请情况")[1]
    assert "自然人" in t3 and "本年新收申请" in t3 and "办理总计" in t3
    assert len(lines) < 100  # was 216 raw lines
    ev = run_cli("show", str(rep["id"]), "--evidence", "--home", home).stdout
    assert "where the report states it" in ev and "本年新收政府信息公开申请数量" in ev or "本年新收" in ev
    assert "crawl: http" in ev  # every source with --evidence


def test_show_of_a_legacy_report_lists_the_prose_figures(home: str):
    rep = _report(home, region="浙江省杭州市余杭区", year=2017, url=(EXAMPLES / "yuhang-2017.txt").resolve().as_uri())
    out = run_cli("show", str(rep["id"]), "--home", home).stdout
    assert "era: legacy" in out and "正文（2019年以前的报告）" in out and "三、收到" not in out
    assert "当面申请" in out and "1,984" in out
    ev = run_cli("show", str(rep["id"]), "--evidence", "--home", home).stdout
    assert "共收到政府信息公开申请1984件" in ev.replace("\n", "").replace(" ", "")


def test_open_saves_the_original_under_a_readable_name_and_cat_prints_the_text(home: str, tmp_path: Path):
    rep = _report(home, region="浙江省杭州市余杭区", year=2017, url=(EXAMPLES / "yuhang-2017.txt").resolve().as_uri())
    r = run_cli("open", str(rep["id"]), "-o", str(tmp_path), "--home", home)
    assert r.returncode == 0, r.stderr
    saved = Path(r.stdout.strip())
    assert saved.parent == tmp_path and saved.name.startswith("2017-余杭区-政府信息公开工作年度报告")
    assert saved.suffix == ".txt"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == rep["sha256"]
    gb = _report(home, region="江苏省南京市江宁区", year=2019)
    saved = Path(run_cli("open", str(gb["id"]), "-o", str(tmp_path), "--home", home).stdout.strip())
    assert saved.name == "2019-江宁区-政府信息公开工作年度报告.html"
    text = run_cli("cat", str(gb["id"]), "--home", home)
    assert text.returncode == 0 and text.stdout.startswith(gb["title"]) and "本年新收政府信息公开申请数量" in text.stdout
    for cmd in ("show", "open", "cat"):
        r = run_cli(cmd, "999999999", "--home", home)
        assert r.returncode == 1 and "no report with id 999999999" in r.stderr
    r = run_cli("open", str(gb["id"]), "-o", str(tmp_path / "no" / "such" / "x.html"), "--home", home)
    assert r.returncode == 1 and "no such folder" in r.stderr and not (tmp_path / "no").exists()
