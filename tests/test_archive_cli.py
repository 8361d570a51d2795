"""The real `xxgk` command line against a real temporary home."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES, SAMPLES, run_cli


def test_help_lists_commands_and_every_command_has_an_example():
    r = run_cli("--help")
    assert r.returncode == 0
    for cmd in ("import", "reports", "show", "reparse", "parse", "demo"):
        assert cmd in r.stdout
        sub = run_cli(cmd, "--help")
        assert sub.returncode == 0 and "Example" in sub.stdout, cmd


def test_import_list_show(tmp_path: Path):
    home = str(tmp_path / "h")
    r = run_cli("import", str(SAMPLES / "yuhang-2017.txt"), "--home", home)
    assert r.returncode == 0, r.stderr
    assert "1 new, 0 already archived, 1 parsed" in r.stdout
    r = run_cli("reports", "--home", home, "--json")
    rows = json.loads(r.stdout)
    assert len(rows) == 1 and rows[0]["year"] == 2017 and rows[0]["region"] == "浙江省杭州市余杭区"
    rid = rows[0]["id"]
    assert json.loads(run_cli("reports", "--home", home, "--json", "--year", "2018-2020").stdout) == []
    assert len(json.loads(run_cli("reports", "--home", home, "--json", "--region", "余杭", "--year", "2017").stdout)) == 1
    r = run_cli("show", str(rid), "--home", home, "--evidence")  # issue 14: evidence and sources on demand
    assert r.returncode == 0 and "新收申请" in r.stdout and "共收到政府信息公开申请1984件" in "".join(r.stdout.split())
    assert "import: file://" in r.stdout
    shown = json.loads(run_cli("show", str(rid), "--home", home, "--json").stdout)
    assert shown["record"]["metrics"]["review.total"] == 34


def test_user_mistakes_are_one_line_errors(tmp_path: Path):
    home = str(tmp_path / "h")
    r = run_cli("reports", "--home", home)
    assert r.returncode == 1 and r.stderr.startswith("error: no archive at")
    run_cli("import", str(SAMPLES / "yuhang-2017.txt"), "--home", home)
    for args, msg in ((["show", "999", "--home", home], "no report with id 999"),
                      (["reports", "--year", "20x", "--home", home], "not a year"),
                      (["reports", "--format", "pdf", "--home", home], "unknown format")):
        r = run_cli(*args)
        assert r.returncode == 1 and msg in r.stderr and "Traceback" not in r.stderr, args


def test_parse_contract(tmp_path: Path):
    r = run_cli("parse", str(SAMPLES / "yuhang-2017.txt"), "--json")
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    assert set(record) >= {"title", "year", "region", "region_code", "agency", "published", "format", "source",
                           "metrics", "evidence", "sections", "findings", "parser_version"}
    assert record["metrics"]["applications.new.total"] == 1984
    notice = tmp_path / "notice.html"
    notice.write_text("<html><body><p>关于举办运动会的通知</p></body></html>", encoding="utf-8")
    r = run_cli("parse", str(notice), "--json")
    assert r.returncode == 2 and r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    r = run_cli("parse", str(tmp_path / "missing.pdf"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_demo_leaves_a_home_to_explore(tmp_path: Path):
    home = str(tmp_path / "demo")
    r = run_cli("demo", "--home", home)
    assert r.returncode == 0, r.stderr
    rows = json.loads(run_cli("reports", "--home", home, "--json").stdout)
    assert len(rows) >= 2
